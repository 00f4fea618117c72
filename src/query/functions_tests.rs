//! Table-driven tests of the function library, mostly the documented examples of Dataview's
//! `reference/functions.md` (inputs and outputs), with `now` fixed at 2026-03-04T10:30.

use std::collections::BTreeMap;
use std::sync::Arc;

use time::macros::datetime;
use time::PrimitiveDateTime;

use super::super::ast::Expr;
use super::super::value::{parse_datetime, Duration, Lambda, Link, Value};
use super::{call, exists, format_date, parse_date_arg, Env, CATALOG};

/// Interprets a few fixed lambda bodies by the name of their `Field`.
struct TestEnv;

impl Env for TestEnv {
    fn call(&mut self, f: &Value, args: Vec<Value>) -> Result<Value, String> {
        let Value::Lambda(lam) = f else {
            return Err("not a function".into());
        };
        let Expr::Field(body) = &lam.body else {
            return Err("unsupported body".into());
        };
        let x = args.first().cloned().unwrap_or_default();
        let y = args.get(1).cloned().unwrap_or_default();
        let num = |v: &Value| v.as_number().unwrap_or(f64::NAN);
        Ok(match body.as_str() {
            "x" => x,
            "neg" => Value::Number(0.0 - num(&x)),
            "plus2" => Value::Number(num(&x) + 2.0),
            "question" => Value::str(format!("{}?", x.to_text())),
            "gt0" => Value::Bool(num(&x) > 0.0),
            "gt1" => Value::Bool(num(&x) > 1.0),
            "gt2" => Value::Bool(num(&x) > 2.0),
            "ge2" => Value::Bool(num(&x) >= 2.0),
            "eq0" => Value::Bool(num(&x) == 0.0),
            "eqfalse" => Value::Bool(matches!(x, Value::Bool(false))),
            "isstr" => Value::Bool(x.type_name() == "string"),
            "starts_y" => Value::Bool(x.as_str().is_some_and(|s| s.starts_with('y'))),
            "starts_a" => Value::Bool(x.as_str().is_some_and(|s| s.starts_with('A'))),
            "add" => Value::Number(num(&x) + num(&y)),
            "due" => match &x {
                Value::Object(o) => o.get("due").cloned().unwrap_or_default(),
                _ => Value::Null,
            },
            "boom" => return Err("boom".into()),
            other => return Err(format!("unknown test lambda {other}")),
        })
    }

    fn now(&self) -> PrimitiveDateTime {
        datetime!(2026-03-04 10:30)
    }

    fn resolve(&self, target: &str, display: Option<&str>, embed: bool) -> Link {
        let (path, subpath) = match target.split_once('#') {
            Some((p, s)) => (p, Some(s.to_string())),
            None => (target, None),
        };
        let (path, note) = match path {
            "Ana" => ("People/Ana.md".to_string(), Some(0)),
            p => (p.to_string(), None),
        };
        Link {
            path,
            display: display.map(String::from),
            subpath,
            embed,
            note,
        }
    }
}

fn n(x: f64) -> Value {
    Value::Number(x)
}
fn s(x: &str) -> Value {
    Value::str(x)
}
fn b(x: bool) -> Value {
    Value::Bool(x)
}
fn l(v: Vec<Value>) -> Value {
    Value::list(v)
}
fn ns(v: &[f64]) -> Value {
    l(v.iter().map(|&x| n(x)).collect())
}
fn ss(v: &[&str]) -> Value {
    l(v.iter().map(|x| s(x)).collect())
}
fn bs(v: &[bool]) -> Value {
    l(v.iter().map(|&x| b(x)).collect())
}
fn d(x: &str) -> Value {
    Value::Date(parse_datetime(x).expect("test date"))
}
fn dt(x: PrimitiveDateTime) -> Value {
    Value::Date(x)
}
fn lam(body: &str) -> Value {
    Value::Lambda(Arc::new(Lambda {
        params: vec!["x".into()],
        body: Expr::Field(body.into()),
    }))
}
fn obj(pairs: Vec<(&str, Value)>) -> Value {
    Value::object(
        pairs
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect::<BTreeMap<_, _>>(),
    )
}
fn lnk(path: &str, display: Option<&str>, subpath: Option<&str>) -> Value {
    Value::link(Link {
        path: path.into(),
        display: display.map(String::from),
        subpath: subpath.map(String::from),
        embed: false,
        note: None,
    })
}
fn dur(months: i64, millis: i64) -> Value {
    Value::Duration(Duration { months, millis })
}
const NULL: Value = Value::Null;
const H: i64 = 3_600_000;
const DAY: i64 = 86_400_000;

/// Equal values of the same type, durations and links field by field.
fn same(a: &Value, e: &Value) -> bool {
    match (a, e) {
        (Value::List(x), Value::List(y)) => {
            x.len() == y.len() && x.iter().zip(y.iter()).all(|(p, q)| same(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y.iter())
                    .all(|((k1, v1), (k2, v2))| k1 == k2 && same(v1, v2))
        }
        (Value::Duration(x), Value::Duration(y)) => x == y,
        (Value::Link(x), Value::Link(y)) => x == y,
        (Value::Date(x), Value::Date(y)) => x == y,
        _ => a.type_name() == e.type_name() && a == e,
    }
}

type Case = (&'static str, Vec<Value>, Result<Value, &'static str>);

macro_rules! c {
    ($name:literal ( $($a:expr),* $(,)? ) => ! $e:literal) => { ($name, vec![$($a),*], Err($e)) };
    ($name:literal ( $($a:expr),* $(,)? ) => $v:expr) => { ($name, vec![$($a),*], Ok($v)) };
}

fn run(cases: Vec<Case>) {
    let mut failures = Vec::new();
    let count = cases.len();
    for (name, args, want) in cases {
        let shown = format!(
            "{name}({})",
            args.iter()
                .map(|a| format!("{a:?}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let got = call(name, args, &mut TestEnv);
        let ok = match (&got, &want) {
            (Ok(g), Ok(w)) => same(g, w),
            (Err(g), Err(w)) => g.contains(w),
            _ => false,
        };
        if !ok {
            failures.push(format!("{shown}\n    got  {got:?}\n    want {want:?}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {count} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn constructors() {
    let ana = Value::link(Link {
        path: "People/Ana.md".into(),
        display: None,
        subpath: None,
        embed: false,
        note: Some(0),
    });
    let ana_b = Value::link(Link {
        display: Some("Ana B".into()),
        ..Link::clone(match &ana {
            Value::Link(x) => x,
            _ => unreachable!(),
        })
    });
    run(vec![
        c!("object"() => obj(vec![])),
        c!("object"(s("a"), n(6.0)) => obj(vec![("a", n(6.0))])),
        c!("object"(s("a"), n(4.0), s("c"), s("yes")) => obj(vec![("a", n(4.0)), ("c", s("yes"))])),
        c!("object"(s("a")) => !"even number"),
        c!("object"(n(1.0), n(2.0)) => !"object() expects text keys, got a number"),
        c!("list"() => l(vec![])),
        c!("list"(n(1.0), n(2.0), n(3.0)) => ns(&[1.0, 2.0, 3.0])),
        c!("array"(s("a"), s("b"), s("c")) => ss(&["a", "b", "c"])),
        c!("date"(s("2020-04-18")) => d("2020-04-18")),
        c!("date"(s("2021-08-15T10:30:15")) => d("2021-08-15T10:30:15")),
        c!("date"(s("2021-08-15T10:30+02:00")) => d("2021-08-15T10:30")),
        c!("date"(s("today")) => d("2026-03-04")),
        c!("date"(s("now")) => d("2026-03-04T10:30")),
        c!("date"(s("yesterday")) => d("2026-03-03")),
        c!("date"(s("tomorrow")) => d("2026-03-05")),
        c!("date"(s("sow")) => d("2026-03-02")),
        c!("date"(s("start-of-week")) => d("2026-03-02")),
        c!("date"(s("eow")) => dt(datetime!(2026-03-08 23:59:59.999))),
        c!("date"(s("som")) => d("2026-03-01")),
        c!("date"(s("eom")) => dt(datetime!(2026-03-31 23:59:59.999))),
        c!("date"(s("soy")) => d("2026-01-01")),
        c!("date"(s("end-of-year")) => dt(datetime!(2026-12-31 23:59:59.999))),
        c!("date"(s("someday")) => NULL),
        c!("date"(NULL) => NULL),
        c!("date"(d("2020-04-18")) => d("2020-04-18")),
        c!("date"(lnk("2021-04-16", None, None)) => d("2021-04-16")),
        c!("date"(lnk("Daily/2021-04-16.md", None, None)) => d("2021-04-16")),
        c!("date"(lnk("Ana", None, None)) => NULL),
        c!("date"(n(5.0)) => !"date() expects text, a date or a link, got a number"),
        c!("date"(ss(&["2020-01-01", "x"])) => l(vec![d("2020-01-01"), NULL])),
        c!("date"(s("12/31/2022"), s("MM/dd/yyyy")) => d("2022-12-31")),
        c!("date"(s("210313"), s("yyMMdd")) => d("2021-03-13")),
        c!("date"(s("946778645000"), s("x")) => d("2000-01-02T02:04:05")),
        c!("date"(s("March 4, 2026"), s("MMMM d, yyyy")) => d("2026-03-04")),
        c!("date"(s("4 mar 26 3:05 PM"), s("d MMM yy h:mm a")) => d("2026-03-04T15:05")),
        c!("date"(s("10:15"), s("HH:mm")) => d("2026-03-04T10:15")),
        c!("date"(s("2026-03-04T08:09"), s("yyyy-MM-dd'T'HH:mm")) => d("2026-03-04T08:09")),
        c!("date"(s("13/45/2022"), s("MM/dd/yyyy")) => !"can't parse"),
        c!("dur"(s("8 minutes")) => dur(0, 8 * 60_000)),
        c!("dur"(s("8 minutes, 4 seconds")) => dur(0, 8 * 60_000 + 4000)),
        c!("dur"(s("4hr2min")) => dur(0, 4 * H + 2 * 60_000)),
        c!("dur"(s("2 years, 3 months")) => dur(27, 0)),
        c!("dur"(s("1 week 1.5 days")) => dur(0, 8 * DAY + 12 * H)),
        c!("dur"(dur(0, 5)) => dur(0, 5)),
        c!("dur"(s("hmm")) => NULL),
        c!("dur"(s(" ")) => NULL),
        c!("number"(s("18 years")) => n(18.0)),
        c!("number"(n(34.0)) => n(34.0)),
        c!("number"(s("hmm")) => NULL),
        c!("number"(s("costs -2.5 kg")) => n(-2.5)),
        c!("string"(n(18.0)) => s("18")),
        c!("string"(dur(0, 8 * H)) => s("8 hours")),
        c!("string"(d("2021-08-15")) => s("2021-08-15")),
        c!("link"(s("Ana")) => ana.clone()),
        c!("link"(s("Ana"), s("Ana B")) => ana_b.clone()),
        c!("link"(ss(&["Ana", "Ana"])) => l(vec![ana.clone(), ana.clone()])),
        c!("link"(ana.clone(), s("Ana B")) => ana_b),
        c!("link"(s("Ana#Role")) => Value::link(Link { path: "People/Ana.md".into(), display: None, subpath: Some("Role".into()), embed: false, note: Some(0) })),
        c!("link"(NULL) => NULL),
        c!("embed"(lnk("Hello.png", None, None)) => Value::link(Link { path: "Hello.png".into(), display: None, subpath: None, embed: true, note: None })),
        c!("embed"(lnk("Hello.png", None, None), b(false)) => lnk("Hello.png", None, None)),
        c!("elink"(s("www.google.com")) => lnk("https://www.google.com", Some("www.google.com"), None)),
        c!("elink"(s("https://x.org/a"), s("X")) => lnk("https://x.org/a", Some("X"), None)),
        c!("typeof"(n(8.0)) => s("number")),
        c!("typeof"(s("text")) => s("string")),
        c!("typeof"(ns(&[1.0, 2.0, 3.0])) => s("array")),
        c!("typeof"(obj(vec![("a", n(1.0))])) => s("object")),
        c!("typeof"(d("2020-01-01")) => s("date")),
        c!("typeof"(dur(0, 480_000)) => s("duration")),
        c!("typeof"(lam("x")) => s("function")),
        c!("typeof"(NULL) => s("null")),
    ]);
}

#[test]
fn numeric() {
    let tasks = l(vec![
        obj(vec![("due", d("2026-05-01")), ("t", s("b"))]),
        obj(vec![("due", NULL), ("t", s("none"))]),
        obj(vec![("due", d("2026-04-01")), ("t", s("a"))]),
    ]);
    run(vec![
        c!("round"(n(16.555555)) => n(17.0)),
        c!("round"(n(16.555555), n(2.0)) => n(16.56)),
        c!("round"(n(-2.5)) => n(-2.0)),
        c!("round"(n(1.005), n(2.0)) => n(1.0)),
        c!("round"(n(0.125), n(2.0)) => n(0.13)),
        c!("round"(n(9.999), n(2.0)) => n(10.0)),
        c!("round"(ns(&[1.4, 2.6])) => ns(&[1.0, 3.0])),
        c!("round"(NULL) => NULL),
        c!("round"(s("x")) => !"round() expects a number, got text"),
        c!("trunc"(n(12.937)) => n(12.0)),
        c!("trunc"(n(-93.33333)) => n(-93.0)),
        c!("trunc"(n(-0.837764)) => n(0.0)),
        c!("floor"(n(12.937)) => n(12.0)),
        c!("floor"(n(-93.33333)) => n(-94.0)),
        c!("floor"(n(-0.837764)) => n(-1.0)),
        c!("ceil"(n(12.937)) => n(13.0)),
        c!("ceil"(n(-93.33333)) => n(-93.0)),
        c!("ceil"(n(-0.837764)) => n(0.0)),
        c!("min"(n(1.0), n(2.0), n(3.0)) => n(1.0)),
        c!("min"(ns(&[1.0, 2.0, 3.0])) => n(1.0)),
        c!("min"(s("a"), s("ab"), s("abc")) => s("a")),
        c!("min"(NULL, n(3.0)) => n(3.0)),
        c!("min"() => NULL),
        c!("max"(n(1.0), n(2.0), n(3.0)) => n(3.0)),
        c!("max"(ns(&[1.0, 2.0, 3.0])) => n(3.0)),
        c!("max"(s("a"), s("ab"), s("abc")) => s("abc")),
        c!("max"(l(vec![])) => NULL),
        c!("sum"(ns(&[1.0, 2.0, 3.0])) => n(6.0)),
        c!("sum"(l(vec![])) => NULL),
        c!("sum"(l(vec![NULL, n(1.0), n(8.0)])) => n(9.0)),
        c!("sum"(l(vec![dur(0, H), dur(1, 2 * H)])) => dur(1, 3 * H)),
        c!("product"(ns(&[1.0, 2.0, 3.0])) => n(6.0)),
        c!("product"(l(vec![])) => NULL),
        c!("product"(l(vec![NULL, n(1.0), n(2.0), n(4.0)])) => n(8.0)),
        c!("average"(ns(&[1.0, 2.0, 3.0])) => n(2.0)),
        c!("average"(l(vec![])) => NULL),
        c!("average"(l(vec![NULL, n(1.0), n(2.0)])) => n(1.5)),
        c!("minby"(ns(&[1.0, 2.0, 3.0]), lam("x")) => n(1.0)),
        c!("minby"(ns(&[1.0, 2.0, 3.0]), lam("neg")) => n(3.0)),
        c!("maxby"(ns(&[1.0, 2.0, 3.0]), lam("x")) => n(3.0)),
        c!("maxby"(ns(&[1.0, 2.0, 3.0]), lam("neg")) => n(1.0)),
        c!("minby"(tasks.clone(), lam("due")) => obj(vec![("due", d("2026-04-01")), ("t", s("a"))])),
        c!("maxby"(tasks, lam("due")) => obj(vec![("due", d("2026-05-01")), ("t", s("b"))])),
        c!("minby"(l(vec![]), lam("x")) => NULL),
        c!("minby"(ns(&[1.0]), n(1.0)) => !"minby() expects a function"),
        c!("reduce"(ns(&[100.0, 20.0, 3.0]), s("-")) => n(77.0)),
        c!("reduce"(ns(&[200.0, 10.0, 2.0]), s("/")) => n(10.0)),
        c!("reduce"(l(vec![s("⭐"), n(3.0)]), s("*")) => s("⭐⭐⭐")),
        c!("reduce"(ns(&[1.0]), s("+")) => n(1.0)),
        c!("reduce"(l(vec![n(1.0), NULL, n(2.0), n(3.0)]), lam("add")) => n(6.0)),
        c!("reduce"(bs(&[true, false]), s("&")) => b(false)),
        c!("reduce"(bs(&[true, false]), s("|")) => b(true)),
        c!("reduce"(l(vec![]), s("+")) => NULL),
        c!("reduce"(ns(&[1.0, 2.0]), s("%")) => !"reduce() expects one of"),
        c!("reduce"(ns(&[1.0, 2.0]), ss(&["+", "*"])) => ns(&[3.0, 2.0])),
        c!("reduce"(l(vec![d("2026-03-04"), dur(1, DAY)]), s("+")) => d("2026-04-05")),
        c!("reduce"(l(vec![d("2026-03-31"), dur(1, 0)]), s("+")) => d("2026-04-30")),
        c!("reduce"(l(vec![d("2026-04-02"), d("2026-03-01")]), s("-")) => dur(1, DAY)),
        c!("reduce"(l(vec![n(1.0), s("x")]), s("-")) => !"reduce(): cannot compute a number - text"),
        c!("sum"(l(vec![n(1.0), d("2020-01-01")])) => !"sum(): cannot compute a number + a date"),
    ]);
}

#[test]
fn lists_and_objects() {
    let words = ss(&["this", "is", "example"]);
    let kv = obj(vec![("key", s("value")), ("pairs", s("here"))]);
    let ana = lnk("People/Ana.md", None, None);
    run(vec![
        c!("contains"(s("Hello"), s("Lo")) => b(false)),
        c!("contains"(s("Hello"), s("lo")) => b(true)),
        c!("icontains"(s("Hello"), s("Lo")) => b(true)),
        c!("icontains"(s("Hello"), s("lo")) => b(true)),
        c!("econtains"(s("Hello"), s("Lo")) => b(false)),
        c!("econtains"(s("Hello"), s("lo")) => b(true)),
        c!("econtains"(words.clone(), s("ex")) => b(false)),
        c!("econtains"(words.clone(), s("is")) => b(true)),
        c!("contains"(words.clone(), s("ex")) => b(true)),
        c!("icontains"(words, s("EX")) => b(true)),
        c!("contains"(ns(&[1.0, 2.0, 3.0]), n(3.0)) => b(true)),
        c!("contains"(l(vec![]), n(1.0)) => b(false)),
        c!("contains"(s("yes"), s("no")) => b(false)),
        c!("contains"(kv.clone(), s("key")) => b(true)),
        c!("econtains"(kv.clone(), s("here")) => b(false)),
        c!("econtains"(kv, s("key")) => b(true)),
        c!("contains"(NULL, s("x")) => b(false)),
        c!("contains"(l(vec![ana.clone()]), lnk("people/ana.md", Some("A"), None)) => b(true)),
        c!("contains"(s("abc"), ss(&["a", "z"])) => bs(&[true, false])),
        c!("containsword"(s("word"), s("word")) => b(true)),
        c!("containsword"(s("word"), s("Word")) => b(true)),
        c!("containsword"(s("words"), s("Word")) => b(false)),
        c!("containsword"(s("Hello there!"), s("hello")) => b(true)),
        c!("containsword"(s("Hello there!"), s("HeLLo")) => b(true)),
        c!("containsword"(s("Hello there chaps!"), s("chap")) => b(false)),
        c!("containsword"(s("Hello there chaps!"), s("chaps")) => b(true)),
        c!("containsword"(ss(&["I have no words.", "words"]), s("Word")) => bs(&[false, false])),
        c!("containsword"(ss(&["word", "Words"]), s("Word")) => bs(&[true, false])),
        c!("containsword"(ss(&["Word", "Words in word"]), s("WORD")) => bs(&[true, true])),
        c!("containsword"(s("a+b c"), s("a+b")) => b(true)),
        c!("containsword"(s("un café"), s("caf")) => b(false)),
        c!("extract"(obj(vec![("ctime", n(1.0)), ("mtime", n(2.0)), ("x", n(3.0))]), s("ctime"), s("mtime")) => obj(vec![("ctime", n(1.0)), ("mtime", n(2.0))])),
        c!("extract"(obj(vec![("test", n(1.0))])) => obj(vec![])),
        c!("extract"(obj(vec![]), s("gone")) => obj(vec![("gone", NULL)])),
        c!("sort"(ns(&[3.0, 2.0, 1.0])) => ns(&[1.0, 2.0, 3.0])),
        c!("sort"(ss(&["a", "b", "aa"])) => ss(&["a", "aa", "b"])),
        c!("sort"(ns(&[1.0, 3.0, 2.0]), lam("neg")) => ns(&[3.0, 2.0, 1.0])),
        c!("reverse"(ns(&[1.0, 2.0, 3.0])) => ns(&[3.0, 2.0, 1.0])),
        c!("reverse"(ss(&["a", "b", "c"])) => ss(&["c", "b", "a"])),
        c!("reverse"(s("abc")) => s("cba")),
        c!("length"(l(vec![])) => n(0.0)),
        c!("length"(ns(&[1.0, 2.0, 3.0])) => n(3.0)),
        c!("length"(obj(vec![("hello", n(1.0)), ("goodbye", n(2.0))])) => n(2.0)),
        c!("length"(s("héllo")) => n(5.0)),
        c!("length"(NULL) => n(0.0)),
        c!("length"(n(5.0)) => !"length() expects a list, an object or text, got a number"),
        c!("nonnull"(l(vec![])) => l(vec![])),
        c!("nonnull"(l(vec![NULL, b(false)])) => bs(&[false])),
        c!("nonnull"(ns(&[1.0, 2.0, 3.0])) => ns(&[1.0, 2.0, 3.0])),
        c!("nonnull"(NULL, n(1.0)) => ns(&[1.0])),
        c!("firstvalue"(l(vec![NULL, n(1.0), n(2.0)])) => n(1.0)),
        c!("firstvalue"(l(vec![NULL, NULL, s("myValue"), NULL])) => s("myValue")),
        c!("firstvalue"(l(vec![])) => NULL),
        c!("all"(ns(&[1.0, 2.0, 3.0])) => b(true)),
        c!("all"(bs(&[true, false])) => b(false)),
        c!("all"(b(true), b(false)) => b(false)),
        c!("all"(b(true), b(true), b(true)) => b(true)),
        c!("all"(ns(&[1.0, 2.0, 3.0]), lam("gt0")) => b(true)),
        c!("all"(ns(&[1.0, 2.0, 3.0]), lam("gt1")) => b(false)),
        c!("all"(l(vec![s("apple"), s("pie"), n(3.0)]), lam("isstr")) => b(false)),
        c!("any"(ns(&[1.0, 2.0, 3.0])) => b(true)),
        c!("any"(bs(&[true, false])) => b(true)),
        c!("any"(bs(&[false, false, false])) => b(false)),
        c!("any"(b(true), b(false)) => b(true)),
        c!("any"(b(false), b(false)) => b(false)),
        c!("any"(ns(&[1.0, 2.0, 3.0]), lam("gt2")) => b(true)),
        c!("any"(ns(&[1.0, 2.0, 3.0]), lam("eq0")) => b(false)),
        c!("none"(l(vec![])) => b(true)),
        c!("none"(bs(&[false, false])) => b(true)),
        c!("none"(bs(&[false, true])) => b(false)),
        c!("none"(ns(&[1.0, 2.0, 3.0])) => b(false)),
        c!("none"(ns(&[1.0, 2.0, 3.0]), lam("eq0")) => b(true)),
        c!("none"(bs(&[true, true]), lam("eqfalse")) => b(true)),
        c!("none"(ss(&["Apple", "Pi", "Banana"]), lam("starts_a")) => b(false)),
        c!("join"(ns(&[1.0, 2.0, 3.0])) => s("1, 2, 3")),
        c!("join"(ns(&[1.0, 2.0, 3.0]), s(" ")) => s("1 2 3")),
        c!("join"(n(6.0)) => s("6")),
        c!("join"(l(vec![])) => s("")),
        c!("filter"(ns(&[1.0, 2.0, 3.0]), lam("ge2")) => ns(&[2.0, 3.0])),
        c!("filter"(ss(&["yes", "no", "yas"]), lam("starts_y")) => ss(&["yes", "yas"])),
        c!("filter"(NULL, lam("x")) => NULL),
        c!("map"(ns(&[1.0, 2.0, 3.0]), lam("plus2")) => ns(&[3.0, 4.0, 5.0])),
        c!("map"(ss(&["yes", "no"]), lam("question")) => ss(&["yes?", "no?"])),
        c!("map"(n(5.0), lam("x")) => !"map() expects a list, got a number"),
        c!("map"(ns(&[1.0]), lam("boom")) => !"boom"),
        c!("unique"(ns(&[1.0, 3.0, 7.0, 3.0, 1.0])) => ns(&[1.0, 3.0, 7.0])),
        c!("flat"(l(vec![n(1.0), n(2.0), n(3.0), ns(&[4.0, 5.0]), n(6.0)])) => ns(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0])),
        c!("flat"(l(vec![n(1.0), ns(&[21.0, 22.0]), l(vec![ns(&[311.0, 312.0, 313.0])])]), n(4.0)) => ns(&[1.0, 21.0, 22.0, 311.0, 312.0, 313.0])),
        c!("flat"(l(vec![n(1.0), l(vec![n(2.0), ns(&[3.0])])])) => l(vec![n(1.0), n(2.0), ns(&[3.0])])),
        c!("slice"(ns(&[1.0, 2.0, 3.0, 4.0, 5.0]), n(3.0)) => ns(&[4.0, 5.0])),
        c!("slice"(ss(&["ant", "bison", "camel", "duck", "elephant"]), n(0.0), n(2.0)) => ss(&["ant", "bison"])),
        c!("slice"(ns(&[1.0, 2.0, 3.0, 4.0, 5.0]), n(-2.0)) => ns(&[4.0, 5.0])),
        c!("slice"(ns(&[1.0, 2.0, 3.0])) => ns(&[1.0, 2.0, 3.0])),
        c!("slice"(ns(&[1.0, 2.0, 3.0]), n(2.0), n(1.0)) => l(vec![])),
    ]);
}

#[test]
fn strings() {
    run(vec![
        c!("regextest"(s(r"\w+"), s("hello")) => b(true)),
        c!("regextest"(s("."), s("a")) => b(true)),
        c!("regextest"(s("yes|no"), s("maybe")) => b(false)),
        c!("regextest"(s("what"), s("what's up dog?")) => b(true)),
        c!("regextest"(NULL, s("x")) => b(false)),
        c!("regextest"(s("("), s("x")) => !"invalid regular expression '('"),
        c!("regextest"(s("a(?=b)"), s("ab")) => !"look-around"),
        c!("regexmatch"(s(r"\w+"), s("hello")) => b(true)),
        c!("regexmatch"(s("."), s("a")) => b(true)),
        c!("regexmatch"(s("yes|no"), s("maybe")) => b(false)),
        c!("regexmatch"(s("what"), s("what's up dog?")) => b(false)),
        c!("regexmatch"(s("yes|no"), s("yesterday")) => b(true)),
        c!("regexmatch"(s("^(yes|no)$"), s("yesterday")) => b(false)),
        c!("regexreplace"(s("yes"), s("[ys]"), s("a")) => s("aea")),
        c!("regexreplace"(s("Suite 1000"), s(r"\d+"), s("-")) => s("Suite -")),
        c!("regexreplace"(s("2026-03-04"), s(r"(\d+)-(\d+)-(\d+)"), s("$3/$2/$1")) => s("04/03/2026")),
        c!("regexreplace"(s("ab"), s("(?<x>a)"), s("[$<x>]")) => s("[a]b")),
        c!("regexreplace"(s("abc"), s("b"), s("[$&|$`|$']")) => s("a[b|a|c]c")),
        c!("regexreplace"(s("a"), s("a"), s("$$ $9")) => s("$ $9")),
        c!("regexreplace"(NULL, s("a"), s("b")) => NULL),
        c!("replace"(s("what"), s("wh"), s("h")) => s("hat")),
        c!("replace"(s("The big dog chased the big cat."), s("big"), s("small")) => s("The small dog chased the small cat.")),
        c!("replace"(s("test"), s("test"), s("no")) => s("no")),
        c!("replace"(ss(&["yes", "ree"]), s("e"), s("a")) => ss(&["yas", "raa"])),
        c!("replace"(s("abc"), s(""), s("-")) => s("a-b-c")),
        c!("lower"(s("Test")) => s("test")),
        c!("lower"(s("TEST")) => s("test")),
        c!("upper"(s("Test")) => s("TEST")),
        c!("upper"(s("test")) => s("TEST")),
        c!("lower"(ss(&["YES", "NO"])) => ss(&["yes", "no"])),
        c!("lower"(l(vec![ss(&["A"]), NULL])) => l(vec![ss(&["a"]), NULL])),
        c!("lower"(NULL) => NULL),
        c!("lower"(n(5.0)) => !"lower() expects text, got a number"),
        c!("lower"() => !"lower() takes 1 argument, got 0"),
        c!("split"(s("hello world"), s(" ")) => ss(&["hello", "world"])),
        c!("split"(s("hello  world"), s(r"\s+")) => ss(&["hello", "world"])),
        c!("split"(s("hello  world"), s(r"\s")) => ss(&["hello", "", "world"])),
        c!("split"(s("hello there world"), s(" "), n(2.0)) => ss(&["hello", "there"])),
        c!("split"(s("hello there world"), s("(t?here)")) => ss(&["hello ", "there", " world"])),
        c!("split"(s("hello there world"), s("( )(x)?")) => ss(&["hello", " ", "", "there", " ", "", "world"])),
        c!("split"(s("abc"), s("")) => ss(&["a", "b", "c"])),
        c!("split"(s(""), s(",")) => ss(&[""])),
        c!("split"(NULL, s(",")) => NULL),
        c!("startswith"(s("yes"), s("ye")) => b(true)),
        c!("startswith"(s("path/to/something"), s("path/")) => b(true)),
        c!("startswith"(s("yes"), s("no")) => b(false)),
        c!("endswith"(s("yes"), s("es")) => b(true)),
        c!("endswith"(s("path/to/something"), s("something")) => b(true)),
        c!("endswith"(s("yes"), s("ye")) => b(false)),
        c!("startswith"(NULL, s("x")) => NULL),
        c!("padleft"(s("hello"), n(7.0)) => s("  hello")),
        c!("padleft"(s("yes"), n(5.0), s("!")) => s("!!yes")),
        c!("padright"(s("hello"), n(7.0)) => s("hello  ")),
        c!("padright"(s("yes"), n(5.0), s("!")) => s("yes!!")),
        c!("padleft"(s("7"), n(3.0), s("0")) => s("007")),
        c!("padleft"(s("abc"), n(2.0)) => s("abc")),
        c!("substring"(s("hello"), n(0.0), n(2.0)) => s("he")),
        c!("substring"(s("hello"), n(2.0), n(4.0)) => s("ll")),
        c!("substring"(s("hello"), n(2.0)) => s("llo")),
        c!("substring"(s("hello"), n(0.0)) => s("hello")),
        c!("substring"(s("hello"), n(4.0), n(1.0)) => s("ell")),
        c!("truncate"(s("Hello there!"), n(8.0)) => s("Hello...")),
        c!("truncate"(s("Hello there!"), n(8.0), s("/")) => s("Hello t/")),
        c!("truncate"(s("Hello there!"), n(10.0)) => s("Hello t...")),
        c!("truncate"(s("Hello there!"), n(10.0), s("!")) => s("Hello the!")),
        c!("truncate"(s("Hello there!"), n(20.0)) => s("Hello there!")),
    ]);
}

#[test]
fn utility() {
    let t = d("2014-08-06T13:07:04");
    let role = lnk("My Project", None, Some("Next Actions"));
    run(vec![
        c!("default"(NULL, s("incomplete")) => s("incomplete")),
        c!("default"(l(vec![n(1.0), n(2.0), NULL]), n(3.0)) => ns(&[1.0, 2.0, 3.0])),
        c!("ldefault"(l(vec![n(1.0), n(2.0), NULL]), n(3.0)) => l(vec![n(1.0), n(2.0), NULL])),
        c!("default"(n(5.0), n(3.0)) => n(5.0)),
        c!("display"(s("Hello World")) => s("Hello World")),
        c!("display"(s("**Hello** World")) => s("Hello World")),
        c!("display"(s("[Hello](https://example.com) [[World]]")) => s("Hello World")),
        c!("display"(s("see [[People/Ana|Ana]] and `code` ~~x~~")) => s("see Ana and code x")),
        c!("display"(lnk("path/to/file.md", None, None)) => s("file")),
        c!("display"(lnk("path/to/file.md", Some("displayname"), None)) => s("displayname")),
        c!("display"(d("2024-11-18")) => s("November 18, 2024")),
        c!("display"(ss(&["Hello", "World"])) => s("Hello, World")),
        c!("display"(NULL) => s("")),
        c!("choice"(b(true), s("yes"), s("no")) => s("yes")),
        c!("choice"(b(false), s("yes"), s("no")) => s("no")),
        c!("choice"(bs(&[true, false]), s("y"), s("n")) => ss(&["y", "n"])),
        c!("striptime"(d("2026-03-04T10:30")) => d("2026-03-04")),
        c!("striptime"(NULL) => NULL),
        c!("localtime"(t.clone()) => t.clone()),
        c!("dateformat"(d("2022-01-05T12:18:04"), s("yyyy-MM-dd")) => s("2022-01-05")),
        c!("dateformat"(d("2022-01-05T12:18:04"), s("HH:mm:ss")) => s("12:18:04")),
        c!("dateformat"(t.clone(), s("x")) => s("1407330424000")),
        c!("dateformat"(t.clone(), s("ffff")) => s("Wednesday, August 6, 2014 at 1:07 PM")),
        c!("dateformat"(t.clone(), s("D")) => s("8/6/2014")),
        c!("dateformat"(t.clone(), s("DD")) => s("Aug 6, 2014")),
        c!("dateformat"(t.clone(), s("DDD")) => s("August 6, 2014")),
        c!("dateformat"(t.clone(), s("DDDD")) => s("Wednesday, August 6, 2014")),
        c!("dateformat"(t.clone(), s("EEE d MMM yy, h:mm a")) => s("Wed 6 Aug 14, 1:07 PM")),
        c!("dateformat"(t.clone(), s("yyyy-MM-dd'T'HH:mm")) => s("2014-08-06T13:07")),
        c!("dateformat"(t.clone(), s("kkkk-'W'WW-c, o, 'Q'q")) => s("2014-W32-3, 218, Q3")),
        c!("dateformat"(d("2021-01-01"), s("kkkk 'W'W")) => s("2020 W53")),
        c!("dateformat"(t.clone(), s("YYYY-MM-DD")) => s("YYYY-08-Aug 6, 2014")),
        c!("dateformat"(l(vec![t.clone(), NULL]), s("M/d")) => l(vec![s("8/6"), NULL])),
        c!("dateformat"(s("2014-08-06"), s("yyyy")) => !"dateformat() expects a date, got text"),
        c!("durationformat"(dur(0, 3 * DAY + 7 * H + 43_000), s("ddd'd' hh'h' ss's'")) => s("003d 07h 43s")),
        c!("durationformat"(dur(0, 365 * DAY + 5 * H + 49 * 60_000), s("yyyy ddd hh mm ss")) => s("0001 000 05 49 00")),
        c!("durationformat"(dur(24_000, 0), s("M 'months'")) => s("24000 months")),
        c!("durationformat"(dur(0, 14 * DAY), s("s 'seconds'")) => s("1209600 seconds")),
        c!("durationformat"(dur(0, 90 * 60_000), s("h:mm")) => s("1:30")),
        c!("durationformat"(NULL, s("h")) => NULL),
        c!("durationformat"(dur(0, 3 * DAY + 7 * H), s("d'd' hh'h'")) => s("3d 07h")),
        c!("durationformat"(dur(12, 0), s("d")) => s("365")),
        c!("durationformat"(dur(14, DAY), s("M 'months' d 'days'")) => s("14 months 1 days")),
        c!("dateformat"(t.clone(), s("X nn n iiii")) => s("1407330424 32 32 2014")),
        c!("dateformat"(t.clone(), s("f")) => s("8/6/2014, 1:07 PM")),
        c!("dateformat"(t.clone(), s("FF")) => s("Aug 6, 2014, 1:07:04 PM")),
        c!("dateformat"(t.clone(), s("hh h TT SSS Z ZZ z")) => s("01 1 13:07:04 000 +0 +00:00 UTC")),
        c!("currencyformat"(n(123456.789), s("EUR")) => s("€123,456.79")),
        c!("currencyformat"(n(1234.5)) => s("$1,234.50")),
        c!("currencyformat"(n(-1234.5), s("JPY")) => s("-¥1,235")),
        c!("currencyformat"(n(12.0), s("CHF")) => s("CHF\u{a0}12.00")),
        c!("currencyformat"(n(1.0), s("E")) => !"ISO 4217"),
        c!("hash"(s("a")) => n(7929297801672961.0)),
        c!("hash"(s("rev"), s("enge")) => n(4051478007546757.0)),
        c!("hash"(s("revenue"), n(0.0)) => n(8309097637345594.0)),
        c!("hash"(n(1.0)) => !"hash() expects a text seed"),
        c!("meta"(lnk("2021-11-01", Some("Displayed link text"), None)) => obj(vec![
            ("display", s("Displayed link text")),
            ("embed", b(false)),
            ("path", s("2021-11-01")),
            ("subpath", NULL),
            ("type", s("file")),
        ])),
        c!("meta"(role) => obj(vec![
            ("display", NULL),
            ("embed", b(false)),
            ("path", s("My Project")),
            ("subpath", s("Next Actions")),
            ("type", s("header")),
        ])),
        c!("meta"(lnk("My Project", None, Some("^9bcbe8"))) => obj(vec![
            ("display", NULL),
            ("embed", b(false)),
            ("path", s("My Project")),
            ("subpath", s("9bcbe8")),
            ("type", s("block")),
        ])),
        c!("meta"(s("x")) => !"meta() expects a link, got text"),
        c!("nosuch"() => !"unknown function 'nosuch'"),
    ]);
}

#[test]
fn catalog_names_and_case() {
    assert_eq!(CATALOG.len(), 66);
    assert!(CATALOG.iter().all(|(_, ok, note)| *ok && !note.is_empty()));
    let mut names: Vec<&str> = CATALOG.iter().map(|c| c.0).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), 66, "duplicate names in CATALOG");
    assert!(exists("LOWER") && exists("array") && !exists("nope"));
    assert_eq!(call("LOWER", vec![s("A")], &mut TestEnv).ok(), Some(s("a")));
    // Every catalogued function is dispatched (no "unknown function" for any of them).
    for (name, ..) in CATALOG {
        if let Err(e) = call(name, vec![], &mut TestEnv) {
            assert!(!e.contains("unknown function"), "{name}: {e}");
        }
    }
}

#[test]
fn public_date_helpers() {
    let now = datetime!(2026-03-04 10:30);
    assert_eq!(
        parse_date_arg("eom", now),
        Some(datetime!(2026-03-31 23:59:59.999))
    );
    assert_eq!(
        parse_date_arg("  2026-02  ", now),
        Some(datetime!(2026-02-01 0:00))
    );
    assert_eq!(
        parse_date_arg("2026-03-04T10:30[Europe/Paris]", now),
        Some(now)
    );
    assert_eq!(parse_date_arg("tomorrowish", now), None);
    assert_eq!(
        parse_date_arg("eow", datetime!(2026-03-08 12:00)),
        Some(datetime!(2026-03-08 23:59:59.999))
    );
    assert_eq!(
        format_date(&now, "d MMMM yyyy, HH:mm"),
        "4 March 2026, 10:30"
    );
    assert_eq!(format_date(&now, "EEEE 'the' d"), "Wednesday the 4");
    assert_eq!(format_date(&now, "t"), "10:30 AM");
    assert_eq!(
        format_date(&datetime!(2026-03-04 0:05), "h:mm a"),
        "12:05 AM"
    );
    assert_eq!(
        format_date(&datetime!(2025-12-31 0:00), "iiii nn"),
        "2026 01"
    );
}

#[test]
fn regex_cache_and_limits() {
    // A pattern whose compiled program exceeds the size limit errors instead of hanging.
    let err = call(
        "regextest",
        vec![s(r"\w{1000}\w{1000}\w{1000}"), s("x")],
        &mut TestEnv,
    )
    .unwrap_err();
    assert!(err.contains("regextest()"), "{err}");
    // The same pattern twice gives the same answer (served from the cache).
    for _ in 0..2 {
        assert_eq!(
            call("regextest", vec![s("^a"), s("abc")], &mut TestEnv).ok(),
            Some(b(true))
        );
    }
}
