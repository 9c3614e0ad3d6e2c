//! String functions.

use super::{text, Naming, ScalarFunction};
use crate::scalar;
use crate::value::Value;

/// The string functions.
pub static FUNCTIONS: &[ScalarFunction] = &[
    scalar!("strlen", 1..=1, Long, Naming::Prefix("strlen"), |v, _| {
        Value::Long(text(&v[0]).chars().count() as i64)
    }),
    scalar!("tolower", 1..=1, String, Naming::Default, |v, _| {
        Value::string(text(&v[0]).to_lowercase())
    }),
    scalar!("toupper", 1..=1, String, Naming::Default, |v, _| {
        Value::string(text(&v[0]).to_uppercase())
    }),
    scalar!("strcat", 1..=64, String, Naming::Default, |v, _| {
        Value::string(v.iter().map(|a| text(a)).collect::<String>())
    }),
];

#[cfg(test)]
mod tests {
    use crate::functions::{registry, Context};
    use crate::value::Value;

    fn call(name: &str, args: &[Value]) -> Value {
        let f = registry::scalar(name).expect("function exists");
        (f.kernel)(args, &Context::new(0))
    }

    #[test]
    fn string_basics() {
        assert_eq!(call("strlen", &[Value::string("⒦⒰⒮⒯⒪")]), Value::Long(5));
        assert_eq!(call("tolower", &[Value::string("AbC")]), Value::string("abc"));
        assert_eq!(
            call("strcat", &[Value::string("a"), Value::Long(1), Value::Null]),
            Value::string("a1")
        );
    }
}
