//! A small owned JSON tree, cheap to build, with hand-written serializers.
//!
//! Rows are built once as [`Json`] trees and then either written as text (compact, or indented
//! with sorted keys like Python's `json.dumps(indent=2, sort_keys=True)`) or converted to
//! `serde_json::Value`. Static catalogue strings are borrowed, never copied.

use serde_json::{Map, Number, Value};
use std::borrow::Cow;

/// A string that is either a static catalogue entry or an owned, generated text.
pub type Text = Cow<'static, str>;

/// A JSON value. Objects keep their keys in insertion order.
///
/// ```
/// use kql_datasets::{Json, Obj};
/// let v: Json = Obj::new().put("code", "Healthy").put("n", 2i64).into();
/// let mut text = Vec::new();
/// v.write_compact(&mut text);
/// assert_eq!(text, br#"{"code":"Healthy","n":2}"#);
/// assert_eq!(v.to_value(), serde_json::json!({"code": "Healthy", "n": 2}));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    /// `null`
    Null,
    /// `true` / `false`
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A real number, written in shortest round-trip form (as serde_json writes it).
    Float(f64),
    /// A string.
    Str(Text),
    /// An array.
    Arr(Vec<Json>),
    /// An object: key/value pairs in order.
    Obj(Vec<(Text, Json)>),
}

impl From<&'static str> for Json {
    fn from(s: &'static str) -> Self {
        Json::Str(Cow::Borrowed(s))
    }
}
impl From<String> for Json {
    fn from(s: String) -> Self {
        Json::Str(Cow::Owned(s))
    }
}
impl From<Text> for Json {
    fn from(s: Text) -> Self {
        Json::Str(s)
    }
}
impl From<bool> for Json {
    fn from(b: bool) -> Self {
        Json::Bool(b)
    }
}
impl From<i64> for Json {
    fn from(n: i64) -> Self {
        Json::Int(n)
    }
}
impl From<u32> for Json {
    fn from(n: u32) -> Self {
        Json::Int(i64::from(n))
    }
}
impl From<usize> for Json {
    fn from(n: usize) -> Self {
        Json::Int(n as i64)
    }
}
impl From<f64> for Json {
    fn from(x: f64) -> Self {
        Json::Float(x)
    }
}
impl From<Vec<Json>> for Json {
    fn from(items: Vec<Json>) -> Self {
        Json::Arr(items)
    }
}
impl From<Obj> for Json {
    fn from(o: Obj) -> Self {
        Json::Obj(o.0)
    }
}
impl<T: Into<Json>> From<Option<T>> for Json {
    fn from(v: Option<T>) -> Self {
        v.map_or(Json::Null, Into::into)
    }
}

/// Builder of a JSON object.
///
/// ```
/// use kql_datasets::{Json, Obj};
/// let o: Json = Obj::new().put("a", 1i64).put_opt("b", None::<&str>).put("c", "x").into();
/// assert_eq!(o.to_value(), serde_json::json!({"a": 1, "c": "x"}));
/// ```
#[derive(Debug, Default, Clone)]
pub struct Obj(pub Vec<(Text, Json)>);

impl Obj {
    /// An empty object.
    pub fn new() -> Self {
        Obj(Vec::with_capacity(8))
    }

    /// Adds a field with a static key.
    pub fn put(mut self, key: &'static str, value: impl Into<Json>) -> Self {
        self.0.push((Cow::Borrowed(key), value.into()));
        self
    }

    /// Adds a field only when the value is `Some`.
    pub fn put_opt<T: Into<Json>>(self, key: &'static str, value: Option<T>) -> Self {
        match value {
            Some(v) => self.put(key, v),
            None => self,
        }
    }

    /// Adds a field with a generated key.
    pub fn put_owned(mut self, key: String, value: impl Into<Json>) -> Self {
        self.0.push((Cow::Owned(key), value.into()));
        self
    }
}

impl Json {
    /// Converts to a `serde_json::Value` (objects keep their order: `preserve_order`).
    pub fn to_value(&self) -> Value {
        match self {
            Json::Null => Value::Null,
            Json::Bool(b) => Value::Bool(*b),
            Json::Int(n) => Value::Number(Number::from(*n)),
            Json::Float(x) => Number::from_f64(*x).map_or(Value::Null, Value::Number),
            Json::Str(s) => Value::String(s.to_string()),
            Json::Arr(items) => Value::Array(items.iter().map(Json::to_value).collect()),
            Json::Obj(fields) => {
                let mut map = Map::with_capacity(fields.len());
                for (k, v) in fields {
                    map.insert(k.to_string(), v.to_value());
                }
                Value::Object(map)
            }
        }
    }

    /// Releases spare capacity of every array and object in the tree (for rows kept in memory).
    pub fn shrink_to_fit(&mut self) {
        match self {
            Json::Arr(items) => {
                items.iter_mut().for_each(Json::shrink_to_fit);
                items.shrink_to_fit();
            }
            Json::Obj(fields) => {
                fields.iter_mut().for_each(|(_, v)| v.shrink_to_fit());
                fields.shrink_to_fit();
            }
            _ => {}
        }
    }

    /// Converts to a `serde_json::Value`, moving owned strings instead of copying them.
    pub fn into_value(self) -> Value {
        match self {
            Json::Str(s) => Value::String(s.into_owned()),
            Json::Arr(items) => Value::Array(items.into_iter().map(Json::into_value).collect()),
            Json::Obj(fields) => {
                let mut map = Map::with_capacity(fields.len());
                for (k, v) in fields {
                    map.insert(k.into_owned(), v.into_value());
                }
                Value::Object(map)
            }
            scalar => scalar.to_value(),
        }
    }

    /// Appends compact JSON text (no spaces), as `serde_json::to_string` writes it.
    pub fn write_compact(&self, out: &mut Vec<u8>) {
        match self {
            Json::Null => out.extend_from_slice(b"null"),
            Json::Bool(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
            Json::Int(n) => write_int(out, *n),
            Json::Float(x) => write_float(out, *x),
            Json::Str(s) => write_str(out, s),
            Json::Arr(items) => {
                out.push(b'[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    item.write_compact(out);
                }
                out.push(b']');
            }
            Json::Obj(fields) => {
                out.push(b'{');
                for (i, (k, v)) in fields.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    write_str(out, k);
                    out.push(b':');
                    v.write_compact(out);
                }
                out.push(b'}');
            }
        }
    }

    /// Appends indented JSON text with object keys sorted, starting at nesting `level`.
    /// This is the layout of Python's `json.dumps(v, indent=2, sort_keys=True)`, which the
    /// Azure CLI uses for `-o json`.
    pub fn write_pretty_sorted(&self, out: &mut Vec<u8>, level: usize) {
        match self {
            Json::Arr(items) if !items.is_empty() => {
                out.push(b'[');
                for (i, item) in items.iter().enumerate() {
                    out.extend_from_slice(if i > 0 { b",\n" } else { b"\n" });
                    indent(out, level + 1);
                    item.write_pretty_sorted(out, level + 1);
                }
                out.push(b'\n');
                indent(out, level);
                out.push(b']');
            }
            Json::Obj(fields) if !fields.is_empty() => {
                let mut order: Vec<&(Text, Json)> = fields.iter().collect();
                order.sort_by(|a, b| a.0.cmp(&b.0));
                write_pretty_fields(out, level, order.into_iter().map(|(k, v)| (&**k, v)));
            }
            other => other.write_compact(out),
        }
    }
}

/// Writes `{ "k": v, ... }` in the indented layout, fields in the given order.
pub fn write_pretty_fields<'a>(
    out: &mut Vec<u8>,
    level: usize,
    fields: impl Iterator<Item = (&'a str, &'a Json)>,
) {
    out.push(b'{');
    let mut first = true;
    for (k, v) in fields {
        out.extend_from_slice(if first { b"\n" } else { b",\n" });
        first = false;
        indent(out, level + 1);
        write_str(out, k);
        out.extend_from_slice(b": ");
        v.write_pretty_sorted(out, level + 1);
    }
    if first {
        out.push(b'}');
        return;
    }
    out.push(b'\n');
    indent(out, level);
    out.push(b'}');
}

/// Appends `2 * level` spaces.
pub fn indent(out: &mut Vec<u8>, level: usize) {
    for _ in 0..level {
        out.extend_from_slice(b"  ");
    }
}

/// Appends a decimal integer.
pub fn write_int(out: &mut Vec<u8>, n: i64) {
    let mut buf = [0u8; 20];
    let mut pos = buf.len();
    let mut v = n.unsigned_abs();
    loop {
        pos -= 1;
        buf[pos] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    if n < 0 {
        out.push(b'-');
    }
    out.extend_from_slice(&buf[pos..]);
}

fn write_float(out: &mut Vec<u8>, x: f64) {
    // serde_json's own formatting (shortest round trip; non-finite values become null).
    serde_json::to_writer(out, &x).expect("writing to a Vec cannot fail");
}

/// Appends a JSON string literal, escaping as serde_json does (`"`, `\`, control characters).
pub fn write_str(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if b >= 0x20 && b != b'"' && b != b'\\' {
            continue;
        }
        out.extend_from_slice(&bytes[start..i]);
        push_escape(out, b);
        start = i + 1;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

fn push_escape(out: &mut Vec<u8>, b: u8) {
    match b {
        b'"' => out.extend_from_slice(b"\\\""),
        b'\\' => out.extend_from_slice(b"\\\\"),
        b'\n' => out.extend_from_slice(b"\\n"),
        b'\r' => out.extend_from_slice(b"\\r"),
        b'\t' => out.extend_from_slice(b"\\t"),
        0x08 => out.extend_from_slice(b"\\b"),
        0x0C => out.extend_from_slice(b"\\f"),
        _ => {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.extend_from_slice(b"\\u00");
            out.push(HEX[usize::from(b >> 4)]);
            out.push(HEX[usize::from(b & 0xF)]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Json {
        Obj::new()
            .put("b", "x\"y\\z\n\u{1}é")
            .put("a", vec![Json::Int(-12), Json::Float(0.25), Json::Null])
            .put("c", Obj::new())
            .put("d", Json::Arr(vec![]))
            .put("e", true)
            .into()
    }

    #[test]
    fn compact_text_matches_serde_json() {
        let mut out = Vec::new();
        sample().write_compact(&mut out);
        let expected = serde_json::to_string(&sample().to_value()).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), expected);
    }

    #[test]
    fn pretty_sorted_layout_is_pythons() {
        let mut out = Vec::new();
        sample().write_pretty_sorted(&mut out, 0);
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("{\n  \"a\": [\n    -12,\n    0.25,\n    null\n  ],\n  \"b\""));
        assert!(text.contains("\"c\": {},\n  \"d\": [],\n  \"e\": true\n}"));
        let back: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back["b"], sample().to_value()["b"]);
    }

    #[test]
    fn integers_print_at_the_extremes() {
        let mut out = Vec::new();
        write_int(&mut out, i64::MIN);
        out.push(b' ');
        write_int(&mut out, 0);
        assert_eq!(out, b"-9223372036854775808 0");
    }
}
