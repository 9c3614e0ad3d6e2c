//! STAGE 1, text → AST. `parse` never looks up tables or functions.
//!
//! This file holds the entry point, pipelines and their sources (`datatable`, `range`, …).
//! Tokens and the error type are in `lexical.rs`; literals in `literal.rs` and `dynamic.rs`;
//! expressions in `expr.rs`; `let` and functions in `statement.rs`; piped operators in
//! `operator.rs`, `extract.rs` (`parse`, `mv-expand`) and `join.rs` (`join`, `lookup`, `union`);
//! printing back to KQL in `print.rs` and `print_expr.rs`.

pub mod ast;
mod dynamic;
mod expr;
mod extract;
mod join;
mod lexical;
mod literal;
mod operator;
mod print;
mod print_expr;
mod statement;

use ast::{Expr, ExprKind, NamedExpr, Query, Source, TabularExpr};
use expr::expr;
use join::union_body;
use lexical::{
    begin, end, failure, ident, kw, need, nest, op_word, peek, peek_kw, pos, sym, to_error, ws, In,
    PErr, PResult,
};
use operator::{named_list, pipes};
use statement::{statements, type_name};

use crate::error::{Error, Span};
use crate::Result;

/// Parses a whole query (statements separated by `;`).
///
/// ```
/// let q = kql_core::syntax::parse("T | where a > 1 | count").unwrap();
/// assert_eq!(q.to_string(), "T | where a > 1 | count");
/// ```
pub fn parse(text: &str) -> Result<Query> {
    // Nesting is capped at `MAX_DEPTH` levels, but a level can take tens of KB of stack in debug
    // builds, more than a test thread has; so deeply nested text is parsed on a thread with a
    // known, large stack. Shallow text (nearly every real query) is parsed in place.
    if nesting_bound(text) <= IN_PLACE_DEPTH {
        return parse_here(text);
    }
    std::thread::scope(|scope| {
        let worker = std::thread::Builder::new()
            .stack_size(PARSE_STACK)
            .spawn_scoped(scope, || parse_here(text));
        match worker {
            Ok(handle) => handle
                .join()
                .unwrap_or_else(|_| Err(Error::internal("the parser panicked"))),
            Err(_) => parse_here(text),
        }
    })
}

/// Stack for the parser thread: enough for `MAX_DEPTH` levels in an unoptimised build.
const PARSE_STACK: usize = 64 << 20;

/// Up to this bound a 2 MB stack is enough even in an unoptimised build.
const IN_PLACE_DEPTH: usize = 32;

/// An upper bound on how deeply `text` can nest: twice the bracket depth (a bracket can hold a
/// pipeline) plus the longest run of signs (`- - x`), counting brackets inside strings too.
fn nesting_bound(text: &str) -> usize {
    let (mut depth, mut max_depth, mut run, mut max_run) = (0usize, 0usize, 0usize, 0usize);
    for b in text.bytes() {
        match b {
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        match b {
            b'-' | b'+' => run += 1,
            b' ' | b'\t' | b'\r' | b'\n' => {}
            _ => run = 0,
        }
        max_depth = max_depth.max(depth);
        max_run = max_run.max(run);
    }
    2 * max_depth + max_run + 2
}

fn parse_here(text: &str) -> Result<Query> {
    let old = begin(text.len());
    let r = query(text);
    end(old);
    r.map_err(|e| to_error(text, e))
}

fn query(text: &str) -> std::result::Result<Query, PErr> {
    let unwrap = |e: nom::Err<PErr>| match e {
        nom::Err::Error(e) | nom::Err::Failure(e) => e,
        nom::Err::Incomplete(_) => PErr { at: 0, msg: None },
    };
    let (rest, statements) = statements(text, true).map_err(unwrap)?;
    let rest = ws(rest);
    if !rest.is_empty() {
        let msg = "expected `|`, `;` or the end of the query".to_string();
        return Err(PErr {
            at: rest.len(),
            msg: Some(msg),
        });
    }
    if statements.is_empty() {
        return Err(PErr {
            at: 0,
            msg: Some("the query is empty".into()),
        });
    }
    Ok(Query {
        statements,
        span: Span::new(0, text.len()),
    })
}

/// The span from `start` to the current position `rest`.
pub(crate) fn span(start: usize, rest: In) -> Span {
    Span::new(start, pos(rest).max(start))
}

/// True when a keyword-led tabular source starts here (`datatable(`, `range x from`, `union`, `print`).
pub(crate) fn starts_tabular_source(i: In) -> bool {
    if let Ok((r, _)) = kw("datatable")(i) {
        return peek(r, "(");
    }
    if let Ok((r, _)) = kw("range")(i) {
        return matches!(ident(r), Ok((r2, _)) if peek_kw(r2, "from"));
    }
    match kw("union")(i).or_else(|_| kw("print")(i)) {
        Ok((r, _)) => {
            let r = ws(r);
            // `print ['x']` / `union ["T"]` start with a bracketed name: still the operator.
            let bracketed_name = r
                .strip_prefix('[')
                .is_some_and(|rest| ws(rest).starts_with(['\'', '"']));
            bracketed_name || !(r.is_empty() || r.starts_with(['=', ',', ')', '.', '[', '|', ';']))
        }
        Err(_) => false,
    }
}

/// A pipeline that is not at the top level: a source then `| operators`.
pub(crate) fn tabular_expr(i: In) -> PResult<TabularExpr> {
    let _guard = nest(i)?;
    let t = ws(i);
    let start = pos(t);
    let (r, source) = tabular_source(t)?;
    let (r, operators) = pipes(r)?;
    Ok((
        r,
        TabularExpr {
            source,
            operators,
            span: span(start, r),
        },
    ))
}

/// The top-level pipeline: like [`tabular_expr`], but may start with an operator.
pub(crate) fn top_tabular(i: In) -> PResult<TabularExpr> {
    let t = ws(i);
    let start = pos(t);
    let implicit =
        t.starts_with('|') || op_word(t).is_ok_and(|(_, w)| operator::is_operator_name(w));
    if !implicit {
        return tabular_expr(t);
    }
    let (r, first) = match sym("|")(t) {
        Ok((r, _)) => need(operator::operator(r), r, || "an operator after `|`".into())?,
        Err(_) => operator::operator(t)?,
    };
    let (r, mut rest) = pipes(r)?;
    rest.insert(0, first);
    let source = Source::Implicit(Span::new(start, start));
    Ok((
        r,
        TabularExpr {
            source,
            operators: rest,
            span: span(start, r),
        },
    ))
}

/// Where a pipeline's rows come from.
fn tabular_source(i: In) -> PResult<Source> {
    let t = ws(i);
    let start = pos(t);
    if let Ok((r, _)) = kw("datatable")(t) {
        return datatable(r, start);
    }
    if starts_tabular_source(t) {
        if let Ok((r, _)) = kw("range")(t) {
            return range(r, start);
        }
        if let Ok((r, _)) = kw("print")(t) {
            let (r, items) = named_list(r, "an expression after `print`")?;
            return Ok((r, Source::Print(items, span(start, r))));
        }
        if let Ok((r, _)) = kw("union")(t) {
            let (r, u) = union_body(r, start)?;
            return Ok((r, Source::Union(u)));
        }
    }
    let (r, e) = need(expr(t), t, || "a table name or a tabular expression".into())?;
    match to_source(e) {
        Some(s) => Ok((r, s)),
        None => Err(failure(t, "expected a table name or a tabular expression")),
    }
}

/// Reads an expression already parsed as a pipeline source: a name, a call, a subquery.
fn to_source(e: Expr) -> Option<Source> {
    match e.kind {
        ExprKind::Name(id) => Some(Source::Table(id)),
        ExprKind::Call(name, args) => Some(Source::Call {
            name,
            args,
            span: e.span,
        }),
        ExprKind::Tabular(t) => Some(Source::Paren(t)),
        _ => None,
    }
}

/// Continues an expression followed by `|` as a pipeline.
pub(crate) fn to_tabular(e: Expr, rest: In) -> PResult<TabularExpr> {
    let start = e.span.start;
    let Some(source) = to_source(e) else {
        // Point at the start of the expression: its offset as a remaining length.
        let at = pos("").saturating_sub(start);
        let msg = Some("expected a table name or a tabular expression before `|`".into());
        return Err(nom::Err::Failure(PErr { at, msg }));
    };
    let _guard = nest(rest)?;
    let (r, operators) = pipes(rest)?;
    Ok((
        r,
        TabularExpr {
            source,
            operators,
            span: span(start, r),
        },
    ))
}

/// `datatable(a: long, …) [values]` after the keyword.
fn datatable(i: In, start: usize) -> PResult<Source> {
    let (mut r, _) = need(sym("(")(i), i, || "`(` after `datatable`".into())?;
    let mut columns = Vec::new();
    loop {
        let (r2, name) = need(ident(r), r, || "a column name".into())?;
        let (r2, _) = need(sym(":")(r2), r2, || "`:` after the column name".into())?;
        let (r2, ty) = type_name(r2)?;
        columns.push((name, ty));
        if let Ok((r3, _)) = sym(",")(r2) {
            r = r3;
            continue;
        }
        (r, _) = need(sym(")")(r2), r2, || "`,` or `)`".into())?;
        break;
    }
    let (mut r, _) = need(sym("[")(r), r, || "`[` and the values".into())?;
    let mut values = Vec::new();
    loop {
        if let Ok((r2, _)) = sym("]")(r) {
            r = r2;
            break;
        }
        let (r2, v) = need(expr(r), r, || "a value".into())?;
        values.push(v);
        r = match sym(",")(r2) {
            Ok((r3, _)) => r3,
            Err(_) => need(sym("]")(r2), r2, || "`,` or `]`".into()).map(|_| r2)?,
        };
    }
    Ok((
        r,
        Source::Datatable {
            columns,
            values,
            span: span(start, r),
        },
    ))
}

/// `range x from a to b step c` after the keyword.
fn range(i: In, start: usize) -> PResult<Source> {
    let (r, name) = need(ident(i), i, || "a column name after `range`".into())?;
    let (r, _) = need(kw("from")(r), r, || "`from`".into())?;
    let (r, from) = need(expr(r), r, || "an expression after `from`".into())?;
    let (r, _) = need(kw("to")(r), r, || "`to`".into())?;
    let (r, to) = need(expr(r), r, || "an expression after `to`".into())?;
    let (r, _) = need(kw("step")(r), r, || "`step`".into())?;
    let (r, step) = need(expr(r), r, || "an expression after `step`".into())?;
    Ok((
        r,
        Source::Range {
            name,
            from,
            to,
            step,
            span: span(start, r),
        },
    ))
}

/// Parses one scalar expression (for tests).
#[cfg(test)]
pub(crate) fn parse_expr(text: &str) -> Result<Expr> {
    let old = begin(text.len());
    let r = expr(text);
    end(old);
    match r {
        Ok((rest, e)) if ws(rest).is_empty() => Ok(e),
        Ok((rest, _)) => Err(to_error(
            text,
            PErr {
                at: ws(rest).len(),
                msg: None,
            },
        )),
        Err(nom::Err::Error(e) | nom::Err::Failure(e)) => Err(to_error(text, e)),
        Err(nom::Err::Incomplete(_)) => Err(Error::internal("incomplete")),
    }
}

/// Builds a [`NamedExpr`] without names.
pub(crate) fn unnamed(expr: Expr) -> NamedExpr {
    NamedExpr {
        names: Vec::new(),
        expr,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    /// Parses and prints back.
    fn print(text: &str) -> String {
        match parse(text) {
            Ok(q) => q.to_string(),
            Err(e) => panic!("{text}: {e}"),
        }
    }

    #[test]
    fn statements_and_sources() {
        for (text, printed) in [
            ("T | where a > 1 | count", "T | where a > 1 | count"),
            ("let x = 5; T | where a > x;", "let x = 5;\nT | where a > x"),
            ("let x = T; x", "let x = T;\nx"),
            ("let R = T | take 1; R", "let R = T | take 1;\nR"),
            ("let R = (T | take 1); R", "let R = T | take 1;\nR"),
            (
                "let M = materialize(T | take 1); M",
                "let M = materialize((T | take 1));\nM",
            ),
            (
                "let f = (a:long, b:string=\"x\") { a + 1 }; f(1)",
                "let f = (a: long, b: string = \"x\") { a + 1 };\nf(1)",
            ),
            (
                "let v = view () { print x=1 }; v",
                "let v = view () { print x = 1 };\nv",
            ),
            (
                "let g = (T:(*)) { T | count }; g(R)",
                "let g = (T: (*)) { T | count };\ng(R)",
            ),
            ("where x == 1", "where x == 1"),
            ("| where x == 1 | take 1", "where x == 1 | take 1"),
            (
                "summarize count() by kind",
                "summarize count() by [\"kind\"]",
            ),
            (
                "datatable(a:long, b:string)[1, 'x', 2, 'y',]",
                "datatable(a: long, b: string) [1, \"x\", 2, \"y\"]",
            ),
            ("range x from 1 to 10 step 2", "range x from 1 to 10 step 2"),
            ("print a = 1, 2", "print a = 1, 2"),
            ("union T1, (T2 | take 1)", "union T1, (T2 | take 1)"),
            ("(T | take 1) | count", "(T | take 1) | count"),
            ("['my table'] | count", "[\"my table\"] | count"),
            ("// comment\nT // more\n| count // end", "T | count"),
        ] {
            assert_eq!(print(text), printed, "{text}");
        }
    }

    #[test]
    fn syntax_errors_point_at_the_spot() {
        for (text, at, msg) in [
            ("T | where a ==", 14, "expected an expression after `==`"),
            ("T | where", 9, "expected a predicate after `where`"),
            ("T | sort a", 9, "expected `by`"),
            ("T | where a == 'x", 15, "unterminated string literal"),
            ("T | frobnicate", 4, "unknown operator `frobnicate`"),
            (
                "T | where a == 1 b",
                17,
                "expected `|`, `;` or the end of the query",
            ),
            ("T | join (R) a", 13, "expected `on` and the join keys"),
            ("T | project a,", 14, "expected an expression after `,`"),
            ("T | where f(a, ", 15, "expected an expression"),
            ("print datetime(2020-13-45)", 15, "invalid datetime literal"),
            ("print 5zz", 7, "unknown timespan unit `zz`"),
            ("let = 1", 4, "expected a name after `let`"),
            ("", 0, "the query is empty"),
            ("T | extend x = (1 + 2", 21, "expected `)`"),
        ] {
            let e = parse(text).expect_err(text);
            assert_eq!(e.kind, ErrorKind::Syntax, "{text}");
            assert_eq!(e.message, msg, "{text}");
            assert_eq!(e.span.map(|s| s.start), Some(at), "{text}: {e}");
        }
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let n = 100_000;
        for text in [
            "(".repeat(n),
            format!("print {}", "(".repeat(n)),
            format!("print {}1", "-".repeat(n)),
            format!("print {}", "f(".repeat(n)),
            format!("print dynamic({}", "[".repeat(n)),
            format!("print x{}", "[a".repeat(n)),
            format!("T{}", "| join (T ".repeat(n)),
            format!("print {}", "toscalar(T | where ".repeat(n)),
            "let f = () { ".repeat(n),
        ] {
            let e = parse(&text).expect_err("nesting");
            assert_eq!(e.kind, ErrorKind::Syntax);
        }
        // Long left-deep chains are bounded too, and print without deep recursion.
        for n in [900, 5000] {
            let sum = format!("print 1{}", " + 1".repeat(n));
            let path = format!("print a{}", ".b".repeat(n));
            let ors = format!("T | where {}", vec!["x == 1"; n].join(" or "));
            for text in [sum, path, ors] {
                match parse(&text) {
                    Ok(q) => assert!(n < 1000 && parse(&q.to_string()).is_ok()),
                    Err(e) => assert!(n > 1000 && e.message == "the query nests too deeply"),
                }
            }
        }
        // The deepest shapes that are still parsed in place fit a test thread's stack.
        let k = (IN_PLACE_DEPTH - 2) / 2;
        for ok in [
            format!("print {}1{}", "(".repeat(k), ")".repeat(k)),
            (0..k).fold("T".to_string(), |inner, _| {
                format!("T | join ({inner}) on a")
            }),
            format!(
                "print {}1{}",
                "toscalar(T | where x > ".repeat(k),
                ")".repeat(k)
            ),
            format!("print {}1", "- ".repeat(IN_PLACE_DEPTH - 2)),
            format!("print {}1", "f(".repeat(150)) + &")".repeat(150),
        ] {
            assert!(parse(&ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn prefixes_never_panic() {
        let text = "let f = (a: long) { a * 2 }; T | where x has_any ('a', \"b\") and y between (1 .. 10) \
                    | extend d = dynamic({'k': [1, datetime(2020-01-01)]}), e = @'x''y', s = h```é``` \
                    | parse kind=regex s with * \"=\" n:long | mv-expand kind=array z to typeof(string) limit 5 \
                    | join kind=leftouter (R | project b) on $left.a == $right.b | render table with (title='é')";
        assert!(parse(text).is_ok());
        for (n, _) in text.char_indices() {
            let _ = parse(&text[..n]);
            let _ = parse(&text[n..]);
        }
    }
}
