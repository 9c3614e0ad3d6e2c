//! `load_as`: the first byte picks a format, the rest (read as UTF-8, invalid sequences
//! replaced) is read as that format with `kql_core::io::read_str_as`, so each reader also sees
//! text that detection would have given to another. Must return `Ok` or a `Data` error.
#![no_main]

use kql_core::io::{self, Format};
use kql_core::ErrorKind;
use libfuzzer_sys::fuzz_target;

const FORMATS: [Format; 5] = [
    Format::JsonArray,
    Format::Ndjson,
    Format::ArgResponse,
    Format::AzCli,
    Format::Csv,
];

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let format = FORMATS[first as usize % FORMATS.len()];
    let text = String::from_utf8_lossy(rest);
    match io::read_str_as("fuzz.input", &text, format) {
        Ok(table) => {
            let mut out = Vec::new();
            io::write_json(&table, &mut out).expect("writing JSON to memory");
            io::write_csv(&table, &mut out).expect("writing CSV to memory");
        }
        Err(e) => assert_eq!(e.kind, ErrorKind::Data, "{format:?}: {e}"),
    }
});
