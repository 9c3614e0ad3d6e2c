//! A fast, non-cryptographic hash for interning loaded strings (dictionary keys of string
//! columns, keys and strings of dynamic columns). Loading hashes every string of the input, and
//! SipHash (std's default) showed up at several percent of load time. The loaded files may come
//! from anyone, though, and a fixed hash lets a crafted file put every string in one bucket and
//! turn a load into a quadratic crawl; so every hash starts from a seed drawn once per process
//! (from std's randomly keyed hasher), as std does for its own maps.

use std::hash::{BuildHasher, BuildHasherDefault, Hasher};
use std::sync::OnceLock;

const K0: u64 = 0xa076_1d64_78bd_642f;
const K1: u64 = 0xe703_7ed1_a0b4_28db;

/// The 128-bit product of `a` and `b`, folded to 64 bits.
fn fold_mul(a: u64, b: u64) -> u64 {
    let r = u128::from(a) * u128::from(b);
    (r as u64) ^ ((r >> 64) as u64)
}

fn word(bytes: &[u8]) -> u64 {
    let mut w = [0u8; 8];
    let n = bytes.len().min(8);
    if let (Some(dst), Some(src)) = (w.get_mut(..n), bytes.get(..n)) {
        dst.copy_from_slice(src);
    }
    u64::from_le_bytes(w)
}

/// This process's random seed, mixed into every hash.
fn seed() -> u64 {
    static SEED: OnceLock<u64> = OnceLock::new();
    *SEED.get_or_init(|| std::collections::hash_map::RandomState::new().hash_one(K1))
}

/// Hashes `bytes`, 16 bytes per folded multiplication, from this process's seed.
pub fn hash_bytes(bytes: &[u8]) -> u64 {
    let mut h = (bytes.len() as u64) ^ K0 ^ seed();
    let mut chunks = bytes.chunks_exact(16);
    for c in &mut chunks {
        let (a, b) = c.split_at(8);
        h = fold_mul(word(a) ^ h, word(b) ^ K1);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let (a, b) = rest.split_at(rest.len().min(8));
        h = fold_mul(word(a) ^ h, word(b) ^ K1);
    }
    fold_mul(h ^ K1, K0)
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
}
