//! Aggregate kernels: each takes the argument datums and the row → group map and produces
//! one column (or, for row-selecting aggregates, the chosen row's values).
//! Rules: semantics reference §7 (nulls ignored; empty input without keys gives 0, `[]`,
//! null, and NaN for `avg` as the documentation's worked example shows).

use super::eval::Datum;
use super::sort::compare_rows;
use super::summarize::{key_part, Groups, KeyPart};
use crate::error::Result;
use crate::functions::conversion::{to_bool, to_real, value_to_json};
use crate::functions::registry::AggKind;
use crate::plan::Aggregate;
use crate::store::{Column, ColumnBuilder};
use crate::types::DataType;
use crate::value::{Json, Value};
use std::cmp::Ordering;
use std::collections::HashSet;
use std::sync::Arc;

/// Computes one aggregate for every group.
pub fn compute(
    agg: &Aggregate,
    args: &[Datum],
    groups: &Groups,
    rows: usize,
    empty_without_keys: bool,
) -> Result<Vec<Arc<Column>>> {
    let n = groups.count;
    let col = |i: usize, ty: DataType| -> Arc<Column> {
        match args.get(i) {
            Some(d) => d.clone().into_column(ty, rows),
            None => Arc::new(Column::nulls(ty, rows)),
        }
    };
    let arg_ty = |i: usize| agg.args.get(i).map_or(DataType::Long, |e| e.ty);
    let pred = |i: usize| -> Vec<bool> {
        let c = col(i, DataType::Bool);
        (0..rows)
            .map(|r| to_bool(&c.get(r)) == Some(true))
            .collect()
    };
    let all = vec![true; rows];
    use AggKind::*;
    let out: Column = match agg.function.kind {
        Count => {
            let mut counts = vec![0i64; n];
            for &g in &groups.of_row {
                counts[g as usize] += 1;
            }
            Column::Long(counts.into_iter().map(Some).collect())
        }
        CountIf => {
            let p = pred(0);
            let mut counts = vec![0i64; n];
            for (r, &g) in groups.of_row.iter().enumerate() {
                counts[g as usize] += p[r] as i64;
            }
            Column::Long(counts.into_iter().map(Some).collect())
        }
        DCount | DCountIf | CountDistinct => {
            let c = col(0, arg_ty(0));
            let p = if agg.function.kind == DCountIf {
                pred(1)
            } else {
                all
            };
            let mut sets: Vec<HashSet<KeyPart>> = vec![HashSet::new(); n];
            for (r, &g) in groups.of_row.iter().enumerate() {
                if p[r] && !c.is_null(r) {
                    sets[g as usize].insert(key_part(&c, r));
                }
            }
            Column::Long(sets.iter().map(|s| Some(s.len() as i64)).collect())
        }
        Sum | SumIf => {
            let p = if agg.function.kind == SumIf {
                pred(1)
            } else {
                all
            };
            sum(&col(0, agg.ty), &p, groups, agg.ty)
        }
        Avg | AvgIf => {
            let p = if agg.function.kind == AvgIf {
                pred(1)
            } else {
                all
            };
            let c = col(0, arg_ty(0));
            let mut sums = vec![0f64; n];
            let mut counts = vec![0usize; n];
            for (r, &g) in groups.of_row.iter().enumerate() {
                if p[r] {
                    if let Some(x) = to_real(&c.get(r)) {
                        sums[g as usize] += x;
                        counts[g as usize] += 1;
                    }
                }
            }
            Column::Real(
                sums.iter()
                    .zip(&counts)
                    .map(|(s, &k)| match k {
                        0 if empty_without_keys => Some(f64::NAN),
                        0 => None,
                        k => Some(s / k as f64),
                    })
                    .collect(),
            )
        }
        Min | Max | MinIf | MaxIf => {
            let kind = agg.function.kind;
            let p = if matches!(kind, MinIf | MaxIf) {
                pred(1)
            } else {
                all
            };
            let c = col(0, agg.ty);
            let want = if matches!(kind, Min | MinIf) {
                Ordering::Less
            } else {
                Ordering::Greater
            };
            let best = best_rows(&c, &p, groups, want, false);
            c.gather_optional(&best)
        }
        ArgMax | ArgMin => {
            let c = col(0, arg_ty(0));
            let want = if agg.function.kind == ArgMin {
                Ordering::Less
            } else {
                Ordering::Greater
            };
            let chosen = best_rows(&c, &all, groups, want, true);
            return Ok(gather_all(agg, args, rows, &chosen));
        }
        TakeAny => {
            let chosen = if args.len() == 1 {
                let c = col(0, arg_ty(0));
                let useful: Vec<bool> = (0..rows)
                    .map(|r| {
                        !c.is_null(r) && !matches!(&*c, Column::String(s) if s.get(r).is_empty())
                    })
                    .collect();
                first_rows(&useful, groups, true)
            } else {
                first_rows(&all, groups, true)
            };
            return Ok(gather_all(agg, args, rows, &chosen));
        }
        TakeAnyIf => {
            let chosen = first_rows(&pred(1), groups, false);
            col(0, agg.ty).gather_optional(&chosen)
        }
        MakeSet | MakeSetIf | MakeList | MakeListIf | MakeListWithNulls => {
            let kind = agg.function.kind;
            let conditional = matches!(kind, MakeSetIf | MakeListIf);
            let p = if conditional { pred(1) } else { all };
            let limit_at = if conditional { 2 } else { 1 };
            let limit = args
                .get(limit_at)
                .and_then(|d| super::super::functions::conversion::to_long(&d.get(0)))
                .map_or(1_048_576, |l| l.max(0) as usize);
            let c = col(0, arg_ty(0));
            let distinct = matches!(kind, MakeSet | MakeSetIf);
            let keep_nulls = kind == MakeListWithNulls;
            let mut lists: Vec<Vec<Json>> = vec![Vec::new(); n];
            let mut seen: Vec<HashSet<String>> = vec![HashSet::new(); if distinct { n } else { 0 }];
            for (r, &g) in groups.of_row.iter().enumerate() {
                let g = g as usize;
                if !p[r] || lists[g].len() >= limit || (c.is_null(r) && !keep_nulls) {
                    continue;
                }
                let j = value_to_json(&c.get(r));
                // make_set over dynamic arrays adds their elements (documented behaviour).
                let items = match (distinct, j) {
                    (true, Json::Array(items)) => items,
                    (_, j) => vec![j],
                };
                for j in items {
                    if distinct && !seen[g].insert(j.to_string()) {
                        continue;
                    }
                    if lists[g].len() < limit {
                        lists[g].push(j);
                    }
                }
            }
            Column::Dynamic(
                lists
                    .into_iter()
                    .map(|l| Some(Arc::new(Json::Array(l))))
                    .collect(),
            )
        }
        MakeBag | MakeBagIf => {
            let p = if agg.function.kind == MakeBagIf {
                pred(1)
            } else {
                all
            };
            let c = col(0, DataType::Dynamic);
            let mut bags: Vec<serde_json::Map<String, Json>> = vec![serde_json::Map::new(); n];
            for (r, &g) in groups.of_row.iter().enumerate() {
                if let (true, Value::Dynamic(j)) = (p[r], c.get(r)) {
                    if let Json::Object(m) = &*j {
                        for (k, v) in m {
                            bags[g as usize]
                                .entry(k.clone())
                                .or_insert_with(|| v.clone());
                        }
                    }
                }
            }
            Column::Dynamic(
                bags.into_iter()
                    .map(|b| Some(Arc::new(Json::Object(b))))
                    .collect(),
            )
        }
        Stdev | Variance => {
            let c = col(0, arg_ty(0));
            let mut values: Vec<Vec<f64>> = vec![Vec::new(); n];
            for (r, &g) in groups.of_row.iter().enumerate() {
                if let Some(x) = to_real(&c.get(r)) {
                    values[g as usize].push(x);
                }
            }
            let stdev = agg.function.kind == Stdev;
            Column::Real(
                values
                    .iter()
                    .map(|v| {
                        // Sample variance; a single value gives 0 ([REC]: Kusto returns 0).
                        let k = v.len() as f64;
                        if v.is_empty() {
                            return Some(0.0);
                        }
                        let mean = v.iter().sum::<f64>() / k;
                        let var = if v.len() < 2 {
                            0.0
                        } else {
                            v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (k - 1.0)
                        };
                        Some(if stdev { var.sqrt() } else { var })
                    })
                    .collect(),
            )
        }
        Hll | HllMerge | TDigest | TDigestMerge | PercentilesArray | BuildSchema => {
            sketch_aggregate(agg, args, groups, rows)
        }
        Percentile => {
            let c = col(0, agg.ty);
            let p = args.get(1).and_then(|d| to_real(&d.get(0))).unwrap_or(50.0);
            let mut members: Vec<Vec<usize>> = vec![Vec::new(); n];
            for (r, &g) in groups.of_row.iter().enumerate() {
                if !c.is_null(r) {
                    members[g as usize].push(r);
                }
            }
            let chosen: Vec<Option<usize>> = members
                .into_iter()
                .map(|mut m| {
                    if m.is_empty() {
                        return None;
                    }
                    m.sort_by(|&a, &b| compare_rows(&c, a, b, false, true));
                    // Nearest rank: the smallest value with at least p% of the data <= it.
                    let rank = ((p / 100.0) * m.len() as f64).ceil().max(1.0) as usize;
                    Some(m[rank.min(m.len()) - 1])
                })
                .collect();
            c.gather_optional(&chosen)
        }
    };
    Ok(vec![Arc::new(conform_column(out, agg.ty))])
}

/// The sketch and schema aggregates (see `functions::sketch`): one dynamic value per group,
/// null for a group without rows (empty input without keys, as the documentation's
/// `summarize` example over an empty table shows).
fn sketch_aggregate(agg: &Aggregate, args: &[Datum], groups: &Groups, rows: usize) -> Column {
    use crate::functions::sketch::*;
    use AggKind::*;
    let kind = agg.function.kind;
    let value_ty = agg.args.first().map_or(DataType::Dynamic, |e| e.ty);
    let c = match args.first() {
        Some(d) => d.clone().into_column(value_ty, rows),
        None => Arc::new(Column::nulls(value_ty, rows)),
    };
    let weights = match (kind, args.get(1)) {
        (TDigest, Some(d)) => Some(d.clone().into_column(DataType::Long, rows)),
        _ => None,
    };
    let percents = if kind == PercentilesArray {
        let given: Vec<Value> = args.iter().skip(1).map(|d| d.get(0)).collect();
        percent_list(&given)
    } else {
        Vec::new()
    };
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); groups.count];
    for (r, &g) in groups.of_row.iter().enumerate() {
        if let Some(m) = members.get_mut(g as usize) {
            m.push(r);
        }
    }
    let weight = |r: usize| {
        weights.as_ref().map_or(1, |w| {
            super::super::functions::conversion::to_long(&w.get(r)).unwrap_or(1)
        })
    };
    let one = |group: &[usize]| -> Option<Json> {
        if group.is_empty() {
            return None;
        }
        Some(match kind {
            Hll => hll_of(group.iter().map(|&r| value_to_json(&c.get(r)))),
            HllMerge => hll_of(
                group
                    .iter()
                    .filter_map(|&r| hll_values(&c.get(r)))
                    .flatten(),
            ),
            TDigest => {
                let points = group.iter().map(|&r| (c.get(r), weight(r))).collect();
                crate::functions::sketch::TDigest::new(points, value_ty).to_json()
            }
            TDigestMerge => merge_tdigests(
                group
                    .iter()
                    .filter_map(|&r| tdigest_of(&c.get(r)))
                    .collect(),
            )?
            .to_json(),
            PercentilesArray => {
                let points = group.iter().map(|&r| (c.get(r), 1)).collect();
                let t = crate::functions::sketch::TDigest::new(points, value_ty);
                Json::Array(
                    percents
                        .iter()
                        .map(|&p| nearest_rank(&t.points, p).unwrap_or(Json::Null))
                        .collect(),
                )
            }
            _ => group
                .iter()
                .fold(None, |s, &r| {
                    let schema = match c.get(r) {
                        Value::Dynamic(j) => Schema::of(&j),
                        other => Schema::of(&value_to_json(&other)),
                    };
                    merge_schema(s, schema)
                })?
                .to_json(),
        })
    };
    Column::Dynamic(
        members
            .iter()
            .map(|group| one(group).map(Arc::new))
            .collect(),
    )
}

fn conform_column(c: Column, ty: DataType) -> Column {
    if c.data_type() == ty {
        return c;
    }
    let mut b = ColumnBuilder::new(ty, c.len());
    for r in 0..c.len() {
        b.push(&c.get(r));
    }
    b.finish()
}

fn sum(c: &Column, p: &[bool], groups: &Groups, ty: DataType) -> Column {
    let n = groups.count;
    match c {
        Column::Long(v) | Column::TimeSpan(v) => {
            let mut sums = vec![0i64; n];
            for (r, &g) in groups.of_row.iter().enumerate() {
                if let (true, Some(x)) = (p[r], v[r]) {
                    sums[g as usize] = sums[g as usize].wrapping_add(x);
                }
            }
            let out = sums.into_iter().map(Some).collect();
            if ty == DataType::TimeSpan {
                Column::TimeSpan(out)
            } else {
                Column::Long(out)
            }
        }
        Column::Decimal(v) => {
            // Exact while the sums fit the mantissa; a group that overflows falls back to real.
            let zero = crate::decimal::Decimal::from_i128(0);
            let mut sums: Vec<Option<crate::decimal::Decimal>> = vec![Some(zero); n];
            let mut reals = vec![0f64; n];
            for (r, &g) in groups.of_row.iter().enumerate() {
                if let (true, Some(x)) = (p[r], v[r]) {
                    let g = g as usize;
                    reals[g] += x.to_f64();
                    sums[g] = sums[g].and_then(|s| s.checked_add(x));
                }
            }
            Column::Decimal(
                sums.into_iter()
                    .zip(reals)
                    .map(|(s, r)| s.or_else(|| crate::decimal::Decimal::from_f64(r)))
                    .collect(),
            )
        }
        other => {
            let mut sums = vec![0f64; n];
            for (r, &g) in groups.of_row.iter().enumerate() {
                if p[r] {
                    if let Some(x) = to_real(&other.get(r)) {
                        sums[g as usize] += x;
                    }
                }
            }
            Column::Real(sums.into_iter().map(Some).collect())
        }
    }
}

/// Per group, the row whose value is least (`Less`) or greatest (`Greater`) among rows where
/// `p` holds and the value is not null. With `fallback`, an all-null group gives its first row.
fn best_rows(
    c: &Column,
    p: &[bool],
    groups: &Groups,
    want: Ordering,
    fallback: bool,
) -> Vec<Option<usize>> {
    let mut best: Vec<Option<usize>> = vec![None; groups.count];
    for (r, &g) in groups.of_row.iter().enumerate() {
        if !p[r] || c.is_null(r) || matches!(c, Column::Real(v) if v[r].is_some_and(f64::is_nan)) {
            continue;
        }
        let slot = &mut best[g as usize];
        match slot {
            Some(b) if compare_rows(c, r, *b, false, true) != want => {}
            _ => *slot = Some(r),
        }
    }
    if fallback {
        for (g, slot) in best.iter_mut().enumerate() {
            if slot.is_none() && groups.first_row[g] < c.len() {
                *slot = Some(groups.first_row[g]);
            }
        }
    }
    best
}

/// Per group, the first row where `p` holds; with `fallback`, the group's first row otherwise.
fn first_rows(p: &[bool], groups: &Groups, fallback: bool) -> Vec<Option<usize>> {
    let mut first: Vec<Option<usize>> = vec![None; groups.count];
    for (r, &g) in groups.of_row.iter().enumerate() {
        if p[r] && first[g as usize].is_none() {
            first[g as usize] = Some(r);
        }
    }
    if fallback {
        for (g, slot) in first.iter_mut().enumerate() {
            if slot.is_none() && groups.first_row[g] < p.len() {
                *slot = Some(groups.first_row[g]);
            }
        }
    }
    first
}

/// The chosen row's value of every argument (row-selecting aggregates).
fn gather_all(
    agg: &Aggregate,
    args: &[Datum],
    rows: usize,
    chosen: &[Option<usize>],
) -> Vec<Arc<Column>> {
    agg.args
        .iter()
        .zip(args)
        .map(|(e, d)| Arc::new(d.clone().into_column(e.ty, rows).gather_optional(chosen)))
        .collect()
}
