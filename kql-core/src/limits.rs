//! Configurable limits: how much one query may ask of the engine.
//!
//! Every limit has a field in [`Limits`] (held by [`crate::Options::limits`]) and a `kql` flag.
//! A query that reaches one fails with an [`ErrorKind::Limit`] error that names the limit, its
//! value, the option and the flag that raise it:
//!
//! | limit | option (`Options::limits.…`) | `kql` flag | default |
//! |---|---|---|---|
//! | query text length | `max_query_bytes` | `--max-query-bytes N` | 4 MiB |
//! | result rows | `max_result_rows` | `--max-rows N` | none |
//! | rows an operator may produce (`range`, `join`, `mv-expand`, `union`, `summarize` groups) | `max_intermediate_rows` | `--max-intermediate-rows N` | 50,000,000 |
//! | compiled regex size | `max_regex_bytes` | `--max-regex-bytes N` | 10 MiB |
//! | expression and subquery nesting | `max_depth` | `--max-depth N` | 256 (also the most allowed) |
//!
//! ```
//! use kql_core::{Engine, ErrorKind, Limits, Options};
//! let limits = Limits { max_intermediate_rows: 1_000, ..Limits::default() };
//! let engine = Engine::with_options(Options { limits, ..Options::default() });
//! let e = engine.query("range x from 1 to 5000 step 1").unwrap_err();
//! assert_eq!(e.kind, ErrorKind::Limit);
//! assert!(e.message.contains("--max-intermediate-rows"), "{}", e.message);
//! assert_eq!(engine.query("range x from 1 to 1000 step 1")?.num_rows(), 1_000);
//! # Ok::<(), kql_core::Error>(())
//! ```

use crate::error::{Error, ErrorKind};

/// The deepest nesting of expressions and subqueries analysis can allow: deeper plans could
/// overflow the query thread's stack, so [`Limits::max_depth`] is capped here.
pub const MAX_DEPTH_CEILING: usize = crate::analyze::MAX_DEPTH;

/// How much one query may ask of the engine. The defaults are generous: they stop runaway
/// queries (a `range` of a trillion rows, a join of two large tables on a constant key) before
/// they exhaust memory, and let every realistic query through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The longest query text accepted, in bytes (flag `--max-query-bytes`).
    pub max_query_bytes: usize,
    /// The most rows a result may have; `None` for no limit (flag `--max-rows`).
    ///
    /// Kusto fails a query whose result exceeds 500,000 records ("Query result set has exceeded
    /// the internal record count limit 500000 (E_QUERY_RESULT_SET_TOO_LARGE)", unless
    /// `set notruncation;`: learn.microsoft.com/azure/kusto/concepts/querylimits, "Limit on
    /// result set size"), and ARG pages its results 1,000 rows at a time. An offline tool is used to export and post-process whole data sets,
    /// so by default there is no limit; when one is set, a larger result is an error, never a
    /// silently truncated table (as in Kusto).
    pub max_result_rows: Option<usize>,
    /// The most rows one operator may produce or hold: `range`, `join` (and `lookup`),
    /// `mv-expand` and `union` output and `summarize` groups (flag `--max-intermediate-rows`).
    /// Checked before the rows are built, so an explosion fails fast instead of exhausting
    /// memory. Loaded tables are not limited.
    pub max_intermediate_rows: usize,
    /// The largest compiled regex, in bytes (the regex crate's `size_limit`; flag
    /// `--max-regex-bytes`). A pattern that compiles bigger is an error.
    pub max_regex_bytes: usize,
    /// How deep expressions and subqueries may nest (flag `--max-depth`); at most
    /// [`MAX_DEPTH_CEILING`], larger values count as that.
    pub max_depth: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_query_bytes: 4 << 20,
            max_result_rows: None,
            max_intermediate_rows: 50_000_000,
            max_regex_bytes: 10 << 20,
            max_depth: MAX_DEPTH_CEILING,
        }
    }
}

impl Limits {
    /// The nesting depth in force: [`Limits::max_depth`], capped at [`MAX_DEPTH_CEILING`].
    pub fn depth(&self) -> usize {
        self.max_depth.min(MAX_DEPTH_CEILING)
    }

    /// Fails when an operator would produce `rows` rows, more than
    /// [`Limits::max_intermediate_rows`]; `what` names the operator (`join output`, …).
    pub(crate) fn check_intermediate(&self, what: &str, rows: u128) -> crate::Result<()> {
        if rows > self.max_intermediate_rows as u128 {
            return Err(limit_error(
                &format!(
                    "{what} would have {rows} rows, more than the {} allowed",
                    self.max_intermediate_rows
                ),
                "max_intermediate_rows",
                "max-intermediate-rows",
            ));
        }
        Ok(())
    }
}

/// A [`ErrorKind::Limit`] error: `what` happened, then which limit it is and how to raise it.
pub(crate) fn limit_error(what: &str, option: &str, flag: &str) -> Error {
    limit_error_or(what, option, flag, "")
}

/// [`limit_error`] with another way out (`or`, empty for none) after the ways to raise it.
pub(crate) fn limit_error_or(what: &str, option: &str, flag: &str, or: &str) -> Error {
    let or = if or.is_empty() {
        String::new()
    } else {
        format!(", or {or}")
    };
    Error::new(
        ErrorKind::Limit,
        format!(
            "{what} (limit `{option}`: raise it with `Options::limits.{option}` or \
             `kql --{flag} N`{or})"
        ),
    )
}

/// Why a pattern did not compile.
#[derive(Debug)]
pub(crate) enum RegexFailure {
    /// It compiles bigger than [`Limits::max_regex_bytes`]: the limit error to report.
    TooBig(Error),
    /// It is not a valid regex: the regex crate's message.
    Invalid(String),
}

/// Compiles `pattern` within [`Limits::max_regex_bytes`].
pub(crate) fn compile_regex(pattern: &str, limits: &Limits) -> Result<regex::Regex, RegexFailure> {
    regex::RegexBuilder::new(pattern)
        .size_limit(limits.max_regex_bytes)
        .build()
        .map_err(|e| match e {
            regex::Error::CompiledTooBig(_) => RegexFailure::TooBig(limit_error(
                &format!(
                    "the regex `{}` compiles to more than {} bytes",
                    shorten(pattern),
                    limits.max_regex_bytes
                ),
                "max_regex_bytes",
                "max-regex-bytes",
            )),
            other => RegexFailure::Invalid(other.to_string()),
        })
}

/// Fails when a call of a regex function (`extract`, `matches regex`, `replace_regex`, …) has
/// a literal pattern that compiles bigger than [`Limits::max_regex_bytes`]. Patterns computed
/// per row are checked when they are compiled.
pub(crate) fn check_literal_regex(
    function: &str,
    args: &[crate::plan::Expr],
    limits: &Limits,
) -> crate::Result<()> {
    use crate::plan::ExprKind;
    use crate::value::Value;
    let literal = |i: usize| match args.get(i).map(|a| &a.kind) {
        Some(ExprKind::Literal(Value::String(s))) => Some(s.clone()),
        _ => None,
    };
    let pattern = match function {
        "extract" | "extract_all" | "extractall" | "replace" | "trim" | "trim_start"
        | "trim_end" => literal(0),
        "replace_regex" | "__matches" => literal(1),
        "countof" => match literal(2) {
            Some(kind) if kind.eq_ignore_ascii_case("regex") => literal(1),
            _ => None,
        },
        _ => None,
    };
    match pattern.map(|p| compile_regex(&p, limits)) {
        Some(Err(RegexFailure::TooBig(e))) => Err(e),
        _ => Ok(()),
    }
}

/// `text`, cut to 40 characters with `…` when longer (patterns quoted in messages).
fn shorten(text: &str) -> String {
    match text.char_indices().nth(40) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_the_limit_and_how_to_raise_it() {
        let limits = Limits {
            max_intermediate_rows: 10,
            ..Limits::default()
        };
        assert!(limits.check_intermediate("join output", 10).is_ok());
        let e = limits.check_intermediate("join output", 11).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Limit);
        assert_eq!(
            e.message,
            "join output would have 11 rows, more than the 10 allowed (limit \
             `max_intermediate_rows`: raise it with `Options::limits.max_intermediate_rows` or \
             `kql --max-intermediate-rows N`)"
        );
        let deep = Limits {
            max_depth: 100_000,
            ..Limits::default()
        };
        assert_eq!(deep.depth(), MAX_DEPTH_CEILING);
        assert_eq!(Limits::default().depth(), MAX_DEPTH_CEILING);
    }
}
