//! The built-in demo data: loaded when no `--load` is given, so `kql` works with no files.

use crate::session::{Failure, Session};
use std::time::Instant;

/// Security rows in the demo tenant unless `--demo-rows` says otherwise.
pub const DEFAULT_ROWS: usize = 2000;

/// Loads the demo tables (`securityresources`, `resources`, …) into `session`.
///
/// The rows come from kql-datasets' demo tenant (serde_json values) and become tables through
/// `kql_core::io::table_from_json_rows`.
pub fn load_demo(session: &mut Session, rows: usize) -> Result<(), Failure> {
    for (name, json_rows) in demo_rows(rows) {
        let start = Instant::now();
        let table = kql_core::io::table_from_json_rows(&json_rows)
            .map_err(|e| Failure::Usage(format!("cannot build the demo table `{name}`: {e}")))?;
        session.engine.add_table(name, table);
        session.report_load(name, start.elapsed());
    }
    Ok(())
}

/// The demo tenant's rows, table by table.
fn demo_rows(_rows: usize) -> Vec<(&'static str, Vec<serde_json::Value>)> {
    // The kql-datasets demo tenant has not landed yet: no demo rows until it does.
    Vec::new()
}
