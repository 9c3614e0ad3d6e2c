//! Binding function calls: user functions (inlined), built-ins, and the special forms
//! `typeof(t)`, `toscalar(…)`, `f(*)`.

use super::expr::Scope;
use super::Analyzer;
use crate::error::{Error, ErrorKind, Result, Span};
use crate::functions::registry;
use crate::plan::{Expr, ExprKind};
use crate::syntax::ast;
use crate::types::DataType;
use crate::value::Value;

impl Analyzer<'_> {
    pub(super) fn bind_call(
        &self,
        f: &ast::Ident,
        args: &[ast::Expr],
        span: Span,
        scope: Scope,
    ) -> Result<Expr> {
        if let Some(def) = scope.env.function(&f.name) {
            let env = self.function_env(def, args, span, scope)?;
            return self.function_body_scalar(&def.def, &env, span);
        }
        match f.name.as_str() {
            "typeof" => {
                let ty = args.first().and_then(type_argument).ok_or_else(|| {
                    Error::at(
                        ErrorKind::Type,
                        span,
                        "typeof() needs a type name, e.g. typeof(long)",
                    )
                })?;
                return Ok(Expr::literal(Value::string(ty.name()), DataType::String));
            }
            "toscalar" => {
                let inner = args.first().ok_or_else(|| {
                    Error::at(ErrorKind::Type, span, "toscalar() needs one argument")
                })?;
                let list = self.bind(inner, scope)?;
                let zero = Expr::literal(Value::Long(0), DataType::Long);
                return Ok(Expr {
                    kind: ExprKind::Index(Box::new(list), Box::new(zero)),
                    ty: DataType::Dynamic,
                });
            }
            "row_number" => {
                // row_number([start]): positions in the serialized input (window function).
                let start = match args.first() {
                    Some(a) => match self.bind(a, scope)?.as_literal() {
                        Some(Value::Long(n)) => *n,
                        _ => {
                            return Err(Error::at(
                                ErrorKind::Type,
                                a.span,
                                "row_number() takes a constant start",
                            ))
                        }
                    },
                    None => 1,
                };
                return Ok(Expr {
                    kind: ExprKind::RowNumber(start),
                    ty: DataType::Long,
                });
            }
            "prev" | "next" => {
                let (Some(target), rest) = (args.first(), args.get(1..).unwrap_or(&[])) else {
                    return Err(Error::at(
                        ErrorKind::Type,
                        span,
                        format!("{}() needs a column", f.name),
                    ));
                };
                let e = self.bind(target, scope)?;
                let n = match rest.first() {
                    Some(a) => match self.bind(a, scope)?.as_literal() {
                        Some(Value::Long(n)) => *n,
                        _ => {
                            return Err(Error::at(
                                ErrorKind::Type,
                                a.span,
                                "the offset must be a constant",
                            ))
                        }
                    },
                    None => 1,
                };
                let default = match rest.get(1) {
                    Some(d) => self.bind(d, scope)?,
                    None => Expr::literal(Value::Null, e.ty),
                };
                let offset = if f.name == "prev" { n } else { -n };
                let ty = e.ty;
                return Ok(Expr {
                    kind: ExprKind::Shift(Box::new(e), offset, Box::new(default)),
                    ty,
                });
            }
            "pack_all" => {
                // pack_all(): a bag of every column of the row.
                let mut packed = Vec::new();
                for (i, fld) in scope.fields.iter().enumerate() {
                    packed.push(Expr::literal(Value::string(&fld.name), DataType::String));
                    packed.push(Expr::column(i, fld.ty));
                }
                let bag = registry::scalar("bag_pack")
                    .ok_or_else(|| Error::internal("bag_pack is not registered"))?;
                return Ok(Expr {
                    kind: ExprKind::Call(bag, packed),
                    ty: DataType::Dynamic,
                });
            }
            _ => {}
        }
        let Some(func) = registry::scalar(&f.name) else {
            if registry::aggregate(&f.name).is_some() {
                return Err(Error::at(
                    ErrorKind::Semantic,
                    f.span,
                    format!(
                        "`{}` is an aggregate function; use it in `summarize`",
                        f.name
                    ),
                ));
            }
            let mut err = Error::at(
                ErrorKind::UnknownFunction,
                f.span,
                format!("unknown function `{}`", f.name),
            );
            if let Some(s) = super::names::suggest(
                &f.name,
                registry::all_names().filter(|n| !n.starts_with("__")),
            ) {
                err = err.with_hint(format!("did you mean `{s}`?"));
            }
            return Err(err);
        };
        let args = leniently_compared(args, scope);
        let bound = self.bind_args(&args, scope)?;
        let types: Vec<DataType> = bound.iter().map(|a| a.ty).collect();
        let mut ty = (func.signature)(&types).map_err(|m| Error::at(ErrorKind::Type, span, m))?;
        if func.name == "extract" {
            // `extract(re, g, s, typeof(T))` returns T.
            if let Some(t) = args.get(3).and_then(type_argument) {
                ty = t;
            }
        }
        if func.name == "percentile_tdigest" {
            // `percentile_tdigest(t, p, typeof(T))` returns T (docs); without it, dynamic.
            if let Some(t) = args.get(2).and_then(type_argument) {
                ty = t;
            }
        }
        if func.name == "tostring" {
            if let [arg] = &bound[..] {
                if let Some(text) = super::expr::path_text(arg) {
                    return Ok(text);
                }
            }
        }
        Ok(Expr {
            kind: ExprKind::Call(func, bound),
            ty,
        })
    }

    /// Binds arguments; `*` expands to every input column, `typeof(t)` to the type's name.
    pub(super) fn bind_args(&self, args: &[ast::Expr], scope: Scope) -> Result<Vec<Expr>> {
        let mut out = Vec::new();
        for a in args {
            match &a.kind {
                ast::ExprKind::Star => {
                    out.extend(
                        scope
                            .fields
                            .iter()
                            .enumerate()
                            .map(|(i, f)| Expr::column(i, f.ty)),
                    );
                }
                _ => out.push(self.bind(a, scope)?),
            }
        }
        Ok(out)
    }

    /// The result of a scalar user function: its `let`s, then its final expression.
    fn function_body_scalar(
        &self,
        def: &ast::FunctionDef,
        env: &super::Env,
        span: Span,
    ) -> Result<Expr> {
        let _guard = self.enter(span)?;
        let mut env = env.clone();
        let mut result = None;
        for s in &def.body {
            match s {
                ast::Statement::Let(l) => self.bind_let(l, &mut env)?,
                ast::Statement::Expr(e) => {
                    result = Some(self.bind(
                        e,
                        Scope {
                            fields: &[],
                            env: &env,
                        },
                    )?)
                }
                ast::Statement::Tabular(t) => {
                    let (node, _) = self.tabular(t, &env)?;
                    result = Some(Expr {
                        kind: ExprKind::Subquery(Box::new(node)),
                        ty: DataType::Dynamic,
                    });
                }
            }
        }
        result.ok_or_else(|| Error::at(ErrorKind::Semantic, span, "the function has no result"))
    }
}

/// A built-in scalar's arguments with `c = v` read as the comparison `c == v` when `c` is a
/// column or `let` name in scope: ARG accepts a single `=` as equality (`iff(a = 'x', 1, 0)`),
/// and a scalar built-in has no use for a name that is already taken. Other names stay named
/// arguments (`pack(name, level = case(…))`).
fn leniently_compared<'a>(
    args: &'a [ast::Expr],
    scope: Scope,
) -> std::borrow::Cow<'a, [ast::Expr]> {
    let known = |n: &str| scope.fields.iter().any(|f| f.name == n) || scope.env.scalar(n).is_some();
    if !args
        .iter()
        .any(|a| matches!(&a.kind, ast::ExprKind::NamedArg(n, _) if known(&n.name)))
    {
        return std::borrow::Cow::Borrowed(args);
    }
    std::borrow::Cow::Owned(
        args.iter()
            .map(|a| match &a.kind {
                ast::ExprKind::NamedArg(n, v) if known(&n.name) => ast::Expr::new(
                    ast::ExprKind::Binary(
                        ast::BinaryOp::Eq,
                        Box::new(ast::Expr::new(ast::ExprKind::Name(n.clone()), n.span)),
                        v.clone(),
                    ),
                    a.span,
                ),
                _ => a.clone(),
            })
            .collect(),
    )
}

/// The type named by `typeof(long)` or a type-name identifier.
pub(super) fn type_argument(e: &ast::Expr) -> Option<DataType> {
    match &e.kind {
        ast::ExprKind::Call(f, args) if f.name == "typeof" => args.first().and_then(type_argument),
        // Type names are lower-case; real queries also write `typeof(String)`.
        ast::ExprKind::Name(id) => DataType::from_name(&id.name.to_ascii_lowercase()),
        ast::ExprKind::Literal(ast::Literal::String(s)) => DataType::from_name(s),
        _ => None,
    }
}
