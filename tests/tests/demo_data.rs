//! The built-in demo tenant against exported files of the same seed: a query must give the
//! same answer on both, and the Defender seed queries must find plausible rows on the demo.

use kql_datasets::{demo_config, write, OutputFormat, TableKind};
use kql_tests::demo_engine;
use serde_json::Value as Json;

use kql_tests::DEMO_SECURITY_ROWS as DEMO_ROWS;

fn rows(engine: &kql_core::Engine, q: &str) -> Vec<Json> {
    let r = engine
        .query(q)
        .unwrap_or_else(|e| panic!("{}", e.render(q)));
    let mut rows: Vec<Json> = match serde_json::from_str(&r.to_json()).expect("JSON") {
        Json::Array(rows) => rows,
        other => panic!("not an array: {other}"),
    };
    rows.sort_by_key(|r| r.to_string());
    rows
}

/// An engine over files exported by the generator for the demo's configuration.
fn exported_engine(format: OutputFormat) -> kql_core::Engine {
    let dir = std::env::temp_dir().join(format!(
        "kql-demo-export-{}-{}",
        std::process::id(),
        format.name()
    ));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let config = demo_config(DEMO_ROWS);
    let mut engine = kql_core::Engine::new();
    for table in [
        TableKind::SecurityResources,
        TableKind::Resources,
        TableKind::ResourceContainers,
    ] {
        let path = dir.join(format!("{}.{}", table.name(), format.name()));
        let mut file = std::io::BufWriter::new(std::fs::File::create(&path).expect("create"));
        write(&config, table, format, &mut file).expect("write");
        drop(file);
        engine
            .load_file(table.name(), &path)
            .expect("exported file loads");
    }
    let _ = std::fs::remove_dir_all(&dir);
    engine
}

const QUERIES: &[&str] = &[
    "securityresources | summarize count() by type",
    "securityresources | where type == 'microsoft.security/assessments' \
     | summarize count() by tostring(properties.status.code), tostring(properties.metadata.severity)",
    "resources | summarize count() by type, location",
    "securityresources | where type == 'microsoft.security/assessments/subassessments' \
     | parse-where id with machineId:string '/providers/Microsoft.Security/' * \
     | join kind=inner (resources | project machineId = id, machine = name) on machineId \
     | summarize n = count() by machine | sort by n desc, machine asc | take 5",
];

#[test]
fn demo_and_exported_files_of_the_same_seed_agree() {
    let demo = demo_engine();
    for format in [OutputFormat::Ndjson, OutputFormat::AzCli, OutputFormat::Csv] {
        let exported = exported_engine(format);
        for q in QUERIES {
            assert_eq!(
                rows(&demo, q),
                rows(&exported, q),
                "{q} over {}",
                format.name()
            );
        }
    }
}

#[test]
fn seed_queries_find_rows_on_the_demo() {
    let demo = demo_engine();
    let counts = rows(
        &demo,
        r#"securityresources
| where type == "microsoft.security/assessments/subassessments"
| extend assessmentKey=extract(@"(?i)providers/Microsoft.Security/assessments/([^/]*)", 1, id)
| where assessmentKey == '1f655fb7-63ca-4980-91a3-56dbc2b715c6' or assessmentKey == '8c3d9ad0-3639-4686-9cd2-2b2ab2609bda'
| parse-where id with * '/subassessments/' subAssessmentId:string
| parse-where id with machineId:string '/providers/Microsoft.Security/' *
| extend status = tostring(properties.status.code)
| summarize count() by subAssessmentId, status"#,
    );
    assert!(counts.len() > 10, "{} groups", counts.len());
    for row in &counts {
        let status = row["status"].as_str().unwrap_or("");
        assert!(
            ["Healthy", "Unhealthy", "NotApplicable"].contains(&status),
            "{row}"
        );
        assert!(row["count_"].as_i64().unwrap_or(0) >= 1, "{row}");
    }
    // The first query, for one machine that has baseline findings.
    let machine = rows(
        &demo,
        "securityresources | where type == 'microsoft.security/assessments/subassessments' \
         | parse-where id with machineId:string '/providers/Microsoft.Security/assessments/1f655fb7-63ca-4980-91a3-56dbc2b715c6' * \
         | take 1 | project machineId",
    );
    let machine_id = machine[0]["machineId"]
        .as_str()
        .expect("a Linux baseline machine")
        .to_string();
    let found = rows(
        &demo,
        &format!(
            r#"Securityresources
| where type == "microsoft.security/assessments/subassessments"
| extend assessmentKey=extract(@"(?i)providers/Microsoft.Security/assessments/([^/]*)", 1, id)
| where assessmentKey == '1f655fb7-63ca-4980-91a3-56dbc2b715c6' or assessmentKey ==  '8c3d9ad0-3639-4686-9cd2-2b2ab2609bda'
| parse-where id with machineId:string '/providers/Microsoft.Security/' *
| where machineId  == '{machine_id}'"#
        ),
    );
    assert!(!found.is_empty());
    assert!(found
        .iter()
        .all(|r| r["machineId"] == Json::String(machine_id.clone())));
}
