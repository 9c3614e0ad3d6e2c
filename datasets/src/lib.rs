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

//!
//! How it is built, stage by stage:
//! - `layout`: the tenant's shape from the seed (subscriptions, groups, resource `i` and its
//!   kind); sized so that `securityresources` has exactly [`TenantConfig::security_rows`] rows.
//! - `security::plan`: which security rows a resource gets (statuses, findings), a pure
//!   function of `(seed, i)`, recomputed for counting, roll-ups and emission.
//! - `security`, `resources`: rows as [`Row`]s (a [`Json`] tree per dynamic column), from the
//!   static catalogues in `catalog` (recommendations, baseline rules, CVEs, ...).
//! - `stream`: the [`Rows`] iterator, one subscription or resource at a time.
//! - `write`: the export formats, written by hand into a buffer.

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
mod tenant;
mod write;

pub use config::{TableKind, TenantConfig, DEFAULT_NOW};
pub use json::{Json, Obj, Text};
pub use rng::Rng;
pub use row::{Row, COLUMNS};
pub use stream::Rows;
pub use tenant::{tenant_rows, tenant_values};
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
/// Built in parallel by [`tenant_values`].
///
/// ```
/// let tables = kql_datasets::demo_tenant(500);
/// let names: Vec<&str> = tables.iter().map(|(t, _)| t.name()).collect();
/// assert_eq!(names, ["securityresources", "resources", "resourcecontainers"]);
/// ```
pub fn demo_tenant(security_rows: usize) -> Vec<(TableKind, Vec<Value>)> {
    tenant_values(&demo_config(security_rows))
}

/// The demo tenant as [`Row`]s: a quarter to a fifth of the cost of [`demo_tenant`] (see
/// README.md), for a loader that reads the string columns directly and converts only the
/// dynamic ones.
///
/// ```
/// let tables = kql_datasets::demo_rows(500);
/// assert_eq!(tables[0].1.len(), 500);
/// assert_eq!(tables[0].1, kql_datasets::rows(&kql_datasets::TenantConfig::new(42, 500), tables[0].0).collect::<Vec<_>>());
/// ```
pub fn demo_rows(security_rows: usize) -> Vec<(TableKind, Vec<Row>)> {
    tenant_rows(&demo_config(security_rows))
}

/// The configuration of the demo tenant: seed 42, `security_rows` security rows, default "now"
/// (set `now` on it and call [`tenant_values`] for data relative to another date).
///
/// ```
/// let c = kql_datasets::demo_config(1_000);
/// assert_eq!((c.seed, c.security_rows), (42, 1_000));
/// ```
pub fn demo_config(security_rows: usize) -> TenantConfig {
    TenantConfig::new(42, security_rows)
}
