//! JSON readers: a JSON array of rows, NDJSON, the ARG REST response and `az graph query` output.
//!
//! Rows are parsed one at a time with serde_json and moved straight into a [`RowsBuilder`]; the
//! whole document is never held as one JSON tree. Errors carry `file:line:column`, counted over
//! the whole file even when serde_json parsed only a slice of it.

use crate::error::Result;
use crate::io::rows::{json_kind, RowsBuilder};
use crate::io::{error_at, line_col};
use crate::store::Table;
use crate::value::Json;
use crate::{Error, ErrorKind};
use std::ops::Range;

/// One member of a scanned JSON object: its key and where its value lies.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Member {
    /// The key, unescaped.
    pub key: String,
    /// The byte range of the value.
    pub value: Range<usize>,
}

/// The offset of the first non-whitespace byte at or after `i`.
pub(crate) fn skip_ws(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && matches!(bytes[i], b' ' | b'\t' | b'\n' | b'\r') {
        i += 1;
    }
    i
}

/// The offset just past the string starting with the quote at `i`.
fn skip_string(bytes: &[u8], mut i: usize) -> Option<usize> {
    i += 1;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => return Some(i + 1),
            b'\\' => i += 2,
            _ => i += 1,
        }
    }
    None
}

/// The offset just past the value starting at `i`. Only brackets and strings are checked; the
/// value itself is validated later by serde_json.
fn skip_value(bytes: &[u8], mut i: usize) -> Option<usize> {
    match bytes.get(i)? {
        b'"' => skip_string(bytes, i),
        b'{' | b'[' => {
            let mut depth = 0usize;
            while i < bytes.len() {
                match bytes[i] {
                    b'"' => {
                        i = skip_string(bytes, i)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(i + 1);
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
            None
        }
        _ => {
            let start = i;
            while i < bytes.len()
                && !matches!(bytes[i], b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r')
            {
                i += 1;
            }
            (i > start).then_some(i)
        }
    }
}

/// Scans the object starting with `{` at `start` without building it: its members and the
/// offset just past its `}`. `None` when it is not well bracketed.
pub(crate) fn scan_object(text: &str, start: usize) -> Option<(Vec<Member>, usize)> {
    let bytes = text.as_bytes();
    let mut members = Vec::new();
    let mut i = skip_ws(bytes, start + 1);
    if bytes.get(i) == Some(&b'}') {
        return Some((members, i + 1));
    }
    loop {
        if bytes.get(i) != Some(&b'"') {
            return None;
        }
        let key_end = skip_string(bytes, i)?;
        let raw = &text[i..key_end];
        let key = if raw.contains('\\') {
            serde_json::from_str::<String>(raw).ok()?
        } else {
            raw[1..raw.len() - 1].to_string()
        };
        i = skip_ws(bytes, key_end);
        if bytes.get(i) != Some(&b':') {
            return None;
        }
        let value_start = skip_ws(bytes, i + 1);
        let value_end = skip_value(bytes, value_start)?;
        members.push(Member {
            key,
            value: value_start..value_end,
        });
        i = skip_ws(bytes, value_end);
        match bytes.get(i) {
            Some(b',') => i = skip_ws(bytes, i + 1),
            Some(b'}') => return Some((members, i + 1)),
            _ => return None,
        }
    }
}

/// True when the first two non-blank lines both start with `{` (for text too broken to scan).
pub(crate) fn looks_like_ndjson(text: &str) -> bool {
    let mut lines = text.lines().map(str::trim_start).filter(|l| !l.is_empty());
    matches!((lines.next(), lines.next()), (Some(a), Some(b)) if a.starts_with('{') && b.starts_with('{'))
}

/// A serde_json error for a value parsed from `text[base..]`, placed in the whole text.
fn json_error(source: &str, text: &str, base: usize, e: &serde_json::Error) -> Error {
    let (base_line, base_col) = line_col(text, base);
    let (line, col) = if e.line() <= 1 {
        (base_line, base_col + e.column().saturating_sub(1))
    } else {
        (base_line + e.line() - 1, e.column())
    };
    Error::new(
        ErrorKind::Data,
        format!("{source}:{line}:{col}: {}", serde_message(e)),
    )
}

/// serde_json's message without its ` at line N column M` suffix.
fn serde_message(e: &serde_json::Error) -> String {
    let full = e.to_string();
    match full.rfind(" at line ") {
        Some(p) => full[..p].to_string(),
        None => full,
    }
}

/// Reads the array of row objects whose `[` is at `start` into `b`; returns the offset past `]`.
fn read_array_rows(source: &str, text: &str, start: usize, b: &mut RowsBuilder) -> Result<usize> {
    let bytes = text.as_bytes();
    let mut i = skip_ws(bytes, start + 1);
    if bytes.get(i) == Some(&b']') {
        return Ok(i + 1);
    }
    loop {
        let mut values = serde_json::Deserializer::from_str(&text[i..]).into_iter::<Json>();
        match values.next() {
            Some(Ok(Json::Object(row))) => b.push_row(row),
            Some(Ok(other)) => {
                let msg = format!("expected a row object, found {}", json_kind(&other));
                return Err(error_at(source, text, i, &msg));
            }
            Some(Err(e)) => return Err(json_error(source, text, i, &e)),
            None => return Err(error_at(source, text, i, "expected a row object or `]`")),
        }
        i = skip_ws(bytes, i + values.byte_offset());
        match bytes.get(i) {
            Some(b',') => i = skip_ws(bytes, i + 1),
            Some(b']') => return Ok(i + 1),
            _ => return Err(error_at(source, text, i, "expected `,` or `]` after a row")),
        }
    }
}

/// Errors unless only whitespace follows offset `end`.
fn expect_end(source: &str, text: &str, end: usize, what: &str) -> Result<()> {
    let i = skip_ws(text.as_bytes(), end);
    if i < text.len() {
        return Err(error_at(
            source,
            text,
            i,
            &format!("unexpected text after {what}"),
        ));
    }
    Ok(())
}

/// Reads a JSON array of row objects.
pub fn read_json_array(source: &str, text: &str) -> Result<Table> {
    let start = skip_ws(text.as_bytes(), 0);
    if text.as_bytes().get(start) != Some(&b'[') {
        return Err(error_at(
            source,
            text,
            start,
            "expected `[` starting an array of rows",
        ));
    }
    let mut b = RowsBuilder::new();
    let end = read_array_rows(source, text, start, &mut b)?;
    expect_end(source, text, end, "the array of rows")?;
    b.finish()
}

/// Reads NDJSON: one row object per line; blank lines are skipped.
pub fn read_ndjson(source: &str, text: &str) -> Result<Table> {
    let mut b = RowsBuilder::new();
    let mut line_start = 0;
    for line in text.split('\n') {
        let line_offset = line_start;
        line_start += line.len() + 1;
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<Json>(line) {
            Ok(Json::Object(row)) => b.push_row(row),
            Ok(other) => {
                let at = line_offset + skip_ws(line.as_bytes(), 0);
                let msg = format!(
                    "expected a row object on this line, found {}",
                    json_kind(&other)
                );
                return Err(error_at(source, text, at, &msg));
            }
            Err(e) => {
                let mut err = json_error(source, text, line_offset, &e);
                if e.is_eof() {
                    err.message
                        .push_str(" (NDJSON needs one complete object per line)");
                }
                return Err(err);
            }
        }
    }
    b.finish()
}

/// Reads an ARG REST response or `az graph query -o json` output: the rows are its `data`
/// member, either an array of row objects or the table form `{"columns": […], "rows": […]}`.
pub fn read_response(source: &str, text: &str) -> Result<Table> {
    let start = skip_ws(text.as_bytes(), 0);
    let scanned = match text.as_bytes().get(start) {
        Some(b'{') => scan_object(text, start),
        _ => {
            return Err(error_at(
                source,
                text,
                start,
                "expected `{` starting a response object",
            ))
        }
    };
    let Some((members, end)) = scanned else {
        // Not well formed: let serde_json find and describe the first problem.
        return Err(match serde_json::from_str::<Json>(&text[start..]) {
            Err(e) => json_error(source, text, start, &e),
            Ok(_) => error_at(source, text, start, "malformed response object"),
        });
    };
    expect_end(source, text, end, "the response object")?;
    for m in members.iter().filter(|m| m.key != "data") {
        if let Err(e) = serde_json::from_str::<serde_json::Value>(&text[m.value.clone()]) {
            return Err(json_error(source, text, m.value.start, &e));
        }
    }
    let Some(data) = members.iter().find(|m| m.key == "data") else {
        return Err(error_at(
            source,
            text,
            start,
            "expected a `data` member holding the rows (an ARG response or `az graph query` output)",
        ));
    };
    let mut b = RowsBuilder::new();
    match text.as_bytes()[data.value.start] {
        b'[' => {
            read_array_rows(source, text, data.value.start, &mut b)?;
        }
        b'{' => read_table_form(source, text, data.value.clone(), &mut b)?,
        _ => {
            let msg = "expected `data` to be an array of rows or a {\"columns\", \"rows\"} table";
            return Err(error_at(source, text, data.value.start, msg));
        }
    }
    b.finish()
}

/// Reads `data` in the table form: `{"columns": [{"name": …, "type": …}], "rows": [[…]]}`.
/// Column types are inferred from the values like any other rows; the declared types are not used.
fn read_table_form(
    source: &str,
    text: &str,
    range: Range<usize>,
    b: &mut RowsBuilder,
) -> Result<()> {
    let at = range.start;
    let data: Json =
        serde_json::from_str(&text[range]).map_err(|e| json_error(source, text, at, &e))?;
    let bad = |msg: &str| error_at(source, text, at, msg);
    let names: Vec<String> = match data.get("columns") {
        Some(Json::Array(cols)) => cols
            .iter()
            .map(|c| c.get("name").and_then(Json::as_str).map(str::to_string))
            .collect::<Option<_>>()
            .ok_or_else(|| bad("expected every entry of `data.columns` to have a string `name`"))?,
        _ => {
            return Err(bad(
                "expected `data.columns` to be an array of {\"name\", \"type\"}",
            ))
        }
    };
    for name in &names {
        b.declare(name);
    }
    let Some(Json::Array(rows)) = data.get("rows") else {
        return Err(bad("expected `data.rows` to be an array of arrays"));
    };
    for (i, row) in rows.iter().enumerate() {
        match row {
            Json::Array(cells) if cells.len() == names.len() => {
                b.push_row(names.iter().cloned().zip(cells.iter().cloned()).collect());
            }
            Json::Array(cells) => {
                let msg = format!(
                    "`data.rows[{i}]` has {} cells but there are {} columns",
                    cells.len(),
                    names.len()
                );
                return Err(bad(&msg));
            }
            other => {
                let msg = format!(
                    "expected `data.rows[{i}]` to be an array, found {}",
                    json_kind(other)
                );
                return Err(bad(&msg));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::tests::{read_error, schema};
    use crate::io::{detect_format, read_str, to_json_string, Format};

    #[test]
    fn scans_top_level_members_without_parsing_them() {
        let text = r#" {"a": [1, "]", {"b": "}"}], "k\"ey" : "v", "n":-1.5e3 } "#;
        let (members, end) = scan_object(text, 1).unwrap();
        let got: Vec<(&str, &str)> = members
            .iter()
            .map(|m| (m.key.as_str(), &text[m.value.clone()]))
            .collect();
        assert_eq!(
            got,
            [
                ("a", r#"[1, "]", {"b": "}"}]"#),
                ("k\"ey", "\"v\""),
                ("n", "-1.5e3")
            ]
        );
        assert_eq!(&text[end..], " ");
        for broken in [
            "{",
            "{\"a\"}",
            "{\"a\":}",
            "{\"a\":[1}",
            "{\"a\":1 \"b\":2}",
            "{\"a",
        ] {
            assert_eq!(scan_object(broken, 0), None, "{broken}");
        }
    }

    #[test]
    fn reads_the_table_form_of_data() {
        let text = r#"{"totalRecords":2,"count":2,"data":{"columns":[{"name":"id","type":"string"},{"name":"n","type":"integer"},{"name":"properties","type":"object"},{"name":"unused","type":"string"}],"rows":[["/a",1,{"x":1},null],["/b",null,null,null]]},"facets":[],"resultTruncated":"false"}"#;
        assert_eq!(detect_format(text), Format::ArgResponse);
        let t = read_str("x.json", text).unwrap();
        assert_eq!(
            schema(&t),
            "id:string, n:long, properties:dynamic, unused:dynamic"
        );
        assert_eq!(
            to_json_string(&t),
            r#"[{"id":"/a","n":1,"properties":{"x":1},"unused":null},{"id":"/b","n":null,"properties":null,"unused":null}]"#
        );
        let empty = r#"{"count":0,"data":{"columns":[{"name":"id","type":"string"}],"rows":[]}}"#;
        let t = read_str("x.json", empty).unwrap();
        assert_eq!((schema(&t).as_str(), t.num_rows()), ("id:string", 0));
    }

    #[test]
    fn table_form_errors() {
        let cases = [
            (
                r#"{"data":{"columns":[{"name":"a"}],"rows":[[1,2]]}}"#,
                "x.json:1:9: `data.rows[0]` has 2 cells but there are 1 columns",
            ),
            (
                r#"{"data":{"columns":[{"name":"a"}],"rows":[3]}}"#,
                "x.json:1:9: expected `data.rows[0]` to be an array, found a number",
            ),
            (
                r#"{"data":{"columns":[{"type":"string"}],"rows":[]}}"#,
                "x.json:1:9: expected every entry of `data.columns` to have a string `name`",
            ),
            (
                r#"{"data":{"rows":[]}}"#,
                "x.json:1:9: expected `data.columns` to be an array of {\"name\", \"type\"}",
            ),
            (
                r#"{"data":{"columns":[]}}"#,
                "x.json:1:9: expected `data.rows` to be an array of arrays",
            ),
            (
                "{\"data\":\n{\"columns\":[],\n\"rows\":[[1,]]}}",
                "x.json:3:12: trailing comma",
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(read_error(text), expected, "{text}");
        }
    }

    #[test]
    fn ndjson_hints_at_one_object_per_line() {
        let text = "{\"a\": 1}\n{\n\"a\": 2}\n";
        assert_eq!(
            read_error(text),
            "x.json:2:1: EOF while parsing an object (NDJSON needs one complete object per line)"
        );
    }
}
