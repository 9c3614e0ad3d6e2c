//! Helpers shared by the end-to-end tests and the runners over `../shared`.

use kql_core::functions::datetime::parse_datetime;
use kql_core::io::value_to_output_json;
use kql_core::{DataType, QueryResult};
use serde_json::Value as Json;
use std::path::PathBuf;

/// The shared folder beside the project (`../shared`), when present.
pub fn shared_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared");
    dir.is_dir().then_some(dir)
}

/// Ids listed in a ratchet file (one per line, `#` comments and text after the id ignored).
pub fn read_ratchet(name: &str) -> Vec<String> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("ratchet")
        .join(name);
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|id| !id.starts_with('#'))
        .map(str::to_string)
        .collect()
}

/// The result as rows of JSON cells.
pub fn result_rows(r: &QueryResult) -> Vec<Vec<Json>> {
    r.rows()
        .map(|row| row.iter().map(value_to_output_json).collect())
        .collect()
}

/// Compares an expected cell (as the shared files write it) with an actual one, for a column
/// of type `ty`. `sets` compares arrays as sets (make_set, bag_keys).
pub fn cells_equal(expected: &Json, actual: &Json, ty: DataType, sets: bool) -> bool {
    match (expected, actual) {
        // An empty cell in a non-string column means null.
        (Json::String(s), Json::Null) if s.is_empty() && ty != DataType::String => true,
        (Json::Number(a), Json::Number(b)) => numbers_equal(a.as_f64(), b.as_f64()),
        (Json::String(a), Json::String(b)) if ty == DataType::DateTime => {
            parse_datetime(a).is_some() && parse_datetime(a) == parse_datetime(b)
        }
        (Json::String(a), Json::String(b)) if ty == DataType::Real => a == b,
        (Json::String(a), Json::Number(b)) if ty == DataType::Real => {
            numbers_equal(a.parse().ok(), b.as_f64())
        }
        (Json::Array(a), Json::Array(b)) if sets => {
            a.len() == b.len()
                && a.iter()
                    .all(|x| b.iter().any(|y| cells_equal(x, y, DataType::Dynamic, true)))
        }
        (Json::Array(a), Json::Array(b)) => {
            a.len() == b.len()
                && a.iter()
                    .zip(b)
                    .all(|(x, y)| cells_equal(x, y, DataType::Dynamic, sets))
        }
        (Json::Object(a), Json::Object(b)) => {
            a.len() == b.len()
                && a.iter().all(|(k, x)| {
                    b.get(k)
                        .is_some_and(|y| cells_equal(x, y, DataType::Dynamic, sets))
                })
        }
        (a, b) => a == b,
    }
}

fn numbers_equal(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a == b || (a - b).abs() <= 1e-9 * a.abs().max(b.abs()),
        _ => false,
    }
}

/// Security rows of the demo tenant the tests use (the REPL's default is 20,000).
pub const DEMO_SECURITY_ROWS: usize = 2_000;

/// An engine with every ARG table and a small demo tenant (2,000 security rows and the
/// resources and containers they refer to) from the kql-datasets generator.
pub fn demo_engine() -> kql_core::Engine {
    let mut engine = kql_core::Engine::new();
    for (kind, rows) in kql_datasets::demo_tenant(DEMO_SECURITY_ROWS) {
        let table = kql_core::io::table_from_json_rows(&rows).expect("demo rows load");
        engine.add_table(kind.name(), table);
    }
    engine
}
