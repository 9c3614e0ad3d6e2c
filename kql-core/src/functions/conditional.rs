//! Conditional functions: `iff`/`iif`, `case`, `coalesce`. Result types are the common type
//! of the branches ([`super::common_type`]); the engine converts each row's result to it.

use super::args::{bool_arg, check, Kind};
use super::{common_type, Naming, ScalarFunction};
use crate::scalar;
use crate::types::DataType;
use crate::value::Value;

/// The conditional functions.
pub static FUNCTIONS: &[ScalarFunction] = &[
    scalar!("iff", 3..=3, => |a: &[DataType]| iff_type("iff", a), Naming::Default, |v, _| iff(v)),
    scalar!("iif", 3..=3, => |a: &[DataType]| iff_type("iif", a), Naming::Default, |v, _| iff(v)),
    scalar!("case", 3..=1_000_000, => case_type, Naming::Default, |v, _| case(v)),
    scalar!("coalesce", 2..=64, => |a: &[DataType]| {
        common_type(a).map_err(|e| format!("`coalesce`: {e}"))
    }, Naming::Default, |v, _| coalesce(v)),
];

fn iff_type(name: &str, a: &[DataType]) -> Result<DataType, String> {
    check(name, &a[..1], &[Kind::Bool])?;
    common_type(&a[1..]).map_err(|e| format!("`{name}`: {e}"))
}

/// `iff(cond, then, else)`: a null (or non-bool) condition takes the else branch (§6).
fn iff(v: &[Value]) -> Value {
    if truthy(&v[0]) {
        v[1].clone()
    } else {
        v[2].clone()
    }
}

/// True only for a true bool (a dynamic bool unwraps); null is not true.
fn truthy(v: &Value) -> bool {
    bool_arg(v) == Some(true)
}

fn case_type(a: &[DataType]) -> Result<DataType, String> {
    if a.len() % 2 != 1 {
        return Err(format!(
            "`case` takes predicate/value pairs and a final else value (an odd number of arguments), got {}",
            a.len()
        ));
    }
    let mut values = Vec::with_capacity(a.len() / 2 + 1);
    for (i, pair) in a.chunks(2).enumerate() {
        if let [pred, value] = pair {
            if *pred != DataType::Bool && *pred != DataType::Dynamic {
                return Err(format!(
                    "argument {} of `case` must be a bool, got {pred}",
                    2 * i + 1
                ));
            }
            values.push(*value);
        } else {
            values.extend_from_slice(pair);
        }
    }
    common_type(&values).map_err(|e| format!("`case`: {e}"))
}

/// `case(p1, v1, …, else)`: the value of the first true predicate; a null predicate is not
/// true (§6).
fn case(v: &[Value]) -> Value {
    for pair in v.chunks(2) {
        match pair {
            [pred, value] if truthy(pred) => return value.clone(),
            [last] => return last.clone(),
            _ => {}
        }
    }
    Value::Null
}

/// `coalesce(a, b, …)`: the first non-null value; for strings the first non-empty one
/// (documented). All null/empty → null (`""` once converted to string).
fn coalesce(v: &[Value]) -> Value {
    v.iter()
        .find(|x| match x {
            Value::Null => false,
            Value::String(s) => !s.is_empty(),
            Value::Dynamic(j) => !j.is_null(),
            _ => true,
        })
        .cloned()
        .unwrap_or(Value::Null)
}

#[cfg(test)]
mod tests {
    use crate::functions::registry;
    use crate::functions::testing::call;
    use crate::types::DataType;
    use crate::value::Value;

    fn sig(name: &str, args: &[DataType]) -> Result<DataType, String> {
        (registry::scalar(name).expect("function exists").signature)(args)
    }

    #[test]
    fn iff_and_case() {
        let (a, b) = (Value::string("a"), Value::string("b"));
        assert_eq!(call("iff", &[Value::Bool(true), a.clone(), b.clone()]), a);
        assert_eq!(call("iif", &[Value::Bool(false), a.clone(), b.clone()]), b);
        // Null condition → else.
        assert_eq!(call("iff", &[Value::Null, a.clone(), b.clone()]), b);
        let arr = crate::functions::conversion::parse_json_text("[true]");
        assert_eq!(call("iff", &[arr, a.clone(), b.clone()]), b);
        let t = crate::functions::conversion::parse_json_text("true");
        assert_eq!(call("iff", &[t, a.clone(), b.clone()]), a);
        let args = [
            Value::Bool(false),
            Value::Long(1),
            Value::Null,
            Value::Long(2),
            Value::Bool(true),
            Value::Long(3),
            Value::Long(4),
        ];
        assert_eq!(call("case", &args), Value::Long(3));
        assert_eq!(
            call(
                "case",
                &[Value::Bool(false), Value::Long(1), Value::Long(9)]
            ),
            Value::Long(9)
        );
        assert_eq!(
            sig("iff", &[DataType::Bool, DataType::Int, DataType::Real]),
            Ok(DataType::Real)
        );
        assert!(sig("iff", &[DataType::String, DataType::Int, DataType::Int]).is_err());
        assert!(sig("case", &[DataType::Bool, DataType::Int]).is_err());
        assert_eq!(
            sig("case", &[DataType::Bool, DataType::Long, DataType::Int]),
            Ok(DataType::Long)
        );
    }

    #[test]
    fn coalesce_examples() {
        // Documented example: coalesce(tolong("not a number"), tolong("42"), 33) = 42; and the
        // documented rule for strings: the first non-empty one.
        assert_eq!(
            call("coalesce", &[Value::Null, Value::Long(42), Value::Long(33)]),
            Value::Long(42)
        );
        assert_eq!(
            call("coalesce", &[Value::string(""), Value::string("hello")]),
            Value::string("hello")
        );
        assert_eq!(call("coalesce", &[Value::Null, Value::Null]), Value::Null);
    }
}
