//! CSV reader: a header row, then records; RFC 4180 quoting (`"a ""b"""`, newlines in quotes).
//!
//! ARG's standard string columns stay strings and its standard dynamic columns hold JSON text
//! (an empty cell is null; text that is not JSON is kept as a dynamic string). Any other column
//! is `long`, `real` or `bool` when every non-empty cell parses as one (empty cells are nulls),
//! and `string` otherwise. Blank lines are skipped; a record with fewer cells than the header is
//! padded with empty cells, one with more is an error.

use crate::error::Result;
use crate::io::error_at;
use crate::io::rows::{STANDARD_DYNAMIC_COLUMNS, STANDARD_STRING_COLUMNS};
use crate::store::{Column, Field, StrBuilder, Table};
use crate::types::DataType;
use crate::value::Json;
use std::borrow::Cow;
use std::sync::Arc;

/// Splits CSV text into records of cells, borrowing cells that need no unescaping.
struct Records<'a> {
    source: &'a str,
    text: &'a str,
    pos: usize,
}

impl<'a> Records<'a> {
    /// The next record and the offset where it starts, or `None` at the end of the text.
    fn next_record(&mut self) -> Result<Option<(usize, Vec<Cow<'a, str>>)>> {
        let bytes = self.text.as_bytes();
        // Skip blank lines.
        loop {
            if self.pos >= bytes.len() {
                return Ok(None);
            }
            match bytes[self.pos] {
                b'\n' => self.pos += 1,
                b'\r' if bytes.get(self.pos + 1) == Some(&b'\n') => self.pos += 2,
                _ => break,
            }
        }
        let start = self.pos;
        let mut cells = Vec::new();
        loop {
            let cell = if bytes.get(self.pos) == Some(&b'"') {
                self.quoted_cell()?
            } else {
                let from = self.pos;
                while self.pos < bytes.len() && !matches!(bytes[self.pos], b',' | b'\n') {
                    self.pos += 1;
                }
                let cell = &self.text[from..self.pos];
                let at_line_end = bytes.get(self.pos) != Some(&b',');
                Cow::Borrowed(if at_line_end {
                    cell.strip_suffix('\r').unwrap_or(cell)
                } else {
                    cell
                })
            };
            cells.push(cell);
            match bytes.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b'\n') => {
                    self.pos += 1;
                    return Ok(Some((start, cells)));
                }
                None => return Ok(Some((start, cells))),
                Some(_) => {
                    let msg = "expected `,` or the end of the line after a quoted cell";
                    return Err(error_at(self.source, self.text, self.pos, msg));
                }
            }
        }
    }

    /// The quoted cell starting at `self.pos`; leaves `pos` just past its closing quote (and a
    /// `\r` before a line break).
    fn quoted_cell(&mut self) -> Result<Cow<'a, str>> {
        let bytes = self.text.as_bytes();
        let open = self.pos;
        let mut i = open + 1;
        let mut owned: Option<String> = None;
        let mut seg_start = i;
        loop {
            let Some(q) = bytes[i..].iter().position(|&b| b == b'"').map(|p| i + p) else {
                let msg = "unterminated quoted cell (no closing `\"`)";
                return Err(error_at(self.source, self.text, open, msg));
            };
            if bytes.get(q + 1) == Some(&b'"') {
                let s = owned.get_or_insert_with(String::new);
                s.push_str(&self.text[seg_start..=q]);
                i = q + 2;
                seg_start = i;
                continue;
            }
            self.pos = q + 1;
            if bytes.get(self.pos) == Some(&b'\r') && bytes.get(self.pos + 1) == Some(&b'\n') {
                self.pos += 1;
            }
            return Ok(match owned {
                Some(mut s) => {
                    s.push_str(&self.text[seg_start..q]);
                    Cow::Owned(s)
                }
                None => Cow::Borrowed(&self.text[seg_start..q]),
            });
        }
    }
}

/// Reads CSV text with a header row.
pub fn read_csv(source: &str, text: &str) -> Result<Table> {
    let mut records = Records {
        source,
        text,
        pos: 0,
    };
    let Some((_, header)) = records.next_record()? else {
        return Err(error_at(source, text, 0, "expected a CSV header row"));
    };
    let mut names: Vec<String> = Vec::with_capacity(header.len());
    for (i, h) in header.iter().enumerate() {
        let name = if h.is_empty() {
            format!("Column{}", i + 1)
        } else {
            h.to_string()
        };
        if names.contains(&name) {
            let msg = format!("column `{name}` appears twice in the header");
            return Err(error_at(source, text, 0, &msg));
        }
        names.push(name);
    }
    let mut cells: Vec<Vec<Cow<str>>> = vec![Vec::new(); names.len()];
    let mut rows = 0;
    while let Some((start, record)) = records.next_record()? {
        if record.len() > names.len() {
            let msg = format!(
                "this record has {} cells but the header has {}",
                record.len(),
                names.len()
            );
            return Err(error_at(source, text, start, &msg));
        }
        let given = record.len();
        for (column, cell) in cells.iter_mut().zip(record) {
            column.push(cell);
        }
        for column in &mut cells[given..] {
            column.push(Cow::Borrowed(""));
        }
        rows += 1;
    }
    let columns: Vec<Arc<Column>> = names
        .iter()
        .zip(&cells)
        .map(|(name, column)| Arc::new(build_column(name, column)))
        .collect();
    let fields = names
        .into_iter()
        .zip(&columns)
        .map(|(name, c)| Field::new(name, c.data_type()))
        .collect();
    Table::new(fields, columns, rows)
}

/// The column for the cells of column `name`, typed as the module docs say.
fn build_column(name: &str, cells: &[Cow<str>]) -> Column {
    if STANDARD_DYNAMIC_COLUMNS.contains(&name) {
        return Column::Dynamic(cells.iter().map(|c| parse_dynamic(c)).collect());
    }
    let ty = if STANDARD_STRING_COLUMNS.contains(&name) {
        DataType::String
    } else {
        infer_type(cells)
    };
    let non_empty = |c: &Cow<str>| (!c.is_empty()).then_some(());
    match ty {
        DataType::Long => Column::Long(
            cells
                .iter()
                .map(|c| non_empty(c).and_then(|_| c.parse().ok()))
                .collect(),
        ),
        DataType::Real => Column::Real(
            cells
                .iter()
                .map(|c| non_empty(c).and_then(|_| c.parse().ok()))
                .collect(),
        ),
        DataType::Bool => Column::Bool(cells.iter().map(|c| parse_bool(c)).collect()),
        _ => {
            let mut b = StrBuilder::with_capacity(cells.len());
            cells.iter().for_each(|c| b.push(c));
            Column::String(b.finish())
        }
    }
}

/// `long`, `real` or `bool` when every non-empty cell parses as one; `string` otherwise.
fn infer_type(cells: &[Cow<str>]) -> DataType {
    let mut values = cells.iter().filter(|c| !c.is_empty()).peekable();
    if values.peek().is_none() {
        return DataType::String;
    }
    let all = |f: fn(&str) -> bool| cells.iter().filter(|c| !c.is_empty()).all(|c| f(c));
    if all(|c| c.parse::<i64>().is_ok()) {
        DataType::Long
    } else if all(looks_real) {
        DataType::Real
    } else if all(|c| parse_bool(c).is_some()) {
        DataType::Bool
    } else {
        DataType::String
    }
}

/// True for decimal number text (`1.5`, `-2e10`); not `NaN` or `inf`, which stay strings.
fn looks_real(c: &str) -> bool {
    c.bytes().any(|b| b.is_ascii_digit())
        && c.bytes()
            .all(|b| b.is_ascii_digit() || b"+-.eE".contains(&b))
        && c.parse::<f64>().is_ok()
}

fn parse_bool(c: &str) -> Option<bool> {
    if c.eq_ignore_ascii_case("true") {
        Some(true)
    } else if c.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

/// A dynamic cell: empty → null; JSON text → its value; anything else → a dynamic string.
fn parse_dynamic(c: &str) -> Option<Arc<Json>> {
    if c.is_empty() {
        return None;
    }
    match serde_json::from_str::<Json>(c) {
        Ok(Json::Null) => None,
        Ok(j) => Some(Arc::new(j)),
        Err(_) => Some(Arc::new(Json::String(c.to_string()))),
    }
}
