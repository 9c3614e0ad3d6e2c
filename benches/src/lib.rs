//! Shared set-up of the kql-rs benchmarks: the generated tenant loaded into an [`Engine`], the
//! machine id of the first Defender query, and the queries themselves.
//!
//! The criterion benchmarks live in `benches/benches/` (`cargo bench -p kql-bench`); the
//! side-by-side comparison with DuckDB is `benches/compare.sh`. The data is the generator's demo
//! tenant (seed 42) with [`bench_rows`] security rows: 100,000 by default, or the number in the
//! `KQL_BENCH_ROWS` environment variable (e.g. `KQL_BENCH_ROWS=1000000 cargo bench`).
//!
//! ```no_run
//! let fixture = kql_bench::Fixture::build(1_000);
//! let result = fixture.engine.query("securityresources | count").unwrap();
//! assert_eq!(result.num_rows(), 1);
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

use kql_core::io::table_from_json_rows;
use kql_core::{Engine, Value};
use kql_datasets::demo_tenant;
use std::time::Instant;

/// Security rows used when `KQL_BENCH_ROWS` is not set.
pub const DEFAULT_ROWS: usize = 100_000;

/// The sub-assessment type filtered by both Defender queries.
pub const SUBASSESSMENTS: &str = "microsoft.security/assessments/subassessments";

/// The first Defender for Cloud query from Microsoft's documentation; `{machineId}` is
/// replaced by [`Fixture::machine_id`].
pub const DEFENDER_1: &str = r#"securityresources
| where type == "microsoft.security/assessments/subassessments"
| extend assessmentKey=extract(@"(?i)providers/Microsoft.Security/assessments/([^/]*)", 1, id)
| where assessmentKey == '1f655fb7-63ca-4980-91a3-56dbc2b715c6' or assessmentKey == '8c3d9ad0-3639-4686-9cd2-2b2ab2609bda'
| parse-where id with machineId:string '/providers/Microsoft.Security/' *
| where machineId == '{machineId}'"#;

/// The second Defender for Cloud query from Microsoft's documentation.
pub const DEFENDER_2: &str = r#"securityresources
| where type == "microsoft.security/assessments/subassessments"
| extend assessmentKey=extract(@"(?i)providers/Microsoft.Security/assessments/([^/]*)", 1, id)
| where assessmentKey == '1f655fb7-63ca-4980-91a3-56dbc2b715c6' or assessmentKey == '8c3d9ad0-3639-4686-9cd2-2b2ab2609bda'
| parse-where id with * '/subassessments/' subAssessmentId:string
| parse-where id with machineId:string '/providers/Microsoft.Security/' *
| extend status = tostring(properties.status.code)
| summarize count() by subAssessmentId, status"#;

/// Picks the machine with the most sub-assessments of the two assessment keys.
const MACHINE_QUERY: &str = r#"securityresources
| where type == "microsoft.security/assessments/subassessments"
| extend assessmentKey=extract(@"(?i)providers/Microsoft.Security/assessments/([^/]*)", 1, id)
| where assessmentKey == '1f655fb7-63ca-4980-91a3-56dbc2b715c6' or assessmentKey == '8c3d9ad0-3639-4686-9cd2-2b2ab2609bda'
| parse-where id with machineId:string '/providers/Microsoft.Security/' *
| summarize n = count() by machineId
| top 1 by n desc"#;

/// The number of security rows to generate: `KQL_BENCH_ROWS`, else [`DEFAULT_ROWS`].
/// Underscores are allowed (`1_000_000`).
pub fn bench_rows() -> usize {
    std::env::var("KQL_BENCH_ROWS")
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(DEFAULT_ROWS)
}

/// An engine holding the demo tenant's tables, built once per benchmark binary.
pub struct Fixture {
    /// The engine, with `securityresources`, `resources` and `resourcecontainers` loaded.
    pub engine: Engine,
    /// Security rows in the tenant.
    pub rows: usize,
    /// A machine id (as `parse-where` cuts it from sub-assessment ids) for the first Defender
    /// query: the one with the most sub-assessments of its two assessment keys.
    pub machine_id: String,
    /// The `id` of the first security row (for exact-match benchmarks).
    pub sample_id: String,
}

impl Fixture {
    /// Generates the demo tenant with `rows` security rows and loads it, printing the time the
    /// set-up took to stderr (so a run's log says what it waited for).
    pub fn build(rows: usize) -> Fixture {
        let start = Instant::now();
        let mut engine = Engine::new();
        for (kind, json_rows) in demo_tenant(rows) {
            let table = table_from_json_rows(&json_rows)
                .unwrap_or_else(|e| panic!("{} does not load: {e}", kind.name()));
            engine.add_table(kind.name(), table);
        }
        let first_string = |query: &str| {
            engine
                .query(query)
                .ok()
                .and_then(|r| r.rows().next())
                .and_then(|row| match row.into_iter().next() {
                    Some(Value::String(s)) => Some(s.to_string()),
                    _ => None,
                })
                .unwrap_or_default()
        };
        let machine_id = first_string(MACHINE_QUERY);
        let sample_id = first_string("securityresources | take 1 | project id");
        eprintln!(
            "kql-bench: {rows} security rows built and loaded in {:.1} s; machineId {machine_id}",
            start.elapsed().as_secs_f64()
        );
        Fixture {
            engine,
            rows,
            machine_id,
            sample_id,
        }
    }

    /// The first Defender query with `{machineId}` replaced.
    pub fn defender_1(&self) -> String {
        DEFENDER_1.replace("{machineId}", &self.machine_id)
    }

    /// The result of `query` as JSON, cut to `max` characters (for `KQL_BENCH_SHOW`).
    pub fn show(&self, query: &str, max: usize) -> String {
        match self.engine.query(query) {
            Ok(result) => result.to_json().chars().take(max).collect(),
            Err(e) => e.render(query),
        }
    }

    /// Runs `query`, returning the number of result rows; panics with a caret report when the
    /// query fails (a benchmark of an error would measure nothing useful).
    pub fn run(&self, query: &str) -> usize {
        match self.engine.query(query) {
            Ok(result) => result.num_rows(),
            Err(e) => panic!("benchmark query failed:\n{}", e.render(query)),
        }
    }
}
