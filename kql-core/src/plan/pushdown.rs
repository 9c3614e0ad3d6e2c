//! Filters moved below the projection that computes what they read (late materialization):
//! `… | extend k = extract(re, 1, id) | where k == "a" or k == "b" | …` becomes
//! `… | where extract(re, 1, id) in ("a", "b") | extend k = …`, so a computed column the
//! filter tests is not built for the rows the filter drops, and not at all when nothing above
//! the filter reads it (column pruning then drops it from the projection).
//!
//! The move keeps results because a projection maps row `r` of its input to row `r` of its
//! output: the predicate on output row `r` is the predicate, with each column replaced by the
//! expression computing it, on input row `r`. It is made only when every expression of the
//! projection depends on its own row alone (no `row_number`, `prev`/`next`, randomness or
//! subquery), and when each computed column the predicate reads is read once and is not needed
//! above the filter, so no expression runs twice for a row.

use super::{Expr, ExprKind};
use crate::functions::registry;
use crate::value::Value;
use std::collections::BTreeSet;

/// Functions whose result may differ between two calls with the same arguments.
pub const NOT_PER_VALUE: &[&str] = &["rand", "new_guid", "newguid"];

/// The predicate to run below a projection computing `exprs`, or `None` when the filter must
/// stay above it. `required` are the projection columns read above the filter.
pub fn below_project(predicate: &Expr, exprs: &[Expr], required: &BTreeSet<usize>) -> Option<Expr> {
    if !exprs.iter().all(row_local) || !row_local(predicate) {
        return None;
    }
    let predicate = literal_sets(predicate.clone());
    let mut reads = Vec::new();
    predicate.for_each_column_read(&mut |i| reads.push(i));
    for (k, &column) in reads.iter().enumerate() {
        let e = exprs.get(column)?;
        let computed = !matches!(e.kind, ExprKind::Column(_) | ExprKind::Literal(_));
        if computed && (required.contains(&column) || reads[..k].contains(&column)) {
            return None;
        }
    }
    // Nothing computed is read: the filter already runs on input columns only in effect, and
    // moving it gains nothing over leaving the plan as analyzed.
    if !reads
        .iter()
        .any(|&c| !matches!(exprs[c].kind, ExprKind::Column(_) | ExprKind::Literal(_)))
    {
        return None;
    }
    Some(substitute(predicate, exprs))
}

/// True when `e` depends on its own row's values alone.
fn row_local(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Column(_) | ExprKind::Literal(_) => true,
        ExprKind::Call(f, args) => !NOT_PER_VALUE.contains(&f.name) && args.iter().all(row_local),
        ExprKind::Path(b, _) | ExprKind::PathText(b, _) => row_local(b),
        ExprKind::Index(a, b) | ExprKind::And(a, b) | ExprKind::Or(a, b) => {
            row_local(a) && row_local(b)
        }
        ExprKind::RowNumber(_) | ExprKind::Shift(..) | ExprKind::Subquery(_) => false,
    }
}

/// `e` with each column `i` replaced by `exprs[i]`.
fn substitute(e: Expr, exprs: &[Expr]) -> Expr {
    let b = |x: Box<Expr>| Box::new(substitute(*x, exprs));
    let kind = match e.kind {
        ExprKind::Column(i) => match exprs.get(i) {
            Some(x) => return x.clone(),
            None => ExprKind::Column(i),
        },
        k @ (ExprKind::Literal(_) | ExprKind::Subquery(_) | ExprKind::RowNumber(_)) => k,
        ExprKind::Call(f, args) => {
            ExprKind::Call(f, args.into_iter().map(|a| substitute(a, exprs)).collect())
        }
        ExprKind::Path(base, steps) => ExprKind::Path(b(base), steps),
        ExprKind::PathText(base, steps) => ExprKind::PathText(b(base), steps),
        ExprKind::Index(x, y) => ExprKind::Index(b(x), b(y)),
        ExprKind::And(x, y) => ExprKind::And(b(x), b(y)),
        ExprKind::Or(x, y) => ExprKind::Or(b(x), b(y)),
        ExprKind::Shift(x, n, d) => ExprKind::Shift(b(x), n, b(d)),
    };
    Expr { kind, ty: e.ty }
}

/// Rewrites `c == "a" or c == "b" or c in ("x")` (one string column `c`, string literals
/// only) into `c in ("a", "b", "x")`, reading `c` once. Both forms give true or false, never
/// null, with the same case-sensitive comparison (`equals` of two strings), so the result is
/// the same for every row. Anything else is left as it is.
pub fn literal_sets(e: Expr) -> Expr {
    match e.kind {
        ExprKind::Or(a, b) => {
            let (a, b) = (literal_sets(*a), literal_sets(*b));
            match (literal_set(&a), literal_set(&b), registry::scalar("__in")) {
                (Some((ca, la)), Some((cb, lb)), Some(f)) if ca == cb => {
                    let mut args = vec![Expr::column(ca, crate::types::DataType::String)];
                    for v in la.into_iter().chain(lb) {
                        args.push(Expr::literal(v, crate::types::DataType::String));
                    }
                    Expr {
                        kind: ExprKind::Call(f, args),
                        ty: e.ty,
                    }
                }
                _ => Expr {
                    kind: ExprKind::Or(Box::new(a), Box::new(b)),
                    ty: e.ty,
                },
            }
        }
        ExprKind::And(a, b) => Expr {
            kind: ExprKind::And(Box::new(literal_sets(*a)), Box::new(literal_sets(*b))),
            ty: e.ty,
        },
        kind => Expr { kind, ty: e.ty },
    }
}

/// `(c, [literals])` when `e` is `c == "lit"`, `"lit" == c` or `c in ("lit", …)` for a string
/// column `c` and string literals.
fn literal_set(e: &Expr) -> Option<(usize, Vec<Value>)> {
    let ExprKind::Call(f, args) = &e.kind else {
        return None;
    };
    let string_column = |x: &Expr| match x.kind {
        ExprKind::Column(i) if x.ty == crate::types::DataType::String => Some(i),
        _ => None,
    };
    let string_literal = |x: &Expr| match x.as_literal() {
        Some(v @ Value::String(_)) if x.ty == crate::types::DataType::String => Some(v.clone()),
        _ => None,
    };
    match (f.name, &args[..]) {
        ("__eq", [a, b]) => match (string_column(a), string_column(b)) {
            (Some(c), None) => Some((c, vec![string_literal(b)?])),
            (None, Some(c)) => Some((c, vec![string_literal(a)?])),
            _ => None,
        },
        ("__in", [a, rest @ ..]) if !rest.is_empty() => Some((
            string_column(a)?,
            rest.iter()
                .map(string_literal)
                .collect::<Option<Vec<_>>>()?,
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::DataType;

    fn f(name: &str) -> &'static crate::functions::ScalarFunction {
        match registry::scalar(name) {
            Some(f) => f,
            None => unreachable!("no function {name}"),
        }
    }

    fn call(name: &str, args: Vec<Expr>, ty: DataType) -> Expr {
        Expr {
            kind: ExprKind::Call(f(name), args),
            ty,
        }
    }

    fn s(text: &str) -> Expr {
        Expr::literal(Value::string(text), DataType::String)
    }

    fn col(i: usize) -> Expr {
        Expr::column(i, DataType::String)
    }

    fn eq(a: Expr, b: Expr) -> Expr {
        call("__eq", vec![a, b], DataType::Bool)
    }

    fn or(a: Expr, b: Expr) -> Expr {
        Expr {
            kind: ExprKind::Or(Box::new(a), Box::new(b)),
            ty: DataType::Bool,
        }
    }

    /// `extract(re, 1, column 0)`.
    fn key() -> Expr {
        call(
            "extract",
            vec![
                s("a/([^/]*)"),
                Expr::literal(Value::Long(1), DataType::Long),
                col(0),
            ],
            DataType::String,
        )
    }

    /// The function name and argument shapes, as text (`Expr` has no equality).
    fn shape(e: &Expr) -> String {
        match &e.kind {
            ExprKind::Column(i) => format!("#{i}"),
            ExprKind::Literal(v) => format!("{v:?}"),
            ExprKind::Call(f, args) => {
                let args: Vec<String> = args.iter().map(shape).collect();
                format!("{}({})", f.name, args.join(", "))
            }
            ExprKind::Or(a, b) => format!("or({}, {})", shape(a), shape(b)),
            ExprKind::And(a, b) => format!("and({}, {})", shape(a), shape(b)),
            _ => "?".to_string(),
        }
    }

    #[test]
    fn equalities_with_string_literals_become_one_in() {
        let p = or(
            or(eq(col(1), s("a")), eq(s("b"), col(1))),
            eq(col(1), s("c")),
        );
        let want = format!(
            "__in(#1, {:?}, {:?}, {:?})",
            Value::string("a"),
            Value::string("b"),
            Value::string("c")
        );
        assert_eq!(shape(&literal_sets(p)), want);
        // Two columns, or a literal of another type, stay an `or`.
        let two = or(eq(col(1), s("a")), eq(col(2), s("b")));
        assert!(shape(&literal_sets(two)).starts_with("or("));
        let long = Expr::literal(Value::Long(1), DataType::Long);
        let mixed = or(eq(col(1), s("a")), eq(col(1), long));
        assert!(shape(&literal_sets(mixed)).starts_with("or("));
        let column = or(eq(col(1), s("a")), eq(col(1), col(2)));
        assert!(shape(&literal_sets(column)).starts_with("or("));
    }

    #[test]
    fn a_filter_on_an_unread_computed_column_moves_below_the_projection() {
        let exprs = vec![col(0), key()];
        let p = or(eq(col(1), s("x")), eq(col(1), s("y")));
        let above: BTreeSet<usize> = [0].into_iter().collect();
        let moved = below_project(&p, &exprs, &above).map(|e| shape(&e));
        let want = format!(
            "__in({}, {:?}, {:?})",
            shape(&key()),
            Value::string("x"),
            Value::string("y")
        );
        assert_eq!(moved, Some(want));
    }

    #[test]
    fn the_filter_stays_when_moving_would_compute_twice_or_change_rows() {
        let p = or(eq(col(1), s("x")), eq(col(1), s("y")));
        // The key is read above the filter.
        let both: BTreeSet<usize> = [0, 1].into_iter().collect();
        assert!(below_project(&p, &[col(0), key()], &both).is_none());
        // The key is read twice by a predicate that is not a literal set.
        let twice = or(eq(col(1), s("x")), eq(col(1), col(0)));
        let none = BTreeSet::new();
        assert!(below_project(&twice, &[col(0), key()], &none).is_none());
        // A row number would count other rows below the filter.
        let rn = Expr {
            kind: ExprKind::RowNumber(1),
            ty: DataType::Long,
        };
        assert!(below_project(&p, &[col(0), key(), rn], &none).is_none());
        // Only plain columns are read: nothing to gain.
        assert!(below_project(&eq(col(0), s("x")), &[col(0), key()], &none).is_none());
    }
}
