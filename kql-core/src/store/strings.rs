//! Dictionary-encoded string columns: `codes` index into a shared dictionary of distinct values
//! (a [`Dict`]: the strings back to back in one buffer).
//!
//! Every string column is dictionary-encoded. Gathering rows (filters, sorts, joins) copies only
//! the 4-byte codes and shares the dictionary; a predicate or function on the column can run once
//! per distinct value (see [`StrColumn::map_distinct`]) and then be mapped over the codes.
//! Handing a cell out as a [`crate::Value`] copies its text.

use crate::store::hash::{hash_bytes, same_bytes, HashIndex, Probe};
use crate::store::Dict;
use std::sync::Arc;

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
