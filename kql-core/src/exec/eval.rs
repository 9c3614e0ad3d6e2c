//! Vectorized expression evaluation: an expression over a table gives a column, or a scalar
//! when it does not depend on any column (`Datum`), so literals are never expanded for nothing.

use crate::error::Result;
use crate::functions::{conversion, Context, ScalarFunction};
use crate::plan::{Expr, ExprKind, PathStep};
use crate::store::{Column, ColumnBuilder, StrBuilder, StrColumn, Table};
use crate::types::DataType;
use crate::value::{Json, Value};
use std::sync::Arc;

/// The result of evaluating an expression: a whole column or one value for every row.
#[derive(Debug, Clone)]
pub enum Datum {
    /// One value per row.
    Column(Arc<Column>),
    /// The same value for every row.
    Scalar(Value),
}

impl Datum {
    /// The value at `row`.
    pub fn get(&self, row: usize) -> Value {
        match self {
            Datum::Column(c) => c.get(row),
            Datum::Scalar(v) => v.clone(),
        }
    }

    /// A column of `rows` rows of type `ty` (scalars are repeated).
    pub fn into_column(self, ty: DataType, rows: usize) -> Arc<Column> {
        match self {
            Datum::Column(c) if c.data_type() == ty => c,
            Datum::Column(c) => {
                let mut b = ColumnBuilder::new(ty, rows);
                for row in 0..c.len() {
                    b.push(&c.get(row));
                }
                Arc::new(b.finish())
            }
            Datum::Scalar(v) => Arc::new(Column::repeat(&v, ty, rows)),
        }
    }
}

/// Evaluates `expr` over the rows of `table`.
pub fn eval(expr: &Expr, table: &Table, ctx: &Context) -> Result<Datum> {
    let rows = table.num_rows();
    Ok(match &expr.kind {
        ExprKind::Column(i) => Datum::Column(Arc::clone(table.column(*i))),
        ExprKind::Literal(v) => Datum::Scalar(v.clone()),
        ExprKind::Call(f, args) => {
            let args = args
                .iter()
                .map(|a| eval(a, table, ctx))
                .collect::<Result<Vec<_>>>()?;
            call(f, &args, expr.ty, rows, ctx)?
        }
        ExprKind::Path(base, steps) => match eval(base, table, ctx)? {
            Datum::Scalar(v) => Datum::Scalar(path_value(&v, steps)),
            Datum::Column(c) => Datum::Column(Arc::new(path_column(&c, steps))),
        },
        ExprKind::PathText(base, steps) => match eval(base, table, ctx)? {
            Datum::Scalar(v) => Datum::Scalar(Value::string(path_text_value(&v, steps))),
            Datum::Column(c) => Datum::Column(Arc::new(path_text_column(&c, steps))),
        },
        ExprKind::Index(base, index) => {
            let base = eval(base, table, ctx)?;
            let index = eval(index, table, ctx)?;
            if let (Datum::Scalar(b), Datum::Scalar(i)) = (&base, &index) {
                return Ok(Datum::Scalar(index_value(b, i)));
            }
            let mut out = Vec::with_capacity(rows);
            for row in 0..rows {
                out.push(dynamic_cell(index_value(&base.get(row), &index.get(row))));
            }
            Datum::Column(Arc::new(Column::Dynamic(out.into())))
        }
        ExprKind::And(a, b) => logic(eval(a, table, ctx)?, eval(b, table, ctx)?, rows, true),
        ExprKind::Or(a, b) => logic(eval(a, table, ctx)?, eval(b, table, ctx)?, rows, false),
        ExprKind::RowNumber(start) => Datum::Column(Arc::new(Column::Long(
            (0..rows as i64).map(|i| Some(start + i)).collect(),
        ))),
        ExprKind::Shift(inner, offset, default) => {
            let values = eval(inner, table, ctx)?.into_column(inner.ty, rows);
            let default = eval(default, table, ctx)?;
            let mut out = ColumnBuilder::new(expr.ty, rows);
            for row in 0..rows {
                let from = row as i64 - offset;
                if from >= 0 && (from as usize) < rows {
                    out.push(&values.get(from as usize));
                } else {
                    out.push(&default.get(row));
                }
            }
            Datum::Column(Arc::new(out.finish()))
        }
        ExprKind::Subquery(node) => {
            let t = super::execute_node(node, ctx)?;
            let items = if t.num_columns() == 0 {
                Vec::new()
            } else {
                let c = t.column(0);
                (0..t.num_rows())
                    .map(|r| conversion::value_to_json(&c.get(r)))
                    .collect()
            };
            Datum::Scalar(Value::Dynamic(Arc::new(Json::Array(items))))
        }
    })
}

/// Evaluates an expression that refers to no column (constant folding for `datatable`,
/// `range`, `take`).
pub fn eval_constant(expr: &Expr, ctx: &Context) -> Result<Value> {
    let one_row = Table::new(vec![], vec![], 1)?;
    Ok(match eval(expr, &one_row, ctx)? {
        Datum::Scalar(v) => v,
        Datum::Column(c) => c.get(0),
    })
}

fn dynamic_cell(v: Value) -> Option<Arc<Json>> {
    match v {
        Value::Dynamic(j) => Some(j),
        Value::Null => None,
        other => match conversion::value_to_json(&other) {
            Json::Null => None,
            j => Some(Arc::new(j)),
        },
    }
}

/// Calls a row kernel over datums. All-scalar arguments give a scalar. When the only column
/// argument is a dictionary string column, the kernel runs once per distinct value.
/// Rows (or distinct values) between two looks at the cancel flag in a kernel loop.
const CANCEL_CHECK_EVERY: usize = 16 * 1024;

fn call(
    f: &ScalarFunction,
    args: &[Datum],
    ty: DataType,
    rows: usize,
    ctx: &Context,
) -> Result<Datum> {
    let columns: Vec<usize> = (0..args.len())
        .filter(|&i| matches!(args[i], Datum::Column(_)))
        .collect();
    let mut values: Vec<Value> = args
        .iter()
        .map(|a| match a {
            Datum::Scalar(v) => v.clone(),
            Datum::Column(_) => Value::Null,
        })
        .collect();
    if columns.is_empty() {
        return Ok(Datum::Scalar(conform((f.kernel)(&values, ctx), ty)));
    }
    if f.name == "extract" && ty == DataType::String {
        if let Some(done) = super::extract::extract_column(args, rows, ctx) {
            return done;
        }
    }
    if let Some(done) = super::text_test::text_test_column(f, args, ctx) {
        return done;
    }
    if let [only] = columns[..] {
        if let Datum::Column(c) = &args[only] {
            if let Column::String(s) = &**c {
                if s.dict.len() <= rows {
                    return Ok(Datum::Column(Arc::new(call_per_distinct(
                        f,
                        &mut values,
                        only,
                        s,
                        ty,
                        ctx,
                    )?)));
                }
            }
        }
    }
    // Per string column argument with at most one distinct value per two rows: each value is
    // made a `Value` on its first use and shared by the rows that hold it (a cell read as a
    // value copies its text out of the dictionary). A column of mostly distinct values is
    // read row by row: a cache would only cost memory.
    let mut shared: Vec<Option<Vec<Option<Value>>>> = args
        .iter()
        .map(|a| match a {
            Datum::Column(c) => match &**c {
                Column::String(s) if s.dict.len().saturating_mul(2) <= rows => {
                    Some(vec![None; s.dict.len()])
                }
                _ => None,
            },
            Datum::Scalar(_) => None,
        })
        .collect();
    let mut out = ColumnBuilder::new(ty, rows);
    for row in 0..rows {
        if row % CANCEL_CHECK_EVERY == 0 {
            ctx.check_cancelled()?;
        }
        for &i in &columns {
            if let Datum::Column(c) = &args[i] {
                values[i] = match (&**c, shared.get_mut(i).and_then(Option::as_mut)) {
                    (Column::String(s), Some(cache)) => {
                        let code = s.codes.get(row).map_or(usize::MAX, |&c| c as usize);
                        match cache.get_mut(code) {
                            Some(slot) => slot
                                .get_or_insert_with(|| Value::string(s.dict.get(code)))
                                .clone(),
                            None => c.get(row),
                        }
                    }
                    _ => c.get(row),
                };
            }
        }
        out.push(&(f.kernel)(&values, ctx));
    }
    Ok(Datum::Column(Arc::new(out.finish())))
}

fn call_per_distinct(
    f: &ScalarFunction,
    values: &mut [Value],
    at: usize,
    s: &StrColumn,
    ty: DataType,
    ctx: &Context,
) -> Result<Column> {
    let mut per_code: Vec<Value> = Vec::with_capacity(s.dict.len());
    for (i, d) in s.dict.iter().enumerate() {
        if i % CANCEL_CHECK_EVERY == 0 {
            ctx.check_cancelled()?;
        }
        values[at] = Value::string(d);
        per_code.push(conform((f.kernel)(values, ctx), ty));
    }
    Ok(match ty {
        DataType::String => {
            // Re-intern the results once per distinct input, then map the codes.
            let mut b = StrBuilder::new();
            for v in &per_code {
                match v {
                    Value::String(text) => b.push(text),
                    other => b.push(&conversion::to_string(other)),
                }
            }
            let mapped = b.finish();
            StrColumn {
                codes: s.codes.iter().map(|&c| mapped.codes[c as usize]).collect(),
                dict: mapped.dict,
            }
            .into()
        }
        DataType::Bool => Column::Bool(
            s.codes
                .iter()
                .map(|&c| match per_code[c as usize] {
                    Value::Bool(b) => Some(b),
                    _ => None,
                })
                .collect(),
        ),
        _ => {
            let mut b = ColumnBuilder::new(ty, s.len());
            for &c in &s.codes {
                b.push(&per_code[c as usize]);
            }
            b.finish()
        }
    })
}

impl From<StrColumn> for Column {
    fn from(s: StrColumn) -> Column {
        Column::String(s)
    }
}

/// Converts a kernel's result to the declared type when it differs.
fn conform(v: Value, ty: DataType) -> Value {
    match (&v, ty) {
        (Value::Null, DataType::String) => Value::string(""),
        (Value::Null, _) => v,
        (Value::Int(i), DataType::Long) => Value::Long(*i as i64),
        _ if v.data_type() == Some(ty) => v,
        _ => conversion::convert(&v, ty),
    }
}

/// Three-valued `and` / `or`: `false and null` is false, `true or null` is true.
fn logic(a: Datum, b: Datum, rows: usize, is_and: bool) -> Datum {
    let get = |d: &Datum, row: usize| -> Option<bool> {
        match d {
            Datum::Scalar(v) => conversion::to_bool(v),
            Datum::Column(c) => match &**c {
                Column::Bool(v) => v[row],
                other => conversion::to_bool(&other.get(row)),
            },
        }
    };
    let combine = |x: Option<bool>, y: Option<bool>| -> Option<bool> {
        match (x, y, is_and) {
            (Some(false), _, true) | (_, Some(false), true) => Some(false),
            (Some(true), Some(true), true) => Some(true),
            (Some(true), _, false) | (_, Some(true), false) => Some(true),
            (Some(false), Some(false), false) => Some(false),
            _ => None,
        }
    };
    if let (Datum::Scalar(_), Datum::Scalar(_)) = (&a, &b) {
        return Datum::Scalar(combine(get(&a, 0), get(&b, 0)).map_or(Value::Null, Value::Bool));
    }
    let out = (0..rows).map(|r| combine(get(&a, r), get(&b, r))).collect();
    Datum::Column(Arc::new(Column::Bool(out)))
}

pub use crate::store::dynamic::walk;

fn path_value(v: &Value, steps: &[PathStep]) -> Value {
    match v {
        Value::Dynamic(j) => walk(j, steps).map_or(Value::Null, |j| Value::dynamic(j.clone())),
        _ => Value::Null,
    }
}

fn path_column(c: &Column, steps: &[PathStep]) -> Column {
    match c {
        Column::Dynamic(cells) => Column::Dynamic(cells.path_values(steps)),
        other => Column::nulls(DataType::Dynamic, other.len()),
    }
}

fn path_text_value(v: &Value, steps: &[PathStep]) -> String {
    match v {
        Value::Dynamic(j) => walk(j, steps).map_or_else(String::new, conversion::json_to_string),
        _ => String::new(),
    }
}

/// `tostring(path)` over a dynamic column: a dictionary-encoded column built from the loaded
/// values once and gathered (see `store::dynamic`).
fn path_text_column(c: &Column, steps: &[PathStep]) -> Column {
    match c {
        Column::Dynamic(d) => Column::String(d.path_text(steps)),
        other => Column::String(StrColumn::repeat("", other.len())),
    }
}

fn index_value(base: &Value, index: &Value) -> Value {
    let step = match index {
        Value::String(k) => PathStep::Key(k.to_string()),
        Value::Long(i) => PathStep::Index(*i),
        Value::Int(i) => PathStep::Index(*i as i64),
        Value::Dynamic(j) => match &**j {
            Json::String(k) => PathStep::Key(k.clone()),
            Json::Number(n) => match n.as_i64() {
                Some(i) => PathStep::Index(i),
                None => return Value::Null,
            },
            _ => return Value::Null,
        },
        _ => return Value::Null,
    };
    path_value(base, &[step])
}
