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
        // Output datetimes carry a fraction only when it is non-zero (DESIGN.md §5).
        Value::DateTime(t) => Json::String(format_datetime_iso(*t, false)),
        other => crate::functions::conversion::value_to_json(other),
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
        // Exact digits: JSON numbers have no precision limit.
        Column::Decimal(v) => v[row].iter().try_for_each(|d| write!(out, "{d}")),
        Column::Real(v) => match v[row].unwrap_or_default() {
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
        Column::Dynamic(v) => v.write_json(row, out),
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
        Column::Real(v) => v[row].iter().for_each(|&r| buf.push_str(&format_real(r))),
        Column::Decimal(v) => v[row].iter().for_each(|d| buf.push_str(&d.to_string())),
        Column::String(s) => buf.push_str(s.get(row)),
        Column::DateTime(v) => v[row]
            .iter()
            .for_each(|&t| buf.push_str(&format_datetime_iso(t, false))),
        Column::TimeSpan(v) => v[row]
            .iter()
            .for_each(|&t| buf.push_str(&format_timespan(t))),
        Column::Guid(v) => v[row].iter().for_each(|&g| buf.push_str(&format_guid(g))),
        Column::Dynamic(v) => {
            if let Some(text) = v.json_text(row) {
                buf.push_str(&text);
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
/// values are compact JSON and nulls empty cells (written `""` when the table has one column, so
/// the line is not blank). A table with no columns writes nothing.
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
            if buf.is_empty() && table.num_columns() == 1 {
                // A bare empty line would read back as a blank line, not as a row.
                out.write_all(b"\"\"")?;
            }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::functions::datetime::ticks_from_parts;
    use crate::store::{Field, StrColumn};
    use crate::types::DataType;
    use serde_json::json;
    use std::sync::Arc;

    const GUID: u128 = 0x0123_4567_89ab_cdef_0123_4567_89ab_cdef;

    /// Four rows covering every output type, nulls, NaN and the infinities.
    fn sample() -> Table {
        let day = ticks_from_parts(2024, 1, 1, 0, 0, 0, 0);
        let strings: StrColumn = ["plain", "with, comma \"q\" | pipe\nnl", "", "x"]
            .into_iter()
            .collect();
        let dynamic = |j: Json| Some(Arc::new(j));
        let columns = vec![
            Column::Bool(vec![Some(true), Some(false), None, None]),
            Column::Int(vec![Some(1), Some(-2), None, Some(0)]),
            Column::Long(vec![Some(10_000_000_000), Some(-1), None, Some(0)]),
            Column::Real(vec![Some(1.5), Some(f64::NAN), Some(f64::INFINITY), None]),
            Column::String(strings),
            Column::DateTime(vec![Some(day), Some(day + 5_000_000), None, None]),
            Column::TimeSpan(vec![
                Some(936_000_000_000),
                Some(-15_000_000),
                Some(0),
                None,
            ]),
            Column::Guid(vec![Some(GUID), None, None, None]),
            Column::Dynamic(
                vec![
                    dynamic(json!({"a": [1, "x"]})),
                    dynamic(json!("str")),
                    None,
                    dynamic(json!([])),
                ]
                .into(),
            ),
        ];
        let names = ["b", "i", "l", "r", "s", "t", "ts", "g", "d"];
        let fields = names
            .iter()
            .zip(&columns)
            .map(|(n, c)| Field::new(*n, c.data_type()))
            .collect();
        Table::new(fields, columns.into_iter().map(Arc::new).collect(), 4).unwrap()
    }

    fn written(f: fn(&Table, &mut Vec<u8>) -> io::Result<()>, t: &Table) -> String {
        let mut out = Vec::new();
        f(t, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    const ROWS: [&str; 4] = [
        r#"{"b":true,"i":1,"l":10000000000,"r":1.5,"s":"plain","t":"2024-01-01T00:00:00Z","ts":"1.02:00:00","g":"01234567-89ab-cdef-0123-456789abcdef","d":{"a":[1,"x"]}}"#,
        r#"{"b":false,"i":-2,"l":-1,"r":"NaN","s":"with, comma \"q\" | pipe\nnl","t":"2024-01-01T00:00:00.5Z","ts":"-00:00:01.5000000","g":null,"d":"str"}"#,
        r#"{"b":null,"i":null,"l":null,"r":"Infinity","s":"","t":null,"ts":"00:00:00","g":null,"d":null}"#,
        r#"{"b":null,"i":0,"l":0,"r":null,"s":"x","t":null,"ts":null,"g":null,"d":[]}"#,
    ];

    #[test]
    fn json_and_ndjson() {
        let t = sample();
        assert_eq!(written(write_json, &t), format!("[{}]\n", ROWS.join(",")));
        assert_eq!(to_json_string(&t), format!("[{}]", ROWS.join(",")));
        assert_eq!(written(write_ndjson, &t), format!("{}\n", ROWS.join("\n")));
    }

    #[test]
    fn csv() {
        let expected = "b,i,l,r,s,t,ts,g,d\n\
            true,1,10000000000,1.5,plain,2024-01-01T00:00:00Z,1.02:00:00,01234567-89ab-cdef-0123-456789abcdef,\"{\"\"a\"\":[1,\"\"x\"\"]}\"\n\
            false,-2,-1,NaN,\"with, comma \"\"q\"\" | pipe\nnl\",2024-01-01T00:00:00.5Z,-00:00:01.5000000,,\"\"\"str\"\"\"\n\
            ,,,Infinity,,,00:00:00,,\n\
            ,0,0,,x,,,,[]\n";
        assert_eq!(written(write_csv, &sample()), expected);
    }

    #[test]
    fn markdown() {
        let expected = "| b | i | l | r | s | t | ts | g | d |\n\
            |---|---:|---:|---:|---|---|---|---|---|\n\
            | true | 1 | 10000000000 | 1.5 | plain | 2024-01-01T00:00:00Z | 1.02:00:00 | 01234567-89ab-cdef-0123-456789abcdef | {\"a\":[1,\"x\"]} |\n\
            | false | -2 | -1 | NaN | with, comma \"q\" \\| pipe<br>nl | 2024-01-01T00:00:00.5Z | -00:00:01.5000000 |  | \"str\" |\n\
            |  |  |  | Infinity |  |  | 00:00:00 |  |  |\n\
            |  | 0 | 0 |  | x |  |  |  | [] |\n";
        assert_eq!(written(write_markdown, &sample()), expected);
    }

    #[test]
    fn empty_tables() {
        let t = Table::empty(vec![
            Field::new("a", DataType::Long),
            Field::new("b c", DataType::String),
        ]);
        assert_eq!(written(write_json, &t), "[]\n");
        assert_eq!(to_json_string(&t), "[]");
        assert_eq!(written(write_ndjson, &t), "");
        assert_eq!(written(write_csv, &t), "a,b c\n");
        assert_eq!(written(write_markdown, &t), "| a | b c |\n|---:|---|\n");
        let none = Table::default();
        assert_eq!(written(write_json, &none), "[]\n");
        for f in [write_ndjson, write_csv, write_markdown] {
            assert_eq!(written(f, &none), "");
        }
    }

    #[test]
    fn one_column_csv_keeps_empty_rows() {
        let strings: StrColumn = ["", "a", ""].into_iter().collect();
        let t = Table::new(
            vec![Field::new("s", DataType::String)],
            vec![Arc::new(Column::String(strings))],
            3,
        )
        .unwrap();
        let text = written(write_csv, &t);
        assert_eq!(text, "s\n\"\"\na\n\"\"\n");
        assert_eq!(crate::io::read_str("x.csv", &text).unwrap(), t);
    }

    #[test]
    fn output_json_of_values() {
        let cases = [
            (Value::Null, json!(null)),
            (Value::Bool(true), json!(true)),
            (Value::Int(-3), json!(-3)),
            (Value::Long(1 << 40), json!(1_099_511_627_776_i64)),
            (Value::Real(0.25), json!(0.25)),
            (Value::Real(f64::NAN), json!("NaN")),
            (Value::Real(f64::INFINITY), json!("Infinity")),
            (Value::Real(f64::NEG_INFINITY), json!("-Infinity")),
            (Value::string("s"), json!("s")),
            (
                Value::DateTime(ticks_from_parts(2024, 1, 1, 0, 0, 0, 0)),
                json!("2024-01-01T00:00:00Z"),
            ),
            (
                Value::DateTime(ticks_from_parts(2024, 1, 1, 0, 0, 0, 1)),
                json!("2024-01-01T00:00:00.0000001Z"),
            ),
            (Value::TimeSpan(-15_000_000), json!("-00:00:01.5000000")),
            (
                Value::Guid(GUID),
                json!("01234567-89ab-cdef-0123-456789abcdef"),
            ),
            (Value::dynamic(json!({"k": [1]})), json!({"k": [1]})),
        ];
        for (v, j) in cases {
            assert_eq!(value_to_output_json(&v), j, "{v:?}");
        }
    }
}
