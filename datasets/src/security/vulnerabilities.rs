//! Vulnerability findings: servers (Qualys and MDVM) and registry images (Qualys and MDVM).

use super::past;
use super::past_iso7;
use super::subassessments::Common;
use crate::catalog::findings::{cvss_severity, Cve, CVES, IMAGE_OS, REPOSITORIES};
use crate::clock;
use crate::json::{Json, Obj, Text};
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
        id: Text::from(if qualys {
            qid(index)
        } else {
            cve_id.to_string()
        }),
        name: Text::from(stable_guid(
            layout.seed,
            31,
            (resource.index as u64) << 8 | index as u64,
        )),
        display: Text::from(title.to_string()),
        category: if cve.5 { "Local" } else { "Windows" },
        severity: cvss_severity(score),
        description: Text::from(format!("{title} ({cve_id}) affects {package}.")),
        remediation: Text::from(format!(
            "Update {package} to the latest version provided by {vendor}."
        )),
        impact: Text::from(if qualys {
            rng.range(2, 5).to_string()
        } else {
            format!("CVSS {score}")
        }),
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
        let image = Image {
            cve: &CVES[cve_index],
            repo,
            digest: &digest,
            version: &version,
        };
        mdvm_image_data(layout, resource, &image, rng)
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
        id: Text::from(if mdvm {
            cve_id.to_string()
        } else {
            qid(cve_index)
        }),
        name: Text::from(stable_guid(
            layout.seed,
            34,
            (resource.index as u64) << 16 | item as u64,
        )),
        display: Text::from(if mdvm {
            cve_id.to_string()
        } else {
            title.to_string()
        }),
        category: if mdvm { "" } else { "Ubuntu" },
        severity: cvss_severity(score),
        description: Text::from(format!("{title} in package {package}.")),
        remediation: Text::from(format!(
            "Rebuild the image with a fixed version of {package}."
        )),
        impact: Text::from(if mdvm {
            String::new()
        } else {
            rng.range(2, 5).to_string()
        }),
        details_id,
    };
    (common, additional)
}

/// One vulnerable package in one registry image.
struct Image<'a> {
    cve: &'static Cve,
    repo: &'static str,
    digest: &'a str,
    version: &'a str,
}

/// `additionalData` of an MDVM registry image finding (schema §2.2, [S3]).
fn mdvm_image_data(layout: &Layout, resource: &Resource, image: &Image, rng: &mut Rng) -> Obj {
    let score = image.cve.4;
    Obj::new()
        .put(
            "assessedResourceType",
            "AzureContainerRegistryVulnerability",
        )
        .put(
            "vulnerabilityDetails",
            vulnerability_details(layout, image.cve, rng),
        )
        .put(
            "artifactDetails",
            artifact_details(layout, resource, image, rng),
        )
        .put("softwareDetails", software_details(image, rng))
        .put("cvssV30Score", score)
}

fn vulnerability_details(layout: &Layout, cve: &Cve, rng: &mut Rng) -> Obj {
    let (cve_id, score) = (cve.0, cve.4);
    let exploitability = Obj::new()
        .put("exploitStepsVerified", false)
        .put("exploitStepsPublished", rng.chance(0.2))
        .put("isInExploitKit", rng.chance(0.05))
        .put("types", Json::Arr(vec![]))
        .put("exploitUris", Json::Arr(vec![]));
    let reference = Obj::new()
        .put("title", cve_id)
        .put("link", format!("https://nvd.nist.gov/vuln/detail/{cve_id}"));
    let cwe = Obj::new().put("id", format!("CWE-{}", rng.range(20, 900)));
    Obj::new()
        .put("cveId", cve_id)
        .put("severity", cvss_severity(score))
        .put(
            "cvss",
            Obj::new()
                .put("2.0", Json::Null)
                .put("3.0", cvss(score).0.remove(0).1),
        )
        .put("exploitabilityAssessment", exploitability)
        .put("references", vec![reference.into()])
        .put("weaknesses", Obj::new().put("cwe", vec![cwe.into()]))
        .put("publishedDate", clock::iso(past(rng, layout.now, 1500)))
        .put("lastModifiedDate", clock::iso(past(rng, layout.now, 60)))
}

fn artifact_details(layout: &Layout, resource: &Resource, image: &Image, rng: &mut Rng) -> Obj {
    Obj::new()
        .put("repositoryName", image.repo)
        .put("registryHost", format!("{}.azurecr.io", resource.name))
        .put("digest", image.digest.to_string())
        .put(
            "tags",
            vec![Json::from(*rng.pick(&["latest", "v1", "v2", "stable"]))],
        )
        .put("artifactType", "ContainerImage")
        .put(
            "mediaType",
            "application/vnd.docker.distribution.manifest.v2+json",
        )
        .put("lastPushedToRegistryUTC", past_iso7(rng, layout.now, 200))
}

fn software_details(image: &Image, rng: &mut Rng) -> Obj {
    let (os, os_version) = *rng.pick(IMAGE_OS);
    let fixed = rng.chance(0.75);
    let fixed_version = if fixed {
        format!("{}-fix1", image.version)
    } else {
        String::new()
    };
    Obj::new()
        .put(
            "osDetails",
            Obj::new()
                .put("osPlatform", os)
                .put("osVersion", os_version),
        )
        .put("packageName", image.cve.2)
        .put("category", "OS")
        .put("version", image.version.to_string())
        .put("fixedVersion", fixed_version)
        .put(
            "fixStatus",
            if fixed {
                "FixAvailable"
            } else {
                "NoFixAvailable"
            },
        )
}
