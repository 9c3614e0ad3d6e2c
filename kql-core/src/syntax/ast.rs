//! The syntax tree of a KQL query. Nodes carry spans; `Display` (in `print.rs`) prints KQL back.
//!
//! The tree is purely syntactic: names are not resolved and nothing is typed. `analyze` does that.

use crate::error::Span;

/// A whole query: `let` statements and at most one tabular expression, separated by `;`.
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    /// The statements in order. The last one is usually [`Statement::Tabular`].
    pub statements: Vec<Statement>,
    /// The whole text.
    pub span: Span,
}

/// One statement of a query.
#[derive(Debug, Clone, PartialEq)]
pub enum Statement {
    /// `let name = value`.
    Let(LetStatement),
    /// A tabular expression whose result is the query's result.
    Tabular(TabularExpr),
    /// A scalar expression: the result of a scalar function body, `let f = (t: long) { t + 1 }`.
    Expr(Expr),
}

/// `let name = value`.
#[derive(Debug, Clone, PartialEq)]
pub struct LetStatement {
    /// The bound name.
    pub name: Ident,
    /// What it is bound to.
    pub value: LetValue,
    /// From `let` to the end of the value.
    pub span: Span,
}

/// The right-hand side of a `let`.
#[derive(Debug, Clone, PartialEq)]
#[allow(clippy::large_enum_variant)]
pub enum LetValue {
    /// A scalar expression, or a bare name that analysis may resolve to a table: `let x = 5`.
    Scalar(Expr),
    /// A tabular expression (has a pipe or starts with a tabular source): `let T = R | where a > 1`.
    Tabular(TabularExpr),
    /// A user function: `let f = (a: long, b: string = "x") { a + 1 }`; `view () { … }` too.
    Function(FunctionDef),
}

/// A user-defined function or view.
#[derive(Debug, Clone, PartialEq)]
pub struct FunctionDef {
    /// `view () { … }` rather than `(…) { … }`.
    pub is_view: bool,
    /// The declared parameters in order.
    pub params: Vec<Param>,
    /// `let` statements inside the body, then the body's result.
    pub body: Vec<Statement>,
    /// From the parameter list to the closing brace.
    pub span: Span,
}

/// One parameter of a user function.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// The parameter name.
    pub name: Ident,
    /// Its declared type; `None` for a tabular parameter `(T:(*))`.
    pub ty: Option<TypeName>,
    /// The default value, if any.
    pub default: Option<Expr>,
}

/// A type as written: `long`, `string`, …
#[derive(Debug, Clone, PartialEq)]
pub struct TypeName {
    /// The type, resolved from its spelling.
    pub ty: crate::types::DataType,
    /// Where it was written.
    pub span: Span,
}

/// A name: a plain identifier or a bracketed one (`['my col']`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Ident {
    /// The name's text, without brackets or quotes.
    pub name: String,
    /// Where it was written.
    pub span: Span,
}

/// A source followed by piped operators: `T | where a > 1 | count`.
#[derive(Debug, Clone, PartialEq)]
pub struct TabularExpr {
    /// Where the rows come from.
    pub source: Source,
    /// The operators applied in order.
    pub operators: Vec<Operator>,
    /// The whole pipeline.
    pub span: Span,
}

/// Where a pipeline's rows come from.
#[derive(Debug, Clone, PartialEq)]
#[allow(clippy::large_enum_variant)]
pub enum Source {
    /// A table or a `let`-bound tabular name: `securityresources`, `['my table']`.
    Table(Ident),
    /// A call of a tabular function: `f(1, "a")`, `view_1()`.
    Call {
        /// The function name.
        name: Ident,
        /// Its arguments.
        args: Vec<Expr>,
        /// The whole call.
        span: Span,
    },
    /// A query that starts with an operator (`where …`): ARG runs it over `Resources`.
    Implicit(Span),
    /// `datatable(a: long, b: string) [1, "x", …]`.
    Datatable {
        /// The declared columns.
        columns: Vec<(Ident, TypeName)>,
        /// The values, row-major.
        values: Vec<Expr>,
        /// The whole literal.
        span: Span,
    },
    /// `print a = 1, 2`.
    Print(Vec<NamedExpr>, Span),
    /// `range x from 1 to 10 step 1`.
    Range {
        /// The column name.
        name: Ident,
        /// First value.
        from: Expr,
        /// Last value (inclusive).
        to: Expr,
        /// Step.
        step: Expr,
        /// The whole operator.
        span: Span,
    },
    /// `union T1, T2` used as the first thing in a pipeline.
    Union(Union),
    /// `( tabular )`.
    Paren(Box<TabularExpr>),
}

/// A tabular operator after a `|`.
#[derive(Debug, Clone, PartialEq)]
pub struct Operator {
    /// What the operator is.
    pub kind: OperatorKind,
    /// From the operator keyword to its end.
    pub span: Span,
}

/// The tabular operators.
#[derive(Debug, Clone, PartialEq)]
pub enum OperatorKind {
    /// `where predicate` (also `filter`).
    Where(Expr),
    /// `extend [name =] expr, …`.
    Extend(Vec<NamedExpr>),
    /// `project [name =] expr, …`.
    Project(Vec<NamedExpr>),
    /// `project-away col | pattern*, …`.
    ProjectAway(Vec<Ident>),
    /// `project-keep col | pattern*, …`.
    ProjectKeep(Vec<Ident>),
    /// `project-rename new = old, …`: pairs `(new, old)`.
    ProjectRename(Vec<(Ident, Ident)>),
    /// `project-reorder col [asc|desc|granny-asc|granny-desc], …`.
    ProjectReorder(Vec<(Ident, Option<SortDirection>)>),
    /// `summarize [hints] aggregates [by keys]`.
    Summarize {
        /// The aggregate expressions.
        aggregates: Vec<NamedExpr>,
        /// The group keys.
        by: Vec<NamedExpr>,
    },
    /// `parse` and `parse-where`.
    Parse(Parse),
    /// `take n` / `limit n`.
    Take(Expr),
    /// `count` (optionally `count as Name`).
    Count(Option<Ident>),
    /// `sort by` / `order by`.
    Sort(Vec<SortKey>),
    /// `top n by key [asc|desc] [nulls first|last]`.
    Top {
        /// How many rows.
        count: Expr,
        /// The sort key.
        by: SortKey,
    },
    /// `distinct a, b` or `distinct *` (an empty list means `*`).
    Distinct(Vec<NamedExpr>),
    /// `mv-expand` / `mvexpand`.
    MvExpand(MvExpand),
    /// `join kind=… (right) on …`.
    Join(Join),
    /// `lookup kind=… (right) on …`.
    Lookup(Join),
    /// `union …` after a pipe: the input is the first leg.
    Union(Union),
    /// `sample n`.
    Sample(Expr),
    /// `sample-distinct n of column`.
    SampleDistinct {
        /// How many values.
        count: Expr,
        /// Of which column.
        column: Expr,
    },
    /// `getschema`.
    GetSchema,
    /// `as Name`.
    As(Ident),
    /// `serialize [name = expr, …]`.
    Serialize(Vec<NamedExpr>),
    /// `search "text"` / `search a: "text"` as an operator.
    Search(Expr),
    /// `evaluate plugin(args) [: (schema)]`: the plugin call, e.g. `evaluate bag_unpack(d)`,
    /// and the output schema when one is given.
    Evaluate(Expr, Option<OutputSchema>),
    /// `render chart …`: kept so queries that end in it still run; it changes nothing.
    Render(String),
}

/// An expression with an optional output name: `a`, `n = a + 1`, `(a, b) = f(x)`.
#[derive(Debug, Clone, PartialEq)]
pub struct NamedExpr {
    /// The names before `=`; empty when none was written, several for the tuple form.
    pub names: Vec<Ident>,
    /// The expression.
    pub expr: Expr,
}

/// One `sort by` key.
#[derive(Debug, Clone, PartialEq)]
pub struct SortKey {
    /// The key.
    pub expr: Expr,
    /// `asc`/`desc` if written (the default is `desc`).
    pub direction: Option<SortDirection>,
    /// `nulls first`/`nulls last` if written.
    pub nulls: Option<NullsPosition>,
}

/// A sort direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortDirection {
    /// `asc`.
    Asc,
    /// `desc`.
    Desc,
}

/// Where nulls go in a sort.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NullsPosition {
    /// `nulls first`.
    First,
    /// `nulls last`.
    Last,
}

/// `parse [kind=…] [flags=…] expr with pattern` and `parse-where`.
#[derive(Debug, Clone, PartialEq)]
pub struct Parse {
    /// `parse-where` drops rows that do not match.
    pub is_where: bool,
    /// The matching mode.
    pub kind: ParseKind,
    /// `flags=…` for regex mode (`Ui`, …).
    pub flags: Option<String>,
    /// The expression parsed (converted to string).
    pub expr: Expr,
    /// The pattern.
    pub pattern: Vec<PatternPart>,
}

/// How a `parse` pattern matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParseKind {
    /// The default: literal delimiters.
    Simple,
    /// Delimiters are regex text.
    Regex,
    /// Like simple, but a failed typed conversion nulls only that column.
    Relaxed,
}

/// One element of a `parse` pattern.
#[derive(Debug, Clone, PartialEq)]
pub enum PatternPart {
    /// `*`: skip anything.
    Wildcard(Span),
    /// A string constant.
    Literal(String, Span),
    /// A capture `name` or `name:type`.
    Column(Ident, Option<TypeName>),
}

/// `mv-expand [kind=bag|array] [with_itemindex=I] [name =] expr [to typeof(t)], … [limit n]`.
#[derive(Debug, Clone, PartialEq)]
pub struct MvExpand {
    /// `kind=array` or `bagexpansion=array` rather than the default `bag`.
    pub array_kind: bool,
    /// `with_itemindex=Name`: adds a 0-based index column.
    pub with_itemindex: Option<Ident>,
    /// The expanded expressions with optional names and `to typeof(t)` targets.
    pub items: Vec<(NamedExpr, Option<TypeName>)>,
    /// `limit n`.
    pub limit: Option<Expr>,
}

/// `join` and `lookup`.
#[derive(Debug, Clone, PartialEq)]
pub struct Join {
    /// `kind=…` as written (`None`: the operator's default).
    pub kind: Option<JoinKind>,
    /// Hints such as `hint.strategy=broadcast`: name and value, kept to be reported in strict mode.
    pub hints: Vec<(String, String)>,
    /// The right side.
    pub right: Box<TabularExpr>,
    /// The `on` conditions.
    pub on: Vec<JoinCondition>,
}

/// Join flavours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JoinKind {
    /// `innerunique` (the join default).
    InnerUnique,
    /// `inner`.
    Inner,
    /// `leftouter` (the lookup default).
    LeftOuter,
    /// `rightouter`.
    RightOuter,
    /// `fullouter`.
    FullOuter,
    /// `leftanti` (also `anti`, `leftantisemi`).
    LeftAnti,
    /// `rightanti` (also `rightantisemi`).
    RightAnti,
    /// `leftsemi`.
    LeftSemi,
    /// `rightsemi`.
    RightSemi,
}

/// One `on` condition.
#[derive(Debug, Clone, PartialEq)]
pub enum JoinCondition {
    /// `on col`: the same name on both sides.
    Same(Ident),
    /// `$left.a == $right.b` (written in either order; stored left first).
    Equal {
        /// The left column.
        left: Ident,
        /// The right column.
        right: Ident,
    },
}

/// `union [kind=inner|outer] [withsource=Name] [isfuzzy=true] T1, (T2 | …), …`.
#[derive(Debug, Clone, PartialEq)]
pub struct Union {
    /// `kind=inner` (default outer).
    pub inner: bool,
    /// `withsource=Name`.
    pub with_source: Option<Ident>,
    /// `isfuzzy=true`.
    pub is_fuzzy: bool,
    /// The legs named in the operator (after the piped input, when it is an operator).
    pub legs: Vec<TabularExpr>,
    /// The whole union.
    pub span: Span,
}

/// A plugin's declared output schema: `: (a: long, b: string)` or `: (*, a: long)`.
#[derive(Debug, Clone, PartialEq)]
pub struct OutputSchema {
    /// `*` first: the input's columns come before the listed ones.
    pub wildcard: bool,
    /// The listed columns.
    pub columns: Vec<(Ident, TypeName)>,
}

/// A scalar expression.
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    /// What the expression is.
    pub kind: ExprKind,
    /// Where it was written.
    pub span: Span,
}

/// Scalar expression shapes.
#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    /// A literal value.
    Literal(Literal),
    /// A column, a `let`-bound scalar or parameter.
    Name(Ident),
    /// `*` as an argument: `pack_array(*)`, `arg_max(x, *)`, `take_any(*)`.
    Star,
    /// `a.b`, `a['b']` with a constant key.
    Member(Box<Expr>, Ident),
    /// `a[expr]`: array index or computed key.
    Index(Box<Expr>, Box<Expr>),
    /// `f(args)`.
    Call(Ident, Vec<Expr>),
    /// `-x`, `+x`.
    Unary(UnaryOp, Box<Expr>),
    /// `a op b`.
    Binary(BinaryOp, Box<Expr>, Box<Expr>),
    /// `x in (…)`, `x !in (…)`, `x in~ (…)`, `x !in~ (…)`.
    In {
        /// The tested value.
        expr: Box<Expr>,
        /// `!in`.
        negated: bool,
        /// `in~`.
        case_insensitive: bool,
        /// The list; an element may be [`ExprKind::Tabular`].
        list: Vec<Expr>,
    },
    /// `x has_any (…)` / `x has_all (…)`.
    HasList {
        /// The tested value.
        expr: Box<Expr>,
        /// `has_all` rather than `has_any`.
        all: bool,
        /// The terms.
        list: Vec<Expr>,
    },
    /// `x between (lo .. hi)` / `x !between (lo .. hi)`.
    Between {
        /// The tested value.
        expr: Box<Expr>,
        /// `!between`.
        negated: bool,
        /// Lower bound (inclusive).
        low: Box<Expr>,
        /// Upper bound (inclusive).
        high: Box<Expr>,
    },
    /// A tabular subquery in scalar position: `x in (T | project a)`, `toscalar(T | count)`.
    Tabular(Box<TabularExpr>),
    /// A named argument of a call, `f(Name = expr)`: the value is passed by position and the
    /// name names the result where the function takes its name from the argument
    /// (`arg_max(ts, Name = expr)`, `tostring(Name = make_list(x))`).
    NamedArg(Ident, Box<Expr>),
}

/// Literal values as written.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    /// `true`, `bool(null)`.
    Bool(Option<bool>),
    /// `int(5)`.
    Int(Option<i32>),
    /// `5`, `long(null)`.
    Long(Option<i64>),
    /// `1.5`, `real(nan)`.
    Real(Option<f64>),
    /// `decimal(1.5)`.
    Decimal(Option<f64>),
    /// Any string form; the value after escapes and concatenation.
    String(String),
    /// `datetime(…)`: ticks (100 ns) since 0001-01-01T00:00:00Z.
    DateTime(Option<i64>),
    /// `1d`, `time(…)`: ticks.
    TimeSpan(Option<i64>),
    /// `guid(…)`.
    Guid(Option<u128>),
    /// `dynamic(…)`; `dynamic(null)` is `Value::Null`.
    Dynamic(serde_json::Value),
}

/// Prefix operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnaryOp {
    /// `-x`.
    Neg,
    /// `+x`.
    Plus,
}

/// Infix operators other than the list forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinaryOp {
    /// `+`.
    Add,
    /// `-`.
    Sub,
    /// `*`.
    Mul,
    /// `/`.
    Div,
    /// `%`.
    Mod,
    /// `<`.
    Lt,
    /// `<=`.
    Le,
    /// `>`.
    Gt,
    /// `>=`.
    Ge,
    /// `==`.
    Eq,
    /// `!=` (and ARG's `<>`).
    Ne,
    /// `and`.
    And,
    /// `or`.
    Or,
    /// A string operator: `=~`, `has`, `!contains_cs`, `matches regex`, …
    Str(StrOp),
}

/// A string predicate operator with its negation and case sensitivity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StrOp {
    /// Which test.
    pub test: StrTest,
    /// The `!` form.
    pub negated: bool,
    /// The `_cs` form (for `Equals`: `==` is not a `StrOp`; `=~` is `Equals` case-insensitive).
    pub case_sensitive: bool,
}

/// The tests behind the string operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StrTest {
    /// `=~` / `!~`.
    Equals,
    /// `contains`.
    Contains,
    /// `startswith`.
    StartsWith,
    /// `endswith`.
    EndsWith,
    /// `has`.
    Has,
    /// `hasprefix`.
    HasPrefix,
    /// `hassuffix`.
    HasSuffix,
    /// `matches regex` (always case-sensitive unless the regex says `(?i)`).
    MatchesRegex,
    /// `like` / `likecs` / `notlike` / `notlikecs` (SQL-style `%` and `_`).
    Like,
}

impl Expr {
    /// Builds an expression node.
    pub fn new(kind: ExprKind, span: Span) -> Expr {
        Expr { kind, span }
    }
}
