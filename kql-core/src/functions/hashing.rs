//! Hash functions: `hash`/`hash_xxhash64` (XXH64), `hash_sha256`, `hash_sha1`, `hash_md5`.
//! The algorithms are written here from their specifications (the xxHash spec, FIPS 180-4,
//! RFC 1321); no extra crates. Digests are lower-case hex of the UTF-8 text.

use super::args::{check, int_arg, scalar, Kind};
use super::{text, Naming, ScalarFunction};
use crate::scalar;
use crate::types::DataType;
use crate::value::Value;

/// The hash functions.
pub static FUNCTIONS: &[ScalarFunction] = &[
    scalar!("hash", 1..=2, => |a: &[DataType]| hash_type("hash", a), Naming::Default, |v, _| hash(v)),
    scalar!("hash_xxhash64", 1..=2, => |a: &[DataType]| hash_type("hash_xxhash64", a), Naming::Default, |v, _| hash(v)),
    scalar!("hash_sha256", 1..=1, String, Naming::Default, |v, _| {
        if v[0].is_null() {
            return Value::string("");
        }
        let digest = sha256(text(&v[0]).as_bytes());
        Value::string(
            digest
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect::<String>(),
        )
    }),
    scalar!("hash_sha1", 1..=1, String, Naming::Default, |v, _| {
        digest_hex(&v[0], |b| sha1(b).to_vec())
    }),
    scalar!("hash_md5", 1..=1, String, Naming::Default, |v, _| {
        digest_hex(&v[0], |b| md5(b).to_vec())
    }),
];

/// The hex digest of a value's text; null → `""`.
fn digest_hex(v: &Value, digest: fn(&[u8]) -> Vec<u8>) -> Value {
    if v.is_null() {
        return Value::string("");
    }
    let d = digest(text(v).as_bytes());
    Value::string(d.iter().map(|b| format!("{b:02x}")).collect::<String>())
}

fn hash_type(name: &str, a: &[DataType]) -> Result<DataType, String> {
    check(name, a, &[Kind::Any, Kind::Int])?;
    Ok(DataType::Long)
}

/// The bytes `hash` feeds to XXH64. Documented examples: `hash("World")` =
/// 1846988464401551951 (the UTF-8 bytes) and `hash(datetime("2015-01-01"))` =
/// 1380966698541616202 (the ticks as 8 little-endian bytes). Longs and timespans are taken
/// the same way as datetimes, ints widened to long and reals as their IEEE bits (not
/// verified against Kusto); other values hash their `tostring` text.
fn hash_bytes(v: &Value) -> Vec<u8> {
    match scalar(v) {
        Value::Int(i) => (i as i64).to_le_bytes().to_vec(),
        Value::Long(i) | Value::DateTime(i) | Value::TimeSpan(i) => i.to_le_bytes().to_vec(),
        Value::Real(r) => r.to_le_bytes().to_vec(),
        other => text(&other).as_bytes().to_vec(),
    }
}

/// `hash(x[, mod])` (alias of `hash_xxhash64`): XXH64 with seed 0; with `mod`, a value in
/// `0..mod` (documented: `hash("World", 100)` = 51). Null → null.
fn hash(v: &[Value]) -> Value {
    if v[0].is_null() {
        return Value::Null;
    }
    let h = xxh64(&hash_bytes(&v[0]), 0) as i64;
    match v.get(1) {
        None => Value::Long(h),
        Some(m) => match int_arg(m) {
            Some(m) if m > 0 => Value::Long(h.rem_euclid(m)),
            _ => Value::Null,
        },
    }
}

const P1: u64 = 0x9E37_79B1_85EB_CA87;
const P2: u64 = 0xC2B2_AE3D_27D4_EB4F;
const P3: u64 = 0x1656_67B1_9E37_79F9;
const P4: u64 = 0x85EB_CA77_C2B2_AE63;
const P5: u64 = 0x27D4_EB2F_1656_67C5;

fn read64(b: &[u8]) -> u64 {
    let mut x = [0u8; 8];
    x.copy_from_slice(&b[..8]);
    u64::from_le_bytes(x)
}

fn xxh_round(acc: u64, input: u64) -> u64 {
    acc.wrapping_add(input.wrapping_mul(P2))
        .rotate_left(31)
        .wrapping_mul(P1)
}

fn xxh_merge(acc: u64, v: u64) -> u64 {
    (acc ^ xxh_round(0, v)).wrapping_mul(P1).wrapping_add(P4)
}

/// XXH64 of `data` (the xxHash specification), the algorithm `hash_xxhash64` documents.
pub fn xxh64(data: &[u8], seed: u64) -> u64 {
    let mut rest = data;
    let mut h = if data.len() >= 32 {
        let mut v = [
            seed.wrapping_add(P1).wrapping_add(P2),
            seed.wrapping_add(P2),
            seed,
            seed.wrapping_sub(P1),
        ];
        while rest.len() >= 32 {
            for (i, lane) in v.iter_mut().enumerate() {
                *lane = xxh_round(*lane, read64(&rest[i * 8..]));
            }
            rest = &rest[32..];
        }
        let mut h = v[0]
            .rotate_left(1)
            .wrapping_add(v[1].rotate_left(7))
            .wrapping_add(v[2].rotate_left(12))
            .wrapping_add(v[3].rotate_left(18));
        for lane in v {
            h = xxh_merge(h, lane);
        }
        h
    } else {
        seed.wrapping_add(P5)
    };
    h = h.wrapping_add(data.len() as u64);
    while rest.len() >= 8 {
        h ^= xxh_round(0, read64(rest));
        h = h.rotate_left(27).wrapping_mul(P1).wrapping_add(P4);
        rest = &rest[8..];
    }
    if rest.len() >= 4 {
        let mut x = [0u8; 4];
        x.copy_from_slice(&rest[..4]);
        h ^= (u32::from_le_bytes(x) as u64).wrapping_mul(P1);
        h = h.rotate_left(23).wrapping_mul(P2).wrapping_add(P3);
        rest = &rest[4..];
    }
    for &b in rest {
        h ^= (b as u64).wrapping_mul(P5);
        h = h.rotate_left(11).wrapping_mul(P1);
    }
    h ^= h >> 33;
    h = h.wrapping_mul(P2);
    h ^= h >> 29;
    h = h.wrapping_mul(P3);
    h ^ (h >> 32)
}

const K256: [u32; 64] = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];

/// SHA-256 (FIPS 180-4).
pub fn sha256(data: &[u8]) -> [u8; 32] {
    let mut h: [u32; 8] = [
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
        0x5be0cd19,
    ];
    let mut msg = data.to_vec();
    msg.push(0x80);
    while msg.len() % 64 != 56 {
        msg.push(0);
    }
    msg.extend_from_slice(&((data.len() as u64).wrapping_mul(8)).to_be_bytes());
    for block in msg.chunks(64) {
        let mut w = [0u32; 64];
        for (i, word) in block.chunks(4).enumerate() {
            w[i] = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
        }
        for i in 16..64 {
            let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
            let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16]
                .wrapping_add(s0)
                .wrapping_add(w[i - 7])
                .wrapping_add(s1);
        }
        let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut hh] = h;
        for i in 0..64 {
            let s1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
            let ch = (e & f) ^ (!e & g);
            let t1 = hh
                .wrapping_add(s1)
                .wrapping_add(ch)
                .wrapping_add(K256[i])
                .wrapping_add(w[i]);
            let s0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);
            let maj = (a & b) ^ (a & c) ^ (b & c);
            let t2 = s0.wrapping_add(maj);
            hh = g;
            g = f;
            f = e;
            e = d.wrapping_add(t1);
            d = c;
            c = b;
            b = a;
            a = t1.wrapping_add(t2);
        }
        for (x, y) in h.iter_mut().zip([a, b, c, d, e, f, g, hh]) {
            *x = x.wrapping_add(y);
        }
    }
    let mut out = [0u8; 32];
    for (i, word) in h.iter().enumerate() {
        out[i * 4..i * 4 + 4].copy_from_slice(&word.to_be_bytes());
    }
    out
}

/// SHA-1 (FIPS 180-4).
pub fn sha1(data: &[u8]) -> [u8; 20] {
    let mut h: [u32; 5] = [0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0];
    for block in pad_blocks(data, true).chunks(64) {
        let mut w = [0u32; 80];
        for (i, word) in block.chunks(4).enumerate() {
            w[i] = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
        }
        for i in 16..80 {
            w[i] = (w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]).rotate_left(1);
        }
        let [mut a, mut b, mut c, mut d, mut e] = h;
        for (i, &wi) in w.iter().enumerate() {
            let (f, k) = match i {
                0..=19 => ((b & c) | (!b & d), 0x5A827999),
                20..=39 => (b ^ c ^ d, 0x6ED9EBA1),
                40..=59 => ((b & c) | (b & d) | (c & d), 0x8F1BBCDC),
                _ => (b ^ c ^ d, 0xCA62C1D6),
            };
            let t = a
                .rotate_left(5)
                .wrapping_add(f)
                .wrapping_add(e)
                .wrapping_add(k)
                .wrapping_add(wi);
            e = d;
            d = c;
            c = b.rotate_left(30);
            b = a;
            a = t;
        }
        for (x, y) in h.iter_mut().zip([a, b, c, d, e]) {
            *x = x.wrapping_add(y);
        }
    }
    let mut out = [0u8; 20];
    for (i, word) in h.iter().enumerate() {
        out[i * 4..i * 4 + 4].copy_from_slice(&word.to_be_bytes());
    }
    out
}

/// The message padded to whole 64-byte blocks with its bit length, big-endian (SHA) or
/// little-endian (MD5).
fn pad_blocks(data: &[u8], big_endian: bool) -> Vec<u8> {
    let mut msg = data.to_vec();
    msg.push(0x80);
    while msg.len() % 64 != 56 {
        msg.push(0);
    }
    let bits = (data.len() as u64).wrapping_mul(8);
    msg.extend_from_slice(&if big_endian {
        bits.to_be_bytes()
    } else {
        bits.to_le_bytes()
    });
    msg
}

/// Per-round shift amounts of MD5 (RFC 1321).
const MD5_S: [u32; 16] = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];

/// MD5 (RFC 1321). The sine-derived constants are computed as the RFC defines them:
/// `floor(abs(sin(i + 1)) * 2^32)`.
pub fn md5(data: &[u8]) -> [u8; 16] {
    let k: Vec<u32> = (0..64)
        .map(|i| ((i as f64 + 1.0).sin().abs() * 4294967296.0) as u32)
        .collect();
    let mut h: [u32; 4] = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476];
    for block in pad_blocks(data, false).chunks(64) {
        let mut m = [0u32; 16];
        for (i, word) in block.chunks(4).enumerate() {
            m[i] = u32::from_le_bytes([word[0], word[1], word[2], word[3]]);
        }
        let [mut a, mut b, mut c, mut d] = h;
        for i in 0..64 {
            let (f, g) = match i / 16 {
                0 => ((b & c) | (!b & d), i),
                1 => ((d & b) | (!d & c), (5 * i + 1) % 16),
                2 => (b ^ c ^ d, (3 * i + 5) % 16),
                _ => (c ^ (b | !d), (7 * i) % 16),
            };
            let shift = MD5_S[(i / 16) * 4 + i % 4];
            let sum = a.wrapping_add(f).wrapping_add(k[i]).wrapping_add(m[g]);
            a = d;
            d = c;
            c = b;
            b = b.wrapping_add(sum.rotate_left(shift));
        }
        for (x, y) in h.iter_mut().zip([a, b, c, d]) {
            *x = x.wrapping_add(y);
        }
    }
    let mut out = [0u8; 16];
    for (i, word) in h.iter().enumerate() {
        out[i * 4..i * 4 + 4].copy_from_slice(&word.to_le_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::functions::testing::{call, s};

    use crate::value::Value;

    #[test]
    fn hashes() {
        // XXH64 reference values for seed 0: "" → ef46db3751d8e999, "a" → d24ec4f1a98c6e5b.
        assert_eq!(super::xxh64(b"", 0), 0xef46db3751d8e999);
        assert_eq!(super::xxh64(b"a", 0), 0xd24ec4f1a98c6e5b);
        let long: Vec<u8> = (0u8..100).collect();
        assert_eq!(super::xxh64(&long, 0), super::xxh64(&long, 0));
        assert_eq!(
            call("hash", &[s("World")]),
            Value::Long(1846988464401551951)
        );
        assert!(matches!(
            call("hash", &[s("World"), Value::Long(100)]),
            Value::Long(0..=99)
        ));
        assert_eq!(call("hash", &[Value::Null]), Value::Null);
        // Documented: hash_sha256("World") = 78ae647d…d524.
        assert_eq!(
            call("hash_sha256", &[s("World")]),
            s("78ae647dc5544d227130a0682a51e30bc7777fbb6d8a8f17007463a3ecd1d524")
        );
        // SHA-256 test vectors (FIPS 180-4 examples).
        assert_eq!(
            call("hash_sha256", &[s("abc")]),
            s("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        );
        assert_eq!(
            call("hash_sha256", &[s("")]),
            s("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        );
        let two_blocks = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
        assert_eq!(
            call("hash_sha256", &[s(two_blocks)]),
            s("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        );
    }

    #[test]
    fn sha1_and_md5() {
        // RFC 3174 / RFC 1321 test vectors and the documented "World" examples.
        assert_eq!(
            call("hash_sha1", &[s("abc")]),
            s("a9993e364706816aba3e25717850c26c9cd0d89d")
        );
        assert_eq!(
            call("hash_sha1", &[s("World")]),
            s("70c07ec18ef89c5309bbb0937f3a6342411e1fdd")
        );
        assert_eq!(
            call("hash_md5", &[s("")]),
            s("d41d8cd98f00b204e9800998ecf8427e")
        );
        assert_eq!(
            call("hash_md5", &[s("abc")]),
            s("900150983cd24fb0d6963f7d28e17f72")
        );
        assert_eq!(
            call("hash_md5", &[s("World")]),
            s("f5a7924e621e84c9280a9a27e1bcb7f6")
        );
        let long = "x".repeat(200);
        // Multi-block inputs, checked against a reference implementation.
        assert_eq!(
            call("hash_md5", &[s(&long)]),
            s("30a83621ce5422fbdfdd539777458c78")
        );
        assert_eq!(
            call("hash_sha1", &[s(&long)]),
            s("94218caae9904e93a3d7bf578bf4791926fc5e82")
        );
        assert_eq!(call("hash_md5", &[Value::Null]), s(""));
    }
}
