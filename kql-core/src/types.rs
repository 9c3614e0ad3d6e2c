//! Kusto scalar data types: the closed set every column and expression has.

use std::fmt;

/// A Kusto scalar type.
///
/// `int` and `long` are both stored as 64-bit integers; `decimal` is stored as a real
/// (kql-rs does not implement 128-bit decimal arithmetic yet, see README).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DataType {
    /// `bool` (alias `boolean`).
    Bool,
    /// `int`: 32-bit signed integer.
    Int,
    /// `long`: 64-bit signed integer; the type of integer literals.
    Long,
    /// `real` (alias `double`): IEEE-754 64-bit.
    Real,
    /// `decimal`, stored as a real.
    Decimal,
    /// `string`: never null, a missing string is `""`.
    String,
    /// `datetime` (alias `date`): UTC, 100 ns ticks since 0001-01-01.
    DateTime,
    /// `timespan` (alias `time`): 100 ns ticks.
    TimeSpan,
    /// `guid` (aliases `uuid`, `uniqueid`).
    Guid,
    /// `dynamic`: null, a primitive, an array or a property bag.
    Dynamic,
}

impl DataType {
    /// Parses a type name as written in KQL (`long`, `int64`, `double`, `date`, …).
    ///
    /// ```
    /// use kql_core::DataType;
    /// assert_eq!(DataType::from_name("double"), Some(DataType::Real));
    /// assert_eq!(DataType::from_name("nosuch"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<DataType> {
        Some(match name {
            "bool" | "boolean" => DataType::Bool,
            "int" | "int32" => DataType::Int,
            "long" | "int64" => DataType::Long,
            "real" | "double" => DataType::Real,
            "decimal" => DataType::Decimal,
            "string" => DataType::String,
            "datetime" | "date" => DataType::DateTime,
            "timespan" | "time" => DataType::TimeSpan,
            "guid" | "uuid" | "uniqueid" => DataType::Guid,
            "dynamic" => DataType::Dynamic,
            _ => return None,
        })
    }

    /// The canonical KQL name of the type, as `getschema` prints it.
    pub fn name(self) -> &'static str {
        match self {
            DataType::Bool => "bool",
            DataType::Int => "int",
            DataType::Long => "long",
            DataType::Real => "real",
            DataType::Decimal => "decimal",
            DataType::String => "string",
            DataType::DateTime => "datetime",
            DataType::TimeSpan => "timespan",
            DataType::Guid => "guid",
            DataType::Dynamic => "dynamic",
        }
    }

    /// True for int, long, real and decimal.
    pub fn is_numeric(self) -> bool {
        matches!(
            self,
            DataType::Int | DataType::Long | DataType::Real | DataType::Decimal
        )
    }

    /// True for int and long.
    pub fn is_integer(self) -> bool {
        matches!(self, DataType::Int | DataType::Long)
    }
}

impl fmt::Display for DataType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
