//! Period and constructor functions: `startof*`/`endof*` (day, week, month, year, with an
//! optional offset), `make_datetime`, `make_timespan` and the unix-time conversions.

use super::args::{check, date_arg, int_arg, real_arg, Kind};
use super::datetime::{
    parts_from_ticks, ticks_from_parts, TICKS_PER_DAY, TICKS_PER_SECOND, UNIX_EPOCH_TICKS,
};
use super::time::{add_months, datetime, day_number, days_in_month, weekday, MAX_TICKS};
use super::{Naming, ScalarFunction};
use crate::scalar;
use crate::types::DataType;
use crate::value::Value;

/// A `startof*`/`endof*` function: `(datetime[, offset])` → datetime.
macro_rules! period {
    ($name:literal, $unit:expr, $end:expr) => {
        period!($name, $unit, $end, Naming::Default)
    };
    ($name:literal, $unit:expr, $end:expr, $naming:expr) => {
        scalar!($name, 1..=2, => |a: &[DataType]| { check($name, a, &[Kind::Date, Kind::Num])?; Ok(DataType::DateTime) },
            $naming, |v, _| {
                let offset = match v.get(1) { None => Some(0), Some(o) => int_arg(o) };
                match (date_arg(&v[0]), offset) {
                    (Some(t), Some(o)) => datetime(start_of($unit, t, o, $end)),
                    _ => Value::Null,
                }
            })
    };
}

/// The period and constructor functions.
pub static FUNCTIONS: &[ScalarFunction] = &[
    // The parser names only `startofday` after its argument.
    period!("startofday", Unit::Day, false, Naming::FirstArg),
    period!("startofweek", Unit::Week, false),
    period!("startofmonth", Unit::Month, false),
    period!("startofyear", Unit::Year, false),
    period!("endofday", Unit::Day, true),
    period!("endofweek", Unit::Week, true),
    period!("endofmonth", Unit::Month, true),
    period!("endofyear", Unit::Year, true),
    scalar!("make_datetime", 3..=6, => |a: &[DataType]| { check("make_datetime", a, &[Kind::Num])?; Ok(DataType::DateTime) },
        Naming::Default, |v, _| make_datetime(v)),
    scalar!("make_timespan", 2..=4, => |a: &[DataType]| { check("make_timespan", a, &[Kind::Num])?; Ok(DataType::TimeSpan) },
        Naming::Default, |v, _| make_timespan(v)),
    scalar!("unixtime_seconds_todatetime", 1..=1, => |a: &[DataType]| unix_type("unixtime_seconds_todatetime", a),
        Naming::Default, |v, _| from_unix(&v[0], TICKS_PER_SECOND, 1)),
    scalar!("unixtime_milliseconds_todatetime", 1..=1, => |a: &[DataType]| unix_type("unixtime_milliseconds_todatetime", a),
        Naming::Default, |v, _| from_unix(&v[0], 10_000, 1)),
    scalar!("unixtime_microseconds_todatetime", 1..=1, => |a: &[DataType]| unix_type("unixtime_microseconds_todatetime", a),
        Naming::Default, |v, _| from_unix(&v[0], 10, 1)),
    scalar!("unixtime_nanoseconds_todatetime", 1..=1, => |a: &[DataType]| unix_type("unixtime_nanoseconds_todatetime", a),
        Naming::Default, |v, _| from_unix(&v[0], 1, 100)),
];

/// Units of `startof*`/`endof*`.
#[derive(Clone, Copy)]
enum Unit {
    Day,
    Week,
    Month,
    Year,
}

/// The start of the period holding `t`, moved by `offset` periods; with `end`, the last tick
/// of that period (the start of the next one minus one tick). Weeks start on Sunday.
fn start_of(unit: Unit, t: i64, offset: i64, end: bool) -> Option<i64> {
    let offset = if end { offset.checked_add(1)? } else { offset };
    let start = match unit {
        Unit::Day => (day_number(t).checked_add(offset)?).checked_mul(TICKS_PER_DAY)?,
        Unit::Week => {
            let sunday = day_number(t) - weekday(t);
            (sunday.checked_add(offset.checked_mul(7)?)?).checked_mul(TICKS_PER_DAY)?
        }
        Unit::Month | Unit::Year => {
            let (y, m, ..) = parts_from_ticks(t);
            let first = if matches!(unit, Unit::Month) {
                ticks_from_parts(y, m, 1, 0, 0, 0, 0)
            } else {
                ticks_from_parts(y, 1, 1, 0, 0, 0, 0)
            };
            let months = if matches!(unit, Unit::Month) {
                offset
            } else {
                offset.checked_mul(12)?
            };
            let (_, first_month, ..) = parts_from_ticks(first);
            let target = (y * 12 + first_month as i64 - 1).checked_add(months)?;
            if end && target == 10_000 * 12 {
                // The period ending with 9999-12-31 ends at the largest datetime.
                return Some(MAX_TICKS);
            }
            add_months(first, months)?
        }
    };
    if end {
        start.checked_sub(1)
    } else {
        Some(start)
    }
}

/// `make_datetime(year, month, day[, hour, minute[, second]])`: invalid parts → null; the
/// second may have a fraction.
fn make_datetime(v: &[Value]) -> Value {
    let ints: Option<Vec<i64>> = v.iter().take(5).map(int_arg).collect();
    let Some(ints) = ints else { return Value::Null };
    let second = match v.get(5) {
        None => 0.0,
        Some(s) => match real_arg(s) {
            Some(s) => s,
            None => return Value::Null,
        },
    };
    let get = |i: usize| ints.get(i).copied().unwrap_or(0);
    let (y, m, d, h, mi) = (get(0), get(1), get(2), get(3), get(4));
    let valid = (1..=9999).contains(&y)
        && (1..=12).contains(&m)
        && d >= 1
        && d <= days_in_month(y, m as u32) as i64
        && (0..24).contains(&h)
        && (0..60).contains(&mi)
        && (0.0..60.0).contains(&second);
    if !valid {
        return Value::Null;
    }
    let sec_ticks = (second * TICKS_PER_SECOND as f64).round() as i64;
    Value::DateTime(ticks_from_parts(y, m as u32, d as u32, h as u32, mi as u32, 0, 0) + sec_ticks)
}

/// `make_timespan(hour, minute)`, `(hour, minute, second)`, `(day, hour, minute, second)`
/// (documented forms); the second may have a fraction. Hours outside 0–23, minutes or seconds
/// outside 0–59 → null (the documented parameter ranges).
fn make_timespan(v: &[Value]) -> Value {
    let (day, rest) = if v.len() == 4 {
        (int_arg(&v[0]), &v[1..])
    } else {
        (Some(0), v)
    };
    let (Some(day), Some(h), Some(m)) = (day, int_arg(&rest[0]), int_arg(&rest[1])) else {
        return Value::Null;
    };
    let s = match rest.get(2) {
        None => Some(0.0),
        Some(s) => real_arg(s),
    };
    let Some(s) = s else { return Value::Null };
    if !(0..24).contains(&h)
        || !(0..60).contains(&m)
        || !(0.0..60.0).contains(&s)
        || day.abs() > 10_675_199
    {
        return Value::Null;
    }
    let ticks = (day * TICKS_PER_DAY)
        .checked_add((h * 3600 + m * 60) * TICKS_PER_SECOND)
        .and_then(|t| t.checked_add((s * TICKS_PER_SECOND as f64).round() as i64));
    ticks.map_or(Value::Null, Value::TimeSpan)
}

fn unix_type(name: &str, a: &[DataType]) -> Result<DataType, String> {
    check(name, a, &[Kind::Num])?;
    Ok(DataType::DateTime)
}

/// Unix time in some unit (`mul / div` ticks each) → datetime; integers are converted
/// exactly, reals rounded to the nearest tick; out of range → null.
fn from_unix(v: &Value, mul: i64, div: i64) -> Value {
    let ticks = match super::args::scalar(v) {
        Value::Int(i) => Some(i as i128 * mul as i128 / div as i128),
        Value::Long(i) => Some(i as i128 * mul as i128 / div as i128),
        Value::Real(r) if r.is_finite() && r.abs() < 1e20 => {
            Some((r * mul as f64 / div as f64).round() as i128)
        }
        _ => None,
    };
    datetime(ticks.and_then(|t| i64::try_from(t + UNIX_EPOCH_TICKS as i128).ok()))
}
#[cfg(test)]
mod tests {
    use crate::functions::datetime::parse_datetime;
    use crate::functions::testing::call;

    use crate::value::Value;

    fn dt(s: &str) -> Value {
        Value::DateTime(parse_datetime(s).expect("valid datetime"))
    }

    #[test]
    fn periods() {
        let t = dt("2017-01-04 10:20:30");
        assert_eq!(
            call("startofday", std::slice::from_ref(&t)),
            dt("2017-01-04")
        );
        assert_eq!(
            call("startofday", &[t.clone(), Value::Long(-1)]),
            dt("2017-01-03")
        );
        assert_eq!(
            call("startofweek", std::slice::from_ref(&t)),
            dt("2017-01-01")
        );
        assert_eq!(
            call("startofmonth", &[t.clone(), Value::Long(2)]),
            dt("2017-03-01")
        );
        assert_eq!(
            call("startofyear", std::slice::from_ref(&t)),
            dt("2017-01-01")
        );
        assert_eq!(
            call("endofday", std::slice::from_ref(&t)),
            dt("2017-01-04 23:59:59.9999999")
        );
        assert_eq!(
            call("endofweek", std::slice::from_ref(&t)),
            dt("2017-01-07 23:59:59.9999999")
        );
        assert_eq!(
            call("endofmonth", std::slice::from_ref(&t)),
            dt("2017-01-31 23:59:59.9999999")
        );
        assert_eq!(
            call("endofmonth", &[t.clone(), Value::Long(1)]),
            dt("2017-02-28 23:59:59.9999999")
        );
        assert_eq!(call("endofyear", &[t]), dt("2017-12-31 23:59:59.9999999"));
        assert_eq!(
            call("endofyear", &[dt("9999-05-01")]),
            dt("9999-12-31 23:59:59.9999999")
        );
    }

    #[test]
    fn constructors() {
        // Documented: make_datetime(2017,10,01,12,10) = 2017-10-01 12:10;
        // make_datetime(2017,10,01,12,11,0.1234567) = 2017-10-01 12:11:00.1234567;
        // make_timespan(1,12,30,55.123) = 1.12:30:55.123.
        let l = Value::Long;
        assert_eq!(
            call("make_datetime", &[l(2017), l(10), l(1)]),
            dt("2017-10-01")
        );
        assert_eq!(
            call("make_datetime", &[l(2017), l(10), l(1), l(12), l(10)]),
            dt("2017-10-01 12:10")
        );
        assert_eq!(
            call(
                "make_datetime",
                &[l(2017), l(10), l(1), l(12), l(11), Value::Real(0.1234567)]
            ),
            dt("2017-10-01 12:11:00.1234567")
        );
        assert_eq!(call("make_datetime", &[l(2017), l(2), l(30)]), Value::Null);
        let span = call("make_timespan", &[l(1), l(12), l(30), Value::Real(55.123)]);
        assert_eq!(
            crate::functions::conversion::to_string(&span),
            "1.12:30:55.1230000"
        );
        assert_eq!(
            call("make_timespan", &[l(1), l(30)]),
            Value::TimeSpan(5400 * 10_000_000)
        );
        assert_eq!(call("make_timespan", &[l(25), l(0)]), Value::Null);
        let big = [l(10_675_199), l(23), l(59), Value::Real(59.0)];
        assert_eq!(call("make_timespan", &big), Value::Null);
        // Documented: unixtime_seconds_todatetime(1546300800) = 2019-01-01.
        assert_eq!(
            call("unixtime_seconds_todatetime", &[l(1_546_300_800)]),
            dt("2019-01-01")
        );
        assert_eq!(
            call("unixtime_milliseconds_todatetime", &[l(1_546_300_800_123)]),
            dt("2019-01-01 00:00:00.123")
        );
        assert_eq!(
            call(
                "unixtime_microseconds_todatetime",
                &[l(1_546_300_800_123_456)]
            ),
            dt("2019-01-01 00:00:00.123456")
        );
        assert_eq!(
            call(
                "unixtime_nanoseconds_todatetime",
                &[l(1_546_300_800_123_456_700)]
            ),
            dt("2019-01-01 00:00:00.1234567")
        );
        assert_eq!(
            call("unixtime_seconds_todatetime", &[Value::Real(1e300)]),
            Value::Null
        );
    }
}
