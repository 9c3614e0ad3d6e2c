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
///
/// Property keys are PascalCase: the schema notes (§2.7) list the REST names, but Microsoft's
/// own ARG workbooks read alerts as `properties.AlertDisplayName`, `properties.Severity`,
/// `properties.Status`, `properties.TimeGeneratedUtc`, `properties.ResourceIdentifiers` (items
/// with `"Type": "AzureResource"` and `"AzureResourceId"`) and `properties.Entities[0].HostName`
/// (Azure/Microsoft-Defender-for-Cloud "Azure Defender Active Alerts" and "Continuous Cloud
/// Security Optimization Dashboard" workbooks, in `../shared/corpus`).
pub fn alert_row(
    layout: &Layout,
    resource: &Resource,
    n: usize,
    rng: &mut Rng,
    out: &mut Vec<Row>,
) {
    let machine = resource.kind.is_machine();
    let candidates: Vec<_> = ALERTS.iter().filter(|a| a.5 == machine).collect();
    let alert = **rng.pick(&candidates);
    let start = past(rng, layout.now, 90);
    let guid = rng.guid();
    let ticks = clock::dotnet_ticks(start) / 10_000_000 * 10_000_000 + n as i64;
    let name = format!("{ticks}_{guid}");
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
    let context = AlertContext {
        resource,
        name: &name,
        location,
        guid: &guid,
        start,
    };
    row.properties = alert_properties(&context, alert, rng).into();
    out.push(row);
}

/// What an alert's properties are built from.
struct AlertContext<'a> {
    resource: &'a Resource,
    name: &'a str,
    location: &'static str,
    guid: &'a str,
    start: i64,
}

type AlertDef = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    bool,
);

fn alert_properties(c: &AlertContext, alert: AlertDef, rng: &mut Rng) -> Obj {
    let (alert_type, display, intent, severity, component, machine) = alert;
    let r = c.resource;
    let status = *rng.pick(&["Active", "Active", "Resolved", "Dismissed", "InProgress"]);
    let uri = format!(
        "https://portal.azure.com/#blade/Microsoft_Azure_Security_AzureDefenderForData/AlertBlade/alertId/{}/subscriptionId/{}/resourceGroup/{}/referencedFrom/alertDeepLink/location/{}",
        c.name, r.sub.id, r.rg.lower, c.location
    );
    Obj::new()
        .put("AlertDisplayName", display)
        .put("AlertType", alert_type)
        .put("AlertUri", uri)
        .put("CompromisedEntity", r.name.clone())
        .put("CorrelationKey", rng.hex(32))
        .put("Description", format!("{display} on {}.", r.name))
        .put("StartTimeUtc", clock::iso7(c.start, 0))
        .put(
            "EndTimeUtc",
            clock::iso7(c.start + rng.range(0, 3600) as i64, 0),
        )
        .put(
            "TimeGeneratedUtc",
            clock::iso7(c.start + 3600, rng.below(10_000_000) as u32),
        )
        .put(
            "ProcessingEndTimeUtc",
            clock::iso7(c.start + 3700, rng.below(10_000_000) as u32),
        )
        .put("Entities", entities(r, machine, rng))
        .put("ExtendedLinks", Json::Arr(vec![]))
        .put(
            "ExtendedProperties",
            extended_properties(r, machine, c.guid),
        )
        .put("Intent", intent)
        .put("IsIncident", false)
        .put("ProductComponentName", component)
        .put("ProductName", "Microsoft Defender for Cloud")
        .put(
            "RemediationSteps",
            vec![Json::from(
                "Investigate the activity and isolate the resource if it is malicious.",
            )],
        )
        .put("ResourceIdentifiers", resource_identifiers(r, rng))
        .put("Severity", severity)
        .put("Status", status)
        .put("SubTechniques", Json::Arr(vec![]))
        .put("SupportingEvidence", Obj::new())
        .put("SystemAlertId", c.guid.to_string())
        .put(
            "Techniques",
            techniques(intent)
                .iter()
                .map(|t| Json::from(*t))
                .collect::<Vec<_>>(),
        )
        .put("VendorName", "Microsoft")
        .put("Version", "2022-01-01.0")
}

/// The affected resource (its id lower-cased, schema §3), the host for machines, an IP.
fn entities(r: &Resource, machine: bool, rng: &mut Rng) -> Vec<Json> {
    let mut entities = vec![Obj::new()
        .put("$id", "1")
        .put("Type", "azure-resource")
        .put("AzureID", r.id.to_lowercase())
        .into()];
    if machine {
        let host = r.name.split('.').next().unwrap_or_default().to_uppercase();
        entities.insert(
            0,
            Obj::new()
                .put("$id", "0")
                .put("Type", "host")
                .put("HostName", host)
                .into(),
        );
    }
    entities.push(
        Obj::new()
            .put("$id", "2")
            .put("Type", "ip")
            .put("Address", format!("203.0.113.{}", rng.range(1, 254)))
            .into(),
    );
    entities
}

fn extended_properties(r: &Resource, machine: bool, guid: &str) -> Obj {
    let props = Obj::new()
        .put("resourceType", r.kind.arm_type().0)
        .put("alert Id", guid.to_string());
    if machine {
        props.put("compromised Host", r.name.to_uppercase())
    } else {
        props
    }
}

fn resource_identifiers(r: &Resource, rng: &mut Rng) -> Vec<Json> {
    vec![
        Obj::new()
            .put("$id", "3")
            .put("AzureResourceId", r.id.clone())
            .put("Type", "AzureResource")
            .into(),
        Obj::new()
            .put("$id", "4")
            .put("WorkspaceId", rng.guid())
            .put("WorkspaceSubscriptionId", r.sub.id.clone())
            .put("WorkspaceResourceGroup", r.rg.lower.clone())
            .put("AgentId", rng.guid())
            .put("Type", "LogAnalytics")
            .into(),
    ]
}
