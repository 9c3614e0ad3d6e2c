//! `parse` patterns: how a pattern becomes a regex or a sequence of literal searches
//! (semantics reference §5.6).

use crate::error::{Error, ErrorKind, Result};
use crate::syntax::ast;
use crate::types::DataType;

/// A simple-mode (or relaxed) pattern whose captures are all matched as free text compiles to
/// literal searches; numeric captures and regex mode need the regex.
pub(super) fn parse_literal(p: &ast::Parse) -> Option<Vec<crate::plan::LiteralPart>> {
    use crate::plan::LiteralPart;
    if p.kind == ast::ParseKind::Regex || p.flags.is_some() {
        return None;
    }
    let parts = p
        .pattern
        .iter()
        .map(|part| match part {
            ast::PatternPart::Wildcard(_) => Some(LiteralPart::Skip),
            ast::PatternPart::Literal(s, _) => Some(LiteralPart::Text(s.clone())),
            ast::PatternPart::Column(_, ty) => {
                let ty = ty.as_ref().map_or(DataType::String, |t| t.ty);
                (!ty.is_numeric()).then_some(LiteralPart::Capture)
            }
        })
        .collect::<Option<Vec<_>>>()?;
    Some(crate::plan::merge_texts(parts))
}

/// Translates a `parse` pattern to a regex and the output columns (§5.6): simple and relaxed
/// mode escape constants, use lazy captures and anchor both ends (the documented reading,
/// marked [REC] in the reference); regex mode inserts constants as regex text and, as the
/// documentation's worked example shows, captures greedily.
pub(super) fn parse_regex(p: &ast::Parse) -> Result<(String, Vec<(String, DataType)>)> {
    let regex_mode = p.kind == ast::ParseKind::Regex;
    let mut pattern = String::new();
    if let Some(flags) = &p.flags {
        pattern.push_str(&format!("(?{flags})"));
    }
    pattern.push_str(if regex_mode { "(?s)" } else { "(?s)^" });
    let mut columns: Vec<(String, DataType)> = Vec::new();
    for part in &p.pattern {
        match part {
            ast::PatternPart::Wildcard(_) => {
                pattern.push_str(if regex_mode { ".*" } else { ".*?" })
            }
            ast::PatternPart::Literal(s, _) => {
                if regex_mode {
                    pattern.push_str(s)
                } else {
                    pattern.push_str(&regex::escape(s))
                }
            }
            ast::PatternPart::Column(id, ty) => {
                let ty = ty.as_ref().map_or(DataType::String, |t| t.ty);
                if columns.iter().any(|(n, _)| *n == id.name) {
                    return Err(Error::at(
                        ErrorKind::Semantic,
                        id.span,
                        format!("`{}` appears twice in the parse pattern", id.name),
                    ));
                }
                // Numeric captures match numbers only, in every mode: the documentation's
                // examples (`totalSlices: long *`) need the capture to stop after the digits.
                // Named groups, because regex-mode constants may hold groups of their own.
                // Relaxed mode falls back to any text so that a failed conversion nulls just
                // that column (its documented example has `totalSlices=nonValidLongValue`).
                let relaxed = p.kind == ast::ParseKind::Relaxed;
                let body = match (regex_mode, ty) {
                    (_, DataType::Int | DataType::Long) if relaxed => r"-?\d+|.*?",
                    (_, DataType::Int | DataType::Long) => r"-?\d+",
                    (_, DataType::Real | DataType::Decimal) if relaxed => {
                        r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|.*?"
                    }
                    (_, DataType::Real | DataType::Decimal) => r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?",
                    (true, _) => ".*",
                    (false, _) => ".*?",
                };
                pattern.push_str(&format!(
                    "(?P<{}{}>{body})",
                    super::PARSE_GROUP,
                    columns.len()
                ));
                columns.push((id.name.clone(), ty));
            }
        }
    }
    if !regex_mode {
        pattern.push('$');
    }
    Ok((pattern, columns))
}
