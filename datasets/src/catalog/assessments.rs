//! The Defender for Cloud recommendations (assessment keys) the tenant uses.
//!
//! Keys marked V below are verified in securityresources-schema.md §5; K means the key was seen
//! there but the name is from memory; M means key and name are from memory (placeholders).

use super::targets::*;

/// Which sub-assessments (findings) hang under a recommendation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Findings {
    /// No sub-assessments.
    None,
    /// Linux OS-baseline rules (guest configuration).
    LinuxBaseline,
    /// Windows OS-baseline rules (guest configuration).
    WindowsBaseline,
    /// CIS Docker Benchmark checks.
    Docker,
    /// Server vulnerabilities (Qualys or MDVM).
    ServerVulns,
    /// Legacy missing system updates.
    SystemUpdates,
    /// SQL vulnerability assessment rules.
    SqlVa,
    /// Registry image vulnerabilities (Qualys).
    ImagesQualys,
    /// Registry image vulnerabilities (MDVM).
    ImagesMdvm,
}

/// One recommendation.
#[derive(Debug, Clone, Copy)]
pub struct AssessmentDef {
    /// The assessment key (GUID), the `name` of every assessment row for it.
    pub key: &'static str,
    /// `properties.displayName`
    pub name: &'static str,
    /// `High` | `Medium` | `Low`
    pub severity: &'static str,
    /// `metadata.categories[0]`
    pub category: &'static str,
    /// Resource kinds it applies to (bit set, see `targets`).
    pub targets: u32,
    /// Percent of applicable resources that are Unhealthy (for keys without findings).
    pub unhealthy: u8,
    /// Percent that are NotApplicable.
    pub not_applicable: u8,
    /// Its sub-assessments.
    pub findings: Findings,
    /// Index into `SCORE_CONTROLS`.
    pub control: usize,
}

#[allow(clippy::too_many_arguments)]
const fn a(
    key: &'static str,
    name: &'static str,
    severity: &'static str,
    category: &'static str,
    targets: u32,
    mix: (u8, u8),
    findings: Findings,
    control: usize,
) -> AssessmentDef {
    AssessmentDef {
        key,
        name,
        severity,
        category,
        targets,
        unhealthy: mix.0,
        not_applicable: mix.1,
        findings,
        control,
    }
}

use Findings as F;

/// Key of the Linux OS-baseline recommendation.
pub const LINUX_BASELINE: &str = "1f655fb7-63ca-4980-91a3-56dbc2b715c6";
/// Key of the Windows OS-baseline recommendation.
pub const WINDOWS_BASELINE: &str = "8c3d9ad0-3639-4686-9cd2-2b2ab2609bda";

/// The catalogue: 52 recommendations.
#[rustfmt::skip]
pub static ASSESSMENTS: &[AssessmentDef] = &[
    // V
    a(LINUX_BASELINE, "Vulnerabilities in security configuration on your Linux machines should be remediated (powered by Guest Configuration)", "Low", "Compute", LINUX_MACHINES, (0, 4), F::LinuxBaseline, 7),
    a(WINDOWS_BASELINE, "Vulnerabilities in security configuration on your Windows machines should be remediated (powered by Guest Configuration)", "Low", "Compute", WINDOWS_MACHINES, (0, 4), F::WindowsBaseline, 7),
    a("0677209d-e675-2c6f-e91a-54cef2878663", "Container hosts should be configured securely", "High", "Compute", LINUX_VM | DOCKER_HOST, (0, 0), F::Docker, 7),
    a("6c99f570-2ce7-46bc-8175-cde013df43bc", "Guest Configuration extension should be installed on machines", "Medium", "Compute", AZURE_VMS, (25, 3), F::None, 7),
    a("69133b6b-695a-43eb-a763-221e19556755", "Virtual machines' Guest Configuration extension should be deployed with system-assigned managed identity", "Medium", "Compute", AZURE_VMS, (20, 5), F::None, 7),
    a("22489c48-27d1-4e40-9420-4303ad9cffef", "Windows Defender Exploit Guard should be enabled on machines", "Medium", "Compute", WINDOWS_MACHINES, (40, 10), F::None, 12),
    a("22441184-2f7b-d4a0-e00b-4c5eaef4afc9", "Authentication to Linux machines should require SSH keys", "Medium", "Compute", LINUX_VM | DOCKER_HOST, (30, 0), F::None, 6),
    a("dc5357d0-3858-4d17-a1a3-072840bff5be", "EDR configuration issues should be resolved on virtual machines", "Low", "Compute", AZURE_VMS, (15, 10), F::None, 10),
    a("06e3a6db-6c0c-4ad9-943f-31d9d73ecf6c", "EDR solution should be installed on Virtual Machines", "High", "Compute", AZURE_VMS, (20, 5), F::None, 10),
    a("21300918-b2e3-0346-785f-c77ff57d243b", "Endpoint protection should be installed on virtual machine scale sets", "High", "Compute", VMSS, (35, 5), F::None, 10),
    a("83f577bd-a1b6-b7e1-0891-12ca19d1e6df", "Install endpoint protection solution on virtual machines", "High", "Compute", MACHINES, (25, 5), F::None, 10),
    a("d1db3318-01ff-16de-29eb-28b344515626", "Log Analytics agent should be installed on virtual machines", "High", "Compute", AZURE_VMS, (30, 0), F::None, 12),
    a("a40cc620-e72c-fdf4-c554-c6ca2cd705c0", "Linux virtual machines should enable Azure Disk Encryption or EncryptionAtHost", "High", "Compute", LINUX_VM | DOCKER_HOST, (55, 0), F::None, 4),
    a("0cb5f317-a94b-6b80-7212-13a9cc8826af", "Windows virtual machines should enable Azure Disk Encryption or EncryptionAtHost", "High", "Compute", WINDOWS_VM, (50, 0), F::None, 4),
    a("f2f595ec-5dc6-68b4-82ef-b63563e9c610", "Azure Backup should be enabled for virtual machines", "Low", "Compute", AZURE_VMS, (45, 5), F::None, 12),
    a("9b7d740f-c271-4bfd-88fb-515680c33440", "File integrity monitoring should be enabled on machines", "High", "Compute", MACHINES, (60, 5), F::None, 12),
    a("35f45c95-27cf-4e52-891f-8390d1de5828", "Adaptive application controls for defining safe applications should be enabled on your machines", "High", "Compute", MACHINES, (50, 20), F::None, 9),
    a("8941d121-f740-35f6-952c-6561d2b38d36", "Virtual machine scale sets should be configured securely", "High", "Compute", VMSS, (40, 0), F::None, 7),
    a("151e82c5-5341-a74b-1eb0-bc38d2c84bb5", "Enable MFA for Azure Management App accounts with read permissions on your subscription", "Low", "IdentityAndAccess", SUBSCRIPTION, (50, 0), F::None, 0),
    // K
    a("1195afff-c881-495e-9bc5-1486211ae03f", "Machines should have vulnerability findings resolved", "High", "Compute", MACHINES, (0, 3), F::ServerVulns, 2),
    a("4ab6e3c5-74dd-8b35-9ab9-f61b30875b27", "System updates should be installed on your machines", "High", "Compute", MACHINES, (0, 5), F::SystemUpdates, 3),
    a("82e20e14-edc5-4373-bfc4-f13121257c37", "SQL databases should have vulnerability findings resolved", "High", "Data", SQL_SERVER, (0, 0), F::SqlVa, 2),
    a("dbd0cb49-b563-45e7-9724-889e799fa648", "Container registry images should have vulnerability findings resolved", "High", "Container", REGISTRY, (0, 0), F::ImagesQualys, 2),
    a("c0b7cfc6-3172-465a-b378-53c7ff2cc0d5", "Azure registry container images should have vulnerabilities resolved (powered by Microsoft Defender Vulnerability Management)", "High", "Container", REGISTRY, (0, 0), F::ImagesMdvm, 2),
    // M
    a("e1145ab1-eb4f-43d8-911b-36ddf771d13f", "System updates should be installed on your machines (powered by Azure Update Manager)", "High", "Compute", MACHINES, (35, 5), F::None, 3),
    a("90386950-71ca-4357-a12e-486d1679427c", "Machines should be configured to periodically check for missing system updates", "Low", "Compute", MACHINES, (40, 5), F::None, 3),
    a("805651bc-6ecd-4c73-9b55-97a19d0582d0", "Management ports of virtual machines should be protected with just-in-time network access control", "High", "Networking", AZURE_VMS, (45, 10), F::None, 1),
    a("bc303248-3d14-44c2-96a0-55f5c326b5fe", "Management ports should be closed on your virtual machines", "Medium", "Networking", AZURE_VMS, (30, 10), F::None, 1),
    a("483f12ed-ae23-447e-a2de-a67a10db4353", "Internet-facing virtual machines should be protected with network security groups", "High", "Networking", AZURE_VMS, (15, 40), F::None, 8),
    a("f9f0eed0-f143-47bf-b856-671ea2eeed62", "Adaptive network hardening recommendations should be applied on internet facing virtual machines", "High", "Networking", AZURE_VMS, (20, 40), F::None, 8),
    a("69ad830b-d98c-b1cf-2158-9d69d38c7093", "Secure Boot should be enabled on supported Windows virtual machines", "Low", "Compute", WINDOWS_VM, (35, 25), F::None, 12),
    a("d57a4221-a804-52ca-3dea-768284f06bb7", "Virtual machines should encrypt temp disks, caches, and data flows between Compute and Storage resources", "High", "Compute", AZURE_VMS, (55, 0), F::None, 4),
    a("720a3e77-0b9a-4fa9-98b6-ddf0fd7e32c1", "Log Analytics agent should be installed on Windows-based Azure Arc-enabled machines", "High", "Compute", ARC_WINDOWS, (30, 0), F::None, 12),
    a("27ac71b1-75c5-41c2-adc2-858f5db45b08", "Log Analytics agent should be installed on Linux-based Azure Arc-enabled machines", "High", "Compute", ARC_LINUX, (30, 0), F::None, 12),
    a("1c5de8e1-f68d-6a17-e0d2-ec259c42768c", "Secure transfer to storage accounts should be enabled", "High", "Data", STORAGE, (10, 0), F::None, 5),
    a("ad4f3ff1-30eb-5042-16ed-27198f640b8d", "Storage accounts should restrict network access using virtual network rules", "Low", "Networking", STORAGE, (55, 0), F::None, 8),
    a("51fd8bb1-0db4-bbf1-7e2b-cfcba7eb66a6", "Storage account public access should be disallowed", "Medium", "Data", STORAGE, (25, 0), F::None, 6),
    a("400a6682-992c-4726-9549-629fbc3b988f", "Azure Defender for SQL should be enabled for unprotected Azure SQL servers", "High", "Data", SQL_SERVER, (30, 0), F::None, 11),
    a("f0553104-cfdb-65e6-759c-002812e38500", "SQL servers should have an Azure Active Directory administrator provisioned", "High", "Data", SQL_SERVER, (35, 0), F::None, 6),
    a("94208a8b-16e8-4e5b-abbd-4e81c9d02bee", "Auditing on SQL server should be enabled", "Low", "Data", SQL_SERVER, (40, 0), F::None, 13),
    a("651967bf-044e-4bde-8376-3e08e0600105", "Transparent Data Encryption on SQL databases should be enabled", "Low", "Data", SQL_SERVER, (10, 0), F::None, 4),
    a("88bbc99c-e5af-ddd7-6105-6150b2bfa519", "Diagnostic logs in Key Vault should be enabled", "Low", "Data", KEY_VAULT, (50, 0), F::None, 13),
    a("78211c00-15a9-336e-17e4-0b3e6b3a2b0c", "Key vaults should have deletion protection enabled", "Medium", "Data", KEY_VAULT, (35, 0), F::None, 12),
    a("14257785-9437-97fa-11ae-898cfb24302b", "Key Vault secrets should have an expiration date", "Low", "Data", KEY_VAULT, (60, 5), F::None, 12),
    a("1aabfa0d-7585-f9f5-1d92-ecb40291d9f2", "Key Vault keys should have an expiration date", "Low", "Data", KEY_VAULT, (55, 10), F::None, 12),
    a("9b828565-a0ed-61c2-6bf3-1afc99a9b2ca", "Container registries should not allow unrestricted network access", "Medium", "Networking", REGISTRY, (45, 0), F::None, 8),
    a("08e628db-e2ed-4793-bc91-d13e684401c3", "Azure Policy add-on for Kubernetes should be installed and enabled on your clusters", "High", "Container", AKS, (25, 0), F::None, 7),
    a("b0fdc63a-38e7-4bab-a7c4-2c2665abbaa9", "Role-Based Access Control should be used on Kubernetes Services", "High", "Container", AKS, (15, 0), F::None, 6),
    a("1a2b5b4c-f80d-46e7-ac81-b51a9fb363de", "Authorized IP ranges should be defined on Kubernetes Services", "High", "Networking", AKS, (50, 0), F::None, 8),
    a("6240402e-f77c-46fa-9060-a7ce53997754", "Accounts with owner permissions on Azure resources should be MFA enabled", "High", "IdentityAndAccess", SUBSCRIPTION, (40, 0), F::None, 0),
    a("57e98606-6b1e-6193-0e3d-fe621387c16b", "Accounts with write permissions on Azure resources should be MFA enabled", "High", "IdentityAndAccess", SUBSCRIPTION, (50, 0), F::None, 0),
    a("2c79b4af-f830-b61e-92b9-63dfa30f16e4", "There should be more than one owner assigned to subscriptions", "High", "IdentityAndAccess", SUBSCRIPTION, (20, 0), F::None, 6),
    a("c3b6ae71-f1f0-31b4-e6c1-d5951285d03d", "Guest accounts with owner permissions on Azure resources should be removed", "High", "IdentityAndAccess", SUBSCRIPTION, (30, 0), F::None, 6),
];

/// The index of an assessment key in [`ASSESSMENTS`].
pub fn index_of(key: &str) -> Option<usize> {
    ASSESSMENTS.iter().position(|d| d.key == key)
}

/// Threats listed in `metadata.threats`, chosen by category.
pub fn threats(category: &str) -> &'static [&'static str] {
    match category {
        "IdentityAndAccess" => &["AccountBreach", "ElevationOfPrivilege"],
        "Data" => &["DataExfiltration", "DataSpillage", "MaliciousInsider"],
        "Networking" => &["ThreatResistance", "DenialOfService"],
        "Container" => &["ThreatResistance", "DataExfiltration"],
        _ => &["ThreatResistance", "MissingCoverage"],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique_guids() {
        assert!(ASSESSMENTS.len() >= 50);
        for (i, d) in ASSESSMENTS.iter().enumerate() {
            assert_eq!(d.key.len(), 36, "{}", d.key);
            assert_eq!(index_of(d.key), Some(i), "duplicate {}", d.key);
            assert!(["High", "Medium", "Low"].contains(&d.severity));
            assert!(d.control < super::super::SCORE_CONTROLS.len());
            assert!(d.unhealthy + d.not_applicable <= 100);
        }
    }
}
