//! A fast, non-cryptographic hash for interning loaded strings (dictionary keys of string
//! columns, keys and strings of dynamic columns). Loading hashes every string of the input, and
//! SipHash (std's default) showed up at several percent of load time. The loaded files may come
//! from anyone, though, and a fixed hash lets a crafted file put every string in one bucket and
//! turn a load into a quadratic crawl; so every hash starts from a seed drawn once per process
//! (from std's randomly keyed hasher), as std does for its own maps.
//!
//! [`HashIndex`] is the table the string builders intern with: it keeps ids and hash bits only,
//! the strings stay with their owner.

use std::hash::{BuildHasher, BuildHasherDefault, Hasher};
use std::sync::OnceLock;

const K0: u64 = 0xa076_1d64_78bd_642f;
const K1: u64 = 0xe703_7ed1_a0b4_28db;

/// The 128-bit product of `a` and `b`, folded to 64 bits.
fn fold_mul(a: u64, b: u64) -> u64 {
    let r = u128::from(a) * u128::from(b);
    (r as u64) ^ ((r >> 64) as u64)
}

const K2: u64 = 0x8ebc_6af0_9c88_c6e3;
const K3: u64 = 0x5899_65cc_7537_4cc3;

/// The 8 bytes of `bytes` from `at`, little endian (0 past the end; callers stay inside).
fn read64(bytes: &[u8], at: usize) -> u64 {
    bytes
        .get(at..)
        .and_then(<[u8]>::first_chunk::<8>)
        .map_or(0, |w| u64::from_le_bytes(*w))
}

/// The 4 bytes of `bytes` from `at`, little endian (0 past the end; callers stay inside).
fn read32(bytes: &[u8], at: usize) -> u64 {
    bytes
        .get(at..)
        .and_then(<[u8]>::first_chunk::<4>)
        .map_or(0, |w| u64::from(u32::from_le_bytes(*w)))
}

/// This process's random seed, mixed into every hash.
fn seed() -> u64 {
    static SEED: OnceLock<u64> = OnceLock::new();
    *SEED.get_or_init(|| std::collections::hash_map::RandomState::new().hash_one(K1))
}

/// Two words that together hold every byte of `bytes`, at most 16 long: for a given length,
/// different bytes give different words (reads may overlap; the length is hashed separately).
#[inline]
fn tail_words(bytes: &[u8]) -> (u64, u64) {
    let n = bytes.len();
    if n >= 8 {
        (read64(bytes, 0), read64(bytes, n - 8))
    } else if n >= 4 {
        (read32(bytes, 0), read32(bytes, n - 4))
    } else if let (Some(&first), Some(&last)) = (bytes.first(), bytes.last()) {
        let mid = bytes.get(n / 2).copied().unwrap_or(0);
        (
            (u64::from(first) << 16) | (u64::from(mid) << 8) | u64::from(last),
            0,
        )
    } else {
        (0, 0)
    }
}

/// Hashes `bytes` from this process's seed: each 16 bytes are folded in by one 128-bit
/// multiplication, in three independent lanes over strings longer than 48 bytes (the lanes'
/// multiplications overlap in the CPU), and the last 1 to 16 bytes are read as two possibly
/// overlapping words.
pub fn hash_bytes(bytes: &[u8]) -> u64 {
    let n = bytes.len();
    let mut h = (n as u64) ^ K0 ^ seed();
    let mut rest = bytes;
    if n > 48 {
        let (mut a, mut b) = (h ^ K2, h ^ K3);
        let mut chunks = bytes.chunks_exact(48);
        for c in &mut chunks {
            h = fold_mul(read64(c, 0) ^ K1, read64(c, 8) ^ h);
            a = fold_mul(read64(c, 16) ^ K2, read64(c, 24) ^ a);
            b = fold_mul(read64(c, 32) ^ K3, read64(c, 40) ^ b);
        }
        h ^= a ^ b;
        rest = chunks.remainder();
    }
    while rest.len() > 16 {
        h = fold_mul(read64(rest, 0) ^ K1, read64(rest, 8) ^ h);
        rest = rest.get(16..).unwrap_or_default();
    }
    // The last 16 bytes of a long string (overlapping what was hashed), or all of a short one.
    let (x, y) = if n >= 16 {
        (read64(bytes, n - 16), read64(bytes, n - 8))
    } else {
        tail_words(bytes)
    };
    let h = fold_mul(x ^ K1, y ^ h);
    fold_mul(h ^ K1, K0 ^ n as u64)
}

/// Whether `a` and `b` hold the same bytes. Interning compares many short strings (keys, codes,
/// dates); up to 16 bytes this reads two possibly overlapping words of each, inline, where a
/// call to `memcmp` would cost more than the comparison.
#[inline]
pub fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    if n > 16 {
        return a == b;
    }
    tail_words(a) == tail_words(b)
}

/// A [`Hasher`] over [`hash_bytes`].
#[derive(Debug, Default, Clone, Copy)]
pub struct FastHasher(u64);

impl Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        self.0 = fold_mul(self.0 ^ hash_bytes(bytes), K1);
    }

    fn write_u8(&mut self, i: u8) {
        self.0 = fold_mul(self.0 ^ u64::from(i), K0);
    }

    fn write_u64(&mut self, i: u64) {
        self.0 = fold_mul(self.0 ^ i, K0);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// Builds [`FastHasher`]s, for `HashMap`s keyed by loaded strings.
pub type FastBuild = BuildHasherDefault<FastHasher>;

/// Where a probe of a [`HashIndex`] ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Probe {
    /// The id of the equal entry.
    Found(u32),
    /// The empty slot where the value would go (for [`HashIndex::insert_at`]).
    Vacant(usize),
}

/// An open-addressing index from hashed values to the `u32` ids their owner numbers them by
/// (the owner keeps the values; equality is asked of it through a callback).
///
/// Each slot keeps the id and the high half of the value's hash, which also picks the slot, so
/// a probe compares values only when those 32 bits match, and growing the table moves slots
/// without rehashing (or reading) a single value. Linear probing, at most half full.
#[derive(Debug, Default, Clone)]
pub struct HashIndex {
    /// `id + 1` (0: empty) and the hash's high half.
    slots: Vec<(u32, u32)>,
    len: usize,
}

/// The part of a hash kept in a slot (and which places it).
fn tag_of(h: u64) -> u32 {
    (h >> 32) as u32
}

impl HashIndex {
    /// Number of entries.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when there are no entries.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Heap bytes held.
    pub fn heap_bytes(&self) -> usize {
        self.slots.capacity() * 8
    }

    fn mask(&self) -> usize {
        self.slots.len().wrapping_sub(1)
    }

    /// Looks for the entry of hash `h` for which `eq(id)` holds.
    pub fn get(&self, h: u64, eq: impl FnMut(u32) -> bool) -> Option<u32> {
        match self.probe(h, eq) {
            Probe::Found(id) => Some(id),
            Probe::Vacant(_) => None,
        }
    }

    /// Looks for the entry of hash `h` for which `eq(id)` holds, making room first so that a
    /// [`Probe::Vacant`] slot can take a new entry.
    pub fn entry(&mut self, h: u64, eq: impl FnMut(u32) -> bool) -> Probe {
        if (self.len + 1) * 2 > self.slots.len() {
            self.grow();
        }
        self.probe(h, eq)
    }

    /// Makes room for `additional` more entries, so that the next that many
    /// [`HashIndex::entry`] calls do not move the table.
    pub fn reserve(&mut self, additional: usize) {
        while (self.len + additional) * 2 > self.slots.len() {
            self.grow();
        }
    }

    /// Reads the home slot of each hash in `hashes` and returns a value made from what was read
    /// (for [`std::hint::black_box`]): loads that do not depend on one another are in flight
    /// together, so a batch of probes into a table much larger than the cache waits for about
    /// one miss instead of one per probe. (A prefetch instruction would not wait at all, but
    /// needs `unsafe` code, which this crate forbids.)
    pub fn touch(&self, hashes: impl Iterator<Item = u64>) -> u32 {
        let mask = self.mask();
        hashes.fold(0, |acc, h| {
            let slot = self.slots.get(tag_of(h) as usize & mask);
            acc ^ slot.map_or(0, |s| s.1)
        })
    }

    fn probe(&self, h: u64, mut eq: impl FnMut(u32) -> bool) -> Probe {
        let tag = tag_of(h);
        let mask = self.mask();
        let mut slot = tag as usize & mask;
        loop {
            match self.slots.get(slot) {
                Some(&(id1, t)) if id1 != 0 => {
                    if t == tag && eq(id1 - 1) {
                        return Probe::Found(id1 - 1);
                    }
                    slot = (slot + 1) & mask;
                }
                _ => return Probe::Vacant(slot),
            }
        }
    }

    /// Stores `id` for hash `h` in `slot`, the vacant slot [`HashIndex::entry`] just returned
    /// for `h` (ids past `u32::MAX - 1` are not stored).
    pub fn insert_at(&mut self, slot: usize, h: u64, id: u32) {
        if let (Some(entry), Some(id1)) = (self.slots.get_mut(slot), id.checked_add(1)) {
            *entry = (id1, tag_of(h));
            self.len += 1;
        }
    }

    /// Removes the entry `id` of hash `h`, if present, shifting back the entries after it that
    /// probed past its slot (so no tombstone is left).
    pub fn remove(&mut self, h: u64, id: u32) {
        let Probe::Found(_) = self.probe(h, |i| i == id) else {
            return;
        };
        let mask = self.mask();
        let mut hole = tag_of(h) as usize & mask;
        while self
            .slots
            .get(hole)
            .is_some_and(|s| s.0 != id.wrapping_add(1))
        {
            hole = (hole + 1) & mask;
        }
        let mut next = (hole + 1) & mask;
        while let Some(&(id1, t)) = self.slots.get(next) {
            if id1 == 0 {
                break;
            }
            // The entry at `next` may fill the hole when its home slot is not cyclically
            // within (hole, next].
            let home = t as usize & mask;
            if next.wrapping_sub(home) & mask >= next.wrapping_sub(hole) & mask {
                if let Some(h) = self.slots.get_mut(hole) {
                    *h = (id1, t);
                }
                hole = next;
            }
            next = (next + 1) & mask;
        }
        if let Some(h) = self.slots.get_mut(hole) {
            *h = (0, 0);
        }
        self.len -= 1;
    }

    /// Doubles the table, placing each entry by its stored tag.
    fn grow(&mut self) {
        let size = (self.slots.len() * 2).max(64);
        let mut slots = vec![(0u32, 0u32); size];
        let mask = size - 1;
        for &(id1, t) in self.slots.iter().filter(|s| s.0 != 0) {
            let mut slot = t as usize & mask;
            while slots.get(slot).is_some_and(|s| s.0 != 0) {
                slot = (slot + 1) & mask;
            }
            if let Some(entry) = slots.get_mut(slot) {
                *entry = (id1, t);
            }
        }
        self.slots = slots;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_depend_on_every_byte() {
        let base = b"0123456789abcdefghijklmnopqrstuvwxyz".to_vec();
        let h = hash_bytes(&base);
        for i in 0..base.len() {
            let mut b = base.clone();
            b[i] ^= 1;
            assert_ne!(hash_bytes(&b), h, "byte {i}");
        }
        for n in 0..base.len() {
            assert_ne!(hash_bytes(&base[..n]), hash_bytes(&base[..n + 1]), "{n}");
        }
    }

    #[test]
    fn long_and_short_hashes_depend_on_every_byte_and_the_length() {
        // Every length up to 200 takes each path: short words, the 16-byte loop, the three
        // lanes and the overlapping last 16 bytes.
        let base: Vec<u8> = (0..200u32).map(|i| (i * 7 + 3) as u8).collect();
        for n in 0..base.len() {
            let s = &base[..n];
            let h = hash_bytes(s);
            // The same bytes at another address and alignment hash the same.
            let shifted = [&[0u8][..], s].concat();
            assert_eq!(h, hash_bytes(&shifted[1..]), "{n}");
            for i in 0..n {
                let mut b = s.to_vec();
                b[i] ^= 0x80;
                assert_ne!(hash_bytes(&b), h, "length {n}, byte {i}");
            }
            // Zero bytes added at the end change the hash (the length is hashed).
            let mut z = s.to_vec();
            z.push(0);
            assert_ne!(hash_bytes(&z), h, "{n}");
        }
    }

    /// A hash whose tag (and home slot) is `tag`.
    fn with_tag(tag: u32) -> u64 {
        u64::from(tag) << 32 | 0xdead
    }

    #[test]
    fn index_probes_past_collisions_and_removes_without_tombstones() {
        let mut ix = HashIndex::default();
        // In the 64 slots of the first table: ids 0 and 1 share home slot 5 (tags 5 and 69),
        // id 2 has home 6 but finds it taken, id 3 sits in the last slot and id 4 (home 63)
        // wraps to slot 0.
        for (id, tag) in [(0, 5), (1, 69), (2, 6), (3, 63), (4, 127)] {
            match ix.entry(with_tag(tag), |_| false) {
                Probe::Vacant(slot) => ix.insert_at(slot, with_tag(tag), id),
                found => panic!("{found:?}"),
            }
        }
        let placed = |ix: &HashIndex| -> Vec<(usize, u32)> {
            ix.slots
                .iter()
                .enumerate()
                .filter(|(_, s)| s.0 != 0)
                .map(|(i, s)| (i, s.0 - 1))
                .collect()
        };
        assert_eq!(placed(&ix), [(0, 4), (5, 0), (6, 1), (7, 2), (63, 3)]);
        assert_eq!(ix.len(), 5);
        // A tag match alone is not equality: `eq` decides.
        assert_eq!(ix.get(with_tag(69), |id| id == 1), Some(1));
        assert_eq!(ix.get(with_tag(69), |_| false), None);
        assert_eq!(ix.get(with_tag(7), |_| true), None);
        // Removing id 0 moves id 1 back to its home slot 5, and id 2 to its home slot 6.
        ix.remove(with_tag(5), 0);
        assert_eq!(placed(&ix), [(0, 4), (5, 1), (6, 2), (63, 3)]);
        // Removing id 3 leaves id 4 at slot 0: its home 63 is empty now, so it moves there.
        ix.remove(with_tag(63), 3);
        assert_eq!(placed(&ix), [(5, 1), (6, 2), (63, 4)]);
        // Removing what is not there changes nothing.
        ix.remove(with_tag(63), 9);
        assert_eq!((placed(&ix).len(), ix.len()), (3, 3));
        for (id, tag) in [(1, 69), (2, 6), (4, 127)] {
            assert_eq!(ix.get(with_tag(tag), |i| i == id), Some(id), "{id}");
        }
    }

    #[test]
    fn index_grows_without_losing_entries() {
        let mut ix = HashIndex::default();
        let values: Vec<String> = (0..5000).map(|i| format!("v{}", i % 3000)).collect();
        let mut ids: Vec<&str> = Vec::new();
        let mut codes = Vec::new();
        for v in &values {
            let h = hash_bytes(v.as_bytes());
            let code = match ix.entry(h, |id| ids[id as usize] == v) {
                Probe::Found(id) => id,
                Probe::Vacant(slot) => {
                    ix.insert_at(slot, h, ids.len() as u32);
                    ids.push(v);
                    ids.len() as u32 - 1
                }
            };
            codes.push(code);
        }
        // 3000 distinct values, numbered in order of first appearance; then repeats.
        assert_eq!((ids.len(), ix.len()), (3000, 3000));
        assert!(ix.slots.len() >= 6000 && ix.slots.len().is_power_of_two());
        for (i, &c) in codes.iter().enumerate() {
            assert_eq!(c as usize, i % 3000);
        }
    }
}
