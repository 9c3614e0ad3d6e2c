//! One scalar value: literals, scalar results, and cells handed to users.

use crate::types::DataType;
use std::sync::Arc;

/// A dynamic value: JSON with insertion-ordered bags.
pub type Json = serde_json::Value;

/// One KQL scalar. `Null` is a null of whatever type the context gives it; strings are never null.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A null of any non-string type.
    Null,
    /// `bool`.
    Bool(bool),
    /// `int`.
    Int(i32),
    /// `long`.
    Long(i64),
    /// `real`.
    Real(f64),
    /// `decimal`, exact.
    Decimal(crate::decimal::Decimal),
    /// `string`.
    String(Arc<str>),
    /// `datetime`: 100 ns ticks since 0001-01-01.
    DateTime(i64),
    /// `timespan`: 100 ns ticks.
    TimeSpan(i64),
    /// `guid`.
    Guid(u128),
    /// A non-null `dynamic`.
    Dynamic(Arc<Json>),
}

impl Value {
    /// True for `Value::Null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// The type this value naturally has (`None` for null).
    pub fn data_type(&self) -> Option<DataType> {
        Some(match self {
            Value::Null => return None,
            Value::Bool(_) => DataType::Bool,
            Value::Int(_) => DataType::Int,
            Value::Long(_) => DataType::Long,
            Value::Real(_) => DataType::Real,
            Value::Decimal(_) => DataType::Decimal,
            Value::String(_) => DataType::String,
            Value::DateTime(_) => DataType::DateTime,
            Value::TimeSpan(_) => DataType::TimeSpan,
            Value::Guid(_) => DataType::Guid,
            Value::Dynamic(_) => DataType::Dynamic,
        })
    }

    /// A string value.
    pub fn string(s: impl AsRef<str>) -> Value {
        Value::String(Arc::from(s.as_ref()))
    }

    /// A dynamic value; JSON `null` becomes `Value::Null`.
    pub fn dynamic(json: Json) -> Value {
        if json.is_null() {
            Value::Null
        } else {
            Value::Dynamic(Arc::new(json))
        }
    }
}
