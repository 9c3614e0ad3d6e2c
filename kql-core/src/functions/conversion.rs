//! Conversions between types: the `to*()` rules of the semantics reference §3.5 and the text
//! forms of §3.6. Every other part of the engine converts through here.

use crate::decimal::Decimal;
use crate::functions::datetime::{
    format_datetime_iso, format_timespan, parse_datetime, parse_timespan,
};
use crate::types::DataType;
use crate::value::{Json, Value};
use std::sync::Arc;

/// `tostring(v)`: null → `""`, dynamic strings unquoted, arrays/bags as compact JSON.
///
/// ```
/// use kql_core::{functions::conversion::to_string, Value};
/// assert_eq!(to_string(&Value::Long(42)), "42");
/// assert_eq!(to_string(&Value::Null), "");
/// assert_eq!(to_string(&Value::Real(1.5)), "1.5");
/// ```
pub fn to_string(v: &Value) -> String {
    to_string_with(v, true)
}

/// The text of `v` as [`to_string`] writes it, except for datetimes: their fraction of a second
/// has all seven digits when `full_fraction` (as `tostring()` writes it) and otherwise appears
/// only when non-zero, without trailing zeros (as table output shows it).
///
/// ```
/// use kql_core::functions::conversion::to_string_with;
/// use kql_core::functions::datetime::parse_datetime;
/// use kql_core::Value;
/// let t = Value::DateTime(parse_datetime("2024-05-01 04:36:18").unwrap());
/// assert_eq!(to_string_with(&t, true), "2024-05-01T04:36:18.0000000Z");
/// assert_eq!(to_string_with(&t, false), "2024-05-01T04:36:18Z");
/// assert_eq!(to_string_with(&Value::Long(7), false), "7");
/// ```
pub fn to_string_with(v: &Value, full_fraction: bool) -> String {
    match v {
        Value::Null => String::new(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Long(i) => i.to_string(),
        Value::Real(r) => format_real(*r),
        Value::Decimal(d) => d.to_string(),
        Value::String(s) => s.to_string(),
        Value::DateTime(t) => format_datetime_iso(*t, full_fraction),
        Value::TimeSpan(t) => format_timespan(*t),
        Value::Guid(g) => format_guid(*g),
        Value::Dynamic(j) => json_to_string(j),
    }
}

/// The text of a JSON value as `tostring` gives it: strings raw, the rest as compact JSON.
pub fn json_to_string(j: &Json) -> String {
    match j {
        Json::Null => String::new(),
        Json::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Reals as Kusto prints them: `NaN`, `Infinity`, `-Infinity`, otherwise the shortest text
/// that reads back to the same value (`1` for 1.0 — [REC] in the semantics reference §3.6).
pub fn format_real(r: f64) -> String {
    if r.is_nan() {
        "NaN".into()
    } else if r.is_infinite() {
        if r > 0.0 { "Infinity" } else { "-Infinity" }.into()
    } else {
        format!("{r}")
    }
}

/// A guid as lower-case 8-4-4-4-12 text.
pub fn format_guid(g: u128) -> String {
    let h = format!("{g:032x}");
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

/// Parses 8-4-4-4-12 (or 32 hex digits) guid text.
pub fn parse_guid(s: &str) -> Option<u128> {
    let t = s.trim();
    let hex: String = t.chars().filter(|&c| c != '-').collect();
    let groups: Vec<usize> = t.split('-').map(str::len).collect();
    let shaped = groups == [8, 4, 4, 4, 12] || (groups == [32]);
    if !shaped || hex.len() != 32 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    u128::from_str_radix(&hex, 16).ok()
}

/// The scalar a JSON value holds: numbers as long/real, strings, bools; arrays and bags stay
/// dynamic; JSON null is null.
pub fn json_to_value(j: &Json) -> Value {
    match j {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::Bool(*b),
        Json::Number(n) => match n.as_i64() {
            Some(i) => Value::Long(i),
            None => n.as_f64().map_or(Value::Null, Value::Real),
        },
        Json::String(s) => Value::string(s),
        other => Value::Dynamic(Arc::new(other.clone())),
    }
}

/// A value as JSON, for building dynamic values (`pack_array`, `make_list`, output).
pub fn value_to_json(v: &Value) -> Json {
    match v {
        Value::Null => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Int(i) => Json::from(*i),
        Value::Long(i) => Json::from(*i),
        Value::Real(r) => serde_json::Number::from_f64(*r)
            .map_or_else(|| Json::String(format_real(*r)), Json::Number),
        // Exact when the decimal is an integer that fits 64 bits; otherwise the nearest real.
        Value::Decimal(d) => match d.trunc_i64() {
            Some(i) if Decimal::from_i128(i128::from(i)) == *d => Json::from(i),
            _ => value_to_json(&Value::Real(d.to_f64())),
        },
        Value::String(s) => Json::String(s.to_string()),
        Value::DateTime(t) => Json::String(format_datetime_iso(*t, true)),
        Value::TimeSpan(t) => Json::String(format_timespan(*t)),
        Value::Guid(g) => Json::String(format_guid(*g)),
        Value::Dynamic(j) => (**j).clone(),
    }
}

/// `parse_json(s)`: valid JSON → its value; `""` → null; invalid JSON → a dynamic string.
pub fn parse_json_text(s: &str) -> Value {
    if s.is_empty() {
        return Value::Null;
    }
    match serde_json::from_str::<Json>(s) {
        Ok(j) => Value::dynamic(j),
        Err(_) => Value::Dynamic(Arc::new(Json::String(s.to_string()))),
    }
}

/// Converts `v` to `ty` with the `to<type>()` rules; failure gives null (`""` for string).
pub fn convert(v: &Value, ty: DataType) -> Value {
    if let Value::Dynamic(j) = v {
        return match ty {
            DataType::Dynamic => v.clone(),
            DataType::String => Value::string(json_to_string(j)),
            _ => match **j {
                Json::Array(_) | Json::Object(_) => Value::Null,
                _ => convert(&json_to_value(j), ty),
            },
        };
    }
    match ty {
        DataType::String => Value::string(to_string(v)),
        DataType::Bool => to_bool(v).map_or(Value::Null, Value::Bool),
        DataType::Long => to_long(v).map_or(Value::Null, Value::Long),
        DataType::Int => to_long(v)
            .and_then(|i| i32::try_from(i).ok())
            .map_or(Value::Null, Value::Int),
        DataType::Real => to_real(v).map_or(Value::Null, Value::Real),
        DataType::Decimal => to_decimal(v).map_or(Value::Null, Value::Decimal),
        DataType::DateTime => match v {
            Value::DateTime(t) => Value::DateTime(*t),
            Value::String(s) => parse_datetime(s).map_or(Value::Null, Value::DateTime),
            _ => Value::Null,
        },
        DataType::TimeSpan => match v {
            Value::TimeSpan(t) => Value::TimeSpan(*t),
            Value::String(s) => parse_timespan(s).map_or(Value::Null, Value::TimeSpan),
            Value::Long(i) => Value::TimeSpan(*i),
            Value::Int(i) => Value::TimeSpan(*i as i64),
            _ => Value::Null,
        },
        DataType::Guid => match v {
            Value::Guid(g) => Value::Guid(*g),
            Value::String(s) => parse_guid(s).map_or(Value::Null, Value::Guid),
            _ => Value::Null,
        },
        DataType::Dynamic => Value::dynamic(value_to_json(v)),
    }
}

/// The scalar a dynamic value holds, or `None` for arrays and bags (which convert to nothing).
fn dynamic_scalar(j: &Json) -> Option<Value> {
    match j {
        Json::Array(_) | Json::Object(_) => None,
        other => Some(json_to_value(other)),
    }
}

/// `todecimal`: exact for integers, decimal text and decimals; reals by their shortest
/// digits; bools as 1/0.
pub fn to_decimal(v: &Value) -> Option<Decimal> {
    match v {
        Value::Decimal(d) => Some(*d),
        Value::Bool(b) => Some(Decimal::from_i128(i128::from(*b))),
        Value::Int(i) => Some(Decimal::from_i128(i128::from(*i))),
        Value::Long(i) => Some(Decimal::from_i128(i128::from(*i))),
        Value::Real(r) => Decimal::from_f64(*r),
        Value::String(s) => Decimal::parse(s),
        Value::Dynamic(j) => match &**j {
            // The number's own text keeps every digit it was written with.
            Json::Number(n) => Decimal::parse(&n.to_string()),
            _ => to_decimal(&dynamic_scalar(j)?),
        },
        _ => None,
    }
}

/// `tobool`: `"true"`/`"false"` (any case), non-zero numbers true, zero false.
pub fn to_bool(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::Int(i) => Some(*i != 0),
        Value::Long(i) => Some(*i != 0),
        Value::Real(r) => Some(*r != 0.0),
        Value::Decimal(d) => Some(!d.is_zero()),
        Value::String(s) => {
            let t = s.trim();
            if t.eq_ignore_ascii_case("true") {
                Some(true)
            } else if t.eq_ignore_ascii_case("false") {
                Some(false)
            } else {
                t.parse::<i64>().ok().map(|i| i != 0)
            }
        }
        Value::Dynamic(j) => to_bool(&dynamic_scalar(j)?),
        _ => None,
    }
}

/// `tolong`: integer text, numbers (reals truncate toward zero), bools as 1/0, datetime and
/// timespan as ticks.
pub fn to_long(v: &Value) -> Option<i64> {
    match v {
        Value::Bool(b) => Some(*b as i64),
        Value::Int(i) => Some(*i as i64),
        Value::Long(i) => Some(*i),
        Value::Real(r) => (r.is_finite() && r.abs() < 9.2e18).then(|| r.trunc() as i64),
        Value::Decimal(d) => d.trunc_i64(),
        // Integer text only: `tolong("12.5")` is null ([REC] in the semantics reference §3.5).
        Value::String(s) => s.trim().parse::<i64>().ok(),
        Value::DateTime(t) | Value::TimeSpan(t) => Some(*t),
        Value::Dynamic(j) => to_long(&dynamic_scalar(j)?),
        _ => None,
    }
}

/// `toreal`: numbers, real text (`NaN`, `Infinity` too), bools as 1/0.
pub fn to_real(v: &Value) -> Option<f64> {
    match v {
        Value::Bool(b) => Some(*b as i64 as f64),
        Value::Int(i) => Some(*i as f64),
        Value::Long(i) => Some(*i as f64),
        Value::Real(r) => Some(*r),
        Value::Decimal(d) => Some(d.to_f64()),
        Value::String(s) => {
            let t = s.trim();
            match t {
                "NaN" | "nan" => Some(f64::NAN),
                "Infinity" | "inf" | "+inf" => Some(f64::INFINITY),
                "-Infinity" | "-inf" => Some(f64::NEG_INFINITY),
                _ if t
                    .bytes()
                    .all(|b| b.is_ascii_digit() || b"+-.eE".contains(&b))
                    && !t.is_empty() =>
                {
                    t.parse().ok()
                }
                _ => None,
            }
        }
        Value::TimeSpan(t) => Some(*t as f64),
        Value::Dynamic(j) => to_real(&dynamic_scalar(j)?),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversions_follow_the_reference() {
        assert_eq!(
            convert(&Value::string("123"), DataType::Long),
            Value::Long(123)
        );
        assert_eq!(convert(&Value::string("abc"), DataType::Long), Value::Null);
        assert_eq!(convert(&Value::Real(2.7), DataType::Int), Value::Int(2));
        assert_eq!(
            convert(&Value::string("TRUE"), DataType::Bool),
            Value::Bool(true)
        );
        assert_eq!(convert(&Value::string("yes"), DataType::Bool), Value::Null);
        assert_eq!(convert(&Value::Null, DataType::String), Value::string(""));
        let d = parse_json_text("{\"a\":5}");
        assert_eq!(to_string(&d), "{\"a\":5}");
        assert_eq!(parse_json_text(""), Value::Null);
        assert_eq!(to_string(&parse_json_text("not json")), "not json");
    }

    #[test]
    fn arrays_and_bags_convert_to_null_without_recursing() {
        // Regression: these recursed forever on a dynamic array.
        let arr = parse_json_text("[1]");
        assert_eq!(to_bool(&arr), None);
        assert_eq!(to_long(&arr), None);
        assert_eq!(to_real(&parse_json_text("{\"a\":1}")), None);
        assert_eq!(to_long(&parse_json_text("5")), Some(5));
        assert_eq!(to_long(&Value::string("12.5")), None);
    }

    #[test]
    fn guids_round_trip() {
        let g = parse_guid("74be27de-1e4e-49d9-b579-fe0b331d3642").unwrap();
        assert_eq!(format_guid(g), "74be27de-1e4e-49d9-b579-fe0b331d3642");
        assert_eq!(parse_guid("74be27de"), None);
    }
}
