//! The small sample files committed in `datasets/samples/`, rendered in memory.
//!
//! `cargo run -p kql-datasets --example samples` writes them; a test checks that the
//! committed files are byte-identical to what the generator produces now.

use crate::{write, OutputFormat, TableKind, TenantConfig};

/// The configuration of the samples: seed 42, 500 security rows.
///
/// ```
/// assert_eq!(kql_datasets::samples::config().seed, 42);
/// ```
pub fn config() -> TenantConfig {
    TenantConfig::new(42, 500)
}

/// Every sample file: `(file name, bytes)`. `securityresources` in every format, the other
/// tables as NDJSON.
///
/// ```
/// let files = kql_datasets::samples::render();
/// assert!(files.iter().any(|(name, _)| name == "securityresources.csv"));
/// ```
pub fn render() -> Vec<(String, Vec<u8>)> {
    let config = config();
    let mut files = Vec::new();
    for format in OutputFormat::ALL {
        files.push(render_one(&config, TableKind::SecurityResources, format));
    }
    for table in [TableKind::Resources, TableKind::ResourceContainers] {
        files.push(render_one(&config, table, OutputFormat::Ndjson));
    }
    files
}

fn render_one(config: &TenantConfig, table: TableKind, format: OutputFormat) -> (String, Vec<u8>) {
    let mut bytes = Vec::new();
    write(config, table, format, &mut bytes).expect("writing to memory cannot fail");
    (format!("{}.{}", table.name(), format.extension()), bytes)
}
