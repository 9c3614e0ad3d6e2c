//! Statements: `let` bindings, user functions and views, and function bodies.

use super::ast::{
    ExprKind, FunctionDef, LetStatement, LetValue, Param, Source, Statement, TabularExpr, TypeName,
};
use super::expr::expr;
use super::lexical::{
    assign, failure, ident, kw, need, nest, peek, peek_kw, pos, sym, word, ws, In, PResult,
};
use super::{span, starts_tabular_source, tabular_expr, to_tabular, top_tabular};
use crate::types::DataType;

/// Statements separated by `;`, up to the end (top level) or a `}` (function body).
pub(crate) fn statements(i: In, top: bool) -> PResult<Vec<Statement>> {
    let mut out = Vec::new();
    let mut rest = i;
    loop {
        while let Ok((r, _)) = sym(";")(rest) {
            rest = r;
        }
        let t = ws(rest);
        if t.is_empty() || (!top && t.starts_with('}')) {
            return Ok((t, out));
        }
        let (r, st) = statement(t, top)?;
        out.push(st);
        rest = r;
        if !peek(r, ";") {
            return Ok((r, out));
        }
    }
}

/// `let …`, or the query's tabular expression (or, in a function body, its result).
fn statement(i: In, top: bool) -> PResult<Statement> {
    if peek_kw(i, "let") {
        let (r, l) = let_statement(i)?;
        return Ok((r, Statement::Let(l)));
    }
    if top {
        let (r, t) = need(top_tabular(i), i, || "a query".into())?;
        return Ok((r, Statement::Tabular(t)));
    }
    let (r, v) = value(i)?;
    Ok((
        r,
        match v {
            LetValue::Tabular(t) => Statement::Tabular(t),
            LetValue::Scalar(e) => Statement::Expr(e),
            LetValue::Function(_) => return Err(failure(i, "expected an expression")),
        },
    ))
}

/// `let name = value`.
fn let_statement(i: In) -> PResult<LetStatement> {
    let start = pos(ws(i));
    let (r, _) = kw("let")(i)?;
    let (r, name) = need(ident(r), r, || "a name after `let`".into())?;
    let (r, _) = need(assign(r), r, || format!("`=` after `let {}`", name.name))?;
    let (r, value) = match function_ahead(r) {
        true => function_def(r).map(|(r, f)| (r, LetValue::Function(f)))?,
        false => need(value(r), r, || "a value after `=`".into())?,
    };
    Ok((
        r,
        LetStatement {
            name,
            value,
            span: span(start, r),
        },
    ))
}

/// A scalar or tabular value: tabular when it has a pipe or starts with a tabular source.
fn value(i: In) -> PResult<LetValue> {
    let i = ws(i);
    if starts_tabular_source(i) {
        let (r, t) = tabular_expr(i)?;
        return Ok((r, LetValue::Tabular(t)));
    }
    let (r, e) = expr(i)?;
    if peek(r, "|") {
        let (r, t) = to_tabular(e, r)?;
        return Ok((r, LetValue::Tabular(t)));
    }
    Ok((
        r,
        match e.kind {
            ExprKind::Tabular(t) => LetValue::Tabular(*t),
            ExprKind::Call(name, args) if name.name == "materialize" => {
                let span = e.span;
                let source = Source::Call { name, args, span };
                LetValue::Tabular(TabularExpr {
                    source,
                    operators: vec![],
                    span,
                })
            }
            _ => LetValue::Scalar(e),
        },
    ))
}

/// True when a user function starts here: `view (`, `()` + `{`, or `(name:`.
fn function_ahead(i: In) -> bool {
    if let Ok((r, _)) = kw("view")(i) {
        return peek(r, "(");
    }
    let Ok((r, _)) = sym("(")(i) else {
        return false;
    };
    if let Ok((r, _)) = sym(")")(r) {
        return peek(r, "{");
    }
    matches!(ident(r), Ok((r, _)) if peek(r, ":"))
}

/// `[view] (params) { body }`.
fn function_def(i: In) -> PResult<FunctionDef> {
    let _guard = nest(i)?;
    let start = pos(ws(i));
    let (r, is_view) = match kw("view")(i) {
        Ok((r, _)) => (r, true),
        Err(_) => (i, false),
    };
    let (mut r, _) = need(sym("(")(r), r, || "`(`".into())?;
    let mut params = Vec::new();
    if let Ok((r2, _)) = sym(")")(r) {
        r = r2;
    } else {
        loop {
            let (r2, p) = param(r)?;
            params.push(p);
            if let Ok((r3, _)) = sym(",")(r2) {
                r = r3;
                continue;
            }
            (r, _) = need(sym(")")(r2), r2, || {
                "`,` or `)` in the parameter list".into()
            })?;
            break;
        }
    }
    let (r, _) = need(sym("{")(r), r, || "`{` to start the function body".into())?;
    let (r, body) = statements(r, false)?;
    let (r, _) = need(sym("}")(r), r, || "`}` to close the function body".into())?;
    Ok((
        r,
        FunctionDef {
            is_view,
            params,
            body,
            span: span(start, r),
        },
    ))
}

/// `name: type [= default]` or a tabular parameter `T: (*)`.
fn param(i: In) -> PResult<Param> {
    let (r, name) = need(ident(i), i, || "a parameter name".into())?;
    let (r, _) = need(sym(":")(r), r, || {
        "`:` and a type after the parameter name".into()
    })?;
    let (r, ty) = if let Ok((r2, _)) = sym("(")(r) {
        (skip_to_close(r2)?.0, None)
    } else {
        let (r, t) = type_name(r)?;
        (r, Some(t))
    };
    let (r, default) = match assign(r) {
        Ok((r2, _)) => {
            let (r2, e) = need(expr(r2), r2, || "a default value".into())?;
            (r2, Some(e))
        }
        Err(_) => (r, None),
    };
    Ok((r, Param { name, ty, default }))
}

/// Skips a tabular parameter's schema up to its `)`.
fn skip_to_close(i: In) -> PResult<()> {
    match i.find(')') {
        Some(n) => Ok((&i[n + 1..], ())),
        None => Err(failure(i, "expected `)`")),
    }
}

/// A type name: `long`, `string`, `datetime`, …
pub(crate) fn type_name(i: In) -> PResult<TypeName> {
    let t = ws(i);
    let start = pos(t);
    let (r, w) = need(word(t), t, || "a type name".into())?;
    match DataType::from_name(w) {
        Some(ty) => Ok((
            r,
            TypeName {
                ty,
                span: span(start, r),
            },
        )),
        None => Err(failure(t, format!("unknown type `{w}`"))),
    }
}

#[cfg(test)]
mod tests {
    use super::super::ast::Query;
    use super::super::parse;
    use super::*;

    fn first_let(q: &Query) -> &LetValue {
        match q.statements.first() {
            Some(Statement::Let(l)) => &l.value,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn let_values_by_shape() {
        for (text, kind) in [
            ("let x = 5; T", "scalar"),
            ("let x = T; x", "scalar"),
            ("let x = T | take 1; x", "tabular"),
            ("let x = datatable(a:long)[1]; x", "tabular"),
            ("let x = range i from 1 to 3 step 1; x", "tabular"),
            ("let x = print 1; x", "tabular"),
            ("let x = union A, B; x", "tabular"),
            ("let x = materialize(T); x", "tabular"),
            ("let x = (T | count); x", "tabular"),
            ("let x = (1 + 2); T", "scalar"),
            ("let f = () { 1 }; T", "function"),
            ("let f = (a: int, b: string = 'x') { a }; T", "function"),
            ("let v = view () { T | take 1 }; v", "function"),
            ("let d = dynamic({'a': 1}); T", "scalar"),
        ] {
            let q = parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            let got = match first_let(&q) {
                LetValue::Scalar(_) => "scalar",
                LetValue::Tabular(_) => "tabular",
                LetValue::Function(_) => "function",
            };
            assert_eq!(got, kind, "{text}");
        }
    }

    #[test]
    fn function_bodies() {
        let q = parse("let f = (t: long, T: (x: long)) { let k = 2; t * k }; f(1)").unwrap();
        let LetValue::Function(f) = first_let(&q) else {
            panic!()
        };
        assert_eq!(f.params.len(), 2);
        assert_eq!(f.params[1].ty, None);
        assert!(matches!(
            f.body.as_slice(),
            [Statement::Let(_), Statement::Expr(_)]
        ));
        assert_eq!(
            q.to_string(),
            "let f = (t: long, T: (*)) { let k = 2; t * k };\nf(1)"
        );
        let v = parse("let v = view () { print x = 1 }; v").unwrap();
        let LetValue::Function(f) = first_let(&v) else {
            panic!()
        };
        assert!(f.is_view && matches!(f.body.as_slice(), [Statement::Tabular(_)]));
    }

    #[test]
    fn statement_errors() {
        for (text, at, msg) in [
            ("let x 5", 6, "expected `=` after `let x`"),
            ("let x =", 7, "expected a value after `=`"),
            (
                "let f = (a: long) a",
                18,
                "expected `{` to start the function body",
            ),
            (
                "let f = (a: long) { a",
                21,
                "expected `}` to close the function body",
            ),
            ("let f = (a: widget) { a }", 12, "unknown type `widget`"),
            (
                "let f = (a: long b) { a }",
                17,
                "expected `,` or `)` in the parameter list",
            ),
            (
                "let x = 1; 1 + 2",
                11,
                "expected a table name or a tabular expression",
            ),
        ] {
            let e = parse(text).expect_err(text);
            assert_eq!(
                (e.span.map(|s| s.start), e.message.as_str()),
                (Some(at), msg),
                "{text}"
            );
        }
    }
}
