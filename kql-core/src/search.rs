//! Searching text for a literal whose letters may match in either ASCII case, the way
//! resource ids are searched: by its rarest byte first (`memchr`), then the whole literal
//! compared eight bytes at a time. `extract`'s literal patterns (`exec::extract`) and the
//! `contains` test (`exec::text_test`) search with it.

/// One byte of a literal.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Atom {
    /// This byte exactly.
    Exact(u8),
    /// This ASCII letter in either case (stored lower-case).
    Fold(u8),
    /// `.`: any byte but `\n` (on ASCII text, any character but a newline).
    Any,
}

/// A compiled literal: its atoms, the one searched for first, and the words the rest is
/// compared with.
///
/// ```
/// use kql_core::search::FoldLiteral;
///
/// let id = b"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm-1";
/// let literal = FoldLiteral::ignoring_ascii_case("VIRTUALMACHINES/vm-").unwrap();
/// assert_eq!(literal.find(id, 0), Some(63));
/// assert_eq!(literal.find(id, 64), None);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct FoldLiteral {
    atoms: Vec<Atom>,
    /// The atom searched for (the rarest-looking one) and its position in `atoms`.
    anchor: usize,
    /// The literal as 8-byte words to compare a window with (see [`Word::cover`]).
    head: Vec<Word>,
    tail: Option<Word>,
    /// Positions of `.` atoms.
    any_at: Vec<usize>,
}

impl FoldLiteral {
    /// The literal of `atoms`; `None` when none of them is a byte to search for (no atoms,
    /// or only `.`).
    pub fn new(atoms: Vec<Atom>) -> Option<FoldLiteral> {
        let anchor = (0..atoms.len())
            .filter(|&k| atoms.get(k).is_some_and(|a| *a != Atom::Any))
            .min_by_key(|&k| atoms.get(k).map_or(u8::MAX, |a| commonness(*a)))?;
        let masks: Vec<(u8, u8, u8)> = atoms
            .iter()
            .map(|a| match *a {
                Atom::Exact(x) => (0, 0xff, x),
                Atom::Fold(x) => (0x20, 0xff, x),
                Atom::Any => (0, 0, 0),
            })
            .collect();
        let (head, tail) = Word::cover(&masks);
        let any_at = (0..atoms.len())
            .filter(|&i| atoms.get(i) == Some(&Atom::Any))
            .collect();
        Some(FoldLiteral {
            atoms,
            anchor,
            head,
            tail,
            any_at,
        })
    }

    /// `needle` with its ASCII letters matching in either case and every other byte as it is
    /// (what `contains` and `has` compare); `None` for an empty needle.
    pub fn ignoring_ascii_case(needle: &str) -> Option<FoldLiteral> {
        let atoms = needle
            .bytes()
            .map(|b| {
                if b.is_ascii_alphabetic() {
                    Atom::Fold(b.to_ascii_lowercase())
                } else {
                    Atom::Exact(b)
                }
            })
            .collect();
        FoldLiteral::new(atoms)
    }

    /// The literal's length in bytes.
    pub fn len(&self) -> usize {
        self.atoms.len()
    }

    /// Always false: a literal has a byte to search for.
    pub fn is_empty(&self) -> bool {
        self.atoms.is_empty()
    }

    /// Where the first match at or after `from` of `hay` starts, comparing bytes (a `.` atom
    /// matches one byte; callers that need characters check that the text is ASCII).
    pub fn find(&self, hay: &[u8], from: usize) -> Option<usize> {
        let n = self.atoms.len();
        let anchor = *self.atoms.get(self.anchor)?;
        let mut at_least = from.checked_add(self.anchor)?;
        while at_least < hay.len() {
            let rest = hay.get(at_least..)?;
            let hit = match anchor {
                Atom::Fold(x) => memchr::memchr2(x, x.to_ascii_uppercase(), rest),
                Atom::Exact(x) => memchr::memchr(x, rest),
                Atom::Any => None,
            }?;
            let at = at_least + hit;
            let start = at - self.anchor;
            let window = hay.get(start..start + n)?;
            if self.verify(window) {
                return Some(start);
            }
            at_least = at + 1;
        }
        None
    }

    /// Whether the literal matches `window` (as long as the literal): eight bytes at a time,
    /// stopping at the first word that differs (most candidates differ in their first word),
    /// then `.` positions reject newlines.
    fn verify(&self, window: &[u8]) -> bool {
        let (chunks, _) = window.as_chunks::<8>();
        chunks
            .iter()
            .zip(&self.head)
            .all(|(chunk, w)| w.matches(u64::from_le_bytes(*chunk)))
            && self
                .tail
                .as_ref()
                .is_none_or(|w| w.matches(last_word(window)))
            && self.any_at.iter().all(|&i| window.get(i) != Some(&b'\n'))
    }
}

/// The last eight bytes of `window` as a little-endian word; a window shorter than eight,
/// padded with zeros at the end.
fn last_word(window: &[u8]) -> u64 {
    let bytes = match window.last_chunk::<8>() {
        Some(b) => *b,
        None => std::array::from_fn(|k| window.get(k).copied().unwrap_or(0)),
    };
    u64::from_le_bytes(bytes)
}

/// Eight atoms of the literal: per byte (little-endian) the bits or-ed in (0x20 for a folded
/// letter), the bits compared (none for `.` and for padding) and the byte expected.
#[derive(Debug, Clone, PartialEq)]
struct Word {
    fold: u64,
    care: u64,
    want: u64,
}

impl Word {
    /// The words a literal of `masks` (`(fold, care, want)` per atom) is compared with: one
    /// per eight atoms from the start, and for a length that is not a multiple of eight a
    /// tail word over the last eight atoms (overlapping the one before; a literal shorter
    /// than eight is all tail, padded at the end).
    fn cover(masks: &[(u8, u8, u8)]) -> (Vec<Word>, Option<Word>) {
        let (chunks, rest) = masks.as_chunks::<8>();
        let head = chunks.iter().map(|c| Word::of(c)).collect();
        let tail = (!rest.is_empty()).then(|| match masks.last_chunk::<8>() {
            Some(last) => Word::of(last),
            None => Word::of(masks),
        });
        (head, tail)
    }

    /// The word of up to eight atoms, padded with atoms that compare nothing.
    fn of(atoms: &[(u8, u8, u8)]) -> Word {
        let pack = |part: fn(&(u8, u8, u8)) -> u8| {
            u64::from_le_bytes(std::array::from_fn(|k| atoms.get(k).map_or(0, part)))
        };
        Word {
            fold: pack(|m| m.0),
            care: pack(|m| m.1),
            want: pack(|m| m.2),
        }
    }

    /// Whether `bytes` are what the literal wants under this word.
    fn matches(&self, bytes: u64) -> bool {
        ((bytes | self.fold) & self.care) == self.want
    }
}
/// How common a byte looks in resource ids and paths (lower: rarer, a better anchor).
fn commonness(a: Atom) -> u8 {
    // Rarest first, as met in ARM resource ids: hex digits `a`–`f` fill every GUID, and
    // `subscriptions`, `resourceGroups`, `providers`, `Microsoft` appear in nearly all.
    const LETTERS: &[u8] = b"zqjxwykhgvlpmunrtiocsbfdea";
    match a {
        Atom::Any => u8::MAX,
        Atom::Fold(c) | Atom::Exact(c) if c.is_ascii_alphabetic() => {
            let lower = c.to_ascii_lowercase();
            let rank = LETTERS.iter().position(|&l| l == lower).unwrap_or(0) as u8;
            // One case alone is met half as often as both.
            if matches!(a, Atom::Exact(_)) {
                rank.saturating_mul(2) / 3
            } else {
                rank
            }
        }
        Atom::Fold(c) | Atom::Exact(c) if c.is_ascii_digit() => 24,
        Atom::Fold(b'/' | b'-') | Atom::Exact(b'/' | b'-') => 40,
        _ => 8,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every position `needle` occurs at in `hay`, ASCII case ignored (the plain definition).
    fn naive(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
        (from..=hay.len().checked_sub(needle.len())?).find(|&i| {
            hay.get(i..i + needle.len())
                .is_some_and(|w| w.eq_ignore_ascii_case(needle))
        })
    }

    #[test]
    fn ignoring_case_finds_what_a_plain_scan_finds() {
        let mut next = crate::test_rng::xorshift(0x2545_f491_4f6c_dd1d);
        let bits = ["a", "B", "b", "/", "-", "y", "Y", "é", "0", "vm-", "ab/"];
        for _ in 0..4000 {
            let needle: String = (0..1 + next(4)).map(|_| bits[next(bits.len())]).collect();
            let hay: String = (0..next(14)).map(|_| bits[next(bits.len())]).collect();
            let from = next(hay.len() + 2);
            let Some(lit) = FoldLiteral::ignoring_ascii_case(&needle) else {
                unreachable!("a non-empty needle compiles");
            };
            assert_eq!(
                lit.find(hay.as_bytes(), from),
                naive(hay.as_bytes(), needle.as_bytes(), from),
                "{needle:?} in {hay:?} from {from}"
            );
        }
        assert_eq!(FoldLiteral::ignoring_ascii_case(""), None);
    }

    #[test]
    fn the_rarest_byte_is_searched_first() {
        // `h` is rarer in resource ids than `v`, `m` or `/`.
        let Some(lit) = FoldLiteral::ignoring_ascii_case("virtualmachines/vm-") else {
            unreachable!("compiles");
        };
        assert_eq!(lit.atoms.get(lit.anchor), Some(&Atom::Fold(b'h')));
        let id =
            "/subscriptions/s/resourceGroups/RG/providers/Microsoft.Compute/virtualMachines/vm-1";
        assert_eq!(lit.find(id.as_bytes(), 0), id.find("virtualMachines"));
    }
}
