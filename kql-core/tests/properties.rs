//! Property tests: laws that must hold for every query, checked on random ones.
//!
//! - Printing: parse → print → parse gives the same tree (compared through the printed text).
//! - Evaluation: a random well-typed expression over a small table gives `Ok` or `Err`, never a
//!   panic; so does a random pipeline, and `Q | count` counts the rows of `Q`.
//! - Counting: `T | where P | count`, `T | summarize countif(P)` and the rows of `T | where P`
//!   agree.
//!
//! Queries come from the byte-driven generator in `gen/mod.rs` (shared with the `query` fuzz
//! target), fed with random bytes; proptest shrinks a failing byte vector, and the failing query
//! is printed in the assertion message. Case counts are kept small so the suite stays fast in a
//! debug build; raise them with `PROPTEST_CASES=…` for a longer run.

mod gen;

use gen::{Gen, Ty};
use kql_core::{Engine, ErrorKind};
use proptest::prelude::*;
use std::sync::OnceLock;

/// One engine for every case (building the table is a query of its own).
fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(gen::engine)
}

/// proptest's configuration with `cases` unless `PROPTEST_CASES` says otherwise. The seed is
/// fixed so that `cargo test` (and CI) is deterministic; set `PROPTEST_RNG_SEED` (or run the
/// fuzzers, FUZZING.md) to explore new cases.
fn config(cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(cases);
    let defaults = ProptestConfig::default();
    let rng_seed = match std::env::var_os("PROPTEST_RNG_SEED") {
        Some(_) => defaults.rng_seed,
        None => proptest::test_runner::RngSeed::Fixed(0x6b71_6c72),
    };
    ProptestConfig {
        cases,
        failure_persistence: None,
        rng_seed,
        ..defaults
    }
}

/// Random input for the generator.
fn bytes() -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(any::<u8>(), 0..256)
}

/// Asserts that `text` prints back to KQL that parses to the same tree.
fn assert_round_trip(text: &str) {
    let Ok(first) = kql_core::syntax::parse(text) else {
        return;
    };
    let printed = first.to_string();
    let second = kql_core::syntax::parse(&printed)
        .unwrap_or_else(|e| panic!("{text:?} printed as {printed:?}, which does not parse: {e}"));
    assert_eq!(
        second.to_string(),
        printed,
        "{text:?} does not print to a fixed point"
    );
}

/// Runs `query`: an `Ok`, or an `Err` that is not an internal error (a bug by definition).
fn run(query: &str) -> Option<kql_core::QueryResult> {
    match engine().query(query) {
        Ok(result) => Some(result),
        Err(e) => {
            assert_ne!(e.kind, ErrorKind::Internal, "{query}\n→ {e}");
            None
        }
    }
}

/// The single long in a one-row, one-column result.
fn single_long(query: &str) -> i64 {
    let result = run(query).unwrap_or_else(|| panic!("{query} failed"));
    let rows: Vec<_> = result.rows().collect();
    assert_eq!(rows.len(), 1, "{query} gave {} rows", rows.len());
    match &rows[0][0] {
        kql_core::Value::Long(n) => *n,
        other => panic!("{query} gave {other:?}, not a long"),
    }
}

/// Tokens that KQL text is made of, for the token-soup round trip.
const TOKENS: &[&str] = &[
    "T",
    "|",
    "where",
    "extend",
    "project",
    "summarize",
    "by",
    "count",
    "take",
    "sort",
    "asc",
    "desc",
    "(",
    ")",
    "[",
    "]",
    ",",
    ";",
    "=",
    "==",
    "!=",
    "<",
    ">",
    "+",
    "-",
    "*",
    "/",
    "%",
    "and",
    "or",
    "not",
    "a",
    "b",
    "x",
    "1",
    "2.5",
    "1d",
    "'s'",
    "\"t\"",
    "@'v'",
    "has",
    "!has",
    "contains",
    "in",
    "!in",
    "between",
    "..",
    "let",
    "datatable",
    "dynamic",
    "({\"a\":1})",
    "datetime(2024-01-01)",
    "print",
    "true",
    "null",
    ".",
    "strlen",
    "iff",
    "join",
    "on",
    "kind",
    "inner",
    "$left",
    "$right",
    "mv-expand",
    "parse",
    "with",
    "*",
    "union",
    "range",
    "from",
    "to",
    "step",
    "distinct",
    "top",
    "count()",
    "=~",
    "matches",
    "regex",
    "//c\n",
    "long(null)",
];

fn token_soup() -> impl Strategy<Value = String> {
    proptest::collection::vec(proptest::sample::select(TOKENS), 1..24).prop_map(|t| t.join(" "))
}

proptest! {
    #![proptest_config(config(128))]

    /// Generated queries (valid KQL) print back to the same tree.
    #[test]
    fn generated_queries_round_trip(data in bytes()) {
        let query = Gen::new(&data).query();
        prop_assert!(kql_core::syntax::parse(&query).is_ok(), "{query} does not parse");
        assert_round_trip(&query);
    }

    /// Any token sequence that parses prints back to the same tree.
    #[test]
    fn token_soup_round_trips(text in token_soup()) {
        assert_round_trip(&text);
    }

    /// A random expression of each type, in `extend` and in `print`, gives Ok or Err.
    #[test]
    fn expressions_never_panic(data in bytes()) {
        let mut gen = Gen::new(&data);
        for ty in [Ty::Str, Ty::Long, Ty::Real, Ty::Bool, Ty::Date, Ty::Span, Ty::Dyn] {
            let e = gen.expr(ty, 4);
            run(&format!("T | extend x = {e}"));
        }
        // `print` has no columns in scope: literals and functions only.
        let t = [Ty::Str, Ty::Long, Ty::Real, Ty::Dyn][data.len() % 4];
        let e = Gen::with_columns(&data, Vec::new()).expr(t, 4);
        run(&format!("print x = {e}"));
    }

    /// A random pipeline gives Ok or Err, and when Ok, `| count` counts its rows.
    #[test]
    fn pipelines_never_panic_and_count_their_rows(data in bytes()) {
        let query = Gen::new(&data).query();
        if let Some(result) = run(&query) {
            let counted = single_long(&format!("{query}\n| count"));
            prop_assert_eq!(counted as usize, result.num_rows(), "{}", query);
        }
    }

    /// `where P | count` = `summarize countif(P)` = the rows `where P` keeps.
    #[test]
    fn where_count_agrees_with_countif(data in bytes()) {
        let p = Gen::new(&data).predicate();
        let kept = run(&format!("T | where {p}"));
        let Some(kept) = kept else {
            // A predicate that does not type-check must fail the same way everywhere.
            prop_assert!(run(&format!("T | summarize countif({p})")).is_none(), "{}", p);
            return Ok(());
        };
        let counted = single_long(&format!("T | where {p} | count"));
        let countif = single_long(&format!("T | summarize countif({p})"));
        prop_assert_eq!(counted as usize, kept.num_rows(), "where {} | count", p);
        prop_assert_eq!(countif, counted, "countif({})", p);
    }
}

/// The generator is worth its name: most of what it writes analyzes and runs.
#[test]
fn generator_writes_mostly_valid_queries() {
    let mut ok = 0;
    let total = 300;
    for seed in 0..total {
        // A cheap deterministic byte stream per seed.
        let data: Vec<u8> = (0..200u32)
            .map(|i| ((seed * 7919 + i * 104_729) % 251) as u8 ^ (i as u8).wrapping_mul(31))
            .collect();
        let query = Gen::new(&data).query();
        if engine().query(&query).is_ok() {
            ok += 1;
        }
    }
    assert!(ok * 2 > total, "only {ok} of {total} generated queries run");
}
