//! Writers: a [`Table`] as JSON, NDJSON, CSV or a Markdown table (DESIGN.md §5).
//!
//! Cell rendering is shared: longs and reals are JSON numbers (NaN and the infinities are the
//! strings `"NaN"`, `"Infinity"`, `"-Infinity"`), datetimes ISO 8601 UTC with a fraction only
//! when non-zero, timespans `[-][d.]hh:mm:ss[.fffffff]`, guids as text, dynamic values as compact
//! JSON, nulls as `null` (JSON) or an empty cell (CSV, Markdown). Cells are read straight from the
//! typed columns; no per-cell [`Value`] is built.

use crate::functions::conversion::{format_guid, format_real};
use crate::functions::datetime::{format_datetime_iso, format_timespan};
use crate::store::{Column, Table};
use crate::value::{Json, Value};
use std::io::{self, BufWriter, Write};

/// A value as it appears in JSON output.
///
/// ```
/// use kql_core::{io::value_to_output_json, Value};
/// assert_eq!(value_to_output_json(&Value::Real(f64::NAN)), serde_json::json!("NaN"));
/// assert_eq!(value_to_output_json(&Value::DateTime(630_822_816_000_000_000)),
///            serde_json::json!("2000-01-01T00:00:00Z"));
/// ```
pub fn value_to_output_json(v: &Value) -> Json {
    match v {
        Value::Null => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Int(i) => Json::from(*i),
        Value::Long(i) => Json::from(*i),
        Value::Real(r) => serde_json::Number::from_f64(*r)
            .map_or_else(|| Json::String(format_real(*r)), Json::Number),
        Value::String(s) => Json::String(s.to_string()),
        Value::DateTime(t) => Json::String(format_datetime_iso(*t, false)),
        Value::TimeSpan(t) => Json::String(format_timespan(*t)),
        Value::Guid(g) => Json::String(format_guid(*g)),
        Value::Dynamic(j) => (**j).clone(),
    }
}

/// Writes the cell at `row` of `col` as JSON.
fn write_json_cell(out: &mut impl Write, col: &Column, row: usize) -> io::Result<()> {
    if col.is_null(row) {
        return out.write_all(b"null");
    }
    // Not null: every `unwrap_or_default` below sees `Some`.
    match col {
        Column::Bool(v) => out.write_all(if v[row] == Some(true) {
            b"true"
        } else {
            b"false"
        }),
        Column::Int(v) => write!(out, "{}", v[row].unwrap_or_default()),
        Column::Long(v) => write!(out, "{}", v[row].unwrap_or_default()),
        Column::Real(v) | Column::Decimal(v) => match v[row].unwrap_or_default() {
            r if r.is_finite() => Ok(serde_json::to_writer(out, &r)?),
            r => write!(out, "\"{}\"", format_real(r)),
        },
        Column::String(s) => Ok(serde_json::to_writer(out, s.get(row))?),
        Column::DateTime(v) => {
            let t = v[row].unwrap_or_default();
            write!(out, "\"{}\"", format_datetime_iso(t, false))
        }
        Column::TimeSpan(v) => write!(out, "\"{}\"", format_timespan(v[row].unwrap_or_default())),
        Column::Guid(v) => write!(out, "\"{}\"", format_guid(v[row].unwrap_or_default())),
        Column::Dynamic(v) => match &v[row] {
            Some(j) => Ok(serde_json::to_writer(out, &**j)?),
            None => out.write_all(b"null"),
        },
    }
}

/// The column names as JSON strings followed by `:`, computed once per table.
fn json_keys(table: &Table) -> io::Result<Vec<String>> {
    table
        .fields()
        .iter()
        .map(|f| Ok(format!("{}:", serde_json::to_string(&f.name)?)))
        .collect()
}

/// Writes row `row` as one compact JSON object.
fn write_json_row(
    out: &mut impl Write,
    table: &Table,
    keys: &[String],
    row: usize,
) -> io::Result<()> {
    out.write_all(b"{")?;
    for (i, (key, col)) in keys.iter().zip(table.columns()).enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        out.write_all(key.as_bytes())?;
        write_json_cell(out, col, row)?;
    }
    out.write_all(b"}")
}

/// Writes the table as one compact JSON array of objects, keys in column order, then a newline:
/// `[{"a":1,"b":"x"}]`. An empty table is `[]`.
pub fn write_json(table: &Table, out: &mut impl Write) -> io::Result<()> {
    let mut out = BufWriter::new(out);
    let keys = json_keys(table)?;
    out.write_all(b"[")?;
    for row in 0..table.num_rows() {
        if row > 0 {
            out.write_all(b",")?;
        }
        write_json_row(&mut out, table, &keys, row)?;
    }
    out.write_all(b"]\n")?;
    out.flush()
}

/// The table as the JSON text [`write_json`] writes, without the final newline.
pub fn to_json_string(table: &Table) -> String {
    let mut out = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = write_json(table, &mut out);
    out.pop();
    String::from_utf8(out).unwrap_or_default()
}

/// Writes one compact JSON object per row, each followed by a newline. An empty table writes
/// nothing.
pub fn write_ndjson(table: &Table, out: &mut impl Write) -> io::Result<()> {
    let mut out = BufWriter::new(out);
    let keys = json_keys(table)?;
    for row in 0..table.num_rows() {
        write_json_row(&mut out, table, &keys, row)?;
        out.write_all(b"\n")?;
    }
    out.flush()
}

/// Appends the text of the cell at `row` of `col` to `buf`: nulls are empty, dynamic values
/// compact JSON, the rest as in JSON output without quotes.
fn cell_text(buf: &mut String, col: &Column, row: usize) {
    match col {
        Column::Bool(v) => buf.push_str(v[row].map_or("", |b| if b { "true" } else { "false" })),
        Column::Int(v) => v[row].iter().for_each(|i| buf.push_str(&i.to_string())),
        Column::Long(v) => v[row].iter().for_each(|i| buf.push_str(&i.to_string())),
        Column::Real(v) | Column::Decimal(v) => {
            v[row].iter().for_each(|&r| buf.push_str(&format_real(r)))
        }
        Column::String(s) => buf.push_str(s.get(row)),
        Column::DateTime(v) => v[row]
            .iter()
            .for_each(|&t| buf.push_str(&format_datetime_iso(t, false))),
        Column::TimeSpan(v) => v[row]
            .iter()
            .for_each(|&t| buf.push_str(&format_timespan(t))),
        Column::Guid(v) => v[row].iter().for_each(|&g| buf.push_str(&format_guid(g))),
        Column::Dynamic(v) => {
            if let Some(j) = &v[row] {
                buf.push_str(&j.to_string());
            }
        }
    }
}

/// Writes `text` as one CSV cell, quoted when it holds `,`, `"`, or a line break.
fn write_csv_cell(out: &mut impl Write, text: &str) -> io::Result<()> {
    if text.contains([',', '"', '\n', '\r']) {
        write!(out, "\"{}\"", text.replace('"', "\"\""))
    } else {
        out.write_all(text.as_bytes())
    }
}

/// Writes a header line and one line per row, `\n`-terminated, with RFC 4180 quoting; dynamic
/// values are compact JSON and nulls empty cells. A table with no columns writes nothing.
pub fn write_csv(table: &Table, out: &mut impl Write) -> io::Result<()> {
    if table.num_columns() == 0 {
        return Ok(());
    }
    let mut out = BufWriter::new(out);
    for (i, f) in table.fields().iter().enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        write_csv_cell(&mut out, &f.name)?;
    }
    out.write_all(b"\n")?;
    let mut buf = String::new();
    for row in 0..table.num_rows() {
        for (i, col) in table.columns().iter().enumerate() {
            if i > 0 {
                out.write_all(b",")?;
            }
            buf.clear();
            cell_text(&mut buf, col, row);
            write_csv_cell(&mut out, &buf)?;
        }
        out.write_all(b"\n")?;
    }
    out.flush()
}

/// Writes `text` as a Markdown table cell: `|` escaped, line breaks as `<br>`.
fn write_markdown_cell(out: &mut impl Write, text: &str) -> io::Result<()> {
    if text.contains(['|', '\n', '\r']) {
        let escaped = text
            .replace('|', "\\|")
            .replace("\r\n", "<br>")
            .replace(['\n', '\r'], "<br>");
        out.write_all(escaped.as_bytes())
    } else {
        out.write_all(text.as_bytes())
    }
}

/// Writes a GitHub-flavoured Markdown table: header, separator (numeric columns right-aligned),
/// one line per row. A table with no columns writes nothing.
pub fn write_markdown(table: &Table, out: &mut impl Write) -> io::Result<()> {
    if table.num_columns() == 0 {
        return Ok(());
    }
    let mut out = BufWriter::new(out);
    out.write_all(b"|")?;
    for f in table.fields() {
        out.write_all(b" ")?;
        write_markdown_cell(&mut out, &f.name)?;
        out.write_all(b" |")?;
    }
    out.write_all(b"\n|")?;
    for f in table.fields() {
        out.write_all(if f.ty.is_numeric() { b"---:|" } else { b"---|" })?;
    }
    out.write_all(b"\n")?;
    let mut buf = String::new();
    for row in 0..table.num_rows() {
        out.write_all(b"|")?;
        for col in table.columns() {
            buf.clear();
            cell_text(&mut buf, col, row);
            out.write_all(b" ")?;
            write_markdown_cell(&mut out, &buf)?;
            out.write_all(b" |")?;
        }
        out.write_all(b"\n")?;
    }
    out.flush()
}
