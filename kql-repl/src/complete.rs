//! Tab completion: table names, column names (from the catalog's schemas), property paths in
//! dynamic columns (`properties.status.code`, one level at a time, from a sample of rows),
//! operators after a `|`, function names and keywords elsewhere, dot commands at the start of
//! an entry.

use crate::dot::COMMANDS;
use crate::highlight::{KEYWORDS, OPERATORS};
use kql_core::{Catalog, DataType, Value};
use std::collections::BTreeSet;
use std::sync::Arc;

/// Rows sampled per dynamic column for property paths.
const SAMPLE_ROWS: usize = 200;
/// Deepest property path offered (`properties.a.b.c`).
const MAX_DEPTH: usize = 4;
/// At most this many paths are kept.
const MAX_PATHS: usize = 20_000;

/// The names completion offers, rebuilt when the catalog changes.
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    tables: Vec<String>,
    columns: Vec<String>,
    paths: Vec<String>,
    functions: Vec<&'static str>,
    /// Which tables (by address) with how many rows this was built from.
    built_from: Vec<(usize, usize)>,
}

/// The tables of `catalog` by address and row count: changes when a table is added or replaced.
fn fingerprint(catalog: &Catalog) -> Vec<(usize, usize)> {
    catalog
        .iter()
        .map(|(_, t)| (Arc::as_ptr(t) as usize, t.num_rows()))
        .collect()
}

/// Dotted paths into the objects held by dynamic columns, from a sample of each column's rows.
fn dynamic_paths(catalog: &Catalog) -> Vec<String> {
    let mut paths = BTreeSet::new();
    for (_, table) in catalog.iter() {
        let rows = table.num_rows();
        let step = (rows / SAMPLE_ROWS).max(1);
        for (c, field) in table.fields().iter().enumerate() {
            if field.ty != DataType::Dynamic {
                continue;
            }
            for r in (0..rows).step_by(step).take(SAMPLE_ROWS) {
                if let Value::Dynamic(json) = table.value(r, c) {
                    walk(&field.name, &json, 1, &mut paths);
                }
            }
        }
    }
    paths.into_iter().collect()
}

fn walk(prefix: &str, json: &serde_json::Value, depth: usize, paths: &mut BTreeSet<String>) {
    let serde_json::Value::Object(map) = json else {
        return;
    };
    for (key, value) in map {
        let plain = key
            .chars()
            .next()
            .is_some_and(|c| c.is_alphabetic() || c == '_')
            && key.chars().all(|c| c.is_alphanumeric() || c == '_');
        if !plain || paths.len() >= MAX_PATHS {
            continue;
        }
        let path = format!("{prefix}.{key}");
        if depth < MAX_DEPTH {
            walk(&path, value, depth + 1, paths);
        }
        paths.insert(path);
    }
}

impl Vocabulary {
    /// The names in `catalog` (tables with rows first in mind, but all are offered) plus the
    /// built-in functions.
    pub fn from_catalog(catalog: &Catalog) -> Vocabulary {
        let paths = dynamic_paths(catalog);
        let tables: Vec<String> = catalog.names().map(str::to_string).collect();
        let mut columns: Vec<String> = catalog
            .iter()
            .flat_map(|(_, t)| t.fields().iter().map(|f| f.name.clone()))
            .collect();
        columns.sort();
        columns.dedup();
        let mut functions: Vec<&'static str> = kql_core::functions::registry::all_names().collect();
        functions.sort_unstable();
        functions.dedup();
        Vocabulary {
            tables,
            columns,
            paths,
            functions,
            built_from: fingerprint(catalog),
        }
    }

    /// True when `catalog` still has the tables this was built from.
    pub fn is_current(&self, catalog: &Catalog) -> bool {
        self.built_from == fingerprint(catalog)
    }

    /// Completes a property path (`properties.sta` → `properties.status`), one level at a time.
    fn complete_path(&self, before: &str) -> Option<(usize, Vec<String>)> {
        let start = before
            .char_indices()
            .rev()
            .take_while(|(_, c)| c.is_alphanumeric() || *c == '_' || *c == '.')
            .last()
            .map(|(i, _)| i)?;
        let typed = &before[start..];
        let last_dot = typed.rfind('.')?;
        let found: Vec<String> = self
            .paths
            .iter()
            .filter(|p| {
                p.len() >= typed.len()
                    && p.is_char_boundary(typed.len())
                    && p[..typed.len()].eq_ignore_ascii_case(typed)
                    && !p[last_dot + 1..].contains('.')
            })
            .cloned()
            .collect();
        Some((start, found))
    }

    /// Where the word being completed starts, and the candidates for it, for `line` with the
    /// cursor at byte `pos`.
    pub fn complete(&self, line: &str, pos: usize) -> (usize, Vec<String>) {
        let pos = floor_boundary(line, pos);
        let before = &line[..pos];
        let start = word_start(before);
        let word = &before[start..];
        let entry = before.trim_start();
        // A dot command being typed.
        if entry.starts_with('.') && !entry.contains(char::is_whitespace) {
            let dot = before.len() - entry.len();
            return (dot, matching(COMMANDS.iter().map(|c| c.0), entry));
        }
        if entry.starts_with(".schema ") {
            return (
                start,
                matching(self.tables.iter().map(String::as_str), word),
            );
        }
        if entry.starts_with('.') && !entry.starts_with(".explain") {
            return (pos, Vec::new());
        }
        if let Some(done) = self.complete_path(before) {
            return done;
        }
        let previous = before[..start].trim_end();
        let mut found = if previous.ends_with('|') {
            matching(OPERATORS.iter().copied(), word)
        } else if previous.is_empty() || previous.ends_with(';') {
            let mut v = matching(self.tables.iter().map(String::as_str), word);
            v.extend(matching(
                ["let", "print", "range", "datatable", "union"],
                word,
            ));
            v
        } else {
            let mut v = matching(self.columns.iter().map(String::as_str), word);
            v.extend(matching(self.functions.iter().copied(), word));
            v.extend(matching(self.tables.iter().map(String::as_str), word));
            v.extend(matching(KEYWORDS.iter().copied(), word));
            v
        };
        let mut seen = std::collections::HashSet::new();
        found.retain(|c| seen.insert(c.clone()));
        if found.is_empty() && word.contains('-') {
            // `a-b`: complete the part after the minus.
            let tail = start + word.rfind('-').map_or(0, |i| i + 1);
            return self.complete_simple(line, tail, pos);
        }
        (start, found)
    }

    fn complete_simple(&self, line: &str, start: usize, pos: usize) -> (usize, Vec<String>) {
        let word = &line[start..pos];
        let mut v = matching(self.columns.iter().map(String::as_str), word);
        v.extend(matching(self.functions.iter().copied(), word));
        (start, v)
    }
}

/// The names starting with `prefix` (ASCII case ignored), in order, without an empty prefix
/// matching everything when the list is long.
fn matching<'a>(names: impl IntoIterator<Item = &'a str>, prefix: &str) -> Vec<String> {
    names
        .into_iter()
        .filter(|n| {
            n.len() >= prefix.len()
                && n.is_char_boundary(prefix.len())
                && n[..prefix.len()].eq_ignore_ascii_case(prefix)
        })
        .map(str::to_string)
        .collect()
}

/// Start of the identifier (letters, digits, `_`, `-`) that ends at the end of `before`.
fn word_start(before: &str) -> usize {
    before
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_alphanumeric() || *c == '_' || *c == '-')
        .last()
        .map_or(before.len(), |(i, _)| i)
}

fn floor_boundary(s: &str, mut at: usize) -> usize {
    at = at.min(s.len());
    while !s.is_char_boundary(at) {
        at -= 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;
    use kql_core::Engine;

    fn vocab() -> Vocabulary {
        let mut engine = Engine::new();
        engine
            .load_str(
                "demo",
                "d.json",
                r#"[{"name": "a", "status": "x", "properties": {"status": {"code": "Healthy"}, "displayName": "d", "odd key": 1}}]"#,
            )
            .unwrap();
        Vocabulary::from_catalog(engine.catalog())
    }

    fn candidates(line: &str) -> (usize, Vec<String>) {
        vocab().complete(line, line.len())
    }

    #[test]
    fn tables_at_the_start() {
        let (start, c) = candidates("securityr");
        assert_eq!(start, 0);
        assert_eq!(c, vec!["SecurityResources"]);
        assert!(candidates("de").1.contains(&"demo".to_string()));
    }

    #[test]
    fn operators_after_a_pipe() {
        let (start, c) = candidates("demo | su");
        assert_eq!(start, 7);
        assert_eq!(c, vec!["summarize"]);
        assert!(candidates("demo | mv-")
            .1
            .contains(&"mv-expand".to_string()));
        assert!(candidates("demo |\n pro")
            .1
            .contains(&"project-away".to_string()));
    }

    #[test]
    fn columns_and_functions_in_expressions() {
        let c = candidates("demo | where sta").1;
        assert!(c.contains(&"status".to_string()), "{c:?}");
        let c = candidates("demo | extend x = tolow").1;
        assert!(c.contains(&"tolower".to_string()), "{c:?}");
        let (start, c) = candidates("demo | extend x = n-sta");
        assert_eq!(start, "demo | extend x = n-".len());
        assert!(c.contains(&"status".to_string()));
    }

    #[test]
    fn property_paths_one_level_at_a_time() {
        let (start, c) = candidates("demo | where properties.");
        assert_eq!(start, "demo | where ".len());
        assert_eq!(c, vec!["properties.displayName", "properties.status"]);
        assert_eq!(
            candidates("demo | where properties.status.c").1,
            vec!["properties.status.code"]
        );
        assert_eq!(
            candidates("demo | where Properties.ST").1,
            vec!["properties.status"]
        );
        assert!(candidates("demo | where nosuch.").1.is_empty());
    }

    #[test]
    fn rebuilt_only_when_tables_change() {
        let mut engine = Engine::new();
        let v = Vocabulary::from_catalog(engine.catalog());
        assert!(v.is_current(engine.catalog()));
        engine.load_str("x", "x.json", r#"[{"a": 1}]"#).unwrap();
        assert!(!v.is_current(engine.catalog()));
    }

    #[test]
    fn dot_commands() {
        assert_eq!(candidates(".sch").1, vec![".schema"]);
        assert_eq!(candidates(".schema dem").1, vec!["demo"]);
        assert!(candidates(".load x").1.is_empty());
    }

    #[test]
    fn odd_positions() {
        let v = vocab();
        let _ = v.complete("é", 1);
        let _ = v.complete("", 0);
        let _ = v.complete("abc", 99);
    }

    #[test]
    fn no_input_panics() {
        let v = vocab();
        for text in crate::highlight::tests::odd_texts() {
            for pos in 0..=text.len() + 1 {
                let (start, _) = v.complete(&text, pos);
                assert!(start <= text.len());
            }
        }
    }
}
