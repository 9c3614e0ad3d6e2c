//! `parse`: any bytes (read as UTF-8, invalid sequences replaced) → `kql_core::syntax::parse`.
//!
//! Must return `Ok` or `Err`, never panic, overflow the stack or hang. When it parses, the
//! printed tree must parse again and print the same (the round-trip law of DESIGN.md §7).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(query) = kql_core::syntax::parse(&text) {
        let printed = query.to_string();
        match kql_core::syntax::parse(&printed) {
            Ok(again) => assert_eq!(
                again.to_string(),
                printed,
                "{text:?} does not print to a fixed point"
            ),
            Err(e) => panic!("{text:?} printed as {printed:?}, which does not parse: {e}"),
        }
    }
});
