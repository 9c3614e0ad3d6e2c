//! Measures the writers and the demo tenant build (run in release mode):
//!
//! `cargo run --release -p kql-datasets --example throughput -- [security_rows] [format] [--no-demo]`
//!
//! Prints, for each table written to a byte-counting sink, MB/s by wall clock and by the CPU
//! time of the writing thread (Linux `/proc/thread-self/schedstat`; the second figure does not
//! suffer when other processes share the machine). Then the demo tenant build: wall time of
//! the first (cold) and best of seven builds, and the process CPU time of the seven builds.

use kql_datasets::{
    demo_rows, demo_tenant, write, OutputFormat, TableKind, TenantConfig, DEMO_SECURITY_ROWS,
};
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

/// CPU time of the calling thread in seconds (Linux only; 0 elsewhere).
fn thread_cpu() -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<u64>().ok())
        .map_or(0.0, |ns| ns as f64 / 1e9)
}

/// User + system CPU time of the whole process in seconds (Linux only, 10 ms ticks).
fn process_cpu() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after_name = stat.rsplit(')').next().unwrap_or_default();
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
    (ticks(11) + ticks(12)) / 100.0
}

fn main() -> io::Result<()> {
    let mut args = std::env::args().skip(1);
    let rows: usize = args
        .next()
        .map_or(200_000, |a| a.parse().expect("security_rows is a number"));
    let format = args.next().map_or(OutputFormat::Ndjson, |f| {
        OutputFormat::from_name(&f).expect("unknown format")
    });
    let skip_demo = args.next().as_deref() == Some("--no-demo");
    let config = TenantConfig::new(42, rows);
    for table in TableKind::ALL {
        let mut sink = Counter(0);
        let (start, cpu) = (Instant::now(), thread_cpu());
        let n = write(&config, table, format, &mut sink)?;
        let (secs, cpu) = (start.elapsed().as_secs_f64(), thread_cpu() - cpu);
        let mb = sink.0 as f64 / 1e6;
        println!(
            "{table:<18} {:>6} {n:>8} rows {mb:>8.1} MB: wall {secs:>6.3} s = {:>5.0} MB/s; cpu {cpu:>6.3} s = {:>5.0} MB/s",
            format.name(),
            mb / secs,
            mb / cpu.max(1e-9),
        );
    }
    if skip_demo {
        return Ok(());
    }
    demo(
        "demo_tenant",
        || demo_tenant(DEMO_SECURITY_ROWS),
        |t| t.iter().map(|t| t.1.len()).sum(),
    );
    demo(
        "demo_rows",
        || demo_rows(DEMO_SECURITY_ROWS),
        |t| t.iter().map(|t| t.1.len()).sum(),
    );
    Ok(())
}

/// Times `build` seven times (dropping the result outside the timed span); `rows` counts.
fn demo<T>(name: &str, build: impl Fn() -> T, rows: impl Fn(&T) -> usize) {
    let (mut times, mut cpu, mut total) = (Vec::new(), 0.0, 0);
    for _ in 0..7 {
        let (start, cpu_start) = (Instant::now(), process_cpu());
        let tables = build();
        times.push(start.elapsed().as_secs_f64() * 1e3);
        cpu += process_cpu() - cpu_start;
        total = rows(&tables);
        drop(tables);
    }
    let best = times.iter().cloned().fold(f64::MAX, f64::min);
    println!(
        "{name}({DEMO_SECURITY_ROWS}): {total} rows; wall: first {:.0} ms, best {best:.0} ms; process cpu {:.0} ms per build (all threads)",
        times[0],
        cpu / 7.0 * 1e3
    );
}
