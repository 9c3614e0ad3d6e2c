//! `summarize`: rows → group ids (dictionary codes where possible), then one vectorized pass
//! per aggregate (`aggregate.rs`).

use super::aggregate;
use super::eval::eval;
use crate::error::Result;
use crate::functions::Context;
use crate::plan::{Aggregate, Expr};
use crate::store::{Column, Field, Table};
use std::collections::HashMap;
use std::sync::Arc;

/// Groups `t` by `keys` and computes `aggregates`; output columns are the keys then each
/// aggregate's columns.
pub fn summarize(
    t: &Table,
    keys: &[Expr],
    aggregates: &[Aggregate],
    ctx: &Context,
) -> Result<Table> {
    let rows = t.num_rows();
    let key_columns = keys
        .iter()
        .map(|k| Ok(eval(k, t, ctx)?.into_column(k.ty, rows)))
        .collect::<Result<Vec<_>>>()?;
    let groups = if keys.is_empty() {
        // No keys: exactly one group, even over no rows.
        Groups {
            of_row: vec![0; rows],
            first_row: vec![0],
            count: 1,
        }
    } else {
        group_rows(&key_columns, rows)
    };
    ctx.limits()
        .check_intermediate("the summarize groups", groups.count as u128)?;
    let mut fields = Vec::new();
    let mut columns = Vec::new();
    for c in &key_columns {
        fields.push(Field::new(format!("c{}", fields.len()), c.data_type()));
        columns.push(Arc::new(c.gather(&groups.first_row)));
    }
    let empty_without_keys = keys.is_empty() && rows == 0;
    for agg in aggregates {
        ctx.check_cancelled()?;
        let args = agg
            .args
            .iter()
            .map(|a| eval(a, t, ctx))
            .collect::<Result<Vec<_>>>()?;
        for col in aggregate::compute(agg, &args, &groups, rows, empty_without_keys)? {
            fields.push(Field::new(format!("c{}", fields.len()), col.data_type()));
            columns.push(col);
        }
    }
    Table::new(fields, columns, groups.count)
}

/// The group of every row.
#[derive(Debug)]
pub struct Groups {
    /// Group id per row.
    pub of_row: Vec<u32>,
    /// The first row of each group (all-null groups over no rows point at row 0).
    pub first_row: Vec<usize>,
    /// Number of groups.
    pub count: usize,
}

/// A hashable image of one cell.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum KeyPart {
    /// Null.
    Null,
    /// Integers, datetimes, timespans, bools.
    Int(i64),
    /// Reals by bit pattern.
    Real(u64),
    /// Guids.
    Guid(u128),
    /// A dictionary code of a string column.
    Code(u32),
    /// Other text (dynamic as JSON).
    Text(String),
}

/// The key part of `row` in column `c`.
pub fn key_part(c: &Column, row: usize) -> KeyPart {
    let int = |v: Option<i64>| v.map_or(KeyPart::Null, KeyPart::Int);
    match c {
        Column::Bool(v) => int(v[row].map(i64::from)),
        Column::Int(v) => int(v[row].map(i64::from)),
        Column::Long(v) | Column::DateTime(v) | Column::TimeSpan(v) => int(v[row]),
        Column::Decimal(v) => v[row].map_or(KeyPart::Null, |d| KeyPart::Text(d.to_string())),
        Column::Real(v) => v[row].map_or(KeyPart::Null, |r| {
            KeyPart::Real(if r == 0.0 { 0 } else { r.to_bits() })
        }),
        Column::Guid(v) => v[row].map_or(KeyPart::Null, KeyPart::Guid),
        Column::String(s) => KeyPart::Code(s.codes[row]),
        Column::Dynamic(v) => v.json_text(row).map_or(KeyPart::Null, KeyPart::Text),
    }
}

fn group_rows(keys: &[Arc<Column>], rows: usize) -> Groups {
    let mut of_row = Vec::with_capacity(rows);
    let mut first_row = Vec::new();
    if let [single] = keys {
        if let Column::String(s) = &**single {
            // One string key: the dictionary code is the group, no hashing.
            let mut group_of_code = vec![u32::MAX; s.dict.len()];
            for (row, &code) in s.codes.iter().enumerate() {
                let g = &mut group_of_code[code as usize];
                if *g == u32::MAX {
                    *g = first_row.len() as u32;
                    first_row.push(row);
                }
                of_row.push(*g);
            }
            let count = first_row.len();
            return Groups {
                of_row,
                first_row,
                count,
            };
        }
    }
    if let [Column::String(a), Column::String(b)] =
        [&*keys[0], keys.get(1).map_or(&*keys[0], |k| &**k)]
    {
        if keys.len() == 2 {
            // Two string keys: both codes packed in one u64, hashed with a multiply.
            let mut index: HashMap<u64, u32, BuildMultiply> = HashMap::default();
            for (row, (&x, &y)) in a.codes.iter().zip(&b.codes).enumerate() {
                let next = first_row.len() as u32;
                let g = *index
                    .entry((u64::from(x) << 32) | u64::from(y))
                    .or_insert_with(|| {
                        first_row.push(row);
                        next
                    });
                of_row.push(g);
            }
            let count = first_row.len();
            return Groups {
                of_row,
                first_row,
                count,
            };
        }
    }
    let mut index: HashMap<Vec<KeyPart>, u32> = HashMap::new();
    for row in 0..rows {
        let key: Vec<KeyPart> = keys.iter().map(|c| key_part(c, row)).collect();
        let next = first_row.len() as u32;
        let g = *index.entry(key).or_insert_with(|| {
            first_row.push(row);
            next
        });
        of_row.push(g);
    }
    let count = first_row.len();
    Groups {
        of_row,
        first_row,
        count,
    }
}

/// A hasher for keys that are already well-mixed integers (packed dictionary codes): one
/// multiply by an odd constant and a rotate, instead of SipHash.
#[derive(Default, Clone, Copy)]
pub struct MultiplyHasher(u64);

impl std::hash::Hasher for MultiplyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0 ^ n)
            .wrapping_mul(0x9e37_79b9_7f4a_7c15)
            .rotate_left(29);
    }
}

/// Builds [`MultiplyHasher`]s.
pub type BuildMultiply = std::hash::BuildHasherDefault<MultiplyHasher>;
