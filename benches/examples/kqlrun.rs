//! A minimal stand-in for the `kql` binary's one-shot mode, for the comparison script: it loads
//! tables through the same `Engine::load_file` and runs a query through the same
//! `Engine::query`, and can also report the process's resident memory right after loading.
//!
//! `cargo run --release -p kql-bench --example kqlrun -- --load NAME=PATH ... -c QUERY
//!  [--timing] [--repeat N] [--rss] [--format json|count]`
//!
//! With `--timing`, prints `load <table>: <ms> ms` per table and `query: <ms> ms` per run to
//! stderr, as `kql --timing` does. With `--rss`, prints `rss after load: <KiB> KiB` and
//! `peak rss after load: <KiB> KiB` (VmRSS and VmHWM from /proc/self/status) to stderr, and the
//! heap held by each loaded table's dynamic columns (`dynamic tape bytes of <table>: …`). The
//! result is printed once, as a JSON array (`json`, the default) or as its row count (`count`).

use kql_core::Engine;
use std::process::ExitCode;
use std::time::Instant;

/// The parsed command line.
#[derive(Default)]
struct Args {
    loads: Vec<(String, String)>,
    query: Option<String>,
    timing: bool,
    rss: bool,
    repeat: u32,
    count_only: bool,
}

/// Parses the flags; an error is a usage message.
fn parse_args() -> Result<Args, String> {
    let mut a = Args {
        repeat: 1,
        ..Args::default()
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--load" => {
                let v = value()?;
                let (name, path) = v.split_once('=').ok_or("--load takes NAME=PATH")?;
                a.loads.push((name.to_string(), path.to_string()));
            }
            "-c" | "--command" => a.query = Some(value()?),
            "--timing" => a.timing = true,
            "--rss" => a.rss = true,
            "--repeat" => a.repeat = value()?.parse().map_err(|e| format!("--repeat: {e}"))?,
            "--format" => match value()?.as_str() {
                "json" => a.count_only = false,
                "count" => a.count_only = true,
                other => return Err(format!("unknown format {other} (json or count)")),
            },
            other => return Err(format!("unknown flag {other}")),
        }
    }
    Ok(a)
}

/// The value in KiB of a `Name:   123 kB` line of /proc/self/status (Linux only; 0 elsewhere).
fn proc_status_kib(key: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix(key)?.strip_prefix(':'))
        .and_then(|rest| rest.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// Milliseconds with three decimals.
fn ms(d: std::time::Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1e3)
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("kqlrun: {e}");
            return ExitCode::from(2);
        }
    };
    let mut engine = Engine::new();
    for (name, path) in &args.loads {
        let start = Instant::now();
        if let Err(e) = engine.load_file(name, path) {
            eprintln!("kqlrun: cannot load `{name}` from {path}: {e}");
            return ExitCode::FAILURE;
        }
        if args.timing {
            eprintln!("load {name}: {}", ms(start.elapsed()));
        }
    }
    if args.rss {
        eprintln!("rss after load: {} KiB", proc_status_kib("VmRSS"));
        eprintln!("peak rss after load: {} KiB", proc_status_kib("VmHWM"));
        // The heap held by the loaded dynamic columns' tapes (see kql-core store::tape).
        for (name, _) in &args.loads {
            if let Some(t) = engine.catalog().get(name) {
                let bytes: usize = (0..t.fields().len())
                    .map(|i| match &**t.column(i) {
                        kql_core::Column::Dynamic(d) => d.tape_heap_bytes(),
                        _ => 0,
                    })
                    .sum();
                let per_row = bytes as f64 / t.num_rows().max(1) as f64;
                eprintln!("dynamic tape bytes of {name}: {bytes} ({per_row:.1} per row)");
            }
        }
    }
    let Some(query) = &args.query else {
        return ExitCode::SUCCESS;
    };
    let mut last = None;
    for _ in 0..args.repeat.max(1) {
        let start = Instant::now();
        match engine.query(query) {
            Ok(result) => {
                if args.timing {
                    eprintln!("query: {}", ms(start.elapsed()));
                }
                last = Some(result);
            }
            Err(e) => {
                eprintln!("{}", e.render(query));
                return ExitCode::FAILURE;
            }
        }
    }
    if args.rss {
        // Allocators may return freed memory (the file's text) to the system a little after
        // the load; this is the memory held once queries have run.
        eprintln!("rss after the queries: {} KiB", proc_status_kib("VmRSS"));
    }
    if let Some(result) = last {
        if args.count_only {
            println!("{}", result.num_rows());
        } else {
            println!("{}", result.to_json());
        }
    }
    ExitCode::SUCCESS
}
