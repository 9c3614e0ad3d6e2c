//! Filters testing an extracted string against string literals,
//! `where extract(re, g, s) in ("a", "b")` or `where extract(re, g, s) == "a"` (what
//! `plan::pushdown` makes of `extend k = extract(…) | where k == "a" or k == "b"`): each row's
//! group is found as a `&str` and compared with the literals, and only the selection is built,
//! never the extracted column (no dictionary, no hashing, no allocation per row).
//!
//! `extract` gives `""` when the regex does not match or the group does not exist, so a row
//! without a match is kept exactly when `""` is one of the literals. `==` and `in` compare
//! strings case-sensitively.

use super::extract::Extractor;
use crate::error::Result;
use crate::functions::args::int_arg;
use crate::functions::Context;
use crate::plan::{Expr, ExprKind};
use crate::store::{Column, StrColumn, Table};
use crate::types::DataType;
use crate::value::Value;

/// Rows between two looks at the cancel flag.
const CANCEL_CHECK_EVERY: usize = 16 * 1024;

/// The rows of `t` the predicate keeps, when it has the shape this module handles (`None`
/// otherwise: the general evaluation then runs).
pub fn extract_in_selection(
    predicate: &Expr,
    t: &Table,
    ctx: &Context,
) -> Option<Result<Vec<usize>>> {
    let (column, mut test) = ExtractIn::new(predicate, ctx)?;
    let Column::String(s) = &**t.columns().get(column)? else {
        return None;
    };
    Some(test.select(s, ctx))
}

/// A compiled `extract(re, g, column) in (literals)` test of one row's text.
pub struct ExtractIn<'p> {
    extractor: Extractor,
    wanted: LiteralSet<'p>,
}

impl<'p> ExtractIn<'p> {
    /// The input column the predicate reads and its test, when the predicate has the shape
    /// this module handles.
    pub fn new(predicate: &'p Expr, ctx: &Context) -> Option<(usize, ExtractIn<'p>)> {
        let (call, wanted) = shape(predicate)?;
        let [pattern, group, source] = call else {
            return None;
        };
        let pattern = pattern.as_literal()?;
        let Value::String(text) = pattern else {
            return None;
        };
        let group = usize::try_from(int_arg(group.as_literal()?)?).ok()?;
        let ExprKind::Column(i) = source.kind else {
            return None;
        };
        let re = ctx.regex(pattern)?;
        let test = ExtractIn {
            extractor: Extractor::new(re, text, group),
            wanted: LiteralSet::new(wanted),
        };
        Some((i, test))
    }

    /// Whether the predicate keeps a row whose column holds `text`.
    pub fn keeps(&mut self, text: &str) -> bool {
        self.wanted
            .contains(self.extractor.extract(text).unwrap_or(""))
    }

    /// The rows of `s` the predicate keeps.
    pub fn select(&mut self, s: &StrColumn, ctx: &Context) -> Result<Vec<usize>> {
        let rows = s.len();
        if s.dict.len() <= rows {
            // Once per distinct value, then the codes are looked up.
            let mut mask = Vec::with_capacity(s.dict.len());
            for (i, text) in s.dict.iter().enumerate() {
                if i % CANCEL_CHECK_EVERY == 0 {
                    ctx.check_cancelled()?;
                }
                mask.push(self.keeps(text));
            }
            return Ok(s
                .codes
                .iter()
                .enumerate()
                .filter(|(_, &c)| mask.get(c as usize).copied().unwrap_or(false))
                .map(|(r, _)| r)
                .collect());
        }
        let mut keep = Vec::new();
        s.for_each_warmed(|row, text| {
            if row % CANCEL_CHECK_EVERY == 0 {
                ctx.check_cancelled()?;
            }
            if self.keeps(text) {
                keep.push(row);
            }
            Ok::<(), crate::Error>(())
        })?;
        Ok(keep)
    }
}

/// `(extract's arguments, the literals)` for `extract(…) in (lits)` and `extract(…) == lit`
/// (either side), with string literals only and the 3-argument (string) `extract`.
fn shape(predicate: &Expr) -> Option<(&[Expr], Vec<&str>)> {
    let ExprKind::Call(f, args) = &predicate.kind else {
        return None;
    };
    match (f.name, &args[..]) {
        ("__eq", [a, b]) => match (extract_args(a), extract_args(b)) {
            (Some(x), None) => Some((x, vec![literal(b)?])),
            (None, Some(x)) => Some((x, vec![literal(a)?])),
            _ => None,
        },
        ("__in", [a, rest @ ..]) => Some((
            extract_args(a)?,
            rest.iter().map(literal).collect::<Option<Vec<_>>>()?,
        )),
        _ => None,
    }
}

/// The arguments of a 3-argument (string) `extract` call.
fn extract_args(e: &Expr) -> Option<&[Expr]> {
    match &e.kind {
        ExprKind::Call(g, a) if g.name == "extract" && a.len() == 3 && e.ty == DataType::String => {
            Some(&a[..])
        }
        _ => None,
    }
}

/// The text of a string literal.
fn literal(e: &Expr) -> Option<&str> {
    match e.as_literal() {
        Some(Value::String(s)) => Some(&**s),
        _ => None,
    }
}

/// The literals, compared byte for byte.
struct LiteralSet<'a> {
    items: Vec<&'a str>,
}

impl<'a> LiteralSet<'a> {
    fn new(mut items: Vec<&'a str>) -> LiteralSet<'a> {
        items.sort_unstable();
        items.dedup();
        LiteralSet { items }
    }

    /// Whether `s` is one of the literals (a scan for a few, a binary search for many).
    fn contains(&self, s: &str) -> bool {
        if self.items.len() <= 8 {
            self.items.contains(&s)
        } else {
            self.items.binary_search(&s).is_ok()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::functions::registry;
    use crate::store::Field;
    use std::sync::Arc;

    const KEY: &str = r"(?i)providers/Microsoft.Security/assessments/([^/]*)";

    fn f(name: &str) -> &'static crate::functions::ScalarFunction {
        match registry::scalar(name) {
            Some(f) => f,
            None => unreachable!("no function {name}"),
        }
    }

    fn s(text: &str) -> Expr {
        Expr::literal(Value::string(text), DataType::String)
    }

    fn extract(pattern: &str, group: i64) -> Expr {
        Expr {
            kind: ExprKind::Call(
                f("extract"),
                vec![
                    s(pattern),
                    Expr::literal(Value::Long(group), DataType::Long),
                    Expr::column(0, DataType::String),
                ],
            ),
            ty: DataType::String,
        }
    }

    fn test(name: &str, args: Vec<Expr>) -> Expr {
        Expr {
            kind: ExprKind::Call(f(name), args),
            ty: DataType::Bool,
        }
    }

    /// A table of `ids` whose dictionary holds one more value than the rows (as after a
    /// filter), so rows are matched one by one.
    fn table(ids: &[&str]) -> Table {
        let with_unused: StrColumn = ids.iter().copied().chain(["unused"]).collect();
        let col = with_unused.gather(&(0..ids.len()).collect::<Vec<_>>());
        Table::new(
            vec![Field::new("id", DataType::String)],
            vec![Arc::new(Column::String(col))],
            ids.len(),
        )
        .unwrap_or_default()
    }

    fn keep(p: &Expr, t: &Table) -> Option<Vec<usize>> {
        extract_in_selection(p, t, &Context::new(0)).map(|r| r.unwrap_or_default())
    }

    const IDS: [&str; 5] = [
        "/s/1/providers/Microsoft.Security/assessments/aa/subassessments/x",
        "/s/2/PROVIDERS/microsoft.security/ASSESSMENTS/AA/subassessments/y",
        "/s/3/providers/Microsoft.Security/assessments/bb",
        "/s/4/providers/Microsoft.Compute/virtualMachines/vm",
        "/s/5/providers/Microsoft.Security/assessments/aa",
    ];

    #[test]
    fn keeps_rows_whose_group_is_a_literal_case_sensitively() {
        let t = table(&IDS);
        // Row 1's group is "AA": `==` and `in` are case-sensitive.
        let p = test("__in", vec![extract(KEY, 1), s("aa"), s("bb")]);
        assert_eq!(keep(&p, &t), Some(vec![0, 2, 4]));
        let p = test("__eq", vec![s("AA"), extract(KEY, 1)]);
        assert_eq!(keep(&p, &t), Some(vec![1]));
    }

    #[test]
    fn rows_without_a_match_extract_the_empty_string() {
        let t = table(&IDS);
        // Row 3 has no assessments segment; group 2 does not exist, so every row gives "".
        let p = test("__eq", vec![extract(KEY, 1), s("")]);
        assert_eq!(keep(&p, &t), Some(vec![3]));
        let p = test("__in", vec![extract(KEY, 2), s("")]);
        assert_eq!(keep(&p, &t), Some(vec![0, 1, 2, 3, 4]));
        let p = test("__in", vec![extract(KEY, 2), s("aa")]);
        assert_eq!(keep(&p, &t), Some(vec![]));
    }

    #[test]
    fn repeated_values_are_tested_once_per_distinct_value() {
        // More rows than distinct values: the dictionary path.
        let ids: Vec<&str> = IDS.iter().chain(IDS.iter()).copied().collect();
        let t = table(&ids);
        let p = test("__in", vec![extract(KEY, 1), s("bb"), s("zz")]);
        assert_eq!(keep(&p, &t), Some(vec![2, 7]));
    }

    #[test]
    fn other_shapes_are_left_to_the_general_evaluation() {
        let t = table(&IDS);
        let not_literal = test(
            "__in",
            vec![extract(KEY, 1), Expr::column(0, DataType::String)],
        );
        assert_eq!(keep(&not_literal, &t), None);
        let long = test(
            "__eq",
            vec![
                extract(KEY, 1),
                Expr::literal(Value::Long(1), DataType::Long),
            ],
        );
        assert_eq!(keep(&long, &t), None);
        let ci = test("__in_ci", vec![extract(KEY, 1), s("aa")]);
        assert_eq!(keep(&ci, &t), None);
    }
}
