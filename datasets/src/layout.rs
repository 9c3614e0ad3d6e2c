//! The shape of a tenant: subscriptions, resource groups and resources, each derived from the
//! seed and its index alone (nothing is stored per entity).
//!
//! Resources are numbered `0..resource_count`. Resource `i` has a kind taken from a fixed
//! mixing pattern (so even tiny tenants hold every kind), and lives in subscription
//! `i * subs / resource_count` (contiguous blocks, so each subscription streams as one unit).

use crate::catalog::{targets, ENVIRONMENTS, REGIONS, WORKLOADS};
use crate::config::TenantConfig;
use crate::rng::{stable_guid, Rng};
use crate::security;
use std::ops::Range;

/// The kinds of resource that carry security rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Azure Linux VM.
    LinuxVm,
    /// Azure Windows VM.
    WindowsVm,
    /// Azure Linux VM running Docker (a container host).
    DockerHost,
    /// Arc-enabled Linux server.
    ArcLinux,
    /// Arc-enabled Windows server.
    ArcWindows,
    /// Virtual machine scale set.
    Vmss,
    /// AKS managed cluster.
    Aks,
    /// Azure SQL logical server.
    SqlServer,
    /// Storage account.
    Storage,
    /// Key vault.
    KeyVault,
    /// Container registry.
    Registry,
}

use Kind::*;

/// The mix of kinds, repeated over resource indexes (rotated by the seed).
const PATTERN: [Kind; 20] = [
    LinuxVm, WindowsVm, DockerHost, Storage, LinuxVm, WindowsVm, ArcLinux, SqlServer, KeyVault,
    LinuxVm, Vmss, Registry, WindowsVm, DockerHost, ArcWindows, Storage, Aks, LinuxVm, WindowsVm,
    LinuxVm,
];

impl Kind {
    /// The bit of this kind in `catalog::targets` sets.
    pub fn bit(self) -> u32 {
        match self {
            LinuxVm => targets::LINUX_VM,
            WindowsVm => targets::WINDOWS_VM,
            DockerHost => targets::DOCKER_HOST,
            ArcLinux => targets::ARC_LINUX,
            ArcWindows => targets::ARC_WINDOWS,
            Vmss => targets::VMSS,
            Aks => targets::AKS,
            SqlServer => targets::SQL_SERVER,
            Storage => targets::STORAGE,
            KeyVault => targets::KEY_VAULT,
            Registry => targets::REGISTRY,
        }
    }

    /// `(provider segment in ARM casing, lower-case ARG type)`.
    pub fn arm_type(self) -> (&'static str, &'static str) {
        match self {
            LinuxVm | WindowsVm | DockerHost => (
                "Microsoft.Compute/virtualMachines",
                "microsoft.compute/virtualmachines",
            ),
            ArcLinux | ArcWindows => (
                "Microsoft.HybridCompute/machines",
                "microsoft.hybridcompute/machines",
            ),
            Vmss => (
                "Microsoft.Compute/virtualMachineScaleSets",
                "microsoft.compute/virtualmachinescalesets",
            ),
            Aks => (
                "Microsoft.ContainerService/managedClusters",
                "microsoft.containerservice/managedclusters",
            ),
            SqlServer => ("Microsoft.Sql/servers", "microsoft.sql/servers"),
            Storage => (
                "Microsoft.Storage/storageAccounts",
                "microsoft.storage/storageaccounts",
            ),
            KeyVault => ("Microsoft.KeyVault/vaults", "microsoft.keyvault/vaults"),
            Registry => (
                "Microsoft.ContainerRegistry/registries",
                "microsoft.containerregistry/registries",
            ),
        }
    }

    /// Machines run an OS and get OS-level findings.
    pub fn is_machine(self) -> bool {
        matches!(
            self,
            LinuxVm | WindowsVm | DockerHost | ArcLinux | ArcWindows
        )
    }

    /// Windows machines.
    pub fn is_windows(self) -> bool {
        matches!(self, WindowsVm | ArcWindows)
    }
}

/// A subscription.
#[derive(Debug, Clone)]
pub struct Subscription {
    /// Its index in the tenant.
    pub index: usize,
    /// The subscription id (GUID).
    pub id: String,
    /// Display name.
    pub name: String,
    /// Number of resource groups.
    pub rg_count: usize,
}

/// A resource group: `name` keeps its mixed case, `lower` is the `resourceGroup` column.
#[derive(Debug, Clone)]
pub struct ResourceGroup {
    /// Name in ARM casing.
    pub name: String,
    /// Lower-case name.
    pub lower: String,
    /// Region.
    pub location: &'static str,
}

/// A resource that carries security rows.
#[derive(Debug, Clone)]
pub struct Resource {
    /// Global index.
    pub index: usize,
    /// Its kind.
    pub kind: Kind,
    /// Its subscription.
    pub sub: Subscription,
    /// Its resource group.
    pub rg: ResourceGroup,
    /// Resource name.
    pub name: String,
    /// Region.
    pub location: &'static str,
    /// ARM id in ARM casing.
    pub id: String,
}

/// The whole tenant's shape, computed once per generation (a few hundred bytes).
#[derive(Debug, Clone)]
pub struct Layout {
    /// The seed.
    pub seed: u64,
    /// Tenant id (GUID) on every row.
    pub tenant_id: String,
    /// The tenant's "now" in Unix seconds.
    pub now: i64,
    /// Exact number of security rows.
    pub security_rows: usize,
    subs: usize,
    resources: usize,
    last_budget: usize,
    pattern_offset: usize,
}

const TAG_SUB: u64 = 1;
const TAG_RG: u64 = 2;
const TAG_RES: u64 = 3;
const TAG_TENANT: u64 = 4;

impl Layout {
    /// Lays out the tenant: counts how many resources are needed for `security_rows` rows.
    pub fn new(config: &TenantConfig) -> Self {
        let mut layout = Layout {
            seed: config.seed,
            tenant_id: stable_guid(config.seed, TAG_TENANT, 0),
            now: config.now,
            security_rows: config.security_rows,
            subs: config.subscription_count(),
            resources: 0,
            last_budget: 0,
            pattern_offset: Rng::derive(config.seed, TAG_RES, u64::MAX).below(PATTERN.len()),
        };
        let fixed: usize = (0..layout.subs)
            .map(|s| security::subscription_row_count(&layout, s))
            .sum();
        let mut remaining = config.security_rows.saturating_sub(fixed);
        let mut count = 0;
        loop {
            let rows = security::resource_row_count(&layout, count, layout.kind(count));
            count += 1;
            if rows >= remaining {
                break;
            }
            remaining -= rows;
        }
        layout.resources = count;
        layout.last_budget = remaining;
        layout
    }

    /// How many security rows resource `i` may emit, when that is fewer than its plan: only
    /// the last resource is cut, so that the table has exactly `security_rows` rows.
    pub fn row_budget(&self, i: usize) -> Option<usize> {
        (self.resources > 0 && i + 1 == self.resources).then_some(self.last_budget)
    }

    /// Number of subscriptions.
    pub fn subscription_count(&self) -> usize {
        self.subs
    }

    /// Number of resources that carry security rows.
    pub fn resource_count(&self) -> usize {
        self.resources
    }

    /// The resources of subscription `s`.
    pub fn resources_of(&self, s: usize) -> Range<usize> {
        let start = s * self.resources / self.subs;
        let end = (s + 1) * self.resources / self.subs;
        start..end
    }

    fn subscription_of(&self, i: usize) -> usize {
        // Inverse of `resources_of`: the largest s with s * resources / subs <= i.
        let mut s = (i * self.subs) / self.resources.max(1);
        while s + 1 < self.subs && self.resources_of(s + 1).start <= i {
            s += 1;
        }
        while self.resources_of(s).start > i {
            s -= 1;
        }
        s
    }

    /// The kind of resource `i`.
    pub fn kind(&self, i: usize) -> Kind {
        PATTERN[(i + self.pattern_offset) % PATTERN.len()]
    }

    /// Subscription `s`.
    pub fn subscription(&self, s: usize) -> Subscription {
        let mut rng = Rng::derive(self.seed, TAG_SUB, s as u64);
        let id = rng.guid();
        let workload = rng.pick(WORKLOADS);
        let env = ["Production", "Development", "Test", "Shared"][s % 4];
        Subscription {
            index: s,
            id,
            name: format!("{}-{workload}-{s:02}", env),
            rg_count: rng.range(3, 8) as usize,
        }
    }

    /// Resource group `r` of subscription `s`. Names are unique within a subscription and use
    /// the mixed casing seen in real tenants.
    pub fn resource_group(&self, s: usize, r: usize) -> ResourceGroup {
        let mut rng = Rng::derive(self.seed, TAG_RG, ((s as u64) << 16) | r as u64);
        let base = Rng::derive(self.seed, TAG_SUB, s as u64).next_u64() as usize;
        let workload = WORKLOADS[(base + r) % WORKLOADS.len()];
        let env = ENVIRONMENTS[(base / 7 + r) % ENVIRONMENTS.len()];
        let name = match rng.below(4) {
            0 => format!("rg-{workload}-{env}"),
            1 => format!("RG-{}-{}", workload.to_uppercase(), env.to_uppercase()),
            2 => format!("{}-{}-rg", capitalise(workload), capitalise(env)),
            _ => format!("{workload}-{env}-RG"),
        };
        let location = REGIONS[rng.weighted(&region_weights())].0;
        ResourceGroup {
            lower: name.to_lowercase(),
            name,
            location,
        }
    }

    /// Resource `i` with its subscription, group, name, region and id.
    pub fn resource(&self, i: usize) -> Resource {
        let kind = self.kind(i);
        let sub = self.subscription(self.subscription_of(i));
        let mut rng = Rng::derive(self.seed, TAG_RES, i as u64);
        let rg_index = rng.below(sub.rg_count);
        let rg = self.resource_group(sub.index, rg_index);
        let location = if rng.chance(0.8) {
            rg.location
        } else {
            REGIONS[rng.weighted(&region_weights())].0
        };
        let name = resource_name(
            kind,
            i,
            rng.pick::<&str>(WORKLOADS),
            rng.pick::<&str>(ENVIRONMENTS),
        );
        let id = format!(
            "/subscriptions/{}/resourceGroups/{}/providers/{}/{}",
            sub.id,
            rg.name,
            kind.arm_type().0,
            name
        );
        Resource {
            index: i,
            kind,
            sub,
            rg,
            name,
            location,
            id,
        }
    }
}

fn region_weights() -> [u32; 8] {
    let mut w = [0; 8];
    for (slot, (_, weight)) in w.iter_mut().zip(REGIONS) {
        *slot = *weight;
    }
    w
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A name that follows each service's naming rules and is unique by index.
fn resource_name(kind: Kind, i: usize, workload: &str, env: &str) -> String {
    let short: String = workload
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect();
    match kind {
        LinuxVm => format!("vm-{workload}-{env}-{i:04}"),
        WindowsVm => format!("VM-{}-W{i:04}", workload.to_uppercase()),
        DockerHost => format!("docker-{workload}-{i:04}"),
        ArcLinux => format!("lnx-{workload}-{i:04}.corp.contoso.com"),
        ArcWindows => format!("SRV-{}-{i:04}", workload.to_uppercase()),
        Vmss => format!("vmss-{workload}-{env}-{i:04}"),
        Aks => format!("aks-{workload}-{env}-{i:04}"),
        SqlServer => format!("sql-{workload}-{env}-{i:04}"),
        Storage => format!("st{short}{}{i:04}", &env[..1]),
        KeyVault => format!("kv-{short}-{env}-{i:04}"),
        Registry => format!("acr{short}{i:04}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_cover_every_resource_once() {
        let layout = Layout::new(&TenantConfig::new(5, 20_000));
        let mut next = 0;
        for s in 0..layout.subscription_count() {
            let range = layout.resources_of(s);
            assert_eq!(range.start, next);
            for i in range.clone() {
                assert_eq!(layout.subscription_of(i), s);
            }
            next = range.end;
        }
        assert_eq!(next, layout.resource_count());
    }

    #[test]
    fn resource_group_names_are_unique_in_a_subscription() {
        let layout = Layout::new(&TenantConfig::small(1));
        let sub = layout.subscription(0);
        let mut names: Vec<String> = (0..sub.rg_count)
            .map(|r| layout.resource_group(0, r).lower)
            .collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), sub.rg_count);
    }

    #[test]
    fn ids_keep_arm_casing() {
        let layout = Layout::new(&TenantConfig::small(1));
        let r = layout.resource(0);
        assert!(r.id.starts_with("/subscriptions/"));
        assert!(r.id.contains("/resourceGroups/") && r.id.contains("/providers/Microsoft."));
    }
}
