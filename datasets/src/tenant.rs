//! Whole tenants in memory, built in parallel: one job per subscription of
//! `securityresources` (by far the largest table) and one per other table, on scoped threads,
//! concatenated in table order.

use crate::config::{TableKind, TenantConfig};
use crate::row::Row;
use crate::stream::{self, Rows};
use serde_json::Value;

/// Every table of the tenant as `serde_json` rows:
/// `[(securityresources, rows), (resources, rows), (resourcecontainers, rows)]`, each in the
/// same order as [`crate::rows`] streams it.
///
/// ```
/// use kql_datasets::{tenant_values, values, TableKind, TenantConfig};
/// let config = TenantConfig::new(5, 800);
/// let tables = tenant_values(&config);
/// let streamed: Vec<_> = values(&config, TableKind::Resources).collect();
/// assert_eq!(tables[1].1, streamed);
/// ```
pub fn tenant_values(config: &TenantConfig) -> Vec<(TableKind, Vec<Value>)> {
    build(config, Row::into_value)
}

/// Every table of the tenant as [`Row`]s (spare capacity released), in table order.
///
/// ```
/// let tables = kql_datasets::tenant_rows(&kql_datasets::TenantConfig::new(5, 800));
/// assert_eq!(tables[0].1.len(), 800);
/// ```
pub fn tenant_rows(config: &TenantConfig) -> Vec<(TableKind, Vec<Row>)> {
    build(config, |mut row| {
        row.shrink_to_fit();
        row
    })
}

/// Builds the tables on scoped threads, converting each row with `convert`.
fn build<T: Send>(config: &TenantConfig, convert: fn(Row) -> T) -> Vec<(TableKind, Vec<T>)> {
    let layout = stream::layout(config);
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
            .map(|h| h.join().expect("generation does not panic"))
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
