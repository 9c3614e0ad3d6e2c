//! `parse` / `parse-where`: runs the compiled pattern once per distinct input string and
//! converts the captures to their declared types (semantics reference §5.6).

use super::eval::eval;
use super::place_columns;
use crate::error::Result;
use crate::functions::{conversion, Context};
use crate::plan::ParsePlan;
use crate::store::{Column, ColumnBuilder, Table};
use crate::types::DataType;
use crate::value::Value;
use std::collections::HashMap;
use std::sync::Arc;

/// Applies `p` to every row of `t`.
pub fn parse(t: &Table, p: &ParsePlan, ctx: &Context) -> Result<Table> {
    let rows = t.num_rows();
    let source = eval(&p.source, t, ctx)?.into_column(DataType::String, rows);
    let Column::String(s) = &*source else {
        return Err(crate::Error::internal(
            "parse source is not a string column",
        ));
    };
    // Results per dictionary code, computed lazily so unused dictionary entries cost nothing.
    let mut per_code: HashMap<u32, Option<Vec<Value>>> = HashMap::new();
    let mut builders: Vec<ColumnBuilder> = p
        .outputs
        .iter()
        .map(|(ty, _)| ColumnBuilder::new(*ty, rows))
        .collect();
    let mut keep = Vec::with_capacity(rows);
    for (row, &code) in s.codes.iter().enumerate() {
        let result = per_code
            .entry(code)
            .or_insert_with(|| match_one(p, &s.dict[code as usize]));
        match result {
            Some(values) => {
                keep.push(row);
                for (b, v) in builders.iter_mut().zip(values.iter()) {
                    b.push(v);
                }
            }
            None if p.drop_unmatched => {}
            None => builders.iter_mut().for_each(ColumnBuilder::push_null),
        }
    }
    let computed = builders
        .into_iter()
        .zip(&p.outputs)
        .map(|(b, (_, slot))| (Arc::new(b.finish()), *slot))
        .collect();
    let kept = p.drop_unmatched.then_some(keep.as_slice());
    place_columns(t, computed, kept)
}

/// The typed captures of one input, or `None` when the row fails (no match, or a failed
/// conversion outside relaxed mode).
fn match_one(p: &ParsePlan, text: &str) -> Option<Vec<Value>> {
    let caps = p.regex.captures(text)?;
    let mut out = Vec::with_capacity(p.outputs.len());
    for (i, (ty, _)) in p.outputs.iter().enumerate() {
        let raw = caps
            .name(&format!("{}{i}", crate::analyze::PARSE_GROUP))
            .map_or("", |m| m.as_str());
        let v = if *ty == DataType::String {
            Value::string(raw)
        } else {
            conversion::convert(&Value::string(raw), *ty)
        };
        if v.is_null() && !p.relaxed {
            return None;
        }
        out.push(v);
    }
    Some(out)
}
