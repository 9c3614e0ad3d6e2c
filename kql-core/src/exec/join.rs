//! `join` (and `lookup`): a hash join on equal keys; every flavour of the semantics
//! reference §5.13.

use crate::error::Result;
use crate::exec::summarize::{key_part, KeyPart};
use crate::functions::Context;
use crate::plan::JoinKind;
use crate::store::{Column, Table};
use std::collections::HashMap;
use std::sync::Arc;

fn key_of(t: &Table, cols: &[usize], row: usize) -> Option<Vec<KeyPart>> {
    let key: Vec<KeyPart> = cols.iter().map(|&c| text_key(t.column(c), row)).collect();
    // Null keys never match ([REC]: as in SQL).
    (!key.contains(&KeyPart::Null)).then_some(key)
}

/// Strings compare by text across the two sides (their dictionaries differ).
fn text_key(c: &Column, row: usize) -> KeyPart {
    match c {
        Column::String(s) => KeyPart::Text(s.get(row).to_string()),
        Column::Int(v) => v[row].map_or(KeyPart::Null, |i| KeyPart::Int(i as i64)),
        other => key_part(other, row),
    }
}

/// Joins `left` and `right`; output: left columns, then the right columns listed.
///
/// The matches of every left row are found first and the output rows counted, so a join that
/// would exceed [`crate::Limits::max_intermediate_rows`] fails before its rows are built.
pub fn join(
    left: &Table,
    right: &Table,
    kind: JoinKind,
    keys: &[(usize, usize)],
    right_columns: &[usize],
    ctx: &Context,
) -> Result<Table> {
    let lk: Vec<usize> = keys.iter().map(|k| k.0).collect();
    let rk: Vec<usize> = keys.iter().map(|k| k.1).collect();
    let mut right_index: HashMap<Vec<KeyPart>, Vec<usize>> = HashMap::new();
    for r in 0..right.num_rows() {
        if let Some(k) = key_of(right, &rk, r) {
            right_index.entry(k).or_default().push(r);
        }
    }
    // Pass 1: the right rows each left row matches (`None`: no match; skipped rows of an
    // innerunique join are left out), and how many output rows that makes.
    let mut matches_of: Vec<(usize, Option<&Vec<usize>>)> = Vec::with_capacity(left.num_rows());
    let mut seen_left_keys: std::collections::HashSet<Vec<KeyPart>> = Default::default();
    let mut out_rows: u128 = 0;
    for l in 0..left.num_rows() {
        let key = key_of(left, &lk, l);
        if kind == JoinKind::InnerUnique {
            // innerunique: one left row per key (the first), then an inner join.
            match &key {
                Some(k) if !seen_left_keys.insert(k.clone()) => continue,
                _ => {}
            }
        }
        let matches = key.as_ref().and_then(|k| right_index.get(k));
        out_rows += match (kind, matches) {
            (JoinKind::LeftSemi | JoinKind::LeftAnti, _) => 1,
            (JoinKind::RightSemi | JoinKind::RightAnti, _) => 0,
            (_, Some(rs)) => rs.len() as u128,
            (_, None) => 1,
        };
        matches_of.push((l, matches));
    }
    if matches!(
        kind,
        JoinKind::RightOuter | JoinKind::FullOuter | JoinKind::RightSemi | JoinKind::RightAnti
    ) {
        out_rows += right.num_rows() as u128;
    }
    ctx.limits()
        .check_intermediate("the join output", out_rows)?;
    ctx.check_cancelled()?;
    // Pass 2: the output rows.
    let mut left_rows: Vec<Option<usize>> = Vec::new();
    let mut right_rows: Vec<Option<usize>> = Vec::new();
    let mut right_matched = vec![false; right.num_rows()];
    for (l, matches) in matches_of {
        match kind {
            JoinKind::LeftSemi | JoinKind::LeftAnti => {
                if matches.is_some() == (kind == JoinKind::LeftSemi) {
                    left_rows.push(Some(l));
                }
            }
            // Only which right rows match matters, not the pairs.
            JoinKind::RightSemi | JoinKind::RightAnti => {
                for &r in matches.into_iter().flatten() {
                    right_matched[r] = true;
                }
            }
            _ => match matches {
                Some(rs) => {
                    for &r in rs {
                        right_matched[r] = true;
                        left_rows.push(Some(l));
                        right_rows.push(Some(r));
                    }
                }
                None if matches!(kind, JoinKind::LeftOuter | JoinKind::FullOuter) => {
                    left_rows.push(Some(l));
                    right_rows.push(None);
                }
                None => {}
            },
        }
    }
    match kind {
        JoinKind::LeftSemi | JoinKind::LeftAnti => {
            let rows: Vec<usize> = left_rows.into_iter().flatten().collect();
            return Ok(left.gather(&rows));
        }
        JoinKind::RightSemi | JoinKind::RightAnti => {
            let want = kind == JoinKind::RightSemi;
            let rows: Vec<usize> = (0..right.num_rows())
                .filter(|&r| right_matched[r] == want)
                .collect();
            return Ok(right.gather(&rows));
        }
        JoinKind::RightOuter | JoinKind::FullOuter => {
            for (r, &m) in right_matched.iter().enumerate() {
                if !m {
                    left_rows.push(None);
                    right_rows.push(Some(r));
                }
            }
        }
        _ => {}
    }
    let (mut fields, left_cols, _) = left.clone().into_parts();
    let mut columns: Vec<Arc<Column>> = left_cols
        .iter()
        .map(|c| Arc::new(c.gather_optional(&left_rows)))
        .collect();
    for &c in right_columns {
        fields.push(right.fields()[c].clone());
        columns.push(Arc::new(right.column(c).gather_optional(&right_rows)));
    }
    Table::new(fields, columns, left_rows.len())
}
