//! `Display` for the syntax tree: prints KQL that parses back to the same tree.
//! Statements, pipelines and operators here; expressions and literals in `print_expr.rs`.

use std::fmt::{self, Display, Formatter, Write};

use super::ast::*;
use super::lexical::is_ident_char;
use super::print_expr::Quoted;

/// Writes `items` separated by `, `.
pub(crate) fn comma<T: Display>(f: &mut Formatter, items: &[T]) -> fmt::Result {
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
            OperatorKind::Evaluate(e, None) => write!(f, "evaluate {e}"),
            OperatorKind::Evaluate(e, Some(schema)) => {
                write!(f, "evaluate {e} : (")?;
                let mut first = true;
                if schema.wildcard {
                    f.write_str("*")?;
                    first = false;
                }
                for (name, ty) in &schema.columns {
                    if !first {
                        f.write_str(", ")?;
                    }
                    first = false;
                    write!(f, "{name}: {}", ty.ty.name())?;
                }
                f.write_str(")")
            }
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
