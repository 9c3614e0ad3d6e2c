//! `Display` for the syntax tree: prints KQL that parses back to the same tree.
//! Parentheses are added only where precedence needs them.

use std::fmt::{self, Display, Formatter, Write};

use super::ast::*;
use super::lexical::{is_ident_char, is_ident_start};
use crate::functions::conversion::format_guid;
use crate::functions::datetime::format_datetime_iso;

/// Words printed in brackets when used as names, so they are not read as keywords.
const RESERVED: &[&str] = &[
    "and",
    "or",
    "by",
    "with",
    "on",
    "of",
    "to",
    "step",
    "from",
    "asc",
    "desc",
    "nulls",
    "first",
    "last",
    "kind",
    "let",
    "view",
    "datatable",
    "range",
    "print",
    "union",
    "true",
    "false",
    "TRUE",
    "FALSE",
    "True",
    "False",
    "in",
    "between",
    "has_any",
    "has_all",
    "contains",
    "has",
    "like",
    "matches",
    "limit",
    "typeof",
    "hint",
    "withsource",
    "isfuzzy",
    "flags",
    "bagexpansion",
    "with_itemindex",
    "as",
    "null",
    "where",
    "project",
    "extend",
    "summarize",
];

/// Writes `items` separated by `, `.
fn comma<T: Display>(f: &mut Formatter, items: &[T]) -> fmt::Result {
    for (n, x) in items.iter().enumerate() {
        if n > 0 {
            f.write_str(", ")?;
        }
        write!(f, "{x}")?;
    }
    Ok(())
}

impl Display for Query {
    fn fmt(&self, f: &mut Formatter) -> fmt::Result {
        for (n, s) in self.statements.iter().enumerate() {
            if n > 0 {
                f.write_str(";\n")?;
            }
            write!(f, "{s}")?;
        }
        Ok(())
    }
}

impl Display for Statement {
    fn fmt(&self, f: &mut Formatter) -> fmt::Result {
        match self {
            Statement::Let(l) => write!(f, "{l}"),
            Statement::Tabular(t) => write!(f, "{t}"),
            Statement::Expr(e) => write!(f, "{e}"),
        }
    }
}

impl Display for LetStatement {
    fn fmt(&self, f: &mut Formatter) -> fmt::Result {
        write!(f, "let {} = {}", self.name, self.value)
    }
}

impl Display for LetValue {
    fn fmt(&self, f: &mut Formatter) -> fmt::Result {
        match self {
            LetValue::Scalar(e) => write!(f, "{e}"),
            LetValue::Tabular(t) => write!(f, "{t}"),
            LetValue::Function(d) => write!(f, "{d}"),
        }
    }
}

impl Display for FunctionDef {
    fn fmt(&self, f: &mut Formatter) -> fmt::Result {
        if self.is_view {
            f.write_str("view ")?;
        }
        f.write_char('(')?;
        comma(f, &self.params)?;
        f.write_str(") { ")?;
        for (n, s) in self.body.iter().enumerate() {
            if n > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{s}")?;
        }
        f.write_str(" }")
    }
}

impl Display for Param {
    fn fmt(&self, f: &mut Formatter) -> fmt::Result {
        match &self.ty {
            Some(t) => write!(f, "{}: {t}", self.name)?,
            None => write!(f, "{}: (*)", self.name)?,
        }
        match &self.default {
            Some(d) => write!(f, " = {d}"),
            None => Ok(()),
        }
    }
}

impl Display for TypeName {
    fn fmt(&self, f: &mut Formatter) -> fmt::Result {
        f.write_str(self.ty.name())
    }
}

/// True when `name` can be written without brackets.
fn is_plain(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(is_ident_start)
        && chars.all(is_ident_char)
        && !RESERVED.contains(&name)
}

impl Display for Ident {
    fn fmt(&self, f: &mut Formatter) -> fmt::Result {
        if is_plain(&self.name) {
            f.write_str(&self.name)
        } else {
            write!(f, "[{}]", Quoted(&self.name))
        }
    }
}

/// A string literal with escapes: `"a\"b"`.
struct Quoted<'a>(&'a str);

impl Display for Quoted<'_> {
    fn fmt(&self, f: &mut Formatter) -> fmt::Result {
        f.write_char('"')?;
        for c in self.0.chars() {
            match c {
                '"' => f.write_str("\\\"")?,
                '\\' => f.write_str("\\\\")?,
                '\n' => f.write_str("\\n")?,
                '\r' => f.write_str("\\r")?,
                '\t' => f.write_str("\\t")?,
                c if c.is_control() => write!(f, "\\u{:04x}", c as u32)?,
                c => f.write_char(c)?,
            }
        }
        f.write_char('"')
    }
}

impl Display for TabularExpr {
    fn fmt(&self, f: &mut Formatter) -> fmt::Result {
        let implicit = matches!(self.source, Source::Implicit(_));
        write!(f, "{}", self.source)?;
        for (n, op) in self.operators.iter().enumerate() {
            if implicit && n == 0 {
                write!(f, "{op}")?;
            } else {
                write!(f, " | {op}")?;
            }
        }
        Ok(())
    }
}

impl Display for Source {
    fn fmt(&self, f: &mut Formatter) -> fmt::Result {
        match self {
            Source::Table(t) => write!(f, "{t}"),
            Source::Call { name, args, .. } => {
                write!(f, "{name}(")?;
                comma(f, args)?;
                f.write_char(')')
            }
            Source::Implicit(_) => Ok(()),
            Source::Datatable {
                columns, values, ..
            } => {
                f.write_str("datatable(")?;
                for (n, (c, t)) in columns.iter().enumerate() {
                    write!(f, "{}{c}: {t}", if n > 0 { ", " } else { "" })?;
                }
                f.write_str(") [")?;
                comma(f, values)?;
                f.write_char(']')
            }
            Source::Print(items, _) => {
                f.write_str("print ")?;
                comma(f, items)
            }
            Source::Range {
                name,
                from,
                to,
                step,
                ..
            } => {
                write!(f, "range {name} from {from} to {to} step {step}")
            }
            Source::Union(u) => write!(f, "{u}"),
            Source::Paren(t) => write!(f, "({t})"),
        }
    }
}

impl Display for Union {
    fn fmt(&self, f: &mut Formatter) -> fmt::Result {
        f.write_str("union")?;
        if self.inner {
            f.write_str(" kind=inner")?;
        }
        if let Some(w) = &self.with_source {
            write!(f, " withsource={w}")?;
        }
        if self.is_fuzzy {
            f.write_str(" isfuzzy=true")?;
        }
        for (n, leg) in self.legs.iter().enumerate() {
            f.write_str(if n > 0 { ", " } else { " " })?;
            write!(f, "{}", Leg(leg))?;
        }
        Ok(())
    }
}

/// A join right side or union leg: a bare name when it is one, else `(subquery)`.
struct Leg<'a>(&'a TabularExpr);

impl Display for Leg<'_> {
    fn fmt(&self, f: &mut Formatter) -> fmt::Result {
        match (&self.0.source, self.0.operators.is_empty()) {
            (Source::Table(t), true) if t.name.contains('*') => f.write_str(&t.name),
            (Source::Table(t), true) => write!(f, "{t}"),
            _ => write!(f, "({})", self.0),
        }
    }
}

impl Display for NamedExpr {
    fn fmt(&self, f: &mut Formatter) -> fmt::Result {
        match self.names.as_slice() {
            [] => {}
            [one] => write!(f, "{one} = ")?,
            many => {
                f.write_char('(')?;
                comma(f, many)?;
                f.write_str(") = ")?;
            }
        }
        write!(f, "{}", self.expr)
    }
}

impl Display for SortKey {
    fn fmt(&self, f: &mut Formatter) -> fmt::Result {
        write!(f, "{}", self.expr)?;
        match self.direction {
            Some(SortDirection::Asc) => f.write_str(" asc")?,
            Some(SortDirection::Desc) => f.write_str(" desc")?,
            None => {}
        }
        match self.nulls {
            Some(NullsPosition::First) => f.write_str(" nulls first"),
            Some(NullsPosition::Last) => f.write_str(" nulls last"),
            None => Ok(()),
        }
    }
}

/// A column pattern for `project-away`/`project-keep`: `*` stays bare.
struct Pattern<'a>(&'a Ident);

impl Display for Pattern<'_> {
    fn fmt(&self, f: &mut Formatter) -> fmt::Result {
        let n = &self.0.name;
        let wild = n.contains('*') && n.chars().all(|c| c == '*' || is_ident_char(c) || c == '$');
        if wild {
            f.write_str(n)
        } else {
            write!(f, "{}", self.0)
        }
    }
}

fn patterns(f: &mut Formatter, items: &[Ident]) -> fmt::Result {
    let list: Vec<Pattern> = items.iter().map(Pattern).collect();
    comma(f, &list)
}

/// A real number as KQL text that reads back to the same value.
fn real_text(v: f64) -> String {
    if v.is_nan() {
        "real(nan)".into()
    } else if v.is_infinite() {
        if v > 0.0 { "real(+inf)" } else { "real(-inf)" }.into()
    } else if v < 0.0 || (v == 0.0 && v.is_sign_negative()) {
        format!("real({v:?})")
    } else {
        let s = format!("{v:?}");
        if s.contains(['.', 'e', 'E']) {
            s
        } else {
            format!("{s}.0")
        }
    }
}

/// A timespan in the largest unit that divides it exactly.
fn timespan_text(t: i64) -> String {
    let units = [
        (864_000_000_000, "d"),
        (36_000_000_000, "h"),
        (600_000_000, "m"),
        (10_000_000, "s"),
        (10_000, "ms"),
        (10, "microsecond"),
    ];
    let (per, unit) = units
        .into_iter()
        .find(|(per, _)| t % per == 0)
        .unwrap_or((1, "tick"));
    if t < 0 {
        format!("timespan(-{}{unit})", (t / per).unsigned_abs())
    } else {
        format!("{}{unit}", t / per)
    }
}

impl Display for Literal {
    fn fmt(&self, f: &mut Formatter) -> fmt::Result {
        match self {
            Literal::Bool(Some(b)) => write!(f, "{b}"),
            Literal::Bool(None) => f.write_str("bool(null)"),
            Literal::Int(Some(v)) => write!(f, "int({v})"),
            Literal::Int(None) => f.write_str("int(null)"),
            Literal::Long(Some(v)) if *v < 0 => write!(f, "long({v})"),
            Literal::Long(Some(v)) => write!(f, "{v}"),
            Literal::Long(None) => f.write_str("long(null)"),
            Literal::Real(Some(v)) => f.write_str(&real_text(*v)),
            Literal::Real(None) => f.write_str("real(null)"),
            Literal::Decimal(Some(v)) => write!(
                f,
                "decimal({})",
                real_text(*v)
                    .trim_start_matches("real(")
                    .trim_end_matches(')')
            ),
            Literal::Decimal(None) => f.write_str("decimal(null)"),
            Literal::String(s) => write!(f, "{}", Quoted(s)),
            Literal::DateTime(Some(t)) => write!(f, "datetime({})", format_datetime_iso(*t, true)),
            Literal::DateTime(None) => f.write_str("datetime(null)"),
            Literal::TimeSpan(Some(t)) => f.write_str(&timespan_text(*t)),
            Literal::TimeSpan(None) => f.write_str("timespan(null)"),
            Literal::Guid(Some(g)) => write!(f, "guid({})", format_guid(*g)),
            Literal::Guid(None) => f.write_str("guid(null)"),
            Literal::Dynamic(v) => write!(f, "dynamic({v})"),
        }
    }
}

impl Display for Operator {
    fn fmt(&self, f: &mut Formatter) -> fmt::Result {
        match &self.kind {
            OperatorKind::Where(e) => write!(f, "where {e}"),
            OperatorKind::Extend(v) => list(f, "extend ", v),
            OperatorKind::Project(v) => list(f, "project ", v),
            OperatorKind::ProjectAway(v) => {
                f.write_str("project-away ")?;
                patterns(f, v)
            }
            OperatorKind::ProjectKeep(v) => {
                f.write_str("project-keep ")?;
                patterns(f, v)
            }
            OperatorKind::ProjectRename(v) => {
                let pairs: Vec<String> = v.iter().map(|(n, o)| format!("{n} = {o}")).collect();
                list(f, "project-rename ", &pairs)
            }
            OperatorKind::ProjectReorder(v) => {
                f.write_str("project-reorder")?;
                for (n, (c, d)) in v.iter().enumerate() {
                    write!(f, "{}{}", if n > 0 { ", " } else { " " }, Pattern(c))?;
                    match d {
                        Some(SortDirection::Asc) => f.write_str(" asc")?,
                        Some(SortDirection::Desc) => f.write_str(" desc")?,
                        None => {}
                    }
                }
                Ok(())
            }
            OperatorKind::Summarize { aggregates, by } => {
                f.write_str("summarize")?;
                if !aggregates.is_empty() {
                    list(f, " ", aggregates)?;
                }
                if !by.is_empty() {
                    list(f, " by ", by)?;
                }
                Ok(())
            }
            OperatorKind::Parse(p) => write!(f, "{p}"),
            OperatorKind::Take(e) => write!(f, "take {e}"),
            OperatorKind::Count(None) => f.write_str("count"),
            OperatorKind::Count(Some(n)) => write!(f, "count as {n}"),
            OperatorKind::Sort(keys) => list(f, "sort by ", keys),
            OperatorKind::Top { count, by } => write!(f, "top {count} by {by}"),
            OperatorKind::Distinct(v) if v.is_empty() => f.write_str("distinct *"),
            OperatorKind::Distinct(v) => list(f, "distinct ", v),
            OperatorKind::MvExpand(m) => write!(f, "{m}"),
            OperatorKind::Join(j) => write!(f, "join{j}"),
            OperatorKind::Lookup(j) => write!(f, "lookup{j}"),
            OperatorKind::Union(u) => write!(f, "{u}"),
            OperatorKind::Sample(e) => write!(f, "sample {e}"),
            OperatorKind::SampleDistinct { count, column } => {
                write!(f, "sample-distinct {count} of {column}")
            }
            OperatorKind::GetSchema => f.write_str("getschema"),
            OperatorKind::As(n) => write!(f, "as {n}"),
            OperatorKind::Serialize(v) if v.is_empty() => f.write_str("serialize"),
            OperatorKind::Serialize(v) => list(f, "serialize ", v),
            OperatorKind::Search(e) => write!(f, "search {e}"),
            OperatorKind::Render(s) => write!(f, "render {s}"),
            OperatorKind::Evaluate(e) => write!(f, "evaluate {e}"),
        }
    }
}

/// `prefix` then the items separated by `, `.
fn list<T: Display>(f: &mut Formatter, prefix: &str, items: &[T]) -> fmt::Result {
    f.write_str(prefix)?;
    comma(f, items)
}

impl Display for Parse {
    fn fmt(&self, f: &mut Formatter) -> fmt::Result {
        f.write_str(if self.is_where {
            "parse-where"
        } else {
            "parse"
        })?;
        match self.kind {
            ParseKind::Simple => {}
            ParseKind::Regex => f.write_str(" kind=regex")?,
            ParseKind::Relaxed => f.write_str(" kind=relaxed")?,
        }
        if let Some(fl) = &self.flags {
            write!(f, " flags={fl}")?;
        }
        write!(f, " {} with", self.expr)?;
        for p in &self.pattern {
            match p {
                PatternPart::Wildcard(_) => f.write_str(" *")?,
                PatternPart::Literal(s, _) => write!(f, " {}", Quoted(s))?,
                PatternPart::Column(n, None) => write!(f, " {n}")?,
                PatternPart::Column(n, Some(t)) => write!(f, " {n}: {t}")?,
            }
        }
        Ok(())
    }
}

impl Display for MvExpand {
    fn fmt(&self, f: &mut Formatter) -> fmt::Result {
        f.write_str("mv-expand")?;
        if self.array_kind {
            f.write_str(" kind=array")?;
        }
        if let Some(w) = &self.with_itemindex {
            write!(f, " with_itemindex={w}")?;
        }
        for (n, (item, ty)) in self.items.iter().enumerate() {
            write!(f, "{}{item}", if n > 0 { ", " } else { " " })?;
            if let Some(t) = ty {
                write!(f, " to typeof({t})")?;
            }
        }
        match &self.limit {
            Some(l) => write!(f, " limit {l}"),
            None => Ok(()),
        }
    }
}

impl Display for Join {
    fn fmt(&self, f: &mut Formatter) -> fmt::Result {
        if let Some(k) = self.kind {
            let name = match k {
                JoinKind::InnerUnique => "innerunique",
                JoinKind::Inner => "inner",
                JoinKind::LeftOuter => "leftouter",
                JoinKind::RightOuter => "rightouter",
                JoinKind::FullOuter => "fullouter",
                JoinKind::LeftAnti => "leftanti",
                JoinKind::RightAnti => "rightanti",
                JoinKind::LeftSemi => "leftsemi",
                JoinKind::RightSemi => "rightsemi",
            };
            write!(f, " kind={name}")?;
        }
        for (k, v) in &self.hints {
            let plain = !v.is_empty() && v.chars().all(|c| is_ident_char(c) || c == '.');
            match plain {
                true => write!(f, " {k}={v}")?,
                false => write!(f, " {k}={}", Quoted(v))?,
            }
        }
        write!(f, " {} on ", Leg(&self.right))?;
        for (n, c) in self.on.iter().enumerate() {
            f.write_str(if n > 0 { ", " } else { "" })?;
            match c {
                JoinCondition::Same(id) => write!(f, "{id}")?,
                JoinCondition::Equal { left, right } => {
                    write!(f, "$left.{left} == $right.{right}")?
                }
            }
        }
        Ok(())
    }
}

/// How loosely an expression binds: 1 (primary) to 9 (`or`).
fn level(e: &Expr) -> u8 {
    match &e.kind {
        ExprKind::Unary(..) => 2,
        ExprKind::Binary(op, ..) => match op {
            BinaryOp::Str(_) => 3,
            BinaryOp::Mul | BinaryOp::Div | BinaryOp::Mod => 4,
            BinaryOp::Add | BinaryOp::Sub => 5,
            BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge => 6,
            BinaryOp::Eq | BinaryOp::Ne => 7,
            BinaryOp::And => 8,
            BinaryOp::Or => 9,
        },
        ExprKind::In { .. } | ExprKind::HasList { .. } | ExprKind::Between { .. } => 7,
        _ => 1,
    }
}

/// Prints `e`, in parentheses when it binds more loosely than `max` allows.
struct Operand<'a>(&'a Expr, u8);

impl Display for Operand<'_> {
    fn fmt(&self, f: &mut Formatter) -> fmt::Result {
        if level(self.0) > self.1 {
            write!(f, "({})", self.0)
        } else {
            write!(f, "{}", self.0)
        }
    }
}

fn str_op(op: StrOp) -> String {
    let base = match op.test {
        StrTest::Equals => return if op.negated { "!~" } else { "=~" }.into(),
        StrTest::MatchesRegex => return "matches regex".into(),
        StrTest::Like => {
            return format!(
                "{}like{}",
                if op.negated { "not" } else { "" },
                if op.case_sensitive { "cs" } else { "" }
            );
        }
        StrTest::Contains => "contains",
        StrTest::StartsWith => "startswith",
        StrTest::EndsWith => "endswith",
        StrTest::Has => "has",
        StrTest::HasPrefix => "hasprefix",
        StrTest::HasSuffix => "hassuffix",
    };
    format!(
        "{}{base}{}",
        if op.negated { "!" } else { "" },
        if op.case_sensitive { "_cs" } else { "" }
    )
}

fn bin_op(op: BinaryOp) -> String {
    match op {
        BinaryOp::Add => "+",
        BinaryOp::Sub => "-",
        BinaryOp::Mul => "*",
        BinaryOp::Div => "/",
        BinaryOp::Mod => "%",
        BinaryOp::Lt => "<",
        BinaryOp::Le => "<=",
        BinaryOp::Gt => ">",
        BinaryOp::Ge => ">=",
        BinaryOp::Eq => "==",
        BinaryOp::Ne => "!=",
        BinaryOp::And => "and",
        BinaryOp::Or => "or",
        BinaryOp::Str(s) => return str_op(s),
    }
    .into()
}

/// A value that is followed by a path step: names, calls and paths print bare.
fn path_base(f: &mut Formatter, e: &Expr) -> fmt::Result {
    match &e.kind {
        ExprKind::Name(_) | ExprKind::Call(..) | ExprKind::Member(..) | ExprKind::Index(..) => {
            write!(f, "{e}")
        }
        _ => write!(f, "({e})"),
    }
}

impl Display for Expr {
    fn fmt(&self, f: &mut Formatter) -> fmt::Result {
        let lv = level(self);
        match &self.kind {
            ExprKind::Literal(l) => write!(f, "{l}"),
            ExprKind::Name(n) => write!(f, "{n}"),
            ExprKind::Star => f.write_char('*'),
            ExprKind::Member(base, key) => {
                path_base(f, base)?;
                match is_plain(&key.name) {
                    true => write!(f, ".{}", key.name),
                    false => write!(f, "[{}]", Quoted(&key.name)),
                }
            }
            ExprKind::Index(base, idx) => {
                path_base(f, base)?;
                write!(f, "[{idx}]")
            }
            ExprKind::Call(name, args) => {
                f.write_str(&name.name)?;
                f.write_char('(')?;
                comma(f, args)?;
                f.write_char(')')
            }
            ExprKind::Unary(op, x) => {
                f.write_char(if *op == UnaryOp::Neg { '-' } else { '+' })?;
                write!(f, "{}", Operand(x, 1))
            }
            ExprKind::Binary(op, l, r) => {
                write!(
                    f,
                    "{} {} {}",
                    Operand(l, lv),
                    bin_op(*op),
                    Operand(r, lv - 1)
                )
            }
            ExprKind::In {
                expr,
                negated,
                case_insensitive,
                list,
            } => {
                let op = format!(
                    "{}in{}",
                    if *negated { "!" } else { "" },
                    if *case_insensitive { "~" } else { "" }
                );
                write!(f, "{} {op} (", Operand(expr, lv))?;
                comma(f, list)?;
                f.write_char(')')
            }
            ExprKind::HasList { expr, all, list } => {
                write!(
                    f,
                    "{} {} (",
                    Operand(expr, lv),
                    if *all { "has_all" } else { "has_any" }
                )?;
                comma(f, list)?;
                f.write_char(')')
            }
            ExprKind::Between {
                expr,
                negated,
                low,
                high,
            } => {
                let op = if *negated { "!between" } else { "between" };
                write!(f, "{} {op} ({low} .. {high})", Operand(expr, lv))
            }
            ExprKind::Tabular(t) => write!(f, "({t})"),
        }
    }
}
