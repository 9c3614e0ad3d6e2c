//! IPv4 functions: `parse_ipv4`, `parse_ipv4_mask`, `ipv4_is_private`, `ipv4_is_in_range`,
//! `ipv4_is_in_any_range`, `ipv4_is_match`, `ipv4_compare`, `ipv4_netmask_suffix`,
//! `format_ipv4`, `format_ipv4_mask`. Addresses are dotted-quad text with an optional `/prefix` (IP-prefix
//! notation, documented); text that does not parse gives null (documented for every one of
//! these functions).

use super::args::{array, check, int_arg, scalar, Kind};
use super::conversion::json_to_string;
use super::{text, Naming, ScalarFunction};
use crate::scalar;
use crate::types::DataType;
use crate::value::Value;

/// The IPv4 functions.
pub static FUNCTIONS: &[ScalarFunction] = &[
    scalar!("parse_ipv4", 1..=1, Long, Naming::Default, |v, _| {
        parse(&text(&v[0])).map_or(Value::Null, |(a, p)| Value::Long(masked(a, p) as i64))
    }),
    scalar!("parse_ipv4_mask", 2..=2, => |a: &[DataType]| {
        check("parse_ipv4_mask", a, &[Kind::Any, Kind::Int])?;
        Ok(DataType::Long)
    }, Naming::Default, |v, _| {
        match (parse(&text(&v[0])), int_arg(&v[1])) {
            (Some((a, p)), Some(m)) if (0..=32).contains(&m) => Value::Long(masked(a, p.min(m as u32)) as i64),
            _ => Value::Null,
        }
    }),
    scalar!(
        "ipv4_netmask_suffix",
        1..=1,
        Long,
        Naming::Default,
        |v, _| { parse(&text(&v[0])).map_or(Value::Null, |(_, p)| Value::Long(p as i64)) }
    ),
    scalar!("ipv4_is_private", 1..=1, Bool, Naming::Default, |v, _| {
        // The documented private blocks: 10/8, 172.16/12, 192.168/16.
        const PRIVATE: [(u32, u32); 3] = [(0x0A00_0000, 8), (0xAC10_0000, 12), (0xC0A8_0000, 16)];
        match parse(&text(&v[0])) {
            Some((a, p)) => {
                let start = masked(a, p);
                Value::Bool(
                    PRIVATE
                        .iter()
                        .any(|&(net, bits)| p >= bits && masked(start, bits) == net),
                )
            }
            None => Value::Null,
        }
    }),
    scalar!("ipv4_is_in_range", 2..=2, Bool, Naming::Default, |v, _| {
        match (parse(&text(&v[0])), parse(&text(&v[1]))) {
            (Some(ip), Some(range)) => Value::Bool(in_range(ip, range)),
            _ => Value::Null,
        }
    }),
    scalar!(
        "ipv4_is_in_any_range",
        2..=1_000_000,
        Bool,
        Naming::Default,
        |v, _| {
            let Some(ip) = parse(&text(&v[0])) else {
                return Value::Null;
            };
            let mut ranges = Vec::new();
            for r in &v[1..] {
                match array(r) {
                    Some(items) => ranges.extend(items.iter().map(json_to_string)),
                    None => ranges.push(text(r).into_owned()),
                }
            }
            let mut any = false;
            for r in ranges {
                match parse(&r) {
                    Some(range) => any |= in_range(ip, range),
                    None => return Value::Null,
                }
            }
            Value::Bool(any)
        }
    ),
    scalar!("ipv4_is_match", 2..=3, => |a: &[DataType]| match_type("ipv4_is_match", a, DataType::Bool),
        Naming::Default, |v, _| compare(v).map_or(Value::Null, |o| Value::Bool(o == 0))),
    scalar!("ipv4_compare", 2..=3, => |a: &[DataType]| match_type("ipv4_compare", a, DataType::Long),
        Naming::Default, |v, _| compare(v).map_or(Value::Null, |o| Value::Long(o as i64))),
    scalar!("format_ipv4", 1..=2, => |a: &[DataType]| match_type("format_ipv4", a, DataType::String),
    Naming::Default, |v, _| match address(&v[0], v.get(1)) {
        Some((a, p)) => Value::string(dotted(masked(a, p))),
        None => Value::string(""),
    }),
    scalar!("format_ipv4_mask", 1..=2, => |a: &[DataType]| match_type("format_ipv4_mask", a, DataType::String),
    Naming::Default, |v, _| match address(&v[0], v.get(1)) {
        Some((a, p)) => Value::string(format!("{}/{p}", dotted(masked(a, p)))),
        None => Value::string(""),
    }),
];

fn match_type(name: &str, a: &[DataType], out: DataType) -> Result<DataType, String> {
    let kinds: &[Kind] = if a.len() == 3 {
        &[Kind::Any, Kind::Any, Kind::Int]
    } else {
        &[Kind::Any, Kind::Int]
    };
    check(name, a, kinds)?;
    Ok(out)
}

/// Parses `a.b.c.d[/prefix]` into the address and prefix length (32 without one).
pub fn parse(s: &str) -> Option<(u32, u32)> {
    let s = s.trim();
    let (addr, prefix) = match s.split_once('/') {
        Some((a, p)) => (a, p.trim().parse::<u32>().ok().filter(|&p| p <= 32)?),
        None => (s, 32),
    };
    let mut value: u32 = 0;
    let mut octets = 0;
    for part in addr.trim().split('.') {
        if part.is_empty() || part.len() > 3 || !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let octet: u32 = part.parse().ok().filter(|&o| o <= 255)?;
        value = (value << 8) | octet;
        octets += 1;
    }
    (octets == 4).then_some((value, prefix))
}

/// The address with the bits after `prefix` cleared.
fn masked(a: u32, prefix: u32) -> u32 {
    if prefix == 0 {
        0
    } else {
        a & (u32::MAX << (32 - prefix.min(32)))
    }
}

/// Whether `ip` (masked by its own prefix) falls in the network `range`.
fn in_range((a, p): (u32, u32), (net, bits): (u32, u32)) -> bool {
    masked(masked(a, p), bits) == masked(net, bits)
}

fn dotted(a: u32) -> String {
    let b = a.to_be_bytes();
    format!("{}.{}.{}.{}", b[0], b[1], b[2], b[3])
}

/// An address given as text or as a number (`format_ipv4(3232236031, 24)`), with an optional
/// prefix argument narrowing the mask.
fn address(v: &Value, prefix: Option<&Value>) -> Option<(u32, u32)> {
    let (a, p) = match scalar(v) {
        Value::Int(i) => (u32::try_from(i).ok()?, 32),
        Value::Long(i) => (u32::try_from(i).ok()?, 32),
        Value::String(s) => parse(&s)?,
        _ => return None,
    };
    match prefix {
        None => Some((a, p)),
        Some(x) => {
            let m = int_arg(x).filter(|m| (0..=32).contains(m))? as u32;
            Some((a, p.min(m)))
        }
    }
}

/// `ipv4_compare(a, b[, prefix])`: compares the addresses under the smallest of their
/// prefixes and the optional prefix argument (the documented "combined IP-prefix mask").
fn compare(v: &[Value]) -> Option<i32> {
    let (a, pa) = parse(&text(&v[0]))?;
    let (b, pb) = parse(&text(&v[1]))?;
    let mut p = pa.min(pb);
    if let Some(x) = v.get(2) {
        p = p.min(int_arg(x).filter(|m| (0..=32).contains(m))? as u32);
    }
    Some(match masked(a, p).cmp(&masked(b, p)) {
        std::cmp::Ordering::Less => -1,
        std::cmp::Ordering::Equal => 0,
        std::cmp::Ordering::Greater => 1,
    })
}

#[cfg(test)]
mod tests {
    use crate::functions::conversion::parse_json_text;
    use crate::functions::testing::{call, s};

    use crate::value::Value;

    #[test]
    fn parsing() {
        // Documented: parse_ipv4('127.0.0.1') = 2130706433; a prefix masks the address.
        assert_eq!(
            call("parse_ipv4", &[s("127.0.0.1")]),
            Value::Long(2130706433)
        );
        assert_eq!(
            call("parse_ipv4", &[s("192.1.168.1/24")]),
            Value::Long(3221334016)
        );
        assert_eq!(call("parse_ipv4", &[s("256.0.0.1")]), Value::Null);
        assert_eq!(call("parse_ipv4", &[s("1.2.3")]), Value::Null);
        assert_eq!(call("parse_ipv4", &[s("1.2.3.4/33")]), Value::Null);
        assert_eq!(
            call("ipv4_netmask_suffix", &[s("192.168.1.1/24")]),
            Value::Long(24)
        );
        assert_eq!(
            call("ipv4_netmask_suffix", &[s("192.168.1.1")]),
            Value::Long(32)
        );
        assert_eq!(
            call("parse_ipv4_mask", &[s("192.1.168.1"), Value::Long(24)]),
            Value::Long(3221334016)
        );
    }

    #[test]
    fn predicates() {
        // Documented ipv4_is_private examples.
        assert_eq!(
            call("ipv4_is_private", &[s("192.168.1.1/24")]),
            Value::Bool(true)
        );
        assert_eq!(
            call("ipv4_is_private", &[s("10.1.2.3/24")]),
            Value::Bool(true)
        );
        assert_eq!(
            call("ipv4_is_private", &[s("202.1.2.3")]),
            Value::Bool(false)
        );
        assert_eq!(
            call("ipv4_is_private", &[s("127.0.0.1")]),
            Value::Bool(false)
        );
        assert_eq!(
            call("ipv4_is_private", &[s("172.31.0.1")]),
            Value::Bool(true)
        );
        assert_eq!(call("ipv4_is_private", &[s("nope")]), Value::Null);
        // Documented ipv4_is_in_range examples.
        assert_eq!(
            call("ipv4_is_in_range", &[s("192.168.1.1"), s("192.168.1.1")]),
            Value::Bool(true)
        );
        assert_eq!(
            call(
                "ipv4_is_in_range",
                &[s("192.168.1.1"), s("192.168.1.255/24")]
            ),
            Value::Bool(true)
        );
        assert_eq!(
            call(
                "ipv4_is_in_range",
                &[s("192.168.2.1"), s("192.168.1.255/24")]
            ),
            Value::Bool(false)
        );
        // Documented ipv4_is_in_any_range examples.
        let args = [
            s("192.168.1.6"),
            s("192.168.1.1/24"),
            s("10.0.0.1/8"),
            s("127.1.0.1/16"),
        ];
        assert_eq!(call("ipv4_is_in_any_range", &args), Value::Bool(true));
        let list = parse_json_text(r#"["127.0.0.1","192.168.1.1"]"#);
        assert_eq!(
            call("ipv4_is_in_any_range", &[s("127.0.0.1"), list]),
            Value::Bool(true)
        );
        assert_eq!(
            call("ipv4_is_in_any_range", &[s("1.1.1.1"), s("10.0.0.1/8")]),
            Value::Bool(false)
        );
    }

    #[test]
    fn matching_and_formatting() {
        assert_eq!(
            call("ipv4_is_match", &[s("192.168.1.1"), s("192.168.1.255/24")]),
            Value::Bool(true)
        );
        assert_eq!(
            call(
                "ipv4_is_match",
                &[s("192.168.1.1"), s("192.168.1.255"), Value::Long(24)]
            ),
            Value::Bool(true)
        );
        assert_eq!(
            call("ipv4_is_match", &[s("192.168.1.1"), s("192.168.1.255")]),
            Value::Bool(false)
        );
        assert_eq!(
            call("ipv4_compare", &[s("192.168.1.1"), s("192.168.1.255")]),
            Value::Long(-1)
        );
        assert_eq!(
            call("ipv4_compare", &[s("192.168.1.1/24"), s("192.168.1.255")]),
            Value::Long(0)
        );
        // Documented: format_ipv4('192.168.1.255', 24) = '192.168.1.0';
        // format_ipv4(3232236031, 24) = '192.168.1.0';
        // format_ipv4_mask('192.168.1.255', 24) = '192.168.1.0/24'.
        assert_eq!(
            call("format_ipv4", &[s("192.168.1.255"), Value::Long(24)]),
            s("192.168.1.0")
        );
        assert_eq!(
            call("format_ipv4", &[Value::Long(3232236031), Value::Long(24)]),
            s("192.168.1.0")
        );
        assert_eq!(
            call("format_ipv4_mask", &[s("192.168.1.255"), Value::Long(24)]),
            s("192.168.1.0/24")
        );
        assert_eq!(call("format_ipv4_mask", &[s("10.0.0.1")]), s("10.0.0.1/32"));
        assert_eq!(call("format_ipv4", &[Value::Long(-1)]), s(""));
    }
}
