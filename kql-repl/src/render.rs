//! The `table` output format: aligned columns for people.
//!
//! The header gives each column's name and type (`name:string`); numbers are right-aligned;
//! cells longer than the cap are cut with an ellipsis (…); when a total width is given (the
//! terminal's), the widest columns are narrowed until the table fits, and columns that still do
//! not fit are left out and counted in the footer. Control characters in cells are shown
//! escaped so a row is always one line. Colour (bold header, dim rules) only when asked.

use kql_core::functions::conversion::to_string_with;
use kql_core::{DataType, Table, Value};
use std::time::Duration;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// How to draw a table.
#[derive(Debug, Clone)]
pub struct TableStyle {
    /// ANSI colour (only when stdout is a terminal).
    pub color: bool,
    /// The total width to fit in (the terminal's), if any.
    pub max_width: Option<usize>,
    /// The widest a cell may be, in terminal columns.
    pub max_cell: usize,
    /// Show at most this many rows (`None`: all).
    pub max_rows: Option<usize>,
}

impl Default for TableStyle {
    fn default() -> TableStyle {
        TableStyle {
            color: false,
            max_width: None,
            max_cell: 60,
            max_rows: None,
        }
    }
}

/// The narrowest a column is squeezed to when fitting a width (its natural width if smaller).
const MIN_COLUMN: usize = 14;
/// Width taken by the rule between two columns: ` │ `.
const GAP: usize = 3;

const BOLD: &str = "\x1b[1m";
const DIM: &str = "\x1b[2m";
const RESET: &str = "\x1b[0m";

/// The text of one cell: nulls empty, datetimes ISO 8601, dynamic as compact JSON,
/// control characters escaped so that a cell never breaks the line.
pub fn cell_text(value: &Value) -> String {
    let text = to_string_with(value, false);
    if text.chars().any(char::is_control) {
        text.chars().flat_map(char::escape_default).collect()
    } else {
        text
    }
}

/// Cuts `text` to at most `width` terminal columns, ending with `…` when something was cut.
pub fn truncate(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    if width == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > width - 1 {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// Pads `text` (already at most `width` wide) to `width`, on the left when `right`.
fn pad(text: &str, width: usize, right: bool) -> String {
    let fill = " ".repeat(width.saturating_sub(text.width()));
    if right {
        fill + text
    } else {
        format!("{text}{fill}")
    }
}

/// Column widths that fit `max_width`, and how many leading columns are shown.
///
/// Every shown column keeps at least `MIN_COLUMN` (or its natural width if smaller): as many
/// leading columns as fit at that width are shown, then the widest are narrowed until the
/// table fits.
fn fit(natural: &[usize], max_width: Option<usize>) -> (Vec<usize>, usize) {
    let Some(max) = max_width else {
        return (natural.to_vec(), natural.len());
    };
    let total = |w: &[usize]| w.iter().sum::<usize>() + GAP * w.len().saturating_sub(1);
    let least: Vec<usize> = natural.iter().map(|w| (*w).min(MIN_COLUMN)).collect();
    let mut shown = natural.len();
    while shown > 1 && total(&least[..shown]) > max {
        shown -= 1;
    }
    let mut widths = natural[..shown].to_vec();
    while total(&widths) > max {
        let widest = widths
            .iter()
            .enumerate()
            .filter(|(i, w)| **w > least[*i])
            .max_by_key(|(_, w)| **w)
            .map(|(i, _)| i);
        match widest {
            Some(i) => widths[i] -= 1,
            None => break,
        }
    }
    if let Some(last) = widths.last_mut() {
        *last = (*last).min(max.max(1));
    }
    (widths, shown)
}

/// Draws `table` (the footer is separate, see [`footer`]).
pub fn render_table(table: &Table, style: &TableStyle) -> String {
    let fields = table.fields();
    let rows = style
        .max_rows
        .map_or(table.num_rows(), |m| m.min(table.num_rows()));
    let headers: Vec<String> = fields
        .iter()
        .map(|f| format!("{}:{}", f.name, f.ty))
        .collect();
    let cells: Vec<Vec<String>> = (0..rows)
        .map(|r| {
            (0..fields.len())
                .map(|c| truncate(&cell_text(&table.value(r, c)), style.max_cell))
                .collect()
        })
        .collect();
    let natural: Vec<usize> = (0..fields.len())
        .map(|c| {
            let head = truncate(&headers[c], style.max_cell).width();
            cells
                .iter()
                .map(|row| row[c].width())
                .fold(head, usize::max)
        })
        .collect();
    let (widths, shown) = fit(&natural, style.max_width);
    let right: Vec<bool> = fields.iter().map(|f| is_right_aligned(f.ty)).collect();
    let (bold, dim, reset) = if style.color {
        (BOLD, DIM, RESET)
    } else {
        ("", "", "")
    };
    let rule = format!("{dim}│{reset}");
    let mut out = String::new();
    let line = |texts: &mut dyn Iterator<Item = String>, out: &mut String| {
        let joined: Vec<String> = texts.collect();
        out.push_str(joined.join(&format!(" {rule} ")).trim_end());
        out.push('\n');
    };
    line(
        &mut (0..shown).map(|c| {
            let text = pad(&truncate(&headers[c], widths[c]), widths[c], false);
            format!("{bold}{text}{reset}")
        }),
        &mut out,
    );
    let under: Vec<String> = widths.iter().map(|w| "─".repeat(*w)).collect();
    out.push_str(&format!("{dim}{}{reset}\n", under.join("─┼─")));
    for row in &cells {
        line(
            &mut (0..shown).map(|c| pad(&truncate(&row[c], widths[c]), widths[c], right[c])),
            &mut out,
        );
    }
    if shown < fields.len() {
        out.push_str(&format!(
            "({} more column{} not shown: {}; narrow with `project` or use --format json)\n",
            fields.len() - shown,
            plural(fields.len() - shown),
            fields[shown..]
                .iter()
                .map(|f| f.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    out
}

fn is_right_aligned(ty: DataType) -> bool {
    ty.is_numeric()
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// The line under a table: `3 rows`, `1000 rows (showing 100)`, `2 rows in 1.5 ms`.
pub fn footer(total_rows: usize, shown_rows: usize, elapsed: Option<Duration>) -> String {
    let mut out = format!("{total_rows} row{}", plural(total_rows));
    if shown_rows < total_rows {
        out.push_str(&format!(" (showing the first {shown_rows}; see .maxrows)"));
    }
    if let Some(d) = elapsed {
        out.push_str(&format!(" in {}", format_ms(d)));
    }
    out
}

/// Milliseconds with two decimals: `12.34 ms`.
pub fn format_ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use kql_core::store::column::ColumnBuilder;
    use kql_core::Field;
    use std::sync::Arc;

    fn table(cols: &[(&str, DataType, Vec<Value>)]) -> Table {
        let rows = cols.first().map_or(0, |c| c.2.len());
        let fields = cols.iter().map(|(n, t, _)| Field::new(*n, *t)).collect();
        let columns = cols
            .iter()
            .map(|(_, t, vals)| {
                let mut b = ColumnBuilder::new(*t, vals.len());
                for v in vals {
                    b.push(v);
                }
                Arc::new(b.finish())
            })
            .collect();
        Table::new(fields, columns, rows).unwrap()
    }

    fn sample() -> Table {
        table(&[
            (
                "name",
                DataType::String,
                vec![Value::string("vm1"), Value::string("a-much-longer-name")],
            ),
            ("n", DataType::Long, vec![Value::Long(3), Value::Null]),
        ])
    }

    #[test]
    fn aligned_with_types_in_the_header() {
        let text = render_table(&sample(), &TableStyle::default());
        assert_eq!(
            text,
            "name:string        │ n:long\n\
             ───────────────────┼───────\n\
             vm1                │      3\n\
             a-much-longer-name │\n"
        );
    }

    #[test]
    fn long_cells_get_an_ellipsis() {
        let style = TableStyle {
            max_cell: 8,
            ..TableStyle::default()
        };
        let text = render_table(&sample(), &style);
        assert!(text.contains("a-much-…"), "{text}");
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(truncate("abc", 4), "abc");
        assert_eq!(truncate("日本語です", 5), "日本…");
        assert_eq!(truncate("x", 0), "");
    }

    #[test]
    fn fits_the_width_then_drops_columns() {
        let (w, shown) = fit(&[30, 30, 4], Some(40));
        assert_eq!(shown, 3);
        assert!(w.iter().sum::<usize>() + 6 <= 40, "{w:?}");
        let (w, shown) = fit(&[30, 30, 30, 30, 30, 30], Some(40));
        assert_eq!(shown, 2, "as many columns as fit at the least width");
        assert!(w.iter().sum::<usize>() + GAP * (shown - 1) <= 40, "{w:?}");
        assert_eq!(fit(&[5, 5, 5], Some(21)), (vec![5, 5, 5], 3));
        let (_, shown) = fit(&[100], Some(10));
        assert_eq!(shown, 1);
        let wide = table(&[
            (
                "aaaaaaaaaaaaaaaaaaaa",
                DataType::String,
                vec![Value::string("x")],
            ),
            (
                "bbbbbbbbbbbbbbbbbbbb",
                DataType::String,
                vec![Value::string("y")],
            ),
            (
                "cccccccccccccccccccc",
                DataType::String,
                vec![Value::string("z")],
            ),
        ]);
        let style = TableStyle {
            max_width: Some(35),
            ..TableStyle::default()
        };
        let text = render_table(&wide, &style);
        assert!(text.contains("not shown: cccccccccccccccccccc"), "{text}");
    }

    #[test]
    fn cells_of_every_type() {
        assert_eq!(cell_text(&Value::Null), "");
        assert_eq!(cell_text(&Value::Bool(true)), "true");
        assert_eq!(cell_text(&Value::Real(1.5)), "1.5");
        assert_eq!(cell_text(&Value::string("a\nb")), "a\\nb");
        assert_eq!(
            cell_text(&Value::DateTime(
                kql_core::functions::datetime::UNIX_EPOCH_TICKS
            )),
            "1970-01-01T00:00:00Z"
        );
        assert_eq!(cell_text(&Value::TimeSpan(10_000_000)), "00:00:01");
        assert_eq!(
            cell_text(&Value::dynamic(serde_json::json!({"a": [1, "x"]}))),
            r#"{"a":[1,"x"]}"#
        );
    }

    #[test]
    fn rows_are_capped_and_the_footer_says_so() {
        let style = TableStyle {
            max_rows: Some(1),
            ..TableStyle::default()
        };
        let text = render_table(&sample(), &style);
        assert_eq!(text.lines().count(), 3);
        assert_eq!(
            footer(2, 1, None),
            "2 rows (showing the first 1; see .maxrows)"
        );
        assert_eq!(footer(1, 1, None), "1 row");
        assert_eq!(
            footer(0, 0, Some(Duration::from_micros(1500))),
            "0 rows in 1.50 ms"
        );
    }

    #[test]
    fn colour_only_when_asked() {
        let plain = render_table(&sample(), &TableStyle::default());
        assert!(!plain.contains('\x1b'));
        let style = TableStyle {
            color: true,
            ..TableStyle::default()
        };
        assert!(render_table(&sample(), &style).contains(BOLD));
    }

    #[test]
    fn empty_tables() {
        let t = table(&[("x", DataType::Long, vec![])]);
        assert_eq!(render_table(&t, &TableStyle::default()), "x:long\n──────\n");
        let none = table(&[]);
        let _ = render_table(&none, &TableStyle::default());
    }
}
