//! Filters on computed columns and unread `parse` captures: the plan moves a filter below the
//! projection that computes what it tests (`plan::pushdown`), tests `extract(…)` against
//! literals without building the column (`exec::extract_filter`), and builds no column for a
//! capture nobody reads. Every expected result here is worked out by hand from the ids below.

mod ids;

use serde_json::{json, Value as Json};

/// Each id's assessment key, extracted as the Defender queries do.
const EXTEND_KEY: &str =
    "| extend k = extract(@\"(?i)providers/Microsoft.Security/assessments/([^/]*)\", 1, id)\n";

/// Checks `query` over the ids with their key `k`.
fn gives(query: &str, expected: Json) {
    ids::gives(&format!("{EXTEND_KEY}{query}"), expected);
}

/// The ids of rows 1..=5 by number, as [`ids::IDS`] lists them.
fn ids(rows: &[usize]) -> Json {
    let all = [
        "/s/1/providers/Microsoft.Security/assessments/k1/subassessments/r1",
        "/s/2/providers/microsoft.security/assessments/K1/subassessments/r2",
        "/s/3/providers/Microsoft.Security/assessments/k2/subassessments/r3",
        "/s/4/providers/Microsoft.Compute/virtualMachines/vm",
        "/s/5/providers/Microsoft.Security/assessments/k3/subAssessments/r5",
    ];
    Json::Array(rows.iter().map(|&r| json!({ "id": all[r - 1] })).collect())
}

#[test]
fn the_defender_shape_keeps_the_keyed_rows() {
    gives(
        "| where k == 'k1' or k == 'k2' \
         | parse-where id with * '/subassessments/' sub:string \
         | parse-where id with machine:string '/providers/Microsoft.Security/' * \
         | summarize count() by sub",
        json!([{"sub": "r1", "count_": 1}, {"sub": "r3", "count_": 1}]),
    );
    gives(
        "| where k == 'k1' or k == 'k2' | count",
        json!([{"Count": 2}]),
    );
    gives("| where k in ('k3', 'k1') | project id", ids(&[1, 5]));
}

#[test]
fn the_tested_column_is_still_there_when_read_above() {
    gives(
        "| where k == 'k1' or k == 'k2' | project k",
        json!([{"k": "k1"}, {"k": "k2"}]),
    );
    gives(
        "| where k == 'k3' | extend n = strlen(k) | project id, n",
        json!([{"id": "/s/5/providers/Microsoft.Security/assessments/k3/subAssessments/r5", "n": 2}]),
    );
}

#[test]
fn a_row_without_a_match_has_the_empty_key() {
    gives("| where k == '' | project id", ids(&[4]));
    gives("| where k == 'k1' or k == '' | project id", ids(&[1, 4]));
    gives("| where k == 'nosuch' | project id", json!([]));
}

#[test]
fn equality_is_case_sensitive_and_tilde_is_not() {
    gives("| where k == 'K1' | project id", ids(&[2]));
    gives("| where k == 'k1' | project id", ids(&[1]));
    gives("| where k =~ 'k1' | project id", ids(&[1, 2]));
    gives("| where k in~ ('K1', 'K2') | project id", ids(&[1, 2, 3]));
}

#[test]
fn or_with_something_else_than_a_literal_keeps_its_meaning() {
    gives(
        "| extend j = 'k2' | where k == 'k1' or k == j | project id",
        ids(&[1, 3]),
    );
    gives(
        "| where k == 'k1' or id endswith '/vm' | project id",
        ids(&[1, 4]),
    );
    gives(
        "| where k == 'k2' and id contains 'subassessments' | project id",
        ids(&[3]),
    );
    gives(
        "| where k == 'k1' or k == strcat('k', '3') | project id",
        ids(&[1, 5]),
    );
}

#[test]
fn row_numbers_are_counted_before_the_filter() {
    gives(
        "| serialize | extend n = row_number() | where k == 'k2' or k == 'k3' | project n",
        json!([{"n": 3}, {"n": 5}]),
    );
}

#[test]
fn unread_parse_captures_still_decide_which_rows_match() {
    // `m` is never read; only rows 1, 3 and 5 hold the provider segment with this casing.
    gives(
        "| parse-where id with m:string '/providers/Microsoft.Security/' * | project id",
        ids(&[1, 3, 5]),
    );
    // `n` is typed and unread: `ab` does not convert to long, so that row fails to match (and
    // under plain `parse` its string captures are empty: strings are never null).
    let typed = "| take 0 | union (datatable(s:string)['n=12;x', 'n=ab;x'])";
    gives(
        &format!("{typed} | parse-where s with 'n=' n:long ';' rest | project s, rest"),
        json!([{"s": "n=12;x", "rest": "x"}]),
    );
    gives(
        &format!("{typed} | parse s with 'n=' n:long ';' rest | project rest"),
        json!([{"rest": "x"}, {"rest": ""}]),
    );
    // A read capture after an unread one lands in the right column.
    gives(
        "| parse-where id with '/s/' n:long '/providers/' p '/' * | project p, n",
        json!([
            {"p": "Microsoft.Security", "n": 1},
            {"p": "microsoft.security", "n": 2},
            {"p": "Microsoft.Security", "n": 3},
            {"p": "Microsoft.Compute", "n": 4},
            {"p": "Microsoft.Security", "n": 5}
        ]),
    );
    gives(
        "| parse-where id with '/s/' n:long '/providers/' p '/' * | project p | take 1",
        json!([{"p": "Microsoft.Security"}]),
    );
}

#[test]
fn repeated_ids_give_the_same_rows_as_distinct_ones() {
    // Each id twice (mv-expand shares the dictionary): the key test and the patterns then run
    // once per distinct id instead of in one pass over the rows.
    ids::gives(
        r#"| extend r = range(1, 2, 1) | mv-expand r
    | extend k = extract(@"(?i)providers/Microsoft.Security/assessments/([^/]*)", 1, id)
    | where k == 'k1' or k == 'k2'
    | parse-where id with * '/subassessments/' sub:string
    | summarize count() by sub"#,
        json!([{"sub": "r1", "count_": 2}, {"sub": "r3", "count_": 2}]),
    );
}
