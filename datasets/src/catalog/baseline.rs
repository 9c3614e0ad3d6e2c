//! OS-baseline rules (Linux and Windows guest configuration) and CIS Docker Benchmark checks.
//!
//! Rule ids follow the public catalogues' shapes (numeric ids for Linux, `AZ-WIN-*` / `CCE-*`
//! for Windows, `CIS-Docker-<n>` for Docker); names paraphrase common hardening rules.

/// One baseline rule.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    /// The rule id (`properties.id` of the sub-assessment).
    pub id: &'static str,
    /// The rule title.
    pub name: &'static str,
    /// The baseline section (`properties.category`).
    pub section: &'static str,
    /// Baseline severity: Critical, Important, Warning or Informational.
    pub severity: &'static str,
    /// The expected value.
    pub expected: &'static str,
    /// Registry, Policy, Audit or File.
    pub rule_type: &'static str,
}

const fn r(
    id: &'static str,
    name: &'static str,
    section: &'static str,
    severity: &'static str,
    expected: &'static str,
    rule_type: &'static str,
) -> Rule {
    Rule {
        id,
        name,
        section,
        severity,
        expected,
        rule_type,
    }
}

/// Maps a baseline severity to the sub-assessment `status.severity`.
pub fn status_severity(baseline_severity: &str) -> &'static str {
    match baseline_severity {
        "Critical" => "High",
        "Important" => "Medium",
        _ => "Low",
    }
}

const GEN: &str = "General security controls";
const FS: &str = "File system";
const NET: &str = "Network";
const SSH: &str = "SSH Server";
const LOG: &str = "Logging and auditing";
const ACC: &str = "Access, authentication and authorization";

/// Linux baseline rules.
#[rustfmt::skip]
pub static LINUX_RULES: &[Rule] = &[
    r("1.1.4", "Ensure nodev option set on /home partition", FS, "Warning", "nodev", "File"),
    r("1.1.6", "Ensure nodev option set on /var/tmp partition", FS, "Warning", "nodev", "File"),
    r("1.1.7", "Ensure nosuid option set on /var/tmp partition", FS, "Warning", "nosuid", "File"),
    r("1.1.21", "Ensure sticky bit is set on all world-writable directories", FS, "Important", "sticky", "File"),
    r("1.4.1", "Ensure permissions on bootloader config are configured", GEN, "Critical", "0400", "File"),
    r("1.5.1", "Ensure core dumps are restricted", GEN, "Warning", "hard core 0", "File"),
    r("1.5.3", "Ensure address space layout randomization (ASLR) is enabled", GEN, "Important", "2", "File"),
    r("2.2.1", "Ensure time synchronization is in use", GEN, "Informational", "chrony", "Audit"),
    r("2.2.3", "Ensure Avahi Server is not enabled", NET, "Warning", "disabled", "Audit"),
    r("2.2.7", "Ensure NFS and RPC are not enabled", NET, "Important", "disabled", "Audit"),
    r("2.3.4", "Ensure telnet client is not installed", NET, "Warning", "absent", "Audit"),
    r("3.1.1", "Ensure IP forwarding is disabled", NET, "Important", "0", "File"),
    r("3.1.2", "Ensure packet redirect sending is disabled", NET, "Important", "0", "File"),
    r("3.2.2", "Ensure ICMP redirects are not accepted", NET, "Important", "0", "File"),
    r("3.2.4", "Ensure suspicious packets are logged", NET, "Warning", "1", "File"),
    r("3.2.8", "Ensure TCP SYN Cookies is enabled", NET, "Important", "1", "File"),
    r("3.4.2", "Ensure /etc/hosts.allow is configured", NET, "Informational", "present", "File"),
    r("4.1.1.2", "Ensure auditd service is enabled", LOG, "Important", "enabled", "Audit"),
    r("4.2.1.1", "Ensure rsyslog Service is enabled", LOG, "Warning", "enabled", "Audit"),
    r("4.2.4", "Ensure permissions on all logfiles are configured", LOG, "Important", "0640", "File"),
    r("5.1.2", "Ensure permissions on /etc/crontab are configured", ACC, "Important", "0600", "File"),
    r("5.1.8", "Ensure at/cron is restricted to authorized users", ACC, "Warning", "restricted", "File"),
    r("5.2.2", "Ensure SSH Protocol is set to 2", SSH, "Critical", "2", "File"),
    r("5.2.4", "Ensure SSH X11 forwarding is disabled", SSH, "Warning", "no", "File"),
    r("5.2.5", "Ensure SSH MaxAuthTries is set to 4 or less", SSH, "Important", "4", "File"),
    r("5.2.6", "Ensure SSH IgnoreRhosts is enabled", SSH, "Important", "yes", "File"),
    r("5.2.8", "Ensure SSH root login is disabled", SSH, "Critical", "no", "File"),
    r("5.2.9", "Ensure SSH PermitEmptyPasswords is disabled", SSH, "Critical", "no", "File"),
    r("5.2.11", "Ensure only approved MAC algorithms are used", SSH, "Important", "hmac-sha2-512,hmac-sha2-256", "File"),
    r("5.2.12", "Ensure SSH Idle Timeout Interval is configured", SSH, "Warning", "300", "File"),
    r("5.2.16", "Ensure SSH warning banner is configured", SSH, "Informational", "/etc/issue.net", "File"),
    r("5.3.1", "Ensure password creation requirements are configured", ACC, "Important", "minlen=14", "File"),
    r("5.4.1.1", "Ensure password expiration is 365 days or less", ACC, "Important", "365", "File"),
    r("5.4.4", "Ensure default user umask is 027 or more restrictive", ACC, "Warning", "027", "File"),
    r("6.1.2", "Ensure permissions on /etc/passwd are configured", ACC, "Critical", "0644", "File"),
    r("6.1.3", "Ensure permissions on /etc/shadow are configured", ACC, "Critical", "0400", "File"),
    r("6.1.5", "Ensure permissions on /etc/group are configured", ACC, "Important", "0644", "File"),
    r("6.2.1", "Ensure password fields are not empty", ACC, "Critical", "none empty", "Audit"),
    r("6.2.5", "Ensure root is the only UID 0 account", ACC, "Critical", "root", "Audit"),
    r("6.2.9", "Ensure users own their home directories", ACC, "Warning", "owned", "Audit"),
    r("11.1", "/etc/shadow file permissions should be set to 0400", ACC, "Critical", "0400", "File"),
    r("11.2", "/etc/shadow- file permissions should be set to 0400", ACC, "Critical", "0400", "File"),
];

const SO: &str = "Security Options - Accounts";
const SOL: &str = "Security Options - Interactive Logon";
const SON: &str = "Security Options - Network Security";
const AP: &str = "System Audit Policies - Logon-Logoff";
const FW: &str = "Windows Firewall Properties";
const URA: &str = "User Rights Assignment";
const ADM: &str = "Administrative Templates - System";

/// Windows baseline rules.
#[rustfmt::skip]
pub static WINDOWS_RULES: &[Rule] = &[
    r("AZ-WIN-73312", "Account Lockout Duration", SO, "Important", ">= 15", "Policy"),
    r("AZ-WIN-73309", "Account lockout threshold", SO, "Important", "<= 10", "Policy"),
    r("CCE-37615-2", "Accounts: Limit local account use of blank passwords to console logon only", SO, "Critical", "1", "Registry"),
    r("CCE-37432-2", "Accounts: Guest account status", SO, "Critical", "Disabled", "Policy"),
    r("CCE-37166-6", "Interactive logon: Do not require CTRL+ALT+DEL", SOL, "Critical", "0", "Registry"),
    r("CCE-36056-0", "Interactive logon: Do not display last user name", SOL, "Critical", "1", "Registry"),
    r("AZ-WIN-71147", "Interactive logon: Machine inactivity limit", SOL, "Important", "<= 900", "Registry"),
    r("CCE-36173-3", "Network security: LAN Manager authentication level", SON, "Critical", "5", "Registry"),
    r("CCE-37035-3", "Network security: Minimum session security for NTLM SSP based clients", SON, "Critical", "537395200", "Registry"),
    r("CCE-36326-7", "Network security: Allow LocalSystem NULL session fallback", SON, "Important", "0", "Registry"),
    r("CCE-37623-6", "Network access: Do not allow anonymous enumeration of SAM accounts and shares", SON, "Critical", "1", "Registry"),
    r("CCE-37133-6", "Audit Account Lockout", AP, "Critical", "Failure", "Audit"),
    r("CCE-38237-4", "Audit Logoff", AP, "Critical", "Success", "Audit"),
    r("CCE-38036-0", "Audit Logon", AP, "Critical", "Success and Failure", "Audit"),
    r("CCE-36322-6", "Audit Special Logon", AP, "Critical", "Success", "Audit"),
    r("AZ-WIN-00088", "Windows Firewall: Domain: Allow unicast response", FW, "Warning", "0", "Registry"),
    r("CCE-36062-8", "Windows Firewall: Domain: Firewall state", FW, "Critical", "1", "Registry"),
    r("CCE-38239-0", "Windows Firewall: Private: Firewall state", FW, "Critical", "1", "Registry"),
    r("CCE-37862-0", "Windows Firewall: Public: Firewall state", FW, "Critical", "1", "Registry"),
    r("AZ-WIN-00089", "Windows Firewall: Private: Allow unicast response", FW, "Warning", "0", "Registry"),
    r("CCE-35818-4", "Access this computer from the network", URA, "Critical", "Administrators, Authenticated Users", "Policy"),
    r("CCE-37954-5", "Deny access to this computer from the network", URA, "Critical", "Guests", "Policy"),
    r("CCE-36867-0", "Deny log on through Remote Desktop Services", URA, "Critical", "Guests", "Policy"),
    r("CCE-37056-9", "Access Credential Manager as a trusted caller", URA, "Critical", "No One", "Policy"),
    r("CCE-36876-1", "Force shutdown from a remote system", URA, "Critical", "Administrators", "Policy"),
    r("CCE-37146-8", "Restore files and directories", URA, "Warning", "Administrators", "Policy"),
    r("CCE-37929-7", "Always prompt for password upon connection", ADM, "Critical", "1", "Registry"),
    r("CCE-37567-5", "Require secure RPC communication", ADM, "Critical", "1", "Registry"),
    r("CCE-36388-7", "Allow Basic authentication (WinRM Client)", ADM, "Critical", "0", "Registry"),
    r("CCE-36254-1", "Allow Basic authentication (WinRM Service)", ADM, "Critical", "0", "Registry"),
    r("AZ-WIN-00155", "System settings: Use Certificate Rules on Windows Executables for Software Restriction Policies", ADM, "Warning", "1", "Registry"),
    r("CCE-38002-2", "Turn off Autoplay", ADM, "Critical", "255", "Registry"),
    r("CCE-37912-3", "Turn off Microsoft consumer experiences", ADM, "Warning", "1", "Registry"),
    r("AZ-WIN-00169", "Ensure 'Configure SMB v1 client driver' is set to 'Disable driver'", ADM, "Critical", "4", "Registry"),
    r("AZ-WIN-00175", "Disable SMB v1 server", ADM, "Critical", "0", "Registry"),
    r("CCE-36977-7", "Enumerate administrator accounts on elevation", ADM, "Critical", "0", "Registry"),
    r("CCE-38180-6", "Do not allow passwords to be saved", ADM, "Critical", "1", "Registry"),
    r("CCE-36000-8", "Disallow WinRM from storing RunAs credentials", ADM, "Critical", "1", "Registry"),
];

/// CIS Docker Benchmark checks used under the container-host recommendation.
#[rustfmt::skip]
pub static DOCKER_CHECKS: &[Rule] = &[
    r("CIS-Docker-1.2.1", "Ensure a separate partition for containers has been created", "Host Configuration", "Important", "/var/lib/docker mounted", "Audit"),
    r("CIS-Docker-1.2.3", "Ensure auditing is configured for the Docker daemon", "Host Configuration", "Important", "-w /usr/bin/dockerd", "Audit"),
    r("CIS-Docker-2.1", "Ensure network traffic is restricted between containers on the default bridge", "Docker daemon configuration", "Important", "icc=false", "File"),
    r("CIS-Docker-2.2", "Ensure the logging level is set to 'info'", "Docker daemon configuration", "Warning", "info", "File"),
    r("CIS-Docker-2.3", "Ensure Docker is allowed to make changes to iptables", "Docker daemon configuration", "Warning", "true", "File"),
    r("CIS-Docker-2.4", "Ensure insecure registries are not used", "Docker daemon configuration", "Critical", "none", "File"),
    r("CIS-Docker-2.6", "Ensure TLS authentication for Docker daemon is configured", "Docker daemon configuration", "Critical", "tlsverify", "File"),
    r("CIS-Docker-2.8", "Enable user namespace support", "Docker daemon configuration", "Important", "userns-remap", "File"),
    r("CIS-Docker-2.11", "Ensure that authorization for Docker client commands is enabled", "Docker daemon configuration", "Important", "authorization-plugins", "File"),
    r("CIS-Docker-2.12", "Ensure centralized and remote logging is configured", "Docker daemon configuration", "Warning", "log-driver", "File"),
    r("CIS-Docker-2.14", "Ensure live restore is enabled", "Docker daemon configuration", "Informational", "true", "File"),
    r("CIS-Docker-2.15", "Ensure Userland Proxy is disabled", "Docker daemon configuration", "Warning", "false", "File"),
    r("CIS-Docker-2.18", "Ensure containers are restricted from acquiring new privileges", "Docker daemon configuration", "Important", "no-new-privileges", "File"),
    r("CIS-Docker-3.1", "Ensure that docker.service file ownership is set to root:root", "Docker daemon configuration files", "Important", "root:root", "File"),
    r("CIS-Docker-3.8", "Ensure that registry certificate file permissions are set to 444 or more restrictively", "Docker daemon configuration files", "Important", "0444", "File"),
    r("CIS-Docker-3.15", "Ensure that Docker socket file ownership is set to root:docker", "Docker daemon configuration files", "Critical", "root:docker", "File"),
    r("CIS-Docker-4.1", "Ensure that a user for the container has been created", "Container Images and Build File", "Important", "non-root USER", "Audit"),
    r("CIS-Docker-4.5", "Ensure Content trust for Docker is enabled", "Container Images and Build File", "Warning", "DOCKER_CONTENT_TRUST=1", "Audit"),
    r("CIS-Docker-4.6", "Ensure that HEALTHCHECK instructions have been added to container images", "Container Images and Build File", "Informational", "HEALTHCHECK", "Audit"),
    r("CIS-Docker-5.1", "Ensure that, if applicable, an AppArmor Profile is enabled", "Container Runtime", "Important", "AppArmorProfile", "Audit"),
    r("CIS-Docker-5.4", "Ensure that privileged containers are not used", "Container Runtime", "Critical", "Privileged=false", "Audit"),
    r("CIS-Docker-5.5", "Ensure sensitive host system directories are not mounted on containers", "Container Runtime", "Critical", "no host mounts", "Audit"),
    r("CIS-Docker-5.9", "Ensure that the host's network namespace is not shared", "Container Runtime", "Critical", "NetworkMode!=host", "Audit"),
    r("CIS-Docker-5.10", "Ensure that the memory usage for containers is limited", "Container Runtime", "Warning", "Memory>0", "Audit"),
    r("CIS-Docker-5.12", "Ensure that the container's root filesystem is mounted as read only", "Container Runtime", "Warning", "ReadonlyRootfs=true", "Audit"),
    r("CIS-Docker-5.31", "Ensure that the Docker socket is not mounted inside any containers", "Container Runtime", "Critical", "no docker.sock", "Audit"),
];

/// A stable GUID per rule: the sub-assessment name repeats across machines (schema §2.2).
pub fn rule_guid(catalogue_tag: u64, index: usize) -> String {
    crate::rng::stable_guid(0x5EED_BA5E_0000_0000, catalogue_tag, index as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_ids_are_unique_per_catalogue() {
        for rules in [LINUX_RULES, WINDOWS_RULES, DOCKER_CHECKS] {
            let mut ids: Vec<&str> = rules.iter().map(|r| r.id).collect();
            ids.sort_unstable();
            ids.dedup();
            assert_eq!(ids.len(), rules.len());
        }
    }

    #[test]
    fn rule_guids_are_stable() {
        assert_eq!(rule_guid(1, 3), rule_guid(1, 3));
        assert_ne!(rule_guid(1, 3), rule_guid(2, 3));
    }
}
