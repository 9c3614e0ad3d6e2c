//! Dynamic columns: one JSON value per row, plus the text of the paths queries read
//! (`tostring(properties.status.code)`), shredded into dictionary-encoded string columns on
//! first use and kept with the loaded data.
//!
//! Loaded columns hold their values in a compact [`Tape`] (see `store::tape`): keys and strings
//! interned per column, a few bytes per member. Path walks and path text read the tape directly;
//! a `serde_json::Value` is built only when a caller asks for a whole value ([`DynColumn::get`]).
//! Columns computed by queries hold `Arc<Json>` cells.
//!
//! A gathered column (after a filter, a sort, a join) refers to the loaded values through a
//! row list instead of copying them, so a filter costs 4 bytes per kept row, and path text
//! built once for the loaded column serves every later query as a gather of codes.

use crate::store::hash::FastBuild;
use crate::store::strings::{StrBuilder, StrColumn};
use crate::store::tape::{Arena, Node, Scalar, Step, Tape};
use crate::value::Json;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// One step of a path into a JSON value.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum JsonStep {
    /// A property-bag key.
    Key(String),
    /// An array index; negative counts from the end.
    Index(i64),
}

/// Follows `steps` into `j`; a missing key, a wrong kind or an index out of range gives `None`.
pub fn walk<'a>(mut j: &'a Json, steps: &[JsonStep]) -> Option<&'a Json> {
    for step in steps {
        j = match (step, j) {
            // Property bags are small: comparing keys beats hashing the key for the index.
            (JsonStep::Key(k), Json::Object(map)) if map.len() <= 16 => {
                map.iter().find(|(name, _)| *name == k).map(|(_, v)| v)?
            }
            (JsonStep::Key(k), Json::Object(map)) => map.get(k)?,
            (JsonStep::Index(i), Json::Array(items)) => {
                let i = if *i < 0 { items.len() as i64 + i } else { *i };
                items.get(usize::try_from(i).ok()?)?
            }
            _ => return None,
        };
    }
    Some(j)
}

/// `tostring()` of a JSON value at a path: strings as they are, missing and null as `""`,
/// other values as compact JSON.
fn json_text(j: Option<&Json>) -> String {
    match j {
        Some(Json::String(s)) => s.clone(),
        None | Some(Json::Null) => String::new(),
        Some(other) => other.to_string(),
    }
}

/// Marks a row that is null in a gathered column (outer joins).
const NULL_ROW: u32 = u32::MAX;

/// The values of a base column.
enum Cells {
    /// Values computed by a query (or read from CSV).
    Json(Vec<Option<Arc<Json>>>),
    /// Values loaded from JSON.
    Tape(Tape),
}

/// The values and the path texts built from them.
struct DynBase {
    cells: Cells,
    texts: Mutex<Vec<(Vec<JsonStep>, Arc<StrColumn>)>>,
}

impl DynBase {
    fn len(&self) -> usize {
        match &self.cells {
            Cells::Json(v) => v.len(),
            Cells::Tape(t) => t.len(),
        }
    }
}

/// A dynamic column.
#[derive(Clone)]
pub struct DynColumn {
    base: Arc<DynBase>,
    /// Rows of `base` in order (`NULL_ROW`: null); `None` is every row of `base`.
    rows: Option<Arc<Vec<u32>>>,
}

/// Appends the `tostring()` text of the tape node `node` (null when `None`) to `b`; `out` is
/// scratch space for JSON text.
fn push_node_text(b: &mut StrBuilder, arena: &Arena, node: Option<Node>, out: &mut Vec<u8>) {
    match node.and_then(|n| arena.scalar(n).map(|s| (n, s))) {
        None | Some((_, Scalar::Null)) => b.push(""),
        Some((_, Scalar::Str(s))) => b.push(s),
        Some((n, _)) => {
            out.clear();
            arena.write_json(n, out);
            b.push(std::str::from_utf8(out).unwrap_or(""));
        }
    }
}

impl DynColumn {
    /// A column of these values (`None` is null).
    pub fn new(cells: Vec<Option<Arc<Json>>>) -> DynColumn {
        DynColumn::from_cells(Cells::Json(cells))
    }

    /// A column of loaded values.
    pub fn from_tape(tape: Tape) -> DynColumn {
        DynColumn::from_cells(Cells::Tape(tape))
    }

    fn from_cells(cells: Cells) -> DynColumn {
        DynColumn {
            base: Arc::new(DynBase {
                cells,
                texts: Mutex::default(),
            }),
            rows: None,
        }
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.rows.as_ref().map_or(self.base.len(), |r| r.len())
    }

    /// True when there are no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The row of the base column behind `row` (`None`: a null row).
    fn base_row(&self, row: usize) -> Option<usize> {
        match &self.rows {
            Some(r) => match r.get(row).copied() {
                Some(NULL_ROW) | None => None,
                Some(b) => Some(b as usize),
            },
            None => Some(row),
        }
    }

    /// True when the value at `row` is null.
    pub fn is_null(&self, row: usize) -> bool {
        match (self.base_row(row), &self.base.cells) {
            (None, _) => true,
            (Some(r), Cells::Json(v)) => !matches!(v.get(r), Some(Some(_))),
            (Some(r), Cells::Tape(t)) => t.node(r).is_none(),
        }
    }

    /// The value at `row` (`None`: null). A loaded value is built from the tape on each call.
    pub fn get(&self, row: usize) -> Option<Arc<Json>> {
        let r = self.base_row(row)?;
        match &self.base.cells {
            Cells::Json(v) => v.get(r)?.clone(),
            Cells::Tape(t) => {
                let node = t.node(r)?;
                Some(Arc::new(t.arena().materialize(node)))
            }
        }
    }

    /// The compact JSON text of the value at `row` (as `serde_json::to_string` writes it), or
    /// `None` when it is null; loaded values are written straight from the tape.
    pub fn json_text(&self, row: usize) -> Option<String> {
        let r = self.base_row(row)?;
        match &self.base.cells {
            Cells::Json(v) => v.get(r)?.as_ref().map(|j| j.to_string()),
            Cells::Tape(t) => {
                let node = t.node(r)?;
                let mut out = Vec::new();
                t.arena().write_json(node, &mut out);
                Some(String::from_utf8(out).unwrap_or_default())
            }
        }
    }

    /// Writes the compact JSON of the value at `row` (`null` when null) to `out`.
    pub fn write_json(&self, row: usize, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        match self.json_text(row) {
            Some(text) => out.write_all(text.as_bytes()),
            None => out.write_all(b"null"),
        }
    }

    /// The values in row order.
    pub fn iter(&self) -> impl Iterator<Item = Option<Arc<Json>>> + '_ {
        (0..self.len()).map(move |r| self.get(r))
    }

    /// The rows at `indices`, sharing the values.
    pub fn gather(&self, indices: &[usize]) -> DynColumn {
        let rows = indices
            .iter()
            .map(|&i| self.base_row(i).map_or(NULL_ROW, |r| r as u32))
            .collect();
        DynColumn {
            base: Arc::clone(&self.base),
            rows: Some(Arc::new(rows)),
        }
    }

    /// The rows at `indices`; `None` gives a null row.
    pub fn gather_optional(&self, indices: &[Option<usize>]) -> DynColumn {
        let rows = indices
            .iter()
            .map(|i| {
                i.and_then(|i| self.base_row(i))
                    .map_or(NULL_ROW, |r| r as u32)
            })
            .collect();
        DynColumn {
            base: Arc::clone(&self.base),
            rows: Some(Arc::new(rows)),
        }
    }

    /// The value at `steps` in every row (JSON null and missing values are null). Loaded values
    /// stay on their tape: the result refers to the nodes the walk found.
    pub fn path_values(&self, steps: &[JsonStep]) -> DynColumn {
        match &self.base.cells {
            Cells::Json(_) => DynColumn::new(
                (0..self.len())
                    .map(|r| {
                        let cell = self.get(r)?;
                        let j = walk(&cell, steps)?;
                        (!j.is_null()).then(|| Arc::new(j.clone()))
                    })
                    .collect(),
            ),
            Cells::Tape(t) => {
                let arena = t.arena();
                let resolved = arena.resolve(steps);
                let nodes = (0..self.len()).map(|r| {
                    let node = arena.walk(t.node(self.base_row(r)?)?, &resolved)?;
                    (arena.scalar(node)? != Scalar::Null).then_some(node)
                });
                DynColumn::from_tape(t.with_nodes(nodes))
            }
        }
    }

    /// `tostring()` of the value at `steps` for every row, as a dictionary-encoded column.
    /// When this column covers a good part of its base data, the text is built once for all
    /// of it, kept, and gathered; a small selection is walked directly.
    pub fn path_text(&self, steps: &[JsonStep]) -> StrColumn {
        let Some(rows) = &self.rows else {
            return (*self.base_text(steps)).clone();
        };
        if rows.len().saturating_mul(4) < self.base.len() {
            return self.text_of_rows(
                rows.iter().map(|&r| (r != NULL_ROW).then_some(r as usize)),
                rows.len(),
                steps,
            );
        }
        let text = self.base_text(steps);
        if rows.contains(&NULL_ROW) {
            let mut b = StrBuilder::with_capacity(rows.len());
            for &r in rows.iter() {
                b.push(if r == NULL_ROW {
                    ""
                } else {
                    text.dict
                        .get(text.codes.get(r as usize).copied().unwrap_or(0) as usize)
                });
            }
            return b.finish();
        }
        StrColumn {
            codes: rows
                .iter()
                .map(|&r| text.codes.get(r as usize).copied().unwrap_or(0))
                .collect(),
            dict: Arc::clone(&text.dict),
        }
    }

    /// The path text of the given base rows (`None`: a null row).
    fn text_of_rows(
        &self,
        rows: impl Iterator<Item = Option<usize>>,
        len: usize,
        steps: &[JsonStep],
    ) -> StrColumn {
        let mut b = StrBuilder::with_capacity(len);
        match &self.base.cells {
            Cells::Json(cells) => {
                for r in rows {
                    let cell = r.and_then(|r| cells.get(r)?.as_deref());
                    b.push(&json_text(cell.and_then(|j| walk(j, steps))));
                }
            }
            Cells::Tape(t) => {
                let arena = t.arena();
                let resolved: Vec<Step> = arena.resolve(steps);
                let mut out = Vec::new();
                // Interned strings are the common case: each distinct one is looked up in the
                // builder's dictionary once, later rows reuse its code by pool id.
                let mut by_id: HashMap<u64, u32, FastBuild> = HashMap::default();
                for r in rows {
                    let node = r
                        .and_then(|r| t.node(r))
                        .and_then(|n| arena.walk(n, &resolved));
                    match node.and_then(|n| Some((n, arena.str_id(n)?))) {
                        Some((n, id)) => match by_id.get(&id) {
                            Some(&code) => b.push_code(code),
                            None => {
                                let text = match arena.scalar(n) {
                                    Some(Scalar::Str(s)) => s,
                                    _ => "",
                                };
                                by_id.insert(id, b.push_get(text));
                            }
                        },
                        None => push_node_text(&mut b, arena, node, &mut out),
                    }
                }
            }
        }
        b.finish()
    }

    fn base_text(&self, steps: &[JsonStep]) -> Arc<StrColumn> {
        let mut cache = self
            .base
            .texts
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some((_, text)) = cache.iter().find(|(s, _)| s == steps) {
            return Arc::clone(text);
        }
        let n = self.base.len();
        let text = Arc::new(self.text_of_rows((0..n).map(Some), n, steps));
        cache.push((steps.to_vec(), Arc::clone(&text)));
        text
    }

    /// Heap bytes held by the values this column refers to (a tape counted in full; JSON
    /// cells not counted), for measurements.
    pub fn tape_heap_bytes(&self) -> usize {
        match &self.base.cells {
            Cells::Tape(t) => t.heap_bytes(),
            Cells::Json(_) => 0,
        }
    }
}

impl From<Vec<Option<Arc<Json>>>> for DynColumn {
    fn from(cells: Vec<Option<Arc<Json>>>) -> DynColumn {
        DynColumn::new(cells)
    }
}

impl FromIterator<Option<Arc<Json>>> for DynColumn {
    fn from_iter<I: IntoIterator<Item = Option<Arc<Json>>>>(iter: I) -> DynColumn {
        DynColumn::new(iter.into_iter().collect())
    }
}

impl PartialEq for DynColumn {
    fn eq(&self, other: &DynColumn) -> bool {
        self.len() == other.len() && self.iter().zip(other.iter()).all(|(a, b)| a == b)
    }
}

impl std::fmt::Debug for DynColumn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::tape::TapeBuilder;

    fn json_col(texts: &[&str]) -> DynColumn {
        texts
            .iter()
            .map(|t| {
                serde_json::from_str::<Json>(t)
                    .ok()
                    .filter(|j| !j.is_null())
                    .map(Arc::new)
            })
            .collect()
    }

    fn tape_col(texts: &[&str]) -> DynColumn {
        let mut b = TapeBuilder::new();
        for t in texts {
            if *t == "null" {
                b.push_null();
            } else {
                assert_eq!(b.parse(t, 0), Ok(t.len()), "{t}");
            }
        }
        DynColumn::from_tape(b.finish())
    }

    #[test]
    fn path_text_is_tostring_of_the_path() {
        let texts = [
            r#"{"s":{"c":"Healthy"}}"#,
            r#"{"s":{"c":5}}"#,
            "null",
            r#"{"s":{"c":{"x":1}}}"#,
        ];
        for c in [json_col(&texts), tape_col(&texts)] {
            let steps = [JsonStep::Key("s".into()), JsonStep::Key("c".into())];
            let text = c.path_text(&steps);
            assert_eq!(
                text.iter().collect::<Vec<_>>(),
                ["Healthy", "5", "", r#"{"x":1}"#]
            );
            // A gathered column reads through to the loaded values, and its text agrees.
            let g = c.gather(&[3, 0, 0]);
            let text = g.path_text(&steps);
            assert_eq!(
                text.iter().collect::<Vec<_>>(),
                [r#"{"x":1}"#, "Healthy", "Healthy"]
            );
            let o = c.gather_optional(&[None, Some(1)]);
            assert_eq!(o.get(0), None);
            assert!(o.is_null(0));
            assert_eq!(o.path_text(&steps).iter().collect::<Vec<_>>(), ["", "5"]);
            // A small selection is walked directly (not from the whole column's text).
            let big: Vec<usize> = vec![1];
            let small = c.gather(&big);
            assert_eq!(small.path_text(&steps).iter().collect::<Vec<_>>(), ["5"]);
            let v = c.path_values(&[JsonStep::Key("s".into())]);
            assert_eq!(v.json_text(0).as_deref(), Some(r#"{"c":"Healthy"}"#));
            assert!(v.is_null(2));
            assert_eq!(
                v.path_text(&[JsonStep::Key("c".into())])
                    .iter()
                    .collect::<Vec<_>>(),
                ["Healthy", "5", "", r#"{"x":1}"#]
            );
        }
        assert_eq!(json_col(&texts), tape_col(&texts));
    }
}
