//! Cross-table references, and the id shapes the engine's seed queries parse.

use kql_datasets::{values, TableKind, TenantConfig, LINUX_BASELINE_KEY, WINDOWS_BASELINE_KEY};
use serde_json::Value;
use std::collections::{HashMap, HashSet};

struct Tenant {
    security: Vec<Value>,
    resources: Vec<Value>,
    containers: Vec<Value>,
}

fn tenant(seed: u64, rows: usize) -> Tenant {
    let config = TenantConfig::new(seed, rows);
    Tenant {
        security: values(&config, TableKind::SecurityResources).collect(),
        resources: values(&config, TableKind::Resources).collect(),
        containers: values(&config, TableKind::ResourceContainers).collect(),
    }
}

fn text<'a>(row: &'a Value, column: &str) -> &'a str {
    row[column].as_str().unwrap()
}

fn ids(rows: &[Value]) -> HashSet<String> {
    rows.iter().map(|r| text(r, "id").to_string()).collect()
}

/// `parse-where id with machineId:string '/providers/Microsoft.Security/' *`
fn machine_id(id: &str) -> Option<&str> {
    id.split_once("/providers/Microsoft.Security/")
        .map(|(m, _)| m)
}

/// `parse-where id with * '/subassessments/' subAssessmentId:string`
fn sub_assessment_id(id: &str) -> Option<&str> {
    id.split_once("/subassessments/").map(|(_, s)| s)
}

#[test]
fn every_resource_scoped_security_row_points_at_a_resource() {
    let t = tenant(21, 4_000);
    let resource_ids = ids(&t.resources);
    let lower: HashSet<String> = resource_ids.iter().map(|i| i.to_lowercase()).collect();
    let subscriptions: HashSet<String> = ids(&t.containers);
    for row in &t.security {
        let ty = text(row, "type");
        if ty == "microsoft.security/locations/alerts" {
            let azure_id = row["properties"]["ResourceIdentifiers"][0]["AzureResourceId"].as_str();
            assert!(resource_ids.contains(azure_id.unwrap()));
            continue;
        }
        let id = text(row, "id");
        let scope = machine_id(id).expect("security ids have a provider segment");
        assert!(
            resource_ids.contains(scope) || subscriptions.contains(scope),
            "{id}"
        );
        if ty == "microsoft.security/assessments" {
            let detail = row["properties"]["resourceDetails"]["Id"].as_str().unwrap();
            assert!(lower.contains(&detail.to_lowercase()) || subscriptions.contains(detail));
        }
    }
}

#[test]
fn every_sub_assessment_machine_exists_in_resources() {
    let t = tenant(22, 3_000);
    let resource_ids = ids(&t.resources);
    let subs: Vec<&Value> = t
        .security
        .iter()
        .filter(|r| text(r, "type") == "microsoft.security/assessments/subassessments")
        .collect();
    assert!(subs.len() > 1_000);
    for row in subs {
        let machine = machine_id(text(row, "id")).unwrap();
        assert!(resource_ids.contains(machine), "{machine}");
        let detail = row["properties"]["resourceDetails"]["id"].as_str().unwrap();
        assert!(
            resource_ids.contains(detail) || detail.starts_with("/repositories/"),
            "{detail}"
        );
    }
}

#[test]
fn os_baseline_sub_assessments_parse_like_the_seed_queries() {
    let t = tenant(23, 4_000);
    let kinds: HashMap<&str, &str> = t
        .resources
        .iter()
        .map(|r| (text(r, "id"), text(r, "type")))
        .collect();
    let mut per_key: HashMap<&str, HashMap<&str, usize>> = HashMap::new();
    for row in &t.security {
        let id = text(row, "id");
        let key = [LINUX_BASELINE_KEY, WINDOWS_BASELINE_KEY]
            .into_iter()
            .find(|k| id.contains(&format!("/assessments/{k}/subassessments/")));
        let Some(key) = key else { continue };
        let rule = sub_assessment_id(id).expect("baseline ids parse");
        assert_eq!(rule, text(row, "name"));
        assert!(!rule.contains('/'));
        let machine = machine_id(id).expect("baseline ids parse");
        let ty = kinds[machine];
        assert!(
            ty == "microsoft.compute/virtualmachines" || ty == "microsoft.hybridcompute/machines"
        );
        let code = row["properties"]["status"]["code"].as_str().unwrap();
        assert!(["Healthy", "Unhealthy", "NotApplicable"].contains(&code));
        *per_key.entry(key).or_default().entry(rule).or_default() += 1;
    }
    for key in [LINUX_BASELINE_KEY, WINDOWS_BASELINE_KEY] {
        let rules = &per_key[key];
        // `summarize count() by subAssessmentId`: rules repeat across machines.
        assert!(
            rules.len() >= 20 && rules.len() <= 60,
            "{key}: {} rules",
            rules.len()
        );
        assert!(rules.values().any(|n| *n > 2));
    }
}

#[test]
fn every_resource_lives_in_an_existing_subscription_and_group() {
    let t = tenant(24, 3_000);
    let subscriptions: HashSet<&str> = t
        .containers
        .iter()
        .filter(|r| text(r, "type") == "microsoft.resources/subscriptions")
        .map(|r| text(r, "subscriptionId"))
        .collect();
    let groups: HashSet<(&str, &str)> = t
        .containers
        .iter()
        .filter(|r| text(r, "type") == "microsoft.resources/subscriptions/resourcegroups")
        .map(|r| (text(r, "subscriptionId"), text(r, "resourceGroup")))
        .collect();
    for row in t.resources.iter().chain(&t.security) {
        let sub = text(row, "subscriptionId");
        assert!(subscriptions.contains(sub), "{sub}");
        let rg = text(row, "resourceGroup");
        assert!(rg.is_empty() || groups.contains(&(sub, rg)), "{rg}");
    }
}

#[test]
fn children_point_at_their_parents() {
    let t = tenant(25, 3_000);
    let resource_ids = ids(&t.resources);
    for row in &t.resources {
        let managed_by = text(row, "managedBy");
        assert!(
            managed_by.is_empty() || resource_ids.contains(managed_by),
            "{managed_by}"
        );
        match text(row, "type") {
            "microsoft.compute/virtualmachines" => {
                let nic = &row["properties"]["networkProfile"]["networkInterfaces"][0]["id"];
                assert!(resource_ids.contains(nic.as_str().unwrap()));
            }
            "microsoft.network/networkinterfaces" => {
                let nsg = &row["properties"]["networkSecurityGroup"]["id"];
                assert!(resource_ids.contains(nsg.as_str().unwrap()));
            }
            _ => {}
        }
    }
}

#[test]
fn compliance_counts_roll_up_from_the_subscription_assessments() {
    let t = tenant(26, 3_000);
    let mut counts: HashMap<(&str, &str), [u64; 3]> = HashMap::new();
    for row in t
        .security
        .iter()
        .filter(|r| text(r, "type") == "microsoft.security/assessments")
    {
        let slot = match row["properties"]["status"]["code"].as_str().unwrap() {
            "Healthy" => 0,
            "Unhealthy" => 1,
            _ => 2,
        };
        counts
            .entry((text(row, "subscriptionId"), text(row, "name")))
            .or_default()[slot] += 1;
    }
    let compliance = t
        .security
        .iter()
        .filter(|r| text(r, "type").ends_with("/regulatorycomplianceassessments"));
    let mut checked = 0;
    for row in compliance {
        let expected = counts
            .get(&(text(row, "subscriptionId"), text(row, "name")))
            .copied()
            .unwrap_or_default();
        let p = &row["properties"];
        let got = [
            &p["passedResources"],
            &p["failedResources"],
            &p["skippedResources"],
        ]
        .map(|v| v.as_u64().unwrap());
        assert_eq!(got, expected, "{}", text(row, "id"));
        checked += 1;
    }
    assert!(checked > 10);
}
