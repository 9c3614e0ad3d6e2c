//! Typed columns: one vector per type, nulls as `None` (strings are never null).

use crate::store::dynamic::DynColumn;
use crate::store::strings::{StrBuilder, StrColumn};
use crate::types::DataType;
use crate::value::{Json, Value};
use std::sync::Arc;

/// A column of one type.
///
/// Nullable types store `Option<T>`; `String` has no null (a missing string is `""`); `Dynamic`
/// stores `None` for null and shares each value behind an `Arc` so gathers copy pointers only.
#[derive(Debug, Clone, PartialEq)]
pub enum Column {
    /// `bool`.
    Bool(Vec<Option<bool>>),
    /// `int`.
    Int(Vec<Option<i32>>),
    /// `long`.
    Long(Vec<Option<i64>>),
    /// `real`.
    Real(Vec<Option<f64>>),
    /// `decimal`, exact.
    Decimal(Vec<Option<crate::decimal::Decimal>>),
    /// `string`, dictionary-encoded.
    String(StrColumn),
    /// `datetime`, ticks.
    DateTime(Vec<Option<i64>>),
    /// `timespan`, ticks.
    TimeSpan(Vec<Option<i64>>),
    /// `guid`.
    Guid(Vec<Option<u128>>),
    /// `dynamic`.
    Dynamic(DynColumn),
}

/// Applies the same expression to the vector inside every variant.
macro_rules! each_variant {
    ($col:expr, $v:ident => $body:expr) => {
        match $col {
            Column::Bool($v) => $body,
            Column::Int($v) => $body,
            Column::Long($v) => $body,
            Column::Real($v) => $body,
            Column::Decimal($v) => $body,
            Column::String($v) => $body,
            Column::DateTime($v) => $body,
            Column::TimeSpan($v) => $body,
            Column::Guid($v) => $body,
            Column::Dynamic($v) => $body,
        }
    };
}

/// Rebuilds a column of the same variant: `$body` for typed vectors, `$sbody` for strings.
macro_rules! map_variant {
    ($col:expr, $v:ident => $body:expr, $s:ident => $sbody:expr, $d:ident => $dbody:expr) => {
        match $col {
            Column::Bool($v) => Column::Bool($body),
            Column::Int($v) => Column::Int($body),
            Column::Long($v) => Column::Long($body),
            Column::Real($v) => Column::Real($body),
            Column::Decimal($v) => Column::Decimal($body),
            Column::String($s) => Column::String($sbody),
            Column::DateTime($v) => Column::DateTime($body),
            Column::TimeSpan($v) => Column::TimeSpan($body),
            Column::Guid($v) => Column::Guid($body),
            Column::Dynamic($d) => Column::Dynamic($dbody),
        }
    };
}

impl Column {
    /// Number of rows.
    pub fn len(&self) -> usize {
        each_variant!(self, v => v.len())
    }

    /// True when the column has no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The column's type.
    pub fn data_type(&self) -> DataType {
        match self {
            Column::Bool(_) => DataType::Bool,
            Column::Int(_) => DataType::Int,
            Column::Long(_) => DataType::Long,
            Column::Real(_) => DataType::Real,
            Column::Decimal(_) => DataType::Decimal,
            Column::String(_) => DataType::String,
            Column::DateTime(_) => DataType::DateTime,
            Column::TimeSpan(_) => DataType::TimeSpan,
            Column::Guid(_) => DataType::Guid,
            Column::Dynamic(_) => DataType::Dynamic,
        }
    }

    /// The value at `row`.
    pub fn get(&self, row: usize) -> Value {
        match self {
            Column::Bool(v) => v[row].map_or(Value::Null, Value::Bool),
            Column::Int(v) => v[row].map_or(Value::Null, Value::Int),
            Column::Long(v) => v[row].map_or(Value::Null, Value::Long),
            Column::Real(v) => v[row].map_or(Value::Null, Value::Real),
            Column::Decimal(v) => v[row].map_or(Value::Null, Value::Decimal),
            Column::String(v) => Value::string(v.get(row)),
            Column::DateTime(v) => v[row].map_or(Value::Null, Value::DateTime),
            Column::TimeSpan(v) => v[row].map_or(Value::Null, Value::TimeSpan),
            Column::Guid(v) => v[row].map_or(Value::Null, Value::Guid),
            Column::Dynamic(v) => v.get(row).map_or(Value::Null, Value::Dynamic),
        }
    }

    /// True when the value at `row` is null (never for strings).
    pub fn is_null(&self, row: usize) -> bool {
        match self {
            Column::Bool(v) => v[row].is_none(),
            Column::Int(v) => v[row].is_none(),
            Column::Long(v) | Column::DateTime(v) | Column::TimeSpan(v) => v[row].is_none(),
            Column::Real(v) => v[row].is_none(),
            Column::Decimal(v) => v[row].is_none(),
            Column::String(_) => false,
            Column::Guid(v) => v[row].is_none(),
            Column::Dynamic(v) => v.is_null(row),
        }
    }

    /// The rows at `indices`, in that order (indices may repeat).
    // One body serves `Copy` cells and `Arc` cells alike, hence `clone` on `Copy` types.
    #[allow(clippy::clone_on_copy)]
    pub fn gather(&self, indices: &[usize]) -> Column {
        map_variant!(self,
            v => indices.iter().map(|&i| v[i].clone()).collect(),
            s => s.gather(indices),
            d => d.gather(indices))
    }

    /// The rows at `indices`, where `None` produces a null (`""` for strings): outer joins.
    #[allow(clippy::clone_on_copy)]
    pub fn gather_optional(&self, indices: &[Option<usize>]) -> Column {
        map_variant!(self,
            v => indices.iter().map(|ix| ix.and_then(|i| v[i].clone())).collect(),
            s => {
                let mut b = StrBuilder::with_capacity(indices.len());
                for ix in indices {
                    b.push(ix.map_or("", |i| s.get(i)));
                }
                b.finish()
            },
            d => d.gather_optional(indices))
    }

    /// A column of `len` nulls of type `ty` (`""` for strings).
    pub fn nulls(ty: DataType, len: usize) -> Column {
        let mut b = ColumnBuilder::new(ty, len);
        for _ in 0..len {
            b.push_null();
        }
        b.finish()
    }

    /// A column of `len` copies of `value`, typed `ty` (the value is converted if needed).
    pub fn repeat(value: &Value, ty: DataType, len: usize) -> Column {
        if let (DataType::String, Value::String(s)) = (ty, value) {
            return Column::String(StrColumn::repeat(s, len));
        }
        let mut b = ColumnBuilder::new(ty, len);
        for _ in 0..len {
            b.push(value);
        }
        b.finish()
    }

    /// Concatenates columns of the same type.
    pub fn concat(ty: DataType, parts: &[&Column]) -> Column {
        let total = parts.iter().map(|c| c.len()).sum();
        let mut b = ColumnBuilder::new(ty, total);
        for part in parts {
            if let Column::String(s) = part {
                // Text straight from the dictionary, without a value per row.
                s.iter().for_each(|text| b.push_str(text));
                continue;
            }
            for row in 0..part.len() {
                b.push(&part.get(row));
            }
        }
        b.finish()
    }
}

/// Builds a column of a given type from values, converting where the type requires it.
#[derive(Debug)]
pub struct ColumnBuilder {
    inner: Column,
    strings: Option<StrBuilder>,
    dynamics: Option<Vec<Option<Arc<Json>>>>,
}

impl ColumnBuilder {
    /// A builder for a column of type `ty` with room for `capacity` rows.
    pub fn new(ty: DataType, capacity: usize) -> ColumnBuilder {
        let inner = match ty {
            DataType::Bool => Column::Bool(Vec::with_capacity(capacity)),
            DataType::Int => Column::Int(Vec::with_capacity(capacity)),
            DataType::Long => Column::Long(Vec::with_capacity(capacity)),
            DataType::Real => Column::Real(Vec::with_capacity(capacity)),
            DataType::Decimal => Column::Decimal(Vec::with_capacity(capacity)),
            DataType::String => Column::String(StrColumn {
                codes: Vec::new(),
                dict: Arc::default(),
            }),
            DataType::DateTime => Column::DateTime(Vec::with_capacity(capacity)),
            DataType::TimeSpan => Column::TimeSpan(Vec::with_capacity(capacity)),
            DataType::Guid => Column::Guid(Vec::with_capacity(capacity)),
            DataType::Dynamic => Column::Dynamic(DynColumn::new(Vec::new())),
        };
        let strings = (ty == DataType::String).then(|| StrBuilder::with_capacity(capacity));
        let dynamics = (ty == DataType::Dynamic).then(|| Vec::with_capacity(capacity));
        ColumnBuilder {
            inner,
            strings,
            dynamics,
        }
    }

    /// Appends a null (`""` for strings).
    pub fn push_null(&mut self) {
        if let Some(s) = &mut self.strings {
            s.push("");
            return;
        }
        match &mut self.inner {
            Column::Bool(v) => v.push(None),
            Column::Int(v) => v.push(None),
            Column::Long(v) | Column::DateTime(v) | Column::TimeSpan(v) => v.push(None),
            Column::Real(v) => v.push(None),
            Column::Decimal(v) => v.push(None),
            Column::Guid(v) => v.push(None),
            Column::Dynamic(_) => {
                if let Some(d) = &mut self.dynamics {
                    d.push(None);
                }
            }
            Column::String(_) => {}
        }
    }

    /// Appends `value`, converted to the column's type with KQL's `to<type>()` rules when it
    /// has another type (a failed conversion appends null).
    pub fn push(&mut self, value: &Value) {
        if let Some(s) = &mut self.strings {
            match value {
                Value::String(text) => s.push(text),
                other => s.push(&crate::functions::conversion::to_string(other)),
            }
            return;
        }
        let ty = self.inner.data_type();
        let converted;
        let value = if value.data_type() == Some(ty) || value.is_null() {
            value
        } else {
            converted = crate::functions::conversion::convert(value, ty);
            &converted
        };
        match (&mut self.inner, value) {
            (_, Value::Null) => self.push_null(),
            (Column::Bool(v), Value::Bool(b)) => v.push(Some(*b)),
            (Column::Int(v), Value::Int(i)) => v.push(Some(*i)),
            (Column::Long(v), Value::Long(i)) => v.push(Some(*i)),
            (Column::Real(v), Value::Real(r)) => v.push(Some(*r)),
            (Column::Decimal(v), Value::Decimal(d)) => v.push(Some(*d)),
            (Column::DateTime(v), Value::DateTime(t)) => v.push(Some(*t)),
            (Column::TimeSpan(v), Value::TimeSpan(t)) => v.push(Some(*t)),
            (Column::Guid(v), Value::Guid(g)) => v.push(Some(*g)),
            (Column::Dynamic(_), Value::Dynamic(d)) => {
                if let Some(cells) = &mut self.dynamics {
                    cells.push(Some(Arc::clone(d)));
                }
            }
            _ => self.push_null(),
        }
    }

    /// Appends a string (converted when the column is not a string column).
    pub fn push_str(&mut self, text: &str) {
        match &mut self.strings {
            Some(s) => s.push(text),
            None => self.push(&Value::string(text)),
        }
    }

    /// Rows pushed so far.
    pub fn len(&self) -> usize {
        match (&self.strings, &self.dynamics) {
            (Some(s), _) => s.len(),
            (_, Some(d)) => d.len(),
            _ => self.inner.len(),
        }
    }

    /// True when nothing was pushed.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The finished column.
    pub fn finish(self) -> Column {
        match (self.strings, self.dynamics) {
            (Some(s), _) => Column::String(s.finish()),
            (_, Some(d)) => Column::Dynamic(DynColumn::new(d)),
            _ => self.inner,
        }
    }
}
