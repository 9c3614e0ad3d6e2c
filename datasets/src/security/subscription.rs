//! Per-subscription security rows: subscription-scope assessments, secure score and its
//! controls, Defender pricings, and regulatory compliance (standards, controls, assessments).
//!
//! Scores and compliance counts are rolled up from the subscription's own assessments, which
//! are recomputed from their plans (a pass over the subscription's resources, no rows built).

use super::assessments::subscription_assessment_row;
use super::envelope;
use super::plan::{plan_resource, Status};
use crate::catalog::assessments::index_of;
use crate::catalog::{targets, ASSESSMENTS, PRICINGS, SCORE_CONTROLS, STANDARDS};
use crate::clock;
use crate::json::{Json, Obj};
use crate::layout::Layout;
use crate::rng::Rng;
use crate::row::Row;

const TAG_SUB_ROWS: u64 = 50;

/// Healthy / Unhealthy / NotApplicable counts.
type Counts = [u32; 3];

/// Roll-ups of one subscription.
struct Rollup {
    /// Per assessment definition: resources by status.
    per_key: Vec<Counts>,
    /// Per score control: resources by worst status over the control's assessments.
    per_control: Vec<Counts>,
}

/// Indexes of the subscription-scope recommendations.
fn subscription_defs() -> impl Iterator<Item = usize> {
    ASSESSMENTS
        .iter()
        .enumerate()
        .filter(|(_, d)| d.targets & targets::SUBSCRIPTION != 0)
        .map(|(i, _)| i)
}

/// Which compliance standards a subscription has assigned (the benchmark always).
fn standards_of(layout: &Layout, s: usize) -> Vec<usize> {
    let mut rng = Rng::derive(layout.seed, TAG_SUB_ROWS, s as u64);
    (0..STANDARDS.len())
        .filter(|&i| i == 0 || rng.chance(0.5))
        .collect()
}

/// Number of per-subscription rows of subscription `s`.
pub fn subscription_row_count(layout: &Layout, s: usize) -> usize {
    let compliance: usize = standards_of(layout, s)
        .into_iter()
        .map(|i| 1 + STANDARDS[i].1.iter().map(|c| 1 + c.2.len()).sum::<usize>())
        .sum();
    subscription_defs().count() + 1 + SCORE_CONTROLS.len() + PRICINGS.len() + compliance
}

fn subscription_status(rng: &mut Rng, def: usize) -> Status {
    if rng.below(100) < usize::from(ASSESSMENTS[def].unhealthy) {
        Status::Unhealthy
    } else {
        Status::Healthy
    }
}

/// Appends every per-subscription row of subscription `s`.
pub fn rows(layout: &Layout, s: usize, out: &mut Vec<Row>) {
    let sub = layout.subscription(s);
    let mut rng = Rng::derive(layout.seed, TAG_SUB_ROWS + 1, s as u64);
    let mut rollup = resource_rollup(layout, s);
    for def in subscription_defs() {
        let status = subscription_status(&mut rng, def);
        count(&mut rollup, def, status);
        subscription_assessment_row(layout, &sub.id, def, status, &mut rng, out);
    }
    score_rows(layout, &sub.id, &rollup, out);
    for (plan, sub_plan) in PRICINGS {
        out.push(pricing_row(layout, &sub.id, plan, *sub_plan, &mut rng));
    }
    for standard in standards_of(layout, s) {
        compliance_rows(layout, &sub.id, standard, &rollup, out);
    }
}

fn count(rollup: &mut Rollup, def: usize, status: Status) {
    rollup.per_key[def][status.slot()] += 1;
    rollup.per_control[ASSESSMENTS[def].control][status.slot()] += 1;
}

fn resource_rollup(layout: &Layout, s: usize) -> Rollup {
    let mut rollup = Rollup {
        per_key: vec![[0; 3]; ASSESSMENTS.len()],
        per_control: vec![[0; 3]; SCORE_CONTROLS.len()],
    };
    for i in layout.resources_of(s) {
        let plan = plan_resource(layout, i, layout.kind(i));
        let mut worst: Vec<Option<Status>> = vec![None; SCORE_CONTROLS.len()];
        for a in &plan.assessments {
            rollup.per_key[a.def][a.status.slot()] += 1;
            let slot = &mut worst[ASSESSMENTS[a.def].control];
            *slot = Some(match (*slot, a.status) {
                (Some(Status::Unhealthy), _) | (_, Status::Unhealthy) => Status::Unhealthy,
                (Some(Status::Healthy), _) | (_, Status::Healthy) => Status::Healthy,
                _ => Status::NotApplicable,
            });
        }
        for (control, status) in worst.iter().enumerate() {
            if let Some(status) = status {
                rollup.per_control[control][status.slot()] += 1;
            }
        }
    }
    rollup
}

fn round(x: f64, digits: i32) -> f64 {
    let scale = 10f64.powi(digits);
    (x * scale).round() / scale
}

fn score(max: u32, current: f64) -> Obj {
    let percentage = if max == 0 {
        0.0
    } else {
        current / f64::from(max)
    };
    Obj::new()
        .put("max", max)
        .put("current", round(current, 2))
        .put("percentage", round(percentage, 4))
}

fn score_rows(layout: &Layout, sub_id: &str, rollup: &Rollup, out: &mut Vec<Row>) {
    let score_id =
        format!("/subscriptions/{sub_id}/providers/Microsoft.Security/secureScores/ascScore");
    let mut total_max = 0;
    let mut total_current = 0.0;
    let mut weight = 0;
    let mut controls = Vec::with_capacity(SCORE_CONTROLS.len());
    for (c, (guid, name, max)) in SCORE_CONTROLS.iter().enumerate() {
        let [healthy, unhealthy, na] = rollup.per_control[c];
        let assessed = healthy + unhealthy;
        let current = if assessed == 0 {
            0.0
        } else {
            f64::from(*max) * f64::from(healthy) / f64::from(assessed)
        };
        total_max += max;
        total_current += round(current, 2);
        weight += assessed;
        let keys: Vec<Json> = ASSESSMENTS
            .iter()
            .filter(|d| d.control == c)
            .map(|d| {
                Obj::new()
                    .put(
                        "id",
                        format!("/providers/Microsoft.Security/assessmentMetadata/{}", d.key),
                    )
                    .into()
            })
            .collect();
        let definition = Obj::new()
            .put(
                "id",
                format!("/providers/Microsoft.Security/secureScoreControlDefinitions/{guid}"),
            )
            .put("name", *guid)
            .put("type", "Microsoft.Security/secureScoreControlDefinitions")
            .put(
                "properties",
                Obj::new()
                    .put("source", Obj::new().put("sourceType", "BuiltIn"))
                    .put("displayName", *name)
                    .put("maxScore", *max)
                    .put("assessmentDefinitions", keys),
            );
        let id = format!("{score_id}/secureScoreControls/{guid}");
        let mut row = envelope(
            layout,
            id,
            *guid,
            "microsoft.security/securescores/securescorecontrols",
            sub_id,
            "",
            "",
        );
        row.properties = Obj::new()
            .put("displayName", *name)
            .put("healthyResourceCount", healthy)
            .put("unhealthyResourceCount", unhealthy)
            .put("notApplicableResourceCount", na)
            .put("score", score(*max, current))
            .put("weight", assessed)
            .put("definition", definition)
            .into();
        controls.push(row);
    }
    let mut row = envelope(
        layout,
        score_id,
        "ascScore",
        "microsoft.security/securescores",
        sub_id,
        "",
        "",
    );
    row.properties = Obj::new()
        .put("displayName", "ASC score")
        .put("score", score(total_max, total_current))
        .put("weight", weight)
        .into();
    out.push(row);
    out.extend(controls);
}

fn pricing_row(
    layout: &Layout,
    sub_id: &str,
    plan: &'static str,
    sub_plan: Option<&'static str>,
    rng: &mut Rng,
) -> Row {
    let standard = rng.chance(if plan == "VirtualMachines" || plan == "CloudPosture" {
        0.85
    } else {
        0.55
    });
    let deprecated = plan == "Dns" || plan == "KubernetesService" || plan == "ContainerRegistry";
    let id = format!("/subscriptions/{sub_id}/providers/Microsoft.Security/pricings/{plan}");
    let mut row = envelope(
        layout,
        id,
        plan,
        "microsoft.security/pricings",
        sub_id,
        "",
        "",
    );
    let mut props = Obj::new().put("pricingTier", if standard { "Standard" } else { "Free" });
    if standard {
        props = props.put_opt("subPlan", sub_plan);
    }
    props = props.put(
        "freeTrialRemainingTime",
        if standard || rng.chance(0.7) {
            "PT0S"
        } else {
            "P29DT23H"
        },
    );
    if standard {
        props = props.put(
            "enablementTime",
            clock::iso7(
                layout.now - rng.range(clock::DAY as u64, 700 * clock::DAY as u64) as i64,
                rng.below(10_000_000) as u32,
            ),
        );
    }
    props = props.put("enforce", "False");
    if deprecated {
        props = props.put("deprecated", true).put(
            "replacedBy",
            vec![Json::from(if plan == "Dns" {
                "VirtualMachines"
            } else {
                "Containers"
            })],
        );
    } else {
        let coverage = if !standard {
            "NotCovered"
        } else if rng.chance(0.8) {
            "FullyCovered"
        } else {
            "PartiallyCovered"
        };
        props = props.put("resourcesCoverageStatus", coverage);
    }
    if standard && matches!(plan, "VirtualMachines" | "StorageAccounts" | "CloudPosture") {
        props = props.put("extensions", extensions(plan, rng));
    }
    row.properties = props.into();
    row
}

fn extensions(plan: &str, rng: &mut Rng) -> Vec<Json> {
    let names: &[&str] = match plan {
        "VirtualMachines" => &[
            "MdeDesignatedSubscription",
            "AgentlessVmScanning",
            "FileIntegrityMonitoring",
        ],
        "StorageAccounts" => &["OnUploadMalwareScanning", "SensitiveDataDiscovery"],
        _ => &[
            "AgentlessVmScanning",
            "ContainerRegistriesVulnerabilityAssessments",
            "EntraPermissionsManagement",
        ],
    };
    names
        .iter()
        .map(|n| {
            let on = rng.chance(0.7);
            let mut ext = Obj::new()
                .put("name", *n)
                .put("isEnabled", if on { "True" } else { "False" });
            if on && *n == "OnUploadMalwareScanning" {
                ext = ext.put(
                    "additionalExtensionProperties",
                    Obj::new().put("CapGBPerMonthPerStorageAccount", "5000"),
                );
            }
            ext.into()
        })
        .collect()
}

/// Passed if any control or assessment passed and none failed; Skipped when nothing applied.
fn state(passed: u32, failed: u32) -> &'static str {
    if failed > 0 {
        "Failed"
    } else if passed > 0 {
        "Passed"
    } else {
        "Skipped"
    }
}

fn compliance_rows(
    layout: &Layout,
    sub_id: &str,
    standard: usize,
    rollup: &Rollup,
    out: &mut Vec<Row>,
) {
    let (std_name, controls) = STANDARDS[standard];
    let std_id = format!("/subscriptions/{sub_id}/providers/Microsoft.Security/regulatoryComplianceStandards/{std_name}");
    let header = out.len();
    out.push(envelope(
        layout,
        std_id.clone(),
        std_name,
        "microsoft.security/regulatorycompliancestandards",
        sub_id,
        "",
        "",
    ));
    let mut control_counts = [0u32; 3];
    for (ctl_name, description, keys) in controls {
        let ctl_id = format!("{std_id}/regulatoryComplianceControls/{ctl_name}");
        let ctl_row = out.len();
        out.push(envelope(
            layout,
            ctl_id.clone(),
            *ctl_name,
            "microsoft.security/regulatorycompliancestandards/regulatorycompliancecontrols",
            sub_id,
            "",
            "",
        ));
        let mut assessment_counts = [0u32; 3];
        for key in keys.iter() {
            let def = index_of(key).expect("compliance keys are in the catalogue");
            let [passed, failed, skipped] = rollup.per_key[def];
            let st = state(passed, failed);
            assessment_counts[slot(st)] += 1;
            let id = format!("{ctl_id}/regulatoryComplianceAssessments/{key}");
            let mut row = envelope(layout, id, *key, "microsoft.security/regulatorycompliancestandards/regulatorycompliancecontrols/regulatorycomplianceassessments", sub_id, "", "");
            let scope_sub = ASSESSMENTS[def].targets & targets::SUBSCRIPTION != 0;
            row.properties = Obj::new()
                .put("description", ASSESSMENTS[def].name)
                .put("assessmentType", "Assessment")
                .put("assessmentDetailsLink", format!("https://management.azure.com/subscriptions/{sub_id}/providers/Microsoft.Security/assessments/{key}"))
                .put("state", st)
                .put("passedResources", passed)
                .put("failedResources", failed)
                .put("skippedResources", skipped)
                .put_opt("scope", scope_sub.then_some("Subscription"))
                .into();
            out.push(row);
        }
        let st = state(assessment_counts[0], assessment_counts[1]);
        control_counts[slot(st)] += 1;
        out[ctl_row].properties = Obj::new()
            .put("description", *description)
            .put("state", st)
            .put("passedAssessments", assessment_counts[0])
            .put("failedAssessments", assessment_counts[1])
            .put("skippedAssessments", assessment_counts[2])
            .put("unsupportedAssessments", 0u32)
            .into();
    }
    out[header].properties = Obj::new()
        .put("state", state(control_counts[0], control_counts[1]))
        .put("passedControls", control_counts[0])
        .put("failedControls", control_counts[1])
        .put("skippedControls", control_counts[2])
        .put("unsupportedControls", 0u32)
        .into();
}

fn slot(state: &str) -> usize {
    match state {
        "Passed" => 0,
        "Failed" => 1,
        _ => 2,
    }
}
