//! Output column naming (semantics reference §8) and "did you mean" suggestions.

use crate::functions::{registry, Naming};
use crate::syntax::ast::{self, ExprKind, Literal};

/// The name KQL derives for an unnamed expression, or `None` when it gets a default
/// `ColumnN` name: columns keep their name, dynamic paths join their steps with `_`,
/// calls follow their function's naming rule.
pub fn derived_name(e: &ast::Expr) -> Option<String> {
    match &e.kind {
        ExprKind::Name(id) => Some(id.name.clone()),
        ExprKind::NamedArg(id, _) => Some(id.name.clone()),
        ExprKind::Member(base, key) => Some(format!("{}_{}", derived_name(base)?, key.name)),
        ExprKind::Index(base, index) => {
            let base = derived_name(base)?;
            Some(match &index.kind {
                ExprKind::Literal(Literal::String(s)) => format!("{base}_{s}"),
                ExprKind::Literal(Literal::Long(Some(i))) => format!("{base}_{i}"),
                ExprKind::Unary(ast::UnaryOp::Neg, inner) => match &inner.kind {
                    ExprKind::Literal(Literal::Long(Some(i))) => format!("{base}_-{i}"),
                    _ => base,
                },
                _ => base,
            })
        }
        ExprKind::Call(f, args) => {
            let function = registry::scalar(&f.name)?;
            match function.naming {
                Naming::FirstArg => args.first().and_then(derived_name),
                Naming::Prefix(p) => Some(match args.first().and_then(derived_name) {
                    Some(n) => format!("{p}_{n}"),
                    None => format!("{p}_"),
                }),
                Naming::Default => None,
            }
        }
        _ => None,
    }
}

/// `base` if free, else `base1`, `base2`, … (the smallest free suffix).
pub fn unique_name(base: &str, taken: impl Fn(&str) -> bool) -> String {
    if !taken(base) {
        return base.to_string();
    }
    (1..)
        .map(|i| format!("{base}{i}"))
        .find(|n| !taken(n))
        .unwrap_or_else(|| base.to_string())
}

/// The candidate nearest to `name` (case-insensitive edit distance), if it is close enough
/// to be a plausible typo.
pub fn suggest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let lower = name.to_ascii_lowercase();
    candidates
        .into_iter()
        .map(|c| (distance(&lower, &c.to_ascii_lowercase()), c))
        .filter(|(d, c)| *d <= (name.len().max(c.len()) / 3).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c.to_string())
}

fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_near_names() {
        assert_eq!(
            suggest("staus", ["status", "name"]).as_deref(),
            Some("status")
        );
        assert_eq!(suggest("zzz", ["status", "name"]), None);
        assert_eq!(unique_name("set_y", |n| n == "set_y"), "set_y1");
    }
}
