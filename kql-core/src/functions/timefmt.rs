//! `format_datetime` and `format_timespan`: .NET-style custom format strings with the
//! specifiers the Kusto documentation lists (`d dd f…fffffff F…FFFFFFF h hh H HH m mm M MM
//! s ss y yy yyyy tt`; for timespans `d…dddddddd`). Any other character is copied as is
//! (the documented delimiters ` / - : , . _ [ ]` among them); `\x` and `'…'`/`"…"` quote
//! literal text as in .NET.

use super::args::{check, date_arg, span_arg, Kind};
use super::datetime::{parts_from_ticks, TICKS_PER_DAY, TICKS_PER_SECOND};
use super::{text, Naming, ScalarFunction};
use crate::scalar;
use crate::types::DataType;
use crate::value::Value;

/// The formatting functions.
pub static FUNCTIONS: &[ScalarFunction] = &[
    scalar!("format_datetime", 2..=2, => |a: &[DataType]| {
        check("format_datetime", a, &[Kind::Date, Kind::Str])?;
        Ok(DataType::String)
    }, Naming::FirstArg, |v, _| match date_arg(&v[0]) {
        Some(t) => Value::string(format_datetime(t, &text(&v[1]))),
        None => Value::string(""),
    }),
    scalar!("format_timespan", 2..=2, => |a: &[DataType]| {
        check("format_timespan", a, &[Kind::Span, Kind::Str])?;
        Ok(DataType::String)
    }, Naming::FirstArg, |v, _| match span_arg(&v[0]) {
        Some(t) => Value::string(format_timespan(t, &text(&v[1]))),
        None => Value::string(""),
    }),
];

const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const DAY_NAMES: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];

/// One piece of a format string: a run of one specifier letter, or literal text.
enum Token {
    Run(char, usize),
    Literal(String),
}

fn tokenize(fmt: &str, letters: &str) -> Vec<Token> {
    let chars: Vec<char> = fmt.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if letters.contains(c) {
            let start = i;
            while i < chars.len() && chars[i] == c {
                i += 1;
            }
            out.push(Token::Run(c, i - start));
            continue;
        }
        match c {
            '\\' => {
                if let Some(&next) = chars.get(i + 1) {
                    out.push(Token::Literal(next.to_string()));
                }
                i += 2;
            }
            '\'' | '"' => {
                let close = chars[i + 1..].iter().position(|&q| q == c);
                let end = close.map_or(chars.len(), |p| i + 1 + p);
                out.push(Token::Literal(chars[i + 1..end].iter().collect()));
                i = end + 1;
            }
            _ => {
                out.push(Token::Literal(c.to_string()));
                i += 1;
            }
        }
    }
    out
}

/// The first `n` (1–7) digits of a 7-digit tick fraction; `trim` drops trailing zeros (`F`).
fn fraction(frac: i64, n: usize, trim: bool) -> String {
    let digits = format!("{frac:07}");
    let s = &digits[..n.min(7)];
    if trim {
        s.trim_end_matches('0').to_string()
    } else {
        s.to_string()
    }
}

/// Appends an `F` fraction; when it is empty, a `.` just before it goes too (.NET rule).
fn push_trimmed(out: &mut String, f: &str) {
    if f.is_empty() {
        if out.ends_with('.') {
            out.pop();
        }
    } else {
        out.push_str(f);
    }
}

/// `format_datetime(dt, fmt)`. Documented examples: `'yy-MM-dd [HH:mm:ss]'` →
/// `17-01-29 [09:00:05]`; `'yyyy-M-dd [H:mm:ss]'` → `2017-1-29 [9:00:05]`;
/// `'yy-MM-dd [hh:mm:ss tt]'` → `17-01-29 [09:00:05 AM]`.
pub fn format_datetime(t: i64, fmt: &str) -> String {
    let (y, mo, d, h, mi, s, frac) = parts_from_ticks(t);
    let weekday = ((t.div_euclid(TICKS_PER_DAY) + 1).rem_euclid(7)) as usize;
    let h12 = if h % 12 == 0 { 12 } else { h % 12 };
    let mut out = String::new();
    for token in tokenize(fmt, "dfFhHmMsyt") {
        let (c, n) = match token {
            Token::Literal(l) => {
                out.push_str(&l);
                continue;
            }
            Token::Run(c, n) => (c, n),
        };
        let piece = match (c, n) {
            ('d', 1) => d.to_string(),
            ('d', 2) => format!("{d:02}"),
            ('d', 3) => DAY_NAMES[weekday][..3].to_string(),
            ('d', _) => DAY_NAMES[weekday].to_string(),
            ('f', n) => fraction(frac, n, false),
            ('F', n) => {
                push_trimmed(&mut out, &fraction(frac, n, true));
                continue;
            }
            ('h', 1) => h12.to_string(),
            ('h', _) => format!("{h12:02}"),
            ('H', 1) => h.to_string(),
            ('H', _) => format!("{h:02}"),
            ('m', 1) => mi.to_string(),
            ('m', _) => format!("{mi:02}"),
            ('M', 1) => mo.to_string(),
            ('M', 2) => format!("{mo:02}"),
            ('M', 3) => MONTH_NAMES[(mo - 1) as usize][..3].to_string(),
            ('M', _) => MONTH_NAMES[(mo - 1) as usize].to_string(),
            ('s', 1) => s.to_string(),
            ('s', _) => format!("{s:02}"),
            ('y', 1) => (y % 100).to_string(),
            ('y', 2) => format!("{:02}", y % 100),
            ('y', n) => format!("{y:0n$}"),
            ('t', 1) => if h < 12 { "A" } else { "P" }.to_string(),
            ('t', _) => if h < 12 { "AM" } else { "PM" }.to_string(),
            (c, n) => c.to_string().repeat(n),
        };
        out.push_str(&piece);
    }
    out
}

/// `format_timespan(ts, fmt)`: `d…` whole days (zero-padded to the run length), `h`/`H`
/// hours of the day, `m`, `s`, `f…`/`F…` as for datetimes. A negative timespan is formatted
/// by its magnitude with a leading `-` (the docs do not cover negative values).
pub fn format_timespan(ticks: i64, fmt: &str) -> String {
    let mag = ticks.unsigned_abs();
    let per_day = TICKS_PER_DAY as u64;
    let days = mag / per_day;
    let rem = mag % per_day;
    let secs = rem / TICKS_PER_SECOND as u64;
    let frac = (rem % TICKS_PER_SECOND as u64) as i64;
    let (h, mi, s) = (secs / 3600, (secs / 60) % 60, secs % 60);
    let mut out = String::new();
    if ticks < 0 {
        out.push('-');
    }
    for token in tokenize(fmt, "dfFhHms") {
        let (c, n) = match token {
            Token::Literal(l) => {
                out.push_str(&l);
                continue;
            }
            Token::Run(c, n) => (c, n),
        };
        let piece = match (c, n) {
            ('d', n) => format!("{days:0n$}"),
            ('f', n) => fraction(frac, n, false),
            ('F', n) => {
                push_trimmed(&mut out, &fraction(frac, n, true));
                continue;
            }
            ('h' | 'H', 1) => h.to_string(),
            ('h' | 'H', _) => format!("{h:02}"),
            ('m', 1) => mi.to_string(),
            ('m', _) => format!("{mi:02}"),
            ('s', 1) => s.to_string(),
            ('s', _) => format!("{s:02}"),
            (c, n) => c.to_string().repeat(n),
        };
        out.push_str(&piece);
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::functions::datetime::{parse_datetime, parse_timespan};
    use crate::functions::testing::call;

    use crate::value::Value;

    fn fd(t: &str, fmt: &str) -> Value {
        let t = Value::DateTime(parse_datetime(t).expect("valid datetime"));
        call("format_datetime", &[t, Value::string(fmt)])
    }

    fn ft(t: &str, fmt: &str) -> Value {
        let t = Value::TimeSpan(parse_timespan(t).expect("valid timespan"));
        call("format_timespan", &[t, Value::string(fmt)])
    }

    #[test]
    fn format_datetime_examples() {
        // The documented examples (conformance cases format-datetime-001..003).
        let s = Value::string;
        assert_eq!(
            fd("2017-01-29 09:00:05", "yy-MM-dd [HH:mm:ss]"),
            s("17-01-29 [09:00:05]")
        );
        assert_eq!(
            fd("2017-01-29 09:00:05", "yyyy-M-dd [H:mm:ss]"),
            s("2017-1-29 [9:00:05]")
        );
        assert_eq!(
            fd("2017-01-29 09:00:05", "yy-MM-dd [hh:mm:ss tt]"),
            s("17-01-29 [09:00:05 AM]")
        );
        // Specifier table examples: f/F on 13:45:30.6170000 and .0500000.
        assert_eq!(
            fd("2009-06-15 13:45:30.617", "f|ff|fff|FFFF"),
            s("6|61|617|617")
        );
        assert_eq!(fd("2009-06-15 13:45:30.05", "ss.F"), s("30"));
        assert_eq!(fd("2009-06-15 13:45:30.6175425", "fffffff"), s("6175425"));
        assert_eq!(fd("2009-06-01 13:45:30", "d/dd h hh tt"), s("1/01 1 01 PM"));
        assert_eq!(
            fd("2009-06-01 00:05:07", "yyyy-MM-ddTHH:m:s 'lit' \\y"),
            s("2009-06-01T00:5:7 lit y")
        );
        assert_eq!(call("format_datetime", &[Value::Null, s("yyyy")]), s(""));
    }

    #[test]
    fn format_timespan_examples() {
        // Documented specifier examples on 15.13:45:30.6170000 and friends.
        let s = Value::string;
        assert_eq!(ft("15.13:45:30", "d|dd|ddd"), s("15|15|015"));
        assert_eq!(ft("15.13:45:30.6170000", "f|ff|FFF"), s("6|61|617"));
        assert_eq!(ft("15.13:45:30.0500000", "ss.F"), s("30"));
        assert_eq!(
            ft("29.09:00:05.12345", "dd.hh:mm:ss:FF"),
            s("29.09:00:05:12")
        );
        assert_eq!(
            ft("29.09:00:05.12345", "ddd.h:mm:ss [fffffff]"),
            s("029.9:00:05 [1234500]")
        );
        assert_eq!(ft("-01:30:00", "hh:mm"), s("-01:30"));
    }
}
