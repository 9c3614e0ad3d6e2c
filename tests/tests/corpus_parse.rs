//! Parses the shared corpus (`../shared/corpus`, `../shared/conformance`): every query Microsoft's
//! parser accepts must parse, and printing the tree back must reach a fixpoint.
//! Ids that still fail are listed in `tests/ratchet/corpus-parse.txt`; the list may only shrink.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Instant;

use kql_core::syntax::parse;
use kql_tests::{mutate, Lcg};

fn shared() -> PathBuf {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared")).to_path_buf()
}

/// One query to parse: its id and text.
struct Case {
    id: String,
    query: String,
}

fn read_jsonl(path: &Path) -> Vec<serde_json::Value> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
        .collect()
}

fn field(v: &serde_json::Value, name: &str) -> Option<String> {
    v.get(name).and_then(|x| x.as_str()).map(str::to_string)
}

/// The corpus queries that must parse, then the Azure docs extras and the conformance queries.
fn cases_of(root: &Path) -> Vec<Case> {
    let mut out = Vec::new();
    for v in read_jsonl(&root.join("corpus/arg-queries.jsonl")) {
        let ok = field(&v, "official_parser").as_deref() == Some("ok")
            || v.get("ok_if_kind_bracketed").and_then(|b| b.as_bool()) == Some(true);
        if ok {
            let query = field(&v, "query_substituted")
                .or_else(|| field(&v, "query"))
                .unwrap_or_default();
            out.push(Case {
                id: field(&v, "id").unwrap_or_default(),
                query,
            });
        }
    }
    for (n, v) in read_jsonl(&root.join("corpus/extra-azure-docs.jsonl"))
        .iter()
        .enumerate()
    {
        out.push(Case {
            id: format!("extra-{n}"),
            query: field(v, "query").unwrap_or_default(),
        });
    }
    for v in read_jsonl(&root.join("conformance/kql-docs.jsonl")) {
        let id = format!("conformance-{}", field(&v, "id").unwrap_or_default());
        out.push(Case {
            id,
            query: field(&v, "query").unwrap_or_default(),
        });
    }
    out
}

/// Parses, prints, parses the print and prints again: the two prints must agree.
fn check(query: &str) -> Result<(), String> {
    let first = parse(query).map_err(|e| format!("{e} at {:?}\n{}", e.span, e.render(query)))?;
    let printed = first.to_string();
    let second = parse(&printed).map_err(|e| format!("reparse: {e}\n{}", e.render(&printed)))?;
    let reprinted = second.to_string();
    if reprinted != printed {
        return Err(format!(
            "print is not a fixpoint:\n{printed}\n---\n{reprinted}"
        ));
    }
    let (a, b) = (
        without_spans(&format!("{first:?}")),
        without_spans(&format!("{second:?}")),
    );
    if a != b {
        return Err(format!(
            "the printed query parses to another tree:\n{printed}\n{a}\n---\n{b}"
        ));
    }
    Ok(())
}

/// A tree's debug text with every `Span { start: …, end: … }` blanked out.
fn without_spans(debug: &str) -> String {
    let mut out = String::with_capacity(debug.len());
    let mut rest = debug;
    while let Some(n) = rest.find("Span { start: ") {
        out.push_str(&rest[..n]);
        out.push_str("Span");
        rest = &rest[n..];
        rest = rest.find('}').map_or("", |close| &rest[close + 1..]);
    }
    out.push_str(rest);
    out
}

fn ratchet() -> BTreeSet<String> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/ratchet/corpus-parse.txt");
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect()
}

#[test]
fn corpus_parses() {
    let root = shared();
    if !root.join("corpus/arg-queries.jsonl").exists() {
        println!("skipped: ../shared not found");
        return;
    }
    let known = ratchet();
    let cases = cases_of(&root);
    let mut failed = Vec::new();
    let mut new_failures = Vec::new();
    let mut slowest = (0.0f64, String::new());
    let mut total = 0.0f64;
    for case in &cases {
        let started = Instant::now();
        let parsed = parse(&case.query);
        let secs = started.elapsed().as_secs_f64();
        total += secs;
        drop(parsed);
        let result = check(&case.query);
        if secs > slowest.0 {
            slowest = (secs, case.id.clone());
        }
        if let Err(msg) = result {
            failed.push(case.id.clone());
            if !known.contains(&case.id) {
                new_failures.push(format!("{}: {msg}\n{}\n", case.id, case.query));
            }
        }
    }
    let passed = cases.len() - failed.len();
    println!(
        "corpus parse: {passed}/{} passed ({:.2}%), parsing took {:.0} ms in all, slowest {} in {:.1} ms",
        cases.len(),
        100.0 * passed as f64 / cases.len().max(1) as f64,
        total * 1000.0,
        slowest.1,
        slowest.0 * 1000.0
    );
    let fixed: Vec<_> = known.iter().filter(|id| !failed.contains(id)).collect();
    if !fixed.is_empty() {
        println!("now passing, remove from the ratchet: {fixed:?}");
    }
    assert!(
        new_failures.is_empty(),
        "{} new failures:\n{}",
        new_failures.len(),
        new_failures.join("\n")
    );
}

/// Mutated corpus queries never panic; errors have valid spans; what parses prints back.
#[test]
fn mutated_queries_fail_cleanly() {
    let root = shared();
    if !root.join("corpus/arg-queries.jsonl").exists() {
        println!("skipped: ../shared not found");
        return;
    }
    let mut rng = Lcg(12345);
    let (mut cases, mut parsed) = (0, 0);
    for case in cases_of(&root).iter().step_by(11) {
        for _ in 0..10 {
            let s = mutate(&case.query, &mut rng);
            cases += 1;
            match parse(&s) {
                Ok(_) => {
                    parsed += 1;
                    check(&s).unwrap_or_else(|e| panic!("{s:?}: {e}"));
                }
                Err(e) => {
                    let span = e.span.unwrap_or_else(|| panic!("{s:?}: no span"));
                    assert!(
                        s.get(span.start..span.end).is_some(),
                        "{s:?}: bad span {span:?}"
                    );
                }
            }
        }
    }
    println!("mutations: {cases} cases, {parsed} still parse");
}
