//! JSON row objects → a typed [`Table`], inferring the schema in one pass.
//!
//! Columns appear in order of first appearance across rows. ARG's standard columns have fixed
//! types whatever their values: `id`, `name`, `type`, `tenantId`, `kind`, `location`,
//! `resourceGroup`, `subscriptionId`, `managedBy` are strings; `sku`, `plan`, `properties`,
//! `tags`, `identity`, `zones`, `extendedLocation` are dynamic. Any other column is `bool` when
//! all its non-null values are booleans, `long` when all are integers in the i64 range, `real`
//! when all are numbers, `string` when all are strings, and `dynamic` otherwise (objects,
//! arrays, mixes, or only nulls). A missing key is a null (`""` in string columns).
//!
//! Each value is moved into its column as it arrives: a column starts in the narrowest state
//! that fits and is widened to dynamic (converting what it holds) when a value does not fit.

use crate::error::{Error, ErrorKind, Result};
use crate::io::acc::Acc;
pub(crate) use crate::io::acc::Cell;
use crate::store::tape::TapeBuilder;
use crate::store::{Column, Field, Table};
use crate::value::Json;
use serde_json::Map;
use std::collections::HashMap;
use std::sync::Arc;

/// ARG columns that are always `string`.
pub const STANDARD_STRING_COLUMNS: [&str; 9] = [
    "id",
    "name",
    "type",
    "tenantId",
    "kind",
    "location",
    "resourceGroup",
    "subscriptionId",
    "managedBy",
];

/// ARG columns that are always `dynamic`.
pub const STANDARD_DYNAMIC_COLUMNS: [&str; 7] = [
    "sku",
    "plan",
    "properties",
    "tags",
    "identity",
    "zones",
    "extendedLocation",
];

/// Builds a [`Table`] from JSON row objects, inferring column types as the module docs say.
///
/// ```
/// use kql_core::{io::RowsBuilder, DataType};
/// let mut b = RowsBuilder::new();
/// b.push_json(serde_json::json!({"id": "/a", "n": 1})).unwrap();
/// b.push_json(serde_json::json!({"id": "/b", "n": 2.5, "extra": true})).unwrap();
/// let t = b.finish()?;
/// let types: Vec<DataType> = t.fields().iter().map(|f| f.ty).collect();
/// assert_eq!(types, [DataType::String, DataType::Real, DataType::Bool]);
/// # Ok::<(), kql_core::Error>(())
/// ```
#[derive(Debug, Default)]
pub struct RowsBuilder {
    names: Vec<String>,
    /// Per column: JSON spells its name as itself between quotes (see
    /// [`RowsBuilder::plain_name`]).
    plain: Vec<bool>,
    columns: Vec<Acc>,
    index: HashMap<String, usize>,
    rows: usize,
    /// Cells pushed to the row being built.
    pushed: usize,
    /// Columns that existed when the row being built began.
    row_start_columns: usize,
}

impl RowsBuilder {
    /// An empty builder.
    pub fn new() -> RowsBuilder {
        RowsBuilder::default()
    }

    /// Declares a column up front (so it exists, in this position, even if no row has it).
    pub fn declare(&mut self, name: &str) {
        self.column_index(name);
        self.row_start_columns = self.columns.len();
    }

    /// Rows pushed so far.
    pub fn num_rows(&self) -> usize {
        self.rows
    }

    fn column_index(&mut self, name: &str) -> usize {
        if let Some(&i) = self.index.get(name) {
            return i;
        }
        let i = self.names.len();
        self.names.push(name.to_string());
        self.plain
            .push(crate::store::tape::next_special(name.as_bytes(), 0) == name.len());
        self.columns.push(Acc::for_column(name, self.rows));
        self.index.insert(name.to_string(), i);
        i
    }

    /// Appends one row, moving its values into the columns.
    pub fn push_row(&mut self, row: Map<String, Json>) {
        for (position, (key, value)) in row.into_iter().enumerate() {
            self.push_cell(position, &key, Cell::from_json(value));
        }
        self.end_row();
    }

    /// The column that `key`, the row's `position`-th key, names (added when new).
    pub(crate) fn column_of(&mut self, position: usize, key: &str) -> usize {
        // Rows usually list their keys in the same order: try the same position first.
        if self.names.get(position).is_some_and(|n| n == key) {
            position
        } else {
            self.column_index(key)
        }
    }

    /// The name of column `i` when JSON spells it as itself between quotes (no quote,
    /// backslash or control character), so a reader may match the input against it byte for
    /// byte instead of reading the key.
    pub(crate) fn plain_name(&self, i: usize) -> Option<&str> {
        let name = self.names.get(i)?;
        self.plain.get(i).copied()?.then_some(name.as_str())
    }

    /// Sets the value of `key`, the row's `position`-th key, in the row being built. A key
    /// repeated within a row keeps its first value.
    pub(crate) fn push_cell(&mut self, position: usize, key: &str, cell: Cell<'_>) {
        let i = self.column_of(position, key);
        self.push_cell_at(i, cell);
    }

    /// Sets the value of column `i` in the row being built to its value in the previous row,
    /// when the JSON string at `at` of `bytes` spells that value byte for byte (see
    /// `Acc::push_if_repeated`); returns the offset just past the string.
    pub(crate) fn push_repeated_at(&mut self, i: usize, bytes: &[u8], at: usize) -> Option<usize> {
        let rows = self.rows;
        let end = self
            .columns
            .get_mut(i)
            .filter(|c| c.len() == rows)?
            .push_if_repeated(bytes, at)?;
        self.pushed += 1;
        Some(end)
    }

    /// Sets the value of column `i` in the row being built (a repeated key keeps its first
    /// value).
    pub(crate) fn push_cell_at(&mut self, i: usize, cell: Cell<'_>) {
        if self.columns[i].len() == self.rows {
            self.columns[i].push(cell);
            self.pushed += 1;
        }
    }

    /// Parses the array or object at byte `start` of `s` as the value of column `i` in the row
    /// being built, straight into the column; returns the offset just past the value, or where
    /// it is malformed. A repeated key's value is checked and dropped.
    pub(crate) fn push_raw_at(
        &mut self,
        i: usize,
        s: &str,
        start: usize,
    ) -> std::result::Result<usize, usize> {
        match self.columns.get_mut(i) {
            Some(c) if c.len() == self.rows => {
                let end = c.push_raw(s, start)?;
                self.pushed += 1;
                Ok(end)
            }
            _ => TapeBuilder::new().parse(s, start),
        }
    }

    /// Finishes the row being built: columns it did not mention get a null.
    pub(crate) fn end_row(&mut self) {
        if self.pushed < self.columns.len() {
            for c in &mut self.columns {
                if c.len() == self.rows {
                    c.push(Cell::Null);
                }
            }
        }
        self.pushed = 0;
        self.rows += 1;
        self.row_start_columns = self.columns.len();
    }

    /// Drops what was stored of the row being built (after a malformed row): the cells pushed
    /// so far and the columns that row alone added, so every column keeps the same length.
    /// Readers check a row whole before storing it where rows may be skipped, so this is a
    /// safety net: a column the row widened to `dynamic` stays widened.
    pub(crate) fn abandon_row(&mut self) {
        let rows = self.rows;
        for c in &mut self.columns {
            c.truncate(rows);
        }
        while self.columns.len() > self.row_start_columns {
            self.columns.pop();
            self.plain.pop();
            if let Some(name) = self.names.pop() {
                self.index.remove(&name);
            }
        }
        self.pushed = 0;
    }

    /// Appends a row given as JSON; a value that is not an object is handed back unchanged.
    pub fn push_json(&mut self, row: Json) -> std::result::Result<(), Json> {
        match row {
            Json::Object(map) => {
                self.push_row(map);
                Ok(())
            }
            other => Err(other),
        }
    }

    /// The finished table.
    pub fn finish(self) -> Result<Table> {
        let columns: Vec<Arc<Column>> = self
            .columns
            .into_iter()
            .map(|acc| Arc::new(acc.finish()))
            .collect();
        let fields = self
            .names
            .into_iter()
            .zip(&columns)
            .map(|(name, c)| Field::new(name, c.data_type()))
            .collect();
        Table::new(fields, columns, self.rows)
    }
}

/// Builds a table from rows that may fail to arrive (a reader's errors are passed through).
pub fn read_rows(rows: impl Iterator<Item = Result<Map<String, Json>>>) -> Result<Table> {
    let mut b = RowsBuilder::new();
    for row in rows {
        b.push_row(row?);
    }
    b.finish()
}

/// Builds a table from JSON row objects held in memory (the built-in demo data).
///
/// Returns a data error naming the 1-based position of the first value that is not an object.
pub fn table_from_json_rows(rows: &[Json]) -> Result<Table> {
    let mut b = RowsBuilder::new();
    for (i, row) in rows.iter().enumerate() {
        match row {
            Json::Object(map) => b.push_row(map.clone()),
            other => {
                return Err(Error::new(
                    ErrorKind::Data,
                    format!("row {} is not a JSON object: {}", i + 1, json_kind(other)),
                ))
            }
        }
    }
    b.finish()
}

/// What a JSON value is, for messages: `an array`, `a string`, ….
pub(crate) fn json_kind(j: &Json) -> &'static str {
    match j {
        Json::Null => "null",
        Json::Bool(_) => "a boolean",
        Json::Number(_) => "a number",
        Json::String(_) => "a string",
        Json::Array(_) => "an array",
        Json::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::tests::schema;
    use crate::io::to_json_string;
    use serde_json::json;

    /// Reads one column `v` holding `values` (JSON text of an array); a `"-"` means a missing key.
    fn column_of(values: &str) -> (String, String) {
        let values: Vec<Json> = serde_json::from_str(values).unwrap();
        let rows: Vec<Json> = values
            .into_iter()
            .map(|v| {
                if v == json!("-") {
                    json!({})
                } else {
                    json!({ "v": v })
                }
            })
            .collect();
        let t = table_from_json_rows(&rows).unwrap();
        (schema(&t), to_json_string(&t))
    }

    #[test]
    fn infers_types_of_other_columns() {
        let cases = [
            (
                "[true, null, false]",
                "v:bool",
                r#"[{"v":true},{"v":null},{"v":false}]"#,
            ),
            (
                "[1, null, -2]",
                "v:long",
                r#"[{"v":1},{"v":null},{"v":-2}]"#,
            ),
            ("[1, \"-\", 3]", "v:long", r#"[{"v":1},{"v":null},{"v":3}]"#),
            ("[1, 2.5]", "v:real", r#"[{"v":1.0},{"v":2.5}]"#),
            (
                "[1, 18446744073709551615]",
                "v:real",
                r#"[{"v":1.0},{"v":1.8446744073709552e+19}]"#,
            ),
            (
                "[\"a\", null, \"b\", \"a\"]",
                "v:string",
                r#"[{"v":"a"},{"v":""},{"v":"b"},{"v":"a"}]"#,
            ),
            (
                "[\"a\", null, 1]",
                "v:dynamic",
                r#"[{"v":"a"},{"v":null},{"v":1}]"#,
            ),
            (
                "[null, \"a\", \"-\", 1]",
                "v:dynamic",
                r#"[{"v":null},{"v":"a"},{"v":null},{"v":1}]"#,
            ),
            ("[1, \"a\"]", "v:dynamic", r#"[{"v":1},{"v":"a"}]"#),
            ("[1.5, true]", "v:dynamic", r#"[{"v":1.5},{"v":true}]"#),
            ("[true, \"x\"]", "v:dynamic", r#"[{"v":true},{"v":"x"}]"#),
            ("[null, null]", "v:dynamic", r#"[{"v":null},{"v":null}]"#),
            (
                "[{\"a\": 1}, [1, 2], null]",
                "v:dynamic",
                r#"[{"v":{"a":1}},{"v":[1,2]},{"v":null}]"#,
            ),
            ("[2, {\"a\": 1}]", "v:dynamic", r#"[{"v":2},{"v":{"a":1}}]"#),
        ];
        for (values, ty, out) in cases {
            assert_eq!(
                column_of(values),
                (ty.to_string(), out.to_string()),
                "{values}"
            );
        }
    }

    #[test]
    fn standard_columns_have_fixed_types() {
        let rows = [
            json!({"id": 5, "name": null, "kind": {"a": 1}, "sku": "Standard", "zones": null,
                   "managedBy": true}),
            json!({"tags": {"env": "prod"}, "location": "eastus"}),
        ];
        let t = table_from_json_rows(&rows).unwrap();
        assert_eq!(
            schema(&t),
            "id:string, name:string, kind:string, sku:dynamic, zones:dynamic, managedBy:string, \
             tags:dynamic, location:string"
        );
        assert_eq!(
            to_json_string(&t),
            r#"[{"id":"5","name":"","kind":"{\"a\":1}","sku":"Standard","zones":null,"managedBy":"true","tags":null,"location":""},{"id":"","name":"","kind":"","sku":null,"zones":null,"managedBy":"","tags":{"env":"prod"},"location":"eastus"}]"#
        );
    }

    #[test]
    fn columns_keep_order_of_first_appearance() {
        let rows = [
            json!({"b": 1}),
            json!({"a": "x", "b": 2}),
            json!({"c": true, "a": "y"}),
        ];
        let t = table_from_json_rows(&rows).unwrap();
        assert_eq!(schema(&t), "b:long, a:string, c:bool");
        assert_eq!(
            to_json_string(&t),
            r#"[{"b":1,"a":"","c":null},{"b":2,"a":"x","c":null},{"b":null,"a":"y","c":true}]"#
        );
    }

    #[test]
    fn strings_are_dictionary_encoded() {
        let rows: Vec<Json> = (0..100)
            .map(|i| json!({"type": if i % 2 == 0 { "a" } else { "b" }}))
            .collect();
        let t = table_from_json_rows(&rows).unwrap();
        match &**t.column(0) {
            Column::String(s) => assert_eq!((s.len(), s.dict.len()), (100, 2)),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn non_objects_and_reader_errors_are_reported() {
        let e = table_from_json_rows(&[json!({"a": 1}), json!([1])]).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Data);
        assert_eq!(e.message, "row 2 is not a JSON object: an array");
        let mut b = RowsBuilder::new();
        assert_eq!(b.push_json(json!(3)), Err(json!(3)));
        assert_eq!(b.num_rows(), 0);
        let rows = vec![
            Ok(json!({"a": 1}).as_object().unwrap().clone()),
            Err(Error::new(ErrorKind::Data, "boom")),
        ];
        assert_eq!(read_rows(rows.into_iter()).unwrap_err().message, "boom");
        let ok = vec![Ok(json!({"a": 1}).as_object().unwrap().clone())];
        assert_eq!(schema(&read_rows(ok.into_iter()).unwrap()), "a:long");
    }

    #[test]
    fn an_abandoned_row_leaves_equal_columns_and_no_new_ones() {
        use std::borrow::Cow;
        let mut b = RowsBuilder::new();
        b.declare("id");
        b.push_json(json!({"id": "/a", "n": 1, "s": "x"})).unwrap();
        // Half a row: a value in a known column, a new string in `s`, a new column.
        b.push_cell(0, "id", Cell::Str(Cow::Borrowed("/b")));
        b.push_cell(1, "s", Cell::Str(Cow::Borrowed("new")));
        b.push_cell(2, "extra", Cell::Bool(true));
        b.abandon_row();
        assert_eq!(b.num_rows(), 1);
        b.push_json(json!({"n": 2, "s": "x"})).unwrap();
        let t = b.finish().unwrap();
        assert_eq!(schema(&t), "id:string, n:long, s:string");
        assert_eq!(
            to_json_string(&t),
            r#"[{"id":"/a","n":1,"s":"x"},{"id":"","n":2,"s":"x"}]"#
        );
        // The abandoned string left nothing in the dictionary either.
        match &**t.column(2) {
            Column::String(s) => assert_eq!(s.dict.len(), 1),
            other => panic!("{other:?}"),
        }
        // Abandoning the first row of a builder leaves only declared columns.
        let mut b = RowsBuilder::new();
        b.declare("id");
        b.push_cell(0, "x", Cell::Null);
        b.abandon_row();
        let t = b.finish().unwrap();
        assert_eq!((schema(&t).as_str(), t.num_rows()), ("id:string", 0));
    }

    #[test]
    fn declared_columns_exist_without_values() {
        let mut b = RowsBuilder::new();
        b.declare("id");
        b.declare("x");
        b.push_json(json!({"x": 1.5})).unwrap();
        let t = b.finish().unwrap();
        assert_eq!(schema(&t), "id:string, x:real");
        assert_eq!(to_json_string(&t), r#"[{"id":"","x":1.5}]"#);
    }
}
