//! Literals: strings in all their forms, numbers and timespans, booleans, typed literals such as
//! `datetime(…)`, `int(null)`, `guid(…)` and `dynamic(…)`.

use super::ast::{Expr, ExprKind, Literal};
use super::lexical::{backtrack, failure, is_ident_char, need, pos, sym, word, ws, In, PResult};
use super::span;
use crate::error::Span;
use crate::functions::conversion::parse_guid;
use crate::functions::datetime::{parse_datetime, parse_timespan, timespan_unit_ticks};

/// One string literal (no concatenation): its value and span.
pub(crate) fn string_literal(i: In) -> PResult<(String, Span)> {
    let i = ws(i);
    let start = pos(i);
    let body = match i.strip_prefix(['h', 'H']) {
        Some(b) if b.starts_with(['\'', '"', '@', '`', '~']) => b,
        _ => i,
    };
    let (rest, value) = if let Some(b) = body.strip_prefix('@') {
        verbatim_string(b, i)?
    } else if body.starts_with("```") || body.starts_with("~~~") {
        multiline_string(body)?
    } else if body.starts_with(['\'', '"']) {
        escaped_string(body)?
    } else {
        return Err(backtrack(i));
    };
    Ok((rest, (value, span(start, rest))))
}

/// Adjacent string literals, concatenated into one.
pub(crate) fn string_expr(i: In) -> PResult<Expr> {
    let (mut rest, (mut value, first)) = string_literal(i)?;
    while let Ok((r, (more, _))) = string_literal(rest) {
        value.push_str(&more);
        rest = r;
    }
    Ok((
        rest,
        Expr::new(
            ExprKind::Literal(Literal::String(value)),
            Span::new(first.start, pos(rest)),
        ),
    ))
}

/// `@'…'` / `@"…"`: no escapes; a doubled quote stands for one.
fn verbatim_string<'a>(b: In<'a>, whole: In<'a>) -> PResult<'a, String> {
    let quote = match b.chars().next() {
        Some(q @ ('\'' | '"')) => q,
        _ => return Err(backtrack(whole)),
    };
    let mut out = String::new();
    let mut chars = b[1..].char_indices();
    while let Some((n, c)) = chars.next() {
        if c == quote {
            let after = &b[1 + n + 1..];
            if after.starts_with(quote) {
                out.push(quote);
                chars.next();
                continue;
            }
            return Ok((after, out));
        }
        if c == '\n' {
            break;
        }
        out.push(c);
    }
    Err(failure(whole, "unterminated string literal"))
}

/// ```` ```…``` ```` or `~~~…~~~`: verbatim, may span lines.
fn multiline_string(b: In) -> PResult<String> {
    let fence = &b[..3];
    match b[3..].find(fence) {
        Some(n) => Ok((&b[3 + n + 3..], b[3..3 + n].to_string())),
        None => Err(failure(b, "unterminated multi-line string literal")),
    }
}

/// `'…'` / `"…"` with backslash escapes.
fn escaped_string(b: In) -> PResult<String> {
    let quote = b.chars().next().unwrap_or('"');
    let mut out = String::new();
    let mut rest = &b[1..];
    loop {
        let mut chars = rest.chars();
        match chars.next() {
            None | Some('\n') | Some('\r') => {
                return Err(failure(b, "unterminated string literal"))
            }
            Some(c) if c == quote => return Ok((chars.as_str(), out)),
            Some('\\') => rest = escape(chars.as_str(), &mut out),
            Some(c) => {
                out.push(c);
                rest = chars.as_str();
            }
        }
    }
}

/// Decodes one escape (the text after `\`), pushing the character; returns the rest.
fn escape<'a>(s: In<'a>, out: &mut String) -> In<'a> {
    let mut chars = s.chars();
    let Some(c) = chars.next() else { return s };
    let simple = match c {
        'n' => Some('\n'),
        'r' => Some('\r'),
        't' => Some('\t'),
        'a' => Some('\u{7}'),
        'b' => Some('\u{8}'),
        'f' => Some('\u{c}'),
        'v' => Some('\u{b}'),
        '\\' | '\'' | '"' => Some(c),
        _ => None,
    };
    if let Some(ch) = simple {
        out.push(ch);
        return chars.as_str();
    }
    let (radix, len, skip) = match c {
        'u' => (16, 4, 1),
        'U' => (16, 8, 1),
        'x' => (16, 2, 1),
        '0'..='7' => (8, 3, 0),
        _ => (0, 0, 0),
    };
    let digits: String = s[skip..]
        .chars()
        .take(len)
        .take_while(|d| d.is_digit(radix.max(2)))
        .collect();
    if radix != 0 && !digits.is_empty() {
        if let Some(ch) = u32::from_str_radix(&digits, radix)
            .ok()
            .and_then(char::from_u32)
        {
            out.push(ch);
            return &s[skip + digits.len()..];
        }
    }
    // Unknown escape: keep it as written.
    out.push('\\');
    out.push(c);
    chars.as_str()
}

/// A number: `12`, `0x1F`, `1.5`, `1e5`, or a timespan `2d`, `1.5h`, `100ms`.
pub(crate) fn number(i: In) -> PResult<Expr> {
    let i = ws(i);
    let start = pos(i);
    let (rest, lit) = number_literal(i)?;
    Ok((rest, Expr::new(ExprKind::Literal(lit), span(start, rest))))
}

/// The literal behind [`number`].
pub(crate) fn number_literal(i: In) -> PResult<Literal> {
    let b = i.as_bytes();
    if !b.first().is_some_and(u8::is_ascii_digit) {
        return Err(backtrack(i));
    }
    if let Some(hex) = i.strip_prefix("0x").or_else(|| i.strip_prefix("0X")) {
        return hex_literal(hex, i);
    }
    let digits = |at: usize| {
        at + i[at..]
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(i.len() - at)
    };
    let mut end = digits(0);
    let mut real = false;
    if b.get(end) == Some(&b'.') && b.get(end + 1) != Some(&b'.') {
        real = true;
        end = digits(end + 1);
    }
    if matches!(b.get(end), Some(b'e' | b'E')) {
        let sign = usize::from(matches!(b.get(end + 1), Some(b'+' | b'-')));
        if b.get(end + 1 + sign).is_some_and(u8::is_ascii_digit) {
            real = true;
            end = digits(end + 1 + sign);
        }
    }
    let text = &i[..end];
    let rest = &i[end..];
    if rest.starts_with(is_ident_char) {
        return timespan_literal(text, rest);
    }
    if !real {
        if let Ok(v) = text.parse::<i64>() {
            return Ok((rest, Literal::Long(Some(v))));
        }
    }
    match text.parse::<f64>() {
        Ok(v) => Ok((rest, Literal::Real(Some(v)))),
        Err(_) => Err(failure(i, "invalid number")),
    }
}

/// The digits after `0x`.
fn hex_literal<'a>(hex: In<'a>, whole: In<'a>) -> PResult<'a, Literal> {
    let n = hex
        .find(|c: char| !c.is_ascii_hexdigit())
        .unwrap_or(hex.len());
    let v = u64::from_str_radix(&hex[..n], 16)
        .map_err(|_| failure(whole, "invalid hexadecimal literal"))?;
    Ok((&hex[n..], Literal::Long(Some(v as i64))))
}

/// A number `text` followed by a unit suffix at `rest`: `2d`, `1.5h`, `100ms`.
fn timespan_literal<'a>(text: &str, rest: In<'a>) -> PResult<'a, Literal> {
    let (after, unit) = word(rest).map_err(|_| failure(rest, "invalid number"))?;
    let per = timespan_unit_ticks(unit).filter(|_| !unit.is_empty());
    let Some(per) = per else {
        return Err(failure(rest, format!("unknown timespan unit `{unit}`")));
    };
    let v: f64 = text
        .parse()
        .map_err(|_| failure(rest, "invalid timespan literal"))?;
    Ok((
        after,
        Literal::TimeSpan(Some((v * per as f64).round() as i64)),
    ))
}

/// `true`/`false` in any of the accepted spellings.
pub(crate) fn bool_word(w: &str) -> Option<bool> {
    match w {
        "true" | "TRUE" | "True" => Some(true),
        "false" | "FALSE" | "False" => Some(false),
        _ => None,
    }
}

/// `type(content)` typed literals. Fails without consuming when `name(` is not a literal form.
pub(crate) fn typed_literal(i: In) -> PResult<Expr> {
    let i = ws(i);
    let start = pos(i);
    let (r, name) = word(i)?;
    let Some(inner) = ws(r).strip_prefix('(') else {
        return Err(backtrack(i));
    };
    let (rest, lit) = match name {
        "datetime" | "date" | "time" | "timespan" | "guid" | "uuid" | "uniqueid" => {
            raw_literal(name, inner)?
        }
        "dynamic" => super::dynamic::dynamic_body(inner)?,
        "bool" | "boolean" | "int" | "int32" | "long" | "int64" | "real" | "double" | "decimal" => {
            match scalar_body(name, inner) {
                Some(v) => v,
                None => return Err(backtrack(i)),
            }
        }
        _ => return Err(backtrack(i)),
    };
    Ok((rest, Expr::new(ExprKind::Literal(lit), span(start, rest))))
}

/// The text up to the closing `)`, unquoted if quoted.
fn raw_text(inner: In) -> PResult<String> {
    let t = ws(inner);
    if t.starts_with(['\'', '"']) || t.starts_with('@') {
        let (r, (s, _)) = string_literal(t)?;
        let (r, _) = need(sym(")")(r), r, || "`)`".into())?;
        return Ok((r, s));
    }
    match inner.find([')', '\n']) {
        Some(n) if inner[n..].starts_with(')') => {
            Ok((&inner[n + 1..], inner[..n].trim().to_string()))
        }
        _ => Err(failure(inner, "expected `)` to close the literal")),
    }
}

/// `datetime(…)`, `timespan(…)`, `guid(…)`: raw text between the parentheses.
fn raw_literal<'a>(name: &str, inner: In<'a>) -> PResult<'a, Literal> {
    let (rest, text) = raw_text(inner)?;
    let null = text == "null";
    let check = |v: Option<i64>, what: &str| match (null, v) {
        (true, _) => Ok(None),
        (_, Some(v)) => Ok(Some(v)),
        _ => Err(failure(inner, format!("invalid {what} literal"))),
    };
    let lit = match name {
        "datetime" | "date" => Literal::DateTime(check(parse_datetime(&text), "datetime")?),
        "time" | "timespan" => Literal::TimeSpan(check(parse_timespan(&text), "timespan")?),
        _ => match (null, parse_guid(&text)) {
            (true, _) => Literal::Guid(None),
            (_, Some(g)) => Literal::Guid(Some(g)),
            _ => return Err(failure(inner, "invalid guid literal")),
        },
    };
    Ok((rest, lit))
}

/// `Some(None)` for `null`, `Some(Some(v))` for a value, `None` when `t` is neither.
fn nullable<T>(t: &str, parse: impl Fn(&str) -> Option<T>) -> Option<Option<T>> {
    if t == "null" {
        Some(None)
    } else {
        parse(t).map(Some)
    }
}

/// `int(5)`, `real(nan)`, `bool(true)`, `long(null)`: `None` when the content is not a literal.
fn scalar_body<'a>(name: &str, inner: In<'a>) -> Option<(In<'a>, Literal)> {
    let t = ws(inner);
    let close = t.find(')')?;
    let text: String = t[..close].chars().filter(|c| !c.is_whitespace()).collect();
    let boolean =
        |t: &str| bool_word(t).or_else(|| ["0", "1"].iter().position(|d| *d == t).map(|n| n == 1));
    let lit = match name {
        "bool" | "boolean" => Literal::Bool(nullable(&text, boolean)?),
        "int" | "int32" => Literal::Int(nullable(&text, |t| t.parse().ok())?),
        "long" | "int64" => Literal::Long(nullable(&text, |t| t.parse().ok())?),
        "real" | "double" => Literal::Real(nullable(&text, real_text)?),
        _ => Literal::Decimal(nullable(&text, real_text)?),
    };
    Some((&t[close + 1..], lit))
}

/// A real number as written inside `real(…)`: digits, `nan`, `inf`, `+inf`, `-inf`.
fn real_text(t: &str) -> Option<f64> {
    match t {
        "nan" | "NaN" => Some(f64::NAN),
        "inf" | "+inf" => Some(f64::INFINITY),
        "-inf" => Some(f64::NEG_INFINITY),
        _ if t
            .trim_start_matches(['+', '-'])
            .starts_with(|c: char| c.is_ascii_digit()) =>
        {
            t.parse().ok()
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value as Json;

    fn lit(text: &str) -> Literal {
        let old = super::super::lexical::begin(text.len());
        let r = super::super::expr::expr(text).map(|(_, e)| e.kind);
        super::super::lexical::end(old);
        match r {
            Ok(ExprKind::Literal(l)) => l,
            other => panic!("{text}: {other:?}"),
        }
    }

    #[test]
    fn strings() {
        for (text, value) in [
            (r#"'abc'"#, "abc"),
            (r#""a\"b\n""#, "a\"b\n"),
            (r#"@'C:\x'"#, r"C:\x"),
            (r#"@'it''s'"#, "it's"),
            ("```a\nb```", "a\nb"),
            ("~~~x~~~", "x"),
            (r#"h'secret'"#, "secret"),
            (r#"H@"a""b""#, "a\"b"),
            (r#"'ab' "cd" @'ef'"#, "abcdef"),
            (r#"'\u00e9\x41\101'"#, "éAA"),
            (r#"'\d+'"#, r"\d+"),
        ] {
            assert_eq!(lit(text), Literal::String(value.into()), "{text}");
        }
    }

    #[test]
    fn numbers_and_typed_literals() {
        use Literal::*;
        let guid = "74be27de-1e4e-49d9-b579-fe0b331d3642";
        let day = 864_000_000_000;
        for (text, value) in [
            ("12", Long(Some(12))),
            ("0x1F", Long(Some(31))),
            ("1.0", Real(Some(1.0))),
            ("1.", Real(Some(1.0))),
            ("1e5", Real(Some(1e5))),
            ("2.5E-3", Real(Some(2.5e-3))),
            ("2d", TimeSpan(Some(2 * day))),
            ("1.5h", TimeSpan(Some(54_000_000_000))),
            ("100ms", TimeSpan(Some(1_000_000))),
            ("10microsecond", TimeSpan(Some(100))),
            ("1tick", TimeSpan(Some(1))),
            ("int(5)", Int(Some(5))),
            ("long(null)", Long(None)),
            ("real(+inf)", Real(Some(f64::INFINITY))),
            ("double(1)", Real(Some(1.0))),
            ("decimal(1.5)", Decimal(Some(1.5))),
            ("bool(true)", Bool(Some(true))),
            ("False", Bool(Some(false))),
            ("timespan(2)", TimeSpan(Some(2 * day))),
            ("timespan(15 seconds)", TimeSpan(Some(150_000_000))),
            ("time(1.02:03:04)", TimeSpan(parse_timespan("1.02:03:04"))),
            (
                "datetime(2015-12-31 23:59:59.9)",
                DateTime(parse_datetime("2015-12-31 23:59:59.9")),
            ),
            ("date('2007-04-07')", DateTime(parse_datetime("2007-04-07"))),
            ("datetime(null)", DateTime(None)),
            (&format!("guid({guid})"), Guid(parse_guid(guid))),
            ("dynamic(null)", Dynamic(Json::Null)),
            ("dynamic(4)", Dynamic(Json::from(4))),
            (
                "dynamic({'a': [1, -2.5, 'x', null]})",
                Dynamic(serde_json::json!({"a": [1, -2.5, "x", null]})),
            ),
        ] {
            assert_eq!(lit(text), value, "{text}");
        }
        assert!(matches!(lit("real(nan)"), Literal::Real(Some(v)) if v.is_nan()));
    }
}
