//! `extract(regex, group, column)` over a string column without building a `Value` per row:
//! the text of each row (or each distinct value) is matched as a `&str`, the group's slice goes
//! straight into the output dictionary, and the regex crate's captures are read into one
//! reused set of slots.
//!
//! Patterns shaped `(?i)LITERAL([^c]*)` (the Defender queries' `(?i)providers/…/([^/]*)`,
//! where `.` in the literal matches any character but a newline) are matched without the
//! regex engine on ASCII text: the leftmost place where the literal matches (ASCII case
//! folding; on ASCII text Unicode simple case folding of an ASCII letter finds only its two
//! ASCII cases), then the run of bytes up to the first `c`. Text with non-ASCII bytes goes to
//! the regex, so the result is the regex's in every case (see the randomized test).

use super::eval::Datum;
use crate::error::Result;
use crate::functions::args::int_arg;
use crate::functions::Context;
use crate::search::{Atom, FoldLiteral};
use crate::store::{Column, StrBuilder, StrColumn};
use crate::value::Value;
use regex::{CaptureLocations, Regex};
use std::sync::Arc;

/// Rows between two looks at the cancel flag.
const CANCEL_CHECK_EVERY: usize = 16 * 1024;

/// `extract(re, group, s)` when `re` and `group` are constants and `s` is a string column;
/// `None` when the call has another shape (the general kernel then runs).
pub fn extract_column(args: &[Datum], rows: usize, ctx: &Context) -> Option<Result<Datum>> {
    let [Datum::Scalar(pattern @ Value::String(text)), Datum::Scalar(group), Datum::Column(c)] =
        args
    else {
        return None;
    };
    let Column::String(s) = &**c else {
        return None;
    };
    let group = usize::try_from(int_arg(group)?).ok()?;
    let re = ctx.regex(pattern)?;
    let mut x = Extractor::new(re, text, group);
    Some(run(&mut x, s, rows, ctx).map(|col| Datum::Column(Arc::new(Column::String(col)))))
}

fn run(x: &mut Extractor, s: &StrColumn, rows: usize, ctx: &Context) -> Result<StrColumn> {
    if s.dict.len() <= rows {
        // Once per distinct value, then the codes are mapped.
        let mut b = StrBuilder::with_capacity(s.dict.len());
        for (i, text) in s.dict.iter().enumerate() {
            if i % CANCEL_CHECK_EVERY == 0 {
                ctx.check_cancelled()?;
            }
            b.push(x.extract(text).unwrap_or(""));
        }
        let mapped = b.finish();
        return Ok(StrColumn {
            codes: s
                .codes
                .iter()
                .map(|&c| mapped.codes.get(c as usize).copied().unwrap_or(0))
                .collect(),
            dict: mapped.dict,
        });
    }
    let mut b = StrBuilder::with_capacity(rows);
    let mut last: Option<&str> = None;
    s.for_each_warmed(|row, text| {
        if row % CANCEL_CHECK_EVERY == 0 {
            ctx.check_cancelled()?;
        }
        let found = x.extract(text).unwrap_or("");
        // Neighbouring rows often give the same text: reuse its code without hashing.
        if last == Some(found) && b.push_repeat() {
            return Ok(());
        }
        b.push(found);
        last = Some(found);
        Ok(())
    })?;
    Ok(b.finish())
}

/// Finds a regex's group in texts, reusing its capture slots.
pub struct Extractor {
    re: Arc<Regex>,
    group: usize,
    fast: Option<LiteralCapture>,
    slots: CaptureLocations,
}

impl Extractor {
    /// An extractor of `group` (0: the whole match) for `re`, compiled from `pattern`.
    pub fn new(re: Arc<Regex>, pattern: &str, group: usize) -> Extractor {
        let slots = re.capture_locations();
        Extractor {
            fast: LiteralCapture::parse(pattern),
            re,
            group,
            slots,
        }
    }

    /// The group's text in the first match, or `None` (no match, or no such group).
    pub fn extract<'t>(&mut self, text: &'t str) -> Option<&'t str> {
        if let Some(fast) = &self.fast {
            let bytes = text.as_bytes();
            match fast.find(bytes) {
                // Up to the end of the group all is ASCII: a match through a non-ASCII
                // character (`K` as the Kelvin sign, `s` as the long s, a multi-byte `.`)
                // would have to start earlier and so lie in that ASCII prefix, where the byte
                // search would have found it; and the group is the regex's run of `[^c]`.
                Some((start, body_end, end)) if all_ascii(bytes.get(..end)?) => {
                    return match self.group {
                        0 => text.get(start..end),
                        1 => text.get(body_end..end),
                        _ => None,
                    };
                }
                None if all_ascii(bytes) => return None,
                // Non-ASCII text where it matters: the regex decides.
                _ => {}
            }
        }
        if self.group == 0 {
            return self.re.find(text).map(|m| m.as_str());
        }
        self.re.captures_read(&mut self.slots, text)?;
        let (a, b) = self.slots.get(self.group)?;
        text.get(a..b)
    }
}

/// Whether `bytes` are all ASCII: sixteen bytes at a time with no early exit (the ids this
/// runs over are ASCII), where `<[u8]>::is_ascii` read the bytes after its last 64-byte block
/// one at a time.
fn all_ascii(bytes: &[u8]) -> bool {
    let (blocks, rest) = bytes.as_chunks::<16>();
    let high = blocks
        .iter()
        .fold(0u128, |acc, b| acc | u128::from_ne_bytes(*b));
    high & u128::from_ne_bytes([0x80; 16]) == 0 && rest.iter().all(u8::is_ascii)
}

/// A pattern `(?i)?LITERAL([^c]*)`, matched on ASCII text with byte searches.
#[derive(Debug, Clone, PartialEq)]
pub struct LiteralCapture {
    literal: FoldLiteral,
    /// The byte that ends the group, and its other case under `(?i)` (`(?i)[^b]` excludes `B`
    /// too), else the same byte again.
    stop: u8,
    stop_other_case: u8,
}

/// Bytes a literal may hold unescaped (outside `x` mode none of them is special).
fn plain(c: u8) -> bool {
    c.is_ascii_alphanumeric() || b"/-_:@,=;%&~'\"!<> #".contains(&c)
}

/// Bytes that may follow a `\` to stand for themselves.
fn escapable(c: u8) -> bool {
    b".\\/-^$*+?()[]{}|".contains(&c)
}

/// Bytes accepted as the excluded byte of the group's `[^c]`.
fn stop_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || b"/,;:=.?#@|_!%'\" ".contains(&c)
}

impl LiteralCapture {
    /// Recognizes the pattern, or `None` for any other shape.
    pub fn parse(pattern: &str) -> Option<LiteralCapture> {
        let (fold, rest) = match pattern.strip_prefix("(?i)") {
            Some(rest) => (true, rest.as_bytes()),
            None => (false, pattern.as_bytes()),
        };
        let split = rest.len().checked_sub(7)?;
        let (head, tail) = rest.split_at(split);
        let [b'(', b'[', b'^', stop, b']', b'*', b')'] = *tail else {
            return None;
        };
        if !stop_byte(stop) {
            return None;
        }
        let mut atoms = Vec::with_capacity(head.len());
        let mut i = 0;
        while let Some(&c) = head.get(i) {
            let lit = match c {
                b'\\' => {
                    let e = *head.get(i + 1)?;
                    if !escapable(e) {
                        return None;
                    }
                    i += 1;
                    e
                }
                b'.' => {
                    atoms.push(Atom::Any);
                    i += 1;
                    continue;
                }
                c if plain(c) => c,
                _ => return None,
            };
            atoms.push(if fold && lit.is_ascii_alphabetic() {
                Atom::Fold(lit.to_ascii_lowercase())
            } else {
                Atom::Exact(lit)
            });
            i += 1;
        }
        let stop_other_case = if fold && stop.is_ascii_alphabetic() {
            stop ^ 0x20
        } else {
            stop
        };
        Some(LiteralCapture {
            literal: FoldLiteral::new(atoms)?,
            stop,
            stop_other_case,
        })
    }

    /// The first match in ASCII `hay`: (start, end of the literal, end of the group).
    fn find(&self, hay: &[u8]) -> Option<(usize, usize, usize)> {
        let start = self.literal.find(hay, 0)?;
        let body = start + self.literal.len();
        let tail = hay.get(body..)?;
        let end =
            memchr::memchr2(self.stop, self.stop_other_case, tail).map_or(hay.len(), |k| body + k);
        Some((start, body, end))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn regex(p: &str) -> Arc<Regex> {
        match Regex::new(p) {
            Ok(re) => Arc::new(re),
            Err(e) => unreachable!("{p}: {e}"),
        }
    }

    /// The regex crate's answer, as the general kernel computes it.
    fn by_regex(re: &Regex, group: usize, text: &str) -> Option<String> {
        let found = match group {
            0 => re.find(text).map(|m| m.as_str()),
            g => re.captures(text).and_then(|c| c.get(g)).map(|m| m.as_str()),
        };
        found.map(str::to_string)
    }

    #[test]
    fn recognizes_only_literal_then_negated_class() {
        let defender = r"(?i)providers/Microsoft.Security/assessments/([^/]*)";
        let lc = LiteralCapture::parse(defender);
        assert!(lc.is_some());
        assert_eq!(lc.map(|l| l.stop), Some(b'/'));
        for other in [
            r"providers/([^/]+)",
            r"(a|b)([^/]*)",
            r"x([^/]*)y",
            r"([^/]*)",
            r"...([^/]*)",
            r"a\d([^/]*)",
            r"(?i)a([^\]]*)",
            r"a*([^/]*)",
        ] {
            assert_eq!(LiteralCapture::parse(other), None, "{other}");
        }
    }

    #[test]
    fn hand_checked_cases() {
        let p = r"(?i)providers/Microsoft.Security/assessments/([^/]*)";
        let mut x = Extractor::new(regex(p), p, 1);
        let id = "/subscriptions/s/resourceGroups/r/providers/Microsoft.Compute/virtualMachines/vm/providers/Microsoft.Security/assessments/1f655fb7/subassessments/a";
        assert_eq!(x.extract(id), Some("1f655fb7"));
        assert_eq!(
            x.extract("/PROVIDERS/microsoft-security/ASSESSMENTS/k"),
            Some("k")
        );
        assert_eq!(
            x.extract("providers/Microsoft.Security/assessments/"),
            Some("")
        );
        assert_eq!(
            x.extract("providers/Microsoft\nSecurity/assessments/k"),
            None
        );
        assert_eq!(x.extract(""), None);
        // Unicode case folding: the Kelvin sign and the long s are `k` and `s` under (?i).
        let q = r"(?i)ask/([^/]*)";
        let mut y = Extractor::new(regex(q), q, 1);
        assert_eq!(y.extract("A\u{17f}\u{212a}/é/x"), Some("é"));
        assert_eq!(y.extract("ASK/Straße"), Some("Straße"));
        let mut whole = Extractor::new(regex(q), q, 0);
        assert_eq!(whole.extract("xx ask/v/w"), Some("ask/v"));
        let mut missing = Extractor::new(regex(q), q, 2);
        assert_eq!(missing.extract("ask/v"), None);
    }

    /// The literal matcher (and the slot-reusing regex path) against the regex crate on
    /// random patterns and texts over an alphabet that provokes near-misses, case variants,
    /// newlines, unicode folds and the stop byte.
    #[test]
    fn agrees_with_the_regex_on_random_inputs() {
        let mut next = crate::test_rng::xorshift(0x2545_f491_4f6c_dd1d);
        let pattern_bits = ["a", "b", "A", "k", "s", "/", ".", "\\.", "-", "1", "\\/"];
        let text_bits = [
            "a", "b", "A", "B", "k", "K", "s", "S", "/", ".", "-", "1", "\n", "é", "\u{212a}",
            "\u{17f}", "ab", "a/",
        ];
        let stops = ["/", ".", "b", "B", "k", "-"];
        let mut checked_fast = 0;
        for _ in 0..3000 {
            let body: String = (0..1 + next(4))
                .map(|_| pattern_bits[next(pattern_bits.len())])
                .collect();
            let flag = if next(2) == 0 { "(?i)" } else { "" };
            let pattern = format!("{flag}{body}([^{}]*)", stops[next(stops.len())]);
            let re = regex(&pattern);
            let group = next(3);
            let mut x = Extractor::new(Arc::clone(&re), &pattern, group);
            if x.fast.is_some() {
                checked_fast += 1;
            }
            for _ in 0..20 {
                let text: String = (0..next(12))
                    .map(|_| text_bits[next(text_bits.len())])
                    .collect();
                let want = by_regex(&re, group, &text);
                let got = x.extract(&text).map(str::to_string);
                assert_eq!(got, want, "pattern {pattern:?} group {group} on {text:?}");
            }
        }
        assert!(checked_fast > 1000, "only {checked_fast} fast patterns");
    }
}
