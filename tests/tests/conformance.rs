//! Runs ../shared/conformance/kql-docs.jsonl: queries from the KQL documentation with the table
//! Kusto returns. Comparison rules: ../shared/README.md. Known failures are listed, with the
//! reason, in tests/ratchet/conformance.txt; the run fails when a case outside the list fails,
//! and prints the pass rate.

use kql_core::{DataType, Engine};
use kql_tests::{cells_equal, read_ratchet, result_rows, shared_dir};
use serde_json::Value as Json;

fn check_case(engine: &Engine, case: &Json) -> Result<(), String> {
    let query = case["query"].as_str().ok_or("no query")?;
    let result = engine.query(query).map_err(|e| e.render(query))?;
    let expected_cols = case["columns"].as_array().ok_or("no columns")?;
    let names: Vec<&str> = result.fields().iter().map(|f| f.name.as_str()).collect();
    let want: Vec<&str> = expected_cols.iter().filter_map(|c| c[0].as_str()).collect();
    if names != want {
        return Err(format!("columns {names:?}, expected {want:?}"));
    }
    for (f, c) in result.fields().iter().zip(expected_cols) {
        if let Some(t) = c[1].as_str() {
            if DataType::from_name(t) != Some(f.ty) {
                return Err(format!("column {} has type {}, expected {t}", f.name, f.ty));
            }
        }
    }
    let sets = ["make_set", "bag_keys"].iter().any(|s| query.contains(s));
    let types: Vec<DataType> = result.fields().iter().map(|f| f.ty).collect();
    let actual = result_rows(&result);
    let expected: Vec<Vec<Json>> = case["rows"]
        .as_array()
        .ok_or("no rows")?
        .iter()
        .map(|r| r.as_array().cloned().unwrap_or_default())
        .collect();
    let row_eq = |e: &Vec<Json>, a: &Vec<Json>| {
        e.len() == a.len()
            && e.iter()
                .zip(a)
                .zip(&types)
                .all(|((x, y), t)| cells_equal(x, y, *t, sets))
    };
    if expected.len() != actual.len() {
        return Err(format!(
            "{} rows, expected {}: {actual:?}",
            actual.len(),
            expected.len()
        ));
    }
    if case["ordered"].as_bool() == Some(true) {
        if !expected.iter().zip(&actual).all(|(e, a)| row_eq(e, a)) {
            return Err(format!("rows {actual:?}, expected {expected:?}"));
        }
    } else {
        let mut used = vec![false; actual.len()];
        for e in &expected {
            match (0..actual.len()).find(|&i| !used[i] && row_eq(e, &actual[i])) {
                Some(i) => used[i] = true,
                None => return Err(format!("missing row {e:?}; got {actual:?}")),
            }
        }
    }
    Ok(())
}

#[test]
fn kql_documentation_cases() {
    let Some(dir) = shared_dir() else {
        println!("skipped: ../shared not found, conformance cases not run");
        return;
    };
    let text = std::fs::read_to_string(dir.join("conformance/kql-docs.jsonl")).expect("readable");
    let known = read_ratchet("conformance.txt");
    let mut engine = Engine::new();
    // now() and ago() depend on the clock; the documented cases do not use them.
    engine.set_now(None);
    let (mut passed, mut total) = (0, 0);
    let mut unexpected = Vec::new();
    let mut fixed = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let case: Json = serde_json::from_str(line).expect("valid JSON line");
        let id = case["id"].as_str().unwrap_or("?").to_string();
        total += 1;
        match check_case(&engine, &case) {
            Ok(()) => {
                passed += 1;
                if known.contains(&id) {
                    fixed.push(id);
                }
            }
            Err(why) if !known.contains(&id) => unexpected.push(format!("{id}: {why}")),
            Err(_) => {}
        }
    }
    println!(
        "conformance: {passed}/{total} passed ({:.1}%)",
        100.0 * passed as f64 / total as f64
    );
    if !fixed.is_empty() {
        println!(
            "now passing, remove from tests/ratchet/conformance.txt: {}",
            fixed.join(" ")
        );
    }
    assert!(
        unexpected.is_empty(),
        "unexpected failures:\n{}",
        unexpected.join("\n\n")
    );
}
