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
        // Exactly `to_json()` and one newline, whether or not `to_json` ends with one.
        Format::Json => writeln!(out, "{}", result.to_json().trim_end_matches('\n'))?,
        Format::Ndjson => kql_core::io::write_ndjson(table, &mut out)?,
        Format::Csv => kql_core::io::write_csv(table, &mut out)?,
        Format::Markdown => kql_core::io::write_markdown(table, &mut out)?,
    }
    out.flush()
}
