//! Dynamic array functions (property bags are in [`super::bag`]). Results are
//! `Value::Dynamic` or null; a non-array argument where an array is needed gives null.

use super::args::{array, array_value, bool_arg, check, find_nth, int_arg, Kind};
use super::conversion::{json_to_value, value_to_json};
use super::operators::equals;
use super::{Naming, ScalarFunction};
use crate::scalar;
use crate::types::DataType;
use crate::value::{Json, Value};
use std::cmp::Ordering;

/// The dynamic functions.
pub static FUNCTIONS: &[ScalarFunction] = &[
    // dynamic_to_json(d): the canonical JSON text of `d`, property-bag keys sorted (documented:
    // "the keys of property bags are sorted"); a non-dynamic value is taken as its JSON.
    scalar!("dynamic_to_json", 1..=1, String, Naming::Default, |v, _| {
        Value::string(sorted_json(&crate::functions::conversion::value_to_json(&v[0])).to_string())
    }),
    scalar!("array_length", 1..=1, Long, Naming::Default, |v, _| {
        array(&v[0]).map_or(Value::Null, |a| Value::Long(a.len() as i64))
    }),
    scalar!(
        "pack_array",
        1..=1_000_000,
        Dynamic,
        Naming::Default,
        |v, _| { array_value(v.iter().map(value_to_json).collect()) }
    ),
    scalar!("array_concat", 1..=64, Dynamic, Naming::Default, |v, _| {
        let mut out = Vec::new();
        for a in v {
            match array(a) {
                Some(items) => out.extend(items.iter().cloned()),
                None => return Value::Null,
            }
        }
        array_value(out)
    }),
    scalar!("array_slice", 3..=3, => |a: &[DataType]| {
        check("array_slice", a, &[Kind::Any, Kind::Num, Kind::Num])?;
        Ok(DataType::Dynamic)
    }, Naming::Default, |v, _| array_slice(v)),
    scalar!("array_reverse", 1..=1, Dynamic, Naming::Default, |v, _| {
        array(&v[0]).map_or(Value::Null, |a| {
            array_value(a.iter().rev().cloned().collect())
        })
    }),
    scalar!("array_sum", 1..=1, Real, Naming::Default, |v, _| {
        // Documented: a double; null if an element is not numeric.
        let Some(items) = array(&v[0]) else {
            return Value::Null;
        };
        items
            .iter()
            .map(Json::as_f64)
            .sum::<Option<f64>>()
            .map_or(Value::Null, Value::Real)
    }),
    scalar!("array_index_of", 2..=5, => |a: &[DataType]| {
        check("array_index_of", a, &[Kind::Any, Kind::Any, Kind::Num])?;
        Ok(DataType::Long)
    }, Naming::Default, |v, _| array_index_of(v)),
    scalar!("set_equals", 2..=2, Bool, Naming::Default, |v, _| {
        // Same distinct elements in both arrays, order and repetition aside.
        match (array(&v[0]), array(&v[1])) {
            (Some(a), Some(b)) => {
                Value::Bool(a.iter().all(|e| b.contains(e)) && b.iter().all(|e| a.contains(e)))
            }
            _ => Value::Null,
        }
    }),
    scalar!("set_has_element", 2..=2, Bool, Naming::Default, |v, _| {
        array(&v[0]).map_or(Value::Null, |a| {
            Value::Bool(a.iter().any(|e| same(e, &v[1])))
        })
    }),
    scalar!("array_sort_asc", 1..=2, => |a: &[DataType]| sort_type("array_sort_asc", a), Naming::Default, |v, _| sort(v, false)),
    scalar!("array_sort_desc", 1..=2, => |a: &[DataType]| sort_type("array_sort_desc", a), Naming::Default, |v, _| sort(v, true)),
    scalar!(
        "set_union",
        2..=64,
        Dynamic,
        Naming::Default,
        |v, _| set_op(v, SetOp::Union)
    ),
    scalar!("set_intersect", 2..=64, Dynamic, Naming::Default, |v, _| {
        set_op(v, SetOp::Intersect)
    }),
    scalar!(
        "set_difference",
        2..=64,
        Dynamic,
        Naming::Default,
        |v, _| set_op(v, SetOp::Difference)
    ),
    scalar!("zip", 2..=64, Dynamic, Naming::Default, |v, _| {
        // Documented: shorter arrays are padded with null.
        let mut arrays = Vec::with_capacity(v.len());
        for a in v {
            match array(a) {
                Some(items) => arrays.push(items),
                None => return Value::Null,
            }
        }
        let n = arrays.iter().map(|a| a.len()).max().unwrap_or(0);
        let rows = (0..n)
            .map(|i| {
                Json::Array(
                    arrays
                        .iter()
                        .map(|a| a.get(i).cloned().unwrap_or(Json::Null))
                        .collect(),
                )
            })
            .collect();
        array_value(rows)
    }),
];

/// Element equality: `==` on the element's value, so `1` finds `1.0` and a dynamic string
/// finds the same text.
fn same(e: &Json, v: &Value) -> bool {
    equals(&json_to_value(e), v) == Some(true)
}

/// `array_slice(arr, start, end)`: inclusive `end`; negative indexes count from the end
/// (documented: `array_slice([1,2,3,4,5], 2, -1)` = `[3,4,5]`); out of range clamps.
fn array_slice(v: &[Value]) -> Value {
    let (Some(items), Some(start), Some(end)) = (array(&v[0]), int_arg(&v[1]), int_arg(&v[2]))
    else {
        return Value::Null;
    };
    let n = items.len() as i64;
    let fix = |i: i64| if i < 0 { i + n } else { i };
    let (start, end) = (fix(start).max(0), fix(end).min(n - 1));
    if start > end {
        return array_value(Vec::new());
    }
    array_value(items[start as usize..=end as usize].to_vec())
}

/// `array_index_of(arr, v[, start[, length[, occurrence]]])`: as `indexof` over elements
/// (documented; §6).
fn array_index_of(v: &[Value]) -> Value {
    let Some(items) = array(&v[0]) else {
        return Value::Null;
    };
    let opt = |i: usize, default: i64| match v.get(i) {
        None => Some(default),
        Some(x) => int_arg(x),
    };
    let (Some(start), Some(length), Some(occ)) = (opt(2, 0), opt(3, -1), opt(4, 1)) else {
        return Value::Null;
    };
    find_nth(items.len(), start, length, occ, |i, end| {
        i < end && same(&items[i], &v[1])
    })
    .map_or(Value::Null, Value::Long)
}

fn sort_type(name: &str, a: &[DataType]) -> Result<DataType, String> {
    check(name, a, &[Kind::Any, Kind::Bool])?;
    Ok(DataType::Dynamic)
}

/// Documented order of mixed elements: numbers, then strings, then everything else.
fn rank(j: &Json) -> u8 {
    match j {
        Json::Number(_) => 0,
        Json::String(_) => 1,
        _ => 2,
    }
}

fn order(a: &Json, b: &Json) -> Ordering {
    rank(a).cmp(&rank(b)).then_with(|| match (a, b) {
        (Json::Number(x), Json::Number(y)) => x
            .as_f64()
            .partial_cmp(&y.as_f64())
            .unwrap_or(Ordering::Equal),
        (Json::String(x), Json::String(y)) => x.cmp(y),
        (Json::Bool(x), Json::Bool(y)) => x.cmp(y),
        _ => a.to_string().cmp(&b.to_string()),
    })
}

/// `array_sort_asc/desc(arr[, nulls_last])` for one array (documented default: nulls last).
/// The several-arrays form is not supported (it returns several columns).
fn sort(v: &[Value], desc: bool) -> Value {
    let Some(items) = array(&v[0]) else {
        return Value::Null;
    };
    let nulls_last = v.get(1).and_then(bool_arg).unwrap_or(true);
    let (nulls, mut rest): (Vec<Json>, Vec<Json>) = items.iter().cloned().partition(Json::is_null);
    rest.sort_by(|a, b| if desc { order(b, a) } else { order(a, b) });
    let out = if nulls_last {
        rest.into_iter().chain(nulls).collect()
    } else {
        nulls.into_iter().chain(rest).collect()
    };
    array_value(out)
}

#[derive(Clone, Copy)]
enum SetOp {
    Union,
    Intersect,
    Difference,
}

/// `set_union` (distinct elements of all arrays), `set_intersect` (of the first array, those
/// in every other), `set_difference` (of the first array, those in no other). Elements are
/// compared as JSON values; first-seen order is kept.
fn set_op(v: &[Value], op: SetOp) -> Value {
    let mut arrays = Vec::with_capacity(v.len());
    for a in v {
        match array(a) {
            Some(items) => arrays.push(items),
            None => return Value::Null,
        }
    }
    let candidates: Vec<&Json> = match op {
        SetOp::Union => arrays.iter().flat_map(|a| a.iter()).collect(),
        _ => arrays[0].iter().collect(),
    };
    let mut out: Vec<Json> = Vec::new();
    for e in candidates {
        let keep = match op {
            SetOp::Union => true,
            SetOp::Intersect => arrays[1..].iter().all(|a| a.contains(e)),
            SetOp::Difference => !arrays[1..].iter().any(|a| a.contains(e)),
        };
        if keep && !out.contains(e) {
            out.push(e.clone());
        }
    }
    array_value(out)
}

/// `j` with the keys of every property bag in sorted order.
fn sorted_json(j: &Json) -> Json {
    match j {
        Json::Object(map) => {
            let mut entries: Vec<(&String, &Json)> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            Json::Object(
                entries
                    .into_iter()
                    .map(|(k, v)| (k.clone(), sorted_json(v)))
                    .collect(),
            )
        }
        Json::Array(items) => Json::Array(items.iter().map(sorted_json).collect()),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use crate::functions::conversion::{parse_json_text as p, to_string};
    use crate::functions::testing::{call, s};

    use crate::value::Value;

    fn text(name: &str, args: &[Value]) -> String {
        to_string(&call(name, args))
    }

    fn l(i: i64) -> Value {
        Value::Long(i)
    }

    #[test]
    fn arrays() {
        assert_eq!(call("array_length", &[p("[1,2,3]")]), l(3));
        assert_eq!(call("array_length", &[p("{}")]), Value::Null);
        assert_eq!(
            text("pack_array", &[l(1), s("a"), Value::Null]),
            r#"[1,"a",null]"#
        );
        assert_eq!(text("array_concat", &[p("[1,2]"), p("[3]")]), "[1,2,3]");
        assert_eq!(call("array_concat", &[p("[1,2]"), l(3)]), Value::Null);
        // Documented array_slice examples.
        assert_eq!(text("array_slice", &[p("[1,2,3]"), l(1), l(2)]), "[2,3]");
        assert_eq!(
            text("array_slice", &[p("[1,2,3,4,5]"), l(2), l(-1)]),
            "[3,4,5]"
        );
        assert_eq!(
            text("array_slice", &[p("[1,2,3,4,5]"), l(-3), l(-2)]),
            "[3,4]"
        );
        assert_eq!(text("array_slice", &[p("[1,2,3]"), l(5), l(9)]), "[]");
        assert_eq!(text("array_reverse", &[p("[1,\"b\",3]")]), r#"[3,"b",1]"#);
        // Documented: array_sum([1,2,3,4]) = 10; non-numeric → null.
        assert_eq!(call("array_sum", &[p("[1,2,3,4]")]), Value::Real(10.0));
        assert_eq!(call("array_sum", &[p("[1,\"x\"]")]), Value::Null);
        // Documented zip examples.
        assert_eq!(
            text("zip", &[p("[1,3,5]"), p("[2,4,6]")]),
            "[[1,2],[3,4],[5,6]]"
        );
        assert_eq!(
            text("zip", &[p(r#"["A",1,1.5]"#), p(r#"[{},"B"]"#)]),
            r#"[["A",{}],[1,"B"],[1.5,null]]"#
        );
    }

    #[test]
    fn searching_and_sorting() {
        let arr = p(r#"["this","is","an","example","an","example"]"#);
        assert_eq!(call("array_index_of", &[arr.clone(), s("an")]), l(2));
        assert_eq!(
            call("array_index_of", &[arr.clone(), s("example"), l(1), l(3)]),
            l(3)
        );
        assert_eq!(
            call("array_index_of", &[arr.clone(), s("example"), l(1), l(2)]),
            l(-1)
        );
        assert_eq!(
            call("array_index_of", &[arr.clone(), s("an"), l(1), l(-1), l(2)]),
            l(4)
        );
        assert_eq!(
            call("array_index_of", &[arr.clone(), s("an"), l(1), l(-1), l(3)]),
            l(-1)
        );
        assert_eq!(
            call("array_index_of", &[arr.clone(), s("is"), l(-4)]),
            l(-1)
        );
        assert_eq!(
            call("array_index_of", &[arr.clone(), s("an"), l(0), l(-2)]),
            Value::Null
        );
        assert_eq!(
            call("array_index_of", &[p("[1,2,3]"), Value::Real(2.0)]),
            l(1)
        );
        assert_eq!(
            call("set_has_element", &[arr.clone(), s("is")]),
            Value::Bool(true)
        );
        assert_eq!(
            call("set_has_element", &[p("[1,2]"), l(3)]),
            Value::Bool(false)
        );
        // Documented order: numbers, strings, then the rest; nulls last by default.
        let mixed = p(r#"["b",null,3,true,"a",1]"#);
        assert_eq!(
            text("array_sort_asc", std::slice::from_ref(&mixed)),
            r#"[1,3,"a","b",true,null]"#
        );
        assert_eq!(
            text("array_sort_desc", std::slice::from_ref(&mixed)),
            r#"[true,"b","a",3,1,null]"#
        );
        assert_eq!(
            text("array_sort_asc", &[mixed, Value::Bool(false)]),
            r#"[null,1,3,"a","b",true]"#
        );
        assert_eq!(text("array_sort_asc", &[p("[1,3,4,5,2]")]), "[1,2,3,4,5]");
    }

    #[test]
    fn sets() {
        // Documented-style examples: union keeps distinct values, intersect/difference work
        // from the first array.
        assert_eq!(
            text("set_union", &[p("[1,2,3]"), p("[1,4,2]")]),
            "[1,2,3,4]"
        );
        assert_eq!(
            text("set_intersect", &[p("[1,2,3,2]"), p("[2,3,4]")]),
            "[2,3]"
        );
        assert_eq!(
            text("set_difference", &[p("[1,2,3,1]"), p("[2]"), p("[3]")]),
            "[1]"
        );
        assert_eq!(call("set_union", &[p("[1]"), l(2)]), Value::Null);
        assert_eq!(
            call("set_equals", &[p("[1,2,2]"), p("[2,1]")]),
            Value::Bool(true)
        );
        assert_eq!(
            call("set_equals", &[p("[1,2]"), p("[1]")]),
            Value::Bool(false)
        );
    }
}
