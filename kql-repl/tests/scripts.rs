//! Script files and scripts on stdin: blank-line separated queries, `let` chunks, dot
//! commands, comments, `file:line:col` errors and `--continue-on-error`.

mod common;

use common::{run, run_with_stdin, Dir};

const REPORT: &str = "// Unhealthy machines
.format csv

let unhealthy = 'Unhealthy';

sr
| where tostring(properties.status.code) == unhealthy
| count

// per location, with a parameter
sr | where location == '{where}' | project name
";

#[test]
fn a_script_file_runs_every_query() {
    let dir = Dir::new("script");
    let file = dir.write("report.kql", REPORT);
    let out = run(&["--load", &dir.sr(), "--param", "where=westus", &file]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout, "Count\n2\nname\nvm2\n");
}

#[test]
fn several_files_run_in_order() {
    let dir = Dir::new("files");
    let a = dir.write("a.kql", ".format csv\nsr | count\n");
    let b = dir.write("b.kql", "print x = 1\n");
    let out = run(&["--load", &dir.sr(), &a, &b]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout, "Count\n3\nx\n1\n",
        "settings carry over from file to file"
    );
}

#[test]
fn stdin_is_read_as_a_script() {
    let dir = Dir::new("stdin");
    let out = run_with_stdin(
        &["--load", &dir.sr(), "--format", "json"],
        "sr | count\n\n\nsr | where cores == 8 | project name\n",
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout, "[{\"Count\":3}]\n[{\"name\":\"vm2\"}]\n");
    let out = run_with_stdin(&["--load", &dir.sr()], "");
    assert_eq!((out.code, out.stdout.as_str()), (0, ""));
    let out = run_with_stdin(&[], "\n// nothing to run\n");
    assert_eq!((out.code, out.stdout.as_str()), (0, ""));
    let missing = format!("t={}", dir.path("missing.json"));
    assert_eq!(
        run_with_stdin(&["--load", &missing], "").code,
        2,
        "the load still fails"
    );
}

#[test]
fn an_error_stops_the_script_with_file_line_col() {
    let dir = Dir::new("stop");
    let text = ".format csv\nsr | count\n\n// broken\nsr\n| where nme == 'x'\n\nprint after = 1\n";
    let file = dir.write("broken.kql", text);
    let out = run(&["--load", &dir.sr(), &file]);
    assert_eq!(out.code, 1);
    assert_eq!(out.stdout, "Count\n3\n", "nothing after the error runs");
    let first = out.stderr.lines().next().unwrap_or_default();
    assert!(
        first.starts_with(&format!("{file}:6:9: ")),
        "line and column in the file: {}",
        out.stderr
    );
    assert!(
        out.stderr.contains("6 | | where nme == 'x'"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("  |         ^^^"), "{}", out.stderr);
}

#[test]
fn continue_on_error_runs_the_rest() {
    let dir = Dir::new("continue");
    let text =
        ".format csv\nsr | project nosuch\n\nprint after = 1\n\nprint x = \n\nprint last = 2\n";
    let file = dir.write("errors.kql", text);
    let out = run(&["--load", &dir.sr(), "--continue-on-error", &file]);
    assert_eq!(out.code, 1, "still 1 at the end");
    assert_eq!(out.stdout, "after\n1\nlast\n2\n");
    assert!(out.stderr.contains(&format!("{file}:2:")), "{}", out.stderr);
    assert!(out.stderr.contains(&format!("{file}:6:")), "{}", out.stderr);
}

#[test]
fn errors_on_stdin_are_named_stdin() {
    let out = run_with_stdin(
        &["--demo-rows", "10"],
        "print 1\n\nprint x = nosuch_column\n",
    );
    assert_eq!(out.code, 1);
    assert!(out.stderr.starts_with("<stdin>:3:11: "), "{}", out.stderr);
}

#[test]
fn check_mode_checks_every_query_of_a_script() {
    let dir = Dir::new("checkscript");
    let ok = dir.write("ok.kql", REPORT);
    let out = run(&["--load", &dir.sr(), "--check", &ok]);
    assert_eq!((out.code, out.stdout.as_str()), (0, ""), "{}", out.stderr);
    let bad = dir.write("bad.kql", "sr | count\n\nsr | summarize by\n");
    let out = run(&["--load", &dir.sr(), "--check", &bad]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains(&format!("{bad}:3:")), "{}", out.stderr);
    assert!(out.stderr.contains('^'));
}

#[test]
fn dot_commands_in_scripts() {
    let dir = Dir::new("dots");
    let other = dir.write("other.json", r#"[{"k": "a"}, {"k": "b"}]"#);
    let text = format!(
        ".load other={other}\n.tables\n.param n=1\n.format csv\nother | take {{n}}\n\n.maxrows 1\n.format table\nother\n\n.quit\n\nprint never = 1\n"
    );
    let file = dir.write("dots.kql", &text);
    let out = run(&["--load", &dir.sr(), &file]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .starts_with("loaded 2 rows into other\nsr     3 rows\nother  2 rows\nk\na\n"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("2 rows (showing the first 1"),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains("never"));
    let bad = dir.write("bad.kql", ".load x=/no/such/file.json\n");
    let out = run(&["--demo-rows", "10", &bad]);
    assert_eq!(out.code, 2, "a file error in a script");
    assert!(
        out.stderr.starts_with(&format!("{bad}:1:1: ")),
        "{}",
        out.stderr
    );
}

#[test]
fn c_runs_after_the_files() {
    let dir = Dir::new("filesc");
    let file = dir.write("set.kql", ".format csv\n");
    let out = run(&["--load", &dir.sr(), &file, "-c", "sr | count"]);
    assert_eq!(out.stdout, "Count\n3\n");
}
