//! Writing a tape: [`TapeBuilder`], which encodes `serde_json` values or parses JSON text
//! straight onto the tape, with the per-key guesses and caches that make repeated keys and
//! strings cheap.

use super::memo::{Lookup, Memo, Pending};
use super::pool::{hash_str, Interner};
use super::read::Arena;
use super::text::{next_special, skip_value, skip_ws, spelled_at, string_at};
use super::{
    compact_offsets, put_varint, varint_into, zigzag, Tape, ARRAY, FALSE, FLOAT, INT, MAX_DEPTH,
    NULL, NULL_CELL, OBJECT, REF, STR, STR_INLINE, TRUE, UINT,
};
use crate::store::hash::same_bytes;
use crate::value::Json;
use serde_json::Number;
use std::collections::HashSet;
use std::sync::Arc;

/// Bytes reserved after a container's tag for its header (size and count). Two bytes of size
/// (up to 16383) and one of count (up to 127) cover most containers; others are shifted once
/// when they close.
const HEADER_RESERVE: usize = 3;

/// An open container while a value is written.
#[derive(Debug)]
struct Frame {
    /// Offset of the container's tag.
    tag_at: usize,
    is_obj: bool,
    count: u64,
    /// Start of this object's members in `TapeBuilder::members`.
    members_from: usize,
    /// Keys seen, once the object is too big for a linear scan.
    seen: Option<HashSet<u64>>,
    /// Bit `id % 64` set for each key `id` of the members so far: a key whose bit is clear
    /// is certainly new, and the linear scan for a repeat is skipped.
    key_bits: u64,
    /// A key was repeated: the members are rewritten when the object closes.
    dup: bool,
    /// Levels of containers in this one, itself included (for the nesting limit of a
    /// remembered value).
    height: usize,
    /// This value is to be remembered when it closes (see [`Memo`]).
    memo: Option<Pending>,
}

/// Builds a [`Tape`] one row at a time.
#[derive(Debug, Default)]
pub struct TapeBuilder {
    pub(super) bytes: Vec<u8>,
    cells: Vec<u64>,
    keys: Interner,
    strings: Interner,
    frames: Vec<Frame>,
    /// Members of the open objects: key id, offset of the member (its key), offset of its value.
    members: Vec<(u64, usize, usize)>,
    scratch: Vec<u8>,
    /// The key whose value is being written (for arrays, the array's key); `u64::MAX` at the
    /// top level.
    context: u64,
    /// Per key id: strings seen under it and how many of them were new to the pool, until the
    /// key is decided; then `INLINE` or `INTERN` in the first field.
    key_stats: Vec<(u32, u32)>,
    /// The key id last parsed plus one (0: none yet in this cell).
    last_key: usize,
    /// Per `last_key`: the keys that followed it lately, most recent first (`u64::MAX`:
    /// none). Rows list the same keys in the same order, and rows of a few shapes alternate,
    /// so comparing the input with these guesses usually saves reading and hashing the key.
    next_key: Vec<[u64; KEY_GUESSES]>,
    /// Per key id whose strings are interned: the strings written under it lately, most
    /// recent first, as pool id and whether JSON spells the string as itself between quotes
    /// (then the input is matched against it byte for byte, before any reading or hashing).
    recent_str: Vec<[Recent; STR_GUESSES]>,
    /// Per key id: the key has no quote, backslash or control character, so JSON text spells
    /// it as itself (see `TapeBuilder::parse_key`).
    plain_key: Vec<bool>,
    /// Per key id whose strings are interned: a direct-mapped cache of the strings met under
    /// it, `STR_CACHE` slots of pool id + 1 (0: empty) and hash tag, placed by hash. A key's
    /// strings are few (codes, names, descriptions), so its cache stays in the processor's
    /// caches where the pool-wide index, spread over megabytes, does not.
    str_cache: Vec<Vec<(u32, u32)>>,
    /// Objects and arrays met as members' values, to copy when the input repeats them.
    memo: Memo,
}

/// Strings sampled under a key before deciding whether to intern its strings.
pub(super) const SAMPLE: u32 = 64;
/// `key_stats` mark of a key whose strings are written inline.
const INLINE: u32 = u32::MAX;
/// `key_stats` mark of a key whose strings are interned.
const INTERN: u32 = u32::MAX - 1;

/// Keys remembered as followers of each key (see `TapeBuilder::next_key`).
const KEY_GUESSES: usize = 4;
/// Strings remembered per key (see `TapeBuilder::recent_str`).
const STR_GUESSES: usize = 4;

/// A string written lately under a key: its pool id, where its text lies in the pool, and
/// whether JSON spells it as itself between quotes.
#[derive(Debug, Clone, Copy)]
struct Recent {
    id: u64,
    text: (usize, usize),
    plain: bool,
}

/// Slots of a key's string cache (see `TapeBuilder::str_cache`); a power of two.
const STR_CACHE: usize = 256;

/// An empty `recent_str` entry.
const NO_STR: Recent = Recent {
    id: u64::MAX,
    text: (0, 0),
    plain: false,
};

/// Objects up to this many members are checked for repeated keys by a linear scan.
const LINEAR_DUP_CHECK: usize = 16;

impl TapeBuilder {
    /// An empty builder.
    pub fn new() -> TapeBuilder {
        TapeBuilder {
            context: u64::MAX,
            ..TapeBuilder::default()
        }
    }

    /// Rows pushed so far.
    pub fn len(&self) -> usize {
        self.cells.len()
    }

    /// True when no row was pushed.
    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }

    /// Keeps the first `rows` rows (for a reader that drops a malformed row). Keys and strings
    /// interned for the dropped rows stay in the pools, unused.
    pub fn truncate(&mut self, rows: usize) {
        let Some(dropped) = self.cells.get(rows..) else {
            return;
        };
        // Cells are written in order, so the first dropped non-null cell starts the bytes to
        // drop.
        let first = dropped.iter().copied().find(|&o| o != NULL_CELL);
        self.cells.truncate(rows);
        if let Some(at) = first.and_then(|o| usize::try_from(o).ok()) {
            self.bytes.truncate(at);
        }
        self.frames.clear();
        self.members.clear();
    }

    /// Appends a null row.
    pub fn push_null(&mut self) {
        self.cells.push(NULL_CELL);
    }

    fn start_cell(&mut self) {
        self.context = u64::MAX;
        self.last_key = 0;
        self.cells.push(self.bytes.len() as u64);
    }

    /// Appends a row holding a boolean.
    pub fn push_bool(&mut self, b: bool) {
        self.start_cell();
        self.bytes.push(if b { TRUE } else { FALSE });
    }

    /// Appends a row holding a string.
    pub fn push_str(&mut self, s: &str) {
        self.start_cell();
        self.write_str(s, false);
    }

    /// Appends a row holding a number.
    pub fn push_number(&mut self, n: &Number) {
        self.start_cell();
        self.write_number(n);
    }

    /// Appends a row holding `j` (JSON null is a null row, as the loader stores it).
    pub fn push_json(&mut self, j: &Json) {
        if j.is_null() {
            self.push_null();
            return;
        }
        self.start_cell();
        self.write_json(j);
    }

    /// Writes a string value, interned or inline as its key's strings have gone so far: the
    /// first `SAMPLE` strings under a key are interned and counted, and if at least 7 in 8 were
    /// new, the key's later strings are written inline. Either way the value reads back the
    /// same; only the size and the load time differ. `plain`: JSON spells `s` as itself
    /// between quotes (false is always safe).
    fn write_str(&mut self, s: &str, plain: bool) {
        let key = usize::try_from(self.context).ok();
        let stat = key.and_then(|k| self.key_stats.get_mut(k));
        let id = match stat {
            Some((INLINE, _)) => {
                self.bytes.push(STR_INLINE);
                put_varint(&mut self.bytes, s.len() as u64);
                self.bytes.extend_from_slice(s.as_bytes());
                return;
            }
            Some((INTERN, _)) => {
                let recent = key.and_then(|k| self.recent_str.get(k));
                let text = self.strings.pool.text.as_bytes();
                let known = recent.and_then(|r| {
                    r.iter().find(|e| {
                        text.get(e.text.0..e.text.1)
                            .is_some_and(|t| same_bytes(t, s.as_bytes()))
                    })
                });
                match (known, key) {
                    (Some(e), _) => e.id,
                    (None, Some(k)) => self.intern_cached(k, s),
                    (None, None) => self.strings.intern(s),
                }
            }
            Some(st) => {
                let before = self.strings.pool.len();
                let id = self.strings.intern(s);
                st.0 += 1;
                st.1 += u32::from(self.strings.pool.len() > before);
                if st.0 >= SAMPLE {
                    *st = (if st.1 * 8 >= st.0 * 7 { INLINE } else { INTERN }, 0);
                }
                id
            }
            None => self.strings.intern(s),
        };
        if let Some(r) = key.and_then(|k| self.recent_str.get_mut(k)) {
            let at = r.iter().position(|e| e.id == id);
            let was_plain = at.and_then(|at| r.get(at)).is_some_and(|e| e.plain);
            let recent = Recent {
                id,
                text: self.strings.pool.span(id),
                plain: plain || was_plain,
            };
            move_to_front(r, recent, at);
        }
        self.bytes.push(STR);
        put_varint(&mut self.bytes, id);
    }

    /// The id of `s`, a string under key `k`: looked up in the key's cache first, then in the
    /// pool (and then cached).
    fn intern_cached(&mut self, k: usize, s: &str) -> u64 {
        let h = hash_str(s);
        let tag = (h >> 32) as u32;
        if k >= self.str_cache.len() {
            self.str_cache.resize_with(k + 1, Vec::new);
        }
        let Some(cache) = self.str_cache.get_mut(k) else {
            return self.strings.intern_hashed(s, h);
        };
        if cache.is_empty() {
            cache.resize(STR_CACHE, (0, 0));
        }
        let slot = (h as usize) & (STR_CACHE - 1);
        if let Some(&(id1, t)) = cache.get(slot) {
            let id = u64::from(id1.wrapping_sub(1));
            if id1 != 0
                && t == tag
                && same_bytes(self.strings.pool.get(id).as_bytes(), s.as_bytes())
            {
                return id;
            }
        }
        let id = self.strings.intern_hashed(s, h);
        if let (Some(entry), Some(id1)) = (
            cache.get_mut(slot),
            u32::try_from(id).ok().and_then(|id| id.checked_add(1)),
        ) {
            *entry = (id1, tag);
        }
        id
    }

    /// Writes the string whose opening quote is at `i` when it is one of the strings written
    /// lately under the current key, matched byte for byte; returns the offset past it.
    fn write_recent_str(&mut self, bytes: &[u8], i: usize) -> Option<usize> {
        let k = usize::try_from(self.context).ok()?;
        if self.key_stats.get(k)?.0 != INTERN {
            return None;
        }
        let recent = self.recent_str.get_mut(k)?;
        let pool = self.strings.pool.text.as_bytes();
        for (at, e) in recent.iter().enumerate() {
            let end = pool
                .get(e.text.0..e.text.1)
                .filter(|_| e.plain)
                .and_then(|text| spelled_at(bytes, i, text));
            if let Some(end) = end {
                let id = e.id;
                move_to_front(recent, *e, Some(at));
                self.bytes.push(STR);
                put_varint(&mut self.bytes, id);
                return Some(end);
            }
        }
        None
    }

    fn write_number(&mut self, n: &Number) {
        if let Some(i) = n.as_i64() {
            self.bytes.push(INT);
            put_varint(&mut self.bytes, zigzag(i));
        } else if let Some(u) = n.as_u64() {
            self.bytes.push(UINT);
            put_varint(&mut self.bytes, u);
        } else {
            self.bytes.push(FLOAT);
            let f = n.as_f64().unwrap_or(0.0);
            self.bytes.extend_from_slice(&f.to_le_bytes());
        }
    }

    /// Writes `j` without recursion (a `Value` built by a program may be deeper than any the
    /// parser accepts).
    fn write_json(&mut self, j: &Json) {
        enum Pending<'a> {
            Arr(std::slice::Iter<'a, Json>),
            Obj(serde_json::map::Iter<'a>),
        }
        let mut stack: Vec<Pending<'_>> = Vec::new();
        let mut next = Some(j);
        loop {
            if let Some(j) = next.take() {
                match j {
                    Json::Null => self.bytes.push(NULL),
                    Json::Bool(b) => self.bytes.push(if *b { TRUE } else { FALSE }),
                    Json::Number(n) => self.write_number(n),
                    Json::String(s) => self.write_str(s, false),
                    Json::Array(items) => {
                        self.open(false, None);
                        stack.push(Pending::Arr(items.iter()));
                    }
                    Json::Object(map) => {
                        self.open(true, None);
                        stack.push(Pending::Obj(map.iter()));
                    }
                }
            }
            match stack.last_mut() {
                None => return,
                Some(Pending::Arr(it)) => match it.next() {
                    Some(v) => {
                        self.count_one();
                        next = Some(v);
                    }
                    None => {
                        stack.pop();
                        self.close();
                    }
                },
                Some(Pending::Obj(it)) => match it.next() {
                    Some((k, v)) => {
                        self.key(k);
                        next = Some(v);
                    }
                    None => {
                        stack.pop();
                        self.close();
                    }
                },
            }
        }
    }

    /// Opens an object or array; `memo`: remember it when it closes (see [`Memo`]).
    fn open(&mut self, is_obj: bool, memo: Option<Pending>) {
        let tag_at = self.bytes.len();
        self.bytes.push(if is_obj { OBJECT } else { ARRAY });
        self.bytes.extend_from_slice(&[0; HEADER_RESERVE]);
        self.frames.push(Frame {
            tag_at,
            is_obj,
            count: 0,
            members_from: self.members.len(),
            seen: None,
            key_bits: 0,
            dup: false,
            height: 1,
            memo,
        });
    }

    /// Counts one more element of the innermost array.
    fn count_one(&mut self) {
        if let Some(f) = self.frames.last_mut() {
            f.count += 1;
        }
    }

    /// Writes the key of a new member of the innermost object.
    fn key(&mut self, k: &str) {
        let guesses = self.guesses();
        let known = guesses.iter().position(|&g| {
            g < self.keys.pool.len() as u64
                && same_bytes(self.keys.pool.get(g).as_bytes(), k.as_bytes())
        });
        let id = match known {
            Some(at) => guesses.get(at).copied().unwrap_or(u64::MAX),
            None => self.keys.intern(k),
        };
        self.followed_by(id, known);
        self.member_key(id);
    }

    /// The keys that followed the last key lately, most recent first.
    fn guesses(&self) -> [u64; KEY_GUESSES] {
        self.next_key
            .get(self.last_key)
            .copied()
            .unwrap_or([u64::MAX; KEY_GUESSES])
    }

    /// Records that key `id` follows the last key; `at` is its place among the guesses, if
    /// it was one. The guesses stay in order of last use.
    fn followed_by(&mut self, id: u64, at: Option<usize>) {
        if at == Some(0) {
            return;
        }
        if self.last_key >= self.next_key.len() {
            self.next_key
                .resize(self.last_key + 1, [u64::MAX; KEY_GUESSES]);
        }
        if let Some(slot) = self.next_key.get_mut(self.last_key) {
            move_to_front(slot, id, at);
        }
    }

    /// Writes key `id` starting a new member of the innermost object.
    fn member_key(&mut self, id: u64) {
        self.context = id;
        if let Ok(i) = usize::try_from(id) {
            self.last_key = i + 1;
            if i >= self.key_stats.len() {
                self.key_stats.resize(i + 1, (0, 0));
                self.recent_str.resize(i + 1, [NO_STR; STR_GUESSES]);
            }
            while self.plain_key.len() <= i {
                let k = self.keys.pool.get(self.plain_key.len() as u64).as_bytes();
                self.plain_key.push(next_special(k, 0) == k.len());
            }
        }
        let at = self.bytes.len();
        put_varint(&mut self.bytes, id);
        let value_at = self.bytes.len();
        let Some(f) = self.frames.last_mut() else {
            return;
        };
        f.count += 1;
        let mine = self.members.get(f.members_from..).unwrap_or(&[]);
        let bit = 1u64 << (id % 64);
        let maybe_seen = f.key_bits & bit != 0;
        f.key_bits |= bit;
        let repeated = match &mut f.seen {
            Some(seen) => !seen.insert(id),
            None => {
                let r = maybe_seen && mine.iter().any(|m| m.0 == id);
                if mine.len() >= LINEAR_DUP_CHECK {
                    let mut seen: HashSet<u64> = mine.iter().map(|m| m.0).collect();
                    seen.insert(id);
                    f.seen = Some(seen);
                }
                r
            }
        };
        f.dup |= repeated;
        self.members.push((id, at, value_at));
    }

    /// Closes the innermost container: writes its header, and for an object with repeated keys
    /// keeps each key once, at its first position, with its last value (what serde_json's
    /// insertion-ordered map does).
    fn close(&mut self) -> Option<(Option<Pending>, usize, usize)> {
        let f = self.frames.pop()?;
        if let Some(parent) = self.frames.last_mut() {
            parent.height = parent.height.max(f.height + 1);
        }
        let body = f.tag_at + 1 + HEADER_RESERVE;
        let mut count = f.count;
        if f.dup {
            let members: Vec<(u64, usize, usize)> = self.members.split_off(f.members_from);
            let end = self.bytes.len();
            let mut order: Vec<(u64, usize)> = Vec::new(); // key, index of its last member
            for (i, m) in members.iter().enumerate() {
                match order.iter_mut().find(|(k, _)| *k == m.0) {
                    Some(slot) => slot.1 = i,
                    None => order.push((m.0, i)),
                }
            }
            let mut out = std::mem::take(&mut self.scratch);
            out.clear();
            for &(k, i) in &order {
                let value_at = members.get(i).map_or(end, |m| m.2);
                let value_end = members.get(i + 1).map_or(end, |m| m.1);
                put_varint(&mut out, k);
                out.extend_from_slice(self.bytes.get(value_at..value_end).unwrap_or(&[]));
            }
            self.bytes.truncate(body);
            self.bytes.extend_from_slice(&out);
            self.scratch = out;
            count = order.len() as u64;
        } else if f.is_obj {
            self.members.truncate(f.members_from);
        }
        let size = (self.bytes.len() - body) as u64;
        let mut header = [0u8; 20];
        let n = varint_into(&mut header, 0, size);
        let n = varint_into(&mut header, n, count);
        self.fit_header(f.tag_at + 1, n);
        if let (Some(dst), Some(src)) = (
            self.bytes.get_mut(f.tag_at + 1..f.tag_at + 1 + n),
            header.get(..n),
        ) {
            dst.copy_from_slice(src);
        }
        Some((f.memo, f.tag_at, f.height))
    }

    /// Closes the innermost container, whose closing bracket is at `at` of `bytes`, and
    /// remembers it when it was looked up and missed (see [`Memo`]).
    fn close_remembering(&mut self, bytes: &[u8], at: usize) {
        let Some((Some(pending), tag_at, height)) = self.close() else {
            return;
        };
        // The parser and `skip_value` agree on where the value ends (they always do on text
        // that parses; the check keeps a disagreement from being remembered).
        if pending.end != at + 1 {
            return;
        }
        let (Some(text), Some(tape)) = (
            bytes.get(pending.start..pending.end),
            self.bytes.get(tag_at..),
        ) else {
            return;
        };
        // The value moves to the shared region; the row keeps a reference.
        if let Some(at) = self.memo.remember(&pending, text, tape, height) {
            self.bytes.truncate(tag_at);
            self.bytes.push(REF);
            put_varint(&mut self.bytes, at as u64);
        }
    }

    /// Resizes the [`HEADER_RESERVE`] bytes reserved at `at` to `n`, moving the container's body
    /// (everything after them) in place.
    fn fit_header(&mut self, at: usize, n: usize) {
        let body = at + HEADER_RESERVE;
        let len = self.bytes.len();
        if n < HEADER_RESERVE {
            self.bytes.copy_within(body..len, at + n);
            self.bytes.truncate(len - (HEADER_RESERVE - n));
        } else if n > HEADER_RESERVE {
            self.bytes.resize(len + (n - HEADER_RESERVE), 0);
            self.bytes.copy_within(body..len, at + n);
        }
    }

    /// Parses the JSON value starting at byte `start` of `s` into a new row and returns the
    /// offset just past it. The value is checked as strictly as serde_json checks it; on
    /// malformed input (or nesting deeper than [`MAX_DEPTH`]) returns the offset where it
    /// stopped and pushes nothing.
    pub fn parse(&mut self, s: &str, start: usize) -> Result<usize, usize> {
        let mark = self.bytes.len();
        self.context = u64::MAX;
        self.last_key = 0;
        self.frames.clear();
        self.members.clear();
        match self.parse_value(s, start) {
            Ok(end) => {
                self.cells.push(mark as u64);
                Ok(end)
            }
            Err(at) => {
                self.bytes.truncate(mark);
                self.frames.clear();
                self.members.clear();
                Err(at)
            }
        }
    }

    fn parse_value(&mut self, s: &str, mut i: usize) -> Result<usize, usize> {
        let bytes = s.as_bytes();
        loop {
            // A value is expected at `i`. An object or array under a key may be one met
            // before, already in the shared region (see `Memo`).
            let mut pending = None;
            let mut shared_end = None;
            if matches!(bytes.get(i), Some(b'{' | b'['))
                && self.frames.last().is_some_and(|f| f.is_obj)
            {
                match self
                    .memo
                    .lookup(self.context, bytes, i, || skip_value(bytes, i))
                {
                    Lookup::Hit(at, height, end) if self.frames.len() + height <= MAX_DEPTH => {
                        self.bytes.push(REF);
                        put_varint(&mut self.bytes, at as u64);
                        if let Some(f) = self.frames.last_mut() {
                            f.height = f.height.max(height + 1);
                        }
                        shared_end = Some(end);
                    }
                    Lookup::Miss(p) => pending = Some(p),
                    Lookup::Hit(..) | Lookup::Skip => {}
                }
            }
            match (shared_end, bytes.get(i)) {
                (Some(end), _) => i = end,
                (None, Some(&open @ (b'{' | b'['))) => {
                    if self.frames.len() >= MAX_DEPTH {
                        return Err(i);
                    }
                    let is_obj = open == b'{';
                    self.open(is_obj, pending);
                    i = skip_ws(bytes, i + 1);
                    if bytes.get(i) == Some(if is_obj { &b'}' } else { &b']' }) {
                        self.close();
                        i += 1;
                    } else if is_obj {
                        i = self.parse_key(s, i)?;
                        continue;
                    } else {
                        self.count_one();
                        continue;
                    }
                }
                (None, Some(b'"')) => match self.write_recent_str(bytes, i) {
                    Some(end) => i = end,
                    None => {
                        let (text, end) = string_at(s, i).ok_or(i)?;
                        let plain = matches!(text, std::borrow::Cow::Borrowed(_));
                        self.write_str(&text, plain);
                        i = end;
                    }
                },
                (None, Some(b't')) if bytes.get(i..i + 4) == Some(b"true") => {
                    self.bytes.push(TRUE);
                    i += 4;
                }
                (None, Some(b'f')) if bytes.get(i..i + 5) == Some(b"false") => {
                    self.bytes.push(FALSE);
                    i += 5;
                }
                (None, Some(b'n')) if bytes.get(i..i + 4) == Some(b"null") => {
                    self.bytes.push(NULL);
                    i += 4;
                }
                (None, Some(b'-' | b'0'..=b'9')) => i = self.parse_number(s, i)?,
                _ => return Err(i),
            }
            // After a value: close containers, or move to the next element or member.
            loop {
                let Some(f) = self.frames.last() else {
                    return Ok(i);
                };
                let is_obj = f.is_obj;
                i = skip_ws(bytes, i);
                match bytes.get(i) {
                    Some(b',') => {
                        i = skip_ws(bytes, i + 1);
                        if is_obj {
                            i = self.parse_key(s, i)?;
                        } else {
                            self.count_one();
                        }
                        break;
                    }
                    Some(b'}') if is_obj => {
                        self.close_remembering(bytes, i);
                        i += 1;
                    }
                    Some(b']') if !is_obj => {
                        self.close_remembering(bytes, i);
                        i += 1;
                    }
                    _ => return Err(i),
                }
            }
        }
    }

    /// Parses `"key" :` at `i` (a member of the innermost object); returns where its value starts.
    fn parse_key(&mut self, s: &str, i: usize) -> Result<usize, usize> {
        let bytes = s.as_bytes();
        if bytes.get(i) != Some(&b'"') {
            return Err(i);
        }
        // Fast path: the input holds, unescaped, one of the keys that followed the previous
        // key lately. A key without quotes, backslashes or control characters, found between
        // two quotes, is exactly that string.
        let guesses = self.guesses();
        let mut end = None;
        for (at, &g) in guesses.iter().enumerate() {
            let plain = usize::try_from(g).is_ok_and(|g| self.plain_key.get(g) == Some(&true));
            if !plain || g >= self.keys.pool.len() as u64 {
                continue;
            }
            if let Some(after) = spelled_at(bytes, i, self.keys.pool.get(g).as_bytes()) {
                self.followed_by(g, Some(at));
                self.member_key(g);
                end = Some(after);
                break;
            }
        }
        let end = match end {
            Some(end) => end,
            None => {
                let (key, end) = string_at(s, i).ok_or(i)?;
                self.key(&key);
                end
            }
        };
        let i = skip_ws(bytes, end);
        if bytes.get(i) != Some(&b':') {
            return Err(i);
        }
        Ok(skip_ws(bytes, i + 1))
    }

    /// Parses the number at `i` by JSON's grammar. Short integers are converted here; any other
    /// number is converted by serde_json so that the value (rounding, `-0`, range) is exactly
    /// serde_json's.
    fn parse_number(&mut self, s: &str, start: usize) -> Result<usize, usize> {
        let bytes = s.as_bytes();
        let digits = |mut i: usize| {
            while bytes.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            i
        };
        let mut i = start;
        let negative = bytes.get(i) == Some(&b'-');
        if negative {
            i += 1;
        }
        let int_start = i;
        match bytes.get(i) {
            Some(b'0') => i += 1,
            Some(b'1'..=b'9') => i = digits(i),
            _ => return Err(i),
        }
        let int_end = i;
        let mut plain = true;
        if bytes.get(i) == Some(&b'.') {
            plain = false;
            let d = digits(i + 1);
            if d == i + 1 {
                return Err(d);
            }
            i = d;
        }
        if matches!(bytes.get(i), Some(b'e' | b'E')) {
            plain = false;
            i += 1;
            if matches!(bytes.get(i), Some(b'+' | b'-')) {
                i += 1;
            }
            let d = digits(i);
            if d == i {
                return Err(d);
            }
            i = d;
        }
        let token = s.get(start..i).ok_or(start)?;
        // Up to 18 digits always fit an i64; `-0` is a float in serde_json.
        let digits_text = s.get(int_start..int_end).unwrap_or("");
        if plain && digits_text.len() <= 18 && !(negative && digits_text == "0") {
            let mut v: i64 = 0;
            for d in digits_text.bytes() {
                v = v * 10 + i64::from(d - b'0');
            }
            self.bytes.push(INT);
            put_varint(&mut self.bytes, zigzag(if negative { -v } else { v }));
            return Ok(i);
        }
        let n: Number = serde_json::from_str(token).map_err(|_| start)?;
        self.write_number(&n);
        Ok(i)
    }

    /// The finished column.
    pub fn finish(self) -> Tape {
        let TapeBuilder {
            mut bytes,
            cells,
            mut keys,
            mut strings,
            memo,
            ..
        } = self;
        let shared_at = bytes.len();
        bytes.extend_from_slice(&memo.into_shared());
        bytes.shrink_to_fit();
        keys.shrink();
        strings.shrink();
        let cells = compact_offsets(cells, bytes.len());
        Tape {
            arena: Arc::new(Arena {
                bytes,
                shared_at,
                keys,
                strings: strings.pool,
            }),
            cells: Arc::new(cells),
        }
    }
}

/// Puts `value` first in `slots`, shifting the others down: when it was at `at`, the slots
/// before `at`; when it was absent, all of them (the last one falls off).
#[inline]
fn move_to_front<T: Copy, const N: usize>(slots: &mut [T; N], value: T, at: Option<usize>) {
    let end = at.map_or(N, |at| at + 1).min(N);
    for j in (1..end).rev() {
        slots[j] = slots[j - 1];
    }
    if let Some(first) = slots.first_mut() {
        *first = value;
    }
}
