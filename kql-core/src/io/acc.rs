//! One column of JSON values being built: it starts in the narrowest type that fits the values
//! so far and is widened to dynamic (converting what it holds) when a value does not fit.

use crate::functions::conversion::json_to_string;
use crate::io::rows::{STANDARD_DYNAMIC_COLUMNS, STANDARD_STRING_COLUMNS};
use crate::store::tape::{spelled_at, TapeBuilder};
use crate::store::{Column, DynColumn, StrBuilder};
use crate::value::Json;
use serde_json::Number;
use std::borrow::Cow;

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
    /// A standard string column: every value is turned into text. `plain_last`: the last value
    /// pushed came from JSON that spelled it as itself between quotes (see
    /// [`Acc::push_if_repeated`]).
    FixedStr {
        strings: StrBuilder,
        plain_last: bool,
    },
    /// Dynamic values, encoded on a tape as they arrive.
    Dyn(Box<TapeBuilder>),
}

impl Acc {
    /// The accumulator for a column first seen after `rows` rows.
    pub(crate) fn for_column(name: &str, rows: usize) -> Acc {
        if STANDARD_STRING_COLUMNS.contains(&name) {
            let mut strings = StrBuilder::with_capacity(rows);
            (0..rows).for_each(|_| strings.push(""));
            Acc::FixedStr {
                strings,
                plain_last: false,
            }
        } else if STANDARD_DYNAMIC_COLUMNS.contains(&name) {
            Acc::Dyn(null_tape(rows))
        } else {
            Acc::Null(rows)
        }
    }

    pub(crate) fn len(&self) -> usize {
        match self {
            Acc::Null(n) => *n,
            Acc::Bool(v) => v.len(),
            Acc::Num(v) => v.len(),
            Acc::Str { strings, .. } | Acc::FixedStr { strings, .. } => strings.len(),
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
            Acc::FixedStr {
                strings,
                plain_last,
            } => {
                strings.truncate(rows);
                *plain_last = false;
            }
            Acc::Dyn(v) => v.truncate(rows),
        }
    }

    pub(crate) fn push(&mut self, cell: Cell<'_>) {
        match (&mut *self, cell) {
            (
                Acc::FixedStr {
                    strings,
                    plain_last,
                },
                Cell::Str(text),
            ) => {
                strings.push(&text);
                // A borrowed string had no escape or control character to decode.
                *plain_last = matches!(text, Cow::Borrowed(_));
            }
            (Acc::FixedStr { strings, .. }, Cell::Null) => strings.push(""),
            (
                Acc::FixedStr {
                    strings,
                    plain_last,
                },
                other,
            ) => {
                strings.push(&json_to_string(&other.into_json()));
                *plain_last = false;
            }
            (Acc::Dyn(v), Cell::Null) => v.push_null(),
            (Acc::Dyn(v), Cell::Bool(b)) => v.push_bool(b),
            (Acc::Dyn(v), Cell::Num(x)) => v.push_number(&x),
            (Acc::Dyn(v), Cell::Str(s)) => v.push_str(&s),
            (Acc::Dyn(v), Cell::Json(j)) => v.push_json(&j),
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
                    _ => Acc::Dyn(null_tape(n)),
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

    /// Pushes the last value again when the JSON string whose opening quote is at `i` spells
    /// it byte for byte (a standard string column whose values repeat, as ARG's `type`,
    /// `location` or `subscriptionId` do from row to row); returns the offset just past the
    /// string. Saves reading, hashing and looking up the string.
    pub(crate) fn push_if_repeated(&mut self, bytes: &[u8], i: usize) -> Option<usize> {
        let Acc::FixedStr {
            strings,
            plain_last: true,
        } = self
        else {
            return None;
        };
        if bytes.get(i) != Some(&b'"') {
            return None;
        }
        let end = spelled_at(bytes, i, strings.repeating_last()?)?;
        strings.push_repeat().then_some(end)
    }

    /// The values so far as dynamic values.
    fn into_dynamic(self) -> Box<TapeBuilder> {
        match self {
            Acc::Null(n) => null_tape(n),
            Acc::Bool(v) => {
                let mut t = TapeBuilder::new();
                for b in v {
                    match b {
                        Some(b) => t.push_bool(b),
                        None => t.push_null(),
                    }
                }
                Box::new(t)
            }
            Acc::Num(v) => {
                let mut t = TapeBuilder::new();
                for x in v {
                    match x {
                        Some(x) => t.push_number(&x),
                        None => t.push_null(),
                    }
                }
                Box::new(t)
            }
            Acc::Str { strings, nulls } => {
                let col = strings.finish();
                let mut t = TapeBuilder::new();
                let mut nulls = nulls.into_iter().peekable();
                for (row, s) in col.iter().enumerate() {
                    if nulls.next_if_eq(&row).is_some() {
                        t.push_null();
                    } else {
                        t.push_str(s);
                    }
                }
                Box::new(t)
            }
            Acc::FixedStr { strings, .. } => {
                let col = strings.finish();
                let mut t = TapeBuilder::new();
                col.iter().for_each(|s| t.push_str(s));
                Box::new(t)
            }
            Acc::Dyn(v) => v,
        }
    }

    /// Parses the array or object at byte `start` of `s` as this column's next value (the
    /// column is widened to dynamic unless it is a standard string column); returns the offset
    /// just past it, or where the value is malformed.
    pub(crate) fn push_raw(&mut self, s: &str, start: usize) -> Result<usize, usize> {
        match self {
            Acc::Dyn(t) => t.parse(s, start),
            Acc::FixedStr { .. } => {
                // Rare: an object where ARG has a string column; serde_json parses it.
                let mut values = serde_json::Deserializer::from_str(s.get(start..).unwrap_or(""))
                    .into_iter::<Json>();
                match values.next() {
                    Some(Ok(json)) => {
                        let end = start + values.byte_offset();
                        self.push(Cell::Json(json));
                        Ok(end)
                    }
                    _ => Err(start),
                }
            }
            _ => {
                let widened = std::mem::replace(self, Acc::Null(0)).into_dynamic();
                *self = Acc::Dyn(widened);
                self.push_raw(s, start)
            }
        }
    }

    pub(crate) fn finish(self) -> Column {
        match self {
            Acc::Null(n) => Column::Dynamic(DynColumn::from_tape(null_tape(n).finish())),
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
            Acc::Str { strings, .. } | Acc::FixedStr { strings, .. } => {
                Column::String(strings.finish())
            }
            Acc::Dyn(v) => Column::Dynamic(DynColumn::from_tape(v.finish())),
        }
    }
}

/// A tape of `n` null rows.
fn null_tape(n: usize) -> Box<TapeBuilder> {
    let mut t = TapeBuilder::new();
    (0..n).for_each(|_| t.push_null());
    Box::new(t)
}
