//! A string column's dictionary: an arena holding all of its distinct strings back to back in
//! one buffer, with the offsets where each starts and ends. A dictionary costs one allocation
//! for its text and one for its offsets however many values it holds (a column of a million
//! distinct ids is not a million allocations), and its values lie in first-use order in
//! memory, so a scan in row order of a freshly loaded column reads memory sequentially.

/// Distinct strings stored back to back in one buffer, numbered from 0 in order of addition.
#[derive(Debug, Clone, Default)]
pub struct Dict {
    text: String,
    offsets: Offsets,
}

/// Where the strings lie in the text: string `i` is `text[offsets[i]..offsets[i + 1]]`. Empty
/// for an empty dictionary, else one entry more than there are strings, the first being 0 (so
/// a string's bounds are two neighbouring entries, whichever string it is). 4 bytes an entry
/// while the text is under 4 GiB, 8 beyond.
#[derive(Debug, Clone)]
enum Offsets {
    Small(Vec<u32>),
    Large(Vec<u64>),
}

impl Default for Offsets {
    fn default() -> Offsets {
        Offsets::Small(Vec::new())
    }
}

impl Dict {
    /// An empty dictionary.
    pub fn new() -> Dict {
        Dict::default()
    }

    /// Number of strings.
    #[inline]
    pub fn len(&self) -> usize {
        match &self.offsets {
            Offsets::Small(o) => o.len(),
            Offsets::Large(o) => o.len(),
        }
        .saturating_sub(1)
    }

    /// True when there are no strings.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Start and end offsets of string `i` in the text.
    #[inline]
    fn bounds(&self, i: usize) -> Option<(usize, usize)> {
        match &self.offsets {
            Offsets::Small(o) => match *o.get(i..)? {
                [a, b, ..] => Some((a as usize, b as usize)),
                _ => None,
            },
            Offsets::Large(o) => match *o.get(i..)? {
                [a, b, ..] => Some((usize::try_from(a).ok()?, usize::try_from(b).ok()?)),
                _ => None,
            },
        }
    }

    /// String `i`, or `None` past the end.
    #[inline]
    pub fn try_get(&self, i: usize) -> Option<&str> {
        let (start, end) = self.bounds(i)?;
        self.text.get(start..end)
    }

    /// String `i` (`""` past the end).
    #[inline]
    pub fn get(&self, i: usize) -> &str {
        self.try_get(i).unwrap_or("")
    }

    /// The bytes of string `i`, or `None` past the end: for comparisons, which need no
    /// character boundaries checked.
    #[inline]
    pub fn bytes(&self, i: usize) -> Option<&[u8]> {
        let (start, end) = self.bounds(i)?;
        self.text.as_bytes().get(start..end)
    }

    /// Appends to `out` where the strings of `codes` lie in the text, in order (an empty span
    /// for a code past the end), without reading the text: one look at the offsets' width for
    /// the lot.
    pub(super) fn spans_into(&self, codes: &[u32], out: &mut Vec<(usize, usize)>) {
        match &self.offsets {
            Offsets::Small(o) => out.extend(codes.iter().map(|&c| match o.get(c as usize..) {
                Some(&[a, b, ..]) => (a as usize, b as usize),
                _ => (0, 0),
            })),
            Offsets::Large(_) => out.extend(
                codes
                    .iter()
                    .map(|&c| self.bounds(c as usize).unwrap_or((0, 0))),
            ),
        }
    }

    /// The text of a span from [`Dict::spans_into`] (`""` for one that is not a string's).
    #[inline]
    pub(super) fn span(&self, (start, end): (usize, usize)) -> &str {
        self.text.get(start..end).unwrap_or("")
    }

    /// Reads one byte of every cache line of each span's text (the result only keeps the
    /// reads alive); no character boundary is checked, which would read the text one string
    /// after the other.
    pub(super) fn touch(&self, spans: &[(usize, usize)]) -> u8 {
        let text = self.text.as_bytes();
        let mut acc = 0u8;
        for &(start, end) in spans {
            let bytes = text.get(start..end).unwrap_or_default();
            for &b in bytes.iter().step_by(64) {
                acc ^= b;
            }
            // The last line, when the text starts late in its first line.
            acc ^= bytes.last().copied().unwrap_or(0);
        }
        acc
    }

    /// The strings in order.
    pub fn iter(&self) -> Iter<'_> {
        Iter {
            text: &self.text,
            pairs: match &self.offsets {
                Offsets::Small(o) => Pairs::Small(o.windows(2)),
                Offsets::Large(o) => Pairs::Large(o.windows(2)),
            },
        }
    }

    /// Appends `s` (whether or not it is already there) and returns its index.
    pub fn push(&mut self, s: &str) -> usize {
        let i = self.len();
        self.text.push_str(s);
        let end = self.text.len();
        match &mut self.offsets {
            Offsets::Small(o) => {
                if o.is_empty() {
                    o.push(0);
                }
                match u32::try_from(end) {
                    Ok(x) => o.push(x),
                    Err(_) => {
                        let mut wide: Vec<u64> = Vec::with_capacity(o.len() + 1);
                        wide.extend(o.iter().map(|&x| u64::from(x)));
                        wide.push(end as u64);
                        self.offsets = Offsets::Large(wide);
                    }
                }
            }
            Offsets::Large(o) => {
                if o.is_empty() {
                    o.push(0);
                }
                o.push(end as u64);
            }
        }
        i
    }

    /// Keeps the first `len` strings.
    pub fn truncate(&mut self, len: usize) {
        if len >= self.len() {
            return;
        }
        let keep = self.bounds(len).map_or(0, |(start, _)| start);
        match &mut self.offsets {
            Offsets::Small(o) => o.truncate(len + 1),
            Offsets::Large(o) => o.truncate(len + 1),
        }
        // `keep` is where a string starts, so always a character boundary.
        if self.text.is_char_boundary(keep) {
            self.text.truncate(keep);
        }
    }

    /// Releases spare capacity.
    pub fn shrink_to_fit(&mut self) {
        self.text.shrink_to_fit();
        match &mut self.offsets {
            Offsets::Small(o) => o.shrink_to_fit(),
            Offsets::Large(o) => o.shrink_to_fit(),
        }
    }

    /// Heap bytes held (text and offsets, spare capacity included).
    pub fn heap_bytes(&self) -> usize {
        self.text.capacity()
            + match &self.offsets {
                Offsets::Small(o) => o.capacity() * 4,
                Offsets::Large(o) => o.capacity() * 8,
            }
    }
}

/// Two dictionaries are equal when they hold the same strings in the same order.
impl PartialEq for Dict {
    fn eq(&self, other: &Dict) -> bool {
        self.text == other.text
            && self.len() == other.len()
            && (0..self.len()).all(|i| self.bounds(i) == other.bounds(i))
    }
}

impl Eq for Dict {}

impl<'a> FromIterator<&'a str> for Dict {
    /// A dictionary of the given strings in order (duplicates are kept).
    fn from_iter<I: IntoIterator<Item = &'a str>>(iter: I) -> Dict {
        let mut d = Dict::new();
        for s in iter {
            d.push(s);
        }
        d
    }
}

/// The strings of a [`Dict`] in order ([`Dict::iter`]): a walk along its text.
#[derive(Debug, Clone)]
pub struct Iter<'a> {
    text: &'a str,
    pairs: Pairs<'a>,
}

/// Each string's start and end offsets.
#[derive(Debug, Clone)]
enum Pairs<'a> {
    Small(std::slice::Windows<'a, u32>),
    Large(std::slice::Windows<'a, u64>),
}

impl<'a> Iterator for Iter<'a> {
    type Item = &'a str;

    #[inline]
    fn next(&mut self) -> Option<&'a str> {
        let (start, end) = match &mut self.pairs {
            Pairs::Small(w) => match *w.next()? {
                [a, b] => (a as usize, b as usize),
                _ => (0, 0),
            },
            Pairs::Large(w) => match *w.next()? {
                [a, b] => (
                    usize::try_from(a).unwrap_or(0),
                    usize::try_from(b).unwrap_or(0),
                ),
                _ => (0, 0),
            },
        };
        Some(self.text.get(start..end).unwrap_or(""))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match &self.pairs {
            Pairs::Small(w) => w.size_hint(),
            Pairs::Large(w) => w.size_hint(),
        }
    }
}

impl ExactSizeIterator for Iter<'_> {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dict_reads_back_pushed_strings_and_truncates() {
        let mut d = Dict::new();
        assert!(d.is_empty());
        for (i, s) in ["ab", "", "é€", "ab", "z"].into_iter().enumerate() {
            assert_eq!(d.push(s), i);
        }
        assert_eq!(d.len(), 5);
        assert_eq!(d.iter().collect::<Vec<_>>(), ["ab", "", "é€", "ab", "z"]);
        assert_eq!(
            (d.get(0), d.get(2), d.get(4), d.get(5), d.get(usize::MAX)),
            ("ab", "é€", "z", "", "")
        );
        assert_eq!((d.try_get(1), d.try_get(5)), (Some(""), None));
        d.truncate(3);
        assert_eq!(d, Dict::from_iter(["ab", "", "é€"]));
        assert_eq!(d.push("q"), 3);
        assert_eq!(d.iter().collect::<Vec<_>>(), ["ab", "", "é€", "q"]);
        assert_eq!(
            (d.iter().len(), d.bytes(2), d.bytes(4)),
            (4, Some("é€".as_bytes()), None)
        );
        d.shrink_to_fit();
        assert!(d.heap_bytes() >= "ab".len() + "é€q".len());
        d.truncate(0);
        assert_eq!((d.len(), d.get(0)), (0, ""));
        assert_eq!(d, Dict::new());
    }

    #[test]
    fn dict_equality_is_by_strings_not_by_offsets_width() {
        let small = Dict::from_iter(["a", "bc"]);
        let large = Dict {
            text: "abc".to_string(),
            offsets: Offsets::Large(vec![0, 1, 3]),
        };
        assert_eq!(small, large);
        assert_eq!(
            (
                large.get(0),
                large.get(1),
                large.get(2),
                large.get(usize::MAX)
            ),
            ("a", "bc", "", "")
        );
        assert_eq!(large.iter().collect::<Vec<_>>(), ["a", "bc"]);
        for d in [&small, &large] {
            let mut spans = Vec::new();
            d.spans_into(&[1, 0, 1, 2], &mut spans);
            let texts: Vec<&str> = spans.iter().map(|&s| d.span(s)).collect();
            assert_eq!(texts, ["bc", "a", "bc", ""]);
        }
        assert_ne!(small, Dict::from_iter(["ab", "c"]));
        assert_ne!(small, Dict::from_iter(["a", "bc", ""]));
        // Emptied by truncation or never filled: equal.
        let mut emptied = small.clone();
        emptied.truncate(0);
        assert_eq!((emptied.len(), emptied.iter().len()), (0, 0));
        assert_eq!(emptied, Dict::new());
    }

    #[test]
    fn dict_offsets_out_of_order_read_as_empty() {
        // Not built by `push`, but reading must not panic whatever the offsets say.
        let d = Dict {
            text: "é".to_string(),
            offsets: Offsets::Small(vec![0, 1, 9, 0]),
        };
        assert_eq!((d.get(0), d.get(1), d.get(2)), ("", "", ""));
        assert_eq!(d.iter().collect::<Vec<_>>(), ["", "", ""]);
        let mut spans = Vec::new();
        d.spans_into(&[0, 1, 2, 3, u32::MAX], &mut spans);
        assert_eq!(
            spans.iter().map(|&s| d.span(s)).collect::<Vec<_>>(),
            ["", "", "", "", ""]
        );
        assert_eq!(d.touch(&spans), 0);
    }
}
