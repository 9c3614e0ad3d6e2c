//! Timestamps: seconds since the Unix epoch rendered the ways ARG payloads write them.

/// Seconds in a day.
pub const DAY: i64 = 86_400;

/// Splits Unix seconds into (year, month, day, hour, minute, second), proleptic Gregorian, UTC.
fn civil(secs: i64) -> (i64, u32, u32, u32, u32, u32) {
    let days = secs.div_euclid(DAY);
    let rem = secs.rem_euclid(DAY);
    // Days to civil date (H. Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    let (h, m, s) = (rem / 3600, (rem % 3600) / 60, rem % 60);
    (year, month, day, h as u32, m as u32, s as u32)
}

/// `2024-05-30T12:34:56.1234567Z`: seven fractional digits, as Defender writes evaluation dates.
///
/// ```
/// assert_eq!(kql_datasets::clock::iso7(0, 5), "1970-01-01T00:00:00.0000005Z");
/// ```
pub fn iso7(secs: i64, ticks: u32) -> String {
    let mut out = String::with_capacity(28);
    push_date_time(&mut out, secs, 'T');
    out.push('.');
    push_digits(&mut out, ticks % 10_000_000, 7);
    out.push('Z');
    out
}

/// Appends `value` as exactly `width` decimal digits (zero-padded; wider values keep their
/// low digits, which never happens for the fields written here).
fn push_digits(out: &mut String, value: u32, width: u32) {
    for p in (0..width).rev() {
        let digit = (value / 10u32.pow(p)) % 10;
        out.push(char::from(b'0' + digit as u8));
    }
}

/// Appends `YYYY-MM-DD{sep}hh:mm:ss`.
fn push_date_time(out: &mut String, secs: i64, sep: char) {
    let (y, mo, d, h, mi, s) = civil(secs);
    push_date(out, y, mo, d);
    out.push(sep);
    push_digits(out, h, 2);
    out.push(':');
    push_digits(out, mi, 2);
    out.push(':');
    push_digits(out, s, 2);
}

fn push_date(out: &mut String, y: i64, mo: u32, d: u32) {
    push_digits(out, y.clamp(0, 9999) as u32, 4);
    out.push('-');
    push_digits(out, mo, 2);
    out.push('-');
    push_digits(out, d, 2);
}

/// `2024-05-30T12:34:56Z`.
///
/// ```
/// assert_eq!(kql_datasets::clock::iso(1_717_200_000), "2024-06-01T00:00:00Z");
/// ```
pub fn iso(secs: i64) -> String {
    let mut out = String::with_capacity(20);
    push_date_time(&mut out, secs, 'T');
    out.push('Z');
    out
}

/// `2021-01-26 15:48:56`: the non-ISO form of software inventory `firstSeenAt`.
///
/// ```
/// assert_eq!(kql_datasets::clock::spaced(86_399), "1970-01-01 23:59:59");
/// ```
pub fn spaced(secs: i64) -> String {
    let mut out = String::with_capacity(19);
    push_date_time(&mut out, secs, ' ');
    out
}

/// `2024-05-30`.
///
/// ```
/// assert_eq!(kql_datasets::clock::date(951_782_400), "2000-02-29");
/// ```
pub fn date(secs: i64) -> String {
    let (y, mo, d, ..) = civil(secs);
    let mut out = String::with_capacity(10);
    push_date(&mut out, y, mo, d);
    out
}

/// .NET ticks (100 ns since 0001-01-01) for Unix seconds: alert names start with them.
///
/// ```
/// assert_eq!(kql_datasets::clock::dotnet_ticks(0), 621_355_968_000_000_000);
/// ```
pub fn dotnet_ticks(secs: i64) -> i64 {
    621_355_968_000_000_000 + secs * 10_000_000
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates_around_leap_years() {
        assert_eq!(date(1_709_164_800), "2024-02-29");
        assert_eq!(date(1_709_251_200), "2024-03-01");
        assert_eq!(iso(-1), "1969-12-31T23:59:59Z");
        assert_eq!(
            iso7(1_700_000_000, 1_234_567),
            "2023-11-14T22:13:20.1234567Z"
        );
    }
}
