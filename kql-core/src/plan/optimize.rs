//! Plan rewrites that keep results and save work. Column pruning: each operator receives only
//! the columns something above it reads, so a filter over a wide table gathers just those
//! (`T | where type == "x" | count` touches the `type` column alone). Filters over a
//! projection that computes what they test move below it (`pushdown.rs`).

use super::{Expr, ExprKind, Node, OutputSlot, Plan};
use crate::error::{Error, Result};
use std::collections::BTreeSet;

/// Where each column of a node's original output is in its pruned output (`None`: dropped).
type ColumnMap = Vec<Option<usize>>;

/// Prunes columns nobody reads.
pub fn optimize(plan: Plan) -> Result<Plan> {
    let width = plan.fields.len();
    let all: BTreeSet<usize> = (0..width).collect();
    let (root, map) = prune(plan.root, &all)?;
    let identity = map.iter().enumerate().all(|(i, m)| *m == Some(i)) && map.len() == width;
    let root = if identity {
        root
    } else {
        let exprs = plan
            .fields
            .iter()
            .enumerate()
            .map(|(i, f)| Ok(Expr::column(target(&map, i)?, f.ty)))
            .collect::<Result<Vec<_>>>()?;
        Node::Project {
            input: Box::new(root),
            exprs,
        }
    };
    Ok(Plan {
        root,
        fields: plan.fields,
    })
}

fn target(map: &ColumnMap, i: usize) -> Result<usize> {
    map.get(i)
        .copied()
        .flatten()
        .ok_or_else(|| Error::internal(format!("column pruning dropped column {i} that is read")))
}

/// The number of columns a node outputs.
pub fn width(node: &Node) -> usize {
    match node {
        Node::Scan(t) | Node::Values(t) => t.num_columns(),
        Node::Range { .. } => 1,
        Node::Project { exprs, .. } => exprs.len(),
        Node::Filter { input, .. } | Node::Take { input, .. } | Node::Sort { input, .. } => {
            width(input)
        }
        Node::Rename(input, _) => width(input),
        Node::Summarize {
            keys, aggregates, ..
        } => {
            keys.len()
                + aggregates
                    .iter()
                    .map(|a| {
                        if a.function.kind.selects_row() {
                            a.args.len()
                        } else {
                            1
                        }
                    })
                    .sum::<usize>()
        }
        Node::Parse { input, parse } => {
            width(input)
                + parse
                    .outputs
                    .iter()
                    .filter(|(_, s)| *s == OutputSlot::Append)
                    .count()
        }
        Node::MvExpand {
            input,
            items,
            with_index,
            ..
        } => {
            width(input)
                + items
                    .iter()
                    .filter(|(_, s, _)| *s == OutputSlot::Append)
                    .count()
                + usize::from(*with_index)
        }
        Node::Join {
            left,
            right,
            kind,
            right_columns,
            ..
        } => {
            use super::JoinKind::*;
            match kind {
                LeftSemi | LeftAnti => width(left),
                RightSemi | RightAnti => width(right),
                _ => width(left) + right_columns.len(),
            }
        }
        Node::Union {
            legs,
            source_column,
        } => legs.first().map_or(0, |(_, m)| m.len()) + usize::from(source_column.is_some()),
        Node::GetSchema(_) => 4,
    }
}

fn columns_read(e: &Expr, out: &mut BTreeSet<usize>) {
    e.for_each_column_read(&mut |i| {
        out.insert(i);
    });
}

fn remap(e: Expr, map: &ColumnMap) -> Result<Expr> {
    let b = |x: Box<Expr>| -> Result<Box<Expr>> { Ok(Box::new(remap(*x, map)?)) };
    let kind = match e.kind {
        ExprKind::Column(i) => ExprKind::Column(target(map, i)?),
        k @ (ExprKind::Literal(_) | ExprKind::Subquery(_) | ExprKind::RowNumber(_)) => k,
        ExprKind::Call(f, args) => ExprKind::Call(
            f,
            args.into_iter()
                .map(|a| remap(a, map))
                .collect::<Result<_>>()?,
        ),
        ExprKind::Path(base, steps) => ExprKind::Path(b(base)?, steps),
        ExprKind::PathText(base, steps) => ExprKind::PathText(b(base)?, steps),
        ExprKind::Index(x, y) => ExprKind::Index(b(x)?, b(y)?),
        ExprKind::And(x, y) => ExprKind::And(b(x)?, b(y)?),
        ExprKind::Or(x, y) => ExprKind::Or(b(x)?, b(y)?),
        ExprKind::Shift(x, n, d) => ExprKind::Shift(b(x)?, n, b(d)?),
    };
    Ok(Expr { kind, ty: e.ty })
}

fn identity(n: usize) -> ColumnMap {
    (0..n).map(Some).collect()
}

/// Rewrites `node` to output at least the `required` columns; returns the new node and where
/// each original output column went.
fn prune(node: Node, required: &BTreeSet<usize>) -> Result<(Node, ColumnMap)> {
    let w = width(&node);
    match node {
        Node::Scan(_) | Node::Values(_) if required.len() < w => {
            let fields: Vec<_> = match &node {
                Node::Scan(t) | Node::Values(t) => t.fields().iter().map(|f| f.ty).collect(),
                _ => Vec::new(),
            };
            let mut map = vec![None; w];
            let mut exprs = Vec::new();
            for (pos, &i) in required.iter().filter(|&&i| i < w).enumerate() {
                map[i] = Some(pos);
                exprs.push(Expr::column(i, fields[i]));
            }
            Ok((
                Node::Project {
                    input: Box::new(node),
                    exprs,
                },
                map,
            ))
        }
        Node::Filter { input, predicate } => {
            // A filter reading a column its input projection computes runs below it when that
            // keeps results (see `pushdown`); the projection is then pruned as usual.
            let input = match *input {
                Node::Project { input, exprs } => {
                    match super::pushdown::below_project(&predicate, &exprs, required) {
                        Some(predicate) => {
                            let moved = Node::Project {
                                input: Box::new(Node::Filter { input, predicate }),
                                exprs,
                            };
                            return prune(moved, required);
                        }
                        None => Box::new(Node::Project { input, exprs }),
                    }
                }
                other => Box::new(other),
            };
            let mut need = required.clone();
            columns_read(&predicate, &mut need);
            let (input, map) = prune(*input, &need)?;
            let predicate = remap(predicate, &map)?;
            Ok((
                Node::Filter {
                    input: Box::new(input),
                    predicate,
                },
                map,
            ))
        }
        Node::Take { input, count } => {
            let (input, map) = prune(*input, required)?;
            Ok((
                Node::Take {
                    input: Box::new(input),
                    count,
                },
                map,
            ))
        }
        Node::Sort { input, keys, limit } => {
            let mut need = required.clone();
            keys.iter().for_each(|k| columns_read(&k.expr, &mut need));
            let (input, map) = prune(*input, &need)?;
            let keys = keys
                .into_iter()
                .map(|k| {
                    Ok(super::SortKey {
                        expr: remap(k.expr, &map)?,
                        ..k
                    })
                })
                .collect::<Result<_>>()?;
            Ok((
                Node::Sort {
                    input: Box::new(input),
                    keys,
                    limit,
                },
                map,
            ))
        }
        Node::Project { input, exprs } => {
            let keep: Vec<usize> = required
                .iter()
                .copied()
                .filter(|&i| i < exprs.len())
                .collect();
            let mut need = BTreeSet::new();
            keep.iter()
                .for_each(|&i| columns_read(&exprs[i], &mut need));
            let (input, inner) = prune(*input, &need)?;
            let mut map = vec![None; exprs.len()];
            let mut kept = Vec::with_capacity(keep.len());
            for (pos, (i, e)) in exprs
                .into_iter()
                .enumerate()
                .filter(|(i, _)| keep.contains(i))
                .enumerate()
            {
                map[i] = Some(pos);
                kept.push(remap(e, &inner)?);
            }
            Ok((
                Node::Project {
                    input: Box::new(input),
                    exprs: kept,
                },
                map,
            ))
        }
        Node::Summarize {
            input,
            keys,
            aggregates,
        } => {
            let mut need = BTreeSet::new();
            keys.iter().for_each(|k| columns_read(k, &mut need));
            aggregates
                .iter()
                .flat_map(|a| &a.args)
                .for_each(|e| columns_read(e, &mut need));
            let (input, inner) = prune(*input, &need)?;
            let keys = keys
                .into_iter()
                .map(|k| remap(k, &inner))
                .collect::<Result<_>>()?;
            let aggregates = aggregates
                .into_iter()
                .map(|a| {
                    let args = a
                        .args
                        .into_iter()
                        .map(|e| remap(e, &inner))
                        .collect::<Result<_>>()?;
                    Ok(super::Aggregate { args, ..a })
                })
                .collect::<Result<_>>()?;
            Ok((
                Node::Summarize {
                    input: Box::new(input),
                    keys,
                    aggregates,
                },
                identity(w),
            ))
        }
        Node::Parse { input, mut parse } => {
            let in_w = width(&input);
            // Captures nobody reads above are still matched, but no column is built for them.
            let appended_kept = discard_unread(&mut parse.outputs, in_w, required);
            let slots: Vec<OutputSlot> = parse.outputs.iter().map(|(_, s)| *s).collect();
            let (input, inner, in_w2) =
                prune_below_slots(*input, in_w, required, &slots, |need| {
                    columns_read(&parse.source, need)
                })?;
            parse.source = remap(parse.source, &inner)?;
            for (_, slot) in parse.outputs.iter_mut() {
                if let OutputSlot::Replace(i) = slot {
                    *i = target(&inner, *i)?;
                }
            }
            let map = slot_map(&inner, in_w, in_w2, &appended_kept);
            Ok((
                Node::Parse {
                    input: Box::new(input),
                    parse,
                },
                map,
            ))
        }
        Node::MvExpand {
            input,
            items,
            array_kind,
            with_index,
            limit,
        } => {
            let in_w = width(&input);
            let slots: Vec<OutputSlot> = items.iter().map(|(_, s, _)| *s).collect();
            let (input, inner, in_w2) =
                prune_below_slots(*input, in_w, required, &slots, |need| {
                    items.iter().for_each(|(e, _, _)| columns_read(e, need))
                })?;
            let items = items
                .into_iter()
                .map(|(e, slot, ty)| {
                    let slot = match slot {
                        OutputSlot::Replace(i) => OutputSlot::Replace(target(&inner, i)?),
                        other => other,
                    };
                    Ok((remap(e, &inner)?, slot, ty))
                })
                .collect::<Result<_>>()?;
            let map = slot_map(&inner, in_w, in_w2, &vec![true; w - in_w]);
            Ok((
                Node::MvExpand {
                    input: Box::new(input),
                    items,
                    array_kind,
                    with_index,
                    limit,
                },
                map,
            ))
        }
        // Joins, unions and the rest keep their inputs whole (their outputs name input columns
        // positionally); their inputs are still pruned below their own consumers.
        other => Ok((other, identity(w))),
    }
}

/// Prunes the input of an operator that replaces some input columns in place and appends
/// others (`parse`, `mv-expand`). Returns the pruned input, its map and its new width.
fn prune_below_slots(
    input: Node,
    in_w: usize,
    required: &BTreeSet<usize>,
    slots: &[OutputSlot],
    reads: impl FnOnce(&mut BTreeSet<usize>),
) -> Result<(Node, ColumnMap, usize)> {
    let mut need: BTreeSet<usize> = required.iter().copied().filter(|&i| i < in_w).collect();
    for s in slots {
        if let OutputSlot::Replace(i) = s {
            need.insert(*i);
        }
    }
    reads(&mut need);
    let (input, inner) = prune(input, &need)?;
    let in_w2 = width(&input);
    Ok((input, inner, in_w2))
}

/// The output map of a slot operator: input columns as the input map says, then the appended
/// columns that are built (`appended_kept`, one flag per appended column) after the pruned
/// input.
fn slot_map(inner: &ColumnMap, in_w: usize, in_w2: usize, appended_kept: &[bool]) -> ColumnMap {
    let mut next = in_w2;
    let appended = appended_kept.iter().map(|&kept| {
        kept.then(|| {
            next += 1;
            next - 1
        })
    });
    (0..in_w)
        .map(|i| inner.get(i).copied().flatten())
        .chain(appended)
        .collect()
}

/// Marks the outputs whose column nobody reads (`required` are the read output columns) as
/// [`OutputSlot::Discard`]; returns, per appended output in order, whether it is still built.
fn discard_unread(
    outputs: &mut [(crate::types::DataType, OutputSlot)],
    in_w: usize,
    required: &BTreeSet<usize>,
) -> Vec<bool> {
    let mut appended_kept = Vec::new();
    for (_, slot) in outputs.iter_mut() {
        let read = match *slot {
            OutputSlot::Replace(i) => required.contains(&i),
            OutputSlot::Append => {
                let read = required.contains(&(in_w + appended_kept.len()));
                appended_kept.push(read);
                read
            }
            OutputSlot::Discard => false,
        };
        if !read {
            *slot = OutputSlot::Discard;
        }
    }
    appended_kept
}
