//! Table-driven tests of the tabular operators. The sample table and most expected results are
//! the worked examples of the semantics reference (../shared/reference/kql-semantics.md §5),
//! checked by hand against the rules they illustrate.

mod sample;

use kql_core::Engine;
use sample::{run, A};
use serde_json::{json, Value as Json};

/// Asserts that `query` over `A` gives exactly `expected` (rows in order).
fn gives(query: &str, expected: Json) {
    assert_eq!(run(query), expected, "query: {query}");
}

/// Asserts the rows match in any order.
fn gives_unordered(query: &str, expected: Json) {
    let sort = |v: Json| {
        let mut rows = v.as_array().cloned().unwrap_or_default();
        rows.sort_by_key(|r| r.to_string());
        rows
    };
    assert_eq!(sort(run(query)), sort(expected), "query: {query}");
}

fn fails(query: &str, message_part: &str) {
    let text = format!("{A}{query}");
    match Engine::new().query(&text) {
        Ok(_) => panic!("expected an error for {query}"),
        Err(e) => assert!(
            e.to_string().contains(message_part),
            "{e} should mention {message_part}"
        ),
    }
}

#[test]
fn where_drops_null_and_false() {
    gives(
        "A | where sev =~ 'low' and score > 2 | project name",
        json!([{"name": "vm3"}]),
    );
    gives(
        "A | where props.status.code == 'Unhealthy' | project name",
        json!([{"name": "vm1"}, {"name": "vm3"}]),
    );
    // `!=` against a null keeps the row: null vs value is true (§3.2).
    gives(
        "A | where score != 5 | project name",
        json!([{"name": "vm2"}, {"name": "vm3"}]),
    );
}

#[test]
fn extend_replaces_in_place_and_appends() {
    gives(
        "A | project name, score | extend d = score * 2, name = toupper(name)",
        json!([
            {"name": "VM1", "score": 5, "d": 10},
            {"name": "VM2", "score": null, "d": null},
            {"name": "VM3", "score": 3, "d": 6}
        ]),
    );
    gives(
        "A | take 1 | extend a = 1, b = a + 1 | project a, b",
        json!([{"a": 1, "b": 2}]),
    );
}

#[test]
fn project_names_columns() {
    gives(
        "A | take 1 | project name, Score = score, score + 1",
        json!([{"name": "vm1", "Score": 5, "Column1": 6}]),
    );
    gives(
        "A | take 1 | project props.status.code",
        json!([{"props_status_code": "Unhealthy"}]),
    );
    fails("A | project name, name = sev", "duplicate column");
    fails("A | project nosuch", "unknown column");
}

#[test]
fn project_away_keep_rename_reorder() {
    gives(
        "A | take 1 | project-away s*, props",
        json!([{"name": "vm1"}]),
    );
    gives(
        "A | take 1 | project-keep score, n*",
        json!([{"name": "vm1", "score": 5}]),
    );
    let renamed = run("A | take 1 | project-rename Severity = sev");
    let keys: Vec<&String> = renamed[0].as_object().expect("row").keys().collect();
    assert_eq!(keys, ["name", "Severity", "score", "props"]);
    let reordered = run("A | take 1 | project-reorder score, name");
    let keys: Vec<&String> = reordered[0].as_object().expect("row").keys().collect();
    assert_eq!(keys, ["score", "name", "sev", "props"]);
}

#[test]
fn summarize_names_and_values() {
    gives_unordered(
        "A | summarize count(), n = countif(score > 2), dcount(sev), avg(score) by tostring(props.status.code)",
        json!([
            {"props_status_code": "Unhealthy", "count_": 2, "n": 2, "dcount_sev": 2, "avg_score": 4.0},
            {"props_status_code": "Healthy", "count_": 1, "n": 0, "dcount_sev": 1, "avg_score": null}
        ]),
    );
    // Without `by`: one row even over no rows; sum → 0, avg → NaN (§5.5).
    gives(
        "A | where name == 'none' | summarize count(), sum(score), avg(score)",
        json!([{"count_": 0, "sum_score": 0, "avg_score": "NaN"}]),
    );
    // With `by` over no rows: no rows.
    gives(
        "A | where name == 'none' | summarize count() by sev",
        json!([]),
    );
    gives_unordered(
        "A | summarize make_set(sev), make_set(sev)",
        json!([{"set_sev": ["High", "low", "Low"], "set_sev1": ["High", "low", "Low"]}]),
    );
    gives_unordered(
        "A | summarize arg_max(score, name) by tostring(props.status.code)",
        json!([
            {"props_status_code": "Unhealthy", "score": 5, "name": "vm1"},
            {"props_status_code": "Healthy", "score": null, "name": "vm2"}
        ]),
    );
}

#[test]
fn sort_top_take_count_distinct() {
    // Default direction is descending with nulls last; asc puts nulls first (§5.9, §5.10).
    gives(
        "A | sort by score | project name",
        json!([{"name": "vm1"}, {"name": "vm3"}, {"name": "vm2"}]),
    );
    gives(
        "A | top 2 by score asc | project name",
        json!([{"name": "vm2"}, {"name": "vm3"}]),
    );
    gives("A | take 2 | count", json!([{"Count": 2}]));
    // `sort | take n` is run as `top n`: the first rows of the same order.
    gives(
        "A | sort by score | take 2 | project name",
        json!([{"name": "vm1"}, {"name": "vm3"}]),
    );
    gives(
        "A | sort by score asc | take 1 | project name",
        json!([{"name": "vm2"}]),
    );
    gives(
        "A | sort by score | take 10 | project name",
        json!([{"name": "vm1"}, {"name": "vm3"}, {"name": "vm2"}]),
    );
    gives(
        "A | top 2 by score | take 1 | project name",
        json!([{"name": "vm1"}]),
    );
    gives_unordered(
        "A | distinct sev",
        json!([{"sev": "High"}, {"sev": "low"}, {"sev": "Low"}]),
    );
}

#[test]
fn parse_simple_and_typed() {
    gives(
        "print id = '/subscriptions/s1/resourceGroups/rg1/providers/Microsoft.Security/assessments/abc' \
         | parse id with '/subscriptions/' sub '/resourceGroups/' rg '/providers/' * | project sub, rg",
        json!([{"sub": "s1", "rg": "rg1"}]),
    );
    let typed = "datatable(s:string)['n=12;x', 'n=ab;x'] | ";
    gives(
        &format!("{typed}parse s with 'n=' n:long ';' * | project n"),
        json!([{"n": 12}, {"n": null}]),
    );
    gives(
        &format!("{typed}parse-where s with 'n=' n:long ';' * | project n"),
        json!([{"n": 12}]),
    );
}

#[test]
fn mv_expand_rows() {
    gives(
        "A | mv-expand t = props.tags | project name, t",
        json!([{"name": "vm1", "t": "a"}, {"name": "vm1", "t": "b"}, {"name": "vm3", "t": null}]),
    );
}

#[test]
fn joins_by_flavour() {
    let x = "let X = datatable(Key:string, Value1:long)['a',1,'b',2,'b',3,'c',4]; \
             let Y = datatable(Key:string, Value2:long)['b',10,'c',20,'c',30,'d',40];";
    let q = |kind: &str| format!("{x} X | join kind={kind} Y on Key");
    // innerunique keeps the first left row per key (b,2), then pairs it with every match.
    gives_unordered(
        &q("innerunique"),
        json!([
            {"Key": "b", "Value1": 2, "Key1": "b", "Value2": 10},
            {"Key": "c", "Value1": 4, "Key1": "c", "Value2": 20},
            {"Key": "c", "Value1": 4, "Key1": "c", "Value2": 30}
        ]),
    );
    gives_unordered(&q("leftanti"), json!([{"Key": "a", "Value1": 1}]));
    gives_unordered(
        &q("leftouter"),
        json!([
            {"Key": "a", "Value1": 1, "Key1": "", "Value2": null},
            {"Key": "b", "Value1": 2, "Key1": "b", "Value2": 10},
            {"Key": "b", "Value1": 3, "Key1": "b", "Value2": 10},
            {"Key": "c", "Value1": 4, "Key1": "c", "Value2": 20},
            {"Key": "c", "Value1": 4, "Key1": "c", "Value2": 30}
        ]),
    );
}

#[test]
fn errors_point_at_the_problem() {
    let e = Engine::new()
        .query("print x = 1 | where y == 1")
        .expect_err("unknown column");
    assert_eq!(e.span.map(|s| s.start), Some(20));
    let e = Engine::new()
        .query("securityresourcez | count")
        .expect_err("unknown table");
    assert!(
        e.hints.iter().any(|h| h.contains("SecurityResources")),
        "{e}"
    );
    let e = Engine::new()
        .query("print strlen('a', 'b')")
        .expect_err("arity");
    assert!(e.to_string().contains("strlen"), "{e}");
}

#[test]
fn strict_arg_mode_names_the_rule() {
    let strict = Engine::with_options(kql_core::Options {
        arg_strict: true,
        ..Default::default()
    });
    let e = strict.query("print x = 1").expect_err("print is not ARG");
    assert!(e.message.contains("`print` is not an ARG operator"), "{e}");
    let e = strict
        .query("resources | join kind=leftanti (resources) on id")
        .expect_err("leftanti is not ARG");
    assert!(e.message.contains("join kinds"), "{e}");
    let e = strict
        .query("resources | mv-expand a = properties.x limit 500")
        .expect_err("over the mv-expand cap");
    assert!(e.message.contains("400"), "{e}");
    // The same queries run in the default (plain Kusto) mode.
    assert!(Engine::new().query("print x = 1").is_ok());
    assert!(strict
        .query("resources | where type == 'x' | count")
        .is_ok());
}

#[test]
fn long_pipelines_run_or_hit_the_operator_limit() {
    // Plans are walked recursively: a long chain must neither overflow the stack nor hang.
    let chain = |n: usize| format!("print x = 1{}", " | where x == 1".repeat(n));
    let r = Engine::new()
        .query(&chain(5_000))
        .expect("5,000 operators run");
    assert_eq!(r.num_rows(), 1);
    let e = Engine::new()
        .query(&chain(10_001))
        .expect_err("over the limit");
    assert_eq!(e.kind, kql_core::ErrorKind::Limit, "{e}");
    assert!(e.message.contains("10000 operators"), "{e}");
}

#[test]
fn dynamic_to_json_sorts_bag_keys() {
    gives(
        "print j = dynamic_to_json(dynamic({'b': 1, 'a': {'d': [1, 2], 'c': 'x'}}))",
        json!([{"j": r#"{"a":{"c":"x","d":[1,2]},"b":1}"#}]),
    );
}

#[test]
fn a_running_query_stops_when_cancelled() {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    let flag = Arc::new(AtomicBool::new(false));
    let setter = {
        let flag = Arc::clone(&flag);
        std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(50));
            flag.store(true, Ordering::SeqCst);
        })
    };
    // Far more work than 50 ms in any build: the result only comes back through cancellation.
    let q = "range x from 1 to 10000000 step 1 | extend y = strcat('row', x) | where y has 'none' | count";
    let e = Engine::new()
        .query_with_cancel(q, Some(flag))
        .expect_err("cancelled");
    assert_eq!(e.kind, kql_core::ErrorKind::Cancelled, "{e}");
    setter.join().expect("setter thread");
}
