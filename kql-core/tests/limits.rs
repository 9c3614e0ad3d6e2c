//! Configurable limits (`Options::limits`): a query that reaches one fails with an
//! `ErrorKind::Limit` error naming the limit, the option and the `kql` flag; raising the limit
//! lets the same query run. Explosions (a huge `range`, a cross join) fail before their rows are
//! built, so these tests finish at once instead of exhausting memory.

use kql_core::{Engine, ErrorKind, Limits, Options};

/// An engine with `limits`.
fn engine(limits: Limits) -> Engine {
    Engine::with_options(Options {
        limits,
        ..Options::default()
    })
}

/// Asserts `query` fails on `engine` with a limit error whose message is exactly `message`.
fn fails(engine: &Engine, query: &str, message: &str) {
    match engine.query(query) {
        Ok(r) => panic!(
            "expected a limit error, got {} rows for {query}",
            r.num_rows()
        ),
        Err(e) => {
            assert_eq!(e.kind, ErrorKind::Limit, "{e} for {query}");
            assert_eq!(e.message, message, "for {query}");
        }
    }
}

/// The JSON result of `query` on `engine` (panics on error).
fn json(engine: &Engine, query: &str) -> String {
    match engine.query(query) {
        Ok(r) => r.to_json(),
        Err(e) => panic!("{query} failed: {e}"),
    }
}

/// The hint every intermediate-rows error ends with.
const INTERMEDIATE: &str = "(limit `max_intermediate_rows`: raise it with \
    `Options::limits.max_intermediate_rows` or `kql --max-intermediate-rows N`)";

#[test]
fn defaults_are_generous_and_documented() {
    let d = Limits::default();
    assert_eq!(d.max_query_bytes, 4 << 20);
    assert_eq!(d.max_result_rows, None);
    assert_eq!(d.max_intermediate_rows, 50_000_000);
    assert_eq!(d.max_regex_bytes, 10 << 20);
    assert_eq!(d.max_depth, 256);
    assert_eq!(Options::default().limits, d);
}

#[test]
fn a_trillion_row_range_fails_before_building_rows() {
    let e = Engine::new();
    fails(
        &e,
        "range x from 1 to 1000000000000 step 1",
        &format!(
            "range would have 1000000000000 rows, more than the 50000000 allowed {INTERMEDIATE}"
        ),
    );
    // Reals and negative steps are counted the same way.
    fails(
        &e,
        "range x from 0.0 to 1e12 step 0.5",
        &format!(
            "range would have 2000000000001 rows, more than the 50000000 allowed {INTERMEDIATE}"
        ),
    );
    fails(
        &e,
        "range x from 9223372036854775807 to -9223372036854775807 step -1",
        &format!(
            "range would have 18446744073709551615 rows, more than the 50000000 allowed {INTERMEDIATE}"
        ),
    );
}

#[test]
fn range_limit_is_exact_and_can_be_raised() {
    let small = engine(Limits {
        max_intermediate_rows: 10,
        ..Limits::default()
    });
    assert_eq!(
        small
            .query("range x from 1 to 10 step 1")
            .unwrap()
            .num_rows(),
        10
    );
    assert_eq!(
        small
            .query("range x from 10 to 1 step -1")
            .unwrap()
            .num_rows(),
        10
    );
    assert_eq!(
        small
            .query("range x from 1 to 20 step 2")
            .unwrap()
            .num_rows(),
        10
    );
    assert_eq!(
        small
            .query("range x from 1.0 to 5.5 step 0.5")
            .unwrap()
            .num_rows(),
        10
    );
    // Empty ranges stay empty.
    assert_eq!(
        small
            .query("range x from 5 to 1 step 1")
            .unwrap()
            .num_rows(),
        0
    );
    fails(
        &small,
        "range x from 1 to 11 step 1",
        &format!("range would have 11 rows, more than the 10 allowed {INTERMEDIATE}"),
    );
    fails(
        &small,
        "range x from 1.0 to 6.0 step 0.5",
        &format!("range would have 11 rows, more than the 10 allowed {INTERMEDIATE}"),
    );
    let raised = engine(Limits {
        max_intermediate_rows: 11,
        ..Limits::default()
    });
    assert_eq!(
        json(&raised, "range x from 1 to 11 step 1 | summarize sum(x)"),
        r#"[{"sum_x":66}]"#
    );
}

#[test]
fn a_cross_join_of_two_large_tables_fails_fast() {
    // 100,000 × 100,000 rows on a constant key: 10^10 pairs, refused before any is built.
    let query = "range x from 1 to 100000 step 1 | extend k = 1 \
        | join kind=inner (range y from 1 to 100000 step 1 | extend k = 1) on k | count";
    fails(
        &Engine::new(),
        query,
        &format!(
            "the join output would have 10000000000 rows, more than the 50000000 allowed {INTERMEDIATE}"
        ),
    );
}

#[test]
fn join_output_is_counted_per_kind() {
    let e = engine(Limits {
        max_intermediate_rows: 12,
        ..Limits::default()
    });
    let l = "range x from 1 to 3 step 1 | extend k = 1";
    let r = "range y from 1 to 4 step 1 | extend k = 1";
    // inner: 3 × 4 = 12 rows, at the limit.
    assert_eq!(
        json(&e, &format!("{l} | join kind=inner ({r}) on k | count")),
        r#"[{"Count":12}]"#
    );
    // innerunique keeps one left row per key: 4 rows.
    assert_eq!(
        json(&e, &format!("{l} | join ({r}) on k | count")),
        r#"[{"Count":4}]"#
    );
    // Semi joins never produce pairs.
    assert_eq!(
        json(&e, &format!("{l} | join kind=rightsemi ({r}) on k | count")),
        r#"[{"Count":4}]"#
    );
    assert_eq!(
        json(&e, &format!("{l} | join kind=leftsemi ({r}) on k | count")),
        r#"[{"Count":3}]"#
    );
    // fullouter: the 12 pairs plus every right row counted up front (an upper bound).
    fails(
        &e,
        &format!("{l} | join kind=fullouter ({r}) on k | count"),
        &format!("the join output would have 16 rows, more than the 12 allowed {INTERMEDIATE}"),
    );
    let tight = engine(Limits {
        max_intermediate_rows: 11,
        ..Limits::default()
    });
    fails(
        &tight,
        &format!("{l} | join kind=inner ({r}) on k | count"),
        &format!("the join output would have 12 rows, more than the 11 allowed {INTERMEDIATE}"),
    );
}

#[test]
fn mv_expand_output_is_limited() {
    let e = engine(Limits {
        max_intermediate_rows: 5,
        ..Limits::default()
    });
    let query = "print a = dynamic([1, 2, 3]), b = dynamic([4, 5, 6]) | union (print a = dynamic([7, 8, 9]), b = dynamic([])) | mv-expand a";
    fails(
        &e,
        query,
        &format!("the mv-expand output would have 6 rows, more than the 5 allowed {INTERMEDIATE}"),
    );
    // `limit` caps the expansion, and with it the count: 2 + 2 rows, a = 1, 2, 7, 8.
    assert_eq!(
        json(&e, &format!("{query} limit 2 | summarize sum(tolong(a))")),
        r#"[{"sum_a":18}]"#
    );
    let raised = engine(Limits {
        max_intermediate_rows: 6,
        ..Limits::default()
    });
    assert_eq!(
        json(&raised, &format!("{query} | count")),
        r#"[{"Count":6}]"#
    );
}

#[test]
fn union_output_is_limited() {
    let e = engine(Limits {
        max_intermediate_rows: 10,
        ..Limits::default()
    });
    let query = "union (range x from 1 to 6 step 1), (range x from 7 to 11 step 1)";
    fails(
        &e,
        query,
        &format!("the union output would have 11 rows, more than the 10 allowed {INTERMEDIATE}"),
    );
    assert_eq!(
        json(
            &e,
            "union (range x from 1 to 6 step 1), (range x from 7 to 10 step 1) | count"
        ),
        r#"[{"Count":10}]"#
    );
}

#[test]
fn summarize_groups_are_limited() {
    // Loaded tables are not limited (their rows already exist); the groups built over them are.
    let rows: String = (1..=12).map(|i| format!("{{\"x\": {i}}}\n")).collect();
    let mut e = engine(Limits {
        max_intermediate_rows: 10,
        ..Limits::default()
    });
    e.load_str("T", "t.ndjson", &rows).unwrap();
    fails(
        &e,
        "T | summarize count() by x",
        &format!(
            "the summarize groups would have 12 rows, more than the 10 allowed {INTERMEDIATE}"
        ),
    );
    assert_eq!(
        json(&e, "T | summarize count() by bin(x, 2) | count"),
        r#"[{"Count":7}]"#
    );
    e.set_options(Options {
        limits: Limits {
            max_intermediate_rows: 12,
            ..Limits::default()
        },
        ..Options::default()
    });
    assert_eq!(
        json(
            &e,
            "T | summarize count() by x | summarize groups = count(), rows = sum(count_)"
        ),
        r#"[{"groups":12,"rows":12}]"#
    );
}

#[test]
fn result_rows_are_unlimited_by_default_and_an_error_past_the_limit() {
    assert_eq!(
        Engine::new()
            .query("range x from 1 to 600000 step 1")
            .unwrap()
            .num_rows(),
        600_000
    );
    let e = engine(Limits {
        max_result_rows: Some(3),
        ..Limits::default()
    });
    fails(
        &e,
        "range x from 1 to 5 step 1",
        "the result has 5 rows, more than the 3 allowed (limit `max_result_rows`: raise it with \
         `Options::limits.max_result_rows` or `kql --max-rows N`, or end the query with \
         `| take 3`)",
    );
    // Only the result counts, not the rows on the way to it.
    assert_eq!(
        json(&e, "range x from 1 to 5 step 1 | summarize count()"),
        r#"[{"count_":5}]"#
    );
    assert_eq!(
        json(
            &e,
            "range x from 1 to 5 step 1 | take 3 | summarize make_list(x)"
        ),
        r#"[{"list_x":[1,2,3]}]"#
    );
}

#[test]
fn query_length_is_limited() {
    let e = engine(Limits {
        max_query_bytes: 16,
        ..Limits::default()
    });
    assert_eq!(json(&e, "print x = 123456"), r#"[{"x":123456}]"#);
    let message = "the query is 17 bytes long, more than the 16 allowed (limit `max_query_bytes`: \
        raise it with `Options::limits.max_query_bytes` or `kql --max-query-bytes N`)";
    fails(&e, "print x = 1234567", message);
    // Checking and explaining refuse it too, before parsing.
    assert_eq!(e.check("print x = 1234567").unwrap_err().message, message);
    assert_eq!(e.explain("print x = 1234567").unwrap_err().message, message);
    assert_eq!(e.lint("print x = 1234567").unwrap_err().message, message);
}

#[test]
fn regex_size_is_limited() {
    // `\w{50}` compiles to several KB (Unicode word classes).
    let query = r#"print x = extract(@"\w{50}", 0, "abc")"#;
    let e = engine(Limits {
        max_regex_bytes: 1000,
        ..Limits::default()
    });
    fails(
        &e,
        query,
        "the regex `\\w{50}` compiles to more than 1000 bytes (limit `max_regex_bytes`: raise it \
         with `Options::limits.max_regex_bytes` or `kql --max-regex-bytes N`)",
    );
    assert_eq!(json(&Engine::new(), query), r#"[{"x":""}]"#);
    // Literal patterns are compiled by analysis: checking without running finds them, and the
    // error points at the call.
    let err = e.check(query).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Limit);
    assert_eq!(
        err.span.map(|s| &query[s.start..s.end]),
        Some(r#"extract(@"\w{50}", 0, "abc")"#)
    );
    // The default limit stops a pattern that would compile to tens of megabytes.
    let huge = r#"print x = "abc" matches regex @"(\w{100}){100}""#;
    let err = Engine::new().query(huge).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Limit);
    assert!(
        err.message.contains("compiles to more than 10485760 bytes"),
        "{err}"
    );
    // Patterns computed per row are caught as well.
    let computed = r#"print p = strcat(@"\w", "{50}") | extend y = extract(p, 0, "abc")"#;
    assert_eq!(
        engine(Limits {
            max_regex_bytes: 1000,
            ..Limits::default()
        })
        .query(computed)
        .unwrap_err()
        .kind,
        ErrorKind::Limit
    );
    assert_eq!(
        json(&Engine::new(), computed),
        r#"[{"p":"\\w{50}","y":""}]"#
    );
    // `parse` patterns are compiled during analysis: the error points at the parsed column.
    let parse = r#"print s = "abc" | parse kind=regex s with @"(\w{50})" x:string"#;
    let err = e.check(parse).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Limit);
    assert!(
        err.message.contains("compiles to more than 1000 bytes"),
        "{err}"
    );
    assert!(err.span.is_some());
}

#[test]
fn nesting_depth_can_be_lowered_but_not_raised_past_the_ceiling() {
    let query = "print x = tolong(tolong(tolong(tolong(1))))";
    let e = engine(Limits {
        max_depth: 3,
        ..Limits::default()
    });
    let err = e.query(query).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Limit);
    assert_eq!(
        err.message,
        "the query nests deeper than 3 levels (limit `max_depth`: raise it with \
         `Options::limits.max_depth` or `kql --max-depth N`)"
    );
    assert_eq!(json(&Engine::new(), query), r#"[{"x":1}]"#);
    // Past the ceiling the engine's own maximum applies, and the message says so.
    // 150 levels of `tolong(1 + …)`: within what the parser takes, two analysis levels each.
    let deep = format!(
        "print x = {}1{}",
        "tolong(1 + ".repeat(150),
        ")".repeat(150)
    );
    let unlimited = engine(Limits {
        max_depth: usize::MAX,
        ..Limits::default()
    });
    let err = unlimited.query(&deep).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Limit);
    assert_eq!(
        err.message,
        "the query nests deeper than 256 levels (limit `max_depth`, already at its maximum of 256)"
    );
}
