//! The built-in demo data: loaded when no `--load` is given, so `kql` works with no files.

use crate::session::{Failure, Session};
use std::time::Instant;

/// Security rows in the demo tenant unless `--demo-rows` says otherwise.
pub const DEFAULT_ROWS: usize = kql_datasets::DEMO_SECURITY_ROWS;

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

/// The demo tables being built on a background thread, so the REPL's prompt comes up at once;
/// the first command that needs data waits for them.
pub struct Pending {
    worker: std::thread::JoinHandle<Result<Vec<BuiltTable>, String>>,
}

/// A demo table: its name, the table, and how long building it took.
type BuiltTable = (&'static str, kql_core::Table, std::time::Duration);

/// Starts building the demo tables in the background.
pub fn spawn(rows: usize) -> Pending {
    let worker = std::thread::spawn(move || {
        demo_rows(rows)
            .into_iter()
            .map(|(name, json_rows)| {
                let start = Instant::now();
                kql_core::io::table_from_json_rows(&json_rows)
                    .map(|t| (name, t, start.elapsed()))
                    .map_err(|e| format!("cannot build the demo table `{name}`: {e}"))
            })
            .collect()
    });
    Pending { worker }
}

impl Pending {
    /// Waits for the tables and adds them to `session`.
    pub fn finish(self, session: &mut Session) -> Result<(), Failure> {
        let tables = self
            .worker
            .join()
            .map_err(|_| Failure::Usage("building the demo data failed".to_string()))?
            .map_err(Failure::Usage)?;
        for (name, table, elapsed) in tables {
            session.engine.add_table(name, table);
            session.report_load(name, elapsed);
        }
        Ok(())
    }
}

/// The demo tenant's rows, table by table, named as ARG spells the table
/// (`SecurityResources`, `Resources`, `ResourceContainers`).
fn demo_rows(rows: usize) -> Vec<(&'static str, Vec<serde_json::Value>)> {
    kql_datasets::demo_tenant(rows)
        .into_iter()
        .map(|(kind, rows)| (arg_spelling(kind.name()), rows))
        .collect()
}

/// The ARG spelling of a table name (`securityresources` → `SecurityResources`).
fn arg_spelling(name: &'static str) -> &'static str {
    kql_core::ARG_TABLES
        .iter()
        .find(|t| t.eq_ignore_ascii_case(name))
        .copied()
        .unwrap_or(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_tables_are_loaded_with_arg_names() {
        let mut session = Session::new(kql_core::Engine::new());
        load_demo(&mut session, 50).unwrap();
        let tables = session.tables(false);
        let names: Vec<&str> = tables.iter().map(|(n, _)| n.as_str()).collect();
        assert!(names.contains(&"SecurityResources"), "{names:?}");
        assert!(names.contains(&"Resources"), "{names:?}");
        let security = tables.iter().find(|(n, _)| n == "SecurityResources");
        assert_eq!(security.map(|t| t.1), Some(50));
    }
}
