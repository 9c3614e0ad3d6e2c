//! Every built-in function once: its signature (read by `analyze`) beside its kernel (called by
//! `exec`), one file per area.

pub mod conversion;
pub mod datetime;
