//! The plan IR: data only. Expressions are typed and refer to columns by position; functions
//! are resolved to their definitions. `analyze` builds it, `exec` runs it.

pub mod explain;
pub mod optimize;
pub mod pushdown;

use crate::functions::registry::{AggregateFunction, ScalarFunction};
use crate::store::{Field, Table};
use crate::types::DataType;
use crate::value::Value;
use regex::Regex;
use std::sync::Arc;

/// A typed scalar expression over the columns of its input.
#[derive(Debug, Clone)]
pub struct Expr {
    /// The shape.
    pub kind: ExprKind,
    /// The static type of the result.
    pub ty: DataType,
}

/// Expression shapes.
#[derive(Debug, Clone)]
pub enum ExprKind {
    /// The input column at this position.
    Column(usize),
    /// A constant.
    Literal(Value),
    /// A built-in scalar function.
    Call(&'static ScalarFunction, Vec<Expr>),
    /// A path into a dynamic value: `d.a[0]['b']`.
    Path(Box<Expr>, Vec<PathStep>),
    /// `tostring(d.a.b)`: the text at a dynamic path, walked without copying the value
    /// (strings as they are, missing and null as `""`, other values as compact JSON).
    PathText(Box<Expr>, Vec<PathStep>),
    /// Indexing a dynamic value with a computed key or index.
    Index(Box<Expr>, Box<Expr>),
    /// `and` (Kusto's three-valued logic).
    And(Box<Expr>, Box<Expr>),
    /// `or`.
    Or(Box<Expr>, Box<Expr>),
    /// `row_number(start)`: the row's position in the (serialized) input, from `start`.
    RowNumber(i64),
    /// `prev(e, n, default)` (positive `n`) / `next(e, n, default)` (negative `n`): the value
    /// of `e` `n` rows earlier, or `default` past the edge.
    Shift(Box<Expr>, i64, Box<Expr>),
    /// A tabular subquery used as a list (`x in (T | project a)`): its first column as a
    /// dynamic array.
    Subquery(Box<Node>),
}

/// One constant step of a dynamic path (`Key` or `Index`).
pub use crate::store::JsonStep as PathStep;

impl Expr {
    /// A literal of type `ty`.
    pub fn literal(value: Value, ty: DataType) -> Expr {
        Expr {
            kind: ExprKind::Literal(value),
            ty,
        }
    }

    /// A reference to input column `index` of type `ty`.
    pub fn column(index: usize, ty: DataType) -> Expr {
        Expr {
            kind: ExprKind::Column(index),
            ty,
        }
    }

    /// The constant value, when the expression is a literal.
    pub fn as_literal(&self) -> Option<&Value> {
        match &self.kind {
            ExprKind::Literal(v) => Some(v),
            _ => None,
        }
    }

    /// Calls `f` with the index of every input column the expression reads, once per read, in
    /// the order they appear.
    pub fn for_each_column_read(&self, f: &mut impl FnMut(usize)) {
        match &self.kind {
            ExprKind::Column(i) => f(*i),
            ExprKind::Literal(_) | ExprKind::Subquery(_) | ExprKind::RowNumber(_) => {}
            ExprKind::Call(_, args) => args.iter().for_each(|a| a.for_each_column_read(f)),
            ExprKind::Path(b, _) | ExprKind::PathText(b, _) => b.for_each_column_read(f),
            ExprKind::Index(a, b)
            | ExprKind::And(a, b)
            | ExprKind::Or(a, b)
            | ExprKind::Shift(a, _, b) => {
                a.for_each_column_read(f);
                b.for_each_column_read(f);
            }
        }
    }
}

/// One aggregate of a `summarize`.
#[derive(Debug, Clone)]
pub struct Aggregate {
    /// The aggregate function.
    pub function: &'static AggregateFunction,
    /// Its arguments, evaluated over the input rows.
    pub args: Vec<Expr>,
    /// The result type.
    pub ty: DataType,
}

/// A sort key.
#[derive(Debug, Clone)]
pub struct SortKey {
    /// The key expression.
    pub expr: Expr,
    /// Descending order.
    pub descending: bool,
    /// Nulls before values.
    pub nulls_first: bool,
}

/// A compiled `parse` pattern.
#[derive(Debug, Clone)]
pub struct ParsePlan {
    /// The text being parsed (a string expression).
    pub source: Expr,
    /// How the pattern matches; capture `i` feeds `outputs[i]`.
    pub matcher: ParseMatcher,
    /// Output columns: the type to convert to and where the column goes.
    pub outputs: Vec<(DataType, OutputSlot)>,
    /// `kind=relaxed`: a failed conversion nulls only that column.
    pub relaxed: bool,
    /// `parse-where`: drop rows that do not match.
    pub drop_unmatched: bool,
}

/// How a `parse` pattern is matched.
#[derive(Debug, Clone)]
pub enum ParseMatcher {
    /// A regex whose named group `analyze::PARSE_GROUP` + `i` is capture `i`.
    Regex(Arc<Regex>),
    /// A simple-mode pattern whose captures are all text: a sequence of literal searches with
    /// the same result as the anchored lazy regex (DESIGN.md §4).
    Literal(Vec<LiteralPart>),
}

/// One step of a literal `parse` pattern.
#[derive(Debug, Clone, PartialEq)]
pub enum LiteralPart {
    /// `*`.
    Skip,
    /// A string constant.
    Text(String),
    /// The next capture.
    Capture,
}

/// Joins adjacent texts into one (`"a" "b"` is the literal `ab`), as literal matching expects.
pub fn merge_texts(parts: Vec<LiteralPart>) -> Vec<LiteralPart> {
    let mut out: Vec<LiteralPart> = Vec::with_capacity(parts.len());
    for part in parts {
        match (out.last_mut(), part) {
            (Some(LiteralPart::Text(prev)), LiteralPart::Text(t)) => prev.push_str(&t),
            (_, part) => out.push(part),
        }
    }
    out
}

/// Where a computed column lands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputSlot {
    /// Replaces input column `i`.
    Replace(usize),
    /// Appended after the existing columns.
    Append,
    /// Built nowhere: nothing reads the column (set by column pruning). A `parse` capture
    /// still has to match, and a typed one to convert, for the row to count as matched.
    Discard,
}

/// Join flavours, as executed.
pub use crate::syntax::ast::JoinKind;

/// A plan node: the operators.
#[derive(Debug, Clone)]
pub enum Node {
    /// A stored table.
    Scan(Arc<Table>),
    /// `range`: one long/datetime/timespan column.
    Range {
        /// The first value.
        from: Value,
        /// The last value (inclusive).
        to: Value,
        /// The step.
        step: Value,
        /// The column type.
        ty: DataType,
    },
    /// Keeps rows whose predicate is true.
    Filter {
        /// Input.
        input: Box<Node>,
        /// A bool expression.
        predicate: Expr,
    },
    /// Computes the output columns (extend, project and friends all become this).
    Project {
        /// Input.
        input: Box<Node>,
        /// One expression per output column.
        exprs: Vec<Expr>,
    },
    /// Groups and aggregates.
    Summarize {
        /// Input.
        input: Box<Node>,
        /// Group keys.
        keys: Vec<Expr>,
        /// Aggregates, output after the keys.
        aggregates: Vec<Aggregate>,
    },
    /// `parse` / `parse-where`.
    Parse {
        /// Input.
        input: Box<Node>,
        /// The compiled pattern.
        parse: ParsePlan,
    },
    /// First `n` rows.
    Take {
        /// Input.
        input: Box<Node>,
        /// Row count.
        count: usize,
    },
    /// Sorts (stable), then optionally keeps the first `limit` rows (`top`).
    Sort {
        /// Input.
        input: Box<Node>,
        /// Keys, most significant first.
        keys: Vec<SortKey>,
        /// `top n`.
        limit: Option<usize>,
    },
    /// `mv-expand`.
    MvExpand {
        /// Input.
        input: Box<Node>,
        /// Expanded expressions with their output slot and target type.
        items: Vec<(Expr, OutputSlot, DataType)>,
        /// `kind=array`.
        array_kind: bool,
        /// Append a 0-based index column.
        with_index: bool,
        /// Maximum rows per input row.
        limit: usize,
    },
    /// Joins on equal keys.
    Join {
        /// Left input.
        left: Box<Node>,
        /// Right input.
        right: Box<Node>,
        /// The flavour.
        kind: JoinKind,
        /// Key expressions pairwise: (left column, right column).
        keys: Vec<(usize, usize)>,
        /// Right columns kept in the output (by position), in order.
        right_columns: Vec<usize>,
    },
    /// Concatenates inputs, mapping each leg's columns to the output schema.
    Union {
        /// The legs with, per output column, the leg column feeding it (None: null).
        legs: Vec<(Node, Vec<Option<usize>>)>,
        /// The output column holding the leg's name (`withsource`), with the names.
        source_column: Option<Vec<String>>,
    },
    /// A constant table (`datatable`, `getschema`, …).
    Values(Arc<Table>),
    /// The schema of the input as a table (`getschema`).
    GetSchema(Box<Node>),
    /// Gives the input's columns these names (for operators that read names, like `getschema`).
    Rename(Box<Node>, Vec<Field>),
}

/// A planned query: the root node and its output schema.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The root operator.
    pub root: Node,
    /// The output columns.
    pub fields: Vec<Field>,
}
