//! Array builders and reshapers: `repeat`, `range`, `array_iff`/`array_iif`,
//! `array_rotate_left/right`, `array_shift_left/right`, `array_split`.

use super::args::{array, array_value, check, int_arg, scalar, Kind};
use super::conversion::value_to_json;
use super::datetime::TICKS_PER_SECOND;
use super::{Naming, ScalarFunction};
use crate::scalar;
use crate::types::DataType;
use crate::value::{Json, Value};

/// The most elements `range` builds (documented: 1,048,576 = 2^20 results, the array is
/// truncated); `repeat` uses the same bound (its own limit is not documented).
const MAX_ELEMENTS: i64 = 1 << 20;

/// The array builder functions.
pub static FUNCTIONS: &[ScalarFunction] = &[
    scalar!("repeat", 2..=2, => |a: &[DataType]| {
        check("repeat", a, &[Kind::Any, Kind::Int])?;
        Ok(DataType::Dynamic)
    }, Naming::Prefix("repeat"), |v, _| match int_arg(&v[1]) {
        // Documented: repeat(1, 3) = [1,1,1]; a count ≤ 0 gives an empty array.
        Some(n) => array_value(vec![value_to_json(&v[0]); n.clamp(0, MAX_ELEMENTS) as usize]),
        None => Value::Null,
    }),
    scalar!("range", 2..=3, => |a: &[DataType]| {
        check("range", a, &[Kind::Ordered, Kind::Ordered, Kind::Ordered])?;
        Ok(DataType::Dynamic)
    }, Naming::Default, |v, _| range(v)),
    scalar!("array_iff", 3..=3, Dynamic, Naming::Default, |v, _| {
        array_iff(v)
    }),
    scalar!("array_iif", 3..=3, Dynamic, Naming::Default, |v, _| {
        array_iff(v)
    }),
    scalar!("array_rotate_left", 2..=2, => |a: &[DataType]| shape_type("array_rotate_left", a), Naming::Default, |v, _| rotate(v, 1)),
    scalar!("array_rotate_right", 2..=2, => |a: &[DataType]| shape_type("array_rotate_right", a), Naming::Default, |v, _| rotate(v, -1)),
    scalar!("array_shift_left", 2..=3, => |a: &[DataType]| shape_type("array_shift_left", a), Naming::Default, |v, _| shift(v, 1)),
    scalar!("array_shift_right", 2..=3, => |a: &[DataType]| shape_type("array_shift_right", a), Naming::Default, |v, _| shift(v, -1)),
    scalar!("array_split", 2..=2, Dynamic, Naming::Default, |v, _| {
        array_split(v)
    }),
];

fn shape_type(name: &str, a: &[DataType]) -> Result<DataType, String> {
    check(name, a, &[Kind::Any, Kind::Int, Kind::Any])?;
    Ok(DataType::Dynamic)
}

/// `range(start, stop[, step])`: `start`, `start + step`, … up to `stop` inclusive (the
/// documented example `range(1, 8, 3)` = `[1,4,7]`). Numbers step by 1 and datetimes or
/// timespans by 1 hour by default (documented defaults). Longer series are truncated to
/// [`MAX_ELEMENTS`] (documented). A zero step gives null; a step pointing away from `stop`
/// gives `[]`.
fn range(v: &[Value]) -> Value {
    let (start, stop) = (scalar(&v[0]), scalar(&v[1]));
    let step = v.get(2).map(scalar);
    let hour = Value::TimeSpan(3600 * TICKS_PER_SECOND);
    match (&start, &stop) {
        (Value::DateTime(a), Value::DateTime(b)) | (Value::TimeSpan(a), Value::TimeSpan(b)) => {
            let Value::TimeSpan(s) = step.unwrap_or(hour) else {
                return Value::Null;
            };
            let make = |t: i64| match start {
                Value::DateTime(_) => Value::DateTime(t),
                _ => Value::TimeSpan(t),
            };
            int_range(*a, *b, s).map_or(Value::Null, |ts| {
                array_value(ts.into_iter().map(|t| value_to_json(&make(t))).collect())
            })
        }
        _ => {
            let step = step.unwrap_or(Value::Long(1));
            match (int_arg(&start), int_arg(&stop), int_arg(&step)) {
                (Some(a), Some(b), Some(s))
                    if [&start, &stop, &step]
                        .iter()
                        .all(|x| matches!(x, Value::Int(_) | Value::Long(_))) =>
                {
                    int_range(a, b, s).map_or(Value::Null, |xs| {
                        array_value(xs.into_iter().map(Json::from).collect())
                    })
                }
                _ => real_range(&start, &stop, &step),
            }
        }
    }
}

fn int_range(a: i64, b: i64, step: i64) -> Option<Vec<i64>> {
    if step == 0 {
        return None;
    }
    if (step > 0 && a > b) || (step < 0 && a < b) {
        return Some(Vec::new());
    }
    let count = ((b as i128 - a as i128) / step as i128 + 1).min(MAX_ELEMENTS as i128);
    Some((0..count as i64).map(|i| a + i * step).collect())
}

fn real_range(start: &Value, stop: &Value, step: &Value) -> Value {
    use super::args::real_arg;
    let (Some(a), Some(b), Some(s)) = (real_arg(start), real_arg(stop), real_arg(step)) else {
        return Value::Null;
    };
    if s == 0.0 || !s.is_finite() || !a.is_finite() || !b.is_finite() {
        return Value::Null;
    }
    if (s > 0.0 && a > b) || (s < 0.0 && a < b) {
        return array_value(Vec::new());
    }
    let count = (((b - a) / s).floor() + 1.0).min(MAX_ELEMENTS as f64);
    let items = (0..count as i64).map(|i| value_to_json(&Value::Real(a + i as f64 * s)));
    array_value(items.collect())
}

/// `array_iff(conditions, when_true, when_false)`: element-wise choice; scalar branches apply
/// to every element, array branches by position (missing → null); a non-bool condition
/// gives null (documented examples: `[true,false,true]` with `[1,2,3]`/`[4,5,6]` →
/// `[1,5,3]`).
fn array_iff(v: &[Value]) -> Value {
    let Some(conds) = array(&v[0]) else {
        return Value::Null;
    };
    let pick = |branch: &Value, i: usize| match array(branch) {
        Some(items) => items.get(i).cloned().unwrap_or(Json::Null),
        None => value_to_json(branch),
    };
    let out = conds
        .iter()
        .enumerate()
        .map(|(i, c)| match c {
            Json::Bool(true) => pick(&v[1], i),
            Json::Bool(false) => pick(&v[2], i),
            _ => Json::Null,
        })
        .collect();
    array_value(out)
}

/// `array_rotate_left(arr, n)` (`direction` 1) / `array_rotate_right` (-1); a negative count
/// rotates the other way (documented).
fn rotate(v: &[Value], direction: i64) -> Value {
    let (Some(items), Some(n)) = (array(&v[0]), int_arg(&v[1])) else {
        return Value::Null;
    };
    let mut out = items.clone();
    if !out.is_empty() {
        let k = (n.wrapping_mul(direction)).rem_euclid(out.len() as i64) as usize;
        out.rotate_left(k);
    }
    array_value(out)
}

/// `array_shift_left(arr, n[, fill])` / `array_shift_right`: elements move `n` places and the
/// vacated places take `fill` — by default null, or `""` for an array of strings
/// (documented); a negative count shifts the other way.
fn shift(v: &[Value], direction: i64) -> Value {
    let (Some(items), Some(n)) = (array(&v[0]), int_arg(&v[1])) else {
        return Value::Null;
    };
    let fill = match v.get(2) {
        Some(f) => value_to_json(f),
        None if items.first().is_some_and(Json::is_string) => Json::String(String::new()),
        None => Json::Null,
    };
    let len = items.len() as i64;
    let k = n.saturating_mul(direction);
    let out = (0..len)
        .map(|i| {
            let src = i.saturating_add(k);
            if (0..len).contains(&src) {
                items[src as usize].clone()
            } else {
                fill.clone()
            }
        })
        .collect();
    array_value(out)
}

/// `array_split(arr, indices)`: splits before each index (a number or an array of numbers;
/// negative counts from the end; out of range clamps). Documented:
/// `array_split([1,2,3,4,5], 2)` = `[[1,2],[3,4,5]]`,
/// `array_split([1,2,3,4,5], dynamic([1,3]))` = `[[1],[2,3],[4,5]]`.
fn array_split(v: &[Value]) -> Value {
    let Some(items) = array(&v[0]) else {
        return Value::Null;
    };
    let len = items.len() as i64;
    let raw: Vec<i64> = match array(&v[1]) {
        Some(list) => {
            let parsed: Option<Vec<i64>> = list.iter().map(|j| j.as_i64()).collect();
            match parsed {
                Some(p) => p,
                None => return Value::Null,
            }
        }
        None => match int_arg(&v[1]) {
            Some(i) => vec![i],
            None => return Value::Null,
        },
    };
    let mut cuts: Vec<usize> = raw
        .into_iter()
        .map(|i| if i < 0 { i + len } else { i }.clamp(0, len) as usize)
        .collect();
    cuts.sort_unstable();
    let mut out = Vec::with_capacity(cuts.len() + 1);
    let mut from = 0;
    for c in cuts.into_iter().chain(std::iter::once(items.len())) {
        out.push(Json::Array(items[from..c.max(from)].to_vec()));
        from = c.max(from);
    }
    array_value(out)
}

#[cfg(test)]
mod tests {
    use crate::functions::conversion::{parse_json_text as p, to_string};
    use crate::functions::{registry, Context};
    use crate::value::Value;

    fn text(name: &str, args: &[Value]) -> String {
        let f = registry::scalar(name).expect("function exists");
        to_string(&(f.kernel)(args, &Context::new(0)))
    }

    fn l(i: i64) -> Value {
        Value::Long(i)
    }

    #[test]
    fn builders() {
        assert_eq!(text("repeat", &[l(1), l(3)]), "[1,1,1]");
        assert_eq!(text("repeat", &[Value::string("a"), l(2)]), r#"["a","a"]"#);
        assert_eq!(text("repeat", &[l(1), l(-1)]), "[]");
        assert_eq!(text("range", &[l(1), l(8), l(3)]), "[1,4,7]");
        assert_eq!(text("range", &[l(5), l(1), l(-2)]), "[5,3,1]");
        assert_eq!(text("range", &[l(5), l(1)]), "[]");
        assert_eq!(text("range", &[l(1), l(2), l(0)]), "");
        // Documented: range(1, 1000000000) is truncated to 1,048,576 values;
        // range(1h, 5h) steps by an hour.
        let f = registry::scalar("range").expect("range");
        let long = (f.kernel)(&[l(1), l(1_000_000_000)], &Context::new(0));
        assert_eq!(super::array(&long).map(Vec::len), Some(1 << 20));
        let hour = 36_000_000_000;
        assert_eq!(
            text("range", &[Value::TimeSpan(hour), Value::TimeSpan(5 * hour)]),
            r#"["01:00:00","02:00:00","03:00:00","04:00:00","05:00:00"]"#
        );
        assert_eq!(
            text("range", &[Value::Real(1.0), l(2), Value::Real(0.5)]),
            "[1.0,1.5,2.0]"
        );
        let day = 864_000_000_000;
        assert_eq!(
            text(
                "range",
                &[
                    Value::DateTime(0),
                    Value::DateTime(2 * day),
                    Value::TimeSpan(day)
                ]
            ),
            r#"["0001-01-01T00:00:00.0000000Z","0001-01-02T00:00:00.0000000Z","0001-01-03T00:00:00.0000000Z"]"#
        );
    }

    #[test]
    fn reshaping() {
        // Documented examples.
        let (t, a, b) = (p("[true,false,true]"), p("[1,2,3]"), p("[4,5,6]"));
        assert_eq!(
            text("array_iff", &[t.clone(), a.clone(), b.clone()]),
            "[1,5,3]"
        );
        assert_eq!(
            text("array_iff", &[p("[true,false,true,false]"), a, b]),
            "[1,5,3,null]"
        );
        assert_eq!(text("array_iif", &[p("[true,1]"), l(1), l(0)]), "[1,null]");
        let arr = p("[1,2,3,4,5]");
        assert_eq!(
            text("array_rotate_left", &[arr.clone(), l(2)]),
            "[3,4,5,1,2]"
        );
        assert_eq!(
            text("array_rotate_left", &[arr.clone(), l(-2)]),
            "[4,5,1,2,3]"
        );
        assert_eq!(
            text("array_rotate_right", &[arr.clone(), l(2)]),
            "[4,5,1,2,3]"
        );
        assert_eq!(
            text("array_shift_left", &[arr.clone(), l(2)]),
            "[3,4,5,null,null]"
        );
        assert_eq!(
            text("array_shift_left", &[arr.clone(), l(2), l(-1)]),
            "[3,4,5,-1,-1]"
        );
        assert_eq!(
            text("array_shift_left", &[arr.clone(), l(-2), l(-1)]),
            "[-1,-1,1,2,3]"
        );
        assert_eq!(
            text("array_shift_right", &[arr.clone(), l(1)]),
            "[null,1,2,3,4]"
        );
        assert_eq!(
            text("array_shift_right", &[p(r#"["a","b"]"#), l(1)]),
            r#"["","a"]"#
        );
        assert_eq!(text("array_split", &[arr.clone(), l(2)]), "[[1,2],[3,4,5]]");
        assert_eq!(
            text("array_split", &[arr.clone(), p("[1,3]")]),
            "[[1],[2,3],[4,5]]"
        );
        assert_eq!(text("array_split", &[arr, l(-1)]), "[[1,2,3,4],[5]]");
    }
}
