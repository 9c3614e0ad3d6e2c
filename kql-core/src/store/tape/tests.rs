//! Unit tests of the tape: the parser against serde_json, round trips, interning, paths.

use super::build::SAMPLE;
use super::pool::Interner;
use super::text::skip_ws;
use super::*;
use crate::store::JsonStep;
use crate::value::Json;

/// Parses `text` as one cell with the tape parser, or `None` when it is rejected.
fn parse_one(text: &str) -> Option<Tape> {
    let mut b = TapeBuilder::new();
    let end = b.parse(text, skip_ws(text.as_bytes(), 0)).ok()?;
    (skip_ws(text.as_bytes(), end) == text.len()).then(|| b.finish())
}

fn round_trip(text: &str) -> Option<(Json, String)> {
    let t = parse_one(text)?;
    let node = t.node(0)?;
    let mut out = Vec::new();
    t.arena().write_json(node, &mut out);
    Some((t.arena().materialize(node), String::from_utf8(out).unwrap()))
}

/// Checks the tape agrees with serde_json on `text`: same acceptance, same value, same
/// compact text.
fn agrees(text: &str) {
    let serde = serde_json::from_str::<Json>(text).ok();
    let tape = round_trip(text);
    match (serde, tape) {
        (Some(j), Some((m, out))) => {
            assert_eq!(m, j, "{text}");
            assert_eq!(out, j.to_string(), "{text}");
            // Same number representation too (i64 / u64 / f64), not just equal values.
            assert_eq!(format!("{m:?}"), format!("{j:?}"), "{text}");
        }
        (None, None) => {}
        (s, t) => panic!("{text}: serde_json {s:?}, tape {t:?}"),
    }
}

#[test]
fn repeated_keys_are_found_whatever_their_key_bits() {
    // Key ids 0..70 in order of first appearance: k3 and k67 share a bit of the per-object
    // key mask (67 % 64 == 3), as do k5 and k69; the mask only skips the scan for keys
    // whose bit is clear, so every repeat must still be found. (The short texts, in a
    // fresh builder, number their keys from 0.)
    let members: Vec<String> = (0..70).map(|k| format!("\"k{k}\":{k}")).collect();
    let all = members.join(",");
    for text in [
        format!("{{{all}}}"),
        format!("{{{all},\"k67\":\"again\"}}"),
        format!("{{{all},\"k3\":[1],\"k69\":{{\"k5\":1,\"k5\":2}}}}"),
        "{\"k3\":1,\"k67\":2,\"k3\":3}".to_string(),
        "{\"k3\":1,\"k67\":2,\"k67\":3,\"x\":{\"k3\":4,\"k67\":5}}".to_string(),
        "{\"k67\":1,\"k3\":2}".to_string(),
    ] {
        agrees(&text);
    }
    // Hand-worked: the last value wins, at the key's first position.
    let (j, out) = round_trip(r#"{"k3":1,"k67":2,"k3":3}"#).unwrap();
    assert_eq!(out, r#"{"k3":3,"k67":2}"#);
    assert_eq!(j, serde_json::json!({"k3": 3, "k67": 2}));
}

#[test]
fn tricky_values_round_trip_as_serde_json_reads_them() {
    for text in [
        "{}",
        "[]",
        "[[],{},[[]],{\"a\":{}}]",
        "0",
        "-0",
        "-0.0",
        "1",
        "-1",
        "123456789012345678",
        "1234567890123456789",
        "9223372036854775807",
        "9223372036854775808",
        "-9223372036854775808",
        "-9223372036854775809",
        "18446744073709551615",
        "18446744073709551616",
        "1e400",
        "-1e400",
        "1e-400",
        "1.5",
        "1E2",
        "1e+2",
        "2.2250738585072014e-308",
        "0.1",
        "1.7976931348623157e308",
        "\"\"",
        "\"plain\"",
        "\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\"",
        "\"caf\\u00e9 \\u0000 \\u001f\"",
        "\"\\ud83d\\ude00 😀 é\"",
        "\"\\ud83d\"",
        "\"\\ude00\"",
        "\"\\ud83dx\"",
        "\"\\u12\"",
        "\"\\x\"",
        "\"tab\there\"",
        "\"\u{1}\"",
        "\"\u{7f}\"",
        "true",
        "false",
        "null",
        "[1,true,null,\"x\",2.5]",
        " { \"a\" : [ 1 , 2 ] , \"b\" : { } } ",
        "{\"a\":1,\"b\":2,\"a\":3}",
        "{\"a\":{\"x\":1},\"b\":2,\"a\":{\"y\":[1,2]},\"c\":3,\"b\":4}",
        "{\"k\\u0065y\":1,\"key\":2}",
        "{\"\":\"\"}",
        "[1,]",
        "{\"a\":1,}",
        "[01]",
        "[1.]",
        "[.5]",
        "[-]",
        "[1e]",
        "[+1]",
        "[tru]",
        "[nul]",
        "{a:1}",
        "{\"a\" 1}",
        "[1 2]",
        "[",
        "{",
        "{\"a\":",
        "\"open",
        "[1]]",
    ] {
        agrees(text.trim());
    }
}

#[test]
fn hand_checked_values() {
    let (j, out) = round_trip("{\"b\":1,\"a\":[\"\\u00e9\",-0,1e2],\"b\":{\"c\":null}}").unwrap();
    // The repeated key keeps its first position and takes its last value.
    assert_eq!(out, r#"{"b":{"c":null},"a":["é",-0.0,100.0]}"#);
    assert_eq!(j["a"][1].as_f64().map(f64::is_sign_negative), Some(true));
    let (j, _) = round_trip("18446744073709551615").unwrap();
    assert_eq!(j.as_u64(), Some(u64::MAX));
    let (j, _) = round_trip("-9223372036854775808").unwrap();
    assert_eq!(j.as_i64(), Some(i64::MIN));
    assert!(round_trip("1e400").is_none());
    let (j, out) = round_trip("\"\\ud83d\\ude00\"").unwrap();
    assert_eq!((j.as_str(), out.as_str()), (Some("😀"), "\"😀\""));
}

#[test]
fn container_headers_of_every_width_round_trip() {
    // Headers of 2 bytes ([1]: size 2, count 1), 3 (the reserve: 128 elements of 2 bytes),
    // 4 (200 elements: size 400 and count 200 take two bytes each) and 5 (a 20,000-byte
    // string inline: size takes three bytes), nested so that bodies move after inner
    // headers changed width.
    let many = |n: usize| format!("[{}]", vec!["1"; n].join(","));
    let long = format!("\"{}\"", "x".repeat(20_000));
    for text in [
        "[1]".to_string(),
        many(128),
        many(200),
        format!("{{\"a\":{},\"b\":[1],\"c\":{}}}", many(200), many(3)),
        format!("[{long},[{long}],{{\"k\":[1]}}]"),
    ] {
        agrees(&text);
    }
    let t = parse_one("[1]").unwrap();
    assert_eq!(t.arena().bytes, [ARRAY, 2, 1, INT, 2]);
}

#[test]
fn nesting_limit_matches_serde_json() {
    for depth in [1, 100, MAX_DEPTH - 1, MAX_DEPTH, MAX_DEPTH + 1, 10_000] {
        let arrays = format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
        agrees(&arrays);
        let objects = format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth));
        agrees(&objects);
    }
    assert!(round_trip(&format!(
        "{}{}",
        "[".repeat(MAX_DEPTH),
        "]".repeat(MAX_DEPTH)
    ))
    .is_some());
    // Unclosed and very deep: an error, not a stack overflow.
    assert!(parse_one(&"[".repeat(100_000)).is_none());
}

#[test]
fn deep_values_built_by_programs_are_written_without_recursion() {
    let mut j = Json::from(1);
    for _ in 0..20_000 {
        j = Json::Array(vec![j]);
    }
    let mut b = TapeBuilder::new();
    b.push_json(&j);
    let t = b.finish();
    let node = t.node(0).unwrap();
    let mut out = Vec::new();
    t.arena().write_json(node, &mut out);
    let expected = format!("{}1{}", "[".repeat(20_000), "]".repeat(20_000));
    assert!(out == expected.as_bytes());
    let m = t.arena().materialize(node);
    // Comparing values would recurse: descend by hand.
    let mut at = &m;
    for _ in 0..20_000 {
        match at {
            Json::Array(items) if items.len() == 1 => at = &items[0],
            _ => panic!("not a one-element array"),
        }
    }
    assert_eq!(at, &Json::from(1));
    // Dropping these deep trees would recurse; leak them in this test instead.
    std::mem::forget(m);
    std::mem::forget(j);
}

#[test]
fn strings_and_keys_are_interned() {
    let mut b = TapeBuilder::new();
    for _ in 0..1000 {
        let text = r#"{"status":"Healthy","description":"a long text repeated on every row"}"#;
        assert_eq!(b.parse(text, 0), Ok(text.len()));
    }
    let t = b.finish();
    assert_eq!((t.arena().keys.pool.len(), t.arena().strings.len()), (2, 2));
    // Tag, size, count, and two members of key, tag and string id: 9 bytes a row.
    assert_eq!(t.arena().bytes.len(), 9_000);
}

#[test]
fn interner_numbers_strings_in_order_of_first_appearance() {
    let mut i = Interner::default();
    // "" and 3000 others, each interned twice (the second round in reverse order).
    let words: Vec<String> = (0..3000).map(|n| format!("w{n}")).collect();
    assert_eq!(i.intern(""), 0);
    for (n, w) in words.iter().enumerate() {
        assert_eq!(i.intern(w), n as u64 + 1);
    }
    for (n, w) in words.iter().enumerate().rev() {
        assert_eq!(i.intern(w), n as u64 + 1);
        assert_eq!(i.lookup(w), Some(n as u64 + 1));
    }
    assert_eq!(
        (i.intern(""), i.lookup(""), i.lookup("w3000")),
        (0, Some(0), None)
    );
    assert_eq!(
        (i.pool.len(), i.pool.get(0), i.pool.get(3000)),
        (3001, "", "w2999")
    );
    assert_eq!(Interner::default().lookup(""), None);
}

#[test]
fn next_special_finds_the_first_quote_backslash_or_control_character() {
    // A special byte at every position of texts up to 80 bytes, scanned from every start:
    // both the word-at-a-time start and the memchr part must find the first one.
    let naive = |b: &[u8], i: usize| {
        (i..b.len())
            .find(|&j| matches!(b[j], b'"' | b'\\' | 0..=0x1f))
            .unwrap_or(b.len())
    };
    for len in 0..80 {
        for special in [b'"', b'\\', b'\n', 0u8, 0x1f] {
            for at in 0..=len {
                // Plain bytes, some of them just above the control range and non-ASCII.
                let mut text: Vec<u8> = (0..len).map(|k| b" a~\x7f\xc3 "[k % 6]).collect();
                if at < len {
                    text[at] = special;
                }
                for start in 0..=len {
                    assert_eq!(
                        next_special(&text, start),
                        naive(&text, start),
                        "len {len}, special {special} at {at}, from {start}"
                    );
                }
            }
        }
    }
    // A control character before a later quote in the memchr part.
    let text = b"0123456789abcdefghij\x01klm\"";
    assert_eq!(next_special(text, 0), 20);
}

#[test]
fn keys_with_escapes_are_read_exactly_when_they_follow_the_same_key() {
    // The second row repeats the key order of the first, so each key is first compared
    // with the input bytes as guessed; `q"k` must still be unescaped, never matched raw.
    let mut b = TapeBuilder::new();
    for text in [
        r#"{"a":1,"q\"k":2,"":3}"#,
        r#"{"a":1,"q\"k":2,"":3}"#,
        r#"{"a":1,"q\u0022k":2,"":3}"#,
    ] {
        assert_eq!(b.parse(text, 0), Ok(text.len()));
    }
    let t = b.finish();
    assert_eq!(t.arena().keys.pool.len(), 3);
    for row in 0..3 {
        let mut out = Vec::new();
        t.arena().write_json(t.node(row).unwrap(), &mut out);
        assert_eq!(out, br#"{"a":1,"q\"k":2,"":3}"#);
    }
}

#[test]
fn recent_strings_are_matched_only_when_the_input_spells_them_exactly() {
    // Enough repeats that the key's strings are interned and its recent strings are
    // matched against the input byte for byte; then inputs that share those bytes but
    // mean something else, or only begin with them.
    let mut rows: Vec<String> = (0..2 * SAMPLE)
        .map(|i| format!(r#"{{"k":"{}"}}"#, ["abc", "a\\\\b", "x"][i as usize % 3]))
        .collect();
    for tricky in [
        r#"{"k":"a\b"}"#,
        r#"{"k":"a\\b"}"#,
        r#"{"k":"ab\u0063"}"#,
        r#"{"k":"abcd"}"#,
        r#"{"k":"ab"}"#,
        r#"{"k":""}"#,
        r#"{"k":"abc"}"#,
        r#"{"k":"x\"y"}"#,
        r#"{"k":"x"}"#,
    ] {
        rows.push(tricky.to_string());
    }
    let mut b = TapeBuilder::new();
    for text in &rows {
        assert_eq!(b.parse(text, 0), Ok(text.len()), "{text}");
    }
    // A raw control character after recent bytes is still rejected.
    let bad = "{\"k\":\"abc\u{1}\"}";
    assert!(b.parse(bad, 0).is_err());
    let t = b.finish();
    for (row, text) in rows.iter().enumerate() {
        let mut out = Vec::new();
        t.arena().write_json(t.node(row).unwrap(), &mut out);
        let want = serde_json::from_str::<Json>(text).unwrap().to_string();
        assert_eq!(String::from_utf8(out).unwrap(), want, "row {row}: {text}");
    }
}

#[test]
fn truncate_drops_rows_and_their_bytes() {
    let mut b = TapeBuilder::new();
    assert_eq!(b.parse("{\"a\":[1,2]}", 0), Ok(11));
    b.push_null();
    let kept = b.bytes.len();
    assert_eq!(b.parse("{\"b\":\"x\"}", 0), Ok(9));
    b.push_null();
    b.truncate(5);
    assert_eq!(b.len(), 4);
    b.truncate(2);
    assert_eq!((b.len(), b.bytes.len()), (2, kept));
    assert_eq!(b.parse("[true]", 0), Ok(6));
    let t = b.finish();
    let text = |row: usize| {
        let mut out = Vec::new();
        t.node(row).map(|n| {
            t.arena().write_json(n, &mut out);
            String::from_utf8(out).unwrap()
        })
    };
    assert_eq!(text(0).as_deref(), Some("{\"a\":[1,2]}"));
    assert_eq!(text(1), None);
    assert_eq!(text(2).as_deref(), Some("[true]"));
}

#[test]
fn walks_paths() {
    let t = parse_one(r#"{"a":{"b":[10,{"c":"x"},null]},"z":1}"#).unwrap();
    let arena = t.arena();
    let root = t.node(0).unwrap();
    let at = |steps: &[JsonStep]| {
        arena
            .walk(root, &arena.resolve(steps))
            .map(|n| arena.materialize(n).to_string())
    };
    let k = |s: &str| JsonStep::Key(s.to_string());
    assert_eq!(
        at(&[k("a"), k("b"), JsonStep::Index(0)]).as_deref(),
        Some("10")
    );
    assert_eq!(
        at(&[k("a"), k("b"), JsonStep::Index(-2), k("c")]).as_deref(),
        Some("\"x\"")
    );
    assert_eq!(
        at(&[k("a"), k("b"), JsonStep::Index(-1)]).as_deref(),
        Some("null")
    );
    assert_eq!(at(&[k("a"), k("b"), JsonStep::Index(3)]), None);
    assert_eq!(at(&[k("a"), k("b"), JsonStep::Index(-4)]), None);
    assert_eq!(at(&[k("z")]).as_deref(), Some("1"));
    assert_eq!(at(&[k("nope")]), None);
    assert_eq!(at(&[k("z"), k("a")]), None);
    assert_eq!(at(&[JsonStep::Index(0)]), None);
}

/// A small deterministic generator of random JSON text, including malformed variants.
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        // splitmix64
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }

    fn value(&mut self, depth: usize, out: &mut String) {
        let kind = if depth > 4 {
            self.next() % 4
        } else {
            self.next() % 7
        };
        match kind {
            0 => out.push_str(self.pick(&["null", "true", "false"])),
            1 => out.push_str(self.pick(&[
                "0",
                "-0",
                "7",
                "-12",
                "3.25",
                "1e3",
                "-2.5E-3",
                "9223372036854775808",
                "18446744073709551616",
                "123456789012345678901234567890",
                "0.30000000000000004",
            ])),
            2 | 3 => out.push_str(self.pick(&[
                "\"\"",
                "\"a\"",
                "\"Healthy\"",
                "\"x\\ny\"",
                "\"\\u00e9\"",
                "\"\\ud83d\\ude00\"",
                "\"q\\\"uote\"",
                "\"é\"",
            ])),
            4 | 5 => {
                out.push('{');
                let n = self.next() % 5;
                for i in 0..n {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(self.pick(&["\"a\"", "\"b\"", "\"c\"", "\"\\u0061\"", "\"\""]));
                    out.push_str(self.pick(&[":", " : "]));
                    self.value(depth + 1, out);
                }
                out.push('}');
            }
            _ => {
                out.push('[');
                let n = self.next() % 5;
                for i in 0..n {
                    if i > 0 {
                        out.push_str(self.pick(&[",", " , "]));
                    }
                    self.value(depth + 1, out);
                }
                out.push(']');
            }
        }
    }
}

#[test]
fn random_json_agrees_with_serde_json() {
    let mut g = Gen(0x5eed);
    for _ in 0..3000 {
        let mut text = String::new();
        g.value(0, &mut text);
        agrees(&text);
        // A damaged copy: one byte removed or replaced must be accepted or rejected
        // exactly as serde_json does.
        if !text.is_empty() {
            let at = (g.next() % text.len() as u64) as usize;
            if text.is_char_boundary(at) && text.is_char_boundary(at + 1) {
                let mut cut = text.clone();
                cut.remove(at);
                agrees(&cut);
                let mut swapped = text.clone();
                swapped.replace_range(at..at + 1, g.pick(&[",", "]", "}", "\"", "1", " ", ":"]));
                agrees(&swapped);
            }
        }
    }
}

/// Parses `rows` into one builder, as a column's cells, and checks each against serde_json:
/// the same rows accepted, and each accepted row read back as the same value and text.
/// Returns the tape and, per row, its cell (`None`: rejected).
fn agrees_rows(rows: &[String]) -> (Tape, Vec<Option<usize>>) {
    let mut b = TapeBuilder::new();
    let mut cells = Vec::new();
    for text in rows {
        let ok = match b.parse(text, 0) {
            Ok(end) if end == text.len() => true,
            Ok(_) => panic!("{text}: not parsed whole"),
            Err(_) => false,
        };
        let serde_ok = serde_json::from_str::<Json>(text).is_ok();
        assert_eq!(ok, serde_ok, "{text}");
        cells.push(ok.then(|| b.len() - 1));
    }
    let tape = b.finish();
    for (text, cell) in rows.iter().zip(&cells) {
        let Some(cell) = cell else { continue };
        let node = tape.node(*cell).unwrap();
        let j: Json = serde_json::from_str(text).unwrap();
        assert_eq!(tape.arena().materialize(node), j, "{text}");
        let mut out = Vec::new();
        tape.arena().write_json(node, &mut out);
        assert_eq!(String::from_utf8(out).unwrap(), j.to_string(), "{text}");
    }
    (tape, cells)
}

#[test]
fn repeated_subtrees_are_shared_and_read_back_exactly() {
    // An object long enough to be remembered, repeated under one key in many rows, at other
    // positions, under another key, one byte off, inside a remembered object, as a repeated
    // key's first (dropped) value, and arrays of objects repeated whole.
    let meta = r#"{"displayName":"Enable MFA","severity":"High","categories":["IdentityAndAccess"],"n":1}"#;
    let other = meta.replace("High", "Higher");
    let list = r#"[{"a":"a string long enough to matter here"},{"b":2},[1,2,{"c":null}]]"#;
    let rows: Vec<String> = vec![
        format!(r#"{{"meta":{meta},"x":1}}"#),
        format!(r#"{{"meta":{meta},"x":2}}"#),
        format!(r#"{{"y":[1,2],"meta":{meta}}}"#),
        format!(r#"{{"meta":{other}}}"#),
        format!(r#"{{"copy":{meta}}}"#),
        format!(r#"{{"meta":{meta},"x":3,"meta":{other}}}"#),
        format!(r#"{{"meta":{other},"meta":{meta}}}"#),
        format!(r#"{{"outer":{{"meta":{meta},"pad":"some padding text"}}}}"#),
        format!(r#"{{"outer":{{"meta":{meta},"pad":"some padding text"}}}}"#),
        format!(r#"{{"list":{list}}}"#),
        format!(r#"{{"list":{list},"meta":{meta}}}"#),
        format!(r#"{{"list":{list},"meta":{meta}}}"#),
        format!(r#"{{"meta":{meta} , "x" : 4 }}"#),
    ];
    let (tape, cells) = agrees_rows(&rows);
    let a = tape.arena();
    let path = |steps: &[JsonStep]| a.resolve(steps);
    let severity = path(&[
        JsonStep::Key("meta".into()),
        JsonStep::Key("severity".into()),
    ]);
    let category = path(&[
        JsonStep::Key("meta".into()),
        JsonStep::Key("categories".into()),
        JsonStep::Index(-1),
    ]);
    let deep = path(&[
        JsonStep::Key("list".into()),
        JsonStep::Index(2),
        JsonStep::Index(2),
        JsonStep::Key("c".into()),
    ]);
    let at = |row: usize, steps: &[Step]| {
        a.walk(tape.node(cells[row].unwrap()).unwrap(), steps)
            .and_then(|n| a.scalar(n))
    };
    for row in [0, 1, 2, 12] {
        assert_eq!(at(row, &severity), Some(Scalar::Str("High")), "row {row}");
        assert_eq!(
            at(row, &category),
            Some(Scalar::Str("IdentityAndAccess")),
            "row {row}"
        );
    }
    assert_eq!(at(3, &severity), Some(Scalar::Str("Higher")));
    assert_eq!(at(5, &severity), Some(Scalar::Str("Higher")));
    assert_eq!(at(6, &severity), Some(Scalar::Str("High")));
    assert_eq!(at(11, &deep), Some(Scalar::Null));
    // Sharing happened: rows that repeat a subtree hold a reference to one copy, so the tape
    // is much shorter than the rows' tapes written apart.
    let apart: usize = rows
        .iter()
        .map(|r| parse_one(r).map_or(0, |t| t.arena().bytes.len()))
        .sum();
    assert!(
        a.bytes.len() * 2 < apart,
        "shared {} bytes, apart {apart}",
        a.bytes.len()
    );
}

#[test]
fn a_shared_subtree_keeps_the_nesting_limit() {
    // A value 100 levels deep is remembered at depth 1; met again under 26 more objects it
    // still fits (1 + 26 + 100 = MAX_DEPTH), under 27 it does not, as serde_json decides.
    let deep = format!("{}1{}", "[".repeat(100), "]".repeat(100));
    let wrapped = |levels: usize| {
        format!(
            "{}{{\"d\":{deep}}}{}",
            "{\"w\":".repeat(levels),
            "}".repeat(levels)
        )
    };
    let rows = vec![wrapped(0), wrapped(0), wrapped(26), wrapped(27), wrapped(0)];
    let (_, cells) = agrees_rows(&rows);
    assert!(cells[2].is_some() && cells[3].is_none());
}

#[test]
fn shared_subtrees_survive_dropped_rows() {
    // A row dropped after its subtree was remembered leaves the shared bytes in place.
    let meta =
        r#"{"displayName":"Enable MFA","severity":"High","categories":["IdentityAndAccess"]}"#;
    let mut b = TapeBuilder::new();
    for x in 0..3 {
        let row = format!(r#"{{"meta":{meta},"x":{x}}}"#);
        b.parse(&row, 0).unwrap();
    }
    b.truncate(1);
    let again = format!(r#"{{"meta":{meta},"x":9}}"#);
    b.parse(&again, 0).unwrap();
    let tape = b.finish();
    assert_eq!(tape.len(), 2);
    let j: Json = serde_json::from_str(&again).unwrap();
    assert_eq!(tape.arena().materialize(tape.node(1).unwrap()), j);
}

#[test]
fn guessed_subtrees_are_checked_whole() {
    // Values under one key whose first 48 bytes (what a guess is made from) are the same and
    // which differ further on, in the middle or only in their last bytes, in turns; one ends
    // where another goes on. Each row must read back as its own text.
    let head = r#"{"Source":"Azure","Id":"/subscriptions/0000/resourceGroups/rg"#;
    let values = [
        format!(r#"{head}/vm-1"}}"#),
        format!(r#"{head}/vm-2"}}"#),
        format!(r#"{head}/vm-1","extra":true}}"#),
        format!(r#"{head}/vm-1"}}"#),
        format!(r#"{head}/vm-10"}}"#),
        format!(r#"{head}/vm-2"}}"#),
    ];
    let rows: Vec<String> = values
        .iter()
        .chain(values.iter().rev())
        .enumerate()
        .map(|(i, v)| format!(r#"{{"details":{v},"n":{i}}}"#))
        .collect();
    let (tape, cells) = agrees_rows(&rows);
    assert!(cells.iter().all(Option::is_some));
    // Repeats were shared: the rows hold references, not copies.
    let apart: usize = rows
        .iter()
        .map(|r| parse_one(r).map_or(0, |t| t.arena().bytes.len()))
        .sum();
    let shared = tape.arena().bytes.len();
    assert!(
        shared * 3 < apart * 2,
        "shared {shared} bytes, apart {apart}"
    );
}
