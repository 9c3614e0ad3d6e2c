//! `sort by` and `top`: a stable sort of row indices on typed keys.

use super::eval::eval;
use crate::error::Result;
use crate::functions::Context;
use crate::plan::SortKey;
use crate::store::{Column, Table};
use std::cmp::Ordering;
use std::sync::Arc;

/// Sorts `t` by `keys` (stable), keeping the first `limit` rows when given.
pub fn sort(t: &Table, keys: &[SortKey], limit: Option<usize>, ctx: &Context) -> Result<Table> {
    let rows = t.num_rows();
    let columns = keys
        .iter()
        .map(|k| Ok(eval(&k.expr, t, ctx)?.into_column(k.expr.ty, rows)))
        .collect::<Result<Vec<Arc<Column>>>>()?;
    let mut order: Vec<usize> = (0..rows).collect();
    order.sort_by(|&a, &b| {
        for (k, c) in keys.iter().zip(&columns) {
            let o = compare_rows(c, a, b, k.descending, k.nulls_first);
            if o != Ordering::Equal {
                return o;
            }
        }
        Ordering::Equal
    });
    if let Some(n) = limit {
        order.truncate(n);
    }
    Ok(t.gather(&order))
}

/// Compares two rows of one column. Nulls (and NaN, grouped with them as the documentation
/// says) go first or last regardless of direction.
pub fn compare_rows(
    c: &Column,
    a: usize,
    b: usize,
    descending: bool,
    nulls_first: bool,
) -> Ordering {
    fn values<T: PartialOrd>(
        x: Option<&T>,
        y: Option<&T>,
        desc: bool,
        nulls_first: bool,
    ) -> Ordering {
        match (x, y) {
            (None, None) => Ordering::Equal,
            (None, Some(_)) => {
                if nulls_first {
                    Ordering::Less
                } else {
                    Ordering::Greater
                }
            }
            (Some(_), None) => {
                if nulls_first {
                    Ordering::Greater
                } else {
                    Ordering::Less
                }
            }
            (Some(x), Some(y)) => {
                let o = x.partial_cmp(y).unwrap_or(Ordering::Equal);
                if desc {
                    o.reverse()
                } else {
                    o
                }
            }
        }
    }
    let real = |v: Option<f64>| v.filter(|r| !r.is_nan());
    match c {
        Column::Bool(v) => values(v[a].as_ref(), v[b].as_ref(), descending, nulls_first),
        Column::Int(v) => values(v[a].as_ref(), v[b].as_ref(), descending, nulls_first),
        Column::Long(v) | Column::DateTime(v) | Column::TimeSpan(v) => {
            values(v[a].as_ref(), v[b].as_ref(), descending, nulls_first)
        }
        Column::Decimal(v) => values(v[a].as_ref(), v[b].as_ref(), descending, nulls_first),
        Column::Real(v) => values(
            real(v[a]).as_ref(),
            real(v[b]).as_ref(),
            descending,
            nulls_first,
        ),
        Column::Guid(v) => values(v[a].as_ref(), v[b].as_ref(), descending, nulls_first),
        Column::String(s) => {
            let o = s.get(a).cmp(s.get(b));
            if descending {
                o.reverse()
            } else {
                o
            }
        }
        Column::Dynamic(v) => {
            let text = |i: usize| {
                v.get(i)
                    .map(|j| crate::functions::conversion::json_to_string(&j))
            };
            values(text(a).as_ref(), text(b).as_ref(), descending, nulls_first)
        }
    }
}
