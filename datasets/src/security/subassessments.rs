//! `microsoft.security/assessments/subassessments` rows: OS-baseline rules, Docker CIS
//! checks, server / image / SQL vulnerabilities and missing system updates.
//!
//! Ids use the lower-case `subassessments` segment ARG returns (schema §2.2).

use super::plan::{FindingPlan, Status};
use super::{past, past_iso7, resource_envelope};
use crate::catalog::baseline::{
    rule_guid, status_severity, Rule, DOCKER_CHECKS, LINUX_RULES, WINDOWS_RULES,
};
use crate::catalog::findings::{
    cvss_severity, Cve, CVES, IMAGE_OS, REPOSITORIES, SQL_RULES, UPDATES,
};
use crate::catalog::{Findings, ASSESSMENTS};
use crate::clock;
use crate::json::{Json, Obj};
use crate::layout::{Layout, Resource};
use crate::rng::{stable_guid, Rng};
use crate::row::Row;

const SUB_TYPE: &str = "microsoft.security/assessments/subassessments";

/// The common part of every finding's properties.
struct Common {
    id: String,
    name: String,
    display: String,
    category: &'static str,
    severity: &'static str,
    description: String,
    remediation: String,
    impact: String,
    details_id: String,
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
        Findings::ServerVulns => server_vulnerability(layout, resource, &CVES[item], rng),
        Findings::SystemUpdates => system_update(layout, resource, item, rng),
        Findings::ImagesQualys | Findings::ImagesMdvm => image_vulnerability(
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
        .put("baselineSeverity", rule.severity)
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

fn cvss(base: f64) -> Obj {
    Obj::new().put(
        "3.0",
        Obj::new().put("base", base).put(
            "cvssVectorString",
            "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
        ),
    )
}

fn qid(cve_index: usize) -> String {
    (91_000 + cve_index * 37).to_string()
}

fn server_vulnerability(
    layout: &Layout,
    resource: &Resource,
    cve: &Cve,
    rng: &mut Rng,
) -> (Common, Obj) {
    let (cve_id, title, package, vendor, score, _) = *cve;
    let index = CVES.iter().position(|c| c.0 == cve_id).unwrap_or(0);
    let qualys = Rng::derive(layout.seed, 30, resource.index as u64).chance(0.3);
    let published = clock::iso(past(rng, layout.now, 1500));
    let link = format!("https://nvd.nist.gov/vuln/detail/{cve_id}");
    let mut additional = Obj::new()
        .put(
            "assessedResourceType",
            if qualys {
                "ServerVulnerability"
            } else {
                "ServerVulnerabilityTvm"
            },
        )
        .put("cvss", cvss(score))
        .put("patchable", rng.chance(0.8))
        .put("publishedTime", published);
    if qualys {
        additional = additional
            .put("type", "Vulnerability")
            .put(
                "cve",
                vec![Obj::new()
                    .put("title", cve_id)
                    .put("link", link.clone())
                    .into()],
            )
            .put(
                "threat",
                format!("{title} may allow an attacker to compromise the host."),
            )
            .put(
                "vendorReferences",
                vec![Obj::new()
                    .put("title", format!("{vendor} advisory"))
                    .put("link", link)
                    .into()],
            );
    } else {
        additional = additional
            .put(
                "cve",
                vec![Obj::new()
                    .put("title", cve_id)
                    .put("link", link)
                    .put("severity", cvss_severity(score))
                    .into()],
            )
            .put(
                "source",
                *rng.pick(&[
                    "Microsoft Defender vulnerability management",
                    "Agentless Microsoft Defender vulnerability management",
                ]),
            )
            .put("softwareName", package)
            .put("softwareVendor", vendor)
            .put(
                "softwareVersion",
                format!(
                    "{}.{}.{}",
                    rng.range(1, 9),
                    rng.range(0, 20),
                    rng.range(0, 40)
                ),
            );
    }
    let common = Common {
        id: if qualys {
            qid(index)
        } else {
            cve_id.to_string()
        },
        name: stable_guid(layout.seed, 31, (resource.index as u64) << 8 | index as u64),
        display: title.to_string(),
        category: if cve.5 { "Local" } else { "Windows" },
        severity: cvss_severity(score),
        description: format!("{title} ({cve_id}) affects {package}."),
        remediation: format!("Update {package} to the latest version provided by {vendor}."),
        impact: if qualys {
            rng.range(2, 5).to_string()
        } else {
            format!("CVSS {score}")
        },
        details_id: resource.id.clone(),
    };
    (common, additional)
}

fn system_update(
    layout: &Layout,
    resource: &Resource,
    item: usize,
    rng: &mut Rng,
) -> (Common, Obj) {
    let (title, kb, windows) = UPDATES[item];
    let cves: Vec<&str> = (0..rng.range(1, 3)).map(|_| rng.pick(CVES).0).collect();
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

fn image_vulnerability(
    layout: &Layout,
    resource: &Resource,
    item: usize,
    mdvm: bool,
    rng: &mut Rng,
) -> (Common, Obj) {
    let (cve_index, repo_index) = (item / 16, item % 16);
    let (cve_id, title, package, vendor, score, _) = CVES[cve_index];
    let repo = REPOSITORIES[repo_index];
    let digest = format!(
        "sha256:{}",
        Rng::derive(
            layout.seed,
            33,
            (resource.index as u64) << 8 | repo_index as u64
        )
        .hex(64)
    );
    let details_id = format!("/repositories/{repo}/images/{digest}");
    let link = format!("https://nvd.nist.gov/vuln/detail/{cve_id}");
    let version = format!(
        "{}.{}.{}",
        rng.range(1, 3),
        rng.range(0, 12),
        rng.range(0, 30)
    );
    let additional = if mdvm {
        mdvm_image_data(
            layout, resource, cve_id, score, package, repo, &digest, &version, rng,
        )
    } else {
        Obj::new()
            .put("assessedResourceType", "ContainerRegistryVulnerability")
            .put("imageDigest", digest.clone())
            .put("repositoryName", repo)
            .put("type", "Vulnerability")
            .put("cvss", cvss(score))
            .put("patchable", rng.chance(0.7))
            .put(
                "cve",
                vec![Obj::new()
                    .put("title", cve_id)
                    .put("link", link.clone())
                    .into()],
            )
            .put("publishedTime", clock::iso(past(rng, layout.now, 1500)))
            .put(
                "vendorReferences",
                vec![Obj::new()
                    .put("title", format!("{vendor} advisory"))
                    .put("link", link)
                    .into()],
            )
    };
    let common = Common {
        id: if mdvm {
            cve_id.to_string()
        } else {
            qid(cve_index)
        },
        name: stable_guid(layout.seed, 34, (resource.index as u64) << 16 | item as u64),
        display: if mdvm {
            cve_id.to_string()
        } else {
            title.to_string()
        },
        category: if mdvm { "" } else { "Ubuntu" },
        severity: cvss_severity(score),
        description: format!("{title} in package {package}."),
        remediation: format!("Rebuild the image with a fixed version of {package}."),
        impact: if mdvm {
            String::new()
        } else {
            rng.range(2, 5).to_string()
        },
        details_id,
    };
    (common, additional)
}

#[allow(clippy::too_many_arguments)]
fn mdvm_image_data(
    layout: &Layout,
    resource: &Resource,
    cve_id: &'static str,
    score: f64,
    package: &'static str,
    repo: &'static str,
    digest: &str,
    version: &str,
    rng: &mut Rng,
) -> Obj {
    let (os, os_version) = *rng.pick(IMAGE_OS);
    let fixed = rng.chance(0.75);
    let vulnerability = Obj::new()
        .put("cveId", cve_id)
        .put("severity", cvss_severity(score))
        .put(
            "cvss",
            Obj::new()
                .put("2.0", Json::Null)
                .put("3.0", cvss(score).0.remove(0).1),
        )
        .put(
            "exploitabilityAssessment",
            Obj::new()
                .put("exploitStepsVerified", false)
                .put("exploitStepsPublished", rng.chance(0.2))
                .put("isInExploitKit", rng.chance(0.05))
                .put("types", Json::Arr(vec![]))
                .put("exploitUris", Json::Arr(vec![])),
        )
        .put(
            "references",
            vec![Obj::new()
                .put("title", cve_id)
                .put("link", format!("https://nvd.nist.gov/vuln/detail/{cve_id}"))
                .into()],
        )
        .put(
            "weaknesses",
            Obj::new().put(
                "cwe",
                vec![Obj::new()
                    .put("id", format!("CWE-{}", rng.range(20, 900)))
                    .into()],
            ),
        )
        .put("publishedDate", clock::iso(past(rng, layout.now, 1500)))
        .put("lastModifiedDate", clock::iso(past(rng, layout.now, 60)));
    let artifact = Obj::new()
        .put("repositoryName", repo)
        .put("registryHost", format!("{}.azurecr.io", resource.name))
        .put("digest", digest.to_string())
        .put(
            "tags",
            vec![Json::from(*rng.pick(&["latest", "v1", "v2", "stable"]))],
        )
        .put("artifactType", "ContainerImage")
        .put(
            "mediaType",
            "application/vnd.docker.distribution.manifest.v2+json",
        )
        .put("lastPushedToRegistryUTC", past_iso7(rng, layout.now, 200));
    let software = Obj::new()
        .put(
            "osDetails",
            Obj::new()
                .put("osPlatform", os)
                .put("osVersion", os_version),
        )
        .put("packageName", package)
        .put("category", "OS")
        .put("version", version.to_string())
        .put(
            "fixedVersion",
            if fixed {
                format!("{version}-fix1")
            } else {
                String::new()
            },
        )
        .put(
            "fixStatus",
            if fixed {
                "FixAvailable"
            } else {
                "NoFixAvailable"
            },
        );
    Obj::new()
        .put(
            "assessedResourceType",
            "AzureContainerRegistryVulnerability",
        )
        .put("vulnerabilityDetails", vulnerability)
        .put("artifactDetails", artifact)
        .put("softwareDetails", software)
        .put("cvssV30Score", score)
}
