//! The limit flags (`--max-rows`, `--max-query-bytes`, `--max-intermediate-rows`,
//! `--max-regex-bytes`, `--max-depth`) and `--skip-bad-rows`, through the real `kql` binary.

mod common;

use common::{run, Dir};

/// The end of every intermediate-rows error.
const INTERMEDIATE: &str = "(limit `max_intermediate_rows`: raise it with \
    `Options::limits.max_intermediate_rows` or `kql --max-intermediate-rows N`)";

#[test]
fn skip_bad_rows_loads_the_rest_and_reports_on_stderr() {
    let dir = Dir::new("skip");
    let rows = dir.write(
        "rows.ndjson",
        "{\"n\":1}\n{\"n\":}\n[2]\n{\"n\":3}\n{\"n\":4,}\n{\"n\":5}\n",
    );
    let load = format!("t={rows}");
    // Without the flag the load fails on the first bad row (exit 2, nothing run).
    let out = run(&["--load", &load, "-c", "t | count"]);
    assert_eq!(out.code, 2);
    assert_eq!(out.stdout, "");
    assert_eq!(
        out.stderr,
        format!("kql: cannot load `t` from {rows}: data error: {rows}:2:6: expected value\n")
    );
    let out = run(&[
        "--skip-bad-rows",
        "--load",
        &load,
        "--format",
        "json",
        "-c",
        "t | summarize rows = count(), total = sum(n)",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout, "[{\"rows\":3,\"total\":9}]\n");
    assert_eq!(
        out.stderr,
        format!(
            "kql: {rows}: skipped 3 bad rows, loaded 3\n\
             \x20 {rows}:2:6: expected value\n\
             \x20 {rows}:3:1: expected a row object, found an array\n\
             \x20 {rows}:5:8: trailing comma\n"
        )
    );
    // A clean file prints nothing extra.
    let out = run(&["--skip-bad-rows", "--load", &dir.sr(), "-c", "sr | count"]);
    assert_eq!((out.code, out.stderr.as_str()), (0, ""));
}

#[test]
fn skip_bad_rows_applies_to_dot_load_and_csv() {
    let dir = Dir::new("skip-dot");
    let csv = dir.write("x.csv", "a,b\n1,2\n3,4,5\n6,7\n");
    let out = run(&[
        "--skip-bad-rows",
        "--demo-rows",
        "10",
        "--format",
        "csv",
        "-c",
        &format!(".load x={csv}"),
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stderr,
        format!("kql: {csv}: skipped 1 bad row, loaded 2\n  {csv}:3:1: this record has 3 cells but the header has 2\n")
    );
}

#[test]
fn max_rows_fails_a_larger_result() {
    let out = run(&[
        "--demo-rows",
        "10",
        "--max-rows",
        "3",
        "-c",
        "range x from 1 to 5 step 1",
    ]);
    assert_eq!(out.code, 1);
    assert_eq!(out.stdout, "");
    assert!(
        out.stderr.starts_with(
            "limit reached: the result has 5 rows, more than the 3 allowed (limit \
             `max_result_rows`: raise it with `Options::limits.max_result_rows` or \
             `kql --max-rows N`, or end the query with `| take 3`)"
        ),
        "{}",
        out.stderr
    );
    let out = run(&[
        "--demo-rows",
        "10",
        "--max-rows",
        "5",
        "--format",
        "csv",
        "-c",
        "range x from 1 to 5 step 1",
    ]);
    assert_eq!((out.code, out.stdout.as_str()), (0, "x\n1\n2\n3\n4\n5\n"));
}

#[test]
fn max_intermediate_rows_stops_explosions_early() {
    let out = run(&[
        "--demo-rows",
        "10",
        "-c",
        "range x from 1 to 1000000000000 step 1",
    ]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.starts_with(&format!(
            "limit reached: range would have 1000000000000 rows, more than the 50000000 allowed {INTERMEDIATE}"
        )),
        "{}",
        out.stderr
    );
    let join = "range x from 1 to 4 step 1 | extend k = 1 \
        | join kind=inner (range y from 1 to 4 step 1 | extend k = 1) on k | count";
    let out = run(&[
        "--demo-rows",
        "10",
        "--max-intermediate-rows",
        "15",
        "-c",
        join,
    ]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.starts_with(&format!(
            "limit reached: the join output would have 16 rows, more than the 15 allowed {INTERMEDIATE}"
        )),
        "{}",
        out.stderr
    );
    let out = run(&[
        "--demo-rows",
        "10",
        "--max-intermediate-rows",
        "16",
        "--format",
        "csv",
        "-c",
        join,
    ]);
    assert_eq!(
        (out.code, out.stdout.as_str()),
        (0, "Count\n16\n"),
        "{}",
        out.stderr
    );
}

#[test]
fn max_query_bytes_regex_bytes_and_depth() {
    let out = run(&[
        "--demo-rows",
        "10",
        "--max-query-bytes",
        "8",
        "-c",
        "print x = 1",
    ]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.starts_with(
            "limit reached: the query is 11 bytes long, more than the 8 allowed (limit \
             `max_query_bytes`: raise it with `Options::limits.max_query_bytes` or \
             `kql --max-query-bytes N`)"
        ),
        "{}",
        out.stderr
    );
    let regex = r#"print x = extract(@"\w{50}", 0, "abc")"#;
    let out = run(&[
        "--demo-rows",
        "10",
        "--max-regex-bytes",
        "1000",
        "-c",
        regex,
    ]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.starts_with(
            "limit reached at 1:11: the regex `\\w{50}` compiles to more than 1000 bytes (limit \
             `max_regex_bytes`: raise it with `Options::limits.max_regex_bytes` or \
             `kql --max-regex-bytes N`)\n  |\n1 | print x = extract"
        ),
        "{}",
        out.stderr
    );
    // A literal pattern is compiled during analysis, so --check finds it too.
    let out = run(&["--check", "--max-regex-bytes", "1000", "-c", regex]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stderr.contains("max_regex_bytes"), "{}", out.stderr);
    let out = run(&["--demo-rows", "10", "--format", "csv", "-c", regex]);
    // No match: the empty string (quoted, to tell it from null).
    assert_eq!((out.code, out.stdout.as_str()), (0, "x\n\"\"\n"));
    let deep = "print x = tolong(tolong(tolong(tolong(1))))";
    let out = run(&["--demo-rows", "10", "--max-depth", "3", "-c", deep]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.starts_with(
            "limit reached at 1:25: the query nests deeper than 3 levels (limit `max_depth`: \
             raise it with `Options::limits.max_depth` or `kql --max-depth N`)"
        ),
        "{}",
        out.stderr
    );
    // --check applies the limits that analysis checks.
    let out = run(&["--check", "--max-depth", "3", "-c", deep]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let out = run(&["--demo-rows", "10", "--format", "csv", "-c", deep]);
    assert_eq!((out.code, out.stdout.as_str()), (0, "x\n1\n"));
    let out = run(&["--max-rows", "x", "-c", "print 1"]);
    assert_eq!(out.code, 2);
}
