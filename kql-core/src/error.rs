//! Errors as data: a kind, the span of source text it is about, a message and hints.
//! Formatting for people lives in `diagnostic.rs`.

use std::fmt;

/// A byte range in the query text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Span {
    /// Offset of the first byte.
    pub start: usize,
    /// Offset one past the last byte.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end` (byte offsets).
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

/// What went wrong, broadly. User errors and engine bugs are different kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// The text is not KQL: `T | where`.
    Syntax,
    /// A table name that is not in the catalog: `nosuch | count`.
    UnknownTable,
    /// A column name not in scope: `T | project nosuch`.
    UnknownColumn,
    /// A function name that does not exist: `print nosuch(1)`.
    UnknownFunction,
    /// Wrong argument types or counts: `print strlen(1, 2)`.
    Type,
    /// A query that parses and types but is not allowed: `T | project a, a`.
    Semantic,
    /// A data file that could not be read or is malformed.
    Data,
    /// Reading a file failed.
    Io,
    /// A configured limit was reached (rows, depth, memory).
    Limit,
    /// The query was cancelled.
    Cancelled,
    /// A bug in kql-rs: please report it.
    Internal,
}

impl ErrorKind {
    /// A short lower-case label used in reports (`syntax error`, `unknown column`, …).
    pub fn label(self) -> &'static str {
        match self {
            ErrorKind::Syntax => "syntax error",
            ErrorKind::UnknownTable => "unknown table",
            ErrorKind::UnknownColumn => "unknown column",
            ErrorKind::UnknownFunction => "unknown function",
            ErrorKind::Type => "type error",
            ErrorKind::Semantic => "semantic error",
            ErrorKind::Data => "data error",
            ErrorKind::Io => "i/o error",
            ErrorKind::Limit => "limit reached",
            ErrorKind::Cancelled => "cancelled",
            ErrorKind::Internal => "internal error",
        }
    }
}

/// An error from any stage of kql-core.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub struct Error {
    /// The kind of error.
    pub kind: ErrorKind,
    /// The message, one sentence, no trailing period.
    pub message: String,
    /// Where in the query text, when the error is about the query.
    pub span: Option<Span>,
    /// Suggestions such as "did you mean `status`?".
    pub hints: Vec<String>,
}

impl Error {
    /// A new error with no span and no hints.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error {
            kind,
            message: message.into(),
            span: None,
            hints: Vec::new(),
        }
    }

    /// A new error about the query text at `span`.
    pub fn at(kind: ErrorKind, span: Span, message: impl Into<String>) -> Error {
        Error::new(kind, message).with_span(span)
    }

    /// Sets the span unless one is already set.
    pub fn with_span(mut self, span: Span) -> Error {
        if self.span.is_none() {
            self.span = Some(span);
        }
        self
    }

    /// Adds a hint.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Error {
        self.hints.push(hint.into());
        self
    }

    /// Shorthand for an [`ErrorKind::Internal`] error.
    pub fn internal(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Internal, message)
    }

    /// Renders the error with the offending line of `source` and a caret under the spot.
    pub fn render(&self, source: &str) -> String {
        crate::diagnostic::render(self, source)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind.label(), self.message)?;
        for hint in &self.hints {
            write!(f, "; {hint}")?;
        }
        Ok(())
    }
}

/// The result type of kql-core.
pub type Result<T, E = Error> = std::result::Result<T, E>;
