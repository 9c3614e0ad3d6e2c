//! `microsoft.security/softwareinventories` and `microsoft.security/locations/alerts` rows.

use super::{envelope, past};
use crate::catalog::findings::{techniques, ALERTS, SOFTWARE};
use crate::clock;
use crate::json::{Json, Obj};
use crate::layout::{Layout, Resource};
use crate::rng::Rng;
use crate::row::Row;

const INVENTORY_TYPE: &str = "microsoft.security/softwareinventories";
const ALERT_TYPE: &str = "microsoft.security/locations/alerts";

/// Appends the software inventory row of `SOFTWARE[software]` on machine `resource`.
pub fn inventory_row(
    layout: &Layout,
    resource: &Resource,
    software: u16,
    rng: &mut Rng,
    out: &mut Vec<Row>,
) {
    let (vendor, product, version, windows, eos) = SOFTWARE[usize::from(software)];
    let name = format!("{vendor}_{product}_{version}");
    let id = format!(
        "{}/providers/Microsoft.Security/softwareInventories/{name}",
        resource.id
    );
    // Software inventory rows carry no location (schema §3).
    let mut row = envelope(
        layout,
        id,
        name,
        INVENTORY_TYPE,
        &resource.sub.id,
        &resource.rg.lower,
        "",
    );
    let device = Rng::derive(layout.seed, 40, resource.index as u64).hex(40);
    let end_of_support = (eos != "None").then(|| {
        clock::date(layout.now + rng.range(0, 700) as i64 * clock::DAY - 200 * clock::DAY)
    });
    row.properties = Obj::new()
        .put("deviceId", device)
        .put("osPlatform", if windows { "Windows" } else { "Linux" })
        .put("vendor", vendor)
        .put("softwareName", product)
        .put("version", version)
        .put("endOfSupportStatus", eos)
        .put_opt("endOfSupportDate", end_of_support)
        .put("numberOfKnownVulnerabilities", rng.range(0, 12) as i64)
        .put("firstSeenAt", clock::spaced(past(rng, layout.now, 900)))
        .into();
    out.push(row);
}

/// The Defender location that stores a subscription's alerts.
fn asc_location(resource: &Resource) -> &'static str {
    if resource.location.contains("europe") || resource.location.starts_with("uk") {
        "westeurope"
    } else {
        "centralus"
    }
}

/// Appends alert number `n` about `resource`.
pub fn alert_row(
    layout: &Layout,
    resource: &Resource,
    n: usize,
    rng: &mut Rng,
    out: &mut Vec<Row>,
) {
    let machine = resource.kind.is_machine();
    let candidates: Vec<_> = ALERTS.iter().filter(|a| a.5 == machine).collect();
    let (alert_type, display, intent, severity, component, _) = **rng.pick(&candidates);
    let start = past(rng, layout.now, 90);
    let guid = rng.guid();
    let name = format!(
        "{}_{guid}",
        clock::dotnet_ticks(start) / 10_000_000 * 10_000_000 + n as i64
    );
    let location = asc_location(resource);
    let id = format!(
        "/subscriptions/{}/resourceGroups/{}/providers/Microsoft.Security/locations/{location}/alerts/{name}",
        resource.sub.id, resource.rg.name
    );
    let mut row = envelope(
        layout,
        id,
        name.clone(),
        ALERT_TYPE,
        &resource.sub.id,
        &resource.rg.lower,
        location,
    );
    let lower_id = resource.id.to_lowercase();
    let status = *rng.pick(&["Active", "Active", "Resolved", "Dismissed", "InProgress"]);
    let entities = vec![
        Obj::new()
            .put("$id", "1")
            .put("type", "azure-resource")
            .put("azureID", lower_id.clone())
            .into(),
        Obj::new()
            .put("$id", "2")
            .put("type", "ip")
            .put("address", format!("203.0.113.{}", rng.range(1, 254)))
            .into(),
    ];
    let mut extended = Obj::new()
        .put("resourceType", resource.kind.arm_type().0)
        .put("alert Id", guid.clone());
    if machine {
        extended = extended.put("compromised Host", resource.name.to_uppercase());
    }
    row.properties = Obj::new()
        .put("alertDisplayName", display)
        .put("alertType", alert_type)
        .put("alertUri", format!("https://portal.azure.com/#blade/Microsoft_Azure_Security_AzureDefenderForData/AlertBlade/alertId/{name}/subscriptionId/{}/resourceGroup/{}/referencedFrom/alertDeepLink/location/{location}", resource.sub.id, resource.rg.lower))
        .put("compromisedEntity", resource.name.clone())
        .put("correlationKey", rng.hex(32))
        .put("description", format!("{display} on {}.", resource.name))
        .put("startTimeUtc", clock::iso7(start, 0))
        .put("endTimeUtc", clock::iso7(start + rng.range(0, 3600) as i64, 0))
        .put("timeGeneratedUtc", clock::iso7(start + 3600, rng.below(10_000_000) as u32))
        .put("processingEndTimeUtc", clock::iso7(start + 3700, rng.below(10_000_000) as u32))
        .put("entities", entities)
        .put("extendedLinks", Json::Arr(vec![]))
        .put("extendedProperties", extended)
        .put("intent", intent)
        .put("isIncident", false)
        .put("productComponentName", component)
        .put("productName", "Microsoft Defender for Cloud")
        .put("remediationSteps", vec![Json::from("Investigate the activity and isolate the resource if it is malicious.")])
        .put("resourceIdentifiers", vec![
            Obj::new().put("$id", "3").put("azureResourceId", resource.id.clone()).put("type", "AzureResource").into(),
            Obj::new().put("$id", "4").put("workspaceId", rng.guid()).put("workspaceSubscriptionId", resource.sub.id.clone()).put("workspaceResourceGroup", resource.rg.lower.clone()).put("agentId", rng.guid()).put("type", "LogAnalytics").into(),
        ])
        .put("severity", severity)
        .put("status", status)
        .put("subTechniques", Json::Arr(vec![]))
        .put("supportingEvidence", Obj::new())
        .put("systemAlertId", guid)
        .put("techniques", techniques(intent).iter().map(|t| Json::from(*t)).collect::<Vec<_>>())
        .put("vendorName", "Microsoft")
        .put("version", "2022-01-01.0")
        .into();
    out.push(row);
}
