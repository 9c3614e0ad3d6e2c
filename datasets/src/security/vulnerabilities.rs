//! Vulnerability findings: servers (Qualys and MDVM) and registry images (Qualys and MDVM).

use super::past;
use super::past_iso7;
use super::subassessments::Common;
use crate::catalog::findings::{cvss_severity, Cve, CVES, IMAGE_OS, REPOSITORIES};
use crate::clock;
use crate::json::{Json, Obj};
use crate::layout::{Layout, Resource};
use crate::rng::{stable_guid, Rng};

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

pub fn server_vulnerability(
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

pub fn image_vulnerability(
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
