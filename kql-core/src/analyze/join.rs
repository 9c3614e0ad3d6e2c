//! `join`, `lookup` and `union`: operators that combine tables, with their output naming
//! (semantics reference §5.13, §5.14).

use super::names::unique_name;
use super::{Analyzer, Env};
use crate::error::{Error, ErrorKind, Result, Span};
use crate::plan::{JoinKind, Node};
use crate::store::Field;
use crate::syntax::ast;
use crate::types::DataType;

impl Analyzer<'_> {
    /// `join` / `lookup`: keys by name or `$left.a == $right.b`; right-side name clashes get
    /// numeric suffixes (§5.13); `lookup` drops the right key columns.
    pub(super) fn join(
        &self,
        j: &ast::Join,
        is_lookup: bool,
        left: Node,
        fields: Vec<Field>,
        env: &Env,
        span: Span,
    ) -> Result<(Node, Vec<Field>)> {
        let (right, right_fields) = self.tabular(&j.right, env)?;
        let find = |fs: &[Field], id: &ast::Ident| -> Result<usize> {
            fs.iter().position(|f| f.name == id.name).ok_or_else(|| {
                Error::at(
                    ErrorKind::UnknownColumn,
                    id.span,
                    format!("unknown join column `{}`", id.name),
                )
            })
        };
        let mut keys = Vec::new();
        for c in &j.on {
            keys.push(match c {
                ast::JoinCondition::Same(id) => (find(&fields, id)?, find(&right_fields, id)?),
                ast::JoinCondition::Equal { left, right } => {
                    (find(&fields, left)?, find(&right_fields, right)?)
                }
            });
        }
        if keys.is_empty() {
            return Err(Error::at(
                ErrorKind::Semantic,
                span,
                "join needs `on` conditions",
            ));
        }
        let kind = j.kind.unwrap_or(if is_lookup {
            JoinKind::LeftOuter
        } else {
            JoinKind::InnerUnique
        });
        let out_fields = match kind {
            JoinKind::LeftSemi | JoinKind::LeftAnti => {
                return Ok((self.join_node(left, right, kind, keys, vec![]), fields))
            }
            JoinKind::RightSemi | JoinKind::RightAnti => {
                return Ok((
                    self.join_node(left, right, kind, keys, vec![]),
                    right_fields,
                ))
            }
            _ => fields,
        };
        let mut out = out_fields;
        let mut right_columns = Vec::new();
        for (i, f) in right_fields.iter().enumerate() {
            let same_key = keys.iter().any(|&(l, r)| r == i && out[l].name == f.name);
            if is_lookup && same_key {
                continue;
            }
            let name = unique_name(&f.name, |n| out.iter().any(|o| o.name == n));
            out.push(Field::new(name, f.ty));
            right_columns.push(i);
        }
        Ok((self.join_node(left, right, kind, keys, right_columns), out))
    }

    fn join_node(
        &self,
        left: Node,
        right: Node,
        kind: JoinKind,
        keys: Vec<(usize, usize)>,
        right_columns: Vec<usize>,
    ) -> Node {
        Node::Join {
            left: Box::new(left),
            right: Box::new(right),
            kind,
            keys,
            right_columns,
        }
    }

    /// `union`: outer by default: every column by name in order of first appearance; a name
    /// that comes with different types becomes `name_type` per type, suffixed further when
    /// that collides with a real column (§8 and the union documentation's example).
    /// Wildcard legs (`View*`) expand to matching names; `isfuzzy=true` skips legs that do
    /// not resolve.
    pub(super) fn union(
        &self,
        first: Option<(Node, Vec<Field>)>,
        u: &ast::Union,
        env: &Env,
    ) -> Result<(Node, Vec<Field>)> {
        let mut legs: Vec<(Node, Vec<Field>, String)> = Vec::new();
        if let Some((n, f)) = first {
            legs.push((n, f, "union_arg0".to_string()));
        }
        for leg in &u.legs {
            for (expanded, name) in self.expand_leg(leg, env) {
                match self.tabular(&expanded, env) {
                    Ok((n, f)) => {
                        let name = name.unwrap_or_else(|| format!("union_arg{}", legs.len()));
                        legs.push((n, f, name));
                    }
                    Err(e) if u.is_fuzzy && e.kind == ErrorKind::UnknownTable => {}
                    Err(e) => return Err(e),
                }
            }
        }
        if legs.is_empty() {
            return Err(Error::at(
                ErrorKind::UnknownTable,
                u.span,
                "no table of the union exists",
            ));
        }
        // Distinct (name, type) entries in order of first appearance.
        let mut entries: Vec<Field> = Vec::new();
        for (_, fs, _) in &legs {
            for f in fs {
                if !entries.contains(f) {
                    entries.push(f.clone());
                }
            }
        }
        if u.inner {
            entries.retain(|e| legs.iter().all(|(_, fs, _)| fs.contains(e)));
        }
        let clashing = |name: &str| entries.iter().filter(|e| e.name == name).count() > 1;
        let candidates: Vec<(String, bool)> = entries
            .iter()
            .map(|e| {
                if clashing(&e.name) {
                    (format!("{}_{}", e.name, e.ty), true)
                } else {
                    (e.name.clone(), false)
                }
            })
            .collect();
        let mut out: Vec<Field> = Vec::new();
        for (e, (cand, renamed)) in entries.iter().zip(&candidates) {
            let taken = |n: &str| {
                out.iter().any(|o| o.name == n)
                    || (*renamed && candidates.iter().any(|(c, r)| !r && c == n))
            };
            out.push(Field::new(unique_name(cand, taken), e.ty));
        }
        let mapped = legs
            .iter()
            .map(|(n, fs, _)| {
                (
                    n.clone(),
                    entries
                        .iter()
                        .map(|e| fs.iter().position(|f| f == e))
                        .collect(),
                )
            })
            .collect();
        let names: Vec<String> = legs.iter().map(|(_, _, n)| n.clone()).collect();
        let mut fields = out;
        let source_column = u.with_source.as_ref().map(|s| {
            fields.insert(0, Field::new(s.name.clone(), DataType::String));
            names
        });
        Ok((
            Node::Union {
                legs: mapped,
                source_column,
            },
            fields,
        ))
    }

    /// A union leg, with wildcard table names expanded to the matching tables, `let`s and
    /// views; each with the name `withsource` reports.
    fn expand_leg(
        &self,
        leg: &ast::TabularExpr,
        env: &Env,
    ) -> Vec<(ast::TabularExpr, Option<String>)> {
        let ast::Source::Table(id) = &leg.source else {
            return vec![(leg.clone(), None)];
        };
        if !id.name.contains('*') {
            let name = leg.operators.is_empty().then(|| id.name.clone());
            return vec![(leg.clone(), name)];
        }
        let (prefix, suffix) = id.name.split_once('*').unwrap_or((&id.name, ""));
        let fits = |n: &str| {
            n.starts_with(prefix) && n.ends_with(suffix) && n.len() >= prefix.len() + suffix.len()
        };
        let mut names: Vec<String> = env.tabulars.iter().map(|(n, _)| n.clone()).collect();
        names.extend(
            env.functions
                .iter()
                .filter(|(_, f)| f.def.params.is_empty())
                .map(|(n, _)| n.clone()),
        );
        names.extend(self.catalog.names().map(str::to_string));
        let mut seen = Vec::new();
        names
            .into_iter()
            .filter(|n| fits(n))
            .filter(|n| {
                let new = !seen.contains(n);
                seen.push(n.clone());
                new
            })
            .map(|n| {
                let mut t = leg.clone();
                t.source = ast::Source::Table(ast::Ident {
                    name: n.clone(),
                    span: id.span,
                });
                (t, Some(n))
            })
            .collect()
    }
}
