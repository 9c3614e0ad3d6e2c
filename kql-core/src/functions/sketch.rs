//! Sketches and schemas: the values of the `hll`, `hll_merge`, `tdigest`, `tdigest_merge`
//! and `buildschema` aggregates, and the scalar functions that read them (`dcount_hll`,
//! `percentile_tdigest`, `percentiles_array_tdigest`, `merge_tdigest`).
//!
//! Kusto's sketches are opaque dynamic values holding an approximation (HyperLogLog for
//! distinct counts, T-Digest for percentiles). Here they hold the data itself, so the answers
//! are exact — within Kusto's documented error bounds, a deliberate deviation:
//!
//! - `hll(x)` is `{"hll": [distinct values]}` (the values as JSON, ordered by their text);
//!   `dcount_hll` counts them.
//! - `tdigest(x [, w])` is `{"tdigest": [[value, weight], …], "type": "<x's type>"}`, sorted by
//!   value; `percentile_tdigest` picks the nearest-rank percentile over the weights (the rule
//!   `percentile` uses, semantics reference §7).
//!
//! `buildschema(d)` follows the documentation page's schema model: a bag is a container of
//! its keys, an array a container with the key `indexer`, scalars are `long`, `double`,
//! `string`, `bool`; several alternatives form an array (a union), containers merge.

use super::conversion::{convert, value_to_json};
use super::operators::compare;
use super::{Naming, ScalarFunction};
use crate::scalar;
use crate::types::DataType;
use crate::value::{Json, Value};
use serde_json::Map;
use std::cmp::Ordering;
use std::collections::BTreeMap;

/// The scalar functions over sketches.
pub static FUNCTIONS: &[ScalarFunction] = &[
    scalar!(
        "dcount_hll",
        1..=1,
        Long,
        Naming::Prefix("dcount_hll"),
        |v, _| hll_values(&v[0]).map_or(Value::Null, |h| Value::Long(h.len() as i64))
    ),
    scalar!(
        "percentile_tdigest",
        2..=3,
        Dynamic,
        Naming::Prefix("percentile_tdigest"),
        |v, _| {
            let p = super::conversion::to_real(&v[1]);
            match (tdigest_of(&v[0]), p) {
                (Some(t), Some(p)) => {
                    nearest_rank(&t.points, p).map_or(Value::Null, Value::dynamic)
                }
                _ => Value::Null,
            }
        }
    ),
    scalar!(
        "percentiles_array_tdigest",
        2..=64,
        Dynamic,
        Naming::Prefix("percentiles_array_tdigest"),
        |v, _| {
            let Some(t) = tdigest_of(&v[0]) else {
                return Value::Null;
            };
            let mut out = Vec::new();
            for p in percent_list(&v[1..]) {
                out.push(nearest_rank(&t.points, p).unwrap_or(Json::Null));
            }
            Value::dynamic(Json::Array(out))
        }
    ),
    scalar!("merge_tdigest", 1..=64, Dynamic, Naming::Default, |v, _| {
        let digests: Vec<TDigest> = v.iter().filter_map(tdigest_of).collect();
        merge_tdigests(digests).map_or(Value::Null, |t| Value::dynamic(t.to_json()))
    }),
];

/// The distinct values of an `hll` sketch.
pub fn hll_values(v: &Value) -> Option<Vec<Json>> {
    match v {
        Value::Dynamic(j) => match j.get("hll") {
            Some(Json::Array(items)) => Some(items.clone()),
            _ => None,
        },
        _ => None,
    }
}

/// An `hll` sketch of `values` (deduplicated by their JSON text, in text order).
pub fn hll_of(values: impl IntoIterator<Item = Json>) -> Json {
    let mut distinct: BTreeMap<String, Json> = BTreeMap::new();
    for v in values {
        if !v.is_null() {
            distinct.entry(v.to_string()).or_insert(v);
        }
    }
    let mut m = Map::new();
    m.insert("hll".into(), Json::Array(distinct.into_values().collect()));
    Json::Object(m)
}

/// A `tdigest` sketch: weighted values, sorted, and their type.
#[derive(Debug, Clone)]
pub struct TDigest {
    /// `(value, weight)`, ascending by value.
    pub points: Vec<(Value, i64)>,
    /// The type of the values.
    pub ty: DataType,
}

impl TDigest {
    /// A digest of `(value, weight)` pairs of type `ty` (nulls and non-positive weights are
    /// left out).
    pub fn new(mut points: Vec<(Value, i64)>, ty: DataType) -> TDigest {
        points.retain(|(v, w)| !v.is_null() && *w > 0);
        points.sort_by(|a, b| compare(&a.0, &b.0).unwrap_or(Ordering::Equal));
        TDigest { points, ty }
    }

    /// The sketch as a dynamic value.
    pub fn to_json(&self) -> Json {
        let points = self
            .points
            .iter()
            .map(|(v, w)| Json::Array(vec![value_to_json(v), Json::from(*w)]))
            .collect();
        let mut m = Map::new();
        m.insert("tdigest".into(), Json::Array(points));
        m.insert("type".into(), Json::String(self.ty.name().into()));
        Json::Object(m)
    }
}

/// Reads a `tdigest` sketch back.
pub fn tdigest_of(v: &Value) -> Option<TDigest> {
    let Value::Dynamic(j) = v else {
        return None;
    };
    let Some(Json::Array(points)) = j.get("tdigest") else {
        return None;
    };
    let ty = j
        .get("type")
        .and_then(Json::as_str)
        .and_then(DataType::from_name)
        .unwrap_or(DataType::Dynamic);
    let mut out = Vec::with_capacity(points.len());
    for p in points {
        let (value, weight) = match p.as_array().map(Vec::as_slice) {
            Some([value, weight]) => (value, weight.as_i64().unwrap_or(1)),
            _ => continue,
        };
        out.push((convert(&Value::dynamic(value.clone()), ty), weight));
    }
    Some(TDigest::new(out, ty))
}

/// Merges digests; values of different types make a `dynamic` digest. `None` when there are
/// none.
pub fn merge_tdigests(digests: Vec<TDigest>) -> Option<TDigest> {
    let first = digests.first()?.ty;
    let ty = if digests.iter().all(|d| d.ty == first) {
        first
    } else {
        DataType::Dynamic
    };
    let points = digests.into_iter().flat_map(|d| d.points).collect();
    Some(TDigest::new(points, ty))
}

/// The nearest-rank `p`-th percentile of weighted sorted points: the first value whose
/// cumulative weight reaches `ceil(p/100 · total)` (at least 1).
pub fn nearest_rank(points: &[(Value, i64)], p: f64) -> Option<Json> {
    let total = points.iter().fold(0i64, |t, (_, w)| t.saturating_add(*w));
    if total == 0 || p.is_nan() {
        return None;
    }
    let rank = ((p.clamp(0.0, 100.0) / 100.0) * total as f64)
        .ceil()
        .max(1.0) as i64;
    let mut seen = 0i64;
    for (v, w) in points {
        seen = seen.saturating_add(*w);
        if seen >= rank {
            return Some(value_to_json(v));
        }
    }
    points.last().map(|(v, _)| value_to_json(v))
}

/// Percentages given as separate arguments or as one dynamic array.
pub fn percent_list(args: &[Value]) -> Vec<f64> {
    let mut out = Vec::new();
    for a in args {
        match a {
            Value::Dynamic(j) if j.is_array() => {
                if let Json::Array(items) = &**j {
                    out.extend(items.iter().filter_map(Json::as_f64));
                }
            }
            other => out.extend(super::conversion::to_real(other)),
        }
    }
    out
}

/// One `buildschema` schema: a scalar type name, a container, or a union of those.
#[derive(Debug, Clone, PartialEq)]
pub enum Schema {
    /// `long`, `double`, `string`, `bool`.
    Scalar(&'static str),
    /// A bag's keys (arrays use the key `indexer`), in first-seen order.
    Container(Vec<(String, Schema)>),
    /// Several alternatives: distinct scalars and at most one container.
    Union(Vec<Schema>),
}

impl Schema {
    /// The schema of one value (`None` for null).
    pub fn of(j: &Json) -> Option<Schema> {
        Some(match j {
            Json::Null => return None,
            Json::Bool(_) => Schema::Scalar("bool"),
            Json::Number(n) if n.is_i64() || n.is_u64() => Schema::Scalar("long"),
            Json::Number(_) => Schema::Scalar("double"),
            Json::String(_) => Schema::Scalar("string"),
            Json::Array(items) => {
                let mut element: Option<Schema> = None;
                for item in items {
                    element = merge_schema(element, Schema::of(item));
                }
                Schema::Container(element.map(|e| ("indexer".into(), e)).into_iter().collect())
            }
            Json::Object(m) => Schema::Container(
                m.iter()
                    .filter_map(|(k, v)| Schema::of(v).map(|s| (k.clone(), s)))
                    .collect(),
            ),
        })
    }

    fn alternatives(self) -> Vec<Schema> {
        match self {
            Schema::Union(items) => items,
            other => vec![other],
        }
    }

    /// The schema as the documented dynamic value.
    pub fn to_json(&self) -> Json {
        match self {
            Schema::Scalar(name) => Json::String((*name).into()),
            Schema::Container(keys) => {
                Json::Object(keys.iter().map(|(k, s)| (k.clone(), s.to_json())).collect())
            }
            Schema::Union(items) => Json::Array(items.iter().map(Schema::to_json).collect()),
        }
    }
}

/// The least schema admitting both.
pub fn merge_schema(a: Option<Schema>, b: Option<Schema>) -> Option<Schema> {
    let (a, b) = match (a, b) {
        (None, b) => return b,
        (a, None) => return a,
        (Some(a), Some(b)) => (a, b),
    };
    let mut alts = a.alternatives();
    for alt in b.alternatives() {
        match alt {
            Schema::Container(keys) => {
                match alts.iter_mut().find(|x| matches!(x, Schema::Container(_))) {
                    Some(Schema::Container(existing)) => {
                        for (k, s) in keys {
                            match existing.iter_mut().find(|(n, _)| *n == k) {
                                Some((_, slot)) => {
                                    let old = std::mem::replace(slot, Schema::Scalar(""));
                                    *slot = merge_schema(Some(old), Some(s))
                                        .unwrap_or(Schema::Scalar("string"));
                                }
                                None => existing.push((k, s)),
                            }
                        }
                    }
                    _ => alts.push(Schema::Container(keys)),
                }
            }
            other => {
                if !alts.contains(&other) {
                    alts.push(other);
                }
            }
        }
    }
    Some(if alts.len() == 1 {
        alts.pop().unwrap_or(Schema::Scalar("string"))
    } else {
        Schema::Union(alts)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn buildschema_documented_example() {
        let mut s = None;
        for v in [
            json!({"x":1, "y":3.5}),
            json!({"x":"somevalue", "z":[1, 2, 3]}),
            json!({"y":{"w":"zzz"}, "t":["aa", "bb"], "z":["foo"]}),
        ] {
            s = merge_schema(s, Schema::of(&v));
        }
        assert_eq!(
            s.map(|s| s.to_json()),
            Some(
                json!({"x":["long","string"],"y":["double",{"w":"string"}],"z":{"indexer":["long","string"]},"t":{"indexer":"string"}})
            )
        );
    }

    #[test]
    fn nearest_rank_uses_weights() {
        let pts = vec![
            (Value::Long(1), 1),
            (Value::Long(2), 3),
            (Value::Long(10), 1),
        ];
        assert_eq!(nearest_rank(&pts, 0.0), Some(json!(1)));
        assert_eq!(nearest_rank(&pts, 50.0), Some(json!(2)));
        assert_eq!(nearest_rank(&pts, 80.0), Some(json!(2)));
        assert_eq!(nearest_rank(&pts, 81.0), Some(json!(10)));
        assert_eq!(nearest_rank(&[], 50.0), None);
        // Huge weights saturate instead of overflowing.
        let big = vec![(Value::Long(1), i64::MAX), (Value::Long(2), i64::MAX)];
        assert_eq!(nearest_rank(&big, 100.0), Some(json!(1)));
    }
}
