//! A byte-driven generator of well-typed KQL queries over a small fixed table `T`.
//!
//! Shared by the property tests (`tests/properties.rs`, which feed it random byte vectors from
//! proptest) and the `query` fuzz target (`fuzz/fuzz_targets/query.rs`, which feeds it the fuzz
//! input and includes this file by path). Every choice reads one byte; once the bytes run out
//! every choice is 0, which always picks a leaf, so generation ends on any input.
//!
//! The generator tracks the columns in scope and their types so that most queries analyze; when
//! its idea of a type is wrong (a function with an unusual signature) the query fails with a type
//! error, which is fine: the engine must answer every query with `Ok` or `Err`, never a panic.

// Each test crate that includes this module uses a different part of it.
#![allow(dead_code)]

use kql_core::Engine;

/// The test table: one row of ordinary values, one of nulls, and rows of edge values (extreme
/// numbers, NaN and infinities, the first and last datetimes, unicode, nested dynamics).
pub const TABLE: &str = r#"datatable(s:string, n:long, r:real, d:datetime, t:timespan, j:dynamic, b:bool) [
    "vm1", 5, 1.5, datetime(2024-01-01), 1d, dynamic({"a": 1, "b": {"c": [1, 2, 3]}}), true,
    "", long(null), real(null), datetime(null), time(null), dynamic(null), bool(null),
    "Hello World", -3, -0.25, datetime(2023-12-31T23:59:59.9999999Z), -1h, dynamic([1, "two", null, {"a": "x"}]), false,
    "ünïcødé ✓ 日本", 9223372036854775807, 1e308, datetime(0001-01-01), 10000d, dynamic("text"), true,
    "a,b,c", 0, real(nan), datetime(9999-12-31), 0s, dynamic([]), false,
    "vm1", -9223372036854775807, real(-inf), datetime(2024-02-29 12:00), 90m, dynamic({}), true,
    "12", 2, 4.0, datetime(1970-01-01), 1ms, dynamic(7), bool(null)
]"#;

/// `now()` in every generated run (2024-06-01), so results are reproducible.
pub const NOW_TICKS: i64 = 638_527_968_000_000_000;

/// An engine whose table `T` is [`TABLE`], with `now()` pinned.
pub fn engine() -> Engine {
    let mut engine = Engine::new();
    engine.set_now(Some(NOW_TICKS));
    let table = engine
        .query(TABLE)
        .expect("the test table is valid KQL")
        .table()
        .clone();
    engine.add_table("T", table);
    engine
}

/// The scalar types the generator writes expressions of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    /// `string`
    Str,
    /// `long`
    Long,
    /// `real`
    Real,
    /// `bool`
    Bool,
    /// `datetime`
    Date,
    /// `timespan`
    Span,
    /// `dynamic`
    Dyn,
}

const ALL_TYPES: [Ty; 7] = [
    Ty::Str,
    Ty::Long,
    Ty::Real,
    Ty::Bool,
    Ty::Date,
    Ty::Span,
    Ty::Dyn,
];

/// The columns of [`TABLE`].
pub fn table_columns() -> Vec<(String, Ty)> {
    [
        ("s", Ty::Str),
        ("n", Ty::Long),
        ("r", Ty::Real),
        ("d", Ty::Date),
        ("t", Ty::Span),
        ("j", Ty::Dyn),
        ("b", Ty::Bool),
    ]
    .into_iter()
    .map(|(n, t)| (n.to_string(), t))
    .collect()
}

const STRINGS: &[&str] = &[
    "",
    "a",
    "vm1",
    "Hello World",
    "ünïcødé ✓",
    "a,b,c",
    "/subscriptions/x/resourceGroups/rg",
    "  pad  ",
    "\\",
    "\"",
    "%41%zz",
    "12",
    "-3.5",
    "2024-01-01",
    "true",
    "[1,2]",
    "{\"a\":1}",
    "null",
    "\t\n",
    "aGVsbG8=",
    "1.02:03:04",
];

const REGEXES: &[&str] = &[
    "a",
    "(\\w+)",
    "^$",
    "[0-9]+",
    "(?i)VM(\\d)",
    "(a|b)*c",
    ".*",
    "([^,]*),([^,]*)",
    "\\s+",
    "x{0,3}",
];

const LONGS: &[&str] = &[
    "0",
    "1",
    "-1",
    "2",
    "7",
    "100",
    "9223372036854775807",
    "-9223372036854775807",
    "long(null)",
    "int(3)",
    "0x10",
];

const REALS: &[&str] = &[
    "0.0",
    "1.5",
    "-0.5",
    "1e308",
    "1e-308",
    "real(nan)",
    "real(+inf)",
    "real(-inf)",
    "real(null)",
    "3.0",
];

const DATES: &[&str] = &[
    "datetime(2024-01-01)",
    "datetime(2024-02-29T12:34:56.789Z)",
    "datetime(0001-01-01)",
    "datetime(9999-12-31 23:59:59.9999999)",
    "datetime(null)",
    "now()",
    "datetime(1970-01-01)",
];

const SPANS: &[&str] = &[
    "1d",
    "1h",
    "30m",
    "1s",
    "1ms",
    "0s",
    "-1d",
    "time(null)",
    "timespan(1.5d)",
    "100000d",
    "1tick",
];

const DYNAMICS: &[&str] = &[
    "dynamic(null)",
    "dynamic([])",
    "dynamic({})",
    "dynamic([1, \"a\", null, 2.5, true])",
    "dynamic({\"a\": 1, \"b\": {\"c\": [1, 2]}})",
    "dynamic(\"str\")",
    "dynamic(5)",
    "dynamic([[1, 2], [3]])",
];

/// Writes `s` as a KQL string literal.
pub fn quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The generator: a byte source and the columns in scope.
pub struct Gen<'a> {
    data: &'a [u8],
    pos: usize,
    cols: Vec<(String, Ty)>,
    fresh: usize,
}

/// How deep generated expressions nest.
const MAX_EXPR_DEPTH: u32 = 4;
/// The most operators in one pipeline.
const MAX_OPERATORS: usize = 8;

impl<'a> Gen<'a> {
    /// A generator reading `data`, with `T`'s columns in scope.
    pub fn new(data: &'a [u8]) -> Gen<'a> {
        Gen {
            data,
            pos: 0,
            cols: table_columns(),
            fresh: 0,
        }
    }

    /// A generator reading `data`, with the given columns in scope (none for `print`).
    pub fn with_columns(data: &'a [u8], cols: Vec<(String, Ty)>) -> Gen<'a> {
        Gen {
            data,
            pos: 0,
            cols,
            fresh: 0,
        }
    }

    /// The columns the generator believes the last pipeline produces.
    pub fn columns(&self) -> &[(String, Ty)] {
        &self.cols
    }

    fn byte(&mut self) -> u8 {
        let b = self.data.get(self.pos).copied().unwrap_or(0);
        self.pos += 1;
        b
    }

    /// A choice among `n` (0 once the input is used up).
    fn pick(&mut self, n: usize) -> usize {
        if n <= 1 {
            0
        } else {
            self.byte() as usize % n
        }
    }

    fn from<'b>(&mut self, list: &[&'b str]) -> &'b str {
        list[self.pick(list.len())]
    }

    fn fresh(&mut self, prefix: &str) -> String {
        self.fresh += 1;
        format!("{prefix}{}", self.fresh)
    }

    fn any_type(&mut self) -> Ty {
        ALL_TYPES[self.pick(ALL_TYPES.len())]
    }

    /// A column of type `ty` in scope, if any.
    fn column_of(&mut self, ty: Ty) -> Option<String> {
        let names: Vec<String> = self
            .cols
            .iter()
            .filter(|(_, t)| *t == ty)
            .map(|(n, _)| n.clone())
            .collect();
        if names.is_empty() {
            None
        } else {
            let i = self.pick(names.len());
            Some(names[i].clone())
        }
    }

    /// Any column in scope (there is always at least one).
    fn any_column(&mut self) -> (String, Ty) {
        let i = self.pick(self.cols.len());
        self.cols[i].clone()
    }

    /// A boolean expression over the columns in scope.
    pub fn predicate(&mut self) -> String {
        self.expr(Ty::Bool, MAX_EXPR_DEPTH)
    }

    /// An expression of type `ty`, nesting at most `depth` more levels.
    pub fn expr(&mut self, ty: Ty, depth: u32) -> String {
        // Choice 0 is always a leaf, so an exhausted input ends the recursion.
        if depth == 0 || self.pick(3) == 0 {
            return self.leaf(ty);
        }
        let d = depth - 1;
        match ty {
            Ty::Str => self.string_expr(d),
            Ty::Long => self.long_expr(d),
            Ty::Real => self.real_expr(d),
            Ty::Bool => self.bool_expr(d),
            Ty::Date => self.date_expr(d),
            Ty::Span => self.span_expr(d),
            Ty::Dyn => self.dyn_expr(d),
        }
    }

    /// A column of type `ty` (when there is one, most of the time) or a literal.
    fn leaf(&mut self, ty: Ty) -> String {
        if self.pick(2) == 0 {
            if let Some(c) = self.column_of(ty) {
                return c;
            }
        }
        match ty {
            Ty::Str => {
                let s = self.from(STRINGS);
                quote(s)
            }
            Ty::Long => self.from(LONGS).to_string(),
            Ty::Real => self.from(REALS).to_string(),
            Ty::Bool => self.from(&["true", "false", "bool(null)"]).to_string(),
            Ty::Date => self.from(DATES).to_string(),
            Ty::Span => self.from(SPANS).to_string(),
            Ty::Dyn => self.from(DYNAMICS).to_string(),
        }
    }

    fn regex(&mut self) -> String {
        let r = self.from(REGEXES);
        quote(r)
    }

    /// A small long literal, for counts and indexes that must not blow up memory.
    fn small(&mut self) -> String {
        self.from(&["0", "1", "2", "3", "-1", "-2"]).to_string()
    }

    fn string_expr(&mut self, d: u32) -> String {
        match self.pick(30) {
            0 => format!(
                "strcat({}, {})",
                self.expr(Ty::Str, d),
                self.expr(Ty::Str, d)
            ),
            1 => {
                let t = self.any_type();
                format!("strcat({}, {})", self.expr(Ty::Str, d), self.expr(t, d))
            }
            2 => format!(
                "substring({}, {})",
                self.expr(Ty::Str, d),
                self.expr(Ty::Long, d)
            ),
            3 => format!(
                "substring({}, {}, {})",
                self.expr(Ty::Str, d),
                self.expr(Ty::Long, d),
                self.expr(Ty::Long, d)
            ),
            4 => format!("toupper({})", self.expr(Ty::Str, d)),
            5 => format!("tolower({})", self.expr(Ty::Str, d)),
            6 => format!("trim({}, {})", self.regex(), self.expr(Ty::Str, d)),
            7 => format!("trim_start({}, {})", self.regex(), self.expr(Ty::Str, d)),
            8 => format!(
                "replace_string({}, {}, {})",
                self.expr(Ty::Str, d),
                self.expr(Ty::Str, d),
                self.expr(Ty::Str, d)
            ),
            9 => format!(
                "replace_regex({}, {}, {})",
                self.expr(Ty::Str, d),
                self.regex(),
                self.expr(Ty::Str, d)
            ),
            10 => format!(
                "extract({}, {}, {})",
                self.regex(),
                self.small(),
                self.expr(Ty::Str, d)
            ),
            11 => {
                let t = self.any_type();
                format!("tostring({})", self.expr(t, d))
            }
            12 => format!(
                "strcat_delim({}, {}, {})",
                self.expr(Ty::Str, d),
                self.expr(Ty::Str, d),
                self.expr(Ty::Long, d)
            ),
            13 => format!(
                "strcat_array({}, {})",
                self.expr(Ty::Dyn, d),
                self.expr(Ty::Str, d)
            ),
            14 => {
                let f = self.from(&[
                    "\"yyyy-MM-dd HH:mm:ss\"",
                    "\"yy-M-d h:m:s tt\"",
                    "\"fffffff\"",
                    "\"\"",
                    "\"dddd MMM\"",
                ]);
                format!("format_datetime({}, {f})", self.expr(Ty::Date, d))
            }
            15 => {
                let f = self.from(&["\"d.hh:mm:ss\"", "\"fff\"", "\"\"", "\"h:m\""]);
                format!("format_timespan({}, {f})", self.expr(Ty::Span, d))
            }
            16 => format!("reverse({})", self.expr(Ty::Str, d)),
            17 => format!("strrep({}, {})", self.expr(Ty::Str, d), self.small()),
            18 => format!("url_encode({})", self.expr(Ty::Str, d)),
            19 => format!("url_decode({})", self.expr(Ty::Str, d)),
            20 => format!("base64_encode_tostring({})", self.expr(Ty::Str, d)),
            21 => format!("base64_decode_tostring({})", self.expr(Ty::Str, d)),
            22 => format!("tohex({})", self.expr(Ty::Long, d)),
            23 => format!(
                "iff({}, {}, {})",
                self.expr(Ty::Bool, d),
                self.expr(Ty::Str, d),
                self.expr(Ty::Str, d)
            ),
            24 => {
                let t = self.any_type();
                format!("gettype({})", self.expr(t, d))
            }
            25 => format!("hash_sha256({})", self.expr(Ty::Str, d)),
            26 => format!("tostring({}.a)", self.expr(Ty::Dyn, d)),
            27 => format!(
                "case({}, {}, {}, {}, {})",
                self.expr(Ty::Bool, d),
                self.expr(Ty::Str, d),
                self.expr(Ty::Bool, d),
                self.expr(Ty::Str, d),
                self.expr(Ty::Str, d)
            ),
            28 => format!("trim_end({}, {})", self.regex(), self.expr(Ty::Str, d)),
            _ => format!(
                "tostring(split({}, {})[{}])",
                self.expr(Ty::Str, d),
                quote(","),
                self.small()
            ),
        }
    }

    fn long_expr(&mut self, d: u32) -> String {
        match self.pick(26) {
            0..=4 => {
                let op = ["+", "-", "*", "/", "%"][self.pick(5)];
                format!(
                    "({} {op} {})",
                    self.expr(Ty::Long, d),
                    self.expr(Ty::Long, d)
                )
            }
            5 => format!("-({})", self.expr(Ty::Long, d)),
            6 => format!("abs({})", self.expr(Ty::Long, d)),
            7 => format!("strlen({})", self.expr(Ty::Str, d)),
            8 => format!("tolong({})", self.expr(Ty::Str, d)),
            9 => format!("tolong({})", self.expr(Ty::Real, d)),
            10 => format!("toint({})", self.expr(Ty::Real, d)),
            11 => format!("array_length({})", self.expr(Ty::Dyn, d)),
            12 => format!(
                "countof({}, {})",
                self.expr(Ty::Str, d),
                self.expr(Ty::Str, d)
            ),
            13 => format!(
                "indexof({}, {})",
                self.expr(Ty::Str, d),
                self.expr(Ty::Str, d)
            ),
            14 => format!(
                "bin({}, {})",
                self.expr(Ty::Long, d),
                self.expr(Ty::Long, d)
            ),
            15 => format!(
                "iff({}, {}, {})",
                self.expr(Ty::Bool, d),
                self.expr(Ty::Long, d),
                self.expr(Ty::Long, d)
            ),
            16 => format!(
                "coalesce({}, {})",
                self.expr(Ty::Long, d),
                self.expr(Ty::Long, d)
            ),
            17 => format!("tolong({})", self.expr(Ty::Dyn, d)),
            18 => {
                let part = self.from(&[
                    "\"year\"",
                    "\"month\"",
                    "\"day\"",
                    "\"hour\"",
                    "\"week_of_year\"",
                ]);
                format!("datetime_part({part}, {})", self.expr(Ty::Date, d))
            }
            19 => format!("getyear({})", self.expr(Ty::Date, d)),
            20 => format!(
                "min_of({}, {})",
                self.expr(Ty::Long, d),
                self.expr(Ty::Long, d)
            ),
            21 => format!(
                "max_of({}, {})",
                self.expr(Ty::Long, d),
                self.expr(Ty::Long, d)
            ),
            22 => format!("hash({})", self.expr(Ty::Str, d)),
            23 => {
                let unit = self.from(&["\"day\"", "\"second\"", "\"year\"", "\"millisecond\""]);
                format!(
                    "datetime_diff({unit}, {}, {})",
                    self.expr(Ty::Date, d),
                    self.expr(Ty::Date, d)
                )
            }
            24 => format!("string_size({})", self.expr(Ty::Str, d)),
            _ => format!(
                "array_index_of({}, {})",
                self.expr(Ty::Dyn, d),
                self.expr(Ty::Long, d)
            ),
        }
    }

    fn real_expr(&mut self, d: u32) -> String {
        match self.pick(16) {
            0..=3 => {
                let op = ["+", "-", "*", "/"][self.pick(4)];
                format!(
                    "({} {op} {})",
                    self.expr(Ty::Real, d),
                    self.expr(Ty::Real, d)
                )
            }
            4 => format!("todouble({})", self.expr(Ty::Str, d)),
            5 => format!("todouble({})", self.expr(Ty::Long, d)),
            6 => format!(
                "pow({}, {})",
                self.expr(Ty::Real, d),
                self.expr(Ty::Real, d)
            ),
            7 => format!(
                "floor({}, {})",
                self.expr(Ty::Real, d),
                self.expr(Ty::Real, d)
            ),
            8 => format!("ceiling({})", self.expr(Ty::Real, d)),
            9 => format!(
                "round({}, {})",
                self.expr(Ty::Real, d),
                self.expr(Ty::Long, d)
            ),
            10 => "pi()".to_string(),
            11 => format!(
                "atan2({}, {})",
                self.expr(Ty::Real, d),
                self.expr(Ty::Real, d)
            ),
            12 => format!("array_sum({})", self.expr(Ty::Dyn, d)),
            13 => format!("({} * 1.0)", self.expr(Ty::Long, d)),
            14 => format!(
                "bin({}, {})",
                self.expr(Ty::Real, d),
                self.expr(Ty::Real, d)
            ),
            _ => format!(
                "iff({}, {}, {})",
                self.expr(Ty::Bool, d),
                self.expr(Ty::Real, d),
                self.expr(Ty::Real, d)
            ),
        }
    }

    fn bool_expr(&mut self, d: u32) -> String {
        match self.pick(22) {
            0..=3 => {
                let op = ["==", "!=", "<", "<=", ">", ">="][self.pick(6)];
                let t = [Ty::Long, Ty::Real, Ty::Date, Ty::Span, Ty::Str, Ty::Long][self.pick(6)];
                format!("({} {op} {})", self.expr(t, d), self.expr(t, d))
            }
            4..=6 => {
                let op = [
                    "=~",
                    "!~",
                    "has",
                    "!has",
                    "contains",
                    "!contains",
                    "startswith",
                    "!startswith",
                    "endswith",
                    "has_cs",
                    "contains_cs",
                    "hasprefix",
                    "hassuffix",
                    "!endswith_cs",
                ][self.pick(14)];
                format!("({} {op} {})", self.expr(Ty::Str, d), self.expr(Ty::Str, d))
            }
            7 => format!("({} matches regex {})", self.expr(Ty::Str, d), self.regex()),
            8 => {
                let op = ["in", "!in", "in~", "!in~", "has_any", "has_all"][self.pick(6)];
                format!(
                    "({} {op} ({}, {}))",
                    self.expr(Ty::Str, d),
                    self.expr(Ty::Str, d),
                    self.expr(Ty::Str, d)
                )
            }
            9 => format!(
                "({} between ({} .. {}))",
                self.expr(Ty::Long, d),
                self.expr(Ty::Long, d),
                self.expr(Ty::Long, d)
            ),
            10 => {
                let t = self.any_type();
                let f = ["isnull", "isnotnull", "isempty", "isnotempty"][self.pick(4)];
                format!("{f}({})", self.expr(t, d))
            }
            11 => format!("not({})", self.expr(Ty::Bool, d)),
            12 | 13 => {
                let op = ["and", "or"][self.pick(2)];
                format!(
                    "({} {op} {})",
                    self.expr(Ty::Bool, d),
                    self.expr(Ty::Bool, d)
                )
            }
            14 => format!("tobool({})", self.expr(Ty::Str, d)),
            15 => {
                let f = ["isnan", "isinf", "isfinite"][self.pick(3)];
                format!("{f}({})", self.expr(Ty::Real, d))
            }
            16 => format!("bag_has_key({}, \"a\")", self.expr(Ty::Dyn, d)),
            17 => format!(
                "set_has_element({}, {})",
                self.expr(Ty::Dyn, d),
                self.expr(Ty::Long, d)
            ),
            18 => format!(
                "({} in ({}, {}))",
                self.expr(Ty::Long, d),
                self.expr(Ty::Long, d),
                self.expr(Ty::Long, d)
            ),
            19 => format!("tobool({})", self.expr(Ty::Dyn, d)),
            20 => format!("({} == {})", self.expr(Ty::Bool, d), self.expr(Ty::Bool, d)),
            _ => format!(
                "iff({}, {}, {})",
                self.expr(Ty::Bool, d),
                self.expr(Ty::Bool, d),
                self.expr(Ty::Bool, d)
            ),
        }
    }

    fn date_expr(&mut self, d: u32) -> String {
        match self.pick(14) {
            0 => format!("({} + {})", self.expr(Ty::Date, d), self.expr(Ty::Span, d)),
            1 => format!("({} - {})", self.expr(Ty::Date, d), self.expr(Ty::Span, d)),
            2 => format!(
                "bin({}, {})",
                self.expr(Ty::Date, d),
                self.expr(Ty::Span, d)
            ),
            3 => {
                let f = [
                    "startofday",
                    "startofmonth",
                    "startofweek",
                    "startofyear",
                    "endofday",
                    "endofmonth",
                    "endofweek",
                    "endofyear",
                ][self.pick(8)];
                format!("{f}({})", self.expr(Ty::Date, d))
            }
            4 => format!("todatetime({})", self.expr(Ty::Str, d)),
            5 => {
                let part = self.from(&["\"day\"", "\"month\"", "\"year\"", "\"hour\"", "\"week\""]);
                format!(
                    "datetime_add({part}, {}, {})",
                    self.expr(Ty::Long, d),
                    self.expr(Ty::Date, d)
                )
            }
            6 => format!(
                "make_datetime({}, {}, {})",
                self.expr(Ty::Long, d),
                self.expr(Ty::Long, d),
                self.expr(Ty::Long, d)
            ),
            7 => format!("ago({})", self.expr(Ty::Span, d)),
            8 => format!("unixtime_seconds_todatetime({})", self.expr(Ty::Long, d)),
            9 => format!(
                "unixtime_milliseconds_todatetime({})",
                self.expr(Ty::Real, d)
            ),
            10 => format!("todatetime({})", self.expr(Ty::Dyn, d)),
            11 => format!(
                "bin_at({}, 1d, {})",
                self.expr(Ty::Date, d),
                self.expr(Ty::Date, d)
            ),
            12 => format!("startofmonth({}, {})", self.expr(Ty::Date, d), self.small()),
            _ => format!(
                "iff({}, {}, {})",
                self.expr(Ty::Bool, d),
                self.expr(Ty::Date, d),
                self.expr(Ty::Date, d)
            ),
        }
    }

    fn span_expr(&mut self, d: u32) -> String {
        match self.pick(10) {
            0 => format!("({} - {})", self.expr(Ty::Date, d), self.expr(Ty::Date, d)),
            1 => format!("({} + {})", self.expr(Ty::Span, d), self.expr(Ty::Span, d)),
            2 => format!("({} * {})", self.expr(Ty::Span, d), self.expr(Ty::Long, d)),
            3 => format!("({} / {})", self.expr(Ty::Span, d), self.expr(Ty::Long, d)),
            4 => format!("totimespan({})", self.expr(Ty::Str, d)),
            5 => format!(
                "make_timespan({}, {})",
                self.expr(Ty::Long, d),
                self.expr(Ty::Long, d)
            ),
            6 => format!("-({})", self.expr(Ty::Span, d)),
            7 => format!(
                "bin({}, {})",
                self.expr(Ty::Span, d),
                self.expr(Ty::Span, d)
            ),
            8 => format!("({} * 1h)", self.expr(Ty::Real, d)),
            _ => format!(
                "iff({}, {}, {})",
                self.expr(Ty::Bool, d),
                self.expr(Ty::Span, d),
                self.expr(Ty::Span, d)
            ),
        }
    }

    fn dyn_expr(&mut self, d: u32) -> String {
        match self.pick(22) {
            0 => format!("{}.a", self.expr(Ty::Dyn, d)),
            1 => format!("{}.b.c", self.expr(Ty::Dyn, d)),
            2 => format!("{}[{}]", self.expr(Ty::Dyn, d), self.expr(Ty::Long, d)),
            3 => format!("{}[\"a\"]", self.expr(Ty::Dyn, d)),
            4 => format!("parse_json({})", self.expr(Ty::Str, d)),
            5 => format!("todynamic({})", self.expr(Ty::Str, d)),
            6 => {
                let (a, b) = (self.any_type(), self.any_type());
                format!("pack_array({}, {})", self.expr(a, d), self.expr(b, d))
            }
            7 => {
                let t = self.any_type();
                format!("bag_pack(\"k\", {})", self.expr(t, d))
            }
            8 => format!(
                "split({}, {})",
                self.expr(Ty::Str, d),
                self.expr(Ty::Str, d)
            ),
            9 => format!(
                "array_slice({}, {}, {})",
                self.expr(Ty::Dyn, d),
                self.expr(Ty::Long, d),
                self.expr(Ty::Long, d)
            ),
            10 => format!(
                "array_concat({}, {})",
                self.expr(Ty::Dyn, d),
                self.expr(Ty::Dyn, d)
            ),
            11 => {
                let f = [
                    "set_union",
                    "set_intersect",
                    "set_difference",
                    "bag_merge",
                    "zip",
                ][self.pick(5)];
                format!("{f}({}, {})", self.expr(Ty::Dyn, d), self.expr(Ty::Dyn, d))
            }
            12 => format!("bag_keys({})", self.expr(Ty::Dyn, d)),
            13 => format!(
                "bag_remove_keys({}, dynamic([\"a\", \"b.c\"]))",
                self.expr(Ty::Dyn, d)
            ),
            14 => {
                let f = ["array_sort_asc", "array_sort_desc", "array_reverse"][self.pick(3)];
                format!("{f}({})", self.expr(Ty::Dyn, d))
            }
            15 => format!("extract_all({}, {})", self.regex(), self.expr(Ty::Str, d)),
            16 => format!(
                "iff({}, {}, {})",
                self.expr(Ty::Bool, d),
                self.expr(Ty::Dyn, d),
                self.expr(Ty::Dyn, d)
            ),
            17 => {
                let t = self.any_type();
                format!("todynamic({})", self.expr(t, d))
            }
            18 => format!("{}[-1]", self.expr(Ty::Dyn, d)),
            19 => format!(
                "bag_pack(\"a\", {}, \"b\", {})",
                self.expr(Ty::Dyn, d),
                self.expr(Ty::Long, d)
            ),
            20 => format!("parse_json({})", self.expr(Ty::Dyn, d)),
            _ => format!("array_slice({}, 1, -1)", self.expr(Ty::Dyn, d)),
        }
    }

    /// A whole query: a source and up to [`MAX_OPERATORS`] piped operators.
    pub fn query(&mut self) -> String {
        let mut q = self.source();
        for _ in 0..MAX_OPERATORS {
            // Stop on 0, which is also what an exhausted input gives.
            if self.pick(4) == 0 {
                break;
            }
            let op = self.operator();
            q.push_str("\n| ");
            q.push_str(&op);
        }
        q
    }

    fn source(&mut self) -> String {
        match self.pick(8) {
            0..=4 => {
                self.cols = table_columns();
                "T".to_string()
            }
            5 => {
                let t = self.any_type();
                self.cols = Vec::new();
                let e = self.expr(t, MAX_EXPR_DEPTH);
                self.cols = vec![("x".to_string(), t)];
                format!("print x = {e}")
            }
            6 => {
                self.cols = vec![("i".to_string(), Ty::Long)];
                format!(
                    "range i from {} to {} step 1",
                    self.small(),
                    self.from(&["0", "5", "20"])
                )
            }
            _ => {
                self.cols = table_columns();
                let p = self.predicate();
                format!("union T, (T | where {p})")
            }
        }
    }

    fn operator(&mut self) -> String {
        match self.pick(22) {
            0..=3 => format!("where {}", self.predicate()),
            4..=6 => {
                let t = self.any_type();
                let e = self.expr(t, MAX_EXPR_DEPTH);
                let name = self.fresh("c");
                self.cols.push((name.clone(), t));
                format!("extend {name} = {e}")
            }
            7 => {
                // A non-empty subset of the columns, sometimes with a computed one.
                let mut keep: Vec<(String, Ty)> = Vec::new();
                for c in self.cols.clone() {
                    if self.pick(2) == 0 {
                        keep.push(c);
                    }
                }
                let mut items: Vec<String> = keep.iter().map(|(n, _)| n.clone()).collect();
                if keep.is_empty() || self.pick(3) == 0 {
                    let t = self.any_type();
                    let e = self.expr(t, 2);
                    let name = self.fresh("p");
                    items.push(format!("{name} = {e}"));
                    keep.push((name, t));
                }
                self.cols = keep;
                format!("project {}", items.join(", "))
            }
            8 if self.cols.len() > 1 => {
                let i = self.pick(self.cols.len());
                let (name, _) = self.cols.remove(i);
                format!("project-away {name}")
            }
            9 => {
                let i = self.pick(self.cols.len());
                let name = self.fresh("rn");
                let old = std::mem::replace(&mut self.cols[i].0, name.clone());
                format!("project-rename {name} = {old}")
            }
            10 | 11 => self.summarize(),
            12 => {
                let (c, _) = self.any_column();
                let dir = self.from(&["", " asc", " desc"]);
                let nulls = self.from(&["", " nulls first", " nulls last"]);
                format!("sort by {c}{dir}{nulls}")
            }
            13 => format!("take {}", self.from(&["0", "1", "3", "100"])),
            14 => {
                let (c, _) = self.any_column();
                let dir = self.from(&["", " asc", " desc"]);
                format!("top {} by {c}{dir}", self.from(&["0", "1", "3"]))
            }
            15 => {
                let (c, _) = self.any_column();
                self.cols.retain(|(n, _)| *n == c);
                format!("distinct {c}")
            }
            16 => {
                self.cols = vec![("Count".to_string(), Ty::Long)];
                "count".to_string()
            }
            17 => match self.column_of(Ty::Dyn) {
                Some(c) => {
                    let with_index = self.pick(3) == 0;
                    if with_index {
                        let idx = self.fresh("ix");
                        self.cols.push((idx.clone(), Ty::Long));
                        format!("mv-expand with_itemindex={idx} {c}")
                    } else {
                        format!("mv-expand {c}")
                    }
                }
                None => "take 5".to_string(),
            },
            18 => match self.column_of(Ty::Str) {
                Some(c) => {
                    let sep = quote(self.from(&[",", " ", "/", "vm", ""]));
                    let name = self.fresh("pc");
                    let ty = self.from(&["string", "long", "real"]);
                    let t = match ty {
                        "long" => Ty::Long,
                        "real" => Ty::Real,
                        _ => Ty::Str,
                    };
                    let kind = self.from(&["parse", "parse-where", "parse kind=relaxed"]);
                    self.cols.push((name.clone(), t));
                    format!("{kind} {c} with * {sep} {name}:{ty} *")
                }
                None => "take 3".to_string(),
            },
            19 => self.join(),
            20 => {
                let name = self.fresh("row");
                self.cols.push((name.clone(), Ty::Long));
                format!("serialize {name} = row_number()")
            }
            _ => {
                self.cols = vec![
                    ("ColumnName".to_string(), Ty::Str),
                    ("ColumnOrdinal".to_string(), Ty::Long),
                    ("DataType".to_string(), Ty::Str),
                    ("ColumnType".to_string(), Ty::Str),
                ];
                "getschema".to_string()
            }
        }
    }

    fn summarize(&mut self) -> String {
        let before = self.cols.clone();
        let mut aggs = Vec::new();
        let mut out = Vec::new();
        for _ in 0..=self.pick(3) {
            let name = self.fresh("a");
            let (agg, ty) = match self.pick(14) {
                0 => ("count()".to_string(), Ty::Long),
                1 => (format!("countif({})", self.predicate()), Ty::Long),
                2 => (format!("sum({})", self.expr(Ty::Long, 2)), Ty::Long),
                3 => (format!("sum({})", self.expr(Ty::Real, 2)), Ty::Real),
                4 => (format!("avg({})", self.expr(Ty::Long, 2)), Ty::Real),
                5 | 6 => {
                    let t = [Ty::Long, Ty::Real, Ty::Date, Ty::Str, Ty::Span][self.pick(5)];
                    let f = ["min", "max", "take_any"][self.pick(3)];
                    (format!("{f}({})", self.expr(t, 2)), t)
                }
                7 => {
                    let t = self.any_type();
                    (format!("dcount({})", self.expr(t, 2)), Ty::Long)
                }
                8 => {
                    let t = self.any_type();
                    let f = ["make_set", "make_list", "make_list_with_nulls"][self.pick(3)];
                    (format!("{f}({})", self.expr(t, 2)), Ty::Dyn)
                }
                9 => (format!("make_bag({})", self.expr(Ty::Dyn, 2)), Ty::Dyn),
                10 => (format!("stdev({})", self.expr(Ty::Real, 2)), Ty::Real),
                11 => (format!("variance({})", self.expr(Ty::Long, 2)), Ty::Real),
                12 => (
                    format!(
                        "percentile({}, {})",
                        self.expr(Ty::Long, 2),
                        self.from(&["0", "50", "100"])
                    ),
                    Ty::Long,
                ),
                _ => (
                    format!(
                        "make_set_if({}, {})",
                        self.expr(Ty::Str, 2),
                        self.predicate()
                    ),
                    Ty::Dyn,
                ),
            };
            aggs.push(format!("{name} = {agg}"));
            out.push((name, ty));
        }
        let mut keys = Vec::new();
        let mut key_cols = Vec::new();
        for _ in 0..self.pick(3) {
            self.cols = before.clone();
            match self.pick(4) {
                0 => {
                    let (c, t) = self.any_column();
                    if !key_cols.iter().any(|(n, _): &(String, Ty)| *n == c) {
                        keys.push(c.clone());
                        key_cols.push((c, t));
                    }
                }
                1 => {
                    let name = self.fresh("k");
                    keys.push(format!("{name} = bin({}, 2)", self.expr(Ty::Long, 1)));
                    key_cols.push((name, Ty::Long));
                }
                2 => {
                    let name = self.fresh("k");
                    keys.push(format!("{name} = bin({}, 1d)", self.expr(Ty::Date, 1)));
                    key_cols.push((name, Ty::Date));
                }
                _ => {
                    let t = self.any_type();
                    let name = self.fresh("k");
                    keys.push(format!("{name} = {}", self.expr(t, 2)));
                    key_cols.push((name, t));
                }
            }
        }
        self.cols = before;
        // Sometimes the arg_max form, which keeps every column.
        if self.pick(6) == 0 {
            if let Some(c) = self.column_of(Ty::Long) {
                let (k, _) = self.any_column();
                let f = self.from(&["arg_max", "arg_min"]);
                let mut cols = vec![self
                    .cols
                    .iter()
                    .find(|(n, _)| *n == k)
                    .cloned()
                    .unwrap_or((k.clone(), Ty::Str))];
                cols.extend(self.cols.iter().filter(|(n, _)| *n != k).cloned());
                self.cols = cols;
                return format!("summarize {f}({c}, *) by {k}");
            }
        }
        key_cols.extend(out);
        self.cols = key_cols;
        if keys.is_empty() {
            format!("summarize {}", aggs.join(", "))
        } else {
            format!("summarize {} by {}", aggs.join(", "), keys.join(", "))
        }
    }

    fn join(&mut self) -> String {
        let Some(left) = self.column_of(Ty::Str) else {
            return "take 4".to_string();
        };
        let kind = self.from(&[
            "inner",
            "innerunique",
            "leftouter",
            "rightouter",
            "fullouter",
            "leftanti",
            "rightanti",
            "leftsemi",
            "rightsemi",
        ]);
        let saved = std::mem::replace(&mut self.cols, table_columns());
        let filter = if self.pick(2) == 0 {
            format!(" | where {}", self.predicate())
        } else {
            String::new()
        };
        let k = self.fresh("jk");
        let v = self.fresh("jv");
        let right = vec![(k.clone(), Ty::Str), (v.clone(), Ty::Long)];
        self.cols = match kind {
            "leftanti" | "leftsemi" => saved,
            "rightanti" | "rightsemi" => right,
            _ => saved.into_iter().chain(right).collect(),
        };
        format!(
            "join kind={kind} (T{filter} | project {k} = s, {v} = n) on $left.{left} == $right.{k}"
        )
    }
}
