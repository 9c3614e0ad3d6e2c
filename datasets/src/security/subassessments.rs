//! `microsoft.security/assessments/subassessments` rows: OS-baseline rules, Docker CIS
//! checks, server / image / SQL vulnerabilities and missing system updates.
//!
//! Ids use the lower-case `subassessments` segment ARG returns (schema §2.2).

use super::plan::{FindingPlan, Status};
use super::{concat, past, past_iso7, resource_envelope, vulnerabilities};
use crate::catalog::baseline::{
    rule_guid, status_severity, Rule, DOCKER_CHECKS, LINUX_RULES, WINDOWS_RULES,
};
use crate::catalog::findings::{CVES, SQL_RULES, UPDATES};
use crate::catalog::{Findings, ASSESSMENTS};
use crate::clock;
use crate::json::{Obj, Text};
use crate::layout::{Layout, Resource};
use crate::rng::{stable_guid, Rng};
use crate::row::Row;
use std::sync::OnceLock;

const SUB_TYPE: &str = "microsoft.security/assessments/subassessments";

/// The common part of every finding's properties.
pub struct Common {
    pub id: Text,
    pub name: Text,
    pub display: Text,
    pub category: &'static str,
    pub severity: &'static str,
    pub description: Text,
    pub remediation: Text,
    pub impact: Text,
    pub details_id: String,
}

/// Appends the sub-assessment row of finding `f` under assessment `def_index`.
pub fn finding_row(
    layout: &Layout,
    resource: &Resource,
    def_index: usize,
    f: &FindingPlan,
    rng: &mut Rng,
    out: &mut Vec<Row>,
) {
    let def = &ASSESSMENTS[def_index];
    let Some((common, additional)) = content(layout, resource, def.findings, f, rng) else {
        return;
    };
    let id = concat(&[
        &resource.id,
        "/providers/Microsoft.Security/assessments/",
        def.key,
        "/subassessments/",
        &common.name,
    ]);
    let mut row = resource_envelope(layout, resource, id, common.name.clone(), SUB_TYPE);
    row.properties = Obj::new()
        .put("id", common.id)
        .put("displayName", common.display)
        .put(
            "status",
            Obj::new()
                .put("code", f.status.code())
                .put("severity", common.severity)
                .put("cause", "")
                .put("description", status_description(f.status)),
        )
        .put("remediation", common.remediation)
        .put("impact", common.impact)
        .put("category", common.category)
        .put("description", common.description)
        .put("timeGenerated", past_iso7(rng, layout.now, 3))
        .put(
            "resourceDetails",
            Obj::new()
                .put("source", "Azure")
                .put("id", common.details_id),
        )
        .put("additionalData", additional)
        .into();
    out.push(row);
}

/// The finding's own fields and `additionalData`, by the kind of findings of its parent.
fn content(
    layout: &Layout,
    resource: &Resource,
    kind: Findings,
    f: &FindingPlan,
    rng: &mut Rng,
) -> Option<(Common, Obj)> {
    let item = usize::from(f.item);
    Some(match kind {
        Findings::LinuxBaseline => baseline(resource, 1, item, f.status, rng),
        Findings::WindowsBaseline => baseline(resource, 2, item, f.status, rng),
        Findings::Docker => baseline(resource, 3, item, f.status, rng),
        Findings::SqlVa => sql(resource, item, rng),
        Findings::ServerVulns => {
            vulnerabilities::server_vulnerability(layout, resource, &CVES[item], rng)
        }
        Findings::SystemUpdates => system_update(layout, resource, item, rng),
        Findings::ImagesQualys => {
            vulnerabilities::image_vulnerability(layout, resource, item, false, rng)
        }
        Findings::ImagesMdvm => {
            vulnerabilities::image_vulnerability(layout, resource, item, true, rng)
        }
        Findings::None => return None,
    })
}

/// The rule catalogues and benchmark names of baseline catalogues 1 (Linux), 2 (Windows) and
/// 3 (Docker).
fn catalogue(number: u64) -> (&'static [Rule], &'static str) {
    match number {
        1 => (LINUX_RULES, "Azure compute security baseline for Linux"),
        2 => (WINDOWS_RULES, "Azure compute security baseline for Windows"),
        _ => (DOCKER_CHECKS, "CIS Docker Benchmark v1.6.0"),
    }
}

fn status_description(status: Status) -> &'static str {
    match status {
        Status::Healthy => "The resource is compliant",
        Status::Unhealthy => "The resource is not compliant",
        Status::NotApplicable => "The rule does not apply to the resource",
    }
}

fn baseline(
    resource: &Resource,
    catalogue_number: u64,
    item: usize,
    status: Status,
    rng: &mut Rng,
) -> (Common, Obj) {
    let (rules, benchmark) = catalogue(catalogue_number);
    let rule = &rules[item];
    let source = if catalogue_number == 3 {
        "CIS Docker Benchmark"
    } else {
        "Guest Configuration"
    };
    let mut additional = Obj::new()
        .put("source", source)
        .put("benchmarkName", benchmark)
        .put("ruleId", rule.id)
        .put("ruleType", rule.rule_type)
        .put("expectedValue", rule.expected);
    if status == Status::Unhealthy {
        let actual = *rng.pick(&["", "0", "1", "Not found", "0644", "yes", "Enabled"]);
        additional = additional.put("actualValue", actual).put(
            "reasons",
            vec![Obj::new()
                .put("code", format!("{}:{}", source.replace(' ', ""), rule.id))
                .put(
                    "phrase",
                    format!("Expected '{}' but found '{actual}'", rule.expected),
                )
                .into()],
        );
    }
    let text = rule_text(catalogue_number, item);
    let common = Common {
        id: Text::from(rule.id),
        name: Text::from(text.guid.as_str()),
        display: Text::from(rule.name),
        category: rule.section,
        severity: status_severity(rule.severity),
        description: Text::from(text.description.as_str()),
        remediation: Text::from(text.remediation.as_str()),
        impact: Text::from(rule.severity),
        details_id: resource.id.clone(),
    };
    (common, additional)
}

/// Per-rule texts, built once: every machine's finding for a rule shares them.
struct RuleText {
    guid: String,
    description: String,
    remediation: String,
}

/// The texts of rule `item` of catalogue 1 (Linux), 2 (Windows) or 3 (Docker).
fn rule_text(catalogue_number: u64, item: usize) -> &'static RuleText {
    static TEXTS: [OnceLock<Vec<RuleText>>; 3] =
        [OnceLock::new(), OnceLock::new(), OnceLock::new()];
    let slot = (catalogue_number.clamp(1, 3) - 1) as usize;
    let texts = TEXTS[slot].get_or_init(|| {
        let (rules, benchmark) = catalogue(catalogue_number);
        rules
            .iter()
            .enumerate()
            .map(|(i, r)| RuleText {
                guid: rule_guid(catalogue_number, i),
                description: format!("{} ({benchmark}, rule {})", r.name, r.id),
                remediation: format!(
                    "Set the value to '{}' as the baseline requires.",
                    r.expected
                ),
            })
            .collect()
    });
    &texts[item]
}

fn sql(resource: &Resource, item: usize, rng: &mut Rng) -> (Common, Obj) {
    let (id, title, category, severity) = SQL_RULES[item];
    let database = crate::resources::database_names(resource)[rng.below(2)].clone();
    let server_level = id.starts_with("VA2063") || id.starts_with("VA2065");
    let common = Common {
        id: Text::from(id.to_string()),
        name: Text::from(id.to_string()),
        display: Text::from(title.to_string()),
        category,
        severity,
        description: Text::from(format!(
            "{title}. This rule is part of the SQL vulnerability assessment baseline."
        )),
        remediation: Text::from(format!(
            "Review the query results of {id} and update the baseline or remediate."
        )),
        impact: Text::from("Misconfigured databases are easier to compromise.".to_string()),
        details_id: format!("{}/databases/{database}", resource.id),
    };
    let additional = Obj::new()
        .put("assessedResourceType", "SqlServerVulnerability")
        .put(
            "type",
            if server_level {
                "ServerLevel"
            } else {
                "DatabaseLevel"
            },
        )
        .put(
            "query",
            format!("SELECT name FROM sys.database_principals /* {id} */"),
        );
    (common, additional)
}

fn system_update(
    layout: &Layout,
    resource: &Resource,
    item: usize,
    rng: &mut Rng,
) -> (Common, Obj) {
    let (title, kb, windows) = UPDATES[item];
    let matching: Vec<&str> = CVES
        .iter()
        .filter(|c| c.5 != windows)
        .map(|c| c.0)
        .collect();
    let cves: Vec<&str> = (0..rng.range(1, 3)).map(|_| *rng.pick(&matching)).collect();
    let os = if windows {
        "Windows Server 2019 Datacenter"
    } else {
        "Ubuntu 22.04 LTS"
    };
    let additional = Obj::new().put(
        "data",
        Obj::new()
            .put("OsType", if windows { "Windows" } else { "Linux" })
            .put("OperatingSystem", os)
            .put("CVENumbers", cves.join(","))
            .put("PublishedDate", clock::iso(past(rng, layout.now, 120)))
            .put(
                "RebootBehavior",
                if windows {
                    "CanRequestReboot"
                } else {
                    "NeverReboots"
                },
            ),
    );
    let common = Common {
        id: Text::from(kb.to_string()),
        name: Text::from(stable_guid(
            layout.seed,
            32,
            (resource.index as u64) << 8 | item as u64,
        )),
        display: Text::from(title.to_string()),
        category: if windows {
            "Security Updates"
        } else {
            "Security"
        },
        severity: "High",
        description: Text::from(format!("{title} ({kb}) is missing.")),
        remediation: Text::from("Install the missing update.".to_string()),
        impact: Text::from(
            "Missing security updates leave known vulnerabilities open.".to_string(),
        ),
        details_id: resource.id.clone(),
    };
    (common, additional)
}
