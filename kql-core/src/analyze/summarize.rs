//! `summarize`, `mv-expand`, `join`, `union` and `parse` patterns: the operators whose output
//! schema is built from several parts.

use super::expr::Scope;
use super::names::{derived_name, unique_name};
use super::{Analyzer, Env};
use crate::error::{Error, ErrorKind, Result, Span};
use crate::functions::registry::{self, AggKind};
use crate::plan::{Aggregate, Expr, JoinKind, Node, OutputSlot};
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
        for item in aggs {
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

    /// `mv-expand`.
    pub(super) fn mv_expand(
        &self,
        m: &ast::MvExpand,
        input: Node,
        mut fields: Vec<Field>,
        env: &Env,
    ) -> Result<(Node, Vec<Field>)> {
        let mut items = Vec::new();
        let input_fields = fields.clone();
        for (item, to) in &m.items {
            let e = self.bind(
                &item.expr,
                Scope {
                    fields: &input_fields,
                    env,
                },
            )?;
            let name = match item.names.first() {
                Some(n) => n.name.clone(),
                None => derived_name(&item.expr).unwrap_or_else(|| self.next_column_name(&fields)),
            };
            let ty = to.as_ref().map_or(DataType::Dynamic, |t| t.ty);
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
            items.push((e, slot, ty));
        }
        // Plain Kusto has no practical limit; ARG caps rows per input row (strict mode).
        let limit = match &m.limit {
            Some(l) => {
                let (v, _) = self.constant(l, env)?;
                let n = crate::functions::conversion::to_long(&v)
                    .map_or(usize::MAX, |n| n.max(0) as usize);
                if self.strict && n > crate::strict::MV_EXPAND_MAX_LIMIT {
                    return Err(Error::at(
                        ErrorKind::Limit,
                        l.span,
                        format!(
                            "not allowed in Azure Resource Graph (strict mode): mv-expand limit is at most {}",
                            crate::strict::MV_EXPAND_MAX_LIMIT
                        ),
                    ));
                }
                n
            }
            None if self.strict => crate::strict::MV_EXPAND_DEFAULT_LIMIT,
            None => usize::MAX,
        };
        if let Some(ix) = &m.with_itemindex {
            fields.push(Field::new(ix.name.clone(), DataType::Long));
        }
        let node = Node::MvExpand {
            input: Box::new(input),
            items,
            array_kind: m.array_kind,
            with_index: m.with_itemindex.is_some(),
            limit,
        };
        Ok((node, fields))
    }

    /// `join` / `lookup`: keys by name or `$left.a == $right.b`; right-side name clashes get
    /// numeric suffixes (§5.13); `lookup` drops the right key columns.
    pub(super) fn join(
        &self,
        j: &ast::Join,
        is_lookup: bool,
        left: Node,
        fields: Vec<Field>,
        env: &Env,
        span: Span,
    ) -> Result<(Node, Vec<Field>)> {
        let (right, right_fields) = self.tabular(&j.right, env)?;
        let find = |fs: &[Field], id: &ast::Ident| -> Result<usize> {
            fs.iter().position(|f| f.name == id.name).ok_or_else(|| {
                Error::at(
                    ErrorKind::UnknownColumn,
                    id.span,
                    format!("unknown join column `{}`", id.name),
                )
            })
        };
        let mut keys = Vec::new();
        for c in &j.on {
            keys.push(match c {
                ast::JoinCondition::Same(id) => (find(&fields, id)?, find(&right_fields, id)?),
                ast::JoinCondition::Equal { left, right } => {
                    (find(&fields, left)?, find(&right_fields, right)?)
                }
            });
        }
        if keys.is_empty() {
            return Err(Error::at(
                ErrorKind::Semantic,
                span,
                "join needs `on` conditions",
            ));
        }
        let kind = j.kind.unwrap_or(if is_lookup {
            JoinKind::LeftOuter
        } else {
            JoinKind::InnerUnique
        });
        let out_fields = match kind {
            JoinKind::LeftSemi | JoinKind::LeftAnti => {
                return Ok((self.join_node(left, right, kind, keys, vec![]), fields))
            }
            JoinKind::RightSemi | JoinKind::RightAnti => {
                return Ok((
                    self.join_node(left, right, kind, keys, vec![]),
                    right_fields,
                ))
            }
            _ => fields,
        };
        let mut out = out_fields;
        let mut right_columns = Vec::new();
        for (i, f) in right_fields.iter().enumerate() {
            let same_key = keys.iter().any(|&(l, r)| r == i && out[l].name == f.name);
            if is_lookup && same_key {
                continue;
            }
            let name = unique_name(&f.name, |n| out.iter().any(|o| o.name == n));
            out.push(Field::new(name, f.ty));
            right_columns.push(i);
        }
        Ok((self.join_node(left, right, kind, keys, right_columns), out))
    }

    fn join_node(
        &self,
        left: Node,
        right: Node,
        kind: JoinKind,
        keys: Vec<(usize, usize)>,
        right_columns: Vec<usize>,
    ) -> Node {
        Node::Join {
            left: Box::new(left),
            right: Box::new(right),
            kind,
            keys,
            right_columns,
        }
    }

    /// `union`: outer by default: every column by name in order of first appearance; a name
    /// that comes with different types becomes `name_type` per type, suffixed further when
    /// that collides with a real column (§8 and the union documentation's example).
    /// Wildcard legs (`View*`) expand to matching names; `isfuzzy=true` skips legs that do
    /// not resolve.
    pub(super) fn union(
        &self,
        first: Option<(Node, Vec<Field>)>,
        u: &ast::Union,
        env: &Env,
    ) -> Result<(Node, Vec<Field>)> {
        let mut legs: Vec<(Node, Vec<Field>, String)> = Vec::new();
        if let Some((n, f)) = first {
            legs.push((n, f, "union_arg0".to_string()));
        }
        for leg in &u.legs {
            for (expanded, name) in self.expand_leg(leg, env) {
                match self.tabular(&expanded, env) {
                    Ok((n, f)) => {
                        let name = name.unwrap_or_else(|| format!("union_arg{}", legs.len()));
                        legs.push((n, f, name));
                    }
                    Err(e) if u.is_fuzzy && e.kind == ErrorKind::UnknownTable => {}
                    Err(e) => return Err(e),
                }
            }
        }
        if legs.is_empty() {
            return Err(Error::at(
                ErrorKind::UnknownTable,
                u.span,
                "no table of the union exists",
            ));
        }
        // Distinct (name, type) entries in order of first appearance.
        let mut entries: Vec<Field> = Vec::new();
        for (_, fs, _) in &legs {
            for f in fs {
                if !entries.contains(f) {
                    entries.push(f.clone());
                }
            }
        }
        if u.inner {
            entries.retain(|e| legs.iter().all(|(_, fs, _)| fs.contains(e)));
        }
        let clashing = |name: &str| entries.iter().filter(|e| e.name == name).count() > 1;
        let candidates: Vec<(String, bool)> = entries
            .iter()
            .map(|e| {
                if clashing(&e.name) {
                    (format!("{}_{}", e.name, e.ty), true)
                } else {
                    (e.name.clone(), false)
                }
            })
            .collect();
        let mut out: Vec<Field> = Vec::new();
        for (e, (cand, renamed)) in entries.iter().zip(&candidates) {
            let taken = |n: &str| {
                out.iter().any(|o| o.name == n)
                    || (*renamed && candidates.iter().any(|(c, r)| !r && c == n))
            };
            out.push(Field::new(unique_name(cand, taken), e.ty));
        }
        let mapped = legs
            .iter()
            .map(|(n, fs, _)| {
                (
                    n.clone(),
                    entries
                        .iter()
                        .map(|e| fs.iter().position(|f| f == e))
                        .collect(),
                )
            })
            .collect();
        let names: Vec<String> = legs.iter().map(|(_, _, n)| n.clone()).collect();
        let mut fields = out;
        let source_column = u.with_source.as_ref().map(|s| {
            fields.insert(0, Field::new(s.name.clone(), DataType::String));
            names
        });
        Ok((
            Node::Union {
                legs: mapped,
                source_column,
            },
            fields,
        ))
    }

    /// A union leg, with wildcard table names expanded to the matching tables, `let`s and
    /// views; each with the name `withsource` reports.
    fn expand_leg(
        &self,
        leg: &ast::TabularExpr,
        env: &Env,
    ) -> Vec<(ast::TabularExpr, Option<String>)> {
        let ast::Source::Table(id) = &leg.source else {
            return vec![(leg.clone(), None)];
        };
        if !id.name.contains('*') {
            let name = leg.operators.is_empty().then(|| id.name.clone());
            return vec![(leg.clone(), name)];
        }
        let (prefix, suffix) = id.name.split_once('*').unwrap_or((&id.name, ""));
        let fits = |n: &str| {
            n.starts_with(prefix) && n.ends_with(suffix) && n.len() >= prefix.len() + suffix.len()
        };
        let mut names: Vec<String> = env.tabulars.iter().map(|(n, _)| n.clone()).collect();
        names.extend(
            env.functions
                .iter()
                .filter(|(_, f)| f.def.params.is_empty())
                .map(|(n, _)| n.clone()),
        );
        names.extend(self.catalog.names().map(str::to_string));
        let mut seen = Vec::new();
        names
            .into_iter()
            .filter(|n| fits(n))
            .filter(|n| {
                let new = !seen.contains(n);
                seen.push(n.clone());
                new
            })
            .map(|n| {
                let mut t = leg.clone();
                t.source = ast::Source::Table(ast::Ident {
                    name: n.clone(),
                    span: id.span,
                });
                (t, Some(n))
            })
            .collect()
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
            Some(DataType::Real | DataType::Decimal | DataType::Dynamic) => DataType::Real,
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
        MakeSet | MakeSetIf | MakeList | MakeListIf | MakeListWithNulls | MakeBag | MakeBagIf => {
            DataType::Dynamic
        }
        ArgMax | ArgMin | TakeAny => arg.unwrap_or(DataType::Long),
    })
}

/// A simple-mode (or relaxed) pattern whose captures are all matched as free text compiles to
/// literal searches; numeric captures and regex mode need the regex.
pub(super) fn parse_literal(p: &ast::Parse) -> Option<Vec<crate::plan::LiteralPart>> {
    use crate::plan::LiteralPart;
    if p.kind == ast::ParseKind::Regex || p.flags.is_some() {
        return None;
    }
    let parts = p
        .pattern
        .iter()
        .map(|part| match part {
            ast::PatternPart::Wildcard(_) => Some(LiteralPart::Skip),
            ast::PatternPart::Literal(s, _) => Some(LiteralPart::Text(s.clone())),
            ast::PatternPart::Column(_, ty) => {
                let ty = ty.as_ref().map_or(DataType::String, |t| t.ty);
                (!ty.is_numeric()).then_some(LiteralPart::Capture)
            }
        })
        .collect::<Option<Vec<_>>>()?;
    Some(crate::plan::merge_texts(parts))
}

/// Translates a `parse` pattern to a regex and the output columns (§5.6): simple and relaxed
/// mode escape constants, use lazy captures and anchor both ends (the documented reading,
/// marked [REC] in the reference); regex mode inserts constants as regex text and, as the
/// documentation's worked example shows, captures greedily.
pub(super) fn parse_regex(p: &ast::Parse) -> Result<(String, Vec<(String, DataType)>)> {
    let regex_mode = p.kind == ast::ParseKind::Regex;
    let mut pattern = String::new();
    if let Some(flags) = &p.flags {
        pattern.push_str(&format!("(?{flags})"));
    }
    pattern.push_str(if regex_mode { "(?s)" } else { "(?s)^" });
    let mut columns: Vec<(String, DataType)> = Vec::new();
    for part in &p.pattern {
        match part {
            ast::PatternPart::Wildcard(_) => {
                pattern.push_str(if regex_mode { ".*" } else { ".*?" })
            }
            ast::PatternPart::Literal(s, _) => {
                if regex_mode {
                    pattern.push_str(s)
                } else {
                    pattern.push_str(&regex::escape(s))
                }
            }
            ast::PatternPart::Column(id, ty) => {
                let ty = ty.as_ref().map_or(DataType::String, |t| t.ty);
                if columns.iter().any(|(n, _)| *n == id.name) {
                    return Err(Error::at(
                        ErrorKind::Semantic,
                        id.span,
                        format!("`{}` appears twice in the parse pattern", id.name),
                    ));
                }
                // Numeric captures match numbers only, in every mode: the documentation's
                // examples (`totalSlices: long *`) need the capture to stop after the digits.
                // Named groups, because regex-mode constants may hold groups of their own.
                // Relaxed mode falls back to any text so that a failed conversion nulls just
                // that column (its documented example has `totalSlices=nonValidLongValue`).
                let relaxed = p.kind == ast::ParseKind::Relaxed;
                let body = match (regex_mode, ty) {
                    (_, DataType::Int | DataType::Long) if relaxed => r"-?\d+|.*?",
                    (_, DataType::Int | DataType::Long) => r"-?\d+",
                    (_, DataType::Real | DataType::Decimal) if relaxed => {
                        r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|.*?"
                    }
                    (_, DataType::Real | DataType::Decimal) => r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?",
                    (true, _) => ".*",
                    (false, _) => ".*?",
                };
                pattern.push_str(&format!(
                    "(?P<{}{}>{body})",
                    super::PARSE_GROUP,
                    columns.len()
                ));
                columns.push((id.name.clone(), ty));
            }
        }
    }
    if !regex_mode {
        pattern.push('$');
    }
    Ok((pattern, columns))
}

/// The name of an unnamed expression over aggregates: functions named after their first
/// argument pass the aggregate's name through (`bin(sum(x), 1)` → `sum_x`, §8).
fn computed_name(e: &ast::Expr) -> Option<String> {
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
        ast::ExprKind::Unary(_, a) | ast::ExprKind::Member(a, _) => recurse(a, found),
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
