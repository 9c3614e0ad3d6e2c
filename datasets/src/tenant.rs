//! Whole tenants in memory, built in parallel: one job per subscription of
//! `securityresources` (by far the largest table) and one per other table, on scoped threads,
//! concatenated in table order.

use crate::config::{TableKind, TenantConfig};
use crate::row::Row;
use crate::stream::{self, Rows};
use serde_json::Value;
use std::ops::Range;

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

/// Builds the tables, converting each row with `convert`: `securityresources` in contiguous
/// groups of subscriptions, one scoped thread per available core; the two small tables on the
/// calling thread meanwhile. (One thread per core rather than per subscription: every thread
/// gets its own allocator arena, and more arenas cost more page faults than they save.)
fn build<T: Send>(config: &TenantConfig, convert: fn(Row) -> T) -> Vec<(TableKind, Vec<T>)> {
    let layout = stream::layout(config);
    let limits = stream::security_rows_per_subscription(&layout);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let groups = partition(&limits, cores);
    std::thread::scope(|scope| {
        let handles: Vec<_> = groups
            .into_iter()
            .map(|subs| {
                let limit = limits[subs.clone()].iter().sum();
                let rows =
                    Rows::subscriptions(layout.clone(), TableKind::SecurityResources, subs, limit);
                scope.spawn(move || rows.map(convert).collect::<Vec<T>>())
            })
            .collect();
        let others: Vec<(TableKind, Vec<T>)> =
            [TableKind::Resources, TableKind::ResourceContainers]
                .into_iter()
                .map(|table| {
                    (
                        table,
                        Rows::new(layout.clone(), table).map(convert).collect(),
                    )
                })
                .collect();
        let mut security = Vec::with_capacity(layout.security_rows);
        for handle in handles {
            security.extend(handle.join().expect("generation does not panic"));
        }
        let mut tables = vec![(TableKind::SecurityResources, security)];
        tables.extend(others);
        tables
    })
}

/// Splits `0..weights.len()` into at most `parts` contiguous, non-empty ranges of about equal
/// total weight.
fn partition(weights: &[usize], parts: usize) -> Vec<Range<usize>> {
    let total: usize = weights.iter().sum();
    let parts = parts.clamp(1, weights.len().max(1));
    let mut ranges = Vec::with_capacity(parts);
    let (mut start, mut acc) = (0, 0);
    for (i, w) in weights.iter().enumerate() {
        acc += w;
        let cut = total * (ranges.len() + 1) / parts;
        if acc >= cut && ranges.len() + 1 < parts && i + 1 < weights.len() {
            ranges.push(start..i + 1);
            start = i + 1;
        }
    }
    if start < weights.len() {
        ranges.push(start..weights.len());
    }
    ranges
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partitions_are_contiguous_and_cover_everything() {
        for (weights, parts) in [
            (vec![5, 5, 5, 5], 2),
            (vec![1, 100, 1], 2),
            (vec![3], 4),
            (vec![], 2),
        ] {
            let ranges = partition(&weights, parts);
            let mut next = 0;
            for r in &ranges {
                assert_eq!(r.start, next);
                assert!(r.end > r.start);
                next = r.end;
            }
            assert_eq!(next, weights.len());
            assert!(ranges.len() <= parts.max(1));
        }
        assert_eq!(partition(&[5, 5, 5, 5], 2), vec![0..2, 2..4]);
    }

    #[test]
    fn parallel_build_equals_the_streams() {
        let config = TenantConfig::new(9, 3_000);
        for (table, rows) in tenant_rows(&config) {
            let mut streamed: Vec<Row> = crate::rows(&config, table).collect();
            streamed.iter_mut().for_each(Row::shrink_to_fit);
            assert_eq!(rows, streamed, "{table}");
        }
    }
}
