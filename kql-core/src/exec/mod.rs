//! STAGE 3, plan → table. Operators work on whole columns; expressions are vectorized
//! (`eval.rs`). `exec` never sees the AST and never resolves a name.

pub mod aggregate;
pub mod dict_filter;
pub mod eval;
pub mod extract;
pub mod extract_filter;
pub mod join;
pub mod mv_expand;
pub mod parse;
pub mod parse_chain;
pub mod sort;
pub mod summarize;
pub mod text_test;

use crate::error::{Error, ErrorKind, Result};
use crate::functions::Context;
use crate::plan::{Node, OutputSlot, Plan};
use crate::store::{Column, Field, StrColumn, Table};
use crate::types::DataType;
use crate::value::Value;
use eval::{eval, Datum};
use std::sync::Arc;

/// Runs a plan.
pub fn execute(plan: &Plan, ctx: &Context) -> Result<Table> {
    let table = execute_node(&plan.root, ctx)?;
    // Rename to the planned names (nodes keep names only where they compute them).
    let (_, columns, rows) = table.into_parts();
    Table::new(plan.fields.clone(), columns, rows)
}

/// Runs one node and its inputs.
pub fn execute_node(node: &Node, ctx: &Context) -> Result<Table> {
    ctx.check_cancelled()?;
    let table = execute_one(node, ctx)?;
    // A kernel that reached a limit (a regex too big to compile) recorded it in the context.
    match ctx.take_failure() {
        Some(e) => Err(e),
        None => Ok(table),
    }
}

/// Runs one node and its inputs (without the check of [`Context::take_failure`]).
fn execute_one(node: &Node, ctx: &Context) -> Result<Table> {
    match node {
        Node::Scan(t) | Node::Values(t) => Ok((**t).clone()),
        Node::Range { from, to, step, ty } => range(from, to, step, *ty, ctx),
        Node::Filter { input, predicate } => {
            let t = execute_node(input, ctx)?;
            let keep = match extract_filter::extract_in_selection(predicate, &t, ctx) {
                Some(keep) => keep?,
                None => match dict_filter::dict_mask(predicate, &t, ctx)? {
                    Some(mask) => mask.selection(),
                    None => selection(&eval(predicate, &t, ctx)?, t.num_rows()),
                },
            };
            if keep.len() == t.num_rows() {
                return Ok(t);
            }
            Ok(t.gather(&keep))
        }
        Node::Project { input, exprs } => {
            let t = execute_node(input, ctx)?;
            let rows = t.num_rows();
            let mut fields = Vec::with_capacity(exprs.len());
            let mut columns = Vec::with_capacity(exprs.len());
            for (i, e) in exprs.iter().enumerate() {
                fields.push(Field::new(format!("c{i}"), e.ty));
                columns.push(eval(e, &t, ctx)?.into_column(e.ty, rows));
            }
            Table::new(fields, columns, rows)
        }
        Node::Summarize {
            input,
            keys,
            aggregates,
        } if keys.is_empty() && aggregates.iter().all(is_plain_count) => {
            // `… | count`: the rows are counted, never gathered.
            let n = count_rows(input, ctx)? as i64;
            let fields = (0..aggregates.len())
                .map(|i| Field::new(format!("c{i}"), DataType::Long))
                .collect();
            let columns = (0..aggregates.len())
                .map(|_| Arc::new(Column::Long(vec![Some(n)])))
                .collect();
            Table::new(fields, columns, 1)
        }
        Node::Summarize {
            input,
            keys,
            aggregates,
        } => summarize::summarize(&execute_node(input, ctx)?, keys, aggregates, ctx),
        Node::Parse { input, parse } => {
            let (base, steps) = parse_steps(input, parse);
            if let Some(done) = parse_chain::filter_then_parse(base, &steps, ctx) {
                return done;
            }
            let t = execute_node(base, ctx)?;
            if steps.len() > 1 {
                if let Some(done) = parse_chain::parse_chain(&t, &steps, ctx) {
                    return done;
                }
            }
            steps.iter().try_fold(t, |t, p| parse::parse(&t, p, ctx))
        }
        Node::Take { input, count } => {
            // `sort by … | take n` is `top n by …`: the sort selects its first n rows.
            if let Node::Sort {
                input: sorted,
                keys,
                limit,
            } = &**input
            {
                let n = limit.map_or(*count, |l| l.min(*count));
                return sort::sort(&execute_node(sorted, ctx)?, keys, Some(n), ctx);
            }
            let t = execute_node(input, ctx)?;
            if *count >= t.num_rows() {
                return Ok(t);
            }
            Ok(t.gather(&(0..*count).collect::<Vec<_>>()))
        }
        Node::Sort { input, keys, limit } => {
            sort::sort(&execute_node(input, ctx)?, keys, *limit, ctx)
        }
        Node::MvExpand {
            input,
            items,
            array_kind,
            with_index,
            limit,
        } => mv_expand::mv_expand(
            &execute_node(input, ctx)?,
            items,
            *array_kind,
            *with_index,
            *limit,
            ctx,
        ),
        Node::Join {
            left,
            right,
            kind,
            keys,
            right_columns,
        } => join::join(
            &execute_node(left, ctx)?,
            &execute_node(right, ctx)?,
            *kind,
            keys,
            right_columns,
            ctx,
        ),
        Node::Union {
            legs,
            source_column,
        } => union(legs, source_column.as_deref(), ctx),
        Node::GetSchema(input) => Ok(get_schema(&execute_node(input, ctx)?)),
        Node::Rename(input, fields) => {
            let (_, columns, rows) = execute_node(input, ctx)?.into_parts();
            Table::new(fields.clone(), columns, rows)
        }
    }
}

/// The `parse` operators stacked directly under and including `top` (reading `input`),
/// innermost first, and the node below the innermost.
fn parse_steps<'a>(
    input: &'a Node,
    top: &'a crate::plan::ParsePlan,
) -> (&'a Node, Vec<&'a crate::plan::ParsePlan>) {
    let mut steps = vec![top];
    let mut base = input;
    while let Node::Parse { input, parse } = base {
        steps.push(parse);
        base = input;
    }
    steps.reverse();
    (base, steps)
}

/// `count()` with no argument (what the `count` operator plans to).
fn is_plain_count(a: &crate::plan::Aggregate) -> bool {
    a.function.kind == crate::functions::registry::AggKind::Count && a.args.is_empty()
}

/// The number of rows `node` produces; a filter's rows are counted from its predicate.
fn count_rows(node: &Node, ctx: &Context) -> Result<usize> {
    match node {
        Node::Filter { input, predicate } => {
            let t = execute_node(input, ctx)?;
            if let Some(keep) = extract_filter::extract_in_selection(predicate, &t, ctx) {
                return Ok(keep?.len());
            }
            if let Some(mask) = dict_filter::dict_mask(predicate, &t, ctx)? {
                return Ok(mask.count());
            }
            let rows = t.num_rows();
            Ok(match eval(predicate, &t, ctx)? {
                Datum::Column(c) => match &*c {
                    Column::Bool(v) => v.iter().filter(|b| **b == Some(true)).count(),
                    _ => selection(&Datum::Column(Arc::clone(&c)), rows).len(),
                },
                scalar => selection(&scalar, rows).len(),
            })
        }
        Node::Project { input, .. } => count_rows(input, ctx),
        other => Ok(execute_node(other, ctx)?.num_rows()),
    }
}

/// Row indices where a predicate datum is true (null and false drop the row).
pub fn selection(predicate: &Datum, rows: usize) -> Vec<usize> {
    match predicate {
        Datum::Scalar(v) => match crate::functions::conversion::to_bool(v) {
            Some(true) => (0..rows).collect(),
            _ => Vec::new(),
        },
        Datum::Column(c) => match &**c {
            Column::Bool(v) => (0..rows).filter(|&r| v[r] == Some(true)).collect(),
            other => (0..rows)
                .filter(|&r| crate::functions::conversion::to_bool(&other.get(r)) == Some(true))
                .collect(),
        },
    }
}

/// Places computed columns: replacing input columns in place or appending them.
pub fn place_columns(
    input: &Table,
    computed: Vec<(Arc<Column>, OutputSlot)>,
    keep_rows: Option<&[usize]>,
) -> Result<Table> {
    let base = match keep_rows {
        Some(rows) => input.gather(rows),
        None => input.clone(),
    };
    let (mut fields, mut columns, rows) = base.into_parts();
    for (col, slot) in computed {
        let field = Field::new(format!("c{}", fields.len()), col.data_type());
        match slot {
            OutputSlot::Replace(i) => {
                fields[i] = field;
                columns[i] = col;
            }
            OutputSlot::Append => {
                fields.push(field);
                columns.push(col);
            }
            OutputSlot::Discard => {}
        }
    }
    Table::new(fields, columns, rows)
}

/// How many values `range` yields from `from` to `to` by `step` (0 when the step points away
/// from `to` or is zero), computed without enumerating them.
fn range_len_i64(from: i64, to: i64, step: i64) -> u128 {
    let span = i128::from(to) - i128::from(from);
    let step = i128::from(step);
    if step == 0 || (span != 0 && (span < 0) != (step < 0)) {
        return 0;
    }
    (span / step).unsigned_abs() + 1
}

/// [`range_len_i64`] for reals; non-finite bounds or steps count as no values.
fn range_len_f64(from: f64, to: f64, step: f64) -> u128 {
    let n = ((to - from) / step).floor();
    if !n.is_finite() || n < 0.0 {
        return 0;
    }
    // The float-to-int cast saturates, so a huge count stays huge.
    (n as u128).saturating_add(1)
}

fn range(from: &Value, to: &Value, step: &Value, ty: DataType, ctx: &Context) -> Result<Table> {
    let as_i64 = |v: &Value| -> Option<i64> {
        match v {
            Value::Long(i) | Value::DateTime(i) | Value::TimeSpan(i) => Some(*i),
            Value::Int(i) => Some(*i as i64),
            _ => None,
        }
    };
    let limits = ctx.limits();
    let mut values = Vec::new();
    if ty == DataType::Real {
        let (Some(a), Some(b), Some(s)) = (
            crate::functions::conversion::to_real(from),
            crate::functions::conversion::to_real(to),
            crate::functions::conversion::to_real(step),
        ) else {
            return Err(Error::new(ErrorKind::Type, "range bounds must be numbers"));
        };
        // Counted before any row is built, so a huge range fails at once.
        limits.check_intermediate("range", range_len_f64(a, b, s))?;
        let mut out = Vec::new();
        let mut x = a;
        while (s > 0.0 && x <= b) || (s < 0.0 && x >= b) {
            // Rounding can add a value past the count: the limit still holds.
            if out.len() >= limits.max_intermediate_rows {
                limits.check_intermediate("range", out.len() as u128 + 1)?;
            }
            if out.len() % (64 * 1024) == 0 {
                ctx.check_cancelled()?;
            }
            out.push(Some(x));
            x += s;
        }
        let n = out.len();
        return Table::new(
            vec![Field::new("c0", ty)],
            vec![Arc::new(Column::Real(out))],
            n,
        );
    }
    let (Some(a), Some(b), Some(s)) = (as_i64(from), as_i64(to), as_i64(step)) else {
        return Err(Error::new(
            ErrorKind::Type,
            "range bounds and step must be constants of one type",
        ));
    };
    let count = range_len_i64(a, b, s);
    limits.check_intermediate("range", count)?;
    // Reserved up to a point: a limit raised very high must not turn into one huge allocation.
    values.reserve(usize::try_from(count.min(1 << 20)).unwrap_or(0));
    let mut x = a;
    while (s > 0 && x <= b) || (s < 0 && x >= b) {
        if values.len() % (64 * 1024) == 0 {
            ctx.check_cancelled()?;
        }
        values.push(Some(x));
        let Some(next) = x.checked_add(s) else { break };
        x = next;
    }
    let n = values.len();
    let column = match ty {
        DataType::DateTime => Column::DateTime(values),
        DataType::TimeSpan => Column::TimeSpan(values),
        _ => Column::Long(values),
    };
    Table::new(
        vec![Field::new("c0", column.data_type())],
        vec![Arc::new(column)],
        n,
    )
}

fn union(
    legs: &[(Node, Vec<Option<usize>>)],
    source: Option<&[String]>,
    ctx: &Context,
) -> Result<Table> {
    let tables = legs
        .iter()
        .map(|(n, _)| execute_node(n, ctx))
        .collect::<Result<Vec<_>>>()?;
    let width = legs.first().map_or(0, |(_, m)| m.len());
    let rows: usize = tables.iter().map(Table::num_rows).sum();
    // The legs usually share their columns with the tables they read; the union copies them
    // (`union T, T, T, …` of a large table grows fast).
    ctx.limits()
        .check_intermediate("the union output", rows as u128)?;
    let mut fields = Vec::new();
    let mut columns = Vec::new();
    if let Some(names) = source {
        let col: StrColumn = tables
            .iter()
            .zip(names)
            .flat_map(|(t, n)| std::iter::repeat_n(n.as_str(), t.num_rows()))
            .collect();
        fields.push(Field::new("c_source", DataType::String));
        columns.push(Arc::new(Column::String(col)));
    }
    for out in 0..width {
        // The output type is the first leg's type that provides the column.
        let ty = legs
            .iter()
            .zip(&tables)
            .find_map(|((_, m), t)| m[out].map(|i| t.fields()[i].ty))
            .unwrap_or(DataType::String);
        let parts: Vec<Column> = legs
            .iter()
            .zip(&tables)
            .map(|((_, m), t)| match m[out] {
                Some(i) => (**t.column(i)).clone(),
                None => Column::nulls(ty, t.num_rows()),
            })
            .collect();
        let refs: Vec<&Column> = parts.iter().collect();
        fields.push(Field::new(format!("c{out}"), ty));
        columns.push(Arc::new(Column::concat(ty, &refs)));
    }
    Table::new(fields, columns, rows)
}

fn get_schema(t: &Table) -> Table {
    let names: StrColumn = t.fields().iter().map(|f| f.name.as_str()).collect();
    let ordinals = (0..t.num_columns()).map(|i| Some(i as i32)).collect();
    let types: StrColumn = t
        .fields()
        .iter()
        .map(|f| format!("System.{}", dotnet_type(f.ty)))
        .collect();
    let kql: StrColumn = t.fields().iter().map(|f| f.ty.name()).collect();
    let n = t.num_columns();
    Table::new(
        vec![
            Field::new("ColumnName", DataType::String),
            Field::new("ColumnOrdinal", DataType::Int),
            Field::new("DataType", DataType::String),
            Field::new("ColumnType", DataType::String),
        ],
        vec![
            Arc::new(Column::String(names)),
            Arc::new(Column::Int(ordinals)),
            Arc::new(Column::String(types)),
            Arc::new(Column::String(kql)),
        ],
        n,
    )
    .unwrap_or_default()
}

fn dotnet_type(ty: DataType) -> &'static str {
    match ty {
        DataType::Bool => "Boolean",
        DataType::Int => "Int32",
        DataType::Long => "Int64",
        DataType::Real => "Double",
        DataType::Decimal => "Data.SqlTypes.SqlDecimal",
        DataType::String => "String",
        DataType::DateTime => "DateTime",
        DataType::TimeSpan => "TimeSpan",
        DataType::Guid => "Guid",
        DataType::Dynamic => "Object",
    }
}
