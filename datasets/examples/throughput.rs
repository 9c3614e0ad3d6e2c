//! Measures the NDJSON writer and the demo tenant build (run in release mode):
//!
//! `cargo run --release -p kql-datasets --example throughput -- [security_rows] [format]`
//!
//! Prints MB/s of each table written to a byte-counting sink, and the demo tenant build time.

use kql_datasets::{demo_tenant, write, OutputFormat, TableKind, TenantConfig, DEMO_SECURITY_ROWS};
use std::io::{self, Write};
use std::time::Instant;

/// A sink that only counts bytes.
struct Counter(u64);

impl Write for Counter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0 += buf.len() as u64;
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

fn main() -> io::Result<()> {
    let mut args = std::env::args().skip(1);
    let rows: usize = args
        .next()
        .map_or(200_000, |a| a.parse().expect("security_rows is a number"));
    let format = args.next().map_or(OutputFormat::Ndjson, |f| {
        OutputFormat::from_name(&f).expect("unknown format")
    });
    let config = TenantConfig::new(42, rows);
    for table in TableKind::ALL {
        let mut sink = Counter(0);
        let start = Instant::now();
        let n = write(&config, table, format, &mut sink)?;
        let secs = start.elapsed().as_secs_f64();
        println!(
            "{table:<20} {:>5} {n:>9} rows {:>9.1} MB in {secs:>6.3} s = {:>6.1} MB/s, {:>8.0} rows/s",
            format.name(),
            sink.0 as f64 / 1e6,
            sink.0 as f64 / 1e6 / secs,
            n as f64 / secs
        );
    }
    // The machine may be shared: report the best of several runs.
    let mut best = f64::MAX;
    let mut total = 0;
    for _ in 0..7 {
        let start = Instant::now();
        let tables = demo_tenant(DEMO_SECURITY_ROWS);
        best = best.min(start.elapsed().as_secs_f64());
        total = tables.iter().map(|(_, rows)| rows.len()).sum();
    }
    println!(
        "demo_tenant({DEMO_SECURITY_ROWS}): {total} rows in {:.1} ms (best of 7)",
        best * 1e3
    );
    Ok(())
}
