//! Date and time functions: `now`, `ago`, `datetime_add`, `datetime_diff`, `datetime_part`
//! and the calendar accessors (`dayofweek`, `getyear`, …); `startof*`/`endof*` and the
//! constructors are in [`super::period`]. Datetimes are ticks since 0001-01-01 (UTC);
//! results outside years 1–9999 are null.

use super::args::{check, date_arg, int_arg, span_arg, Kind};
use super::datetime::{
    days_from_civil, parts_from_ticks, ticks_from_parts, TICKS_PER_DAY, TICKS_PER_SECOND,
};
use super::{text, Naming, ScalarFunction};
use crate::scalar;
use crate::types::DataType;
use crate::value::Value;

/// Ticks at 9999-12-31 23:59:59.9999999, the largest datetime.
pub(super) const MAX_TICKS: i64 = 3_155_378_975_999_999_999;

/// A datetime accessor returning `int`.
macro_rules! date_int {
    ($name:literal, $f:expr) => {
        scalar!($name, 1..=1, => |a: &[DataType]| { check($name, a, &[Kind::Date])?; Ok(DataType::Int) },
            Naming::Default, |v, _| date_arg(&v[0]).map_or(Value::Null, |t| Value::Int($f(t) as i32)))
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
    scalar!("datetime_part", 2..=2, => |a: &[DataType]| part_type("datetime_part", a), Naming::Default, |v, _| datetime_part(v)),
    scalar!("datepart", 2..=2, => |a: &[DataType]| part_type("datepart", a), Naming::Default, |v, _| datetime_part(v)),
    scalar!("dayofweek", 1..=1, => |a: &[DataType]| { check("dayofweek", a, &[Kind::Date])?; Ok(DataType::TimeSpan) },
        Naming::Default, |v, _| date_arg(&v[0]).map_or(Value::Null, |t| Value::TimeSpan(weekday(t) * TICKS_PER_DAY))),
    date_int!("dayofmonth", |t| parts_from_ticks(t).2 as i64),
    date_int!("dayofyear", day_of_year),
    date_int!("monthofyear", |t| parts_from_ticks(t).1 as i64),
    date_int!("getmonth", |t| parts_from_ticks(t).1 as i64),
    date_int!("getyear", |t| parts_from_ticks(t).0),
    date_int!("hourofday", |t| parts_from_ticks(t).3 as i64),
    date_int!("week_of_year", iso_week),
];

/// A datetime value if in range, else null.
pub(super) fn datetime(t: Option<i64>) -> Value {
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

pub(super) fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Adds `months` calendar months, clamping the day to the target month's length (.NET
/// `AddMonths`, which Kusto's datetime arithmetic follows: Jan 31 + 1 month = Feb 28/29).
pub(super) fn add_months(t: i64, months: i64) -> Option<i64> {
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
pub(super) fn day_number(t: i64) -> i64 {
    t.div_euclid(TICKS_PER_DAY)
}

/// Day of the week, 0 = Sunday (0001-01-01 was a Monday).
pub(super) fn weekday(t: i64) -> i64 {
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

fn part_type(name: &str, a: &[DataType]) -> Result<DataType, String> {
    check(name, a, &[Kind::Str, Kind::Date])?;
    Ok(DataType::Int)
}

/// `datetime_part(part, dt)` (obsolete alias `datepart`).
fn datetime_part(v: &[Value]) -> Value {
    match date_arg(&v[1]) {
        Some(t) => part_of(&text(&v[0]).to_ascii_lowercase(), t)
            .map_or(Value::Null, |x| Value::Int(x as i32)),
        None => Value::Null,
    }
}

/// One part of a datetime, by the documented part names.
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
}
