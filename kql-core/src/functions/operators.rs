//! Operators as functions: arithmetic, comparison, equality, logic helpers and the string
//! predicates (`has`, `contains`, `=~`, …). Null rules follow the semantics reference §3.2–§3.4.

use super::conversion::{json_to_string, json_to_value};
use super::{text, widest_numeric, Naming, ScalarFunction};
use crate::scalar;
use crate::types::DataType;
use crate::value::{Json, Value};
use std::cmp::Ordering;

/// The operator functions. Names start with `__` so queries cannot call them by name.
pub static FUNCTIONS: &[ScalarFunction] = &[
    scalar!("__add", 2..=2, => |a: &[DataType]| arith_type('+', a[0], a[1]), Naming::Default, |v, _| arith('+', &v[0], &v[1])),
    scalar!("__sub", 2..=2, => |a: &[DataType]| arith_type('-', a[0], a[1]), Naming::Default, |v, _| arith('-', &v[0], &v[1])),
    scalar!("__mul", 2..=2, => |a: &[DataType]| arith_type('*', a[0], a[1]), Naming::Default, |v, _| arith('*', &v[0], &v[1])),
    scalar!("__div", 2..=2, => |a: &[DataType]| arith_type('/', a[0], a[1]), Naming::Default, |v, _| arith('/', &v[0], &v[1])),
    scalar!("__mod", 2..=2, => |a: &[DataType]| arith_type('%', a[0], a[1]), Naming::Default, |v, _| arith('%', &v[0], &v[1])),
    scalar!("__neg", 1..=1, => |a: &[DataType]| negatable(a[0]), Naming::Default, |v, _| negate(&v[0])),
    scalar!("__eq", 2..=2, Bool, Naming::Default, |v, _| bool_or_null(
        equals(&v[0], &v[1])
    )),
    scalar!("__ne", 2..=2, Bool, Naming::Default, |v, _| bool_or_null(
        equals(&v[0], &v[1]).map(|b| !b)
    )),
    scalar!("__lt", 2..=2, Bool, Naming::Default, |v, _| ordered(
        &v[0],
        &v[1],
        Ordering::is_lt
    )),
    scalar!("__le", 2..=2, Bool, Naming::Default, |v, _| ordered(
        &v[0],
        &v[1],
        Ordering::is_le
    )),
    scalar!("__gt", 2..=2, Bool, Naming::Default, |v, _| ordered(
        &v[0],
        &v[1],
        Ordering::is_gt
    )),
    scalar!("__ge", 2..=2, Bool, Naming::Default, |v, _| ordered(
        &v[0],
        &v[1],
        Ordering::is_ge
    )),
    scalar!(
        "not",
        1..=1,
        Bool,
        Naming::Default,
        |v, _| match super::conversion::to_bool(&v[0]) {
            Some(b) => Value::Bool(!b),
            None => Value::Null,
        }
    ),
    scalar!(
        "__in",
        1..=1_000_000,
        Bool,
        Naming::Default,
        |v, _| in_list(&v[0], &v[1..], false)
    ),
    scalar!("__in_ci", 1..=1_000_000, Bool, Naming::Default, |v, _| {
        in_list(&v[0], &v[1..], true)
    }),
    scalar!("__between", 3..=3, Bool, Naming::Default, |v, _| between(
        &v[0], &v[1], &v[2]
    )),
    scalar!("__has_any", 1..=1_000_000, Bool, Naming::Default, |v, _| {
        has_list(&v[0], &v[1..], false)
    }),
    scalar!("__has_all", 1..=1_000_000, Bool, Naming::Default, |v, _| {
        has_list(&v[0], &v[1..], true)
    }),
    scalar!("__eq_ci", 2..=2, Bool, Naming::Default, |v, _| str_test(
        v, eq_ci
    )),
    scalar!("__contains", 2..=2, Bool, Naming::Default, |v, _| str_test(
        v,
        contains_ci
    )),
    scalar!("__contains_cs", 2..=2, Bool, Naming::Default, |v, _| {
        str_test(v, contains_cs)
    }),
    scalar!("__startswith", 2..=2, Bool, Naming::Default, |v, _| {
        str_test(v, startswith_ci)
    }),
    scalar!("__startswith_cs", 2..=2, Bool, Naming::Default, |v, _| {
        str_test(v, startswith_cs)
    }),
    scalar!("__endswith", 2..=2, Bool, Naming::Default, |v, _| str_test(
        v,
        endswith_ci
    )),
    scalar!("__endswith_cs", 2..=2, Bool, Naming::Default, |v, _| {
        str_test(v, endswith_cs)
    }),
    scalar!("__has", 2..=2, Bool, Naming::Default, |v, _| str_test(
        v, has_ci
    )),
    scalar!("__has_cs", 2..=2, Bool, Naming::Default, |v, _| str_test(
        v, has_cs
    )),
    scalar!("__hasprefix", 2..=2, Bool, Naming::Default, |v, _| {
        str_test(v, hasprefix_ci)
    }),
    scalar!("__hasprefix_cs", 2..=2, Bool, Naming::Default, |v, _| {
        str_test(v, hasprefix_cs)
    }),
    scalar!("__hassuffix", 2..=2, Bool, Naming::Default, |v, _| {
        str_test(v, hassuffix_ci)
    }),
    scalar!("__hassuffix_cs", 2..=2, Bool, Naming::Default, |v, _| {
        str_test(v, hassuffix_cs)
    }),
    scalar!("__like", 2..=2, Bool, Naming::Default, |v, _| str_test(
        v, like_ci
    )),
    scalar!("__like_cs", 2..=2, Bool, Naming::Default, |v, _| str_test(
        v, like_cs
    )),
    scalar!(
        "__matches",
        2..=2,
        Bool,
        Naming::Default,
        |v, ctx| match ctx.regex(&v[1]) {
            Some(re) => Value::Bool(re.is_match(&text(&v[0]))),
            None => Value::Null,
        }
    ),
];

fn bool_or_null(b: Option<bool>) -> Value {
    b.map_or(Value::Null, Value::Bool)
}

fn str_test(v: &[Value], test: impl Fn(&str, &str) -> bool) -> Value {
    Value::Bool(test(&text(&v[0]), &text(&v[1])))
}

/// The string predicates whose kernel is `str_test(v, test)`, by operator name: a caller that
/// holds the texts (a dictionary's strings) tests them without making a value of each.
const TEXT_TESTS: &[(&str, TextTest)] = &[
    ("__eq_ci", eq_ci),
    ("__contains", contains_ci),
    ("__contains_cs", contains_cs),
    ("__startswith", startswith_ci),
    ("__startswith_cs", startswith_cs),
    ("__endswith", endswith_ci),
    ("__endswith_cs", endswith_cs),
    ("__has", has_ci),
    ("__has_cs", has_cs),
    ("__hasprefix", hasprefix_ci),
    ("__hasprefix_cs", hasprefix_cs),
    ("__hassuffix", hassuffix_ci),
    ("__hassuffix_cs", hassuffix_cs),
    ("__like", like_ci),
    ("__like_cs", like_cs),
];

/// A test of a text (the left operand) against another (the right one).
pub type TextTest = fn(&str, &str) -> bool;

/// The test behind the operator function `name` when its kernel is that test on the texts of
/// its two arguments (`kernel(a, b)` is `Bool(test(text(a), text(b)))`), else `None`.
pub fn text_test(name: &str) -> Option<TextTest> {
    TEXT_TESTS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|&(_, test)| test)
}

fn eq_ci(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}

fn contains_cs(a: &str, b: &str) -> bool {
    a.contains(b)
}

fn startswith_ci(a: &str, b: &str) -> bool {
    a.len() >= b.len() && a.as_bytes()[..b.len()].eq_ignore_ascii_case(b.as_bytes())
}

fn startswith_cs(a: &str, b: &str) -> bool {
    a.starts_with(b)
}

fn endswith_ci(a: &str, b: &str) -> bool {
    a.len() >= b.len() && a.as_bytes()[a.len() - b.len()..].eq_ignore_ascii_case(b.as_bytes())
}

fn endswith_cs(a: &str, b: &str) -> bool {
    a.ends_with(b)
}

fn has_ci(a: &str, b: &str) -> bool {
    has(a, b, false)
}

fn has_cs(a: &str, b: &str) -> bool {
    has(a, b, true)
}

fn hasprefix_ci(a: &str, b: &str) -> bool {
    term_affix(a, b, false, true)
}

fn hasprefix_cs(a: &str, b: &str) -> bool {
    term_affix(a, b, true, true)
}

fn hassuffix_ci(a: &str, b: &str) -> bool {
    term_affix(a, b, false, false)
}

fn hassuffix_cs(a: &str, b: &str) -> bool {
    term_affix(a, b, true, false)
}

fn like_ci(a: &str, b: &str) -> bool {
    like(a, b, false)
}

fn like_cs(a: &str, b: &str) -> bool {
    like(a, b, true)
}

/// Result type of `a op b`, or why the operands do not fit.
pub fn arith_type(op: char, a: DataType, b: DataType) -> Result<DataType, String> {
    use DataType::*;
    Ok(match (op, a, b) {
        (_, Dynamic, Dynamic) => Dynamic,
        (_, Dynamic, t) | (_, t, Dynamic) if t.is_numeric() => {
            if t == Real {
                Real
            } else {
                Long
            }
        }
        (_, x, y) if x.is_numeric() && y.is_numeric() => match widest_numeric(x, y) {
            Int => Long,
            t => t,
        },
        ('-', DateTime, DateTime) => TimeSpan,
        ('+' | '-', DateTime, TimeSpan) | ('+', TimeSpan, DateTime) => DateTime,
        ('+' | '-', TimeSpan, TimeSpan) => TimeSpan,
        ('*', TimeSpan, t) | ('*', t, TimeSpan) if t.is_numeric() => TimeSpan,
        ('/', TimeSpan, TimeSpan) => Real,
        ('/', TimeSpan, t) if t.is_numeric() => TimeSpan,
        ('%', TimeSpan, TimeSpan) => TimeSpan,
        _ => return Err(format!("operator `{op}` cannot be applied to {a} and {b}")),
    })
}

fn negatable(t: DataType) -> Result<DataType, String> {
    match t {
        DataType::Int | DataType::Long => Ok(DataType::Long),
        DataType::Real | DataType::Decimal | DataType::TimeSpan | DataType::Dynamic => Ok(t),
        _ => Err(format!("unary `-` cannot be applied to {t}")),
    }
}

fn negate(v: &Value) -> Value {
    match v {
        Value::Int(i) => Value::Long(-(*i as i64)),
        Value::Long(i) => Value::Long(i.wrapping_neg()),
        Value::Real(r) => Value::Real(-r),
        Value::Decimal(d) => Value::Decimal(-*d),
        Value::TimeSpan(t) => Value::TimeSpan(t.wrapping_neg()),
        Value::Dynamic(j) => negate(&json_to_value(j)),
        _ => Value::Null,
    }
}

/// A number as (long, real) view: `Ok(i)` for integers, `Err(r)` for reals.
fn number(v: &Value) -> Option<Result<i64, f64>> {
    match v {
        Value::Int(i) => Some(Ok(*i as i64)),
        Value::Long(i) => Some(Ok(*i)),
        Value::Real(r) => Some(Err(*r)),
        // Arithmetic on decimals runs in double precision (see crate::decimal).
        Value::Decimal(d) => Some(Err(d.to_f64())),
        Value::Bool(b) => Some(Ok(*b as i64)),
        Value::Dynamic(j) => match **j {
            Json::Number(_) => number(&json_to_value(j)),
            _ => None,
        },
        _ => None,
    }
}

fn as_real(n: Result<i64, f64>) -> f64 {
    match n {
        Ok(i) => i as f64,
        Err(r) => r,
    }
}

/// `a op b` with Kusto's rules: null is sticky, integer division truncates, `%` is never
/// negative, integer division by zero is null ([REC]), overflow wraps.
pub fn arith(op: char, a: &Value, b: &Value) -> Value {
    use Value::*;
    match (a, b) {
        (Null, _) | (_, Null) => Null,
        (DateTime(x), DateTime(y)) if op == '-' => TimeSpan(x.wrapping_sub(*y)),
        // A datetime past 0001-01-01 .. 9999-12-31 is null: functions of datetimes assume the
        // range (a wrapped value made `startofmonth` overflow).
        (DateTime(x), TimeSpan(y)) if op == '+' => super::time::datetime(x.checked_add(*y)),
        (TimeSpan(x), DateTime(y)) if op == '+' => super::time::datetime(x.checked_add(*y)),
        (DateTime(x), TimeSpan(y)) if op == '-' => super::time::datetime(x.checked_sub(*y)),
        (TimeSpan(x), TimeSpan(y)) => match op {
            '+' => TimeSpan(x.wrapping_add(*y)),
            '-' => TimeSpan(x.wrapping_sub(*y)),
            '/' => Real(*x as f64 / *y as f64),
            '%' if *y != 0 => TimeSpan(x.rem_euclid(*y)),
            _ => Null,
        },
        (TimeSpan(t), n) | (n, TimeSpan(t)) if op == '*' => match number(n) {
            Some(Ok(i)) => TimeSpan(t.wrapping_mul(i)),
            Some(Err(r)) => TimeSpan((*t as f64 * r) as i64),
            None => Null,
        },
        (TimeSpan(t), n) if op == '/' => match number(n) {
            Some(Ok(i)) => t.checked_div(i).map_or(Null, TimeSpan),
            Some(Err(r)) => TimeSpan((*t as f64 / r) as i64),
            None => Null,
        },
        // Decimals (with decimals or integers) add, subtract and multiply exactly; the rest,
        // and what does not fit, goes through real (crate::decimal).
        (Decimal(_), Decimal(_) | Int(_) | Long(_)) | (Int(_) | Long(_), Decimal(_))
            if matches!(op, '+' | '-' | '*') =>
        {
            let exact = super::conversion::to_decimal(a).zip(super::conversion::to_decimal(b));
            let result = exact.and_then(|(x, y)| match op {
                '+' => x.checked_add(y),
                '-' => x.checked_sub(y),
                _ => x.checked_mul(y),
            });
            match (result, number(a), number(b)) {
                (Some(d), _, _) => Decimal(d),
                (None, Some(x), Some(y)) => Real(real_arith(op, as_real(x), as_real(y))),
                _ => Null,
            }
        }
        _ => match (number(a), number(b)) {
            (Some(Ok(x)), Some(Ok(y))) => int_arith(op, x, y).map_or(Null, Long),
            (Some(x), Some(y)) => Real(real_arith(op, as_real(x), as_real(y))),
            _ => Null,
        },
    }
}

fn int_arith(op: char, x: i64, y: i64) -> Option<i64> {
    Some(match op {
        '+' => x.wrapping_add(y),
        '-' => x.wrapping_sub(y),
        '*' => x.wrapping_mul(y),
        '/' => x.checked_div(y)?,
        _ => x.checked_rem_euclid(y)?,
    })
}

fn real_arith(op: char, x: f64, y: f64) -> f64 {
    match op {
        '+' => x + y,
        '-' => x - y,
        '*' => x * y,
        '/' => x / y,
        // Never negative, as for integers: 0 <= N % D < abs(D).
        _ => x.rem_euclid(y),
    }
}

/// Equality with Kusto's null rules: one null side → false, both null → null.
/// Strings compare case-sensitively; a dynamic compares with a string through its text.
pub fn equals(a: &Value, b: &Value) -> Option<bool> {
    use Value::*;
    match (a, b) {
        (Null, Null) => None,
        (String(x), String(y)) => Some(x == y),
        (Null, String(s)) | (String(s), Null) => Some(s.is_empty()),
        (Null, _) | (_, Null) => Some(false),
        (Dynamic(j), String(s)) | (String(s), Dynamic(j)) => Some(json_to_string(j) == **s),
        (Dynamic(x), Dynamic(y)) => Some(x == y),
        (Dynamic(j), other) | (other, Dynamic(j)) => match **j {
            Json::Array(_) | Json::Object(_) => Some(false),
            _ => equals(&json_to_value(j), other),
        },
        _ => compare(a, b).map(Ordering::is_eq).or(Some(false)),
    }
}

fn ordered(a: &Value, b: &Value, test: fn(Ordering) -> bool) -> Value {
    if a.is_null() || b.is_null() {
        return Value::Null;
    }
    compare(a, b).map_or(Value::Null, |o| Value::Bool(test(o)))
}

/// Orders two non-null values of comparable types: numbers across int/long/real, strings
/// ordinally, datetimes, timespans, bools, guids; dynamic scalars unwrap. `None` when the
/// types do not compare.
pub fn compare(a: &Value, b: &Value) -> Option<Ordering> {
    use Value::*;
    match (a, b) {
        (String(x), String(y)) => Some(x.cmp(y)),
        (DateTime(x), DateTime(y)) | (TimeSpan(x), TimeSpan(y)) => Some(x.cmp(y)),
        (Bool(x), Bool(y)) => Some(x.cmp(y)),
        (Guid(x), Guid(y)) => Some(x.cmp(y)),
        // Decimals compare exactly with decimals and integers.
        (Decimal(x), Decimal(y)) => Some(x.cmp(y)),
        (Decimal(x), Int(_) | Long(_)) | (Int(_) | Long(_), Decimal(x)) => {
            let i = super::conversion::to_decimal(if matches!(a, Decimal(_)) { b } else { a })?;
            let o = x.cmp(&i);
            Some(if matches!(a, Decimal(_)) {
                o
            } else {
                o.reverse()
            })
        }
        (DateTime(x), String(s)) => super::datetime::parse_datetime(s).map(|y| x.cmp(&y)),
        (String(s), DateTime(y)) => super::datetime::parse_datetime(s).map(|x| x.cmp(y)),
        (Dynamic(j), other) => match **j {
            Json::Array(_) | Json::Object(_) => None,
            _ => compare(&json_to_value(j), other),
        },
        (other, Dynamic(j)) => match **j {
            Json::Array(_) | Json::Object(_) => None,
            _ => compare(other, &json_to_value(j)),
        },
        _ => match (number(a)?, number(b)?) {
            (Ok(x), Ok(y)) => Some(x.cmp(&y)),
            (x, y) => as_real(x).partial_cmp(&as_real(y)),
        },
    }
}

/// `x in (list)`: an OR of `==` (case-insensitive for `in~`); dynamic arrays in the list are
/// flattened into their elements.
fn in_list(x: &Value, list: &[Value], ci: bool) -> Value {
    let matches = |item: &Value| -> bool {
        if ci {
            (item.is_null() || !x.is_null()) && text(x).eq_ignore_ascii_case(&text(item))
        } else {
            equals(x, item) == Some(true)
        }
    };
    let hit = list.iter().any(|item| match item {
        Value::Dynamic(j) => match &**j {
            Json::Array(items) => items.iter().any(|e| matches(&json_to_value(e))),
            _ => matches(item),
        },
        _ => matches(item),
    });
    Value::Bool(hit)
}

fn between(x: &Value, lo: &Value, hi: &Value) -> Value {
    if x.is_null() || lo.is_null() || hi.is_null() {
        return Value::Null;
    }
    // `dt between (start .. span)` means start .. start + span.
    let hi = match (lo, hi) {
        (Value::DateTime(s), Value::TimeSpan(d)) => Value::DateTime(s.saturating_add(*d)),
        _ => hi.clone(),
    };
    match (compare(x, lo), compare(x, &hi)) {
        (Some(a), Some(b)) => Value::Bool(a.is_ge() && b.is_le()),
        _ => Value::Null,
    }
}

fn has_list(x: &Value, list: &[Value], all: bool) -> Value {
    let hay = text(x);
    let mut terms = Vec::new();
    for item in list {
        match item {
            Value::Dynamic(j) => match &**j {
                Json::Array(items) => terms.extend(items.iter().map(json_to_string)),
                other => terms.push(json_to_string(other)),
            },
            other => terms.push(text(other).into_owned()),
        }
    }
    let test = |t: &String| has(&hay, t, false);
    Value::Bool(if all {
        terms.iter().all(test)
    } else {
        terms.iter().any(test)
    })
}

/// Case-insensitive (ASCII) substring test.
pub fn contains_ci(hay: &str, needle: &str) -> bool {
    find_ci(hay, needle, 0).is_some()
}

fn find_ci(hay: &str, needle: &str, from: usize) -> Option<usize> {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    if n.is_empty() {
        return Some(from.min(h.len()));
    }
    if h.len() < n.len() {
        return None;
    }
    // Candidates are where the first byte occurs in either case (a SIMD scan), then the rest
    // is compared ignoring ASCII case.
    let (lower, upper) = (n[0].to_ascii_lowercase(), n[0].to_ascii_uppercase());
    let last_start = h.len() - n.len();
    let mut i = from;
    while i <= last_start {
        let at = i + memchr::memchr2(lower, upper, &h[i..=last_start])?;
        if h[at..at + n.len()].eq_ignore_ascii_case(n) {
            return Some(at);
        }
        i = at + 1;
    }
    None
}

fn is_term_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}

/// `has`: `needle` occurs in `hay` on term boundaries. A term is a maximal run of ASCII
/// letters and digits (semantics reference §4; `_` separates terms — the documented reading).
/// A needle that starts or ends with a separator need not be aligned on that side.
pub fn has(hay: &str, needle: &str, case_sensitive: bool) -> bool {
    if case_sensitive {
        has_with(hay, needle, |from| {
            hay.get(from..)?.find(needle).map(|i| i + from)
        })
    } else {
        has_with(hay, needle, |from| find_ci(hay, needle, from))
    }
}

/// [`has`] with `find(from)` giving where the needle next occurs in `hay` at or after `from`
/// (a searcher compiled once for many texts, say).
pub fn has_with(hay: &str, needle: &str, find: impl Fn(usize) -> Option<usize>) -> bool {
    let n = needle.as_bytes();
    let (Some(&first), Some(&last)) = (n.first(), n.last()) else {
        return false;
    };
    let h = hay.as_bytes();
    let mut from = 0;
    while from + n.len() <= h.len() {
        let Some(i) = find(from) else { return false };
        let start_ok =
            !is_term_byte(first) || i == 0 || !h.get(i - 1).is_some_and(|&b| is_term_byte(b));
        let end = i + n.len();
        let end_ok = !is_term_byte(last) || !h.get(end).is_some_and(|&b| is_term_byte(b));
        if start_ok && end_ok {
            return true;
        }
        from = i + 1;
    }
    false
}

/// `hasprefix` / `hassuffix`: some term starts (ends) with `needle`.
fn term_affix(hay: &str, needle: &str, case_sensitive: bool, prefix: bool) -> bool {
    let eq = |a: &[u8], b: &[u8]| {
        if case_sensitive {
            a == b
        } else {
            a.eq_ignore_ascii_case(b)
        }
    };
    let n = needle.as_bytes();
    hay.as_bytes()
        .split(|&b| !is_term_byte(b))
        .filter(|t| !t.is_empty())
        .any(|t| {
            t.len() >= n.len()
                && if prefix {
                    eq(&t[..n.len()], n)
                } else {
                    eq(&t[t.len() - n.len()..], n)
                }
        })
}

/// SQL-style `like`: `%` any run, `_` one character.
fn like(hay: &str, pattern: &str, case_sensitive: bool) -> bool {
    let fold = |s: &str| -> Vec<char> {
        if case_sensitive {
            s.chars().collect()
        } else {
            s.chars().map(|c| c.to_ascii_lowercase()).collect()
        }
    };
    let (h, p) = (fold(hay), fold(pattern));
    // Classic two-pointer wildcard match with backtracking to the last `%`.
    let (mut i, mut j, mut star, mut mark) = (0, 0, None, 0);
    while i < h.len() {
        if j < p.len() && (p[j] == '_' || p[j] == h[i]) {
            i += 1;
            j += 1;
        } else if j < p.len() && p[j] == '%' {
            star = Some(j);
            mark = i;
            j += 1;
        } else if let Some(s) = star {
            j = s + 1;
            mark += 1;
            i = mark;
        } else {
            return false;
        }
    }
    p[j..].iter().all(|&c| c == '%')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn has_follows_term_rules() {
        // Examples from the string-operators documentation.
        assert!(has("North America", "america", false));
        assert!(!has("North America", "amer", false));
        assert!(has("North America", "America", true));
        assert!(!has("KustoExplorerQueryRun", "Explorer", false));
        assert!(has("a b", "b", false));
        assert!(has(
            "/resourcegroups/test.rg000001?api",
            "/resourcegroups/test.rg000001?",
            false
        ));
        assert!(!has("abc", "", false));
    }

    #[test]
    fn arithmetic_follows_kusto() {
        assert_eq!(
            arith('%', &Value::Long(-14), &Value::Long(12)),
            Value::Long(10)
        );
        assert_eq!(
            arith('%', &Value::Long(14), &Value::Long(-12)),
            Value::Long(2)
        );
        assert_eq!(arith('/', &Value::Long(1), &Value::Long(2)), Value::Long(0));
        assert_eq!(
            arith('/', &Value::Real(1.0), &Value::Long(2)),
            Value::Real(0.5)
        );
        assert_eq!(arith('/', &Value::Long(1), &Value::Long(0)), Value::Null);
        assert_eq!(arith('+', &Value::Null, &Value::Long(1)), Value::Null);
    }

    #[test]
    fn timespan_division_never_overflows() {
        // Regression: the minimum timespan divided by -1 panicked.
        assert_eq!(
            arith('/', &Value::TimeSpan(i64::MIN), &Value::Long(-1)),
            Value::Null
        );
        assert_eq!(
            arith('/', &Value::TimeSpan(10), &Value::Long(0)),
            Value::Null
        );
        assert_eq!(
            arith('/', &Value::TimeSpan(10), &Value::Long(2)),
            Value::TimeSpan(5)
        );
    }

    #[test]
    fn case_insensitive_search() {
        assert_eq!(find_ci("FabriKam", "brik", 0), Some(2));
        assert_eq!(find_ci("abcABC", "C", 3), Some(5));
        assert_eq!(find_ci("abc", "abcd", 0), None);
        assert_eq!(find_ci("abc", "", 1), Some(1));
        assert_eq!(find_ci("aXbxC", "xc", 0), Some(3));
        assert!(contains_ci(
            "/subscriptions/x/virtualMachines/vm-1",
            "VIRTUALMACHINES/VM-"
        ));
    }

    #[test]
    fn null_equality() {
        assert_eq!(equals(&Value::Long(5), &Value::Null), Some(false));
        assert_eq!(equals(&Value::Null, &Value::Null), None);
        assert!(like("Fabrikam", "fab%", false));
        assert!(!like("Fabrikam", "fab_", false));
    }
}
