//! Five ARG-style ids shared by the late-materialization and parse-chain tests, and the runner
//! that checks a query over them. Row by row: an assessment key `k1`; the same key cased `K1` (in
//! a lower-case provider segment); `k2`; no assessment at all; `k3` under `subAssessments`.

use kql_core::Engine;
use serde_json::Value as Json;

/// The ids as a `datatable`, all distinct (so rows are matched one by one).
pub const IDS: &str = r#"datatable(id:string) [
    "/s/1/providers/Microsoft.Security/assessments/k1/subassessments/r1",
    "/s/2/providers/microsoft.security/assessments/K1/subassessments/r2",
    "/s/3/providers/Microsoft.Security/assessments/k2/subassessments/r3",
    "/s/4/providers/Microsoft.Compute/virtualMachines/vm",
    "/s/5/providers/Microsoft.Security/assessments/k3/subAssessments/r5"
]
"#;

/// Checks that `query`, run over [`IDS`], returns `expected` (as JSON rows).
pub fn gives(query: &str, expected: Json) {
    let text = format!("{IDS}{query}");
    let result = Engine::new()
        .query(&text)
        .unwrap_or_else(|e| panic!("{}", e.render(&text)));
    let got: Json = serde_json::from_str(&result.to_json()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(got, expected, "query: {query}");
}
