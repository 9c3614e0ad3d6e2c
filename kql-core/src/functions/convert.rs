//! Conversion functions: `tostring`, `tolong`, `toint`, `todouble`/`toreal`, `todecimal`,
//! `tobool`, `todatetime`, `totimespan`, `toguid`, `todynamic`/`parse_json`, `gettype`,
//! `tohex`. The rules live in [`super::conversion`] (semantics reference §3.5).

use super::args::{check, int_arg, Kind};
use super::conversion::{convert, parse_json_text};
use super::{Naming, ScalarFunction};
use crate::scalar;
use crate::types::DataType;
use crate::value::{Json, Value};

/// The conversion functions.
pub static FUNCTIONS: &[ScalarFunction] = &[
    scalar!("tostring", 1..=1, String, Naming::FirstArg, |v, _| convert(
        &v[0],
        DataType::String
    )),
    scalar!("tolong", 1..=1, Long, Naming::FirstArg, |v, _| convert(
        &v[0],
        DataType::Long
    )),
    scalar!("toint", 1..=1, Int, Naming::FirstArg, |v, _| convert(
        &v[0],
        DataType::Int
    )),
    scalar!("todouble", 1..=1, Real, Naming::FirstArg, |v, _| convert(
        &v[0],
        DataType::Real
    )),
    scalar!("toreal", 1..=1, Real, Naming::FirstArg, |v, _| convert(
        &v[0],
        DataType::Real
    )),
    scalar!("todecimal", 1..=1, Decimal, Naming::FirstArg, |v, _| {
        convert(&v[0], DataType::Decimal)
    }),
    scalar!("tobool", 1..=1, Bool, Naming::FirstArg, |v, _| convert(
        &v[0],
        DataType::Bool
    )),
    scalar!("toboolean", 1..=1, Bool, Naming::FirstArg, |v, _| convert(
        &v[0],
        DataType::Bool
    )),
    scalar!("todatetime", 1..=1, DateTime, Naming::FirstArg, |v, _| {
        convert(&v[0], DataType::DateTime)
    }),
    scalar!("todate", 1..=1, DateTime, Naming::FirstArg, |v, _| convert(
        &v[0],
        DataType::DateTime
    )),
    scalar!("totimespan", 1..=1, TimeSpan, Naming::FirstArg, |v, _| {
        convert(&v[0], DataType::TimeSpan)
    }),
    scalar!("totime", 1..=1, TimeSpan, Naming::FirstArg, |v, _| convert(
        &v[0],
        DataType::TimeSpan
    )),
    scalar!("toguid", 1..=1, Guid, Naming::FirstArg, |v, _| convert(
        &v[0],
        DataType::Guid
    )),
    scalar!("parse_json", 1..=1, Dynamic, Naming::FirstArg, |v, _| {
        to_dynamic(&v[0])
    }),
    scalar!("parsejson", 1..=1, Dynamic, Naming::FirstArg, |v, _| {
        to_dynamic(&v[0])
    }),
    scalar!("todynamic", 1..=1, Dynamic, Naming::FirstArg, |v, _| {
        to_dynamic(&v[0])
    }),
    scalar!("toobject", 1..=1, Dynamic, Naming::FirstArg, |v, _| {
        to_dynamic(&v[0])
    }),
    scalar!("gettype", 1..=1, String, Naming::Prefix("type"), |v, _| {
        Value::string(type_name(&v[0]))
    }),
    scalar!("tohex", 1..=2, => |a: &[DataType]| {
        check("tohex", a, &[Kind::Int, Kind::Int])?;
        Ok(DataType::String)
    }, Naming::FirstArg, |v, _| to_hex(&v[0], v.get(1))),
];

/// `parse_json(x)` / `todynamic(x)`: text is parsed (invalid JSON → a dynamic string, `""` →
/// null, §3.5); a dynamic is returned as is; other scalars become the dynamic holding them.
pub fn to_dynamic(v: &Value) -> Value {
    match v {
        Value::String(s) => parse_json_text(s),
        Value::Dynamic(_) | Value::Null => v.clone(),
        other => convert(other, DataType::Dynamic),
    }
}

/// `gettype(x)`: the runtime type name. Documented examples: `gettype(111)` → `long`,
/// `gettype(parse_json('1'))` → `int`, bags → `dictionary`, arrays → `array`,
/// `gettype(parse_json(''))` → `null`, `gettype(123.45)` → `real`.
///
/// A typed null (a null `long` column) reaches the kernel as `Value::Null` without its static
/// type, so it reports `null` too — a known gap.
pub fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Int(_) => "int",
        Value::Long(_) => "long",
        Value::Real(_) => "real",
        Value::Decimal(_) => "decimal",
        Value::String(_) => "string",
        Value::DateTime(_) => "datetime",
        Value::TimeSpan(_) => "timespan",
        Value::Guid(_) => "guid",
        Value::Dynamic(j) => match &**j {
            Json::Null => "null",
            Json::Bool(_) => "bool",
            // A dynamic integer that fits 32 bits is an `int` (doc: `parse_json('1')` → int).
            Json::Number(n) => match n.as_i64() {
                Some(i) if i32::try_from(i).is_ok() => "int",
                Some(_) => "long",
                None => "real",
            },
            Json::String(_) => "string",
            Json::Array(_) => "array",
            Json::Object(_) => "dictionary",
        },
    }
}

/// `tohex(value[, minLength])`: lower-case hex; negative values in two's complement
/// (documented: `tohex(-256)` → `ffffffffffffff00`, `tohex(toint(-256), 8)` → `ffffff00`:
/// `int` values use 32 bits); padded with
/// zeros to `minLength`. Null → `""`.
fn to_hex(v: &Value, min_len: Option<&Value>) -> Value {
    let digits = match super::args::scalar(v) {
        Value::Int(i) => format!("{:x}", i as u32),
        other => match int_arg(&other) {
            Some(i) => format!("{:x}", i as u64),
            None => return Value::string(""),
        },
    };
    let width = min_len.and_then(int_arg).unwrap_or(0).clamp(0, 1024) as usize;
    Value::string(format!("{digits:0>width$}"))
}

#[cfg(test)]
mod tests {
    use crate::functions::testing::{call, s};

    use crate::value::Value;

    #[test]
    fn to_functions() {
        assert_eq!(call("tolong", &[s("123")]), Value::Long(123));
        assert_eq!(call("tolong", &[s("abc")]), Value::Null);
        // Doc: `toint(2.3)` → 2.
        assert_eq!(call("toint", &[Value::Real(2.3)]), Value::Int(2));
        assert_eq!(call("tostring", &[Value::Null]), s(""));
        assert_eq!(call("tobool", &[s("yes")]), Value::Null);
        assert_eq!(call("todouble", &[s("1.5")]), Value::Real(1.5));
        assert!(matches!(
            call("todatetime", &[s("2015-12-31")]),
            Value::DateTime(_)
        ));
        assert_eq!(call("todatetime", &[s("nope")]), Value::Null);
    }

    #[test]
    fn parse_json_rules() {
        // §3.5: invalid JSON → a dynamic string; "" → null.
        assert_eq!(
            call("tostring", &[call("parse_json", &[s("not json")])]),
            s("not json")
        );
        assert_eq!(call("parse_json", &[s("")]), Value::Null);
        let d = call("todynamic", &[s("{\"a\":[1,2]}")]);
        assert_eq!(
            call("tostring", std::slice::from_ref(&d)),
            s("{\"a\":[1,2]}")
        );
        assert_eq!(call("parse_json", std::slice::from_ref(&d)), d);
    }

    #[test]
    fn gettype_examples() {
        // Documented examples of gettype().
        assert_eq!(call("gettype", &[s("a")]), s("string"));
        assert_eq!(call("gettype", &[Value::Long(111)]), s("long"));
        assert_eq!(call("gettype", &[Value::Bool(true)]), s("bool"));
        assert_eq!(call("gettype", &[Value::TimeSpan(1)]), s("timespan"));
        assert_eq!(call("gettype", &[call("parse_json", &[s("1")])]), s("int"));
        assert_eq!(
            call("gettype", &[call("parse_json", &[s(" \"abc\" ")])]),
            s("string")
        );
        assert_eq!(
            call("gettype", &[call("parse_json", &[s(" {\"abc\":1} ")])]),
            s("dictionary")
        );
        assert_eq!(
            call("gettype", &[call("parse_json", &[s(" [1, 2, 3] ")])]),
            s("array")
        );
        assert_eq!(call("gettype", &[Value::Real(123.45)]), s("real"));
        assert_eq!(call("gettype", &[call("parse_json", &[s("")])]), s("null"));
    }

    #[test]
    fn tohex_examples() {
        // Documented: tohex(256) → "100", tohex(-256) → "ffffffffffffff00",
        // tohex(toint(-256), 8) → "ffffff00", tohex(256, 8) → "00000100".
        assert_eq!(call("tohex", &[Value::Long(256)]), s("100"));
        assert_eq!(call("tohex", &[Value::Long(-256)]), s("ffffffffffffff00"));
        assert_eq!(
            call("tohex", &[Value::Int(-256), Value::Long(8)]),
            s("ffffff00")
        );
        assert_eq!(
            call("tohex", &[Value::Long(256), Value::Long(8)]),
            s("00000100")
        );
        assert_eq!(call("tohex", &[Value::Null]), s(""));
    }
}
