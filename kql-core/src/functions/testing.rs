//! Helpers for the functions' unit tests: call a kernel by name, build values.

use crate::functions::{registry, Context};
use crate::value::Value;

/// Calls the kernel of the scalar function `name` on `args` (the clock at tick 0). An unknown
/// name gives `Value::Dynamic("no function …")`, which no assertion expects.
pub fn call(name: &str, args: &[Value]) -> Value {
    match registry::scalar(name) {
        Some(f) => (f.kernel)(args, &Context::new(0)),
        None => Value::dynamic(serde_json::json!(format!("no function {name}"))),
    }
}

/// A string value.
pub fn s(x: &str) -> Value {
    Value::string(x)
}
