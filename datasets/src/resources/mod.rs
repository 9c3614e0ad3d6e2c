//! The `resources` and `resourcecontainers` tables.
//!
//! `resources` holds, per subscription, one network security group per resource group, then
//! every resource that carries security rows followed by its children (NICs and disks of VMs,
//! databases of SQL servers). `resourcecontainers` holds each subscription and its groups.

mod compute;
mod fleet;
mod services;

use crate::catalog::{ENVIRONMENTS, TEAMS};
use crate::json::{Json, Obj, Text};
use crate::layout::{Kind, Layout, Resource};
use crate::rng::Rng;
use crate::row::Row;
use std::borrow::Cow;

pub use services::database_names;

const TAG_RESOURCE_ROWS: u64 = 60;

/// A resource row's envelope with tenant, subscription, group and location filled in.
fn arm_row(
    layout: &Layout,
    id: String,
    name: impl Into<Text>,
    type_: &'static str,
    sub_id: &str,
    rg_lower: &str,
    location: &'static str,
) -> Row {
    let mut row = Row::new(id, name, type_);
    row.tenant_id = Cow::Owned(layout.tenant_id.clone());
    row.subscription_id = Cow::Owned(sub_id.to_string());
    row.resource_group = Cow::Owned(rg_lower.to_string());
    row.location = Cow::Borrowed(location);
    row
}

/// The envelope of a child of `resource` in the same group and region.
fn child_row(
    layout: &Layout,
    resource: &Resource,
    id: String,
    name: String,
    type_: &'static str,
) -> Row {
    arm_row(
        layout,
        id,
        name,
        type_,
        &resource.sub.id,
        &resource.rg.lower,
        resource.location,
    )
}

/// Tags: `{}` for about a third of resources, otherwise a few owner/cost tags.
fn tags(rng: &mut Rng) -> Json {
    if rng.chance(0.35) {
        return Obj::new().into();
    }
    let mut tags = Obj::new()
        .put("environment", *rng.pick(ENVIRONMENTS))
        .put("owner", format!("{}@contoso.com", rng.pick(TEAMS)));
    if rng.chance(0.5) {
        tags = tags.put("costCenter", format!("CC-{}", rng.range(1000, 9999)));
    }
    tags.into()
}

/// A system-assigned identity.
fn identity(layout: &Layout, rng: &mut Rng) -> Json {
    Obj::new()
        .put("type", "SystemAssigned")
        .put("principalId", rng.guid())
        .put("tenantId", layout.tenant_id.clone())
        .into()
}

/// Rows of subscription `s` that belong to no resource: one NSG per resource group.
pub fn subscription_rows(layout: &Layout, s: usize, out: &mut Vec<Row>) {
    let sub = layout.subscription(s);
    for r in 0..sub.rg_count {
        out.push(services::nsg_row(layout, &sub, r));
    }
}

/// Number of rows `subscription_rows` appends.
pub fn subscription_row_count(layout: &Layout, s: usize) -> usize {
    layout.subscription(s).rg_count
}

/// The row of resource `i` followed by its children.
pub fn resource_rows(layout: &Layout, i: usize, out: &mut Vec<Row>) {
    let resource = layout.resource(i);
    let mut rng = Rng::derive(layout.seed, TAG_RESOURCE_ROWS, i as u64);
    match resource.kind {
        Kind::LinuxVm | Kind::WindowsVm | Kind::DockerHost => {
            compute::vm_rows(layout, &resource, &mut rng, out)
        }
        Kind::ArcLinux | Kind::ArcWindows => out.push(fleet::arc_row(layout, &resource, &mut rng)),
        Kind::Vmss => out.push(fleet::vmss_row(layout, &resource, &mut rng)),
        Kind::Aks => out.push(fleet::aks_row(layout, &resource, &mut rng)),
        Kind::SqlServer => services::sql_rows(layout, &resource, &mut rng, out),
        Kind::Storage => out.push(services::storage_row(layout, &resource, &mut rng)),
        Kind::KeyVault => out.push(services::key_vault_row(layout, &resource, &mut rng)),
        Kind::Registry => out.push(services::registry_row(layout, &resource, &mut rng)),
    }
}

/// Number of rows `resource_rows` appends for resource `i`.
pub fn resource_row_count(layout: &Layout, i: usize) -> usize {
    match layout.kind(i) {
        Kind::LinuxVm | Kind::WindowsVm | Kind::DockerHost => {
            3 + usize::from(compute::has_data_disk(layout, i))
        }
        Kind::SqlServer => 1 + services::database_count(i),
        _ => 1,
    }
}

/// The `resourcecontainers` rows of subscription `s`: the subscription, then its groups.
pub fn container_rows(layout: &Layout, s: usize, out: &mut Vec<Row>) {
    let sub = layout.subscription(s);
    let mut rng = Rng::derive(layout.seed, TAG_RESOURCE_ROWS + 1, s as u64);
    let mut row = arm_row(
        layout,
        format!("/subscriptions/{}", sub.id),
        sub.name.clone(),
        "microsoft.resources/subscriptions",
        &sub.id,
        "",
        "",
    );
    row.properties = Obj::new()
        .put(
            "subscriptionPolicies",
            Obj::new()
                .put("locationPlacementId", "Public_2014-09-01")
                .put("quotaId", "EnterpriseAgreement_2014-09-01")
                .put("spendingLimit", "Off"),
        )
        .put("state", "Enabled")
        .put(
            "managementGroupAncestorsChain",
            vec![
                Obj::new()
                    .put("displayName", "Contoso Landing Zones")
                    .put("name", "contoso-landingzones")
                    .into(),
                Obj::new()
                    .put("displayName", "Tenant Root Group")
                    .put("name", layout.tenant_id.clone())
                    .into(),
            ],
        )
        .into();
    row.tags = tags(&mut rng);
    out.push(row);
    for r in 0..sub.rg_count {
        let rg = layout.resource_group(s, r);
        let id = format!("/subscriptions/{}/resourceGroups/{}", sub.id, rg.name);
        let mut row = arm_row(
            layout,
            id,
            rg.name.clone(),
            "microsoft.resources/subscriptions/resourcegroups",
            &sub.id,
            &rg.lower,
            rg.location,
        );
        row.properties = Obj::new().put("provisioningState", "Succeeded").into();
        row.tags = tags(&mut rng);
        out.push(row);
    }
}

/// Number of `resourcecontainers` rows of subscription `s`.
pub fn container_row_count(layout: &Layout, s: usize) -> usize {
    1 + layout.subscription(s).rg_count
}
