//! Runs every query of ../shared/corpus/arg-queries.jsonl that Microsoft's parser accepts over
//! the engine (every ARG table exists; data comes from the demo tenant when it is available).
//! Ids that do not run yet are listed with the reason in tests/ratchet/corpus-run.txt; the
//! run fails when a query outside the list fails, or a listed one passes.
//!
//! A query that fails only because the corpus substituted a quoted string for a placeholder the
//! workbook fills with a number or a predicate (Kusto rejects the quoted form too) is run again
//! with the literal typed by its context ([`typed_placeholders`]) and counted apart.

use kql_tests::{read_ratchet, shared_dir, typed_placeholders};
use serde_json::Value as Json;
use std::collections::BTreeMap;

struct CorpusQuery {
    id: String,
    text: String,
    params: Vec<String>,
}

fn queries() -> Option<Vec<CorpusQuery>> {
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
        let params = v["params"]
            .as_array()
            .map(|ps| {
                ps.iter()
                    .filter_map(|p| p.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        out.push(CorpusQuery {
            id: v["id"].as_str().unwrap_or("?").to_string(),
            text: q.to_string(),
            params,
        });
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
    let mut typed_runs = Vec::new();
    for CorpusQuery { id, text, params } in &queries {
        let outcome =
            engine
                .query(text)
                .map(|_| ())
                .or_else(|e| match typed_placeholders(text, params) {
                    Some(typed) if engine.query(&typed).is_ok() => {
                        typed_runs.push(id.clone());
                        Ok(())
                    }
                    _ => Err(e),
                });
        match outcome {
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
        "corpus run: {passed}/{total} run ({:.1}%), {} of them once the placeholders the \
         substitution quoted are typed as numbers or predicates: {}",
        100.0 * passed as f64 / total as f64,
        typed_runs.len(),
        typed_runs.join(" ")
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
