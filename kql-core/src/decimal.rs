//! Exact decimal numbers for the `decimal` type: a 128-bit integer mantissa and a power-of-ten
//! scale, so values such as `parse_version("1.2.3.4")` (1,000,000,020,000,000,300,000,004,
//! beyond the 53 bits a `real` holds exactly) keep every digit, compare exactly and print in
//! full. Kusto's decimal holds up to 34 significant digits; here the mantissa holds up to 38.
//!
//! `+`, `-` and `*` of decimals (and of a decimal with an integer) are exact while the result
//! fits the mantissa; division, functions such as `round`, and results that do not fit go
//! through `real` (a documented deviation) and are stored back as decimals. Storage,
//! conversion to and from text, comparison, grouping and output are exact.

use std::cmp::Ordering;
use std::fmt;

/// The largest scale (digits after the point) kept.
const MAX_SCALE: u32 = 38;

/// An exact decimal: `mantissa / 10^scale`, normalised (no trailing zero digits after the
/// point), so equal numbers have equal representations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Decimal {
    mantissa: i128,
    scale: u32,
}

impl Decimal {
    /// `mantissa / 10^scale`, normalised; `None` when `scale` exceeds 38.
    pub fn new(mantissa: i128, scale: u32) -> Option<Decimal> {
        if scale > MAX_SCALE {
            return None;
        }
        let (mut mantissa, mut scale) = (mantissa, scale);
        while scale > 0 && mantissa % 10 == 0 {
            mantissa /= 10;
            scale -= 1;
        }
        Some(Decimal { mantissa, scale })
    }

    /// An integer as a decimal.
    pub fn from_i128(i: i128) -> Decimal {
        Decimal {
            mantissa: i,
            scale: 0,
        }
    }

    /// The decimal with the shortest digits that read back as `r` (`None` for NaN, infinities
    /// and magnitudes beyond the mantissa).
    pub fn from_f64(r: f64) -> Option<Decimal> {
        if !r.is_finite() {
            return None;
        }
        // `{}` prints the shortest round-tripping digits, without an exponent.
        Decimal::parse(&format!("{r}"))
    }

    /// Reads `[+-]digits[.digits][e[+-]digits]`; `None` for anything else or an overflow.
    /// Digits beyond the 38th after the point are dropped.
    pub fn parse(text: &str) -> Option<Decimal> {
        let t = text.trim();
        let (negative, t) = match t.as_bytes().first() {
            Some(b'-') => (true, t.get(1..)?),
            Some(b'+') => (false, t.get(1..)?),
            _ => (false, t),
        };
        let (number, exponent) = match t.find(['e', 'E']) {
            Some(i) => (t.get(..i)?, t.get(i + 1..)?.parse::<i32>().ok()?),
            None => (t, 0),
        };
        let (int_part, frac_part) = match number.find('.') {
            Some(i) => (number.get(..i)?, number.get(i + 1..)?),
            None => (number, ""),
        };
        if int_part.is_empty() && frac_part.is_empty() {
            return None;
        }
        let mut mantissa: i128 = 0;
        let mut scale: i64 = 0;
        for c in int_part.chars() {
            let d = c.to_digit(10)?;
            mantissa = mantissa.checked_mul(10)?.checked_add(i128::from(d))?;
        }
        for c in frac_part.chars() {
            let d = c.to_digit(10)?;
            if scale >= i64::from(MAX_SCALE) {
                continue;
            }
            match mantissa
                .checked_mul(10)
                .and_then(|m| m.checked_add(i128::from(d)))
            {
                Some(m) => {
                    mantissa = m;
                    scale += 1;
                }
                // No room for more fraction digits: the rest is dropped.
                None => break,
            }
        }
        scale -= i64::from(exponent);
        while scale < 0 {
            mantissa = mantissa.checked_mul(10)?;
            scale += 1;
        }
        while scale > i64::from(MAX_SCALE) {
            mantissa /= 10;
            scale -= 1;
        }
        let mantissa = if negative { -mantissa } else { mantissa };
        Decimal::new(mantissa, u32::try_from(scale).ok()?)
    }

    /// The nearest `real`.
    pub fn to_f64(self) -> f64 {
        // Through the text, so the result is correctly rounded.
        self.to_string().parse().unwrap_or(f64::NAN)
    }

    /// The integer part (truncated toward zero), when it fits a `long`.
    pub fn trunc_i64(self) -> Option<i64> {
        let whole = self.mantissa / 10i128.checked_pow(self.scale)?;
        i64::try_from(whole).ok()
    }

    /// `self + other`, exactly (`None` when it does not fit).
    pub fn checked_add(self, other: Decimal) -> Option<Decimal> {
        let (a, b, scale) = Decimal::aligned(self, other)?;
        Decimal::new(a.checked_add(b)?, scale)
    }

    /// `self - other`, exactly (`None` when it does not fit).
    pub fn checked_sub(self, other: Decimal) -> Option<Decimal> {
        let (a, b, scale) = Decimal::aligned(self, other)?;
        Decimal::new(a.checked_sub(b)?, scale)
    }

    /// `self * other`, exactly (`None` when it does not fit).
    pub fn checked_mul(self, other: Decimal) -> Option<Decimal> {
        Decimal::new(
            self.mantissa.checked_mul(other.mantissa)?,
            self.scale.checked_add(other.scale)?,
        )
    }

    /// Both mantissas at the larger scale, and that scale.
    fn aligned(a: Decimal, b: Decimal) -> Option<(i128, i128, u32)> {
        let scale = a.scale.max(b.scale);
        let up = |d: Decimal| d.mantissa.checked_mul(10i128.checked_pow(scale - d.scale)?);
        Some((up(a)?, up(b)?, scale))
    }

    /// True for zero.
    pub fn is_zero(self) -> bool {
        self.mantissa == 0
    }
}

impl Ord for Decimal {
    fn cmp(&self, other: &Decimal) -> Ordering {
        if self.scale == other.scale {
            return self.mantissa.cmp(&other.mantissa);
        }
        // Bring both to the larger scale; when that overflows, the one scaled up is the
        // larger in magnitude, so its sign decides.
        let (lo, hi, flipped) = if self.scale < other.scale {
            (self, other, false)
        } else {
            (other, self, true)
        };
        let factor = 10i128.checked_pow(hi.scale - lo.scale);
        let ord = match factor.and_then(|f| lo.mantissa.checked_mul(f)) {
            Some(scaled) => scaled.cmp(&hi.mantissa),
            None => lo.mantissa.cmp(&0),
        };
        if flipped {
            ord.reverse()
        } else {
            ord
        }
    }
}

impl std::ops::Neg for Decimal {
    type Output = Decimal;

    fn neg(self) -> Decimal {
        Decimal {
            mantissa: self.mantissa.wrapping_neg(),
            scale: self.scale,
        }
    }
}

impl PartialOrd for Decimal {
    fn partial_cmp(&self, other: &Decimal) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let digits = self.mantissa.unsigned_abs().to_string();
        if self.mantissa < 0 {
            f.write_str("-")?;
        }
        let scale = self.scale as usize;
        if scale == 0 {
            return f.write_str(&digits);
        }
        if digits.len() > scale {
            let (int, frac) = digits.split_at(digits.len() - scale);
            write!(f, "{int}.{frac}")
        } else {
            write!(f, "0.{}{digits}", "0".repeat(scale - digits.len()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Decimal;

    fn d(s: &str) -> Decimal {
        Decimal::parse(s).unwrap_or_else(|| panic!("{s}"))
    }

    #[test]
    fn text_round_trips() {
        for (text, printed) in [
            ("1.50", "1.5"),
            ("-0.25", "-0.25"),
            ("100", "100"),
            ("1e3", "1000"),
            ("1.5e-3", "0.0015"),
            ("+7.", "7"),
            (".5", "0.5"),
            ("1000000020000000300000004", "1000000020000000300000004"),
        ] {
            assert_eq!(d(text).to_string(), printed, "{text}");
        }
        for bad in ["", "-", "1.2.3", "abc", "1e", "1e99"] {
            assert_eq!(Decimal::parse(bad), None, "{bad}");
        }
        assert_eq!(
            Decimal::from_f64(0.1).map(|x| x.to_string()),
            Some("0.1".into())
        );
        assert_eq!(Decimal::from_f64(f64::NAN), None);
        assert_eq!(d("2.5").to_f64(), 2.5);
        assert_eq!(d("-2.5").trunc_i64(), Some(-2));
    }

    #[test]
    fn exact_arithmetic() {
        let sum = |a: &str, b: &str| d(a).checked_add(d(b)).map(|x| x.to_string());
        assert_eq!(sum("0.1", "0.2"), Some("0.3".into()));
        assert_eq!(
            sum("1000000020000000300000004", "1"),
            Some("1000000020000000300000005".into())
        );
        assert_eq!(
            d("1.5").checked_sub(d("2.25")).map(|x| x.to_string()),
            Some("-0.75".into())
        );
        assert_eq!(
            d("1.5").checked_mul(d("-0.2")).map(|x| x.to_string()),
            Some("-0.3".into())
        );
        assert_eq!(d("1e37").checked_mul(d("100")), None);
    }

    #[test]
    fn comparisons_are_exact() {
        // Differ in the 26th digit: equal as reals, ordered as decimals.
        let a = d("10000000000002034800000000");
        let b = d("10000000000002034900000000");
        assert_eq!(a.to_f64(), b.to_f64());
        assert!(a < b);
        assert!(d("1.5") > d("1.25"));
        assert!(d("-1.5") < d("-1.25"));
        assert_eq!(d("1.10"), d("1.1"));
        assert!(d("99999999999999999999999999999999999999") > d("0.5"));
        assert!(
            d("-99999999999999999999999999999999999999")
                < d("0.00000000000000000000000000000000000001")
        );
    }
}
