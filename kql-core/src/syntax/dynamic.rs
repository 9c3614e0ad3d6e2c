//! `dynamic(…)` literals: JSON-ish values that may use single quotes and typed literals inside.

use serde_json::{Map, Number, Value as Json};

use super::ast::{ExprKind, Literal};
use super::lexical::{failure, need, nest, sym, word, ws, In, PResult};
use super::literal::{bool_word, number_literal, string_literal, typed_literal};
use crate::functions::conversion::format_guid;
use crate::functions::datetime::{format_datetime_iso, format_timespan};

/// `dynamic(…)` content up to and including the closing `)`.
pub(crate) fn dynamic_body(inner: In) -> PResult<Literal> {
    let (r, v) = need(json_value(inner), inner, || "a dynamic value".into())?;
    let (r, _) = need(sym(")")(r), r, || "`)` to close `dynamic(`".into())?;
    Ok((r, Literal::Dynamic(v)))
}

/// A JSON-ish value: objects, arrays, strings in any KQL quoting, numbers, `true`/`false`/`null`,
/// and typed literals such as `datetime(…)`.
pub(crate) fn json_value(i: In) -> PResult<Json> {
    let _guard = nest(i)?;
    let i = ws(i);
    if let Some(r) = i.strip_prefix('{') {
        return json_object(r);
    }
    if let Some(r) = i.strip_prefix('[') {
        return json_array(r);
    }
    if let Ok((r, (s, _))) = string_literal(i) {
        return Ok((r, Json::String(s)));
    }
    if let Some(signed) = i.strip_prefix(['-', '+']) {
        let (r, lit) = number_literal(ws(signed))?;
        let neg = i.starts_with('-');
        return Ok((r, literal_json(&negate(lit, neg))));
    }
    if i.starts_with(|c: char| c.is_ascii_digit()) {
        let (r, lit) = number_literal(i)?;
        return Ok((r, literal_json(&lit)));
    }
    if let Ok((r, e)) = typed_literal(i) {
        if let ExprKind::Literal(lit) = e.kind {
            return Ok((r, literal_json(&lit)));
        }
    }
    let (r, w) = word(i)?;
    match (w, bool_word(w)) {
        ("null", _) => Ok((r, Json::Null)),
        (_, Some(b)) => Ok((r, Json::Bool(b))),
        _ => Err(failure(i, "expected a dynamic value")),
    }
}

fn negate(lit: Literal, neg: bool) -> Literal {
    match (lit, neg) {
        (Literal::Long(Some(v)), true) => Literal::Long(Some(v.wrapping_neg())),
        (Literal::Real(Some(v)), true) => Literal::Real(Some(-v)),
        (Literal::TimeSpan(Some(v)), true) => Literal::TimeSpan(Some(v.wrapping_neg())),
        (lit, _) => lit,
    }
}

/// The JSON a literal stands for inside `dynamic(…)`.
fn literal_json(lit: &Literal) -> Json {
    let real = |v: f64| Number::from_f64(v).map_or(Json::Null, Json::Number);
    match lit {
        Literal::Bool(Some(b)) => Json::Bool(*b),
        Literal::Int(Some(v)) => Json::from(*v),
        Literal::Long(Some(v)) => Json::from(*v),
        Literal::Real(Some(v)) | Literal::Decimal(Some(v)) => real(*v),
        Literal::String(s) => Json::String(s.clone()),
        Literal::DateTime(Some(t)) => Json::String(format_datetime_iso(*t, true)),
        Literal::TimeSpan(Some(t)) => Json::String(format_timespan(*t)),
        Literal::Guid(Some(g)) => Json::String(format_guid(*g)),
        Literal::Dynamic(v) => v.clone(),
        _ => Json::Null,
    }
}

/// `{ "k": v, … }` after the `{`.
fn json_object(mut i: In) -> PResult<Json> {
    let mut map = Map::new();
    loop {
        if let Ok((r, _)) = sym("}")(i) {
            return Ok((r, Json::Object(map)));
        }
        let key = match string_literal(i) {
            Ok((r, (k, _))) => Some((r, k)),
            Err(_) => word(i).ok().map(|(r, w)| (r, w.to_string())),
        };
        let Some((r, key)) = key else {
            return Err(failure(i, "expected a property name or `}`"));
        };
        let (r, _) = need(sym(":")(r), r, || "`:` after the property name".into())?;
        let (r, v) = json_value(r)?;
        map.insert(key, v);
        i = match sym(",")(r) {
            Ok((r, _)) => r,
            Err(_) if ws(r).starts_with('}') => r,
            Err(_) => return Err(failure(r, "expected `,` or `}`")),
        };
    }
}

/// `[ v, … ]` after the `[`.
fn json_array(mut i: In) -> PResult<Json> {
    let mut items = Vec::new();
    loop {
        if let Ok((r, _)) = sym("]")(i) {
            return Ok((r, Json::Array(items)));
        }
        let (r, v) = json_value(i)?;
        items.push(v);
        i = match sym(",")(r) {
            Ok((r, _)) => r,
            Err(_) if ws(r).starts_with(']') => r,
            Err(_) => return Err(failure(r, "expected `,` or `]`")),
        };
    }
}

#[cfg(test)]
mod tests {
    use super::super::parse_expr;
    use super::*;
    use serde_json::json;

    fn dynamic(text: &str) -> Json {
        match parse_expr(text).map(|e| e.kind) {
            Ok(ExprKind::Literal(Literal::Dynamic(v))) => v,
            other => panic!("{text}: {other:?}"),
        }
    }

    #[test]
    fn json_with_kusto_spellings() {
        for (text, value) in [
            ("dynamic([1, 'a', null, true])", json!([1, "a", null, true])),
            (
                "dynamic({\"a\": {\"b\": [-1, +2.5, ]}})",
                json!({"a": {"b": [-1, 2.5]}}),
            ),
            (
                "dynamic({'t': datetime(2020-01-01), 'g': long(5)})",
                json!({"t": "2020-01-01T00:00:00.0000000Z", "g": 5}),
            ),
            ("dynamic({key: 1})", json!({"key": 1})),
            ("dynamic('text')", json!("text")),
            ("dynamic(1d)", json!("1.00:00:00")),
            ("dynamic([])", json!([])),
        ] {
            assert_eq!(dynamic(text), value, "{text}");
        }
    }

    #[test]
    fn dynamic_errors() {
        for (text, at, msg) in [
            ("dynamic([1 2])", 11, "expected `,` or `]`"),
            (
                "dynamic({'a' 1})",
                13,
                "expected `:` after the property name",
            ),
            ("dynamic([1]", 11, "expected `)` to close `dynamic(`"),
            ("dynamic(nope)", 8, "expected a dynamic value"),
        ] {
            let e = parse_expr(text).expect_err(text);
            assert_eq!(
                (e.span.map(|s| s.start), e.message.as_str()),
                (Some(at), msg),
                "{text}"
            );
        }
    }
}
