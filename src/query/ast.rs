//! The Dataview query language as data: a query (header, source, commands) and expressions.

use super::value::Value;

/// A parsed ```` ```dataview ```` block.
#[derive(Debug, Clone)]
pub struct Query {
    /// LIST, TABLE, TASK or CALENDAR with its fields.
    pub header: Header,
    /// `FROM …`; `None` means every page.
    pub source: Option<Source>,
    /// WHERE, SORT, GROUP BY, FLATTEN, LIMIT in the order written.
    pub commands: Vec<Command>,
}

/// The query type and what it shows.
#[derive(Debug, Clone)]
pub enum Header {
    /// `LIST [WITHOUT ID] [expr]`.
    List {
        /// `WITHOUT ID`.
        without_id: bool,
        /// The value shown after (or instead of) the link.
        expr: Option<Expr>,
    },
    /// `TABLE [WITHOUT ID] e1 [AS "h1"], …`.
    Table {
        /// `WITHOUT ID`.
        without_id: bool,
        /// Columns: expression and header.
        columns: Vec<(Expr, String)>,
    },
    /// `TASK`.
    Task,
    /// `CALENDAR date-expr`.
    Calendar {
        /// The date of each page.
        expr: Expr,
    },
}

/// A `FROM` source.
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    /// `#tag` (subtags included, case-insensitive).
    Tag(String),
    /// `"folder"` (subfolders included) or `"path/file"`.
    Folder(String),
    /// `[[note]]`: pages linking to it; an empty target is this page.
    Link {
        /// The target as written (empty for `[[]]`/`[[#]]`).
        target: String,
        /// `outgoing([[note]])`: the pages it links to instead.
        outgoing: bool,
    },
    /// `-source` / `!source`.
    Not(Box<Source>),
    /// `a and b`.
    And(Box<Source>, Box<Source>),
    /// `a or b`.
    Or(Box<Source>, Box<Source>),
    /// A source that cannot be evaluated at build time, with the reason (`csv(…)`).
    Unsupported(String),
}

/// One data command.
#[derive(Debug, Clone)]
pub enum Command {
    /// `WHERE expr`.
    Where(Expr),
    /// `SORT e1 [ASC|DESC], …` (`true` = descending).
    Sort(Vec<(Expr, bool)>),
    /// `GROUP BY expr [AS name]`.
    GroupBy(Expr, String),
    /// `FLATTEN expr [AS name]`.
    Flatten(Expr, String),
    /// `LIMIT expr`.
    Limit(Expr),
}

/// Binary operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
    /// `%`
    Mod,
    /// `=`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `and`, `&`
    And,
    /// `or`, `|`
    Or,
}

/// An expression.
#[derive(Debug, Clone)]
pub enum Expr {
    /// A literal: number, string, boolean, null, date, duration, link.
    Literal(Value),
    /// A bare field name (`file`, `rows`, `due`, `this`, `row`).
    Field(String),
    /// `a.b`.
    Member(Box<Expr>, String),
    /// `a[b]`.
    Index(Box<Expr>, Box<Expr>),
    /// `f(args)` where `f` is a name.
    Call(String, Vec<Expr>),
    /// `(expr)(args)`: calling a value (a lambda).
    Apply(Box<Expr>, Vec<Expr>),
    /// `a op b`.
    Binary(BinOp, Box<Expr>, Box<Expr>),
    /// `!a`.
    Not(Box<Expr>),
    /// `-a`.
    Neg(Box<Expr>),
    /// `[a, b]`.
    List(Vec<Expr>),
    /// `{k: v}`.
    Object(Vec<(String, Expr)>),
    /// `(x, y) => body`.
    Lambda(Vec<String>, Box<Expr>),
}
