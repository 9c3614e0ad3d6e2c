//! Every built-in function once: its signature (read by `analyze`) beside its kernel (called by
//! `exec`), one file per area. A kernel computes one row from argument values; `exec` lifts it
//! over columns (once per distinct value for dictionary-encoded strings).

pub mod args;
pub mod arrays;
pub mod bag;
pub mod bits;
pub mod conditional;
pub mod conversion;
pub mod convert;
pub mod datetime;
pub mod dynamic;
pub mod encoding;
pub mod hashing;
pub mod math;
pub mod network;
pub mod operators;
pub mod period;
pub mod regex;
pub mod registry;
pub mod sketch;
pub mod string;
#[cfg(test)]
mod testing;
pub mod time;
pub mod timefmt;
pub mod version;
pub mod xml;

pub use registry::{Context, Naming, ScalarFunction};

use crate::types::DataType;
use crate::value::Value;
use std::borrow::Cow;

/// Every area's function table; `registry::scalar` searches them in order.
pub static SCALARS: &[&[ScalarFunction]] = &[
    operators::FUNCTIONS,
    string::FUNCTIONS,
    convert::FUNCTIONS,
    conditional::FUNCTIONS,
    math::FUNCTIONS,
    regex::FUNCTIONS,
    dynamic::FUNCTIONS,
    bag::FUNCTIONS,
    arrays::FUNCTIONS,
    time::FUNCTIONS,
    period::FUNCTIONS,
    timefmt::FUNCTIONS,
    encoding::FUNCTIONS,
    hashing::FUNCTIONS,
    network::FUNCTIONS,
    bits::FUNCTIONS,
    xml::FUNCTIONS,
    sketch::FUNCTIONS,
    version::FUNCTIONS,
];

/// Defines a [`ScalarFunction`] entry:
/// `scalar!("strlen", 1..=1, Long, Naming::Prefix("strlen"), kernel)` for a fixed result type,
/// `scalar!("iff", 3..=3, => result_fn, Naming::Default, kernel)` for a computed one.
#[macro_export]
#[doc(hidden)]
macro_rules! scalar {
    ($name:literal, $min:literal..=$max:literal, => $ret:expr, $naming:expr, $kernel:expr) => {
        $crate::functions::ScalarFunction {
            name: $name,
            signature: |args| {
                $crate::functions::check_arity($name, args, $min, $max)?;
                $ret(args)
            },
            naming: $naming,
            kernel: $kernel,
        }
    };
    ($name:literal, $min:literal..=$max:literal, $ret:ident, $naming:expr, $kernel:expr) => {
        $crate::functions::ScalarFunction {
            name: $name,
            signature: |args| {
                $crate::functions::check_arity($name, args, $min, $max)?;
                Ok($crate::types::DataType::$ret)
            },
            naming: $naming,
            kernel: $kernel,
        }
    };
}

/// Fails with a message naming the function when the argument count is out of range.
pub fn check_arity(name: &str, args: &[DataType], min: usize, max: usize) -> Result<(), String> {
    let n = args.len();
    if n < min || n > max {
        let expected = if min == max {
            format!("{min}")
        } else if max >= 64 {
            format!("at least {min}")
        } else {
            format!("{min} to {max}")
        };
        return Err(format!(
            "`{name}` takes {expected} argument{}, got {n}",
            if expected == "1" { "" } else { "s" }
        ));
    }
    Ok(())
}

/// A row value as text: strings as they are, other values through `tostring`.
pub fn text(v: &Value) -> Cow<'_, str> {
    match v {
        Value::String(s) => Cow::Borrowed(s),
        other => Cow::Owned(conversion::to_string(other)),
    }
}

/// The common type of branches (`iff`, `case`, `coalesce`): equal types stay; numbers widen
/// (int < long < real); dynamic absorbs anything.
pub fn common_type(types: &[DataType]) -> Result<DataType, String> {
    let mut out = match types.first() {
        Some(&t) => t,
        None => return Ok(DataType::Dynamic),
    };
    for &t in &types[1..] {
        out = match (out, t) {
            (a, b) if a == b => a,
            (DataType::Dynamic, _) | (_, DataType::Dynamic) => DataType::Dynamic,
            (a, b) if a.is_numeric() && b.is_numeric() => widest_numeric(a, b),
            (a, b) => return Err(format!("branches have different types: {a} and {b}")),
        };
    }
    Ok(out)
}

/// The wider of two numeric types.
pub fn widest_numeric(a: DataType, b: DataType) -> DataType {
    use DataType::*;
    match (a, b) {
        (Real, _) | (_, Real) => Real,
        (Decimal, _) | (_, Decimal) => Decimal,
        (Long, _) | (_, Long) => Long,
        _ => Int,
    }
}
