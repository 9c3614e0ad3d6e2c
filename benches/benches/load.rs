//! Criterion benchmarks of loading generated files: NDJSON and `az graph query -o json` output,
//! read with `kql_core::io::read_file` (format detection, parsing, column building).
//!
//! `cargo bench -p kql-bench --bench load` (100,000 security rows, `KQL_BENCH_ROWS` to change).
//! The files are written to a directory under the system temp dir and deleted at the end.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use kql_bench::bench_rows;
use kql_datasets::{write, OutputFormat, TableKind, TenantConfig};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Writes `securityresources` with `rows` rows in `format` to `path`.
fn generate(rows: usize, format: OutputFormat, path: &Path) {
    let file = std::fs::File::create(path).expect("temp file");
    let mut out = BufWriter::with_capacity(1 << 20, file);
    write(
        &TenantConfig::new(42, rows),
        TableKind::SecurityResources,
        format,
        &mut out,
    )
    .expect("generated");
    out.flush().expect("written");
}

fn load(c: &mut Criterion) {
    let rows = bench_rows();
    let dir: PathBuf = std::env::temp_dir().join(format!("kql-bench-load-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let mut group = c.benchmark_group("load");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(5));
    for (name, format) in [
        ("ndjson", OutputFormat::Ndjson),
        ("az_cli", OutputFormat::AzCli),
    ] {
        let path = dir.join(format!("securityresources.{name}"));
        generate(rows, format, &path);
        let bytes = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        group.throughput(Throughput::Bytes(bytes));
        group.bench_with_input(BenchmarkId::new(name, rows), &path, |b, p| {
            b.iter(|| {
                kql_core::io::read_file(p)
                    .unwrap_or_else(|e| panic!("{e}"))
                    .num_rows()
            })
        });
        std::fs::remove_file(&path).ok();
    }
    group.finish();
    std::fs::remove_dir_all(&dir).ok();
}

criterion_group!(benches, load);
criterion_main!(benches);
