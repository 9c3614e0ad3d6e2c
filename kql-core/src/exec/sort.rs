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
    // Rows equal on every key keep their input order (the sort is stable): ties are broken by
    // row number, which makes the order total, so `top n` can select its rows first.
    let cmp = |&a: &usize, &b: &usize| {
        for (k, c) in keys.iter().zip(&columns) {
            let o = compare_rows(c, a, b, k.descending, k.nulls_first);
            if o != Ordering::Equal {
                return o;
            }
        }
        a.cmp(&b)
    };
    let mut order: Vec<usize> = (0..rows).collect();
    match limit {
        // `top n` / `sort | take n` with few rows wanted: the first n are selected in linear
        // time, then only they are sorted.
        Some(n) if n < rows / 2 => {
            if n > 0 {
                order.select_nth_unstable_by(n - 1, cmp);
            }
            order.truncate(n);
            order.sort_unstable_by(cmp);
        }
        _ => {
            order.sort_unstable_by(cmp);
            if let Some(n) = limit {
                order.truncate(n);
            }
        }
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
            let o = s.cmp_rows(a, b);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::Expr;
    use crate::store::{Field, StrColumn};
    use crate::types::DataType;

    /// `top n` (rows selected first, then sorted) gives the first n rows of the full stable
    /// sort, ties in input order, for every n and direction.
    #[test]
    fn a_limit_gives_the_first_rows_of_the_full_sort() {
        let mut next = crate::test_rng::xorshift(0x9e37_79b9_7f4a_7c15);
        let rows = 200;
        let longs: Vec<Option<i64>> = (0..rows)
            .map(|_| (next(5) != 0).then(|| next(4) as i64))
            .collect();
        let texts: StrColumn = (0..rows).map(|_| ["b", "a", "", "ab"][next(4)]).collect();
        let row_ids: Vec<Option<i64>> = (0..rows as i64).map(Some).collect();
        let t = Table::new(
            vec![
                Field::new("l", DataType::Long),
                Field::new("s", DataType::String),
                Field::new("row", DataType::Long),
            ],
            vec![
                Arc::new(Column::Long(longs)),
                Arc::new(Column::String(texts)),
                Arc::new(Column::Long(row_ids)),
            ],
            rows,
        )
        .unwrap_or_else(|e| unreachable!("{e}"));
        let ctx = Context::new(0);
        for (descending, nulls_first) in [(false, false), (true, true), (true, false)] {
            let keys = vec![
                SortKey {
                    expr: Expr::column(0, DataType::Long),
                    descending,
                    nulls_first,
                },
                SortKey {
                    expr: Expr::column(1, DataType::String),
                    descending: !descending,
                    nulls_first,
                },
            ];
            let all = sort(&t, &keys, None, &ctx).unwrap_or_else(|e| unreachable!("{e}"));
            let order = |t: &Table| -> Vec<i64> {
                match t.columns().get(2).map(|c| &**c) {
                    Some(Column::Long(v)) => v.iter().flatten().copied().collect(),
                    _ => Vec::new(),
                }
            };
            let full = order(&all);
            for n in [0, 1, 2, 7, 50, 99, 100, 150, 200, 300] {
                let top = sort(&t, &keys, Some(n), &ctx).unwrap_or_else(|e| unreachable!("{e}"));
                let want: Vec<i64> = full.iter().take(n).copied().collect();
                assert_eq!(order(&top), want, "n = {n}, descending {descending}");
            }
            // Ties keep their input order in the full sort too.
            let keys_l = &keys[..1];
            let by_l = order(&sort(&t, keys_l, None, &ctx).unwrap_or_else(|e| unreachable!("{e}")));
            let mut stable: Vec<usize> = (0..rows).collect();
            stable.sort_by(|&a, &b| compare_rows(&t.columns()[0], a, b, descending, nulls_first));
            assert_eq!(by_l, stable.iter().map(|&r| r as i64).collect::<Vec<_>>());
        }
    }
}
