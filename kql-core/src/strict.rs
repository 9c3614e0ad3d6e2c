//! Strict ARG mode: rejects what Azure Resource Graph rejects, with an error naming the rule
//! (semantics reference §1.3). Plain Kusto is the default; this mode is opt-in.

use crate::error::{Error, ErrorKind, Result, Span};
use crate::syntax::ast::{JoinKind, LetValue, OperatorKind, Query, Source, Statement, TabularExpr};

/// ARG's limit on `join`s in one query.
pub const MAX_JOINS: usize = 3;
/// ARG's limit on `mv-expand`s in one query. The ARG page says 2 in its table and 3 in the
/// paragraph below it; this follows the table (the operator's own row).
pub const MAX_MV_EXPANDS: usize = 2;
/// ARG's limit on the legs of a `union`.
pub const MAX_UNION_LEGS: usize = 3;
/// ARG's default row limit of `mv-expand` per input row.
pub const MV_EXPAND_DEFAULT_LIMIT: usize = 128;
/// ARG's maximum row limit of `mv-expand` per input row.
pub const MV_EXPAND_MAX_LIMIT: usize = 400;

#[derive(Default)]
struct Counts {
    joins: usize,
    mv_expands: usize,
}

fn reject(span: Span, rule: &str) -> Error {
    Error::at(
        ErrorKind::Semantic,
        span,
        format!("not allowed in Azure Resource Graph (strict mode): {rule}"),
    )
}

/// Checks `query` against ARG's rules.
///
/// ```
/// let q = kql_core::syntax::parse("print x = 1")?;
/// let e = kql_core::strict::check(&q).unwrap_err();
/// assert!(e.message.contains("print"));
/// # Ok::<(), kql_core::Error>(())
/// ```
pub fn check(query: &Query) -> Result<()> {
    let mut counts = Counts::default();
    for s in &query.statements {
        match s {
            Statement::Let(l) => match &l.value {
                LetValue::Tabular(t) => tabular(t, &mut counts)?,
                LetValue::Function(f) => {
                    for s in &f.body {
                        if let Statement::Tabular(t) = s {
                            tabular(t, &mut counts)?;
                        }
                    }
                }
                LetValue::Scalar(_) => {}
            },
            Statement::Tabular(t) => tabular(t, &mut counts)?,
            Statement::Expr(_) => {}
        }
    }
    Ok(())
}

fn tabular(t: &TabularExpr, counts: &mut Counts) -> Result<()> {
    match &t.source {
        Source::Datatable { span, .. } => {
            return Err(reject(*span, "`datatable` is not an ARG operator"))
        }
        Source::Print(_, span) => return Err(reject(*span, "`print` is not an ARG operator")),
        Source::Range { span, .. } => return Err(reject(*span, "`range` is not an ARG operator")),
        Source::Union(u) => {
            return Err(reject(u.span, "`union` must follow a table: `T | union …`"))
        }
        Source::Paren(inner) => tabular(inner, counts)?,
        _ => {}
    }
    for op in &t.operators {
        let name = match &op.kind {
            OperatorKind::Where(_)
            | OperatorKind::Extend(_)
            | OperatorKind::Project(_)
            | OperatorKind::ProjectAway(_)
            | OperatorKind::Summarize { .. }
            | OperatorKind::Take(_)
            | OperatorKind::Count(_)
            | OperatorKind::Sort(_)
            | OperatorKind::Top { .. }
            | OperatorKind::Distinct(_) => None,
            OperatorKind::MvExpand(_) => {
                counts.mv_expands += 1;
                if counts.mv_expands > MAX_MV_EXPANDS {
                    return Err(reject(
                        op.span,
                        &format!("at most {MAX_MV_EXPANDS} `mv-expand` per query"),
                    ));
                }
                None
            }
            OperatorKind::Join(j) => {
                counts.joins += 1;
                if counts.joins > MAX_JOINS {
                    return Err(reject(
                        op.span,
                        &format!("at most {MAX_JOINS} `join`s per query"),
                    ));
                }
                if !j.hints.is_empty() {
                    return Err(reject(op.span, "join hints are not allowed"));
                }
                if let Some(kind) = j.kind {
                    if !matches!(
                        kind,
                        JoinKind::InnerUnique
                            | JoinKind::Inner
                            | JoinKind::LeftOuter
                            | JoinKind::FullOuter
                    ) {
                        return Err(reject(
                            op.span,
                            "join kinds are limited to innerunique, inner, leftouter and fullouter",
                        ));
                    }
                }
                tabular(&j.right, counts)?;
                None
            }
            OperatorKind::Union(u) => {
                if u.is_fuzzy {
                    return Err(reject(op.span, "`isfuzzy` is not allowed in `union`"));
                }
                if u.legs.len() + 1 > MAX_UNION_LEGS {
                    return Err(reject(
                        op.span,
                        &format!("at most {MAX_UNION_LEGS} union legs"),
                    ));
                }
                for leg in &u.legs {
                    tabular(leg, counts)?;
                }
                None
            }
            OperatorKind::Parse(p) if p.is_where => Some("parse-where"),
            OperatorKind::Parse(_) => None,
            OperatorKind::ProjectKeep(_) => Some("project-keep"),
            OperatorKind::ProjectRename(_) => Some("project-rename"),
            OperatorKind::ProjectReorder(_) => Some("project-reorder"),
            OperatorKind::Lookup(_) => Some("lookup"),
            OperatorKind::Sample(_) => Some("sample"),
            OperatorKind::SampleDistinct { .. } => Some("sample-distinct"),
            OperatorKind::GetSchema => Some("getschema"),
            OperatorKind::As(_) => Some("as"),
            OperatorKind::Serialize(_) => Some("serialize"),
            OperatorKind::Search(_) => Some("search"),
            OperatorKind::Render(_) => Some("render"),
            OperatorKind::Evaluate(..) => Some("evaluate"),
        };
        if let Some(name) = name {
            return Err(reject(op.span, &format!("`{name}` is not an ARG operator")));
        }
    }
    Ok(())
}
