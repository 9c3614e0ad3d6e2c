//! Loading with `skip_bad_rows`: what counts as a bad row in each format, and the
//! [`LoadReport`] that says how many rows were skipped and where.
//!
//! By default a malformed row stops the load with an error. With
//! [`LoadOptions::skip_bad_rows`] the reader skips the row, loads the rest and lists it in the
//! report: nothing is dropped without being counted. A skipped row leaves nothing behind (no
//! cells, no column it alone had, no widened column type), because a row is checked whole
//! before any of its values is stored.
//!
//! What a bad row is, format by format:
//! - **NDJSON**: a row object that is not well-formed (a syntax error, a number out of range),
//!   or a line that does not start with one (`[1]`, `"x"`, a stray `}`). Loading resumes on
//!   the next line; an object printed over several lines whose brackets balance is skipped
//!   whole. Text after a good object on its line is a bad row of its own (the object loads).
//! - **JSON array** (and the `data` array of an ARG response or `az graph query` output): an
//!   element that is well-formed JSON but not a row object (`null`, `5`, `[1]`, `"x"`). A syntax
//!   error inside an element (a number out of range too) is not skipped: past a missing quote or
//!   bracket there is no
//!   reliable place to resume (every later element may be misread), so the load stops with the
//!   error, skipping or not. Use NDJSON when rows must survive syntax errors.
//! - **ARG table form** (`data: {"columns", "rows"}`): a row that is not an array, or has a
//!   different number of cells than there are columns.
//! - **CSV**: a record with more cells than the header, or with text after a quoted cell;
//!   loading resumes on the next line. An unterminated quoted cell swallows the rest of the
//!   file and stops the load.
//!
//! Values of different types in one column are not bad rows: the column widens to `dynamic`
//! (see [`super::rows`]). Errors that concern the whole file (empty file, invalid UTF-8, a
//! missing `data` member, a bad CSV header) always stop the load.
//!
//! ```
//! use kql_core::io::{read_str_with, LoadOptions};
//! let text = "{\"a\": 1}\n{\"a\": }\n[2]\n{\"a\": 3}\n";
//! let options = LoadOptions { skip_bad_rows: true, ..LoadOptions::default() };
//! let (table, report) = read_str_with("rows.ndjson", text, &options)?;
//! assert_eq!((table.num_rows(), report.rows, report.skipped), (2, 2, 2));
//! assert_eq!(
//!     report.to_string(),
//!     "rows.ndjson: skipped 2 bad rows, loaded 2\n\
//!      \x20 rows.ndjson:2:7: expected value\n\
//!      \x20 rows.ndjson:3:1: expected a row object, found an array"
//! );
//! // Without skipping, the first bad row is an error.
//! let e = read_str_with("rows.ndjson", text, &LoadOptions::default()).unwrap_err();
//! assert_eq!(e.message, "rows.ndjson:2:7: expected value");
//! # Ok::<(), kql_core::Error>(())
//! ```

use crate::error::{Error, ErrorKind, Result};
use std::fmt;

/// How a file is loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadOptions {
    /// Skip malformed rows instead of failing (what counts as one: [the module docs](self)).
    /// Each row is then checked whole before it is stored, which makes loading slower.
    pub skip_bad_rows: bool,
    /// How many skipped rows the report lists one by one (it always counts them all).
    pub max_listed: usize,
}

impl Default for LoadOptions {
    fn default() -> LoadOptions {
        LoadOptions {
            skip_bad_rows: false,
            max_listed: 20,
        }
    }
}

/// What a load did: rows loaded, rows skipped, and where the first skipped rows were.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LoadReport {
    /// The source name (the file path) locations refer to.
    pub source: String,
    /// Rows loaded.
    pub rows: usize,
    /// Rows skipped, all of them.
    pub skipped: usize,
    /// The first [`LoadOptions::max_listed`] skipped rows, in file order.
    pub bad_rows: Vec<BadRow>,
}

/// One skipped row: where the problem is and what it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadRow {
    /// 1-based line of the problem.
    pub line: usize,
    /// 1-based byte column of the problem.
    pub column: usize,
    /// What is wrong (`expected value`, `expected a row object, found a number`, …).
    pub reason: String,
}

impl fmt::Display for LoadReport {
    /// `SOURCE: loaded N rows` when nothing was skipped (`1 row` for one); otherwise
    /// `SOURCE: skipped K bad rows, loaded N` and one indented `SOURCE:LINE:COL: reason` line
    /// per listed row, then `… and M more` when not all are listed.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let source = &self.source;
        if self.skipped == 0 {
            let rows = if self.rows == 1 { "row" } else { "rows" };
            return write!(f, "{source}: loaded {} {rows}", self.rows);
        }
        let rows = if self.skipped == 1 { "row" } else { "rows" };
        write!(
            f,
            "{source}: skipped {} bad {rows}, loaded {}",
            self.skipped, self.rows
        )?;
        for bad in &self.bad_rows {
            write!(
                f,
                "\n  {source}:{}:{}: {}",
                bad.line, bad.column, bad.reason
            )?;
        }
        let more = self.skipped.saturating_sub(self.bad_rows.len());
        if more > 0 {
            write!(f, "\n  … and {more} more")?;
        }
        Ok(())
    }
}

/// A malformed spot in the input: `line:column: message`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Problem {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl Problem {
    /// The problem at byte `offset` of `text`.
    pub(crate) fn at(text: &str, offset: usize, message: impl Into<String>) -> Problem {
        let (line, column) = super::line_col(text, offset);
        Problem {
            line,
            column,
            message: message.into(),
        }
    }

    /// The data error `source:line:column: message`.
    pub(crate) fn into_error(self, source: &str) -> Error {
        Error::new(
            ErrorKind::Data,
            format!("{source}:{}:{}: {}", self.line, self.column, self.message),
        )
    }
}

/// Collects bad rows while a reader runs, or turns the first into an error.
#[derive(Debug)]
pub(crate) struct BadRows {
    source: String,
    skip: bool,
    max_listed: usize,
    skipped: usize,
    listed: Vec<BadRow>,
}

impl BadRows {
    /// For reading `source` with `options`.
    pub(crate) fn new(source: &str, options: &LoadOptions) -> BadRows {
        BadRows {
            source: source.to_string(),
            skip: options.skip_bad_rows,
            max_listed: options.max_listed,
            skipped: 0,
            listed: Vec::new(),
        }
    }

    /// True when bad rows are skipped.
    pub(crate) fn skipping(&self) -> bool {
        self.skip
    }

    /// A bad row: recorded when skipping, otherwise the error that stops the load.
    pub(crate) fn bad(&mut self, problem: Problem) -> Result<()> {
        if !self.skip {
            return Err(problem.into_error(&self.source));
        }
        self.skipped += 1;
        if self.listed.len() < self.max_listed {
            self.listed.push(BadRow {
                line: problem.line,
                column: problem.column,
                reason: problem.message,
            });
        }
        Ok(())
    }

    /// The report for a load that produced `rows` rows.
    pub(crate) fn report(self, rows: usize) -> LoadReport {
        LoadReport {
            source: self.source,
            rows,
            skipped: self.skipped,
            bad_rows: self.listed,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_read_well() {
        let mut report = LoadReport {
            source: "x.json".into(),
            rows: 5,
            ..LoadReport::default()
        };
        assert_eq!(report.to_string(), "x.json: loaded 5 rows");
        report.skipped = 3;
        report.bad_rows = vec![BadRow {
            line: 2,
            column: 1,
            reason: "expected value".into(),
        }];
        assert_eq!(
            report.to_string(),
            "x.json: skipped 3 bad rows, loaded 5\n  x.json:2:1: expected value\n  … and 2 more"
        );
        report.skipped = 1;
        assert_eq!(
            report.to_string(),
            "x.json: skipped 1 bad row, loaded 5\n  x.json:2:1: expected value"
        );
    }

    #[test]
    fn only_the_first_rows_are_listed_but_all_are_counted() {
        let options = LoadOptions {
            skip_bad_rows: true,
            max_listed: 2,
        };
        let mut bad = BadRows::new("x", &options);
        for line in 1..=5 {
            bad.bad(Problem {
                line,
                column: 1,
                message: "m".into(),
            })
            .unwrap();
        }
        let report = bad.report(7);
        assert_eq!((report.skipped, report.bad_rows.len()), (5, 2));
        assert_eq!(report.bad_rows[1].line, 2);
        let mut strict = BadRows::new("x", &LoadOptions::default());
        let e = strict.bad(Problem::at("ab\ncd", 4, "boom")).unwrap_err();
        assert_eq!(
            (e.kind, e.message.as_str()),
            (ErrorKind::Data, "x:2:2: boom")
        );
    }
}
