//! Turns an [`Error`] and the query text into a plain report with line, column and a caret.

use crate::error::Error;

/// Line and column (both 1-based, column counted in characters) of byte offset `at`.
pub fn line_col(source: &str, at: usize) -> (usize, usize) {
    let at = clamp_to_char_boundary(source, at);
    let before = &source[..at];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = source[line_start..at].chars().count() + 1;
    (line, col)
}

fn clamp_to_char_boundary(source: &str, mut at: usize) -> usize {
    at = at.min(source.len());
    while !source.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// Renders `error` against `source`:
///
/// ```text
/// syntax error at 1:11: expected an expression
///   |
/// 1 | T | where
///   |           ^
/// ```
pub fn render(error: &Error, source: &str) -> String {
    let mut out = report(error.kind.label(), &error.message, error.span, source);
    for hint in &error.hints {
        out.push_str(&format!("hint: {hint}\n"));
    }
    out
}

/// Renders `label at line:col: message` with the line and a caret under `span`.
pub fn report(
    label: &str,
    message: &str,
    span: Option<crate::error::Span>,
    source: &str,
) -> String {
    let mut out = String::new();
    match span {
        Some(span) => {
            let (line, col) = line_col(source, span.start);
            out.push_str(&format!("{label} at {line}:{col}: {message}\n"));
            let text = source.lines().nth(line - 1).unwrap_or("");
            let gutter = line.to_string().len();
            let pad = " ".repeat(gutter);
            let start = clamp_to_char_boundary(source, span.start);
            let end = clamp_to_char_boundary(source, span.end.max(span.start));
            let on_line = source[start..end].split('\n').next().unwrap_or("");
            let width = on_line.chars().count().max(1);
            let indent: String = text
                .chars()
                .take(col - 1)
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            out.push_str(&format!(
                "{pad} |\n{line} | {text}\n{pad} | {indent}{}\n",
                "^".repeat(width)
            ));
        }
        None => out.push_str(&format!("{label}: {message}\n")),
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{ErrorKind, Span};

    #[test]
    fn caret_points_at_the_span() {
        let e = Error::at(
            ErrorKind::Syntax,
            Span::new(10, 10),
            "expected an expression",
        );
        let text = render(&e, "T\n| where x ==");
        assert_eq!(
            text,
            "syntax error at 2:9: expected an expression\n  |\n2 | | where x ==\n  |         ^\n"
        );
    }

    #[test]
    fn line_col_counts_characters() {
        assert_eq!(line_col("é x", 3), (1, 3));
        assert_eq!(line_col("a\nbc", 3), (2, 2));
        assert_eq!(line_col("abc", 99), (1, 4));
    }
}
