//! `parse_xml(xml)`: an XML document as a dynamic value, by the conversion table of the Kusto
//! documentation (parse_xml function page):
//!
//! | XML                               | JSON                                      |
//! |-----------------------------------|-------------------------------------------|
//! | `<e/>`                            | `{"e": null}`                             |
//! | `<e>text</e>`                     | `{"e": "text"}`                           |
//! | `<e name="value"/>`               | `{"e": {"@name": "value"}}`               |
//! | `<e name="value">text</e>`        | `{"e": {"@name": "value", "#text": "text"}}` |
//! | `<e><a>text</a><b>text</b></e>`   | `{"e": {"a": "text", "b": "text"}}`       |
//! | `<e><a>text</a><a>text</a></e>`   | `{"e": {"a": ["text", "text"]}}`          |
//! | `<e> text <a>text</a></e>`        | `{"e": {"#text": "text", "a": "text"}}`   |
//!
//! Only elements, attributes and text are translated; the declaration, comments, processing
//! instructions and the document type are skipped. Text is trimmed, and whitespace-only text
//! is no text. Malformed XML, and input over 1 MB (the documented maximum), give null.
//! Values stay strings, as in the table (the page's longer example prints numbers unquoted,
//! which the table contradicts; we follow the table).

use super::conversion::to_string;
use super::{Naming, ScalarFunction};
use crate::scalar;
use crate::value::{Json, Value};
use serde_json::Map;

/// The XML function.
pub static FUNCTIONS: &[ScalarFunction] = &[scalar!(
    "parse_xml",
    1..=1,
    Dynamic,
    Naming::Default,
    |v, _| parse_xml_value(&v[0])
)];

/// The documented input limit: longer strings give null.
const MAX_INPUT: usize = 1 << 20;

/// `parse_xml` of one value: strings are parsed; a dynamic string is parsed as its text.
fn parse_xml_value(v: &Value) -> Value {
    let text = match v {
        Value::Null => return Value::Null,
        Value::Dynamic(j) => match &**j {
            Json::String(s) => s.clone(),
            other => other.to_string(),
        },
        other => to_string(other),
    };
    if text.len() > MAX_INPUT {
        return Value::Null;
    }
    parse_xml(&text).map_or(Value::Null, Value::dynamic)
}

/// The document `text` as JSON, or `None` when it is not well-formed.
pub fn parse_xml(text: &str) -> Option<Json> {
    let mut p = Parser { rest: text };
    p.misc();
    let (name, value) = p.element(0)?;
    p.misc();
    if !p.rest.is_empty() {
        return None;
    }
    let mut root = Map::new();
    root.insert(name, value);
    Some(Json::Object(root))
}

/// Nesting deeper than this is refused (the parser recurses per element).
const MAX_DEPTH: usize = 256;

struct Parser<'a> {
    rest: &'a str,
}

impl<'a> Parser<'a> {
    fn skip_ws(&mut self) {
        self.rest = self.rest.trim_start();
    }

    /// Skips whitespace, the declaration, processing instructions, comments and `<!DOCTYPE>`.
    fn misc(&mut self) {
        loop {
            self.skip_ws();
            if !self.skip_markup() {
                return;
            }
        }
    }

    /// Skips one comment, processing instruction or declaration at the cursor.
    fn skip_markup(&mut self) -> bool {
        let end = if self.rest.starts_with("<!--") {
            self.rest.find("-->").map(|i| i + 3)
        } else if self.rest.starts_with("<?") {
            self.rest.find("?>").map(|i| i + 2)
        } else if self.rest.starts_with("<!") && !self.rest.starts_with("<![CDATA[") {
            self.rest.find('>').map(|i| i + 1)
        } else {
            return false;
        };
        match end.and_then(|e| self.rest.get(e..)) {
            Some(r) => {
                self.rest = r;
                true
            }
            None => {
                // Unterminated: leave it for the caller to reject.
                false
            }
        }
    }

    fn name(&mut self) -> Option<String> {
        let end = self
            .rest
            .find(|c: char| c.is_whitespace() || matches!(c, '/' | '>' | '=' | '<'))
            .unwrap_or(self.rest.len());
        if end == 0 {
            return None;
        }
        let (name, r) = self.rest.split_at(end);
        self.rest = r;
        Some(name.to_string())
    }

    /// One element at the cursor (which is at `<`): its name and converted value.
    fn element(&mut self, depth: usize) -> Option<(String, Json)> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.rest = self.rest.strip_prefix('<')?;
        let name = self.name()?;
        let mut obj = Map::new();
        // Attributes.
        loop {
            self.skip_ws();
            if let Some(r) = self.rest.strip_prefix("/>") {
                self.rest = r;
                return Some((name, finish(obj, String::new(), false)));
            }
            if let Some(r) = self.rest.strip_prefix('>') {
                self.rest = r;
                break;
            }
            let attr = self.name()?;
            self.skip_ws();
            self.rest = self.rest.strip_prefix('=')?;
            self.skip_ws();
            let quote = self
                .rest
                .chars()
                .next()
                .filter(|c| matches!(c, '"' | '\''))?;
            let body = &self.rest[1..];
            let end = body.find(quote)?;
            let value = unescape(&body[..end])?;
            self.rest = &body[end + 1..];
            obj.insert(format!("@{attr}"), Json::String(value));
        }
        // Content: text, child elements, skipped markup, up to the end tag.
        let mut text = String::new();
        let mut has_children = false;
        loop {
            if let Some(r) = self.rest.strip_prefix("</") {
                self.rest = r;
                let end_name = self.name()?;
                if end_name != name {
                    return None;
                }
                self.skip_ws();
                self.rest = self.rest.strip_prefix('>')?;
                return Some((name, finish(obj, text, has_children)));
            }
            if let Some(r) = self.rest.strip_prefix("<![CDATA[") {
                let end = r.find("]]>")?;
                text.push_str(&r[..end]);
                self.rest = &r[end + 3..];
                continue;
            }
            if self.rest.starts_with("<!") || self.rest.starts_with("<?") {
                if !self.skip_markup() {
                    return None;
                }
                continue;
            }
            if self.rest.starts_with('<') {
                let (child, value) = self.element(depth + 1)?;
                if !has_children && !text.trim().is_empty() {
                    // Text before the first child keeps its place ahead of the children.
                    obj.insert("#text".into(), Json::Null);
                }
                has_children = true;
                add_child(&mut obj, child, value);
                continue;
            }
            let end = self.rest.find('<')?;
            text.push_str(&unescape(&self.rest[..end])?);
            self.rest = &self.rest[end..];
        }
    }
}

/// Adds a child element; a repeated name turns the entry into an array.
fn add_child(obj: &mut Map<String, Json>, name: String, value: Json) {
    match obj.get_mut(&name) {
        Some(Json::Array(items)) => items.push(value),
        Some(existing) => {
            let first = existing.take();
            *existing = Json::Array(vec![first, value]);
        }
        None => {
            obj.insert(name, value);
        }
    }
}

/// The value of an element from its attributes, text and children.
fn finish(mut obj: Map<String, Json>, text: String, has_children: bool) -> Json {
    let text = text.trim();
    if obj.is_empty() && !has_children {
        return if text.is_empty() {
            Json::Null
        } else {
            Json::String(text.to_string())
        };
    }
    if text.is_empty() {
        obj.remove("#text");
    } else {
        obj.insert("#text".into(), Json::String(text.to_string()));
    }
    Json::Object(obj)
}

/// Replaces the five predefined entities and character references; `None` on a bad one.
fn unescape(s: &str) -> Option<String> {
    if !s.contains('&') {
        return Some(s.to_string());
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let end = after.find(';')?;
        let entity = &after[..end];
        let c = match entity {
            "lt" => '<',
            "gt" => '>',
            "amp" => '&',
            "quot" => '"',
            "apos" => '\'',
            _ => {
                let code = if let Some(hex) = entity
                    .strip_prefix("#x")
                    .or_else(|| entity.strip_prefix("#X"))
                {
                    u32::from_str_radix(hex, 16).ok()?
                } else {
                    entity.strip_prefix('#')?.parse().ok()?
                };
                char::from_u32(code)?
            }
        };
        out.push(c);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::parse_xml;
    use serde_json::json;

    #[test]
    fn documented_conversions() {
        for (xml, expected) in [
            ("<e/>", json!({"e": null})),
            ("<e>text</e>", json!({"e": "text"})),
            (r#"<e name="value" />"#, json!({"e": {"@name": "value"}})),
            (
                r#"<e name="value">text</e>"#,
                json!({"e": {"@name": "value", "#text": "text"}}),
            ),
            (
                "<e> <a>text</a> <b>text</b> </e>",
                json!({"e": {"a": "text", "b": "text"}}),
            ),
            (
                "<e> <a>text</a> <a>text</a> </e>",
                json!({"e": {"a": ["text", "text"]}}),
            ),
            (
                "<e> text <a>text</a> </e>",
                json!({"e": {"#text": "text", "a": "text"}}),
            ),
        ] {
            assert_eq!(parse_xml(xml), Some(expected), "{xml}");
        }
    }

    #[test]
    fn prolog_entities_and_errors() {
        let doc = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- c -->\n<d>\n  <v>118.0</v>\n  <n a='1 &amp; 2'>&lt;x&gt;&#65;</n>\n  <v>5</v>\n</d>";
        assert_eq!(
            parse_xml(doc),
            Some(json!({"d": {"v": ["118.0", "5"], "n": {"@a": "1 & 2", "#text": "<x>A"}}}))
        );
        for bad in [
            "",
            "text",
            "<a>",
            "<a></b>",
            "<a/><b/>",
            "{\"a\":1}",
            "<a>&bogus;</a>",
        ] {
            assert_eq!(parse_xml(bad), None, "{bad}");
        }
    }
}
