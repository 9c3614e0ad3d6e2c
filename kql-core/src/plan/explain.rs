//! A readable rendering of a plan, for `.explain`.

use super::{Node, Plan};

/// The plan as an indented tree, one operator per line.
pub fn explain(plan: &Plan) -> String {
    let mut out = String::new();
    node(&plan.root, 0, &mut out);
    out
}

fn node(n: &Node, depth: usize, out: &mut String) {
    let pad = "  ".repeat(depth);
    let (label, children): (String, Vec<&Node>) = match n {
        Node::Scan(t) => (format!("Scan ({} rows)", t.num_rows()), vec![]),
        Node::Range { from, to, step, .. } => {
            (format!("Range {from:?}..{to:?} step {step:?}"), vec![])
        }
        Node::Filter { input, .. } => ("Filter".into(), vec![input]),
        Node::Project { input, exprs } => {
            (format!("Project ({} columns)", exprs.len()), vec![input])
        }
        Node::Summarize {
            input,
            keys,
            aggregates,
        } => (
            format!(
                "Summarize ({} keys, {} aggregates)",
                keys.len(),
                aggregates.len()
            ),
            vec![input],
        ),
        Node::Parse { input, parse } => (
            match &parse.matcher {
                super::ParseMatcher::Regex(re) => format!("Parse regex /{}/", re.as_str()),
                super::ParseMatcher::Literal(parts) => format!("Parse literal {parts:?}"),
            },
            vec![input],
        ),
        Node::Take { input, count } => (format!("Take {count}"), vec![input]),
        Node::Sort { input, keys, limit } => (
            format!(
                "Sort ({} keys{})",
                keys.len(),
                limit.map_or(String::new(), |l| format!(", top {l}"))
            ),
            vec![input],
        ),
        Node::MvExpand { input, items, .. } => {
            (format!("MvExpand ({} columns)", items.len()), vec![input])
        }
        Node::Join {
            left, right, kind, ..
        } => (format!("Join {kind:?}"), vec![left, right]),
        Node::Union { legs, .. } => ("Union".into(), legs.iter().map(|(n, _)| n).collect()),
        Node::Values(t) => (format!("Values ({} rows)", t.num_rows()), vec![]),
        Node::GetSchema(input) => ("GetSchema".into(), vec![input]),
        Node::Rename(input, fields) => (format!("Rename ({} columns)", fields.len()), vec![input]),
    };
    out.push_str(&format!("{pad}{label}\n"));
    for c in children {
        node(c, depth + 1, out);
    }
}
