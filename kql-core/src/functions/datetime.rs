//! Datetime and timespan values: ticks (100 ns) since 0001-01-01, civil-date arithmetic,
//! parsing of the literal formats and the text forms Kusto prints.

/// Ticks in one second.
pub const TICKS_PER_SECOND: i64 = 10_000_000;
/// Ticks in one day.
pub const TICKS_PER_DAY: i64 = 86_400 * TICKS_PER_SECOND;
/// Ticks between 0001-01-01 and the Unix epoch.
pub const UNIX_EPOCH_TICKS: i64 = 621_355_968_000_000_000;

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date (year, month, day) of a day count since 1970-01-01.
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Ticks of a civil date and time.
pub fn ticks_from_parts(y: i64, mo: u32, d: u32, h: u32, mi: u32, s: u32, frac_ticks: i64) -> i64 {
    let days = days_from_civil(y, mo, d);
    UNIX_EPOCH_TICKS
        + days * TICKS_PER_DAY
        + (h as i64 * 3600 + mi as i64 * 60 + s as i64) * TICKS_PER_SECOND
        + frac_ticks
}

/// The parts of a datetime: (year, month, day, hour, minute, second, fraction ticks).
pub fn parts_from_ticks(ticks: i64) -> (i64, u32, u32, u32, u32, u32, i64) {
    let rel = ticks - UNIX_EPOCH_TICKS;
    let days = rel.div_euclid(TICKS_PER_DAY);
    let in_day = rel.rem_euclid(TICKS_PER_DAY);
    let (y, m, d) = civil_from_days(days);
    let secs = in_day / TICKS_PER_SECOND;
    (
        y,
        m,
        d,
        (secs / 3600) as u32,
        ((secs / 60) % 60) as u32,
        (secs % 60) as u32,
        in_day % TICKS_PER_SECOND,
    )
}

/// ISO 8601 UTC text. With `full_fraction` the fraction always has 7 digits (`tostring`);
/// otherwise it appears only when non-zero, without trailing zeros (JSON output).
///
/// ```
/// use kql_core::functions::datetime::{format_datetime_iso, parse_datetime};
/// let t = parse_datetime("2015-12-31 23:59:59.9").unwrap();
/// assert_eq!(format_datetime_iso(t, true), "2015-12-31T23:59:59.9000000Z");
/// assert_eq!(format_datetime_iso(t, false), "2015-12-31T23:59:59.9Z");
/// ```
pub fn format_datetime_iso(ticks: i64, full_fraction: bool) -> String {
    let (y, mo, d, h, mi, s, frac) = parts_from_ticks(ticks);
    let mut out = format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}");
    if full_fraction {
        out.push_str(&format!(".{frac:07}"));
    } else if frac != 0 {
        let f = format!("{frac:07}");
        out.push('.');
        out.push_str(f.trim_end_matches('0'));
    }
    out.push('Z');
    out
}

/// Kusto's timespan text: `[-][d.]hh:mm:ss[.fffffff]`.
///
/// ```
/// use kql_core::functions::datetime::format_timespan;
/// assert_eq!(format_timespan(36_000_000_000 + 2 * 864_000_000_000), "2.01:00:00");
/// assert_eq!(format_timespan(-15_000_000), "-00:00:01.5000000");
/// ```
pub fn format_timespan(ticks: i64) -> String {
    let neg = ticks < 0;
    let t = ticks.unsigned_abs();
    let per_sec = TICKS_PER_SECOND as u64;
    let days = t / (TICKS_PER_DAY as u64);
    let rem = t % (TICKS_PER_DAY as u64);
    let secs = rem / per_sec;
    let frac = rem % per_sec;
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    if days > 0 {
        out.push_str(&format!("{days}."));
    }
    out.push_str(&format!(
        "{:02}:{:02}:{:02}",
        secs / 3600,
        (secs / 60) % 60,
        secs % 60
    ));
    if frac != 0 {
        out.push_str(&format!(".{frac:07}"));
    }
    out
}

fn take_digits(s: &[u8], i: &mut usize, min: usize, max: usize) -> Option<i64> {
    let start = *i;
    while *i < s.len() && *i - start < max && s[*i].is_ascii_digit() {
        *i += 1;
    }
    if *i - start < min {
        return None;
    }
    std::str::from_utf8(&s[start..*i]).ok()?.parse().ok()
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// Parses datetime text in the ISO 8601 family (`2015-12-31`, `2015-12-31 23:59:59.9`,
/// `2014-05-25T08:20:03.123456Z`, offsets `+01:00`), `MM-dd-yyyy`/`MM/dd/yyyy`, and the
/// RFC 822 / RFC 850 forms (`Sat, 8 Nov 2014 23:59:59 GMT`). Returns ticks, or `None`.
pub fn parse_datetime(text: &str) -> Option<i64> {
    let t = text.trim();
    parse_iso(t)
        .or_else(|| parse_us_date(t))
        .or_else(|| parse_rfc(t))
}

fn parse_time_part(s: &[u8], i: &mut usize) -> Option<(u32, u32, u32, i64)> {
    let h = take_digits(s, i, 1, 2)? as u32;
    if s.get(*i) != Some(&b':') {
        return None;
    }
    *i += 1;
    let mi = take_digits(s, i, 2, 2)? as u32;
    let mut sec = 0;
    let mut frac = 0i64;
    if s.get(*i) == Some(&b':') {
        *i += 1;
        sec = take_digits(s, i, 2, 2)? as u32;
        if s.get(*i) == Some(&b'.') {
            *i += 1;
            let start = *i;
            while *i < s.len() && s[*i].is_ascii_digit() {
                *i += 1;
            }
            let digits = std::str::from_utf8(&s[start..*i]).ok()?;
            if digits.is_empty() {
                return None;
            }
            let padded: String = digits
                .chars()
                .chain(std::iter::repeat('0'))
                .take(7)
                .collect();
            frac = padded.parse().ok()?;
        }
    }
    if h > 23 || mi > 59 || sec > 59 {
        return None;
    }
    Some((h, mi, sec, frac))
}

fn parse_offset(s: &[u8], i: &mut usize) -> Option<i64> {
    match s.get(*i) {
        None => Some(0),
        Some(b'Z') | Some(b'z') => {
            *i += 1;
            Some(0)
        }
        Some(&c @ (b'+' | b'-')) => {
            *i += 1;
            let h = take_digits(s, i, 2, 2)?;
            if s.get(*i) == Some(&b':') {
                *i += 1;
            }
            let m = take_digits(s, i, 2, 2).unwrap_or(0);
            let off = (h * 3600 + m * 60) * TICKS_PER_SECOND;
            Some(if c == b'+' { -off } else { off })
        }
        _ => None,
    }
}

fn valid_date(y: i64, m: i64, d: i64) -> bool {
    if !(1..=9999).contains(&y) || !(1..=12).contains(&m) || d < 1 {
        return false;
    }
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    d <= days[(m - 1) as usize]
}

fn finish_date(y: i64, m: i64, d: i64, s: &[u8], mut i: usize) -> Option<i64> {
    if !valid_date(y, m, d) {
        return None;
    }
    let (mut h, mut mi, mut sec, mut frac) = (0, 0, 0, 0);
    if i < s.len() && (s[i] == b'T' || s[i] == b't' || s[i] == b' ') {
        i += 1;
        while i < s.len() && s[i] == b' ' {
            i += 1;
        }
        if i < s.len() {
            (h, mi, sec, frac) = parse_time_part(s, &mut i)?;
        }
    }
    while i < s.len() && s[i] == b' ' {
        i += 1;
    }
    let off = parse_offset(s, &mut i)?;
    if i != s.len() {
        return None;
    }
    Some(ticks_from_parts(y, m as u32, d as u32, h, mi, sec, frac) + off)
}

fn parse_iso(t: &str) -> Option<i64> {
    let s = t.as_bytes();
    let mut i = 0;
    let y = take_digits(s, &mut i, 4, 4)?;
    if s.get(i) != Some(&b'-') && s.get(i) != Some(&b'/') {
        return None;
    }
    let sep = s[i];
    i += 1;
    let m = take_digits(s, &mut i, 1, 2)?;
    if s.get(i) != Some(&sep) {
        return None;
    }
    i += 1;
    let d = take_digits(s, &mut i, 1, 2)?;
    finish_date(y, m, d, s, i)
}

fn parse_us_date(t: &str) -> Option<i64> {
    let s = t.as_bytes();
    let mut i = 0;
    let m = take_digits(s, &mut i, 1, 2)?;
    let sep = *s.get(i)?;
    if sep != b'-' && sep != b'/' {
        return None;
    }
    i += 1;
    let d = take_digits(s, &mut i, 1, 2)?;
    if s.get(i) != Some(&sep) {
        return None;
    }
    i += 1;
    let y = take_digits(s, &mut i, 4, 4)?;
    finish_date(y, m, d, s, i)
}

fn parse_rfc(t: &str) -> Option<i64> {
    // `Sat, 8 Nov 2014 23:59:59 GMT` (RFC 822) or `Saturday, 08-Nov-14 15:05:02 GMT` (RFC 850).
    let rest = match t.find(',') {
        Some(p) => t[p + 1..].trim_start(),
        None => t,
    };
    let parts: Vec<&str> = rest.split([' ', '-']).filter(|p| !p.is_empty()).collect();
    if parts.len() < 3 {
        return None;
    }
    let d: i64 = parts[0].parse().ok()?;
    let m = MONTHS.iter().position(|&mo| {
        parts[1]
            .get(..3)
            .is_some_and(|p| p.eq_ignore_ascii_case(mo))
    })? as i64
        + 1;
    let mut y: i64 = parts[2].parse().ok()?;
    if parts[2].len() == 2 {
        y += if y < 50 { 2000 } else { 1900 };
    }
    let (mut h, mut mi, mut sec, mut frac) = (0, 0, 0, 0);
    let mut off = 0;
    if let Some(time) = parts.get(3) {
        let b = time.as_bytes();
        let mut i = 0;
        (h, mi, sec, frac) = parse_time_part(b, &mut i)?;
        if i != b.len() {
            return None;
        }
    }
    if let Some(zone) = parts.get(4) {
        match *zone {
            "GMT" | "UT" | "UTC" | "Z" => {}
            z => {
                let b = z.as_bytes();
                let mut i = 0;
                off = parse_offset(b, &mut i)?;
            }
        }
    }
    if parts.len() > 5 || !valid_date(y, m, d) {
        return None;
    }
    Some(ticks_from_parts(y, m as u32, d as u32, h, mi, sec, frac) + off)
}

/// Parses timespan text: `[-][d.]hh:mm[:ss[.fffffff]]`, or a number with a unit suffix
/// (`2d`, `1.5h`, `30m`, `10s`, `100ms`, `10microsecond`, `1tick`), or `15 seconds`.
/// Returns ticks.
pub fn parse_timespan(text: &str) -> Option<i64> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    if let Some(v) = parse_timespan_clock(t) {
        return Some(v);
    }
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-' || c == '+'))
        .unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let num: f64 = num.parse().ok()?;
    let unit = unit.trim();
    let per = timespan_unit_ticks(unit)?;
    let v = num * per as f64;
    if !v.is_finite() || v.abs() > i64::MAX as f64 {
        return None;
    }
    Some(v.round() as i64)
}

/// Ticks per unit for a timespan suffix (`d`, `hours`, `ms`, …; an empty unit means days).
pub fn timespan_unit_ticks(unit: &str) -> Option<i64> {
    Some(match unit {
        "" | "d" | "day" | "days" => TICKS_PER_DAY,
        "h" | "hr" | "hrs" | "hour" | "hours" => 3600 * TICKS_PER_SECOND,
        "m" | "min" | "minute" | "minutes" => 60 * TICKS_PER_SECOND,
        "s" | "sec" | "second" | "seconds" => TICKS_PER_SECOND,
        "ms" | "milli" | "millis" | "millisec" | "millisecond" | "milliseconds" => 10_000,
        "micro" | "micros" | "microsec" | "microsecond" | "microseconds" => 10,
        "tick" | "ticks" => 1,
        _ => return None,
    })
}

fn parse_timespan_clock(t: &str) -> Option<i64> {
    let (neg, body) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t),
    };
    if !body.contains(':') {
        return None;
    }
    let (days, clock) = match body.split_once(':') {
        Some((head, _)) if head.contains('.') => {
            let (d, _) = head.split_once('.')?;
            (d.parse::<i64>().ok()?, &body[d.len() + 1..])
        }
        _ => (0, body),
    };
    let s = clock.as_bytes();
    let mut i = 0;
    let h = take_digits(s, &mut i, 1, 2)?;
    if s.get(i) != Some(&b':') {
        return None;
    }
    i += 1;
    let m = take_digits(s, &mut i, 1, 2)?;
    let mut sec = 0;
    let mut frac = 0;
    if s.get(i) == Some(&b':') {
        i += 1;
        sec = take_digits(s, &mut i, 1, 2)?;
        if s.get(i) == Some(&b'.') {
            i += 1;
            let start = i;
            while i < s.len() && s[i].is_ascii_digit() {
                i += 1;
            }
            let digits = std::str::from_utf8(&s[start..i]).ok()?;
            let padded: String = digits
                .chars()
                .chain(std::iter::repeat('0'))
                .take(7)
                .collect();
            frac = padded.parse().ok()?;
        }
    }
    if i != s.len() || m > 59 || sec > 59 {
        return None;
    }
    let v = days * TICKS_PER_DAY + (h * 3600 + m * 60 + sec) * TICKS_PER_SECOND + frac;
    Some(if neg { -v } else { v })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_civil_dates() {
        for (y, m, d) in [(1, 1, 1), (1970, 1, 1), (2000, 2, 29), (9999, 12, 31)] {
            assert_eq!(civil_from_days(days_from_civil(y, m, d)), (y, m, d));
        }
        assert_eq!(ticks_from_parts(1, 1, 1, 0, 0, 0, 0), 0);
    }

    #[test]
    fn parses_literal_forms() {
        let t = |s| parse_datetime(s).map(|t| format_datetime_iso(t, false));
        assert_eq!(t("2015-12-31").as_deref(), Some("2015-12-31T00:00:00Z"));
        assert_eq!(
            t("2014-05-25T08:20:03.123456Z").as_deref(),
            Some("2014-05-25T08:20:03.123456Z")
        );
        assert_eq!(t("12-02-2022").as_deref(), Some("2022-12-02T00:00:00Z"));
        assert_eq!(
            t("Sat, 8 Nov 2014 23:59:59 GMT").as_deref(),
            Some("2014-11-08T23:59:59Z")
        );
        assert_eq!(t("2014-02-30"), None);
        assert_eq!(t("nonsense"), None);
    }

    #[test]
    fn parses_timespans() {
        assert_eq!(
            parse_timespan("1.02:03:04"),
            Some(TICKS_PER_DAY + 7384 * TICKS_PER_SECOND)
        );
        assert_eq!(parse_timespan("1.5h"), Some(5400 * TICKS_PER_SECOND));
        assert_eq!(parse_timespan("15 seconds"), Some(15 * TICKS_PER_SECOND));
        assert_eq!(parse_timespan("2"), Some(2 * TICKS_PER_DAY));
        assert_eq!(parse_timespan("x"), None);
    }
}
