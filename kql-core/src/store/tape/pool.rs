//! The string pools of a tape: [`Pool`], the frozen, numbered strings, and [`Interner`],
//! which numbers strings as a column is built.

use crate::store::hash::{same_bytes, HashIndex, Probe};

#[inline]
pub(super) fn hash_str(s: &str) -> u64 {
    crate::store::hash::hash_bytes(s.as_bytes())
}

/// Distinct strings, each stored once in one buffer, numbered in order of first appearance.
#[derive(Debug, Default, Clone)]
pub struct Pool {
    pub(super) text: String,
    /// End offset of each string in `text` (it starts where the previous one ends).
    pub(super) ends: Vec<u64>,
}

impl Pool {
    /// The string with id `id` (`""` for an unknown id).
    #[inline]
    pub fn get(&self, id: u64) -> &str {
        let (start, end) = self.span(id);
        self.text.get(start..end).unwrap_or("")
    }

    /// Where the string with id `id` lies in the pool's text (`(0, 0)` for an unknown id).
    #[inline]
    pub(super) fn span(&self, id: u64) -> (usize, usize) {
        let Ok(i) = usize::try_from(id) else {
            return (0, 0);
        };
        let start = match i.checked_sub(1) {
            Some(p) => self.ends.get(p).copied().unwrap_or(0),
            None => 0,
        };
        let end = self.ends.get(i).copied().unwrap_or(start);
        (start as usize, end as usize)
    }

    /// Number of strings.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// True when there are no strings.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Heap bytes held.
    pub fn heap_bytes(&self) -> usize {
        self.text.capacity() + self.ends.capacity() * 8
    }
}

/// A [`Pool`] being built, with an index from string to id.
#[derive(Debug, Default)]
pub(super) struct Interner {
    pub(super) pool: Pool,
    pub(super) index: HashIndex,
}

impl Interner {
    /// The id of `s`, adding it when new.
    #[inline]
    pub(super) fn intern(&mut self, s: &str) -> u64 {
        self.intern_hashed(s, hash_str(s))
    }

    /// The id of `s`, whose hash is `h`, adding it when new.
    pub(super) fn intern_hashed(&mut self, s: &str, h: u64) -> u64 {
        let pool = &self.pool;
        match self.index.entry(h, |id| {
            same_bytes(pool.get(u64::from(id)).as_bytes(), s.as_bytes())
        }) {
            Probe::Found(id) => u64::from(id),
            Probe::Vacant(slot) => {
                let id = self.pool.ends.len() as u64;
                self.pool.text.push_str(s);
                self.pool.ends.push(self.pool.text.len() as u64);
                // Ids past u32 are never looked up again (and would be a 4-billion-string
                // column): they are stored but not indexed, which costs duplicates, never
                // correctness.
                if let Ok(id) = u32::try_from(id) {
                    self.index.insert_at(slot, h, id);
                }
                id
            }
        }
    }

    /// The id of `s` if it was interned.
    pub(super) fn lookup(&self, s: &str) -> Option<u64> {
        self.index
            .get(hash_str(s), |id| {
                same_bytes(self.pool.get(u64::from(id)).as_bytes(), s.as_bytes())
            })
            .map(u64::from)
    }

    pub(super) fn shrink(&mut self) {
        self.pool.text.shrink_to_fit();
        self.pool.ends.shrink_to_fit();
    }
}
