//! The `kql` binary: an interactive KQL shell, script files, one-shot queries and the data
//! generator (DESIGN.md §5).
//!
//! Exit codes: 0 ok, 1 a query failed, 2 a usage or file error.
#![forbid(unsafe_code)]

mod args;
mod cancel;
mod complete;
mod demo;
mod dot;
mod generate;
mod highlight;
mod output;
mod params;
mod render;
mod repl;
mod script;
mod session;
mod terminal;

use args::{Cli, Command};
use clap::Parser;
use session::{Failure, Session};
use std::io::{IsTerminal, Read, Write};

fn main() {
    std::process::exit(run());
}

/// Everything `main` does; returns the exit code.
fn run() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { 2 } else { 0 };
        }
    };
    if let Some(Command::Generate(g)) = &cli.subcommand {
        return generate::run(g);
    }
    // Read the scripts first: a missing file is reported before any data is loaded.
    let mut scripts = Vec::new();
    for path in &cli.files {
        match std::fs::read_to_string(path) {
            Ok(text) => scripts.push((path.display().to_string(), text)),
            Err(e) => {
                eprintln!("kql: cannot read {}: {e}", path.display());
                return 2;
            }
        }
    }
    let batch = !cli.files.is_empty() || cli.command.is_some();
    let interactive = !batch && std::io::stdin().is_terminal();
    if !batch && !interactive {
        let mut text = String::new();
        if let Err(e) = std::io::stdin().read_to_string(&mut text) {
            eprintln!("kql: cannot read stdin: {e}");
            return 2;
        }
        if script::split(&text).is_empty() && cli.load.is_empty() {
            return 0; // Nothing to run: no need to build the demo data.
        }
        scripts.push(("<stdin>".to_string(), text));
    }
    let mut session = match start_session(&cli, interactive) {
        Ok(s) => s,
        Err(f) => return report_plain(f),
    };
    if interactive {
        repl::run(session)
    } else {
        let stdout = std::io::stdout();
        run_batch(&cli, &scripts, &mut session, &mut stdout.lock())
    }
}

/// The session the flags describe, with its tables loaded (in the REPL, the demo tables load in
/// the background so the prompt comes up at once).
fn start_session(cli: &Cli, interactive: bool) -> Result<Session, Failure> {
    let mut session = Session::new(kql_core::Engine::new());
    session.format = cli.format;
    session.timing = cli.timing;
    session.check_only = cli.check;
    session.engine.set_options(kql_core::Options {
        arg_strict: cli.arg_strict,
        limits: cli.limits(),
    });
    session.skip_bad_rows = cli.skip_bad_rows;
    session.repeat = cli.repeat;
    for (name, value) in &cli.params {
        session.params.set(name, value);
    }
    if std::io::stdout().is_terminal() {
        session.style.color = terminal::color_allowed();
        session.style.max_width = terminal::width();
    }
    // `--check` analyzes against the (empty) ARG tables' schemas: it needs no demo rows.
    if cli.load.is_empty() && !cli.check {
        if interactive {
            session.pending_demo = Some(demo::spawn(cli.demo_rows));
        } else {
            demo::load_demo(&mut session, cli.demo_rows)?;
        }
    }
    for (name, path) in &cli.load {
        session.load(name, path)?;
    }
    Ok(session)
}

/// Runs the scripts (name, text; a script from stdin is one of them), then the `-c` query.
fn run_batch(
    cli: &Cli,
    scripts: &[(String, String)],
    session: &mut Session,
    out: &mut dyn Write,
) -> i32 {
    let mut code = 0;
    for (name, text) in scripts {
        let outcome = script::run_script(session, name, text, out, cli.continue_on_error);
        code = code.max(outcome.code);
        if outcome.stop {
            return code;
        }
    }
    if let Some(query) = &cli.command {
        let result = if dot::is_dot_command(query) {
            dot::run_dot(session, query, out).map(|_| ())
        } else {
            session.run_query(query, out)
        };
        if let Err(f) = result {
            code = code.max(f.exit_code());
            match f {
                Failure::Query(e) => eprint!("{}", e.render(query)),
                other => {
                    report_plain(other);
                }
            }
        }
    }
    code
}

/// Prints a failure that has no source text; returns its exit code.
fn report_plain(failure: Failure) -> i32 {
    let code = failure.exit_code();
    match failure {
        Failure::Query(e) => eprintln!("kql: {e}"),
        Failure::Usage(msg) => eprintln!("kql: {msg}"),
        Failure::Closed => {}
    }
    code
}
