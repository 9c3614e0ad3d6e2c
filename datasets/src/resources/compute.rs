//! Virtual machine rows, with their network interfaces and managed disks.

use super::services::nsg_id;
use super::{child_row, identity, tags};
use crate::clock;
use crate::json::{Json, Obj};
use crate::layout::{Kind, Layout, Resource};
use crate::rng::Rng;
use crate::row::Row;
use std::borrow::Cow;

pub const VM_SIZES: &[&str] = &[
    "Standard_B2s",
    "Standard_D2s_v3",
    "Standard_D4s_v5",
    "Standard_E4s_v3",
    "Standard_F8s_v2",
];
pub const LINUX_IMAGES: &[(&str, &str, &str)] = &[
    (
        "Canonical",
        "0001-com-ubuntu-server-jammy",
        "22_04-lts-gen2",
    ),
    ("Canonical", "0001-com-ubuntu-server-focal", "20_04-lts"),
    ("RedHat", "RHEL", "8-lvm-gen2"),
    ("Debian", "debian-11", "11-gen2"),
];
const WINDOWS_IMAGES: &[(&str, &str, &str)] = &[
    (
        "MicrosoftWindowsServer",
        "WindowsServer",
        "2019-datacenter-gensecond",
    ),
    (
        "MicrosoftWindowsServer",
        "WindowsServer",
        "2022-datacenter-azure-edition",
    ),
    ("MicrosoftWindowsServer", "WindowsServer", "2016-datacenter"),
];

/// Whether VM `i` has a data disk (a pure function, so row counts need no row).
pub fn has_data_disk(layout: &Layout, i: usize) -> bool {
    Rng::derive(layout.seed, 61, i as u64).chance(0.4)
}

pub fn zones(rng: &mut Rng) -> Json {
    if rng.chance(0.4) {
        Json::Arr(vec![Json::from(*rng.pick(&["1", "2", "3"]))])
    } else {
        Json::Null
    }
}

fn resource_prefix(r: &Resource) -> String {
    format!(
        "/subscriptions/{}/resourceGroups/{}/providers",
        r.sub.id, r.rg.name
    )
}

/// Ids and names of a VM's dependants.
struct VmParts {
    nic_id: String,
    disk_name: String,
    disk_id: String,
    data_disk: Option<String>,
}

/// The VM, its NIC, its OS disk and maybe a data disk.
pub fn vm_rows(layout: &Layout, r: &Resource, rng: &mut Rng, out: &mut Vec<Row>) {
    let windows = r.kind == Kind::WindowsVm;
    let os_type = if windows { "Windows" } else { "Linux" };
    let prefix = resource_prefix(r);
    let disk_name = format!("{}_OsDisk_1_{}", r.name, rng.hex(32));
    let parts = VmParts {
        nic_id: format!(
            "{prefix}/Microsoft.Network/networkInterfaces/{}-nic01",
            r.name
        ),
        disk_id: format!("{prefix}/Microsoft.Compute/disks/{disk_name}"),
        disk_name,
        data_disk: has_data_disk(layout, r.index).then(|| format!("{}_DataDisk_0", r.name)),
    };
    let storage = storage_profile(&prefix, &parts, windows, rng);
    let size = *rng.pick(VM_SIZES);
    let zone = zones(rng);
    let running = rng.chance(0.85);
    let mut vm = child_row(
        layout,
        r,
        r.id.clone(),
        r.name.clone(),
        "microsoft.compute/virtualmachines",
    );
    vm.properties = Obj::new()
        .put("vmId", rng.guid())
        .put("hardwareProfile", Obj::new().put("vmSize", size))
        .put("storageProfile", storage)
        .put("osProfile", os_profile(r, windows, rng))
        .put(
            "networkProfile",
            Obj::new().put(
                "networkInterfaces",
                vec![Obj::new().put("id", parts.nic_id.clone()).into()],
            ),
        )
        .put("provisioningState", "Succeeded")
        .put(
            "extended",
            Obj::new().put("instanceView", instance_view(r, windows, running)),
        )
        .put("timeCreated", created(layout, rng))
        .into();
    vm.tags = tags(rng);
    if r.kind == Kind::DockerHost {
        if let Json::Obj(fields) = &mut vm.tags {
            fields.push((Cow::Borrowed("role"), Json::from("container-host")));
        }
    }
    if rng.chance(0.5) {
        vm.identity = identity(layout, rng);
    }
    vm.zones = zone.clone();
    out.push(vm);
    out.push(nic_row(layout, r, parts.nic_id, rng));
    let os_disk = (parts.disk_id, parts.disk_name, Some(os_type), 30);
    out.push(disk_row(layout, r, os_disk, zone.clone(), rng));
    if let Some(name) = parts.data_disk {
        let id = format!("{prefix}/Microsoft.Compute/disks/{name}");
        out.push(disk_row(layout, r, (id, name, None, 256), zone, rng));
    }
}

/// A creation time 30 to 900 days ago.
fn created(layout: &Layout, rng: &mut Rng) -> String {
    let secs = layout.now - rng.range(30 * clock::DAY as u64, 900 * clock::DAY as u64) as i64;
    clock::iso7(secs, rng.below(10_000_000) as u32)
}

fn storage_profile(prefix: &str, parts: &VmParts, windows: bool, rng: &mut Rng) -> Obj {
    let (publisher, offer, sku) = *rng.pick(if windows {
        WINDOWS_IMAGES
    } else {
        LINUX_IMAGES
    });
    let data_disks: Vec<Json> = parts
        .data_disk
        .iter()
        .map(|name| {
            Obj::new()
                .put("lun", 0i64)
                .put("name", name.clone())
                .put("createOption", "Empty")
                .put("diskSizeGB", 256i64)
                .put(
                    "managedDisk",
                    Obj::new().put("id", format!("{prefix}/Microsoft.Compute/disks/{name}")),
                )
                .into()
        })
        .collect();
    let os_disk = Obj::new()
        .put("osType", if windows { "Windows" } else { "Linux" })
        .put("name", parts.disk_name.clone())
        .put("createOption", "FromImage")
        .put("caching", "ReadWrite")
        .put(
            "managedDisk",
            Obj::new()
                .put("id", parts.disk_id.clone())
                .put("storageAccountType", "Premium_LRS"),
        )
        .put("diskSizeGB", if windows { 127i64 } else { 30i64 });
    Obj::new()
        .put(
            "imageReference",
            Obj::new()
                .put("publisher", publisher)
                .put("offer", offer)
                .put("sku", sku)
                .put("version", "latest"),
        )
        .put("osDisk", os_disk)
        .put("dataDisks", data_disks)
}

fn os_profile(r: &Resource, windows: bool, rng: &mut Rng) -> Obj {
    let (key, config) = if windows {
        (
            "windowsConfiguration",
            Obj::new().put("enableAutomaticUpdates", rng.chance(0.7)),
        )
    } else {
        (
            "linuxConfiguration",
            Obj::new().put("disablePasswordAuthentication", rng.chance(0.7)),
        )
    };
    Obj::new()
        .put("computerName", r.name.chars().take(15).collect::<String>())
        .put("adminUsername", "azureuser")
        .put(key, config.put("provisionVMAgent", true))
        .put("allowExtensionOperations", true)
}

fn instance_view(r: &Resource, windows: bool, running: bool) -> Obj {
    let (os_name, os_version) = if windows {
        ("Windows Server 2019 Datacenter", "10.0.17763.5696")
    } else {
        ("ubuntu", "22.04")
    };
    let (code, status) = if running {
        ("PowerState/running", "VM running")
    } else {
        ("PowerState/deallocated", "VM deallocated")
    };
    Obj::new()
        .put("computerName", r.name.clone())
        .put("osName", os_name)
        .put("osVersion", os_version)
        .put(
            "powerState",
            Obj::new().put("code", code).put("displayStatus", status),
        )
}

fn nic_row(layout: &Layout, r: &Resource, id: String, rng: &mut Rng) -> Row {
    let name = format!("{}-nic01", r.name);
    let vnet = format!(
        "/subscriptions/{}/resourceGroups/{}/providers/Microsoft.Network/virtualNetworks/vnet-{}",
        r.sub.id, r.rg.name, r.rg.lower
    );
    let mut row = child_row(
        layout,
        r,
        id.clone(),
        name,
        "microsoft.network/networkinterfaces",
    );
    let mut ip = Obj::new()
        .put(
            "privateIPAddress",
            format!(
                "10.{}.{}.{}",
                r.sub.index % 250,
                rng.range(0, 15),
                rng.range(4, 250)
            ),
        )
        .put("privateIPAllocationMethod", "Dynamic")
        .put(
            "subnet",
            Obj::new().put("id", format!("{vnet}/subnets/default")),
        )
        .put("primary", true);
    if rng.chance(0.3) {
        ip = ip.put("publicIPAddress", Obj::new().put("id", format!("/subscriptions/{}/resourceGroups/{}/providers/Microsoft.Network/publicIPAddresses/{}-ip", r.sub.id, r.rg.name, r.name)));
    }
    row.properties = Obj::new()
        .put(
            "ipConfigurations",
            vec![Obj::new()
                .put("name", "ipconfig1")
                .put("id", format!("{id}/ipConfigurations/ipconfig1"))
                .put("properties", ip)
                .into()],
        )
        .put(
            "networkSecurityGroup",
            Obj::new().put("id", nsg_id(&r.sub.id, &r.rg)),
        )
        .put("virtualMachine", Obj::new().put("id", r.id.clone()))
        .put("macAddress", rng.hex(12).to_uppercase())
        .put("enableAcceleratedNetworking", rng.chance(0.5))
        .put("provisioningState", "Succeeded")
        .into();
    row.tags = Obj::new().into();
    row
}

/// `(id, name, os type, size in GB)` of a managed disk.
type DiskSpec = (String, String, Option<&'static str>, i64);

fn disk_row(layout: &Layout, r: &Resource, disk: DiskSpec, zone: Json, rng: &mut Rng) -> Row {
    let (id, name, os_type, size) = disk;
    let mut row = child_row(layout, r, id, name, "microsoft.compute/disks");
    row.managed_by = Cow::Owned(r.id.clone());
    row.sku = Obj::new()
        .put("name", "Premium_LRS")
        .put("tier", "Premium")
        .into();
    row.properties = Obj::new()
        .put_opt("osType", os_type)
        .put("diskSizeGB", size)
        .put("diskState", "Attached")
        .put(
            "creationData",
            Obj::new().put(
                "createOption",
                if os_type.is_some() {
                    "FromImage"
                } else {
                    "Empty"
                },
            ),
        )
        .put(
            "encryption",
            Obj::new().put(
                "type",
                if rng.chance(0.2) {
                    "EncryptionAtRestWithCustomerKey"
                } else {
                    "EncryptionAtRestWithPlatformKey"
                },
            ),
        )
        .put("timeCreated", created(layout, rng))
        .put("provisioningState", "Succeeded")
        .into();
    row.tags = Obj::new().into();
    row.zones = zone;
    row
}
