//! Date and time functions: `now`, `ago`, `datetime_add`, `datetime_diff`, `datetime_part`,
//! the calendar accessors (`dayofweek`, `getyear`, …), `startof*`/`endof*`, `make_datetime`,
//! `make_timespan` and the unix-time conversions. Datetimes are ticks since 0001-01-01 (UTC);
//! results outside years 1–9999 are null.

use super::args::{check, date_arg, int_arg, real_arg, span_arg, Kind};
use super::datetime::{
    days_from_civil, parts_from_ticks, ticks_from_parts, TICKS_PER_DAY, TICKS_PER_SECOND,
    UNIX_EPOCH_TICKS,
};
use super::{text, Naming, ScalarFunction};
use crate::scalar;
use crate::types::DataType;
use crate::value::Value;

/// Ticks at 9999-12-31 23:59:59.9999999, the largest datetime.
const MAX_TICKS: i64 = 3_155_378_975_999_999_999;

/// A datetime accessor returning `int`.
macro_rules! date_int {
    ($name:literal, $f:expr) => {
        scalar!($name, 1..=1, => |a: &[DataType]| { check($name, a, &[Kind::Date])?; Ok(DataType::Int) },
            Naming::Default, |v, _| date_arg(&v[0]).map_or(Value::Null, |t| Value::Int($f(t) as i32)))
    };
}

/// A `startof*`/`endof*` function: `(datetime[, offset])` → datetime.
macro_rules! period {
    ($name:literal, $unit:expr, $end:expr) => {
        scalar!($name, 1..=2, => |a: &[DataType]| { check($name, a, &[Kind::Date, Kind::Num])?; Ok(DataType::DateTime) },
            Naming::Default, |v, _| {
                let offset = match v.get(1) { None => Some(0), Some(o) => int_arg(o) };
                match (date_arg(&v[0]), offset) {
                    (Some(t), Some(o)) => datetime(start_of($unit, t, o, $end)),
                    _ => Value::Null,
                }
            })
    };
}

/// The date and time functions.
pub static FUNCTIONS: &[ScalarFunction] = &[
    scalar!("now", 0..=1, => |a: &[DataType]| { check("now", a, &[Kind::Span])?; Ok(DataType::DateTime) },
    Naming::Default, |v, ctx| match v.first() {
        None => Value::DateTime(ctx.now),
        Some(off) => datetime(span_arg(off).and_then(|o| ctx.now.checked_add(o))),
    }),
    scalar!("ago", 1..=1, => |a: &[DataType]| { check("ago", a, &[Kind::Span])?; Ok(DataType::DateTime) },
        Naming::Default, |v, ctx| datetime(span_arg(&v[0]).and_then(|o| ctx.now.checked_sub(o)))),
    scalar!("datetime_add", 3..=3, => |a: &[DataType]| { check("datetime_add", a, &[Kind::Str, Kind::Num, Kind::Date])?; Ok(DataType::DateTime) },
    Naming::Default, |v, _| {
        match (Part::parse(&text(&v[0])), int_arg(&v[1]), date_arg(&v[2])) {
            (Some(p), Some(n), Some(t)) => datetime(add(p, n, t)),
            _ => Value::Null,
        }
    }),
    scalar!("datetime_diff", 3..=3, => |a: &[DataType]| { check("datetime_diff", a, &[Kind::Str, Kind::Date, Kind::Date])?; Ok(DataType::Long) },
    Naming::Default, |v, _| {
        match (Part::parse(&text(&v[0])), date_arg(&v[1]), date_arg(&v[2])) {
            (Some(p), Some(a), Some(b)) => diff(p, a, b).map_or(Value::Null, Value::Long),
            _ => Value::Null,
        }
    }),
    scalar!("datetime_part", 2..=2, => |a: &[DataType]| { check("datetime_part", a, &[Kind::Str, Kind::Date])?; Ok(DataType::Int) },
    Naming::Default, |v, _| {
        match date_arg(&v[1]) {
            Some(t) => part_of(&text(&v[0]).to_ascii_lowercase(), t).map_or(Value::Null, |x| Value::Int(x as i32)),
            None => Value::Null,
        }
    }),
    scalar!("dayofweek", 1..=1, => |a: &[DataType]| { check("dayofweek", a, &[Kind::Date])?; Ok(DataType::TimeSpan) },
        Naming::Default, |v, _| date_arg(&v[0]).map_or(Value::Null, |t| Value::TimeSpan(weekday(t) * TICKS_PER_DAY))),
    date_int!("dayofmonth", |t| parts_from_ticks(t).2 as i64),
    date_int!("dayofyear", day_of_year),
    date_int!("monthofyear", |t| parts_from_ticks(t).1 as i64),
    date_int!("getmonth", |t| parts_from_ticks(t).1 as i64),
    date_int!("getyear", |t| parts_from_ticks(t).0),
    date_int!("hourofday", |t| parts_from_ticks(t).3 as i64),
    date_int!("week_of_year", iso_week),
    period!("startofday", Unit::Day, false),
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

/// A datetime value if in range, else null.
fn datetime(t: Option<i64>) -> Value {
    match t {
        Some(t) if (0..=MAX_TICKS).contains(&t) => Value::DateTime(t),
        _ => Value::Null,
    }
}

/// The parts `datetime_add` and `datetime_diff` accept (documented list; case-insensitive).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Year,
    Quarter,
    Month,
    Week,
    Day,
    Hour,
    Minute,
    Second,
    Millisecond,
    Microsecond,
    Nanosecond,
}

impl Part {
    fn parse(s: &str) -> Option<Part> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "year" => Part::Year,
            "quarter" => Part::Quarter,
            "month" => Part::Month,
            "week" => Part::Week,
            "day" => Part::Day,
            "hour" => Part::Hour,
            "minute" => Part::Minute,
            "second" => Part::Second,
            "millisecond" => Part::Millisecond,
            "microsecond" => Part::Microsecond,
            "nanosecond" => Part::Nanosecond,
            _ => return None,
        })
    }

    /// Ticks in one unit of a fixed-length part.
    fn ticks(self) -> Option<i64> {
        Some(match self {
            Part::Week => 7 * TICKS_PER_DAY,
            Part::Day => TICKS_PER_DAY,
            Part::Hour => 3600 * TICKS_PER_SECOND,
            Part::Minute => 60 * TICKS_PER_SECOND,
            Part::Second => TICKS_PER_SECOND,
            Part::Millisecond => 10_000,
            Part::Microsecond => 10,
            _ => return None,
        })
    }
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Adds `months` calendar months, clamping the day to the target month's length (.NET
/// `AddMonths`, which Kusto's datetime arithmetic follows: Jan 31 + 1 month = Feb 28/29).
fn add_months(t: i64, months: i64) -> Option<i64> {
    let (y, m, d, ..) = parts_from_ticks(t);
    let total = (y * 12 + m as i64 - 1).checked_add(months)?;
    let (ny, nm) = (total.div_euclid(12), (total.rem_euclid(12) + 1) as u32);
    if !(1..=9999).contains(&ny) {
        return None;
    }
    let day = d.min(days_in_month(ny, nm));
    Some(ticks_from_parts(ny, nm, day, 0, 0, 0, 0) + t.rem_euclid(TICKS_PER_DAY))
}

/// `datetime_add(part, n, dt)`.
fn add(part: Part, n: i64, t: i64) -> Option<i64> {
    match part {
        Part::Year => add_months(t, n.checked_mul(12)?),
        Part::Quarter => add_months(t, n.checked_mul(3)?),
        Part::Month => add_months(t, n),
        Part::Nanosecond => t.checked_add(n / 100),
        p => t.checked_add(n.checked_mul(p.ticks()?)?),
    }
}

/// Days since 0001-01-01 of a datetime.
fn day_number(t: i64) -> i64 {
    t.div_euclid(TICKS_PER_DAY)
}

/// Day of the week, 0 = Sunday (0001-01-01 was a Monday).
fn weekday(t: i64) -> i64 {
    (day_number(t) + 1).rem_euclid(7)
}

/// `datetime_diff(part, dt1, dt2)`: calendar boundaries crossed from dt2 to dt1 (§6);
/// weeks start on Sunday.
fn diff(part: Part, a: i64, b: i64) -> Option<i64> {
    let (ya, ma, ..) = parts_from_ticks(a);
    let (yb, mb, ..) = parts_from_ticks(b);
    let month_index = |y: i64, m: u32| y * 12 + m as i64 - 1;
    Some(match part {
        Part::Year => ya - yb,
        Part::Quarter => (ya * 4 + (ma as i64 - 1) / 3) - (yb * 4 + (mb as i64 - 1) / 3),
        Part::Month => month_index(ya, ma) - month_index(yb, mb),
        // Sunday-based week number: days since the Sunday before 0001-01-01.
        Part::Week => (day_number(a) + 1).div_euclid(7) - (day_number(b) + 1).div_euclid(7),
        Part::Nanosecond => a.checked_sub(b)?.checked_mul(100)?,
        p => {
            let unit = p.ticks()?;
            a.div_euclid(unit) - b.div_euclid(unit)
        }
    })
}

fn day_of_year(t: i64) -> i64 {
    let (y, ..) = parts_from_ticks(t);
    let jan1 = days_from_civil(y, 1, 1);
    let (_, m, d, ..) = parts_from_ticks(t);
    days_from_civil(y, m, d) - jan1 + 1
}

/// ISO 8601 week number (weeks start Monday; week 1 holds the year's first Thursday), the
/// documented meaning of `week_of_year`.
fn iso_week(t: i64) -> i64 {
    let (y, ..) = parts_from_ticks(t);
    let iso_weekday = (weekday(t) + 6) % 7 + 1; // Monday = 1 … Sunday = 7
    let week = (day_of_year(t) - iso_weekday + 10) / 7;
    let weeks_in = |y: i64| {
        let jan1 = (days_from_civil(y, 1, 1) + 4).rem_euclid(7); // 0 = Sunday (1970-01-01 was a Thursday)
        if jan1 == 4 || (jan1 == 3 && is_leap(y)) {
            53
        } else {
            52
        }
    };
    if week < 1 {
        weeks_in(y - 1)
    } else if week > weeks_in(y) {
        1
    } else {
        week
    }
}

/// `datetime_part(part, dt)` with the documented part names.
fn part_of(part: &str, t: i64) -> Option<i64> {
    let (y, m, d, h, mi, s, frac) = parts_from_ticks(t);
    Some(match part.trim() {
        "year" => y,
        "quarter" => (m as i64 - 1) / 3 + 1,
        "month" => m as i64,
        "week_of_year" | "week" => iso_week(t),
        "day" => d as i64,
        "dayofyear" => day_of_year(t),
        "hour" => h as i64,
        "minute" => mi as i64,
        "second" => s as i64,
        "millisecond" => frac / 10_000,
        "microsecond" => frac / 10,
        "nanosecond" => frac * 100,
        _ => return None,
    })
}

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
    let ticks = day * TICKS_PER_DAY
        + (h * 3600 + m * 60) * TICKS_PER_SECOND
        + (s * TICKS_PER_SECOND as f64).round() as i64;
    Value::TimeSpan(ticks)
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
    use crate::functions::datetime::{parse_datetime, TICKS_PER_DAY};
    use crate::functions::{registry, Context};
    use crate::value::Value;

    fn call(name: &str, args: &[Value]) -> Value {
        let f = registry::scalar(name).expect("function exists");
        (f.kernel)(
            args,
            &Context::new(parse_datetime("2020-06-15 12:00").unwrap_or(0)),
        )
    }

    fn dt(s: &str) -> Value {
        Value::DateTime(parse_datetime(s).expect("valid datetime"))
    }

    fn s(x: &str) -> Value {
        Value::string(x)
    }

    #[test]
    fn now_and_ago() {
        assert_eq!(call("now", &[]), dt("2020-06-15 12:00"));
        assert_eq!(
            call("now", &[Value::TimeSpan(TICKS_PER_DAY)]),
            dt("2020-06-16 12:00")
        );
        assert_eq!(
            call("ago", &[Value::TimeSpan(TICKS_PER_DAY / 2)]),
            dt("2020-06-15")
        );
        assert_eq!(call("ago", &[Value::Null]), Value::Null);
    }

    #[test]
    fn datetime_diff_examples() {
        // The documented examples (§6).
        let d = |p: &str, a: &str, b: &str| call("datetime_diff", &[s(p), dt(a), dt(b)]);
        assert_eq!(d("year", "2017-01-01", "2000-12-31"), Value::Long(17));
        assert_eq!(d("quarter", "2017-07-01", "2017-03-30"), Value::Long(2));
        assert_eq!(d("month", "2017-01-01", "2015-12-30"), Value::Long(13));
        assert_eq!(
            d("week", "2017-10-29 00:00", "2017-09-30 23:59"),
            Value::Long(5)
        );
        assert_eq!(
            d("day", "2017-10-29 00:00", "2017-09-30 23:59"),
            Value::Long(29)
        );
        assert_eq!(
            d("hour", "2017-10-31 01:00", "2017-10-30 23:59"),
            Value::Long(2)
        );
        assert_eq!(
            d("minute", "2017-10-30 23:05:01", "2017-10-30 23:00:59"),
            Value::Long(5)
        );
        assert_eq!(
            d(
                "second",
                "2017-10-30 23:00:10.100",
                "2017-10-30 23:00:00.900"
            ),
            Value::Long(10)
        );
        assert_eq!(
            d(
                "millisecond",
                "2017-10-30 23:00:00.200100",
                "2017-10-30 23:00:00.100900"
            ),
            Value::Long(100)
        );
        assert_eq!(
            d(
                "microsecond",
                "2017-10-30 23:00:00.1009001",
                "2017-10-30 23:00:00.1008009"
            ),
            Value::Long(100)
        );
        assert_eq!(
            d(
                "nanosecond",
                "2017-10-30 23:00:00.0000000",
                "2017-10-30 23:00:00.0000007"
            ),
            Value::Long(-700)
        );
        assert_eq!(d("Fortnight", "2017-01-01", "2017-01-01"), Value::Null);
        assert_eq!(
            call("datetime_diff", &[s("day"), Value::Null, dt("2017-01-01")]),
            Value::Null
        );
    }

    #[test]
    fn datetime_add_and_part() {
        let add = |p: &str, n: i64, t: &str| call("datetime_add", &[s(p), Value::Long(n), dt(t)]);
        assert_eq!(add("year", 1, "2017-01-01"), dt("2018-01-01"));
        assert_eq!(add("quarter", 1, "2017-01-01"), dt("2017-04-01"));
        assert_eq!(add("month", 1, "2017-01-31 10:00"), dt("2017-02-28 10:00"));
        assert_eq!(add("week", -1, "2017-01-08"), dt("2017-01-01"));
        assert_eq!(add("Hour", 2, "2017-01-01"), dt("2017-01-01 02:00"));
        assert_eq!(
            add("nanosecond", 1000, "2017-01-01"),
            dt("2017-01-01 00:00:00.000001")
        );
        assert_eq!(add("year", 10000, "2017-01-01"), Value::Null);
        // Documented datetime_part example for 2017-10-30 01:02:03.7654321.
        let t = dt("2017-10-30 01:02:03.7654321");
        let part = |p: &str| call("datetime_part", &[s(p), t.clone()]);
        let expected = [
            ("year", 2017),
            ("quarter", 4),
            ("month", 10),
            ("week_of_year", 44),
            ("day", 30),
            ("dayOfYear", 303),
            ("hour", 1),
            ("minute", 2),
            ("second", 3),
            ("millisecond", 765),
            ("microsecond", 765_432),
            ("nanosecond", 765_432_100),
        ];
        for (p, want) in expected {
            assert_eq!(part(p), Value::Int(want), "{p}");
        }
    }

    #[test]
    fn accessors() {
        // Documented: dayofweek(datetime(1947-11-30 10:00:05)) = 0d (Sunday),
        // dayofweek(datetime(1970-05-11)) = 1d (Monday).
        assert_eq!(
            call("dayofweek", &[dt("1947-11-30 10:00:05")]),
            Value::TimeSpan(0)
        );
        assert_eq!(
            call("dayofweek", &[dt("1970-05-11")]),
            Value::TimeSpan(TICKS_PER_DAY)
        );
        assert_eq!(call("dayofmonth", &[dt("2015-12-14")]), Value::Int(14));
        assert_eq!(call("dayofyear", &[dt("2015-12-14")]), Value::Int(348));
        assert_eq!(call("monthofyear", &[dt("2015-12-14")]), Value::Int(12));
        assert_eq!(call("getyear", &[dt("2015-10-12")]), Value::Int(2015));
        assert_eq!(call("hourofday", &[dt("2015-12-14 18:54")]), Value::Int(18));
        assert_eq!(call("week_of_year", &[dt("2015-12-14")]), Value::Int(51));
        // ISO edge cases: 2021-01-03 is in week 53 of 2020; 2018-12-31 is in week 1 of 2019.
        assert_eq!(call("week_of_year", &[dt("2021-01-03")]), Value::Int(53));
        assert_eq!(call("week_of_year", &[dt("2018-12-31")]), Value::Int(1));
        assert_eq!(call("getmonth", &[Value::Null]), Value::Null);
    }

    #[test]
    fn periods() {
        let t = dt("2017-01-04 10:20:30");
        assert_eq!(call("startofday", &[t.clone()]), dt("2017-01-04"));
        assert_eq!(
            call("startofday", &[t.clone(), Value::Long(-1)]),
            dt("2017-01-03")
        );
        assert_eq!(call("startofweek", &[t.clone()]), dt("2017-01-01"));
        assert_eq!(
            call("startofmonth", &[t.clone(), Value::Long(2)]),
            dt("2017-03-01")
        );
        assert_eq!(call("startofyear", &[t.clone()]), dt("2017-01-01"));
        assert_eq!(
            call("endofday", &[t.clone()]),
            dt("2017-01-04 23:59:59.9999999")
        );
        assert_eq!(
            call("endofweek", &[t.clone()]),
            dt("2017-01-07 23:59:59.9999999")
        );
        assert_eq!(
            call("endofmonth", &[t.clone()]),
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
