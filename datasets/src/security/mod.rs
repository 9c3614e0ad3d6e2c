//! The `securityresources` table: per-subscription rows (scores, pricings, compliance,
//! subscription-scope assessments) and per-resource rows (assessments, sub-assessments,
//! governance assignments, software inventories, alerts).

mod assessments;
mod extras;
pub mod plan;
mod subassessments;
mod subscription;
mod vulnerabilities;

use crate::clock::{self, DAY};
use crate::json::Text;
use crate::layout::{Kind, Layout, Resource};
use crate::rng::Rng;
use crate::row::Row;
use plan::plan_resource;
use std::borrow::Cow;

pub use subscription::subscription_row_count;

/// Number of security rows of resource `i` (used to size the tenant).
pub fn resource_row_count(layout: &Layout, i: usize, kind: Kind) -> usize {
    plan_resource(layout, i, kind).row_count()
}

/// The rows of subscription `s` that do not belong to one resource.
pub fn subscription_rows(layout: &Layout, s: usize, out: &mut Vec<Row>) {
    subscription::rows(layout, s, out);
}

/// The rows of resource `i`: each assessment followed by its sub-assessments and governance
/// assignment, then software inventories and alerts.
pub fn resource_rows(layout: &Layout, i: usize, out: &mut Vec<Row>) {
    let resource = layout.resource(i);
    let plan = plan_resource(layout, i, resource.kind);
    let mut rng = Rng::derive(layout.seed, TAG_ROWS, i as u64);
    for a in &plan.assessments {
        assessments::assessment_row(layout, &resource, a, &mut rng, out);
        for f in &a.findings {
            subassessments::finding_row(layout, &resource, a.def, f, &mut rng, out);
        }
        if a.governance {
            assessments::governance_row(layout, &resource, a.def, &mut rng, out);
        }
    }
    for &software in &plan.inventories {
        extras::inventory_row(layout, &resource, software, &mut rng, out);
    }
    for n in 0..plan.alerts {
        extras::alert_row(layout, &resource, n, &mut rng, out);
    }
}

const TAG_ROWS: u64 = 20;

/// A security row's envelope: tenant, subscription, lower-case group; `kind`, `managedBy` empty
/// and every dynamic column but `properties` null, as ARG returns security rows.
fn envelope(
    layout: &Layout,
    id: String,
    name: impl Into<Text>,
    type_: &'static str,
    subscription_id: &str,
    resource_group: &str,
    location: impl Into<Text>,
) -> Row {
    let mut row = Row::new(id, name, type_);
    row.tenant_id = Cow::Owned(layout.tenant_id.clone());
    row.subscription_id = Cow::Owned(subscription_id.to_string());
    row.resource_group = Cow::Owned(resource_group.to_string());
    row.location = location.into();
    row
}

/// The envelope of a row scoped to `resource` (location `global`, schema §3).
fn resource_envelope(
    layout: &Layout,
    resource: &Resource,
    id: String,
    name: impl Into<Text>,
    type_: &'static str,
) -> Row {
    envelope(
        layout,
        id,
        name,
        type_,
        &resource.sub.id,
        &resource.rg.lower,
        "global",
    )
}

/// A moment up to `max_days` before now, as Unix seconds.
fn past(rng: &mut Rng, now: i64, max_days: i64) -> i64 {
    now - rng.range(3600, (max_days * DAY) as u64) as i64
}

/// A seven-fraction-digit timestamp up to `max_days` before now.
fn past_iso7(rng: &mut Rng, now: i64, max_days: i64) -> String {
    let secs = past(rng, now, max_days);
    clock::iso7(secs, rng.below(10_000_000) as u32)
}

/// The Azure portal link of a recommendation, without scheme (schema §2.1).
fn portal_link(key: &str, resource_id: &str) -> String {
    let mut link = concat(&[
        "portal.azure.com/#blade/Microsoft_Azure_Security/RecommendationsBlade/assessmentKey/",
        key,
        "/showSecurityCenterCommandBar~/false/resourceId/",
        resource_id,
    ]);
    let start = link.len() - resource_id.len();
    link[start..].make_ascii_lowercase();
    link
}

/// Concatenates `parts` into one exactly sized string (cheaper than `format!` on hot paths).
fn concat(parts: &[&str]) -> String {
    let mut out = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for part in parts {
        out.push_str(part);
    }
    out
}
