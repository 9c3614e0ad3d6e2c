//! A small lexer for the REPL: syntax colours (keywords, strings, numbers, comments), the
//! bracket matching the one at the cursor, and whether an entry is complete or continues on
//! the next line (a trailing `|`, an open bracket or an unterminated string).
//!
//! It never fails: any text splits into tokens that cover it exactly.

/// Tabular operators (after `|`), for colours and completion.
pub const OPERATORS: &[&str] = &[
    "as",
    "count",
    "distinct",
    "evaluate",
    "extend",
    "facet",
    "filter",
    "getschema",
    "join",
    "limit",
    "lookup",
    "mv-expand",
    "mvexpand",
    "order",
    "parse",
    "parse-where",
    "project",
    "project-away",
    "project-keep",
    "project-rename",
    "project-reorder",
    "range",
    "render",
    "sample",
    "sample-distinct",
    "search",
    "serialize",
    "sort",
    "summarize",
    "take",
    "top",
    "union",
    "where",
];

/// Other keywords.
pub const KEYWORDS: &[&str] = &[
    "and",
    "asc",
    "between",
    "by",
    "contains",
    "contains_cs",
    "datatable",
    "desc",
    "false",
    "has",
    "has_any",
    "has_all",
    "has_cs",
    "hasprefix",
    "hassuffix",
    "in",
    "kind",
    "let",
    "matches",
    "not",
    "null",
    "nulls",
    "first",
    "last",
    "on",
    "or",
    "print",
    "regex",
    "startswith",
    "endswith",
    "step",
    "to",
    "true",
    "with",
    "typeof",
    "inner",
    "innerunique",
    "leftouter",
    "rightouter",
    "fullouter",
    "leftanti",
    "rightanti",
    "leftsemi",
    "rightsemi",
    "like",
];

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tok {
    /// An identifier or keyword (may contain `-` between letters, as `mv-expand`).
    Word,
    /// A string literal; `closed` is false when the text ends inside it.
    Str { closed: bool },
    /// A number (with a unit suffix such as `1d`, `5m`).
    Number,
    /// `// …` to the end of the line.
    Comment,
    /// One punctuation character.
    Punct(char),
    /// Spaces and newlines.
    Space,
}

/// Splits `text` into tokens: (kind, start, end) byte ranges covering all of it.
pub fn lex(text: &str) -> Vec<(Tok, usize, usize)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let start = i;
        let c = b[i];
        let kind = if c.is_ascii_whitespace() {
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            Tok::Space
        } else if text[i..].starts_with("//") {
            i = text[i..].find('\n').map_or(b.len(), |n| i + n);
            Tok::Comment
        } else if text[i..].starts_with("```") {
            let end = text[i + 3..].find("```");
            i = end.map_or(b.len(), |n| i + 3 + n + 3);
            Tok::Str {
                closed: end.is_some(),
            }
        } else if (c == b'@' || c == b'h' || c == b'H')
            && matches!(b.get(i + 1), Some(b'\'' | b'"'))
        {
            let verbatim = c == b'@';
            i += 1;
            let closed = skip_string(b, &mut i, verbatim);
            Tok::Str { closed }
        } else if c == b'\'' || c == b'"' {
            let closed = skip_string(b, &mut i, false);
            Tok::Str { closed }
        } else if c.is_ascii_digit() {
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'.') {
                i += 1;
            }
            Tok::Number
        } else if c.is_ascii_alphabetic() || c == b'_' || c == b'$' || c >= 0x80 {
            while i < b.len() {
                let w = b[i];
                let dash_word = w == b'-' && b.get(i + 1).is_some_and(|n| n.is_ascii_alphabetic());
                if w.is_ascii_alphanumeric() || w == b'_' || w >= 0x80 || dash_word {
                    i += 1;
                } else {
                    break;
                }
            }
            Tok::Word
        } else {
            i += 1;
            Tok::Punct(c as char)
        };
        // Never split a UTF-8 character.
        while i < b.len() && !text.is_char_boundary(i) {
            i += 1;
        }
        out.push((kind, start, i));
    }
    out
}

/// Moves `i` (at the opening quote) past the string; true when it was closed.
fn skip_string(b: &[u8], i: &mut usize, verbatim: bool) -> bool {
    let quote = b[*i];
    *i += 1;
    while *i < b.len() {
        let c = b[*i];
        if !verbatim && c == b'\\' {
            *i += 2;
            continue;
        }
        *i += 1;
        if c == quote {
            if verbatim && b.get(*i) == Some(&quote) {
                *i += 1;
                continue;
            }
            return true;
        }
        if c == b'\n' && !verbatim {
            return false;
        }
    }
    *i = (*i).min(b.len());
    false
}

/// True when the entry should be run now; false when it continues on the next line (after a
/// trailing `|` or `;`, inside brackets or an unterminated string).
pub fn is_complete(text: &str) -> bool {
    if text.trim().is_empty() || crate::dot::is_dot_command(text) || text.ends_with("\n\n") {
        return true;
    }
    let mut depth: i64 = 0;
    let mut last = None;
    for (tok, start, end) in lex(text) {
        match tok {
            Tok::Str { closed: false } => return false,
            Tok::Punct('(' | '[' | '{') => depth += 1,
            Tok::Punct(')' | ']' | '}') => depth -= 1,
            _ => {}
        }
        if !matches!(tok, Tok::Space | Tok::Comment) {
            last = Some(&text[start..end]);
        }
    }
    // A trailing `|` continues the pipeline; a trailing `;` ends a `let`, so the query follows.
    depth <= 0 && last != Some("|") && last != Some(";")
}

/// The position of the bracket matching the one at (or just before) `pos`.
pub fn matching_bracket(text: &str, pos: usize) -> Option<usize> {
    let toks = lex(text);
    let at = |p: usize| {
        toks.iter()
            .find(|(t, s, _)| *s == p && matches!(t, Tok::Punct('(' | ')' | '[' | ']' | '{' | '}')))
            .map(|(t, _, _)| *t)
    };
    let (here, tok) = [Some(pos), pos.checked_sub(1)]
        .into_iter()
        .flatten()
        .find_map(|p| at(p).map(|t| (p, t)))?;
    let (open, close, forward) = match tok {
        Tok::Punct(c @ ('(' | '[' | '{')) => (c, closing(c), true),
        Tok::Punct(c) => (opening(c), c, false),
        _ => return None,
    };
    let brackets: Vec<(usize, char)> = toks
        .iter()
        .filter_map(|(t, s, _)| match t {
            Tok::Punct(c) if *c == open || *c == close => Some((*s, *c)),
            _ => None,
        })
        .collect();
    let ordered: Vec<&(usize, char)> = if forward {
        brackets.iter().filter(|(s, _)| *s >= here).collect()
    } else {
        brackets.iter().rev().filter(|(s, _)| *s <= here).collect()
    };
    let start_char = if forward { open } else { close };
    let mut depth = 0;
    for (s, c) in ordered {
        if *c == start_char {
            depth += 1;
        } else {
            depth -= 1;
            if depth == 0 {
                return Some(*s);
            }
        }
    }
    None
}

fn closing(c: char) -> char {
    match c {
        '(' => ')',
        '[' => ']',
        _ => '}',
    }
}

fn opening(c: char) -> char {
    match c {
        ')' => '(',
        ']' => '[',
        _ => '{',
    }
}

const KEYWORD_COLOR: &str = "\x1b[1;34m";
const OPERATOR_COLOR: &str = "\x1b[1;35m";
const STRING_COLOR: &str = "\x1b[32m";
const NUMBER_COLOR: &str = "\x1b[33m";
const COMMENT_COLOR: &str = "\x1b[2m";
const BRACKET_COLOR: &str = "\x1b[1;7m";
const RESET: &str = "\x1b[0m";

/// `text` with ANSI colours; the bracket matching the one at `pos` is shown reversed.
/// The visible text is unchanged (only escape codes are added).
pub fn highlight(text: &str, pos: usize) -> String {
    let partner = matching_bracket(text, pos);
    let mut out = String::with_capacity(text.len() * 2);
    for (tok, start, end) in lex(text) {
        let piece = &text[start..end];
        let color = match tok {
            Tok::Word if OPERATORS.iter().any(|k| k.eq_ignore_ascii_case(piece)) => OPERATOR_COLOR,
            Tok::Word if KEYWORDS.iter().any(|k| k.eq_ignore_ascii_case(piece)) => KEYWORD_COLOR,
            Tok::Str { .. } => STRING_COLOR,
            Tok::Number => NUMBER_COLOR,
            Tok::Comment => COMMENT_COLOR,
            Tok::Punct(_) if partner == Some(start) => BRACKET_COLOR,
            _ => "",
        };
        if color.is_empty() {
            out.push_str(piece);
        } else {
            out.push_str(color);
            out.push_str(piece);
            out.push_str(RESET);
        }
    }
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn strip(s: &str) -> String {
        let mut out = String::new();
        let mut esc = false;
        for c in s.chars() {
            match (esc, c) {
                (false, '\x1b') => esc = true,
                (true, 'm') => esc = false,
                (true, _) => {}
                (false, c) => out.push(c),
            }
        }
        out
    }

    #[test]
    fn tokens_cover_the_text() {
        for text in [
            "T | where x == 'a\\'b' // c",
            "é日本",
            "@'x''y' h\"z\"",
            "```a\nb``` 1.5d",
            "'open",
        ] {
            let toks = lex(text);
            let mut at = 0;
            for (_, s, e) in &toks {
                assert_eq!(*s, at);
                at = *e;
            }
            assert_eq!(at, text.len());
        }
        assert_eq!(lex("mv-expand")[0], (Tok::Word, 0, 9));
        assert_eq!(lex("a-1").len(), 3);
    }

    #[test]
    fn completeness() {
        assert!(is_complete("T | count"));
        assert!(!is_complete("T |"));
        assert!(!is_complete("T | where x in ("));
        assert!(!is_complete("T | where x == 'abc"));
        assert!(is_complete("T | where x == '|'"));
        assert!(is_complete("T |\n\n"));
        assert!(is_complete(".tables"));
        assert!(is_complete(""));
        assert!(!is_complete("T\n| // comment\n"));
        assert!(!is_complete("print ```a"));
        assert!(!is_complete("let n = 1;"));
        assert!(is_complete("let n = 1;\nprint n"));
    }

    #[test]
    fn brackets_match() {
        let text = "f(a, (b), c)";
        assert_eq!(matching_bracket(text, 1), Some(11));
        assert_eq!(matching_bracket(text, 11), Some(1));
        assert_eq!(matching_bracket(text, 12), Some(1));
        assert_eq!(matching_bracket(text, 5), Some(7));
        assert_eq!(matching_bracket(text, 3), None);
        assert_eq!(matching_bracket("f(')'", 1), None);
    }

    #[test]
    fn colours_keep_the_text() {
        let text = "T | where name == 'x' and n > 10 // note\n| project (a)";
        let shown = highlight(text, 0);
        assert_eq!(strip(&shown), text);
        assert!(shown.contains(&format!("{OPERATOR_COLOR}where{RESET}")));
        assert!(shown.contains(&format!("{STRING_COLOR}'x'{RESET}")));
        assert!(shown.contains(&format!("{NUMBER_COLOR}10{RESET}")));
        let pos = text.find('(').unwrap();
        assert!(highlight(text, pos).contains(&format!("{BRACKET_COLOR}){RESET}")));
    }

    /// Pseudo-random strings over an alphabet of KQL's awkward characters.
    pub(crate) fn odd_texts() -> Vec<String> {
        let alphabet: Vec<char> = "a1 |'\"\\@h()[]{}`/\n;.-é日\t".chars().collect();
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        (0..300)
            .map(|_| {
                seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                let len = (seed >> 59) as usize + 1;
                (0..len)
                    .map(|_| {
                        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                        alphabet[(seed >> 33) as usize % alphabet.len()]
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn no_input_panics() {
        for text in odd_texts() {
            let _ = is_complete(&text);
            for pos in 0..=text.len() + 1 {
                if text.is_char_boundary(pos.min(text.len())) {
                    assert_eq!(strip(&highlight(&text, pos)), text);
                    let _ = matching_bracket(&text, pos);
                }
            }
        }
    }
}
