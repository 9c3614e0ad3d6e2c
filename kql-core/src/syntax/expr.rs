//! Scalar expressions with Kusto's precedence (tightest first): primaries and paths, unary `-`/`+`,
//! string operators, `* / %`, `+ -`, `< <= > >=`, `== != <> in has_any between`, `and`, `or`.
//! Every level is left-associative here; Kusto rejects chains at some levels, we accept them.

use super::ast::{BinaryOp, Expr, ExprKind, Ident, Literal, UnaryOp};
use super::lexical::{
    backtrack, bracketed_ident, failure, ident, is_ident_char, kw, list_operator, need, nest, peek,
    pos, str_operator, sym, ws, DepthGuard, In, ListOp, PResult,
};
use super::literal::{bool_word, number, string_expr, typed_literal};
use super::{span, starts_tabular_source, tabular_expr, to_tabular};
use crate::error::Span;

/// A scalar expression.
/// A scalar expression.
pub(crate) fn expr(i: In) -> PResult<Expr> {
    binary_expr(i, 1)
}

/// What an infix token does.
#[derive(Clone, Copy)]
enum Infix {
    Bin(BinaryOp),
    List(ListOp),
}

/// The infix operator at `t` with its binding power (higher binds tighter) and its text.
fn infix(t: In) -> Option<(In, Infix, u8)> {
    if let Some((r, op)) = str_operator(t) {
        return Some((r, Infix::Bin(BinaryOp::Str(op)), 7));
    }
    if let Some((r, op)) = list_operator(t) {
        return Some((r, Infix::List(op), 3));
    }
    // ARG also accepts a single `=` as equality: `where a = true`.
    let single_eq = t.starts_with('=') && !t[1..].starts_with(['=', '~']);
    let symbols = [
        ("*", BinaryOp::Mul, 6),
        ("/", BinaryOp::Div, 6),
        ("%", BinaryOp::Mod, 6),
        ("+", BinaryOp::Add, 5),
        ("-", BinaryOp::Sub, 5),
        ("<>", BinaryOp::Ne, 3),
        ("<=", BinaryOp::Le, 4),
        (">=", BinaryOp::Ge, 4),
        ("<", BinaryOp::Lt, 4),
        (">", BinaryOp::Gt, 4),
        ("==", BinaryOp::Eq, 3),
        ("!=", BinaryOp::Ne, 3),
    ];
    if let Some((s, op, bp)) = symbols.into_iter().find(|(s, _, _)| t.starts_with(s)) {
        return Some((&t[s.len()..], Infix::Bin(op), bp));
    }
    if single_eq {
        return Some((&t[1..], Infix::Bin(BinaryOp::Eq), 3));
    }
    if let Ok((r, _)) = kw("and")(t) {
        return Some((r, Infix::Bin(BinaryOp::And), 2));
    }
    if let Ok((r, _)) = kw("or")(t) {
        return Some((r, Infix::Bin(BinaryOp::Or), 1));
    }
    None
}

/// Precedence climbing over the binary levels: operators binding at least `min_bp`.
/// Every level is left-associative (Kusto rejects chains at some levels; we accept them).
fn binary_expr(i: In, min_bp: u8) -> PResult<Expr> {
    let (mut rest, mut left) = unary_expr(i)?;
    let mut chain = DepthGuard::chain();
    loop {
        let t = ws(rest);
        let Some((r, op, bp)) = infix(t) else { break };
        if bp < min_bp {
            break;
        }
        chain.grow(t, 1)?;
        let text = &t[..t.len() - r.len()];
        match op {
            Infix::Bin(o) => {
                let (r, right) = need(binary_expr(r, bp + 1), r, || {
                    format!("an expression after `{text}`")
                })?;
                left = binary(o, left, right);
                rest = r;
            }
            Infix::List(l) => {
                let start = left.span.start;
                let (r, kind) = list_operand(r, l, left, text)?;
                left = Expr::new(kind, span(start, r));
                rest = r;
            }
        }
    }
    Ok((rest, left))
}

fn binary(op: BinaryOp, l: Expr, r: Expr) -> Expr {
    let sp = l.span.to(r.span);
    Expr::new(ExprKind::Binary(op, Box::new(l), Box::new(r)), sp)
}

/// The parenthesised right-hand side of a list operator.
fn list_operand<'a>(i: In<'a>, op: ListOp, left: Expr, text: &str) -> PResult<'a, ExprKind> {
    let (r, _) = need(sym("(")(i), i, || format!("`(` after `{text}`"))?;
    let expr = Box::new(left);
    if let ListOp::Between { negated } = op {
        let (r, low) = need(self::expr(r), r, || "the lower bound".into())?;
        let (r, _) = need(sym("..")(r), r, || "`..` between the bounds".into())?;
        let (r, high) = need(self::expr(r), r, || "the upper bound".into())?;
        let (r, _) = need(sym(")")(r), r, || "`)`".into())?;
        return Ok((
            r,
            ExprKind::Between {
                expr,
                negated,
                low: Box::new(low),
                high: Box::new(high),
            },
        ));
    }
    if peek(r, ")") {
        return Err(failure(
            r,
            format!("expected a value in the list after `{text}`"),
        ));
    }
    let (r, list) = expr_list(r, ")")?;
    let kind = match op {
        ListOp::In { negated, ci } => ExprKind::In {
            expr,
            negated,
            case_insensitive: ci,
            list,
        },
        ListOp::Has { all } => ExprKind::HasList { expr, all, list },
        ListOp::Between { .. } => return Err(backtrack(i)),
    };
    Ok((r, kind))
}

/// Comma-separated elements (scalar or tabular) up to the closing `close`.
pub(crate) fn expr_list<'a>(i: In<'a>, close: &'static str) -> PResult<'a, Vec<Expr>> {
    let mut items = Vec::new();
    if let Ok((r, _)) = sym(close)(i) {
        return Ok((r, items));
    }
    let mut rest = i;
    loop {
        let (r, e) = need(scalar_or_tabular(rest), rest, || "an expression".into())?;
        items.push(e);
        if let Ok((r, _)) = sym(",")(r) {
            rest = r;
            continue;
        }
        let (r, _) = need(sym(close)(r), r, || format!("`,` or `{close}`"))?;
        return Ok((r, items));
    }
}

/// A call's arguments up to `)`. An argument written `Name = expr` (or `["Name"] = expr`) is a
/// named argument, as in Kusto's grammar, where a call's argument list holds expressions that
/// may be named: `arg_max(ts, Scope = iff(…))`, `pack(name, level = case(…))`. (Elsewhere ARG
/// reads a single `=` as `==`.)
fn call_args(i: In) -> PResult<Vec<Expr>> {
    let mut items = Vec::new();
    if let Ok((r, _)) = sym(")")(i) {
        return Ok((r, items));
    }
    let mut rest = i;
    loop {
        let (r, e) = match named_arg(rest) {
            Some(done) => done?,
            None => need(scalar_or_tabular(rest), rest, || "an expression".into())?,
        };
        items.push(e);
        if let Ok((r, _)) = sym(",")(r) {
            rest = r;
            continue;
        }
        let (r, _) = need(sym(")")(r), r, || "`,` or `)`".into())?;
        return Ok((r, items));
    }
}

/// `Name = expr` at the start of `i`, if that is what is written there.
fn named_arg(i: In) -> Option<PResult<Expr>> {
    let t = ws(i);
    let start = pos(t);
    let (r, name) = ident(t).ok()?;
    let after = ws(r);
    let value = after.strip_prefix('=')?;
    if value.starts_with(['=', '~']) {
        return None;
    }
    Some(
        need(scalar_or_tabular(value), value, || {
            format!("an expression after `{} =`", name.name)
        })
        .map(|(r, e)| {
            let sp = span(start, r);
            (r, Expr::new(ExprKind::NamedArg(name, Box::new(e)), sp))
        }),
    )
}

/// An element that may be a tabular subquery: `T | project a`, `datatable(…)[…]`, or a scalar.
pub(crate) fn scalar_or_tabular(i: In) -> PResult<Expr> {
    let i = ws(i);
    if starts_tabular_source(i) {
        let (r, t) = tabular_expr(i)?;
        let sp = t.span;
        return Ok((r, Expr::new(ExprKind::Tabular(Box::new(t)), sp)));
    }
    let (r, e) = expr(i)?;
    if peek(r, "|") && !peek(r, "||") {
        let (r, t) = to_tabular(e, r)?;
        let sp = t.span;
        return Ok((r, Expr::new(ExprKind::Tabular(Box::new(t)), sp)));
    }
    Ok((r, e))
}

/// Level 2: prefix `-` and `+`.
fn unary_expr(i: In) -> PResult<Expr> {
    let t = ws(i);
    let op = if t.starts_with('-') {
        UnaryOp::Neg
    } else if t.starts_with('+') {
        UnaryOp::Plus
    } else {
        return postfix_expr(t);
    };
    let _guard = nest(t)?;
    let r = &t[1..];
    let (r, x) = need(unary_expr(r), r, || {
        format!("an expression after `{}`", &t[..1])
    })?;
    Ok((
        r,
        Expr::new(ExprKind::Unary(op, Box::new(x)), span(pos(t), r)),
    ))
}

/// A primary followed by paths: `.name`, `['key']`, `[index]`, `.method(args)`.
fn postfix_expr(i: In) -> PResult<Expr> {
    let (mut rest, mut e) = primary(i)?;
    let mut chain = DepthGuard::chain();
    loop {
        let t = ws(rest);
        if t.starts_with(['.', '[']) {
            chain.grow(t, 1)?;
        }
        let start = e.span.start;
        if let Some(after_dot) = t.strip_prefix('.') {
            if peek(after_dot, "[") {
                let (r, next) = bracket_step(ws(after_dot), e, start)?;
                (rest, e) = (r, next);
                continue;
            }
            let Ok((r, name)) = member_name(after_dot) else {
                break;
            };
            if peek(r, "(") {
                let (r, _) = sym("(")(r)?;
                let (r, mut args) = call_args(r)?;
                args.insert(0, e);
                e = Expr::new(ExprKind::Call(name, args), span(start, r));
                rest = r;
                continue;
            }
            e = Expr::new(ExprKind::Member(Box::new(e), name), span(start, r));
            rest = r;
        } else if t.starts_with('[') {
            let (r, next) = bracket_step(t, e, start)?;
            (rest, e) = (r, next);
        } else {
            break;
        }
    }
    Ok((rest, e))
}

/// A name after `.`: an identifier, or a key that starts with digits but holds a letter
/// (`tags.2ndOwner`), which the Kusto lexer also reads as an identifier.
fn member_name(i: In) -> PResult<Ident> {
    if let Ok(found) = ident(i) {
        return Ok(found);
    }
    let t = ws(i);
    let end = t.find(|c: char| !is_ident_char(c)).unwrap_or(t.len());
    let key = &t[..end];
    if !key.starts_with(|c: char| c.is_ascii_digit()) || key.chars().all(|c| c.is_ascii_digit()) {
        return Err(backtrack(t));
    }
    let rest = &t[end..];
    Ok((
        rest,
        Ident {
            name: key.to_string(),
            span: span(pos(t), rest),
        },
    ))
}

/// `[key]` after a value: a constant string key is a member, anything else an index.
fn bracket_step(t: In, base: Expr, start: usize) -> PResult<Expr> {
    let _guard = nest(t)?;
    let r = &t[1..];
    let (r, key) = need(expr(r), r, || "an index or key inside `[ ]`".into())?;
    let (r, _) = need(sym("]")(r), r, || "`]`".into())?;
    let kind = match key.kind {
        ExprKind::Literal(Literal::String(s)) => ExprKind::Member(
            Box::new(base),
            Ident {
                name: s,
                span: key.span,
            },
        ),
        _ => ExprKind::Index(Box::new(base), Box::new(key)),
    };
    Ok((r, Expr::new(kind, span(start, r))))
}

/// Literals, names, calls, `*`, and parenthesised expressions or subqueries.
fn primary(i: In) -> PResult<Expr> {
    let t = ws(i);
    let start = pos(t);
    let Some(c) = t.chars().next() else {
        return Err(backtrack(t));
    };
    match c {
        '(' => paren(t),
        '\'' | '"' | '@' | '`' => string_expr(t),
        '~' if t.starts_with("~~~") => string_expr(t),
        'h' | 'H' if t[1..].starts_with(['\'', '"', '@', '`']) => string_expr(t),
        '0'..='9' => number(t),
        '*' => Ok((
            &t[1..],
            Expr::new(ExprKind::Star, Span::new(start, start + 1)),
        )),
        '[' => {
            let (r, id) = bracketed_ident(t)?;
            Ok((r, Expr::new(ExprKind::Name(id), span(start, r))))
        }
        _ => named(t),
    }
}

/// A word: `true`, a typed literal, a call `f(…)`, or a name.
fn named(t: In) -> PResult<Expr> {
    let start = pos(t);
    let (r, name) = ident(t)?;
    if let Some(b) = bool_word(&name.name) {
        return Ok((
            r,
            Expr::new(ExprKind::Literal(Literal::Bool(Some(b))), name.span),
        ));
    }
    if !peek(r, "(") {
        return Ok((r, Expr::new(ExprKind::Name(name), span(start, r))));
    }
    match typed_literal(t) {
        Err(nom::Err::Error(_)) => {}
        done => return done,
    }
    let _guard = nest(t)?;
    let (r, _) = sym("(")(r)?;
    if name.name == "datetime" && peek(r, ")") {
        let (r, _) = sym(")")(r)?;
        let now = Ident {
            name: "now".into(),
            span: name.span,
        };
        return Ok((r, Expr::new(ExprKind::Call(now, vec![]), span(start, r))));
    }
    let (r, args) = call_args(r)?;
    Ok((r, Expr::new(ExprKind::Call(name, args), span(start, r))))
}

/// `( expr )` or `( tabular )`.
fn paren(t: In) -> PResult<Expr> {
    let _guard = nest(t)?;
    let r = &t[1..];
    let (r, e) = need(scalar_or_tabular(r), r, || "an expression after `(`".into())?;
    let (r, _) = need(sym(")")(r), r, || "`)`".into())?;
    Ok((r, e))
}

#[cfg(test)]
mod tests {
    use super::super::parse_expr;
    use super::*;

    /// The expression fully parenthesised, so the tree's shape is visible.
    fn shape(e: &Expr) -> String {
        let name = |n: &str| {
            Expr::new(
                ExprKind::Name(Ident {
                    name: n.into(),
                    span: Span::default(),
                }),
                e.span,
            )
        };
        match &e.kind {
            ExprKind::Binary(op, l, r) => {
                let op = Expr::new(
                    ExprKind::Binary(*op, Box::new(name("x")), Box::new(name("y"))),
                    e.span,
                );
                let op = op.to_string();
                format!("({} {} {})", shape(l), &op[2..op.len() - 2], shape(r))
            }
            ExprKind::Unary(UnaryOp::Neg, x) => format!("(-{})", shape(x)),
            ExprKind::In { expr, .. }
            | ExprKind::HasList { expr, .. }
            | ExprKind::Between { expr, .. } => {
                let whole = Expr::new(e.kind.clone(), e.span).to_string();
                let op_and_list = &whole[expr.to_string().len()..];
                format!("({}{op_and_list})", shape(expr))
            }
            _ => e.to_string(),
        }
    }

    #[test]
    fn precedence_follows_kusto() {
        for (text, tree) in [
            ("a + b has \"x\"", "(a + (b has \"x\"))"),
            ("a < b == c", "((a < b) == c)"),
            ("a or b and c", "(a or (b and c))"),
            ("a * b + c * d", "((a * b) + (c * d))"),
            ("a - b - c", "((a - b) - c)"),
            ("-a * b", "((-a) * b)"),
            (
                "a == 1 and b != 2 or c <> 3",
                "(((a == 1) and (b != 2)) or (c != 3))",
            ),
            (
                "x in (1, 2) and y !in~ ('a')",
                "((x in (1, 2)) and (y !in~ (\"a\")))",
            ),
            (
                "a =~ 'x' and b !contains_cs 'y'",
                "((a =~ \"x\") and (b !contains_cs \"y\"))",
            ),
            ("x + 1 between (1 .. 10)", "((x + 1) between (1 .. 10))"),
            (
                "t matches regex '^a' or t notlikecs 'b%'",
                "((t matches regex \"^a\") or (t notlikecs \"b%\"))",
            ),
            ("a = true", "(a == true)"),
            ("1d + 2h", "(1d + 2h)"),
            (
                "a has_any ('x', 'y') == false",
                "((a has_any (\"x\", \"y\")) == false)",
            ),
            ("a * (b + c)", "(a * (b + c))"),
            (
                "a !has 'x' and b hasprefix_cs 'y'",
                "((a !has \"x\") and (b hasprefix_cs \"y\"))",
            ),
        ] {
            let e = parse_expr(text).unwrap_or_else(|err| panic!("{text}: {err}"));
            assert_eq!(shape(&e), tree, "{text}");
        }
    }

    #[test]
    fn paths_calls_and_subqueries() {
        for (text, printed) in [
            ("properties.status.code", "properties.status.code"),
            ("a['b'].c[0][-1]", "a.b.c[0][-1]"),
            ("a.['odata.type']", "a[\"odata.type\"]"),
            ("properties.$type", "properties.$type"),
            ("tags.2ndOwner", "tags[\"2ndOwner\"]"),
            ("d[col]", "d[col]"),
            ("x.tolower()", "tolower(x)"),
            ("strcat(a, 'b').trim()", "trim(strcat(a, \"b\"))"),
            ("arg_max(x, *)", "arg_max(x, *)"),
            ("toscalar(T | count)", "toscalar((T | count))"),
            ("x in (T | project a)", "x in ((T | project a))"),
            ("['my col'] + 1", "[\"my col\"] + 1"),
            ("todatetime(x)", "todatetime(x)"),
            ("long(x)", "long(x)"),
            ("-(-1)", "-(-1)"),
            ("(a)", "a"),
        ] {
            let e = parse_expr(text).unwrap_or_else(|err| panic!("{text}: {err}"));
            assert_eq!(e.to_string(), printed, "{text}");
            let again = parse_expr(&e.to_string()).unwrap_or_else(|err| panic!("{printed}: {err}"));
            assert_eq!(again.to_string(), printed, "{text}");
        }
    }

    #[test]
    fn expression_errors() {
        for (text, at, msg) in [
            ("a +", 3, "expected an expression after `+`"),
            ("x in 1", 5, "expected `(` after `in`"),
            ("x between (1, 2)", 12, "expected `..` between the bounds"),
            ("f(a", 3, "expected `,` or `)`"),
            ("a[1", 3, "expected `]`"),
            ("a in ()", 6, "expected a value in the list after `in`"),
        ] {
            let e = parse_expr(text).expect_err(text);
            assert_eq!(
                (e.span.map(|s| s.start), e.message.as_str()),
                (Some(at), msg),
                "{text}"
            );
        }
    }
}
