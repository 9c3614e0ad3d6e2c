//! Operators that take a value apart: `parse`, `parse-where` and `mv-expand`.

use super::ast::{MvExpand, OperatorKind, Parse, ParseKind, PatternPart};
use super::expr::expr;
use super::lexical::{assign, failure, failure_before, ident, kw, need, pos, sym, ws, In, PResult};
use super::literal::string_literal;
use super::operator::{at_operator_end, list, named_expr, option};
use super::statement::type_name;
use crate::error::Span;

pub(crate) fn parse_op(i: In, is_where: bool) -> PResult<OperatorKind> {
    let mut r = i;
    let mut kind = ParseKind::Simple;
    let mut flags = None;
    loop {
        if let Some((r2, v)) = option(r, "kind") {
            kind = match v {
                "simple" => ParseKind::Simple,
                "regex" => ParseKind::Regex,
                "relaxed" => ParseKind::Relaxed,
                _ => return Err(failure_before(v, r2, format!("unknown parse kind `{v}`"))),
            };
            r = r2;
        } else if let Some((r2, v)) = option(r, "flags") {
            flags = Some(v.to_string());
            r = r2;
        } else {
            break;
        }
    }
    let (r, e) = need(expr(r), r, || "an expression to parse".into())?;
    let (mut r, _) = need(kw("with")(r), r, || "`with` and a pattern".into())?;
    let mut pattern = Vec::new();
    while !at_operator_end(r) {
        let (r2, part) = pattern_part(r)?;
        pattern.push(part);
        r = r2;
    }
    if pattern.is_empty() {
        return Err(failure(r, "expected a pattern after `with`"));
    }
    Ok((
        r,
        OperatorKind::Parse(Parse {
            is_where,
            kind,
            flags,
            expr: e,
            pattern,
        }),
    ))
}

/// `*`, a string constant, `name` or `name:type`.
fn pattern_part(i: In) -> PResult<PatternPart> {
    let t = ws(i);
    let start = pos(t);
    if let Some(r) = t.strip_prefix('*') {
        return Ok((r, PatternPart::Wildcard(Span::new(start, start + 1))));
    }
    if let Ok((mut r, (mut s, sp))) = string_literal(t) {
        while let Ok((r2, (more, _))) = string_literal(r) {
            s.push_str(&more);
            r = r2;
        }
        return Ok((r, PatternPart::Literal(s, Span::new(sp.start, pos(r)))));
    }
    let (r, name) = need(ident(t), t, || {
        "`*`, a string or a column name in the pattern".into()
    })?;
    match sym(":")(r) {
        Ok((r, _)) => type_name(r).map(|(r, ty)| (r, PatternPart::Column(name, Some(ty)))),
        Err(_) => Ok((r, PatternPart::Column(name, None))),
    }
}

pub(crate) fn mv_expand(i: In) -> PResult<OperatorKind> {
    let mut r = i;
    let mut m = MvExpand {
        array_kind: false,
        with_itemindex: None,
        items: Vec::new(),
        limit: None,
    };
    loop {
        let bag = option(r, "kind").or_else(|| option(r, "bagexpansion"));
        if let Some((r2, v @ ("bag" | "array"))) = bag {
            m.array_kind = v == "array";
            r = r2;
        } else if let Some(r2) = kw("with_itemindex")(r)
            .ok()
            .and_then(|(r2, _)| assign(r2).ok())
        {
            let (r2, name) = need(ident(r2.0), r2.0, || "a column name".into())?;
            m.with_itemindex = Some(name);
            r = r2;
        } else {
            break;
        }
    }
    let (r, items) = list(r, "an expression to expand", |i| {
        let (r, item) = named_expr(i)?;
        let Ok((r2, _)) = kw("to")(r) else {
            return Ok((r, (item, None)));
        };
        let (r2, _) = need(kw("typeof")(r2), r2, || "`typeof` after `to`".into())?;
        let (r2, _) = need(sym("(")(r2), r2, || "`(`".into())?;
        let (r2, ty) = type_name(r2)?;
        let (r2, _) = need(sym(")")(r2), r2, || "`)`".into())?;
        Ok((r2, (item, Some(ty))))
    })?;
    m.items = items;
    let r = match kw("limit")(r) {
        Ok((r2, _)) => {
            let (r2, e) = need(expr(r2), r2, || "a number after `limit`".into())?;
            m.limit = Some(e);
            r2
        }
        Err(_) => r,
    };
    Ok((r, OperatorKind::MvExpand(m)))
}

#[cfg(test)]
mod tests {
    use super::super::parse;

    fn print(text: &str) -> String {
        parse(text)
            .unwrap_or_else(|e| panic!("{text}: {e}"))
            .to_string()
    }

    #[test]
    fn parse_and_mv_expand() {
        for (text, printed) in [
            (
                "T | parse id with '/subscriptions/' sub '/' * ",
                "T | parse id with \"/subscriptions/\" sub \"/\" *",
            ),
            (
                "T | parse kind=regex flags=Ui s with * 'n=' n:long ';' *",
                "T | parse kind=regex flags=Ui s with * \"n=\" n: long \";\" *",
            ),
            (
                "T | parse-where kind=relaxed s with 'a' 'b' x:int",
                "T | parse-where kind=relaxed s with \"ab\" x: int",
            ),
            (
                "T | parse kind with 'x' y",
                "T | parse [\"kind\"] with \"x\" y",
            ),
            (
                "T | mv-expand t = props.tags",
                "T | mv-expand t = props.tags",
            ),
            (
                "T | mvexpand bagexpansion=array with_itemindex=i a to typeof(string), b limit 5",
                "T | mv-expand kind=array with_itemindex=i a to typeof(string), b limit 5",
            ),
            ("T | mv-expand kind=bag p", "T | mv-expand p"),
        ] {
            assert_eq!(print(text), printed, "{text}");
        }
    }
}
