//! Script files (and scripts piped to stdin): queries separated by blank lines, as Kusto
//! Explorer reads them.
//!
//! - A chunk of lines up to a blank line is one query; `let x = 1;` lines belong to it.
//! - A chunk made only of `let` statements (it ends with `;`) is joined to the query after it.
//! - A line starting with `.` at the start of a chunk is a dot command (one line).
//! - Lines starting with `//` are comments.
//! - An error stops the run (unless `--continue-on-error`) and is reported as `file:line:col`
//!   of the file, with the caret report drawn on the file's own lines.

use crate::dot::{is_dot_command, run_dot, Flow};
use crate::session::{Failure, Session};
use std::io::Write;

/// What a piece of a script is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChunkKind {
    /// A dot command (one line).
    Command,
    /// A query (possibly with `let` statements before it).
    Query,
}

/// A piece of a script: bytes `start..end` of the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Chunk {
    /// Offset of the first byte.
    pub start: usize,
    /// Offset one past the last byte (the final newline excluded).
    pub end: usize,
    /// Command or query.
    pub kind: ChunkKind,
}

/// How a script run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outcome {
    /// 0 when everything succeeded, else the worst failure's exit code.
    pub code: i32,
    /// True when the run must stop here (`.quit`, a failure, or stdout closed).
    pub stop: bool,
}

fn is_comment(line: &str) -> bool {
    line.trim_start().starts_with("//")
}

/// Splits a script into chunks.
pub fn split(text: &str) -> Vec<Chunk> {
    let mut chunks = Vec::new();
    let mut open: Option<Chunk> = None;
    let mut offset = 0;
    for raw in text.split_inclusive('\n') {
        let start = offset;
        offset += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        let end = start + line.len();
        if line.trim().is_empty() {
            chunks.extend(open.take());
        } else if let Some(chunk) = open.as_mut() {
            chunk.end = end;
        } else if is_comment(line) {
            // A comment outside a query: nothing to run.
        } else if is_dot_command(line) {
            chunks.push(Chunk {
                start,
                end,
                kind: ChunkKind::Command,
            });
        } else {
            open = Some(Chunk {
                start,
                end,
                kind: ChunkKind::Query,
            });
        }
    }
    chunks.extend(open);
    join_lets(text, chunks)
}

/// Joins each chunk made only of `let` statements to the query chunk right after it.
fn join_lets(text: &str, chunks: Vec<Chunk>) -> Vec<Chunk> {
    let mut out: Vec<Chunk> = Vec::with_capacity(chunks.len());
    let mut pending: Option<Chunk> = None;
    for chunk in chunks {
        let chunk = match pending.take() {
            Some(lets) if chunk.kind == ChunkKind::Query => Chunk {
                start: lets.start,
                ..chunk
            },
            Some(lets) => {
                out.push(lets);
                chunk
            }
            None => chunk,
        };
        if chunk.kind == ChunkKind::Query && only_lets(&text[chunk.start..chunk.end]) {
            pending = Some(chunk);
        } else {
            out.push(chunk);
        }
    }
    out.extend(pending);
    out
}

/// True for a chunk of `let` statements only: it starts with `let` and ends with `;`.
fn only_lets(chunk: &str) -> bool {
    let masked = mask_comments(chunk);
    let body = masked.trim();
    body.ends_with(';')
        && body
            .strip_prefix("let")
            .is_some_and(|rest| rest.starts_with(char::is_whitespace))
}

/// The text with every `//` comment line blanked (same length, so offsets stay valid).
pub fn mask_comments(text: &str) -> String {
    text.split_inclusive('\n')
        .map(|line| {
            if is_comment(line) {
                line.bytes()
                    .map(|b| {
                        if b == b'\n' || b == b'\r' {
                            b as char
                        } else {
                            ' '
                        }
                    })
                    .collect()
            } else {
                line.to_string()
            }
        })
        .collect()
}

/// Runs the script `text` named `name` (a path, or `<stdin>`); failures are reported on stderr.
pub fn run_script(
    session: &mut Session,
    name: &str,
    text: &str,
    out: &mut dyn Write,
    continue_on_error: bool,
) -> Outcome {
    let mut code = 0;
    for chunk in split(text) {
        let piece = mask_comments(&text[chunk.start..chunk.end]);
        let result = match chunk.kind {
            ChunkKind::Command => match run_dot(session, &piece, out) {
                Ok(Flow::Quit) => return Outcome { code, stop: true },
                Ok(Flow::Continue) => Ok(()),
                Err(f) => Err(f),
            },
            ChunkKind::Query => session.run_query(&piece, out),
        };
        if let Err(failure) = result {
            if matches!(failure, Failure::Closed) {
                return Outcome { code, stop: true };
            }
            report(
                name,
                text,
                chunk.start,
                failure.shifted(chunk.start),
                &mut code,
            );
            if !continue_on_error {
                return Outcome { code, stop: true };
            }
        }
    }
    Outcome { code, stop: false }
}

/// Prints `failure` as `name:line:col: ` and the caret report drawn on `source`.
fn report(name: &str, source: &str, chunk_start: usize, failure: Failure, code: &mut i32) {
    *code = (*code).max(failure.exit_code());
    match failure {
        Failure::Query(e) => {
            let at = e.span.map_or(chunk_start, |s| s.start);
            let (line, col) = kql_core::diagnostic::line_col(source, at);
            eprint!("{name}:{line}:{col}: {}", e.render(source));
        }
        Failure::Usage(msg) => {
            let (line, col) = kql_core::diagnostic::line_col(source, chunk_start);
            eprintln!("{name}:{line}:{col}: {msg}");
        }
        Failure::Closed => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(text: &str) -> Vec<(ChunkKind, &str)> {
        split(text)
            .into_iter()
            .map(|c| (c.kind, &text[c.start..c.end]))
            .collect()
    }

    #[test]
    fn blank_lines_separate_queries() {
        let text = "// header\nT | count\n\n\nT\n| take 1\n   \n.format json\nT | count";
        use ChunkKind::*;
        assert_eq!(
            pieces(text),
            vec![
                (Query, "T | count"),
                (Query, "T\n| take 1"),
                (Command, ".format json"),
                (Query, "T | count"),
            ]
        );
    }

    #[test]
    fn lets_belong_to_the_next_query() {
        let text = "let n = 1;\nlet m = 2;\n\n// the query\nT | take n\n\nT | count";
        use ChunkKind::*;
        assert_eq!(
            pieces(text),
            vec![
                (Query, "let n = 1;\nlet m = 2;\n\n// the query\nT | take n"),
                (Query, "T | count"),
            ]
        );
        assert_eq!(
            pieces("let n = 1;\nT | take n"),
            vec![(Query, "let n = 1;\nT | take n")]
        );
        assert_eq!(pieces("let n = 1;"), vec![(Query, "let n = 1;")]);
        assert_eq!(
            pieces("T | count;\n\nT | take 1"),
            vec![(Query, "T | count;"), (Query, "T | take 1")],
            "a query with a stray `;` is not a let chunk"
        );
    }

    #[test]
    fn comments_are_masked_in_place() {
        let text = "// a\r\nT // b\n  // c";
        let masked = mask_comments(text);
        assert_eq!(masked.len(), text.len());
        assert_eq!(masked, "    \r\nT // b\n      ");
    }

    #[test]
    fn dot_lines_inside_a_query_are_part_of_it() {
        let text = "T\n.tables";
        assert_eq!(pieces(text), vec![(ChunkKind::Query, "T\n.tables")]);
    }

    #[test]
    fn odd_scripts_do_not_panic() {
        for text in [
            "",
            "\n",
            "\r\n\r\n",
            "//",
            ".",
            "é\n\né",
            ";\n\n;",
            "let x = 1;\n\n.help",
        ] {
            for c in split(text) {
                assert!(c.start <= c.end && c.end <= text.len());
            }
        }
    }
}
