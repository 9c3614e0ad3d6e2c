//! `skip_bad_rows`: each loader skips malformed rows, loads the rest and reports exactly how
//! many rows were skipped and where. Every file here is written by hand with known bad rows;
//! the tests assert the rows loaded (as JSON, so also the schema a skipped row must not touch)
//! and the whole report.

use kql_core::io::{self, LoadOptions, LoadReport};
use kql_core::{Engine, ErrorKind, Table};

fn skip() -> LoadOptions {
    LoadOptions {
        skip_bad_rows: true,
        ..LoadOptions::default()
    }
}

/// `name:type, …`.
fn schema(t: &Table) -> String {
    let parts: Vec<String> = t
        .fields()
        .iter()
        .map(|f| format!("{}:{}", f.name, f.ty))
        .collect();
    parts.join(", ")
}

/// Loads `text` as `x` skipping bad rows: (schema, rows as JSON, report as text).
fn load(text: &str) -> (String, String, String) {
    let (table, report) =
        io::read_str_with("x", text, &skip()).unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert_eq!(report.rows, table.num_rows());
    assert_eq!(report.source, "x");
    (
        schema(&table),
        io::to_json_string(&table),
        report.to_string(),
    )
}

/// The error loading `text` as `x` gives, with or without skipping.
fn load_error(text: &str, options: &LoadOptions) -> String {
    let e = io::read_str_with("x", text, options).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Data, "{e}");
    e.message
}

#[test]
fn ndjson_skips_bad_lines() {
    let text = "{\"a\":1,\"b\":\"x\"}\n\
                {\"a\":}\n\
                [2]\n\
                {\"a\":3,\"c\":true}\n\
                \"just a string\"\n\
                {\"a\": 4, \"b\": 5\n\
                {\"a\":5}\n";
    let (schema, rows, report) = load(text);
    assert_eq!(schema, "a:long, b:string, c:bool");
    assert_eq!(
        rows,
        r#"[{"a":1,"b":"x","c":null},{"a":3,"b":"","c":true},{"a":5,"b":"","c":null}]"#
    );
    assert_eq!(
        report,
        "x: skipped 4 bad rows, loaded 3\n\
         \x20 x:2:6: expected value\n\
         \x20 x:3:1: expected a row object, found an array\n\
         \x20 x:5:1: expected a row object, found a string\n\
         \x20 x:6:15: EOF while parsing an object"
    );
    // Without skipping, the first bad row is the error, as before.
    assert_eq!(
        load_error(text, &LoadOptions::default()),
        "x:2:6: expected value"
    );
}

#[test]
fn a_skipped_row_leaves_no_trace() {
    // The bad row's first values would add column `new` and widen `n` to dynamic (a string in a
    // long column) before its syntax error is reached: none of that may remain.
    let text = "{\"n\":1}\n{\"n\":\"text\",\"new\":[1],\"x\":}\n{\"n\":2}\n";
    let (schema, rows, report) = load(text);
    assert_eq!(schema, "n:long");
    assert_eq!(rows, r#"[{"n":1},{"n":2}]"#);
    assert_eq!(
        report,
        "x: skipped 1 bad row, loaded 2\n  x:2:27: expected value"
    );
    // The same in a JSON array, for an element that is not an object.
    let (schema, rows, _) = load("[{\"n\":1}, [\"text\"], {\"n\":2}]");
    assert_eq!(
        (schema.as_str(), rows.as_str()),
        ("n:long", r#"[{"n":1},{"n":2}]"#)
    );
}

#[test]
fn values_of_mixed_types_are_not_bad_rows() {
    let (schema, rows, report) = load("{\"v\":1}\n{\"v\":\"a\"}\n{\"v\":{\"k\":true}}\n");
    assert_eq!(schema, "v:dynamic");
    assert_eq!(rows, r#"[{"v":1},{"v":"a"},{"v":{"k":true}}]"#);
    assert_eq!(report, "x: loaded 3 rows");
}

#[test]
fn ndjson_multi_line_objects_are_skipped_whole() {
    // A pretty-printed object with a bad value: its brackets balance, so it is one bad row and
    // reading resumes after its closing line.
    let text = "{\n  \"a\": 1\n}\n{\n  \"a\": tru,\n  \"b\": [1,\n 2]\n}\n{\n  \"a\": 3\n}\n";
    let (schema, rows, report) = load(text);
    assert_eq!(schema, "a:long");
    assert_eq!(rows, r#"[{"a":1},{"a":3}]"#);
    assert_eq!(
        report,
        "x: skipped 1 bad row, loaded 2\n  x:5:11: expected `true`, `false` or `null`"
    );
}

#[test]
fn ndjson_huge_numbers_and_text_after_a_row() {
    let text = "{\"n\":1}\n{\"n\":1e999}\n{\"n\":2} }\n{\"n\":3}\n";
    let (_, rows, report) = load(text);
    assert_eq!(rows, r#"[{"n":1},{"n":2},{"n":3}]"#);
    assert_eq!(
        report,
        "x: skipped 2 bad rows, loaded 3\n\
         \x20 x:2:10: number out of range\n\
         \x20 x:3:9: expected value"
    );
}

#[test]
fn json_arrays_skip_elements_that_are_not_rows() {
    let text = "[\n  {\"a\": 1},\n  null,\n  5,\n  {\"a\": 2},\n  [1, {\"a\": 9}],\n  \"s\",\n  {\"a\": 3}\n]\n";
    let (schema, rows, report) = load(text);
    assert_eq!(schema, "a:long");
    assert_eq!(rows, r#"[{"a":1},{"a":2},{"a":3}]"#);
    assert_eq!(
        report,
        "x: skipped 4 bad rows, loaded 3\n\
         \x20 x:3:3: expected a row object, found null\n\
         \x20 x:4:3: expected a row object, found a number\n\
         \x20 x:6:3: expected a row object, found an array\n\
         \x20 x:7:3: expected a row object, found a string"
    );
}

#[test]
fn json_array_syntax_errors_stop_the_load_even_when_skipping() {
    // Past a syntax error inside an element there is no reliable place to resume.
    let cases = [
        (
            "[{\"a\": 1}, {\"a\" 2}, {\"a\": 3}]",
            "x:1:17: expected `:` after an object key",
        ),
        // The missing quote makes `x}, {` one string: the elements run together.
        (
            "[{\"a\": 1}, {\"a\": \"x}, {\"a\": 3}]",
            "x:1:25: expected `,` or `}` after an object member",
        ),
        (
            "[{\"a\": 1}, tru, {\"a\": 3}]",
            "x:1:15: expected `true`, `false` or `null`",
        ),
        (
            "[{\"a\": 1} {\"a\": 3}]",
            "x:1:11: expected `,` or `]` after a row",
        ),
    ];
    for (text, message) in cases {
        assert_eq!(load_error(text, &skip()), message, "{text}");
        assert_eq!(load_error(text, &LoadOptions::default()), message, "{text}");
    }
    // A bad element is skipped, but what follows it must still be `,` or `]`.
    let text = "[{\"a\": 1}, 5 6]";
    assert_eq!(
        load_error(text, &skip()),
        "x:1:14: expected `,` or `]` after a row"
    );
    assert_eq!(
        load_error(text, &LoadOptions::default()),
        "x:1:12: expected a row object, found a number"
    );
}

#[test]
fn arg_responses_and_az_cli_output_skip_bad_rows_in_data() {
    let arg = "{\"totalRecords\": 4, \"count\": 4, \"data\": [{\"id\": \"/a\"}, null, {\"id\": \"/b\"}, 7], \"facets\": []}";
    let (_, rows, report) = load(arg);
    assert_eq!(rows, r#"[{"id":"/a"},{"id":"/b"}]"#);
    assert_eq!(
        report,
        "x: skipped 2 bad rows, loaded 2\n\
         \x20 x:1:56: expected a row object, found null\n\
         \x20 x:1:76: expected a row object, found a number"
    );
    let az = "{\n  \"count\": 2,\n  \"data\": [\n    {\"id\": \"/a\"},\n    false\n  ],\n  \"skip_token\": null,\n  \"total_records\": 2\n}\n";
    let (_, rows, report) = load(az);
    assert_eq!(rows, r#"[{"id":"/a"}]"#);
    assert_eq!(
        report,
        "x: skipped 1 bad row, loaded 1\n  x:5:5: expected a row object, found a boolean"
    );
    // A response without `data` is wrong as a whole: skipping does not help.
    assert_eq!(
        load_error("{\"count\": 0, \"totalRecords\": 0}", &skip()),
        "x:1:1: expected a `data` member holding the rows (an ARG response or `az graph query` output)"
    );
}

#[test]
fn arg_table_form_skips_rows_of_the_wrong_shape() {
    let text = "{\"data\": {\"columns\": [{\"name\": \"id\", \"type\": \"string\"}, {\"name\": \"n\", \"type\": \"integer\"}],\n\
                \"rows\": [\n\
                [\"/a\", 1],\n\
                [\"/b\"],\n\
                \"oops\",\n\
                [\"/c\", 3, 4],\n\
                [\"/d\", 4]\n\
                ]}}";
    let (schema, rows, report) = load(text);
    assert_eq!(schema, "id:string, n:long");
    assert_eq!(rows, r#"[{"id":"/a","n":1},{"id":"/d","n":4}]"#);
    assert_eq!(
        report,
        "x: skipped 3 bad rows, loaded 2\n\
         \x20 x:4:1: `data.rows[1]` has 1 cells but there are 2 columns\n\
         \x20 x:5:1: expected `data.rows[2]` to be an array, found a string\n\
         \x20 x:6:1: `data.rows[3]` has 3 cells but there are 2 columns"
    );
}

#[test]
fn csv_skips_bad_records() {
    let text = "id,n,ok\n/a,1,true\n/b,2,false,extra\n\"/c\"x,3,true\n/d,4\n\n/e,5,true\n";
    let (schema, rows, report) = load(text);
    assert_eq!(schema, "id:string, n:long, ok:bool");
    assert_eq!(
        rows,
        r#"[{"id":"/a","n":1,"ok":true},{"id":"/d","n":4,"ok":null},{"id":"/e","n":5,"ok":true}]"#
    );
    assert_eq!(
        report,
        "x: skipped 2 bad rows, loaded 3\n\
         \x20 x:3:1: this record has 4 cells but the header has 3\n\
         \x20 x:4:5: expected `,` or the end of the line after a quoted cell"
    );
    // An unterminated quote holds the rest of the file: the load stops.
    assert_eq!(
        load_error("a,b\n1,2\n3,\"x\n4,5\n", &skip()),
        "x:3:3: unterminated quoted cell (no closing `\"`)"
    );
    // So does a bad header.
    assert_eq!(
        load_error("a,a\n1,2\n", &skip()),
        "x:1:1: column `a` appears twice in the header"
    );
}

#[test]
fn the_report_lists_the_first_rows_and_counts_all() {
    let mut text = String::from("{\"n\":0}\n");
    for i in 1..=25 {
        text.push_str(&format!("{{\"n\":{i},}}\n"));
    }
    let (table, report) = io::read_str_with("big.ndjson", &text, &skip()).unwrap();
    assert_eq!((table.num_rows(), report.rows, report.skipped), (1, 1, 25));
    assert_eq!(report.bad_rows.len(), 20);
    let last = &report.bad_rows[19];
    assert_eq!(
        (last.line, last.column, last.reason.as_str()),
        (21, 9, "trailing comma")
    );
    assert!(report
        .to_string()
        .ends_with("\n  big.ndjson:21:9: trailing comma\n  … and 5 more"));
    let few = LoadOptions {
        skip_bad_rows: true,
        max_listed: 1,
    };
    let (_, report) = io::read_str_with("big.ndjson", &text, &few).unwrap();
    assert_eq!(
        report.to_string(),
        "big.ndjson: skipped 25 bad rows, loaded 1\n  big.ndjson:2:8: trailing comma\n  … and 24 more"
    );
}

#[test]
fn a_file_of_only_bad_rows_loads_an_empty_table() {
    let (schema, rows, report) = load("{\"a\":}\n{\"b\":]}\n");
    assert_eq!((schema.as_str(), rows.as_str()), ("", "[]"));
    assert_eq!(
        report,
        "x: skipped 2 bad rows, loaded 0\n\
         \x20 x:1:6: expected value\n\
         \x20 x:2:6: expected value"
    );
}

#[test]
fn the_engine_loads_files_with_a_report() {
    let dir = std::env::temp_dir().join(format!("kql-skip-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("rows.ndjson");
    std::fs::write(&path, "{\"n\":1}\n{\"n\":2\n{\"n\":3}\n").unwrap();
    let mut engine = Engine::new();
    let e = engine
        .load_file_with("t", &path, &LoadOptions::default())
        .unwrap_err();
    assert_eq!(
        e.message,
        format!("{}:2:6: EOF while parsing an object", path.display())
    );
    let report: LoadReport = engine.load_file_with("t", &path, &skip()).unwrap();
    assert_eq!(
        report.to_string(),
        format!(
            "{p}: skipped 1 bad row, loaded 2\n  {p}:2:6: EOF while parsing an object",
            p = path.display()
        )
    );
    let r = engine.query("t | summarize sum(n)").unwrap();
    assert_eq!(r.to_json(), r#"[{"sum_n":4}]"#);
    let report = engine
        .load_str_with("u", "inline", "{\"n\":1}\n", &skip())
        .unwrap();
    assert_eq!(report.to_string(), "inline: loaded 1 row");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Loads the hand-made file `kql-core/tests/data/io/bad/NAME`, skipping bad rows: (rows as
/// JSON, report with the directory shortened to `bad/`).
fn load_fixture(name: &str) -> (String, String) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/io/bad");
    let path = dir.join(name);
    let (table, report) = io::read_file_with(&path, &skip()).unwrap_or_else(|e| panic!("{e}"));
    // Strictly, every one of these files is an error.
    assert!(io::read_file(&path).is_err(), "{name}");
    let prefix = format!("{}/", dir.display());
    (
        io::to_json_string(&table),
        report.to_string().replace(&prefix, "bad/"),
    )
}

#[test]
fn broken_fixture_files_in_every_format() {
    let (rows, report) = load_fixture("rows.ndjson");
    assert_eq!(
        rows,
        r#"[{"id":"/s/1","name":"vm1","cores":4},{"id":"/s/3","name":"vm3","cores":8},{"id":"/s/6","name":"vm6","cores":16}]"#
    );
    assert_eq!(
        report,
        "bad/rows.ndjson: skipped 4 bad rows, loaded 3\n\
         \x20 bad/rows.ndjson:2:40: expected value\n\
         \x20 bad/rows.ndjson:4:1: expected a row object, found null\n\
         \x20 bad/rows.ndjson:5:57: expected `,` or `]` after an array element\n\
         \x20 bad/rows.ndjson:6:44: number out of range"
    );
    let (rows, report) = load_fixture("rows.json");
    assert_eq!(
        rows,
        r#"[{"id":"/s/1","name":"vm1","cores":4},{"id":"/s/3","name":"vm3","cores":8},{"id":"/s/6","name":"vm6","cores":16}]"#
    );
    assert_eq!(
        report,
        "bad/rows.json: skipped 3 bad rows, loaded 3\n\
         \x20 bad/rows.json:3:3: expected a row object, found null\n\
         \x20 bad/rows.json:5:3: expected a row object, found a string\n\
         \x20 bad/rows.json:6:3: expected a row object, found an array"
    );
    let (rows, report) = load_fixture("arg-response-table.json");
    assert_eq!(rows, r#"[{"id":"/s/1","cores":4},{"id":"/s/3","cores":8}]"#);
    assert_eq!(
        report,
        "bad/arg-response-table.json: skipped 2 bad rows, loaded 2\n\
         \x20 bad/arg-response-table.json:8:7: `data.rows[1]` has 1 cells but there are 2 columns\n\
         \x20 bad/arg-response-table.json:10:7: expected `data.rows[3]` to be an array, found an object"
    );
    let (rows, report) = load_fixture("export.csv");
    assert_eq!(
        rows,
        r#"[{"id":"/s/1","name":"vm1","cores":4},{"id":"/s/4","name":"vm4","cores":16}]"#
    );
    assert_eq!(
        report,
        "bad/export.csv: skipped 2 bad rows, loaded 2\n\
         \x20 bad/export.csv:3:1: this record has 4 cells but the header has 3\n\
         \x20 bad/export.csv:4:7: expected `,` or the end of the line after a quoted cell"
    );
}
