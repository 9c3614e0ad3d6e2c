//! Streaming writers for the export formats analysts get out of ARG.

use crate::json::{indent, write_int};
use crate::row::{write_csv_header, Row};
use std::io::{self, Write};

/// An output format.
///
/// ```
/// use kql_datasets::OutputFormat;
/// assert_eq!(OutputFormat::from_name("arg-response"), Some(OutputFormat::ArgResponse));
/// assert_eq!(OutputFormat::AzCli.extension(), "az-cli.json");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OutputFormat {
    /// One compact JSON object per line.
    Ndjson,
    /// One JSON array of row objects (one row per line).
    Json,
    /// The ARG REST response: `{"totalRecords":N,"count":N,"data":[...],"facets":[],"resultTruncated":"false"}`.
    ArgResponse,
    /// `az graph query -o json`: `{"count":N,"data":[...],"skip_token":null,"total_records":N}`,
    /// indented by two spaces with keys sorted, as the Azure CLI prints it.
    AzCli,
    /// The ARG Explorer download: a header of column names, dynamic columns as JSON text,
    /// RFC 4180 quoting and CRLF line ends.
    Csv,
}

impl OutputFormat {
    /// Every format.
    pub const ALL: [OutputFormat; 5] = [
        OutputFormat::Ndjson,
        OutputFormat::Json,
        OutputFormat::ArgResponse,
        OutputFormat::AzCli,
        OutputFormat::Csv,
    ];

    /// The name used on command lines: `ndjson`, `json`, `arg-response`, `az-cli`, `csv`.
    pub fn name(self) -> &'static str {
        match self {
            OutputFormat::Ndjson => "ndjson",
            OutputFormat::Json => "json",
            OutputFormat::ArgResponse => "arg-response",
            OutputFormat::AzCli => "az-cli",
            OutputFormat::Csv => "csv",
        }
    }

    /// The format with this command-line name.
    pub fn from_name(name: &str) -> Option<OutputFormat> {
        OutputFormat::ALL.into_iter().find(|f| f.name() == name)
    }

    /// The file extension used for samples (`ndjson`, `json`, `arg-response.json`, ...).
    pub fn extension(self) -> &'static str {
        match self {
            OutputFormat::Ndjson => "ndjson",
            OutputFormat::Json => "json",
            OutputFormat::ArgResponse => "arg-response.json",
            OutputFormat::AzCli => "az-cli.json",
            OutputFormat::Csv => "csv",
        }
    }
}

/// Parses a format name (`ndjson`, `json`, `arg-response`, `az-cli`, `csv`).
///
/// ```
/// let f: kql_datasets::OutputFormat = "az-cli".parse().unwrap();
/// assert_eq!(f, kql_datasets::OutputFormat::AzCli);
/// assert!("xml".parse::<kql_datasets::OutputFormat>().is_err());
/// ```
impl std::str::FromStr for OutputFormat {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        OutputFormat::from_name(s).ok_or_else(|| {
            format!("unknown format `{s}` (expected ndjson, json, arg-response, az-cli or csv)")
        })
    }
}

impl std::fmt::Display for OutputFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Bytes buffered before a write to the sink.
const FLUSH_AT: usize = 1 << 17;

/// Writes `rows` (exactly `total` of them) in `format`; returns the number written.
pub fn write_rows(
    rows: impl Iterator<Item = Row>,
    total: u64,
    format: OutputFormat,
    out: &mut impl Write,
) -> io::Result<u64> {
    let mut buf = Vec::with_capacity(FLUSH_AT + (1 << 14));
    let mut scratch = Vec::new();
    header(format, total, &mut buf);
    let mut written = 0u64;
    for row in rows {
        separator(format, written, &mut buf);
        match format {
            OutputFormat::Ndjson => {
                row.write_json(&mut buf);
                buf.push(b'\n');
            }
            OutputFormat::Json | OutputFormat::ArgResponse => row.write_json(&mut buf),
            OutputFormat::AzCli => row.write_pretty_sorted(&mut buf, 2),
            OutputFormat::Csv => row.write_csv(&mut buf, &mut scratch),
        }
        written += 1;
        if buf.len() >= FLUSH_AT {
            out.write_all(&buf)?;
            buf.clear();
        }
    }
    footer(format, total, written, &mut buf);
    out.write_all(&buf)?;
    out.flush()?;
    Ok(written)
}

fn header(format: OutputFormat, total: u64, buf: &mut Vec<u8>) {
    match format {
        OutputFormat::Ndjson => {}
        OutputFormat::Json => buf.push(b'['),
        OutputFormat::ArgResponse => {
            buf.extend_from_slice(b"{\"totalRecords\":");
            write_int(buf, total as i64);
            buf.extend_from_slice(b",\"count\":");
            write_int(buf, total as i64);
            buf.extend_from_slice(b",\"data\":[");
        }
        OutputFormat::AzCli => {
            buf.extend_from_slice(b"{\n  \"count\": ");
            write_int(buf, total as i64);
            buf.extend_from_slice(b",\n  \"data\": [");
        }
        OutputFormat::Csv => write_csv_header(buf),
    }
}

fn separator(format: OutputFormat, written: u64, buf: &mut Vec<u8>) {
    match format {
        OutputFormat::Ndjson | OutputFormat::Csv => {}
        OutputFormat::Json | OutputFormat::ArgResponse => {
            buf.extend_from_slice(if written == 0 { b"\n" } else { b",\n" })
        }
        OutputFormat::AzCli => {
            buf.extend_from_slice(if written == 0 { b"\n" } else { b",\n" });
            indent(buf, 2);
        }
    }
}

fn footer(format: OutputFormat, total: u64, written: u64, buf: &mut Vec<u8>) {
    if format == OutputFormat::Ndjson {
        return;
    }
    if written > 0 && format != OutputFormat::Csv {
        buf.push(b'\n');
        if format == OutputFormat::AzCli {
            indent(buf, 1);
        }
    }
    match format {
        OutputFormat::Ndjson | OutputFormat::Csv => {}
        OutputFormat::Json => buf.extend_from_slice(b"]\n"),
        OutputFormat::ArgResponse => {
            buf.extend_from_slice(b"],\"facets\":[],\"resultTruncated\":\"false\"}\n")
        }
        OutputFormat::AzCli => {
            buf.extend_from_slice(b"],\n  \"skip_token\": null,\n  \"total_records\": ");
            write_int(buf, total as i64);
            buf.extend_from_slice(b"\n}\n");
        }
    }
}
