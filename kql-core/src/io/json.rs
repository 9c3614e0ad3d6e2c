//! JSON readers: a JSON array of rows, NDJSON, the ARG REST response and `az graph query` output.
//!
//! Rows are parsed one at a time, by a byte scanner that borrows keys and plain strings and
//! parses nested values onto their dynamic column's tape, and moved straight into a
//! [`RowsBuilder`]: the document is never held as one JSON tree. Errors carry `file:line:column`, counted over
//! the whole file even when serde_json parsed only a slice of it.

use crate::error::Result;
use crate::io::report::{BadRows, LoadOptions, Problem};
use crate::io::rows::{json_kind, RowsBuilder};
use crate::io::scan::{parse_row, scan_object};
use crate::io::{error_at, line_col};
use crate::store::tape::{skip_value, skip_ws};
use crate::store::Table;
use crate::value::Json;
use crate::Error;
use serde::de::IgnoredAny;
use std::ops::Range;

/// The problem serde_json found in a value parsed from `text[base..]`, placed in the whole text.
fn json_problem(text: &str, base: usize, e: &serde_json::Error) -> Problem {
    let (base_line, base_col) = line_col(text, base);
    let (line, column) = if e.line() <= 1 {
        (base_line, base_col + e.column().saturating_sub(1))
    } else if e.column() == 0 {
        // serde_json's column 0 is the line break ending the line before.
        let before = text
            .get(base..)
            .unwrap_or_default()
            .split('\n')
            .nth(e.line() - 2)
            .unwrap_or_default();
        let width = before.strip_suffix('\r').unwrap_or(before).len();
        let column = if e.line() == 2 {
            base_col + width
        } else {
            width + 1
        };
        (base_line + e.line() - 2, column)
    } else {
        (base_line + e.line() - 1, e.column())
    };
    Problem {
        line,
        column,
        message: serde_message(e),
    }
}

/// A serde_json error for a value parsed from `text[base..]`, placed in the whole text.
fn json_error(source: &str, text: &str, base: usize, e: &serde_json::Error) -> Error {
    json_problem(text, base, e).into_error(source)
}

/// serde_json's message without its ` at line N column M` suffix, with a little more context
/// for the terse ones.
fn serde_message(e: &serde_json::Error) -> String {
    let full = e.to_string();
    let bare = full.rfind(" at line ").map_or(&*full, |p| &full[..p]);
    match bare {
        "expected `,` or `}`" => "expected `,` or `}` after an object member".to_string(),
        "expected `,` or `]`" => "expected `,` or `]` after an array element".to_string(),
        "expected `:`" => "expected `:` after an object key".to_string(),
        "expected ident" => "expected `true`, `false` or `null`".to_string(),
        other => other.to_string(),
    }
}

/// Reads the row object whose `{` is at `start` of `s` into `b`, `s` being `text` or a prefix of
/// it; returns the offset just past the row. On malformed input serde_json, run on the same
/// slice, names the problem.
///
/// With `whole` the row is checked by serde_json before any value is stored, so a malformed row
/// leaves nothing in `b` (the scanner accepts exactly what serde_json accepts). Without it a
/// malformed row may be half stored: the caller must then give up on `b`.
fn read_row(text: &str, s: &str, start: usize, b: &mut RowsBuilder, whole: bool) -> RowResult {
    let tail = s.get(start..).unwrap_or_default();
    if whole {
        let mut values = serde_json::Deserializer::from_str(tail).into_iter::<IgnoredAny>();
        if let Some(Err(e)) = values.next() {
            // serde_json words some errors differently when ignoring values: parse for real
            // so the message is the one a load without skipping gives.
            let mut values = serde_json::Deserializer::from_str(tail).into_iter::<Json>();
            return Err(match values.next() {
                Some(Err(e)) => json_problem(text, start, &e),
                _ => json_problem(text, start, &e),
            });
        }
    }
    parse_row(s, start, b).map_err(|at| {
        // Not reached after the check above; should it be, no partial row may remain.
        b.abandon_row();
        let mut values = serde_json::Deserializer::from_str(tail).into_iter::<Json>();
        match values.next() {
            Some(Err(e)) => json_problem(text, start, &e),
            _ => Problem::at(text, at, "malformed row object"),
        }
    })
}

/// The end of a row just read, or what is wrong with it.
type RowResult = std::result::Result<usize, Problem>;

/// What is wrong with a row at `text[at..]` that does not start with `{`, and the offset just
/// past it when it is well-formed JSON (so reading can resume there).
fn not_a_row(text: &str, at: usize, what: &str) -> (Problem, Option<usize>) {
    let tail = text.get(at..).unwrap_or_default();
    let mut values = serde_json::Deserializer::from_str(tail).into_iter::<Json>();
    match values.next() {
        Some(Ok(other)) => {
            let msg = format!("expected a row object{what}, found {}", json_kind(&other));
            (Problem::at(text, at, msg), Some(at + values.byte_offset()))
        }
        Some(Err(e)) => (json_problem(text, at, &e), None),
        None => (
            Problem::at(text, at, format!("expected a row object{what}")),
            None,
        ),
    }
}

/// Reads the array of row objects whose `[` is at `start` into `b`; returns the offset past `]`.
/// A well-formed element that is not an object is a bad row; any syntax error stops the read
/// (see [`super::report`]).
fn read_array_rows(
    source: &str,
    text: &str,
    start: usize,
    b: &mut RowsBuilder,
    bad: &mut BadRows,
) -> Result<usize> {
    let bytes = text.as_bytes();
    let mut i = skip_ws(bytes, start + 1);
    if bytes.get(i) == Some(&b']') {
        return Ok(i + 1);
    }
    loop {
        if bytes.get(i) == Some(&b'{') {
            let end =
                read_row(text, text, i, b, bad.skipping()).map_err(|p| p.into_error(source))?;
            i = skip_ws(bytes, end);
        } else {
            match not_a_row(text, i, "") {
                (problem, Some(end)) => {
                    bad.bad(problem)?;
                    i = skip_ws(bytes, end);
                }
                (problem, None) => return Err(problem.into_error(source)),
            }
        }
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
    read_json_array_rows(
        source,
        text,
        &mut BadRows::new(source, &LoadOptions::default()),
    )
}

/// [`read_json_array`], skipping bad rows into `bad` when it says so.
pub(crate) fn read_json_array_rows(source: &str, text: &str, bad: &mut BadRows) -> Result<Table> {
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
    let end = read_array_rows(source, text, start, &mut b, bad)?;
    expect_end(source, text, end, "the array of rows")?;
    b.finish()
}

/// Reads NDJSON: one row object per line; blank lines are skipped.
///
/// Rows are really a sequence of objects separated by whitespace, so objects printed over several
/// lines (as `jq '.data[]'` prints them) are read too. A row whose line does not end with `}` is
/// read across lines only if its brackets close later; otherwise it is reported on its own line.
pub fn read_ndjson(source: &str, text: &str) -> Result<Table> {
    read_ndjson_rows(text, &mut BadRows::new(source, &LoadOptions::default()))
}

/// The offset just past the end of the line holding offset `i` (or the end of `bytes`).
fn next_line(bytes: &[u8], i: usize) -> usize {
    bytes
        .get(i..)
        .and_then(|rest| memchr::memchr(b'\n', rest))
        .map_or(bytes.len(), |p| i + p + 1)
}

/// [`read_ndjson`], skipping bad rows into `bad` when it says so: a bad row is skipped to the
/// end of its line, or of the last line of a multi-line object whose brackets balance.
pub(crate) fn read_ndjson_rows(text: &str, bad: &mut BadRows) -> Result<Table> {
    let mut b = RowsBuilder::new();
    read_ndjson_part(text, false, TextPos::START, &mut b, bad)?;
    b.finish()
}

/// Where a piece of a file starts in it: the lines before it and the bytes of its first line
/// before it (a piece may start mid-line, after a row that shares the line).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TextPos {
    /// Line breaks before the piece.
    pub lines: usize,
    /// Bytes between the last line break before the piece (or the file start) and the piece.
    pub column: usize,
}

impl TextPos {
    /// The start of a file.
    pub(crate) const START: TextPos = TextPos {
        lines: 0,
        column: 0,
    };

    /// Where the text following `text` starts, `text` starting here.
    pub(crate) fn after(self, text: &[u8]) -> TextPos {
        self.advance(text, line_breaks(text))
    }

    /// [`TextPos::after`] for a `text` already known to hold `breaks` line breaks.
    pub(crate) fn advance(self, text: &[u8], breaks: usize) -> TextPos {
        match memchr::memrchr(b'\n', text) {
            Some(last) => TextPos {
                lines: self.lines + breaks,
                column: text.len() - last - 1,
            },
            None => TextPos {
                lines: self.lines,
                column: self.column + text.len(),
            },
        }
    }

    /// `problem`, found in a piece starting here, placed in the whole file.
    pub(crate) fn place(self, mut problem: Problem) -> Problem {
        if problem.line == 1 {
            problem.column += self.column;
        }
        problem.line += self.lines;
        problem
    }
}

/// Reads the NDJSON rows of `text`, a piece of a file starting at `origin`, into `b`.
///
/// When `more` is set the file goes on past `text`: reading then stops before a value that may
/// continue there (an object whose line does not end with `}` and whose brackets do not close
/// within `text`, or a non-object value that serde_json finds cut off), and the offset of that
/// value is returned so the caller can hand it over again with more text. Otherwise the whole
/// of `text` is read and its length returned. Either way the rows read, and the bad rows
/// reported, are exactly those a read of the whole file gives. The line breaks in the part read
/// come back too, counted on the way (a separate count over the text cost 2 % of a load).
pub(crate) fn read_ndjson_part(
    text: &str,
    more: bool,
    origin: TextPos,
    b: &mut RowsBuilder,
    bad: &mut BadRows,
) -> Result<PartRead> {
    let bytes = text.as_bytes();
    let mut i = skip_ws(bytes, 0);
    // Line breaks in `text[..i]`.
    let mut breaks = line_breaks(&bytes[..i]);
    let stop = |read, breaks| Ok(PartRead { read, breaks });
    while i < bytes.len() {
        // The line, without its line break.
        let line_end = match next_line(bytes, i) {
            end if bytes.get(end.wrapping_sub(1)) == Some(&b'\n') => end - 1,
            end => end,
        };
        let (row, last) = if bytes.get(i) == Some(&b'{') {
            let line = text.get(..line_end).unwrap_or_default();
            // A row continues past its line only if its brackets close later (checked only
            // for lines that do not end with `}`: nearly all rows are one line).
            let balanced = if line.trim_end().ends_with('}') {
                None
            } else {
                match skip_value(bytes, i) {
                    // The brackets may close in the text still to come.
                    None if more => return stop(i, breaks),
                    balanced => balanced,
                }
            };
            let s = if balanced.is_some() { text } else { line };
            // Where a bad row ends: its line, or the line of the `}` closing its brackets.
            let last = balanced.map_or(i, |end| end - 1);
            (read_row(text, s, i, b, bad.skipping()), last)
        } else {
            if more && value_is_cut_off(text, i) {
                return stop(i, breaks);
            }
            let (problem, end) = not_a_row(text, i, "");
            (Err(problem), end.map_or(i, |e| e - 1))
        };
        // Where the next row may start, and where counting line breaks up to it begins.
        let (next, counted_from) = match row {
            Ok(end) => {
                // A row read from its own line holds no line break; one read across lines does.
                if end > line_end {
                    breaks += line_breaks(&bytes[i..end]);
                }
                (skip_ws(bytes, end), end)
            }
            Err(problem) => {
                bad.bad(origin.place(problem))?;
                (skip_ws(bytes, next_line(bytes, last)), i)
            }
        };
        breaks += line_breaks(bytes.get(counted_from..next).unwrap_or_default());
        i = next;
    }
    stop(bytes.len(), breaks)
}

/// How much of a piece [`read_ndjson_part`] read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PartRead {
    /// Bytes read from the start of the piece.
    pub read: usize,
    /// Line breaks in those bytes.
    pub breaks: usize,
}

/// The line breaks in `bytes`.
fn line_breaks(bytes: &[u8]) -> usize {
    memchr::memchr_iter(b'\n', bytes).count()
}

/// True when the JSON value at `text[at..]` runs into the end of `text` (serde_json reports an
/// end-of-file error), so more text could change what it is.
fn value_is_cut_off(text: &str, at: usize) -> bool {
    let tail = text.get(at..).unwrap_or_default();
    let mut values = serde_json::Deserializer::from_str(tail).into_iter::<IgnoredAny>();
    matches!(values.next(), Some(Err(e)) if e.is_eof())
}

/// Reads an ARG REST response or `az graph query -o json` output: the rows are its `data`
/// member, either an array of row objects or the table form `{"columns": […], "rows": […]}`.
pub fn read_response(source: &str, text: &str) -> Result<Table> {
    read_response_rows(
        source,
        text,
        &mut BadRows::new(source, &LoadOptions::default()),
    )
}

/// [`read_response`], skipping bad rows into `bad` when it says so.
pub(crate) fn read_response_rows(source: &str, text: &str, bad: &mut BadRows) -> Result<Table> {
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
        return Err(
            match serde_json::from_str::<Json>(text.get(start..).unwrap_or_default()) {
                Err(e) => json_error(source, text, start, &e),
                Ok(_) => error_at(source, text, start, "malformed response object"),
            },
        );
    };
    expect_end(source, text, end, "the response object")?;
    for m in members.iter().filter(|m| m.key != "data") {
        let value = text.get(m.value.clone()).unwrap_or_default();
        if let Err(e) = serde_json::from_str::<serde_json::Value>(value) {
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
    match text.as_bytes().get(data.value.start) {
        Some(b'[') => {
            read_array_rows(source, text, data.value.start, &mut b, bad)?;
        }
        Some(b'{') => read_table_form(source, text, data.value.clone(), &mut b, bad)?,
        _ => {
            let msg = "expected `data` to be an array of rows or a {\"columns\", \"rows\"} table";
            return Err(error_at(source, text, data.value.start, msg));
        }
    }
    b.finish()
}

/// Where each element of the array `name` of the object at `object` starts (to place problems
/// with its rows); empty when it cannot be found.
fn element_offsets(text: &str, object: usize, name: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut offsets = Vec::new();
    let Some((members, _)) = scan_object(text, object) else {
        return offsets;
    };
    let Some(array) = members.iter().find(|m| m.key == name) else {
        return offsets;
    };
    let mut i = skip_ws(bytes, array.value.start + 1);
    while i < array.value.end && bytes.get(i) != Some(&b']') {
        offsets.push(i);
        let Some(end) = skip_value(bytes, i) else {
            break;
        };
        i = skip_ws(bytes, end);
        if bytes.get(i) == Some(&b',') {
            i = skip_ws(bytes, i + 1);
        }
    }
    offsets
}

/// Reads `data` in the table form: `{"columns": [{"name": …, "type": …}], "rows": [[…]]}`.
/// Column types are inferred from the values like any other rows; the declared types are not used.
/// A row that is not an array of one cell per column is a bad row.
fn read_table_form(
    source: &str,
    text: &str,
    range: Range<usize>,
    b: &mut RowsBuilder,
    bad: &mut BadRows,
) -> Result<()> {
    let at = range.start;
    let mut data: Json = serde_json::from_str(text.get(range).unwrap_or_default())
        .map_err(|e| json_error(source, text, at, &e))?;
    let fail = |msg: &str| error_at(source, text, at, msg);
    let names: Vec<String> = match data.get("columns") {
        Some(Json::Array(cols)) => cols
            .iter()
            .map(|c| c.get("name").and_then(Json::as_str).map(str::to_string))
            .collect::<Option<_>>()
            .ok_or_else(|| {
                fail("expected every entry of `data.columns` to have a string `name`")
            })?,
        _ => {
            return Err(fail(
                "expected `data.columns` to be an array of {\"name\", \"type\"}",
            ))
        }
    };
    for name in &names {
        b.declare(name);
    }
    let Some(Json::Array(rows)) = data.get_mut("rows").map(Json::take) else {
        return Err(fail("expected `data.rows` to be an array of arrays"));
    };
    let offsets = element_offsets(text, at, "rows");
    for (i, row) in rows.into_iter().enumerate() {
        let row_at = offsets.get(i).copied().unwrap_or(at);
        match row {
            Json::Array(cells) if cells.len() == names.len() => {
                b.push_row(names.iter().cloned().zip(cells).collect());
            }
            Json::Array(cells) => {
                let msg = format!(
                    "`data.rows[{i}]` has {} cells but there are {} columns",
                    cells.len(),
                    names.len()
                );
                bad.bad(Problem::at(text, row_at, msg))?;
            }
            other => {
                let msg = format!(
                    "expected `data.rows[{i}]` to be an array, found {}",
                    json_kind(&other)
                );
                bad.bad(Problem::at(text, row_at, msg))?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::io::tests::{read_error, schema};
    use crate::io::{detect_format, read_str, to_json_string, Format};

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
                "x.json:1:43: `data.rows[0]` has 2 cells but there are 1 columns",
            ),
            (
                r#"{"data":{"columns":[{"name":"a"}],"rows":[3]}}"#,
                "x.json:1:43: expected `data.rows[0]` to be an array, found a number",
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
    fn ndjson_objects_may_span_lines_or_share_one() {
        let cases = [
            "{\"a\": 1}\n{\n  \"a\": 2\n}\n{\"a\": 3} {\"a\": 4}\n",
            "{\n  \"a\": 1\n}\n{\n  \"a\": 2\n}\n{\"a\": 3}\n{\"a\": 4}",
        ];
        for text in cases {
            assert_eq!(detect_format(text), Format::Ndjson, "{text}");
            let t = read_str("x.json", text).unwrap();
            assert_eq!(to_json_string(&t), r#"[{"a":1},{"a":2},{"a":3},{"a":4}]"#);
        }
        let single = "{\n  \"id\": \"/a\",\n  \"n\": 1\n}\n";
        assert_eq!(detect_format(single), Format::Ndjson);
        let t = read_str("x.json", single).unwrap();
        assert_eq!(to_json_string(&t), r#"[{"id":"/a","n":1}]"#);
    }
}
