//! Helpers for the functions' unit tests: call a kernel by name, build values.

use crate::functions::{registry, Context};
use crate::value::Value;

/// Calls the kernel of the scalar function `name` on `args` (the clock at tick 0).
pub fn call(name: &str, args: &[Value]) -> Value {
    let f = registry::scalar(name).expect("function exists");
    (f.kernel)(args, &Context::new(0))
}

/// A string value.
pub fn s(x: &str) -> Value {
    Value::string(x)
}
