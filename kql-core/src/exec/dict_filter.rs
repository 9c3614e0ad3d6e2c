//! Filters whose predicate reads one dictionary-encoded string column and nothing else
//! (`where type == "x"`, `where k == a or k == b`, `where location in (…)`, `where s =~ "x"`):
//! the whole predicate is evaluated once per distinct value, giving a mask over the
//! dictionary codes, and rows are then kept or counted by their code alone. Counting compares
//! the 4-byte codes against the one (or few) matching codes in a loop the compiler vectorizes,
//! without building a bool column or a selection.

use super::eval::{eval, Datum};
use crate::error::Result;
use crate::functions::{conversion, Context};
use crate::plan::{Expr, ExprKind};
use crate::store::{Column, Field, StrColumn, Table};
use crate::types::DataType;
use std::sync::Arc;

/// Functions whose result may differ between two calls with the same arguments; a predicate
/// calling one is evaluated per row.
use crate::plan::pushdown::NOT_PER_VALUE;

/// The predicate's outcome per dictionary code of the one column it reads.
#[derive(Debug)]
pub struct DictMask {
    column: Arc<Column>,
    /// True for the codes whose rows the predicate keeps.
    mask: Vec<bool>,
}

impl DictMask {
    fn codes(&self) -> &[u32] {
        match &*self.column {
            Column::String(s) => &s.codes,
            _ => &[],
        }
    }

    /// The codes the predicate keeps, when there are at most `limit` of them.
    fn few(&self, keep: bool, limit: usize) -> Option<Vec<u32>> {
        let mut out = Vec::new();
        for (code, &m) in self.mask.iter().enumerate() {
            if m == keep {
                if out.len() == limit {
                    return None;
                }
                out.push(code as u32);
            }
        }
        Some(out)
    }

    /// The number of rows the predicate keeps.
    pub fn count(&self) -> usize {
        let codes = self.codes();
        const FEW: usize = 4;
        if let Some(hits) = self.few(true, FEW) {
            return hits.iter().map(|&h| count_code(codes, h)).sum();
        }
        if let Some(misses) = self.few(false, FEW) {
            let dropped: usize = misses.iter().map(|&m| count_code(codes, m)).sum();
            return codes.len().saturating_sub(dropped);
        }
        let table: Vec<u32> = self.mask.iter().map(|&m| u32::from(m)).collect();
        codes
            .chunks(CHUNK)
            .map(|chunk| {
                chunk
                    .iter()
                    .map(|&c| table.get(c as usize).copied().unwrap_or(0))
                    .sum::<u32>() as usize
            })
            .sum()
    }

    /// The rows the predicate keeps, in order.
    pub fn selection(&self) -> Vec<usize> {
        let codes = self.codes();
        if let Some(hits) = self.few(true, 1) {
            let Some(&only) = hits.first() else {
                return Vec::new();
            };
            return (0..codes.len())
                .filter(|&r| codes.get(r) == Some(&only))
                .collect();
        }
        codes
            .iter()
            .enumerate()
            .filter(|(_, &c)| self.mask.get(c as usize).copied().unwrap_or(false))
            .map(|(r, _)| r)
            .collect()
    }
}

/// Rows per partial count: a `u32` lane sum cannot overflow within one chunk.
const CHUNK: usize = 1 << 16;

/// How many of `codes` equal `code`: a branch-free compare-and-add over `u32` lanes.
pub fn count_code(codes: &[u32], code: u32) -> usize {
    codes
        .chunks(CHUNK)
        .map(|chunk| chunk.iter().map(|&c| u32::from(c == code)).sum::<u32>() as usize)
        .sum()
}

/// The predicate as a mask over the codes of the one string column it reads, or `None` when
/// it reads another column too (or none), the column is not smaller in distinct values than
/// in rows, or the predicate is not a function of the value alone.
pub fn dict_mask(predicate: &Expr, t: &Table, ctx: &Context) -> Result<Option<DictMask>> {
    let mut column = None;
    if !per_value(predicate, &mut column) {
        return Ok(None);
    }
    let Some(Some(i)) = column else {
        return Ok(None);
    };
    let Some(col) = t.columns().get(i) else {
        return Ok(None);
    };
    let Column::String(s) = &**col else {
        return Ok(None);
    };
    let n = s.dict.len();
    if n > t.num_rows() || n > u32::MAX as usize {
        return Ok(None);
    }
    // The dictionary as a column of its own (each code once), and the predicate over it.
    let values = StrColumn {
        codes: (0..n as u32).collect(),
        dict: Arc::clone(&s.dict),
    };
    let dict_table = Table::new(
        vec![Field::new("c0", DataType::String)],
        vec![Arc::new(Column::String(values))],
        n,
    )?;
    let rebased = rebase(predicate, i);
    let mask = match eval(&rebased, &dict_table, ctx)? {
        Datum::Scalar(v) => vec![conversion::to_bool(&v) == Some(true); n],
        Datum::Column(c) => match &*c {
            Column::Bool(v) if v.len() == n => v.iter().map(|b| *b == Some(true)).collect(),
            other if other.len() == n => (0..n)
                .map(|k| conversion::to_bool(&other.get(k)) == Some(true))
                .collect(),
            _ => return Ok(None),
        },
    };
    Ok(Some(DictMask {
        column: Arc::clone(col),
        mask,
    }))
}

/// True when `e` is a function of its row's values alone (no row position, neighbours or
/// randomness) and reads at most one column, recorded in `column` (`Some(None)` once a second
/// column is seen).
fn per_value(e: &Expr, column: &mut Option<Option<usize>>) -> bool {
    match &e.kind {
        ExprKind::Column(i) => {
            match column {
                None => *column = Some(Some(*i)),
                Some(Some(j)) if j == i => {}
                Some(_) => *column = Some(None),
            }
            true
        }
        ExprKind::Literal(_) => true,
        ExprKind::Call(f, args) => {
            !NOT_PER_VALUE.contains(&f.name) && args.iter().all(|a| per_value(a, column))
        }
        ExprKind::Path(b, _) | ExprKind::PathText(b, _) => per_value(b, column),
        ExprKind::Index(a, b) | ExprKind::And(a, b) | ExprKind::Or(a, b) => {
            per_value(a, column) && per_value(b, column)
        }
        ExprKind::RowNumber(_) | ExprKind::Shift(..) | ExprKind::Subquery(_) => false,
    }
}

/// `e` with column `from` read as column 0.
fn rebase(e: &Expr, from: usize) -> Expr {
    let b = |x: &Expr| Box::new(rebase(x, from));
    let kind = match &e.kind {
        ExprKind::Column(i) if *i == from => ExprKind::Column(0),
        ExprKind::Call(f, args) => {
            ExprKind::Call(f, args.iter().map(|a| rebase(a, from)).collect())
        }
        ExprKind::Path(base, steps) => ExprKind::Path(b(base), steps.clone()),
        ExprKind::PathText(base, steps) => ExprKind::PathText(b(base), steps.clone()),
        ExprKind::Index(x, y) => ExprKind::Index(b(x), b(y)),
        ExprKind::And(x, y) => ExprKind::And(b(x), b(y)),
        ExprKind::Or(x, y) => ExprKind::Or(b(x), b(y)),
        other => other.clone(),
    };
    Expr { kind, ty: e.ty }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exec::selection;
    use crate::functions::registry;

    fn f(name: &str) -> &'static crate::functions::ScalarFunction {
        match registry::scalar(name) {
            Some(f) => f,
            None => unreachable!("no function {name}"),
        }
    }

    fn call(name: &str, args: Vec<Expr>) -> Expr {
        let func = f(name);
        Expr {
            kind: ExprKind::Call(func, args),
            ty: DataType::Bool,
        }
    }

    fn lit(s: &str) -> Expr {
        Expr::literal(crate::value::Value::string(s), DataType::String)
    }

    /// xorshift: reproducible random test inputs.
    pub struct Rng(pub u64);

    impl Rng {
        pub fn next(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }
    }

    fn col(i: usize) -> Expr {
        Expr::column(i, DataType::String)
    }

    /// Random columns over a small alphabet (with unicode, case variants and `""`), random
    /// predicates; the mask's count and selection equal the general per-row evaluation.
    #[test]
    fn mask_agrees_with_row_evaluation() {
        let words = [
            "", "a", "A", "ab", "Ab", "é", "É", "straße", "STRASSE", "k", "\u{212a}",
        ];
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        let ctx = Context::new(0);
        for round in 0..400 {
            let rows = 1 + rng.next(60);
            let a: StrColumn = (0..rows).map(|_| words[rng.next(words.len())]).collect();
            let b: StrColumn = (0..rows).map(|_| words[rng.next(words.len())]).collect();
            let t = Table::new(
                vec![
                    Field::new("a", DataType::String),
                    Field::new("b", DataType::String),
                ],
                vec![Arc::new(Column::String(a)), Arc::new(Column::String(b))],
                rows,
            )
            .unwrap_or_default();
            let c = rng.next(2);
            let atom = |rng: &mut Rng| {
                let names = [
                    "__eq",
                    "__ne",
                    "__eq_ci",
                    "__contains",
                    "__has",
                    "__startswith",
                ];
                let name = names[rng.next(names.len())];
                call(name, vec![col(c), lit(words[rng.next(words.len())])])
            };
            let mut p = atom(&mut rng);
            for _ in 0..rng.next(4) {
                let q = atom(&mut rng);
                p = Expr {
                    kind: if rng.next(2) == 0 {
                        ExprKind::Or(Box::new(p), Box::new(q))
                    } else {
                        ExprKind::And(Box::new(p), Box::new(q))
                    },
                    ty: DataType::Bool,
                };
            }
            if rng.next(3) == 0 {
                let list = vec![
                    col(c),
                    lit(words[rng.next(words.len())]),
                    lit(words[rng.next(words.len())]),
                ];
                p = call(if rng.next(2) == 0 { "__in" } else { "__in_ci" }, list);
            }
            let want = match eval(&p, &t, &ctx) {
                Ok(d) => selection(&d, rows),
                Err(e) => unreachable!("{e}"),
            };
            let mask = match dict_mask(&p, &t, &ctx) {
                Ok(Some(m)) => m,
                other => unreachable!("round {round}: no mask: {other:?}"),
            };
            assert_eq!(mask.selection(), want, "round {round}: {p:?}");
            assert_eq!(mask.count(), want.len(), "round {round}: {p:?}");
        }
    }

    #[test]
    fn two_columns_or_row_functions_are_not_masked() {
        let a: StrColumn = ["x", "y", "x"].into_iter().collect();
        let t = Table::new(
            vec![
                Field::new("a", DataType::String),
                Field::new("b", DataType::String),
            ],
            vec![
                Arc::new(Column::String(a.clone())),
                Arc::new(Column::String(a)),
            ],
            3,
        )
        .unwrap_or_default();
        let ctx = Context::new(0);
        let both = call("__eq", vec![col(0), col(1)]);
        assert!(matches!(dict_mask(&both, &t, &ctx), Ok(None)));
        let shifted = Expr {
            kind: ExprKind::Shift(Box::new(col(0)), 1, Box::new(lit(""))),
            ty: DataType::String,
        };
        let p = call("__eq", vec![shifted, lit("x")]);
        assert!(matches!(dict_mask(&p, &t, &ctx), Ok(None)));
        let one = call("__eq", vec![col(0), lit("x")]);
        let m = dict_mask(&one, &t, &ctx).ok().flatten();
        assert_eq!(m.map(|m| (m.count(), m.selection())), Some((2, vec![0, 2])));
    }

    #[test]
    fn count_code_counts_across_chunks() {
        let codes: Vec<u32> = (0..200_000u32).map(|i| i % 3).collect();
        assert_eq!(count_code(&codes, 1), 66_667);
        assert_eq!(count_code(&codes, 7), 0);
        assert_eq!(count_code(&[], 0), 0);
    }
}
