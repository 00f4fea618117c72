//! Query stage, expressions: evaluates a Dataview expression against a row (a page, a task, a
//! group), `this` page and lambda variables. Operators follow Dataview: `+` joins text, dates
//! and durations add up, comparisons use Dataview's total order, `and`/`or` short-circuit.

use super::ast::{BinOp, Expr};
use super::functions::{self, Env};
use super::index::{Index, NOTE_KEY};
use super::value::{compare, Duration, Lambda, Link, Value};
use std::collections::BTreeMap;
use std::sync::Arc;
use time::PrimitiveDateTime;

/// What a row is made of.
#[derive(Debug, Clone)]
pub enum Base {
    /// A page (note index).
    Page(usize),
    /// A list item or task: note index and item index.
    Item(usize, usize),
    /// A group made by `GROUP BY`: its key and rows.
    Group(Value, Vec<Row>),
}

/// One row of a query: what it is, and the fields `FLATTEN` added.
#[derive(Debug, Clone)]
pub struct Row {
    /// The page, item or group.
    pub base: Base,
    /// Fields added by `FLATTEN … AS name` (later ones win).
    pub extra: Vec<(String, Value)>,
}

impl Row {
    /// A page row.
    pub fn page(n: usize) -> Row {
        Row {
            base: Base::Page(n),
            extra: Vec::new(),
        }
    }

    /// The note a row comes from (none for groups).
    pub fn note(&self) -> Option<usize> {
        match self.base {
            Base::Page(n) | Base::Item(n, _) => Some(n),
            Base::Group(..) => None,
        }
    }
}

/// An evaluation failure, with a message a person can act on.
pub type EvalError = String;

/// Evaluates expressions for one query in one note.
pub struct Evaluator<'i, 's> {
    /// The index.
    pub idx: &'i Index<'s>,
    /// The note holding the query (`this`).
    pub this: usize,
    vars: Vec<(String, Value)>,
    depth: usize,
    /// The row lambdas see (set while a function that received a lambda runs).
    lambda_row: Option<Row>,
}

fn member_of(v: &Value, name: &str, idx: &Index<'_>) -> Value {
    match v {
        Value::Object(m) => {
            if let Some(x) = m.get(name) {
                return x.clone();
            }
            if let Some(Value::Number(n)) = m.get(NOTE_KEY) {
                if let Some(v) = idx.lazy_file_field(*n as usize, name) {
                    return v;
                }
            }
            let canon = super::index::canonical(name);
            m.get(&canon).cloned().unwrap_or(Value::Null)
        }
        Value::Link(l) => match l.note {
            Some(n) => member_of(idx.page(n), name, idx),
            None => Value::Null,
        },
        Value::List(items) => Value::list(items.iter().map(|x| member_of(x, name, idx)).collect()),
        Value::Date(d) => date_part(d, name),
        Value::Duration(d) => duration_part(d, name),
        _ => Value::Null,
    }
}

fn date_part(d: &PrimitiveDateTime, name: &str) -> Value {
    let n = |x: i64| Value::Number(x as f64);
    match name {
        "year" => n(d.year() as i64),
        "month" => n(u8::from(d.month()) as i64),
        "day" => n(d.day() as i64),
        "hour" => n(d.hour() as i64),
        "minute" => n(d.minute() as i64),
        "second" => n(d.second() as i64),
        "millisecond" => n(d.millisecond() as i64),
        "week" | "weekNumber" => n(d.iso_week() as i64),
        "weekday" => n(d.weekday().number_from_monday() as i64),
        "quarter" => n((u8::from(d.month()) as i64 - 1) / 3 + 1),
        "ordinal" => n(d.ordinal() as i64),
        _ => Value::Null,
    }
}

fn duration_part(d: &Duration, name: &str) -> Value {
    let ms = d.millis as f64;
    let v = match name {
        "years" => d.months as f64 / 12.0,
        "months" => d.months as f64,
        "weeks" => ms / 604_800_000.0,
        "days" => ms / 86_400_000.0,
        "hours" => ms / 3_600_000.0,
        "minutes" => ms / 60_000.0,
        "seconds" => ms / 1000.0,
        "milliseconds" => ms,
        _ => return Value::Null,
    };
    Value::Number(v)
}

fn op_text(op: BinOp) -> &'static str {
    match op {
        BinOp::Add => "+",
        BinOp::Sub => "-",
        BinOp::Mul => "*",
        BinOp::Div => "/",
        BinOp::Mod => "%",
        BinOp::Eq => "=",
        BinOp::Ne => "!=",
        BinOp::Lt => "<",
        BinOp::Le => "<=",
        BinOp::Gt => ">",
        BinOp::Ge => ">=",
        BinOp::And => "and",
        BinOp::Or => "or",
    }
}

impl<'i, 's> Evaluator<'i, 's> {
    /// An evaluator for queries of note `this`.
    pub fn new(idx: &'i Index<'s>, this: usize) -> Self {
        Evaluator {
            idx,
            this,
            vars: Vec::new(),
            depth: 0,
            lambda_row: None,
        }
    }

    /// A row as an object (for `row` and for `rows` of a group).
    pub fn row_value(&self, row: &Row) -> Value {
        let base = match &row.base {
            Base::Page(n) => self.idx.page(*n).clone(),
            Base::Item(n, i) => {
                let items = self.idx.items(*n);
                let item = items.get(*i).cloned().unwrap_or_default();
                // Tasks inherit the page's fields.
                match (item, self.idx.page(*n)) {
                    (Value::Object(t), Value::Object(p)) => {
                        let mut m: BTreeMap<String, Value> = p.as_ref().clone();
                        m.extend(t.iter().map(|(k, v)| (k.clone(), v.clone())));
                        Value::object(m)
                    }
                    (other, _) => other,
                }
            }
            Base::Group(key, rows) => {
                let mut m = BTreeMap::new();
                m.insert("key".to_string(), key.clone());
                m.insert(
                    "rows".to_string(),
                    Value::list(rows.iter().map(|r| self.row_value(r)).collect()),
                );
                Value::object(m)
            }
        };
        if row.extra.is_empty() {
            return base;
        }
        let mut m = match base {
            Value::Object(o) => o.as_ref().clone(),
            _ => BTreeMap::new(),
        };
        for (k, v) in &row.extra {
            m.insert(k.clone(), v.clone());
        }
        Value::object(m)
    }

    /// A field of a row.
    pub fn row_field(&self, row: &Row, name: &str) -> Value {
        if let Some((_, v)) = row.extra.iter().rev().find(|(k, _)| k == name) {
            return v.clone();
        }
        match &row.base {
            Base::Page(n) => member_of(self.idx.page(*n), name, self.idx),
            Base::Item(n, i) => {
                super::reads::read_items(*n);
                let note = &self.idx.site.notes[*n];
                // Inline fields on the item's line win over the built-in ones (as in Dataview).
                // Fields are in line order (the scan reads the note top to bottom).
                let annotated = note.lists.get(*i).is_some_and(|it| {
                    note.fields
                        .binary_search_by_key(&it.line, |f| f.line)
                        .is_ok()
                });
                match (annotated, self.idx.item_field(*n, *i, name)) {
                    (false, Some(v)) => v,
                    // Not a field of items at all: the page's (tasks inherit page fields).
                    (false, None) if !super::index::ITEM_KEYS.contains(&name) => {
                        member_of(self.idx.page(*n), name, self.idx)
                    }
                    _ => self.item_object_field(*n, *i, name),
                }
            }
            Base::Group(key, rows) => match name {
                "key" => key.clone(),
                "rows" => Value::list(rows.iter().map(|r| self.row_value(r)).collect()),
                _ => Value::Null,
            },
        }
    }

    fn item_object_field(&self, n: usize, i: usize, name: &str) -> Value {
        match self.idx.items(n).get(i) {
            Some(Value::Object(o)) => match o.get(name) {
                Some(v) => v.clone(),
                None => member_of(self.idx.page(n), name, self.idx),
            },
            _ => member_of(self.idx.page(n), name, self.idx),
        }
    }

    /// Evaluates `e` for `row`.
    pub fn eval(&mut self, e: &Expr, row: &Row) -> Result<Value, EvalError> {
        self.depth += 1;
        if self.depth > 200 {
            self.depth -= 1;
            return Err("the expression nests too deeply (more than 200 levels)".into());
        }
        let r = self.eval_inner(e, row);
        self.depth -= 1;
        r
    }

    fn eval_inner(&mut self, e: &Expr, row: &Row) -> Result<Value, EvalError> {
        Ok(match e {
            Expr::Literal(Value::Link(l)) if l.note.is_none() => {
                let mut r = self
                    .idx
                    .resolve(self.this, &l.path, l.display.as_deref(), l.embed);
                if r.subpath.is_none() {
                    r.subpath = l.subpath.clone();
                }
                Value::link(r)
            }
            Expr::Literal(v) => v.clone(),
            Expr::Field(name) => self.field(name, row),
            Expr::Member(obj, name) => {
                if let Some(v) = self.file_identity(obj, name, row) {
                    return Ok(v);
                }
                let v = self.eval(obj, row)?;
                member_of(&v, name, self.idx)
            }
            Expr::Index(obj, ix) => {
                let v = self.eval(obj, row)?;
                let i = self.eval(ix, row)?;
                match (&v, &i) {
                    (Value::List(l), Value::Number(n)) => {
                        let n = *n;
                        if n < 0.0 {
                            Value::Null
                        } else {
                            l.get(n as usize).cloned().unwrap_or(Value::Null)
                        }
                    }
                    (Value::String(s), Value::Number(n)) if *n >= 0.0 => s
                        .chars()
                        .nth(*n as usize)
                        .map_or(Value::Null, |c| Value::str(c.to_string())),
                    (_, Value::String(k)) => member_of(&v, k, self.idx),
                    _ => Value::Null,
                }
            }
            Expr::Call(name, args) => {
                if let Some(f) = self.var(name) {
                    let vals = self.eval_all(args, row)?;
                    return self.call(&f, vals);
                }
                let vals = self.eval_all(args, row)?;
                if vals.iter().any(|v| matches!(v, Value::Lambda(_))) {
                    let saved = self.lambda_row.replace(row.clone());
                    let r = functions::call(name, vals, self);
                    self.lambda_row = saved;
                    r?
                } else {
                    functions::call(name, vals, self)?
                }
            }
            Expr::Apply(f, args) => {
                let fv = self.eval(f, row)?;
                let vals = self.eval_all(args, row)?;
                self.call(&fv, vals)?
            }
            Expr::Binary(op, a, b) => self.binary(*op, a, b, row)?,
            Expr::Not(a) => Value::Bool(!self.eval(a, row)?.truthy()),
            Expr::Neg(a) => match self.eval(a, row)? {
                Value::Number(n) => Value::Number(-n),
                Value::Duration(d) => Value::Duration(d.negated()),
                Value::Null => Value::Null,
                other => return Err(format!("cannot negate a {}", other.type_name())),
            },
            Expr::List(items) => Value::list(self.eval_all(items, row)?),
            Expr::Object(fields) => {
                let mut m = BTreeMap::new();
                for (k, x) in fields {
                    m.insert(k.clone(), self.eval(x, row)?);
                }
                Value::object(m)
            }
            Expr::Lambda(params, body) => Value::Lambda(Arc::new(Lambda {
                params: params.clone(),
                body: (**body).clone(),
            })),
        })
    }

    fn eval_all(&mut self, es: &[Expr], row: &Row) -> Result<Vec<Value>, EvalError> {
        es.iter().map(|x| self.eval(x, row)).collect()
    }

    fn var(&self, name: &str) -> Option<Value> {
        self.vars
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    }

    /// `file.link`, `file.name`, `file.path`, `file.folder` or `file.ext` of the row's note: what
    /// `GROUP BY file.link` reads. These change only with the vault's structure, so reading them
    /// does not make the result depend on the note's content (see [`super::reads`]).
    fn file_identity(&self, obj: &Expr, name: &str, row: &Row) -> Option<Value> {
        if !matches!(obj, Expr::Field(f) if f == "file")
            || !matches!(name, "link" | "name" | "path" | "folder" | "ext")
            || self.var("file").is_some()
            || row.extra.iter().any(|(k, _)| k == "file")
        {
            return None;
        }
        let n = match row.base {
            Base::Page(n) => n,
            Base::Item(n, i) => {
                // An inline field on the item's line could be named `file`.
                super::reads::read_items(n);
                let note = &self.idx.site.notes[n];
                let it = note.lists.get(i)?;
                if note.fields.iter().any(|f| f.line == it.line) {
                    return None;
                }
                n
            }
            Base::Group(..) => return None,
        };
        let Value::Object(page) = self.idx.page_unrecorded(n) else {
            return None;
        };
        match page.get("file") {
            Some(Value::Object(f)) => f.get(name).cloned(),
            _ => None,
        }
    }

    /// Whether no lambda variable is bound (nothing shadows a function or field name).
    pub fn no_vars(&self) -> bool {
        self.vars.is_empty()
    }

    /// The value of the bare field `name` for `row`: what evaluating `Expr::Field(name)` gives
    /// (a lambda variable, `this`, `row`, else the row's field).
    pub fn field_of(&mut self, name: &str, row: &Row) -> Value {
        self.field(name, row)
    }

    fn field(&mut self, name: &str, row: &Row) -> Value {
        if let Some(v) = self.var(name) {
            return v;
        }
        match name {
            "this" => self.idx.page(self.this).clone(),
            "row" => self.row_value(row),
            _ => self.row_field(row, name),
        }
    }

    fn binary(&mut self, op: BinOp, a: &Expr, b: &Expr, row: &Row) -> Result<Value, EvalError> {
        match op {
            BinOp::And => {
                let x = self.eval(a, row)?;
                if !x.truthy() {
                    return Ok(Value::Bool(false));
                }
                return Ok(Value::Bool(self.eval(b, row)?.truthy()));
            }
            BinOp::Or => {
                let x = self.eval(a, row)?;
                if x.truthy() {
                    return Ok(Value::Bool(true));
                }
                return Ok(Value::Bool(self.eval(b, row)?.truthy()));
            }
            _ => {}
        }
        let x = self.eval(a, row)?;
        let y = self.eval(b, row)?;
        let cmp = || compare(&x, &y);
        Ok(match op {
            BinOp::Eq => Value::Bool(cmp().is_eq()),
            BinOp::Ne => Value::Bool(!cmp().is_eq()),
            BinOp::Lt => Value::Bool(cmp().is_lt()),
            BinOp::Le => Value::Bool(cmp().is_le()),
            BinOp::Gt => Value::Bool(cmp().is_gt()),
            BinOp::Ge => Value::Bool(cmp().is_ge()),
            _ => functions::arith(op_text(op), &x, &y)?,
        })
    }
}

impl Env for Evaluator<'_, '_> {
    fn call(&mut self, f: &Value, args: Vec<Value>) -> Result<Value, String> {
        let Value::Lambda(l) = f else {
            return Err(format!(
                "a {} cannot be called like a function",
                f.type_name()
            ));
        };
        let mark = self.vars.len();
        for (i, p) in l.params.iter().enumerate() {
            self.vars
                .push((p.clone(), args.get(i).cloned().unwrap_or_default()));
        }
        let row = self
            .lambda_row
            .clone()
            .unwrap_or_else(|| Row::page(self.this));
        let r = self.eval(&l.body, &row);
        self.vars.truncate(mark);
        r
    }

    fn now(&self) -> PrimitiveDateTime {
        self.idx.now
    }

    fn resolve(&self, target: &str, display: Option<&str>, embed: bool) -> Link {
        self.idx.resolve(self.this, target, display, embed)
    }
}
