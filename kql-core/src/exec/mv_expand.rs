//! `mv-expand`: one row per array element (or bag slot), several columns zipped
//! (semantics reference §5.12).

use super::eval::eval;
use crate::error::Result;
use crate::functions::{conversion, Context};
use crate::plan::{Expr, OutputSlot};
use crate::store::{Column, ColumnBuilder, Field, Table};
use crate::types::DataType;
use crate::value::{Json, Value};
use std::sync::Arc;

fn elements(v: &Value, array_kind: bool) -> Vec<Json> {
    match v {
        Value::Null => vec![Json::Null],
        Value::Dynamic(j) => match &**j {
            Json::Array(items) => items.clone(),
            Json::Object(map) => map
                .iter()
                .map(|(k, v)| {
                    if array_kind {
                        Json::Array(vec![Json::String(k.clone()), v.clone()])
                    } else {
                        let mut m = serde_json::Map::new();
                        m.insert(k.clone(), v.clone());
                        Json::Object(m)
                    }
                })
                .collect(),
            // A scalar is one row with itself ([REC]).
            other => vec![other.clone()],
        },
        other => vec![conversion::value_to_json(other)],
    }
}

/// How many rows [`elements`] makes of `v`, without building them.
fn element_count(v: &Value) -> usize {
    match v {
        Value::Dynamic(j) => match &**j {
            Json::Array(items) => items.len(),
            Json::Object(map) => map.len(),
            _ => 1,
        },
        _ => 1,
    }
}

/// Expands `items` of `t`. The output rows are counted first, so an expansion past
/// [`crate::Limits::max_intermediate_rows`] fails before its rows are built.
pub fn mv_expand(
    t: &Table,
    items: &[(Expr, OutputSlot, DataType)],
    array_kind: bool,
    with_index: bool,
    limit: usize,
    ctx: &Context,
) -> Result<Table> {
    let rows = t.num_rows();
    let values = items
        .iter()
        .map(|(e, _, _)| Ok(eval(e, t, ctx)?.into_column(e.ty, rows)))
        .collect::<Result<Vec<_>>>()?;
    let mut out_rows: u128 = 0;
    for row in 0..rows {
        let n = values
            .iter()
            .map(|c| element_count(&c.get(row)))
            .max()
            .unwrap_or(0)
            .min(limit);
        out_rows += n as u128;
    }
    ctx.limits()
        .check_intermediate("the mv-expand output", out_rows)?;
    let mut source_rows = Vec::new();
    let mut index = Vec::new();
    let mut expanded: Vec<Vec<Json>> = vec![Vec::new(); items.len()];
    for row in 0..rows {
        let lists: Vec<Vec<Json>> = values
            .iter()
            .map(|c| elements(&c.get(row), array_kind))
            .collect();
        let n = lists.iter().map(Vec::len).max().unwrap_or(0).min(limit);
        for i in 0..n {
            source_rows.push(row);
            index.push(Some(i as i64));
            for (out, list) in expanded.iter_mut().zip(&lists) {
                out.push(list.get(i).cloned().unwrap_or(Json::Null));
            }
        }
    }
    let base = t.gather(&source_rows);
    let (mut fields, mut columns, n) = base.into_parts();
    for ((_, slot, ty), vals) in items.iter().zip(expanded) {
        let mut b = ColumnBuilder::new(*ty, n);
        for j in vals {
            let v = Value::dynamic(j);
            if *ty == DataType::Dynamic {
                b.push(&v);
            } else {
                b.push(&conversion::convert(&v, *ty));
            }
        }
        let col = Arc::new(b.finish());
        let field = Field::new("c", *ty);
        match slot {
            OutputSlot::Replace(i) => {
                fields[*i] = field;
                columns[*i] = col;
            }
            OutputSlot::Append => {
                fields.push(field);
                columns.push(col);
            }
            OutputSlot::Discard => {}
        }
    }
    if with_index {
        fields.push(Field::new("c_index", DataType::Long));
        columns.push(Arc::new(Column::Long(index)));
    }
    Table::new(fields, columns, n)
}
