//! `query`: the fuzz input drives the well-typed query generator of
//! `kql-core/tests/gen/mod.rs` (shared with the property tests); the query runs over a small
//! table of edge values (string, long, real, datetime, timespan, dynamic and bool columns).
//!
//! Must end in `Ok` or `Err` (never an internal error, a panic or a hang), and when `Ok`,
//! `query | count` must count its rows.
#![no_main]

#[path = "../../kql-core/tests/gen/mod.rs"]
mod gen;

use kql_core::{Engine, ErrorKind, Value};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(gen::engine)
}

fuzz_target!(|data: &[u8]| {
    let query = gen::Gen::new(data).query();
    match engine().query(&query) {
        Ok(result) => {
            let counted = engine()
                .query(&format!("{query}\n| count"))
                .unwrap_or_else(|e| panic!("{query}\n| count failed: {e}"));
            let rows: Vec<Vec<Value>> = counted.rows().collect();
            assert_eq!(
                rows,
                vec![vec![Value::Long(result.num_rows() as i64)]],
                "{query}"
            );
        }
        Err(e) => assert_ne!(e.kind, ErrorKind::Internal, "{query}\n→ {e}"),
    }
});
