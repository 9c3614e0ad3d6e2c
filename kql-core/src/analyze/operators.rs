//! Analysis of the tabular operators: each takes the input plan and schema and gives the
//! output plan and schema, naming columns by the rules of semantics reference §5 and §8.

use super::expr::Scope;
use super::names::{derived_name, unique_name};
use super::{Analyzer, Env};
use crate::error::{Error, ErrorKind, Result, Span};
use crate::functions::registry;
use crate::plan::{
    Aggregate, Expr, ExprKind, JoinKind, Node, OutputSlot, ParseMatcher, ParsePlan, SortKey,
};
use crate::store::Field;
use crate::syntax::ast::{self, OperatorKind};
use crate::types::DataType;
use crate::value::Value;
use std::sync::Arc;

/// Replaces every column reference by the expression computing that column.
fn substitute(e: &Expr, columns: &[Expr]) -> Expr {
    let kind = match &e.kind {
        ExprKind::Column(i) => return columns.get(*i).cloned().unwrap_or_else(|| e.clone()),
        ExprKind::Literal(_) | ExprKind::Subquery(_) | ExprKind::RowNumber(_) => return e.clone(),
        ExprKind::Shift(a, n, d) => ExprKind::Shift(
            Box::new(substitute(a, columns)),
            *n,
            Box::new(substitute(d, columns)),
        ),
        ExprKind::Call(f, args) => {
            ExprKind::Call(f, args.iter().map(|a| substitute(a, columns)).collect())
        }
        ExprKind::Path(b, steps) => ExprKind::Path(Box::new(substitute(b, columns)), steps.clone()),
        ExprKind::PathText(b, steps) => {
            ExprKind::PathText(Box::new(substitute(b, columns)), steps.clone())
        }
        ExprKind::Index(b, i) => ExprKind::Index(
            Box::new(substitute(b, columns)),
            Box::new(substitute(i, columns)),
        ),
        ExprKind::And(a, b) => ExprKind::And(
            Box::new(substitute(a, columns)),
            Box::new(substitute(b, columns)),
        ),
        ExprKind::Or(a, b) => ExprKind::Or(
            Box::new(substitute(a, columns)),
            Box::new(substitute(b, columns)),
        ),
    };
    Expr { kind, ty: e.ty }
}

/// The highest column position an expression reads, if any.
fn max_column(e: &Expr) -> Option<usize> {
    match &e.kind {
        ExprKind::Column(i) => Some(*i),
        ExprKind::Literal(_) | ExprKind::Subquery(_) | ExprKind::RowNumber(_) => None,
        ExprKind::Shift(a, _, d) => max_column(a).max(max_column(d)),
        ExprKind::Call(_, args) => args.iter().filter_map(max_column).max(),
        ExprKind::Path(b, _) | ExprKind::PathText(b, _) => max_column(b),
        ExprKind::Index(a, b) | ExprKind::And(a, b) | ExprKind::Or(a, b) => {
            max_column(a).max(max_column(b))
        }
    }
}

/// A filter over a join that reads only left columns runs on the left input first. For
/// `innerunique` this changes which left rows survive the de-duplication, and the join
/// documentation says Kusto does exactly this ("the filter is pushed to the left side").
fn push_filter(input: Node, predicate: Expr) -> Node {
    match input {
        Node::Join {
            left,
            right,
            kind,
            keys,
            right_columns,
        } if matches!(
            kind,
            JoinKind::InnerUnique
                | JoinKind::Inner
                | JoinKind::LeftOuter
                | JoinKind::LeftSemi
                | JoinKind::LeftAnti
        ) && left_width(&left)
            .is_some_and(|w| max_column(&predicate).is_some_and(|m| m < w)) =>
        {
            let left = Box::new(push_filter(*left, predicate));
            Node::Join {
                left,
                right,
                kind,
                keys,
                right_columns,
            }
        }
        input => Node::Filter {
            input: Box::new(input),
            predicate,
        },
    }
}

/// Number of output columns of a node, where it is known without the schema.
fn left_width(n: &Node) -> Option<usize> {
    match n {
        Node::Scan(t) | Node::Values(t) => Some(t.num_columns()),
        Node::Project { exprs, .. } => Some(exprs.len()),
        Node::Filter { input, .. } | Node::Take { input, .. } | Node::Sort { input, .. } => {
            left_width(input)
        }
        _ => None,
    }
}

fn identity(fields: &[Field]) -> Vec<Expr> {
    fields
        .iter()
        .enumerate()
        .map(|(i, f)| Expr::column(i, f.ty))
        .collect()
}

fn project(input: Node, exprs: Vec<Expr>) -> Node {
    Node::Project {
        input: Box::new(input),
        exprs,
    }
}

/// Column names matching a `project-away` / `project-keep` pattern (`*` wildcards).
fn matches_pattern(pattern: &str, name: &str) -> bool {
    if !pattern.contains('*') {
        return pattern == name;
    }
    let parts: Vec<&str> = pattern.split('*').collect();
    let mut rest = name;
    for (i, part) in parts.iter().enumerate() {
        if i == 0 {
            match rest.strip_prefix(part) {
                Some(r) => rest = r,
                None => return false,
            }
        } else if i == parts.len() - 1 {
            return rest.ends_with(part);
        } else {
            match rest.find(part) {
                Some(p) => rest = &rest[p + part.len()..],
                None => return false,
            }
        }
    }
    true
}

fn unknown_column(id: &ast::Ident, fields: &[Field]) -> Error {
    let mut err = Error::at(
        ErrorKind::UnknownColumn,
        id.span,
        format!("unknown column `{}`", id.name),
    );
    if let Some(s) = super::names::suggest(&id.name, fields.iter().map(|f| f.name.as_str())) {
        err = err.with_hint(format!("did you mean `{s}`?"));
    }
    err
}

fn constant_count(v: &Value, span: Span) -> Result<usize> {
    match crate::functions::conversion::to_long(v) {
        Some(n) => Ok(n.max(0) as usize),
        None => Err(Error::at(
            ErrorKind::Type,
            span,
            "expected a constant row count",
        )),
    }
}

impl Analyzer<'_> {
    pub(super) fn operator(
        &self,
        op: &ast::Operator,
        input: Node,
        fields: Vec<Field>,
        env: &Env,
    ) -> Result<(Node, Vec<Field>)> {
        let scope = Scope {
            fields: &fields,
            env,
        };
        match &op.kind {
            OperatorKind::Where(p) | OperatorKind::Search(p) => {
                let predicate = self.bind(p, scope)?;
                if !matches!(predicate.ty, DataType::Bool | DataType::Dynamic) {
                    return Err(Error::at(
                        ErrorKind::Type,
                        p.span,
                        format!("`where` needs a bool predicate, got {}", predicate.ty),
                    ));
                }
                Ok((push_filter(input, predicate), fields))
            }
            OperatorKind::Extend(items) | OperatorKind::Serialize(items) => {
                self.extend(items, input, fields, env)
            }
            OperatorKind::Project(items) => self.project(items, input, &fields, env),
            OperatorKind::ProjectAway(patterns) => {
                for p in patterns {
                    if !fields.iter().any(|f| matches_pattern(&p.name, &f.name))
                        && !p.name.contains('*')
                    {
                        return Err(unknown_column(p, &fields));
                    }
                }
                let keep: Vec<usize> = (0..fields.len())
                    .filter(|&i| {
                        !patterns
                            .iter()
                            .any(|p| matches_pattern(&p.name, &fields[i].name))
                    })
                    .collect();
                Ok(self.select(input, &fields, &keep))
            }
            OperatorKind::ProjectKeep(patterns) => {
                for p in patterns {
                    if !fields.iter().any(|f| matches_pattern(&p.name, &f.name))
                        && !p.name.contains('*')
                    {
                        return Err(unknown_column(p, &fields));
                    }
                }
                let keep: Vec<usize> = (0..fields.len())
                    .filter(|&i| {
                        patterns
                            .iter()
                            .any(|p| matches_pattern(&p.name, &fields[i].name))
                    })
                    .collect();
                Ok(self.select(input, &fields, &keep))
            }
            OperatorKind::ProjectRename(pairs) => {
                let mut out = fields.clone();
                for (new, old) in pairs {
                    let i = out
                        .iter()
                        .position(|f| f.name == old.name)
                        .ok_or_else(|| unknown_column(old, &out))?;
                    out[i].name = new.name.clone();
                }
                Ok((input, out))
            }
            OperatorKind::ProjectReorder(items) => {
                let mut order: Vec<usize> = Vec::new();
                for (p, _) in items {
                    let mut hits: Vec<usize> = (0..fields.len())
                        .filter(|&i| {
                            matches_pattern(&p.name, &fields[i].name) && !order.contains(&i)
                        })
                        .collect();
                    if hits.is_empty() && !p.name.contains('*') {
                        return Err(unknown_column(p, &fields));
                    }
                    order.append(&mut hits);
                }
                let rest: Vec<usize> = (0..fields.len()).filter(|i| !order.contains(i)).collect();
                order.extend(rest);
                Ok(self.select(input, &fields, &order))
            }
            OperatorKind::Summarize { aggregates, by } => {
                self.summarize(aggregates, by, input, &fields, env)
            }
            OperatorKind::Parse(p) => self.parse(p, input, fields, env),
            OperatorKind::Take(n) | OperatorKind::Sample(n) => {
                let (v, _) = self.constant(n, env)?;
                let count = constant_count(&v, n.span)?;
                Ok((
                    Node::Take {
                        input: Box::new(input),
                        count,
                    },
                    fields,
                ))
            }
            OperatorKind::Count(name) => {
                let count =
                    registry::aggregate("count").ok_or_else(|| Error::internal("count missing"))?;
                let name = name
                    .as_ref()
                    .map_or("Count".to_string(), |n| n.name.clone());
                let node = Node::Summarize {
                    input: Box::new(input),
                    keys: vec![],
                    aggregates: vec![Aggregate {
                        function: count,
                        args: vec![],
                        ty: DataType::Long,
                    }],
                };
                Ok((node, vec![Field::new(name, DataType::Long)]))
            }
            OperatorKind::Sort(keys) => {
                let keys = keys
                    .iter()
                    .map(|k| self.sort_key(k, scope))
                    .collect::<Result<Vec<_>>>()?;
                Ok((
                    Node::Sort {
                        input: Box::new(input),
                        keys,
                        limit: None,
                    },
                    fields,
                ))
            }
            OperatorKind::Top { count, by } => {
                let (v, _) = self.constant(count, env)?;
                let limit = Some(constant_count(&v, count.span)?);
                let keys = vec![self.sort_key(by, scope)?];
                Ok((
                    Node::Sort {
                        input: Box::new(input),
                        keys,
                        limit,
                    },
                    fields,
                ))
            }
            OperatorKind::Distinct(items) => {
                let items: Vec<ast::NamedExpr> = items
                    .iter()
                    .filter(|i| !matches!(i.expr.kind, ast::ExprKind::Star))
                    .cloned()
                    .collect();
                if items.is_empty() {
                    let keys = identity(&fields);
                    let node = Node::Summarize {
                        input: Box::new(input),
                        keys,
                        aggregates: vec![],
                    };
                    return Ok((node, fields));
                }
                self.summarize(&[], &items, input, &fields, env)
            }
            OperatorKind::SampleDistinct { count, column } => {
                let item = ast::NamedExpr {
                    names: vec![],
                    expr: column.clone(),
                };
                let (node, out) = self.summarize(&[], &[item], input, &fields, env)?;
                let (v, _) = self.constant(count, env)?;
                let count = constant_count(&v, op.span)?;
                Ok((
                    Node::Take {
                        input: Box::new(node),
                        count,
                    },
                    out,
                ))
            }
            OperatorKind::MvExpand(m) => self.mv_expand(m, input, fields, env),
            OperatorKind::Join(j) => self.join(j, false, input, fields, env, op.span),
            OperatorKind::Lookup(j) => self.join(j, true, input, fields, env, op.span),
            OperatorKind::Union(u) => self.union(Some((input, fields)), u, env),
            OperatorKind::GetSchema => {
                let out = vec![
                    Field::new("ColumnName", DataType::String),
                    Field::new("ColumnOrdinal", DataType::Int),
                    Field::new("DataType", DataType::String),
                    Field::new("ColumnType", DataType::String),
                ];
                // Columns keep their names only in the schema, so hand exec the named table.
                let named = project(input, identity(&fields));
                Ok((
                    Node::GetSchema(Box::new(Node::Rename(Box::new(named), fields))),
                    out,
                ))
            }
            OperatorKind::As(_) | OperatorKind::Render(_) => Ok((input, fields)),
            OperatorKind::Evaluate(call, schema) => {
                self.evaluate(call, schema.as_ref(), input, fields, env)
            }
        }
    }

    fn select(&self, input: Node, fields: &[Field], keep: &[usize]) -> (Node, Vec<Field>) {
        let exprs = keep
            .iter()
            .map(|&i| Expr::column(i, fields[i].ty))
            .collect();
        (
            project(input, exprs),
            keep.iter().map(|&i| fields[i].clone()).collect(),
        )
    }

    fn sort_key(&self, k: &ast::SortKey, scope: Scope) -> Result<SortKey> {
        let expr = self.bind(&k.expr, scope)?;
        // Default direction is descending; nulls first for asc, last for desc (§5.9).
        let descending = k.direction != Some(ast::SortDirection::Asc);
        let nulls_first = match k.nulls {
            Some(ast::NullsPosition::First) => true,
            Some(ast::NullsPosition::Last) => false,
            None => !descending,
        };
        Ok(SortKey {
            expr,
            descending,
            nulls_first,
        })
    }

    /// `extend`: items may use columns defined earlier in the same operator; an existing
    /// name is replaced in place (the parser's rule, §5.2), a new one appended.
    fn extend(
        &self,
        items: &[ast::NamedExpr],
        input: Node,
        mut fields: Vec<Field>,
        env: &Env,
    ) -> Result<(Node, Vec<Field>)> {
        let mut exprs = identity(&fields);
        for item in items {
            let bound = self.bind(
                &item.expr,
                Scope {
                    fields: &fields,
                    env,
                },
            )?;
            let bound = substitute(&bound, &exprs);
            let name = match item.names.first() {
                Some(n) => n.name.clone(),
                None => derived_name(&item.expr).unwrap_or_else(|| self.next_column_name(&fields)),
            };
            let field = Field::new(name, bound.ty);
            match fields.iter().position(|f| f.name == field.name) {
                Some(i) => {
                    fields[i] = field;
                    exprs[i] = bound;
                }
                None => {
                    fields.push(field);
                    exprs.push(bound);
                }
            }
        }
        Ok((project(input, exprs), fields))
    }

    fn project(
        &self,
        items: &[ast::NamedExpr],
        input: Node,
        fields: &[Field],
        env: &Env,
    ) -> Result<(Node, Vec<Field>)> {
        let scope = Scope { fields, env };
        let mut out: Vec<Field> = Vec::new();
        let mut exprs = Vec::new();
        let mut explicit: Vec<bool> = Vec::new();
        for item in items {
            if matches!(item.expr.kind, ast::ExprKind::Star) {
                for (i, f) in fields.iter().enumerate() {
                    out.push(f.clone());
                    exprs.push(Expr::column(i, f.ty));
                    explicit.push(true);
                }
                continue;
            }
            let bound = self.bind(&item.expr, scope)?;
            let (name, is_explicit) = match item.names.first() {
                Some(n) => (n.name.clone(), true),
                None => match derived_name(&item.expr) {
                    Some(n) => (n, matches!(item.expr.kind, ast::ExprKind::Name(_))),
                    None => (self.next_column_name(&out), false),
                },
            };
            let name = if out.iter().any(|f| f.name == name) {
                if is_explicit {
                    return Err(Error::at(
                        ErrorKind::Semantic,
                        item.expr.span,
                        format!("duplicate column name `{name}` in project"),
                    ));
                }
                unique_name(&name, |n| out.iter().any(|f| f.name == n))
            } else {
                name
            };
            out.push(Field::new(name, bound.ty));
            exprs.push(bound);
            explicit.push(is_explicit);
        }
        Ok((project(input, exprs), out))
    }

    fn parse(
        &self,
        p: &ast::Parse,
        input: Node,
        mut fields: Vec<Field>,
        env: &Env,
    ) -> Result<(Node, Vec<Field>)> {
        let source = self.bind(
            &p.expr,
            Scope {
                fields: &fields,
                env,
            },
        )?;
        let source = match source.ty {
            DataType::String => source,
            _ => match super::expr::path_text(&source) {
                Some(text) => text,
                None => super::source::convert(source, DataType::String, p.expr.span)?,
            },
        };
        let (pattern, columns) = super::parse::parse_regex(p)?;
        let matcher = match super::parse::parse_literal(p) {
            Some(parts) => ParseMatcher::Literal(parts),
            None => ParseMatcher::Regex(Arc::new(
                crate::limits::compile_regex(&pattern, self.ctx.limits()).map_err(|e| match e {
                    crate::limits::RegexFailure::TooBig(e) => e.with_span(p.expr.span),
                    crate::limits::RegexFailure::Invalid(e) => Error::at(
                        ErrorKind::Semantic,
                        p.expr.span,
                        format!("the parse pattern is not a valid regex: {e}"),
                    ),
                })?,
            )),
        };
        let mut outputs = Vec::new();
        for (name, ty) in columns {
            let slot = match fields.iter().position(|f| f.name == name) {
                Some(i) => {
                    fields[i] = Field::new(name, ty);
                    OutputSlot::Replace(i)
                }
                None => {
                    fields.push(Field::new(name, ty));
                    OutputSlot::Append
                }
            };
            outputs.push((ty, slot));
        }
        let parse = ParsePlan {
            source,
            matcher,
            outputs,
            relaxed: p.kind == ast::ParseKind::Relaxed,
            drop_unmatched: p.is_where,
        };
        Ok((
            Node::Parse {
                input: Box::new(input),
                parse,
            },
            fields,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::matches_pattern;

    #[test]
    fn wildcard_patterns() {
        assert!(matches_pattern("s*", "sev"));
        assert!(matches_pattern("*e*", "name"));
        assert!(!matches_pattern("s*", "name"));
        assert!(matches_pattern("name", "name"));
    }
}
