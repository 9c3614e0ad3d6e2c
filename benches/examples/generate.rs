//! Writes a generated data set to a file, like `kql generate` (which the comparison script uses
//! when the `kql` binary has it; this example is the fallback):
//!
//! `cargo run --release -p kql-bench --example generate -- --rows N [--seed S]
//!  [--table securityresources|resources|resourcecontainers]
//!  [--format ndjson|json|arg-response|az-cli|csv] -o FILE`
//!
//! Prints the number of rows written to stderr.

use kql_datasets::{write, OutputFormat, TableKind, TenantConfig};
use std::io::{BufWriter, Write};
use std::process::ExitCode;

/// The parsed command line.
struct Args {
    rows: usize,
    seed: u64,
    table: TableKind,
    format: OutputFormat,
    out: String,
}

/// Parses the flags; an error is a usage message.
fn parse_args() -> Result<Args, String> {
    let mut rows = None;
    let mut seed = 42;
    let mut table = TableKind::SecurityResources;
    let mut format = OutputFormat::Ndjson;
    let mut out = None;
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--rows" => rows = Some(value()?.parse().map_err(|e| format!("--rows: {e}"))?),
            "--seed" => seed = value()?.parse().map_err(|e| format!("--seed: {e}"))?,
            "--table" => {
                let v = value()?;
                table = TableKind::from_name(&v).ok_or(format!("unknown table {v}"))?;
            }
            "--format" => {
                let v = value()?;
                format = OutputFormat::from_name(&v).ok_or(format!("unknown format {v}"))?;
            }
            "-o" | "--output" => out = Some(value()?),
            other => return Err(format!("unknown flag {other}")),
        }
    }
    Ok(Args {
        rows: rows.ok_or("--rows N is required")?,
        seed,
        table,
        format,
        out: out.ok_or("-o FILE is required")?,
    })
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("generate: {e}");
            return ExitCode::from(2);
        }
    };
    let config = TenantConfig::new(args.seed, args.rows);
    let result = std::fs::File::create(&args.out).and_then(|file| {
        let mut out = BufWriter::with_capacity(1 << 20, file);
        let n = write(&config, args.table, args.format, &mut out)?;
        out.flush()?;
        Ok(n)
    });
    match result {
        Ok(n) => {
            eprintln!(
                "generate: {n} rows of {} to {}",
                args.table.name(),
                args.out
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("generate: {}: {e}", args.out);
            ExitCode::FAILURE
        }
    }
}
