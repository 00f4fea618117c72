//! The Dataview Query Language parser: the text of a ```` ```dataview ```` block, or of an inline
//! `= expr`, becomes the [`Query`] / [`Expr`] of [`super::ast`]. A small on-demand lexer feeds a
//! recursive-descent parser that follows Dataview's grammar (`src/query/parse.ts` and
//! `src/expression/parse.ts`): case-insensitive keywords, `//` comments, `and`/`or` at equal
//! precedence, identifiers that may contain `-`, and `date(today)` / `dur(1 day)` literals.
//! [`field_value`] reads the value of an inline field (`key:: value`) the way Dataview does.
//! Errors carry a 1-based line and column, a message and a hint; no input makes it panic.

use super::ast::{BinOp, Command, Expr, Header, Query, Source};
use super::value::{parse_datetime, Value};

#[path = "parse_lex.rs"]
mod lex;

use lex::{
    binop, describe, is_tag_char, is_word, keyword, link_at, parse_link, scan_date, scan_duration,
    scan_number, scan_string, unquote, Tok, Token,
};

/// How deeply brackets, parentheses, negations and sources may nest.
const MAX_DEPTH: usize = 200;
/// `date(…)` shorthands, resolved by the evaluator against the build date.
const DATE_WORDS: &str = "start-of-month start-of-week start-of-year end-of-month end-of-week \
    end-of-year yesterday tomorrow today now sow eow som eom soy eoy";
const SOURCE: &str = "a source (\"folder\", #tag or [[link]])";

/// A parse failure: position inside the query text (1-based line and column), message and a hint.
#[derive(Debug, Clone, PartialEq)]
pub struct ParseError {
    /// 1-based line of the offending text.
    pub line: usize,
    /// 1-based column (in characters) of the offending text.
    pub column: usize,
    /// What was expected and what was found.
    pub message: String,
    /// How to fix it.
    pub hint: String,
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (l, c) = (self.line, self.column);
        write!(f, "line {l}, column {c}: {} ({})", self.message, self.hint)
    }
}

impl std::error::Error for ParseError {}

/// Errors are boxed inside the parser to keep its recursive stack frames small.
type R<T> = Result<T, Box<ParseError>>;

/// Parses a whole query: header, optional `FROM`, then commands in any order.
pub fn parse_query(src: &str) -> Result<Query, ParseError> {
    Parser::new(src).query().map_err(|e| *e)
}

/// Parses one expression (an inline `= expr` without its `=`); the whole input must be used.
pub fn parse_expr(src: &str) -> Result<Expr, ParseError> {
    let mut p = Parser::new(src);
    let e = p.expr().map_err(|e| *e)?;
    let t = p.peek().map_err(|e| *e)?;
    if t.tok == Tok::Eof {
        return Ok(e);
    }
    let hint = "an inline query is a single expression; is an operator (+, =, and, …) missing?";
    let message = format!("unexpected {} after the expression", describe(t.tok));
    Err(*p.err(t.start, message, hint))
}

/// Reads an inline field's value like Dataview's `EXPRESSION.inlineField`: a date or date-time,
/// a duration (`1 week`, `4hr2min`), a `"string"` (quotes removed), a `#tag` (kept as text), a
/// `[[link]]` / `![[embed]]`, `true`/`false`, a number or `null`; a comma-separated list when every
/// part is one of those; empty text is null; anything else is the trimmed text.
pub fn field_value(raw: &str) -> Value {
    let t = raw.trim();
    match inline_list(t) {
        _ if t.is_empty() => Value::Null,
        Some(mut items) if items.len() == 1 => items.pop().unwrap_or_default(),
        Some(items) => Value::list(items),
        None => Value::str(t),
    }
}

/// Comma-separated inline atoms making up all of `t`.
fn inline_list(t: &str) -> Option<Vec<Value>> {
    let (first, mut i) = inline_atom(t)?;
    let mut items = vec![first];
    while i < t.len() {
        let rest = t[i..].trim_start().strip_prefix(',')?.trim_start();
        let (v, n) = inline_atom(rest)?;
        items.push(v);
        i = t.len() - rest.len() + n;
    }
    Some(items)
}

/// One atom of an inline value at the start of `s`, with the bytes it used (first match wins).
fn inline_atom(s: &str) -> Option<(Value, usize)> {
    if let Some((date_len, len)) = scan_date(s) {
        if let Some(d) = parse_datetime(&s[..date_len]) {
            return Some((Value::Date(d), len));
        }
    }
    if let Some((d, len)) = scan_duration(s) {
        return Some((Value::Duration(d), len));
    }
    if let Some((text, len)) = scan_string(s) {
        return Some((Value::str(text), len));
    }
    if let Some(rest) = s.strip_prefix('#') {
        let len = 1 + rest.len() - rest.trim_start_matches(is_tag_char).len();
        return Some((Value::str(&s[..len]), len));
    }
    let embed = usize::from(s.starts_with('!'));
    if let Some((inner, len)) = link_at(&s[embed..]) {
        return Some((Value::link(parse_link(inner, embed == 1)), len + embed));
    }
    if let Some(w) = ["true", "True", "false", "False"]
        .iter()
        .find(|w| s.starts_with(*w))
    {
        return Some((Value::Bool(w.eq_ignore_ascii_case("true")), w.len()));
    }
    if let Some((n, len)) = scan_number(s) {
        return Some((Value::Number(n), len));
    }
    s.starts_with("null").then_some((Value::Null, 4))
}

/// A `[[link]]` source: its target without display text or subpath.
fn link_source(inner: &str, outgoing: bool) -> Source {
    let target = parse_link(inner, false).path;
    Source::Link { target, outgoing }
}

/// `text` with line breaks removed and each line trimmed, as Dataview names columns.
fn strip_newlines(text: &str) -> String {
    text.split(['\r', '\n']).map(str::trim).collect()
}

// Parser

struct Parser<'a> {
    src: &'a str,
    /// End of the last consumed token (whitespace after it not yet skipped).
    pos: usize,
    depth: usize,
}

impl<'a> Parser<'a> {
    fn new(src: &'a str) -> Self {
        Parser {
            src,
            pos: 0,
            depth: 0,
        }
    }

    #[cold]
    fn err(&self, at: usize, message: String, hint: impl Into<String>) -> Box<ParseError> {
        let mut at = at.min(self.src.len());
        while !self.src.is_char_boundary(at) {
            at -= 1;
        }
        let before = &self.src[..at];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
        let hint = hint.into();
        Box::new(ParseError {
            line,
            column,
            message,
            hint,
        })
    }

    /// `expected {what}, found {token}`.
    #[cold]
    fn expected<T>(&self, t: Token, what: &str, hint: impl Into<String>) -> R<T> {
        let message = format!("expected {what}, found {}", describe(t.tok));
        Err(self.err(t.start, message, hint))
    }

    /// `line L, column C` of byte `at`.
    fn place(&self, at: usize) -> String {
        let e = self.err(at, String::new(), "");
        format!("line {}, column {}", e.line, e.column)
    }

    fn enter(&mut self) -> R<()> {
        self.depth += 1;
        if self.depth <= MAX_DEPTH {
            return Ok(());
        }
        let message = format!("nested more than {MAX_DEPTH} levels deep");
        Err(self.err(self.skip_ws(self.pos), message, "simplify the expression"))
    }

    fn at_clause_end(&self) -> R<bool> {
        let t = self.peek()?.tok;
        Ok(t == Tok::Eof || keyword(t).is_some())
    }

    // Queries

    fn query(&mut self) -> R<Query> {
        let (header, mut prev) = self.header()?;
        let mut source = None;
        if is_word(self.peek()?.tok, "FROM") {
            self.bump()?;
            source = Some(self.source()?);
            prev = "FROM";
        }
        let mut commands = Vec::new();
        loop {
            let t = self.bump()?;
            let from_ok = source.is_none() && commands.is_empty();
            let kw = match keyword(t.tok) {
                None if t.tok == Tok::Eof => {
                    return Ok(Query {
                        header,
                        source,
                        commands,
                    })
                }
                Some(kw) if kw != "FROM" => kw,
                _ => return self.clause_error(t, prev, from_ok),
            };
            commands.push(match kw {
                "WHERE" => Command::Where(self.expr()?),
                "LIMIT" => Command::Limit(self.expr()?),
                "SORT" => Command::Sort(self.sort_keys()?),
                "GROUP" => self.group_by()?,
                _ => {
                    let (e, text, name) = self.named_field()?;
                    Command::Flatten(e, name.unwrap_or(text))
                }
            });
            prev = kw;
        }
    }

    /// The query type and its fields, and the type's name.
    fn header(&mut self) -> R<(Header, &'static str)> {
        let t = self.bump()?;
        let types = ["LIST", "TABLE", "TASK", "CALENDAR"];
        let Some(kind) = types.into_iter().find(|k| is_word(t.tok, k)) else {
            let hint = "a Dataview query starts with its type: LIST, TABLE, TASK or CALENDAR";
            return self.expected(t, "LIST, TABLE, TASK or CALENDAR", hint);
        };
        let header = match kind {
            "TASK" => Header::Task,
            "CALENDAR" if self.at_clause_end()? => {
                let hint = "CALENDAR needs the date of each page, e.g. CALENDAR file.day";
                return self.expected(self.peek()?, "a date expression after CALENDAR", hint);
            }
            "CALENDAR" => Header::Calendar {
                expr: self.named_field()?.0,
            },
            _ => {
                let without_id = self.without_id()?;
                if kind == "LIST" {
                    let expr = (!self.at_clause_end()?).then(|| self.expr()).transpose()?;
                    Header::List { without_id, expr }
                } else {
                    let columns = self.columns()?;
                    Header::Table {
                        without_id,
                        columns,
                    }
                }
            }
        };
        Ok((header, kind))
    }

    /// TABLE columns: `e1 [AS h1], e2, …`, headed by their text unless named.
    fn columns(&mut self) -> R<Vec<(Expr, String)>> {
        let mut columns = Vec::new();
        while !self.at_clause_end()? {
            let (e, text, name) = self.named_field()?;
            columns.push((e, name.unwrap_or(text)));
            if !self.eat(",")? {
                break;
            }
            if self.at_clause_end()? {
                let hint = "remove the trailing comma after the last column";
                return self.expected(self.peek()?, "a column after \",\"", hint);
            }
        }
        Ok(columns)
    }

    fn group_by(&mut self) -> R<Command> {
        let by = self.bump()?;
        if !is_word(by.tok, "BY") {
            return self.expected(by, "BY after GROUP", "write GROUP BY <expression>");
        }
        let (e, _, name) = self.named_field()?;
        Ok(Command::GroupBy(e, name.unwrap_or_else(|| "key".into())))
    }

    /// A token that cannot start a clause after the `prev` clause.
    #[cold]
    fn clause_error<T>(&self, t: Token, prev: &str, from_ok: bool) -> R<T> {
        let word = match t.tok {
            Tok::Ident(w) | Tok::Sym(w) => w.to_uppercase(),
            _ => String::new(),
        };
        let order = self.src[..t.start]
            .trim_end()
            .to_uppercase()
            .ends_with("ORDER");
        let hint = match (word.as_str(), prev) {
            ("FROM", "FROM") => {
                let hint = "combine sources with and / or, e.g. FROM \"Projects\" or #project";
                return Err(self.err(t.start, "only one FROM is allowed".into(), hint));
            }
            ("FROM", _) => {
                let message = "FROM must come right after the query type, before the commands";
                let hint = "move the FROM line up, directly under the TABLE/LIST/TASK line";
                return Err(self.err(t.start, message.into(), hint));
            }
            ("ORDER", _) => "Dataview sorts with SORT, e.g. SORT file.name DESC".into(),
            ("BY", _) if order => "Dataview sorts with SORT, e.g. SORT file.name DESC".into(),
            ("AS", _) => "AS can only name a TABLE column, a FLATTEN or a GROUP BY".into(),
            ("ASC" | "DESC" | "ASCENDING" | "DESCENDING", _) => {
                "ASC and DESC follow SORT keys".into()
            }
            ("WITHOUT", _) => "WITHOUT ID must come right after TABLE or LIST".into(),
            (_, "TASK") => "TASK takes no fields; continue with FROM, WHERE, SORT, …".into(),
            (",", "LIST") => "LIST shows one expression; use TABLE for several columns".into(),
            (_, "FROM") => {
                "combine sources with and / or, e.g. FROM \"Projects\" or #project".into()
            }
            _ => format!("the {prev} clause ends before this; is an operator or a comma missing?"),
        };
        let what = match from_ok {
            true => "FROM, WHERE, SORT, GROUP BY, FLATTEN or LIMIT",
            false => "WHERE, SORT, GROUP BY, FLATTEN or LIMIT",
        };
        self.expected(t, what, hint)
    }

    /// `WITHOUT ID`, if next.
    fn without_id(&mut self) -> R<bool> {
        let t = self.peek()?;
        if is_word(t.tok, "WITHOUT") {
            let id = self.lex_at(self.skip_ws(t.end))?;
            if is_word(id.tok, "ID") {
                self.pos = id.end;
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// `expr [AS name]`: the expression, its text and the name, if given.
    fn named_field(&mut self) -> R<(Expr, String, Option<String>)> {
        let start = self.skip_ws(self.pos);
        let e = self.expr()?;
        let text = strip_newlines(&self.src[start..self.pos]);
        if !is_word(self.peek()?.tok, "AS") {
            return Ok((e, text, None));
        }
        self.bump()?;
        let n = self.bump()?;
        match n.tok {
            Tok::Ident(s) => Ok((e, text, Some(s.to_string()))),
            Tok::Str(raw) => Ok((e, text, Some(unquote(raw)))),
            _ => self.expected(n, "a name after AS", "write AS name or AS \"Some name\""),
        }
    }

    fn sort_keys(&mut self) -> R<Vec<(Expr, bool)>> {
        let mut keys = Vec::new();
        loop {
            let e = self.expr()?;
            let t = self.peek()?;
            let dir = ["ASC", "ASCENDING", "DESC", "DESCENDING"];
            let dir = dir.into_iter().position(|w| is_word(t.tok, w));
            if dir.is_some() {
                self.pos = t.end;
            }
            keys.push((e, dir.is_some_and(|i| i >= 2)));
            if !self.eat(",")? {
                return Ok(keys);
            }
        }
    }

    // Sources

    fn source(&mut self) -> R<Source> {
        let mut lhs = self.source_atom()?;
        loop {
            let t = self.peek()?;
            let op: fn(_, _) -> Source = match binop(t.tok) {
                Some((BinOp::And, _)) => Source::And,
                Some((BinOp::Or, _)) => Source::Or,
                _ => return Ok(lhs),
            };
            self.pos = t.end;
            lhs = op(Box::new(lhs), Box::new(self.source_atom()?));
        }
    }

    fn source_atom(&mut self) -> R<Source> {
        self.enter()?;
        let t = self.bump()?;
        let call = self.src[t.end..].starts_with('(');
        let s = match t.tok {
            Tok::Str(raw) => Source::Folder(unquote(raw)),
            Tok::Tag(tag) => Source::Tag(format!("#{tag}")),
            Tok::Link(inner, false) => link_source(inner, false),
            Tok::Link(inner, true) => Source::Not(Box::new(link_source(inner, false))),
            Tok::Sym("-" | "!") => Source::Not(Box::new(self.source_atom()?)),
            Tok::Sym("(") => {
                let s = self.source()?;
                self.close(t.start, ")")?;
                s
            }
            Tok::Ident(name @ ("outgoing" | "csv")) if call => self.source_call(name, t.end)?,
            Tok::Ident(_) if keyword(t.tok).is_some() => {
                let hint = "FROM needs a \"folder\", a #tag or a [[link]]";
                return self.expected(t, SOURCE, hint);
            }
            Tok::Ident(name)
                if name == "this" || self.src[t.end..].starts_with(['.', '[', '(']) =>
            {
                self.pos = t.start;
                self.postfix()?;
                let text = strip_newlines(&self.src[t.start..self.pos]);
                let fix = match text.as_str() {
                    "this.file.folder" => "use WHERE file.folder = this.file.folder",
                    _ => "filter with WHERE instead",
                };
                let why = "Dataview itself does not accept expressions in FROM";
                Source::Unsupported(format!("FROM {text}: {why}; {fix}"))
            }
            Tok::Ident(w) => {
                return self.expected(t, SOURCE, format!("quote folder names: FROM \"{w}\""));
            }
            _ => {
                let hint = "a source is a \"folder\", #tag, [[link]] or outgoing([[link]])";
                return self.expected(t, SOURCE, hint);
            }
        };
        self.depth -= 1;
        Ok(s)
    }

    /// `outgoing([[link]])` or `csv("file")`, `open` being the position of `(`.
    fn source_call(&mut self, name: &str, open: usize) -> R<Source> {
        self.pos = open + 1;
        let arg = self.bump()?;
        let s = match (name, arg.tok) {
            ("outgoing", Tok::Link(inner, false)) => link_source(inner, true),
            ("csv", Tok::Str(raw)) => Source::Unsupported(format!(
                "csv({raw}) sources are not supported at build time"
            )),
            _ => {
                let (want, hint) = match name {
                    "csv" => ("a \"path\" inside csv(…)", "write csv(\"data.csv\")"),
                    _ => ("a [[link]] inside outgoing(…)", "write outgoing([[Note]])"),
                };
                return self.expected(arg, want, hint);
            }
        };
        self.close(open, ")")?;
        Ok(s)
    }

    // Expressions. The recursive functions keep their frames small (errors are built in
    // `#[cold]` helpers) so that `MAX_DEPTH` nesting fits comfortably in a thread's stack.

    fn expr(&mut self) -> R<Expr> {
        self.enter()?;
        let e = self.binary(0)?;
        self.depth -= 1;
        Ok(e)
    }

    /// Precedence climbing over [`binop`] levels; every level is left-associative.
    fn binary(&mut self, min: u8) -> R<Expr> {
        let mut lhs = self.unary()?;
        while let Some((op, prec)) = self.operator(min)? {
            let rhs = self.binary(prec + 1)?;
            lhs = Expr::Binary(op, Box::new(lhs), Box::new(rhs));
        }
        Ok(lhs)
    }

    /// Consumes the next token if it is an operator of precedence `min` or more.
    fn operator(&mut self, min: u8) -> R<Option<(BinOp, u8)>> {
        let t = self.peek()?;
        let op = binop(t.tok).filter(|&(_, p)| p >= min);
        if op.is_some() {
            self.pos = t.end;
        }
        Ok(op)
    }

    fn unary(&mut self) -> R<Expr> {
        let t = self.peek()?;
        let wrap: fn(Box<Expr>) -> Expr = match t.tok {
            Tok::Sym("!") => Expr::Not,
            Tok::Sym("-") => Expr::Neg,
            _ => return self.postfix(),
        };
        self.pos = t.end;
        self.enter()?;
        let e = self.unary()?;
        self.depth -= 1;
        Ok(wrap(Box::new(e)))
    }

    /// An atom followed by `.field`, `[index]` and `(args)`, each written without a space before.
    fn postfix(&mut self) -> R<Expr> {
        let mut e = self.atom()?;
        while self.src[self.pos..].starts_with(['.', '[', '(']) {
            e = self.suffix(e)?;
        }
        Ok(e)
    }

    fn suffix(&mut self, e: Expr) -> R<Expr> {
        let at = self.pos;
        self.pos += 1;
        if self.src[at..].starts_with('[') {
            let index = self.expr()?;
            self.close(at, "]")?;
            return Ok(Expr::Index(Box::new(e), Box::new(index)));
        }
        if self.src[at..].starts_with('(') {
            return Ok(Expr::Apply(Box::new(e), self.items(at, ")", Self::expr)?));
        }
        let t = self.lex_at(at + 1)?;
        let Tok::Ident(name) = t.tok else {
            let hint = "write a.b, or a[\"key\"] for other keys";
            return self.expected(t, "a field name after \".\"", hint);
        };
        self.pos = t.end;
        Ok(Expr::Member(Box::new(e), name.to_string()))
    }

    /// Consumes `close`, or explains which bracket at `open` is left unclosed.
    fn close(&mut self, open: usize, close: &str) -> R<()> {
        match self.eat(close)? {
            true => Ok(()),
            false => self.unclosed(open, close, false),
        }
    }

    #[cold]
    fn unclosed<T>(&self, open: usize, close: &str, list: bool) -> R<T> {
        let t = self.peek()?;
        let opener = self.src[open..].chars().next().unwrap_or('(');
        let at = self.place(open);
        let hint = match t.tok {
            Tok::Eof => format!("the \"{opener}\" at {at} is never closed"),
            _ if list => format!("separate items with commas; close the \"{opener}\" at {at}"),
            _ => format!("close the \"{opener}\" at {at} with \"{close}\""),
        };
        let what = match list {
            true => format!("\",\" or \"{close}\""),
            false => format!("\"{close}\""),
        };
        self.expected(t, &what, hint)
    }

    /// Comma-separated items up to `close` (a trailing comma is allowed); the opener is consumed.
    fn items<T>(&mut self, open: usize, close: &str, item: fn(&mut Self) -> R<T>) -> R<Vec<T>> {
        self.enter()?;
        let mut out = Vec::new();
        while !self.eat(close)? {
            out.push(item(self)?);
            if !self.eat(",")? {
                if !self.eat(close)? {
                    return self.unclosed(open, close, true);
                }
                break;
            }
        }
        self.depth -= 1;
        Ok(out)
    }

    fn entry(&mut self) -> R<(String, Expr)> {
        let k = self.bump()?;
        let key = match k.tok {
            Tok::Ident(s) => s.to_string(),
            Tok::Str(raw) => unquote(raw),
            _ => return self.expected(k, "an object key", "write {key: value, \"a key\": value}"),
        };
        if !self.eat(":")? {
            let what = format!("\":\" after the key \"{key}\"");
            return self.expected(self.peek()?, &what, "write {key: value}");
        }
        Ok((key, self.expr()?))
    }

    /// `a, b) =>` after a `(`: the parameters, or `None` (nothing consumed) if not a lambda.
    fn lambda_params(&mut self) -> Option<Vec<String>> {
        let save = self.pos;
        let params = self.try_params();
        if params.is_none() {
            self.pos = save;
        }
        params
    }

    fn try_params(&mut self) -> Option<Vec<String>> {
        let mut params = Vec::new();
        if !self.eat(")").ok()? {
            loop {
                let Tok::Ident(s) = self.bump().ok()?.tok else {
                    return None;
                };
                params.push(s.to_string());
                if self.eat(")").ok()? {
                    break;
                }
                if !self.eat(",").ok()? {
                    return None;
                }
            }
        }
        self.eat("=>").ok()?.then_some(params)
    }

    fn atom(&mut self) -> R<Expr> {
        let t = self.bump()?;
        let value = match t.tok {
            Tok::Num(n) => Value::Number(n),
            Tok::Str(raw) => Value::str(unquote(raw)),
            Tok::Link(inner, embed) => Value::link(parse_link(inner, embed)),
            Tok::Sym("[") => return Ok(Expr::List(self.items(t.start, "]", Self::expr)?)),
            Tok::Sym("{") => return Ok(Expr::Object(self.items(t.start, "}", Self::entry)?)),
            Tok::Sym("(") => return self.paren(t.start),
            Tok::Ident(name) => return self.ident(name, t),
            _ => return self.not_an_expr(t),
        };
        Ok(Expr::Literal(value))
    }

    #[cold]
    fn not_an_expr<T>(&self, t: Token) -> R<T> {
        let hint = match t.tok {
            Tok::Tag(tag) => format!("tags are sources; write contains(file.tags, \"#{tag}\")"),
            Tok::Eof => "the query ends where a value is needed; finish the expression".into(),
            _ => "a value is a number, \"string\", [[link]], field, function call, …".into(),
        };
        let Some(kw) = keyword(t.tok) else {
            return self.expected(t, "an expression", hint);
        };
        let message = format!("expected an expression, found the keyword \"{kw}\"");
        let row = kw.to_lowercase();
        let hint = format!("{kw} starts a new clause; for a field of that name write row.{row}");
        Err(self.err(t.start, message, hint))
    }

    /// `(expr)` or a lambda `(a, b) => body`, after the `(` at `open`.
    fn paren(&mut self, open: usize) -> R<Expr> {
        if let Some(params) = self.lambda_params() {
            return self.lambda(params);
        }
        let e = self.expr()?;
        self.close(open, ")")?;
        Ok(e)
    }

    /// A literal word, a field, a call or a one-parameter lambda `x => body`.
    fn ident(&mut self, name: &'a str, t: Token<'a>) -> R<Expr> {
        let value = match name {
            "true" | "True" => Value::Bool(true),
            "false" | "False" => Value::Bool(false),
            "null" => Value::Null,
            // `sort(list)` is the function, `SORT x` the clause.
            _ if self.src[t.end..].starts_with('(') => return self.call(name, t.end),
            _ if keyword(t.tok).is_some() => return self.not_an_expr(t),
            _ if self.eat("=>")? => return self.lambda(vec![name.to_string()]),
            _ => return Ok(Expr::Field(name.to_string())),
        };
        Ok(Expr::Literal(value))
    }

    fn lambda(&mut self, params: Vec<String>) -> R<Expr> {
        Ok(Expr::Lambda(params, Box::new(self.expr()?)))
    }

    /// `name(args)`, `open` being the position of `(`.
    fn call(&mut self, name: &str, open: usize) -> R<Expr> {
        if let Some(e) = self.special_literal(name, open)? {
            return Ok(e);
        }
        self.pos = open + 1;
        let args = self.items(open, ")", Self::expr)?;
        Ok(Expr::Call(name.to_string(), args))
    }

    /// `date(today)`, `date(2021-04-18…)` and `dur(1 day)`, whose insides are not expressions.
    /// The zone of a date is dropped, as dates carry none.
    fn special_literal(&mut self, name: &str, open: usize) -> R<Option<Expr>> {
        let inner = self.skip_spaces(open + 1);
        let body = &self.src[inner..];
        let word = DATE_WORDS.split(' ').find(|w| body.starts_with(w));
        let (e, len) = match (name, word) {
            ("date", Some(w)) => (Expr::Literal(Value::str(w)), w.len()),
            ("date", None) => match scan_date(body) {
                Some((date, len)) => (Expr::Literal(Value::str(&body[..date])), len),
                None => return Ok(None),
            },
            ("dur", _) => match scan_duration(body) {
                Some((d, len)) => (Expr::Literal(Value::Duration(d)), len),
                None => return Ok(None),
            },
            _ => return Ok(None),
        };
        let end = self.skip_spaces(inner + len);
        if !self.src[end..].starts_with(')') {
            return Ok(None);
        }
        self.pos = end + 1;
        if name == "dur" {
            return Ok(Some(e));
        }
        if let (None, Expr::Literal(Value::String(s))) = (word, &e) {
            if parse_datetime(s).is_none() {
                let message = format!("date({}) is not a valid date", &body[..len]);
                let hint =
                    "write date(YYYY-MM-DD) or date(YYYY-MM-DDTHH:mm) with a real month and day";
                return Err(self.err(inner, message, hint));
            }
        }
        Ok(Some(Expr::Call("date".into(), vec![e])))
    }
}

#[cfg(test)]
#[path = "parse_tests.rs"]
mod tests;
