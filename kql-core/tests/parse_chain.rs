//! Consecutive `parse` / `parse-where` operators over the same column run in one pass
//! (`exec::parse::parse_chain`) and must give what running them one after another gives.
//! Expected results are worked out by hand from the ids below.

mod ids;

use ids::gives;
use serde_json::json;

#[test]
fn a_row_is_dropped_by_the_first_parse_where_it_fails() {
    gives(
        "| parse-where id with * '/subassessments/' sub \
         | parse-where id with m '/providers/Microsoft.Security/' * \
         | project sub, m",
        json!([
            {"sub": "r1", "m": "/s/1"},
            {"sub": "r3", "m": "/s/3"}
        ]),
    );
    gives(
        "| parse-where id with '/s/' n:long '/' * \
         | parse-where id with * '/assessments/' a '/' * \
         | parse-where id with * 'sessments/' b \
         | summarize count()",
        // Row 4 has no assessments; row 5 has `subAssessments`, but `sessments/` is in
        // `/assessments/` too, so b takes everything after the first one.
        json!([{"count_": 4}]),
    );
}

#[test]
fn plain_parse_keeps_failing_rows_with_empty_captures() {
    gives(
        "| parse id with '/s/' n:long '/' * \
         | parse-where id with * '/assessments/' a '/' * \
         | parse id with * '/subassessments/' sub \
         | project n, a, sub",
        json!([
            {"n": 1, "a": "k1", "sub": "r1"},
            {"n": 2, "a": "K1", "sub": "r2"},
            {"n": 3, "a": "k2", "sub": "r3"},
            {"n": 5, "a": "k3", "sub": ""}
        ]),
    );
}

#[test]
fn a_parse_that_replaces_the_column_feeds_the_next_one() {
    gives(
        "| parse-where id with '/s/' * '/providers/' id \
         | parse-where id with 'Microsoft.' p '/' * \
         | project p",
        json!([{"p": "Security"}, {"p": "Security"}, {"p": "Compute"}, {"p": "Security"}]),
    );
}

#[test]
fn typed_captures_fail_the_row_in_their_own_step() {
    gives(
        "| parse-where id with * '/subassessments/' sub \
         | parse-where id with '/s/' n:long '/providers/' p:long '/' * \
         | project sub",
        // `p` is never a number: every row fails the second step.
        json!([]),
    );
    gives(
        "| parse-where id with * '/subassessments/' sub \
         | parse kind=relaxed id with '/s/' n:long '/providers/' p:long '/' * \
         | project sub, n, p",
        json!([
            {"sub": "r1", "n": 1, "p": null},
            {"sub": "r2", "n": 2, "p": null},
            {"sub": "r3", "n": 3, "p": null}
        ]),
    );
}
