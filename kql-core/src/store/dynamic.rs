//! Dynamic columns: one JSON value per row, parsed once at load, plus the text of the paths
//! queries read (`tostring(properties.status.code)`), shredded into dictionary-encoded string
//! columns on first use and kept with the loaded data.
//!
//! A gathered column (after a filter, a sort, a join) refers to the loaded values through a
//! row list instead of copying them, so a filter costs 4 bytes per kept row, and path text
//! built once for the loaded column serves every later query as a gather of codes.

use crate::store::strings::{StrBuilder, StrColumn};
use crate::value::Json;
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

/// `tostring()` of the value at a path: strings as they are, missing and null as `""`, other
/// values as compact JSON.
fn push_text(b: &mut StrBuilder, cell: Option<&Arc<Json>>, steps: &[JsonStep]) {
    match cell.and_then(|j| walk(j, steps)) {
        Some(Json::String(s)) => b.push(s),
        None | Some(Json::Null) => b.push(""),
        Some(other) => b.push(&other.to_string()),
    }
}

/// Marks a row that is null in a gathered column (outer joins).
const NULL_ROW: u32 = u32::MAX;

static NO_VALUE: Option<Arc<Json>> = None;

/// The loaded values and the path texts built from them.
#[derive(Default)]
struct DynBase {
    cells: Vec<Option<Arc<Json>>>,
    texts: Mutex<Vec<(Vec<JsonStep>, Arc<StrColumn>)>>,
}

/// A dynamic column.
#[derive(Clone)]
pub struct DynColumn {
    base: Arc<DynBase>,
    /// Rows of `base` in order (`NULL_ROW`: null); `None` is every row of `base`.
    rows: Option<Arc<Vec<u32>>>,
}

impl DynColumn {
    /// A column of these values (`None` is null).
    pub fn new(cells: Vec<Option<Arc<Json>>>) -> DynColumn {
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
        self.rows
            .as_ref()
            .map_or(self.base.cells.len(), |r| r.len())
    }

    /// True when there are no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The value at `row` (`None`: null).
    pub fn get(&self, row: usize) -> Option<&Arc<Json>> {
        self[row].as_ref()
    }

    /// The values in row order.
    pub fn iter(&self) -> impl Iterator<Item = Option<&Arc<Json>>> + '_ {
        (0..self.len()).map(move |r| self.get(r))
    }

    fn base_row(&self, row: usize) -> u32 {
        match &self.rows {
            Some(r) => r[row],
            None => row as u32,
        }
    }

    /// The rows at `indices`, sharing the values.
    pub fn gather(&self, indices: &[usize]) -> DynColumn {
        let rows = indices.iter().map(|&i| self.base_row(i)).collect();
        DynColumn {
            base: Arc::clone(&self.base),
            rows: Some(Arc::new(rows)),
        }
    }

    /// The rows at `indices`; `None` gives a null row.
    pub fn gather_optional(&self, indices: &[Option<usize>]) -> DynColumn {
        let rows = indices
            .iter()
            .map(|i| i.map_or(NULL_ROW, |i| self.base_row(i)))
            .collect();
        DynColumn {
            base: Arc::clone(&self.base),
            rows: Some(Arc::new(rows)),
        }
    }

    /// `tostring()` of the value at `steps` for every row, as a dictionary-encoded column.
    /// When this column covers a good part of its loaded data, the text is built once for all
    /// of it, kept, and gathered; a small selection is walked directly.
    pub fn path_text(&self, steps: &[JsonStep]) -> StrColumn {
        let Some(rows) = &self.rows else {
            return (*self.base_text(steps)).clone();
        };
        if rows.len().saturating_mul(4) < self.base.cells.len() {
            let mut b = StrBuilder::with_capacity(rows.len());
            for row in 0..rows.len() {
                push_text(&mut b, self.get(row), steps);
            }
            return b.finish();
        }
        let text = self.base_text(steps);
        if rows.contains(&NULL_ROW) {
            let mut b = StrBuilder::with_capacity(rows.len());
            for &r in rows.iter() {
                b.push(if r == NULL_ROW {
                    ""
                } else {
                    text.get(r as usize)
                });
            }
            return b.finish();
        }
        StrColumn {
            codes: rows.iter().map(|&r| text.codes[r as usize]).collect(),
            dict: Arc::clone(&text.dict),
        }
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
        let mut b = StrBuilder::with_capacity(self.base.cells.len());
        for cell in &self.base.cells {
            push_text(&mut b, cell.as_ref(), steps);
        }
        let text = Arc::new(b.finish());
        cache.push((steps.to_vec(), Arc::clone(&text)));
        text
    }
}

impl std::ops::Index<usize> for DynColumn {
    type Output = Option<Arc<Json>>;

    fn index(&self, row: usize) -> &Option<Arc<Json>> {
        match self.base_row(row) {
            NULL_ROW => &NO_VALUE,
            r => &self.base.cells[r as usize],
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

    fn col(texts: &[&str]) -> DynColumn {
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

    #[test]
    fn path_text_is_tostring_of_the_path() {
        let c = col(&[
            r#"{"s":{"c":"Healthy"}}"#,
            r#"{"s":{"c":5}}"#,
            "null",
            r#"{"s":{"c":{"x":1}}}"#,
        ]);
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
        assert_eq!(o.path_text(&steps).iter().collect::<Vec<_>>(), ["", "5"]);
    }
}
