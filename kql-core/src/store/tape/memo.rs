//! Repeated subtrees. ARG rows repeat whole objects byte for byte: an assessment's `metadata`
//! (names, descriptions, remediation text) is the same in every row of that assessment, a
//! machine's `resourceDetails` in every row about that machine. [`Memo`] remembers, per key,
//! the JSON text of the objects and arrays met under it and the tape bytes they were written
//! as, in the tape's shared region; a row then holds a `REF` to them instead of its own copy,
//! and when the input spells one of them again, the text is not parsed again.
//!
//! The shared bytes are exactly what parsing the repeated text would write: the text is the
//! same, byte for byte, and the bytes refer to keys and strings of the same builder's pools
//! (which only grow). Only the nesting limit depends on where a value stands, so each entry
//! keeps its height.
//!
//! Finding an entry by its text needs the text's end, a scan of the whole value. Before that
//! scan a guess is tried: the entry last met whose first [`MEMO_MIN`] bytes hash like the
//! input's, compared byte for byte with the input from the value's start. An object or array
//! ends where its brackets balance, so input that starts with a remembered value's text holds
//! exactly that value.

use crate::store::hash::{same_bytes, HashIndex, Probe};

/// Values shorter than this are parsed: hashing and comparing them would save little. Also
/// the length of the prefix guesses are made from.
pub(super) const MEMO_MIN: usize = 48;

/// Slots of the guess table (a power of two).
const GUESS_SLOTS: usize = 1 << 14;

/// An empty guess slot.
const NO_GUESS: u32 = u32::MAX;

/// Lookups under a key before it is judged; a key keeps its memo when at least a quarter of
/// them hit.
const TRIAL: u32 = 128;

/// The most bytes of text and shared tape kept; past it no entry is added.
const MEMO_BYTES: usize = 128 << 20;

/// A key judged not worth looking up (in `Memo::per_key`).
const OFF: u32 = u32::MAX;

/// One remembered value: where its text and its tape bytes lie, under which key, how deep.
#[derive(Debug, Clone, Copy)]
struct Entry {
    key: u64,
    text: (usize, usize),
    tape: (usize, usize),
    height: usize,
}

/// A value being parsed that may be remembered once it closes: its key, where its text lies in
/// the input, and the text's hash.
#[derive(Debug, Clone, Copy)]
pub(super) struct Pending {
    pub(super) key: u64,
    pub(super) start: usize,
    pub(super) end: usize,
    hash: u64,
    /// The guess slot of the value's prefix.
    guess: Option<usize>,
}

/// What a lookup found.
pub(super) enum Lookup {
    /// Where the value at the looked-up offset lies in the shared region, its height, and the
    /// offset just past its text.
    Hit(usize, usize, usize),
    /// Not remembered: remember it when it closes.
    Miss(Pending),
    /// Not a candidate (key judged off, value too short, or not well delimited).
    Skip,
}

/// Remembered values, looked up by key and text.
#[derive(Debug, Default)]
pub(super) struct Memo {
    index: HashIndex,
    entries: Vec<Entry>,
    text: Vec<u8>,
    tape: Vec<u8>,
    /// Per key id: lookups and hits during the trial, or `OFF`.
    per_key: Vec<(u32, u32)>,
    /// Per slot, the entry last met whose key and first [`MEMO_MIN`] bytes hash there
    /// (`NO_GUESS`: none); allocated at the first guess.
    guesses: Vec<u32>,
}

/// The guess slot of a value under `key` whose first [`MEMO_MIN`] bytes are `prefix`.
fn guess_slot(key: u64, prefix: &[u8]) -> usize {
    keyed_hash(key, prefix) as usize & (GUESS_SLOTS - 1)
}

/// The hash of `text` under `key`.
fn keyed_hash(key: u64, text: &[u8]) -> u64 {
    crate::store::hash::hash_bytes(text) ^ key.wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

/// Whether entry `id` holds `text` under `key` (`memo_text`: the remembered texts).
fn is_entry<'a>(
    entries: &'a [Entry],
    memo_text: &'a [u8],
    key: u64,
    text: &'a [u8],
) -> impl Fn(u32) -> bool + 'a {
    move |id| {
        entries.get(id as usize).is_some_and(|e| {
            e.key == key
                && memo_text
                    .get(e.text.0..e.text.1)
                    .is_some_and(|t| same_bytes(t, text))
        })
    }
}

impl Memo {
    /// Looks up the object or array at `start` of `bytes`, a member's value under `key`; `end`
    /// finds where the value would end (`None`: it does not, and it is left to the parser),
    /// and is called only when the guess fails.
    pub(super) fn lookup(
        &mut self,
        key: u64,
        bytes: &[u8],
        start: usize,
        end: impl FnOnce() -> Option<usize>,
    ) -> Lookup {
        let Ok(k) = usize::try_from(key) else {
            return Lookup::Skip;
        };
        if k >= self.per_key.len() {
            self.per_key.resize(k + 1, (0, 0));
        }
        if self.per_key.get(k).is_none_or(|stats| stats.0 == OFF) {
            return Lookup::Skip;
        }
        let slot = bytes
            .get(start..start + MEMO_MIN)
            .map(|prefix| guess_slot(key, prefix));
        let guessed = slot.and_then(|slot| self.guessed(slot, key, bytes, start));
        let (found, pending) = match guessed {
            Some(id) => (Some(id), None),
            None => {
                let Some(end) = end() else {
                    return Lookup::Skip;
                };
                let Some(text) = bytes.get(start..end).filter(|t| t.len() >= MEMO_MIN) else {
                    return Lookup::Skip;
                };
                let hash = keyed_hash(key, text);
                let found = self
                    .index
                    .get(hash, is_entry(&self.entries, &self.text, key, text));
                if let (Some(id), Some(slot)) = (found, slot) {
                    self.set_guess(slot, id);
                }
                let pending = Pending {
                    key,
                    start,
                    end,
                    hash,
                    guess: slot,
                };
                (found, Some(pending))
            }
        };
        self.judge(k, found.is_some());
        match found.and_then(|id| self.entries.get(id as usize)) {
            Some(e) => Lookup::Hit(e.tape.0, e.height, start + (e.text.1 - e.text.0)),
            None => pending.map_or(Lookup::Skip, Lookup::Miss),
        }
    }

    /// The entry guessed for slot `slot`, when its key is `key` and the input from `start`
    /// spells its text.
    fn guessed(&self, slot: usize, key: u64, bytes: &[u8], start: usize) -> Option<u32> {
        let id = *self.guesses.get(slot)?;
        let e = self.entries.get(id as usize)?;
        let text = self.text.get(e.text.0..e.text.1)?;
        let input = bytes.get(start..start + text.len())?;
        (e.key == key && same_bytes(text, input)).then_some(id)
    }

    fn set_guess(&mut self, slot: usize, id: u32) {
        if self.guesses.is_empty() {
            self.guesses = vec![NO_GUESS; GUESS_SLOTS];
        }
        if let Some(g) = self.guesses.get_mut(slot) {
            *g = id;
        }
    }

    /// Counts a lookup under key `k` during its trial, and turns the key off at the end of a
    /// trial with too few hits.
    fn judge(&mut self, k: usize, hit: bool) {
        if let Some(stats) = self.per_key.get_mut(k) {
            if stats.0 < TRIAL {
                stats.0 += 1;
                stats.1 += u32::from(hit);
                if stats.0 == TRIAL && stats.1 * 4 < TRIAL {
                    stats.0 = OFF;
                }
            }
        }
    }

    /// Remembers the value `pending` was looked up for: `text` is its JSON text, `tape` the
    /// bytes it was written as, `height` its nesting (1 for a value holding no container).
    /// Returns where its bytes lie in the shared region (`None`: not kept, the memo is full).
    pub(super) fn remember(
        &mut self,
        pending: &Pending,
        text: &[u8],
        tape: &[u8],
        height: usize,
    ) -> Option<usize> {
        if self.text.len() + self.tape.len() + text.len() + tape.len() > MEMO_BYTES {
            return None;
        }
        let id = u32::try_from(self.entries.len()).ok()?;
        let same = is_entry(&self.entries, &self.text, pending.key, text);
        let slot = match self.index.entry(pending.hash, same) {
            Probe::Found(id) => {
                if let Some(guess) = pending.guess {
                    self.set_guess(guess, id);
                }
                return self.entries.get(id as usize).map(|e| e.tape.0);
            }
            Probe::Vacant(slot) => slot,
        };
        let text_at = self.text.len();
        self.text.extend_from_slice(text);
        let tape_at = self.tape.len();
        self.tape.extend_from_slice(tape);
        self.entries.push(Entry {
            key: pending.key,
            text: (text_at, self.text.len()),
            tape: (tape_at, self.tape.len()),
            height,
        });
        self.index.insert_at(slot, pending.hash, id);
        if let Some(guess) = pending.guess {
            self.set_guess(guess, id);
        }
        Some(tape_at)
    }

    /// The shared region: every remembered value's tape bytes, end to end.
    pub(super) fn into_shared(self) -> Vec<u8> {
        self.tape
    }
}
