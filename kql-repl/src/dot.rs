//! Dot commands (`.tables`, `.schema T`, `.load NAME=PATH`, …), in the REPL and in scripts.

use crate::args::{parse_name_value, Format};
use crate::session::{Failure, Session};
use std::io::Write;

/// What to do after a dot command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    /// Go on reading.
    Continue,
    /// `.quit`: stop.
    Quit,
}

/// Every dot command, for `.help` and completion: (name, arguments, what it does).
pub const COMMANDS: &[(&str, &str, &str)] = &[
    (".help", "", "this list"),
    (
        ".tables",
        "[all]",
        "tables with row counts (`all` includes empty ARG tables)",
    ),
    (".schema", "TABLE", "columns and types of a table"),
    (
        ".load",
        "NAME=PATH",
        "load a data file as a table (format detected from content)",
    ),
    (".format", "table|json|ndjson|csv|markdown", "output format"),
    (".timing", "on|off", "show load and query times"),
    (
        ".explain",
        "QUERY",
        "show the plan of a query without running it",
    ),
    (
        ".param",
        "[NAME=VALUE]",
        "set a {NAME} placeholder (no argument: list them)",
    ),
    (
        ".maxrows",
        "N",
        "show at most N rows in table output (0: all)",
    ),
    (".quit", "", "leave (also .exit, Ctrl-D)"),
];

/// True when `text` is a dot command (`.` then a letter, after leading spaces).
pub fn is_dot_command(text: &str) -> bool {
    let t = text.trim_start();
    t.starts_with('.') && t[1..].starts_with(|c: char| c.is_ascii_alphabetic())
}

/// Runs the dot command `text`, writing its output to `out`. A query error in `.explain` has a
/// span relative to `text`.
pub fn run_dot(session: &mut Session, text: &str, out: &mut dyn Write) -> Result<Flow, Failure> {
    session.ensure_loaded()?;
    let body = text.trim_start();
    let (name, rest) = body.split_once(char::is_whitespace).unwrap_or((body, ""));
    // `rest` is a suffix of `text`, so this is where the argument starts in `text`.
    let arg_offset = text.len() - rest.trim_start().len();
    let arg = rest.trim();
    match name.to_ascii_lowercase().as_str() {
        ".help" | ".h" | ".?" => {
            writeln!(out, "Dot commands:")?;
            for (cmd, args, what) in COMMANDS {
                writeln!(out, "  {:<40} {what}", format!("{cmd} {args}"))?;
            }
            writeln!(
                out,
                "Queries end at a blank line or when complete; a line ending in `|` or `;` continues.\n\
                 Tab completes table, column, operator and function names. Ctrl-C cancels, Ctrl-D exits."
            )?;
        }
        ".tables" => {
            let all = match arg {
                "" => false,
                "all" => true,
                _ => return usage(".tables [all]"),
            };
            let tables = session.tables(all);
            if tables.is_empty() {
                writeln!(
                    out,
                    "no tables with rows (`.tables all` lists the empty ARG tables)"
                )?;
            }
            let width = tables.iter().map(|(n, _)| n.len()).max().unwrap_or(0);
            for (table, rows) in tables {
                writeln!(
                    out,
                    "{table:<width$}  {rows} row{}",
                    if rows == 1 { "" } else { "s" }
                )?;
            }
        }
        ".schema" => {
            if arg.is_empty() {
                return usage(".schema TABLE");
            }
            let Some(table) = session.engine.catalog().get(arg) else {
                return Err(Failure::Usage(format!(
                    "no table named `{arg}` (see .tables)"
                )));
            };
            for field in table.fields() {
                writeln!(out, "{}:{}", field.name, field.ty)?;
            }
        }
        ".load" => {
            let (table, path) =
                parse_name_value(arg).map_err(|e| Failure::Usage(format!(".load: {e}")))?;
            let rows = session.load(&table, unquote(path.trim()))?;
            writeln!(
                out,
                "loaded {rows} row{} into {table}",
                if rows == 1 { "" } else { "s" }
            )?;
        }
        ".format" => match Format::from_name(arg) {
            Some(f) => session.format = f,
            None if arg.is_empty() => writeln!(out, "{}", session.format.name())?,
            None => return usage(".format table|json|ndjson|csv|markdown"),
        },
        ".timing" => match arg.to_ascii_lowercase().as_str() {
            "on" => session.timing = true,
            "off" => session.timing = false,
            "" => writeln!(out, "{}", if session.timing { "on" } else { "off" })?,
            _ => return usage(".timing on|off"),
        },
        ".explain" => {
            if arg.is_empty() {
                return usage(".explain QUERY");
            }
            let plan = session.explain(arg).map_err(|f| f.shifted(arg_offset))?;
            writeln!(out, "{}", plan.trim_end())?;
        }
        ".param" => {
            if arg.is_empty() {
                for (k, v) in session.params.iter() {
                    writeln!(out, "{k}={v}")?;
                }
            } else {
                let (k, v) =
                    parse_name_value(arg).map_err(|e| Failure::Usage(format!(".param: {e}")))?;
                session.params.set(&k, &v);
            }
        }
        ".maxrows" => match arg.parse::<usize>() {
            Ok(0) => session.style.max_rows = None,
            Ok(n) => session.style.max_rows = Some(n),
            Err(_) if arg.is_empty() => match session.style.max_rows {
                Some(n) => writeln!(out, "{n}")?,
                None => writeln!(out, "0 (all rows)")?,
            },
            Err(_) => return usage(".maxrows N"),
        },
        ".quit" | ".exit" | ".q" => return Ok(Flow::Quit),
        _ => {
            return Err(Failure::Usage(format!(
                "unknown command `{name}` (see .help)"
            )))
        }
    }
    Ok(Flow::Continue)
}

/// `"a b.json"` or `'a b.json'` → `a b.json`; anything else as it is.
fn unquote(path: &str) -> &str {
    for q in ['"', '\''] {
        if let Some(inner) = path.strip_prefix(q).and_then(|p| p.strip_suffix(q)) {
            return inner;
        }
    }
    path
}

fn usage(text: &str) -> Result<Flow, Failure> {
    Err(Failure::Usage(format!("usage: {text}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use kql_core::Engine;

    fn run(s: &mut Session, cmd: &str) -> Result<(Flow, String), Failure> {
        let mut out = Vec::new();
        let flow = run_dot(s, cmd, &mut out)?;
        Ok((flow, String::from_utf8(out).unwrap()))
    }

    fn session() -> Session {
        let mut engine = Engine::new();
        engine
            .load_str("t", "t.json", r#"[{"name": "a", "n": 1}]"#)
            .unwrap();
        Session::new(engine)
    }

    #[test]
    fn recognises_dot_commands() {
        assert!(is_dot_command(".tables"));
        assert!(is_dot_command("  .schema t"));
        assert!(!is_dot_command(".5"));
        assert!(!is_dot_command("t | count"));
        assert!(!is_dot_command("."));
    }

    #[test]
    fn settings_change() {
        let mut s = session();
        run(&mut s, ".format json").unwrap();
        assert_eq!(s.format, Format::Json);
        run(&mut s, ".timing on").unwrap();
        assert!(s.timing);
        run(&mut s, ".maxrows 5").unwrap();
        assert_eq!(s.style.max_rows, Some(5));
        run(&mut s, ".maxrows 0").unwrap();
        assert_eq!(s.style.max_rows, None);
        run(&mut s, ".param x=a=b").unwrap();
        assert_eq!(run(&mut s, ".param").unwrap().1, "x=a=b\n");
        assert_eq!(run(&mut s, ".quit").unwrap().0, Flow::Quit);
        assert!(run(&mut s, ".format xml").is_err());
        assert!(run(&mut s, ".timing maybe").is_err());
        assert!(run(&mut s, ".maxrows lots").is_err());
        assert!(run(&mut s, ".nosuch").is_err());
    }

    #[test]
    fn tables_and_schema() {
        let mut s = session();
        assert_eq!(run(&mut s, ".tables").unwrap().1, "t  1 row\n");
        assert!(run(&mut s, ".tables all")
            .unwrap()
            .1
            .contains("SecurityResources"));
        assert_eq!(run(&mut s, ".schema T").unwrap().1, "name:string\nn:long\n");
        assert!(run(&mut s, ".schema nosuch").is_err());
        assert!(run(&mut s, ".help").unwrap().1.contains(".maxrows"));
    }

    #[test]
    fn explain_errors_point_into_the_command() {
        let mut s = session();
        assert!(!run(&mut s, ".explain t | count").unwrap().1.is_empty());
        let cmd = ".explain  t | project nosuch";
        match run(&mut s, cmd) {
            Err(Failure::Query(e)) => {
                assert_eq!(e.span.unwrap().start, cmd.find("nosuch").unwrap());
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn load_paths_may_be_quoted() {
        assert_eq!(unquote("\"a b.json\""), "a b.json");
        assert_eq!(unquote("'a b.json'"), "a b.json");
        assert_eq!(unquote("a.json"), "a.json");
        assert_eq!(unquote("\""), "\"");
    }

    #[test]
    fn load_errors_are_usage_errors() {
        let mut s = session();
        let err = run(&mut s, ".load x=/no/such/file.json").unwrap_err();
        assert_eq!(err.exit_code(), 2);
        assert!(run(&mut s, ".load nothing").is_err());
    }
}
