//! kql-core: parse, analyze and run Kusto Query Language, as Azure Resource Graph speaks it,
//! over an in-memory columnar store.
//!
//! ```
//! let mut engine = kql_core::Engine::new();
//! engine.load_str("securityresources", "inline.json",
//!     r#"[{"type": "microsoft.security/assessments", "properties": {"status": {"code": "Healthy"}}},
//!         {"type": "microsoft.security/assessments", "properties": {"status": {"code": "Unhealthy"}}}]"#)?;
//! let result = engine.query(
//!     "securityresources | where properties.status.code == 'Unhealthy' | count")?;
//! assert_eq!(result.to_json(), r#"[{"Count":1}]"#);
//! # Ok::<(), kql_core::Error>(())
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod analyze;
pub mod decimal;
pub mod diagnostic;
mod engine;
pub mod error;
pub mod exec;
pub mod functions;
pub mod io;
pub mod limits;
pub mod lint;
pub mod plan;
pub mod search;
pub mod store;
pub mod strict;
pub mod syntax;
#[cfg(test)]
mod test_rng;
pub mod types;
pub mod value;

pub use engine::{arg_fields, Engine, Options, QueryResult, ARG_TABLES};
pub use error::{Error, ErrorKind, Result, Span};
pub use limits::Limits;
pub use store::{Catalog, Column, Field, Table};
pub use types::DataType;
pub use value::Value;
