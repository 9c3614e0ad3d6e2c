//! The table of built-in functions: each entry holds a name, its signature check (read by
//! `analyze`), how its result column is named, and its kernel (called by `exec`).

use crate::types::DataType;
use crate::value::Value;

/// How `analyze` names an unnamed column computed by a call (semantics reference §8).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Naming {
    /// The name of the first argument (`tostring(x)` → `x`).
    FirstArg,
    /// `prefix_<first argument name>` (`strlen(x)` → `strlen_x`).
    Prefix(&'static str),
    /// The default `ColumnN`.
    Default,
}

/// Checks argument types and gives the result type, or says what is wrong.
pub type SignatureFn = fn(&[DataType]) -> Result<DataType, String>;

/// A row kernel: the result for one row's argument values. The context carries query-wide
/// state (the query's `now`, compiled regexes).
pub type RowKernel = fn(&[Value], &Context) -> Value;

/// Query-wide state kernels may read.
#[derive(Debug)]
pub struct Context {
    /// `now()` for the whole query, in ticks.
    pub now: i64,
    regexes: std::cell::RefCell<Vec<(std::sync::Arc<str>, std::sync::Arc<regex::Regex>)>>,
    cancel: Option<std::sync::Arc<std::sync::atomic::AtomicBool>>,
    limits: crate::limits::Limits,
    /// A limit a kernel reached (kernels return values, not errors); `exec` fails with it.
    failure: std::cell::RefCell<Option<crate::Error>>,
}

impl Context {
    /// A context whose `now()` is `now` (ticks).
    pub fn new(now: i64) -> Context {
        Context {
            now,
            regexes: std::cell::RefCell::new(Vec::new()),
            cancel: None,
            limits: crate::limits::Limits::default(),
            failure: std::cell::RefCell::new(None),
        }
    }

    /// Applies `limits` to the query.
    pub fn with_limits(mut self, limits: crate::limits::Limits) -> Context {
        self.limits = limits;
        self
    }

    /// The limits in force.
    pub fn limits(&self) -> &crate::limits::Limits {
        &self.limits
    }

    /// Records an error a kernel ran into (the first one is kept); see [`Context::take_failure`].
    pub fn fail(&self, error: crate::Error) {
        let mut slot = self.failure.borrow_mut();
        if slot.is_none() {
            *slot = Some(error);
        }
    }

    /// The error a kernel recorded, if any (`exec` checks after each operator).
    pub fn take_failure(&self) -> Option<crate::Error> {
        self.failure.borrow_mut().take()
    }

    /// Makes the query stop with [`crate::ErrorKind::Cancelled`] once `flag` is set.
    pub fn with_cancel(mut self, flag: std::sync::Arc<std::sync::atomic::AtomicBool>) -> Context {
        self.cancel = Some(flag);
        self
    }

    /// Fails when the query was cancelled; operators call it between steps.
    pub fn check_cancelled(&self) -> crate::Result<()> {
        match &self.cancel {
            Some(flag) if flag.load(std::sync::atomic::Ordering::Relaxed) => Err(
                crate::Error::new(crate::ErrorKind::Cancelled, "the query was cancelled"),
            ),
            _ => Ok(()),
        }
    }

    /// The compiled regex for `pattern`, compiled once per query and reused (patterns are
    /// almost always literals, so the same `Arc` comes back each row and the lookup is a
    /// pointer compare). `None` when the pattern does not compile; a pattern that compiles
    /// bigger than [`crate::Limits::max_regex_bytes`] also records a limit error that fails the
    /// query.
    pub fn regex(&self, pattern: &Value) -> Option<std::sync::Arc<regex::Regex>> {
        let Value::String(p) = pattern else {
            return None;
        };
        // The query already failed on a limit: do not compile (maybe huge) patterns row after
        // row until the operator ends.
        if self.failure.borrow().is_some() {
            return None;
        }
        let mut cache = self.regexes.borrow_mut();
        if let Some((_, re)) = cache
            .iter()
            .find(|(k, _)| std::sync::Arc::ptr_eq(k, p) || **k == **p)
        {
            return Some(re.clone());
        }
        let re = match crate::limits::compile_regex(p, &self.limits) {
            Ok(re) => std::sync::Arc::new(re),
            Err(crate::limits::RegexFailure::TooBig(e)) => {
                self.fail(e);
                return None;
            }
            Err(crate::limits::RegexFailure::Invalid(_)) => return None,
        };
        if cache.len() < 64 {
            cache.push((p.clone(), re.clone()));
        }
        Some(re)
    }
}

/// A built-in scalar function.
#[derive(Debug)]
pub struct ScalarFunction {
    /// The name as written in queries.
    pub name: &'static str,
    /// Argument check and result type.
    pub signature: SignatureFn,
    /// Result naming.
    pub naming: Naming,
    /// The kernel.
    pub kernel: RowKernel,
}

/// The aggregate functions `exec` knows how to compute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AggKind {
    /// `count()` / `count(x)`.
    Count,
    /// `countif(p)`.
    CountIf,
    /// `dcount(x)` (exact; Kusto is exact below 1000 distinct values).
    DCount,
    /// `dcountif(x, p)`.
    DCountIf,
    /// `sum(x)`.
    Sum,
    /// `sumif(x, p)`.
    SumIf,
    /// `avg(x)`.
    Avg,
    /// `avgif(x, p)`.
    AvgIf,
    /// `min(x)`.
    Min,
    /// `max(x)`.
    Max,
    /// `minif(x, p)`.
    MinIf,
    /// `maxif(x, p)`.
    MaxIf,
    /// `make_set(x [, max])`.
    MakeSet,
    /// `make_set_if(x, p [, max])`.
    MakeSetIf,
    /// `make_list(x [, max])`.
    MakeList,
    /// `make_list_if(x, p [, max])`.
    MakeListIf,
    /// `make_list_with_nulls(x)`.
    MakeListWithNulls,
    /// `make_bag(x)`.
    MakeBag,
    /// `make_bag_if(x, p)`.
    MakeBagIf,
    /// `arg_max(by, cols…)`: selects a row.
    ArgMax,
    /// `arg_min(by, cols…)`: selects a row.
    ArgMin,
    /// `take_any(cols…)`: selects a row.
    TakeAny,
    /// `take_anyif(x, p)`.
    TakeAnyIf,
    /// `stdev(x)` (sample).
    Stdev,
    /// `variance(x)` (sample).
    Variance,
    /// `count_distinct(x)`.
    CountDistinct,
    /// `percentile(x, p)` (nearest rank).
    Percentile,
    /// `percentiles_array(x, p1, …)` / `percentiles_array(x, dynamic([…]))`: one array.
    PercentilesArray,
    /// `hll(x [, accuracy])`: a distinct-count sketch (exact here, see `functions::sketch`).
    Hll,
    /// `hll_merge(sketch)`: merges `hll` sketches.
    HllMerge,
    /// `tdigest(x [, weight])`: a percentile sketch (exact here, see `functions::sketch`).
    TDigest,
    /// `tdigest_merge(sketch)`: merges `tdigest` sketches.
    TDigestMerge,
    /// `buildschema(d)`: the least schema admitting every value.
    BuildSchema,
}

/// A built-in aggregate function.
#[derive(Debug)]
pub struct AggregateFunction {
    /// The name as written in queries.
    pub name: &'static str,
    /// What to compute.
    pub kind: AggKind,
    /// The column-name prefix (`count`, `sum`, `set`, …); empty for row-selecting aggregates.
    pub prefix: &'static str,
    /// Minimum and maximum argument counts.
    pub arity: (usize, usize),
}

impl AggKind {
    /// Row-selecting aggregates output the chosen row's values rather than a computed value.
    pub fn selects_row(self) -> bool {
        matches!(self, AggKind::ArgMax | AggKind::ArgMin | AggKind::TakeAny)
    }
}

macro_rules! agg {
    ($name:literal, $kind:ident, $prefix:literal, $min:literal, $max:literal) => {
        AggregateFunction {
            name: $name,
            kind: AggKind::$kind,
            prefix: $prefix,
            arity: ($min, $max),
        }
    };
}

/// Every aggregate function, with the old spellings ARG still accepts.
pub static AGGREGATES: &[AggregateFunction] = &[
    agg!("count", Count, "count", 0, 1),
    agg!("countif", CountIf, "countif", 1, 1),
    agg!("dcount", DCount, "dcount", 1, 2),
    agg!("dcountif", DCountIf, "dcountif", 2, 3),
    agg!("count_distinct", CountDistinct, "count_distinct", 1, 1),
    agg!("sum", Sum, "sum", 1, 1),
    agg!("sumif", SumIf, "sumif", 2, 2),
    agg!("avg", Avg, "avg", 1, 1),
    agg!("avgif", AvgIf, "avgif", 2, 2),
    agg!("min", Min, "min", 1, 1),
    agg!("max", Max, "max", 1, 1),
    agg!("minif", MinIf, "minif", 2, 2),
    agg!("maxif", MaxIf, "maxif", 2, 2),
    agg!("make_set", MakeSet, "set", 1, 2),
    agg!("makeset", MakeSet, "set", 1, 2),
    agg!("make_set_if", MakeSetIf, "set", 2, 3),
    agg!("make_list", MakeList, "list", 1, 2),
    agg!("makelist", MakeList, "list", 1, 2),
    agg!("make_list_if", MakeListIf, "list", 2, 3),
    agg!("make_list_with_nulls", MakeListWithNulls, "list", 1, 2),
    agg!("make_bag", MakeBag, "bag", 1, 2),
    agg!("make_bag_if", MakeBagIf, "bag", 2, 3),
    agg!("arg_max", ArgMax, "max", 1, 64),
    agg!("arg_min", ArgMin, "min", 1, 64),
    agg!("take_any", TakeAny, "", 1, 64),
    agg!("any", TakeAny, "any", 1, 64),
    agg!("take_anyif", TakeAnyIf, "", 2, 2),
    agg!("anyif", TakeAnyIf, "anyif", 2, 2),
    agg!("stdev", Stdev, "stdev", 1, 1),
    agg!("variance", Variance, "variance", 1, 1),
    agg!("percentile", Percentile, "percentile", 2, 2),
    agg!("percentiles_array", PercentilesArray, "percentiles", 2, 64),
    agg!("hll", Hll, "hll", 1, 2),
    agg!("hll_merge", HllMerge, "hll_merge", 1, 1),
    agg!("tdigest", TDigest, "tdigest", 1, 2),
    agg!("tdigest_merge", TDigestMerge, "tdigest_merge", 1, 1),
    agg!("buildschema", BuildSchema, "schema", 1, 1),
];

/// The aggregate named `name`.
pub fn aggregate(name: &str) -> Option<&'static AggregateFunction> {
    AGGREGATES.iter().find(|a| a.name == name)
}

/// The scalar function named `name`.
pub fn scalar(name: &str) -> Option<&'static ScalarFunction> {
    super::SCALARS
        .iter()
        .flat_map(|area| area.iter())
        .find(|f| f.name == name)
}

/// Every function name (scalar and aggregate), for suggestions and completion.
pub fn all_names() -> impl Iterator<Item = &'static str> {
    super::SCALARS
        .iter()
        .flat_map(|area| area.iter())
        .map(|f| f.name)
        .chain(AGGREGATES.iter().map(|a| a.name))
}
