//! `parse` / `parse-where`: runs the compiled pattern once per distinct input string and
//! converts the captures to their declared types (semantics reference §5.6).

use super::eval::eval;
use super::place_columns;
use crate::error::Result;
use crate::functions::{conversion, Context};
use crate::plan::{LiteralPart, OutputSlot, ParseMatcher, ParsePlan};
use crate::store::{Column, ColumnBuilder, StrColumn, Table};
use crate::types::DataType;
use crate::value::Value;
use std::sync::Arc;

/// Applies `p` to every row of `t`. When the source has few distinct values, each is matched
/// once and the result reused; otherwise rows are matched directly, and text captures go
/// straight into the output dictionaries without building values.
pub fn parse(t: &Table, p: &ParsePlan, ctx: &Context) -> Result<Table> {
    let rows = t.num_rows();
    let source = eval(&p.source, t, ctx)?.into_column(DataType::String, rows);
    let Column::String(s) = &*source else {
        return Err(crate::Error::internal(
            "parse source is not a string column",
        ));
    };
    if !few_distinct(s) {
        return super::parse_chain::parse_rows(t, s, &[p], ctx);
    }
    let finders = Finders::new(p);
    let mut out = Outputs::new(p, rows);
    let mut keep = Vec::with_capacity(rows);
    let mut per_code: Vec<Option<Option<Vec<Value>>>> = vec![None; s.dict.len()];
    for (row, &code) in s.codes.iter().enumerate() {
        let result = per_code[code as usize]
            .get_or_insert_with(|| match_values(p, &finders, s.dict.get(code as usize)));
        match result {
            Some(values) => {
                keep.push(row);
                out.push_values(values);
            }
            None => out.push_failed(p.drop_unmatched),
        }
    }
    let computed = out.computed(p);
    let kept = p.drop_unmatched.then_some(keep.as_slice());
    place_columns(t, computed, kept)
}

/// True when matching each distinct value once pays (at most half as many values as rows).
pub(super) fn few_distinct(s: &StrColumn) -> bool {
    s.dict.len().saturating_mul(2) <= s.len()
}

/// The output columns being built (`None` for a discarded output: nothing reads it).
pub(super) struct Outputs {
    columns: Vec<Option<ColumnBuilder>>,
}

impl Outputs {
    pub(super) fn new(p: &ParsePlan, rows: usize) -> Outputs {
        Outputs {
            columns: p
                .outputs
                .iter()
                .map(|(ty, slot)| {
                    (*slot != OutputSlot::Discard).then(|| ColumnBuilder::new(*ty, rows))
                })
                .collect(),
        }
    }

    fn push_values(&mut self, values: &[Value]) {
        for (b, v) in self.columns.iter_mut().zip(values) {
            if let Some(b) = b {
                b.push(v);
            }
        }
    }

    /// Text captures go in as they are; typed ones come converted in `typed`, in order.
    pub(super) fn push_raw(&mut self, p: &ParsePlan, raw: &[&str], typed: &[Value]) {
        let mut typed = typed.iter();
        for ((b, (ty, _)), text) in self.columns.iter_mut().zip(&p.outputs).zip(raw) {
            if *ty == DataType::String {
                if let Some(b) = b {
                    b.push_str(text);
                }
            } else {
                let v = typed.next().unwrap_or(&Value::Null);
                if let Some(b) = b {
                    b.push(v);
                }
            }
        }
    }

    pub(super) fn push_failed(&mut self, dropped: bool) {
        if !dropped {
            self.columns
                .iter_mut()
                .flatten()
                .for_each(ColumnBuilder::push_null);
        }
    }

    /// The built columns with the slot each goes to (discarded outputs have none).
    pub(super) fn computed(self, p: &ParsePlan) -> Vec<(Arc<Column>, OutputSlot)> {
        self.columns
            .into_iter()
            .zip(&p.outputs)
            .filter_map(|(b, (_, slot))| Some((Arc::new(b?.finish()), *slot)))
            .collect()
    }
}

/// A substring searcher per text of a literal pattern, built once per query (SIMD search
/// from the `memchr` crate instead of building a searcher for every row).
pub(super) struct Finders(Vec<Option<memchr::memmem::Finder<'static>>>);

impl Finders {
    pub(super) fn new(p: &ParsePlan) -> Finders {
        let parts = match &p.matcher {
            ParseMatcher::Literal(parts) => &parts[..],
            ParseMatcher::Regex(_) => &[],
        };
        Finders(
            parts
                .iter()
                .map(|part| match part {
                    LiteralPart::Text(t) => {
                        Some(memchr::memmem::Finder::new(t.as_bytes()).into_owned())
                    }
                    _ => None,
                })
                .collect(),
        )
    }

    fn find(&self, part: usize, text: &str, from: usize) -> Option<usize> {
        let finder = self.0.get(part)?.as_ref()?;
        finder.find(&text.as_bytes()[from..]).map(|i| i + from)
    }
}

/// The raw captures of one input, or `None` when the pattern does not match.
fn capture<'t>(p: &ParsePlan, finders: &Finders, text: &'t str) -> Option<Vec<&'t str>> {
    let mut out = Vec::with_capacity(p.outputs.len());
    capture_into(p, finders, text, &mut out).then_some(out)
}

/// [`capture`] into a reused buffer (cleared first); false when the pattern does not match.
pub(super) fn capture_into<'t>(
    p: &ParsePlan,
    finders: &Finders,
    text: &'t str,
    out: &mut Vec<&'t str>,
) -> bool {
    out.clear();
    match &p.matcher {
        // One text between two gaps (`* "/subassessments/" id:string`, the usual way to cut
        // an id at a segment): the first occurrence splits the input, as the general matcher
        // below would split it, with one search and no walk over the parts.
        ParseMatcher::Literal(parts) => match parts.as_slice() {
            [before @ (LiteralPart::Skip | LiteralPart::Capture), LiteralPart::Text(t), after @ (LiteralPart::Skip | LiteralPart::Capture)] =>
            {
                let Some(start) = finders.find(1, text, 0) else {
                    return false;
                };
                let (Some(head), Some(tail)) = (text.get(..start), text.get(start + t.len()..))
                else {
                    return false;
                };
                if *before == LiteralPart::Capture {
                    out.push(head);
                }
                if *after == LiteralPart::Capture {
                    out.push(tail);
                }
                true
            }
            _ => match_literal_with(parts, text, |i, from| finders.find(i, text, from), out),
        },
        ParseMatcher::Regex(re) => {
            let Some(caps) = re.captures(text) else {
                return false;
            };
            out.extend((0..p.outputs.len()).map(|i| {
                caps.name(&format!("{}{i}", crate::analyze::PARSE_GROUP))
                    .map_or("", |m| m.as_str())
            }));
            true
        }
    }
}

/// Converts the typed captures into `typed`; false when one fails outside relaxed mode (the
/// row then fails as a whole, §5.6).
pub(super) fn convert_typed(p: &ParsePlan, raw: &[&str], typed: &mut Vec<Value>) -> bool {
    typed.clear();
    for ((ty, _), text) in p.outputs.iter().zip(raw) {
        if *ty != DataType::String {
            let v = conversion::convert(&Value::string(text), *ty);
            if v.is_null() && !p.relaxed {
                return false;
            }
            typed.push(v);
        }
    }
    true
}

/// The typed captures of one input, or `None` when the row fails.
fn match_values(p: &ParsePlan, finders: &Finders, text: &str) -> Option<Vec<Value>> {
    let raw = capture(p, finders, text)?;
    let mut typed = Vec::new();
    if !convert_typed(p, &raw, &mut typed) {
        return None;
    }
    let mut typed = typed.into_iter();
    Some(
        p.outputs
            .iter()
            .zip(&raw)
            .map(|((ty, _), text)| match ty {
                DataType::String => Value::string(text),
                _ => typed.next().unwrap_or(Value::Null),
            })
            .collect(),
    )
}

/// Matches a literal pattern (adjacent texts merged, see [`crate::plan::merge_texts`]) the way the anchored
/// lazy regex `^…$` would: each gap (`*` or a
/// capture) ends at the first occurrence of the text after it, except that the last text must
/// end the input. Taking the first occurrence is safe: any later text that cannot be found
/// after it cannot be found after a later occurrence either.
pub fn match_literal<'t>(parts: &[LiteralPart], text: &'t str) -> Option<Vec<&'t str>> {
    let mut captures = Vec::new();
    let find = |i: usize, from: usize| match &parts[i] {
        LiteralPart::Text(t) => text[from..].find(t.as_str()).map(|p| p + from),
        _ => None,
    };
    match_literal_with(parts, text, find, &mut captures).then_some(captures)
}

/// [`match_literal`] with the substring search supplied (`find(part, from)` gives the first
/// position at or after `from` where text part `part` occurs) and the captures pushed onto
/// `captures`; false when the pattern does not match.
fn match_literal_with<'t>(
    parts: &[LiteralPart],
    text: &'t str,
    find: impl Fn(usize, usize) -> Option<usize>,
    captures: &mut Vec<&'t str>,
) -> bool {
    match_parts(parts, text, find, captures).is_some()
}

/// The body of [`match_literal_with`]: `None` when the pattern does not match.
fn match_parts<'t>(
    parts: &[LiteralPart],
    text: &'t str,
    find: impl Fn(usize, usize) -> Option<usize>,
    captures: &mut Vec<&'t str>,
) -> Option<()> {
    let mut pos = 0;
    let mut open_gap: Option<bool> = None; // Some(is_capture) while a gap waits for its end
    for (i, part) in parts.iter().enumerate() {
        match part {
            LiteralPart::Skip | LiteralPart::Capture => {
                if open_gap == Some(true) {
                    // A capture directly followed by another gap takes nothing (lazy).
                    captures.push("");
                }
                open_gap = Some(*part == LiteralPart::Capture);
            }
            LiteralPart::Text(t) => {
                let last = i + 1 == parts.len();
                let start = match open_gap {
                    None if text[pos..].starts_with(t.as_str()) => pos,
                    None => return None,
                    Some(_) if last => {
                        let at = text.len().checked_sub(t.len())?;
                        if at < pos
                            || !text.is_char_boundary(at)
                            || !text[at..].starts_with(t.as_str())
                        {
                            return None;
                        }
                        at
                    }
                    Some(_) => find(i, pos)?,
                };
                if open_gap == Some(true) {
                    captures.push(&text[pos..start]);
                }
                pos = start + t.len();
                open_gap = None;
            }
        }
    }
    match open_gap {
        Some(true) => captures.push(&text[pos..]),
        Some(false) => {}
        None if pos != text.len() => return None,
        None => {}
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::match_literal;
    use crate::plan::LiteralPart::{self, Capture, Skip, Text};

    fn t(s: &str) -> LiteralPart {
        Text(s.to_string())
    }

    #[test]
    fn literal_patterns_match_like_the_anchored_lazy_regex() {
        let id = "/subscriptions/s1/resourceGroups/rg1/providers/Microsoft.Security/assessments/k/subassessments/r1";
        assert_eq!(
            match_literal(&[Skip, t("/subassessments/"), Capture], id),
            Some(vec!["r1"])
        );
        assert_eq!(
            match_literal(&[Capture, t("/providers/Microsoft.Security/"), Skip], id),
            Some(vec!["/subscriptions/s1/resourceGroups/rg1"])
        );
        assert_eq!(match_literal(&[Skip, t("/nosuch/"), Capture], id), None);
        // A leading text must start the input; a trailing text must end it.
        assert_eq!(
            match_literal(&[t("a="), Capture, t(", b="), Capture], "a=1, b=2"),
            Some(vec!["1", "2"])
        );
        assert_eq!(match_literal(&[t("x"), Capture], "a=1"), None);
        assert_eq!(match_literal(&[Capture, t(";")], "a;b;"), Some(vec!["a;b"]));
        assert_eq!(match_literal(&[t("ab")], "abc"), None);
        assert_eq!(match_literal(&[Capture, Skip], "abc"), Some(vec![""]));
    }

    /// The searcher-driven matcher the engine runs (with its shortcut for one text between
    /// two gaps) against [`match_literal`] on random patterns and texts.
    #[test]
    fn capture_into_agrees_with_match_literal() {
        use super::{capture_into, Finders};
        use crate::plan::{Expr, OutputSlot, ParseMatcher, ParsePlan};
        use crate::types::DataType;
        let mut next = crate::test_rng::xorshift(0x9e37_79b9_7f4a_7c15);
        let alphabet = ["a", "b", "/", "ab", "/a", "é"];
        let gap = |k: usize| if k == 0 { Skip } else { Capture };
        for _ in 0..5000 {
            let text: String = (0..next(8)).map(|_| alphabet[next(6)]).collect();
            let needle: String = (0..next(3)).map(|_| alphabet[next(6)]).collect();
            let parts = if next(2) == 0 {
                vec![gap(next(2)), Text(needle), gap(next(2))]
            } else {
                (0..1 + next(4))
                    .map(|_| match next(3) {
                        0 => Skip,
                        1 => Capture,
                        _ => Text(alphabet[next(6)].to_string()),
                    })
                    .collect()
            };
            let parts = crate::plan::merge_texts(parts);
            let captures = parts.iter().filter(|p| **p == Capture).count();
            let plan = ParsePlan {
                source: Expr::column(0, DataType::String),
                matcher: ParseMatcher::Literal(parts.clone()),
                outputs: vec![(DataType::String, OutputSlot::Append); captures],
                relaxed: false,
                drop_unmatched: true,
            };
            let mut got = Vec::new();
            let matched = capture_into(&plan, &Finders::new(&plan), &text, &mut got);
            let want = match_literal(&parts, &text);
            assert_eq!(matched.then_some(got), want, "{parts:?} on {text:?}");
        }
    }

    /// The regex the analyzer would build for the same parts (simple mode).
    fn regex_for(parts: &[LiteralPart]) -> regex::Regex {
        let mut p = String::from("(?s)^");
        for part in parts {
            match part {
                Skip => p.push_str(".*?"),
                Text(s) => p.push_str(&regex::escape(s)),
                Capture => p.push_str("(.*?)"),
            }
        }
        p.push('$');
        regex::Regex::new(&p).expect("valid")
    }

    #[test]
    fn literal_matching_agrees_with_the_regex_on_random_inputs() {
        let mut next = crate::test_rng::xorshift(0x2545_f491_4f6c_dd1d);
        let alphabet = ["a", "b", "/", "ab", "/a"];
        for _ in 0..5000 {
            let text: String = (0..next(8)).map(|_| alphabet[next(5)]).collect();
            let parts: Vec<LiteralPart> = (0..1 + next(4))
                .map(|_| match next(3) {
                    0 => Skip,
                    1 => Capture,
                    _ => t(alphabet[next(5)]),
                })
                .collect();
            let parts = crate::plan::merge_texts(parts);
            let want: Option<Vec<String>> = regex_for(&parts).captures(&text).map(|c| {
                c.iter()
                    .skip(1)
                    .map(|m| m.map_or("", |m| m.as_str()).to_string())
                    .collect()
            });
            let got =
                match_literal(&parts, &text).map(|v| v.into_iter().map(str::to_string).collect());
            assert_eq!(got, want, "parts {parts:?} on {text:?}");
        }
    }
}
