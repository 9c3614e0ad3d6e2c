//! Several `parse` operators, and an `extract(…) in (literals)` filter below them, over one
//! high-cardinality text column (`id`) in one pass: each row's text is read from memory once
//! and tested against every step in turn, with the result of running the steps one after
//! another (see `parse.rs` for one step).

use super::extract_filter::ExtractIn;
use super::parse::{capture_into, convert_typed, few_distinct, parse, Finders, Outputs};
use super::place_columns;
use crate::error::Result;
use crate::functions::Context;
use crate::plan::{ExprKind, Node, OutputSlot, ParsePlan};
use crate::store::{Column, Field, StrColumn, Table};
use crate::types::DataType;
use crate::value::Value;
use std::sync::Arc;

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
pub(super) fn parse_rows(
    t: &Table,
    s: &StrColumn,
    steps: &[&ParsePlan],
    ctx: &Context,
) -> Result<Table> {
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
    let mut states: Vec<Step> = steps.iter().map(|p| Step::new(p, rows)).collect();
    let mut keep = Vec::with_capacity(rows);
    s.for_each_warmed(|row, text| {
        if row % (16 * 1024) == 0 {
            ctx.check_cancelled()?;
        }
        if !pre(text) {
            return Ok(());
        }
        for step in states.iter_mut() {
            if !step.try_match(text) && step.plan.drop_unmatched {
                return Ok(());
            }
        }
        keep.push(row);
        states.iter_mut().for_each(Step::push);
        Ok::<(), crate::Error>(())
    })?;
    Ok((keep, states.into_iter().map(|step| step.out).collect()))
}

/// One step of a chain while rows are matched: its searchers, the outputs built so far, and
/// the current row's captures (buffers reused from row to row) and whether it matched.
struct Step<'p, 't> {
    plan: &'p ParsePlan,
    finders: Finders,
    out: Outputs,
    raw: Vec<&'t str>,
    typed: Vec<Value>,
    /// Every output is a string: captures need no conversion.
    text_only: bool,
    matched: bool,
}

impl<'p, 't> Step<'p, 't> {
    fn new(plan: &'p ParsePlan, rows: usize) -> Step<'p, 't> {
        Step {
            plan,
            finders: Finders::new(plan),
            out: Outputs::new(plan, rows),
            raw: Vec::with_capacity(plan.outputs.len()),
            typed: Vec::with_capacity(plan.outputs.len()),
            text_only: plan.outputs.iter().all(|(ty, _)| *ty == DataType::String),
            matched: false,
        }
    }

    /// Matches `text`, keeping its captures; whether it matched.
    fn try_match(&mut self, text: &'t str) -> bool {
        self.matched = capture_into(self.plan, &self.finders, text, &mut self.raw)
            && (self.text_only || convert_typed(self.plan, &self.raw, &mut self.typed));
        self.matched
    }

    /// Appends the current row's outputs (nulls when it did not match).
    fn push(&mut self) {
        if self.matched {
            self.out.push_raw(self.plan, &self.raw, &self.typed);
        } else {
            self.out.push_failed(false);
        }
    }
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

#[cfg(test)]
mod tests {
    use crate::plan::LiteralPart::{self, Capture, Skip, Text};

    fn t(s: &str) -> LiteralPart {
        Text(s.to_string())
    }

    /// Random chains of literal `parse` / `parse-where` over one column: the one-pass chain
    /// gives the table that running the steps one after another gives.
    #[test]
    fn a_chain_in_one_pass_equals_the_steps_in_turn() {
        use super::super::parse::parse;
        use super::parse_chain;
        use crate::functions::Context;
        use crate::plan::{Expr, OutputSlot, ParseMatcher, ParsePlan};
        use crate::store::{Column, Field, StrColumn, Table};
        use crate::types::DataType;
        use std::sync::Arc;
        let mut next = crate::test_rng::xorshift(0x9e37_79b9_7f4a_7c15);
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
}
