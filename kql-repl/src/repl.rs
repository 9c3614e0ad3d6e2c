//! The interactive loop: rustyline with history kept across sessions, multi-line entry,
//! completion, highlighting, dot commands; Ctrl-C clears the entry or cancels a running query,
//! Ctrl-D exits.

use crate::complete::Vocabulary;
use crate::dot::{run_dot, Flow};
use crate::highlight::{highlight, is_complete};
use crate::script::{self, ChunkKind};
use crate::session::{Failure, Session};
use rustyline::completion::Completer;
use rustyline::error::ReadlineError;
use rustyline::highlight::Highlighter;
use rustyline::hint::Hinter;
use rustyline::history::DefaultHistory;
use rustyline::validate::{ValidationContext, ValidationResult, Validator};
use rustyline::{CompletionType, Config, Context, Editor, Helper};
use std::borrow::Cow;
use std::ffi::OsString;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

const PROMPT: &str = "kql> ";

/// Completion, highlighting and the "is this entry complete?" check for rustyline.
struct KqlHelper {
    vocabulary: Vocabulary,
    color: bool,
}

impl Completer for KqlHelper {
    type Candidate = String;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<String>)> {
        Ok(self.vocabulary.complete(line, pos))
    }
}

impl Hinter for KqlHelper {
    type Hint = String;
}

impl Highlighter for KqlHelper {
    fn highlight<'l>(&self, line: &'l str, pos: usize) -> Cow<'l, str> {
        if self.color {
            Cow::Owned(highlight(line, pos))
        } else {
            Cow::Borrowed(line)
        }
    }

    fn highlight_char(&self, _line: &str, _pos: usize, _forced: bool) -> bool {
        // Colours depend on the whole entry (an open quote changes everything after it).
        self.color
    }
}

impl Validator for KqlHelper {
    fn validate(&self, ctx: &mut ValidationContext<'_>) -> rustyline::Result<ValidationResult> {
        Ok(if submits(ctx.input()) {
            ValidationResult::Valid(None)
        } else {
            ValidationResult::Incomplete
        })
    }
}

impl Helper for KqlHelper {}

/// True when Enter runs `input`: it is complete, or a blank line ends a continued entry.
fn submits(input: &str) -> bool {
    let blank_last_line = input.contains('\n')
        && input
            .rsplit('\n')
            .next()
            .is_some_and(|l| l.trim().is_empty());
    blank_last_line || is_complete(input)
}

/// Where history is kept: `$KQL_HISTORY` (empty: nowhere), else `$XDG_DATA_HOME/kql/history`,
/// else `~/.local/share/kql/history`.
pub fn history_path() -> Option<PathBuf> {
    history_path_from(|name| std::env::var_os(name))
}

/// [`history_path`] with the environment given as a lookup function.
fn history_path_from(env: impl Fn(&str) -> Option<OsString>) -> Option<PathBuf> {
    if let Some(path) = env("KQL_HISTORY") {
        return (!path.is_empty()).then(|| PathBuf::from(path));
    }
    let data = env("XDG_DATA_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| {
            env("HOME")
                .filter(|h| !h.is_empty())
                .map(|h| PathBuf::from(h).join(".local").join("share"))
        })?;
    Some(data.join("kql").join("history"))
}

/// Rows shown in table output in the REPL until `.maxrows` changes it.
const DEFAULT_MAX_ROWS: usize = 200;

/// Runs the REPL until `.quit` or Ctrl-D; returns the exit code.
pub fn run(mut session: Session) -> i32 {
    let config = Config::builder()
        .max_history_size(5000)
        .and_then(|b| b.history_ignore_dups(true))
        .map(|b| {
            b.auto_add_history(false)
                .completion_type(CompletionType::List)
                .build()
        })
        .unwrap_or_default();
    let mut editor: Editor<KqlHelper, DefaultHistory> = match Editor::with_config(config) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("kql: cannot start the interactive shell: {e}");
            return 2;
        }
    };
    let color = session.style.color;
    editor.set_helper(Some(KqlHelper {
        vocabulary: Vocabulary::from_catalog(session.engine.catalog()),
        color,
    }));
    let history = history_path();
    if let Some(path) = &history {
        if let Some(dir) = path.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        let _ = editor.load_history(path);
    }
    session.interactive = true;
    if session.style.max_rows.is_none() {
        session.style.max_rows = Some(DEFAULT_MAX_ROWS);
    }
    session.cancel = crate::cancel::install_handler();
    greet(&session);
    loop {
        let entry = match editor.readline(PROMPT) {
            Ok(entry) => entry,
            Err(ReadlineError::Interrupted) => continue,
            Err(ReadlineError::Eof) => break,
            Err(e) => {
                eprintln!("kql: {e}");
                return 2;
            }
        };
        let entry = entry.trim_end();
        if entry.trim().is_empty() {
            continue;
        }
        let _ = editor.add_history_entry(entry);
        if let Some(path) = &history {
            let _ = editor.append_history(path);
        }
        // Follow the terminal's width as it is resized (not when stdout goes to a file).
        if std::io::stdout().is_terminal() {
            if let Some((cols, _)) = editor.dimensions() {
                session.style.max_width = Some(cols.saturating_sub(1).max(20));
            }
        }
        if handle(&mut session, entry) == Flow::Quit {
            break;
        }
        if let Some(helper) = editor.helper_mut() {
            if !helper.vocabulary.is_current(session.engine.catalog()) {
                helper.vocabulary = Vocabulary::from_catalog(session.engine.catalog());
            }
        }
    }
    0
}

/// Runs one entry: read like a script, so pasted queries separated by blank lines run one
/// after the other, comment-only entries do nothing, and dot commands work. The first failure
/// is reported (drawn on the entry) and stops the entry; `Quit` ends the loop.
fn handle(session: &mut Session, entry: &str) -> Flow {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for chunk in script::split(entry) {
        let piece = script::mask_comments(&entry[chunk.start..chunk.end]);
        let result = match chunk.kind {
            ChunkKind::Command => run_dot(session, &piece, &mut out),
            ChunkKind::Query => session.run_query(&piece, &mut out).map(|()| Flow::Continue),
        };
        let _ = out.flush();
        match result {
            Ok(Flow::Quit) => return Flow::Quit,
            Ok(Flow::Continue) => {}
            Err(failure) => {
                report(entry, failure.shifted(chunk.start));
                break;
            }
        }
    }
    Flow::Continue
}

/// Prints a failure on stderr, coloured when stderr is a terminal.
fn report(entry: &str, failure: Failure) {
    let text = match failure {
        Failure::Query(e) => e.render(entry),
        Failure::Usage(msg) => format!("{msg}\n"),
        Failure::Closed => return,
    };
    if std::io::stderr().is_terminal() && crate::terminal::color_allowed() {
        eprint!("{}", colour_report(&text));
    } else {
        eprint!("{text}");
    }
}

/// The caret report with colour: the message bold red, the carets red, hints cyan.
fn colour_report(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    for (i, line) in text.lines().enumerate() {
        let carets = line.contains('^')
            && line
                .chars()
                .all(|c| c == '^' || c == '|' || c.is_whitespace());
        if i == 0 {
            out.push_str(&format!("\x1b[1;31m{line}\x1b[0m\n"));
        } else if carets {
            let at = line.find('^').unwrap_or(0);
            out.push_str(&format!(
                "{}\x1b[1;31m{}\x1b[0m\n",
                &line[..at],
                &line[at..]
            ));
        } else if line.starts_with("hint:") {
            out.push_str(&format!("\x1b[36m{line}\x1b[0m\n"));
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// The first lines: version, tables with rows, how to get help.
fn greet(session: &Session) {
    let tables: Vec<String> = session
        .tables(false)
        .into_iter()
        .map(|(name, rows)| format!("{name} ({rows})"))
        .collect();
    println!("kql {} — KQL over local data", env!("CARGO_PKG_VERSION"));
    if session.pending_demo.is_some() {
        println!("demo tenant: SecurityResources, Resources, ResourceContainers (generated, loading in the background)");
    } else if tables.is_empty() {
        println!("no data loaded: .load NAME=PATH, or start with --load NAME=PATH");
    } else {
        println!("tables: {}", tables.join(", "));
    }
    println!("type a query, .help for commands, Ctrl-D to leave");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<OsString> + 'a {
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| OsString::from(v))
        }
    }

    #[test]
    fn history_location() {
        let p = |pairs: &[(&str, &str)]| history_path_from(env(pairs));
        assert_eq!(
            p(&[("KQL_HISTORY", "/tmp/h"), ("HOME", "/home/u")]),
            Some("/tmp/h".into())
        );
        assert_eq!(p(&[("KQL_HISTORY", ""), ("HOME", "/home/u")]), None);
        assert_eq!(
            p(&[("XDG_DATA_HOME", "/data"), ("HOME", "/home/u")]),
            Some("/data/kql/history".into())
        );
        assert_eq!(
            p(&[("XDG_DATA_HOME", "relative"), ("HOME", "/home/u")]),
            Some("/home/u/.local/share/kql/history".into())
        );
        assert_eq!(p(&[]), None);
    }

    #[test]
    fn entries_continue_until_complete_or_blank() {
        assert!(submits("T | count"));
        assert!(!submits("T |"));
        assert!(!submits("T |\nwhere x > 1 |"));
        assert!(submits("T |\n"), "a blank line submits");
        assert!(submits("T | where f(\n  "), "a blank line submits");
        assert!(!submits("T | where f("));
        assert!(submits(".schema T"));
    }

    #[test]
    fn reports_are_coloured_without_changing_the_text() {
        let text =
            "unknown column at 1:5: no `x`\n  |\n1 | T | x\n  |     ^\nhint: did you mean `y`?\n";
        let coloured = colour_report(text);
        assert!(coloured.contains("\x1b[1;31m^\x1b[0m"));
        assert!(coloured.contains("\x1b[36mhint:"));
        let plain: String = coloured
            .replace("\x1b[1;31m", "")
            .replace("\x1b[36m", "")
            .replace("\x1b[0m", "");
        assert_eq!(plain, text);
    }

    #[test]
    fn highlighting_follows_the_colour_setting() {
        let helper = KqlHelper {
            vocabulary: Vocabulary::default(),
            color: true,
        };
        assert!(helper.highlight("print 'x'", 0).contains('\x1b'));
        let plain = KqlHelper {
            vocabulary: Vocabulary::default(),
            color: false,
        };
        assert_eq!(plain.highlight("print 'x'", 0), "print 'x'");
    }
}
