//! Scanning JSON text: whitespace, the next byte that ends a plain string, and strings read
//! (or matched against a known spelling) in place.

use crate::store::hash::same_bytes;

/// The offset of the first non-whitespace byte at or after `i`.
#[inline]
pub(crate) fn skip_ws(bytes: &[u8], mut i: usize) -> usize {
    while matches!(bytes.get(i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
        i += 1;
    }
    i
}

/// The offset of the first `"`, `\\` or control character at or after `i` (or the length).
/// Eight bytes at a time: a byte is flagged by the classic "has zero byte" / "has byte less
/// than" word tricks; their false positives only ever follow a true one, so the lowest flagged
/// byte is the first special byte.
#[inline]
pub(crate) fn next_special(bytes: &[u8], mut i: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    while let Some(chunk) = bytes.get(i..i + 8) {
        let mut w = [0u8; 8];
        w.copy_from_slice(chunk);
        let w = u64::from_le_bytes(w);
        let q = w ^ (ONES * u64::from(b'"'));
        let b = w ^ (ONES * u64::from(b'\\'));
        let flags = ((q.wrapping_sub(ONES) & !q)
            | (b.wrapping_sub(ONES) & !b)
            | (w.wrapping_sub(ONES * 0x20) & !w))
            & HIGHS;
        if flags != 0 {
            return i + (flags.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while let Some(&c) = bytes.get(i) {
        if c == b'"' || c == b'\\' || c < 0x20 {
            return i;
        }
        i += 1;
    }
    i
}

/// The offset just past the JSON string whose opening quote is at `i` when that string is
/// `text` written out byte for byte. Only for a `text` JSON spells as itself (no quote,
/// backslash or control character): then the string's value is exactly `text`.
#[inline]
pub(crate) fn spelled_at(bytes: &[u8], i: usize, text: &[u8]) -> Option<usize> {
    let close = i + 1 + text.len();
    let same = bytes.get(close) == Some(&b'"')
        && bytes
            .get(i + 1..close)
            .is_some_and(|input| same_bytes(input, text));
    same.then_some(close + 1)
}

/// The string whose opening quote is at `i`: its value and the offset just past it. Strings
/// without escapes or control characters are borrowed; the others are handed to serde_json,
/// which unescapes them (surrogate pairs included) or rejects them exactly as it would in a
/// whole document.
#[inline]
pub(crate) fn string_at(s: &str, i: usize) -> Option<(std::borrow::Cow<'_, str>, usize)> {
    use std::borrow::Cow;
    let bytes = s.as_bytes();
    let mut j = i + 1;
    let mut plain = true;
    loop {
        j = next_special(bytes, j);
        match *bytes.get(j)? {
            b'"' => {
                let value = if plain {
                    Cow::Borrowed(s.get(i + 1..j)?)
                } else {
                    Cow::Owned(serde_json::from_str::<String>(s.get(i..=j)?).ok()?)
                };
                return Some((value, j + 1));
            }
            b'\\' => {
                plain = false;
                j += 2;
            }
            c => {
                // Control characters are invalid in JSON strings; serde_json rejects them.
                plain &= c >= 0x20;
                j += 1;
            }
        }
    }
}

/// The offset just past the string starting with the quote at `i`.
pub(crate) fn skip_string(bytes: &[u8], mut i: usize) -> Option<usize> {
    i += 1;
    loop {
        i = next_special(bytes, i);
        match bytes.get(i)? {
            b'"' => return Some(i + 1),
            b'\\' => i += 2,
            _ => i += 1,
        }
    }
}

/// The offset of the first `"`, `{`, `}`, `[` or `]` at or after `i` (or the length), eight
/// bytes at a time (the word tricks of `next_special`; setting bit 5 folds `[` onto `{` and `]`
/// onto `}`, and no other byte onto either).
fn next_structural(bytes: &[u8], mut i: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let has = |w: u64, b: u8| {
        let x = w ^ (ONES * u64::from(b));
        x.wrapping_sub(ONES) & !x & HIGHS
    };
    while let Some(chunk) = bytes.get(i..i + 8) {
        let mut w = [0u8; 8];
        w.copy_from_slice(chunk);
        let w = u64::from_le_bytes(w);
        let folded = w | (ONES * 0x20);
        let flags = has(w, b'"') | has(folded, b'{') | has(folded, b'}');
        if flags != 0 {
            return i + (flags.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while let Some(&c) = bytes.get(i) {
        if matches!(c, b'"' | b'{' | b'}' | b'[' | b']') {
            return i;
        }
        i += 1;
    }
    i
}

/// The offset just past the value starting at `i`. Only brackets and strings are checked; the
/// value itself is validated by whoever parses it.
pub(crate) fn skip_value(bytes: &[u8], mut i: usize) -> Option<usize> {
    match bytes.get(i)? {
        b'"' => skip_string(bytes, i),
        b'{' | b'[' => {
            let mut depth = 0usize;
            loop {
                i = next_structural(bytes, i);
                match *bytes.get(i)? {
                    b'"' => {
                        i = skip_string(bytes, i)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(i + 1);
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
        }
        _ => {
            let start = i;
            while i < bytes.len()
                && !matches!(bytes[i], b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r')
            {
                i += 1;
            }
            (i > start).then_some(i)
        }
    }
}
