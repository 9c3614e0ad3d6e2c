//! Where pipelines start: tables, `let`-bound tabulars, tabular functions, `datatable`,
//! `print`, `range`, `union`.

use super::expr::Scope;
use super::{Analyzer, Env, FunctionBinding};
use crate::error::{Error, ErrorKind, Result, Span};
use crate::plan::{Expr, Node};
use crate::store::{ColumnBuilder, Field, Table};
use crate::syntax::ast;
use crate::types::DataType;
use std::sync::Arc;

/// The table a query that starts with an operator runs over (ARG's rule).
pub const IMPLICIT_TABLE: &str = "Resources";

impl Analyzer<'_> {
    pub(super) fn source(&self, s: &ast::Source, env: &Env) -> Result<(Node, Vec<Field>)> {
        match s {
            ast::Source::Table(id) => self.table(&id.name, id.span, env),
            ast::Source::Implicit(span) => self.table(IMPLICIT_TABLE, *span, env),
            ast::Source::Call { name, args, span } => match env.function(&name.name) {
                Some(f) => self.inline_tabular(f, args, *span, env),
                None => self.table(&name.name, name.span, env),
            },
            ast::Source::Datatable {
                columns,
                values,
                span,
            } => self.datatable(columns, values, *span, env),
            ast::Source::Print(items, span) => self.print(items, *span, env),
            ast::Source::Range {
                name,
                from,
                to,
                step,
                span,
            } => {
                let (from, from_ty) = self.constant(from, env)?;
                let (to, _) = self.constant(to, env)?;
                let (step, _) = self.constant(step, env)?;
                let ty = match from_ty {
                    DataType::Int => DataType::Long,
                    t @ (DataType::Long
                    | DataType::Real
                    | DataType::DateTime
                    | DataType::TimeSpan) => t,
                    t => {
                        return Err(Error::at(
                            ErrorKind::Type,
                            *span,
                            format!("range needs numbers, datetimes or timespans, got {t}"),
                        ))
                    }
                };
                Ok((
                    Node::Range { from, to, step, ty },
                    vec![Field::new(name.name.clone(), ty)],
                ))
            }
            ast::Source::Union(u) => self.union(None, u, env),
            ast::Source::Paren(t) => self.tabular(t, env),
        }
    }

    fn table(&self, name: &str, span: Span, env: &Env) -> Result<(Node, Vec<Field>)> {
        if let Some(t) = env.tabular(name) {
            self.charge(t.cost, span)?;
            return Ok((t.node.clone(), t.fields.clone()));
        }
        if let Some(f) = env.function(name) {
            if f.def.params.is_empty() {
                return self.inline_tabular(f, &[], span, env);
            }
        }
        if let Some(t) = self.catalog.get(name) {
            return Ok((Node::Scan(Arc::clone(t)), t.fields().to_vec()));
        }
        let mut err = Error::at(
            ErrorKind::UnknownTable,
            span,
            format!("unknown table `{name}`"),
        );
        let names = self
            .catalog
            .names()
            .chain(env.tabulars.iter().map(|(n, _)| n.as_str()));
        if let Some(s) = super::names::suggest(name, names) {
            err = err.with_hint(format!("did you mean `{s}`?"));
        }
        Err(err)
    }

    /// Binds a user function's parameters to `args` (bound in the caller's environment).
    pub(super) fn function_env(
        &self,
        f: &FunctionBinding,
        args: &[ast::Expr],
        span: Span,
        caller: Scope,
    ) -> Result<Env> {
        let mut env = f.env.clone();
        if args.len() > f.def.params.len() {
            return Err(Error::at(
                ErrorKind::Type,
                span,
                format!(
                    "the function takes {} arguments, got {}",
                    f.def.params.len(),
                    args.len()
                ),
            ));
        }
        // Arguments by position, then by name: `f(12, c = 7)` (Kusto docs, user-defined
        // functions: scalar arguments may be given by parameter name).
        let mut by_param: Vec<Option<&ast::Expr>> = vec![None; f.def.params.len()];
        for (i, a) in args.iter().enumerate() {
            match &a.kind {
                ast::ExprKind::NamedArg(name, value) => {
                    let slot = f
                        .def
                        .params
                        .iter()
                        .position(|p| p.name.name == name.name)
                        .ok_or_else(|| {
                            Error::at(
                                ErrorKind::Type,
                                name.span,
                                format!("the function has no parameter `{}`", name.name),
                            )
                        })?;
                    if let Some(s) = by_param.get_mut(slot) {
                        *s = Some(value);
                    }
                }
                _ => {
                    if let Some(s) = by_param.get_mut(i) {
                        *s = Some(a);
                    }
                }
            }
        }
        for (i, p) in f.def.params.iter().enumerate() {
            let value = match (by_param.get(i).copied().flatten(), &p.default) {
                (Some(a), _) => a,
                (None, Some(d)) => d,
                (None, None) => {
                    return Err(Error::at(
                        ErrorKind::Type,
                        span,
                        format!("missing argument `{}`", p.name.name),
                    ))
                }
            };
            match p.ty {
                None => {
                    // A tabular parameter: the argument names a table or tabular expression.
                    let t = match &value.kind {
                        ast::ExprKind::Tabular(t) => (**t).clone(),
                        ast::ExprKind::Name(id) => ast::TabularExpr {
                            source: ast::Source::Table(id.clone()),
                            operators: vec![],
                            span: id.span,
                        },
                        _ => {
                            return Err(Error::at(
                                ErrorKind::Type,
                                value.span,
                                "expected a tabular argument",
                            ))
                        }
                    };
                    let before = self.work_done();
                    let (node, fields) = self.tabular(&t, caller.env)?;
                    let cost = self.work_done() - before;
                    env.forget(&p.name.name);
                    env.tabulars.push((
                        p.name.name.clone(),
                        std::rc::Rc::new(super::TabularBinding { node, fields, cost }),
                    ));
                }
                Some(ref ty) => {
                    let mut bound = self.bind(value, caller)?;
                    if bound.ty != ty.ty {
                        bound = convert(bound, ty.ty, value.span)?;
                    }
                    env.forget(&p.name.name);
                    env.scalars.push((p.name.name.clone(), bound));
                }
            }
        }
        Ok(env)
    }

    fn inline_tabular(
        &self,
        f: &FunctionBinding,
        args: &[ast::Expr],
        span: Span,
        env: &Env,
    ) -> Result<(Node, Vec<Field>)> {
        let _guard = self.enter(span)?;
        let fenv = self.function_env(f, args, span, Scope { fields: &[], env })?;
        self.statements(&f.def.body, &fenv, span)
    }

    fn datatable(
        &self,
        columns: &[(ast::Ident, ast::TypeName)],
        values: &[ast::Expr],
        span: Span,
        env: &Env,
    ) -> Result<(Node, Vec<Field>)> {
        let width = columns.len();
        if width == 0 || !values.len().is_multiple_of(width) {
            return Err(Error::at(
                ErrorKind::Semantic,
                span,
                format!(
                    "datatable has {} values, not a multiple of its {width} columns",
                    values.len()
                ),
            ));
        }
        let rows = values.len() / width;
        let mut builders: Vec<ColumnBuilder> = columns
            .iter()
            .map(|(_, t)| ColumnBuilder::new(t.ty, rows))
            .collect();
        for (i, v) in values.iter().enumerate() {
            let (value, _) = self.constant(v, env)?;
            builders[i % width].push(&value);
        }
        let fields: Vec<Field> = columns
            .iter()
            .map(|(n, t)| Field::new(n.name.clone(), t.ty))
            .collect();
        let cols = builders.into_iter().map(|b| Arc::new(b.finish())).collect();
        let table = Table::new(fields.clone(), cols, rows)?;
        Ok((Node::Values(Arc::new(table)), fields))
    }

    fn print(
        &self,
        items: &[ast::NamedExpr],
        _span: Span,
        env: &Env,
    ) -> Result<(Node, Vec<Field>)> {
        let one_row = Arc::new(Table::new(vec![], vec![], 1)?);
        let mut fields: Vec<Field> = Vec::new();
        let mut exprs = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let e = self.bind(&item.expr, Scope { fields: &[], env })?;
            let name = match item.names.first() {
                Some(n) => n.name.clone(),
                None => format!("print_{i}"),
            };
            if fields.iter().any(|f| f.name == name) {
                return Err(Error::at(
                    ErrorKind::Semantic,
                    item.expr.span,
                    format!("duplicate column name `{name}`"),
                ));
            }
            fields.push(Field::new(name, e.ty));
            exprs.push(e);
        }
        Ok((
            Node::Project {
                input: Box::new(Node::Values(one_row)),
                exprs,
            },
            fields,
        ))
    }
}

/// Wraps `e` in the conversion function to `ty`.
pub(super) fn convert(e: Expr, ty: DataType, span: Span) -> Result<Expr> {
    let name = match ty {
        DataType::Bool => "tobool",
        DataType::Int => "toint",
        DataType::Long => "tolong",
        DataType::Real => "toreal",
        DataType::Decimal => "todecimal",
        DataType::String => "tostring",
        DataType::DateTime => "todatetime",
        DataType::TimeSpan => "totimespan",
        DataType::Guid => "toguid",
        DataType::Dynamic => "todynamic",
    };
    match crate::functions::registry::scalar(name) {
        Some(f) => Ok(Expr {
            kind: crate::plan::ExprKind::Call(f, vec![e]),
            ty,
        }),
        None => {
            // Conversion functions not registered: keep the value (exec converts on build).
            let _ = span;
            Ok(Expr { ty, ..e })
        }
    }
}
