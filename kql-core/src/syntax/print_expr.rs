//! `Display` for expressions, literals and names: KQL that parses back to the same tree.
//! Parentheses are added only where precedence needs them.

use std::fmt::{self, Display, Formatter, Write};

use super::ast::*;
use super::lexical::{is_ident_char, is_ident_start};
use super::print::comma;
use crate::functions::conversion::format_guid;
use crate::functions::datetime::format_datetime_iso;

/// Words printed in brackets when used as names, so they are not read as keywords.
const RESERVED: &str = "and or by with on of to step from asc desc nulls first last kind let view \
    datatable range print union true false TRUE FALSE True False in between has_any \
    has_all contains has like matches limit typeof hint withsource isfuzzy flags \
    bagexpansion with_itemindex as null where project extend summarize";

/// True when `name` can be written without brackets.
fn is_plain(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(is_ident_start)
        && chars.all(is_ident_char)
        && !RESERVED.split_whitespace().any(|w| w == name)
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
pub(crate) struct Quoted<'a>(pub(crate) &'a str);

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

/// Prints a path `a.b[0].c` walking its spine in a loop (paths can be long).
fn path(f: &mut Formatter, e: &Expr) -> fmt::Result {
    let mut steps = Vec::new();
    let mut root = e;
    while let ExprKind::Member(base, _) | ExprKind::Index(base, _) = &root.kind {
        steps.push(root);
        root = base;
    }
    match &root.kind {
        ExprKind::Name(_) | ExprKind::Call(..) => write!(f, "{root}")?,
        _ => write!(f, "({root})")?,
    }
    for step in steps.iter().rev() {
        match &step.kind {
            ExprKind::Member(_, key) if is_plain(&key.name) => write!(f, ".{}", key.name)?,
            ExprKind::Member(_, key) => write!(f, "[{}]", Quoted(&key.name))?,
            ExprKind::Index(_, idx) => write!(f, "[{idx}]")?,
            _ => {}
        }
    }
    Ok(())
}

/// Prints `a op b op c …` at one level walking the left spine in a loop (chains can be long).
fn binary_chain(f: &mut Formatter, e: &Expr, lv: u8) -> fmt::Result {
    let mut rights = Vec::new();
    let mut first = e;
    while let ExprKind::Binary(op, l, r) = &first.kind {
        if level(first) != lv {
            break;
        }
        rights.push((*op, &**r));
        first = l;
    }
    write!(f, "{}", Operand(first, lv))?;
    for (op, r) in rights.iter().rev() {
        write!(f, " {} {}", bin_op(*op), Operand(r, lv - 1))?;
    }
    Ok(())
}

impl Display for Expr {
    fn fmt(&self, f: &mut Formatter) -> fmt::Result {
        let lv = level(self);
        match &self.kind {
            ExprKind::Literal(l) => write!(f, "{l}"),
            ExprKind::Name(n) => write!(f, "{n}"),
            ExprKind::Star => f.write_char('*'),
            ExprKind::Member(..) | ExprKind::Index(..) => path(f, self),
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
            ExprKind::Binary(..) => binary_chain(f, self, lv),
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
            ExprKind::NamedArg(name, value) => write!(f, "{name} = {value}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::parse_expr;
    use super::*;

    fn lit(l: Literal) -> Expr {
        Expr::new(ExprKind::Literal(l), Default::default())
    }

    #[test]
    fn literals_print_back_to_themselves() {
        let day = 864_000_000_000;
        for (l, printed) in [
            (Literal::Long(Some(-5)), "long(-5)"),
            (Literal::Long(None), "long(null)"),
            (Literal::Int(Some(7)), "int(7)"),
            (Literal::Real(Some(1.0)), "1.0"),
            (Literal::Real(Some(-2.5)), "real(-2.5)"),
            (Literal::Real(Some(1e300)), "1e300"),
            (Literal::Real(Some(f64::INFINITY)), "real(+inf)"),
            (Literal::Decimal(Some(1.5)), "decimal(1.5)"),
            (Literal::Bool(None), "bool(null)"),
            (
                Literal::String("a\"b\\c\n\u{1}é".into()),
                "\"a\\\"b\\\\c\\n\\u0001é\"",
            ),
            (Literal::TimeSpan(Some(day)), "1d"),
            (Literal::TimeSpan(Some(54_000_000_000)), "90m"),
            (Literal::TimeSpan(Some(-day)), "timespan(-1d)"),
            (Literal::TimeSpan(Some(15)), "15tick"),
            (
                Literal::DateTime(Some(0)),
                "datetime(0001-01-01T00:00:00.0000000Z)",
            ),
            (
                Literal::Guid(Some(1)),
                "guid(00000000-0000-0000-0000-000000000001)",
            ),
            (
                Literal::Dynamic(serde_json::json!({"a": [1, "x"]})),
                "dynamic({\"a\":[1,\"x\"]})",
            ),
        ] {
            let e = lit(l);
            assert_eq!(e.to_string(), printed);
            let back = parse_expr(printed).unwrap_or_else(|err| panic!("{printed}: {err}"));
            assert_eq!(back.kind, e.kind, "{printed}");
        }
        let nan = parse_expr(&lit(Literal::Real(Some(f64::NAN))).to_string()).unwrap();
        assert!(matches!(nan.kind, ExprKind::Literal(Literal::Real(Some(v))) if v.is_nan()));
    }

    #[test]
    fn names_are_bracketed_when_needed() {
        for (name, printed) in [
            ("a", "a"),
            ("my col", "[\"my col\"]"),
            ("where", "[\"where\"]"),
            ("it's", "[\"it's\"]"),
        ] {
            let id = Ident {
                name: name.into(),
                span: Default::default(),
            };
            assert_eq!(id.to_string(), printed);
            let back = parse_expr(printed).unwrap();
            assert!(matches!(back.kind, ExprKind::Name(n) if n.name == name));
        }
    }
}
