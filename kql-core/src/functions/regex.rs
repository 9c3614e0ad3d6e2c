//! Regex functions: `extract`, `extract_all` (old spelling `extractall`), `replace_regex`
//! (and the obsolete `replace`).
//! The dialect is the `regex` crate's (semantics reference §4); patterns compile once per
//! query through [`Context::regex`]. An invalid pattern gives the no-match result.

use super::args::{array, array_value, check, int_arg, Kind};
use super::conversion::convert;
use super::{text, Context, Naming, ScalarFunction};
use crate::scalar;
use crate::types::DataType;
use crate::value::{Json, Value};
use regex::Regex;
use std::sync::Arc;

/// The regex functions.
pub static FUNCTIONS: &[ScalarFunction] = &[
    // With a 4th `typeof(T)` argument the analyzer passes T's name as a literal string; the
    // signature cannot see the literal, so the declared type stays string and the typed value
    // the kernel returns is converted back to text by the engine (a known limitation).
    scalar!("extract", 3..=4, => |a: &[DataType]| {
        check("extract", a, &[Kind::Str, Kind::Int, Kind::Any, Kind::Str])?;
        Ok(DataType::String)
    }, Naming::Default, |v, ctx| extract(v, ctx)),
    scalar!("extract_all", 2..=3, => |a: &[DataType]| extract_all_type("extract_all", a), Naming::Default, |v, ctx| extract_all(v, ctx)),
    scalar!("extractall", 2..=3, => |a: &[DataType]| extract_all_type("extractall", a), Naming::Default, |v, ctx| extract_all(v, ctx)),
    scalar!("replace_regex", 3..=3, String, Naming::Default, |v, ctx| {
        replace_regex(&v[0], &v[1], &v[2], ctx)
    }),
    // The obsolete `replace(regex, rewrite, source)` of the Kusto.Language function table:
    // regex semantics, arguments in a different order.
    scalar!("replace", 3..=3, String, Naming::Default, |v, ctx| {
        replace_regex(&v[2], &v[0], &v[1], ctx)
    }),
];

fn regex_of(v: &Value, ctx: &Context) -> Option<Arc<Regex>> {
    match v {
        Value::String(_) => ctx.regex(v),
        other => ctx.regex(&Value::string(text(other))),
    }
}

/// `extract(re, group, s[, typeof(T)])`: the group of the first match (0 = whole match).
/// No match, a missing group or a failed conversion → null, which for the string overload is
/// `""` (documented; §6).
fn extract(v: &[Value], ctx: &Context) -> Value {
    let target = v
        .get(3)
        .map(|t| DataType::from_name(text(t).trim()).unwrap_or(DataType::String));
    let no_match = match target {
        None | Some(DataType::String) => Value::string(""),
        Some(_) => Value::Null,
    };
    let (Some(re), Some(group)) = (regex_of(&v[0], ctx), int_arg(&v[1])) else {
        return no_match;
    };
    let src = text(&v[2]);
    let found = match usize::try_from(group) {
        // The whole match needs no capture groups: a plain search is much cheaper.
        Ok(0) => re.find(&src).map(|m| Value::string(m.as_str())),
        Ok(g) => re
            .captures(&src)
            .and_then(|c| c.get(g))
            .map(|m| Value::string(m.as_str())),
        Err(_) => None,
    };
    match (found, target) {
        (None, _) => no_match,
        (Some(s), None) => s,
        (Some(s), Some(t)) => convert(&s, t),
    }
}

fn extract_all_type(name: &str, a: &[DataType]) -> Result<DataType, String> {
    let kinds: &[Kind] = if a.len() == 3 {
        &[Kind::Str, Kind::Any, Kind::Any]
    } else {
        &[Kind::Str, Kind::Any]
    };
    check(name, a, kinds)?;
    Ok(DataType::Dynamic)
}

/// `extract_all(re[, groups], s)`: every match; one selected group → a flat array of strings,
/// several → an array of arrays (documented); no match → null (documented). `groups` lists
/// group indexes (1-based) or names; an unknown group → null. A regex without groups
/// extracts the whole match (the docs require 1..16 groups; we do not reject the query).
/// An unmatched optional group gives `""`.
fn extract_all(v: &[Value], ctx: &Context) -> Value {
    let Some(re) = regex_of(&v[0], ctx) else {
        return Value::Null;
    };
    let src = text(&v[v.len() - 1]);
    let group_count = re.captures_len() - 1;
    let groups: Vec<usize> = if v.len() == 3 {
        let Some(list) = array(&v[1]) else {
            return Value::Null;
        };
        let mut out = Vec::with_capacity(list.len());
        for g in list {
            let index = match g {
                Json::String(name) => re.capture_names().position(|n| n == Some(name.as_str())),
                Json::Number(n) => n
                    .as_u64()
                    .and_then(|i| usize::try_from(i).ok())
                    .filter(|&i| i >= 1 && i <= group_count),
                _ => None,
            };
            match index {
                Some(i) => out.push(i),
                None => return Value::Null,
            }
        }
        out
    } else if group_count == 0 {
        vec![0]
    } else {
        (1..=group_count).collect()
    };
    if groups.is_empty() {
        return Value::Null;
    }
    let mut rows = Vec::new();
    for caps in re.captures_iter(&src) {
        let mut cells = groups
            .iter()
            .map(|&g| Json::String(caps.get(g).map_or("", |m| m.as_str()).to_string()));
        if groups.len() == 1 {
            rows.extend(cells.next());
        } else {
            rows.push(Json::Array(cells.collect()));
        }
    }
    if rows.is_empty() {
        Value::Null
    } else {
        array_value(rows)
    }
}

/// `replace_regex(s, re, rewrite)`: all non-overlapping matches; `\0` is the whole match and
/// `\1`…`\9` the groups (documented); other text of the rewrite is literal.
fn replace_regex(source: &Value, lookup: &Value, rewrite: &Value, ctx: &Context) -> Value {
    let src = text(source);
    let Some(re) = regex_of(lookup, ctx) else {
        return Value::string(src);
    };
    let rewrite = rewrite_template(&text(rewrite));
    Value::string(re.replace_all(&src, rewrite.as_str()))
}

/// Translates a Kusto rewrite pattern to the `regex` crate's template: `\N` → `${N}`,
/// `$` → `$$`.
fn rewrite_template(rewrite: &str) -> String {
    let mut out = String::with_capacity(rewrite.len() + 8);
    let mut chars = rewrite.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.peek() {
                Some(&d) if d.is_ascii_digit() => {
                    out.push_str("${");
                    out.push(d);
                    out.push('}');
                    chars.next();
                }
                _ => out.push('\\'),
            },
            '$' => out.push_str("$$"),
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::functions::conversion::{parse_json_text, to_string};
    use crate::functions::testing::{call, s};

    use crate::value::Value;

    #[test]
    fn extract_examples() {
        // Documented: extract("x=([0-9.]+)", 1, "hello x=45.6|wo") = "45.6", and typed with
        // typeof(real) → 45.6.
        let src = s("hello x=45.6|wo");
        assert_eq!(
            call("extract", &[s("x=([0-9.]+)"), Value::Long(1), src.clone()]),
            s("45.6")
        );
        assert_eq!(
            call(
                "extract",
                &[s("x=([0-9.]+)"), Value::Long(1), src.clone(), s("real")]
            ),
            Value::Real(45.6)
        );
        assert_eq!(
            call("extract", &[s("x=([0-9.]+)"), Value::Long(0), src.clone()]),
            s("x=45.6")
        );
        // No match → "" for the string overload, null when typed.
        assert_eq!(
            call("extract", &[s("y=(\\d+)"), Value::Long(1), src.clone()]),
            s("")
        );
        assert_eq!(
            call(
                "extract",
                &[s("y=(\\d+)"), Value::Long(1), src.clone(), s("long")]
            ),
            Value::Null
        );
        assert_eq!(
            call("extract", &[s("x=([0-9.]+)"), Value::Long(2), src.clone()]),
            s("")
        );
        assert_eq!(call("extract", &[s("(bad"), Value::Long(1), src]), s(""));
    }

    #[test]
    fn extract_all_examples() {
        // Documented examples.
        let numbers = call(
            "extract_all",
            &[s("(\\d+)"), s("a set of numbers: 123, 567 and 789")],
        );
        assert_eq!(to_string(&numbers), r#"["123","567","789"]"#);
        let id = s("82b8be2d-dfa7-4bd1-8f63-24ad26d31449");
        let bytes = call("extract_all", &[s("([\\da-f]{2})"), id.clone()]);
        assert_eq!(
            to_string(&bytes),
            r#"["82","b8","be","2d","df","a7","4b","d1","8f","63","24","ad","26","d3","14","49"]"#
        );
        let parts = call("extract_all", &[s("(\\w)(\\w+)(\\w)"), id.clone()]);
        assert_eq!(
            to_string(&parts),
            r#"[["8","2b8be2","d"],["d","fa","7"],["4","bd","1"],["8","f6","3"],["2","4ad26d3144","9"]]"#
        );
        let some = call(
            "extract_all",
            &[s("(\\w)(\\w+)(\\w)"), parse_json_text("[1,3]"), id.clone()],
        );
        assert_eq!(
            to_string(&some),
            r#"[["8","d"],["d","7"],["4","1"],["8","3"],["2","9"]]"#
        );
        let named = call(
            "extract_all",
            &[
                s("(?P<first>\\w)(\\w+)(?P<last>\\w)"),
                parse_json_text(r#"["first","last"]"#),
                id.clone(),
            ],
        );
        assert_eq!(to_string(&named), to_string(&some));
        assert_eq!(call("extractall", &[s("(z+)"), id.clone()]), Value::Null);
        assert_eq!(
            call("extract_all", &[s("(\\w)"), parse_json_text("[5]"), id]),
            Value::Null
        );
    }

    #[test]
    fn replace_regex_examples() {
        // Documented: replace_regex("Number is 1", @'is (\d+)', @'was: \1') = "Number was: 1".
        assert_eq!(
            call(
                "replace_regex",
                &[s("Number is 1"), s("is (\\d+)"), s("was: \\1")]
            ),
            s("Number was: 1")
        );
        assert_eq!(
            call("replace_regex", &[s("abc"), s("b"), s("[\\0]$1")]),
            s("a[b]$1c")
        );
        assert_eq!(call("replace_regex", &[s("aaa"), s("a"), s("b")]), s("bbb"));
        assert_eq!(
            call("replace", &[s("a(b)"), s("<\\1>"), s("xaby")]),
            s("x<b>y")
        );
    }
}
