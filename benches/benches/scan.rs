//! Criterion benchmarks of whole queries over the generated tenant held in memory: filters on
//! dictionary and high-cardinality string columns, regex extraction, `parse-where`, dynamic
//! paths, `summarize`, `join`, and the two Defender for Cloud queries end to end.
//!
//! `cargo bench -p kql-bench --bench scan` (100,000 security rows); with
//! `KQL_BENCH_ROWS=1000000` for a million. Each benchmark runs `Engine::query` (parse, analyze,
//! execute) and counts the result rows; nothing is asserted. `KQL_BENCH_SHOW=1` prints each
//! query's result (cut short) before measuring.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use kql_bench::{bench_rows, Fixture, DEFENDER_2};
use std::time::Duration;

/// `(group, name, query)` of every benchmark, given the fixture (for the ids it picked).
fn queries(f: &Fixture) -> Vec<(&'static str, &'static str, String)> {
    let sr = "securityresources";
    let sub = kql_bench::SUBASSESSMENTS;
    let key = "1f655fb7-63ca-4980-91a3-56dbc2b715c6";
    let upper_id = f.sample_id.to_uppercase();
    // The subscription prefix of the first row: `/subscriptions/` and 8 hex digits.
    let prefix: String = f.sample_id.chars().take(23).collect();
    vec![
        // Dictionary-encoded columns.
        ("filter_dict", "type_eq", format!(r#"{sr} | where type == "{sub}" | count"#)),
        (
            "filter_dict",
            "type_in",
            format!(r#"{sr} | where type in ("{sub}", "microsoft.security/assessments") | count"#),
        ),
        ("filter_dict", "location_eq", format!("{sr} | where location == 'global' | count")),
        (
            "filter_dict",
            "location_in",
            format!("{sr} | where location in ('centralus', 'westeurope') | count"),
        ),
        // The high-cardinality `id`.
        ("filter_id", "has", format!("{sr} | where id has 'virtualMachines' | count")),
        ("filter_id", "contains", format!("{sr} | where id contains 'vm-check' | count")),
        (
            "filter_id",
            "startswith",
            format!("{sr} | where id startswith '{prefix}' | count"),
        ),
        ("filter_id", "eq_tilde", format!("{sr} | where id =~ '{upper_id}' | count")),
        // Regex extraction and simple-mode parse.
        (
            "regex_parse",
            "extract",
            format!(
                r#"{sr} | extend k = extract(@"(?i)providers/Microsoft.Security/assessments/([^/]*)", 1, id) | where k == '{key}' | count"#
            ),
        ),
        (
            "regex_parse",
            "parse_where_prefix",
            format!("{sr} | parse-where id with machineId:string '/providers/Microsoft.Security/' * | count"),
        ),
        (
            "regex_parse",
            "parse_where_suffix",
            format!("{sr} | parse-where id with * '/subassessments/' subAssessmentId:string | count"),
        ),
        // Dynamic paths.
        (
            "dynamic",
            "path_eq",
            format!("{sr} | where properties.status.code == 'Unhealthy' | count"),
        ),
        (
            "dynamic",
            "tostring_eq",
            format!("{sr} | where tostring(properties.status.code) == 'Unhealthy' | count"),
        ),
        (
            "dynamic",
            "extend_tostring",
            format!("{sr} | extend status = tostring(properties.status.code) | count"),
        ),
        // Aggregation.
        ("summarize", "by_type", format!("{sr} | summarize count() by type")),
        ("summarize", "by_type_location", format!("{sr} | summarize count() by type, location")),
        (
            "summarize",
            "by_status_code",
            format!("{sr} | summarize count() by tostring(properties.status.code)"),
        ),
        // Join of sub-assessments to their machines.
        (
            "join",
            "subassessments_to_vms",
            format!(
                r#"{sr}
| where type == "{sub}"
| parse-where id with machineId:string '/providers/Microsoft.Security/' *
| extend machineId = tolower(machineId)
| join kind=inner (resources
    | where type == 'microsoft.compute/virtualmachines'
    | project machineId = tolower(id), vmLocation = location) on machineId
| count"#
            ),
        ),
        // The two Defender for Cloud queries, verbatim.
        ("defender", "query_1", f.defender_1()),
        ("defender", "query_2", DEFENDER_2.to_string()),
    ]
}

fn scan(c: &mut Criterion) {
    let fixture = Fixture::build(bench_rows());
    let all = queries(&fixture);
    if std::env::var_os("KQL_BENCH_SHOW").is_some() {
        for (group, name, query) in &all {
            eprintln!("{group}/{name}: {}", fixture.show(query, 160));
        }
    }
    let mut groups: Vec<&str> = all.iter().map(|(g, _, _)| *g).collect();
    groups.dedup();
    for group_name in groups {
        let mut group = c.benchmark_group(group_name);
        group
            .sample_size(10)
            .warm_up_time(Duration::from_millis(500))
            .measurement_time(Duration::from_secs(3))
            .throughput(Throughput::Elements(fixture.rows as u64));
        for (_, name, query) in all.iter().filter(|(g, _, _)| *g == group_name) {
            group.bench_with_input(BenchmarkId::new(*name, fixture.rows), query, |b, q| {
                b.iter(|| fixture.run(q))
            });
        }
        group.finish();
    }
}

criterion_group!(benches, scan);
criterion_main!(benches);
