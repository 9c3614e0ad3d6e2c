//! Language features added for the corpus and the documentation cases: named call arguments,
//! `parse_version`, `parse_xml`, `evaluate bag_unpack`, the sketch aggregates. Expected results
//! are worked by hand from the rules cited at each test.

use kql_core::Engine;
use serde_json::{json, Value as Json};

const A: &str = r#"let A = datatable(name:string, sev:string, score:long, props:dynamic) [
    "vm1", "High", 5, dynamic({"status":{"code":"Unhealthy"},"tags":["a","b"]}),
    "vm2", "low", long(null), dynamic({"status":{"code":"Healthy"},"tags":[]}),
    "vm3", "Low", 3, dynamic({"status":{"code":"Unhealthy"}})
];
"#;

fn run(query: &str) -> Json {
    let text = format!("{A}{query}");
    let result = Engine::new()
        .query(&text)
        .unwrap_or_else(|e| panic!("{}", e.render(&text)));
    serde_json::from_str(&result.to_json()).unwrap_or_else(|e| panic!("{e}"))
}

/// Asserts that `query` over `A` gives exactly `expected` (rows in order).
fn gives(query: &str, expected: Json) {
    assert_eq!(run(query), expected, "query: {query}");
}

// Kusto's grammar lets a call's arguments be named expressions, `f(Name = expr)`; the value is
// passed by position and the name names what the call produces where the function takes its
// name from an argument. Real ARG queries (Defender for Cloud's pricing workbooks) rely on it.
#[test]
fn named_arguments_pass_their_value() {
    gives(
        "A | take 1 | project b = pack(name, level = sev)",
        json!([{"b": {"vm1": "High"}}]),
    );
    gives(
        "A | summarize n = dcount(S = tolower(sev))",
        json!([{"n": 2}]),
    );
    // `=` outside a call's argument list still reads as `==` (ARG leniency).
    gives(
        "A | where score = 3 | project name",
        json!([{"name": "vm3"}]),
    );
    // …and `==`/`=~` inside a call are comparisons.
    gives(
        "A | project x = iff(sev =~ 'low', 1, 0)",
        json!([{"x": 0}, {"x": 1}, {"x": 1}]),
    );
}

#[test]
fn named_arguments_name_arg_max_columns() {
    gives(
        "A | summarize arg_max(score, Top = toupper(name), ['Sev level'] = sev)",
        json!([{"score": 5, "Top": "VM1", "Sev level": "High"}]),
    );
    // A function named after its first argument takes a named argument's name.
    gives(
        "A | summarize tostring(L = make_list(score))",
        json!([{"L": "[5,3]"}]),
    );
}
