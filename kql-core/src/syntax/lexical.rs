//! Tokens: whitespace and `//` comments, identifiers (plain and bracketed), keywords, symbols,
//! and the parser's error type, position and recursion-depth bookkeeping.

use std::cell::Cell;

use nom::bytes::complete::{tag, take_while};
use nom::character::complete::satisfy;
use nom::combinator::{not, recognize};
use nom::error::{ErrorKind as NomKind, ParseError};
use nom::sequence::{pair, terminated};
use nom::IResult;

use super::ast::{Ident, StrOp, StrTest};
use super::literal::string_literal;

/// Parser input: the rest of the query text.
pub(crate) type In<'a> = &'a str;
/// A parse result with our error type.
pub(crate) type PResult<'a, O> = IResult<In<'a>, O, PErr>;

/// The depth budget. A recursive rule (parenthesis, call, subquery, unary sign) costs
/// [`NEST_WEIGHT`]; each step of a left-deep chain (`a + b + …`, `a.b.c…`) costs 1. So text may
/// nest 200 levels, and the tree stays shallow enough to drop and print on a small stack.
pub(crate) const MAX_DEPTH: usize = 1000;

/// What one recursive level costs of [`MAX_DEPTH`].
pub(crate) const NEST_WEIGHT: usize = 5;

/// A parse failure: where (as the length of the remaining input) and what was expected.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PErr {
    /// Remaining input length at the failure: smaller means further into the text.
    pub at: usize,
    /// What was expected, when known.
    pub msg: Option<String>,
}

impl<'a> ParseError<In<'a>> for PErr {
    fn from_error_kind(input: In<'a>, _: NomKind) -> Self {
        PErr {
            at: input.len(),
            msg: None,
        }
    }
    fn append(_: In<'a>, _: NomKind, other: Self) -> Self {
        other
    }
    fn or(self, other: Self) -> Self {
        let better = other.at < self.at || (other.at == self.at && self.msg.is_none());
        if better {
            other
        } else {
            self
        }
    }
}

thread_local! {
    static TEXT_LEN: Cell<usize> = const { Cell::new(0) };
    static DEPTH: Cell<usize> = const { Cell::new(0) };
}

/// Sets the length of the text being parsed (spans are computed from it); returns the old one.
pub(crate) fn begin(len: usize) -> (usize, usize) {
    (
        TEXT_LEN.with(|c| c.replace(len)),
        DEPTH.with(|c| c.replace(0)),
    )
}

/// Restores what [`begin`] returned.
pub(crate) fn end(old: (usize, usize)) {
    TEXT_LEN.with(|c| c.set(old.0));
    DEPTH.with(|c| c.set(old.1));
}

/// The byte offset of `i` in the whole text.
pub(crate) fn pos(i: In) -> usize {
    TEXT_LEN.with(|c| c.get()).saturating_sub(i.len())
}

/// Holds some of the depth budget; dropping it gives the depth back.
pub(crate) struct DepthGuard(usize);

impl Drop for DepthGuard {
    fn drop(&mut self) {
        DEPTH.with(|c| c.set(c.get().saturating_sub(self.0)));
    }
}

impl DepthGuard {
    /// A guard holding no depth yet, for a chain that grows one step at a time.
    pub(crate) fn chain() -> DepthGuard {
        DepthGuard(0)
    }

    /// Adds `weight` to the depth until the guard drops; fails past the limit.
    pub(crate) fn grow(&mut self, i: In, weight: usize) -> Result<(), nom::Err<PErr>> {
        self.0 += weight;
        let d = DEPTH.with(|c| {
            c.set(c.get() + weight);
            c.get()
        });
        if d > MAX_DEPTH {
            return Err(failure(i, "the query nests too deeply"));
        }
        Ok(())
    }
}

/// Enters one nesting level (a recursive rule), failing when the text nests too deeply.
pub(crate) fn nest(i: In) -> Result<DepthGuard, nom::Err<PErr>> {
    let mut guard = DepthGuard::chain();
    guard.grow(i, NEST_WEIGHT)?;
    Ok(guard)
}

/// A fatal error (no backtracking) at the first token of `i`.
pub(crate) fn failure(i: In, msg: impl Into<String>) -> nom::Err<PErr> {
    nom::Err::Failure(PErr {
        at: ws(i).len(),
        msg: Some(msg.into()),
    })
}

/// A fatal error at the word `word`, which the remaining input `rest` directly follows.
pub(crate) fn failure_before(word: &str, rest: In, msg: impl Into<String>) -> nom::Err<PErr> {
    nom::Err::Failure(PErr {
        at: rest.len() + word.len(),
        msg: Some(msg.into()),
    })
}

/// A recoverable error (alternatives may still match) at `i`.
pub(crate) fn backtrack(i: In) -> nom::Err<PErr> {
    nom::Err::Error(PErr {
        at: i.len(),
        msg: None,
    })
}

/// Our `cut` with context: makes a failed parse fatal with "expected {what}" at `i`, unless
/// the failure already says something more precise about a later spot.
pub(crate) fn need<'a, O>(
    r: PResult<'a, O>,
    i: In<'a>,
    what: impl FnOnce() -> String,
) -> PResult<'a, O> {
    match r {
        Ok(v) => Ok(v),
        Err(nom::Err::Failure(e)) if e.msg.is_some() => Err(nom::Err::Failure(e)),
        Err(nom::Err::Error(e) | nom::Err::Failure(e)) => {
            if e.msg.is_some() && e.at < ws(i).len() {
                Err(nom::Err::Failure(e))
            } else {
                Err(failure(i, format!("expected {}", what())))
            }
        }
        Err(e) => Err(e),
    }
}

/// Skips whitespace and `//` comments.
pub(crate) fn ws(mut i: In) -> In {
    loop {
        let t = i.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
        if let Some(rest) = t.strip_prefix("//") {
            i = rest.find('\n').map_or("", |n| &rest[n..]);
        } else {
            return t;
        }
    }
}

/// True for characters that may continue an identifier.
pub(crate) fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// True for characters that may start an identifier.
pub(crate) fn is_ident_start(c: char) -> bool {
    c.is_alphabetic() || c == '_' || c == '$'
}

/// A plain identifier's text, after whitespace: `name`, `$left`, `_x1`.
pub(crate) fn word(i: In<'_>) -> PResult<'_, &str> {
    recognize(pair(satisfy(is_ident_start), take_while(is_ident_char)))(ws(i))
}

/// An operator name: a word that may contain `-` (`project-away`, `mv-expand`).
pub(crate) fn op_word(i: In<'_>) -> PResult<'_, &str> {
    let i = ws(i);
    let (mut rest, _) = word(i)?;
    while let Some(after) = rest.strip_prefix('-') {
        match word(after) {
            Ok((r, _)) if !after.starts_with(char::is_whitespace) => rest = r,
            _ => break,
        }
    }
    Ok((rest, &i[..i.len() - rest.len()]))
}

/// The keyword `k` as a whole word.
pub(crate) fn kw<'a>(k: &'static str) -> impl Fn(In<'a>) -> PResult<'a, &'a str> {
    move |i| terminated(tag(k), not(satisfy(is_ident_char)))(ws(i))
}

/// The symbol `s` (punctuation).
pub(crate) fn sym<'a>(s: &'static str) -> impl Fn(In<'a>) -> PResult<'a, &'a str> {
    move |i| tag(s)(ws(i))
}

/// True when `i` starts (after whitespace) with `s`.
pub(crate) fn peek(i: In, s: &str) -> bool {
    ws(i).starts_with(s)
}

/// True when `i` starts with the keyword `k` as a whole word.
pub(crate) fn peek_kw(i: In, k: &'static str) -> bool {
    kw(k)(i).is_ok()
}

/// `=` that is not part of `==` or `=~`.
pub(crate) fn assign(i: In<'_>) -> PResult<'_, &str> {
    let (rest, s) = sym("=")(i)?;
    if rest.starts_with('=') || rest.starts_with('~') {
        return Err(backtrack(ws(i)));
    }
    Ok((rest, s))
}

/// An identifier, plain or bracketed (`['a b']`, `["x"]`).
pub(crate) fn ident(i: In) -> PResult<Ident> {
    let i = ws(i);
    let start = pos(i);
    if i.starts_with('[') {
        return bracketed_ident(i);
    }
    let (rest, w) = word(i)?;
    Ok((
        rest,
        Ident {
            name: w.to_string(),
            span: super::span(start, rest),
        },
    ))
}

/// `['name']` or `["name"]`.
pub(crate) fn bracketed_ident(i: In) -> PResult<Ident> {
    let i = ws(i);
    let start = pos(i);
    let (r, _) = sym("[")(i)?;
    if !(peek(r, "'") || peek(r, "\"")) {
        return Err(backtrack(i));
    }
    let (r, (name, _)) = string_literal(r)?;
    let (r, _) = need(sym("]")(r), r, || "`]` to close the bracketed name".into())?;
    Ok((
        r,
        Ident {
            name,
            span: super::span(start, r),
        },
    ))
}

/// A column name pattern for `project-away`/`project-keep`: a name that may contain `*`.
pub(crate) fn name_pattern(i: In) -> PResult<Ident> {
    let i = ws(i);
    if i.starts_with('[') {
        return bracketed_ident(i);
    }
    let start = pos(i);
    let end = i
        .find(|c: char| !(is_ident_char(c) || c == '*' || c == '$'))
        .unwrap_or(i.len());
    // Like an identifier, a pattern cannot start with a digit (`union 2` is not a table).
    if end == 0 || !i.starts_with(|c: char| is_ident_start(c) || c == '*') {
        return Err(backtrack(i));
    }
    let rest = &i[end..];
    Ok((
        rest,
        Ident {
            name: i[..end].to_string(),
            span: super::span(start, rest),
        },
    ))
}

/// Turns a failure into an [`crate::Error`] with a span at the failure point.
pub(crate) fn to_error(text: &str, e: PErr) -> crate::Error {
    let start = text.len().saturating_sub(e.at);
    let rest = text.get(start..).unwrap_or("");
    let width = match word(rest) {
        Ok((r, _)) if rest.len() - r.len() > 0 => rest.len() - r.len(),
        _ => rest.chars().next().map_or(0, char::len_utf8),
    };
    let msg = e.msg.unwrap_or_else(|| match rest.chars().next() {
        None => "unexpected end of query".to_string(),
        Some(_) => format!("unexpected `{}`", &rest[..width]),
    });
    crate::Error::at(
        crate::ErrorKind::Syntax,
        crate::Span::new(start, start + width),
        msg,
    )
}

/// The word operators that take a parenthesised list.
#[derive(Clone, Copy)]
pub(crate) enum ListOp {
    /// `in`, `!in`, `in~`, `!in~`.
    In {
        /// `!in`.
        negated: bool,
        /// `in~`.
        ci: bool,
    },
    /// `has_any` / `has_all`.
    Has {
        /// `has_all`.
        all: bool,
    },
    /// `between` / `!between`.
    Between {
        /// `!between`.
        negated: bool,
    },
}

pub(crate) fn list_operator(t: In) -> Option<(In, ListOp)> {
    let (bang, body) = match t.strip_prefix('!') {
        Some(b) => (true, b),
        None => (false, t),
    };
    let (r, w) = word(body).ok()?;
    if !body.starts_with(w) {
        return None;
    }
    let op = match (bang, w) {
        (_, "in") => match r.strip_prefix('~') {
            Some(r2) => {
                return Some((
                    r2,
                    ListOp::In {
                        negated: bang,
                        ci: true,
                    },
                ))
            }
            None => ListOp::In {
                negated: bang,
                ci: false,
            },
        },
        (false, "has_any") => ListOp::Has { all: false },
        (false, "has_all") => ListOp::Has { all: true },
        (_, "between") => ListOp::Between { negated: bang },
        _ => return None,
    };
    Some((r, op))
}

/// Recognises a string operator token (`=~`, `!has_cs`, `matches regex`, `notlike`, …).
pub(crate) fn str_operator(t: In) -> Option<(In, StrOp)> {
    let op = |test, negated, case_sensitive| StrOp {
        test,
        negated,
        case_sensitive,
    };
    if let Some(r) = t.strip_prefix("=~") {
        return Some((r, op(StrTest::Equals, false, false)));
    }
    if let Some(r) = t.strip_prefix("!~") {
        return Some((r, op(StrTest::Equals, true, false)));
    }
    let (bang, body) = match t.strip_prefix('!') {
        Some(b) => (true, b),
        None => (false, t),
    };
    let (r, w) = word(body).ok()?;
    if !body.starts_with(w) {
        return None;
    }
    let (base, cs) = match w.strip_suffix("_cs") {
        Some(b) => (b, true),
        None => (w, false),
    };
    let test = match base {
        "contains" => StrTest::Contains,
        "startswith" => StrTest::StartsWith,
        "endswith" => StrTest::EndsWith,
        "has" => StrTest::Has,
        "hasprefix" => StrTest::HasPrefix,
        "hassuffix" => StrTest::HasSuffix,
        "containscs" if !cs => return Some((r, op(StrTest::Contains, bang, true))),
        "notcontains" if !bang => return Some((r, op(StrTest::Contains, true, cs))),
        "notcontainscs" if !bang && !cs => return Some((r, op(StrTest::Contains, true, true))),
        "like" | "likecs" | "notlike" | "notlikecs" if !cs => {
            let negated = bang || base.starts_with("not");
            return Some((r, op(StrTest::Like, negated, base.ends_with("cs"))));
        }
        "matches" if !bang && !cs => {
            let (r, _) = kw("regex")(r).ok()?;
            return Some((r, op(StrTest::MatchesRegex, false, true)));
        }
        _ => return None,
    };
    Some((r, op(test, bang, cs)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitespace_and_comments() {
        for (text, rest) in [
            ("  a", "a"),
            ("// c\n  b", "b"),
            ("//x", ""),
            ("\t\r\n x", "x"),
            ("", ""),
        ] {
            assert_eq!(ws(text), rest, "{text:?}");
        }
    }

    #[test]
    fn words_and_operator_words() {
        for (text, w) in [
            ("abc d", "abc"),
            ("$left.x", "$left"),
            ("_a1 ", "_a1"),
            ("été", "été"),
        ] {
            assert_eq!(word(text).map(|r| r.1), Ok(w), "{text:?}");
        }
        for (text, w) in [
            ("project-away x", "project-away"),
            ("mv-expand", "mv-expand"),
            ("where-", "where"),
        ] {
            assert_eq!(op_word(text).map(|r| r.1), Ok(w), "{text:?}");
        }
        assert!(word("1a").is_err());
    }

    #[test]
    fn keywords_need_word_boundaries() {
        assert!(kw("in")("in (1)").is_ok());
        assert!(kw("in")("index").is_err());
        assert!(assign("= 1").is_ok());
        assert!(assign("== 1").is_err());
        assert!(assign("=~ 1").is_err());
    }
}
