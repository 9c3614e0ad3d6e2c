//! Bitwise functions on `long`: `binary_and`, `binary_or`, `binary_xor`, `binary_not`,
//! `binary_shift_left`, `binary_shift_right`, `bitset_count_ones`. A null argument gives null.
//! Each names its column after its first argument (Kusto.Language `Functions.cs`).

use super::args::{check, int_arg, Kind};
use super::{Naming, ScalarFunction};
use crate::scalar;
use crate::types::DataType;
use crate::value::Value;

/// A `long` function of two integers.
macro_rules! binary {
    ($name:literal, $f:expr) => {
        scalar!($name, 2..=2, => |a: &[DataType]| long_of_ints($name, a), Naming::FirstArg, |v, _| {
            match (int_arg(&v[0]), int_arg(&v[1])) {
                (Some(a), Some(b)) => Value::Long($f(a, b)),
                _ => Value::Null,
            }
        })
    };
}

/// The bitwise functions.
pub static FUNCTIONS: &[ScalarFunction] = &[
    binary!("binary_and", |a: i64, b: i64| a & b),
    binary!("binary_or", |a: i64, b: i64| a | b),
    binary!("binary_xor", |a: i64, b: i64| a ^ b),
    // Shift counts are taken modulo 64, as .NET's `<<`/`>>` on a 64-bit integer do (Kusto's
    // documentation gives no rule for counts outside 0..63); `>>` is arithmetic.
    binary!("binary_shift_left", |a: i64, n: i64| a
        .wrapping_shl(n as u32)),
    binary!("binary_shift_right", |a: i64, n: i64| a
        .wrapping_shr(n as u32)),
    scalar!("binary_not", 1..=1, => |a: &[DataType]| long_of_ints("binary_not", a), Naming::FirstArg, |v, _| {
        int_arg(&v[0]).map_or(Value::Null, |a| Value::Long(!a))
    }),
    scalar!("bitset_count_ones", 1..=1, => |a: &[DataType]| long_of_ints("bitset_count_ones", a), Naming::FirstArg, |v, _| {
        int_arg(&v[0]).map_or(Value::Null, |a| Value::Long(a.count_ones() as i64))
    }),
];

fn long_of_ints(name: &str, a: &[DataType]) -> Result<DataType, String> {
    check(name, a, &[Kind::Int])?;
    Ok(DataType::Long)
}

#[cfg(test)]
mod tests {
    use crate::functions::testing::call;

    use crate::value::Value;

    #[test]
    fn bitwise() {
        let l = Value::Long;
        assert_eq!(call("binary_and", &[l(12), l(10)]), l(8));
        assert_eq!(call("binary_or", &[l(12), l(10)]), l(14));
        assert_eq!(call("binary_xor", &[l(12), l(10)]), l(6));
        assert_eq!(call("binary_not", &[l(100)]), l(-101));
        // Worked by hand; bitset_count_ones(42) = 3 is the documented example.
        assert_eq!(call("binary_shift_left", &[l(1), l(2)]), l(4));
        assert_eq!(call("binary_shift_right", &[l(8), l(2)]), l(2));
        assert_eq!(call("binary_shift_right", &[l(-8), l(1)]), l(-4));
        assert_eq!(call("binary_shift_left", &[l(1), l(65)]), l(2));
        assert_eq!(call("bitset_count_ones", &[l(42)]), l(3));
        assert_eq!(call("binary_and", &[Value::Null, l(1)]), Value::Null);
    }
}
