//! `microsoft.security/assessments/subassessments` rows: OS-baseline rules, Docker CIS
//! checks, server / image / SQL vulnerabilities and missing system updates.
//!
//! Ids use the lower-case `subassessments` segment ARG returns (schema §2.2).

use super::plan::{FindingPlan, Status};
use super::{past, past_iso7, resource_envelope, vulnerabilities};
use crate::catalog::baseline::{
    rule_guid, status_severity, Rule, DOCKER_CHECKS, LINUX_RULES, WINDOWS_RULES,
};
use crate::catalog::findings::{CVES, SQL_RULES, UPDATES};
use crate::catalog::{Findings, ASSESSMENTS};
use crate::clock;
use crate::json::Obj;
use crate::layout::{Layout, Resource};
use crate::rng::{stable_guid, Rng};
use crate::row::Row;

const SUB_TYPE: &str = "microsoft.security/assessments/subassessments";

/// The common part of every finding's properties.
pub struct Common {
    pub id: String,
    pub name: String,
    pub display: String,
    pub category: &'static str,
    pub severity: &'static str,
    pub description: String,
    pub remediation: String,
    pub impact: String,
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
    let item = usize::from(f.item);
    let (common, additional) = match def.findings {
        Findings::LinuxBaseline => baseline(
            resource,
            &LINUX_RULES[item],
            item,
            1,
            "Azure compute security baseline for Linux",
            f.status,
            rng,
        ),
        Findings::WindowsBaseline => baseline(
            resource,
            &WINDOWS_RULES[item],
            item,
            2,
            "Azure compute security baseline for Windows",
            f.status,
            rng,
        ),
        Findings::Docker => baseline(
            resource,
            &DOCKER_CHECKS[item],
            item,
            3,
            "CIS Docker Benchmark v1.6.0",
            f.status,
            rng,
        ),
        Findings::SqlVa => sql(resource, item, rng),
        Findings::ServerVulns => {
            vulnerabilities::server_vulnerability(layout, resource, &CVES[item], rng)
        }
        Findings::SystemUpdates => system_update(layout, resource, item, rng),
        Findings::ImagesQualys | Findings::ImagesMdvm => vulnerabilities::image_vulnerability(
            layout,
            resource,
            item,
            def.findings == Findings::ImagesMdvm,
            rng,
        ),
        Findings::None => return,
    };
    let id = format!(
        "{}/providers/Microsoft.Security/assessments/{}/subassessments/{}",
        resource.id, def.key, common.name
    );
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

fn status_description(status: Status) -> &'static str {
    match status {
        Status::Healthy => "The resource is compliant",
        Status::Unhealthy => "The resource is not compliant",
        Status::NotApplicable => "The rule does not apply to the resource",
    }
}

#[allow(clippy::too_many_arguments)]
fn baseline(
    resource: &Resource,
    rule: &Rule,
    item: usize,
    catalogue: u64,
    benchmark: &'static str,
    status: Status,
    rng: &mut Rng,
) -> (Common, Obj) {
    let source = if catalogue == 3 {
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
    let common = Common {
        id: rule.id.to_string(),
        name: rule_guid(catalogue, item),
        display: rule.name.to_string(),
        category: rule.section,
        severity: status_severity(rule.severity),
        description: format!("{} ({benchmark}, rule {})", rule.name, rule.id),
        remediation: format!(
            "Set the value to '{}' as the baseline requires.",
            rule.expected
        ),
        impact: rule.severity.to_string(),
        details_id: resource.id.clone(),
    };
    (common, additional)
}

fn sql(resource: &Resource, item: usize, rng: &mut Rng) -> (Common, Obj) {
    let (id, title, category, severity) = SQL_RULES[item];
    let database = crate::resources::database_names(resource)[rng.below(2)].clone();
    let server_level = id.starts_with("VA2063") || id.starts_with("VA2065");
    let common = Common {
        id: id.to_string(),
        name: id.to_string(),
        display: title.to_string(),
        category,
        severity,
        description: format!(
            "{title}. This rule is part of the SQL vulnerability assessment baseline."
        ),
        remediation: format!(
            "Review the query results of {id} and update the baseline or remediate."
        ),
        impact: "Misconfigured databases are easier to compromise.".to_string(),
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
        id: kb.to_string(),
        name: stable_guid(layout.seed, 32, (resource.index as u64) << 8 | item as u64),
        display: title.to_string(),
        category: if windows {
            "Security Updates"
        } else {
            "Security"
        },
        severity: "High",
        description: format!("{title} ({kb}) is missing."),
        remediation: "Install the missing update.".to_string(),
        impact: "Missing security updates leave known vulnerabilities open.".to_string(),
        details_id: resource.id.clone(),
    };
    (common, additional)
}
