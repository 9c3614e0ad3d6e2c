//! The crate's own random number generator: SplitMix64, plus stream derivation.
//!
//! Every entity of the tenant draws from its own stream, derived from the tenant seed and the
//! entity's coordinates (`Rng::derive`). Nothing is drawn from a shared sequence, so any entity
//! can be regenerated from its index alone: this is what makes the generator streaming and
//! constant-memory, and lets a pre-pass recompute statuses without emitting rows.

/// SplitMix64 (Steele, Lea, Flood 2014): a 64-bit state advanced by a Weyl constant and mixed
/// by a variant of the MurmurHash3 finaliser. Small, fast, and good enough for test data.
///
/// ```
/// use kql_datasets::Rng;
/// let mut a = Rng::derive(42, 1, 7);
/// let mut b = Rng::derive(42, 1, 7);
/// assert_eq!(a.next_u64(), b.next_u64());
/// assert!(a.below(10) < 10);
/// assert_eq!(a.guid().len(), 36);
/// ```
#[derive(Debug, Clone)]
pub struct Rng {
    state: u64,
}

const GOLDEN_GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;

/// The SplitMix64 output function; also used to hash stream coordinates.
pub fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Rng {
    /// A generator seeded with `seed`.
    pub fn new(seed: u64) -> Self {
        Rng { state: seed }
    }

    /// A generator for the stream `(seed, tag, index)`: independent of every other stream.
    pub fn derive(seed: u64, tag: u64, index: u64) -> Self {
        let a = mix64(seed ^ tag.wrapping_mul(GOLDEN_GAMMA));
        Rng::new(mix64(a ^ index.wrapping_mul(0xD6E8_FEB8_6659_FD93)))
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(GOLDEN_GAMMA);
        mix64(self.state)
    }

    /// A value in `0..n` (`n > 0`), by multiply-shift (Lemire); the bias is below 2^-32 here.
    pub fn below(&mut self, n: usize) -> usize {
        debug_assert!(n > 0);
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// A value in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below((hi - lo + 1) as usize) as u64
    }

    /// A float in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// One element of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// An index chosen with the given relative weights (at least one positive).
    pub fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u32 = weights.iter().sum();
        let mut roll = self.below(total as usize) as u32;
        for (i, w) in weights.iter().enumerate() {
            if roll < *w {
                return i;
            }
            roll -= w;
        }
        weights.len() - 1
    }

    /// A lower-case GUID text `xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx` (version 4 layout).
    pub fn guid(&mut self) -> String {
        guid_from(self.next_u64(), self.next_u64())
    }

    /// `n` lower-case hex digits.
    pub fn hex(&mut self, n: usize) -> String {
        let mut s = String::with_capacity(n);
        while s.len() < n {
            let word = self.next_u64();
            for shift in (0..16).rev() {
                if s.len() < n {
                    s.push(HEX[((word >> (shift * 4)) & 0xF) as usize] as char);
                }
            }
        }
        s
    }
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// A version-4-shaped GUID from 128 bits.
pub fn guid_from(hi: u64, lo: u64) -> String {
    let hi = (hi & 0xFFFF_FFFF_FFFF_0FFF) | 0x0000_0000_0000_4000;
    let lo = (lo & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000;
    let mut s = String::with_capacity(36);
    push_hex(&mut s, hi >> 32, 8);
    s.push('-');
    push_hex(&mut s, (hi >> 16) & 0xFFFF, 4);
    s.push('-');
    push_hex(&mut s, hi & 0xFFFF, 4);
    s.push('-');
    push_hex(&mut s, lo >> 48, 4);
    s.push('-');
    push_hex(&mut s, lo & 0xFFFF_FFFF_FFFF, 12);
    s
}

/// A GUID that is a pure function of `(seed, tag, index)`.
pub fn stable_guid(seed: u64, tag: u64, index: u64) -> String {
    Rng::derive(seed, tag, index).guid()
}

fn push_hex(s: &mut String, value: u64, digits: u32) {
    for shift in (0..digits).rev() {
        s.push(HEX[((value >> (shift * 4)) & 0xF) as usize] as char);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_sequence() {
        let mut a = Rng::new(7);
        let mut b = Rng::new(7);
        for _ in 0..100 {
            assert_eq!(a.next_u64(), b.next_u64());
        }
    }

    #[test]
    fn derived_streams_differ() {
        assert_ne!(
            Rng::derive(1, 2, 3).next_u64(),
            Rng::derive(1, 2, 4).next_u64()
        );
        assert_ne!(
            Rng::derive(1, 2, 3).next_u64(),
            Rng::derive(1, 3, 3).next_u64()
        );
    }

    #[test]
    fn below_stays_in_range_and_covers_it() {
        let mut r = Rng::new(1);
        let mut seen = [false; 5];
        for _ in 0..200 {
            seen[r.below(5)] = true;
        }
        assert!(seen.iter().all(|s| *s));
    }

    #[test]
    fn guid_has_the_canonical_shape() {
        let g = Rng::new(3).guid();
        assert_eq!(g.len(), 36);
        assert_eq!(&g[14..15], "4");
        assert!(g.chars().all(|c| c == '-' || c.is_ascii_hexdigit()));
        assert_eq!(g.matches('-').count(), 4);
    }

    #[test]
    fn weighted_respects_zero_weights() {
        let mut r = Rng::new(9);
        for _ in 0..100 {
            assert_ne!(r.weighted(&[3, 0, 2]), 1);
        }
    }
}
