//! kql-datasets: a deterministic, streaming generator of Azure Resource Graph (ARG) data.
//!
//! It builds a whole tenant from a seed: subscriptions and resource groups
//! (`resourcecontainers`), machines and services (`resources`), and Defender for Cloud rows
//! about them (`securityresources`): assessments, sub-assessments (OS-baseline rules, Docker
//! CIS checks, vulnerabilities), secure scores, pricings, regulatory compliance, alerts,
//! governance assignments and software inventories. Every row has the 16 ARG columns in ARG's
//! order and casing, and the tables refer to each other consistently.
//!
//! ```
//! use kql_datasets::{rows, write, OutputFormat, TableKind, TenantConfig};
//!
//! let config = TenantConfig::new(42, 1_000);
//! // Stream rows (constant memory, same rows for the same seed)...
//! let first = rows(&config, TableKind::SecurityResources).next().unwrap();
//! assert!(first.type_.starts_with("microsoft.security/"));
//! // ...or write a table in one of the export formats.
//! let mut out = Vec::new();
//! let n = write(&config, TableKind::SecurityResources, OutputFormat::Ndjson, &mut out).unwrap();
//! assert_eq!(n, 1_000);
//! assert_eq!(out.iter().filter(|&&b| b == b'\n').count(), 1_000);
//! ```
//!
//! The built-in demo tenant, as `serde_json` values:
//!
//! ```
//! let tables = kql_datasets::demo_tenant(2_000);
//! assert_eq!(tables[0].0.name(), "securityresources");
//! assert_eq!(tables[0].1.len(), 2_000);
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod catalog;
pub mod clock;
mod config;
mod json;
mod layout;
mod resources;
mod rng;
mod row;
pub mod samples;
mod security;
mod stream;
mod write;

pub use config::{TableKind, TenantConfig, DEFAULT_NOW};
pub use json::{Json, Obj, Text};
pub use rng::Rng;
pub use row::{Row, COLUMNS};
pub use stream::Rows;
pub use write::OutputFormat;

use serde_json::Value;

/// The default size of the demo tenant's `securityresources` table.
pub const DEMO_SECURITY_ROWS: usize = 20_000;

/// The assessment key of the Linux OS-baseline recommendation.
pub const LINUX_BASELINE_KEY: &str = catalog::assessments::LINUX_BASELINE;

/// The assessment key of the Windows OS-baseline recommendation.
pub const WINDOWS_BASELINE_KEY: &str = catalog::assessments::WINDOWS_BASELINE;

/// Streams the rows of `table`, in a fixed order, deterministic for `config`.
///
/// ```
/// use kql_datasets::{rows, TableKind, TenantConfig};
/// let config = TenantConfig::small(1);
/// let a: Vec<_> = rows(&config, TableKind::Resources).take(5).collect();
/// let b: Vec<_> = rows(&config, TableKind::Resources).take(5).collect();
/// assert_eq!(a, b);
/// ```
pub fn rows(config: &TenantConfig, table: TableKind) -> Rows {
    Rows::new(stream::layout(config), table)
}

/// Streams the rows of `table` as `serde_json` objects with the 16 columns in order.
///
/// ```
/// use kql_datasets::{values, TableKind, TenantConfig};
/// let row = values(&TenantConfig::small(1), TableKind::SecurityResources).next().unwrap();
/// assert_eq!(row.as_object().unwrap().keys().next().unwrap(), "id");
/// ```
pub fn values(config: &TenantConfig, table: TableKind) -> impl Iterator<Item = Value> {
    rows(config, table).map(Row::into_value)
}

/// The exact number of rows of `table`, computed without building them.
///
/// ```
/// use kql_datasets::{row_count, TableKind, TenantConfig};
/// let config = TenantConfig::new(3, 750);
/// assert_eq!(row_count(&config, TableKind::SecurityResources), 750);
/// ```
pub fn row_count(config: &TenantConfig, table: TableKind) -> u64 {
    stream::row_count(&stream::layout(config), table)
}

/// Writes `table` to `out` in `format`, streaming; returns the number of rows written.
///
/// ```
/// use kql_datasets::{write, OutputFormat, TableKind, TenantConfig};
/// let mut out = Vec::new();
/// let n = write(&TenantConfig::small(1), TableKind::ResourceContainers, OutputFormat::AzCli, &mut out).unwrap();
/// let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
/// assert_eq!(v["count"], n);
/// assert_eq!(v["data"].as_array().unwrap().len() as u64, n);
/// ```
pub fn write(
    config: &TenantConfig,
    table: TableKind,
    format: OutputFormat,
    out: &mut impl std::io::Write,
) -> std::io::Result<u64> {
    let layout = stream::layout(config);
    let total = match format {
        OutputFormat::ArgResponse | OutputFormat::AzCli => stream::row_count(&layout, table),
        _ => 0,
    };
    write::write_rows(Rows::new(layout, table), total, format, out)
}

/// The built-in demo tenant (seed 42) with `security_rows` security rows, plus the resources
/// and containers they refer to, as `serde_json` rows: `[(securityresources, rows),
/// (resources, rows), (resourcecontainers, rows)]`. [`DEMO_SECURITY_ROWS`] is the usual size.
/// Built on scoped threads (one per subscription of `securityresources`).
///
/// ```
/// let tables = kql_datasets::demo_tenant(500);
/// let names: Vec<&str> = tables.iter().map(|(t, _)| t.name()).collect();
/// assert_eq!(names, ["securityresources", "resources", "resourcecontainers"]);
/// ```
pub fn demo_tenant(security_rows: usize) -> Vec<(TableKind, Vec<Value>)> {
    demo_tables(security_rows, Row::into_value)
}

/// The demo tenant as [`Row`]s: cheaper than [`demo_tenant`] (about half the time) for a
/// loader that reads the string columns directly and converts only the dynamic ones.
///
/// ```
/// let tables = kql_datasets::demo_rows(500);
/// assert_eq!(tables[0].1.len(), 500);
/// assert_eq!(tables[0].1, kql_datasets::rows(&kql_datasets::TenantConfig::new(42, 500), tables[0].0).collect::<Vec<_>>());
/// ```
pub fn demo_rows(security_rows: usize) -> Vec<(TableKind, Vec<Row>)> {
    demo_tables(security_rows, |mut row| {
        row.shrink_to_fit();
        row
    })
}

/// Builds the demo tables on scoped threads, converting each row with `convert`.
fn demo_tables<T: Send>(security_rows: usize, convert: fn(Row) -> T) -> Vec<(TableKind, Vec<T>)> {
    let layout = stream::layout(&TenantConfig::new(42, security_rows));
    // One job per subscription of `securityresources` (by far the largest table), one per
    // other table; jobs run on scoped threads and are concatenated in order.
    let mut jobs: Vec<(TableKind, Rows)> = stream::security_rows_per_subscription(&layout)
        .into_iter()
        .enumerate()
        .map(|(s, limit)| {
            let rows = Rows::subscriptions(
                layout.clone(),
                TableKind::SecurityResources,
                s..s + 1,
                limit,
            );
            (TableKind::SecurityResources, rows)
        })
        .collect();
    for table in [TableKind::Resources, TableKind::ResourceContainers] {
        jobs.push((table, Rows::new(layout.clone(), table)));
    }
    let parts: Vec<(TableKind, Vec<T>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = jobs
            .into_iter()
            .map(|(table, rows)| scope.spawn(move || (table, rows.map(convert).collect())))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("demo generation does not panic"))
            .collect()
    });
    let mut tables: Vec<(TableKind, Vec<T>)> =
        TableKind::ALL.iter().map(|t| (*t, Vec::new())).collect();
    for (table, rows) in parts {
        let slot = tables
            .iter_mut()
            .find(|(t, _)| *t == table)
            .expect("known table");
        if slot.1.is_empty() {
            slot.1 = rows;
        } else {
            slot.1.extend(rows);
        }
    }
    tables
}
