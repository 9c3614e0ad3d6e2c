//! Language features added for the corpus and the documentation cases: named call arguments,
//! `parse_version`, `parse_xml`, `evaluate bag_unpack`, the sketch aggregates. Expected results
//! are worked by hand from the rules cited at each test.

mod sample;

use kql_core::Engine;
use sample::{run, A};
use serde_json::{json, Value as Json};

/// Asserts that `query` over `A` gives exactly `expected` (rows in order).
fn gives(query: &str, expected: Json) {
    assert_eq!(run(query), expected, "query: {query}");
}

// Kusto's grammar lets a call's arguments be named expressions, `f(Name = expr)`; the value is
// passed by position and the name names what the call produces where the function takes its
// name from an argument. Real ARG queries (Defender for Cloud's pricing workbooks) rely on it.
#[test]
fn named_arguments_pass_their_value() {
    gives(
        "A | take 1 | project b = pack(name, level = sev)",
        json!([{"b": {"vm1": "High"}}]),
    );
    gives(
        "A | summarize n = dcount(S = tolower(sev))",
        json!([{"n": 2}]),
    );
    // `=` outside a call's argument list still reads as `==` (ARG leniency)…
    gives(
        "A | where score = 3 | project name",
        json!([{"name": "vm3"}]),
    );
    // …and so does `c = v` in a scalar call when `c` is a column: no name is being given.
    gives(
        "A | project x = iff(sev = 'High', 1, 0), y = pack('k', sev = 'low')",
        json!([
            {"x": 1, "y": {"k": false}},
            {"x": 0, "y": {"k": true}},
            {"x": 0, "y": {"k": false}}
        ]),
    );
    // …and `==`/`=~` inside a call are comparisons.
    gives(
        "A | project x = iff(sev =~ 'low', 1, 0)",
        json!([{"x": 0}, {"x": 1}, {"x": 1}]),
    );
}

#[test]
fn named_arguments_name_arg_max_columns() {
    gives(
        "A | summarize arg_max(score, Top = toupper(name), ['Sev level'] = sev)",
        json!([{"score": 5, "Top": "VM1", "Sev level": "High"}]),
    );
    // A function named after its first argument takes a named argument's name.
    gives(
        "A | summarize tostring(L = make_list(score))",
        json!([{"L": "[5,3]"}]),
    );
}

// parse_version (Kusto docs, parse_version function): p1·10^24 + p2·10^16 + p3·10^8 + p4 as a
// decimal; 32 digits, so the comparisons need an exact decimal (a real would round them).
#[test]
fn parse_version_values_and_order() {
    gives(
        r#"datatable(v:string) ["0.0.0.5", "0.2", "1.2.3.4", "1", "x", "1.2.3.4.5"]
           | extend p = tostring(parse_version(v)), t = gettype(parse_version(v))"#,
        json!([
            {"v": "0.0.0.5", "p": "5", "t": "decimal"},
            {"v": "0.2", "p": "20000000000000000", "t": "decimal"},
            {"v": "1.2.3.4", "p": "1000000020000000300000004", "t": "decimal"},
            {"v": "1", "p": "1000000000000000000000000", "t": "decimal"},
            {"v": "x", "p": "", "t": "null"},
            {"v": "1.2.3.4.5", "p": "", "t": "null"}
        ]),
    );
    // The corpus' Azure Stack HCI query: 10.0.20348 vs 10.0.20349 differ in the 17th of 26
    // digits, below a real's precision at that magnitude.
    gives(
        r#"datatable(v:string) ["10.0.20348.100", "10.0.20347", "10.0.20349", "10.0.20348"]
           | extend version = iff(parse_version(v) < parse_version("10.0.20348"), "old",
                 iff(parse_version(v) < parse_version("10.0.20349"), "21H2", "22H2"))
           | project version"#,
        json!([{"version": "21H2"}, {"version": "old"}, {"version": "22H2"}, {"version": "21H2"}]),
    );
    // Documented comparison example: which labs need an update (below 1.0.0.0).
    gives(
        r#"datatable(lab:string, v:string) ["A", "0.0.0.5", "E", "1", "F", "1.2.3.4", "G", "0.1.2.0"]
           | extend needs_update = iff(parse_version(v) < parse_version("1.0.0.0"), "Yes", "No")
           | project lab, needs_update"#,
        json!([
            {"lab": "A", "needs_update": "Yes"},
            {"lab": "E", "needs_update": "No"},
            {"lab": "F", "needs_update": "No"},
            {"lab": "G", "needs_update": "Yes"}
        ]),
    );
    // Ordering, min and arg_min follow the exact value.
    gives(
        r#"datatable(v:string) ["1.0.0.2", "1.0.0.10", "1.0.0.1"]
           | order by parse_version(v) desc"#,
        json!([{"v": "1.0.0.10"}, {"v": "1.0.0.2"}, {"v": "1.0.0.1"}]),
    );
    gives(
        r#"datatable(v:string) ["10.0.0.2", "10.0.0.10", "10.0.0.3"]
           | summarize arg_min(parse_version(v), v) | project m = tostring(min_), v"#,
        json!([{"m": "10000000000000000000000002", "v": "10.0.0.2"}]),
    );
}

// parse_xml (Kusto docs, parse_xml function): the documented conversion table.
#[test]
fn parse_xml_gives_dynamic() {
    gives(
        r#"print x = parse_xml('<e name="value">text</e>'), y = parse_xml('<e> <a>1</a> <a>2</a> </e>').e.a[1], z = parse_xml('not xml')"#,
        json!([{"x": {"e": {"@name": "value", "#text": "text"}}, "y": "2", "z": null}]),
    );
}

// ARG tables carry `apiVersion` (Microsoft's advanced Resource Graph samples query
// `Resources | distinct type, apiVersion`); a loaded ARG table lacking envelope columns gets
// them empty (semantics reference §1.2), other tables are left as loaded.
#[test]
fn arg_tables_have_the_envelope_columns() {
    let mut engine = Engine::new();
    engine
        .load_str("resources", "rows.json", r#"[{"id": "/a", "type": "t"}]"#)
        .unwrap_or_else(|e| panic!("{e}"));
    engine
        .load_str("mine", "rows.json", r#"[{"id": "/a"}]"#)
        .unwrap_or_else(|e| panic!("{e}"));
    let out = |q: &str| {
        let r = engine
            .query(q)
            .unwrap_or_else(|e| panic!("{}", e.render(q)));
        serde_json::from_str::<Json>(&r.to_json()).unwrap_or_else(|e| panic!("{e}"))
    };
    assert_eq!(
        out("resources | project id, apiVersion, tags, resourceGroup"),
        json!([{"id": "/a", "apiVersion": "", "tags": null, "resourceGroup": ""}])
    );
    assert_eq!(
        out(
            "securityresources | getschema | where ColumnName == 'apiVersion' | project ColumnType"
        ),
        json!([{"ColumnType": "string"}])
    );
    assert!(engine.query("mine | project apiVersion").is_err());
}

// evaluate bag_unpack (Kusto docs, bag_unpack plugin): the bag column is replaced by one
// column per slot, new columns ordered by name (the docs' example gives `Age, Name`), typed by
// their values (mixed types → dynamic).
#[test]
fn bag_unpack_columns_follow_the_data() {
    gives(
        r#"datatable(k:string, d:dynamic) [
             "a", dynamic({"Name": "John", "Age": 20}),
             "b", dynamic({"Name": "Dave", "Age": 40, "x": 1.5}),
             "c", dynamic({"Name": "Jasmine", "x": "s"}),
             "d", dynamic(null)
           ]
           | evaluate bag_unpack(d)
           | extend tAge = gettype(Age), tName = gettype(Name), tx = gettype(x)"#,
        json!([
            {"k": "a", "Age": 20, "Name": "John", "x": null, "tAge": "long", "tName": "string", "tx": "null"},
            {"k": "b", "Age": 40, "Name": "Dave", "x": 1.5, "tAge": "long", "tName": "string", "tx": "real"},
            {"k": "c", "Age": null, "Name": "Jasmine", "x": "s", "tAge": "null", "tName": "string", "tx": "string"},
            {"k": "d", "Age": null, "Name": "", "x": null, "tAge": "null", "tName": "string", "tx": "null"}
        ]),
    );
    // Prefix, and ignored properties.
    gives(
        r#"print d = dynamic({"a": 1, "b": 2, "c": 3})
           | evaluate bag_unpack(d, 'p_', 'error', dynamic(['b']))"#,
        json!([{"p_a": 1, "p_c": 3}]),
    );
    // Conflicts with an input column: an error by default, else replace or keep the source.
    let text =
        format!("{A}print name = 'x', d = dynamic({{\"name\": \"y\"}}) | evaluate bag_unpack(d)");
    assert!(Engine::new().query(&text).is_err());
    gives(
        r#"print name = 'x', d = dynamic({"name": "y", "z": 1})
           | evaluate bag_unpack(d, columnsConflict='replace_source')"#,
        json!([{"name": "y", "z": 1}]),
    );
    gives(
        r#"print name = 'x', d = dynamic({"name": "y", "z": 1})
           | evaluate bag_unpack(d, columnsConflict='keep_source')"#,
        json!([{"name": "x", "z": 1}]),
    );
    // A declared schema: only its columns (after the input's with `*`), converted.
    gives(
        r#"print k = 1, d = dynamic({"a": "5", "b": 2})
           | evaluate bag_unpack(d) : (a: long, c: string)"#,
        json!([{"a": 5, "c": ""}]),
    );
    gives(
        r#"print k = 1, d = dynamic({"a": "5", "b": 2})
           | evaluate bag_unpack(d) : (*, b: real)"#,
        json!([{"k": 1, "b": 2.0}]),
    );
}

// hll/dcount_hll and tdigest/percentile_tdigest round-trip (Kusto docs: dcount_hll of hll or
// hll_merge results; percentile_tdigest of tdigest or tdigest_merge results). The sketches
// here hold the data, so the answers are exact (Kusto's are within its error bounds).
#[test]
fn sketches_round_trip() {
    gives(
        r#"datatable(g:string, x:long) ["a", 1, "a", 2, "a", 2, "b", 2, "b", 3, "b", long(null)]
           | summarize h = hll(x), t = tdigest(x) by g
           | summarize hm = hll_merge(h), tm = tdigest_merge(t), d = dcount_hll(hll_merge(h))
           | project d, dm = dcount_hll(hm), p50 = percentile_tdigest(tm, 50, typeof(long)),
                     p100 = percentile_tdigest(tm, 100), p0 = percentile_tdigest(tm, 0)"#,
        // Values 1, 2, 2, 2, 3: three distinct; nearest rank 50% of 5 is the 3rd value.
        json!([{"d": 3, "dm": 3, "p50": 2, "p100": 3, "p0": 1}]),
    );
    gives(
        r#"datatable(x:long) [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
           | summarize percentiles_array(x, 10, 50, 95), a = percentiles_array(x, dynamic([0, 100]))"#,
        json!([{"percentiles_x": [1, 5, 10], "a": [1, 10]}]),
    );
    // Weighted tdigest: 1 ×1, 2 ×3, 10 ×1; rank ceil(0.8·5) = 4 → 2, 81% → rank 5 → 10.
    gives(
        r#"datatable(x:long, w:long) [1, 1, 2, 3, 10, 1]
           | summarize t = tdigest(x, w)
           | project p80 = percentile_tdigest(t, 80, typeof(long)), p81 = percentile_tdigest(t, 81, typeof(long))"#,
        json!([{"p80": 2, "p81": 10}]),
    );
}

// buildschema: the documentation page's example.
#[test]
fn buildschema_documented_example() {
    gives(
        r#"datatable(value: dynamic) [
             dynamic({"x":1, "y":3.5}),
             dynamic({"x":"somevalue", "z":[1, 2, 3]}),
             dynamic({"y":{"w":"zzz"}, "t":["aa", "bb"], "z":["foo"]})
           ]
           | summarize buildschema(value)"#,
        json!([{"schema_value": {"x":["long","string"],"y":["double",{"w":"string"}],"z":{"indexer":["long","string"]},"t":{"indexer":"string"}}}]),
    );
}

// evaluate pivot (Kusto docs, pivot plugin): one column per pivot value (first-appearance
// order), grouped by the other columns; count() by default, missing combinations count 0.
#[test]
fn pivot_rotates_values_into_columns() {
    gives(
        r#"datatable(State:string, EventType:string, Deaths:long) [
             "ALABAMA", "Wind", 1, "ALASKA", "High Wind", 2, "ALABAMA", "Wind", 3,
             "ALASKA", "Wind", 4
           ]
           | project State, EventType
           | evaluate pivot(State)"#,
        json!([
            {"EventType": "Wind", "ALABAMA": 2, "ALASKA": 1},
            {"EventType": "High Wind", "ALABAMA": 0, "ALASKA": 1}
        ]),
    );
    gives(
        r#"datatable(State:string, EventType:string, Deaths:long) [
             "ARKANSAS", "Wind", 1, "ARIZONA", "Wind", 2, "ARKANSAS", "Wind", 3
           ]
           | evaluate pivot(State, sum(Deaths))"#,
        json!([{"EventType": "Wind", "ARKANSAS": 4, "ARIZONA": 2}]),
    );
    gives(
        r#"datatable(State:string, EventType:string, Deaths:long) [
             "A", "x", 1, "B", "y", 2, "A", "y", 3
           ]
           | evaluate pivot(State, max(Deaths), EventType)"#,
        json!([{"EventType": "x", "A": 1, "B": null}, {"EventType": "y", "A": 3, "B": 2}]),
    );
}

// User functions take scalar arguments by name too (Kusto docs, user-defined functions:
// `f(12, c=7)` skips `b`, which keeps its default).
#[test]
fn user_functions_take_named_arguments() {
    gives(
        r#"let f = (a:long, b:string = "b.default", c:long = 0) { strcat(a, "-", b, "-", c) };
           print x = f(12, c = 7), y = f(c = 1, a = 2)"#,
        json!([{"x": "12-b.default-7", "y": "2-b.default-1"}]),
    );
}

// Decimals add, subtract, multiply and sum exactly (a real gives 0.30000000000000004).
#[test]
fn decimal_arithmetic_is_exact() {
    gives(
        r#"print a = tostring(decimal(0.1) + decimal(0.2)), b = tostring(decimal(1.5) * 3 - 1),
                 c = gettype(decimal(1) + 1)"#,
        json!([{"a": "0.3", "b": "3.5", "c": "decimal"}]),
    );
    gives(
        r#"datatable(x:decimal) [0.1, 0.2, 0.3] | summarize s = sum(x) | project s = tostring(s), t = gettype(s)"#,
        json!([{"s": "0.6", "t": "decimal"}]),
    );
}

// percentiles(x, p1, p2, …): one nearest-rank column per percentage (semantics reference §7:
// `percentile_x_50`, `percentile_x_95`).
#[test]
fn percentiles_give_one_column_each() {
    gives(
        "datatable(x:long) [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] | summarize percentiles(x, 50, 95)",
        json!([{"percentile_x_50": 5, "percentile_x_95": 10}]),
    );
    gives(
        "datatable(x:long) [1, 2, 3, 4] | summarize (lo, hi) = percentiles(x, 25, 75), n = count()",
        json!([{"lo": 1, "hi": 3, "n": 4}]),
    );
}
