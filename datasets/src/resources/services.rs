//! Service rows: network security groups, SQL servers and databases, storage accounts,
//! key vaults and container registries.

use super::{arm_row, child_row, tags};
use crate::clock;
use crate::json::{Json, Obj};
use crate::layout::{Layout, Resource, ResourceGroup, Subscription};
use crate::rng::Rng;
use crate::row::Row;
use std::borrow::Cow;

/// The id of the NSG of a resource group.
pub fn nsg_id(sub_id: &str, rg: &ResourceGroup) -> String {
    format!(
        "/subscriptions/{sub_id}/resourceGroups/{}/providers/Microsoft.Network/networkSecurityGroups/nsg-{}",
        rg.name, rg.lower
    )
}

/// The NSG of resource group `r` of `sub`; some allow SSH or RDP from the Internet.
pub fn nsg_row(layout: &Layout, sub: &Subscription, r: usize) -> Row {
    let rg = layout.resource_group(sub.index, r);
    let mut rng = Rng::derive(layout.seed, 62, ((sub.index as u64) << 16) | r as u64);
    let id = nsg_id(&sub.id, &rg);
    let name = format!("nsg-{}", rg.lower);
    let mut row = arm_row(
        layout,
        id.clone(),
        name,
        "microsoft.network/networksecuritygroups",
        &sub.id,
        &rg.lower,
        rg.location,
    );
    let mut rules = vec![rule(&id, "AllowHttpsInbound", 100, "443", "Internet")];
    if rng.chance(0.3) {
        rules.push(rule(&id, "AllowSshFromAnywhere", 200, "22", "*"));
    }
    if rng.chance(0.2) {
        rules.push(rule(&id, "AllowRdpFromAnywhere", 300, "3389", "*"));
    }
    row.properties = Obj::new()
        .put("resourceGuid", rng.guid())
        .put("securityRules", rules)
        .put("provisioningState", "Succeeded")
        .into();
    row.tags = tags(&mut rng);
    row
}

fn rule(
    nsg: &str,
    name: &'static str,
    priority: i64,
    port: &'static str,
    source: &'static str,
) -> Json {
    Obj::new()
        .put("name", name)
        .put("id", format!("{nsg}/securityRules/{name}"))
        .put(
            "properties",
            Obj::new()
                .put("protocol", "Tcp")
                .put("sourcePortRange", "*")
                .put("destinationPortRange", port)
                .put("sourceAddressPrefix", source)
                .put("destinationAddressPrefix", "*")
                .put("access", "Allow")
                .put("priority", priority)
                .put("direction", "Inbound"),
        )
        .into()
}

/// Number of user databases of SQL server `i` (a pure function of the index).
pub fn database_count(i: usize) -> usize {
    2 + i % 2
}

/// The database names of a SQL server: `master` and its user databases.
pub fn database_names(r: &Resource) -> Vec<String> {
    let mut names = vec!["master".to_string()];
    for d in 1..database_count(r.index) {
        names.push(format!("db-{}-{d:02}", r.name.trim_start_matches("sql-")));
    }
    names
}

/// A SQL server followed by its databases.
pub fn sql_rows(layout: &Layout, r: &Resource, rng: &mut Rng, out: &mut Vec<Row>) {
    let mut server = child_row(
        layout,
        r,
        r.id.clone(),
        r.name.clone(),
        "microsoft.sql/servers",
    );
    server.kind = Cow::Borrowed("v12.0");
    server.properties = Obj::new()
        .put("administratorLogin", "sqladmin")
        .put("version", "12.0")
        .put("state", "Ready")
        .put(
            "fullyQualifiedDomainName",
            format!("{}.database.windows.net", r.name),
        )
        .put(
            "publicNetworkAccess",
            if rng.chance(0.6) {
                "Enabled"
            } else {
                "Disabled"
            },
        )
        .put(
            "minimalTlsVersion",
            *rng.pick(&["1.2", "1.2", "1.0", "None"]),
        )
        .into();
    server.tags = tags(rng);
    out.push(server);
    for name in database_names(r) {
        let id = format!("{}/databases/{name}", r.id);
        let system = name == "master";
        let mut db = child_row(layout, r, id, name, "microsoft.sql/servers/databases");
        db.kind = Cow::Borrowed(if system { "v12.0,system" } else { "v12.0,user" });
        db.managed_by = Cow::Owned(r.id.clone());
        db.sku = if system {
            Obj::new()
                .put("name", "System")
                .put("tier", "System")
                .into()
        } else {
            Obj::new()
                .put("name", "GP_Gen5")
                .put("tier", "GeneralPurpose")
                .put("capacity", 2i64)
                .into()
        };
        db.properties = Obj::new()
            .put("collation", "SQL_Latin1_General_CP1_CI_AS")
            .put("maxSizeBytes", 34_359_738_368i64)
            .put("status", "Online")
            .put("databaseId", rng.guid())
            .put(
                "creationDate",
                clock::iso(
                    layout.now - rng.range(30 * clock::DAY as u64, 900 * clock::DAY as u64) as i64,
                ),
            )
            .into();
        db.tags = Obj::new().into();
        out.push(db);
    }
}

/// A storage account.
pub fn storage_row(layout: &Layout, r: &Resource, rng: &mut Rng) -> Row {
    let mut row = child_row(
        layout,
        r,
        r.id.clone(),
        r.name.clone(),
        "microsoft.storage/storageaccounts",
    );
    row.kind = Cow::Borrowed(*rng.pick(&[
        "StorageV2",
        "StorageV2",
        "StorageV2",
        "BlobStorage",
        "Storage",
    ]));
    let sku = *rng.pick(&[
        "Standard_LRS",
        "Standard_GRS",
        "Standard_RAGRS",
        "Premium_LRS",
    ]);
    row.sku = Obj::new()
        .put("name", sku)
        .put(
            "tier",
            if sku.starts_with("Premium") {
                "Premium"
            } else {
                "Standard"
            },
        )
        .into();
    row.properties = Obj::new()
        .put("supportsHttpsTrafficOnly", rng.chance(0.9))
        .put(
            "minimumTlsVersion",
            *rng.pick(&["TLS1_2", "TLS1_2", "TLS1_0"]),
        )
        .put("allowBlobPublicAccess", rng.chance(0.25))
        .put(
            "networkAcls",
            Obj::new()
                .put("bypass", "AzureServices")
                .put(
                    "defaultAction",
                    if rng.chance(0.45) { "Deny" } else { "Allow" },
                )
                .put("ipRules", Json::Arr(vec![]))
                .put("virtualNetworkRules", Json::Arr(vec![])),
        )
        .put(
            "primaryEndpoints",
            Obj::new()
                .put("blob", format!("https://{}.blob.core.windows.net/", r.name))
                .put("file", format!("https://{}.file.core.windows.net/", r.name)),
        )
        .put(
            "encryption",
            Obj::new().put("keySource", "Microsoft.Storage"),
        )
        .put("accessTier", "Hot")
        .put(
            "creationTime",
            clock::iso7(
                layout.now - rng.range(30 * clock::DAY as u64, 900 * clock::DAY as u64) as i64,
                rng.below(10_000_000) as u32,
            ),
        )
        .put("provisioningState", "Succeeded")
        .into();
    row.tags = tags(rng);
    row
}

/// A key vault.
pub fn key_vault_row(layout: &Layout, r: &Resource, rng: &mut Rng) -> Row {
    let mut row = child_row(
        layout,
        r,
        r.id.clone(),
        r.name.clone(),
        "microsoft.keyvault/vaults",
    );
    let mut props = Obj::new()
        .put(
            "sku",
            Obj::new()
                .put("family", "A")
                .put("name", *rng.pick(&["standard", "premium"])),
        )
        .put("tenantId", layout.tenant_id.clone())
        .put("enableSoftDelete", true)
        .put("softDeleteRetentionInDays", 90i64)
        .put("enableRbacAuthorization", rng.chance(0.5));
    if rng.chance(0.6) {
        props = props.put("enablePurgeProtection", true);
    }
    row.properties = props
        .put("vaultUri", format!("https://{}.vault.azure.net/", r.name))
        .put(
            "publicNetworkAccess",
            if rng.chance(0.7) {
                "Enabled"
            } else {
                "Disabled"
            },
        )
        .put("provisioningState", "Succeeded")
        .into();
    row.tags = tags(rng);
    row
}

/// A container registry.
pub fn registry_row(layout: &Layout, r: &Resource, rng: &mut Rng) -> Row {
    let mut row = child_row(
        layout,
        r,
        r.id.clone(),
        r.name.clone(),
        "microsoft.containerregistry/registries",
    );
    let tier = *rng.pick(&["Basic", "Standard", "Premium"]);
    row.sku = Obj::new().put("name", tier).put("tier", tier).into();
    row.properties = Obj::new()
        .put("loginServer", format!("{}.azurecr.io", r.name))
        .put("adminUserEnabled", rng.chance(0.3))
        .put(
            "publicNetworkAccess",
            if rng.chance(0.7) {
                "Enabled"
            } else {
                "Disabled"
            },
        )
        .put(
            "creationDate",
            clock::iso7(
                layout.now - rng.range(30 * clock::DAY as u64, 900 * clock::DAY as u64) as i64,
                rng.below(10_000_000) as u32,
            ),
        )
        .put("provisioningState", "Succeeded")
        .into();
    row.tags = tags(rng);
    row
}
