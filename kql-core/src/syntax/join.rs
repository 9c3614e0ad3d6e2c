//! Operators that bring in other tables: `join`, `lookup` and `union`.

use super::ast::{Join, JoinCondition, JoinKind, Source, TabularExpr, Union};
use super::lexical::{
    assign, backtrack, failure, failure_before, ident, kw, name_pattern, need, peek_kw, sym, word,
    ws, In, PResult,
};
use super::operator::{hints, list, option};
use super::{span, tabular_expr};
use crate::error::Span;

/// `join` / `lookup`: options, the right side, `on` conditions.
pub(crate) fn join(i: In) -> PResult<Join> {
    let mut r = i;
    let mut kind = None;
    let mut hint_list = Vec::new();
    loop {
        if let Some((r2, v)) = option(r, "kind") {
            kind = Some(
                join_kind(v)
                    .ok_or_else(|| failure_before(v, r2, format!("unknown join kind `{v}`")))?,
            );
            r = r2;
        } else if peek_kw(r, "hint") {
            let (r2, h) = hints(r)?;
            if h.is_empty() {
                break;
            }
            hint_list.extend(h);
            r = r2;
        } else {
            break;
        }
    }
    let (r, right) = need(right_side(r), r, || {
        "the right side: a table or `(subquery)`".into()
    })?;
    let (r, _) = need(kw("on")(r), r, || "`on` and the join keys".into())?;
    let (mut r, first) = need(join_condition(r), r, || "a join key after `on`".into())?;
    let mut on = vec![first];
    while let Ok((r2, _)) = sym(",")(r).or_else(|_| kw("and")(r)) {
        let (r2, c) = need(join_condition(r2), r2, || "a join key".into())?;
        on.push(c);
        r = r2;
    }
    Ok((
        r,
        Join {
            kind,
            hints: hint_list,
            right: Box::new(right),
            on,
        },
    ))
}

fn join_kind(v: &str) -> Option<JoinKind> {
    Some(match v {
        "innerunique" => JoinKind::InnerUnique,
        "inner" => JoinKind::Inner,
        "leftouter" => JoinKind::LeftOuter,
        "rightouter" => JoinKind::RightOuter,
        "fullouter" => JoinKind::FullOuter,
        "leftanti" | "anti" | "leftantisemi" => JoinKind::LeftAnti,
        "rightanti" | "rightantisemi" => JoinKind::RightAnti,
        "leftsemi" => JoinKind::LeftSemi,
        "rightsemi" => JoinKind::RightSemi,
        _ => return None,
    })
}

/// `(tabular)` or a bare table name.
fn right_side(i: In) -> PResult<TabularExpr> {
    let t = ws(i);
    if let Ok((r, _)) = sym("(")(t) {
        let (r, inner) = need(tabular_expr(r), r, || "a subquery".into())?;
        let (r, _) = need(sym(")")(r), r, || "`)` to close the subquery".into())?;
        return Ok((r, inner));
    }
    if peek_kw(t, "on") {
        return Err(backtrack(t));
    }
    let (r, name) = name_pattern(t)?;
    let sp = name.span;
    Ok((
        r,
        TabularExpr {
            source: Source::Table(name),
            operators: Vec::new(),
            span: sp,
        },
    ))
}

/// `col`, `$left.a == $right.b` or `$right.b == $left.a`.
fn join_condition(i: In) -> PResult<super::ast::JoinCondition> {
    let Ok((r, (side1, col1))) = side_column(i) else {
        let (r, name) = ident(i)?;
        return Ok((r, JoinCondition::Same(name)));
    };
    let (r, _) = need(sym("==")(r), r, || "`==` between the join keys".into())?;
    let (r, (side2, col2)) = need(side_column(r), r, || {
        "`$left.` or `$right.` and a column".into()
    })?;
    match (side1, side2) {
        (true, false) => Ok((
            r,
            JoinCondition::Equal {
                left: col1,
                right: col2,
            },
        )),
        (false, true) => Ok((
            r,
            JoinCondition::Equal {
                left: col2,
                right: col1,
            },
        )),
        _ => Err(failure(
            i,
            "a join condition compares `$left.` with `$right.`",
        )),
    }
}

/// `$left.col` (true) or `$right.col` (false).
fn side_column(i: In) -> PResult<(bool, super::ast::Ident)> {
    let (r, w) = word(i)?;
    let left = match w {
        "$left" => true,
        "$right" => false,
        _ => return Err(backtrack(i)),
    };
    let (r, _) = need(sym(".")(r), r, || "`.` and a column name".into())?;
    let (r, col) = need(ident(r), r, || "a column name".into())?;
    Ok((r, (left, col)))
}

/// `union` options and legs, after the keyword; `start` is where `union` began.
pub(crate) fn union_body(i: In, start: usize) -> PResult<Union> {
    let mut r = i;
    let mut u = Union {
        inner: false,
        with_source: None,
        is_fuzzy: false,
        legs: Vec::new(),
        span: Span::default(),
    };
    loop {
        if let Some((r2, v)) = option(r, "kind") {
            u.inner = match v {
                "inner" => true,
                "outer" => false,
                _ => return Err(failure_before(v, r2, format!("unknown union kind `{v}`"))),
            };
            r = r2;
        } else if let Some((r2, v)) = option(r, "isfuzzy") {
            u.is_fuzzy = v == "true";
            r = r2;
        } else if let Some(r2) = kw("withsource")(r).ok().and_then(|(r2, _)| assign(r2).ok()) {
            let (r2, name) = need(ident(r2.0), r2.0, || {
                "a column name after `withsource=`".into()
            })?;
            u.with_source = Some(name);
            r = r2;
        } else {
            break;
        }
    }
    let (r, legs) = list(r, "a table or `(subquery)` to union", right_side)?;
    u.legs = legs;
    u.span = span(start, r);
    Ok((r, u))
}

#[cfg(test)]
mod tests {
    use super::super::parse;

    #[test]
    fn joins_lookups_and_unions() {
        for (text, printed) in [
            ("X | join Y on Key", "X | join Y on Key"),
            (
                "L | join kind=leftouter hint.strategy=broadcast (R | where b > 1) on $left.a == $right.b",
                "L | join kind=leftouter hint.strategy=broadcast (R | where b > 1) on $left.a == $right.b",
            ),
            ("L | join (R) on $right.b == $left.a and k", "L | join R on $left.a == $right.b, k"),
            ("L | join kind=anti R on a, b", "L | join kind=leftanti R on a, b"),
            ("L | lookup kind=inner (R) on id", "L | lookup kind=inner R on id"),
            ("T | union kind=inner withsource=S U, (V | take 1)", "T | union kind=inner withsource=S U, (V | take 1)"),
            ("union isfuzzy=true (A | count), B*", "union isfuzzy=true (A | count), B*"),
        ] {
            let q = parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(q.to_string(), printed, "{text}");
        }
    }

    #[test]
    fn join_errors() {
        for (text, at, msg) in [
            (
                "L | join kind=sideways R on a",
                14,
                "unknown join kind `sideways`",
            ),
            (
                "L | join R on $left.a == b",
                25,
                "expected `$left.` or `$right.` and a column",
            ),
            (
                "L | join R on $left.a == $left.b",
                14,
                "a join condition compares `$left.` with `$right.`",
            ),
            ("L | join (R on a", 12, "expected `)` to close the subquery"),
            ("L | union kind=middle R", 15, "unknown union kind `middle`"),
            ("L | union", 9, "expected a table or `(subquery)` to union"),
            (
                "L | join kind=inner on a",
                20,
                "expected the right side: a table or `(subquery)`",
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
