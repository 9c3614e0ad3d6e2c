//! A session: the engine with its tables plus the settings the flags and dot commands change
//! (format, parameters, timing, row cap). The REPL, script files and `-c` all run queries here.

use crate::args::Format;
use crate::output::write_result;
use crate::params::Params;
use crate::render::{format_ms, TableStyle};
use kql_core::{Engine, Error};
use std::io::{self, Write};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Why a query or command did not succeed.
#[derive(Debug)]
pub enum Failure {
    /// The query is wrong or failed; the span (if any) is relative to the text that was run.
    Query(Error),
    /// A bad command or a file that could not be read.
    Usage(String),
    /// Stdout went away (`kql … | head`): stop quietly.
    Closed,
}

impl Failure {
    /// The process exit code for this failure (DESIGN.md §5: 1 query error, 2 usage or file).
    pub fn exit_code(&self) -> i32 {
        match self {
            Failure::Query(_) => 1,
            Failure::Usage(_) => 2,
            Failure::Closed => 0,
        }
    }

    /// Shifts a query error's span by `by` bytes (the text ran was part of a larger one).
    pub fn shifted(self, by: usize) -> Failure {
        match self {
            Failure::Query(mut e) => {
                e.span = e
                    .span
                    .map(|s| kql_core::Span::new(s.start + by, s.end + by));
                Failure::Query(e)
            }
            other => other,
        }
    }
}

impl From<io::Error> for Failure {
    fn from(e: io::Error) -> Failure {
        if e.kind() == io::ErrorKind::BrokenPipe {
            Failure::Closed
        } else {
            Failure::Usage(format!("cannot write the output: {e}"))
        }
    }
}

/// The engine and the session settings.
pub struct Session {
    /// The engine holding the tables.
    pub engine: Engine,
    /// Output format of results.
    pub format: Format,
    /// `{NAME}` placeholders.
    pub params: Params,
    /// Print load and query times to stderr (and the query time under tables).
    pub timing: bool,
    /// Parse and analyze only.
    pub check_only: bool,
    /// Runs per query.
    pub repeat: u32,
    /// How tables are drawn (row cap, width, colour).
    pub style: TableStyle,
    /// Set by Ctrl-C while a query runs (REPL only); queries then run through [`crate::cancel`].
    pub cancel: Option<Arc<AtomicBool>>,
    /// True in the REPL: `--check` prints the result schema.
    pub interactive: bool,
    /// Demo tables still being built in the background (REPL start-up).
    pub pending_demo: Option<crate::demo::Pending>,
    /// Skip malformed rows when loading files, reporting them on stderr (`--skip-bad-rows`).
    pub skip_bad_rows: bool,
}

impl Session {
    /// A session over `engine` with default settings.
    pub fn new(engine: Engine) -> Session {
        Session {
            engine,
            format: Format::Table,
            params: Params::new(),
            timing: false,
            check_only: false,
            repeat: 1,
            style: TableStyle::default(),
            cancel: None,
            interactive: false,
            pending_demo: None,
            skip_bad_rows: false,
        }
    }

    /// Waits for demo tables still being built, if any.
    pub fn ensure_loaded(&mut self) -> Result<(), Failure> {
        match self.pending_demo.take() {
            Some(pending) => pending.finish(self),
            None => Ok(()),
        }
    }

    /// Loads the data file `path` as table `name`, printing `load <name>: <ms> ms` with timing.
    pub fn load(&mut self, name: &str, path: &str) -> Result<usize, Failure> {
        let start = Instant::now();
        let options = kql_core::io::LoadOptions {
            skip_bad_rows: self.skip_bad_rows,
            ..kql_core::io::LoadOptions::default()
        };
        let report = self
            .engine
            .load_file_with(name, Path::new(path), &options)
            .map_err(|e| Failure::Usage(format!("cannot load `{name}` from {path}: {e}")))?;
        // Skipped rows are never silent: the count and the first locations go to stderr.
        if report.skipped > 0 {
            eprintln!("kql: {report}");
        }
        self.report_load(name, start.elapsed());
        Ok(report.rows)
    }

    /// Prints the load time of table `name` to stderr when timing is on.
    pub fn report_load(&self, name: &str, elapsed: Duration) {
        if self.timing {
            eprintln!("load {name}: {}", format_ms(elapsed));
        }
    }

    /// Runs `text` (parameters substituted) and writes the result to `out`; with `check_only`
    /// only parses and analyzes. Error spans are relative to `text` as given.
    pub fn run_query(&mut self, text: &str, out: &mut dyn Write) -> Result<(), Failure> {
        self.ensure_loaded()?;
        let substituted = self.params.substitute(text);
        let unset = self.params.unset_placeholders(text);
        let map_back = |mut e: Error| {
            e.span = e.span.map(|s| substituted.original_span(s));
            if e.kind == kql_core::ErrorKind::Syntax {
                if let Some(name) = unset.first() {
                    e.hints.push(format!(
                        "`{{{name}}}` looks like a workbook parameter: give it a value with \
                         --param {name}=VALUE (or .param {name}=VALUE)"
                    ));
                }
            }
            Failure::Query(e)
        };
        // ARG gotchas that make a valid query silently return nothing: warnings on stderr.
        if let Ok(warnings) = self.engine.lint(&substituted.text) {
            for mut w in warnings {
                w.span = substituted.original_span(w.span);
                eprint!("{}", w.render(text));
            }
        }
        if self.check_only {
            let fields = self.engine.check(&substituted.text).map_err(map_back)?;
            if self.interactive {
                let schema: Vec<String> = fields
                    .iter()
                    .map(|f| format!("{}:{}", f.name, f.ty))
                    .collect();
                writeln!(out, "ok: {}", schema.join(", "))?;
            }
            return Ok(());
        }
        let mut last = None;
        for _ in 0..self.repeat.max(1) {
            if let Some(flag) = &self.cancel {
                flag.store(false, Ordering::SeqCst);
            }
            let start = Instant::now();
            let result = match &self.cancel {
                Some(flag) => crate::cancel::run(&self.engine, &substituted.text, flag),
                None => query_catching_panics(&self.engine, &substituted.text),
            }
            .map_err(map_back)?;
            let elapsed = start.elapsed();
            if self.timing {
                eprintln!("query: {}", format_ms(elapsed));
            }
            last = Some((result, elapsed));
        }
        if let Some((result, elapsed)) = last {
            let elapsed = self.timing.then_some(elapsed);
            write_result(&result, self.format, &self.style, elapsed, out)?;
        }
        Ok(())
    }

    /// The plan of `text` (parameters substituted), for `.explain`.
    pub fn explain(&self, text: &str) -> Result<String, Failure> {
        let substituted = self.params.substitute(text);
        self.engine.explain(&substituted.text).map_err(|mut e| {
            e.span = e.span.map(|s| substituted.original_span(s));
            Failure::Query(e)
        })
    }

    /// Table names with row counts; empty ARG tables only with `all`.
    pub fn tables(&self, all: bool) -> Vec<(String, usize)> {
        self.engine
            .catalog()
            .iter()
            .filter(|(name, table)| {
                all || table.num_rows() > 0
                    || !kql_core::ARG_TABLES
                        .iter()
                        .any(|t| t.eq_ignore_ascii_case(name))
            })
            .map(|(name, table)| (name.to_string(), table.num_rows()))
            .collect()
    }
}

/// Runs `query`; a panic inside kql-core (a bug) becomes an internal error, so scripts report
/// it like any failure instead of aborting.
fn query_catching_panics(engine: &Engine, query: &str) -> kql_core::Result<kql_core::QueryResult> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| engine.query(query))).unwrap_or_else(
        |_| {
            Err(Error::internal(
                "the query stopped without a result (a bug in kql-core; please report it)",
            ))
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session() -> Session {
        let mut engine = Engine::new();
        engine
            .load_str(
                "t",
                "t.json",
                r#"[{"name": "a", "n": 1}, {"name": "b", "n": 2}, {"name": "c", "n": 3}]"#,
            )
            .unwrap();
        Session::new(engine)
    }

    fn run(s: &mut Session, q: &str) -> Result<String, Failure> {
        let mut out = Vec::new();
        s.run_query(q, &mut out)?;
        Ok(String::from_utf8(out).unwrap())
    }

    #[test]
    fn runs_and_formats() {
        let mut s = session();
        s.format = Format::Json;
        assert_eq!(
            run(&mut s, "t | where n > 1 | count").unwrap(),
            "[{\"Count\":2}]\n"
        );
        s.format = Format::Table;
        let text = run(&mut s, "t | where n > 1 | project name").unwrap();
        assert!(text.contains("name:string"), "{text}");
        assert!(text.ends_with("2 rows\n"), "{text}");
    }

    #[test]
    fn params_are_substituted_and_spans_map_back() {
        let mut s = session();
        s.format = Format::Json;
        s.params.set("limit", "1");
        assert_eq!(
            run(&mut s, "t | take {limit} | project n").unwrap(),
            "[{\"n\":1}]\n"
        );
        s.params.set("col", "nosuch_column_name");
        let query = "t | project {col}";
        match run(&mut s, query) {
            Err(Failure::Query(e)) => {
                let span = e.span.expect("a span");
                assert_eq!(span.start, query.find('{').unwrap());
            }
            other => panic!("expected a query error, got {other:?}"),
        }
    }

    #[test]
    fn unset_placeholders_get_a_hint() {
        let mut s = session();
        match run(&mut s, "t | where name in ({Names})") {
            Err(Failure::Query(e)) => {
                assert!(
                    e.hints.iter().any(|h| h.contains("--param Names=VALUE")),
                    "{e:?}"
                );
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn check_only_runs_nothing() {
        let mut s = session();
        s.check_only = true;
        assert_eq!(run(&mut s, "t | count").unwrap(), "");
        assert!(matches!(run(&mut s, "t | where"), Err(Failure::Query(_))));
        s.interactive = true;
        assert_eq!(run(&mut s, "t | count").unwrap(), "ok: Count:long\n");
    }

    #[test]
    fn empty_arg_tables_are_hidden() {
        let s = session();
        assert_eq!(s.tables(false), vec![("t".to_string(), 3)]);
        assert!(s.tables(true).len() > 10);
    }

    #[test]
    fn failures_have_exit_codes() {
        let e = Failure::Query(Error::at(
            kql_core::ErrorKind::Syntax,
            kql_core::Span::new(1, 2),
            "x",
        ));
        assert_eq!(e.exit_code(), 1);
        match e.shifted(10) {
            Failure::Query(e) => assert_eq!(e.span, Some(kql_core::Span::new(11, 12))),
            _ => unreachable!(),
        }
        assert_eq!(Failure::Usage(String::new()).exit_code(), 2);
    }
}
