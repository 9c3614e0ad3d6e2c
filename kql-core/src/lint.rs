//! Lint warnings for ARG gotchas: queries that are valid but silently return nothing on real
//! ARG data because of casing (semantics reference §1.2): `type` is stored lower-case while
//! `id` keeps ARM casing that varies between rows (`subAssessments` vs `subassessments`).

use crate::error::Span;
use crate::syntax::ast::{
    BinaryOp, Expr, ExprKind, LetValue, Literal, OperatorKind, PatternPart, Query, Source,
    Statement, TabularExpr,
};

/// A warning about a query: where, and what to do instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// The spot in the query text.
    pub span: Span,
    /// What is wrong and how to fix it.
    pub message: String,
}

impl Warning {
    /// The warning with the query line and a caret under the spot.
    pub fn render(&self, source: &str) -> String {
        crate::diagnostic::report("warning", &self.message, Some(self.span), source)
    }
}

/// The warnings for a parsed query.
///
/// ```
/// let q = kql_core::syntax::parse("resources | where type == 'Microsoft.Compute/virtualMachines'")?;
/// let w = kql_core::lint::lint(&q);
/// assert!(w[0].message.contains("lower-case"));
/// # Ok::<(), kql_core::Error>(())
/// ```
pub fn lint(query: &Query) -> Vec<Warning> {
    let mut out = Vec::new();
    for s in &query.statements {
        match s {
            Statement::Let(l) => match &l.value {
                LetValue::Scalar(e) => expr(e, &mut out),
                LetValue::Tabular(t) => tabular(t, &mut out),
                LetValue::Function(f) => {
                    for s in &f.body {
                        if let Statement::Tabular(t) = s {
                            tabular(t, &mut out);
                        }
                    }
                }
            },
            Statement::Tabular(t) => tabular(t, &mut out),
            Statement::Expr(e) => expr(e, &mut out),
        }
    }
    out
}

fn tabular(t: &TabularExpr, out: &mut Vec<Warning>) {
    match &t.source {
        Source::Paren(inner) => tabular(inner, out),
        Source::Union(u) => u.legs.iter().for_each(|l| tabular(l, out)),
        _ => {}
    }
    for op in &t.operators {
        match &op.kind {
            OperatorKind::Where(e) => expr(e, out),
            OperatorKind::Extend(items) | OperatorKind::Project(items) => {
                items.iter().for_each(|i| expr(&i.expr, out))
            }
            OperatorKind::Parse(p) if is_column(&p.expr, "id") => {
                for part in &p.pattern {
                    if let PatternPart::Literal(text, span) = part {
                        if text.chars().any(|c| c.is_ascii_alphabetic()) && p.flags.is_none() {
                            out.push(Warning {
                                    span: *span,
                                    message: format!(
                                        "`parse` matches '{text}' case-sensitively, but ARG ids vary in casing \
                                         (e.g. `subAssessments` and `subassessments`); rows whose id is cased \
                                         differently are silently skipped. Parse `tolower(id)` with a lower-case \
                                         pattern, or use `kind=regex flags=i`"
                                    ),
                                });
                        }
                    }
                }
            }
            OperatorKind::Join(j) | OperatorKind::Lookup(j) => tabular(&j.right, out),
            OperatorKind::Union(u) => u.legs.iter().for_each(|l| tabular(l, out)),
            _ => {}
        }
    }
}

fn is_column(e: &Expr, name: &str) -> bool {
    matches!(&e.kind, ExprKind::Name(id) if id.name == name)
}

fn string_literal(e: &Expr) -> Option<&str> {
    match &e.kind {
        ExprKind::Literal(Literal::String(s)) => Some(s),
        _ => None,
    }
}

fn expr(e: &Expr, out: &mut Vec<Warning>) {
    match &e.kind {
        ExprKind::Binary(op @ (BinaryOp::Eq | BinaryOp::Ne), a, b) => {
            for (col, lit) in [(a, b), (b, a)] {
                let Some(text) = string_literal(lit) else {
                    continue;
                };
                let which = if *op == BinaryOp::Eq { "==" } else { "!=" };
                if is_column(col, "type") && text.chars().any(|c| c.is_ascii_uppercase()) {
                    out.push(Warning {
                        span: lit.span,
                        message: format!(
                            "ARG stores `type` in lower-case, so `type {which} '{text}'` never matches; \
                             write '{}' or use `=~`",
                            text.to_ascii_lowercase()
                        ),
                    });
                }
                if is_column(col, "id") {
                    out.push(Warning {
                        span: e.span,
                        message: format!(
                            "`id {which}` compares case-sensitively, but ARG ids vary in casing between \
                             rows and tables; use `=~` (or `!~`)"
                        ),
                    });
                }
            }
            expr(a, out);
            expr(b, out);
        }
        ExprKind::Binary(_, a, b) | ExprKind::Index(a, b) => {
            expr(a, out);
            expr(b, out);
        }
        ExprKind::Unary(_, a) | ExprKind::Member(a, _) | ExprKind::NamedArg(_, a) => expr(a, out),
        ExprKind::Call(_, args) => args.iter().for_each(|a| expr(a, out)),
        ExprKind::In { expr: x, list, .. } | ExprKind::HasList { expr: x, list, .. } => {
            expr(x, out);
            list.iter().for_each(|a| expr(a, out));
        }
        ExprKind::Between {
            expr: x, low, high, ..
        } => {
            expr(x, out);
            expr(low, out);
            expr(high, out);
        }
        ExprKind::Tabular(t) => tabular(t, out),
        ExprKind::Literal(_) | ExprKind::Name(_) | ExprKind::Star => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn warnings(q: &str) -> Vec<String> {
        let ast = crate::syntax::parse(q).expect("parses");
        lint(&ast).into_iter().map(|w| w.message).collect()
    }

    #[test]
    fn flags_arg_casing_gotchas() {
        assert_eq!(
            warnings("resources | where type == 'microsoft.compute/virtualmachines'").len(),
            0
        );
        assert_eq!(
            warnings("resources | where type =~ 'Microsoft.Compute/virtualMachines'").len(),
            0
        );
        assert!(
            warnings("resources | where type == 'Microsoft.Compute/virtualMachines'")[0]
                .contains("lower-case")
        );
        assert!(warnings("resources | where id == 'x'")[0].contains("=~"));
        let w = warnings("securityresources | parse id with * '/subassessments/' sub:string");
        assert!(w[0].contains("subAssessments"), "{w:?}");
        assert!(
            warnings("securityresources | parse tolower(id) with * '/subassessments/' s")
                .is_empty()
        );
    }
}
