//! The real `kql` binary, driven through its flags: formats, parameters, --check, --timing,
//! --repeat, data loading and exit codes. Script files and stdin are in `scripts.rs`.

mod common;

use common::{kql, run, Dir};

#[test]
fn one_query_as_a_table() {
    let dir = Dir::new("table");
    let out = run(&[
        "--load",
        &dir.sr(),
        "-c",
        "sr | project name, cores | order by name asc",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout,
        "name:string │ cores:long\n\
         ────────────┼───────────\n\
         vm1         │          4\n\
         vm2         │          8\n\
         vm3         │\n\
         3 rows\n"
    );
    assert_eq!(out.stderr, "");
}

#[test]
fn json_is_one_array_of_objects() {
    let dir = Dir::new("json");
    let out = run(&[
        "--load",
        &dir.sr(),
        "--format",
        "json",
        "-c",
        "sr | where cores > 4 | project name, cores, status = tostring(properties.status.code)",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout,
        "[{\"name\":\"vm2\",\"cores\":8,\"status\":\"Unhealthy\"}]\n"
    );
}

#[test]
fn ndjson_csv_and_markdown() {
    let dir = Dir::new("formats");
    let query = "sr | order by name asc | take 2 | project name, cores";
    let out = run(&["--load", &dir.sr(), "--format", "ndjson", "-c", query]);
    assert_eq!(
        out.stdout,
        "{\"name\":\"vm1\",\"cores\":4}\n{\"name\":\"vm2\",\"cores\":8}\n"
    );
    let out = run(&["--load", &dir.sr(), "--format", "csv", "-c", query]);
    assert_eq!(out.stdout, "name,cores\nvm1,4\nvm2,8\n");
    let out = run(&["--load", &dir.sr(), "--format", "markdown", "-c", query]);
    assert_eq!(out.code, 0);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 4, "{}", out.stdout);
    assert!(lines[0].contains("name") && lines[0].contains("cores"));
    assert!(lines[2].contains("vm1") && lines[2].contains('4'));
    let out = run(&["--format", "xml", "-c", "print 1"]);
    assert_eq!(out.code, 2);
}

#[test]
fn params_replace_placeholders_before_parsing() {
    let dir = Dir::new("params");
    let out = run(&[
        "--load",
        &dir.sr(),
        "--format",
        "csv",
        "--param",
        "who=vm2",
        "--param",
        "col=cores",
        "-c",
        "sr | where name == '{who}' | project {col}",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout, "cores\n8\n");
    let out = run(&["--param", "novalue", "-c", "print 1"]);
    assert_eq!(out.code, 2);
}

#[test]
fn check_parses_and_analyzes_only() {
    let dir = Dir::new("check");
    let out = run(&[
        "--load",
        &dir.sr(),
        "--check",
        "-c",
        "sr | summarize count() by location",
    ]);
    assert_eq!((out.code, out.stdout.as_str()), (0, ""), "{}", out.stderr);
    let out = run(&[
        "--load",
        &dir.sr(),
        "--check",
        "-c",
        "sr | where nme == 'x'",
    ]);
    assert_eq!(out.code, 1);
    assert_eq!(out.stdout, "");
    assert!(
        out.stderr.contains("1 | sr | where nme == 'x'"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("\n  |            ^^^\n"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("`name`"),
        "a did-you-mean hint: {}",
        out.stderr
    );
    let out = run(&[
        "--check",
        "-c",
        "securityresources | where properties.status.code == 'x'",
    ]);
    assert_eq!(
        (out.code, out.stdout.as_str()),
        (0, ""),
        "the ARG schemas: {}",
        out.stderr
    );
    let out = run(&["--check", "-c", "print x = "]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains('^'), "{}", out.stderr);
}

#[test]
fn query_errors_exit_1_with_a_caret() {
    let dir = Dir::new("errors");
    let out = run(&["--load", &dir.sr(), "-c", "sr | project nosuch"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("1 | sr | project nosuch"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("^^^^^^"), "{}", out.stderr);
    assert_eq!(out.stdout, "");
}

#[test]
fn usage_and_file_errors_exit_2() {
    let dir = Dir::new("usage");
    let missing = dir.path("missing.json");
    let out = run(&["--load", &format!("t={missing}"), "-c", "t"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("missing.json"), "{}", out.stderr);
    let bad = dir.write("bad.json", "[{\"a\": 1},");
    let out = run(&["--load", &format!("t={bad}"), "-c", "t"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert_eq!(run(&["--load", "noequals", "-c", "print 1"]).code, 2);
    assert_eq!(run(&["--no-such-flag"]).code, 2);
    assert_eq!(run(&["--repeat", "0", "-c", "print 1"]).code, 2);
    assert_eq!(run(&[&dir.path("missing.kql")]).code, 2);
    assert_eq!(run(&["--demo-rows", "10", "-c", ".nosuchcommand"]).code, 2);
}

#[test]
fn timing_goes_to_stderr_and_repeat_runs_n_times() {
    let dir = Dir::new("timing");
    let out = run(&[
        "--load",
        &dir.sr(),
        "--timing",
        "--repeat",
        "3",
        "--format",
        "csv",
        "-c",
        "sr | count",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout, "Count\n3\n", "the result is printed once");
    let lines: Vec<&str> = out.stderr.lines().collect();
    assert_eq!(lines.len(), 4, "{}", out.stderr);
    assert!(
        lines[0].starts_with("load sr: ") && lines[0].ends_with(" ms"),
        "{}",
        lines[0]
    );
    for line in &lines[1..] {
        assert!(
            line.starts_with("query: ") && line.ends_with(" ms"),
            "{line}"
        );
    }
    let out = run(&["--load", &dir.sr(), "--timing", "-c", "sr | count"]);
    let footer = out.stdout.lines().last().unwrap_or_default().to_string();
    assert!(
        footer.starts_with("1 row in ") && footer.ends_with(" ms"),
        "{footer}"
    );
    let out = run(&["--load", &dir.sr(), "--repeat", "2", "-c", "sr | count"]);
    assert_eq!(out.stderr, "", "no timing lines without --timing");
}

#[test]
fn data_formats_are_detected_from_content() {
    let dir = Dir::new("detect");
    let nd = dir.write(
        "t.data",
        "{\"a\": 1, \"b\": \"x\"}\n{\"a\": 2, \"b\": \"y\"}\n",
    );
    let csv = dir.write("u.data", "a,b\n3,z\n");
    let out = run(&[
        "--load",
        &format!("t={nd}"),
        "--load",
        &format!("u={csv}"),
        "--format",
        "csv",
        "-c",
        "union t, u | summarize n = count(), s = sum(tolong(a))",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout, "n,s\n3,6\n");
}

#[test]
fn dot_commands_run_with_c() {
    let dir = Dir::new("dotc");
    let out = run(&["--load", &dir.sr(), "-c", ".tables"]);
    assert_eq!(out.stdout, "sr  3 rows\n");
    let out = run(&["--load", &dir.sr(), "-c", ".schema sr"]);
    assert!(
        out.stdout.starts_with("id:string\nname:string\n"),
        "{}",
        out.stdout
    );
    let out = run(&["--load", &dir.sr(), "-c", ".tables all"]);
    assert!(out.stdout.contains("ResourceContainers"), "{}", out.stdout);
    let out = run(&[
        "--load",
        &dir.sr(),
        "-c",
        ".explain sr | where cores > 1 | count",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(!out.stdout.is_empty());
}

#[test]
fn help_version_and_demo_rows() {
    let out = run(&["--help"]);
    assert_eq!(out.code, 0);
    for flag in [
        "--load",
        "--format",
        "--param",
        "--check",
        "--timing",
        "--repeat",
        "--continue-on-error",
        "--demo-rows",
        "generate",
    ] {
        assert!(out.stdout.contains(flag), "--help lacks {flag}");
    }
    let out = run(&["--version"]);
    assert_eq!(out.code, 0);
    assert!(out.stdout.starts_with("kql "), "{}", out.stdout);
    let out = run(&[
        "--demo-rows",
        "50",
        "--format",
        "csv",
        "-c",
        "securityresources | count | extend r = toscalar(resources | count) > 0",
    ]);
    assert_eq!(
        (out.code, out.stdout.as_str()),
        (0, "Count,r\n50,true\n"),
        "{}",
        out.stderr
    );
}

#[test]
fn closed_stdout_is_not_an_error() {
    let dir = Dir::new("pipe");
    let mut child = kql(&[
        "--load",
        &dir.sr(),
        "--format",
        "csv",
        "-c",
        "range i from 1 to 200000 step 1",
    ])
    .stdout(std::process::Stdio::piped())
    .spawn()
    .expect("spawn kql");
    drop(child.stdout.take());
    let status = child.wait().expect("wait");
    assert_eq!(status.code(), Some(0), "{status:?}");
}

#[test]
fn generate_writes_every_format_and_kql_reads_it_back() {
    let dir = Dir::new("generate");
    for format in ["ndjson", "json", "arg-response", "az-cli", "csv"] {
        let file = dir.path(&format!("sr.{format}"));
        let out = run(&[
            "generate",
            "--rows",
            "40",
            "--seed",
            "7",
            "--table",
            "securityresources",
            "--format",
            format,
            "-o",
            &file,
        ]);
        assert_eq!(out.code, 0, "{format}: {}", out.stderr);
        let out = run(&[
            "--load",
            &format!("t={file}"),
            "--format",
            "csv",
            "-c",
            "t | count",
        ]);
        assert_eq!(out.stdout, "Count\n40\n", "{format}: {}", out.stderr);
    }
    let again = dir.path("again.ndjson");
    run(&[
        "generate", "--rows", "40", "--seed", "7", "--format", "ndjson", "-o", &again,
    ]);
    let first = std::fs::read(dir.path("sr.ndjson")).unwrap_or_default();
    assert_eq!(
        std::fs::read(&again).unwrap_or_default(),
        first,
        "same seed, same bytes"
    );
    let out = run(&[
        "generate",
        "--rows",
        "40",
        "--table",
        "resourcecontainers",
        "-o",
        "-",
    ]);
    assert_eq!(out.code, 0);
    assert!(
        out.stdout.contains("microsoft.resources/subscriptions"),
        "{}",
        out.stdout
    );
    let out = run(&[
        "generate",
        "--rows",
        "5",
        "-o",
        &dir.path("no/such/dir/x.json"),
    ]);
    assert_eq!(out.code, 2);
    assert_eq!(
        run(&["generate", "--rows", "5", "--table", "nosuch", "-o", "-"]).code,
        2
    );
}

#[test]
fn arg_strict_rejects_what_arg_rejects() {
    let out = run(&["--arg-strict", "--check", "-c", "print x = 1"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("`print` is not an ARG operator"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("^"), "{}", out.stderr);
    let plain = run(&["--check", "-c", "print x = 1"]);
    assert_eq!(plain.code, 0, "{}", plain.stderr);
}

#[test]
fn lint_warnings_go_to_stderr_and_do_not_fail() {
    let out = run(&[
        "--check",
        "-c",
        "resources | where type == 'Microsoft.Compute/virtualMachines'",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.starts_with("warning at 1:27:"), "{}", out.stderr);
    assert!(
        out.stderr.contains("microsoft.compute/virtualmachines"),
        "{}",
        out.stderr
    );
}

#[test]
fn the_defender_query_runs_verbatim_with_a_param() {
    // Issue 2's acceptance check: the first Defender query, unchanged, over the az CLI fixture.
    let fixture = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/fixtures/seed-securityresources.az-cli.json"
    );
    let query = "Securityresources\n\
| where type == \"microsoft.security/assessments/subassessments\"\n\
| extend assessmentKey=extract(@\"(?i)providers/Microsoft.Security/assessments/([^/]*)\", 1, id)\n\
| where assessmentKey == '1f655fb7-63ca-4980-91a3-56dbc2b715c6' or assessmentKey ==  '8c3d9ad0-3639-4686-9cd2-2b2ab2609bda'\n\
| parse-where id with machineId:string '/providers/Microsoft.Security/' *\n\
| where machineId  == '{machineId}'";
    let machine = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-prod/providers/Microsoft.Compute/virtualMachines/vm1";
    let out = run(&[
        "--load",
        &format!("securityresources={fixture}"),
        "--param",
        &format!("machineId={machine}"),
        "--format",
        "json",
        "-c",
        query,
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let rows: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
    let names: Vec<&str> = rows
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|r| r["name"].as_str())
        .collect();
    // Worked out by hand in tests/tests/seed_queries.rs.
    assert_eq!(names, ["rule1", "rule2", "rule3", "rule4"]);
}
