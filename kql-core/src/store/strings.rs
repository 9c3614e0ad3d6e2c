//! Dictionary-encoded string columns: `codes` index into a shared dictionary of distinct values,
//! and the dictionary itself ([`Dict`]): an arena holding all distinct strings back to back in
//! one buffer, with the end offset of each.
//!
//! Every string column is dictionary-encoded. Gathering rows (filters, sorts, joins) copies only
//! the 4-byte codes and shares the dictionary; a predicate or function on the column can run once
//! per distinct value (see [`StrColumn::map_distinct`]) and then be mapped over the codes.
//! A dictionary costs one allocation for its text and one for its offsets however many values
//! it holds (a column of a million distinct ids is not a million allocations), and its values
//! lie in first-use order in memory, so a scan in row order of a freshly loaded column reads
//! memory sequentially. Handing a cell out as a [`crate::Value`] copies its text.

use crate::store::hash::{hash_bytes, same_bytes, HashIndex, Probe};
use std::sync::Arc;

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
    fn spans_into(&self, codes: &[u32], out: &mut Vec<(usize, usize)>) {
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
    fn span(&self, (start, end): (usize, usize)) -> &str {
        self.text.get(start..end).unwrap_or("")
    }

    /// Reads one byte of every cache line of each span's text (the result only keeps the
    /// reads alive); no character boundary is checked, which would read the text one string
    /// after the other.
    fn touch(&self, spans: &[(usize, usize)]) -> u8 {
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

/// A string column: codes into a dictionary of distinct strings.
#[derive(Debug, Clone, PartialEq)]
pub struct StrColumn {
    /// One code per row.
    pub codes: Vec<u32>,
    /// The distinct values; may hold values no row refers to any more (after a filter).
    pub dict: Arc<Dict>,
}

impl StrColumn {
    /// Number of rows.
    pub fn len(&self) -> usize {
        self.codes.len()
    }

    /// True when there are no rows.
    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }

    /// The string at `row` (`""` past the end).
    pub fn get(&self, row: usize) -> &str {
        self.codes
            .get(row)
            .map_or("", |&c| self.dict.get(c as usize))
    }

    /// The order of rows `a` and `b` by their strings (`str`'s order, which is the order of
    /// their bytes): rows with one code are equal without a look at the text, and the text
    /// is compared as bytes, with no character boundary checked.
    pub fn cmp_rows(&self, a: usize, b: usize) -> std::cmp::Ordering {
        let (Some(&x), Some(&y)) = (self.codes.get(a), self.codes.get(b)) else {
            return self.get(a).cmp(self.get(b));
        };
        if x == y {
            return std::cmp::Ordering::Equal;
        }
        self.dict
            .bytes(x as usize)
            .cmp(&self.dict.bytes(y as usize))
    }

    /// Iterates the rows' strings.
    pub fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        self.codes.iter().map(|&c| self.dict.get(c as usize))
    }

    /// A column of `len` copies of `s`.
    pub fn repeat(s: &str, len: usize) -> StrColumn {
        StrColumn {
            codes: vec![0; len],
            dict: Arc::new(Dict::from_iter([s])),
        }
    }

    /// The rows at `indices`, sharing the dictionary.
    pub fn gather(&self, indices: &[usize]) -> StrColumn {
        StrColumn {
            codes: indices.iter().map(|&i| self.codes[i]).collect(),
            dict: Arc::clone(&self.dict),
        }
    }

    /// Applies `f` to each row's string, calling it once per distinct value when the dictionary
    /// is smaller than the column and once per row otherwise.
    pub fn map_distinct<T: Clone>(&self, mut f: impl FnMut(&str) -> T) -> Vec<T> {
        if self.dict.len() <= self.codes.len() {
            let per_code: Vec<T> = self.dict.iter().map(&mut f).collect();
            self.codes
                .iter()
                .map(|&c| per_code[c as usize].clone())
                .collect()
        } else {
            self.iter().map(f).collect()
        }
    }
}

/// Rows fetched ahead together by [`StrColumn::for_each_warmed`].
const WARM_BATCH: usize = 32;

impl StrColumn {
    /// Calls `f(row, text)` for every row in order, reading ahead: the texts of the next
    /// [`WARM_BATCH`] rows are loaded (one byte of each 64-byte line) before any of them is
    /// processed. The dictionary's text is in first-use order, but once rows were sorted,
    /// joined or gathered a scan of a high-cardinality column visits it in random order and
    /// would wait on a cache miss per row; loads that do not depend on one another overlap, so
    /// the batch waits about as long as one row did. The texts are located first and made
    /// `&str` (which reads the bytes at both ends) only once loaded.
    pub fn for_each_warmed<'a, E>(
        &'a self,
        mut f: impl FnMut(usize, &'a str) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut spans: Vec<(usize, usize)> = Vec::with_capacity(WARM_BATCH);
        for (i, chunk) in self.codes.chunks(WARM_BATCH).enumerate() {
            spans.clear();
            self.dict.spans_into(chunk, &mut spans);
            std::hint::black_box(self.dict.touch(&spans));
            for (k, &span) in spans.iter().enumerate() {
                f(i * WARM_BATCH + k, self.dict.span(span))?;
            }
        }
        Ok(())
    }
}

/// Builds a [`StrColumn`], interning each distinct value once. The index holds codes and hash
/// tags only, so a new value is hashed once and never read again when the index grows, and a
/// probe reads a dictionary string only when its hash tag matches.
///
/// The index of a column of many distinct values (ARG's `id` and `name`) outgrows the cache, and
/// each probe would wait on a miss; there rows are looked up [`DEFER_BATCH`] at a time (see
/// [`Deferred`]), so that the batch's misses overlap.
#[derive(Debug, Default)]
pub struct StrBuilder {
    codes: Vec<u32>,
    dict: Dict,
    index: HashIndex,
    deferred: Deferred,
}

/// How many rows [`StrBuilder::push`] keeps waiting for their codes.
const DEFER_BATCH: usize = 32;

/// Index entries from which lookups are deferred: from here on the index (8 bytes a slot, at
/// most half full, so 256 KiB or more) takes much of a core's L2 cache.
const DEFER_FROM: usize = 1 << 14;

/// Rows appended with a placeholder code, waiting to be looked up together.
#[derive(Debug, Default)]
struct Deferred {
    /// The rows' strings, end to end.
    text: String,
    /// Per row: its position in `codes`, the end of its string in `text`, its hash.
    rows: Vec<(usize, usize, u64)>,
}

impl StrBuilder {
    /// An empty builder.
    pub fn new() -> StrBuilder {
        StrBuilder::default()
    }

    /// An empty builder with room for `rows` rows.
    pub fn with_capacity(rows: usize) -> StrBuilder {
        StrBuilder {
            codes: Vec::with_capacity(rows),
            ..StrBuilder::default()
        }
    }

    /// Appends one row.
    pub fn push(&mut self, s: &str) {
        if self.index.len() >= DEFER_FROM {
            self.defer(s);
        } else {
            self.resolve_deferred();
            let code = self.code_of(s);
            self.codes.push(code);
        }
    }

    /// True while the column has more than one distinct value per two rows (counting every
    /// deferred row as new).
    fn mostly_distinct(&self) -> bool {
        (self.dict.len() + self.deferred.rows.len()) * 2 > self.codes.len()
    }

    /// Appends a row whose code is looked up later, with the rows deferred before and after it.
    fn defer(&mut self, s: &str) {
        let d = &mut self.deferred;
        d.text.push_str(s);
        d.rows
            .push((self.codes.len(), d.text.len(), hash_bytes(s.as_bytes())));
        self.codes.push(0);
        if d.rows.len() >= DEFER_BATCH {
            self.resolve_deferred();
        }
    }

    /// Looks up the deferred rows, in row order (so codes stay numbered by first use): their
    /// index slots are read together first, then each row is looked up as `push` would.
    fn resolve_deferred(&mut self) {
        if self.deferred.rows.is_empty() {
            return;
        }
        let mut d = std::mem::take(&mut self.deferred);
        self.index.reserve(d.rows.len());
        std::hint::black_box(self.index.touch(d.rows.iter().map(|r| r.2)));
        let mut start = 0;
        for &(row, end, h) in &d.rows {
            let s = d.text.get(start..end).unwrap_or_default();
            start = end;
            let code = self.code_hashed(s, h);
            if let Some(c) = self.codes.get_mut(row) {
                *c = code;
            }
        }
        d.text.clear();
        d.rows.clear();
        self.deferred = d;
    }

    /// The code of `s`, adding it to the dictionary when new.
    fn code_of(&mut self, s: &str) -> u32 {
        if let Some(code) = self.repeat_of(s) {
            return code;
        }
        self.code_hashed(s, hash_bytes(s.as_bytes()))
    }

    /// The code of `s`, of hash `h`, adding it to the dictionary when new.
    fn code_hashed(&mut self, s: &str, h: u64) -> u32 {
        let dict = &self.dict;
        match self
            .index
            .entry(h, |c| dict.bytes(c as usize) == Some(s.as_bytes()))
        {
            Probe::Found(code) => code,
            Probe::Vacant(slot) => {
                let code = self.dict.push(s) as u32;
                self.index.insert_at(slot, h, code);
                code
            }
        }
    }

    /// The previous row's code when `s` is the previous row's string, checked only in a column
    /// that repeats values (at most one distinct value per two rows so far): there runs of one
    /// value are common (ARG's `type`, `location`, empty `kind`), and a comparison saves hashing
    /// and probing; in a column of distinct ids it would only cost a comparison.
    fn repeat_of(&self, s: &str) -> Option<u32> {
        let last = self.repeating_last()?;
        let code = *self.codes.last()?;
        same_bytes(last, s.as_bytes()).then_some(code)
    }

    /// The last row's string (its bytes), in a column that repeats values (as `repeat_of`
    /// decides); `None` in a column of mostly distinct values or before the first row.
    #[inline]
    pub(crate) fn repeating_last(&self) -> Option<&[u8]> {
        if self.mostly_distinct() || !self.deferred.rows.is_empty() {
            return None;
        }
        let last = *self.codes.last()?;
        self.dict.bytes(last as usize)
    }

    /// Appends one row and returns its code (for [`StrBuilder::push_code`]).
    pub(crate) fn push_get(&mut self, s: &str) -> u32 {
        self.push(s);
        self.resolve_deferred();
        self.codes.last().copied().unwrap_or(0)
    }

    /// Appends one row holding the string of `code`, a code this builder returned.
    pub(crate) fn push_code(&mut self, code: u32) {
        self.codes.push(code);
    }

    /// Appends one row holding the same string as the previous row (no hashing); false, and
    /// nothing appended, when there is no previous row.
    pub fn push_repeat(&mut self) -> bool {
        self.resolve_deferred();
        match self.codes.last() {
            Some(&code) => {
                self.codes.push(code);
                true
            }
            None => false,
        }
    }

    /// Number of rows pushed so far.
    pub fn len(&self) -> usize {
        self.codes.len()
    }

    /// Keeps the first `len` rows, and only the dictionary entries they use (entries are added
    /// in order of first use, so the unused ones are at the end).
    pub fn truncate(&mut self, len: usize) {
        self.resolve_deferred();
        if len >= self.codes.len() {
            return;
        }
        self.codes.truncate(len);
        let used = self.codes.iter().max().map_or(0, |&c| c as usize + 1);
        for code in (used..self.dict.len()).rev() {
            let h = hash_bytes(self.dict.get(code).as_bytes());
            self.index.remove(h, code as u32);
        }
        self.dict.truncate(used);
    }

    /// True when nothing was pushed.
    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }

    /// The finished column.
    pub fn finish(mut self) -> StrColumn {
        self.resolve_deferred();
        self.dict.shrink_to_fit();
        StrColumn {
            codes: self.codes,
            dict: Arc::new(self.dict),
        }
    }
}

impl FromIterator<String> for StrColumn {
    fn from_iter<I: IntoIterator<Item = String>>(iter: I) -> StrColumn {
        let mut b = StrBuilder::new();
        for s in iter {
            b.push(&s);
        }
        b.finish()
    }
}

impl<'a> FromIterator<&'a str> for StrColumn {
    fn from_iter<I: IntoIterator<Item = &'a str>>(iter: I) -> StrColumn {
        let mut b = StrBuilder::new();
        for s in iter {
            b.push(s);
        }
        b.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interns_and_gathers() {
        let col: StrColumn = ["a", "b", "a", "c"].into_iter().collect();
        assert_eq!(col.dict.len(), 3);
        assert_eq!(col.codes, vec![0, 1, 0, 2]);
        let g = col.gather(&[3, 0]);
        assert_eq!(g.iter().collect::<Vec<_>>(), vec!["c", "a"]);
    }

    #[test]
    fn many_values_with_empty_and_repeated_strings_get_first_use_codes() {
        // Rows cycle through "", "s1" … "s1999": 2000 distinct values (growing the index many
        // times), every one seen three times.
        let mut b = StrBuilder::new();
        for i in 0..6000 {
            let v = i % 2000;
            let s = if v == 0 {
                String::new()
            } else {
                format!("s{v}")
            };
            b.push(&s);
        }
        let col = b.finish();
        assert_eq!(col.dict.len(), 2000);
        for (row, &code) in col.codes.iter().enumerate() {
            assert_eq!(code as usize, row % 2000, "row {row}");
        }
        assert_eq!(
            (col.get(0), col.get(2001), col.get(5999)),
            ("", "s1", "s1999")
        );
    }

    #[test]
    fn runs_of_one_value_reuse_its_code() {
        // From row 2 on the column has at most one distinct value per two rows, so runs are
        // matched against the previous row; a value seen earlier but not just before, and
        // the empty string, still get their first codes.
        let rows = ["x", "x", "x", "y", "y", "", "", "x", "y", "", "z", "z"];
        let col: StrColumn = rows.into_iter().collect();
        assert_eq!(col.codes, vec![0, 0, 0, 1, 1, 2, 2, 0, 1, 2, 3, 3]);
        assert_eq!(*col.dict, Dict::from_iter(["x", "y", "", "z"]));
        assert_eq!(col.iter().collect::<Vec<_>>(), rows);
    }

    /// What a builder should hold: codes numbered by first use, `truncate` dropping the
    /// values only the dropped rows used.
    #[derive(Default)]
    struct Model {
        codes: Vec<u32>,
        dict: Vec<String>,
        code_of: std::collections::HashMap<String, u32>,
    }

    impl Model {
        fn push(&mut self, s: &str) {
            let next = self.dict.len() as u32;
            let code = *self.code_of.entry(s.to_string()).or_insert(next);
            if code == next {
                self.dict.push(s.to_string());
            }
            self.codes.push(code);
        }

        fn truncate(&mut self, len: usize) {
            self.codes.truncate(len);
            let used = self.codes.iter().max().map_or(0, |&c| c + 1);
            for s in self.dict.drain(used as usize..) {
                self.code_of.remove(&s);
            }
        }
    }

    #[test]
    fn deferred_lookups_give_first_use_codes() {
        // Past DEFER_FROM distinct values a column of distinct ids looks its rows up in batches.
        // Mixed in: values repeated within a batch and from long before, repeated pushes, a truncate in the middle of a batch, and a stretch of repeats that turns the
        // column into one that repeats values (and back). Codes must be those of a plain map.
        let mut b = StrBuilder::new();
        let mut m = Model::default();
        let mut rng = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = || {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            rng
        };
        let mut fresh = 0u64;
        for step in 0..(DEFER_FROM * 3) {
            let roll = next() % 100;
            if step == DEFER_FROM * 2 + 7 {
                let keep = b.len() - 5;
                b.truncate(keep);
                m.truncate(keep);
                continue;
            }
            let s = if (DEFER_FROM + 100..DEFER_FROM * 2).contains(&step) && roll < 60 {
                // A stretch where most rows repeat a few values.
                format!("v{}", roll % 3)
            } else if roll < 80 {
                fresh += 1;
                format!("/subscriptions/x/providers/id-{fresh}")
            } else if roll < 90 && fresh > 0 {
                format!("/subscriptions/x/providers/id-{}", 1 + next() % fresh)
            } else if roll < 95 {
                let last = m
                    .codes
                    .last()
                    .map_or(String::new(), |&c| m.dict[c as usize].clone());
                if b.push_repeat() {
                    m.push(&last);
                }
                continue;
            } else {
                let s = format!("/subscriptions/x/providers/id-{}", 1 + next() % (fresh + 1));
                b.push(&s);
                m.push(&s);
                continue;
            };
            b.push(&s);
            m.push(&s);
            if roll == 7 {
                // The repeat check reads the last row; it must never see a waiting row.
                let last = &m.dict[*m.codes.last().unwrap() as usize];
                assert!(
                    b.repeating_last().is_none_or(|r| r == last.as_bytes()),
                    "step {step}"
                );
            }
        }
        let col = b.finish();
        assert_eq!(col.codes, m.codes);
        assert_eq!(col.dict.len(), m.dict.len());
        assert!(col.dict.iter().zip(&m.dict).all(|(a, b)| a == b));
    }

    #[test]
    fn truncate_forgets_dropped_values() {
        let mut b = StrBuilder::new();
        for s in ["a", "b", "c", "b", "d"] {
            b.push(s);
        }
        // Rows a, b, c remain; "d" (code 3) is dropped from the dictionary and its index.
        b.truncate(3);
        for s in ["d", "c", "e", "a"] {
            b.push(s);
        }
        let col = b.finish();
        assert_eq!(col.codes, vec![0, 1, 2, 3, 2, 4, 0]);
        assert_eq!(*col.dict, Dict::from_iter(["a", "b", "c", "d", "e"]));
    }

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

    #[test]
    fn map_distinct_calls_once_per_value() {
        let col: StrColumn = ["x", "y", "x", "x"].into_iter().collect();
        let mut calls = 0;
        let lens = col.map_distinct(|s| {
            calls += 1;
            s == "x"
        });
        assert_eq!(lens, vec![true, false, true, true]);
        assert_eq!(calls, 2);
    }
}
