//! Property-bag functions: `bag_keys`, `bag_pack`/`pack`, `bag_merge`, `bag_remove_keys`,
//! `bag_has_key`, `bag_set_key`, and `extract_json`/`extractjson`. Keys may be JSONPath
//! expressions (`$.a.b`, `$['a'][0]`) where the documentation allows them.

use super::args::{array, array_value, bag};
use super::conversion::{convert, json_to_string, value_to_json};
use super::{text, Naming, ScalarFunction};
use crate::scalar;
use crate::types::DataType;
use crate::value::{Json, Value};

/// The property-bag functions.
pub static FUNCTIONS: &[ScalarFunction] = &[
    scalar!("bag_keys", 1..=1, Dynamic, Naming::Default, |v, _| {
        bag(&v[0]).map_or(Value::Null, |b| {
            array_value(b.keys().cloned().map(Json::String).collect())
        })
    }),
    scalar!("bag_pack", 0..=1_000_000, => |a: &[DataType]| pack_type("bag_pack", a), Naming::Default, |v, _| pack(v)),
    scalar!("pack", 0..=1_000_000, => |a: &[DataType]| pack_type("pack", a), Naming::Default, |v, _| pack(v)),
    scalar!("pack_dictionary", 0..=1_000_000, => |a: &[DataType]| pack_type("pack_dictionary", a), Naming::Default, |v, _| pack(v)),
    scalar!("bag_merge", 2..=64, Dynamic, Naming::Default, |v, _| {
        // Documented: the leftmost bag wins for a repeated key. Non-bag arguments are skipped.
        let mut out = serde_json::Map::new();
        for b in v.iter().filter_map(bag) {
            for (k, x) in b {
                if !out.contains_key(k) {
                    out.insert(k.clone(), x.clone());
                }
            }
        }
        Value::dynamic(Json::Object(out))
    }),
    scalar!(
        "bag_remove_keys",
        2..=2,
        Dynamic,
        Naming::Default,
        |v, _| {
            let Some(b) = bag(&v[0]) else {
                return Value::Null;
            };
            let mut out = Json::Object(b.clone());
            for key in array(&v[1]).map_or(&[][..], |a| a.as_slice()) {
                if let Some(path) = key_path(&json_to_string(key)) {
                    remove_path(&mut out, &path);
                }
            }
            Value::dynamic(out)
        }
    ),
    scalar!("bag_has_key", 2..=2, Bool, Naming::Default, |v, _| {
        let Value::Dynamic(j) = &v[0] else {
            return Value::Null;
        };
        if !j.is_object() {
            return Value::Null;
        }
        let found = key_path(&text(&v[1])).and_then(|p| lookup(j, &p)).is_some();
        Value::Bool(found)
    }),
    scalar!("bag_set_key", 3..=3, Dynamic, Naming::Default, |v, _| {
        let Some(b) = bag(&v[0]) else {
            return Value::Null;
        };
        let mut out = Json::Object(b.clone());
        match key_path(&text(&v[1])) {
            Some(path) if set_path(&mut out, &path, value_to_json(&v[2])) => Value::dynamic(out),
            _ => Value::Null,
        }
    }),
    // With a `typeof(T)` third argument the analyzer passes T's name as a literal string; as
    // for `extract`, the declared type stays string (the analyzer must apply T).
    scalar!("extract_json", 2..=3, String, Naming::Default, |v, _| {
        extract_json(v)
    }),
    scalar!("extractjson", 2..=3, String, Naming::Default, |v, _| {
        extract_json(v)
    }),
];

fn pack_type(name: &str, a: &[DataType]) -> Result<DataType, String> {
    if a.len() % 2 == 1 {
        return Err(format!(
            "`{name}` takes key/value pairs (an even number of arguments), got {}",
            a.len()
        ));
    }
    Ok(DataType::Dynamic)
}

/// `bag_pack(k1, v1, …)`: keys through `tostring`; null values are kept as JSON null; a
/// repeated key keeps its last value.
fn pack(v: &[Value]) -> Value {
    let mut out = serde_json::Map::new();
    for pair in v.chunks(2) {
        if let [k, x] = pair {
            out.insert(text(k).into_owned(), value_to_json(x));
        }
    }
    Value::Dynamic(std::sync::Arc::new(Json::Object(out)))
}

/// One step of a key path.
#[derive(Debug, PartialEq)]
enum Step {
    Key(String),
    Index(usize),
}

/// A plain key, or a JSONPath (`$.a.b`, `$['a'][0]`) as the documented forms of
/// `bag_has_key` and `bag_remove_keys` allow. `None` for malformed paths.
fn key_path(key: &str) -> Option<Vec<Step>> {
    let Some(rest) = key.strip_prefix('$') else {
        return Some(vec![Step::Key(key.to_string())]);
    };
    let mut steps = Vec::new();
    let mut s = rest;
    while !s.is_empty() {
        if let Some(r) = s.strip_prefix('.') {
            let end = r.find(['.', '[']).unwrap_or(r.len());
            if end == 0 {
                return None;
            }
            steps.push(Step::Key(r[..end].to_string()));
            s = &r[end..];
        } else if let Some(r) = s.strip_prefix('[') {
            let close = r.find(']')?;
            let inner = r[..close].trim();
            let quoted = inner
                .strip_prefix('\'')
                .and_then(|x| x.strip_suffix('\''))
                .or_else(|| inner.strip_prefix('"').and_then(|x| x.strip_suffix('"')));
            steps.push(match quoted {
                Some(k) => Step::Key(k.to_string()),
                None => Step::Index(inner.parse().ok()?),
            });
            s = &r[close + 1..];
        } else {
            return None;
        }
    }
    (!steps.is_empty()).then_some(steps)
}

fn lookup<'a>(j: &'a Json, path: &[Step]) -> Option<&'a Json> {
    path.iter().try_fold(j, |cur, step| match step {
        Step::Key(k) => cur.as_object()?.get(k),
        Step::Index(i) => cur.as_array()?.get(*i),
    })
}

fn remove_path(j: &mut Json, path: &[Step]) {
    let Some((last, parents)) = path.split_last() else {
        return;
    };
    let mut cur = j;
    for step in parents {
        let next = match step {
            Step::Key(k) => cur.as_object_mut().and_then(|o| o.get_mut(k)),
            Step::Index(i) => cur.as_array_mut().and_then(|a| a.get_mut(*i)),
        };
        match next {
            Some(n) => cur = n,
            None => return,
        }
    }
    match last {
        Step::Key(k) => {
            if let Some(o) = cur.as_object_mut() {
                o.shift_remove(k);
            }
        }
        Step::Index(i) => {
            if let Some(a) = cur.as_array_mut() {
                if *i < a.len() {
                    a.remove(*i);
                }
            }
        }
    }
}

/// `extract_json(path, json[, typeof(T)])`: the element at a JSONPath (`$`, `.name`,
/// `['name']`, `[index]`) of JSON text; strings come back raw, arrays and bags as JSON text.
/// A missing element or invalid JSON gives `""` (null when typed), as for `extract`.
fn extract_json(v: &[Value]) -> Value {
    let target = v
        .get(2)
        .map(|t| DataType::from_name(text(t).trim()).unwrap_or(DataType::String));
    let missing = match target {
        None | Some(DataType::String) => Value::string(""),
        Some(_) => Value::Null,
    };
    let path = text(&v[0]);
    let doc: Json = match &v[1] {
        Value::Dynamic(j) => (**j).clone(),
        other => match serde_json::from_str(&text(other)) {
            Ok(j) => j,
            Err(_) => return missing,
        },
    };
    let found = if path.trim() == "$" {
        Some(&doc)
    } else if path.trim_start().starts_with('$') {
        key_path(path.trim()).and_then(|p| lookup(&doc, &p))
    } else {
        None
    };
    match (found, target) {
        (None | Some(Json::Null), _) => missing,
        (Some(j), None) => Value::string(json_to_string(j)),
        (Some(j), Some(t)) => convert(&Value::dynamic(j.clone()), t),
    }
}

/// Sets the value at `path`, creating missing bags on the way; `false` when the path runs
/// through a non-bag or indexes outside an array.
fn set_path(j: &mut Json, path: &[Step], value: Json) -> bool {
    let Some((last, parents)) = path.split_last() else {
        return false;
    };
    let mut cur = j;
    for step in parents {
        let next = match step {
            Step::Key(k) => cur.as_object_mut().map(|o| {
                o.entry(k.clone())
                    .or_insert_with(|| Json::Object(Default::default()))
            }),
            Step::Index(i) => cur.as_array_mut().and_then(|a| a.get_mut(*i)),
        };
        match next {
            Some(n) => cur = n,
            None => return false,
        }
    }
    match (last, cur) {
        (Step::Key(k), Json::Object(o)) => {
            o.insert(k.clone(), value);
            true
        }
        (Step::Index(i), Json::Array(a)) if *i < a.len() => {
            a[*i] = value;
            true
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use crate::functions::conversion::{parse_json_text as p, to_string};
    use crate::functions::testing::{call, s};

    use crate::value::Value;

    fn text(name: &str, args: &[Value]) -> String {
        to_string(&call(name, args))
    }

    fn l(i: i64) -> Value {
        Value::Long(i)
    }

    #[test]
    fn bags() {
        assert_eq!(
            text("bag_keys", &[p(r#"{"a":1,"b":{"c":2}}"#)]),
            r#"["a","b"]"#
        );
        assert_eq!(call("bag_keys", &[p("[1]")]), Value::Null);
        assert_eq!(
            text("bag_pack", &[s("a"), l(1), s("b"), Value::Null]),
            r#"{"a":1,"b":null}"#
        );
        assert_eq!(text("pack", &[s("k"), s("v")]), r#"{"k":"v"}"#);
        // Documented bag_merge example: the leftmost value wins.
        let merged = call(
            "bag_merge",
            &[
                p(r#"{"A1":12,"B1":2,"C1":3}"#),
                p(r#"{"A2":81,"B2":82,"A1":1}"#),
            ],
        );
        assert_eq!(
            to_string(&merged),
            r#"{"A1":12,"B1":2,"C1":3,"A2":81,"B2":82}"#
        );
        let b = p(r#"{"key1":123,"key2":"abcdefg","A":{"B":1,"C":2}}"#);
        assert_eq!(
            text(
                "bag_remove_keys",
                &[b.clone(), p(r#"["key2","$.A.B","nosuch"]"#)]
            ),
            r#"{"key1":123,"A":{"C":2}}"#
        );
        assert_eq!(
            call("bag_has_key", &[b.clone(), s("key1")]),
            Value::Bool(true)
        );
        assert_eq!(
            call("bag_has_key", &[b.clone(), s("$.A.C")]),
            Value::Bool(true)
        );
        assert_eq!(
            call("bag_has_key", &[b.clone(), s("$['A']['B']")]),
            Value::Bool(true)
        );
        assert_eq!(
            call("bag_has_key", &[b.clone(), s("$.A.D")]),
            Value::Bool(false)
        );
        assert_eq!(call("bag_has_key", &[b, s("C")]), Value::Bool(false));
        assert_eq!(call("bag_has_key", &[p("[1]"), s("a")]), Value::Null);
    }

    #[test]
    fn json_paths() {
        // Documented example shape: extract_json("$.hosts[1].AvailableMB", json, typeof(int)).
        let json = s(r#"{"hosts":[{"AvailableMB":5200},{"AvailableMB":2048}],"name":"x"}"#);
        assert_eq!(
            call("extract_json", &[s("$.hosts[1].AvailableMB"), json.clone()]),
            s("2048")
        );
        assert_eq!(
            call(
                "extract_json",
                &[s("$.hosts[1].AvailableMB"), json.clone(), s("int")]
            ),
            Value::Int(2048)
        );
        assert_eq!(call("extractjson", &[s("$.name"), json.clone()]), s("x"));
        assert_eq!(
            call("extract_json", &[s("$['hosts'][0]"), json.clone()]),
            s(r#"{"AvailableMB":5200}"#)
        );
        assert_eq!(call("extract_json", &[s("$.nosuch"), json.clone()]), s(""));
        assert_eq!(
            call("extract_json", &[s("$.nosuch"), json, s("long")]),
            Value::Null
        );
        assert_eq!(call("extract_json", &[s("$.a"), s("not json")]), s(""));
        assert_eq!(
            call("extract_json", &[s("$.a"), p(r#"{"a":[1]}"#)]),
            s("[1]")
        );
    }

    #[test]
    fn set_key() {
        let b = p(r#"{"prop":"v"}"#);
        assert_eq!(
            text("bag_set_key", &[b.clone(), s("prop"), l(1)]),
            r#"{"prop":1}"#
        );
        assert_eq!(
            text("bag_set_key", &[b.clone(), s("$.new.nested"), s("x")]),
            r#"{"prop":"v","new":{"nested":"x"}}"#
        );
        assert_eq!(call("bag_set_key", &[b, s("$.prop.x"), l(1)]), Value::Null);
        assert_eq!(call("bag_set_key", &[p("[1]"), s("a"), l(1)]), Value::Null);
    }
}
