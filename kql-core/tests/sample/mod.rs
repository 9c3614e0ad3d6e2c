//! The small sample table the operator and language tests share (the semantics reference's
//! worked examples use it), and a runner that puts it in front of a query.

use kql_core::Engine;
use serde_json::Value as Json;

/// `A`: three machines with a severity, a nullable score and dynamic properties.
pub const A: &str = r#"let A = datatable(name:string, sev:string, score:long, props:dynamic) [
    "vm1", "High", 5, dynamic({"status":{"code":"Unhealthy"},"tags":["a","b"]}),
    "vm2", "low", long(null), dynamic({"status":{"code":"Healthy"},"tags":[]}),
    "vm3", "Low", 3, dynamic({"status":{"code":"Unhealthy"}})
];
"#;

/// Runs `query` after the `let` of [`A`] and returns the result as JSON rows.
pub fn run(query: &str) -> Json {
    let text = format!("{A}{query}");
    let result = Engine::new()
        .query(&text)
        .unwrap_or_else(|e| panic!("{}", e.render(&text)));
    serde_json::from_str(&result.to_json()).unwrap_or_else(|e| panic!("{e}"))
}
