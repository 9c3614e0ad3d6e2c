//! Binding scalar expressions: names to column positions, operators and calls to functions,
//! types checked and computed.

use super::{Analyzer, Env};
use crate::error::{Error, ErrorKind, Result, Span};
use crate::functions::registry;
use crate::plan::{Expr, ExprKind, PathStep};
use crate::store::Field;
use crate::syntax::ast::{self, BinaryOp, Literal, StrTest, UnaryOp};
use crate::types::DataType;
use crate::value::Value;

/// What names an expression can see: the input columns and the `let` environment.
#[derive(Clone, Copy)]
pub struct Scope<'s> {
    /// The input columns.
    pub fields: &'s [Field],
    /// `let` bindings.
    pub env: &'s Env,
}

/// A literal's value and type.
pub fn literal(l: &Literal) -> (Value, DataType) {
    let opt = |v: Option<Value>, t| (v.unwrap_or(Value::Null), t);
    match l {
        Literal::Bool(b) => opt(b.map(Value::Bool), DataType::Bool),
        Literal::Int(i) => opt(i.map(Value::Int), DataType::Int),
        Literal::Long(i) => opt(i.map(Value::Long), DataType::Long),
        Literal::Real(r) => opt(r.map(Value::Real), DataType::Real),
        // The parser keeps a decimal literal as a real; its shortest digits are the decimal.
        Literal::Decimal(r) => opt(
            r.and_then(crate::decimal::Decimal::from_f64)
                .map(Value::Decimal),
            DataType::Decimal,
        ),
        Literal::String(s) => (Value::string(s), DataType::String),
        Literal::DateTime(t) => opt(t.map(Value::DateTime), DataType::DateTime),
        Literal::TimeSpan(t) => opt(t.map(Value::TimeSpan), DataType::TimeSpan),
        Literal::Guid(g) => opt(g.map(Value::Guid), DataType::Guid),
        Literal::Dynamic(j) => (Value::dynamic(j.clone()), DataType::Dynamic),
    }
}

/// `tostring(e)` as the fused path walk when `e` is a dynamic path.
pub fn path_text(e: &Expr) -> Option<Expr> {
    match &e.kind {
        ExprKind::Path(base, steps) => Some(Expr {
            kind: ExprKind::PathText(base.clone(), steps.clone()),
            ty: DataType::String,
        }),
        _ => None,
    }
}

/// String predicates compare a dynamic operand through its text (semantics reference §3.4:
/// `tostring()` of the value), so a dynamic path operand is converted once, up front: it then
/// runs as a fused walk, and the test once per distinct text.
fn as_text(e: Expr) -> Expr {
    match e.ty {
        DataType::Dynamic => path_text(&e).unwrap_or(e),
        _ => e,
    }
}

fn call(name: &str, args: Vec<Expr>, span: Span) -> Result<Expr> {
    let f = registry::scalar(name)
        .ok_or_else(|| Error::internal(format!("missing operator function {name}")))?;
    let types: Vec<DataType> = args.iter().map(|a| a.ty).collect();
    let ty = (f.signature)(&types).map_err(|m| Error::at(ErrorKind::Type, span, m))?;
    Ok(Expr {
        kind: ExprKind::Call(f, args),
        ty,
    })
}

fn not(e: Expr, span: Span) -> Result<Expr> {
    call("not", vec![e], span)
}

fn str_op_name(test: StrTest, cs: bool) -> &'static str {
    match (test, cs) {
        (StrTest::Equals, _) => "__eq_ci",
        (StrTest::Contains, false) => "__contains",
        (StrTest::Contains, true) => "__contains_cs",
        (StrTest::StartsWith, false) => "__startswith",
        (StrTest::StartsWith, true) => "__startswith_cs",
        (StrTest::EndsWith, false) => "__endswith",
        (StrTest::EndsWith, true) => "__endswith_cs",
        (StrTest::Has, false) => "__has",
        (StrTest::Has, true) => "__has_cs",
        (StrTest::HasPrefix, false) => "__hasprefix",
        (StrTest::HasPrefix, true) => "__hasprefix_cs",
        (StrTest::HasSuffix, false) => "__hassuffix",
        (StrTest::HasSuffix, true) => "__hassuffix_cs",
        (StrTest::MatchesRegex, _) => "__matches",
        (StrTest::Like, false) => "__like",
        (StrTest::Like, true) => "__like_cs",
    }
}

impl Analyzer<'_> {
    /// Binds a scalar expression in `scope`.
    pub fn bind(&self, e: &ast::Expr, scope: Scope) -> Result<Expr> {
        let bound = self.bind_here(e, scope)?;
        // A literal regex too big to compile fails now, with a span, not row by row later.
        if let ExprKind::Call(f, args) = &bound.kind {
            crate::limits::check_literal_regex(f.name, args, self.ctx.limits())
                .map_err(|err| err.with_span(e.span))?;
        }
        Ok(bound)
    }

    /// [`Analyzer::bind`] without the check of literal regexes.
    fn bind_here(&self, e: &ast::Expr, scope: Scope) -> Result<Expr> {
        let _guard = self.enter(e.span)?;
        match &e.kind {
            ast::ExprKind::Literal(l) => {
                let (v, ty) = literal(l);
                Ok(Expr::literal(v, ty))
            }
            ast::ExprKind::Name(id) => self.bind_name(id, scope),
            ast::ExprKind::Star => Err(Error::at(
                ErrorKind::Semantic,
                e.span,
                "`*` is only allowed as an argument of functions such as pack_array, arg_max or take_any",
            )),
            ast::ExprKind::Member(..) | ast::ExprKind::Index(..) => self.bind_path(e, scope),
            ast::ExprKind::Call(f, args) => self.bind_call(f, args, e.span, scope),
            ast::ExprKind::Unary(op, inner) => {
                let inner = self.bind(inner, scope)?;
                match op {
                    UnaryOp::Plus => Ok(inner),
                    UnaryOp::Neg => match inner.as_literal() {
                        Some(Value::Long(i)) => Ok(Expr::literal(Value::Long(i.wrapping_neg()), DataType::Long)),
                        Some(Value::Real(r)) => Ok(Expr::literal(Value::Real(-r), DataType::Real)),
                        _ => call("__neg", vec![inner], e.span),
                    },
                }
            }
            ast::ExprKind::Binary(BinaryOp::Str(op), star, rhs) if matches!(star.kind, ast::ExprKind::Star) => {
                self.bind_any_column(*op, rhs, e.span, scope)
            }
            ast::ExprKind::Binary(op, a, b) => {
                let a = self.bind(a, scope)?;
                let b = self.bind(b, scope)?;
                let name = match op {
                    BinaryOp::And | BinaryOp::Or => {
                        for side in [&a, &b] {
                            if !matches!(side.ty, DataType::Bool | DataType::Dynamic) {
                                return Err(Error::at(
                                    ErrorKind::Type,
                                    e.span,
                                    format!("`{}` needs bool operands, got {}", if *op == BinaryOp::And { "and" } else { "or" }, side.ty),
                                ));
                            }
                        }
                        let kind = if *op == BinaryOp::And {
                            ExprKind::And(Box::new(a), Box::new(b))
                        } else {
                            ExprKind::Or(Box::new(a), Box::new(b))
                        };
                        return Ok(Expr { kind, ty: DataType::Bool });
                    }
                    BinaryOp::Add => "__add",
                    BinaryOp::Sub => "__sub",
                    BinaryOp::Mul => "__mul",
                    BinaryOp::Div => "__div",
                    BinaryOp::Mod => "__mod",
                    BinaryOp::Lt => "__lt",
                    BinaryOp::Le => "__le",
                    BinaryOp::Gt => "__gt",
                    BinaryOp::Ge => "__ge",
                    BinaryOp::Eq | BinaryOp::Ne if b.ty == DataType::String => {
                        let name = if *op == BinaryOp::Eq { "__eq" } else { "__ne" };
                        return call(name, vec![as_text(a), b], e.span);
                    }
                    BinaryOp::Eq => "__eq",
                    BinaryOp::Ne => "__ne",
                    BinaryOp::Str(op) => {
                        let test = call(str_op_name(op.test, op.case_sensitive), vec![as_text(a), b], e.span)?;
                        return if op.negated { not(test, e.span) } else { Ok(test) };
                    }
                };
                call(name, vec![a, b], e.span)
            }
            ast::ExprKind::In {
                expr,
                negated,
                case_insensitive,
                list,
            } => {
                let mut args = vec![self.bind(expr, scope)?];
                for item in list {
                    args.push(self.bind(item, scope)?);
                }
                if args[1..].iter().all(|a| a.ty == DataType::String) {
                    args[0] = as_text(args[0].clone());
                }
                let test = call(if *case_insensitive { "__in_ci" } else { "__in" }, args, e.span)?;
                if *negated {
                    not(test, e.span)
                } else {
                    Ok(test)
                }
            }
            ast::ExprKind::HasList { expr, all, list } => {
                let mut args = vec![as_text(self.bind(expr, scope)?)];
                for item in list {
                    args.push(self.bind(item, scope)?);
                }
                call(if *all { "__has_all" } else { "__has_any" }, args, e.span)
            }
            ast::ExprKind::Between {
                expr,
                negated,
                low,
                high,
            } => {
                let args = vec![self.bind(expr, scope)?, self.bind(low, scope)?, self.bind(high, scope)?];
                let test = call("__between", args, e.span)?;
                if *negated {
                    not(test, e.span)
                } else {
                    Ok(test)
                }
            }
            // The name only matters for naming results (analyze::names); the value is
            // passed by position.
            ast::ExprKind::NamedArg(_, value) => self.bind(value, scope),
            ast::ExprKind::Tabular(t) => {
                let (node, _) = self.tabular(t, scope.env)?;
                Ok(Expr {
                    kind: ExprKind::Subquery(Box::new(node)),
                    ty: DataType::Dynamic,
                })
            }
        }
    }

    /// `* has "x"`: true when any column passes the string test (for negated tests: none).
    fn bind_any_column(
        &self,
        op: ast::StrOp,
        rhs: &ast::Expr,
        span: Span,
        scope: Scope,
    ) -> Result<Expr> {
        let rhs = self.bind(rhs, scope)?;
        let name = str_op_name(op.test, op.case_sensitive);
        let mut any: Option<Expr> = None;
        for (i, f) in scope.fields.iter().enumerate() {
            let test = call(name, vec![Expr::column(i, f.ty), rhs.clone()], span)?;
            any = Some(match any {
                None => test,
                Some(prev) => Expr {
                    kind: ExprKind::Or(Box::new(prev), Box::new(test)),
                    ty: DataType::Bool,
                },
            });
        }
        let any = any.unwrap_or_else(|| Expr::literal(Value::Bool(false), DataType::Bool));
        if op.negated {
            not(any, span)
        } else {
            Ok(any)
        }
    }

    fn bind_name(&self, id: &ast::Ident, scope: Scope) -> Result<Expr> {
        if let Some(i) = scope.fields.iter().position(|f| f.name == id.name) {
            return Ok(Expr::column(i, scope.fields[i].ty));
        }
        if let Some(e) = scope.env.scalar(&id.name) {
            self.charge(expr_size(e), id.span)?;
            return Ok(e.clone());
        }
        if scope.env.tabular(&id.name).is_some() || self.catalog.get(&id.name).is_some() {
            // A table used as a value: `x in (T)` — its first column.
            let t = ast::TabularExpr {
                source: ast::Source::Table(id.clone()),
                operators: vec![],
                span: id.span,
            };
            let (node, _) = self.tabular(&t, scope.env)?;
            return Ok(Expr {
                kind: ExprKind::Subquery(Box::new(node)),
                ty: DataType::Dynamic,
            });
        }
        let candidates = scope
            .fields
            .iter()
            .map(|f| f.name.as_str())
            .chain(scope.env.scalar_names());
        let mut err = Error::at(
            ErrorKind::UnknownColumn,
            id.span,
            format!("unknown column or variable `{}`", id.name),
        );
        if let Some(s) = super::names::suggest(&id.name, candidates) {
            err = err.with_hint(format!("did you mean `{s}`?"));
        }
        Err(err)
    }

    fn bind_path(&self, e: &ast::Expr, scope: Scope) -> Result<Expr> {
        // Collect constant steps from the outside in, then bind the base once.
        let mut steps = Vec::new();
        let mut cur = e;
        loop {
            match &cur.kind {
                ast::ExprKind::Member(base, key) => {
                    steps.push(PathStep::Key(key.name.clone()));
                    cur = base;
                }
                ast::ExprKind::Index(base, index) => {
                    match constant_step(index) {
                        Some(step) => steps.push(step),
                        None => {
                            let b = self.bind_path_base(base, scope)?;
                            let i = self.bind(index, scope)?;
                            let indexed = Expr {
                                kind: ExprKind::Index(Box::new(b), Box::new(i)),
                                ty: DataType::Dynamic,
                            };
                            steps.reverse();
                            return Ok(with_steps(indexed, steps));
                        }
                    }
                    cur = base;
                }
                _ => break,
            }
        }
        steps.reverse();
        let base = self.bind_path_base(cur, scope)?;
        Ok(with_steps(base, steps))
    }

    fn bind_path_base(&self, base: &ast::Expr, scope: Scope) -> Result<Expr> {
        let b = self.bind(base, scope)?;
        if b.ty != DataType::Dynamic {
            return Err(Error::at(
                ErrorKind::Type,
                base.span,
                format!(
                    "only dynamic values have properties or elements; this is {}",
                    b.ty
                ),
            ));
        }
        Ok(b)
    }
}

fn constant_step(index: &ast::Expr) -> Option<PathStep> {
    match &index.kind {
        ast::ExprKind::Literal(Literal::String(s)) => Some(PathStep::Key(s.clone())),
        ast::ExprKind::Literal(Literal::Long(Some(i))) => Some(PathStep::Index(*i)),
        ast::ExprKind::Unary(UnaryOp::Neg, inner) => match &inner.kind {
            ast::ExprKind::Literal(Literal::Long(Some(i))) => Some(PathStep::Index(-*i)),
            _ => None,
        },
        _ => None,
    }
}

fn with_steps(base: Expr, steps: Vec<PathStep>) -> Expr {
    if steps.is_empty() {
        return base;
    }
    let kind = match base.kind {
        ExprKind::Path(inner, mut first) => {
            first.extend(steps);
            ExprKind::Path(inner, first)
        }
        other => ExprKind::Path(
            Box::new(Expr {
                kind: other,
                ty: DataType::Dynamic,
            }),
            steps,
        ),
    };
    Expr {
        kind,
        ty: DataType::Dynamic,
    }
}

/// The number of nodes in `e`, counting a subquery as one: what copying it costs (see
/// [`super::MAX_WORK`]). Stops counting past the limit.
fn expr_size(e: &Expr) -> usize {
    let mut stack = vec![e];
    let mut n = 0usize;
    while let Some(e) = stack.pop() {
        n += 1;
        if n > super::MAX_WORK {
            break;
        }
        match &e.kind {
            ExprKind::Call(_, args) => stack.extend(args),
            ExprKind::Path(a, _) | ExprKind::PathText(a, _) => stack.push(a.as_ref()),
            ExprKind::Index(a, b) | ExprKind::And(a, b) | ExprKind::Or(a, b) => {
                stack.push(a.as_ref());
                stack.push(b.as_ref());
            }
            ExprKind::Shift(a, _, b) => {
                stack.push(a.as_ref());
                stack.push(b.as_ref());
            }
            _ => {}
        }
    }
    n
}
