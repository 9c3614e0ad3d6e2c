//! `load`: any bytes → `kql_core::io::read_bytes`, which detects the format (JSON array,
//! NDJSON, ARG response, az CLI output, CSV). Must return `Ok` or a `Data` error; a table that
//! loads must then write to every output format and answer a query. With `skip_bad_rows` the
//! load must agree: the same table and nothing skipped when the strict load succeeds, and a
//! report whose counts match the table otherwise. Read block by block (tiny blocks, sized from
//! the first bytes), the input must give what the whole read gave: the same table and report,
//! or the same error (an invalid UTF-8 byte may be reported after an earlier malformed row).
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
    let first = usize::from(data.first().copied().unwrap_or(1) % 64);
    let block = usize::from(data.get(1).copied().unwrap_or(1) % 16);
    for options in [LoadOptions::default(), skip.clone()] {
        let whole = io::read_bytes_with("fuzz.input", data, &options);
        let mut input = data;
        let blocks =
            io::read_reader_in_blocks("fuzz.input", &mut input, &options, first, block);
        match (whole, blocks) {
            (Ok(whole), Ok(blocks)) => assert_eq!(whole, blocks),
            (Err(whole), Err(blocks)) if !whole.message.contains("invalid UTF-8") => {
                assert_eq!(whole.message, blocks.message)
            }
            (Err(_), Err(blocks)) => assert_eq!(blocks.kind, ErrorKind::Data, "{blocks}"),
            (whole, blocks) => panic!("whole read {whole:?}, block read {blocks:?}"),
        }
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
