//! Dataview's function library (`DEFAULT_FUNCTIONS` in `src/expression/functions.ts`),
//! evaluated at build time on [`Value`]s.
//!
//! [`call`] dispatches by name (any case). Functions are *vectorised* where Dataview's are:
//! a list in a vectorised argument position maps the function over it (`lower(["A", "B"])` is
//! `["a", "b"]`; lists in several vectorised positions are zipped to the shortest). Null input
//! mostly gives null (or `false` for the regex tests), a wrong type an error such as
//! `lower() expects text, got a number`. Lambdas are called back through [`Env::call`]; this
//! module never evaluates syntax itself.
//!
//! Dates are zone-less [`time::PrimitiveDateTime`]s: `now` and `today` come from [`Env::now`]
//! (fixed per build), the Luxon zone tokens print UTC and `localtime` is the identity. Strings
//! count characters, not UTF-16 units. [`CATALOG`] lists every Dataview name with notes on where
//! wikigen differs.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use super::value::{compare, Duration, Link, Value};

#[path = "functions_catalog.rs"]
mod catalog;
#[path = "functions_dates.rs"]
mod dates;
#[path = "functions_text.rs"]
mod text;

pub use catalog::CATALOG;
pub use dates::{format_date, parse_date_arg};

#[cfg(test)]
#[path = "functions_tests.rs"]
mod tests;

/// What functions need from the evaluator.
pub trait Env {
    /// Calls a function value (a lambda) with arguments.
    fn call(&mut self, f: &Value, args: Vec<Value>) -> Result<Value, String>;
    /// The build's "now" (the date `today` stands for, at its time of day; fixed per build).
    fn now(&self) -> time::PrimitiveDateTime;
    /// Resolves a link target as written (`People/Ana`, `Ana#Role`) to a link (resolved when possible).
    fn resolve(&self, target: &str, display: Option<&str>, embed: bool) -> Link;
}

type Res = Result<Value, String>;

/// Is there a function of this name (any case)?
pub fn exists(name: &str) -> bool {
    CATALOG.iter().any(|(n, ..)| n.eq_ignore_ascii_case(name))
}

/// Calls the named function (any case: Dataview's names are lower-case).
pub fn call(name: &str, args: Vec<Value>, env: &mut dyn Env) -> Result<Value, String> {
    let lower;
    let name = if name.bytes().any(|b| b.is_ascii_uppercase()) {
        lower = name.to_ascii_lowercase();
        lower.as_str()
    } else {
        name
    };
    // `name` is lower case here: an exact comparison (no case folding per catalog entry).
    if !CATALOG.iter().any(|(n, ..)| *n == name) {
        return Err(format!("unknown function '{name}'"));
    }
    vectorised(name, args, env)
}

/// The argument positions Dataview vectorises, by name and argument count.
fn vector_positions(name: &str, argc: usize) -> &'static [usize] {
    match (name, argc) {
        ("link" | "embed" | "elink" | "date" | "dur" | "number" | "localtime" | "striptime", 1) => {
            &[0]
        }
        ("round" | "trunc" | "floor" | "ceil" | "lower" | "upper" | "currencyformat", 1) => &[0],
        ("elink" | "date" | "dateformat" | "durationformat" | "currencyformat" | "round", 2) => {
            &[0]
        }
        ("contains" | "icontains" | "econtains" | "reduce" | "join", 2) => &[1],
        ("link" | "embed" | "containsword" | "regextest" | "regexmatch" | "startswith", 2) => {
            &[0, 1]
        }
        ("endswith" | "padleft" | "padright" | "substring" | "truncate" | "default", 2) => &[0, 1],
        ("regexreplace" | "replace" | "padleft" | "padright" | "substring" | "truncate", 3) => {
            &[0, 1, 2]
        }
        ("choice", 3) => &[0],
        _ => &[],
    }
}

/// Maps over the lists in vectorised positions (zipped, shortest wins), recursively.
fn vectorised(name: &str, args: Vec<Value>, env: &mut dyn Env) -> Res {
    let pos = vector_positions(name, args.len());
    let lists: Vec<usize> = pos
        .iter()
        .copied()
        .filter(|&p| matches!(args[p], Value::List(_)))
        .collect();
    if lists.is_empty() {
        return scalar(name, args, env);
    }
    let n = lists
        .iter()
        .map(|&p| args[p].as_list().map_or(0, <[Value]>::len))
        .min()
        .unwrap_or(0);
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let sub = args
            .iter()
            .enumerate()
            .map(|(j, a)| match a {
                Value::List(l) if lists.contains(&j) => l[i].clone(),
                _ => a.clone(),
            })
            .collect();
        out.push(vectorised(name, sub, env)?);
    }
    Ok(Value::list(out))
}

/// "a number", "text", "an object", ... for error messages.
fn a_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Date(_) => "a date",
        Value::Duration(_) => "a duration",
        Value::Link(_) => "a link",
        Value::List(_) => "a list",
        Value::Object(_) => "an object",
        Value::Lambda(_) => "a function",
    }
}

/// `lower() expects text, got a number`.
fn expects(func: &str, what: &str, got: &Value) -> String {
    format!("{func}() expects {what}, got {}", a_type(got))
}

fn arity_error(func: &str, min: usize, max: usize, got: usize) -> String {
    let want = if min == max {
        min.to_string()
    } else {
        format!("{min} to {max}")
    };
    let s = if max == 1 { "" } else { "s" };
    format!("{func}() takes {want} argument{s}, got {got}")
}

/// Exactly `N` arguments.
fn take<const N: usize>(func: &str, args: Vec<Value>) -> Result<[Value; N], String> {
    let got = args.len();
    args.try_into().map_err(|_| arity_error(func, N, N, got))
}

/// `min..=N` arguments, the missing ones `None`.
fn opt<const N: usize>(
    func: &str,
    args: Vec<Value>,
    min: usize,
) -> Result<[Option<Value>; N], String> {
    if args.len() < min || args.len() > N {
        return Err(arity_error(func, min, N, args.len()));
    }
    let mut it = args.into_iter();
    Ok(std::array::from_fn(|_| it.next()))
}

/// The lambda argument of `func`.
fn lambda<'a>(func: &str, v: &'a Value) -> Result<&'a Value, String> {
    match v {
        Value::Lambda(_) => Ok(v),
        _ => Err(expects(
            func,
            "a function like (x) => x as its second argument",
            v,
        )),
    }
}

/// One function on arguments that are not (or no longer) vectorised.
fn scalar(name: &str, args: Vec<Value>, env: &mut dyn Env) -> Res {
    match name {
        "object" => {
            if !args.len().is_multiple_of(2) {
                return Err(
                    "object() takes alternating keys and values (an even number of arguments)"
                        .into(),
                );
            }
            let mut m = BTreeMap::new();
            let mut it = args.into_iter();
            while let (Some(k), Some(v)) = (it.next(), it.next()) {
                let Value::String(k) = &k else {
                    return Err(expects(name, "text keys", &k));
                };
                m.insert(k.to_string(), v);
            }
            Ok(Value::object(m))
        }
        "list" | "array" => Ok(Value::list(args)),
        "number" => {
            let [v] = take(name, args)?;
            match &v {
                Value::Number(_) | Value::Null => Ok(v),
                Value::String(s) => Ok(text::first_number(s).map_or(Value::Null, Value::Number)),
                _ => Err(expects(name, "text or a number", &v)),
            }
        }
        "string" => {
            let [v] = take(name, args)?;
            Ok(Value::str(v.to_text()))
        }
        "typeof" => {
            let [v] = take(name, args)?;
            Ok(Value::str(v.type_name()))
        }
        "link" | "embed" | "elink" | "meta" => links(name, args, env),
        "round" => {
            let [n, digits] = opt(name, args, 1)?;
            match (n, digits) {
                (Some(Value::Number(n)), Some(Value::Number(p))) if p >= 1.0 => {
                    let fixed = text::to_fixed(n, p.trunc().min(100.0) as usize);
                    Ok(Value::Number(fixed.parse().unwrap_or(n)))
                }
                (Some(Value::Number(n)), None | Some(Value::Number(_) | Value::Null)) => {
                    Ok(Value::Number(js_round(n)))
                }
                (Some(Value::Null), _) => Ok(Value::Null),
                (Some(Value::Number(_)), Some(p)) => Err(expects(name, "a number of digits", &p)),
                (n, _) => Err(expects(name, "a number", &n.unwrap_or_default())),
            }
        }
        "trunc" | "floor" | "ceil" => {
            let [v] = take(name, args)?;
            match v {
                Value::Number(n) => Ok(Value::Number(match name {
                    "trunc" => n.trunc(),
                    "floor" => n.floor(),
                    _ => n.ceil(),
                })),
                Value::Null => Ok(Value::Null),
                v => Err(expects(name, "a number", &v)),
            }
        }
        "min" | "max" => Ok(min_max(args, name == "max")),
        "sum" | "product" | "average" => {
            let [v] = take(name, args)?;
            let Value::List(l) = &v else { return Ok(v) };
            let items: Vec<&Value> = l.iter().filter(|x| !x.is_null()).collect();
            let Some((first, rest)) = items.split_first() else {
                return Ok(Value::Null);
            };
            let op = if name == "product" { "*" } else { "+" };
            let mut acc = (*first).clone();
            for x in rest {
                acc = arith(op, &acc, x).map_err(|e| format!("{name}(): {e}"))?;
            }
            if name == "average" {
                acc = arith("/", &acc, &Value::Number(items.len() as f64))
                    .map_err(|e| format!("{name}(): {e}"))?;
            }
            Ok(acc)
        }
        "minby" | "maxby" => {
            let [l, f] = take(name, args)?;
            let f = lambda(name, &f)?;
            let l = match &l {
                Value::List(l) => l,
                Value::Null => return Ok(Value::Null),
                _ => return Err(expects(name, "a list", &l)),
            };
            let mut best: Option<(Value, &Value)> = None;
            for v in l.iter() {
                let key = env.call(f, vec![v.clone()])?;
                if key.is_null() {
                    continue;
                }
                let better = match &best {
                    None => true,
                    Some((b, _)) if name == "minby" => compare(b, &key) == Ordering::Greater,
                    Some((b, _)) => compare(b, &key) != Ordering::Greater,
                };
                if better {
                    best = Some((key, v));
                }
            }
            Ok(best
                .map(|(_, v)| v)
                .or(l.first())
                .cloned()
                .unwrap_or_default())
        }
        "reduce" => {
            let [l, op] = take(name, args)?;
            let items = match (&l, &op) {
                (Value::Null, _) | (_, Value::Null) => return Ok(Value::Null),
                (Value::List(items), _) => items,
                _ => return Err(expects(name, "a list", &l)),
            };
            let Some((first, rest)) = items.split_first() else {
                return Ok(Value::Null);
            };
            let mut acc = first.clone();
            match &op {
                Value::String(s) if ["+", "-", "*", "/", "&", "|"].contains(&s.as_ref()) => {
                    for x in rest {
                        acc = arith(s, &acc, x).map_err(|e| format!("{name}(): {e}"))?;
                    }
                }
                Value::Lambda(_) => {
                    for x in rest.iter().filter(|x| !x.is_null()) {
                        acc = env.call(&op, vec![acc, x.clone()])?;
                    }
                }
                _ => {
                    return Err(expects(
                        name,
                        "one of \"+\", \"-\", \"*\", \"/\", \"&\", \"|\" or a function",
                        &op,
                    ))
                }
            }
            Ok(acc)
        }
        "contains" | "icontains" | "econtains" => {
            let [hay, needle] = take(name, args)?;
            Ok(Value::Bool(contains(&hay, &needle, name)))
        }
        "extract" => extract(args),
        "sort" => {
            let [l, f] = opt(name, args, 1)?;
            let (Some(Value::List(l)), f) = (&l, f) else {
                return Ok(l.unwrap_or_default());
            };
            let mut keyed: Vec<(Value, Value)> = Vec::with_capacity(l.len());
            for v in l.iter() {
                let key = match &f {
                    Some(f) => env.call(lambda(name, f)?, vec![v.clone()])?,
                    None => v.clone(),
                };
                keyed.push((key, v.clone()));
            }
            keyed.sort_by(|a, b| compare(&a.0, &b.0));
            Ok(Value::list(keyed.into_iter().map(|(_, v)| v).collect()))
        }
        "reverse" => {
            let [v] = take(name, args)?;
            Ok(match &v {
                Value::List(l) => Value::list(l.iter().rev().cloned().collect()),
                Value::String(s) => Value::str(s.chars().rev().collect::<String>()),
                _ => v,
            })
        }
        "length" => {
            let [v] = take(name, args)?;
            Ok(Value::Number(match &v {
                Value::List(l) => l.len(),
                Value::Object(o) => o.len(),
                Value::String(s) => s.chars().count(),
                Value::Null => 0,
                _ => return Err(expects(name, "a list, an object or text", &v)),
            } as f64))
        }
        "nonnull" => {
            let items = match args.as_slice() {
                [Value::List(l)] => l.to_vec(),
                _ => args,
            };
            Ok(Value::list(
                items.into_iter().filter(|v| !v.is_null()).collect(),
            ))
        }
        "firstvalue" => {
            let [v] = take(name, args)?;
            match &v {
                Value::List(l) => Ok(l.iter().find(|x| !x.is_null()).cloned().unwrap_or_default()),
                _ => Ok(v),
            }
        }
        "all" | "any" | "none" => {
            let truths: Vec<bool> = match args.as_slice() {
                [Value::List(l)] => l.iter().map(Value::truthy).collect(),
                [Value::List(l), f @ Value::Lambda(_)] => {
                    let mut t = Vec::with_capacity(l.len());
                    for v in l.iter() {
                        t.push(env.call(f, vec![v.clone()])?.truthy());
                    }
                    t
                }
                _ => args.iter().map(Value::truthy).collect(),
            };
            Ok(Value::Bool(match name {
                "all" => truths.iter().all(|&t| t),
                "any" => truths.iter().any(|&t| t),
                _ => !truths.iter().any(|&t| t),
            }))
        }
        "join" => {
            let [v, sep] = opt(name, args, 1)?;
            let sep = match &sep {
                None | Some(Value::Null) => ", ",
                Some(Value::String(s)) => s,
                Some(s) => return Err(expects(name, "a text separator", s)),
            };
            Ok(Value::str(match v.unwrap_or_default() {
                Value::List(l) => l.iter().map(Value::to_text).collect::<Vec<_>>().join(sep),
                v => v.to_text(),
            }))
        }
        "filter" | "map" => {
            let [l, f] = take(name, args)?;
            let l = match &l {
                Value::List(l) => l,
                Value::Null => return Ok(Value::Null),
                _ => return Err(expects(name, "a list", &l)),
            };
            let f = lambda(name, &f)?;
            let mut out = Vec::with_capacity(l.len());
            for v in l.iter() {
                let r = env.call(f, vec![v.clone()])?;
                if name == "map" {
                    out.push(r);
                } else if r.truthy() {
                    out.push(v.clone());
                }
            }
            Ok(Value::list(out))
        }
        "flat" => {
            let [l, depth] = opt(name, args, 1)?;
            let depth = match depth {
                None => 1.0,
                Some(Value::Number(n)) => n,
                Some(d) => return Err(expects(name, "a number as the depth", &d)),
            };
            match l.unwrap_or_default() {
                Value::List(l) => {
                    let mut out = Vec::new();
                    flatten(&l, depth.clamp(0.0, 1e6) as usize, &mut out);
                    Ok(Value::list(out))
                }
                Value::Null => Ok(Value::Null),
                v => Err(expects(name, "a list", &v)),
            }
        }
        "slice" => {
            let [l, a, b] = opt(name, args, 1)?;
            let l = match l.unwrap_or_default() {
                Value::List(l) => l,
                Value::Null => return Ok(Value::Null),
                v => return Err(expects(name, "a list", &v)),
            };
            let index = |v: Option<Value>, default: usize| match v {
                None | Some(Value::Null) => Ok(default),
                Some(Value::Number(n)) => Ok(js_index(n, l.len())),
                Some(v) => Err(expects(name, "numeric positions", &v)),
            };
            let (a, b) = (index(a, 0)?, index(b, l.len())?);
            Ok(Value::list(if a < b {
                l[a..b].to_vec()
            } else {
                Vec::new()
            }))
        }
        "unique" => {
            let [v] = take(name, args)?;
            let Value::List(l) = &v else { return Ok(v) };
            let mut sorted = l.to_vec();
            sorted.sort_by(compare);
            sorted.dedup_by(|b, a| compare(a, b) == Ordering::Equal);
            Ok(Value::list(sorted))
        }
        "default" | "ldefault" => {
            let [v, d] = take(name, args)?;
            Ok(if v.is_null() { d } else { v })
        }
        "choice" => {
            let [c, a, b] = take(name, args)?;
            Ok(if c.truthy() { a } else { b })
        }
        "display" => {
            let [v] = take(name, args)?;
            Ok(Value::str(display(&v)))
        }
        "striptime" | "localtime" => {
            let [v] = take(name, args)?;
            match v {
                Value::Date(d) if name == "striptime" => Ok(Value::date(d.date())),
                Value::Date(_) | Value::Null => Ok(v),
                v => Err(expects(name, "a date", &v)),
            }
        }
        "hash" => {
            let [seed, a, b] = opt(name, args, 1)?;
            let seed = match seed.unwrap_or_default() {
                Value::String(s) => s,
                Value::Null => return Ok(Value::Null),
                v => return Err(expects(name, "a text seed", &v)),
            };
            let (text, variant) = match (a, b) {
                (None, None) => (String::new(), 0.0),
                (Some(Value::Number(n)), None) => (String::new(), n),
                (Some(Value::String(t)), None) => (t.to_string(), 0.0),
                (Some(Value::String(t)), Some(Value::Number(n))) => (t.to_string(), n),
                (a, b) => {
                    return Err(expects(
                        name,
                        "(seed, [text], [variant number])",
                        &b.or(a).unwrap_or_default(),
                    ))
                }
            };
            Ok(Value::Number(text::cyrb53(
                &format!("{seed}{text}"),
                variant,
            )))
        }
        _ => text::call(name, args, env),
    }
}

/// `link`, `embed`, `elink` and `meta`.
fn links(name: &str, args: Vec<Value>, env: &mut dyn Env) -> Res {
    let max = match name {
        "link" => 3,
        "meta" => 1,
        _ => 2,
    };
    if args.is_empty() || args.len() > max {
        return Err(arity_error(name, 1, max, args.len()));
    }
    let [a, b, c] = opt(name, args, 1)?;
    let a = a.unwrap_or_default();
    if a.is_null() || (name == "embed" && matches!(b, Some(Value::Null))) {
        return Ok(Value::Null);
    }
    let text = |v: &Option<Value>| -> Result<Option<String>, String> {
        match v {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.to_string()).filter(|s| !s.is_empty())),
            Some(v) => Err(expects(name, "text as the display", v)),
        }
    };
    let flag = |v: &Option<Value>, default: bool| match v {
        None | Some(Value::Null) => Ok(default),
        Some(Value::Bool(e)) => Ok(*e),
        Some(v) => Err(expects(name, "true or false for embedding", v)),
    };
    match (name, &a) {
        ("link", Value::String(s)) => Ok(Value::link(env.resolve(
            s,
            text(&b)?.as_deref(),
            flag(&c, false)?,
        ))),
        ("link", Value::Link(l)) => {
            let mut l = Link::clone(l);
            l.display = text(&b)?.or(l.display);
            l.embed = flag(&c, l.embed)?;
            Ok(Value::link(l))
        }
        ("embed", Value::Link(l)) => Ok(Value::link(Link {
            embed: flag(&b, true)?,
            ..Link::clone(l)
        })),
        ("elink", Value::String(url)) => {
            let has_scheme = url.contains("://") || url.starts_with("mailto:");
            let path = if has_scheme {
                url.to_string()
            } else {
                format!("https://{url}")
            };
            let display = text(&b)?.unwrap_or_else(|| url.to_string());
            Ok(Value::link(Link {
                path,
                display: Some(display),
                subpath: None,
                embed: false,
                note: None,
            }))
        }
        ("meta", Value::Link(l)) => {
            let (kind, sub) = match l.subpath.as_deref() {
                None => ("file", Value::Null),
                Some(s) => match s.strip_prefix('^') {
                    Some(block) => ("block", Value::str(block)),
                    None => ("header", Value::str(s)),
                },
            };
            let display = l.display.as_deref().map_or(Value::Null, Value::str);
            let m = [
                ("display", display),
                ("embed", Value::Bool(l.embed)),
                ("path", Value::str(&l.path)),
                ("subpath", sub),
                ("type", Value::str(kind)),
            ];
            Ok(Value::object(
                m.into_iter().map(|(k, v)| (k.to_string(), v)).collect(),
            ))
        }
        ("link", _) => Err(expects(name, "text or a link", &a)),
        ("elink", _) => Err(expects(name, "a URL text", &a)),
        _ => Err(expects(name, "a link", &a)),
    }
}

/// JavaScript's `Math.round`: halves go up.
fn js_round(n: f64) -> f64 {
    let f = n.floor();
    if n - f >= 0.5 {
        f + 1.0
    } else {
        f
    }
}

/// A JavaScript `slice` position: negative counts from the end, clamped to `0..=len`.
fn js_index(n: f64, len: usize) -> usize {
    if n.is_nan() {
        0
    } else if n < 0.0 {
        len.saturating_sub((-n).trunc().min(len as f64) as usize)
    } else {
        n.trunc().min(len as f64) as usize
    }
}

/// `min`/`max`: arguments or the elements of a single list argument; nulls lose.
fn min_max(args: Vec<Value>, max: bool) -> Value {
    if let [Value::List(l)] = args.as_slice() {
        return min_max(l.to_vec(), max);
    }
    let mut it = args.into_iter();
    let first = it.next().unwrap_or_default();
    it.fold(first, |a, b| {
        if b.is_null() {
            return a;
        }
        if a.is_null() {
            return b;
        }
        let c = compare(&a, &b);
        let keep_a = if max {
            c == Ordering::Greater
        } else {
            c != Ordering::Greater
        };
        if keep_a {
            a
        } else {
            b
        }
    })
}

/// `contains` (recursive into lists), `icontains` (case-insensitive text) and `econtains`
/// (list elements compared whole).
fn contains(hay: &Value, needle: &Value, mode: &str) -> bool {
    match (hay, needle) {
        (Value::List(l), _) if mode == "econtains" => l.iter().any(|e| e == needle),
        (Value::List(l), _) => l.iter().any(|e| contains(e, needle, mode)),
        (Value::String(h), Value::String(n)) if mode == "icontains" => {
            h.to_lowercase().contains(&n.to_lowercase())
        }
        (Value::String(h), Value::String(n)) => h.contains(n.as_ref()),
        (Value::Object(o), Value::String(k)) => o.contains_key(k.as_ref()),
        _ => hay == needle,
    }
}

/// `extract(object, key, ...)`, mapping over a list of objects.
fn extract(args: Vec<Value>) -> Res {
    let Some((obj, keys)) = args.split_first() else {
        return Err("extract() takes an object and keys, got 0 arguments".into());
    };
    if let Value::List(l) = obj {
        let mut out = Vec::with_capacity(l.len());
        for o in l.iter() {
            let mut sub = vec![o.clone()];
            sub.extend_from_slice(keys);
            out.push(extract(sub)?);
        }
        return Ok(Value::list(out));
    }
    let mut m = BTreeMap::new();
    for k in keys {
        let Value::String(k) = k else {
            return Err(expects("extract", "text keys", k));
        };
        let v = match obj {
            Value::Object(o) => o.get(k.as_ref()).cloned().unwrap_or_default(),
            _ => Value::Null,
        };
        m.insert(k.to_string(), v);
    }
    Ok(Value::object(m))
}

fn flatten(l: &[Value], depth: usize, out: &mut Vec<Value>) {
    for v in l {
        match v {
            Value::List(inner) if depth > 0 => flatten(inner, depth - 1, out),
            _ => out.push(v.clone()),
        }
    }
}

/// What `display()` shows.
fn display(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::List(l) => l.iter().map(display).collect::<Vec<_>>().join(", "),
        Value::String(s) => text::strip_markdown(s),
        Value::Link(l) => match &l.display {
            Some(d) => text::strip_markdown(d),
            None => l.label(),
        },
        Value::Date(d) if d.time() == time::Time::MIDNIGHT => format_date(d, "MMMM dd, yyyy"),
        Value::Date(d) => format_date(d, "h:mm a - MMMM dd, yyyy"),
        _ => v.to_text(),
    }
}

/// Dataview's arithmetic and boolean binary operators (`+ - * / % & |`), for expressions and
/// for `reduce`, `sum`, `product` and `average`.
pub fn arith(op: &str, a: &Value, b: &Value) -> Res {
    use Value::{Date, Duration as Dur, List, Null, Number, Object, String as Str};
    let dur = |d: Duration| Ok(Dur(d));
    let scale = |d: &Duration, k: f64| dates::scaled(d.months as f64 * k, d.millis as f64 * k);
    let sum = |x: &Duration, y: &Duration, s: i64| Duration {
        months: x.months + s * y.months,
        millis: x.millis + s * y.millis,
    };
    match (op, a, b) {
        ("&", _, _) => Ok(Value::Bool(a.truthy() && b.truthy())),
        ("|", _, _) => Ok(Value::Bool(a.truthy() || b.truthy())),
        ("+", Number(x), Number(y)) => Ok(Number(x + y)),
        ("-", Number(x), Number(y)) => Ok(Number(x - y)),
        ("*", Number(x), Number(y)) => Ok(Number(x * y)),
        ("/", Number(x), Number(y)) => Ok(Number(x / y)),
        ("%", Number(x), Number(y)) => Ok(Number(x % y)),
        ("+", Str(x), _) => Ok(Value::str(format!("{x}{}", b.to_text()))),
        ("+", _, Str(y)) => Ok(Value::str(format!("{}{y}", a.to_text()))),
        ("*", Str(s), Number(n)) | ("*", Number(n), Str(s)) => Ok(Value::str(if *n < 0.0 {
            String::new()
        } else {
            s.repeat(n.min(1e6) as usize)
        })),
        ("-", Date(x), Date(y)) => dur(dates::date_diff(*x, *y)),
        ("-", Date(x), Dur(d)) => dates::add_duration(*x, d.negated())
            .map(Date)
            .ok_or_else(|| "date out of range".into()),
        ("+", Date(x), Dur(d)) | ("+", Dur(d), Date(x)) => dates::add_duration(*x, *d)
            .map(Date)
            .ok_or_else(|| "date out of range".into()),
        ("+", Dur(x), Dur(y)) => dur(sum(x, y, 1)),
        ("-", Dur(x), Dur(y)) => dur(sum(x, y, -1)),
        ("/", Dur(d), Number(n)) => dur(scale(d, 1.0 / n)),
        ("*", Dur(d), Number(n)) | ("*", Number(n), Dur(d)) => dur(scale(d, *n)),
        ("+", List(x), List(y)) => Ok(Value::list(x.iter().chain(y.iter()).cloned().collect())),
        ("+", Object(x), Object(y)) => {
            let mut m = BTreeMap::clone(x);
            m.extend(y.iter().map(|(k, v)| (k.clone(), v.clone())));
            Ok(Value::object(m))
        }
        // Null propagates through arithmetic.
        (_, Null, _) | (_, _, Null) => Ok(Null),
        _ => Err(format!("cannot compute {} {op} {}", a_type(a), a_type(b))),
    }
}
