//! Reading a data file. NDJSON, the format large exports come in, is read block by block: rows
//! are parsed as their lines arrive into one reused buffer, so the file is never held whole (a
//! 1.7 GB file used to be copied into 1.7 GB of fresh memory before the first row was parsed).
//! Other formats, and files whose format the first block does not settle, are read whole.
//!
//! The result is the same as reading the whole text: the same rows, the same bad rows and the
//! same `file:line:column` in errors ([`super::json::read_ndjson_part`] stops before any value
//! that may continue in the next block, and is handed it again with more text). One order
//! differs: a whole read checks UTF-8 before any row, a block read when it reaches the block, so
//! in a file with both a malformed row and, a megabyte or more later, an invalid UTF-8 byte, the
//! row is the error reported (both stop the load either way).

use super::json::{read_ndjson_part, TextPos};
use super::report::BadRows;
use super::rows::RowsBuilder;
use super::{read_bytes_with, scan, LoadOptions, LoadReport};
use crate::error::{Error, ErrorKind, Result};
use crate::store::tape::skip_ws;
use crate::store::Table;
use std::fs::File;
use std::io::Read;
use std::path::Path;

/// How much is read at a time: small enough to stay in cache while its rows are parsed, large
/// enough that system calls cost nothing.
const BLOCK: usize = 1 << 20;

/// The UTF-8 byte-order mark.
const BOM: &[u8] = "\u{feff}".as_bytes();

/// Reads the file at `path`, named `name` in messages.
pub(crate) fn read_file(
    path: &Path,
    name: &str,
    options: &LoadOptions,
) -> Result<(Table, LoadReport)> {
    let mut file = File::open(path).map_err(|e| io_error(name, e))?;
    read_in_blocks(&mut file, name, options, BLOCK, BLOCK)
}

/// The error for a file that cannot be read.
fn io_error(name: &str, e: std::io::Error) -> Error {
    Error::new(ErrorKind::Io, format!("{name}: cannot read the file: {e}"))
}

/// Reads `input` (a pipe, a socket, a decompressor…) as [`super::read_str_with`] reads text,
/// NDJSON block by block as for a file.
pub(crate) fn read_reader(
    input: &mut impl Read,
    name: &str,
    options: &LoadOptions,
) -> Result<(Table, LoadReport)> {
    read_in_blocks(input, name, options, BLOCK, BLOCK)
}

/// Reads `input`: `first` bytes to tell its format, then blocks of at least `block` bytes.
pub(crate) fn read_in_blocks(
    input: &mut impl Read,
    name: &str,
    options: &LoadOptions,
    first: usize,
    block: usize,
) -> Result<(Table, LoadReport)> {
    // An empty read would never make progress.
    let (first, block) = (first.max(1), block.max(1));
    let io_error = |e| io_error(name, e);
    let mut blocks = Blocks::new(input);
    blocks.fill(first).map_err(io_error)?;
    if blocks.eof || !starts_with_ndjson(&blocks.buf) {
        blocks.fill(usize::MAX).map_err(io_error)?;
        return read_bytes_with(name, &blocks.buf, options);
    }
    let mut bad = BadRows::new(name, options);
    let mut rows = RowsBuilder::new();
    // Positions count from after a byte-order mark, as when the whole text is read.
    let bom = if blocks.buf.starts_with(BOM) {
        BOM.len()
    } else {
        0
    };
    let mut start = bom;
    let mut origin = TextPos::START;
    loop {
        // The whole lines not yet read (all that is left at the end of the file).
        let end = if blocks.eof {
            Some(blocks.buf.len())
        } else {
            memchr::memrchr(b'\n', &blocks.buf[start..]).map(|p| start + p + 1)
        };
        if let Some(end) = end {
            let piece = &blocks.buf[start..end];
            let text = simdutf8::compat::from_utf8(piece).map_err(|e| {
                // As when the whole file is checked: the offset and the columns of the first
                // line count the byte-order mark.
                let offset = blocks.consumed + start + e.valid_up_to();
                let at = origin.after(&piece[..e.valid_up_to()]);
                let column = at.column + 1 + if at.lines == 0 { bom } else { 0 };
                Error::new(
                    ErrorKind::Data,
                    format!(
                        "{name}:{}:{column}: invalid UTF-8 at byte offset {offset}",
                        at.lines + 1
                    ),
                )
            })?;
            let part = read_ndjson_part(text, !blocks.eof, origin, &mut rows, &mut bad)?;
            let read = part.read;
            origin = origin.advance(&piece[..read], part.breaks);
            start += read;
            if blocks.eof {
                break;
            }
        }
        // Keep what is left and read at least as much again, so a value spanning many blocks
        // is rescanned a logarithmic number of times, not once per block.
        blocks.discard(start);
        start = 0;
        let want = block.max(blocks.buf.len());
        blocks.fill(want).map_err(io_error)?;
    }
    let table = rows.finish()?;
    let report = bad.report(table.num_rows());
    Ok((table, report))
}

/// True when `prefix` (the start of a file) settles that the file is NDJSON the way
/// [`super::detect_format`] would decide on the whole text: its first value is an object that
/// closes within the prefix and more text follows it.
fn starts_with_ndjson(prefix: &[u8]) -> bool {
    let prefix = prefix.strip_prefix(BOM).unwrap_or(prefix);
    let whole_lines = match memchr::memrchr(b'\n', prefix) {
        Some(p) => &prefix[..=p],
        None => return false,
    };
    let Ok(text) = std::str::from_utf8(whole_lines) else {
        return false;
    };
    let start = skip_ws(text.as_bytes(), 0);
    if text.as_bytes().get(start) != Some(&b'{') {
        return false;
    }
    match scan::scan_object(text, start) {
        Some((_, end)) => skip_ws(text.as_bytes(), end) < text.len(),
        None => false,
    }
}

/// A file read into a buffer a block at a time.
struct Blocks<'f, R> {
    file: &'f mut R,
    /// The bytes read and not yet discarded.
    buf: Vec<u8>,
    /// Bytes discarded from the front of `buf` so far.
    consumed: usize,
    /// True once the file has no more bytes.
    eof: bool,
}

impl<'f, R: Read> Blocks<'f, R> {
    fn new(file: &'f mut R) -> Blocks<'f, R> {
        Blocks {
            file,
            buf: Vec::new(),
            consumed: 0,
            eof: false,
        }
    }

    /// Reads up to `n` more bytes (all the rest for `usize::MAX`); notes the end of the file.
    fn fill(&mut self, n: usize) -> std::io::Result<()> {
        if self.eof {
            return Ok(());
        }
        if n == usize::MAX {
            // A `File`'s own `read_to_end` sizes the buffer from the file's length.
            self.file.read_to_end(&mut self.buf)?;
            self.eof = true;
            return Ok(());
        }
        self.buf.reserve(n);
        let want = u64::try_from(n).unwrap_or(u64::MAX);
        let got = (&mut *self.file).take(want).read_to_end(&mut self.buf)?;
        self.eof = got < n;
        Ok(())
    }

    /// Drops the first `n` bytes of the buffer.
    fn discard(&mut self, n: usize) {
        self.buf.drain(..n);
        self.consumed += n;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::tests::schema;
    use crate::io::to_json_string;

    /// What a read gives, in a comparable form: the table's schema and rows and the report, or
    /// the error message.
    fn outcome(result: Result<(Table, LoadReport)>) -> String {
        match result {
            Ok((table, report)) => {
                format!("{}\n{}\n{report}", schema(&table), to_json_string(&table))
            }
            Err(e) => format!("error: {}", e.message),
        }
    }

    /// Checks that reading `bytes` block by block, with many block sizes, gives what reading
    /// them whole gives, skipping bad rows or not.
    fn same_as_whole(bytes: &[u8]) {
        for skip_bad_rows in [false, true] {
            let options = LoadOptions {
                skip_bad_rows,
                ..LoadOptions::default()
            };
            let whole = outcome(read_bytes_with("x.json", bytes, &options));
            for first in [1, 7, 24, 64, 1 << 20] {
                for block in [1, 2, 3, 5, 8, 13, 64, 1 << 20] {
                    let mut input = bytes;
                    let blocks =
                        outcome(read_in_blocks(&mut input, "x.json", &options, first, block));
                    assert_eq!(
                        blocks,
                        whole,
                        "first {first}, block {block}, skip {skip_bad_rows}: {:?}",
                        String::from_utf8_lossy(bytes)
                    );
                }
            }
        }
    }

    #[test]
    fn ndjson_read_in_blocks_is_read_as_a_whole() {
        let cases: [&str; 12] = [
            "{\"a\":1}\n{\"a\":2}\n{\"a\":3}\n",
            "{\"a\":1}\n{\"a\":2}",
            "\u{feff}{\"a\":1}\r\n{\"b\":\"é\"}\r\n\r\n{\"a\":3}",
            "{\"a\": 1}\n{\n  \"a\": 2,\n  \"n\": {\"x\": [1,\n 2]}\n}\n{\"a\": 3} {\"a\": 4}\n",
            "{\"a\":1}\n{\"a\": }\n[2]\n{\"a\": 3}\n",
            "{\"a\":1}\n{\"a\":2\n{\"a\":3}\n{\"a\":4}\n",
            "{\"a\":1}\n\"text\"\n5\n{\"a\":\"x\n{\"a\":3}\n",
            "{\"a\":1}\n{\"a\":2} {\"b\":\n3}\n{\"a\":5}\n",
            "{\"a\":1}\n[1,\n2]\n}\n{\"a\":2}\n",
            "{\"a\":1}\n{\"a\":2,}\n{\"a\":1e999}\n{\"a\":4}",
            "{\"a\":1}\n   \n\n{\"a\":[]}\n{\"a\":{}}\n",
            "{\"a\":1}\n{\"a\":2}\n{\"a\":\"tail without a line break\"}",
        ];
        for case in cases {
            same_as_whole(case.as_bytes());
        }
    }

    #[test]
    fn invalid_utf8_is_placed_as_in_a_whole_read() {
        same_as_whole(b"{\"a\":1}\n{\"a\":2}\n{\"a\":\"\xff\"}\n");
        same_as_whole(b"\xef\xbb\xbf{\"a\":1}\n{\"a\":2}\xc3\n");
        same_as_whole(b"{\"a\":1}\n{\"a\":\"x\"} {\"b\":\"\xe2\x82\"}\n");
    }

    #[test]
    fn random_ndjson_pieces_read_in_blocks_as_a_whole() {
        // Rows, multi-line objects, bad lines and blank lines in random order.
        const PIECES: [&str; 14] = [
            "{\"a\":1}\n",
            "{\"a\":\"x\",\"b\":[1,2]}\n",
            "{\n \"a\": 2\n}\n",
            "{\"a\": {\"n\":\n[3]}}\n",
            "{\"c\":true} {\"c\":false}\n",
            "\n",
            "  \r\n",
            "{\"a\":\n",
            "[1]\n",
            "}\n",
            "\"s\"\n",
            "{\"a\":1,}\n",
            "{\"é\":\"ü\"}\r\n",
            "{\"a\":null}",
        ];
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        for _ in 0..60 {
            let mut text = String::from("{\"first\":0}\n");
            for _ in 0..12 {
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                text.push_str(PIECES[(state >> 33) as usize % PIECES.len()]);
            }
            same_as_whole(text.as_bytes());
        }
    }

    #[test]
    fn other_formats_and_unsettled_starts_are_read_whole() {
        same_as_whole(b"[{\"a\":1},\n{\"a\":2}]\n");
        same_as_whole(b"{\"count\":1,\n\"data\":[{\"a\":1}]}\n");
        same_as_whole(b"a,b\n1,2\n3,4\n");
        same_as_whole(b"");
        same_as_whole(b"{\"a\":1}");
        same_as_whole(b"{\"a\":1");
    }
}
