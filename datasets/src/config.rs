//! What to generate: the tenant configuration and the table names.

/// Configuration of a generated tenant. The number of security rows drives everything else:
/// the generator adds machines and other resources until the `securityresources` table holds
/// exactly `security_rows` rows, and `resources` / `resourcecontainers` hold what those rows
/// refer to.
///
/// ```
/// use kql_datasets::TenantConfig;
/// let config = TenantConfig { seed: 7, security_rows: 1_000, ..TenantConfig::default() };
/// assert_eq!(config.subscription_count(), 1);
/// assert_eq!(TenantConfig::default().security_rows, 20_000);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenantConfig {
    /// Seed of every random choice: the same seed gives the same bytes.
    pub seed: u64,
    /// Exact number of rows of the `securityresources` table.
    pub security_rows: usize,
    /// Number of subscriptions; `None` derives it from `security_rows`
    /// (`ceil(sqrt(security_rows / 1000))`, at least 1).
    pub subscriptions: Option<usize>,
    /// The tenant's "now", in Unix seconds: every timestamp lies before it.
    pub now: i64,
}

/// 2024-06-01T00:00:00Z, the default "now".
pub const DEFAULT_NOW: i64 = 1_717_200_000;

impl Default for TenantConfig {
    fn default() -> Self {
        TenantConfig {
            seed: 42,
            security_rows: 20_000,
            subscriptions: None,
            now: DEFAULT_NOW,
        }
    }
}

impl TenantConfig {
    /// A configuration with the given seed and number of security rows, other fields default.
    ///
    /// ```
    /// let c = kql_datasets::TenantConfig::new(1, 500);
    /// assert_eq!((c.seed, c.security_rows), (1, 500));
    /// ```
    pub fn new(seed: u64, security_rows: usize) -> Self {
        TenantConfig {
            seed,
            security_rows,
            ..TenantConfig::default()
        }
    }

    /// A small tenant (600 security rows): quick to build in tests and examples.
    ///
    /// ```
    /// assert_eq!(kql_datasets::TenantConfig::small(3).security_rows, 600);
    /// ```
    pub fn small(seed: u64) -> Self {
        TenantConfig::new(seed, 600)
    }

    /// The number of subscriptions this configuration produces.
    ///
    /// ```
    /// use kql_datasets::TenantConfig;
    /// assert_eq!(TenantConfig::new(1, 20_000).subscription_count(), 5);
    /// assert_eq!(TenantConfig::new(1, 1_000_000).subscription_count(), 32);
    /// ```
    pub fn subscription_count(&self) -> usize {
        self.subscriptions
            .unwrap_or_else(|| {
                let thousands = self.security_rows as f64 / 1000.0;
                thousands.sqrt().ceil() as usize
            })
            .max(1)
    }
}

/// The ARG tables the generator fills.
///
/// ```
/// use kql_datasets::TableKind;
/// assert_eq!(TableKind::SecurityResources.name(), "securityresources");
/// assert_eq!(TableKind::from_name("Resources"), Some(TableKind::Resources));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TableKind {
    /// `securityresources`: Defender for Cloud rows.
    SecurityResources,
    /// `resources`: the machines and other resources the security rows describe.
    Resources,
    /// `resourcecontainers`: subscriptions and resource groups.
    ResourceContainers,
}

impl TableKind {
    /// Every table, in the order the demo tenant lists them.
    pub const ALL: [TableKind; 3] = [
        TableKind::SecurityResources,
        TableKind::Resources,
        TableKind::ResourceContainers,
    ];

    /// The table name as ARG spells it, lower case.
    pub fn name(self) -> &'static str {
        match self {
            TableKind::SecurityResources => "securityresources",
            TableKind::Resources => "resources",
            TableKind::ResourceContainers => "resourcecontainers",
        }
    }

    /// The table with this name, compared case-insensitively (ARG table names are).
    pub fn from_name(name: &str) -> Option<TableKind> {
        TableKind::ALL
            .into_iter()
            .find(|t| t.name().eq_ignore_ascii_case(name))
    }
}

/// Parses a table name, case-insensitively.
///
/// ```
/// let t: kql_datasets::TableKind = "SecurityResources".parse().unwrap();
/// assert_eq!(t.name(), "securityresources");
/// assert!("nosuch".parse::<kql_datasets::TableKind>().is_err());
/// ```
impl std::str::FromStr for TableKind {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        TableKind::from_name(s).ok_or_else(|| {
            format!(
                "unknown table `{s}` (expected securityresources, resources or resourcecontainers)"
            )
        })
    }
}

impl std::fmt::Display for TableKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}
