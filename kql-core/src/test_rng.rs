//! The deterministic generator randomized unit tests draw from (xorshift64): the same seed
//! gives the same cases on every run.

/// A generator from `seed` (non-zero): each call `next(n)` gives a number in `0..n`.
pub(crate) fn xorshift(mut seed: u64) -> impl FnMut(usize) -> usize {
    move |n| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n.max(1) as u64) as usize
    }
}
