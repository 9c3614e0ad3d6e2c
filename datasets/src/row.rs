//! One ARG row: the 16 envelope columns, and its renderings (JSON text, CSV, `serde_json`).

use crate::json::{indent, write_str, Json, Text};
use serde_json::{Map, Value};
use std::borrow::Cow;

/// The 16 ARG columns, in the order ARG returns them: nine strings, then seven dynamics.
///
/// ```
/// assert_eq!(kql_datasets::COLUMNS[0], "id");
/// assert_eq!(kql_datasets::COLUMNS[15], "extendedLocation");
/// ```
pub const COLUMNS: [&str; 16] = [
    "id",
    "name",
    "type",
    "tenantId",
    "kind",
    "location",
    "resourceGroup",
    "subscriptionId",
    "managedBy",
    "sku",
    "plan",
    "properties",
    "tags",
    "identity",
    "zones",
    "extendedLocation",
];

/// Indexes into [`COLUMNS`] in alphabetical order of the names (the Azure CLI sorts keys).
const SORTED_COLUMNS: [usize; 16] = [15, 0, 13, 4, 5, 8, 1, 10, 11, 6, 9, 7, 12, 3, 2, 14];

/// A generated ARG row. String columns are `""` when missing, dynamic columns [`Json::Null`].
///
/// ```
/// use kql_datasets::{rows, TableKind, TenantConfig};
/// let row = rows(&TenantConfig::small(1), TableKind::ResourceContainers).next().unwrap();
/// assert_eq!(row.kind_type(), "microsoft.resources/subscriptions");
/// assert_eq!(row.to_value().as_object().unwrap().len(), 16);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// `id`: the ARM id, in ARM casing.
    pub id: String,
    /// `name`: the last id segment.
    pub name: Text,
    /// `type`: the lower-case resource type.
    pub type_: &'static str,
    /// `tenantId`
    pub tenant_id: Text,
    /// `kind`
    pub kind: Text,
    /// `location`
    pub location: Text,
    /// `resourceGroup`: lower case, `""` at subscription scope.
    pub resource_group: Text,
    /// `subscriptionId`
    pub subscription_id: Text,
    /// `managedBy`
    pub managed_by: Text,
    /// `sku`
    pub sku: Json,
    /// `plan`
    pub plan: Json,
    /// `properties`
    pub properties: Json,
    /// `tags`
    pub tags: Json,
    /// `identity`
    pub identity: Json,
    /// `zones`
    pub zones: Json,
    /// `extendedLocation`
    pub extended_location: Json,
}

impl Row {
    /// A row with the given id, name and type; every other column empty or null.
    pub fn new(id: String, name: impl Into<Text>, type_: &'static str) -> Self {
        Row {
            id,
            name: name.into(),
            type_,
            tenant_id: Cow::Borrowed(""),
            kind: Cow::Borrowed(""),
            location: Cow::Borrowed(""),
            resource_group: Cow::Borrowed(""),
            subscription_id: Cow::Borrowed(""),
            managed_by: Cow::Borrowed(""),
            sku: Json::Null,
            plan: Json::Null,
            properties: Json::Null,
            tags: Json::Null,
            identity: Json::Null,
            zones: Json::Null,
            extended_location: Json::Null,
        }
    }

    /// The `type` column.
    pub fn kind_type(&self) -> &'static str {
        self.type_
    }

    /// The nine string columns, in column order.
    pub fn strings(&self) -> [&str; 9] {
        [
            &self.id,
            &self.name,
            self.type_,
            &self.tenant_id,
            &self.kind,
            &self.location,
            &self.resource_group,
            &self.subscription_id,
            &self.managed_by,
        ]
    }

    /// The seven dynamic columns, in column order.
    pub fn dynamics(&self) -> [&Json; 7] {
        [
            &self.sku,
            &self.plan,
            &self.properties,
            &self.tags,
            &self.identity,
            &self.zones,
            &self.extended_location,
        ]
    }

    /// The row as a `serde_json` object with the 16 columns in order.
    pub fn to_value(&self) -> Value {
        let mut map = Map::with_capacity(16);
        for (name, s) in COLUMNS.iter().zip(self.strings()) {
            map.insert((*name).to_string(), Value::String(s.to_string()));
        }
        for (name, d) in COLUMNS[9..].iter().zip(self.dynamics()) {
            map.insert((*name).to_string(), d.to_value());
        }
        Value::Object(map)
    }

    /// Releases spare capacity in the dynamic columns (for rows kept in memory).
    pub fn shrink_to_fit(&mut self) {
        for d in [
            &mut self.sku,
            &mut self.plan,
            &mut self.properties,
            &mut self.tags,
            &mut self.identity,
            &mut self.zones,
            &mut self.extended_location,
        ] {
            d.shrink_to_fit();
        }
    }

    /// The row as a `serde_json` object, consuming it (owned strings are moved, not copied).
    pub fn into_value(self) -> Value {
        let mut map = Map::with_capacity(16);
        let strings = [
            Cow::Owned(self.id),
            self.name,
            Cow::Borrowed(self.type_),
            self.tenant_id,
            self.kind,
            self.location,
            self.resource_group,
            self.subscription_id,
            self.managed_by,
        ];
        for (name, s) in COLUMNS.iter().zip(strings) {
            map.insert((*name).to_string(), Value::String(s.into_owned()));
        }
        let dynamics = [
            self.sku,
            self.plan,
            self.properties,
            self.tags,
            self.identity,
            self.zones,
            self.extended_location,
        ];
        for (name, d) in COLUMNS[9..].iter().zip(dynamics) {
            map.insert((*name).to_string(), d.into_value());
        }
        Value::Object(map)
    }

    /// Appends the row as one compact JSON object (no newline).
    pub fn write_json(&self, out: &mut Vec<u8>) {
        out.push(b'{');
        for (i, (name, s)) in COLUMNS.iter().zip(self.strings()).enumerate() {
            if i > 0 {
                out.push(b',');
            }
            write_str(out, name);
            out.push(b':');
            write_str(out, s);
        }
        for (name, d) in COLUMNS[9..].iter().zip(self.dynamics()) {
            out.push(b',');
            write_str(out, name);
            out.push(b':');
            d.write_compact(out);
        }
        out.push(b'}');
    }

    /// Appends the row indented with sorted keys (the Azure CLI layout) at nesting `level`.
    pub fn write_pretty_sorted(&self, out: &mut Vec<u8>, level: usize) {
        let strings = self.strings();
        let dynamics = self.dynamics();
        out.push(b'{');
        for (n, &i) in SORTED_COLUMNS.iter().enumerate() {
            out.extend_from_slice(if n == 0 { b"\n" } else { b",\n" });
            indent(out, level + 1);
            write_str(out, COLUMNS[i]);
            out.extend_from_slice(b": ");
            if i < 9 {
                write_str(out, strings[i]);
            } else {
                dynamics[i - 9].write_pretty_sorted(out, level + 1);
            }
        }
        out.push(b'\n');
        indent(out, level);
        out.push(b'}');
    }

    /// Appends the row as one CSV record (RFC 4180 quoting, CRLF line end). Dynamic columns are
    /// compact JSON text; a null dynamic is an empty field.
    pub fn write_csv(&self, out: &mut Vec<u8>, scratch: &mut Vec<u8>) {
        for (i, s) in self.strings().iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            write_csv_field(out, s.as_bytes());
        }
        for d in self.dynamics() {
            out.push(b',');
            if *d == Json::Null {
                continue;
            }
            scratch.clear();
            d.write_compact(scratch);
            write_csv_field(out, scratch);
        }
        out.extend_from_slice(b"\r\n");
    }
}

/// Appends the CSV header record.
pub fn write_csv_header(out: &mut Vec<u8>) {
    out.extend_from_slice(COLUMNS.join(",").as_bytes());
    out.extend_from_slice(b"\r\n");
}

/// Appends one field, quoted (with `"` doubled) when it holds `,`, `"`, CR or LF.
fn write_csv_field(out: &mut Vec<u8>, field: &[u8]) {
    let needs_quotes = field
        .iter()
        .any(|&b| b == b',' || b == b'"' || b == b'\n' || b == b'\r');
    if !needs_quotes {
        out.extend_from_slice(field);
        return;
    }
    out.push(b'"');
    for &b in field {
        if b == b'"' {
            out.push(b'"');
        }
        out.push(b);
    }
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::Obj;

    fn row() -> Row {
        let mut r = Row::new(
            "/subscriptions/x".into(),
            "x",
            "microsoft.resources/subscriptions",
        );
        r.properties = Obj::new().put("state", "Enabled").put("n", 3i64).into();
        r
    }

    #[test]
    fn json_text_has_the_columns_in_order() {
        let mut out = Vec::new();
        row().write_json(&mut out);
        let v: Value = serde_json::from_slice(&out).unwrap();
        let keys: Vec<&str> = v.as_object().unwrap().keys().map(|k| k.as_str()).collect();
        assert_eq!(keys, COLUMNS);
        assert_eq!(v, row().to_value());
        assert_eq!(row().into_value(), row().to_value());
    }

    #[test]
    fn csv_quotes_json_and_leaves_nulls_empty() {
        let (mut out, mut scratch) = (Vec::new(), Vec::new());
        row().write_csv(&mut out, &mut scratch);
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            "/subscriptions/x,x,microsoft.resources/subscriptions,,,,,,,,,\
             \"{\"\"state\"\":\"\"Enabled\"\",\"\"n\"\":3}\",,,,\r\n"
        );
    }

    #[test]
    fn sorted_columns_are_sorted() {
        let names: Vec<&str> = SORTED_COLUMNS.iter().map(|&i| COLUMNS[i]).collect();
        let mut sorted = COLUMNS.to_vec();
        sorted.sort_unstable();
        assert_eq!(names, sorted);
    }

    #[test]
    fn pretty_sorted_row_parses_back() {
        let mut out = Vec::new();
        row().write_pretty_sorted(&mut out, 1);
        let v: Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v, row().to_value());
        assert!(String::from_utf8(out)
            .unwrap()
            .starts_with("{\n    \"extendedLocation\""));
    }
}
