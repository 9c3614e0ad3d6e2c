//! Vulnerabilities, SQL assessment rules, updates, software and alert types.

/// A CVE: `(id, title, package, vendor, cvss 3 base score, linux?)`.
pub type Cve = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    f64,
    bool,
);

/// Publicly known CVEs (scores as published by NVD, from memory).
#[rustfmt::skip]
pub static CVES: &[Cve] = &[
    ("CVE-2021-44228", "Apache Log4j2 JNDI remote code execution (Log4Shell)", "log4j-core", "apache", 10.0, true),
    ("CVE-2021-45046", "Apache Log4j2 Thread Context lookup remote code execution", "log4j-core", "apache", 9.0, true),
    ("CVE-2024-3094", "Malicious code in xz-utils liblzma", "xz-utils", "tukaani", 10.0, true),
    ("CVE-2023-38545", "curl SOCKS5 heap buffer overflow", "curl", "haxx", 9.8, true),
    ("CVE-2022-1292", "OpenSSL c_rehash script command injection", "openssl", "openssl", 9.8, true),
    ("CVE-2022-2068", "OpenSSL c_rehash additional command injection", "openssl", "openssl", 9.8, true),
    ("CVE-2022-37434", "zlib inflateGetHeader heap buffer overflow", "zlib1g", "zlib", 9.8, true),
    ("CVE-2021-3711", "OpenSSL SM2 decryption buffer overflow", "openssl", "openssl", 9.8, true),
    ("CVE-2024-6387", "OpenSSH signal handler race condition (regreSSHion)", "openssh-server", "openbsd", 8.1, true),
    ("CVE-2023-4863", "libwebp heap buffer overflow", "libwebp7", "webmproject", 8.8, true),
    ("CVE-2021-3156", "sudo heap-based buffer overflow (Baron Samedit)", "sudo", "sudo_project", 7.8, true),
    ("CVE-2021-4034", "polkit pkexec local privilege escalation (PwnKit)", "policykit-1", "polkit_project", 7.8, true),
    ("CVE-2023-4911", "glibc ld.so GLIBC_TUNABLES buffer overflow", "libc6", "gnu", 7.8, true),
    ("CVE-2022-0778", "OpenSSL BN_mod_sqrt infinite loop", "openssl", "openssl", 7.5, true),
    ("CVE-2022-42969", "py library ReDoS via Subversion repository info", "py", "pytest", 7.5, true),
    ("CVE-2023-44487", "HTTP/2 rapid reset denial of service", "nghttp2", "ietf", 7.5, true),
    ("CVE-2023-5363", "OpenSSL key and IV length processing error", "openssl", "openssl", 7.5, true),
    ("CVE-2023-0286", "OpenSSL X.400 address type confusion", "openssl", "openssl", 7.4, true),
    ("CVE-2023-29491", "ncurses memory corruption via terminfo", "libncurses6", "gnu", 7.8, true),
    ("CVE-2023-2650", "OpenSSL OBJ_obj2txt excessive time", "openssl", "openssl", 6.5, true),
    ("CVE-2022-3602", "OpenSSL X.509 email address buffer overflow", "openssl", "openssl", 7.5, true),
    ("CVE-2020-1472", "Netlogon elevation of privilege (Zerologon)", "Windows Server", "microsoft", 10.0, false),
    ("CVE-2021-34527", "Windows Print Spooler remote code execution (PrintNightmare)", "Windows Server", "microsoft", 8.8, false),
    ("CVE-2022-30190", "Microsoft Support Diagnostic Tool remote code execution (Follina)", "Windows Server", "microsoft", 7.8, false),
    ("CVE-2022-26923", "Active Directory Certificate Services elevation of privilege", "Windows Server", "microsoft", 8.8, false),
    ("CVE-2023-23397", "Microsoft Outlook elevation of privilege", "Office", "microsoft", 9.8, false),
    ("CVE-2023-21716", "Microsoft Word remote code execution", "Office", "microsoft", 9.8, false),
    ("CVE-2023-36884", "Office and Windows HTML remote code execution", "Office", "microsoft", 8.8, false),
    ("CVE-2024-21413", "Microsoft Outlook remote code execution", "Office", "microsoft", 9.8, false),
    ("CVE-2022-22965", "Spring Framework data binding remote code execution (Spring4Shell)", "spring-beans", "vmware", 9.8, false),
];

/// The severity word for a CVSS 3 score, as Defender buckets it.
pub fn cvss_severity(score: f64) -> &'static str {
    if score >= 7.0 {
        "High"
    } else if score >= 4.0 {
        "Medium"
    } else {
        "Low"
    }
}

/// SQL vulnerability assessment rules: `(id, title, category, severity)`.
#[rustfmt::skip]
pub static SQL_RULES: &[(&str, &str, &str, &str)] = &[
    ("VA1018", "Latest updates should be installed", "Installation Updates", "High"),
    ("VA1020", "Database user GUEST should not be a member of any role", "Authentication And Authorization", "High"),
    ("VA1043", "Principal GUEST should not have access to any user database", "Authentication And Authorization", "Medium"),
    ("VA1054", "Excessive permissions should not be granted to PUBLIC role on objects or columns", "Authentication And Authorization", "Low"),
    ("VA1143", "'dbo' user should not be used for normal service operation", "Authentication And Authorization", "Medium"),
    ("VA1219", "Transparent data encryption should be enabled", "Data Protection", "Medium"),
    ("VA1223", "Certificate keys should use at least 2048 bits", "Data Protection", "High"),
    ("VA1246", "Application roles should not be used", "Authentication And Authorization", "Low"),
    ("VA1258", "Database owners are as expected", "Authentication And Authorization", "High"),
    ("VA1281", "All memberships for user-defined roles should be intended", "Authentication And Authorization", "Medium"),
    ("VA2062", "Database-level firewall rules should not grant excessive access", "Surface Area Reduction", "High"),
    ("VA2063", "Server-level firewall rules should not grant excessive access", "Surface Area Reduction", "High"),
    ("VA2065", "Server-level firewall rules should be tracked and maintained at a strict minimum", "Surface Area Reduction", "High"),
    ("VA2108", "Minimal set of principals should be members of fixed high impact database roles", "Authentication And Authorization", "High"),
    ("VA2109", "Minimal set of principals should be members of fixed low impact database roles", "Authentication And Authorization", "Low"),
    ("VA2129", "Changes to signed modules should be authorized", "Authentication And Authorization", "High"),
    ("VA2130", "Track all users with access to the database", "Authentication And Authorization", "Low"),
];

/// Container repositories in registries.
#[rustfmt::skip]
pub static REPOSITORIES: &[&str] = &[
    "web/frontend",
    "api/orders",
    "api/payments",
    "jobs/etl",
    "base/python",
    "base/node",
    "library/nginx",
    "library/redis",
    "tools/debug",
];

/// Base OS of container images: `(distribution, version)`.
#[rustfmt::skip]
pub static IMAGE_OS: &[(&str, &str)] = &[
    ("Ubuntu", "22.04"),
    ("Debian", "11"),
    ("Debian", "12"),
    ("Alpine", "3.18"),
    ("CBL-Mariner", "2.0"),
];

/// Missing updates: `(title, KB or package, windows?)`.
#[rustfmt::skip]
pub static UPDATES: &[(&str, &str, bool)] = &[
    ("2024-05 Cumulative Update for Windows Server 2019 for x64-based Systems", "KB5037765", true),
    ("2024-05 Cumulative Update for Microsoft server operating system version 21H2", "KB5037782", true),
    ("2024-04 Servicing Stack Update for Windows Server 2016", "KB5037016", true),
    ("Security Intelligence Update for Microsoft Defender Antivirus", "KB2267602", true),
    ("2024-05 Cumulative Update for .NET Framework 3.5, 4.8 and 4.8.1", "KB5037930", true),
    ("openssl", "3.0.2-0ubuntu1.15", false),
    ("libc6", "2.35-0ubuntu3.7", false),
    ("linux-image-azure", "6.5.0-1021.22~22.04.1", false),
    ("curl", "7.81.0-1ubuntu1.16", false),
    ("sudo", "1.9.9-1ubuntu2.4", false),
];

/// Installed software: `(vendor, name, version, windows?, end-of-support status)`.
#[rustfmt::skip]
pub static SOFTWARE: &[(&str, &str, &str, bool, &str)] = &[
    ("microsoft", "edge", "124.0.2478.80", true, "None"),
    ("microsoft", "sql_server_2014", "12.0.6024.0", true, "noLongerSupported"),
    ("microsoft", "dotnet_framework", "4.8.4644.0", true, "None"),
    ("microsoft", "powershell", "7.2.18", true, "upcomingVersionNoLongerSupported"),
    ("google", "chrome", "125.0.6422.60", true, "None"),
    ("7-zip", "7-zip", "19.00", true, "versionNoLongerSupported"),
    ("notepad-plus-plus", "notepad++", "8.6.4", true, "None"),
    ("oracle", "jre", "8.0.4010.10", true, "upcomingNoLongerSupported"),
    ("canonical", "ubuntu_linux", "22.04", false, "None"),
    ("openssl", "openssl", "3.0.2", false, "None"),
    ("python", "python", "3.8.10", false, "upcomingVersionNoLongerSupported"),
    ("nginx", "nginx", "1.18.0", false, "versionNoLongerSupported"),
    ("docker", "docker", "24.0.7", false, "None"),
    ("openbsd", "openssh", "8.9p1", false, "None"),
];

/// Alert types: `(alertType, display name, intent, severity, product component, machine?)`.
#[rustfmt::skip]
pub static ALERTS: &[(&str, &str, &str, &str, &str, bool)] = &[
    ("VM_SshBruteForceSuccess", "Successful SSH brute force attack", "InitialAccess", "High", "Servers", true),
    ("VM_SuspectDownload", "Detected suspicious file download", "Execution", "Medium", "Servers", true),
    ("VM_AmBroadFilesExclusion", "File extension exclusion in Antimalware configuration", "DefenseEvasion", "Medium", "Servers", true),
    ("VM_LinuxBackdoorArtifact", "Possible backdoor detected", "Persistence", "High", "Servers", true),
    ("VM_CryptoMinerArtifacts", "Possible crypto coin miner activity detected", "Execution", "High", "Servers", true),
    ("VM_SuspiciousPowerShellCommand", "Suspicious PowerShell command line", "Execution", "Low", "Servers", true),
    ("Storage.Blob_AnonymousAccessAnomaly", "Unusual unauthenticated access to a storage container", "Exfiltration", "Low", "Storage", false),
    ("SQL.DB_BruteForce", "A possible vulnerability to SQL Injection", "PreAttack", "High", "Databases", false),
    ("KV_SuspiciousIPAccess", "Access from a suspicious IP address to a key vault", "CredentialAccess", "Medium", "KeyVaults", false),
    ("VM_ThreatIntelSuspectLogon", "A logon from a malicious IP has been detected", "InitialAccess", "Informational", "Servers", true),
];

/// MITRE techniques per alert intent.
pub fn techniques(intent: &str) -> &'static [&'static str] {
    match intent {
        "InitialAccess" => &["T1078", "T1110"],
        "Execution" => &["T1059"],
        "DefenseEvasion" => &["T1562"],
        "Persistence" => &["T1505"],
        "Exfiltration" => &["T1567"],
        "CredentialAccess" => &["T1555"],
        _ => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogues_are_well_formed() {
        assert!(CVES.iter().all(|c| c.0.starts_with("CVE-") && c.4 <= 10.0));
        assert!(CVES.iter().any(|c| c.5) && CVES.iter().any(|c| !c.5));
        assert_eq!(cvss_severity(9.8), "High");
        assert_eq!(cvss_severity(6.5), "Medium");
        assert!(SQL_RULES.iter().all(|r| r.0.starts_with("VA")));
    }
}
