//! Writes a query result in the chosen `--format`: `table` through [`crate::render`], the
//! machine formats through kql-core's writers (so the JSON is exactly `QueryResult::to_json`).

use crate::args::Format;
use crate::render::{footer, render_table, TableStyle};
use kql_core::QueryResult;
use std::io::{self, Write};
use std::time::Duration;

/// Writes `result` to `out` in `format`. `elapsed` goes into the table footer.
pub fn write_result(
    result: &QueryResult,
    format: Format,
    style: &TableStyle,
    elapsed: Option<Duration>,
    mut out: &mut dyn Write,
) -> io::Result<()> {
    let table = result.table();
    match format {
        Format::Table => {
            out.write_all(render_table(table, style).as_bytes())?;
            let shown = style
                .max_rows
                .map_or(table.num_rows(), |m| m.min(table.num_rows()));
            writeln!(out, "{}", footer(table.num_rows(), shown, elapsed))?;
        }
        // The bytes of `to_json()` and a newline, streamed (the test below holds them equal).
        Format::Json => kql_core::io::write_json(table, &mut out)?,
        Format::Ndjson => kql_core::io::write_ndjson(table, &mut out)?,
        Format::Csv => kql_core::io::write_csv(table, &mut out)?,
        Format::Markdown => kql_core::io::write_markdown(table, &mut out)?,
    }
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use kql_core::Engine;

    #[test]
    fn json_is_to_json_and_a_newline() {
        let mut engine = Engine::new();
        engine
            .load_str(
                "t",
                "t.json",
                r#"[{"a": 1, "b": "x", "c": {"d": [1.5, null]}}, {"a": null}]"#,
            )
            .unwrap();
        for query in [
            "t",
            "t | take 0",
            "print r = real(nan), d = datetime(2024-01-01), s = 1d",
        ] {
            let result = engine.query(query).unwrap();
            let mut out = Vec::new();
            write_result(
                &result,
                Format::Json,
                &TableStyle::default(),
                None,
                &mut out,
            )
            .unwrap();
            let expected = format!("{}\n", result.to_json().trim_end_matches('\n'));
            assert_eq!(String::from_utf8(out).unwrap(), expected, "{query}");
        }
    }
}
