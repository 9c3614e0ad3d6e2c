//! `mv-expand`: expanded columns replace or follow the input's (semantics reference §5.12).

use super::expr::Scope;
use super::names::derived_name;
use super::{Analyzer, Env};
use crate::error::{Error, ErrorKind, Result};
use crate::plan::{Node, OutputSlot};
use crate::store::Field;
use crate::syntax::ast;
use crate::types::DataType;

impl Analyzer<'_> {
    /// `mv-expand`.
    pub(super) fn mv_expand(
        &self,
        m: &ast::MvExpand,
        input: Node,
        mut fields: Vec<Field>,
        env: &Env,
    ) -> Result<(Node, Vec<Field>)> {
        let mut items = Vec::new();
        let input_fields = fields.clone();
        for (item, to) in &m.items {
            let e = self.bind(
                &item.expr,
                Scope {
                    fields: &input_fields,
                    env,
                },
            )?;
            let name = match item.names.first() {
                Some(n) => n.name.clone(),
                None => derived_name(&item.expr).unwrap_or_else(|| self.next_column_name(&fields)),
            };
            let ty = to.as_ref().map_or(DataType::Dynamic, |t| t.ty);
            let slot = match fields.iter().position(|f| f.name == name) {
                Some(i) => {
                    fields[i] = Field::new(name, ty);
                    OutputSlot::Replace(i)
                }
                None => {
                    fields.push(Field::new(name, ty));
                    OutputSlot::Append
                }
            };
            items.push((e, slot, ty));
        }
        // Plain Kusto has no practical limit; ARG caps rows per input row (strict mode).
        let limit = match &m.limit {
            Some(l) => {
                let (v, _) = self.constant(l, env)?;
                let n = crate::functions::conversion::to_long(&v)
                    .map_or(usize::MAX, |n| n.max(0) as usize);
                if self.strict && n > crate::strict::MV_EXPAND_MAX_LIMIT {
                    return Err(Error::at(
                        ErrorKind::Limit,
                        l.span,
                        format!(
                            "not allowed in Azure Resource Graph (strict mode): mv-expand limit is at most {}",
                            crate::strict::MV_EXPAND_MAX_LIMIT
                        ),
                    ));
                }
                n
            }
            None if self.strict => crate::strict::MV_EXPAND_DEFAULT_LIMIT,
            None => usize::MAX,
        };
        if let Some(ix) = &m.with_itemindex {
            fields.push(Field::new(ix.name.clone(), DataType::Long));
        }
        let node = Node::MvExpand {
            input: Box::new(input),
            items,
            array_kind: m.array_kind,
            with_index: m.with_itemindex.is_some(),
            limit,
        };
        Ok((node, fields))
    }
}
