//! Row shape, determinism and value mixes of the generated tables.

use kql_datasets::{
    rows, values, write, OutputFormat, TableKind, TenantConfig, COLUMNS, LINUX_BASELINE_KEY,
    WINDOWS_BASELINE_KEY,
};
use serde_json::Value;
use std::collections::{HashMap, HashSet};

fn ndjson(config: &TenantConfig, table: TableKind) -> Vec<u8> {
    let mut out = Vec::new();
    write(config, table, OutputFormat::Ndjson, &mut out).unwrap();
    out
}

fn table(seed: u64, rows: usize, table: TableKind) -> Vec<Value> {
    values(&TenantConfig::new(seed, rows), table).collect()
}

#[test]
fn same_seed_gives_the_same_bytes() {
    let config = TenantConfig::new(7, 1_500);
    for t in TableKind::ALL {
        assert_eq!(ndjson(&config, t), ndjson(&config, t), "{t}");
    }
}

#[test]
fn different_seeds_give_different_tenants() {
    for t in TableKind::ALL {
        let a = ndjson(&TenantConfig::new(1, 1_000), t);
        let b = ndjson(&TenantConfig::new(2, 1_000), t);
        assert_ne!(a, b, "{t}");
    }
}

#[test]
fn every_row_has_the_sixteen_columns_in_order_with_their_types() {
    for t in TableKind::ALL {
        for row in table(3, 1_200, t) {
            let obj = row.as_object().expect("rows are objects");
            let keys: Vec<&str> = obj.keys().map(String::as_str).collect();
            assert_eq!(keys, COLUMNS, "{t}");
            for name in &COLUMNS[..9] {
                assert!(obj[*name].is_string(), "{t} {name} in {row}");
            }
            for name in [
                "sku",
                "plan",
                "properties",
                "tags",
                "identity",
                "extendedLocation",
            ] {
                assert!(obj[name].is_object() || obj[name].is_null(), "{t} {name}");
            }
            assert!(obj["zones"].is_array() || obj["zones"].is_null());
            assert!(
                obj["properties"].is_object(),
                "{t}: properties is always set"
            );
            for name in ["id", "name", "type", "tenantId", "subscriptionId"] {
                assert_ne!(obj[name], "", "{t} {name} is never empty");
            }
        }
    }
}

#[test]
fn types_are_lower_case_and_security_rows_are_security_types() {
    for t in TableKind::ALL {
        for row in table(4, 1_000, t) {
            let ty = row["type"].as_str().unwrap();
            assert_eq!(ty, ty.to_lowercase());
            if t == TableKind::SecurityResources {
                assert!(ty.starts_with("microsoft.security/"), "{ty}");
                assert_eq!(row["kind"], "");
                assert_eq!(row["managedBy"], "");
                assert!(row["tags"].is_null() && row["identity"].is_null());
            }
        }
    }
}

#[test]
fn resource_group_column_is_the_lower_cased_id_segment() {
    for t in TableKind::ALL {
        for row in table(5, 1_000, t) {
            let id = row["id"].as_str().unwrap();
            let rg = row["resourceGroup"].as_str().unwrap();
            match id.split("/resourceGroups/").nth(1) {
                Some(rest) => assert_eq!(rest.split('/').next().unwrap().to_lowercase(), rg),
                None => assert_eq!(rg, "", "{id}"),
            }
            assert_eq!(rg, rg.to_lowercase());
        }
    }
}

#[test]
fn security_table_has_exactly_the_requested_rows_and_every_type() {
    let rows = table(6, 6_000, TableKind::SecurityResources);
    assert_eq!(rows.len(), 6_000);
    let types: HashSet<&str> = rows.iter().map(|r| r["type"].as_str().unwrap()).collect();
    for expected in [
        "microsoft.security/assessments",
        "microsoft.security/assessments/subassessments",
        "microsoft.security/assessments/governanceassignments",
        "microsoft.security/securescores",
        "microsoft.security/securescores/securescorecontrols",
        "microsoft.security/pricings",
        "microsoft.security/regulatorycompliancestandards",
        "microsoft.security/regulatorycompliancestandards/regulatorycompliancecontrols",
        "microsoft.security/regulatorycompliancestandards/regulatorycompliancecontrols/regulatorycomplianceassessments",
        "microsoft.security/locations/alerts",
        "microsoft.security/softwareinventories",
    ] {
        assert!(types.contains(expected), "missing {expected}");
    }
}

#[test]
fn resources_table_has_every_kind() {
    let rows = table(6, 6_000, TableKind::Resources);
    let types: HashSet<&str> = rows.iter().map(|r| r["type"].as_str().unwrap()).collect();
    for expected in [
        "microsoft.compute/virtualmachines",
        "microsoft.hybridcompute/machines",
        "microsoft.compute/virtualmachinescalesets",
        "microsoft.containerservice/managedclusters",
        "microsoft.sql/servers",
        "microsoft.sql/servers/databases",
        "microsoft.storage/storageaccounts",
        "microsoft.keyvault/vaults",
        "microsoft.containerregistry/registries",
        "microsoft.network/networksecuritygroups",
        "microsoft.network/networkinterfaces",
        "microsoft.compute/disks",
    ] {
        assert!(types.contains(expected), "missing {expected}");
    }
    let oses: HashSet<&str> = rows
        .iter()
        .filter_map(|r| r["properties"]["storageProfile"]["osDisk"]["osType"].as_str())
        .collect();
    assert_eq!(oses, HashSet::from(["Linux", "Windows"]));
}

#[test]
fn assessments_mix_statuses_and_use_about_fifty_keys() {
    let rows = table(8, 8_000, TableKind::SecurityResources);
    let assessments: Vec<&Value> = rows
        .iter()
        .filter(|r| r["type"] == "microsoft.security/assessments")
        .collect();
    let keys: HashSet<&str> = assessments
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert!(keys.len() >= 45, "{} keys", keys.len());
    let mut codes: HashMap<&str, usize> = HashMap::new();
    for a in &assessments {
        *codes
            .entry(a["properties"]["status"]["code"].as_str().unwrap())
            .or_default() += 1;
        let severity = a["properties"]["metadata"]["severity"].as_str().unwrap();
        assert!(["High", "Medium", "Low"].contains(&severity));
    }
    for code in ["Healthy", "Unhealthy", "NotApplicable"] {
        assert!(codes[code] * 20 > assessments.len(), "{code}: {codes:?}");
    }
}

#[test]
fn a_good_share_of_sub_assessments_are_os_baseline_rules_with_mixed_statuses() {
    let rows = table(9, 5_000, TableKind::SecurityResources);
    let subs: Vec<&Value> = rows
        .iter()
        .filter(|r| r["type"] == "microsoft.security/assessments/subassessments")
        .collect();
    let baseline: Vec<&&Value> = subs
        .iter()
        .filter(|r| {
            let id = r["id"].as_str().unwrap();
            id.contains(LINUX_BASELINE_KEY) || id.contains(WINDOWS_BASELINE_KEY)
        })
        .collect();
    assert!(
        baseline.len() * 2 > subs.len(),
        "{} of {}",
        baseline.len(),
        subs.len()
    );
    let mut codes: HashMap<&str, usize> = HashMap::new();
    for r in &baseline {
        *codes
            .entry(r["properties"]["status"]["code"].as_str().unwrap())
            .or_default() += 1;
    }
    assert_eq!(codes.len(), 3, "{codes:?}");
    for (code, n) in &codes {
        assert!(n * 25 > baseline.len(), "{code}: {codes:?}");
    }
}

#[test]
fn streaming_rows_match_values() {
    let config = TenantConfig::small(10);
    let from_rows: Vec<Value> = rows(&config, TableKind::Resources)
        .map(|r| r.to_value())
        .collect();
    let from_values: Vec<Value> = values(&config, TableKind::Resources).collect();
    assert_eq!(from_rows, from_values);
}
