//! A table: named columns of equal length.

use crate::store::column::Column;
use crate::types::DataType;
use crate::value::Value;
use std::sync::Arc;

/// A column's name and type.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Field {
    /// The column name (case-sensitive).
    pub name: String,
    /// The column type.
    pub ty: DataType,
}

impl Field {
    /// A field named `name` of type `ty`.
    pub fn new(name: impl Into<String>, ty: DataType) -> Field {
        Field {
            name: name.into(),
            ty,
        }
    }
}

/// Named columns of equal length. Columns are shared (`Arc`), so projecting is cheap.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    fields: Vec<Field>,
    columns: Vec<Arc<Column>>,
    rows: usize,
}

impl Table {
    /// A table from fields and columns; every column must have `rows` rows and its field's type.
    ///
    /// Returns an internal error when they disagree.
    pub fn new(fields: Vec<Field>, columns: Vec<Arc<Column>>, rows: usize) -> crate::Result<Table> {
        if fields.len() != columns.len() {
            return Err(crate::Error::internal(format!(
                "table has {} fields but {} columns",
                fields.len(),
                columns.len()
            )));
        }
        for (f, c) in fields.iter().zip(&columns) {
            if c.len() != rows || c.data_type() != f.ty {
                return Err(crate::Error::internal(format!(
                    "column `{}` has {} rows of {} but the table has {rows} rows of {}",
                    f.name,
                    c.len(),
                    c.data_type(),
                    f.ty
                )));
            }
        }
        Ok(Table {
            fields,
            columns,
            rows,
        })
    }

    /// A table with the given schema and no rows.
    pub fn empty(fields: Vec<Field>) -> Table {
        let columns = fields
            .iter()
            .map(|f| Arc::new(Column::nulls(f.ty, 0)))
            .collect();
        Table {
            fields,
            columns,
            rows: 0,
        }
    }

    /// This table with each of `fields` it lacks (by name) appended as a column of nulls
    /// (`""` for strings).
    pub fn with_missing(mut self, fields: &[Field]) -> Table {
        for f in fields {
            if self.index_of(&f.name).is_none() {
                self.columns.push(Arc::new(Column::nulls(f.ty, self.rows)));
                self.fields.push(f.clone());
            }
        }
        self
    }

    /// The schema.
    pub fn fields(&self) -> &[Field] {
        &self.fields
    }

    /// The columns, in schema order.
    pub fn columns(&self) -> &[Arc<Column>] {
        &self.columns
    }

    /// The column at position `i`.
    pub fn column(&self, i: usize) -> &Arc<Column> {
        &self.columns[i]
    }

    /// Position of the column named `name`.
    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.fields.iter().position(|f| f.name == name)
    }

    /// Number of rows.
    pub fn num_rows(&self) -> usize {
        self.rows
    }

    /// Number of columns.
    pub fn num_columns(&self) -> usize {
        self.fields.len()
    }

    /// The value at (`row`, `column`).
    pub fn value(&self, row: usize, column: usize) -> Value {
        self.columns[column].get(row)
    }

    /// The rows at `indices`, in that order.
    pub fn gather(&self, indices: &[usize]) -> Table {
        Table {
            fields: self.fields.clone(),
            columns: self
                .columns
                .iter()
                .map(|c| Arc::new(c.gather(indices)))
                .collect(),
            rows: indices.len(),
        }
    }

    /// Splits into fields and columns.
    pub fn into_parts(self) -> (Vec<Field>, Vec<Arc<Column>>, usize) {
        (self.fields, self.columns, self.rows)
    }
}
