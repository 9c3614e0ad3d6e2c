//! STAGE 2, AST + catalog → plan: scopes, name resolution, types, coercions, output names.
//! `analyze` never reads data (constant folding of literals aside).

mod call;
mod evaluate;
pub mod expr;
mod join;
mod mv_expand;
pub mod names;
mod operators;
mod parse;
mod source;
mod summarize;

use crate::error::{Error, ErrorKind, Result, Span};
use crate::functions::Context;
use crate::plan::{Expr, Node, Plan};
use crate::store::{Catalog, Field};
use crate::syntax::ast;
use std::cell::Cell;
use std::rc::Rc;

/// Prefix of the named capture groups a `parse` pattern compiles to (`__kql_parse_0`, …).
pub const PARSE_GROUP: &str = "__kql_parse_";

/// How many tabular operators one query may hold (all pipelines together).
pub const MAX_OPERATORS: usize = 10_000;

/// How deep expressions and subqueries may nest before analysis gives up with an error.
pub const MAX_DEPTH: usize = 256;

/// How many steps (nodes analyzed, plus nodes copied where a `let` is used) one analysis may
/// take. `let`s and functions are expanded where they are used, so a few lines such as
/// `let a1 = a0 + a0; let a2 = a1 + a1; …` expand exponentially: this bounds the work and,
/// with it, how deep the plan can get (a depth-`d` chain of `let`s costs about `d²/2` steps).
pub const MAX_WORK: usize = 1_000_000;

/// Analyzes a parsed query against `catalog`.
pub fn analyze(
    query: &ast::Query,
    catalog: &Catalog,
    ctx: &Context,
    options: &crate::engine::Options,
) -> Result<Plan> {
    let analyzer = Analyzer {
        catalog,
        ctx,
        strict: options.arg_strict,
        max_depth: options.limits.depth(),
        depth: Cell::new(0),
        work: Cell::new(0),
        column_counter: Cell::new(0),
        operators: Cell::new(0),
    };
    let (root, fields) = analyzer.statements(&query.statements, &Env::default(), query.span)?;
    crate::plan::optimize::optimize(Plan { root, fields })
}

/// State of one analysis.
pub struct Analyzer<'c> {
    catalog: &'c Catalog,
    ctx: &'c Context,
    strict: bool,
    max_depth: usize,
    depth: Cell<usize>,
    work: Cell<usize>,
    column_counter: Cell<usize>,
    operators: Cell<usize>,
}

/// Decrements the nesting depth when dropped.
pub struct DepthGuard<'a>(&'a Cell<usize>);

impl Drop for DepthGuard<'_> {
    fn drop(&mut self) {
        self.0.set(self.0.get().saturating_sub(1));
    }
}

/// A tabular `let`: its analyzed plan and schema.
#[derive(Debug)]
pub struct TabularBinding {
    node: Node,
    fields: Vec<Field>,
    /// The steps its analysis took, charged again wherever it is used (the plan is copied).
    cost: usize,
}

/// A user function with the environment it was defined in.
#[derive(Debug)]
pub struct FunctionBinding {
    def: ast::FunctionDef,
    env: Env,
}

/// `let` bindings in scope; later bindings shadow earlier ones.
#[derive(Debug, Clone, Default)]
pub struct Env {
    scalars: Vec<(String, Expr)>,
    tabulars: Vec<(String, Rc<TabularBinding>)>,
    functions: Vec<(String, Rc<FunctionBinding>)>,
}

impl Env {
    /// The scalar bound to `name`.
    pub fn scalar(&self, name: &str) -> Option<&Expr> {
        self.scalars
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, e)| e)
    }

    /// The tabular value bound to `name`.
    pub fn tabular(&self, name: &str) -> Option<&Rc<TabularBinding>> {
        self.tabulars
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, t)| t)
    }

    /// The function bound to `name`.
    pub fn function(&self, name: &str) -> Option<&Rc<FunctionBinding>> {
        self.functions
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, f)| f)
    }

    /// Names of bound scalars, for suggestions.
    pub fn scalar_names(&self) -> impl Iterator<Item = &str> {
        self.scalars.iter().map(|(n, _)| n.as_str())
    }

    fn forget(&mut self, name: &str) {
        self.scalars.retain(|(n, _)| n != name);
        self.tabulars.retain(|(n, _)| n != name);
        self.functions.retain(|(n, _)| n != name);
    }
}

impl Analyzer<'_> {
    /// Enters one level of nesting; fails past [`crate::Limits::max_depth`] (at most
    /// [`MAX_DEPTH`]).
    pub fn enter(&self, span: Span) -> Result<DepthGuard<'_>> {
        let d = self.depth.get() + 1;
        if d > self.max_depth {
            let what = format!("the query nests deeper than {} levels", self.max_depth);
            let error = if self.max_depth < MAX_DEPTH {
                crate::limits::limit_error(&what, "max_depth", "max-depth")
            } else {
                // At the ceiling the option cannot raise it further: say so.
                Error::new(
                    ErrorKind::Limit,
                    format!("{what} (limit `max_depth`, already at its maximum of {MAX_DEPTH})"),
                )
            };
            return Err(error.with_span(span));
        }
        self.depth.set(d);
        self.charge(1, span)?;
        Ok(DepthGuard(&self.depth))
    }

    /// Counts `steps` more steps of work; fails past [`MAX_WORK`].
    pub fn charge(&self, steps: usize, span: Span) -> Result<()> {
        let w = self.work.get().saturating_add(steps);
        self.work.set(w);
        if w > MAX_WORK {
            return Err(Error::at(
                ErrorKind::Limit,
                span,
                format!(
                    "the query expands to more than {MAX_WORK} steps of analysis (`let`s or \
                     functions used many times over; a fixed limit)"
                ),
            ));
        }
        Ok(())
    }

    /// The steps taken so far (to price a `let` binding).
    fn work_done(&self) -> usize {
        self.work.get()
    }

    /// The next free default column name (`Column1`, `Column2`, …), skipping names in `fields`.
    pub fn next_column_name(&self, fields: &[Field]) -> String {
        loop {
            let n = self.column_counter.get() + 1;
            self.column_counter.set(n);
            let name = format!("Column{n}");
            if !fields.iter().any(|f| f.name == name) {
                return name;
            }
        }
    }

    /// Analyzes statements: `let`s extend the environment; the last tabular statement is the
    /// result.
    fn statements(
        &self,
        statements: &[ast::Statement],
        env: &Env,
        span: Span,
    ) -> Result<(Node, Vec<Field>)> {
        let mut env = env.clone();
        let mut result = None;
        for s in statements {
            match s {
                ast::Statement::Let(l) => self.bind_let(l, &mut env)?,
                ast::Statement::Tabular(t) => result = Some(self.tabular(t, &env)?),
                ast::Statement::Expr(e) => {
                    // A bare name as the last statement: a table or tabular `let`.
                    let ast::ExprKind::Name(id) = &e.kind else {
                        return Err(Error::at(
                            ErrorKind::Semantic,
                            e.span,
                            "a query must end in a tabular expression, not a scalar one (use `print`)",
                        ));
                    };
                    let t = ast::TabularExpr {
                        source: ast::Source::Table(id.clone()),
                        operators: vec![],
                        span: e.span,
                    };
                    result = Some(self.tabular(&t, &env)?);
                }
            }
        }
        result.ok_or_else(|| {
            Error::at(
                ErrorKind::Semantic,
                span,
                "the query has no tabular expression to run (only `let` statements)",
            )
        })
    }

    fn bind_let(&self, l: &ast::LetStatement, env: &mut Env) -> Result<()> {
        let name = l.name.name.clone();
        match &l.value {
            ast::LetValue::Scalar(e) => {
                // A bare name may be a table or a tabular let: `let T = Resources;`.
                if let ast::ExprKind::Name(id) = &e.kind {
                    if env.scalar(&id.name).is_none()
                        && (env.tabular(&id.name).is_some() || self.catalog.get(&id.name).is_some())
                    {
                        let t = ast::TabularExpr {
                            source: ast::Source::Table(id.clone()),
                            operators: vec![],
                            span: e.span,
                        };
                        let before = self.work_done();
                        let (node, fields) = self.tabular(&t, env)?;
                        let cost = self.work_done() - before;
                        env.forget(&name);
                        env.tabulars
                            .push((name, Rc::new(TabularBinding { node, fields, cost })));
                        return Ok(());
                    }
                }
                let bound = self.bind(e, expr::Scope { fields: &[], env })?;
                env.forget(&name);
                env.scalars.push((name, bound));
            }
            ast::LetValue::Tabular(t) => {
                let before = self.work_done();
                let (node, fields) = self.tabular(t, env)?;
                let cost = self.work_done() - before;
                env.forget(&name);
                env.tabulars
                    .push((name, Rc::new(TabularBinding { node, fields, cost })));
            }
            ast::LetValue::Function(def) => {
                env.forget(&name);
                env.functions.push((
                    name,
                    Rc::new(FunctionBinding {
                        def: def.clone(),
                        env: env.clone(),
                    }),
                ));
            }
        }
        Ok(())
    }

    /// Analyzes a pipeline: its source, then each operator in turn.
    pub fn tabular(&self, t: &ast::TabularExpr, env: &Env) -> Result<(Node, Vec<Field>)> {
        let _guard = self.enter(t.span)?;
        let (mut node, mut fields) = self.source(&t.source, env)?;
        for op in &t.operators {
            let n = self.operators.get() + 1;
            if n > MAX_OPERATORS {
                return Err(Error::at(
                    ErrorKind::Limit,
                    op.span,
                    format!("the query has more than {MAX_OPERATORS} operators (a fixed limit)"),
                ));
            }
            self.operators.set(n);
            (node, fields) = self.operator(op, node, fields, env)?;
        }
        Ok((node, fields))
    }

    /// Evaluates a column-free expression now (datatable values, range bounds, take counts).
    fn constant(&self, e: &ast::Expr, env: &Env) -> Result<(crate::Value, crate::DataType)> {
        let bound = self.bind(e, expr::Scope { fields: &[], env })?;
        let v = crate::exec::eval::eval_constant(&bound, self.ctx)
            .map_err(|err| err.with_span(e.span))?;
        Ok((v, bound.ty))
    }
}
