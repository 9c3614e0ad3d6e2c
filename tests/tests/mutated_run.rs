//! Issue 7's check that no query crashes or hangs the engine: 1,000 mutated corpus queries are
//! run (not only parsed) over the demo data. Each must end in a result or a clear error (an
//! error of any kind but `Internal`, which is what a caught panic becomes). A watchdog cancels
//! a query still running after a minute and the test names it: a guard against hangs, far
//! above any query here, not a measure of speed.

use kql_core::ErrorKind;
use kql_tests::{mutate, shared_dir, Lcg};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::time::Duration;

const MUTATED_QUERIES: usize = 1_000;
const HANG_GUARD: Duration = Duration::from_secs(60);

fn accepted_queries() -> Option<Vec<String>> {
    let text = std::fs::read_to_string(shared_dir()?.join("corpus/arg-queries.jsonl")).ok()?;
    let queries = text
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|v| v["official_parser"] == "ok")
        .filter_map(|v| {
            v["query_substituted"]
                .as_str()
                .or(v["query"].as_str())
                .map(str::to_string)
        })
        .collect();
    Some(queries)
}

#[test]
fn mutated_corpus_queries_end_in_a_result_or_a_clear_error() {
    let Some(queries) = accepted_queries() else {
        println!("skipped: ../shared not found, mutated queries not run");
        return;
    };
    let engine = kql_tests::demo_engine();
    let mut rng = Lcg(2026);
    let step = (queries.len() / MUTATED_QUERIES).max(1);
    let (mut ran, mut results, mut errors) = (0, 0, 0);
    for query in queries.iter().step_by(step).take(MUTATED_QUERIES) {
        let mutated = mutate(query, &mut rng);
        let cancel = Arc::new(AtomicBool::new(false));
        let (done, finished) = mpsc::channel::<()>();
        let watchdog = {
            let cancel = Arc::clone(&cancel);
            std::thread::spawn(move || {
                if finished.recv_timeout(HANG_GUARD).is_err() {
                    cancel.store(true, Ordering::Relaxed);
                }
            })
        };
        let outcome = engine.query_with_cancel(&mutated, Some(Arc::clone(&cancel)));
        let _ = done.send(());
        let _ = watchdog.join();
        ran += 1;
        match outcome {
            Ok(_) => results += 1,
            Err(e) => {
                assert!(
                    e.kind != ErrorKind::Internal,
                    "internal error (a panic) on {mutated:?}: {}",
                    e.message
                );
                assert!(
                    e.kind != ErrorKind::Cancelled,
                    "still running after {HANG_GUARD:?}: {mutated:?}"
                );
                errors += 1;
            }
        }
    }
    println!("mutated queries run: {ran} ({results} results, {errors} clear errors)");
    assert_eq!(ran, MUTATED_QUERIES.min(queries.len()));
}
