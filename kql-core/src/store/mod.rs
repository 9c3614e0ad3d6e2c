//! Columnar in-memory data with no KQL knowledge: columns, dictionary strings, tables, catalog.

pub mod catalog;
pub mod column;
pub mod dict;
pub mod dynamic;
pub mod hash;
pub mod strings;
pub mod table;
pub mod tape;

pub use catalog::Catalog;
pub use column::{Column, ColumnBuilder};
pub use dict::Dict;
pub use dynamic::{DynColumn, JsonStep};
pub use strings::{StrBuilder, StrColumn};
pub use table::{Field, Table};
