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
    rows(config, table).map(|r| r.to_value())
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
///
/// ```
/// let tables = kql_datasets::demo_tenant(500);
/// let names: Vec<&str> = tables.iter().map(|(t, _)| t.name()).collect();
/// assert_eq!(names, ["securityresources", "resources", "resourcecontainers"]);
/// ```
pub fn demo_tenant(security_rows: usize) -> Vec<(TableKind, Vec<Value>)> {
    let config = TenantConfig::new(42, security_rows);
    let layout = stream::layout(&config);
    std::thread::scope(|scope| {
        let handles: Vec<_> = TableKind::ALL
            .into_iter()
            .map(|table| {
                let layout = layout.clone();
                scope.spawn(move || {
                    let rows: Vec<Value> = Rows::new(layout, table).map(|r| r.to_value()).collect();
                    (table, rows)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("demo generation does not panic"))
            .collect()
    })
}
