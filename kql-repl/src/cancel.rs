//! Cancelling a running query with Ctrl-C (REPL only).
//!
//! A SIGINT handler sets an `AtomicBool`; the query runs on a worker thread that kql-core
//! checks the flag on, while this thread waits for either the result or the flag. So the prompt
//! comes back at once even if kql-core notices the flag only at its next check; the abandoned
//! worker stops there and its result is dropped. A panic inside kql-core (a bug) becomes an
//! internal error instead of ending the session.

use kql_core::{Engine, Error, ErrorKind, QueryResult};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::Arc;
use std::time::Duration;

/// How often the waiting thread looks at the flag.
const POLL: Duration = Duration::from_millis(20);
/// Stack of the worker thread (the main thread's usual size is 8 MiB; deep queries recurse).
const WORKER_STACK: usize = 16 * 1024 * 1024;

/// Installs a Ctrl-C handler that sets the returned flag. While rustyline reads a line the
/// terminal is in raw mode, so Ctrl-C there is a key (clear the entry), not this signal.
pub fn install_handler() -> Option<Arc<AtomicBool>> {
    let flag = Arc::new(AtomicBool::new(false));
    let set = Arc::clone(&flag);
    ctrlc::set_handler(move || set.store(true, Ordering::SeqCst))
        .ok()
        .map(|()| flag)
}

/// Runs `query` on a worker thread; returns its result, or a `Cancelled` error as soon as
/// `flag` is set.
pub fn run(engine: &Engine, query: &str, flag: &Arc<AtomicBool>) -> kql_core::Result<QueryResult> {
    let (tx, rx) = mpsc::channel();
    let worker_engine = engine.clone();
    let worker_query = query.to_string();
    let worker_flag = Arc::clone(flag);
    let spawned = std::thread::Builder::new()
        .name("kql-query".into())
        .stack_size(WORKER_STACK)
        .spawn(move || {
            let result = worker_engine.query_with_cancel(&worker_query, Some(worker_flag));
            let _ = tx.send(result);
        });
    if spawned.is_err() {
        // No thread to be had: run here (Ctrl-C then acts at kql-core's next check).
        return engine.query_with_cancel(query, Some(Arc::clone(flag)));
    }
    loop {
        match rx.recv_timeout(POLL) {
            Ok(result) => return result,
            Err(RecvTimeoutError::Timeout) if flag.load(Ordering::SeqCst) => {
                return Err(Error::new(ErrorKind::Cancelled, "the query was cancelled"));
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => {
                return Err(Error::internal(
                    "the query stopped without a result (a bug in kql-core; please report it)",
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back() {
        let flag = Arc::new(AtomicBool::new(false));
        let result = run(&Engine::new(), "print x = 1", &flag).unwrap();
        assert_eq!(result.num_rows(), 1);
        let err = run(&Engine::new(), "print x = ", &flag).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Syntax);
    }

    #[test]
    fn a_set_flag_cancels() {
        let flag = Arc::new(AtomicBool::new(true));
        // Either kql-core sees the flag first or the waiting thread does: cancelled both ways.
        let err = run(
            &Engine::new(),
            "range i from 1 to 100000 step 1 | count",
            &flag,
        )
        .unwrap_err();
        assert_eq!(err.kind, ErrorKind::Cancelled);
    }
}
