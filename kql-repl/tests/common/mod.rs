//! Helpers shared by the binary tests: run `kql`, and a scratch directory with small ARG-like
//! data files.
#![allow(dead_code)]

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

/// What a run of `kql` printed and returned.
pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// A `kql` command with `args`, history pointed away from the user's, colour off.
pub fn kql(args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kql"));
    cmd.args(args)
        .env("KQL_HISTORY", "")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null());
    cmd
}

/// Runs `kql` with `args` and no stdin.
pub fn run(args: &[&str]) -> Output {
    collect(kql(args).output().expect("run kql"))
}

/// Runs `kql` with `args`, writing `input` to its stdin.
pub fn run_with_stdin(args: &[&str], input: &str) -> Output {
    let mut child = kql(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn kql");
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(input.as_bytes()).expect("write stdin");
    }
    collect(child.wait_with_output().expect("wait for kql"))
}

fn collect(out: std::process::Output) -> Output {
    Output {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Three ARG-like security rows: vm1 (4 cores, Healthy), vm2 (8, Unhealthy), vm3 (no cores).
pub const SR: &str = r#"[
 {"id": "/subscriptions/s1/resourceGroups/rg1/providers/microsoft.compute/virtualmachines/vm1", "name": "vm1",
  "type": "microsoft.security/assessments", "location": "eastus", "subscriptionId": "s1", "cores": 4,
  "properties": {"status": {"code": "Healthy"}, "displayName": "Enable MFA"}},
 {"id": "/subscriptions/s1/resourceGroups/rg1/providers/microsoft.compute/virtualmachines/vm2", "name": "vm2",
  "type": "microsoft.security/assessments", "location": "westus", "subscriptionId": "s1", "cores": 8,
  "properties": {"status": {"code": "Unhealthy"}, "displayName": "Install endpoint protection"}},
 {"id": "/subscriptions/s2/resourceGroups/rg2/providers/microsoft.compute/virtualmachines/vm3", "name": "vm3",
  "type": "microsoft.security/assessments", "location": "eastus", "subscriptionId": "s2",
  "properties": {"status": {"code": "Unhealthy"}, "displayName": "Enable MFA"}}
]"#;

/// A scratch directory, removed when dropped.
pub struct Dir(PathBuf);

impl Dir {
    /// A new empty directory named after the test, holding `sr.json` (the [`SR`] rows).
    pub fn new(name: &str) -> Dir {
        let path =
            std::env::temp_dir().join(format!("kql-repl-test-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("create the scratch directory");
        let dir = Dir(path);
        dir.write("sr.json", SR);
        dir
    }

    /// The path of `file` in the directory.
    pub fn path(&self, file: &str) -> String {
        self.0.join(file).display().to_string()
    }

    /// Writes `file`; returns its path.
    pub fn write(&self, file: &str, text: &str) -> String {
        let path = self.path(file);
        std::fs::write(&path, text).expect("write a scratch file");
        path
    }

    /// `sr=<path of sr.json>`, for `--load`.
    pub fn sr(&self) -> String {
        format!("sr={}", self.path("sr.json"))
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
