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
//! | reference | `REF`, LEB128 offset of the node in the shared region              |
//! | array     | `ARRAY`, LEB128 byte size of the elements, LEB128 count, elements  |
//! | object    | `OBJECT`, LEB128 byte size of the members, LEB128 count, members   |
//!
//! An object member is the LEB128 id of its key in the column's key dictionary followed by its
//! value. Containers record their byte size so that a path walk skips a sibling in O(1).
//!
//! An object or array that rows repeat byte for byte under a key (an assessment's `metadata`,
//! a machine's `resourceDetails`) is written once, in a shared region at the end of the tape,
//! and each row holds a `REF` node in its place (see `memo.rs`). A reader follows a `REF` where
//! it would read the node, and skips the `REF` itself when it skips a sibling.
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

mod build;
mod memo;
mod pool;
mod read;
#[cfg(test)]
mod tests;
mod text;

pub use build::TapeBuilder;
pub use pool::Pool;
pub use read::{Arena, Node, Scalar, Step};
pub(crate) use text::{next_special, skip_string, skip_value, skip_ws, spelled_at, string_at};

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
const REF: u8 = 10;

/// The deepest nesting of arrays and objects accepted in one value: serde_json's recursion
/// limit, so that a value is accepted exactly when serde_json accepts it on its own (a unit test
/// checks the two agree).
pub const MAX_DEPTH: usize = 127;

/// Marks a null row in the cell offsets.
const NULL_CELL: u64 = u64::MAX;

#[inline]
fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Writes `v` as LEB128 into `out` from `at` (room permitting); returns the offset past it.
#[inline]
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

#[inline]
fn zigzag(i: i64) -> u64 {
    ((i << 1) ^ (i >> 63)) as u64
}

#[inline]
fn unzigzag(u: u64) -> i64 {
    ((u >> 1) as i64) ^ -((u & 1) as i64)
}

/// Cell offsets into the tape: 4 bytes per row while the tape is under 4 GiB.
#[derive(Debug, Clone)]
enum Offsets {
    Small(Vec<u32>),
    Large(Vec<u64>),
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
