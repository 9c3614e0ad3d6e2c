//! What security rows a resource gets, decided before any row is built.
//!
//! A plan is a pure function of `(seed, resource index, kind)`, so the same plan can be
//! recomputed for counting rows, for subscription roll-ups, and for emitting rows.

use crate::catalog::baseline::{DOCKER_CHECKS, LINUX_RULES, WINDOWS_RULES};
use crate::catalog::findings::{CVES, REPOSITORIES, SOFTWARE, SQL_RULES, UPDATES};
use crate::catalog::{Findings, ASSESSMENTS};
use crate::layout::{Kind, Layout};
use crate::rng::Rng;

/// An assessment or finding status code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// `Healthy`
    Healthy,
    /// `Unhealthy`
    Unhealthy,
    /// `NotApplicable`
    NotApplicable,
}

impl Status {
    /// The `status.code` text.
    pub fn code(self) -> &'static str {
        match self {
            Status::Healthy => "Healthy",
            Status::Unhealthy => "Unhealthy",
            Status::NotApplicable => "NotApplicable",
        }
    }

    /// Index into `[healthy, unhealthy, not applicable]` counters.
    pub fn slot(self) -> usize {
        self as usize
    }
}

/// One finding: an item of the catalogue the parent's `Findings` names, and its status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FindingPlan {
    /// Index into the catalogue (for images: `cve * 16 + repository`).
    pub item: u16,
    /// Its status.
    pub status: Status,
}

/// One assessment of a resource.
#[derive(Debug, Clone, PartialEq)]
pub struct AssessmentPlan {
    /// Index into `ASSESSMENTS`.
    pub def: usize,
    /// Its status.
    pub status: Status,
    /// Its sub-assessments.
    pub findings: Vec<FindingPlan>,
    /// Whether a governance assignment tracks it.
    pub governance: bool,
}

/// Every security row of one resource.
#[derive(Debug, Clone, PartialEq)]
pub struct ResourcePlan {
    /// Assessments, in catalogue order.
    pub assessments: Vec<AssessmentPlan>,
    /// Software inventory entries (indexes into `SOFTWARE`).
    pub inventories: Vec<u16>,
    /// Number of alerts.
    pub alerts: usize,
}

impl ResourcePlan {
    /// Number of rows the plan produces.
    pub fn row_count(&self) -> usize {
        let assessments: usize = self
            .assessments
            .iter()
            .map(|a| 1 + a.findings.len() + usize::from(a.governance))
            .sum();
        assessments + self.inventories.len() + self.alerts
    }

    /// Keeps the first `budget` rows, in emission order (each assessment, its findings, its
    /// governance assignment; then inventories; then alerts).
    fn truncate(&mut self, mut budget: usize) {
        let mut kept = 0;
        for a in &mut self.assessments {
            if budget == 0 {
                break;
            }
            kept += 1;
            budget -= 1;
            a.findings.truncate(budget);
            budget -= a.findings.len();
            a.governance &= budget > 0;
            budget -= usize::from(a.governance);
        }
        self.assessments.truncate(kept);
        self.inventories.truncate(budget);
        budget -= self.inventories.len();
        self.alerts = self.alerts.min(budget);
    }
}

const TAG_PLAN: u64 = 10;

/// The plan of resource `i`.
pub fn plan_resource(layout: &Layout, i: usize, kind: Kind) -> ResourcePlan {
    let mut rng = Rng::derive(layout.seed, TAG_PLAN, i as u64);
    // Per-resource hygiene: some machines are much worse than others.
    let hygiene = 0.1 + 0.45 * rng.unit();
    let assessments = ASSESSMENTS
        .iter()
        .enumerate()
        .filter(|(_, d)| d.targets & kind.bit() != 0)
        .map(|(def, _)| plan_assessment(&mut rng, def, kind, hygiene))
        .collect();
    let inventories = if kind.is_machine() {
        plan_inventories(&mut rng, kind.is_windows())
    } else {
        Vec::new()
    };
    let alerts = plan_alerts(&mut rng, kind);
    let mut plan = ResourcePlan {
        assessments,
        inventories,
        alerts,
    };
    if let Some(budget) = layout.row_budget(i) {
        plan.truncate(budget);
    }
    plan
}

fn plan_assessment(rng: &mut Rng, def: usize, kind: Kind, hygiene: f64) -> AssessmentPlan {
    let d = &ASSESSMENTS[def];
    let docker_elsewhere = d.findings == Findings::Docker && kind != Kind::DockerHost;
    let roll = rng.below(100) as u8;
    let mut findings = Vec::new();
    let status = if docker_elsewhere || roll < d.not_applicable {
        Status::NotApplicable
    } else if d.findings == Findings::None {
        if roll < d.not_applicable + d.unhealthy {
            Status::Unhealthy
        } else {
            Status::Healthy
        }
    } else {
        findings = plan_findings(rng, d.findings, kind.is_windows(), hygiene);
        rollup(&findings)
    };
    let governance = status == Status::Unhealthy && rng.chance(0.12);
    AssessmentPlan {
        def,
        status,
        findings,
        governance,
    }
}

/// A parent is Unhealthy when any finding is, Healthy otherwise.
fn rollup(findings: &[FindingPlan]) -> Status {
    if findings.iter().any(|f| f.status == Status::Unhealthy) {
        Status::Unhealthy
    } else {
        Status::Healthy
    }
}

fn plan_findings(rng: &mut Rng, kind: Findings, windows: bool, hygiene: f64) -> Vec<FindingPlan> {
    match kind {
        Findings::None => Vec::new(),
        Findings::LinuxBaseline => rule_findings(rng, LINUX_RULES.len(), 0.75, hygiene),
        Findings::WindowsBaseline => rule_findings(rng, WINDOWS_RULES.len(), 0.75, hygiene),
        Findings::Docker => rule_findings(rng, DOCKER_CHECKS.len(), 0.85, hygiene),
        Findings::SqlVa => rule_findings(rng, SQL_RULES.len(), 0.6, hygiene),
        Findings::ServerVulns => {
            let pool = matching(CVES.iter().map(|c| c.5 != windows));
            vulnerability_findings(rng, &pool, 6)
        }
        Findings::SystemUpdates => {
            let pool = matching(UPDATES.iter().map(|u| u.2 == windows));
            vulnerability_findings(rng, &pool, 4)
        }
        Findings::ImagesQualys | Findings::ImagesMdvm => image_findings(rng),
    }
}

/// Evaluated rules: each rule is evaluated with probability `coverage`; its status leans
/// Unhealthy with the resource's `hygiene`.
fn rule_findings(rng: &mut Rng, rules: usize, coverage: f64, hygiene: f64) -> Vec<FindingPlan> {
    let mut out = Vec::with_capacity(rules);
    for item in 0..rules {
        if !rng.chance(coverage) {
            continue;
        }
        let roll = rng.unit();
        let status = if roll < 0.08 {
            Status::NotApplicable
        } else if roll < 0.08 + hygiene {
            Status::Unhealthy
        } else {
            Status::Healthy
        };
        out.push(FindingPlan {
            item: item as u16,
            status,
        });
    }
    out
}

fn matching(flags: impl Iterator<Item = bool>) -> Vec<u16> {
    flags
        .enumerate()
        .filter(|(_, keep)| *keep)
        .map(|(i, _)| i as u16)
        .collect()
}

/// Up to `max` distinct items of `pool`; a third of resources have none.
fn vulnerability_findings(rng: &mut Rng, pool: &[u16], max: usize) -> Vec<FindingPlan> {
    let count = if rng.chance(0.33) {
        0
    } else {
        rng.range(1, max as u64) as usize
    };
    pick_distinct(rng, pool, count)
        .into_iter()
        .map(|item| FindingPlan {
            item,
            status: if rng.chance(0.1) {
                Status::Healthy
            } else {
                Status::Unhealthy
            },
        })
        .collect()
}

/// Image findings: item = `cve * 16 + repository`, Linux CVEs only.
fn image_findings(rng: &mut Rng) -> Vec<FindingPlan> {
    let linux = matching(CVES.iter().map(|c| c.5));
    let count = rng.range(0, 8) as usize;
    let mut out: Vec<FindingPlan> = Vec::with_capacity(count);
    for cve in pick_distinct(rng, &linux, count) {
        let repo = rng.below(REPOSITORIES.len()) as u16;
        out.push(FindingPlan {
            item: cve * 16 + repo,
            status: Status::Unhealthy,
        });
    }
    out
}

fn plan_inventories(rng: &mut Rng, windows: bool) -> Vec<u16> {
    let pool = matching(SOFTWARE.iter().map(|s| s.3 == windows));
    let count = rng.range(2, 5) as usize;
    pick_distinct(rng, &pool, count)
}

fn plan_alerts(rng: &mut Rng, kind: Kind) -> usize {
    let exposed =
        kind.is_machine() || matches!(kind, Kind::Storage | Kind::SqlServer | Kind::KeyVault);
    if !exposed {
        return 0;
    }
    match rng.below(100) {
        0..=1 => 2,
        2..=7 => 1,
        _ => 0,
    }
}

/// `count` distinct elements of `pool` (all of them if it is smaller), in pool order.
fn pick_distinct(rng: &mut Rng, pool: &[u16], count: usize) -> Vec<u16> {
    let mut items = pool.to_vec();
    let count = count.min(items.len());
    for k in 0..count {
        let j = k + rng.below(items.len() - k);
        items.swap(k, j);
    }
    items.truncate(count);
    items.sort_unstable();
    items
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::TenantConfig;

    #[test]
    fn plans_are_pure_functions_of_the_index() {
        let layout = Layout::new(&TenantConfig::small(3));
        for i in 0..20 {
            let kind = layout.kind(i);
            assert_eq!(
                plan_resource(&layout, i, kind),
                plan_resource(&layout, i, kind)
            );
        }
    }

    #[test]
    fn parents_roll_up_their_findings() {
        let layout = Layout::new(&TenantConfig::small(4));
        for i in 0..40 {
            for a in plan_resource(&layout, i, layout.kind(i)).assessments {
                if !a.findings.is_empty() {
                    assert_eq!(a.status, rollup(&a.findings));
                }
            }
        }
    }

    #[test]
    fn distinct_picks_are_distinct() {
        let mut rng = Rng::new(1);
        let picked = pick_distinct(&mut rng, &[1, 2, 3, 4, 5], 3);
        assert_eq!(picked.len(), 3);
        assert!(picked.windows(2).all(|w| w[0] < w[1]));
    }
}
