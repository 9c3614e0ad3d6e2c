//! Reading a finished tape: [`Arena`] and its [`Node`]s, decoded into [`Scalar`]s, walked
//! by [`Step`]s, turned back into `serde_json` values or JSON text.

use super::pool::{Interner, Pool};
use super::{unzigzag, ARRAY, FALSE, FLOAT, INT, NULL, OBJECT, REF, STR, STR_INLINE, TRUE, UINT};
use crate::value::Json;
use serde_json::{Map, Number};

/// The shared, immutable part of a tape column: the arena, the key dictionary and the pool.
#[derive(Debug)]
pub struct Arena {
    pub(super) bytes: Vec<u8>,
    /// Where the shared region starts in `bytes` (a `REF`'s offset counts from here).
    pub(super) shared_at: usize,
    pub(super) keys: Interner,
    pub(super) strings: Pool,
}

/// One node of a tape, located by its offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Node(pub(super) usize);

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

    /// The node `node` stands for: the node a `REF` refers to, or `node` itself.
    fn deref(&self, node: Node) -> Node {
        if self.bytes.get(node.0) != Some(&REF) {
            return node;
        }
        let mut p = node.0 + 1;
        match self
            .varint(&mut p)
            .and_then(|at| usize::try_from(at).ok())
            .and_then(|at| at.checked_add(self.shared_at))
        {
            Some(target) => Node(target),
            None => node,
        }
    }

    /// The tag of `node` (after following a `REF`), its header decoded, and the offset of its
    /// payload / first child.
    fn head(&self, node: Node) -> Option<(Scalar<'_>, usize)> {
        let mut p = self.deref(node).0;
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

    /// The offset just past `node` where it stands (a `REF` ends after its offset).
    fn end(&self, node: Node) -> Option<usize> {
        let mut p = node.0;
        let tag = *self.bytes.get(p)?;
        p += 1;
        match tag {
            NULL | FALSE | TRUE => {}
            INT | UINT | STR | REF => {
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
        let node = self.deref(node);
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
                return Some(self.deref(Node(p)));
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
        Some(self.deref(Node(p)))
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
        // Per open container: its values so far, how many are left, (for an object) the key
        // of the next, and where reading resumes once it is complete (past the container, or
        // past the `REF` that led to it).
        enum Open {
            Arr(Vec<Json>, usize, usize),
            Obj(Map<String, Json>, usize, String, usize),
        }
        let mut stack: Vec<Open> = Vec::new();
        let mut p = node.0;
        loop {
            // Read the next value (and, in an object, its key first).
            if let Some(Open::Obj(_, _, key, _)) = stack.last_mut() {
                let Some(k) = self.varint(&mut p) else {
                    return Json::Null;
                };
                *key = self.keys.pool.get(k).to_string();
            }
            let Some((s, payload)) = self.head(Node(p)) else {
                return Json::Null;
            };
            let after = self.end(Node(p)).unwrap_or(usize::MAX);
            let mut value = match s {
                Scalar::Array(n) if n > 0 => {
                    stack.push(Open::Arr(Vec::with_capacity(n), n, after));
                    p = payload;
                    continue;
                }
                Scalar::Object(n) if n > 0 => {
                    stack.push(Open::Obj(Map::with_capacity(n), n, String::new(), after));
                    p = payload;
                    continue;
                }
                other => {
                    p = after;
                    scalar_json(other)
                }
            };
            // Hand the value to its container, closing every container it completes.
            loop {
                match stack.last_mut() {
                    None => return value,
                    Some(Open::Arr(items, left, _)) => {
                        items.push(value);
                        *left -= 1;
                        if *left > 0 {
                            break;
                        }
                    }
                    Some(Open::Obj(map, left, key, _)) => {
                        map.insert(std::mem::take(key), value);
                        *left -= 1;
                        if *left > 0 {
                            break;
                        }
                    }
                }
                value = match stack.pop() {
                    Some(Open::Arr(items, _, resume)) => {
                        p = resume;
                        Json::Array(items)
                    }
                    Some(Open::Obj(map, _, _, resume)) => {
                        p = resume;
                        Json::Object(map)
                    }
                    None => return Json::Null,
                };
            }
        }
    }

    /// Appends the compact JSON text of `node` (as `serde_json::to_string` writes it), without
    /// recursion.
    pub fn write_json(&self, node: Node, out: &mut Vec<u8>) {
        // Per open container: members left, whether it is an object, and where reading resumes
        // once it is complete (past the container, or past the `REF` that led to it).
        let mut stack: Vec<(usize, bool, usize)> = Vec::new();
        let mut p = node.0;
        let mut first = true;
        loop {
            if let Some(&(_, is_obj, _)) = stack.last() {
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
            let after = self.end(Node(p)).unwrap_or(usize::MAX);
            match s {
                Scalar::Array(n) | Scalar::Object(n) if n > 0 => {
                    let is_obj = matches!(s, Scalar::Object(_));
                    out.push(if is_obj { b'{' } else { b'[' });
                    stack.push((n, is_obj, after));
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
            p = after;
            first = false;
            loop {
                match stack.last_mut() {
                    None => return,
                    Some((left, is_obj, resume)) => {
                        *left -= 1;
                        if *left > 0 {
                            break;
                        }
                        out.push(if *is_obj { b'}' } else { b']' });
                        p = *resume;
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
