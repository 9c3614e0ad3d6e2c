//! Runs every query of ../shared/corpus/arg-queries.jsonl that Microsoft's parser accepts over
//! the engine (every ARG table exists; data comes from the demo tenant when it is available).
//! Ids that do not run yet are listed with the reason in tests/ratchet/corpus-run.txt; the
//! run fails when a query outside the list fails, or a listed one passes.

use kql_tests::{read_ratchet, shared_dir};
use serde_json::Value as Json;
use std::collections::BTreeMap;

fn queries() -> Option<Vec<(String, String)>> {
    let dir = shared_dir()?;
    let text = std::fs::read_to_string(dir.join("corpus/arg-queries.jsonl")).ok()?;
    let mut out = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let v: Json = serde_json::from_str(line).ok()?;
        let ok = v["official_parser"] == "ok" || v["ok_if_kind_bracketed"] == true;
        if !ok {
            continue;
        }
        let q = v["query_substituted"]
            .as_str()
            .or(v["query"].as_str())
            .unwrap_or_default();
        out.push((v["id"].as_str().unwrap_or("?").to_string(), q.to_string()));
    }
    Some(out)
}

#[test]
fn corpus_queries_run() {
    let Some(queries) = queries() else {
        println!("skipped: ../shared not found, corpus queries not run");
        return;
    };
    let engine = kql_tests::demo_engine();
    let known = read_ratchet("corpus-run.txt");
    let mut failures: BTreeMap<String, usize> = BTreeMap::new();
    let (mut passed, mut unexpected, mut fixed) = (0, Vec::new(), Vec::new());
    for (id, q) in &queries {
        match engine.query(q) {
            Ok(_) => {
                passed += 1;
                if known.contains(id) {
                    fixed.push(id.clone());
                }
            }
            Err(e) => {
                let key = format!("{}: {}", e.kind.label(), e.message);
                *failures.entry(key.clone()).or_default() += 1;
                if std::env::var_os("KQL_RATCHET_WRITE").is_some() {
                    println!("RATCHET {id} {key}");
                }
                if !known.contains(id) {
                    unexpected.push(format!("{id} {key}"));
                }
            }
        }
    }
    let total = queries.len();
    println!(
        "corpus run: {passed}/{total} run ({:.1}%)",
        100.0 * passed as f64 / total as f64
    );
    let mut top: Vec<_> = failures.into_iter().collect();
    top.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
    for (reason, n) in top.iter().take(25) {
        println!("  {n:4}  {reason}");
    }
    assert!(
        unexpected.is_empty(),
        "{} queries fail outside tests/ratchet/corpus-run.txt:\n{}",
        unexpected.len(),
        unexpected.join("\n")
    );
    assert!(
        fixed.is_empty(),
        "now running, remove from tests/ratchet/corpus-run.txt: {}",
        fixed.join(" ")
    );
}
