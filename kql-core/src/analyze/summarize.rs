//! `summarize`: group keys first, then aggregates (semantics reference §5.5), with the output
//! names of §7 and §8; expressions over aggregates become hidden aggregates and a projection.

use super::expr::Scope;
use super::names::{derived_name, unique_name};
use super::{Analyzer, Env};
use crate::error::{Error, ErrorKind, Result, Span};
use crate::functions::registry::{self, AggKind};
use crate::plan::{Aggregate, Expr, Node};
use crate::store::Field;
use crate::syntax::ast;
use crate::types::DataType;

impl Analyzer<'_> {
    /// `summarize aggs by keys`: keys first, then aggregates (§5.5); names by §7/§8.
    pub(super) fn summarize(
        &self,
        aggs: &[ast::NamedExpr],
        by: &[ast::NamedExpr],
        input: Node,
        fields: &[Field],
        env: &Env,
    ) -> Result<(Node, Vec<Field>)> {
        let scope = Scope { fields, env };
        let mut out: Vec<Field> = Vec::new();
        let mut keys = Vec::new();
        for item in by {
            let e = self.bind(&item.expr, scope)?;
            let name = match item.names.first() {
                Some(n) => n.name.clone(),
                None => derived_name(&item.expr).unwrap_or_else(|| self.next_column_name(&out)),
            };
            if out.iter().any(|f| f.name == name) {
                return Err(Error::at(
                    ErrorKind::Semantic,
                    item.expr.span,
                    format!("duplicate group key `{name}`"),
                ));
            }
            out.push(Field::new(name, e.ty));
            keys.push(e);
        }
        let mut aggregates = Vec::new();
        // Output columns over the summarize result; a `Project` is added only when an item
        // computes over aggregates (`round(avg(x), 2)`, `tostring(make_set(y))`).
        let mut finals: Vec<(Field, Expr)> = out
            .iter()
            .enumerate()
            .map(|(i, f)| (f.clone(), Expr::column(i, f.ty)))
            .collect();
        let mut computed = false;
        let aggs = expand_percentiles(aggs);
        for item in aggs.iter() {
            if !is_aggregate_call(&item.expr) {
                computed = true;
                let mut hidden = Vec::new();
                let rewritten = extract_aggregates(&item.expr, &mut hidden, out.len());
                for h in &hidden {
                    let (agg, names) = self.aggregate(h, scope, &out)?;
                    for (name, ty) in names {
                        out.push(Field::new(format!("__agg_{}", out.len()), ty));
                        let _ = name;
                    }
                    aggregates.push(agg);
                }
                let e = self.bind(&rewritten, Scope { fields: &out, env })?;
                let taken: Vec<Field> = finals.iter().map(|(f, _)| f.clone()).collect();
                let name = match item.names.first() {
                    Some(n) => n.name.clone(),
                    None => {
                        computed_name(&item.expr).unwrap_or_else(|| self.next_column_name(&taken))
                    }
                };
                if finals.iter().any(|(f, _)| f.name == name) {
                    return Err(Error::at(
                        ErrorKind::Semantic,
                        item.expr.span,
                        format!("duplicate column name `{name}`"),
                    ));
                }
                finals.push((Field::new(name, e.ty), e));
                continue;
            }
            let (agg, names) = self.aggregate(item, scope, &out)?;
            for (i, (name, ty)) in names.into_iter().enumerate() {
                let explicit = i == 0 && !item.names.is_empty();
                let taken = |n: &str| {
                    out.iter().any(|f| f.name == n) || finals.iter().any(|(f, _)| f.name == n)
                };
                let name = if explicit && taken(&name) {
                    return Err(Error::at(
                        ErrorKind::Semantic,
                        item.expr.span,
                        format!("duplicate column name `{name}`"),
                    ));
                } else {
                    unique_name(&name, taken)
                };
                let field = Field::new(name, ty);
                finals.push((field.clone(), Expr::column(out.len(), ty)));
                out.push(field);
            }
            aggregates.push(agg);
        }
        let node = Node::Summarize {
            input: Box::new(input),
            keys,
            aggregates,
        };
        if !computed {
            return Ok((node, out));
        }
        let (fields, exprs): (Vec<Field>, Vec<Expr>) = finals.into_iter().unzip();
        Ok((
            Node::Project {
                input: Box::new(node),
                exprs,
            },
            fields,
        ))
    }

    /// One aggregate call and the names and types of the columns it outputs.
    fn aggregate(
        &self,
        item: &ast::NamedExpr,
        scope: Scope,
        _out: &[Field],
    ) -> Result<(Aggregate, Vec<(String, DataType)>)> {
        let ast::ExprKind::Call(f, args) = &item.expr.kind else {
            return Err(Error::at(
                ErrorKind::Semantic,
                item.expr.span,
                "summarize needs an aggregate function call here, such as count() or max(x)",
            ));
        };
        let Some(function) = registry::aggregate(&f.name) else {
            let mut err = Error::at(
                ErrorKind::UnknownFunction,
                f.span,
                format!("unknown aggregate function `{}`", f.name),
            );
            let names = registry::AGGREGATES.iter().map(|a| a.name);
            if let Some(s) = super::names::suggest(&f.name, names) {
                err = err.with_hint(format!("did you mean `{s}`?"));
            }
            return Err(err);
        };
        let kind = function.kind;
        // ARG accepts count(x); it counts rows like count().
        let args_ast: &[ast::Expr] = if kind == AggKind::Count { &[] } else { args };
        let (min, max) = function.arity;
        if args.len() < min || args.len() > max {
            return Err(Error::at(
                ErrorKind::Type,
                item.expr.span,
                format!(
                    "`{}` takes {min} to {max} arguments, got {}",
                    f.name,
                    args.len()
                ),
            ));
        }
        let mut bound = self.bind_args(args_ast, scope)?;
        let star = args.iter().any(|a| matches!(a.kind, ast::ExprKind::Star));
        let first_name = args.first().and_then(derived_name);
        let explicit = item.names.first().map(|n| n.name.clone());
        if kind.selects_row() {
            let mut names = Vec::new();
            let first_expr_index = if star && kind != AggKind::TakeAny {
                1
            } else {
                0
            };
            if star {
                // `arg_max(x, *)`: x, then every other input column except the group keys
                // and x itself (§7). `take_any(*)`: every column.
                let by_col = match bound.first().map(|e| &e.kind) {
                    Some(crate::plan::ExprKind::Column(i)) if kind != AggKind::TakeAny => Some(*i),
                    _ => None,
                };
                let first = if kind == AggKind::TakeAny {
                    None
                } else {
                    bound.first().cloned()
                };
                let mut exprs: Vec<Expr> = first.into_iter().collect();
                let key_names: Vec<&str> = _out.iter().map(|f| f.name.as_str()).collect();
                for (i, fld) in scope.fields.iter().enumerate() {
                    if Some(i) == by_col || key_names.contains(&fld.name.as_str()) {
                        continue;
                    }
                    exprs.push(Expr::column(i, fld.ty));
                }
                if kind != AggKind::TakeAny {
                    names.push(
                        explicit
                            .clone()
                            .or(first_name.clone())
                            .unwrap_or_else(|| format!("{}_", function.prefix)),
                    );
                }
                for e in &exprs[names.len()..] {
                    if let crate::plan::ExprKind::Column(i) = e.kind {
                        names.push(scope.fields[i].name.clone());
                    }
                }
                bound = exprs;
            } else {
                for (i, a) in args.iter().enumerate() {
                    let n = if i == 0 {
                        explicit.clone().or_else(|| {
                            derived_name(a).map(|n| {
                                if f.name == "any" {
                                    format!("any_{n}")
                                } else {
                                    n
                                }
                            })
                        })
                    } else {
                        derived_name(a)
                    };
                    names.push(n.unwrap_or_else(|| {
                        if i == 0 {
                            format!("{}_", function.prefix)
                        } else {
                            format!(
                                "{}_{}_arg{i}",
                                function.prefix,
                                first_name.clone().unwrap_or_default()
                            )
                        }
                    }));
                }
            }
            let _ = first_expr_index;
            let typed: Vec<(String, DataType)> =
                names.into_iter().zip(bound.iter().map(|e| e.ty)).collect();
            let agg = Aggregate {
                function,
                args: bound,
                ty: typed.first().map_or(DataType::Long, |t| t.1),
            };
            return Ok((agg, typed));
        }
        let ty = aggregate_type(kind, bound.first().map(|e| e.ty), item.expr.span)?;
        let name = explicit.unwrap_or_else(|| match (kind, &first_name) {
            (AggKind::CountIf, _) => "countif_".to_string(),
            (AggKind::Percentile, Some(n)) => {
                let p = match args.get(1).map(|a| &a.kind) {
                    Some(ast::ExprKind::Literal(ast::Literal::Long(Some(v)))) => v.to_string(),
                    Some(ast::ExprKind::Literal(ast::Literal::Real(Some(v)))) => v.to_string(),
                    _ => String::new(),
                };
                format!("percentile_{n}_{}", p.replace(['.', '-'], "_"))
            }
            (_, Some(n)) => format!("{}_{n}", function.prefix),
            (_, None) => format!("{}_", function.prefix),
        });
        Ok((
            Aggregate {
                function,
                args: bound,
                ty,
            },
            vec![(name, ty)],
        ))
    }
}

/// The result type of an aggregate over an argument of type `arg`.
fn aggregate_type(kind: AggKind, arg: Option<DataType>, span: Span) -> Result<DataType> {
    use AggKind::*;
    Ok(match kind {
        Count | CountIf | DCount | DCountIf | CountDistinct => DataType::Long,
        Sum | SumIf => match arg {
            Some(DataType::Int | DataType::Long | DataType::Bool) => DataType::Long,
            Some(DataType::TimeSpan) => DataType::TimeSpan,
            Some(DataType::Decimal) => DataType::Decimal,
            Some(DataType::Real | DataType::Dynamic) => DataType::Real,
            Some(t) => {
                return Err(Error::at(
                    ErrorKind::Type,
                    span,
                    format!("sum needs numbers, got {t}"),
                ))
            }
            None => DataType::Long,
        },
        Avg | AvgIf | Stdev | Variance => DataType::Real,
        Min | Max | MinIf | MaxIf | TakeAnyIf | Percentile => arg.unwrap_or(DataType::Long),
        MakeSet | MakeSetIf | MakeList | MakeListIf | MakeListWithNulls | MakeBag | MakeBagIf
        | PercentilesArray | Hll | HllMerge | TDigest | TDigestMerge | BuildSchema => {
            DataType::Dynamic
        }
        ArgMax | ArgMin | TakeAny => arg.unwrap_or(DataType::Long),
    })
}

/// `percentiles(x, p1, …, pn)` as the `n` aggregates `percentile(x, pi)`, one column each
/// (`percentile_x_50`, …; the tuple form `(a, b) = percentiles(x, 50, 95)` names them).
fn expand_percentiles(aggs: &[ast::NamedExpr]) -> std::borrow::Cow<'_, [ast::NamedExpr]> {
    let is_percentiles = |e: &ast::Expr| matches!(&e.kind, ast::ExprKind::Call(f, args) if f.name == "percentiles" && args.len() >= 2);
    if !aggs.iter().any(|a| is_percentiles(&a.expr)) {
        return std::borrow::Cow::Borrowed(aggs);
    }
    let mut out = Vec::new();
    for item in aggs {
        match &item.expr.kind {
            ast::ExprKind::Call(f, args) if is_percentiles(&item.expr) => {
                let (value, percents) = match args.split_first() {
                    Some(split) => split,
                    None => continue,
                };
                for (i, p) in percents.iter().enumerate() {
                    let call = ast::ExprKind::Call(
                        ast::Ident {
                            name: "percentile".into(),
                            span: f.span,
                        },
                        vec![value.clone(), p.clone()],
                    );
                    out.push(ast::NamedExpr {
                        names: item.names.get(i).cloned().into_iter().collect(),
                        expr: ast::Expr::new(call, item.expr.span),
                    });
                }
            }
            _ => out.push(item.clone()),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// The name of an unnamed expression over aggregates: functions named after their first
/// argument pass the aggregate's name through (`bin(sum(x), 1)` → `sum_x`, §8).
fn computed_name(e: &ast::Expr) -> Option<String> {
    if let ast::ExprKind::NamedArg(name, _) = &e.kind {
        return Some(name.name.clone());
    }
    let ast::ExprKind::Call(f, args) = &e.kind else {
        return None;
    };
    if is_aggregate_call(e) {
        let agg = registry::aggregate(&f.name)?;
        let arg = match agg.kind {
            AggKind::Count | AggKind::CountIf => None,
            _ => args.first().and_then(derived_name),
        };
        return Some(format!("{}_{}", agg.prefix, arg.unwrap_or_default()));
    }
    match registry::scalar(&f.name)?.naming {
        crate::functions::Naming::FirstArg => computed_name(args.first()?),
        _ => None,
    }
}

/// True when `e` is a call of an aggregate function (and not of a scalar one).
fn is_aggregate_call(e: &ast::Expr) -> bool {
    matches!(&e.kind, ast::ExprKind::Call(f, _)
        if registry::aggregate(&f.name).is_some() && registry::scalar(&f.name).is_none())
}

/// Replaces each aggregate call inside `e` by a reference to a hidden column `__agg_<n>`
/// (numbered from `next`), collecting the calls.
fn extract_aggregates(e: &ast::Expr, found: &mut Vec<ast::NamedExpr>, next: usize) -> ast::Expr {
    if is_aggregate_call(e) {
        let name = format!("__agg_{}", next + found.len());
        found.push(ast::NamedExpr {
            names: vec![],
            expr: e.clone(),
        });
        return ast::Expr::new(
            ast::ExprKind::Name(ast::Ident { name, span: e.span }),
            e.span,
        );
    }
    let mut copy = e.clone();
    let recurse = |x: &mut ast::Expr, found: &mut Vec<ast::NamedExpr>| {
        *x = extract_aggregates(x, found, next);
    };
    match &mut copy.kind {
        ast::ExprKind::Call(_, args) => args.iter_mut().for_each(|a| recurse(a, found)),
        ast::ExprKind::Unary(_, a)
        | ast::ExprKind::Member(a, _)
        | ast::ExprKind::NamedArg(_, a) => recurse(a, found),
        ast::ExprKind::Binary(_, a, b) | ast::ExprKind::Index(a, b) => {
            recurse(a, found);
            recurse(b, found);
        }
        ast::ExprKind::In { expr, list, .. } | ast::ExprKind::HasList { expr, list, .. } => {
            recurse(expr, found);
            list.iter_mut().for_each(|a| recurse(a, found));
        }
        ast::ExprKind::Between {
            expr, low, high, ..
        } => {
            recurse(expr, found);
            recurse(low, found);
            recurse(high, found);
        }
        _ => {}
    }
    copy
}
