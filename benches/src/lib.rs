//! Benchmarks of kql-rs live in `benches/`.
