//! CSV reader: a header row, then records; RFC 4180 quoting (`"a ""b"""`, newlines in quotes).
//!
//! ARG's standard string columns stay strings and its standard dynamic columns hold JSON text
//! (an empty cell is null; text that is not JSON is kept as a dynamic string). Any other column
//! is `long`, `real` or `bool` when every non-empty cell parses as one (empty cells are nulls),
//! and `string` otherwise. Blank lines are skipped; a record with fewer cells than the header is
//! padded with empty cells, one with more is an error (a skipped row with
//! [`super::LoadOptions::skip_bad_rows`]).

use crate::error::{Error, Result};
use crate::io::error_at;
use crate::io::report::{BadRows, LoadOptions, Problem};
use crate::io::rows::{STANDARD_DYNAMIC_COLUMNS, STANDARD_STRING_COLUMNS};
use crate::store::{Column, Field, StrBuilder, Table};
use crate::types::DataType;
use crate::value::Json;
use std::borrow::Cow;
use std::sync::Arc;

/// Why a record could not be read.
enum RecordError {
    /// This record is malformed; reading can go on with the next line.
    Bad(Problem),
    /// Reading cannot go on (an unterminated quote holds the rest of the text).
    Fatal(Error),
}

/// A record and the offset where it starts, `None` at the end, or why it could not be read.
type RecordResult<'a> = std::result::Result<Option<(usize, Vec<Cow<'a, str>>)>, RecordError>;

/// Splits CSV text into records of cells, borrowing cells that need no unescaping.
struct Records<'a> {
    source: &'a str,
    text: &'a str,
    pos: usize,
}

impl<'a> Records<'a> {
    /// The next record and the offset where it starts, or `None` at the end of the text.
    fn next_record(&mut self) -> RecordResult<'a> {
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
                self.quoted_cell().map_err(RecordError::Fatal)?
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
                    let problem = Problem::at(self.text, self.pos, msg);
                    // Resume on the next line if this record is skipped.
                    self.pos = bytes
                        .get(self.pos..)
                        .and_then(|rest| rest.iter().position(|&b| b == b'\n'))
                        .map_or(bytes.len(), |p| self.pos + p + 1);
                    return Err(RecordError::Bad(problem));
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
            let at_line_end = matches!(bytes.get(self.pos + 1), Some(b'\n') | None);
            if bytes.get(self.pos) == Some(&b'\r') && at_line_end {
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
    read_csv_rows(
        source,
        text,
        &mut BadRows::new(source, &LoadOptions::default()),
    )
}

/// [`read_csv`], skipping bad records into `bad` when it says so: a record with more cells than
/// the header, or text after a quoted cell (see [`super::report`]).
pub(crate) fn read_csv_rows(source: &str, text: &str, bad: &mut BadRows) -> Result<Table> {
    let mut records = Records {
        source,
        text,
        pos: 0,
    };
    let header = match records.next_record() {
        Ok(Some((_, header))) => header,
        Ok(None) => return Err(error_at(source, text, 0, "expected a CSV header row")),
        Err(RecordError::Bad(p)) => return Err(p.into_error(source)),
        Err(RecordError::Fatal(e)) => return Err(e),
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
    loop {
        let (start, record) = match records.next_record() {
            Ok(Some(record)) => record,
            Ok(None) => break,
            Err(RecordError::Bad(p)) => {
                bad.bad(p)?;
                continue;
            }
            Err(RecordError::Fatal(e)) => return Err(e),
        };
        if record.len() > names.len() {
            let msg = format!(
                "this record has {} cells but the header has {}",
                record.len(),
                names.len()
            );
            bad.bad(Problem::at(text, start, msg))?;
            continue;
        }
        let given = record.len();
        for (column, cell) in cells.iter_mut().zip(record) {
            column.push(cell);
        }
        for column in cells.iter_mut().skip(given) {
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

#[cfg(test)]
mod tests {
    use crate::io::tests::{read_error, schema};
    use crate::io::{detect_format, read_str, to_json_string, Format};

    const EXPORT: &str = "id,name,type,properties,tags,zones,count,ratio,ok,note,when\n\
        /s/1,vm1,microsoft.compute/virtualmachines,\"{\"\"cores\"\":4,\"\"note\"\":\"\"a, b\"\"}\",,\"[\"\"1\"\"]\",3,0.5,true,\"multi\nline\",2024-01-01T00:00:00Z\n\
        /s/2,\"vm \"\"2\"\"\",t,not json,\"{\"\"env\"\":\"\"prod\"\"}\",,,1,FALSE,,\n";
    const SCHEMA: &str = "id:string, name:string, type:string, properties:dynamic, tags:dynamic, \
        zones:dynamic, count:long, ratio:real, ok:bool, note:string, when:string";
    const JSON: &str = r#"[{"id":"/s/1","name":"vm1","type":"microsoft.compute/virtualmachines","properties":{"cores":4,"note":"a, b"},"tags":null,"zones":["1"],"count":3,"ratio":0.5,"ok":true,"note":"multi\nline","when":"2024-01-01T00:00:00Z"},{"id":"/s/2","name":"vm \"2\"","type":"t","properties":"not json","tags":{"env":"prod"},"zones":null,"count":null,"ratio":1.0,"ok":false,"note":"","when":""}]"#;

    #[test]
    fn reads_an_arg_explorer_download() {
        let crlf = EXPORT.replace('\n', "\r\n");
        let bom = format!("\u{feff}{EXPORT}");
        let no_final_newline = EXPORT.trim_end().to_string();
        let final_cr = format!("{EXPORT}/s/3,a,t,,,,,,,\"\"\r").replace('\n', "\r\n");
        let blank_lines = EXPORT.replace("\n/s/2", "\n\n\r\n/s/2");
        for text in [EXPORT.to_string(), crlf, bom, no_final_newline, blank_lines] {
            assert_eq!(detect_format(&text), Format::Csv);
            let t = read_str("x.csv", &text).unwrap_or_else(|e| panic!("{e}\n{text}"));
            assert_eq!(schema(&t), SCHEMA, "{text:?}");
            // CRLF inside the quoted cell stays as written.
            let json = to_json_string(&t).replace("\\r\\n", "\\n");
            assert_eq!(json, JSON, "{text:?}");
        }
        // A file ending in a bare `\r` after a quoted cell.
        let t = read_str("x.csv", &final_cr).unwrap();
        assert_eq!(
            (t.num_rows(), t.value(2, 0)),
            (3, crate::Value::string("/s/3"))
        );
    }

    #[test]
    fn infers_types_of_other_columns() {
        // Cells are separated by `|`; each is written quoted so that empty cells are kept.
        let cases = [
            ("1|-2|", "v:long", r#"[{"v":1},{"v":-2},{"v":null}]"#),
            ("007|+3", "v:long", r#"[{"v":7},{"v":3}]"#),
            (
                "1.5|2|1e3",
                "v:real",
                r#"[{"v":1.5},{"v":2.0},{"v":1000.0}]"#,
            ),
            ("NaN|1", "v:string", r#"[{"v":"NaN"},{"v":"1"}]"#),
            (
                "true||False",
                "v:bool",
                r#"[{"v":true},{"v":null},{"v":false}]"#,
            ),
            ("|", "v:string", r#"[{"v":""},{"v":""}]"#),
            ("1|x", "v:string", r#"[{"v":"1"},{"v":"x"}]"#),
            ("1|true", "v:string", r#"[{"v":"1"},{"v":"true"}]"#),
        ];
        for (cells, ty, json) in cases {
            let lines: Vec<String> = cells.split('|').map(|c| format!("\"{c}\"\n")).collect();
            let text = format!("v\n{}", lines.concat());
            let t = read_str("x.csv", &text).unwrap();
            assert_eq!(
                (schema(&t), to_json_string(&t)),
                (ty.into(), json.into()),
                "{text:?}"
            );
        }
    }

    #[test]
    fn short_records_are_padded_and_empty_headers_named() {
        let t = read_str("x.csv", "a,,c\n1\n").unwrap();
        assert_eq!(schema(&t), "a:long, Column2:string, c:string");
        assert_eq!(to_json_string(&t), r#"[{"a":1,"Column2":"","c":""}]"#);
        let t = read_str("x.csv", "id,name\n").unwrap();
        assert_eq!(
            (schema(&t).as_str(), t.num_rows()),
            ("id:string, name:string", 0)
        );
    }

    #[test]
    fn errors_name_the_line() {
        let cases = [
            (
                "a,b\n1,\"x\n2,3\n",
                "x.json:2:3: unterminated quoted cell (no closing `\"`)",
            ),
            (
                "a,b\n1,2\n\"x\"y,2\n",
                "x.json:3:4: expected `,` or the end of the line after a quoted cell",
            ),
            (
                "a,b\n1,2,3\n",
                "x.json:2:1: this record has 3 cells but the header has 2",
            ),
            (
                "a,a\n1,2\n",
                "x.json:1:1: column `a` appears twice in the header",
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(read_error(text), expected, "{text:?}");
        }
    }
}
