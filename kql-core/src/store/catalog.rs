//! The catalog: named tables. Lookup is case-insensitive, as ARG resolves table names.

use crate::store::table::Table;
use indexmap::IndexMap;
use std::sync::Arc;

/// Named tables. Names keep the spelling they were registered with; lookups ignore ASCII case.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    tables: IndexMap<String, (String, Arc<Table>)>,
}

impl Catalog {
    /// An empty catalog.
    pub fn new() -> Catalog {
        Catalog::default()
    }

    /// Adds or replaces the table `name`.
    pub fn insert(&mut self, name: &str, table: Table) {
        self.tables.insert(
            name.to_ascii_lowercase(),
            (name.to_string(), Arc::new(table)),
        );
    }

    /// The table named `name`, ignoring ASCII case.
    pub fn get(&self, name: &str) -> Option<&Arc<Table>> {
        self.tables.get(&name.to_ascii_lowercase()).map(|(_, t)| t)
    }

    /// Removes the table `name`; true when it existed.
    pub fn remove(&mut self, name: &str) -> bool {
        self.tables
            .shift_remove(&name.to_ascii_lowercase())
            .is_some()
    }

    /// The registered names and tables, in insertion order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Arc<Table>)> {
        self.tables.values().map(|(n, t)| (n.as_str(), t))
    }

    /// The registered names.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.tables.values().map(|(n, _)| n.as_str())
    }
}
