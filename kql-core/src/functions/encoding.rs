//! Encoding functions: `url_encode`, `url_encode_component`, `url_decode`,
//! `base64_encode_tostring`/`base64_decode_tostring` (old spellings `base64_encodestring`,
//! `base64_decodestring`). Hash functions are in [`super::hashing`].

use super::{text, Naming, ScalarFunction};
use crate::scalar;
use crate::value::Value;

/// The encoding functions.
pub static FUNCTIONS: &[ScalarFunction] = &[
    scalar!("url_encode", 1..=1, String, Naming::Default, |v, _| {
        Value::string(url_encode(&text(&v[0]), true))
    }),
    scalar!(
        "url_encode_component",
        1..=1,
        String,
        Naming::Default,
        |v, _| Value::string(url_encode(&text(&v[0]), false))
    ),
    scalar!("url_decode", 1..=1, String, Naming::Default, |v, _| {
        Value::string(url_decode(&text(&v[0])))
    }),
    scalar!(
        "base64_encode_tostring",
        1..=1,
        String,
        Naming::Default,
        |v, _| Value::string(base64_encode(text(&v[0]).as_bytes()))
    ),
    scalar!(
        "base64_encodestring",
        1..=1,
        String,
        Naming::Default,
        |v, _| Value::string(base64_encode(text(&v[0]).as_bytes()))
    ),
    scalar!(
        "base64_decode_tostring",
        1..=1,
        String,
        Naming::Default,
        |v, _| Value::string(base64_decode_text(&text(&v[0])))
    ),
    scalar!(
        "base64_decodestring",
        1..=1,
        String,
        Naming::Default,
        |v, _| Value::string(base64_decode_text(&text(&v[0])))
    ),
];

/// Percent-encoding as .NET's `HttpUtility.UrlEncode` does it, which the documented example
/// shows (`https://www.bing.com/hello world` → `https%3a%2f%2fwww.bing.com%2fhello+world`):
/// lower-case hex, letters, digits and `-_.!*()` kept; a space is `+` in `url_encode` and
/// `%20` in `url_encode_component` (documented difference).
fn url_encode(s: &str, plus_for_space: bool) -> String {
    let mut out = String::with_capacity(s.len() * 3 / 2);
    for &b in s.as_bytes() {
        match b {
            b'a'..=b'z'
            | b'A'..=b'Z'
            | b'0'..=b'9'
            | b'-'
            | b'_'
            | b'.'
            | b'!'
            | b'*'
            | b'('
            | b')' => out.push(b as char),
            b' ' if plus_for_space => out.push('+'),
            _ => out.push_str(&format!("%{b:02x}")),
        }
    }
    out
}

/// Decodes `%xx` escapes and `+` (a space); malformed escapes stay as they are; invalid UTF-8
/// becomes U+FFFD.
fn url_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok());
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(b) => {
                        out.push(b);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 with `=` padding.
fn base64_encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, &b)| acc | (b as u32) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(B64[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Standard base64 (padding optional) to bytes; `None` on any invalid character.
fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let body = s.trim().trim_end_matches('=');
    let mut out = Vec::with_capacity(body.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0);
    for c in body.bytes() {
        let v = B64.iter().position(|&x| x == c)? as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// `base64_decode_tostring`: the decoded UTF-8 text; invalid base64 or invalid UTF-8 gives
/// `""` (the documented null result, as a string).
fn base64_decode_text(s: &str) -> String {
    base64_decode(s)
        .and_then(|b| String::from_utf8(b).ok())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use crate::functions::testing::{call, s};

    #[test]
    fn url_encoding() {
        // Documented examples.
        assert_eq!(
            call("url_encode", &[s("https://www.bing.com/hello world")]),
            s("https%3a%2f%2fwww.bing.com%2fhello+world")
        );
        assert_eq!(
            call(
                "url_encode_component",
                &[s("https://www.bing.com/hello world/")]
            ),
            s("https%3a%2f%2fwww.bing.com%2fhello%20world%2f")
        );
        assert_eq!(
            call("url_decode", &[s("https%3a%2f%2fwww.bing.com%2f")]),
            s("https://www.bing.com/")
        );
        assert_eq!(call("url_decode", &[s("a+b%2")]), s("a b%2"));
        assert_eq!(
            call("url_decode", &[call("url_encode", &[s("é ✓")])]),
            s("é ✓")
        );
    }

    #[test]
    fn base64() {
        // Documented: base64_encode_tostring("Kusto") = "S3VzdG8=", and back.
        assert_eq!(call("base64_encode_tostring", &[s("Kusto")]), s("S3VzdG8="));
        assert_eq!(call("base64_decode_tostring", &[s("S3VzdG8=")]), s("Kusto"));
        assert_eq!(call("base64_decode_tostring", &[s("S3VzdG8")]), s("Kusto"));
        assert_eq!(call("base64_decode_tostring", &[s("@@@")]), s(""));
        for text in ["", "a", "ab", "abc", "abcd"] {
            let enc = call("base64_encodestring", &[s(text)]);
            assert_eq!(call("base64_decodestring", &[enc]), s(text));
        }
        assert_eq!(call("base64_encode_tostring", &[s("ab")]), s("YWI="));
    }
}
