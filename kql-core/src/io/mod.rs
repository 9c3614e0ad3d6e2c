//! Readers (JSON array, NDJSON, ARG REST response, az CLI output, CSV) and writers.
//!
//! Readers turn text into a [`Table`]; the format is told apart by content, never by file
//! extension (see [`detect_format`]). Column types are inferred as described in [`rows`] and
//! [`csv`]. Malformed input gives an [`ErrorKind::Data`] error whose message starts with
//! `file:line:column:`; the `*_with` readers can instead skip malformed rows and list them in a
//! [`LoadReport`] (see [`report`]).
//!
//! ```
//! use kql_core::io;
//! let table = io::read_str("inline.json", r#"[{"name": "vm1", "cores": 4}]"#)?;
//! assert_eq!(table.num_rows(), 1);
//! let mut out = Vec::new();
//! io::write_json(&table, &mut out).unwrap();
//! assert_eq!(String::from_utf8(out).unwrap(), "[{\"name\":\"vm1\",\"cores\":4}]\n");
//! # Ok::<(), kql_core::Error>(())
//! ```

mod acc;
pub mod csv;
mod file;
pub mod json;
pub mod report;
pub mod rows;
mod scan;
pub mod write;

use report::BadRows;
pub use report::{BadRow, LoadOptions, LoadReport};

pub use rows::{read_rows, table_from_json_rows, RowsBuilder};
pub use write::{
    to_json_string, value_to_output_json, write_csv, write_json, write_markdown, write_ndjson,
};

use crate::error::{Error, ErrorKind, Result};
use crate::store::tape::skip_ws;
use crate::store::Table;
use std::path::Path;

/// The input formats the readers understand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// A JSON array of row objects: `[{"id": …}, …]`.
    JsonArray,
    /// One JSON row object per line; blank lines are allowed.
    Ndjson,
    /// The ARG REST response: `{"totalRecords": …, "count": …, "data": [ … ]}`, where `data`
    /// may also be the table form `{"columns": [{"name", "type"}], "rows": [[…]]}`.
    ArgResponse,
    /// `az graph query -o json` output: `{"count": …, "data": [ … ], "skip_token": …}`.
    AzCli,
    /// CSV with a header row (ARG Explorer download), RFC 4180 quoting.
    Csv,
}

/// Keys that mark an object as an ARG REST response or az CLI output rather than a row (`count`
/// and `facets` alone do not: a row may well have a `count` column).
const RESPONSE_KEYS: [&str; 5] = [
    "totalRecords",
    "total_records",
    "skip_token",
    "$skipToken",
    "resultTruncated",
];

/// Tells the format of `text` from its content.
///
/// Text starting with `[` is a JSON array. Text starting with `{` is NDJSON when more than one
/// value follows or when its first object is a plain row; it is an ARG response (or az CLI output,
/// when it has `skip_token` or `total_records`) when that object has a `data` member or other
/// response keys. Anything else is CSV.
///
/// ```
/// use kql_core::io::{detect_format, Format};
/// assert_eq!(detect_format("[{\"a\":1}]"), Format::JsonArray);
/// assert_eq!(detect_format("{\"a\":1}\n{\"a\":2}\n"), Format::Ndjson);
/// assert_eq!(detect_format("{\"count\":0,\"data\":[]}"), Format::ArgResponse);
/// assert_eq!(detect_format("a,b\n1,2\n"), Format::Csv);
/// ```
pub fn detect_format(text: &str) -> Format {
    let text = strip_bom(text);
    let start = skip_ws(text.as_bytes(), 0);
    match text.as_bytes().get(start) {
        Some(b'[') => Format::JsonArray,
        Some(b'{') => match scan::scan_object(text, start) {
            Some((members, end)) => {
                let has = |k: &str| members.iter().any(|m| m.key == k);
                if skip_ws(text.as_bytes(), end) < text.len() {
                    Format::Ndjson
                } else if has("skip_token") || has("total_records") {
                    Format::AzCli
                } else if has("data")
                    || RESPONSE_KEYS.iter().any(|k| has(k))
                    || (has("count") && has("facets"))
                {
                    Format::ArgResponse
                } else {
                    Format::Ndjson
                }
            }
            None if scan::looks_like_ndjson(text) => Format::Ndjson,
            None => Format::ArgResponse,
        },
        _ => Format::Csv,
    }
}

/// Reads `text` in whatever format [`detect_format`] finds. `source_name` (usually the file
/// path) starts every error message.
pub fn read_str(source_name: &str, text: &str) -> Result<Table> {
    Ok(read_str_with(source_name, text, &LoadOptions::default())?.0)
}

/// [`read_str`] with `options`: with [`LoadOptions::skip_bad_rows`], malformed rows are skipped
/// and listed in the [`LoadReport`] (see [`report`] for what a bad row is in each format).
pub fn read_str_with(
    source_name: &str,
    text: &str,
    options: &LoadOptions,
) -> Result<(Table, LoadReport)> {
    let text = strip_bom(text);
    if text.trim().is_empty() {
        return Err(Error::new(
            ErrorKind::Data,
            format!(
                "{source_name}: the file is empty (expected JSON rows, an ARG response or CSV)"
            ),
        ));
    }
    read_format(source_name, text, detect_format(text), options)
}

/// Reads `text` as the given format.
pub fn read_str_as(source_name: &str, text: &str, format: Format) -> Result<Table> {
    Ok(read_format(source_name, text, format, &LoadOptions::default())?.0)
}

/// Reads `text` as `format` with `options`.
fn read_format(
    source_name: &str,
    text: &str,
    format: Format,
    options: &LoadOptions,
) -> Result<(Table, LoadReport)> {
    let text = strip_bom(text);
    let mut bad = BadRows::new(source_name, options);
    let table = match format {
        Format::JsonArray => json::read_json_array_rows(source_name, text, &mut bad),
        Format::Ndjson => json::read_ndjson_rows(text, &mut bad),
        Format::ArgResponse | Format::AzCli => {
            json::read_response_rows(source_name, text, &mut bad)
        }
        Format::Csv => csv::read_csv_rows(source_name, text, &mut bad),
    }?;
    let report = bad.report(table.num_rows());
    Ok((table, report))
}

/// Reads raw bytes: checks they are UTF-8 (an error names the byte offset), then [`read_str`].
pub fn read_bytes(source_name: &str, bytes: &[u8]) -> Result<Table> {
    Ok(read_bytes_with(source_name, bytes, &LoadOptions::default())?.0)
}

/// [`read_bytes`] with `options` (see [`read_str_with`]).
pub fn read_bytes_with(
    source_name: &str,
    bytes: &[u8],
    options: &LoadOptions,
) -> Result<(Table, LoadReport)> {
    match simdutf8::compat::from_utf8(bytes) {
        Ok(text) => read_str_with(source_name, text, options),
        Err(e) => {
            let at = e.valid_up_to();
            // The prefix is valid UTF-8, so its lines can be counted.
            let prefix = std::str::from_utf8(bytes.get(..at).unwrap_or_default()).unwrap_or("");
            let (line, col) = line_col(prefix, at);
            Err(Error::new(
                ErrorKind::Data,
                format!("{source_name}:{line}:{col}: invalid UTF-8 at byte offset {at}"),
            ))
        }
    }
}

/// Reads the file at `path`; error messages name the path as given.
pub fn read_file(path: &Path) -> Result<Table> {
    Ok(read_file_with(path, &LoadOptions::default())?.0)
}

/// [`read_file`] with `options` (see [`read_str_with`]).
pub fn read_file_with(path: &Path, options: &LoadOptions) -> Result<(Table, LoadReport)> {
    file::read_file(path, &path.display().to_string(), options)
}

/// Reads everything `input` yields, in whatever format [`detect_format`] finds, with `options`;
/// `source_name` starts every error message. NDJSON is parsed block by block as it arrives, so
/// the input is never held whole; other formats are read whole first.
///
/// ```
/// use kql_core::io::{read_reader_with, LoadOptions};
/// let mut input: &[u8] = b"{\"name\": \"vm1\"}\n{\"name\": \"vm2\"}\n";
/// let (table, report) = read_reader_with("stdin", &mut input, &LoadOptions::default())?;
/// assert_eq!((table.num_rows(), report.skipped), (2, 0));
/// # Ok::<(), kql_core::Error>(())
/// ```
pub fn read_reader_with(
    source_name: &str,
    input: &mut impl std::io::Read,
    options: &LoadOptions,
) -> Result<(Table, LoadReport)> {
    file::read_reader(input, source_name, options)
}

/// [`read_reader_with`] with the first read and each later read of at least `first` and
/// `block` bytes: for tests and fuzzing of the block reader with tiny blocks.
#[doc(hidden)]
pub fn read_reader_in_blocks(
    source_name: &str,
    input: &mut impl std::io::Read,
    options: &LoadOptions,
    first: usize,
    block: usize,
) -> Result<(Table, LoadReport)> {
    file::read_in_blocks(input, source_name, options, first, block)
}

/// Removes a leading UTF-8 byte-order mark (Excel and ARG Explorer CSV files often have one).
fn strip_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// The 1-based line and byte column of byte `offset` in `text`.
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text.as_bytes()[..offset];
    let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    (line, offset - line_start + 1)
}

/// A data error at byte `offset` of `text`: `source:line:col: message`.
pub(crate) fn error_at(source: &str, text: &str, offset: usize, message: &str) -> Error {
    let (line, col) = line_col(text, offset);
    Error::new(ErrorKind::Data, format!("{source}:{line}:{col}: {message}"))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_is_placed_where_std_places_it() {
        // The SIMD check must report the offset std's `from_utf8` reports, for each kind of
        // bad sequence, before, inside and after its 64-byte steps, and after a multi-byte
        // character.
        let bad: [&[u8]; 6] = [
            b"\xff",
            b"\xe2\x82",
            b"\xc0\x80",
            b"\xed\xa0\x80",
            b"\xf4\x90\x80\x80",
            b"\x80",
        ];
        for len in [0, 1, 31, 63, 64, 65, 127, 200] {
            for seq in bad {
                for lead in ["", "\u{e9}"] {
                    let mut bytes = format!("{lead}[{{\"a\":\"").into_bytes();
                    bytes.extend(std::iter::repeat_n(b'x', len));
                    bytes.extend_from_slice(seq);
                    bytes.extend_from_slice(b"\"}]");
                    let at = std::str::from_utf8(&bytes).unwrap_err().valid_up_to();
                    let err = read_bytes_with("t.json", &bytes, &LoadOptions::default())
                        .unwrap_err()
                        .to_string();
                    assert!(
                        err.contains(&format!("invalid UTF-8 at byte offset {at}")),
                        "{len} {seq:?}: {err}"
                    );
                }
            }
        }
    }

    /// `name:type, …` for a table's schema.
    pub(crate) fn schema(t: &Table) -> String {
        let parts: Vec<String> = t
            .fields()
            .iter()
            .map(|f| format!("{}:{}", f.name, f.ty))
            .collect();
        parts.join(", ")
    }

    /// The data error message for reading `text` as `x.json`.
    pub(crate) fn read_error(text: &str) -> String {
        let e = read_str("x.json", text).expect_err("expected a data error");
        assert_eq!(e.kind, ErrorKind::Data, "{e}");
        e.message
    }

    const ROW1: &str = r#"{"id":"/s/1","name":"vm1","type":"microsoft.compute/virtualmachines","properties":{"cores":4,"status":{"code":"Healthy"}},"tags":null,"count":3,"ratio":0.5,"ok":true,"note":"a"}"#;
    const ROW2: &str = r#"{"id":"/s/2","name":"vm2","type":"microsoft.compute/virtualmachines","properties":{"cores":8},"tags":{"env":"prod"},"count":5,"ratio":1,"ok":false,"extra":[1,2]}"#;
    const SCHEMA: &str = "id:string, name:string, type:string, properties:dynamic, tags:dynamic, \
        count:long, ratio:real, ok:bool, note:string, extra:dynamic";
    const JSON: &str = r#"[{"id":"/s/1","name":"vm1","type":"microsoft.compute/virtualmachines","properties":{"cores":4,"status":{"code":"Healthy"}},"tags":null,"count":3,"ratio":0.5,"ok":true,"note":"a","extra":null},{"id":"/s/2","name":"vm2","type":"microsoft.compute/virtualmachines","properties":{"cores":8},"tags":{"env":"prod"},"count":5,"ratio":1.0,"ok":false,"note":"","extra":[1,2]}]"#;

    #[test]
    fn every_json_format_is_detected_and_read_alike() {
        let cases = [
            (format!("[{ROW1},\n {ROW2}]"), Format::JsonArray),
            (format!("\u{feff}  [\n{ROW1}\n,{ROW2}\n]\n"), Format::JsonArray),
            (format!("{ROW1}\n\n{ROW2}\n"), Format::Ndjson),
            (format!("{ROW1}\r\n{ROW2}"), Format::Ndjson),
            (
                format!(r#"{{"totalRecords":2,"count":2,"data":[{ROW1},{ROW2}],"facets":[],"resultTruncated":"false"}}"#),
                Format::ArgResponse,
            ),
            (
                format!("{{\n  \"count\": 2,\n  \"data\": [\n{ROW1},\n{ROW2}\n],\n  \"skip_token\": null,\n  \"total_records\": 2\n}}\n"),
                Format::AzCli,
            ),
        ];
        for (text, format) in cases {
            assert_eq!(detect_format(&text), format, "{text}");
            let t = read_str("x.json", &text).unwrap_or_else(|e| panic!("{e}\n{text}"));
            assert_eq!(schema(&t), SCHEMA, "{text}");
            assert_eq!(to_json_string(&t), JSON, "{text}");
        }
    }

    #[test]
    fn detection_edge_cases() {
        let cases = [
            ("{\"a\":1}", Format::Ndjson),
            ("{\"a\":1}\n", Format::Ndjson),
            ("{\"data\":[]}", Format::ArgResponse),
            ("{\n  \"totalRecords\": 0\n}", Format::ArgResponse),
            ("{\"count\": 0, \"facets\": []}", Format::ArgResponse),
            ("{\"count\": 0}", Format::Ndjson),
            ("{\"a\":1\n{\"a\":2}\n", Format::Ndjson),
            ("{\n  \"data\": [", Format::ArgResponse),
            ("id,name\n", Format::Csv),
            ("", Format::Csv),
        ];
        for (text, format) in cases {
            assert_eq!(detect_format(text), format, "{text:?}");
        }
    }

    #[test]
    fn empty_results_have_no_columns() {
        for text in ["[]", " [ ] \n", r#"{"totalRecords":0,"count":0,"data":[]}"#] {
            let t = read_str("x.json", text).unwrap();
            assert_eq!((t.num_rows(), t.num_columns()), (0, 0), "{text}");
        }
    }

    #[test]
    fn errors_name_the_file_line_and_column() {
        let cases = [
            ("", "x.json: the file is empty (expected JSON rows, an ARG response or CSV)"),
            (" \n\t\n", "x.json: the file is empty (expected JSON rows, an ARG response or CSV)"),
            ("[\n {\"a\": 1},\n {\"a\": 2 \"b\": 3}\n]", "x.json:3:10: expected `,` or `}` after an object member"),
            ("[{\"a\" 1}]", "x.json:1:7: expected `:` after an object key"),
            ("{\"a\":1}\n{\"b\":[1 2]}\n", "x.json:2:9: expected `,` or `]` after an array element"),
            ("{\"a\":1}\n{\"a\":2\n{\"a\":3}\n", "x.json:2:6: EOF while parsing an object"),
            ("{\"a\":1}\n{\"a\":\"x\n{\"a\":3}\n", "x.json:2:7: EOF while parsing a string"),
            ("[{\"a\":1}, 5]", "x.json:1:11: expected a row object, found a number"),
            ("[{\"a\":1} {\"a\":2}]", "x.json:1:10: expected `,` or `]` after a row"),
            ("[{\"a\":1}", "x.json:1:9: expected `,` or `]` after a row"),
            ("[{\"a\":1}] x", "x.json:1:11: unexpected text after the array of rows"),
            ("{\"a\":1}\n{\"a\":2}\n{\"a\":3,}\n", "x.json:3:8: trailing comma"),
            ("{\"a\":1}\n\n[1]\n", "x.json:3:1: expected a row object, found an array"),
            (
                "{\"count\": 0, \"totalRecords\": 0}",
                "x.json:1:1: expected a `data` member holding the rows (an ARG response or `az graph query` output)",
            ),
            ("{\"count\": 1, \"data\": 7}", "x.json:1:22: expected `data` to be an array of rows or a {\"columns\", \"rows\"} table"),
            ("{\n  \"count\": 1x,\n  \"data\": []\n}", "x.json:2:13: trailing characters"),
            ("{\n  \"data\": [\n    {\"a\": tru}\n  ]\n}", "x.json:3:14: expected `true`, `false` or `null`"),
        ];
        for (text, expected) in cases {
            assert_eq!(read_error(text), expected, "{text:?}");
        }
    }

    #[test]
    fn invalid_utf8_names_the_byte_offset() {
        let e = read_bytes("x.json", b"[{\"a\":\"\xff\"}]").unwrap_err();
        assert_eq!(e.kind, ErrorKind::Data);
        assert_eq!(e.message, "x.json:1:8: invalid UTF-8 at byte offset 7");
        let e = read_bytes("x.csv", b"a\nb\n\xc3").unwrap_err();
        assert_eq!(e.message, "x.csv:3:1: invalid UTF-8 at byte offset 4");
    }

    #[test]
    fn read_file_names_the_path() {
        let e = read_file(Path::new("/nonexistent/x.json")).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Io);
        assert!(
            e.message
                .starts_with("/nonexistent/x.json: cannot read the file"),
            "{}",
            e.message
        );
        let dir = std::env::temp_dir().join(format!("kql-io-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("rows.ndjson");
        std::fs::write(&path, "{\"a\":1}\n{\"a\":}\n").unwrap();
        let e = read_file(&path).unwrap_err();
        assert_eq!(e.message, format!("{}:2:6: expected value", path.display()));
        std::fs::write(&path, "{\"a\":1}\n{\"a\":2}\n").unwrap();
        assert_eq!(read_file(&path).unwrap().num_rows(), 2);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// Loads `bytes` strictly and skipping bad rows: a strict success must be the same table
    /// with nothing skipped; a skipping success must report the rows it loaded.
    fn skipping_agrees(bytes: &[u8]) {
        let skip = LoadOptions {
            skip_bad_rows: true,
            ..LoadOptions::default()
        };
        match (read_bytes("x", bytes), read_bytes_with("x", bytes, &skip)) {
            (Ok(strict), Ok((skipped, report))) => {
                assert_eq!(report.skipped, 0, "{bytes:?}");
                assert_eq!(strict, skipped, "{bytes:?}");
            }
            (Ok(_), Err(e)) => panic!("{e}: {bytes:?}"),
            (Err(_), Ok((skipped, report))) => {
                assert_eq!(report.rows, skipped.num_rows());
                assert!(report.skipped > 0, "{bytes:?}");
            }
            (Err(_), Err(e)) => assert_eq!(e.kind, ErrorKind::Data),
        }
    }

    #[test]
    fn never_panics_on_truncated_or_mutated_input() {
        let samples = [
            format!("[{ROW1},\n {ROW2}]"),
            format!("{ROW1}\n{ROW2}\n"),
            format!(r#"{{"count":2,"data":[{ROW1},{ROW2}],"skip_token":null}}"#),
            r#"{"data":{"columns":[{"name":"a"}],"rows":[[1],["x"]]}}"#.to_string(),
            "id,properties,n\n/a,\"{\"\"k\"\":[1]}\",1\r\n/b,,\"x\"\"y\"\n".to_string(),
        ];
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for sample in &samples {
            let bytes = sample.as_bytes();
            for cut in 0..bytes.len() {
                skipping_agrees(&bytes[..cut]);
            }
            for _ in 0..300 {
                let mut b = bytes.to_vec();
                let at = (next() % b.len() as u64) as usize;
                let noise = b"{}[],:\"\\\n\r0a\xff";
                b[at] = noise[(next() % noise.len() as u64) as usize];
                skipping_agrees(&b);
            }
        }
    }

    #[test]
    fn fixture_files_in_every_format_load_the_same_table() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/io");
        let expected = read_file(&dir.join("rows.json")).unwrap();
        assert_eq!(
            schema(&expected),
            "id:string, name:string, type:string, tenantId:string, location:string, \
             resourceGroup:string, subscriptionId:string, properties:dynamic, tags:dynamic, \
             severity:string, score:real, count:long, enabled:bool"
        );
        let json = to_json_string(&expected);
        assert!(json.contains(r#""name":"résumé""#), "{json}");
        assert!(json.contains(r#""subscriptionId":"0001","properties":{"status":{"code":"NotApplicable"},"lines":"a\nb"},"tags":{},"severity":"","score":null,"count":null,"enabled":null}"#), "{json}");
        let files = [
            ("rows.ndjson", Format::Ndjson),
            ("arg-response.json", Format::ArgResponse),
            ("arg-response-table.json", Format::ArgResponse),
            ("az-cli.json", Format::AzCli),
            ("export.csv", Format::Csv),
        ];
        for (name, format) in files {
            let path = dir.join(name);
            let text = std::fs::read_to_string(&path).unwrap();
            assert_eq!(detect_format(&text), format, "{name}");
            let t = read_file(&path).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(schema(&t), schema(&expected), "{name}");
            assert_eq!(to_json_string(&t), json, "{name}");
        }
    }
}
