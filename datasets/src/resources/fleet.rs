//! Machines outside plain VMs: Arc-enabled servers, scale sets and AKS clusters.

use super::compute::{zones, LINUX_IMAGES, VM_SIZES};
use super::{child_row, identity, tags};
use crate::clock;
use crate::json::{Json, Obj};
use crate::layout::{Kind, Layout, Resource};
use crate::rng::Rng;
use crate::row::Row;

/// An Arc-enabled server.
pub fn arc_row(layout: &Layout, r: &Resource, rng: &mut Rng) -> Row {
    let windows = r.kind == Kind::ArcWindows;
    let mut row = child_row(
        layout,
        r,
        r.id.clone(),
        r.name.clone(),
        "microsoft.hybridcompute/machines",
    );
    let connected = rng.chance(0.85);
    row.properties = Obj::new()
        .put("osName", if windows { "windows" } else { "linux" })
        .put("osType", if windows { "windows" } else { "linux" })
        .put(
            "osSku",
            if windows {
                "Windows Server 2016 Standard"
            } else {
                "Red Hat Enterprise Linux 8.9"
            },
        )
        .put("osVersion", if windows { "10.0.14393" } else { "8.9" })
        .put(
            "status",
            if connected {
                "Connected"
            } else {
                "Disconnected"
            },
        )
        .put(
            "agentVersion",
            format!("1.{}.0{}", rng.range(30, 42), rng.range(1000, 9999)),
        )
        .put("machineFqdn", r.name.clone())
        .put("vmUuid", rng.guid().to_uppercase())
        .put(
            "lastStatusChange",
            clock::iso7(
                layout.now - rng.range(0, 30 * clock::DAY as u64) as i64,
                rng.below(10_000_000) as u32,
            ),
        )
        .put(
            "osProfile",
            Obj::new().put(
                "computerName",
                r.name.split('.').next().unwrap_or_default().to_string(),
            ),
        )
        .put(
            "detectedProperties",
            Obj::new()
                .put(
                    "manufacturer",
                    *rng.pick(&["VMware, Inc.", "Dell Inc.", "HPE"]),
                )
                .put("cloudprovider", "N/A"),
        )
        .put("provisioningState", "Succeeded")
        .into();
    row.tags = tags(rng);
    row.identity = identity(layout, rng);
    row
}

/// A virtual machine scale set.
pub fn vmss_row(layout: &Layout, r: &Resource, rng: &mut Rng) -> Row {
    let mut row = child_row(
        layout,
        r,
        r.id.clone(),
        r.name.clone(),
        "microsoft.compute/virtualmachinescalesets",
    );
    row.sku = Obj::new()
        .put("name", *rng.pick(VM_SIZES))
        .put("tier", "Standard")
        .put("capacity", rng.range(2, 12) as i64)
        .into();
    let (publisher, offer, sku) = *rng.pick(LINUX_IMAGES);
    row.properties = Obj::new()
        .put("uniqueId", rng.guid())
        .put(
            "upgradePolicy",
            Obj::new().put("mode", *rng.pick(&["Manual", "Automatic", "Rolling"])),
        )
        .put(
            "virtualMachineProfile",
            Obj::new()
                .put(
                    "osProfile",
                    Obj::new()
                        .put(
                            "computerNamePrefix",
                            r.name.chars().take(9).collect::<String>(),
                        )
                        .put("adminUsername", "azureuser"),
                )
                .put(
                    "storageProfile",
                    Obj::new().put(
                        "imageReference",
                        Obj::new()
                            .put("publisher", publisher)
                            .put("offer", offer)
                            .put("sku", sku)
                            .put("version", "latest"),
                    ),
                ),
        )
        .put("orchestrationMode", "Uniform")
        .put("provisioningState", "Succeeded")
        .into();
    row.tags = tags(rng);
    row.zones = zones(rng);
    row
}

/// An AKS managed cluster.
pub fn aks_row(layout: &Layout, r: &Resource, rng: &mut Rng) -> Row {
    let mut row = child_row(
        layout,
        r,
        r.id.clone(),
        r.name.clone(),
        "microsoft.containerservice/managedclusters",
    );
    row.sku = Obj::new()
        .put("name", "Base")
        .put("tier", *rng.pick(&["Free", "Standard"]))
        .into();
    let pools: Vec<Json> = (0..rng.range(1, 3))
        .map(|p| {
            Obj::new()
                .put(
                    "name",
                    if p == 0 {
                        "system".to_string()
                    } else {
                        format!("user{p}")
                    },
                )
                .put("count", rng.range(1, 10) as i64)
                .put("vmSize", *rng.pick(VM_SIZES))
                .put("osType", "Linux")
                .put("mode", if p == 0 { "System" } else { "User" })
                .into()
        })
        .collect();
    row.properties = Obj::new()
        .put(
            "kubernetesVersion",
            *rng.pick(&["1.27.9", "1.28.5", "1.29.2"]),
        )
        .put("dnsPrefix", r.name.clone())
        .put(
            "fqdn",
            format!("{}-{}.hcp.{}.azmk8s.io", r.name, rng.hex(8), r.location),
        )
        .put("agentPoolProfiles", pools)
        .put("enableRBAC", rng.chance(0.85))
        .put(
            "networkProfile",
            Obj::new().put("networkPlugin", *rng.pick(&["azure", "kubenet"])),
        )
        .put(
            "nodeResourceGroup",
            format!("MC_{}_{}_{}", r.rg.name, r.name, r.location),
        )
        .put("powerState", Obj::new().put("code", "Running"))
        .put("provisioningState", "Succeeded")
        .into();
    row.tags = tags(rng);
    row.identity = identity(layout, rng);
    row
}
