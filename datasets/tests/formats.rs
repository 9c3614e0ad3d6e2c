//! Every output format carries the same rows; the committed samples are up to date.

use kql_datasets::{samples, values, write, OutputFormat, TableKind, TenantConfig, COLUMNS};
use serde_json::Value;

fn render(config: &TenantConfig, table: TableKind, format: OutputFormat) -> (u64, Vec<u8>) {
    let mut out = Vec::new();
    let n = write(config, table, format, &mut out).unwrap();
    (n, out)
}

fn config() -> TenantConfig {
    TenantConfig::new(31, 700)
}

fn expected(table: TableKind) -> Vec<Value> {
    values(&config(), table).collect()
}

#[test]
fn ndjson_is_one_row_per_line() {
    let (n, bytes) = render(
        &config(),
        TableKind::SecurityResources,
        OutputFormat::Ndjson,
    );
    let text = String::from_utf8(bytes).unwrap();
    let rows: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(n as usize, rows.len());
    assert_eq!(rows, expected(TableKind::SecurityResources));
    assert!(text.ends_with('\n'));
}

#[test]
fn json_is_one_array() {
    for table in TableKind::ALL {
        let (_, bytes) = render(&config(), table, OutputFormat::Json);
        let v: Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(v.as_array().unwrap(), &expected(table));
    }
}

#[test]
fn arg_response_has_the_rest_envelope() {
    let (n, bytes) = render(&config(), TableKind::Resources, OutputFormat::ArgResponse);
    let v: Value = serde_json::from_slice(&bytes).unwrap();
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        ["totalRecords", "count", "data", "facets", "resultTruncated"]
    );
    assert_eq!(v["totalRecords"], n);
    assert_eq!(v["count"], n);
    assert_eq!(v["resultTruncated"], "false");
    assert_eq!(v["facets"], Value::Array(vec![]));
    assert_eq!(
        v["data"].as_array().unwrap(),
        &expected(TableKind::Resources)
    );
}

#[test]
fn az_cli_output_is_indented_with_sorted_keys() {
    let (n, bytes) = render(&config(), TableKind::SecurityResources, OutputFormat::AzCli);
    let text = String::from_utf8(bytes).unwrap();
    assert!(text.starts_with(
        "{\n  \"count\": 700,\n  \"data\": [\n    {\n      \"extendedLocation\": null,"
    ));
    assert!(text.ends_with("  ],\n  \"skip_token\": null,\n  \"total_records\": 700\n}\n"));
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["count"], n);
    // serde_json maps compare as maps, whatever the key order.
    assert_eq!(
        v["data"].as_array().unwrap(),
        &expected(TableKind::SecurityResources)
    );
}

#[test]
fn empty_tables_still_have_their_envelopes() {
    let config = TenantConfig::new(1, 0);
    for format in OutputFormat::ALL {
        let (n, bytes) = render(&config, TableKind::SecurityResources, format);
        assert_eq!(n, 0);
        if format != OutputFormat::Ndjson && format != OutputFormat::Csv {
            let v: Value = serde_json::from_slice(&bytes).unwrap();
            assert!(
                v.is_array() || v["data"] == Value::Array(vec![]),
                "{}",
                format.name()
            );
        }
    }
}

/// A minimal RFC 4180 reader: records of fields, quotes doubled inside quoted fields.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let (mut record, mut field) = (Vec::new(), String::new());
    let (mut quoted, mut chars) = (false, text.chars().peekable());
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => record.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            (false, c) => field.push(c),
        }
    }
    records
}

#[test]
fn csv_has_a_header_and_json_text_for_dynamic_columns() {
    let (n, bytes) = render(&config(), TableKind::Resources, OutputFormat::Csv);
    let text = String::from_utf8(bytes).unwrap();
    assert!(text.contains("\r\n"));
    let records = parse_csv(&text);
    assert_eq!(records[0], COLUMNS);
    assert_eq!(records.len() as u64, n + 1);
    for (record, row) in records[1..].iter().zip(expected(TableKind::Resources)) {
        assert_eq!(record.len(), 16);
        for (i, name) in COLUMNS.iter().enumerate() {
            let cell = &record[i];
            let value = &row[*name];
            if i < 9 {
                assert_eq!(cell, value.as_str().unwrap());
            } else if value.is_null() {
                assert_eq!(cell, "");
            } else {
                assert_eq!(&serde_json::from_str::<Value>(cell).unwrap(), value);
            }
        }
    }
}

#[test]
fn committed_samples_are_regenerated_byte_for_byte() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    for (name, bytes) in samples::render() {
        let committed = std::fs::read(dir.join(&name)).unwrap_or_else(|e| {
            panic!("samples/{name}: {e}; run `cargo run -p kql-datasets --example samples`")
        });
        assert!(
            committed == bytes,
            "samples/{name} is stale: run `cargo run -p kql-datasets --example samples`"
        );
    }
}
