//! Static catalogues: recommendations, baseline rules, vulnerabilities, score controls,
//! pricing plans, compliance standards, regions and names.

pub mod assessments;
pub mod baseline;
pub mod findings;

pub use assessments::{AssessmentDef, Findings, ASSESSMENTS};

/// Bit sets of resource kinds a recommendation applies to (see `layout::Kind::bit`).
pub mod targets {
    /// Azure Linux VM without Docker.
    pub const LINUX_VM: u32 = 1;
    /// Azure Windows VM.
    pub const WINDOWS_VM: u32 = 1 << 1;
    /// Azure Linux VM running Docker (a container host).
    pub const DOCKER_HOST: u32 = 1 << 2;
    /// Arc-enabled Linux server.
    pub const ARC_LINUX: u32 = 1 << 3;
    /// Arc-enabled Windows server.
    pub const ARC_WINDOWS: u32 = 1 << 4;
    /// Virtual machine scale set.
    pub const VMSS: u32 = 1 << 5;
    /// AKS cluster.
    pub const AKS: u32 = 1 << 6;
    /// SQL server.
    pub const SQL_SERVER: u32 = 1 << 7;
    /// Storage account.
    pub const STORAGE: u32 = 1 << 8;
    /// Key vault.
    pub const KEY_VAULT: u32 = 1 << 9;
    /// Container registry.
    pub const REGISTRY: u32 = 1 << 10;
    /// The subscription itself.
    pub const SUBSCRIPTION: u32 = 1 << 11;
    /// Azure VMs of any OS.
    pub const AZURE_VMS: u32 = LINUX_VM | WINDOWS_VM | DOCKER_HOST;
    /// Linux machines, Azure or Arc.
    pub const LINUX_MACHINES: u32 = LINUX_VM | DOCKER_HOST | ARC_LINUX;
    /// Windows machines, Azure or Arc.
    pub const WINDOWS_MACHINES: u32 = WINDOWS_VM | ARC_WINDOWS;
    /// Every machine.
    pub const MACHINES: u32 = AZURE_VMS | ARC_LINUX | ARC_WINDOWS;
}

/// A secure score control: `(guid, display name, max score)`. The first five GUIDs are verified
/// (schema §2.4); the others are derived placeholders.
#[rustfmt::skip]
pub static SCORE_CONTROLS: &[(&str, &str, u32)] = &[
    ("34a42fb3-e6db-409c-b56b-7b1db6b8aee0", "Enable MFA", 10),
    ("1a3e7a5f-3b0c-4d57-9a0b-0ad5d7b1c2e1", "Secure management ports", 8),
    ("2a2d9c6e-6c07-4b27-8f7b-2f5a0e1c9d31", "Remediate vulnerabilities", 6),
    ("3c6f8a1e-8b8d-4d2b-9b5e-6f1c2d3e4a52", "Apply system updates", 6),
    ("4e0b2c7d-1f3a-4a9c-8d7e-5b6a7c8d9e63", "Enable encryption at rest", 4),
    ("5f1c3d8e-2a4b-4bad-9e8f-6c7b8d9e0f74", "Encrypt data in transit", 4),
    ("6a2d4e9f-3b5c-4cbe-af90-7d8c9e0f1a85", "Manage access and permissions", 4),
    ("7b3e5fa0-4c6d-4dcf-b0a1-8e9d0f1a2b96", "Remediate security configurations", 4),
    ("8c4f60b1-5d7e-4ed0-81b2-9fae1a2b3ca7", "Restrict unauthorized network access", 4),
    ("9d5071c2-6e8f-4fe1-92c3-a0bf2b3c4db8", "Apply adaptive application control", 3),
    ("ae6182d3-7f90-40f2-a3d4-b1c03c4d5ec9", "Enable endpoint protection", 2),
    ("4db8d6cf-075b-4149-a813-da09ca2ae120", "Enable enhanced security features", 0),
    ("76763537-9feb-42d3-b4f4-78c01117be80", "Implement security best practices", 0),
    ("27b24961-75ba-4fe4-8909-97286d5dd5ee", "Enable auditing and logging", 1),
    ("a9909064-42b4-4d34-8143-275477afe18b", "Protect applications against DDoS attacks", 2),
];

/// Defender plans: `(name, subPlan when Standard)`.
#[rustfmt::skip]
pub static PRICINGS: &[(&str, Option<&str>)] = &[
    ("VirtualMachines", Some("P2")),
    ("SqlServers", None),
    ("AppServices", None),
    ("StorageAccounts", Some("DefenderForStorageV2")),
    ("SqlServerVirtualMachines", None),
    ("KeyVaults", Some("PerKeyVault")),
    ("Dns", None),
    ("Arm", Some("PerSubscription")),
    ("OpenSourceRelationalDatabases", None),
    ("Containers", None),
    ("CloudPosture", None),
    ("KubernetesService", None),
    ("ContainerRegistry", None),
];

/// A compliance control: name, description, and the assessment keys it maps.
pub type ComplianceControl = (&'static str, &'static str, &'static [&'static str]);

const MFA_OWNER: &str = "6240402e-f77c-46fa-9060-a7ce53997754";
const MFA_WRITE: &str = "57e98606-6b1e-6193-0e3d-fe621387c16b";
const JIT: &str = "805651bc-6ecd-4c73-9b55-97a19d0582d0";
const NSG: &str = "483f12ed-ae23-447e-a2de-a67a10db4353";
const VULNS: &str = "1195afff-c881-495e-9bc5-1486211ae03f";
const UPDATES: &str = "4ab6e3c5-74dd-8b35-9ab9-f61b30875b27";
const SQL_AUDIT: &str = "94208a8b-16e8-4e5b-abbd-4e81c9d02bee";
const TDE: &str = "651967bf-044e-4bde-8376-3e08e0600105";
const SECURE_TRANSFER: &str = "1c5de8e1-f68d-6a17-e0d2-ec259c42768c";
const EDR: &str = "06e3a6db-6c0c-4ad9-943f-31d9d73ecf6c";
const KV_LOGS: &str = "88bbc99c-e5af-ddd7-6105-6150b2bfa519";
const OWNERS: &str = "2c79b4af-f830-b61e-92b9-63dfa30f16e4";

/// Regulatory compliance standards and their controls (a representative subset of each).
#[rustfmt::skip]
pub static STANDARDS: &[(&str, &[ComplianceControl])] = &[
    (
        "Microsoft-cloud-security-benchmark",
        &[
            ("NS.1", "Establish network segmentation boundaries", &[NSG]),
            (
                "NS.2",
                "Secure cloud native services with network controls",
                &[JIT],
            ),
            (
                "IM.6",
                "Use strong authentication controls",
                &[MFA_OWNER, MFA_WRITE],
            ),
            (
                "DP.3",
                "Encrypt sensitive data in transit",
                &[SECURE_TRANSFER],
            ),
            ("DP.4", "Enable data at rest encryption by default", &[TDE]),
            (
                "LT.3",
                "Enable logging for security investigation",
                &[SQL_AUDIT, KV_LOGS],
            ),
            (
                "PV.4",
                "Audit and enforce secure configurations for compute resources",
                &[assessments::LINUX_BASELINE, assessments::WINDOWS_BASELINE],
            ),
            ("PV.5", "Perform vulnerability assessments", &[VULNS]),
            (
                "PV.6",
                "Rapidly and automatically remediate vulnerabilities",
                &[UPDATES],
            ),
            ("ES.1", "Use Endpoint Detection and Response (EDR)", &[EDR]),
        ],
    ),
    (
        "PCI-DSS-3.2",
        &[
            (
                "1.3.2",
                "Limit inbound Internet traffic to IP addresses within the DMZ",
                &[NSG, JIT],
            ),
            (
                "2.2.4",
                "Configure system security parameters to prevent misuse",
                &[assessments::LINUX_BASELINE],
            ),
            (
                "6.2",
                "Ensure that all system components are protected from known vulnerabilities",
                &[VULNS, UPDATES],
            ),
            (
                "8.3.1",
                "Incorporate multi-factor authentication for all non-console access",
                &[MFA_OWNER],
            ),
            ("10.2.4", "Implement automated audit trails", &[SQL_AUDIT]),
        ],
    ),
    (
        "ISO-27001",
        &[
            (
                "A.9.2.3",
                "Management of privileged access rights",
                &[OWNERS, MFA_OWNER],
            ),
            (
                "A.10.1.1",
                "Policy on the use of cryptographic controls",
                &[TDE, SECURE_TRANSFER],
            ),
            ("A.12.4.1", "Event logging", &[KV_LOGS]),
            (
                "A.12.6.1",
                "Management of technical vulnerabilities",
                &[VULNS],
            ),
        ],
    ),
    (
        "AZURE-CIS",
        &[
            (
                "1.1",
                "Ensure that multi-factor authentication is enabled for all privileged users",
                &[MFA_OWNER, MFA_WRITE],
            ),
            (
                "4.1.1",
                "Ensure that 'Auditing' is set to 'On'",
                &[SQL_AUDIT],
            ),
            (
                "4.1.2",
                "Ensure that 'Data encryption' is set to 'On' on a SQL Database",
                &[TDE],
            ),
            (
                "7.4",
                "Ensure that only approved extensions are installed",
                &[EDR],
            ),
        ],
    ),
    (
        "SOC-TSP",
        &[
            (
                "CC6.1",
                "Logical access security software, infrastructure and architectures",
                &[MFA_OWNER],
            ),
            (
                "CC7.1",
                "Detection and monitoring of new vulnerabilities",
                &[VULNS, assessments::WINDOWS_BASELINE],
            ),
        ],
    ),
];

/// Azure regions and their relative weights.
#[rustfmt::skip]
pub static REGIONS: &[(&str, u32)] = &[
    ("eastus", 30),
    ("westeurope", 22),
    ("eastus2", 14),
    ("northeurope", 10),
    ("westus2", 9),
    ("uksouth", 6),
    ("southeastasia", 5),
    ("centralus", 4),
];

/// Workload names used for resource groups and resources.
#[rustfmt::skip]
pub static WORKLOADS: &[&str] = &[
    "payments",
    "checkout",
    "identity",
    "analytics",
    "web",
    "api",
    "data",
    "ml",
    "batch",
    "shared",
    "network",
    "monitoring",
    "crm",
    "erp",
    "reporting",
    "edge",
];

/// Environment names.
#[rustfmt::skip]
pub static ENVIRONMENTS: &[&str] = &["prod", "dev", "test", "staging"];

/// Team names for tags.
#[rustfmt::skip]
pub static TEAMS: &[&str] = &[
    "platform", "secops", "finance", "retail", "data-eng", "web-team",
];
