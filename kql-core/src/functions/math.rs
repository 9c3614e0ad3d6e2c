//! Math functions: `abs`, `bin`/`floor`, `bin_at`, `round`, `ceiling`, `sign`, `sqrt`, `pow`,
//! logarithms and exponentials, trigonometry, `min_of`/`max_of`, `isnan`/`isinf`/`isfinite`,
//! `pi`. Result types and column naming follow the Kusto.Language function table
//! (`Functions.cs`): e.g. `sqrt`, `log`, `pow`, `abs`, `ceiling`, `bin_at` name their column
//! after the first argument; `sign` is real; `abs` of an integer is long.

use super::args::{check, int_arg, real_arg, scalar, Kind};
use super::datetime::{parse_datetime, parse_timespan};
use super::operators::compare;
use super::{common_type, widest_numeric, Naming, ScalarFunction};
use crate::scalar;
use crate::types::DataType;
use crate::value::Value;

/// A real-valued function of one number.
macro_rules! real1 {
    ($name:literal, $naming:expr, $f:expr) => {
        scalar!($name, 1..=1, => |a: &[DataType]| real_type($name, a), $naming, |v, _| {
            real_arg(&v[0]).map_or(Value::Null, |x| real_or_null($f(x)))
        })
    };
}

/// The math functions.
pub static FUNCTIONS: &[ScalarFunction] = &[
    scalar!("abs", 1..=1, => |a: &[DataType]| {
        // Parser signatures: integer → long, other numbers keep their type, timespan.
        let t = same_type("abs", a, Kind::Ordered)?;
        Ok(if t == DataType::Int { DataType::Long } else { t })
    }, Naming::FirstArg, |v, _| abs(&v[0])),
    scalar!("bin", 2..=2, => |a: &[DataType]| bin_type("bin", a), Naming::FirstArg, |v, _| bin(&v[0], &v[1], None)),
    scalar!("floor", 2..=2, => |a: &[DataType]| bin_type("floor", a), Naming::FirstArg, |v, _| bin(&v[0], &v[1], None)),
    scalar!("bin_at", 3..=3, => |a: &[DataType]| bin_type("bin_at", a), Naming::FirstArg, |v, _| bin(&v[0], &v[1], Some(&v[2]))),
    scalar!("round", 1..=2, => |a: &[DataType]| {
        check("round", a, &[Kind::Num, Kind::Int])?;
        same_type("round", &a[..1], Kind::Num)
    }, Naming::FirstArg, |v, _| round(&v[0], v.get(1))),
    scalar!("ceiling", 1..=1, => |a: &[DataType]| same_type("ceiling", a, Kind::Num), Naming::FirstArg, |v, _| {
        match scalar(&v[0]) {
            n @ (Value::Int(_) | Value::Long(_)) => n,
            Value::Real(r) => Value::Real(r.ceil()),
            _ => Value::Null,
        }
    }),
    // `sign` is typed real by the parser whatever the argument.
    scalar!("sign", 1..=1, => |a: &[DataType]| real_type("sign", a), Naming::Default, |v, _| {
        match real_arg(&v[0]) {
            Some(r) if r == 0.0 || r.is_nan() => Value::Real(r),
            Some(r) => Value::Real(r.signum()),
            None => Value::Null,
        }
    }),
    // sqrt/log*: documented "null if the argument is negative".
    real1!("sqrt", Naming::FirstArg, |x: f64| (x >= 0.0)
        .then(|| x.sqrt())),
    real1!("log", Naming::FirstArg, |x: f64| (x >= 0.0).then(|| x.ln())),
    real1!("log10", Naming::FirstArg, |x: f64| (x >= 0.0)
        .then(|| x.log10())),
    real1!("log2", Naming::FirstArg, |x: f64| (x >= 0.0)
        .then(|| x.log2())),
    real1!("exp", Naming::FirstArg, |x: f64| Some(x.exp())),
    real1!("exp2", Naming::FirstArg, |x: f64| Some(x.exp2())),
    real1!("exp10", Naming::FirstArg, |x: f64| Some(10f64.powf(x))),
    real1!("cos", Naming::FirstArg, |x: f64| Some(x.cos())),
    real1!("sin", Naming::FirstArg, |x: f64| Some(x.sin())),
    real1!("tan", Naming::FirstArg, |x: f64| Some(x.tan())),
    real1!("cot", Naming::Default, |x: f64| Some(1.0 / x.tan())),
    real1!("acos", Naming::FirstArg, |x: f64| Some(x.acos())),
    real1!("asin", Naming::FirstArg, |x: f64| Some(x.asin())),
    real1!("atan", Naming::FirstArg, |x: f64| Some(x.atan())),
    real1!("degrees", Naming::Default, |x: f64| Some(x.to_degrees())),
    real1!("radians", Naming::Default, |x: f64| Some(x.to_radians())),
    scalar!("atan2", 2..=2, => |a: &[DataType]| real_type("atan2", a), Naming::FirstArg, |v, _| {
        match (real_arg(&v[0]), real_arg(&v[1])) {
            (Some(y), Some(x)) => Value::Real(y.atan2(x)),
            _ => Value::Null,
        }
    }),
    scalar!("pow", 2..=2, => |a: &[DataType]| real_type("pow", a), Naming::FirstArg, |v, _| {
        match (real_arg(&v[0]), real_arg(&v[1])) {
            (Some(b), Some(e)) => Value::Real(b.powf(e)),
            _ => Value::Null,
        }
    }),
    scalar!("pi", 0..=0, Real, Naming::Default, |_, _| Value::Real(
        std::f64::consts::PI
    )),
    scalar!("isnan", 1..=1, => |a: &[DataType]| bool_of_number("isnan", a), Naming::Default, |v, _| real_test(&v[0], f64::is_nan)),
    scalar!("isinf", 1..=1, => |a: &[DataType]| bool_of_number("isinf", a), Naming::Default, |v, _| real_test(&v[0], f64::is_infinite)),
    scalar!("isfinite", 1..=1, => |a: &[DataType]| bool_of_number("isfinite", a), Naming::Default, |v, _| real_test(&v[0], f64::is_finite)),
    scalar!("min_of", 2..=64, => |a: &[DataType]| common_type(a).map_err(|e| format!("`min_of`: {e}")), Naming::Default, |v, _| extreme(v, true)),
    scalar!("max_of", 2..=64, => |a: &[DataType]| common_type(a).map_err(|e| format!("`max_of`: {e}")), Naming::Default, |v, _| extreme(v, false)),
];

fn real_or_null(r: Option<f64>) -> Value {
    r.map_or(Value::Null, Value::Real)
}

fn real_type(name: &str, a: &[DataType]) -> Result<DataType, String> {
    check(name, a, &[Kind::Num])?;
    Ok(DataType::Real)
}

fn bool_of_number(name: &str, a: &[DataType]) -> Result<DataType, String> {
    check(name, a, &[Kind::Num])?;
    Ok(DataType::Bool)
}

/// The argument's own type (a dynamic argument gives `real`).
fn same_type(name: &str, a: &[DataType], kind: Kind) -> Result<DataType, String> {
    check(name, a, &[kind])?;
    Ok(match a[0] {
        DataType::Dynamic => DataType::Real,
        t => t,
    })
}

/// A real test; null stays null (sticky nulls, §3.2 — the docs do not say).
fn real_test(v: &Value, test: fn(f64) -> bool) -> Value {
    real_arg(v).map_or(Value::Null, |r| Value::Bool(test(r)))
}

fn abs(v: &Value) -> Value {
    match scalar(v) {
        Value::Int(i) => Value::Long((i as i64).abs()),
        Value::Long(i) => Value::Long(i.wrapping_abs()),
        Value::Real(r) => Value::Real(r.abs()),
        Value::TimeSpan(t) => Value::TimeSpan(t.wrapping_abs()),
        _ => Value::Null,
    }
}

/// Result type of `bin(value, size)`: datetime/timespan values with timespan sizes keep their
/// type; numbers give the wider numeric type (`bin(4.5, 1)` is real). A dynamic value with a
/// timespan size is taken as a datetime (ARG properties hold datetimes as text).
fn bin_type(name: &str, a: &[DataType]) -> Result<DataType, String> {
    use DataType::*;
    check(name, a, &[Kind::Ordered])?;
    Ok(match (a[0], a[1]) {
        (DateTime, TimeSpan | Dynamic) | (Dynamic, TimeSpan) => DateTime,
        (TimeSpan, TimeSpan | Dynamic) => TimeSpan,
        (x, y) if x.is_numeric() && y.is_numeric() => widest_numeric(x, y),
        (Dynamic, Dynamic) => Dynamic,
        (x, y) if (x.is_numeric() || x == Dynamic) && (y.is_numeric() || y == Dynamic) => Real,
        (x, y) => {
            return Err(format!(
                "`{name}` cannot round {x} values to multiples of {y}"
            ))
        }
    })
}

/// `bin(value, size)` / `bin_at(value, size, anchor)`: rounds down to a multiple of `size`
/// counted from `anchor` (0 by default: datetimes count from 0001-01-01 in ticks, [REC] §6;
/// so `bin(dt, 1d)` is midnight, the documented example). Null value/size and a size ≤ 0 →
/// null (documented for negative sizes; zero has no multiples).
fn bin(value: &Value, size: &Value, anchor: Option<&Value>) -> Value {
    let (x, step) = (scalar(value), scalar(size));
    if let Value::TimeSpan(step) = step {
        let (ticks, date) = match x {
            Value::DateTime(t) => (t, true),
            Value::TimeSpan(t) => (t, false),
            Value::String(s) => match (parse_datetime(&s), parse_timespan(&s)) {
                (Some(t), _) => (t, true),
                (None, Some(t)) => (t, false),
                _ => return Value::Null,
            },
            _ => return Value::Null,
        };
        let base = match anchor.map(scalar) {
            None => 0,
            Some(Value::DateTime(t) | Value::TimeSpan(t)) => t,
            Some(Value::String(s)) => match parse_datetime(&s).or_else(|| parse_timespan(&s)) {
                Some(t) => t,
                None => return Value::Null,
            },
            Some(_) => return Value::Null,
        };
        return match floor_int(ticks, step, base) {
            Some(t) if date => Value::DateTime(t),
            Some(t) => Value::TimeSpan(t),
            None => Value::Null,
        };
    }
    let base = anchor.map(scalar).unwrap_or(Value::Long(0));
    match (&x, &step, &base) {
        (
            Value::Int(_) | Value::Long(_),
            Value::Int(_) | Value::Long(_),
            Value::Int(_) | Value::Long(_),
        ) => match (int_arg(&x), int_arg(&step), int_arg(&base)) {
            (Some(x), Some(s), Some(b)) => floor_int(x, s, b).map_or(Value::Null, Value::Long),
            _ => Value::Null,
        },
        _ => match (real_arg(&x), real_arg(&step), real_arg(&base)) {
            (Some(x), Some(s), Some(b)) if s > 0.0 => Value::Real(((x - b) / s).floor() * s + b),
            _ => Value::Null,
        },
    }
}

/// `floor((x - base) / step) * step + base` on integers; `None` for step ≤ 0 or overflow.
fn floor_int(x: i64, step: i64, base: i64) -> Option<i64> {
    if step <= 0 {
        return None;
    }
    let rel = x.checked_sub(base)?;
    rel.div_euclid(step).checked_mul(step)?.checked_add(base)
}

/// `round(x[, precision])`: half away from zero on the decimal value ([REC] §6), so
/// `round(2.15, 1)` = 2.2 although the binary 2.15 is slightly below.
fn round(x: &Value, precision: Option<&Value>) -> Value {
    let p = match precision {
        None => 0,
        Some(p) => match int_arg(p) {
            Some(p) => p,
            None => return Value::Null,
        },
    };
    match scalar(x) {
        Value::Int(i) => round_int(i as i64, p)
            .and_then(|r| i32::try_from(r).ok())
            .map_or(Value::Null, Value::Int),
        Value::Long(i) => round_int(i, p).map_or(Value::Null, Value::Long),
        Value::Real(r) => Value::Real(round_real(r, p)),
        _ => Value::Null,
    }
}

fn round_int(x: i64, p: i64) -> Option<i64> {
    if p >= 0 {
        return Some(x);
    }
    if p < -18 {
        return Some(0);
    }
    let m = 10i64.pow((-p) as u32);
    let (q, r) = (x / m, x % m);
    let q = if r.unsigned_abs() * 2 >= m as u64 {
        q + x.signum()
    } else {
        q
    };
    q.checked_mul(m)
}

/// Rounds the shortest decimal text of `x` (what the user wrote) at 10^-p, half away from
/// zero, and reads the result back.
fn round_real(x: f64, p: i64) -> f64 {
    if !x.is_finite() || x == 0.0 {
        return x;
    }
    let p = p.clamp(-400, 400);
    let sci = format!("{:e}", x.abs());
    let Some((mantissa, exp)) = sci.split_once('e') else {
        return x;
    };
    let Ok(exp) = exp.parse::<i64>() else {
        return x;
    };
    let digits: Vec<u8> = mantissa
        .bytes()
        .filter(u8::is_ascii_digit)
        .map(|b| b - b'0')
        .collect();
    // Digits kept: those at positions 10^exp down to 10^-p.
    let keep = exp + 1 + p;
    if keep >= digits.len() as i64 {
        return x;
    }
    let mut n: u64 = 0;
    if keep > 0 {
        for &d in &digits[..keep as usize] {
            n = n * 10 + d as u64;
        }
    }
    let next = if keep >= 0 {
        digits.get(keep as usize).copied().unwrap_or(0)
    } else {
        0
    };
    if next >= 5 {
        n += 1;
    }
    let r: f64 = format!("{n}e{}", -p).parse().unwrap_or(0.0);
    if x < 0.0 {
        -r
    } else {
        r
    }
}

/// `min_of` / `max_of`: nulls are ignored ("non-null values take precedence", documented);
/// all null → null.
fn extreme(v: &[Value], min: bool) -> Value {
    let mut best: Option<&Value> = None;
    for x in v.iter().filter(|x| !x.is_null()) {
        best = match best {
            None => Some(x),
            Some(b) => match compare(x, b) {
                Some(o) if (min && o.is_lt()) || (!min && o.is_gt()) => Some(x),
                _ => Some(b),
            },
        };
    }
    best.cloned().unwrap_or(Value::Null)
}

#[cfg(test)]
mod tests {
    use crate::functions::datetime::{parse_datetime, TICKS_PER_DAY};
    use crate::functions::registry;
    use crate::functions::testing::call;
    use crate::types::DataType;
    use crate::value::Value;

    fn dt(s: &str) -> Value {
        Value::DateTime(parse_datetime(s).expect("valid datetime"))
    }

    #[test]
    fn rounding() {
        let r = |x: f64, p: i64| call("round", &[Value::Real(x), Value::Long(p)]);
        // Documented: round(2.98765, 3) = 2.988; round(2.15, 1) = 2.2; round(2.15) = 2;
        // round(-50.55, -2) = -100; round(21.5, -1) = 20.
        assert_eq!(r(2.98765, 3), Value::Real(2.988));
        assert_eq!(r(2.15, 1), Value::Real(2.2));
        assert_eq!(call("round", &[Value::Real(2.15)]), Value::Real(2.0));
        assert_eq!(r(-50.55, -2), Value::Real(-100.0));
        assert_eq!(r(21.5, -1), Value::Real(20.0));
        assert_eq!(r(2.5, 0), Value::Real(3.0));
        assert_eq!(r(-2.5, 0), Value::Real(-3.0));
        assert_eq!(r(0.004, 2), Value::Real(0.0));
        assert_eq!(r(0.005, 2), Value::Real(0.01));
        assert_eq!(r(1.5, 20), Value::Real(1.5));
        assert_eq!(
            call("round", &[Value::Long(1250), Value::Long(-2)]),
            Value::Long(1300)
        );
        assert_eq!(
            call("round", &[Value::Long(-1249), Value::Long(-2)]),
            Value::Long(-1200)
        );
        assert_eq!(call("round", &[Value::Null]), Value::Null);
    }

    #[test]
    fn binning() {
        // Documented: bin(4.5, 1) = 4.0; bin(10, 5) = 10; bin(time(16d), 7d) = 14d;
        // bin(datetime(1970-05-11 13:45:07), 1d) = 1970-05-11.
        assert_eq!(
            call("bin", &[Value::Real(4.5), Value::Long(1)]),
            Value::Real(4.0)
        );
        assert_eq!(
            call("bin", &[Value::Long(10), Value::Long(5)]),
            Value::Long(10)
        );
        assert_eq!(
            call(
                "bin",
                &[
                    Value::TimeSpan(16 * TICKS_PER_DAY),
                    Value::TimeSpan(7 * TICKS_PER_DAY)
                ]
            ),
            Value::TimeSpan(14 * TICKS_PER_DAY)
        );
        assert_eq!(
            call(
                "bin",
                &[dt("1970-05-11 13:45:07"), Value::TimeSpan(TICKS_PER_DAY)]
            ),
            dt("1970-05-11")
        );
        // Floor semantics [REC]; null and non-positive sizes.
        assert_eq!(
            call("bin", &[Value::Real(-1.5), Value::Long(1)]),
            Value::Real(-2.0)
        );
        assert_eq!(
            call("floor", &[Value::Long(-7), Value::Long(5)]),
            Value::Long(-10)
        );
        assert_eq!(call("bin", &[Value::Long(7), Value::Long(-5)]), Value::Null);
        assert_eq!(call("bin", &[Value::Long(7), Value::Long(0)]), Value::Null);
        assert_eq!(call("bin", &[Value::Null, Value::Long(1)]), Value::Null);
        // Documented bin_at examples.
        assert_eq!(
            call(
                "bin_at",
                &[Value::Real(6.5), Value::Real(2.5), Value::Long(7)]
            ),
            Value::Real(4.5)
        );
        assert_eq!(
            call(
                "bin_at",
                &[Value::Long(100), Value::Long(3), Value::Long(0)]
            ),
            Value::Long(99)
        );
        assert_eq!(
            call(
                "bin_at",
                &[
                    dt("2017-05-15 10:20:00"),
                    Value::TimeSpan(TICKS_PER_DAY),
                    dt("1970-01-01 12:00:00")
                ]
            ),
            dt("2017-05-14 12:00:00")
        );
        assert_eq!(
            call(
                "bin_at",
                &[
                    dt("2017-05-17 10:20:00"),
                    Value::TimeSpan(7 * TICKS_PER_DAY),
                    dt("2017-06-04 00:00:00")
                ]
            ),
            dt("2017-05-14")
        );
        let sig = registry::scalar("bin").expect("bin").signature;
        assert_eq!(sig(&[DataType::Real, DataType::Long]), Ok(DataType::Real));
        assert_eq!(
            sig(&[DataType::DateTime, DataType::TimeSpan]),
            Ok(DataType::DateTime)
        );
        assert!(sig(&[DataType::String, DataType::Long]).is_err());
    }

    #[test]
    fn functions_of_numbers() {
        assert_eq!(call("abs", &[Value::Long(-5)]), Value::Long(5));
        assert_eq!(call("abs", &[Value::TimeSpan(-5)]), Value::TimeSpan(5));
        assert_eq!(call("ceiling", &[Value::Real(1.1)]), Value::Real(2.0));
        assert_eq!(call("ceiling", &[Value::Real(-1.1)]), Value::Real(-1.0));
        assert_eq!(call("sign", &[Value::Real(0.0)]), Value::Real(0.0));
        assert_eq!(call("sign", &[Value::Long(-3)]), Value::Real(-1.0));
        assert_eq!(
            call("abs", &[Value::Int(i32::MIN)]),
            Value::Long(2147483648)
        );
        assert_eq!(call("sqrt", &[Value::Long(4)]), Value::Real(2.0));
        assert_eq!(call("sqrt", &[Value::Long(-1)]), Value::Null);
        assert_eq!(call("log10", &[Value::Long(100)]), Value::Real(2.0));
        assert_eq!(call("log2", &[Value::Long(8)]), Value::Real(3.0));
        assert_eq!(call("exp10", &[Value::Long(2)]), Value::Real(100.0));
        assert_eq!(
            call("pow", &[Value::Long(2), Value::Long(10)]),
            Value::Real(1024.0)
        );
        assert_eq!(call("isnan", &[Value::Real(f64::NAN)]), Value::Bool(true));
        assert_eq!(
            call("isinf", &[Value::Real(f64::NEG_INFINITY)]),
            Value::Bool(true)
        );
        assert_eq!(call("isfinite", &[Value::Long(1)]), Value::Bool(true));
        assert_eq!(call("isnan", &[Value::Null]), Value::Null);
    }

    #[test]
    fn min_and_max_of() {
        // Documented: min_of(10, 1, -3, 17) = -3; nulls are ignored; all null → null.
        let args = [
            Value::Long(10),
            Value::Long(1),
            Value::Long(-3),
            Value::Long(17),
        ];
        assert_eq!(call("min_of", &args), Value::Long(-3));
        assert_eq!(call("max_of", &args), Value::Long(17));
        assert_eq!(call("min_of", &[Value::Null, Value::Int(3)]), Value::Int(3));
        assert_eq!(call("max_of", &[Value::Null, Value::Null]), Value::Null);
    }
}
