//! One column of JSON values being built: it starts in the narrowest type that fits the values
//! so far and is widened to dynamic (converting what it holds) when a value does not fit.

use crate::functions::conversion::json_to_string;
use crate::io::rows::{STANDARD_DYNAMIC_COLUMNS, STANDARD_STRING_COLUMNS};
use crate::store::{Column, StrBuilder};
use crate::value::Json;
use serde_json::Number;
use std::borrow::Cow;
use std::sync::Arc;

/// One top-level value of a row, as a reader hands it over: strings may borrow from the input,
/// so a string cell costs no allocation unless its value is new to the column's dictionary.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell<'a> {
    /// JSON `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number.
    Num(Number),
    /// A string.
    Str(Cow<'a, str>),
    /// An array or object.
    Json(Json),
}

impl Cell<'_> {
    /// The cell for a parsed JSON value.
    pub(crate) fn from_json(j: Json) -> Cell<'static> {
        match j {
            Json::Null => Cell::Null,
            Json::Bool(b) => Cell::Bool(b),
            Json::Number(n) => Cell::Num(n),
            Json::String(s) => Cell::Str(Cow::Owned(s)),
            other => Cell::Json(other),
        }
    }

    fn into_json(self) -> Json {
        match self {
            Cell::Null => Json::Null,
            Cell::Bool(b) => Json::Bool(b),
            Cell::Num(n) => Json::Number(n),
            Cell::Str(s) => Json::String(s.into_owned()),
            Cell::Json(j) => j,
        }
    }
}

/// One column being built; its state is the narrowest type that fits the values so far.
#[derive(Debug)]
pub(crate) enum Acc {
    /// Only nulls so far (this many).
    Null(usize),
    Bool(Vec<Option<bool>>),
    /// Numbers kept as JSON numbers until the end decides between long and real.
    Num(Vec<Option<Number>>),
    /// Strings; `nulls` lists the rows that were JSON null (stored as `""`), in case the column
    /// is widened to dynamic later.
    Str {
        strings: StrBuilder,
        nulls: Vec<usize>,
    },
    /// A standard string column: every value is turned into text.
    FixedStr(StrBuilder),
    Dyn(Vec<Option<Arc<Json>>>),
}

impl Acc {
    /// The accumulator for a column first seen after `rows` rows.
    pub(crate) fn for_column(name: &str, rows: usize) -> Acc {
        if STANDARD_STRING_COLUMNS.contains(&name) {
            let mut strings = StrBuilder::with_capacity(rows);
            (0..rows).for_each(|_| strings.push(""));
            Acc::FixedStr(strings)
        } else if STANDARD_DYNAMIC_COLUMNS.contains(&name) {
            Acc::Dyn(vec![None; rows])
        } else {
            Acc::Null(rows)
        }
    }

    pub(crate) fn len(&self) -> usize {
        match self {
            Acc::Null(n) => *n,
            Acc::Bool(v) => v.len(),
            Acc::Num(v) => v.len(),
            Acc::Str { strings, .. } | Acc::FixedStr(strings) => strings.len(),
            Acc::Dyn(v) => v.len(),
        }
    }

    /// Keeps the first `rows` values.
    pub(crate) fn truncate(&mut self, rows: usize) {
        match self {
            Acc::Null(n) => *n = (*n).min(rows),
            Acc::Bool(v) => v.truncate(rows),
            Acc::Num(v) => v.truncate(rows),
            Acc::Str { strings, nulls } => {
                strings.truncate(rows);
                nulls.retain(|&r| r < rows);
            }
            Acc::FixedStr(strings) => strings.truncate(rows),
            Acc::Dyn(v) => v.truncate(rows),
        }
    }

    pub(crate) fn push(&mut self, cell: Cell<'_>) {
        match (&mut *self, cell) {
            (Acc::FixedStr(s), Cell::Str(text)) => s.push(&text),
            (Acc::FixedStr(s), Cell::Null) => s.push(""),
            (Acc::FixedStr(s), other) => s.push(&json_to_string(&other.into_json())),
            (Acc::Dyn(v), Cell::Null) => v.push(None),
            (Acc::Dyn(v), other) => v.push(Some(Arc::new(other.into_json()))),
            (Acc::Null(n), Cell::Null) => *n += 1,
            (Acc::Null(n), cell) => {
                let n = *n;
                *self = match &cell {
                    Cell::Bool(_) => Acc::Bool(vec![None; n]),
                    Cell::Num(_) => Acc::Num(vec![None; n]),
                    Cell::Str(_) => {
                        let mut strings = StrBuilder::with_capacity(n);
                        (0..n).for_each(|_| strings.push(""));
                        Acc::Str {
                            strings,
                            nulls: (0..n).collect(),
                        }
                    }
                    _ => Acc::Dyn(vec![None; n]),
                };
                self.push(cell);
            }
            (Acc::Bool(v), Cell::Bool(b)) => v.push(Some(b)),
            (Acc::Bool(v), Cell::Null) => v.push(None),
            (Acc::Num(v), Cell::Num(x)) => v.push(Some(x)),
            (Acc::Num(v), Cell::Null) => v.push(None),
            (Acc::Str { strings, .. }, Cell::Str(text)) => strings.push(&text),
            (Acc::Str { strings, nulls }, Cell::Null) => {
                nulls.push(strings.len());
                strings.push("");
            }
            (_, cell) => {
                let widened = std::mem::replace(self, Acc::Null(0)).into_dynamic();
                *self = Acc::Dyn(widened);
                self.push(cell);
            }
        }
    }

    /// The values so far as dynamic values.
    fn into_dynamic(self) -> Vec<Option<Arc<Json>>> {
        let wrap = |j: Json| Some(Arc::new(j));
        match self {
            Acc::Null(n) => vec![None; n],
            Acc::Bool(v) => v
                .into_iter()
                .map(|b| b.and_then(|b| wrap(Json::Bool(b))))
                .collect(),
            Acc::Num(v) => v
                .into_iter()
                .map(|x| x.and_then(|x| wrap(Json::Number(x))))
                .collect(),
            Acc::Str { strings, nulls } => {
                let col = strings.finish();
                let shared: Vec<Arc<Json>> = col
                    .dict
                    .iter()
                    .map(|s| Arc::new(Json::String(s.to_string())))
                    .collect();
                let mut out: Vec<Option<Arc<Json>>> = col
                    .codes
                    .iter()
                    .map(|&c| Some(Arc::clone(&shared[c as usize])))
                    .collect();
                for row in nulls {
                    out[row] = None;
                }
                out
            }
            Acc::FixedStr(strings) => {
                let col = strings.finish();
                col.iter()
                    .map(|s| wrap(Json::String(s.to_string())))
                    .collect()
            }
            Acc::Dyn(v) => v,
        }
    }

    pub(crate) fn finish(self) -> Column {
        match self {
            Acc::Null(n) => Column::Dynamic(vec![None; n].into()),
            Acc::Bool(v) => Column::Bool(v),
            Acc::Num(v) => {
                if v.iter().flatten().all(|x| x.as_i64().is_some()) {
                    Column::Long(
                        v.iter()
                            .map(|x| x.as_ref().and_then(Number::as_i64))
                            .collect(),
                    )
                } else {
                    Column::Real(
                        v.iter()
                            .map(|x| x.as_ref().and_then(Number::as_f64))
                            .collect(),
                    )
                }
            }
            Acc::Str { strings, .. } | Acc::FixedStr(strings) => Column::String(strings.finish()),
            Acc::Dyn(v) => Column::Dynamic(v.into()),
        }
    }
}
