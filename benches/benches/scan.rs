//! Criterion benchmarks of the scan/filter hot path.
use criterion::{criterion_group, criterion_main, Criterion};

fn scan(_c: &mut Criterion) {}

criterion_group!(benches, scan);
criterion_main!(benches);
