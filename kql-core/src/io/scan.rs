//! A fast path for JSON rows: a row object is split into its members by a byte scanner, and
//! nested arrays and objects are parsed straight onto their column's tape (`store::tape`), never
//! into a `serde_json::Value`. Top-level keys and plain strings are borrowed from the input, so
//! no per-row map, key or string is allocated.
//!
//! The scanner accepts every valid JSON text; what it lets through is checked strictly (strings
//! with escapes or control characters, and numbers other than short integers, are parsed by
//! serde_json; nested values by the tape parser, which follows serde_json's rules and nesting
//! limit), so a row is accepted exactly when serde_json would accept it. On failure the caller
//! asks serde_json for the exact message.

use crate::io::rows::{Cell, RowsBuilder};
use crate::store::tape::{skip_string, skip_value, skip_ws, spelled_at, string_at};
use std::ops::Range;

/// One member of a scanned JSON object: its key and where its value lies.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Member {
    /// The key, unescaped.
    pub key: String,
    /// The byte range of the value.
    pub value: Range<usize>,
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

/// The value starting at `i` as a cell (`None` for an array or object, which the caller parses
/// into its column), and the offset just past it.
fn cell_at(s: &str, i: usize) -> Option<(Option<Cell<'_>>, usize)> {
    let bytes = s.as_bytes();
    match bytes.get(i)? {
        b'"' => string_at(s, i).map(|(v, end)| (Some(Cell::Str(v)), end)),
        b'{' | b'[' => Some((None, i)),
        _ => {
            let end = skip_value(bytes, i)?;
            let cell = match &s[i..end] {
                "null" => Cell::Null,
                "true" => Cell::Bool(true),
                "false" => Cell::Bool(false),
                number => Cell::Num(number.parse().ok()?),
            };
            Some((Some(cell), end))
        }
    }
}

/// Parses the row object whose `{` is at `start` of `s` straight into `b` and returns the offset
/// just past its `}`; on malformed input, the offset where scanning stopped (the row may then be
/// half pushed: the caller abandons the builder).
pub(crate) fn parse_row(s: &str, start: usize, b: &mut RowsBuilder) -> Result<usize, usize> {
    let bytes = s.as_bytes();
    let mut i = skip_ws(bytes, start + 1);
    if bytes.get(i) == Some(&b'}') {
        b.end_row();
        return Ok(i + 1);
    }
    let mut position = 0;
    loop {
        if bytes.get(i) != Some(&b'"') {
            return Err(i);
        }
        // Rows usually list the same keys in the same order: when the input spells, between
        // quotes, the plain name of the column at this position, that is the key.
        let guessed = b
            .plain_name(position)
            .and_then(|name| spelled_at(bytes, i, name.as_bytes()));
        let (column, after_key) = match guessed {
            Some(end) => (position, end),
            None => {
                let (key, end) = string_at(s, i).ok_or(i)?;
                (b.column_of(position, &key), end)
            }
        };
        i = skip_ws(bytes, after_key);
        if bytes.get(i) != Some(&b':') {
            return Err(i);
        }
        i = skip_ws(bytes, i + 1);
        let after_value = match b.push_repeated_at(column, bytes, i) {
            Some(end) => end,
            None => match cell_at(s, i).ok_or(i)? {
                (Some(cell), end) => {
                    b.push_cell_at(column, cell);
                    end
                }
                (None, _) => b.push_raw_at(column, s, i)?,
            },
        };
        position += 1;
        i = skip_ws(bytes, after_value);
        match bytes.get(i) {
            Some(b',') => i = skip_ws(bytes, i + 1),
            Some(b'}') => {
                b.end_row();
                return Ok(i + 1);
            }
            _ => return Err(i),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Json;

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
    fn skips_values_whatever_their_alignment() {
        for pad in 0..17 {
            let value = format!(
                "[{}\"a]}}{{[\\\"\\\\\", {{\"k\": [1, \"]\", {{}}]}}, \"\u{1}[\"]",
                " ".repeat(pad)
            );
            let text = format!("{value} ,");
            assert_eq!(skip_value(text.as_bytes(), 0), Some(value.len()), "{value}");
            assert_eq!(skip_value(&text.as_bytes()[..value.len() - 1], 0), None);
            let s = format!("{}\"x\\\"{{\"", " ".repeat(pad));
            assert_eq!(skip_string(s.as_bytes(), pad), Some(s.len()), "{s}");
        }
    }

    #[test]
    fn keys_are_matched_by_position_only_when_spelled_the_same() {
        // Every row after the first is read with the previous rows' key order as the guess:
        // an escaped spelling of a known key, a key the guess is a prefix of, keys in another
        // order and a new key must land where serde_json puts them.
        let rows = [
            r#"{"id":"a","n":1,"q":true}"#,
            r#"{"i\u0064":"b","n":2,"q":false}"#,
            r#"{"idx":"c","id":"d","n":3}"#,
            r#"{"n":4,"id":"e","q":null}"#,
            r#"{"id":"f","n":5,"q":true,"new":[1]}"#,
            r#"{"id":"g","n":6,"q":true}"#,
        ];
        let mut b = RowsBuilder::new();
        let mut reference = RowsBuilder::new();
        for text in rows {
            assert_eq!(parse_row(text, 0, &mut b), Ok(text.len()), "{text}");
            reference
                .push_json(serde_json::from_str(text).unwrap())
                .unwrap();
        }
        assert_eq!(b.finish().unwrap(), reference.finish().unwrap());
    }

    #[test]
    fn repeated_values_are_matched_only_when_spelled_the_same() {
        // `type` is a standard string column: a row whose value spells the previous row's
        // byte for byte reuses it. Values that share those bytes but mean something else, or
        // only begin with them, must be read.
        let values = [
            r#""a\\b""#,
            r#""a\\b""#,
            r#""a\\b""#,
            r#""a\b""#,
            r#""abc""#,
            r#""abc""#,
            r#""abc""#,
            r#""abcd""#,
            r#""ab""#,
            r#""ab\u0063""#,
            r#""abc""#,
            r#""""#,
            r#""""#,
            r#"7"#,
            r#""7""#,
            r#""7""#,
        ];
        let mut b = RowsBuilder::new();
        let mut reference = RowsBuilder::new();
        for v in values {
            let text = format!(r#"{{"type":{v},"n":1}}"#);
            assert_eq!(parse_row(&text, 0, &mut b), Ok(text.len()), "{text}");
            reference
                .push_json(serde_json::from_str(&text).unwrap())
                .unwrap();
        }
        assert_eq!(b.finish().unwrap(), reference.finish().unwrap());
    }

    #[test]
    fn rows_parse_like_serde_json() {
        let good = [
            r#"{}"#,
            r#" { "a" : 1 , "b":"x\"y" ,"c":[1,{"d":null}],"e":true,"f":false,"g":null,"h":-1.5e-3} "#,
            r#"{"k\u0065y":"caf\u00e9","":"","n":18446744073709551615}"#,
        ];
        for text in good {
            let mut b = RowsBuilder::new();
            let start = skip_ws(text.as_bytes(), 0);
            let end = parse_row(text, start, &mut b).unwrap_or_else(|at| panic!("{text} at {at}"));
            assert_eq!(skip_ws(text.as_bytes(), end), text.len());
            let expected: Json = serde_json::from_str(text).unwrap();
            let mut reference = RowsBuilder::new();
            reference.push_json(expected).unwrap();
            assert_eq!(b.finish().unwrap(), reference.finish().unwrap(), "{text}");
        }
        let bad = [
            "{",
            "{\"a\"}",
            "{\"a\":}",
            "{\"a\":01}",
            "{\"a\":tru}",
            "{\"a\":1,}",
            "{\"a\":\"\u{1}\"}",
            "{\"a\":\"\\x\"}",
            "{\"a\":[1,]}",
            "{\"a\":1 \"b\":2}",
            "{a:1}",
            "{\"a\":-}",
            "{\"a\":1e}",
        ];
        for text in bad {
            assert!(serde_json::from_str::<Json>(text).is_err(), "{text}");
            assert!(
                parse_row(text, 0, &mut RowsBuilder::new()).is_err(),
                "{text}"
            );
        }
    }
}
