//! `evaluate` plugins. Only `bag_unpack` for now (Kusto docs, bag_unpack plugin):
//!
//! `T | evaluate bag_unpack(Column [, OutputColumnPrefix] [, columnsConflict]
//! [, ignoredProperties]) [: (schema)]`
//!
//! - The output keeps T's columns except `Column`, then one column per distinct top-level slot
//!   of the bags in `Column` (named prefix + slot). The docs' example (`{"Name": …, "Age": …}`
//!   gives `Age, Name`) orders the new columns by name; we sort them ordinally.
//! - A column's type is the slot's type when all its non-null values share one, else dynamic.
//! - A slot named like a kept column is an error (`columnsConflict='error'`, the default),
//!   replaces the column (`'replace_source'`) or is dropped (`'keep_source'`).
//! - With an output schema, only its columns are produced (after T's other columns when it
//!   starts with `*`), converted to the declared types.
//!
//! Without a schema the output's columns depend on the data, while analysis is static: the
//! input part of the query is run here, during analysis, to read the slots (as Kusto does; the
//! docs advise giving a schema on large inputs for this reason).

use super::expr::Scope;
use super::{Analyzer, Env};
use crate::error::{Error, ErrorKind, Result, Span};
use crate::plan::{Expr, ExprKind, Node, PathStep};
use crate::store::Field;
use crate::syntax::ast;
use crate::types::DataType;
use crate::value::{Json, Value};

/// What to do when a slot is named like an input column.
#[derive(Clone, Copy, PartialEq)]
enum Conflict {
    Error,
    ReplaceSource,
    KeepSource,
}

/// The `bag_unpack` arguments after the column.
struct Options {
    prefix: String,
    conflict: Conflict,
    ignored: Vec<String>,
}

impl Analyzer<'_> {
    /// `evaluate plugin(…)`.
    pub(super) fn evaluate(
        &self,
        call: &ast::Expr,
        schema: Option<&ast::OutputSchema>,
        input: Node,
        fields: Vec<Field>,
        env: &Env,
    ) -> Result<(Node, Vec<Field>)> {
        let ast::ExprKind::Call(name, args) = &call.kind else {
            return Err(Error::at(
                ErrorKind::Syntax,
                call.span,
                "`evaluate` needs a plugin call such as bag_unpack(column)",
            ));
        };
        match name.name.as_str() {
            "bag_unpack" => self.bag_unpack(args, schema, input, fields, env, call.span),
            "pivot" => self.pivot(args, schema, input, fields, env, call.span),
            other => Err(Error::at(
                ErrorKind::Semantic,
                name.span,
                format!(
                    "the `evaluate` plugin `{other}` is not supported (bag_unpack and pivot are)"
                ),
            )),
        }
    }

    fn bag_unpack(
        &self,
        args: &[ast::Expr],
        schema: Option<&ast::OutputSchema>,
        input: Node,
        fields: Vec<Field>,
        env: &Env,
        span: Span,
    ) -> Result<(Node, Vec<Field>)> {
        let Some(column_arg) = args.first() else {
            return Err(Error::at(
                ErrorKind::Type,
                span,
                "bag_unpack() needs the dynamic column to unpack",
            ));
        };
        if args.len() > 4 {
            return Err(Error::at(
                ErrorKind::Type,
                span,
                format!("bag_unpack() takes 1 to 4 arguments, got {}", args.len()),
            ));
        }
        let scope = Scope {
            fields: &fields,
            env,
        };
        let bag = self.bind(column_arg, scope)?;
        if bag.ty != DataType::Dynamic {
            return Err(Error::at(
                ErrorKind::Type,
                column_arg.span,
                format!("bag_unpack() unpacks a dynamic column, got {}", bag.ty),
            ));
        }
        let source = match &bag.kind {
            ExprKind::Column(i) => Some(*i),
            _ => None,
        };
        let options = self.bag_unpack_options(args.get(1..).unwrap_or_default(), env)?;

        // The slot columns: from the schema, or from the data.
        let (slots, keep_input) = match schema {
            Some(s) => (
                s.columns
                    .iter()
                    .map(|(n, t)| (n.name.clone(), t.ty))
                    .collect::<Vec<_>>(),
                s.wildcard,
            ),
            None => (self.slots_of(&input, &bag, &options)?, true),
        };

        let mut out_fields: Vec<Field> = Vec::new();
        let mut exprs: Vec<Expr> = Vec::new();
        if keep_input {
            for (i, f) in fields.iter().enumerate() {
                if Some(i) != source {
                    out_fields.push(f.clone());
                    exprs.push(Expr::column(i, f.ty));
                }
            }
        }
        for (slot, ty) in slots {
            let name = if schema.is_some() {
                slot.clone()
            } else {
                format!("{}{slot}", options.prefix)
            };
            if let Some(existing) = out_fields.iter().position(|f| f.name == name) {
                match options.conflict {
                    Conflict::Error => {
                        return Err(Error::at(
                            ErrorKind::Semantic,
                            span,
                            format!(
                                "bag_unpack: the slot `{name}` is named like an input column \
                                 (use columnsConflict='replace_source' or 'keep_source')"
                            ),
                        ))
                    }
                    Conflict::KeepSource => continue,
                    Conflict::ReplaceSource => {
                        out_fields.remove(existing);
                        exprs.remove(existing);
                    }
                }
            }
            let value = Expr {
                kind: ExprKind::Path(Box::new(bag.clone()), vec![PathStep::Key(slot)]),
                ty: DataType::Dynamic,
            };
            let value = if ty == DataType::Dynamic {
                value
            } else {
                super::source::convert(value, ty, span)?
            };
            out_fields.push(Field::new(name, ty));
            exprs.push(value);
        }
        Ok((
            Node::Project {
                input: Box::new(input),
                exprs,
            },
            out_fields,
        ))
    }

    /// The optional arguments, positional or named (`columnsConflict='replace_source'`).
    fn bag_unpack_options(&self, args: &[ast::Expr], env: &Env) -> Result<Options> {
        let mut options = Options {
            prefix: String::new(),
            conflict: Conflict::Error,
            ignored: Vec::new(),
        };
        let names = ["OutputColumnPrefix", "columnsConflict", "ignoredProperties"];
        for (position, arg) in args.iter().enumerate() {
            let (slot, value) = match &arg.kind {
                ast::ExprKind::NamedArg(n, v) => {
                    let slot = names
                        .iter()
                        .position(|x| x.eq_ignore_ascii_case(&n.name))
                        .ok_or_else(|| {
                            Error::at(
                                ErrorKind::Semantic,
                                n.span,
                                format!("bag_unpack() has no parameter `{}`", n.name),
                            )
                        })?;
                    (slot, &**v)
                }
                _ => (position, arg),
            };
            let (v, _) = self.constant(value, env)?;
            match (slot, v) {
                (_, Value::Null) => {}
                (0, Value::String(s)) => options.prefix = s.to_string(),
                (1, Value::String(s)) => {
                    options.conflict = match &*s {
                        "error" => Conflict::Error,
                        "replace_source" => Conflict::ReplaceSource,
                        "keep_source" => Conflict::KeepSource,
                        other => {
                            return Err(Error::at(
                                ErrorKind::Semantic,
                                value.span,
                                format!(
                                    "columnsConflict is 'error', 'replace_source' or \
                                     'keep_source', not '{other}'"
                                ),
                            ))
                        }
                    }
                }
                (2, Value::Dynamic(j)) => {
                    if let Json::Array(items) = &*j {
                        options.ignored = items
                            .iter()
                            .map(crate::functions::conversion::json_to_string)
                            .collect();
                    }
                }
                (_, other) => {
                    return Err(Error::at(
                        ErrorKind::Type,
                        value.span,
                        format!(
                            "bag_unpack(): `{}` cannot be {}",
                            names.get(slot).copied().unwrap_or("this argument"),
                            other.data_type().map_or("null", |t| t.name())
                        ),
                    ))
                }
            }
        }
        Ok(options)
    }

    /// Runs the input and returns each distinct top-level slot of the bags, sorted by name,
    /// with its type: the slot's values' type when they agree, else dynamic.
    fn slots_of(
        &self,
        input: &Node,
        bag: &Expr,
        options: &Options,
    ) -> Result<Vec<(String, DataType)>> {
        let node = Node::Project {
            input: Box::new(input.clone()),
            exprs: vec![bag.clone()],
        };
        let table = crate::exec::execute_node(&node, self.ctx)?;
        let mut slots: std::collections::BTreeMap<String, Option<DataType>> =
            std::collections::BTreeMap::new();
        if table.num_columns() == 0 {
            return Ok(Vec::new());
        }
        let column = table.column(0);
        for row in 0..table.num_rows() {
            let Value::Dynamic(j) = column.get(row) else {
                continue;
            };
            let Json::Object(bag) = &*j else {
                continue;
            };
            for (key, value) in bag {
                if options.ignored.iter().any(|i| i == key) {
                    continue;
                }
                let entry = slots.entry(key.clone()).or_insert(None);
                if let Some(ty) = json_type(value) {
                    *entry = match *entry {
                        None => Some(ty),
                        Some(t) if t == ty => Some(t),
                        Some(_) => Some(DataType::Dynamic),
                    };
                }
            }
        }
        Ok(slots
            .into_iter()
            .map(|(k, t)| (k, t.unwrap_or(DataType::Dynamic)))
            .collect())
    }
}

impl Analyzer<'_> {
    /// `evaluate pivot(pivotColumn [, aggregation] [, column1, …]) [: (schema)]` (Kusto docs,
    /// pivot plugin): one output row per distinct combination of the grouping columns (by
    /// default every column but the pivot column and the aggregated one), then one column per
    /// distinct value of the pivot column holding the aggregation (default `count()`) over the
    /// rows with that value. It is analyzed as the equivalent `summarize` of conditional
    /// aggregates (`countif`, `sumif`, …, so a missing combination counts 0 as in the docs'
    /// example). The value columns come in order of first appearance (the docs' examples show
    /// ALABAMA before ALASKA but ARKANSAS before ARIZONA: not sorted); the values are read by
    /// running the input part of the query, or taken from the schema when one is given.
    fn pivot(
        &self,
        args: &[ast::Expr],
        schema: Option<&ast::OutputSchema>,
        input: Node,
        fields: Vec<Field>,
        env: &Env,
        span: Span,
    ) -> Result<(Node, Vec<Field>)> {
        let Some(pivot_arg) = args.first() else {
            return Err(Error::at(
                ErrorKind::Type,
                span,
                "pivot() needs the column to pivot",
            ));
        };
        let rest = args.get(1..).unwrap_or_default();
        let (aggregation, group_args) = match rest.first() {
            Some(
                e @ ast::Expr {
                    kind: ast::ExprKind::Call(f, _),
                    ..
                },
            ) if crate::functions::registry::aggregate(&f.name).is_some() => {
                (Some(e), rest.get(1..).unwrap_or_default())
            }
            _ => (None, rest),
        };
        let name_of = |e: &ast::Expr| match &e.kind {
            ast::ExprKind::Name(id) => Some(id.name.clone()),
            _ => None,
        };
        let pivot_name = name_of(pivot_arg);
        let aggregated = aggregation.and_then(|a| match &a.kind {
            ast::ExprKind::Call(_, a_args) => a_args.first().and_then(name_of),
            _ => None,
        });
        let by: Vec<ast::NamedExpr> = if group_args.is_empty() {
            fields
                .iter()
                .filter(|f| {
                    Some(&f.name) != pivot_name.as_ref() && Some(&f.name) != aggregated.as_ref()
                })
                .map(|f| ast::NamedExpr {
                    names: vec![],
                    expr: ast::Expr::new(
                        ast::ExprKind::Name(ast::Ident {
                            name: f.name.clone(),
                            span,
                        }),
                        span,
                    ),
                })
                .collect()
        } else {
            group_args
                .iter()
                .map(|e| ast::NamedExpr {
                    names: vec![],
                    expr: e.clone(),
                })
                .collect()
        };
        // The pivot values, as text.
        let values: Vec<String> = match schema {
            Some(s) => s
                .columns
                .iter()
                .map(|(n, _)| n.name.clone())
                .filter(|n| !by.iter().any(|b| name_of(&b.expr).as_ref() == Some(n)))
                .collect(),
            None => {
                let scope = Scope {
                    fields: &fields,
                    env,
                };
                let bound = self.bind(pivot_arg, scope)?;
                let node = Node::Project {
                    input: Box::new(input.clone()),
                    exprs: vec![bound],
                };
                let table = crate::exec::execute_node(&node, self.ctx)?;
                let mut seen: Vec<String> = Vec::new();
                if table.num_columns() > 0 {
                    let column = table.column(0);
                    for row in 0..table.num_rows() {
                        let text = crate::functions::conversion::to_string(&column.get(row));
                        if !text.is_empty() && !seen.contains(&text) {
                            seen.push(text);
                        }
                    }
                }
                seen
            }
        };
        let (agg_name, agg_args) = match aggregation.map(|a| &a.kind) {
            Some(ast::ExprKind::Call(f, a_args)) => (f.name.as_str(), a_args.as_slice()),
            _ => ("count", &[][..]),
        };
        let conditional = match agg_name {
            "count" => "countif",
            "sum" => "sumif",
            "dcount" => "dcountif",
            "avg" => "avgif",
            "min" => "minif",
            "max" => "maxif",
            "take_any" | "any" => "take_anyif",
            "make_list" | "makelist" => "make_list_if",
            "make_set" | "makeset" => "make_set_if",
            "make_bag" => "make_bag_if",
            other => {
                return Err(Error::at(
                    ErrorKind::Semantic,
                    aggregation.map_or(span, |a| a.span),
                    format!("pivot() with `{other}` is not supported yet"),
                ))
            }
        };
        let ident = |name: &str| ast::Ident {
            name: name.to_string(),
            span,
        };
        let aggregates = values
            .iter()
            .map(|v| {
                // tostring(pivot) == "v"
                let test = ast::Expr::new(
                    ast::ExprKind::Binary(
                        ast::BinaryOp::Eq,
                        Box::new(ast::Expr::new(
                            ast::ExprKind::Call(ident("tostring"), vec![pivot_arg.clone()]),
                            span,
                        )),
                        Box::new(ast::Expr::new(
                            ast::ExprKind::Literal(ast::Literal::String(v.clone())),
                            span,
                        )),
                    ),
                    span,
                );
                let mut call_args: Vec<ast::Expr> = agg_args.iter().take(1).cloned().collect();
                call_args.push(test);
                call_args.extend(agg_args.iter().skip(1).cloned());
                ast::NamedExpr {
                    names: vec![ident(v)],
                    expr: ast::Expr::new(ast::ExprKind::Call(ident(conditional), call_args), span),
                }
            })
            .collect();
        let op = ast::Operator {
            kind: ast::OperatorKind::Summarize { aggregates, by },
            span,
        };
        self.operator(&op, input, fields, env)
    }
}

/// The KQL type of a dynamic value's own kind (`None` for null): JSON integers are `long`,
/// other numbers `real`, arrays and bags `dynamic`.
fn json_type(j: &Json) -> Option<DataType> {
    Some(match j {
        Json::Null => return None,
        Json::Bool(_) => DataType::Bool,
        Json::Number(n) if n.is_i64() => DataType::Long,
        Json::Number(_) => DataType::Real,
        Json::String(_) => DataType::String,
        Json::Array(_) | Json::Object(_) => DataType::Dynamic,
    })
}
