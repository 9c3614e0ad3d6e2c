//! `microsoft.security/assessments` and `.../governanceassignments` rows.

use super::plan::{AssessmentPlan, Status};
use super::{concat, envelope, past, portal_link, resource_envelope};
use crate::catalog::assessments::{threats, LINUX_BASELINE};
use crate::catalog::{AssessmentDef, Findings, ASSESSMENTS, TEAMS};
use crate::clock;
use crate::json::{Json, Obj};
use crate::layout::{Layout, Resource};
use crate::rng::{stable_guid, Rng};
use crate::row::Row;
use std::sync::OnceLock;

/// The lower-case type of assessment rows.
pub const ASSESSMENT_TYPE: &str = "microsoft.security/assessments";
const GOVERNANCE_TYPE: &str = "microsoft.security/assessments/governanceassignments";

/// Appends the assessment row of `plan` on `resource`.
pub fn assessment_row(
    layout: &Layout,
    resource: &Resource,
    plan: &AssessmentPlan,
    rng: &mut Rng,
    out: &mut Vec<Row>,
) {
    let def = &ASSESSMENTS[plan.def];
    let id = concat(&[
        &resource.id,
        "/providers/Microsoft.Security/assessments/",
        def.key,
    ]);
    let mut row = resource_envelope(layout, resource, id, def.key, ASSESSMENT_TYPE);
    // About 3% of resourceDetails ids are lower-cased in real data (schema §3).
    let detail_id = if rng.chance(0.03) {
        resource.id.to_lowercase()
    } else {
        resource.id.clone()
    };
    let details = Obj::new()
        .put("Source", "Azure")
        .put("Id", detail_id)
        .put("ResourceName", resource.name.clone())
        .put("ResourceType", resource.kind.arm_type().0);
    let additional = (def.findings != Findings::None && !plan.findings.is_empty()).then(|| {
        Obj::new().put(
            "subAssessmentsLink",
            format!(
                "{}/providers/Microsoft.Security/assessments/{}/subAssessments",
                resource.id, def.key
            ),
        )
    });
    row.properties = properties(
        layout,
        plan.def,
        plan.status,
        details,
        additional,
        &resource.id,
        rng,
    );
    out.push(row);
}

/// Appends a subscription-scope assessment row (MFA and owner checks).
pub fn subscription_assessment_row(
    layout: &Layout,
    sub_id: &str,
    def_index: usize,
    status: Status,
    rng: &mut Rng,
    out: &mut Vec<Row>,
) {
    let def = &ASSESSMENTS[def_index];
    let scope = format!("/subscriptions/{sub_id}");
    let id = format!(
        "{scope}/providers/Microsoft.Security/assessments/{}",
        def.key
    );
    let mut row = envelope(layout, id, def.key, ASSESSMENT_TYPE, sub_id, "", "global");
    let details = Obj::new().put("Source", "Azure").put("Id", scope.clone());
    let additional = (status == Status::Unhealthy && def.name.contains("MFA")).then(|| {
        let users: Vec<Json> = (0..rng.range(1, 4)).map(|_| rng.guid().into()).collect();
        Obj::new().put("usersWithNoMfaObjectIdList", users)
    });
    row.properties = properties(layout, def_index, status, details, additional, &scope, rng);
    out.push(row);
}

fn properties(
    layout: &Layout,
    def_index: usize,
    status: Status,
    details: Obj,
    additional: Option<Obj>,
    resource_id: &str,
    rng: &mut Rng,
) -> Json {
    let def = &ASSESSMENTS[def_index];
    Obj::new()
        .put("resourceDetails", details)
        .put("displayName", def.name)
        .put("status", status_object(layout, status, rng))
        .put_opt("additionalData", additional)
        .put("metadata", metadata(def_index))
        .put(
            "links",
            Obj::new().put("azurePortal", portal_link(def.key, resource_id)),
        )
        .into()
}

fn status_object(layout: &Layout, status: Status, rng: &mut Rng) -> Obj {
    let first = past(rng, layout.now, 400);
    let changed = first + rng.range(0, (layout.now - first) as u64) as i64;
    let mut obj = Obj::new().put("code", status.code());
    if status == Status::NotApplicable {
        let (cause, description) = *rng.pick(&[
            ("OffByPolicy", "The recommendation is disabled by a policy"),
            ("Exempt", "This resource is exempt from the recommendation"),
            (
                "UnsupportedPricingPlan",
                "The resource is not covered by the pricing plan",
            ),
            ("", "This recommendation is not applicable to the resource"),
        ]);
        obj = obj.put("cause", cause).put("description", description);
    }
    obj.put(
        "firstEvaluationDate",
        clock::iso7(first, rng.below(10_000_000) as u32),
    )
    .put(
        "statusChangeDate",
        clock::iso7(changed, rng.below(10_000_000) as u32),
    )
}

/// Per-recommendation metadata texts, built once: every assessment row of a key shares them.
struct MetadataText {
    description: String,
    remediation: String,
    policy: Option<String>,
}

fn metadata_text(def_index: usize) -> &'static MetadataText {
    static TEXTS: OnceLock<Vec<MetadataText>> = OnceLock::new();
    let texts = TEXTS.get_or_init(|| {
        ASSESSMENTS
            .iter()
            .enumerate()
            .map(|(i, def)| MetadataText {
                description: format!(
                    "Defender for Cloud has found resources for which the following applies: {}.",
                    def.name
                ),
                remediation: format!(
                    "To resolve this recommendation, open <b>{}</b> in the portal and follow the remediation steps.",
                    def.name
                ),
                policy: policy_definition(def, i),
            })
            .collect()
    });
    &texts[def_index]
}

fn metadata(def_index: usize) -> Obj {
    let def = &ASSESSMENTS[def_index];
    let text = metadata_text(def_index);
    let (impact, effort) = match def.severity {
        "High" => ("Moderate", "Low"),
        "Medium" => ("Low", "Moderate"),
        _ => ("Low", "Low"),
    };
    Obj::new()
        .put("displayName", def.name)
        .put("assessmentType", "BuiltIn")
        .put_opt("policyDefinitionId", text.policy.as_deref())
        .put("description", text.description.as_str())
        .put("remediationDescription", text.remediation.as_str())
        .put("categories", vec![Json::from(def.category)])
        .put("severity", def.severity)
        .put("userImpact", impact)
        .put("implementationEffort", effort)
        .put(
            "threats",
            threats(def.category)
                .iter()
                .map(|t| Json::from(*t))
                .collect::<Vec<_>>(),
        )
}

/// The policy behind a recommendation; subscription-scope identity checks have none.
fn policy_definition(def: &AssessmentDef, index: usize) -> Option<String> {
    if def.category == "IdentityAndAccess" {
        return None;
    }
    let guid = if def.key == LINUX_BASELINE {
        "fc9b3da7-8347-4380-8e70-0a0361d8dedd".to_string()
    } else {
        stable_guid(0x0B01_1C1E, 1, index as u64)
    };
    Some(format!(
        "/providers/Microsoft.Authorization/policyDefinitions/{guid}"
    ))
}

/// Appends a governance assignment for the assessment `def_index` on `resource`.
pub fn governance_row(
    layout: &Layout,
    resource: &Resource,
    def_index: usize,
    rng: &mut Rng,
    out: &mut Vec<Row>,
) {
    let def = &ASSESSMENTS[def_index];
    let name = rng.guid();
    let id = format!(
        "{}/providers/Microsoft.Security/assessments/{}/governanceAssignments/{name}",
        resource.id, def.key
    );
    let mut row = resource_envelope(layout, resource, id, name, GOVERNANCE_TYPE);
    let due = layout.now + rng.range(0, 60 * clock::DAY as u64) as i64 - 20 * clock::DAY;
    let mut props = Obj::new()
        .put("owner", format!("{}@contoso.com", rng.pick(TEAMS)))
        .put("remediationDueDate", clock::iso(due))
        .put("isGracePeriod", rng.chance(0.3))
        .put(
            "governanceEmailNotification",
            Obj::new()
                .put("disableManagerEmailNotification", rng.chance(0.2))
                .put("disableOwnerEmailNotification", false),
        );
    if rng.chance(0.4) {
        props = props.put(
            "remediationEta",
            Obj::new()
                .put("eta", clock::iso(due + 7 * clock::DAY))
                .put("justification", "Waiting for the maintenance window"),
        );
    }
    if rng.chance(0.3) {
        let ticket = rng.range(1000, 99_999) as i64;
        props = props.put(
            "additionalData",
            Obj::new()
                .put("ticketNumber", ticket)
                .put(
                    "ticketLink",
                    format!("https://contoso.service-now.com/ticket/{ticket}"),
                )
                .put("ticketStatus", *rng.pick(&["New", "Active", "Resolved"])),
        );
    }
    row.properties = props.into();
    out.push(row);
}
