//! `parse` / `parse-where`: runs the compiled pattern once per distinct input string and
//! converts the captures to their declared types (semantics reference §5.6).

use super::eval::eval;
use super::extract_filter::ExtractIn;
use super::place_columns;
use crate::error::Result;
use crate::functions::{conversion, Context};
use crate::plan::Node;
use crate::plan::{ExprKind, LiteralPart, OutputSlot, ParseMatcher, ParsePlan};
use crate::store::{Column, ColumnBuilder, Field, StrColumn, Table};
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
        return parse_rows(t, s, &[p], ctx);
    }
    let finders = Finders::new(p);
    let mut out = Outputs::new(p, rows);
    let mut keep = Vec::with_capacity(rows);
    let mut per_code: Vec<Option<Option<Vec<Value>>>> = vec![None; s.dict.len()];
    for (row, &code) in s.codes.iter().enumerate() {
        let result = per_code[code as usize]
            .get_or_insert_with(|| match_values(p, &finders, &s.dict[code as usize]));
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
fn few_distinct(s: &StrColumn) -> bool {
    s.dict.len().saturating_mul(2) <= s.len()
}

/// Consecutive `parse` operators reading the same input column (`steps`, innermost first) run
/// in one pass over its text, with the result of running them one after another: each row is
/// matched against every pattern in turn and dropped at the first `parse-where` it fails, so
/// the text of a high-cardinality column (`id`) is read from memory once, not once per
/// operator. `None` when the steps read different sources, when one replaces the column the
/// others read, or when the column has few distinct values (each operator then matches each
/// value once, see [`parse`]).
pub fn parse_chain(t: &Table, steps: &[&ParsePlan], ctx: &Context) -> Option<Result<Table>> {
    let source = chain_source(steps)?;
    let Column::String(s) = &**t.columns().get(source)? else {
        return None;
    };
    if few_distinct(s) {
        return None;
    }
    Some(parse_rows(t, s, steps, ctx))
}

/// The input column every step parses, when no step replaces it.
fn chain_source(steps: &[&ParsePlan]) -> Option<usize> {
    let ExprKind::Column(c) = steps.first()?.source.kind else {
        return None;
    };
    let same = steps.iter().all(|p| {
        matches!(p.source.kind, ExprKind::Column(i) if i == c)
            && p.outputs
                .iter()
                .all(|(_, slot)| *slot != OutputSlot::Replace(c))
    });
    same.then_some(c)
}

/// Runs `steps` (innermost first) over each row of `s`, the text they all parse, in one pass.
fn parse_rows(t: &Table, s: &StrColumn, steps: &[&ParsePlan], ctx: &Context) -> Result<Table> {
    let (keep, outs) = match_rows(s, steps, |_| true, ctx)?;
    let base = if steps.iter().any(|p| p.drop_unmatched) {
        t.gather(&keep)
    } else {
        t.clone()
    };
    place_outputs(base, steps, outs)
}

/// Matches each row of `s` that `pre` keeps against `steps` in turn; gives the rows kept (by
/// `pre` and every `parse-where`) and the outputs built for them.
fn match_rows(
    s: &StrColumn,
    steps: &[&ParsePlan],
    mut pre: impl FnMut(&str) -> bool,
    ctx: &Context,
) -> Result<(Vec<usize>, Vec<Outputs>)> {
    let rows = s.len();
    let finders: Vec<Finders> = steps.iter().map(|p| Finders::new(p)).collect();
    let mut outs: Vec<Outputs> = steps.iter().map(|p| Outputs::new(p, rows)).collect();
    let mut typed: Vec<Vec<Value>> = steps
        .iter()
        .map(|p| Vec::with_capacity(p.outputs.len()))
        .collect();
    // Per step: the captures of the current row (buffers reused from row to row), and
    // whether it matched.
    let mut raws: Vec<Vec<&str>> = steps
        .iter()
        .map(|p| Vec::with_capacity(p.outputs.len()))
        .collect();
    let mut matched = vec![false; steps.len()];
    let mut keep = Vec::with_capacity(rows);
    s.for_each_warmed(|row, text| {
        if row % (16 * 1024) == 0 {
            ctx.check_cancelled()?;
        }
        if !pre(text) {
            return Ok(());
        }
        let each = steps.iter().zip(&finders).zip(&mut typed);
        for (((p, finders), typed), (raw, ok)) in each.zip(raws.iter_mut().zip(&mut matched)) {
            *ok = capture_into(p, finders, text, raw) && convert_typed(p, raw, typed);
            if !*ok && p.drop_unmatched {
                return Ok(());
            }
        }
        keep.push(row);
        let each = steps.iter().zip(&mut outs).zip(&typed);
        for (((p, out), typed), (raw, ok)) in each.zip(raws.iter().zip(&matched)) {
            if *ok {
                out.push_raw(p, raw, typed);
            } else {
                out.push_failed(false);
            }
        }
        Ok::<(), crate::Error>(())
    })?;
    Ok((keep, outs))
}

/// Places each step's outputs in turn on `base`, the kept input rows.
fn place_outputs(mut base: Table, steps: &[&ParsePlan], outs: Vec<Outputs>) -> Result<Table> {
    for (p, out) in steps.iter().zip(outs) {
        base = place_columns(&base, out.computed(p), None)?;
    }
    Ok(base)
}

/// A parse chain over a filter that tests the chain's text with `extract(…) in (literals)`,
/// possibly under a projection of plain columns (what `plan::pushdown` makes of
/// `extend k = extract(…) | where k == "a" or k == "b" | parse-where …`): the test and the
/// patterns run in one pass over the text, with the result of running the filter, the
/// projection and the steps one after another. `None`, with nothing run, for other shapes.
pub fn filter_then_parse(
    base: &Node,
    steps: &[&ParsePlan],
    ctx: &Context,
) -> Option<Result<Table>> {
    let c = chain_source(steps)?;
    let (filter, columns) = match base {
        Node::Project { input, exprs } => {
            let columns = exprs
                .iter()
                .map(|e| match e.kind {
                    ExprKind::Column(i) => Some(i),
                    _ => None,
                })
                .collect::<Option<Vec<_>>>()?;
            (&**input, Some(columns))
        }
        other => (other, None),
    };
    let Node::Filter { input, predicate } = filter else {
        return None;
    };
    let source = match &columns {
        Some(columns) => *columns.get(c)?,
        None => c,
    };
    let (tested, test) = ExtractIn::new(predicate, ctx)?;
    if tested != source {
        return None;
    }
    Some(run_filter_then_parse(
        input,
        source,
        columns.as_deref(),
        test,
        steps,
        ctx,
    ))
}

fn run_filter_then_parse(
    input: &Node,
    source: usize,
    columns: Option<&[usize]>,
    mut test: ExtractIn,
    steps: &[&ParsePlan],
    ctx: &Context,
) -> Result<Table> {
    let t = super::execute_node(input, ctx)?;
    let Some(Column::String(s)) = t.columns().get(source).map(|c| &**c) else {
        return Err(crate::Error::internal(
            "parse source is not a string column",
        ));
    };
    if few_distinct(s) {
        // The filter and each pattern run once per distinct value instead.
        let kept = select_columns(&t.gather(&test.select(s, ctx)?), columns)?;
        return match parse_chain(&kept, steps, ctx) {
            Some(done) => done,
            None => steps.iter().try_fold(kept, |t, p| parse(&t, p, ctx)),
        };
    }
    let (keep, outs) = match_rows(s, steps, |text| test.keeps(text), ctx)?;
    place_outputs(select_columns(&t.gather(&keep), columns)?, steps, outs)
}

/// The projection of `t` onto `columns` (all of `t` when `None`).
fn select_columns(t: &Table, columns: Option<&[usize]>) -> Result<Table> {
    let Some(columns) = columns else {
        return Ok(t.clone());
    };
    let mut fields = Vec::with_capacity(columns.len());
    let mut kept = Vec::with_capacity(columns.len());
    for (i, &c) in columns.iter().enumerate() {
        let Some(col) = t.columns().get(c) else {
            return Err(crate::Error::internal("projected column out of range"));
        };
        fields.push(Field::new(format!("c{i}"), col.data_type()));
        kept.push(Arc::clone(col));
    }
    Table::new(fields, kept, t.num_rows())
}

/// The output columns being built (`None` for a discarded output: nothing reads it).
struct Outputs {
    columns: Vec<Option<ColumnBuilder>>,
}

impl Outputs {
    fn new(p: &ParsePlan, rows: usize) -> Outputs {
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
    fn push_raw(&mut self, p: &ParsePlan, raw: &[&str], typed: &[Value]) {
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

    fn push_failed(&mut self, dropped: bool) {
        if !dropped {
            self.columns
                .iter_mut()
                .flatten()
                .for_each(ColumnBuilder::push_null);
        }
    }

    /// The built columns with the slot each goes to (discarded outputs have none).
    fn computed(self, p: &ParsePlan) -> Vec<(Arc<Column>, OutputSlot)> {
        self.columns
            .into_iter()
            .zip(&p.outputs)
            .filter_map(|(b, (_, slot))| Some((Arc::new(b?.finish()), *slot)))
            .collect()
    }
}

/// A substring searcher per text of a literal pattern, built once per query (SIMD search
/// from the `memchr` crate instead of building a searcher for every row).
struct Finders(Vec<Option<memchr::memmem::Finder<'static>>>);

impl Finders {
    fn new(p: &ParsePlan) -> Finders {
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
fn capture_into<'t>(
    p: &ParsePlan,
    finders: &Finders,
    text: &'t str,
    out: &mut Vec<&'t str>,
) -> bool {
    out.clear();
    match &p.matcher {
        ParseMatcher::Literal(parts) => {
            match_literal_with(parts, text, |i, from| finders.find(i, text, from), out)
        }
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
fn convert_typed(p: &ParsePlan, raw: &[&str], typed: &mut Vec<Value>) -> bool {
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

    /// Random chains of literal `parse` / `parse-where` over one column: the one-pass chain
    /// gives the table that running the steps one after another gives.
    #[test]
    fn a_chain_in_one_pass_equals_the_steps_in_turn() {
        use super::{parse, parse_chain};
        use crate::functions::Context;
        use crate::plan::{Expr, OutputSlot, ParseMatcher, ParsePlan};
        use crate::store::{Column, Field, StrColumn, Table};
        use crate::types::DataType;
        use std::sync::Arc;
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n) as usize
        };
        let alphabet = ["a", "b", "/", "ab", "/a", "1"];
        let ctx = Context::new(0);
        let mut chained = 0;
        for round in 0..500 {
            let rows = 1 + next(12);
            // Distinct texts (a row number prefix), so rows are matched one by one.
            let texts: Vec<String> = (0..rows)
                .map(|r| {
                    let body: String = (0..next(6)).map(|_| alphabet[next(6)]).collect();
                    format!("{r}{body}")
                })
                .collect();
            let col: StrColumn = texts.iter().map(String::as_str).collect();
            let input = Table::new(
                vec![Field::new("s", DataType::String)],
                vec![Arc::new(Column::String(col))],
                rows,
            )
            .unwrap_or_default();
            let steps: Vec<ParsePlan> = (0..2 + next(2))
                .map(|_| {
                    let parts: Vec<LiteralPart> = (0..1 + next(4))
                        .map(|_| match next(3) {
                            0 => Skip,
                            1 => Capture,
                            _ => t(alphabet[next(6)]),
                        })
                        .collect();
                    let parts = crate::plan::merge_texts(parts);
                    let captures = parts.iter().filter(|p| **p == Capture).count();
                    let outputs = (0..captures)
                        .map(|_| match next(3) {
                            0 => (DataType::Long, OutputSlot::Append),
                            1 => (DataType::String, OutputSlot::Discard),
                            _ => (DataType::String, OutputSlot::Append),
                        })
                        .collect();
                    ParsePlan {
                        source: Expr::column(0, DataType::String),
                        matcher: ParseMatcher::Literal(parts),
                        outputs,
                        relaxed: next(4) == 0,
                        drop_unmatched: next(2) == 0,
                    }
                })
                .collect();
            let refs: Vec<&ParsePlan> = steps.iter().collect();
            let one_pass = match parse_chain(&input, &refs, &ctx) {
                Some(Ok(table)) => table,
                other => unreachable!("round {round}: no chain: {:?}", other.map(|r| r.is_ok())),
            };
            chained += 1;
            let mut in_turn = input.clone();
            for p in &steps {
                in_turn = parse(&in_turn, p, &ctx).unwrap_or_default();
            }
            let cells = |x: &Table| -> Vec<Vec<crate::Value>> {
                (0..x.num_rows())
                    .map(|r| (0..x.num_columns()).map(|c| x.value(r, c)).collect())
                    .collect()
            };
            assert_eq!(
                cells(&one_pass),
                cells(&in_turn),
                "round {round}: {texts:?} {steps:?}"
            );
        }
        assert_eq!(chained, 500);
    }

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
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n) as usize
        };
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
