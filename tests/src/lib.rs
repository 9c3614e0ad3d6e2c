//! Helpers shared by the end-to-end tests and the runners over `../shared`.

use kql_core::functions::datetime::parse_datetime;
use kql_core::io::value_to_output_json;
use kql_core::{DataType, QueryResult};
use serde_json::Value as Json;
use std::path::PathBuf;

/// The shared folder beside the project (`../shared`), when present.
pub fn shared_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared");
    dir.is_dir().then_some(dir)
}

/// Ids listed in a ratchet file (one per line, `#` comments and text after the id ignored).
pub fn read_ratchet(name: &str) -> Vec<String> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("ratchet")
        .join(name);
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|id| !id.starts_with('#'))
        .map(str::to_string)
        .collect()
}

/// The result as rows of JSON cells.
pub fn result_rows(r: &QueryResult) -> Vec<Vec<Json>> {
    r.rows()
        .map(|row| row.iter().map(value_to_output_json).collect())
        .collect()
}

/// Compares an expected cell (as the shared files write it) with an actual one, for a column
/// of type `ty`. `sets` compares arrays as sets (make_set, bag_keys).
pub fn cells_equal(expected: &Json, actual: &Json, ty: DataType, sets: bool) -> bool {
    match (expected, actual) {
        // An empty cell in a non-string column means null.
        (Json::String(s), Json::Null) if s.is_empty() && ty != DataType::String => true,
        (Json::Number(a), Json::Number(b)) => numbers_equal(a.as_f64(), b.as_f64()),
        (Json::String(a), Json::String(b)) if ty == DataType::DateTime => {
            parse_datetime(a).is_some() && parse_datetime(a) == parse_datetime(b)
        }
        (Json::String(a), Json::String(b)) if ty == DataType::Real => a == b,
        (Json::String(a), Json::Number(b)) if ty == DataType::Real => {
            numbers_equal(a.parse().ok(), b.as_f64())
        }
        (Json::Array(a), Json::Array(b)) if sets => {
            a.len() == b.len()
                && a.iter()
                    .all(|x| b.iter().any(|y| cells_equal(x, y, DataType::Dynamic, true)))
        }
        (Json::Array(a), Json::Array(b)) => {
            a.len() == b.len()
                && a.iter()
                    .zip(b)
                    .all(|(x, y)| cells_equal(x, y, DataType::Dynamic, sets))
        }
        (Json::Object(a), Json::Object(b)) => {
            a.len() == b.len()
                && a.iter().all(|(k, x)| {
                    b.get(k)
                        .is_some_and(|y| cells_equal(x, y, DataType::Dynamic, sets))
                })
        }
        (a, b) => a == b,
    }
}

fn numbers_equal(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a == b || (a - b).abs() <= 1e-9 * a.abs().max(b.abs()),
        _ => false,
    }
}

/// Security rows of the demo tenant the tests use (the REPL's default is 20,000).
pub const DEMO_SECURITY_ROWS: usize = 2_000;

/// An engine with every ARG table and a small demo tenant (2,000 security rows and the
/// resources and containers they refer to) from the kql-datasets generator.
pub fn demo_engine() -> kql_core::Engine {
    let mut engine = kql_core::Engine::new();
    for (kind, rows) in kql_datasets::demo_tenant(DEMO_SECURITY_ROWS) {
        let table = kql_core::io::table_from_json_rows(&rows).expect("demo rows load");
        engine.add_table(kind.name(), table);
    }
    engine
}

/// The corpus's `query_substituted` replaces every workbook placeholder with a quoted string,
/// also where the workbook substitutes a number or a predicate: `ServersInRg * {discount}`
/// becomes `ServersInRg * 'discount'`, `where {Filter}` becomes `where 'Filter'`. Kusto rejects
/// those forms too (`*` is not defined on string, `where` needs a bool), so they say nothing
/// about kql-rs. This gives the query with such literals typed by their context instead: a
/// literal next to an arithmetic or ordering operator becomes `1`, a literal standing alone as
/// a predicate (after `where`/`and`/`or`, before `and`/`or`/`|`/`)`/the end) becomes `true`.
/// `None` when no literal of `params` is in such a place.
///
/// Only the substitution's own literals (`'Name'` for a parameter `Name`) are touched.
pub fn typed_placeholders(query: &str, params: &[String]) -> Option<String> {
    let mut edits: Vec<(std::ops::Range<usize>, &str)> = Vec::new();
    for name in params {
        let name = name.split(':').next().unwrap_or(name);
        let literal = format!("'{name}'");
        let mut from = 0;
        while let Some(at) = query[from..].find(&literal) {
            let start = from + at;
            let end = start + literal.len();
            from = end;
            let before = last_token(&query[..start]);
            let after = first_token(&query[end..]);
            let arithmetic = |t: &str| matches!(t, "*" | "/" | "%" | "+" | "-");
            let ordering = |t: &str| matches!(t, "<" | ">" | "<=" | ">=");
            let replacement = if arithmetic(before) || arithmetic(after) || ordering(before) {
                "1"
            } else if matches!(before, "where" | "and" | "or")
                && matches!(after, "and" | "or" | "|" | ")" | "")
            {
                "true"
            } else {
                continue;
            };
            edits.push((start..end, replacement));
        }
    }
    if edits.is_empty() {
        return None;
    }
    edits.sort_by_key(|(r, _)| std::cmp::Reverse(r.start));
    let mut out = query.to_string();
    for (range, replacement) in edits {
        out.replace_range(range, replacement);
    }
    Some(out)
}

/// The last token of `text`: a word, or a run of operator characters.
fn last_token(text: &str) -> &str {
    let text = text.trim_end();
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    let is_op = |c: char| "*/%+-<>=!".contains(c);
    let start = match text.chars().next_back() {
        Some(c) if is_word(c) => text.trim_end_matches(is_word).len(),
        Some(c) if is_op(c) => text.trim_end_matches(is_op).len(),
        Some(c) => text.len() - c.len_utf8(),
        None => 0,
    };
    &text[start..]
}

/// The first token of `text`: a word, or a run of operator characters.
fn first_token(text: &str) -> &str {
    let text = text.trim_start();
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    let is_op = |c: char| "*/%+-<>=!".contains(c);
    let end = match text.chars().next() {
        Some(c) if is_word(c) => text.len() - text.trim_start_matches(is_word).len(),
        Some(c) if is_op(c) => text.len() - text.trim_start_matches(is_op).len(),
        Some(c) => c.len_utf8(),
        None => 0,
    };
    &text[..end]
}

/// A small deterministic pseudo-random source for the mutation tests (no dependency needed).
pub struct Lcg(pub u64);

impl Lcg {
    /// A number in `0..below` (0 when `below` is 0).
    pub fn next(&mut self, below: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) as usize % below.max(1)
    }
}

/// Fragments the mutations insert: brackets, quotes, operators, keywords, literal prefixes.
const MUTATION_PIECES: [&str; 36] = [
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    "'",
    "\"",
    "|",
    ",",
    ";",
    "==",
    "-",
    "*",
    ".",
    "..",
    "@",
    "h",
    "```",
    "//",
    "\n",
    "!",
    "~",
    "$",
    "in",
    "by",
    "on",
    "let ",
    "0x",
    "1e",
    "1d",
    "é",
    "\\",
    "dynamic(",
    "datetime(",
    ":",
];

/// `query` with one to three random edits: a fragment inserted, the rest cut off, or one
/// character removed (always at character boundaries).
pub fn mutate(query: &str, rng: &mut Lcg) -> String {
    let mut s = query.to_string();
    for _ in 0..1 + rng.next(3) {
        let cuts: Vec<usize> = s.char_indices().map(|(n, _)| n).chain([s.len()]).collect();
        let at = cuts.get(rng.next(cuts.len())).copied().unwrap_or(0);
        match rng.next(3) {
            0 => s.insert_str(at, MUTATION_PIECES[rng.next(MUTATION_PIECES.len())]),
            1 => s.truncate(at),
            _ => {
                let end = cuts.iter().copied().find(|&c| c > at).unwrap_or(s.len());
                s.replace_range(at..end, "");
            }
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::typed_placeholders;

    fn params(names: &[&str]) -> Vec<String> {
        names.iter().map(|n| n.to_string()).collect()
    }

    #[test]
    fn literals_in_arithmetic_become_numbers() {
        let q = "T | extend p = n * 'discount', q = ('a' + 'b') / 'Rows' | where x >= 'Min'";
        assert_eq!(
            typed_placeholders(q, &params(&["discount", "a", "b", "Rows", "Min"])).as_deref(),
            Some("T | extend p = n * 1, q = (1 + 1) / 1 | where x >= 1")
        );
    }

    #[test]
    fn literals_standing_as_predicates_become_true() {
        let q = "T | where 'F1' and 'F2'\n| where ('F3') | project x";
        assert_eq!(
            typed_placeholders(q, &params(&["F1", "F2", "F3"])).as_deref(),
            Some("T | where true and true\n| where ('F3') | project x")
        );
    }

    #[test]
    fn string_uses_and_other_literals_stay() {
        let q =
            "T | where a in ('Vault') and b == 'Vault' and tolong('Min') <= 0 | extend c = 'x' * 2";
        assert_eq!(typed_placeholders(q, &params(&["Vault", "Min"])), None);
    }
}
