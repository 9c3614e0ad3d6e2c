//! String functions: length, case, concatenation, substrings, splitting, searching,
//! trimming and the emptiness tests. Non-string arguments are read through `tostring` (the
//! documented rule for `indexof`, `reverse`, `strcat`, …).

use super::args::{array, array_value, check, find_nth, int_arg, Kind};
use super::conversion::json_to_string;
use super::{text, Context, Naming, ScalarFunction};
use crate::scalar;
use crate::types::DataType;
use crate::value::{Json, Value};

/// The string functions.
pub static FUNCTIONS: &[ScalarFunction] = &[
    scalar!("strlen", 1..=1, Long, Naming::Prefix("strlen"), |v, _| {
        Value::Long(text(&v[0]).chars().count() as i64)
    }),
    scalar!("tolower", 1..=1, String, Naming::Default, |v, _| {
        Value::string(text(&v[0]).to_lowercase())
    }),
    scalar!("toupper", 1..=1, String, Naming::Default, |v, _| {
        Value::string(text(&v[0]).to_uppercase())
    }),
    scalar!("strcat", 1..=64, String, Naming::Default, |v, _| {
        Value::string(v.iter().map(|a| text(a)).collect::<String>())
    }),
    scalar!("strcat_delim", 3..=65, String, Naming::Default, |v, _| {
        let delim = text(&v[0]);
        Value::string(
            v[1..]
                .iter()
                .map(|a| text(a))
                .collect::<Vec<_>>()
                .join(&delim),
        )
    }),
    scalar!("strcat_array", 2..=2, String, Naming::Default, |v, _| {
        strcat_array(v)
    }),
    scalar!("array_strcat", 2..=2, String, Naming::Default, |v, _| {
        strcat_array(v)
    }),
    scalar!("substring", 2..=3, => |a: &[DataType]| {
        check("substring", a, &[Kind::Any, Kind::Num, Kind::Num])?;
        Ok(DataType::String)
    }, Naming::Default, |v, _| substring(v)),
    scalar!("split", 2..=3, => |a: &[DataType]| {
        check("split", a, &[Kind::Any, Kind::Any, Kind::Num])?;
        Ok(DataType::Dynamic)
    }, Naming::FirstArg, |v, _| split(v)),
    scalar!("replace_string", 3..=3, String, Naming::Default, |v, _| {
        let (src, lookup, rewrite) = (text(&v[0]), text(&v[1]), text(&v[2]));
        // An empty lookup matches nothing (docs silent; Rust would insert between characters).
        if lookup.is_empty() {
            return Value::string(src);
        }
        Value::string(src.replace(&*lookup, &rewrite))
    }),
    scalar!("trim", 2..=2, String, Naming::Default, |v, ctx| trim(
        v, ctx, true, true
    )),
    scalar!("trim_start", 2..=2, String, Naming::Default, |v, ctx| trim(
        v, ctx, true, false
    )),
    scalar!("trim_end", 2..=2, String, Naming::Default, |v, ctx| trim(
        v, ctx, false, true
    )),
    scalar!("indexof", 2..=5, => |a: &[DataType]| {
        check("indexof", a, &[Kind::Any, Kind::Any, Kind::Num])?;
        Ok(DataType::Long)
    }, Naming::Default, |v, _| indexof(v)),
    scalar!("reverse", 1..=1, String, Naming::Default, |v, _| {
        Value::string(text(&v[0]).chars().rev().collect::<String>())
    }),
    scalar!("strrep", 2..=3, => |a: &[DataType]| {
        check("strrep", a, &[Kind::Any, Kind::Num, Kind::Any])?;
        Ok(DataType::String)
    }, Naming::Default, |v, _| {
        // Documented "Returns": a multiplier above 1024 repeats 1024 times (the parameter table
        // says 1 to 67108864 — [CONFLICT], the Returns rule is followed); a delimiter goes
        // between repetitions.
        let n = int_arg(&v[1]).unwrap_or(0).clamp(0, 1024) as usize;
        let delim = v.get(2).map(text).unwrap_or_default();
        Value::string(vec![text(&v[0]); n].join(&delim))
    }),
    scalar!("countof", 2..=3, Long, Naming::Default, |v, ctx| countof(
        v, ctx
    )),
    scalar!(
        "string_size",
        1..=1,
        Long,
        Naming::Prefix("string_size"),
        |v, _| { Value::Long(text(&v[0]).len() as i64) }
    ),
    scalar!("strcmp", 2..=2, Long, Naming::Default, |v, _| {
        // Documented: -1, 0 or 1; ordinal comparison (§3.4 [REC]).
        Value::Long(match text(&v[0]).cmp(&text(&v[1])) {
            std::cmp::Ordering::Less => -1,
            std::cmp::Ordering::Equal => 0,
            std::cmp::Ordering::Greater => 1,
        })
    }),
    scalar!("translate", 3..=3, String, Naming::Default, |v, _| {
        translate(v)
    }),
    scalar!("isempty", 1..=1, Bool, Naming::Default, |v, _| Value::Bool(
        is_empty(&v[0])
    )),
    scalar!("isnotempty", 1..=1, Bool, Naming::Default, |v, _| {
        Value::Bool(!is_empty(&v[0]))
    }),
    scalar!(
        "notempty",
        1..=1,
        Bool,
        Naming::Default,
        |v, _| Value::Bool(!is_empty(&v[0]))
    ),
    scalar!("isnull", 1..=1, Bool, Naming::Default, |v, _| Value::Bool(
        is_null(&v[0])
    )),
    scalar!("isnotnull", 1..=1, Bool, Naming::Default, |v, _| {
        Value::Bool(!is_null(&v[0]))
    }),
    scalar!("notnull", 1..=1, Bool, Naming::Default, |v, _| Value::Bool(
        !is_null(&v[0])
    )),
];

/// `strcat_array(arr, delim)` (alias `array_strcat`): elements through `tostring`, joined;
/// a non-array gives `""`.
fn strcat_array(v: &[Value]) -> Value {
    let items = array(&v[0]).map_or(&[][..], |a| a.as_slice());
    let parts: Vec<String> = items.iter().map(json_to_string).collect();
    Value::string(parts.join(&text(&v[1])))
}

/// `isempty(x)`: `""` or null (§6; a dynamic is read through `tostring`, so a dynamic null or
/// empty string is empty while `[]` and `{}` are not).
pub fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        Value::Dynamic(j) => matches!(&**j, Json::Null) || j.as_str() == Some(""),
        _ => false,
    }
}

/// `isnull(x)`: strings are never null; `parse_json("")` is null; `[]`/`{}` are not (§6).
pub fn is_null(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Dynamic(j) => j.is_null(),
        _ => false,
    }
}

/// `substring(s, start[, length])`, counted in characters: negative `start` counts from the
/// end (doc: `substring("123456", -2, 2)` = `"56"`); out-of-range start/length clamp [REC §6].
fn substring(v: &[Value]) -> Value {
    let chars: Vec<char> = text(&v[0]).chars().collect();
    let n = chars.len() as i64;
    let Some(start) = int_arg(&v[1]) else {
        return Value::string("");
    };
    let start = if start < 0 {
        (n + start).max(0)
    } else {
        start.min(n)
    };
    let end = match v.get(2) {
        Some(len) => match int_arg(len) {
            Some(l) => start.saturating_add(l.max(0)).min(n),
            None => return Value::string(""),
        },
        None => n,
    };
    Value::string(
        chars[start as usize..end as usize]
            .iter()
            .collect::<String>(),
    )
}

/// `split(s, delim[, index])`: an array of strings; with an index, a one-element array (or
/// `[]` when out of range [REC §6]). An empty delimiter does not split (docs silent).
fn split(v: &[Value]) -> Value {
    let (src, delim) = (text(&v[0]), text(&v[1]));
    let parts: Vec<&str> = if delim.is_empty() {
        vec![&src]
    } else {
        src.split(&*delim).collect()
    };
    let pick = match v.get(2) {
        None => return array_value(parts.into_iter().map(Json::from).collect()),
        Some(i) => int_arg(i),
    };
    let item = pick
        .and_then(|i| usize::try_from(i).ok())
        .and_then(|i| parts.get(i).copied());
    array_value(item.map(Json::from).into_iter().collect())
}

/// `trim(re, s)`, `trim_start`, `trim_end`: remove leading/trailing runs of matches, built as
/// `^(?:re)+` and `(?:re)+$` ([REC] §6). An invalid regex leaves the text unchanged.
fn trim(v: &[Value], ctx: &Context, start: bool, end: bool) -> Value {
    let re = text(&v[0]);
    let mut s: &str = &text(&v[1]);
    let owned;
    if ctx.regex(&Value::string(&*re)).is_none() {
        return Value::string(s);
    }
    if start {
        if let Some(r) = ctx.regex(&Value::string(format!("^(?:{re})+"))) {
            if let Some(m) = r.find(s) {
                s = &s[m.end()..];
            }
        }
    }
    if end {
        if let Some(r) = ctx.regex(&Value::string(format!("(?:{re})+$"))) {
            if let Some(m) = r.find(s) {
                owned = s[..m.start()].to_string();
                return Value::string(owned);
            }
        }
    }
    Value::string(s)
}

/// `indexof(s, match[, start[, length[, occurrence]]])`: the character index of the
/// occurrence-th match inside the window, -1 if none. Negative start counts from the end
/// (the doc example, §6 [CONFLICT] resolved toward it); `length < -1` or `occurrence < 0` →
/// null (documented). Non-strings are cast to string (documented). Null start/length/occurrence
/// → null.
fn indexof(v: &[Value]) -> Value {
    let hay: Vec<char> = text(&v[0]).chars().collect();
    let needle: Vec<char> = text(&v[1]).chars().collect();
    let opt = |i: usize, default: i64| match v.get(i) {
        None => Some(default),
        Some(x) => int_arg(x),
    };
    let (Some(start), Some(length), Some(occ)) = (opt(2, 0), opt(3, -1), opt(4, 1)) else {
        return Value::Null;
    };
    let found = find_nth(hay.len(), start, length, occ, |i, end| {
        i + needle.len() <= end && hay[i..i + needle.len()] == needle[..]
    });
    found.map_or(Value::Null, Value::Long)
}

/// `translate(search, replacement, s)`: each character of `search` becomes the character at
/// the same position of `replacement`, or its last character when `replacement` is shorter,
/// or is removed when `replacement` is empty (documented examples: `translate("abc", "x",
/// "abc")` = `"xxx"`, `translate("abc", "", "ab")` = `""`).
fn translate(v: &[Value]) -> Value {
    let search: Vec<char> = text(&v[0]).chars().collect();
    let replacement: Vec<char> = text(&v[1]).chars().collect();
    let out: String = text(&v[2])
        .chars()
        .filter_map(|c| match search.iter().position(|&s| s == c) {
            None => Some(c),
            Some(i) => replacement.get(i).or(replacement.last()).copied(),
        })
        .collect();
    Value::string(out)
}

/// `countof(s, search[, kind])`: plain matches may overlap, regex matches do not
/// (documented: `countof("aaaa", "aa")` = 3, `countof("ababa", "aba", "regex")` = 1).
fn countof(v: &[Value], ctx: &Context) -> Value {
    let (hay, needle) = (text(&v[0]), text(&v[1]));
    let kind = v.get(2).map(text).unwrap_or_default();
    if kind.eq_ignore_ascii_case("regex") {
        return match ctx.regex(&Value::string(&*needle)) {
            Some(re) => Value::Long(re.find_iter(&hay).count() as i64),
            None => Value::Null,
        };
    }
    if needle.is_empty() {
        return Value::Long(0);
    }
    let count = (0..hay.len())
        .filter(|&i| hay.is_char_boundary(i) && hay[i..].starts_with(&*needle))
        .count();
    Value::Long(count as i64)
}

#[cfg(test)]
mod tests {
    use crate::functions::testing::{call, s};

    use crate::value::Value;

    fn l(i: i64) -> Value {
        Value::Long(i)
    }

    fn json(v: &Value) -> String {
        crate::functions::conversion::to_string(v)
    }

    #[test]
    fn substring_examples() {
        // Documented: substring("123456", 1) = "23456"; (2, 2) = "34"; ("ABCD", 0, 2) = "AB";
        // ("123456", -2, 2) = "56".
        assert_eq!(call("substring", &[s("123456"), l(1)]), s("23456"));
        assert_eq!(call("substring", &[s("123456"), l(2), l(2)]), s("34"));
        assert_eq!(call("substring", &[s("ABCD"), l(0), l(2)]), s("AB"));
        assert_eq!(call("substring", &[s("123456"), l(-2), l(2)]), s("56"));
        // Clamping [REC].
        assert_eq!(call("substring", &[s("abc"), l(10), l(2)]), s(""));
        assert_eq!(call("substring", &[s("abc"), l(1), l(-3)]), s(""));
        assert_eq!(call("substring", &[s("abc"), l(-10)]), s("abc"));
        assert_eq!(call("substring", &[s("abc"), Value::Null]), s(""));
    }

    #[test]
    fn split_examples() {
        // Documented: split("aaa_bbb_ccc", "_") = ["aaa","bbb","ccc"];
        // split("aa__bb", "_") = ["aa","","bb"]; split("aaa_bbb_ccc", "_", 1) = ["bbb"];
        // split("", "_") = [""].
        assert_eq!(
            json(&call("split", &[s("aaa_bbb_ccc"), s("_")])),
            r#"["aaa","bbb","ccc"]"#
        );
        assert_eq!(
            json(&call("split", &[s("aa__bb"), s("_")])),
            r#"["aa","","bb"]"#
        );
        assert_eq!(
            json(&call("split", &[s("aaa_bbb_ccc"), s("_"), l(1)])),
            r#"["bbb"]"#
        );
        assert_eq!(json(&call("split", &[s(""), s("_")])), r#"[""]"#);
        assert_eq!(json(&call("split", &[s("a_b"), s("_"), l(5)])), "[]");
    }

    #[test]
    fn concatenation() {
        // Documented: strcat_delim('-', 1, '2', 'A', 1s) = "1-2-A-00:00:01".
        let one_second = Value::TimeSpan(10_000_000);
        assert_eq!(
            call("strcat_delim", &[s("-"), l(1), s("2"), s("A"), one_second]),
            s("1-2-A-00:00:01")
        );
        assert_eq!(
            call("strcat_delim", &[s("-"), s("a"), l(1), Value::Null]),
            s("a-1-")
        );
        let arr = crate::functions::conversion::parse_json_text(r#"[1,"b",null]"#);
        assert_eq!(call("strcat_array", &[arr, s(",")]), s("1,b,"));
        assert_eq!(call("strcat_array", &[Value::Null, s(",")]), s(""));
        assert_eq!(call("strrep", &[s("ABC"), l(2)]), s("ABCABC"));
        // Documented: strrep(123, 3, '.') = "123.123.123"; strrep(3s, 2, ' ') =
        // "00:00:03 00:00:03".
        assert_eq!(call("strrep", &[l(123), l(3), s(".")]), s("123.123.123"));
        let three_seconds = Value::TimeSpan(30_000_000);
        assert_eq!(
            call("strrep", &[three_seconds, l(2), s(" ")]),
            s("00:00:03 00:00:03")
        );
        assert_eq!(
            call("strrep", &[s("x"), l(5000)]),
            Value::string("x".repeat(1024))
        );
        assert_eq!(call("strrep", &[s("x"), l(-1)]), s(""));
        assert_eq!(call("reverse", &[s("ab⒦")]), s("⒦ba"));
        assert_eq!(call("reverse", &[Value::Null]), s(""));
    }

    #[test]
    fn replace_and_trim() {
        assert_eq!(
            call(
                "replace_string",
                &[s("A magic trick"), s("magic"), s("cool")]
            ),
            s("A cool trick")
        );
        assert_eq!(call("replace_string", &[s("abc"), s(""), s("x")]), s("abc"));
        // Documented: trim("--", "--https://bing.com--") = "https://bing.com".
        assert_eq!(
            call("trim", &[s("--"), s("--https://bing.com--")]),
            s("https://bing.com")
        );
        assert_eq!(
            call("trim_start", &[s("[^\\w]+"), s("  ..abc..  ")]),
            s("abc..  ")
        );
        assert_eq!(
            call("trim_end", &[s("[^\\w]+"), s("  ..abc..  ")]),
            s("  ..abc")
        );
        assert_eq!(call("trim", &[s("\\s"), s("   ")]), s(""));
        assert_eq!(call("trim", &[s("(bad"), s(" x ")]), s(" x "));
    }

    #[test]
    fn indexof_examples() {
        // The documented examples.
        let abc = s("abcdefg");
        assert_eq!(call("indexof", &[abc.clone(), s("cde")]), l(2));
        assert_eq!(call("indexof", &[abc.clone(), s("cde"), l(1), l(4)]), l(2));
        assert_eq!(call("indexof", &[abc.clone(), s("cde"), l(1), l(2)]), l(-1));
        assert_eq!(call("indexof", &[abc.clone(), s("cde"), l(3), l(4)]), l(-1));
        assert_eq!(call("indexof", &[abc.clone(), s("cde"), l(-5)]), l(2));
        assert_eq!(call("indexof", &[l(1234567), l(5), l(1), l(4)]), l(4));
        assert_eq!(call("indexof", &[abc.clone(), s("cde"), l(2), l(-1)]), l(2));
        let twice = s("abcdefgabcdefg");
        assert_eq!(
            call("indexof", &[twice.clone(), s("cde"), l(1), l(-1), l(3)]),
            l(-1)
        );
        assert_eq!(call("indexof", &[twice, s("cde"), l(1), l(-1), l(2)]), l(9));
        assert_eq!(
            call("indexof", &[abc.clone(), s("cde"), l(1), l(-2)]),
            Value::Null
        );
        assert_eq!(call("indexof", &[abc, s("x")]), l(-1));
    }

    #[test]
    fn strcmp_and_translate() {
        assert_eq!(call("strcmp", &[s("abc"), s("abd")]), l(-1));
        assert_eq!(call("strcmp", &[s("b"), s("a")]), l(1));
        assert_eq!(call("strcmp", &[s("a"), s("a")]), l(0));
        // The documented examples.
        assert_eq!(call("translate", &[s("abc"), s("x"), s("abc")]), s("xxx"));
        assert_eq!(call("translate", &[s("abc"), s(""), s("ab")]), s(""));
        assert_eq!(
            call("translate", &[s("krasp"), s("otsku"), s("spark")]),
            s("kusto")
        );
    }

    #[test]
    fn countof_examples() {
        // The documented examples.
        assert_eq!(call("countof", &[s("aaa"), s("a")]), l(3));
        assert_eq!(call("countof", &[s("aaaa"), s("aa")]), l(3));
        assert_eq!(call("countof", &[s("ababa"), s("ab"), s("normal")]), l(2));
        assert_eq!(call("countof", &[s("ababa"), s("aba")]), l(2));
        assert_eq!(call("countof", &[s("ababa"), s("aba"), s("regex")]), l(1));
        assert_eq!(call("countof", &[s("abcabc"), s("a.c"), s("regex")]), l(2));
    }

    #[test]
    fn emptiness_and_nulls() {
        let p = crate::functions::conversion::parse_json_text;
        assert_eq!(call("isempty", &[s("")]), Value::Bool(true));
        assert_eq!(call("isempty", &[Value::Null]), Value::Bool(true));
        assert_eq!(call("isempty", &[p("[]")]), Value::Bool(false));
        assert_eq!(call("isempty", &[p("\"\"")]), Value::Bool(true));
        assert_eq!(call("isnotempty", &[s("a")]), Value::Bool(true));
        assert_eq!(call("isnull", &[s("")]), Value::Bool(false));
        assert_eq!(call("isnull", &[p("")]), Value::Bool(true));
        assert_eq!(call("isnull", &[p("{}")]), Value::Bool(false));
        assert_eq!(call("isnotnull", &[l(1)]), Value::Bool(true));
        // Documented: string_size("⒦⒰⒮⒯⒪") = 15.
        assert_eq!(call("string_size", &[s("⒦⒰⒮⒯⒪")]), l(15));
    }

    #[test]
    fn string_basics() {
        assert_eq!(call("strlen", &[Value::string("⒦⒰⒮⒯⒪")]), Value::Long(5));
        assert_eq!(
            call("tolower", &[Value::string("AbC")]),
            Value::string("abc")
        );
        assert_eq!(
            call("strcat", &[Value::string("a"), Value::Long(1), Value::Null]),
            Value::string("a1")
        );
    }
}
