//! The piped tabular operators, one function per operator: `where`, `extend`, `summarize`, `join`, …

use super::ast::{
    NamedExpr, NullsPosition, Operator, OperatorKind, OutputSchema, SortDirection, SortKey,
};
use super::expr::expr;
use super::extract;
use super::join::{join, union_body};
use super::lexical::{
    assign, failure, ident, kw, name_pattern, need, op_word, pos, sym, word, ws, In, PResult,
};
use super::literal::{number, string_literal};
use super::{span, unnamed};

/// The operator names that may start a query with an implicit source.
const OPERATOR_NAMES: &str =
    "where filter extend project project-away project-keep project-rename \
    project-reorder summarize parse parse-where take limit count sort order top \
    distinct mv-expand mvexpand join lookup sample sample-distinct getschema as \
    serialize render search evaluate";

/// True for a tabular operator's name.
pub(crate) fn is_operator_name(w: &str) -> bool {
    OPERATOR_NAMES.split_whitespace().any(|n| n == w)
}

/// `| op …` repeated.
pub(crate) fn pipes(i: In) -> PResult<Vec<Operator>> {
    let mut ops = Vec::new();
    let mut rest = i;
    while let Ok((r, _)) = sym("|")(rest) {
        let (r, op) = need(operator(r), r, || "an operator after `|`".into())?;
        ops.push(op);
        rest = r;
    }
    Ok((rest, ops))
}

/// One operator after a `|`.
pub(crate) fn operator(i: In) -> PResult<Operator> {
    let t = ws(i);
    let start = pos(t);
    let (r, name) = op_word(t)?;
    let (r, kind) = match name {
        "where" | "filter" => where_op(r, name)?,
        "extend" => named_list(r, "an expression after `extend`")
            .map(|(r, v)| (r, OperatorKind::Extend(v)))?,
        "project" => named_list(r, "an expression after `project`")
            .map(|(r, v)| (r, OperatorKind::Project(v)))?,
        "project-away" => patterns(r).map(|(r, v)| (r, OperatorKind::ProjectAway(v)))?,
        "project-keep" => patterns(r).map(|(r, v)| (r, OperatorKind::ProjectKeep(v)))?,
        "project-rename" => project_rename(r)?,
        "project-reorder" => project_reorder(r)?,
        "summarize" => summarize(r)?,
        "parse" | "parse-where" => extract::parse_op(r, name == "parse-where")?,
        "take" | "limit" => need(expr(r), r, || format!("a row count after `{name}`"))
            .map(|(r, e)| (r, OperatorKind::Take(e)))?,
        "count" => count(r)?,
        "sort" | "order" => sort(r)?,
        "top" => top(r)?,
        "distinct" => distinct(r)?,
        "mv-expand" | "mvexpand" => extract::mv_expand(r)?,
        "join" => join(r).map(|(r, j)| (r, OperatorKind::Join(j)))?,
        "lookup" => join(r).map(|(r, j)| (r, OperatorKind::Lookup(j)))?,
        "union" => union_body(r, start).map(|(r, u)| (r, OperatorKind::Union(u)))?,
        "sample" => need(expr(r), r, || "a row count after `sample`".into())
            .map(|(r, e)| (r, OperatorKind::Sample(e)))?,
        "sample-distinct" => sample_distinct(r)?,
        "getschema" => (r, OperatorKind::GetSchema),
        "as" => need(ident(r), r, || "a name after `as`".into())
            .map(|(r, n)| (r, OperatorKind::As(n)))?,
        "serialize" => serialize(r)?,
        "render" => render(r),
        "evaluate" => evaluate(r)?,
        "search" => need(expr(r), r, || "a search predicate".into())
            .map(|(r, e)| (r, OperatorKind::Search(e)))?,
        _ => return Err(failure(t, format!("unknown operator `{name}`"))),
    };
    Ok((
        r,
        Operator {
            kind,
            span: span(start, r),
        },
    ))
}

/// True at the end of an operator: `|`, `;`, `)`, `}` or the end of the text.
pub(crate) fn at_operator_end(i: In) -> bool {
    let t = ws(i);
    t.is_empty() || t.starts_with(['|', ';', ')', '}'])
}

fn where_op<'a>(r: In<'a>, name: &str) -> PResult<'a, OperatorKind> {
    let (r, e) = need(expr(r), r, || format!("a predicate after `{name}`"))?;
    Ok((r, OperatorKind::Where(e)))
}

/// `[name =] expr`, `(a, b) = expr`.
pub(crate) fn named_expr(i: In) -> PResult<NamedExpr> {
    if let Ok((r, names)) = tuple_names(i) {
        let (r, e) = need(expr(r), r, || "an expression after `=`".into())?;
        return Ok((r, NamedExpr { names, expr: e }));
    }
    if let Ok((r, name)) = ident(i) {
        if let Ok((r, _)) = assign(r) {
            let (r, e) = need(expr(r), r, || {
                format!("an expression after `{} =`", name.name)
            })?;
            return Ok((
                r,
                NamedExpr {
                    names: vec![name],
                    expr: e,
                },
            ));
        }
    }
    let (r, e) = expr(i)?;
    Ok((r, unnamed(e)))
}

/// `(a, b) =` before a tuple-valued expression.
fn tuple_names(i: In) -> PResult<Vec<super::ast::Ident>> {
    let (mut r, _) = sym("(")(i)?;
    let mut names = Vec::new();
    loop {
        let (r2, n) = ident(r)?;
        names.push(n);
        if let Ok((r3, _)) = sym(",")(r2) {
            r = r3;
            continue;
        }
        let (r2, _) = sym(")")(r2)?;
        let (r2, _) = assign(r2)?;
        return Ok((r2, names));
    }
}

/// Comma-separated items, at least one.
pub(crate) fn list<'a, T>(
    i: In<'a>,
    what: &str,
    item: fn(In<'a>) -> PResult<'a, T>,
) -> PResult<'a, Vec<T>> {
    let mut out = Vec::new();
    let mut rest = i;
    loop {
        let (r, x) = match out.is_empty() {
            true => need(item(rest), rest, || what.to_string())?,
            false => need(item(rest), rest, || {
                format!("{} after `,`", what.split(" after ").next().unwrap_or(what))
            })?,
        };
        out.push(x);
        match sym(",")(r) {
            Ok((r, _)) => rest = r,
            Err(_) => return Ok((r, out)),
        }
    }
}

/// `[name =] expr, …`.
pub(crate) fn named_list<'a>(i: In<'a>, what: &str) -> PResult<'a, Vec<NamedExpr>> {
    list(i, what, named_expr)
}

fn patterns(i: In) -> PResult<Vec<super::ast::Ident>> {
    list(i, "a column name", name_pattern)
}

fn project_rename(i: In) -> PResult<OperatorKind> {
    let (r, pairs) = list(i, "`new = old`", |i| {
        let (r, new) = ident(i)?;
        let (r, _) = need(assign(r), r, || "`=` after the new name".into())?;
        let (r, old) = need(ident(r), r, || "the column to rename".into())?;
        Ok((r, (new, old)))
    })?;
    Ok((r, OperatorKind::ProjectRename(pairs)))
}

fn project_reorder(i: In) -> PResult<OperatorKind> {
    let (r, items) = list(i, "a column name", |i| {
        let (r, name) = name_pattern(i)?;
        let dir = op_word(r).ok().and_then(|(r2, w)| match w {
            "asc" | "granny-asc" => Some((r2, SortDirection::Asc)),
            "desc" | "granny-desc" => Some((r2, SortDirection::Desc)),
            _ => None,
        });
        Ok(match dir {
            Some((r2, d)) => (r2, (name, Some(d))),
            None => (r, (name, None)),
        })
    })?;
    Ok((r, OperatorKind::ProjectReorder(items)))
}

/// Skips `hint.name = value` options, returning them.
pub(crate) fn hints(mut i: In) -> PResult<Vec<(String, String)>> {
    let mut out = Vec::new();
    while let Ok((r, _)) = kw("hint")(i) {
        let Some(r) = r.strip_prefix('.') else { break };
        let (r, name) = need(word(r), r, || "a hint name".into())?;
        let (r, _) = need(assign(r), r, || "`=` after the hint name".into())?;
        let (r, value) = option_value(r)?;
        out.push((format!("hint.{name}"), value));
        i = r;
    }
    Ok((i, out))
}

/// An option value: a word, a number or a string.
fn option_value(i: In) -> PResult<String> {
    let t = ws(i);
    if let Ok((r, (s, _))) = string_literal(t) {
        return Ok((r, s));
    }
    if let Ok((r, _)) = number(t) {
        return Ok((r, t[..t.len() - r.len()].to_string()));
    }
    let (r, w) = need(word(t), t, || "an option value".into())?;
    Ok((r, w.to_string()))
}

fn summarize(i: In) -> PResult<OperatorKind> {
    let (r, _) = hints(i)?;
    let (r, aggregates) = match kw("by")(r) {
        Ok(_) => (r, Vec::new()),
        Err(_) => named_list(r, "an aggregate after `summarize`")?,
    };
    let (r, by) = match kw("by")(r) {
        Ok((r, _)) => named_list(r, "a group key after `by`")?,
        Err(_) => (r, Vec::new()),
    };
    Ok((r, OperatorKind::Summarize { aggregates, by }))
}

/// `name=value` option if the name is `key` (and the value satisfies `ok`).
pub(crate) fn option<'a>(i: In<'a>, key: &'static str) -> Option<(In<'a>, In<'a>)> {
    let (r, _) = kw(key)(i).ok()?;
    let (r, _) = assign(r).ok()?;
    let t = ws(r);
    let (r, _) = op_word(t).ok()?;
    Some((r, &t[..t.len() - r.len()]))
}

fn count(i: In) -> PResult<OperatorKind> {
    match kw("as")(i) {
        Ok((r, _)) => need(ident(r), r, || "a name after `as`".into())
            .map(|(r, n)| (r, OperatorKind::Count(Some(n)))),
        Err(_) => Ok((i, OperatorKind::Count(None))),
    }
}

fn sort(i: In) -> PResult<OperatorKind> {
    let (r, _) = need(kw("by")(i), i, || "`by`".into())?;
    let (r, keys) = list(r, "a sort key", sort_key)?;
    Ok((r, OperatorKind::Sort(keys)))
}

/// `expr [asc|desc] [nulls first|last]`.
fn sort_key(i: In) -> PResult<SortKey> {
    let (r, e) = expr(i)?;
    let (r, direction) = match (kw("asc")(r), kw("desc")(r)) {
        (Ok((r, _)), _) => (r, Some(SortDirection::Asc)),
        (_, Ok((r, _))) => (r, Some(SortDirection::Desc)),
        _ => (r, None),
    };
    let (r, nulls) = match kw("nulls")(r) {
        Ok((r2, _)) => match (kw("first")(r2), kw("last")(r2)) {
            (Ok((r3, _)), _) => (r3, Some(NullsPosition::First)),
            (_, Ok((r3, _))) => (r3, Some(NullsPosition::Last)),
            _ => return Err(failure(r2, "expected `first` or `last` after `nulls`")),
        },
        Err(_) => (r, None),
    };
    Ok((
        r,
        SortKey {
            expr: e,
            direction,
            nulls,
        },
    ))
}

fn top(i: In) -> PResult<OperatorKind> {
    let (r, count) = need(expr(i), i, || "a row count after `top`".into())?;
    let (r, _) = need(kw("by")(r), r, || "`by`".into())?;
    let (r, by) = need(sort_key(r), r, || "a sort key after `by`".into())?;
    Ok((r, OperatorKind::Top { count, by }))
}

fn distinct(i: In) -> PResult<OperatorKind> {
    if let Ok((r, _)) = sym("*")(i) {
        if at_operator_end(r) {
            return Ok((r, OperatorKind::Distinct(Vec::new())));
        }
    }
    let (r, items) = named_list(i, "a column after `distinct`")?;
    Ok((r, OperatorKind::Distinct(items)))
}

fn sample_distinct(i: In) -> PResult<OperatorKind> {
    let (r, count) = need(expr(i), i, || "a count after `sample-distinct`".into())?;
    let (r, _) = need(kw("of")(r), r, || "`of`".into())?;
    let (r, column) = need(expr(r), r, || "a column after `of`".into())?;
    Ok((r, OperatorKind::SampleDistinct { count, column }))
}

fn serialize(i: In) -> PResult<OperatorKind> {
    if at_operator_end(i) {
        return Ok((i, OperatorKind::Serialize(Vec::new())));
    }
    let (r, items) = named_list(i, "an expression after `serialize`")?;
    Ok((r, OperatorKind::Serialize(items)))
}

/// `render …`: the rest of the operator's text, up to the next `|` or `;` outside quotes.
fn render(i: In) -> (In, OperatorKind) {
    let mut quote = None;
    let mut end = i.len();
    for (n, c) in i.char_indices() {
        match (quote, c) {
            (Some(q), _) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '|' | ';') => {
                end = n;
                break;
            }
            _ => {}
        }
    }
    let text = i[..end].trim_end();
    (
        &i[text.len()..],
        OperatorKind::Render(text.trim().to_string()),
    )
}

/// `evaluate plugin(args) [: ([*,] name: type, …)]` after the keyword.
fn evaluate(i: In) -> PResult<OperatorKind> {
    let (r, call) = need(expr(i), i, || "a plugin call after `evaluate`".into())?;
    let Ok((r, _)) = sym(":")(r) else {
        return Ok((r, OperatorKind::Evaluate(call, None)));
    };
    let (mut r, _) = need(sym("(")(r), r, || "`(` and the output schema".into())?;
    let mut schema = OutputSchema {
        wildcard: false,
        columns: Vec::new(),
    };
    if let Ok((r2, _)) = sym("*")(r) {
        schema.wildcard = true;
        r = match sym(",")(r2) {
            Ok((r3, _)) => r3,
            Err(_) => {
                let (r3, _) = need(sym(")")(r2), r2, || "`,` or `)`".into())?;
                return Ok((r3, OperatorKind::Evaluate(call, Some(schema))));
            }
        };
    }
    loop {
        let (r2, name) = need(ident(r), r, || "a column name".into())?;
        let (r2, _) = need(sym(":")(r2), r2, || "`:` after the column name".into())?;
        let (r2, ty) = super::statement::type_name(r2)?;
        schema.columns.push((name, ty));
        if let Ok((r3, _)) = sym(",")(r2) {
            r = r3;
            continue;
        }
        let (r3, _) = need(sym(")")(r2), r2, || "`,` or `)`".into())?;
        return Ok((r3, OperatorKind::Evaluate(call, Some(schema))));
    }
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
    fn operators_parse_and_print() {
        for (text, printed) in [
            ("T | filter a > 1", "T | where a > 1"),
            (
                "T | extend b = a * 2, a + 1, (x, y) = f(z)",
                "T | extend b = a * 2, a + 1, (x, y) = f(z)",
            ),
            (
                "T | project name, kind, location",
                "T | project name, [\"kind\"], location",
            ),
            ("T | project-away s*, props", "T | project-away s*, props"),
            ("T | project-keep score, n*", "T | project-keep score, n*"),
            (
                "T | project-rename Severity = sev",
                "T | project-rename Severity = sev",
            ),
            (
                "T | project-reorder b desc, a*",
                "T | project-reorder b desc, a*",
            ),
            (
                "T | summarize hint.shufflekey = x count() by kind",
                "T | summarize count() by [\"kind\"]",
            ),
            ("T | summarize by type", "T | summarize by type"),
            (
                "T | summarize n = countif(a > 1), dcount(b)",
                "T | summarize n = countif(a > 1), dcount(b)",
            ),
            ("T | take 5 | limit 3", "T | take 5 | take 3"),
            ("T | count as N", "T | count as N"),
            (
                "T | order by a asc nulls last, b",
                "T | sort by a asc nulls last, b",
            ),
            ("T | top 2 by score asc", "T | top 2 by score asc"),
            ("T | distinct *", "T | distinct *"),
            ("T | distinct a, b", "T | distinct a, b"),
            ("T | sample 10", "T | sample 10"),
            (
                "T | sample-distinct 3 of sev",
                "T | sample-distinct 3 of sev",
            ),
            (
                "T | getschema | as X | serialize | serialize rn = row_number()",
                "T | getschema | as X | serialize | serialize rn = row_number()",
            ),
            (
                "T | render timechart with (title='a|b') | count",
                "T | render timechart with (title='a|b') | count",
            ),
            ("T | search 'x'", "T | search \"x\""),
            ("T | evaluate bag_unpack(d)", "T | evaluate bag_unpack(d)"),
            (
                "T | evaluate bag_unpack(d, columnsConflict='keep_source') : (*, a:long)",
                "T | evaluate bag_unpack(d, columnsConflict = \"keep_source\") : (*, a: long)",
            ),
            (
                "T | evaluate bag_unpack(d) : (a: string, b: dynamic)",
                "T | evaluate bag_unpack(d) : (a: string, b: dynamic)",
            ),
            (
                "T | summarize arg_max(ts, Scope = iff(a, b, c), ['x y'] = z)",
                "T | summarize arg_max(ts, Scope = iff(a, b, c), [\"x y\"] = z)",
            ),
            ("T | where * contains 'x'", "T | where * contains \"x\""),
        ] {
            assert_eq!(print(text), printed, "{text}");
        }
    }

    #[test]
    fn soft_keywords_are_column_names() {
        for text in [
            "T | project name, kind, type, title, step, from, to, with, on, count, by_x",
            "T | where kind == 'x' and step > 1 and from < to | summarize count() by kind, type",
            "T | extend count = count, with = 1, on = 2 | sort by count desc, kind | top 5 by title",
            "T | mv-expand kind | mv-expand to | distinct kind, to",
            "range step from 1 to 10 step 2 | join (R) on type | parse title with 'a' to 'b' from",
        ] {
            let q = parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(print(&q.to_string()), q.to_string(), "{text}");
        }
    }

    #[test]
    fn operator_errors() {
        for (text, at, msg) in [
            ("T | parse s", 11, "expected `with` and a pattern"),
            ("T | parse s with", 16, "expected a pattern after `with`"),
            (
                "T | parse kind=odd s with x",
                15,
                "unknown parse kind `odd`",
            ),
            ("T | top 5", 9, "expected `by`"),
            (
                "T | sort by a nulls",
                19,
                "expected `first` or `last` after `nulls`",
            ),
            (
                "T | mv-expand a to string",
                19,
                "expected `typeof` after `to`",
            ),
            ("T | sample-distinct 3 sev", 22, "expected `of`"),
            ("T |", 3, "expected an operator after `|`"),
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
