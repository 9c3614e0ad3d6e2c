//! Streaming row iterators: one subscription head, then one resource, at a time.
//!
//! Memory is bounded by the rows of one unit (a subscription's own rows, or one resource's
//! rows: at most a few hundred), whatever the size of the tenant.

use crate::config::{TableKind, TenantConfig};
use crate::layout::Layout;
use crate::row::Row;
use crate::{resources, security};

/// Iterator over the rows of one table of a tenant, in a fixed order. Made by [`crate::rows`].
#[derive(Debug)]
pub struct Rows {
    layout: Layout,
    table: TableKind,
    sub: usize,
    next_resource: Option<usize>,
    buffer: std::vec::IntoIter<Row>,
    remaining: usize,
}

impl Rows {
    /// The rows of `table` for an already computed layout.
    pub(crate) fn new(layout: Layout, table: TableKind) -> Self {
        let remaining = match table {
            TableKind::SecurityResources => layout.security_rows,
            _ => usize::MAX,
        };
        Rows {
            layout,
            table,
            sub: 0,
            next_resource: None,
            buffer: Vec::new().into_iter(),
            remaining,
        }
    }

    /// Builds the next unit of rows; false when the table is exhausted.
    fn refill(&mut self) -> bool {
        let mut out = Vec::with_capacity(64);
        while out.is_empty() {
            if self.sub >= self.layout.subscription_count() {
                return false;
            }
            self.next_unit(&mut out);
        }
        self.buffer = out.into_iter();
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
            if let Some(row) = self.buffer.next() {
                self.remaining -= 1;
                return Some(row);
            }
            if !self.refill() {
                return None;
            }
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
    fn security_rows_are_exact() {
        for n in [1, 50, 333, 2_000] {
            let layout = Layout::new(&TenantConfig::new(2, n));
            assert_eq!(Rows::new(layout, TableKind::SecurityResources).count(), n);
        }
    }
}
