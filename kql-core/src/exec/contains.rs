//! `s contains "literal"` over a string column: the literal is compiled once
//! ([`FoldLiteral`]: searched by its rarest byte, compared a word at a time) and each distinct
//! value (or each row, when values hardly repeat) is searched with it, without a `Value` per
//! value. `contains` ignores ASCII case only, as `operators::contains_ci` does, and an empty
//! literal is left to the general kernel.

use super::eval::Datum;
use crate::error::Result;
use crate::functions::Context;
use crate::search::FoldLiteral;
use crate::store::{Column, StrColumn};
use crate::value::Value;
use std::sync::Arc;

/// Rows (or distinct values) between two looks at the cancel flag.
const CANCEL_CHECK_EVERY: usize = 16 * 1024;

/// `column contains "literal"` when the arguments have that shape; `None` otherwise (the
/// general kernel then runs).
pub fn contains_column(args: &[Datum], rows: usize, ctx: &Context) -> Option<Result<Datum>> {
    let [Datum::Column(c), Datum::Scalar(Value::String(needle))] = args else {
        return None;
    };
    let Column::String(s) = &**c else {
        return None;
    };
    let literal = FoldLiteral::ignoring_ascii_case(needle)?;
    Some(run(&literal, s, rows, ctx).map(|found| Datum::Column(Arc::new(Column::Bool(found)))))
}

fn run(
    literal: &FoldLiteral,
    s: &StrColumn,
    rows: usize,
    ctx: &Context,
) -> Result<Vec<Option<bool>>> {
    let holds = |text: &str| literal.find(text.as_bytes(), 0).is_some();
    if s.dict.len() <= rows {
        let mut per_code = Vec::with_capacity(s.dict.len());
        for (i, text) in s.dict.iter().enumerate() {
            if i % CANCEL_CHECK_EVERY == 0 {
                ctx.check_cancelled()?;
            }
            per_code.push(holds(text));
        }
        return Ok(s
            .codes
            .iter()
            .map(|&c| Some(per_code.get(c as usize).copied().unwrap_or(false)))
            .collect());
    }
    let mut out = Vec::with_capacity(rows);
    s.for_each_warmed(|row, text| {
        if row % CANCEL_CHECK_EVERY == 0 {
            ctx.check_cancelled()?;
        }
        out.push(Some(holds(text)));
        Ok::<(), crate::Error>(())
    })?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::functions::operators::contains_ci;

    /// The kernel against the scalar `contains` on each row, over a column of repeated values
    /// (read per distinct value) and one of distinct values (read per row).
    #[test]
    fn agrees_with_the_scalar_contains() {
        let ctx = Context::new(0);
        let texts = [
            "/subscriptions/s/providers/Microsoft.Compute/virtualMachines/vm-1",
            "VIRTUALMACHINES/VM-2",
            "virtualmachines/vm",
            "",
            "é/virtualMachines/vm-é",
        ];
        for needle in ["virtualmachines/vm-", "VM", "é", "/", "x"] {
            let repeated: StrColumn = texts.iter().cycle().take(20).copied().collect();
            let distinct: StrColumn = (0..20).map(|i| format!("{}{i}", texts[i % 5])).collect();
            for s in [repeated, distinct] {
                let rows = s.len();
                let want: Vec<Option<bool>> =
                    s.iter().map(|t| Some(contains_ci(t, needle))).collect();
                let args = [
                    Datum::Column(Arc::new(Column::String(s))),
                    Datum::Scalar(Value::string(needle)),
                ];
                let got = match contains_column(&args, rows, &ctx) {
                    Some(Ok(Datum::Column(c))) => match &*c {
                        Column::Bool(v) => v.clone(),
                        _ => Vec::new(),
                    },
                    _ => Vec::new(),
                };
                assert_eq!(got, want, "{needle}");
            }
        }
        // An empty literal is left to the general kernel.
        let s: StrColumn = ["a"].into_iter().collect();
        let args = [
            Datum::Column(Arc::new(Column::String(s))),
            Datum::Scalar(Value::string("")),
        ];
        assert!(contains_column(&args, 1, &ctx).is_none());
    }
}
