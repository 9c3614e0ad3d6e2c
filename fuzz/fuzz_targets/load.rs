//! `load`: any bytes → `kql_core::io::read_bytes`, which detects the format (JSON array,
//! NDJSON, ARG response, az CLI output, CSV). Must return `Ok` or a `Data` error; a table that
//! loads must then write to every output format and answer a query.
#![no_main]

use kql_core::{io, Engine, ErrorKind};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match io::read_bytes("fuzz.input", data) {
        Ok(table) => {
            let mut out = Vec::new();
            io::write_json(&table, &mut out).expect("writing JSON to memory");
            io::write_ndjson(&table, &mut out).expect("writing NDJSON to memory");
            io::write_csv(&table, &mut out).expect("writing CSV to memory");
            io::write_markdown(&table, &mut out).expect("writing markdown to memory");
            let mut engine = Engine::new();
            engine.add_table("T", table);
            let _ = engine.query("T | summarize count() by tostring(column_ifexists('id', ''))");
            let _ = engine.query("T | take 3 | project-reorder * asc");
        }
        Err(e) => assert_eq!(e.kind, ErrorKind::Data, "{e}"),
    }
});
