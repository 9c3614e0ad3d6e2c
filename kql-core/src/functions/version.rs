//! `parse_version(version)`: a version string as a comparable decimal (Kusto documentation,
//! parse_version function): one to four dot-separated parts of up to eight digits each;
//! missing parts are trailing zeros (`1.0` == `1.0.0.0`); the value is
//! `p1·10^24 + p2·10^16 + p3·10^8 + p4`, so `1.2.3.4` is 1,000,000,020,000,000,300,000,004.
//! Anything else is null. The value needs 32 digits, so it is an exact [`Decimal`].

use super::{Naming, ScalarFunction};
use crate::decimal::Decimal;
use crate::scalar;
use crate::value::{Json, Value};

/// The version function.
pub static FUNCTIONS: &[ScalarFunction] = &[scalar!(
    "parse_version",
    1..=1,
    Decimal,
    Naming::Default,
    |v, _| match &v[0] {
        Value::String(s) => parse_version(s).map_or(Value::Null, Value::Decimal),
        Value::Dynamic(j) => match &**j {
            Json::String(s) => parse_version(s).map_or(Value::Null, Value::Decimal),
            _ => Value::Null,
        },
        _ => Value::Null,
    }
)];

/// The documented encoding of a version string, or `None` when it is not one.
pub fn parse_version(text: &str) -> Option<Decimal> {
    let mut value: i128 = 0;
    let mut parts = 0;
    for part in text.split('.') {
        parts += 1;
        if parts > 4
            || part.is_empty()
            || part.len() > 8
            || !part.bytes().all(|b| b.is_ascii_digit())
        {
            return None;
        }
        let n: i128 = part.parse().ok()?;
        value = value * 100_000_000 + n;
    }
    for _ in parts..4 {
        value *= 100_000_000;
    }
    Some(Decimal::from_i128(value))
}

#[cfg(test)]
mod tests {
    use super::parse_version;

    #[test]
    fn documented_values() {
        // The examples of the documentation page.
        for (v, expected) in [
            ("0.0.0.5", "5"),
            ("0.0.7.0", "700000000"),
            ("0.0.3", "300000000"),
            ("0.2", "20000000000000000"),
            ("0.1.2.0", "10000000200000000"),
            ("1.2.3.4", "1000000020000000300000004"),
            ("1", "1000000000000000000000000"),
            ("99999999.0.0.0", "99999999000000000000000000000000"),
        ] {
            assert_eq!(
                parse_version(v).map(|d| d.to_string()),
                Some(expected.into()),
                "{v}"
            );
        }
        for bad in ["", "1.", ".1", "1.2.3.4.5", "123456789", "1.a", "-1", " 1"] {
            assert_eq!(parse_version(bad), None, "{bad}");
        }
        assert_eq!(parse_version("1.0"), parse_version("1.0.0.0"));
    }
}
