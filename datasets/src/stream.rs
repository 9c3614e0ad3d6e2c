//! Streaming row iterators: one subscription head, then one resource, at a time.
//!
//! Memory is bounded by the rows of one unit (a subscription's own rows, or one resource's
//! rows: at most a few hundred), whatever the size of the tenant.

use crate::config::{TableKind, TenantConfig};
use crate::layout::Layout;
use crate::row::Row;
use crate::{resources, security};
use std::ops::Range;

/// Iterator over the rows of one table of a tenant, in a fixed order. Made by [`crate::rows`].
#[derive(Debug)]
pub struct Rows {
    layout: Layout,
    table: TableKind,
    sub: usize,
    sub_end: usize,
    next_resource: Option<usize>,
    /// The current unit's rows, reversed so that `pop` yields them in order; its capacity is
    /// reused from unit to unit.
    buffer: Vec<Row>,
    remaining: usize,
}

impl Rows {
    /// The rows of `table` for an already computed layout.
    pub(crate) fn new(layout: Layout, table: TableKind) -> Self {
        let remaining = match table {
            TableKind::SecurityResources => layout.security_rows,
            _ => usize::MAX,
        };
        let subs = 0..layout.subscription_count();
        Rows::subscriptions(layout, table, subs, remaining)
    }

    /// The rows of `table` that belong to the subscriptions `subs`, at most `limit` of them.
    pub(crate) fn subscriptions(
        layout: Layout,
        table: TableKind,
        subs: Range<usize>,
        limit: usize,
    ) -> Self {
        Rows {
            layout,
            table,
            sub: subs.start,
            sub_end: subs.end,
            next_resource: None,
            buffer: Vec::with_capacity(128),
            remaining: limit,
        }
    }

    /// Builds the next unit of rows; false when the table is exhausted.
    fn refill(&mut self) -> bool {
        let mut out = std::mem::take(&mut self.buffer);
        while out.is_empty() {
            if self.sub >= self.sub_end {
                return false;
            }
            self.next_unit(&mut out);
        }
        out.reverse();
        self.buffer = out;
        true
    }

    fn next_unit(&mut self, out: &mut Vec<Row>) {
        let (layout, s) = (&self.layout, self.sub);
        let Some(i) = self.next_resource else {
            match self.table {
                TableKind::SecurityResources => security::subscription_rows(layout, s, out),
                TableKind::Resources => resources::subscription_rows(layout, s, out),
                TableKind::ResourceContainers => resources::container_rows(layout, s, out),
            }
            self.next_resource = Some(layout.resources_of(s).start);
            if self.table == TableKind::ResourceContainers {
                self.next_subscription();
            }
            return;
        };
        if i >= layout.resources_of(s).end {
            self.next_subscription();
            return;
        }
        match self.table {
            TableKind::SecurityResources => security::resource_rows(layout, i, out),
            _ => resources::resource_rows(layout, i, out),
        }
        self.next_resource = Some(i + 1);
    }

    fn next_subscription(&mut self) {
        self.sub += 1;
        self.next_resource = None;
    }
}

impl Iterator for Rows {
    type Item = Row;

    fn next(&mut self) -> Option<Row> {
        if self.remaining == 0 {
            return None;
        }
        loop {
            if let Some(row) = self.buffer.pop() {
                self.remaining -= 1;
                return Some(row);
            }
            if !self.refill() {
                return None;
            }
        }
    }

    /// Exact for `securityresources` (its row count is fixed by the layout).
    fn size_hint(&self) -> (usize, Option<usize>) {
        match self.table {
            TableKind::SecurityResources => (self.remaining, Some(self.remaining)),
            _ => (self.buffer.len(), None),
        }
    }
}

/// Exact number of rows of `table`, computed without building rows.
pub fn row_count(layout: &Layout, table: TableKind) -> u64 {
    let subs = 0..layout.subscription_count();
    let count: usize = match table {
        TableKind::SecurityResources => layout.security_rows,
        TableKind::ResourceContainers => subs
            .map(|s| resources::container_row_count(layout, s))
            .sum(),
        TableKind::Resources => {
            let heads: usize = subs
                .map(|s| resources::subscription_row_count(layout, s))
                .sum();
            let bodies: usize = (0..layout.resource_count())
                .map(|i| resources::resource_row_count(layout, i))
                .sum();
            heads + bodies
        }
    };
    count as u64
}

/// The `securityresources` rows of each subscription, in order, capped so that they add up
/// to the table's exact size.
pub fn security_rows_per_subscription(layout: &Layout) -> Vec<usize> {
    let mut remaining = layout.security_rows;
    (0..layout.subscription_count())
        .map(|s| {
            let own = security::subscription_row_count(layout, s);
            let body: usize = layout
                .resources_of(s)
                .map(|i| security::resource_row_count(layout, i, layout.kind(i)))
                .sum();
            let take = (own + body).min(remaining);
            remaining -= take;
            take
        })
        .collect()
}

/// The layout of `config` (sized by its security rows).
pub fn layout(config: &TenantConfig) -> Layout {
    Layout::new(config)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_match_the_streams() {
        let layout = Layout::new(&TenantConfig::new(11, 1_500));
        for table in TableKind::ALL {
            let streamed = Rows::new(layout.clone(), table).count() as u64;
            assert_eq!(streamed, row_count(&layout, table), "{table}");
        }
    }

    #[test]
    fn per_subscription_streams_concatenate_to_the_table() {
        let layout = Layout::new(&TenantConfig::new(4, 5_000));
        let whole: Vec<Row> = Rows::new(layout.clone(), TableKind::SecurityResources).collect();
        let mut parts = Vec::new();
        for (s, limit) in security_rows_per_subscription(&layout)
            .into_iter()
            .enumerate()
        {
            let rows = Rows::subscriptions(
                layout.clone(),
                TableKind::SecurityResources,
                s..s + 1,
                limit,
            );
            parts.extend(rows);
        }
        assert_eq!(whole, parts);
    }

    #[test]
    fn an_explicit_subscription_count_is_kept() {
        let config = TenantConfig {
            subscriptions: Some(7),
            ..TenantConfig::new(3, 2_000)
        };
        let layout = Layout::new(&config);
        assert_eq!(layout.subscription_count(), 7);
        let subs = Rows::new(layout.clone(), TableKind::ResourceContainers)
            .filter(|r| r.type_ == "microsoft.resources/subscriptions")
            .count();
        assert_eq!(subs, 7);
        assert_eq!(
            Rows::new(layout, TableKind::SecurityResources).count(),
            2_000
        );
    }

    #[test]
    fn security_rows_are_exact() {
        for n in [1, 50, 333, 2_000] {
            let layout = Layout::new(&TenantConfig::new(2, n));
            let rows = Rows::new(layout, TableKind::SecurityResources);
            assert_eq!(rows.size_hint(), (n, Some(n)));
            assert_eq!(rows.count(), n);
        }
    }
}
