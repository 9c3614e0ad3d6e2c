//! `analyze`: any bytes → parse and analyze (`Engine::check`) over the default engine (every
//! ARG table, empty). Must return `Ok` or `Err`, and never an internal error.
#![no_main]

use kql_core::{Engine, ErrorKind};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let mut engine = Engine::new();
        engine.set_now(Some(638_527_968_000_000_000));
        engine
    })
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Err(e) = engine().check(&text) {
        assert_ne!(e.kind, ErrorKind::Internal, "{text:?}: {e}");
    }
});
