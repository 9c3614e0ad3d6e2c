//! Workbook-style parameters: `{NAME}` in the query text is replaced by the parameter's value
//! before parsing. Only names that are defined are replaced, so `dynamic({"a": 1})` and other
//! braces are left alone. Replacement is textual, inside string literals too (as Azure
//! workbooks do it). Error spans in the substituted text map back to the original text.

use indexmap::IndexMap;

/// Parameters by name (names are case-sensitive, as in workbooks).
#[derive(Debug, Clone, Default)]
pub struct Params {
    values: IndexMap<String, String>,
}

/// A query with its parameters replaced, and the way back to offsets in the original.
#[derive(Debug, Clone, PartialEq)]
pub struct Substituted {
    /// The text to parse.
    pub text: String,
    /// For each replacement: (start in `text`, end in `text`, start in original, end in original).
    pieces: Vec<(usize, usize, usize, usize)>,
}

impl Params {
    /// No parameters.
    pub fn new() -> Params {
        Params::default()
    }

    /// Defines or redefines `name`.
    pub fn set(&mut self, name: &str, value: &str) {
        self.values.insert(name.to_string(), value.to_string());
    }

    /// The parameters in definition order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.values.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// Replaces every `{NAME}` whose NAME is defined.
    pub fn substitute(&self, text: &str) -> Substituted {
        let mut out = String::with_capacity(text.len());
        let mut pieces = Vec::new();
        let mut rest = 0;
        if !self.values.is_empty() {
            let bytes = text.as_bytes();
            let mut i = 0;
            while i < bytes.len() {
                if bytes[i] == b'{' {
                    if let Some(len) = placeholder_len(&text[i + 1..]) {
                        let name = &text[i + 1..i + 1 + len];
                        if let Some(value) = self.values.get(name) {
                            out.push_str(&text[rest..i]);
                            let start = out.len();
                            out.push_str(value);
                            let end_orig = i + len + 2;
                            pieces.push((start, out.len(), i, end_orig));
                            rest = end_orig;
                            i = end_orig;
                            continue;
                        }
                    }
                }
                i += 1;
            }
        }
        out.push_str(&text[rest..]);
        Substituted { text: out, pieces }
    }
}

impl Params {
    /// The `{NAME}` placeholders in `text` with no value, in order, each once.
    pub fn unset_placeholders(&self, text: &str) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        for (i, _) in text.match_indices('{') {
            if let Some(len) = placeholder_len(&text[i + 1..]) {
                let name = &text[i + 1..i + 1 + len];
                if !self.values.contains_key(name) && !names.iter().any(|n| n == name) {
                    names.push(name.to_string());
                }
            }
        }
        names
    }
}

/// Length of `NAME` when `text` starts with `NAME}` and NAME is an identifier.
fn placeholder_len(text: &str) -> Option<usize> {
    let len = text
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
        .count();
    let first_ok = text
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_');
    (len > 0 && first_ok && text.as_bytes().get(len) == Some(&b'}')).then_some(len)
}

impl Substituted {
    /// The offset in the original text of offset `at` in the substituted text. An offset inside
    /// a replaced value maps to the start of its placeholder.
    pub fn original_offset(&self, at: usize) -> usize {
        let mut shift: isize = 0;
        for &(start, end, ostart, oend) in &self.pieces {
            if at < start {
                break;
            }
            if at < end {
                return ostart;
            }
            shift = oend as isize - end as isize;
        }
        (at as isize + shift).max(0) as usize
    }

    /// Maps a span in the substituted text back to the original.
    pub fn original_span(&self, span: kql_core::Span) -> kql_core::Span {
        let start = self.original_offset(span.start);
        let end = self.original_offset(span.end).max(start);
        kql_core::Span::new(start, end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> Params {
        let mut p = Params::new();
        for (k, v) in pairs {
            p.set(k, v);
        }
        p
    }

    #[test]
    fn replaces_defined_names_only() {
        let p = params(&[("n", "3"), ("sub", "abc")]);
        let s =
            p.substitute("T | where x == '{sub}' | take {n} | extend d = dynamic({\"a\":1}), {m}");
        assert_eq!(
            s.text,
            "T | where x == 'abc' | take 3 | extend d = dynamic({\"a\":1}), {m}"
        );
    }

    #[test]
    fn no_params_is_identity() {
        let s = Params::new().substitute("T | take {n}");
        assert_eq!(s.text, "T | take {n}");
        assert_eq!(s.original_offset(5), 5);
    }

    #[test]
    fn offsets_map_back() {
        let p = params(&[("n", "12345")]);
        let original = "T | take {n} | nosuch";
        let s = p.substitute(original);
        assert_eq!(s.text, "T | take 12345 | nosuch");
        let at = s.text.find("nosuch").unwrap();
        assert_eq!(s.original_offset(at), original.find("nosuch").unwrap());
        assert_eq!(s.original_offset(s.text.find("234").unwrap()), 9);
        assert_eq!(s.original_offset(2), 2);
    }

    #[test]
    fn unset_placeholders_are_found() {
        let p = params(&[("a", "1")]);
        assert_eq!(
            p.unset_placeholders("T | where x in ({b}) and y == {a} or z == '{b}' | extend d = dynamic({\"k\":1}) | take {c}"),
            vec!["b", "c"]
        );
    }

    #[test]
    fn odd_input_does_not_panic() {
        let p = params(&[("é", "x"), ("a", "")]);
        for text in ["{", "}", "{a", "{a}", "{é}", "ü{a}ü", "{{a}}", ""] {
            let s = p.substitute(text);
            for i in 0..=s.text.len() {
                assert!(s.original_offset(i) <= text.len());
            }
        }
        assert_eq!(p.substitute("{{a}}").text, "{}");
    }
}
