//! `load`: any bytes → `kql_core::io::read_bytes`, which detects the format (JSON array,
//! NDJSON, ARG response, az CLI output, CSV). Must return `Ok` or a `Data` error; a table that
//! loads must then write to every output format and answer a query. With `skip_bad_rows` the
//! load must agree: the same table and nothing skipped when the strict load succeeds, and a
//! report whose counts match the table otherwise.
#![no_main]

use kql_core::io::LoadOptions;
use kql_core::{io, Engine, ErrorKind};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let skip = LoadOptions {
        skip_bad_rows: true,
        ..LoadOptions::default()
    };
    let strict = io::read_bytes("fuzz.input", data);
    match (&strict, io::read_bytes_with("fuzz.input", data, &skip)) {
        (Ok(table), Ok((skipped, report))) => {
            assert_eq!(report.skipped, 0);
            assert_eq!(&skipped, table);
        }
        (_, Ok((skipped, report))) => {
            assert_eq!(report.rows, skipped.num_rows());
            assert!(report.bad_rows.len() <= report.skipped);
        }
        (Ok(_), Err(e)) => panic!("loads strictly but not when skipping bad rows: {e}"),
        (Err(_), Err(e)) => assert_eq!(e.kind, ErrorKind::Data, "{e}"),
    }
    match strict {
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
