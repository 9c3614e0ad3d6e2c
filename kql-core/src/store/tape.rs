//! A compact, immutable encoding of the JSON values of a loaded dynamic column.
//!
//! Every cell of the column is written into one byte arena, the *tape*, as a preorder sequence
//! of nodes:
//!
//! | node      | bytes                                                              |
//! |-----------|--------------------------------------------------------------------|
//! | null      | `NULL`                                                             |
//! | bool      | `FALSE` or `TRUE`                                                  |
//! | integer   | `INT`, zigzag LEB128 of the `i64`                                  |
//! | big int   | `UINT`, LEB128 of a `u64` above `i64::MAX`                         |
//! | float     | `FLOAT`, 8 bytes little endian                                     |
//! | string    | `STR`, LEB128 id into the column's string pool                     |
//! | string    | `STR_INLINE`, LEB128 byte length, the UTF-8 bytes                  |
//! | array     | `ARRAY`, LEB128 byte size of the elements, LEB128 count, elements  |
//! | object    | `OBJECT`, LEB128 byte size of the members, LEB128 count, members   |
//!
//! An object member is the LEB128 id of its key in the column's key dictionary followed by its
//! value. Containers record their byte size so that a path walk skips a sibling in O(1).
//!
//! Keys and string values are interned per column: ARG `properties` repeat the same keys on
//! every row and many of the same values (statuses, severities, long descriptions), so a row
//! costs a few bytes per member instead of a `serde_json::Value` tree with a heap string per key
//! and value. Strings under a key whose values are nearly all distinct (timestamps, GUIDs,
//! links) are written inline instead: interning them would cost a hash probe (usually a cache
//! miss) and an offset each and save nothing. The builder decides per key from the first
//! values it sees (see `TapeBuilder::write_str`). Numbers follow serde_json's model (`i64` when integral and in range, `u64` above,
//! `f64` otherwise) so that materialising a cell gives exactly the value serde_json would have
//! parsed.
//!
//! [`TapeBuilder::parse`] writes a value straight from JSON text, checking it as strictly as
//! serde_json does (with the same nesting limit), without building a `serde_json::Value`.

use crate::store::hash::{same_bytes, HashIndex, Probe};
use crate::value::Json;
use serde_json::{Map, Number};
use std::collections::HashSet;
use std::sync::Arc;

const NULL: u8 = 0;
const FALSE: u8 = 1;
const TRUE: u8 = 2;
const INT: u8 = 3;
const UINT: u8 = 4;
const FLOAT: u8 = 5;
const STR: u8 = 6;
const ARRAY: u8 = 7;
const OBJECT: u8 = 8;
const STR_INLINE: u8 = 9;

/// The deepest nesting of arrays and objects accepted in one value: serde_json's recursion
/// limit, so that a value is accepted exactly when serde_json accepts it on its own (a unit test
/// checks the two agree).
pub const MAX_DEPTH: usize = 127;

/// Bytes reserved after a container's tag for its header (size and count). Two bytes of size
/// (up to 16383) and one of count (up to 127) cover most containers; others are shifted once
/// when they close.
const HEADER_RESERVE: usize = 3;

/// Marks a null row in the cell offsets.
const NULL_CELL: u64 = u64::MAX;

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Writes `v` as LEB128 into `out` from `at` (room permitting); returns the offset past it.
fn varint_into(out: &mut [u8], mut at: usize, mut v: u64) -> usize {
    loop {
        let byte = if v >= 0x80 { (v as u8) | 0x80 } else { v as u8 };
        if let Some(b) = out.get_mut(at) {
            *b = byte;
        }
        at += 1;
        v >>= 7;
        if byte < 0x80 {
            return at;
        }
    }
}

fn zigzag(i: i64) -> u64 {
    ((i << 1) ^ (i >> 63)) as u64
}

fn unzigzag(u: u64) -> i64 {
    ((u >> 1) as i64) ^ -((u & 1) as i64)
}

fn hash_str(s: &str) -> u64 {
    crate::store::hash::hash_bytes(s.as_bytes())
}

/// Distinct strings, each stored once in one buffer, numbered in order of first appearance.
#[derive(Debug, Default, Clone)]
pub struct Pool {
    text: String,
    /// End offset of each string in `text` (it starts where the previous one ends).
    ends: Vec<u64>,
}

impl Pool {
    /// The string with id `id` (`""` for an unknown id).
    pub fn get(&self, id: u64) -> &str {
        let (start, end) = self.span(id);
        self.text.get(start..end).unwrap_or("")
    }

    /// Where the string with id `id` lies in the pool's text (`(0, 0)` for an unknown id).
    fn span(&self, id: u64) -> (usize, usize) {
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
struct Interner {
    pool: Pool,
    index: HashIndex,
}

impl Interner {
    /// The id of `s`, adding it when new.
    fn intern(&mut self, s: &str) -> u64 {
        self.intern_hashed(s, hash_str(s))
    }

    /// The id of `s`, whose hash is `h`, adding it when new.
    fn intern_hashed(&mut self, s: &str, h: u64) -> u64 {
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
    fn lookup(&self, s: &str) -> Option<u64> {
        self.index
            .get(hash_str(s), |id| {
                same_bytes(self.pool.get(u64::from(id)).as_bytes(), s.as_bytes())
            })
            .map(u64::from)
    }

    fn shrink(&mut self) {
        self.pool.text.shrink_to_fit();
        self.pool.ends.shrink_to_fit();
    }
}

/// Cell offsets into the tape: 4 bytes per row while the tape is under 4 GiB.
#[derive(Debug, Clone)]
enum Offsets {
    Small(Vec<u32>),
    Large(Vec<u64>),
}

/// The shared, immutable part of a tape column: the arena, the key dictionary and the pool.
#[derive(Debug)]
pub struct Arena {
    bytes: Vec<u8>,
    keys: Interner,
    strings: Pool,
}

/// One node of a tape, located by its offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Node(usize);

/// A scalar read from a node, or the shape of a container.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Scalar<'a> {
    /// JSON null.
    Null,
    /// A boolean.
    Bool(bool),
    /// An integer in the i64 range.
    Int(i64),
    /// An integer above `i64::MAX`.
    UInt(u64),
    /// Any other number.
    Float(f64),
    /// A string.
    Str(&'a str),
    /// An array of this many elements.
    Array(usize),
    /// An object of this many members.
    Object(usize),
}

/// A path step with its key resolved against the key dictionary.
#[derive(Debug, Clone, Copy)]
pub enum Step {
    /// A key (`None`: the column has no such key anywhere).
    Key(Option<u64>),
    /// An array index; negative counts from the end.
    Index(i64),
}

impl Arena {
    fn varint(&self, pos: &mut usize) -> Option<u64> {
        let mut v = 0u64;
        let mut shift = 0u32;
        loop {
            let b = *self.bytes.get(*pos)?;
            *pos += 1;
            v |= u64::from(b & 0x7f).checked_shl(shift)?;
            if b < 0x80 {
                return Some(v);
            }
            shift += 7;
            if shift > 63 {
                return None;
            }
        }
    }

    /// The tag of `node`, its header decoded, and the offset of its payload / first child.
    fn head(&self, node: Node) -> Option<(Scalar<'_>, usize)> {
        let mut p = node.0;
        let tag = *self.bytes.get(p)?;
        p += 1;
        let s = match tag {
            NULL => Scalar::Null,
            FALSE => Scalar::Bool(false),
            TRUE => Scalar::Bool(true),
            INT => Scalar::Int(unzigzag(self.varint(&mut p)?)),
            UINT => Scalar::UInt(self.varint(&mut p)?),
            FLOAT => {
                let b = self.bytes.get(p..p + 8)?;
                p += 8;
                let mut w = [0u8; 8];
                w.copy_from_slice(b);
                Scalar::Float(f64::from_le_bytes(w))
            }
            STR => Scalar::Str(self.strings.get(self.varint(&mut p)?)),
            STR_INLINE => {
                let n = usize::try_from(self.varint(&mut p)?).ok()?;
                let b = self.bytes.get(p..p.checked_add(n)?)?;
                p += n;
                Scalar::Str(std::str::from_utf8(b).ok()?)
            }
            ARRAY | OBJECT => {
                let _size = self.varint(&mut p)?;
                let count = usize::try_from(self.varint(&mut p)?).ok()?;
                if tag == ARRAY {
                    Scalar::Array(count)
                } else {
                    Scalar::Object(count)
                }
            }
            _ => return None,
        };
        Some((s, p))
    }

    /// The offset just past `node`.
    fn end(&self, node: Node) -> Option<usize> {
        let mut p = node.0;
        let tag = *self.bytes.get(p)?;
        p += 1;
        match tag {
            NULL | FALSE | TRUE => {}
            INT | UINT | STR => {
                self.varint(&mut p)?;
            }
            FLOAT => p += 8,
            STR_INLINE => {
                let n = usize::try_from(self.varint(&mut p)?).ok()?;
                p = p.checked_add(n)?;
            }
            ARRAY | OBJECT => {
                let size = usize::try_from(self.varint(&mut p)?).ok()?;
                self.varint(&mut p)?;
                p = p.checked_add(size)?;
            }
            _ => return None,
        }
        Some(p)
    }

    /// The pool id of `node` when it is an interned string.
    pub fn str_id(&self, node: Node) -> Option<u64> {
        if *self.bytes.get(node.0)? != STR {
            return None;
        }
        let mut p = node.0 + 1;
        self.varint(&mut p)
    }

    /// What `node` holds.
    pub fn scalar(&self, node: Node) -> Option<Scalar<'_>> {
        self.head(node).map(|(s, _)| s)
    }

    /// The key id of `key`, if any row has it.
    pub fn key_id(&self, key: &str) -> Option<u64> {
        self.keys.lookup(key)
    }

    /// Resolves path steps against this arena's keys.
    pub fn resolve(&self, steps: &[crate::store::JsonStep]) -> Vec<Step> {
        steps
            .iter()
            .map(|s| match s {
                crate::store::JsonStep::Key(k) => Step::Key(self.key_id(k)),
                crate::store::JsonStep::Index(i) => Step::Index(*i),
            })
            .collect()
    }

    /// The member of object `node` with key `key`, or `None`.
    fn member(&self, node: Node, key: u64) -> Option<Node> {
        let (Scalar::Object(count), mut p) = self.head(node)? else {
            return None;
        };
        for _ in 0..count {
            let k = self.varint(&mut p)?;
            if k == key {
                return Some(Node(p));
            }
            p = self.end(Node(p))?;
        }
        None
    }

    /// Element `i` of array `node` (negative from the end), or `None`.
    fn element(&self, node: Node, i: i64) -> Option<Node> {
        let (Scalar::Array(count), mut p) = self.head(node)? else {
            return None;
        };
        let i = if i < 0 {
            (count as i64).checked_add(i)?
        } else {
            i
        };
        let i = usize::try_from(i).ok()?;
        if i >= count {
            return None;
        }
        for _ in 0..i {
            p = self.end(Node(p))?;
        }
        Some(Node(p))
    }

    /// Follows `steps` from `node`.
    pub fn walk(&self, mut node: Node, steps: &[Step]) -> Option<Node> {
        for step in steps {
            node = match *step {
                Step::Key(k) => self.member(node, k?)?,
                Step::Index(i) => self.element(node, i)?,
            };
        }
        Some(node)
    }

    /// The JSON value of `node`, built without recursion.
    pub fn materialize(&self, node: Node) -> Json {
        enum Open {
            Arr(Vec<Json>, usize),
            Obj(Map<String, Json>, usize, String),
        }
        let mut stack: Vec<Open> = Vec::new();
        let mut p = node.0;
        loop {
            // Read the next value (and, in an object, its key first).
            if let Some(Open::Obj(_, _, key)) = stack.last_mut() {
                let Some(k) = self.varint(&mut p) else {
                    return Json::Null;
                };
                *key = self.keys.pool.get(k).to_string();
            }
            let Some((s, payload)) = self.head(Node(p)) else {
                return Json::Null;
            };
            let mut value = match s {
                Scalar::Array(n) if n > 0 => {
                    stack.push(Open::Arr(Vec::with_capacity(n), n));
                    p = payload;
                    continue;
                }
                Scalar::Object(n) if n > 0 => {
                    stack.push(Open::Obj(Map::with_capacity(n), n, String::new()));
                    p = payload;
                    continue;
                }
                other => {
                    p = self.end(Node(p)).unwrap_or(usize::MAX);
                    scalar_json(other)
                }
            };
            // Hand the value to its container, closing every container it completes.
            loop {
                match stack.last_mut() {
                    None => return value,
                    Some(Open::Arr(items, left)) => {
                        items.push(value);
                        *left -= 1;
                        if *left > 0 {
                            break;
                        }
                    }
                    Some(Open::Obj(map, left, key)) => {
                        map.insert(std::mem::take(key), value);
                        *left -= 1;
                        if *left > 0 {
                            break;
                        }
                    }
                }
                value = match stack.pop() {
                    Some(Open::Arr(items, _)) => Json::Array(items),
                    Some(Open::Obj(map, _, _)) => Json::Object(map),
                    None => return Json::Null,
                };
            }
        }
    }

    /// Appends the compact JSON text of `node` (as `serde_json::to_string` writes it), without
    /// recursion.
    pub fn write_json(&self, node: Node, out: &mut Vec<u8>) {
        // Per open container: members left, and whether it is an object.
        let mut stack: Vec<(usize, bool)> = Vec::new();
        let mut p = node.0;
        let mut first = true;
        loop {
            if let Some(&(_, is_obj)) = stack.last() {
                if !first {
                    out.push(b',');
                }
                if is_obj {
                    let Some(k) = self.varint(&mut p) else { return };
                    write_json_str(self.keys.pool.get(k), out);
                    out.push(b':');
                }
            }
            let Some((s, payload)) = self.head(Node(p)) else {
                return;
            };
            match s {
                Scalar::Array(n) | Scalar::Object(n) if n > 0 => {
                    let is_obj = matches!(s, Scalar::Object(_));
                    out.push(if is_obj { b'{' } else { b'[' });
                    stack.push((n, is_obj));
                    p = payload;
                    first = true;
                    continue;
                }
                Scalar::Array(_) => out.extend_from_slice(b"[]"),
                Scalar::Object(_) => out.extend_from_slice(b"{}"),
                Scalar::Null => out.extend_from_slice(b"null"),
                Scalar::Bool(b) => out.extend_from_slice(if b { b"true" } else { b"false" }),
                Scalar::Int(i) => out.extend_from_slice(i.to_string().as_bytes()),
                Scalar::UInt(u) => out.extend_from_slice(u.to_string().as_bytes()),
                Scalar::Float(f) => write_json_float(f, out),
                Scalar::Str(t) => write_json_str(t, out),
            }
            p = self.end(Node(p)).unwrap_or(usize::MAX);
            first = false;
            loop {
                match stack.last_mut() {
                    None => return,
                    Some((left, is_obj)) => {
                        *left -= 1;
                        if *left > 0 {
                            break;
                        }
                        out.push(if *is_obj { b'}' } else { b']' });
                        stack.pop();
                    }
                }
            }
        }
    }

    /// Heap bytes held by the arena.
    pub fn heap_bytes(&self) -> usize {
        self.bytes.capacity()
            + self.keys.pool.heap_bytes()
            + self.keys.index.heap_bytes()
            + self.strings.heap_bytes()
    }
}

fn scalar_json(s: Scalar<'_>) -> Json {
    match s {
        Scalar::Null => Json::Null,
        Scalar::Bool(b) => Json::Bool(b),
        Scalar::Int(i) => Json::Number(i.into()),
        Scalar::UInt(u) => Json::Number(u.into()),
        Scalar::Float(f) => Number::from_f64(f).map_or(Json::Null, Json::Number),
        Scalar::Str(t) => Json::String(t.to_string()),
        Scalar::Array(_) => Json::Array(Vec::new()),
        Scalar::Object(_) => Json::Object(Map::new()),
    }
}

/// A string as serde_json writes it (quoted, escaped).
fn write_json_str(s: &str, out: &mut Vec<u8>) {
    // serde_json's own writer, so that escaping is exactly the same; writing to a Vec
    // cannot fail.
    let _ = serde_json::to_writer(&mut *out, s);
}

fn write_json_float(f: f64, out: &mut Vec<u8>) {
    let _ = serde_json::to_writer(&mut *out, &f);
}

/// A loaded dynamic column's values: one tape node per row, or null.
#[derive(Debug, Clone)]
pub struct Tape {
    arena: Arc<Arena>,
    cells: Arc<Offsets>,
}

impl Tape {
    /// Number of rows.
    pub fn len(&self) -> usize {
        match &*self.cells {
            Offsets::Small(v) => v.len(),
            Offsets::Large(v) => v.len(),
        }
    }

    /// True when there are no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The shared arena.
    pub fn arena(&self) -> &Arena {
        &self.arena
    }

    /// The node of `row`, or `None` when the row is null (or out of range).
    pub fn node(&self, row: usize) -> Option<Node> {
        match &*self.cells {
            Offsets::Small(v) => v
                .get(row)
                .filter(|&&o| o != u32::MAX)
                .map(|&o| Node(o as usize)),
            Offsets::Large(v) => v
                .get(row)
                .filter(|&&o| o != NULL_CELL)
                .map(|&o| Node(o as usize)),
        }
    }

    /// A tape over the same arena whose rows are `nodes` (`None`: null).
    pub fn with_nodes(&self, nodes: impl Iterator<Item = Option<Node>>) -> Tape {
        let offs: Vec<u64> = nodes.map(|n| n.map_or(NULL_CELL, |n| n.0 as u64)).collect();
        Tape {
            arena: Arc::clone(&self.arena),
            cells: Arc::new(compact_offsets(offs, self.arena.bytes.len())),
        }
    }

    /// Heap bytes held (the arena counted in full).
    pub fn heap_bytes(&self) -> usize {
        self.arena.heap_bytes()
            + match &*self.cells {
                Offsets::Small(v) => v.capacity() * 4,
                Offsets::Large(v) => v.capacity() * 8,
            }
    }
}

/// 4-byte offsets when every offset fits below `u32::MAX` (which marks null there).
fn compact_offsets(offs: Vec<u64>, tape_len: usize) -> Offsets {
    if (tape_len as u64) < u64::from(u32::MAX) {
        Offsets::Small(
            offs.into_iter()
                .map(|o| if o == NULL_CELL { u32::MAX } else { o as u32 })
                .collect(),
        )
    } else {
        Offsets::Large(offs)
    }
}

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
}

/// Builds a [`Tape`] one row at a time.
#[derive(Debug, Default)]
pub struct TapeBuilder {
    bytes: Vec<u8>,
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
}

/// Strings sampled under a key before deciding whether to intern its strings.
const SAMPLE: u32 = 64;
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
                        self.open(false);
                        stack.push(Pending::Arr(items.iter()));
                    }
                    Json::Object(map) => {
                        self.open(true);
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

    fn open(&mut self, is_obj: bool) {
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
    fn close(&mut self) {
        let Some(f) = self.frames.pop() else {
            return;
        };
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
            // A value is expected at `i`.
            match bytes.get(i) {
                Some(b'{') => {
                    if self.frames.len() >= MAX_DEPTH {
                        return Err(i);
                    }
                    self.open(true);
                    i = skip_ws(bytes, i + 1);
                    if bytes.get(i) == Some(&b'}') {
                        self.close();
                        i += 1;
                    } else {
                        i = self.parse_key(s, i)?;
                        continue;
                    }
                }
                Some(b'[') => {
                    if self.frames.len() >= MAX_DEPTH {
                        return Err(i);
                    }
                    self.open(false);
                    i = skip_ws(bytes, i + 1);
                    if bytes.get(i) == Some(&b']') {
                        self.close();
                        i += 1;
                    } else {
                        self.count_one();
                        continue;
                    }
                }
                Some(b'"') => match self.write_recent_str(bytes, i) {
                    Some(end) => i = end,
                    None => {
                        let (text, end) = string_at(s, i).ok_or(i)?;
                        let plain = matches!(text, std::borrow::Cow::Borrowed(_));
                        self.write_str(&text, plain);
                        i = end;
                    }
                },
                Some(b't') if bytes.get(i..i + 4) == Some(b"true") => {
                    self.bytes.push(TRUE);
                    i += 4;
                }
                Some(b'f') if bytes.get(i..i + 5) == Some(b"false") => {
                    self.bytes.push(FALSE);
                    i += 5;
                }
                Some(b'n') if bytes.get(i..i + 4) == Some(b"null") => {
                    self.bytes.push(NULL);
                    i += 4;
                }
                Some(b'-' | b'0'..=b'9') => i = self.parse_number(s, i)?,
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
                        self.close();
                        i += 1;
                    }
                    Some(b']') if !is_obj => {
                        self.close();
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
            ..
        } = self;
        bytes.shrink_to_fit();
        keys.shrink();
        strings.shrink();
        let cells = compact_offsets(cells, bytes.len());
        Tape {
            arena: Arc::new(Arena {
                bytes,
                keys,
                strings: strings.pool,
            }),
            cells: Arc::new(cells),
        }
    }
}

/// Puts `value` first in `slots`, shifting the others down: when it was at `at`, the slots
/// before `at`; when it was absent, all of them (the last one falls off).
fn move_to_front<T: Copy, const N: usize>(slots: &mut [T; N], value: T, at: Option<usize>) {
    let end = at.map_or(N, |at| at + 1).min(N);
    for j in (1..end).rev() {
        slots[j] = slots[j - 1];
    }
    if let Some(first) = slots.first_mut() {
        *first = value;
    }
}

/// The offset of the first non-whitespace byte at or after `i`.
fn skip_ws(bytes: &[u8], mut i: usize) -> usize {
    while matches!(bytes.get(i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
        i += 1;
    }
    i
}

/// The offset of the first `"`, `\\` or control character at or after `i` (or the length).
/// Eight bytes at a time: a byte is flagged by the classic "has zero byte" / "has byte less
/// than" word tricks; their false positives only ever follow a true one, so the lowest flagged
/// byte is the first special byte.
pub(crate) fn next_special(bytes: &[u8], mut i: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    while let Some(chunk) = bytes.get(i..i + 8) {
        let mut w = [0u8; 8];
        w.copy_from_slice(chunk);
        let w = u64::from_le_bytes(w);
        let q = w ^ (ONES * u64::from(b'"'));
        let b = w ^ (ONES * u64::from(b'\\'));
        let flags = ((q.wrapping_sub(ONES) & !q)
            | (b.wrapping_sub(ONES) & !b)
            | (w.wrapping_sub(ONES * 0x20) & !w))
            & HIGHS;
        if flags != 0 {
            return i + (flags.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while let Some(&c) = bytes.get(i) {
        if c == b'"' || c == b'\\' || c < 0x20 {
            return i;
        }
        i += 1;
    }
    i
}

/// The offset just past the JSON string whose opening quote is at `i` when that string is
/// `text` written out byte for byte. Only for a `text` JSON spells as itself (no quote,
/// backslash or control character): then the string's value is exactly `text`.
pub(crate) fn spelled_at(bytes: &[u8], i: usize, text: &[u8]) -> Option<usize> {
    let close = i + 1 + text.len();
    let same = bytes.get(close) == Some(&b'"')
        && bytes
            .get(i + 1..close)
            .is_some_and(|input| same_bytes(input, text));
    same.then_some(close + 1)
}

/// The string whose opening quote is at `i`: its value and the offset just past it. Strings
/// without escapes or control characters are borrowed; the others are handed to serde_json,
/// which unescapes them (surrogate pairs included) or rejects them exactly as it would in a
/// whole document.
pub(crate) fn string_at(s: &str, i: usize) -> Option<(std::borrow::Cow<'_, str>, usize)> {
    use std::borrow::Cow;
    let bytes = s.as_bytes();
    let mut j = i + 1;
    let mut plain = true;
    loop {
        j = next_special(bytes, j);
        match *bytes.get(j)? {
            b'"' => {
                let value = if plain {
                    Cow::Borrowed(s.get(i + 1..j)?)
                } else {
                    Cow::Owned(serde_json::from_str::<String>(s.get(i..=j)?).ok()?)
                };
                return Some((value, j + 1));
            }
            b'\\' => {
                plain = false;
                j += 2;
            }
            c => {
                // Control characters are invalid in JSON strings; serde_json rejects them.
                plain &= c >= 0x20;
                j += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::JsonStep;

    /// Parses `text` as one cell with the tape parser, or `None` when it is rejected.
    fn parse_one(text: &str) -> Option<Tape> {
        let mut b = TapeBuilder::new();
        let end = b.parse(text, skip_ws(text.as_bytes(), 0)).ok()?;
        (skip_ws(text.as_bytes(), end) == text.len()).then(|| b.finish())
    }

    fn round_trip(text: &str) -> Option<(Json, String)> {
        let t = parse_one(text)?;
        let node = t.node(0)?;
        let mut out = Vec::new();
        t.arena().write_json(node, &mut out);
        Some((t.arena().materialize(node), String::from_utf8(out).unwrap()))
    }

    /// Checks the tape agrees with serde_json on `text`: same acceptance, same value, same
    /// compact text.
    fn agrees(text: &str) {
        let serde = serde_json::from_str::<Json>(text).ok();
        let tape = round_trip(text);
        match (serde, tape) {
            (Some(j), Some((m, out))) => {
                assert_eq!(m, j, "{text}");
                assert_eq!(out, j.to_string(), "{text}");
                // Same number representation too (i64 / u64 / f64), not just equal values.
                assert_eq!(format!("{m:?}"), format!("{j:?}"), "{text}");
            }
            (None, None) => {}
            (s, t) => panic!("{text}: serde_json {s:?}, tape {t:?}"),
        }
    }

    #[test]
    fn repeated_keys_are_found_whatever_their_key_bits() {
        // Key ids 0..70 in order of first appearance: k3 and k67 share a bit of the per-object
        // key mask (67 % 64 == 3), as do k5 and k69; the mask only skips the scan for keys
        // whose bit is clear, so every repeat must still be found. (The short texts, in a
        // fresh builder, number their keys from 0.)
        let members: Vec<String> = (0..70).map(|k| format!("\"k{k}\":{k}")).collect();
        let all = members.join(",");
        for text in [
            format!("{{{all}}}"),
            format!("{{{all},\"k67\":\"again\"}}"),
            format!("{{{all},\"k3\":[1],\"k69\":{{\"k5\":1,\"k5\":2}}}}"),
            "{\"k3\":1,\"k67\":2,\"k3\":3}".to_string(),
            "{\"k3\":1,\"k67\":2,\"k67\":3,\"x\":{\"k3\":4,\"k67\":5}}".to_string(),
            "{\"k67\":1,\"k3\":2}".to_string(),
        ] {
            agrees(&text);
        }
        // Hand-worked: the last value wins, at the key's first position.
        let (j, out) = round_trip(r#"{"k3":1,"k67":2,"k3":3}"#).unwrap();
        assert_eq!(out, r#"{"k3":3,"k67":2}"#);
        assert_eq!(j, serde_json::json!({"k3": 3, "k67": 2}));
    }

    #[test]
    fn tricky_values_round_trip_as_serde_json_reads_them() {
        for text in [
            "{}",
            "[]",
            "[[],{},[[]],{\"a\":{}}]",
            "0",
            "-0",
            "-0.0",
            "1",
            "-1",
            "123456789012345678",
            "1234567890123456789",
            "9223372036854775807",
            "9223372036854775808",
            "-9223372036854775808",
            "-9223372036854775809",
            "18446744073709551615",
            "18446744073709551616",
            "1e400",
            "-1e400",
            "1e-400",
            "1.5",
            "1E2",
            "1e+2",
            "2.2250738585072014e-308",
            "0.1",
            "1.7976931348623157e308",
            "\"\"",
            "\"plain\"",
            "\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\"",
            "\"caf\\u00e9 \\u0000 \\u001f\"",
            "\"\\ud83d\\ude00 😀 é\"",
            "\"\\ud83d\"",
            "\"\\ude00\"",
            "\"\\ud83dx\"",
            "\"\\u12\"",
            "\"\\x\"",
            "\"tab\there\"",
            "\"\u{1}\"",
            "\"\u{7f}\"",
            "true",
            "false",
            "null",
            "[1,true,null,\"x\",2.5]",
            " { \"a\" : [ 1 , 2 ] , \"b\" : { } } ",
            "{\"a\":1,\"b\":2,\"a\":3}",
            "{\"a\":{\"x\":1},\"b\":2,\"a\":{\"y\":[1,2]},\"c\":3,\"b\":4}",
            "{\"k\\u0065y\":1,\"key\":2}",
            "{\"\":\"\"}",
            "[1,]",
            "{\"a\":1,}",
            "[01]",
            "[1.]",
            "[.5]",
            "[-]",
            "[1e]",
            "[+1]",
            "[tru]",
            "[nul]",
            "{a:1}",
            "{\"a\" 1}",
            "[1 2]",
            "[",
            "{",
            "{\"a\":",
            "\"open",
            "[1]]",
        ] {
            agrees(text.trim());
        }
    }

    #[test]
    fn hand_checked_values() {
        let (j, out) =
            round_trip("{\"b\":1,\"a\":[\"\\u00e9\",-0,1e2],\"b\":{\"c\":null}}").unwrap();
        // The repeated key keeps its first position and takes its last value.
        assert_eq!(out, r#"{"b":{"c":null},"a":["é",-0.0,100.0]}"#);
        assert_eq!(j["a"][1].as_f64().map(f64::is_sign_negative), Some(true));
        let (j, _) = round_trip("18446744073709551615").unwrap();
        assert_eq!(j.as_u64(), Some(u64::MAX));
        let (j, _) = round_trip("-9223372036854775808").unwrap();
        assert_eq!(j.as_i64(), Some(i64::MIN));
        assert!(round_trip("1e400").is_none());
        let (j, out) = round_trip("\"\\ud83d\\ude00\"").unwrap();
        assert_eq!((j.as_str(), out.as_str()), (Some("😀"), "\"😀\""));
    }

    #[test]
    fn container_headers_of_every_width_round_trip() {
        // Headers of 2 bytes ([1]: size 2, count 1), 3 (the reserve: 128 elements of 2 bytes),
        // 4 (200 elements: size 400 and count 200 take two bytes each) and 5 (a 20,000-byte
        // string inline: size takes three bytes), nested so that bodies move after inner
        // headers changed width.
        let many = |n: usize| format!("[{}]", vec!["1"; n].join(","));
        let long = format!("\"{}\"", "x".repeat(20_000));
        for text in [
            "[1]".to_string(),
            many(128),
            many(200),
            format!("{{\"a\":{},\"b\":[1],\"c\":{}}}", many(200), many(3)),
            format!("[{long},[{long}],{{\"k\":[1]}}]"),
        ] {
            agrees(&text);
        }
        let t = parse_one("[1]").unwrap();
        assert_eq!(t.arena().bytes, [ARRAY, 2, 1, INT, 2]);
    }

    #[test]
    fn nesting_limit_matches_serde_json() {
        for depth in [1, 100, MAX_DEPTH - 1, MAX_DEPTH, MAX_DEPTH + 1, 10_000] {
            let arrays = format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
            agrees(&arrays);
            let objects = format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth));
            agrees(&objects);
        }
        assert!(round_trip(&format!(
            "{}{}",
            "[".repeat(MAX_DEPTH),
            "]".repeat(MAX_DEPTH)
        ))
        .is_some());
        // Unclosed and very deep: an error, not a stack overflow.
        assert!(parse_one(&"[".repeat(100_000)).is_none());
    }

    #[test]
    fn deep_values_built_by_programs_are_written_without_recursion() {
        let mut j = Json::from(1);
        for _ in 0..20_000 {
            j = Json::Array(vec![j]);
        }
        let mut b = TapeBuilder::new();
        b.push_json(&j);
        let t = b.finish();
        let node = t.node(0).unwrap();
        let mut out = Vec::new();
        t.arena().write_json(node, &mut out);
        let expected = format!("{}1{}", "[".repeat(20_000), "]".repeat(20_000));
        assert!(out == expected.as_bytes());
        let m = t.arena().materialize(node);
        // Comparing values would recurse: descend by hand.
        let mut at = &m;
        for _ in 0..20_000 {
            match at {
                Json::Array(items) if items.len() == 1 => at = &items[0],
                _ => panic!("not a one-element array"),
            }
        }
        assert_eq!(at, &Json::from(1));
        // Dropping these deep trees would recurse; leak them in this test instead.
        std::mem::forget(m);
        std::mem::forget(j);
    }

    #[test]
    fn strings_and_keys_are_interned() {
        let mut b = TapeBuilder::new();
        for _ in 0..1000 {
            let text = r#"{"status":"Healthy","description":"a long text repeated on every row"}"#;
            assert_eq!(b.parse(text, 0), Ok(text.len()));
        }
        let t = b.finish();
        assert_eq!((t.arena().keys.pool.len(), t.arena().strings.len()), (2, 2));
        // Tag, size, count, and two members of key, tag and string id: 9 bytes a row.
        assert_eq!(t.arena().bytes.len(), 9_000);
    }

    #[test]
    fn interner_numbers_strings_in_order_of_first_appearance() {
        let mut i = Interner::default();
        // "" and 3000 others, each interned twice (the second round in reverse order).
        let words: Vec<String> = (0..3000).map(|n| format!("w{n}")).collect();
        assert_eq!(i.intern(""), 0);
        for (n, w) in words.iter().enumerate() {
            assert_eq!(i.intern(w), n as u64 + 1);
        }
        for (n, w) in words.iter().enumerate().rev() {
            assert_eq!(i.intern(w), n as u64 + 1);
            assert_eq!(i.lookup(w), Some(n as u64 + 1));
        }
        assert_eq!(
            (i.intern(""), i.lookup(""), i.lookup("w3000")),
            (0, Some(0), None)
        );
        assert_eq!(
            (i.pool.len(), i.pool.get(0), i.pool.get(3000)),
            (3001, "", "w2999")
        );
        assert_eq!(Interner::default().lookup(""), None);
    }

    #[test]
    fn next_special_finds_the_first_quote_backslash_or_control_character() {
        // A special byte at every position of texts up to 80 bytes, scanned from every start:
        // both the word-at-a-time start and the memchr part must find the first one.
        let naive = |b: &[u8], i: usize| {
            (i..b.len())
                .find(|&j| matches!(b[j], b'"' | b'\\' | 0..=0x1f))
                .unwrap_or(b.len())
        };
        for len in 0..80 {
            for special in [b'"', b'\\', b'\n', 0u8, 0x1f] {
                for at in 0..=len {
                    // Plain bytes, some of them just above the control range and non-ASCII.
                    let mut text: Vec<u8> = (0..len).map(|k| b" a~\x7f\xc3 "[k % 6]).collect();
                    if at < len {
                        text[at] = special;
                    }
                    for start in 0..=len {
                        assert_eq!(
                            next_special(&text, start),
                            naive(&text, start),
                            "len {len}, special {special} at {at}, from {start}"
                        );
                    }
                }
            }
        }
        // A control character before a later quote in the memchr part.
        let text = b"0123456789abcdefghij\x01klm\"";
        assert_eq!(next_special(text, 0), 20);
    }

    #[test]
    fn keys_with_escapes_are_read_exactly_when_they_follow_the_same_key() {
        // The second row repeats the key order of the first, so each key is first compared
        // with the input bytes as guessed; `q"k` must still be unescaped, never matched raw.
        let mut b = TapeBuilder::new();
        for text in [
            r#"{"a":1,"q\"k":2,"":3}"#,
            r#"{"a":1,"q\"k":2,"":3}"#,
            r#"{"a":1,"q\u0022k":2,"":3}"#,
        ] {
            assert_eq!(b.parse(text, 0), Ok(text.len()));
        }
        let t = b.finish();
        assert_eq!(t.arena().keys.pool.len(), 3);
        for row in 0..3 {
            let mut out = Vec::new();
            t.arena().write_json(t.node(row).unwrap(), &mut out);
            assert_eq!(out, br#"{"a":1,"q\"k":2,"":3}"#);
        }
    }

    #[test]
    fn recent_strings_are_matched_only_when_the_input_spells_them_exactly() {
        // Enough repeats that the key's strings are interned and its recent strings are
        // matched against the input byte for byte; then inputs that share those bytes but
        // mean something else, or only begin with them.
        let mut rows: Vec<String> = (0..2 * SAMPLE)
            .map(|i| format!(r#"{{"k":"{}"}}"#, ["abc", "a\\\\b", "x"][i as usize % 3]))
            .collect();
        for tricky in [
            r#"{"k":"a\b"}"#,
            r#"{"k":"a\\b"}"#,
            r#"{"k":"ab\u0063"}"#,
            r#"{"k":"abcd"}"#,
            r#"{"k":"ab"}"#,
            r#"{"k":""}"#,
            r#"{"k":"abc"}"#,
            r#"{"k":"x\"y"}"#,
            r#"{"k":"x"}"#,
        ] {
            rows.push(tricky.to_string());
        }
        let mut b = TapeBuilder::new();
        for text in &rows {
            assert_eq!(b.parse(text, 0), Ok(text.len()), "{text}");
        }
        // A raw control character after recent bytes is still rejected.
        let bad = "{\"k\":\"abc\u{1}\"}";
        assert!(b.parse(bad, 0).is_err());
        let t = b.finish();
        for (row, text) in rows.iter().enumerate() {
            let mut out = Vec::new();
            t.arena().write_json(t.node(row).unwrap(), &mut out);
            let want = serde_json::from_str::<Json>(text).unwrap().to_string();
            assert_eq!(String::from_utf8(out).unwrap(), want, "row {row}: {text}");
        }
    }

    #[test]
    fn truncate_drops_rows_and_their_bytes() {
        let mut b = TapeBuilder::new();
        assert_eq!(b.parse("{\"a\":[1,2]}", 0), Ok(11));
        b.push_null();
        let kept = b.bytes.len();
        assert_eq!(b.parse("{\"b\":\"x\"}", 0), Ok(9));
        b.push_null();
        b.truncate(5);
        assert_eq!(b.len(), 4);
        b.truncate(2);
        assert_eq!((b.len(), b.bytes.len()), (2, kept));
        assert_eq!(b.parse("[true]", 0), Ok(6));
        let t = b.finish();
        let text = |row: usize| {
            let mut out = Vec::new();
            t.node(row).map(|n| {
                t.arena().write_json(n, &mut out);
                String::from_utf8(out).unwrap()
            })
        };
        assert_eq!(text(0).as_deref(), Some("{\"a\":[1,2]}"));
        assert_eq!(text(1), None);
        assert_eq!(text(2).as_deref(), Some("[true]"));
    }

    #[test]
    fn walks_paths() {
        let t = parse_one(r#"{"a":{"b":[10,{"c":"x"},null]},"z":1}"#).unwrap();
        let arena = t.arena();
        let root = t.node(0).unwrap();
        let at = |steps: &[JsonStep]| {
            arena
                .walk(root, &arena.resolve(steps))
                .map(|n| arena.materialize(n).to_string())
        };
        let k = |s: &str| JsonStep::Key(s.to_string());
        assert_eq!(
            at(&[k("a"), k("b"), JsonStep::Index(0)]).as_deref(),
            Some("10")
        );
        assert_eq!(
            at(&[k("a"), k("b"), JsonStep::Index(-2), k("c")]).as_deref(),
            Some("\"x\"")
        );
        assert_eq!(
            at(&[k("a"), k("b"), JsonStep::Index(-1)]).as_deref(),
            Some("null")
        );
        assert_eq!(at(&[k("a"), k("b"), JsonStep::Index(3)]), None);
        assert_eq!(at(&[k("a"), k("b"), JsonStep::Index(-4)]), None);
        assert_eq!(at(&[k("z")]).as_deref(), Some("1"));
        assert_eq!(at(&[k("nope")]), None);
        assert_eq!(at(&[k("z"), k("a")]), None);
        assert_eq!(at(&[JsonStep::Index(0)]), None);
    }

    /// A small deterministic generator of random JSON text, including malformed variants.
    struct Gen(u64);

    impl Gen {
        fn next(&mut self) -> u64 {
            // splitmix64
            self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^ (z >> 31)
        }

        fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
            items[(self.next() % items.len() as u64) as usize]
        }

        fn value(&mut self, depth: usize, out: &mut String) {
            let kind = if depth > 4 {
                self.next() % 4
            } else {
                self.next() % 7
            };
            match kind {
                0 => out.push_str(self.pick(&["null", "true", "false"])),
                1 => out.push_str(self.pick(&[
                    "0",
                    "-0",
                    "7",
                    "-12",
                    "3.25",
                    "1e3",
                    "-2.5E-3",
                    "9223372036854775808",
                    "18446744073709551616",
                    "123456789012345678901234567890",
                    "0.30000000000000004",
                ])),
                2 | 3 => out.push_str(self.pick(&[
                    "\"\"",
                    "\"a\"",
                    "\"Healthy\"",
                    "\"x\\ny\"",
                    "\"\\u00e9\"",
                    "\"\\ud83d\\ude00\"",
                    "\"q\\\"uote\"",
                    "\"é\"",
                ])),
                4 | 5 => {
                    out.push('{');
                    let n = self.next() % 5;
                    for i in 0..n {
                        if i > 0 {
                            out.push(',');
                        }
                        out.push_str(self.pick(&[
                            "\"a\"",
                            "\"b\"",
                            "\"c\"",
                            "\"\\u0061\"",
                            "\"\"",
                        ]));
                        out.push_str(self.pick(&[":", " : "]));
                        self.value(depth + 1, out);
                    }
                    out.push('}');
                }
                _ => {
                    out.push('[');
                    let n = self.next() % 5;
                    for i in 0..n {
                        if i > 0 {
                            out.push_str(self.pick(&[",", " , "]));
                        }
                        self.value(depth + 1, out);
                    }
                    out.push(']');
                }
            }
        }
    }

    #[test]
    fn random_json_agrees_with_serde_json() {
        let mut g = Gen(0x5eed);
        for _ in 0..3000 {
            let mut text = String::new();
            g.value(0, &mut text);
            agrees(&text);
            // A damaged copy: one byte removed or replaced must be accepted or rejected
            // exactly as serde_json does.
            if !text.is_empty() {
                let at = (g.next() % text.len() as u64) as usize;
                if text.is_char_boundary(at) && text.is_char_boundary(at + 1) {
                    let mut cut = text.clone();
                    cut.remove(at);
                    agrees(&cut);
                    let mut swapped = text.clone();
                    swapped
                        .replace_range(at..at + 1, g.pick(&[",", "]", "}", "\"", "1", " ", ":"]));
                    agrees(&swapped);
                }
            }
        }
    }
}
