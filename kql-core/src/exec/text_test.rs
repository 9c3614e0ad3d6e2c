//! String predicates (`contains`, `has`, `startswith`, `=~`, `like`, …) with one string column
//! operand and one scalar: the test runs on the column's texts where they lie, once per
//! distinct value when the dictionary is smaller than the column and once per row otherwise,
//! without making a [`Value`] of each text (a cell read as a value copies its text out of the
//! dictionary). `where id contains "x"` over a million distinct ids reads the dictionary once,
//! front to back.

use super::eval::Datum;
use crate::error::Result;
use crate::functions::{operators, text, Context, ScalarFunction};
use crate::search::FoldLiteral;
use crate::store::{Column, StrColumn};
use std::sync::Arc;

/// Rows (or distinct values) between two looks at the cancel flag.
const CANCEL_CHECK_EVERY: usize = 16 * 1024;

/// `f(args)` as a bool column when `f` is a string predicate (see [`operators::text_test`]) and
/// `args` are a string column and a scalar, in either order; `None` for any other call (the
/// general kernel then runs, with the same result).
pub fn text_test_column(
    f: &ScalarFunction,
    args: &[Datum],
    ctx: &Context,
) -> Option<Result<Datum>> {
    let test = operators::text_test(f.name)?;
    let (column, other, column_first) = match args {
        [Datum::Column(c), Datum::Scalar(v)] => (c, v, true),
        [Datum::Scalar(v), Datum::Column(c)] => (c, v, false),
        _ => return None,
    };
    let Column::String(s) = &**column else {
        return None;
    };
    let other = text(other);
    // `column contains "literal"` and `column has "term"` search each text for the literal:
    // it is compiled once and looked for by its rarest byte (`FoldLiteral`, ASCII case
    // ignored as `operators::contains_ci` and `has` ignore it; an empty literal is left to
    // the general test).
    if column_first && matches!(f.name, "__contains" | "__has") {
        if let Some(literal) = FoldLiteral::ignoring_ascii_case(&other) {
            let has = f.name == "__has";
            let run = |t: &str| {
                if has {
                    operators::has_with(t, &other, |from| literal.find(t.as_bytes(), from))
                } else {
                    literal.find(t.as_bytes(), 0).is_some()
                }
            };
            return Some(test_rows(s, run, ctx).map(|col| Datum::Column(Arc::new(col))));
        }
    }
    let run = |t: &str| {
        if column_first {
            test(t, &other)
        } else {
            test(&other, t)
        }
    };
    Some(test_rows(s, run, ctx).map(|col| Datum::Column(Arc::new(col))))
}

/// `run` on each row's text, as a bool column.
fn test_rows(s: &StrColumn, run: impl Fn(&str) -> bool, ctx: &Context) -> Result<Column> {
    if s.dict.len() <= s.len() {
        let mut mask = Vec::with_capacity(s.dict.len());
        for (i, t) in s.dict.iter().enumerate() {
            if i % CANCEL_CHECK_EVERY == 0 {
                ctx.check_cancelled()?;
            }
            mask.push(run(t));
        }
        return Ok(Column::Bool(
            s.codes
                .iter()
                .map(|&c| mask.get(c as usize).copied())
                .collect(),
        ));
    }
    let mut out = Vec::with_capacity(s.len());
    s.for_each_warmed(|row, t| {
        if row % CANCEL_CHECK_EVERY == 0 {
            ctx.check_cancelled()?;
        }
        out.push(Some(run(t)));
        Ok(())
    })?;
    Ok(Column::Bool(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Value;

    fn function(name: &str) -> &'static ScalarFunction {
        operators::FUNCTIONS
            .iter()
            .find(|f| f.name == name)
            .unwrap()
    }

    /// The general kernel, row by row, as the fast path must answer.
    fn by_kernel(f: &ScalarFunction, args: &[Datum], rows: usize, ctx: &Context) -> Column {
        Column::Bool(
            (0..rows)
                .map(|r| {
                    let values: Vec<Value> = args.iter().map(|a| a.get(r)).collect();
                    match (f.kernel)(&values, ctx) {
                        Value::Bool(b) => Some(b),
                        _ => None,
                    }
                })
                .collect(),
        )
    }

    #[test]
    fn every_text_test_answers_as_its_kernel() {
        let ctx = Context::new(0);
        let texts = [
            "/subscriptions/S1/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm-1",
            "vm-checkout",
            "VM-Checkout-2",
            "",
            "é€ x_y",
            "abc",
            "vm-checkout",
        ];
        let full: StrColumn = texts.into_iter().collect();
        // Fewer distinct values than rows (per distinct value) and more (per row, after a
        // gather shared the dictionary).
        let few = full.gather(&[1, 5]);
        let needles = [
            Value::string("vm-checkout"),
            Value::string("virtualmachines"),
            Value::string("ABC"),
            Value::string(""),
            Value::string("%check%"),
            Value::string("x"),
            // In a term, not one: `contains` holds, `has` does not.
            Value::string("check"),
            Value::Long(1),
            Value::Null,
        ];
        let names = [
            "__eq_ci",
            "__contains",
            "__contains_cs",
            "__startswith",
            "__startswith_cs",
            "__endswith",
            "__endswith_cs",
            "__has",
            "__has_cs",
            "__hasprefix",
            "__hasprefix_cs",
            "__hassuffix",
            "__hassuffix_cs",
            "__like",
            "__like_cs",
        ];
        for name in names {
            let f = function(name);
            assert!(operators::text_test(name).is_some(), "{name}");
            for col in [&full, &few] {
                let c = Datum::Column(Arc::new(Column::String(col.clone())));
                for n in &needles {
                    for args in [
                        [c.clone(), Datum::Scalar(n.clone())],
                        [Datum::Scalar(n.clone()), c.clone()],
                    ] {
                        let Datum::Column(got) = text_test_column(f, &args, &ctx).unwrap().unwrap()
                        else {
                            panic!("{name}: not a column");
                        };
                        assert_eq!(*got, by_kernel(f, &args, col.len(), &ctx), "{name} {n:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn other_calls_are_left_to_the_kernel() {
        let ctx = Context::new(0);
        let col: StrColumn = ["a", "b"].into_iter().collect();
        let c = Datum::Column(Arc::new(Column::String(col)));
        let s = Datum::Scalar(Value::string("a"));
        assert!(operators::text_test("__eq").is_none());
        assert!(text_test_column(function("__eq"), &[c.clone(), s.clone()], &ctx).is_none());
        let contains = function("__contains");
        assert!(text_test_column(contains, &[c.clone(), c.clone()], &ctx).is_none());
        assert!(text_test_column(contains, &[s.clone(), s], &ctx).is_none());
        let longs = Datum::Column(Arc::new(Column::Long(vec![Some(1)])));
        assert!(text_test_column(contains, &[longs, c], &ctx).is_none());
    }
}
