//! Table-driven tests for the DQL parser. Expressions and queries are compared through a compact
//! printed form (`sx`, `qx`) since the AST has no `PartialEq`.

use super::*;
use crate::query::value::{format_iso, format_number};

fn lit(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => format_number(*n),
        Value::String(s) => format!("{s:?}"),
        Value::Date(d) => format!("date:{}", format_iso(d)),
        Value::Duration(d) => format!("dur({},{})", d.months, d.millis),
        Value::Link(l) => {
            let mut s = format!("{}[[{}", if l.embed { "!" } else { "" }, l.path);
            if let Some(sp) = &l.subpath {
                s += &format!("#{sp}");
            }
            if let Some(d) = &l.display {
                s += &format!("|{d}");
            }
            s + "]]"
        }
        Value::List(l) => format!("<{}>", l.iter().map(lit).collect::<Vec<_>>().join(", ")),
        other => other.to_text(),
    }
}

fn sx(e: &Expr) -> String {
    let all = |v: &[Expr]| v.iter().map(sx).collect::<Vec<_>>().join(", ");
    match e {
        Expr::Literal(v) => lit(v),
        Expr::Field(n) => n.clone(),
        Expr::Member(e, n) => format!("{}.{n}", sx(e)),
        Expr::Index(e, i) => format!("{}[{}]", sx(e), sx(i)),
        Expr::Call(n, a) => format!("{n}({})", all(a)),
        Expr::Apply(f, a) => format!("apply({}; {})", sx(f), all(a)),
        Expr::Binary(op, a, b) => {
            let o = match op {
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
            };
            format!("({} {o} {})", sx(a), sx(b))
        }
        Expr::Not(e) => format!("(not {})", sx(e)),
        Expr::Neg(e) => format!("(neg {})", sx(e)),
        Expr::List(v) => format!("[{}]", all(v)),
        Expr::Object(kv) => format!(
            "{{{}}}",
            kv.iter()
                .map(|(k, v)| format!("{k}: {}", sx(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Expr::Lambda(p, b) => format!("(fn({}) {})", p.join(", "), sx(b)),
    }
}

fn src(s: &Source) -> String {
    match s {
        Source::Tag(t) => t.clone(),
        Source::Folder(f) => format!("{f:?}"),
        Source::Link {
            target,
            outgoing: false,
        } => format!("[[{target}]]"),
        Source::Link {
            target,
            outgoing: true,
        } => format!("out([[{target}]])"),
        Source::Not(s) => format!("-{}", src(s)),
        Source::And(a, b) => format!("({} and {})", src(a), src(b)),
        Source::Or(a, b) => format!("({} or {})", src(a), src(b)),
        Source::Unsupported(m) => format!("unsupported<{m}>"),
    }
}

fn qx(q: &Query) -> String {
    let noid = |b: &bool| if *b { " noid" } else { "" };
    let mut out = match &q.header {
        Header::List { without_id, expr } => {
            format!(
                "LIST{}{}",
                noid(without_id),
                expr.as_ref()
                    .map(|e| format!(" {}", sx(e)))
                    .unwrap_or_default()
            )
        }
        Header::Table {
            without_id,
            columns,
        } => format!(
            "TABLE{} [{}]",
            noid(without_id),
            columns
                .iter()
                .map(|(e, h)| format!("{} => {h:?}", sx(e)))
                .collect::<Vec<_>>()
                .join("; ")
        ),
        Header::Task => "TASK".into(),
        Header::Calendar { expr } => format!("CALENDAR {}", sx(expr)),
    };
    if let Some(s) = &q.source {
        out += &format!(" FROM {}", src(s));
    }
    for c in &q.commands {
        out += &match c {
            Command::Where(e) => format!(" WHERE {}", sx(e)),
            Command::Sort(keys) => format!(
                " SORT {}",
                keys.iter()
                    .map(|(e, d)| format!("{} {}", sx(e), if *d { "desc" } else { "asc" }))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Command::GroupBy(e, n) => format!(" GROUP {} => {n}", sx(e)),
            Command::Flatten(e, n) => format!(" FLATTEN {} => {n}", sx(e)),
            Command::Limit(e) => format!(" LIMIT {}", sx(e)),
        };
    }
    out
}

#[test]
fn expressions() {
    let cases: &[(&str, &str)] = &[
        // atoms
        ("42", "42"),
        ("3.25", "3.25"),
        ("-5", "(neg 5)"),
        ("\"hi\"", "\"hi\""),
        (r#""a \"q\" \\ b""#, r#""a \"q\" \\ b""#),
        (r#""line\nnext\tx""#, "\"line\\nnext\\tx\""),
        (r#""\d+""#, r#""\\d+""#),
        ("true", "true"),
        ("False", "false"),
        ("null", "null"),
        ("[[Some Note]]", "[[Some Note]]"),
        ("[[People/Ana|Ana P]]", "[[People/Ana|Ana P]]"),
        ("[[Note#Heading]]", "[[Note#Heading]]"),
        ("[[Note#^blk1]]", "[[Note#^blk1]]"),
        ("![[image.png]]", "![[image.png]]"),
        ("[[a\\|b]]", "[[a|b]]"),
        ("[1, \"two\", [3]]", "[1, \"two\", [3]]"),
        ("[]", "[]"),
        ("[[1, 2], [3]]", "[[1, 2], [3]]"),
        ("[1, 2,]", "[1, 2]"),
        ("{a: 1, \"b c\": [2]}", "{a: 1, b c: [2]}"),
        ("{}", "{}"),
        // identifiers
        ("due-date", "due-date"),
        ("due - date", "(due - date)"),
        ("due -date", "(due - date)"),
        ("5-3", "(5 - 3)"),
        ("x-1", "x-1"),
        ("état", "état"),
        ("日付", "日付"),
        ("📅", "📅"),
        ("✅done", "✅done"),
        ("row.where", "row.where"),
        // member / index / call chains
        ("file.name", "file.name"),
        ("this.file.name", "this.file.name"),
        ("rows.file.link[0]", "rows.file.link[0]"),
        ("a[\"b c\"].d", "a[\"b c\"].d"),
        ("[[Ana]].role", "[[Ana]].role"),
        (
            "contains(file.outlinks, this.file.link)",
            "contains(file.outlinks, this.file.link)",
        ),
        ("length(rows)", "length(rows)"),
        ("f()", "f()"),
        ("f(1)(2)", "apply(f(1); 2)"),
        ("length(x).y[1]", "length(x).y[1]"),
        ("link(\"a\").file.name", "link(\"a\").file.name"),
        // precedence
        ("1 + 2 * 3", "(1 + (2 * 3))"),
        ("(1 + 2) * 3", "((1 + 2) * 3)"),
        ("8 / 4 / 2", "((8 / 4) / 2)"),
        ("7 % 3 - 1", "((7 % 3) - 1)"),
        ("a + 1 > b * 2", "((a + 1) > (b * 2))"),
        ("a = 1 and b != 2", "((a = 1) and (b != 2))"),
        ("a or b and c", "((a or b) and c)"),
        ("a and b or c", "((a and b) or c)"),
        ("a & b | c", "((a and b) or c)"),
        ("a AND b OR c", "((a and b) or c)"),
        ("a <= b", "(a <= b)"),
        ("a >= b", "(a >= b)"),
        ("a < b", "(a < b)"),
        ("a > b", "(a > b)"),
        ("!completed", "(not completed)"),
        ("!a.b = c", "((not a.b) = c)"),
        ("!!x", "(not (not x))"),
        ("-a * b", "((neg a) * b)"),
        ("- -1", "(neg (neg 1))"),
        (
            "!completed AND contains(text, \"Ana Pereira\")",
            "((not completed) and contains(text, \"Ana Pereira\"))",
        ),
        (
            "\"**\" + file.name + \"**\"",
            "((\"**\" + file.name) + \"**\")",
        ),
        // lambdas
        ("(x) => x * 2", "(fn(x) (x * 2))"),
        ("(x, y) => x + y", "(fn(x, y) (x + y))"),
        ("() => 1", "(fn() 1)"),
        ("x => x.a", "(fn(x) x.a)"),
        (
            "map(rows.file.link, (x) => x)",
            "map(rows.file.link, (fn(x) x))",
        ),
        (
            "filter(file.tasks, (t) => !t.completed)",
            "filter(file.tasks, (fn(t) (not t.completed)))",
        ),
        ("((x) => x)(1)", "apply((fn(x) x); 1)"),
        ("(a)", "a"),
        ("(a, b)", "ERR"),
        // date literals
        ("date(today)", "date(\"today\")"),
        ("date( now )", "date(\"now\")"),
        ("date(start-of-week)", "date(\"start-of-week\")"),
        ("date(eom)", "date(\"eom\")"),
        ("date(2021-04-18)", "date(\"2021-04-18\")"),
        ("date(2021-04)", "date(\"2021-04\")"),
        ("date(2021-04-18T10:30)", "date(\"2021-04-18T10:30\")"),
        (
            "date(2021-04-18T10:30:15.250)",
            "date(\"2021-04-18T10:30:15.250\")",
        ),
        (
            "date(2021-04-18T10:30:00Z)",
            "date(\"2021-04-18T10:30:00\")",
        ),
        (
            "date(2021-04-18T10:30:00+02:00)",
            "date(\"2021-04-18T10:30:00\")",
        ),
        (
            "date(2021-04-18T10:30[Europe/Paris])",
            "date(\"2021-04-18T10:30\")",
        ),
        ("date(file.day)", "date(file.day)"),
        ("date(\"2021-01-01\")", "date(\"2021-01-01\")"),
        ("date(todayish)", "date(todayish)"),
        ("date(x, \"yyyy\")", "date(x, \"yyyy\")"),
        (
            "date(today) - dur(7 days)",
            "(date(\"today\") - dur(0,604800000))",
        ),
        // duration literals
        ("dur(1 day)", "dur(0,86400000)"),
        ("dur(4hr2min)", "dur(0,14520000)"),
        ("dur(1 week 2 days)", "dur(0,777600000)"),
        ("dur(2 years, 3 months)", "dur(27,0)"),
        ("dur(1.5 hours)", "dur(0,5400000)"),
        ("dur(3 s)", "dur(0,3000)"),
        ("dur(10 mins)", "dur(0,600000)"),
        ("dur(1 mo)", "dur(1,0)"),
        ("dur(1 yr)", "dur(12,0)"),
        ("dur(1 w)", "dur(0,604800000)"),
        ("dur(x)", "dur(x)"),
        ("dur(\"3 days\")", "dur(\"3 days\")"),
        // comments are whitespace
        ("a // trailing comment\n + b", "(a + b)"),
    ];
    let mut failures = Vec::new();
    for (input, want) in cases {
        let got = match parse_expr(input) {
            Ok(e) => sx(&e),
            Err(_) => "ERR".into(),
        };
        if got != *want {
            failures.push(format!("{input:?}: got {got}, want {want}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn queries() {
    let cases: &[(&str, &str)] = &[
        // headers
        ("LIST", "LIST"),
        ("list", "LIST"),
        ("LIST file.mtime", "LIST file.mtime"),
        ("LIST WITHOUT ID", "LIST noid"),
        ("LIST WITHOUT ID \"**\" + file.name + \"**\"", "LIST noid ((\"**\" + file.name) + \"**\")"),
        ("list without  id file.name", "LIST noid file.name"),
        ("TABLE", "TABLE []"),
        ("TABLE WITHOUT ID", "TABLE noid []"),
        ("TABLE file.mtime, rating", "TABLE [file.mtime => \"file.mtime\"; rating => \"rating\"]"),
        ("TABLE due AS \"Due date\", x as Short", "TABLE [due => \"Due date\"; x => \"Short\"]"),
        ("TABLE a + b,\n  round(c, 2)", "TABLE [(a + b) => \"a + b\"; round(c, 2) => \"round(c, 2)\"]"),
        ("TABLE choice(a,\n  1,\n  2)", "TABLE [choice(a, 1, 2) => \"choice(a,1,2)\"]"),
        ("TABLE without", "TABLE [without => \"without\"]"),
        ("TASK", "TASK"),
        ("task from \"x\"", "TASK FROM \"x\""),
        ("CALENDAR file.day FROM \"Daily\"", "CALENDAR file.day FROM \"Daily\""),
        ("CALENDAR due AS d", "CALENDAR due"),
        // sources
        ("LIST FROM \"Projects/Active\"", "LIST FROM \"Projects/Active\""),
        ("LIST FROM \"\"", "LIST FROM \"\""),
        ("LIST FROM #project/active", "LIST FROM #project/active"),
        ("LIST FROM #projet/été", "LIST FROM #projet/été"),
        ("LIST FROM [[Some Note]]", "LIST FROM [[Some Note]]"),
        ("LIST FROM [[Some Note|alias]]", "LIST FROM [[Some Note]]"),
        ("LIST FROM [[Some Note#Part]]", "LIST FROM [[Some Note]]"),
        ("LIST FROM [[]]", "LIST FROM [[]]"),
        ("LIST FROM [[#]]", "LIST FROM [[]]"),
        ("LIST FROM outgoing([[Hub]])", "LIST FROM out([[Hub]])"),
        ("LIST FROM -#archive", "LIST FROM -#archive"),
        ("LIST FROM !\"Templates\"", "LIST FROM -\"Templates\""),
        ("LIST FROM ![[X]]", "LIST FROM -[[X]]"),
        ("LIST FROM #a or #b and \"c\"", "LIST FROM ((#a or #b) and \"c\")"),
        ("LIST FROM #a and (#b or \"c\")", "LIST FROM (#a and (#b or \"c\"))"),
        ("LIST FROM #a AND -(#b OR #c)", "LIST FROM (#a and -(#b or #c))"),
        ("LIST FROM #a & #b | #c", "LIST FROM ((#a and #b) or #c)"),
        ("LIST FROM \"Projects/Active\" OR \"Personal/Projects\"", "LIST FROM (\"Projects/Active\" or \"Personal/Projects\")"),
        ("LIST FROM csv(\"data.csv\")", "LIST FROM unsupported<csv(\"data.csv\") sources are not supported at build time>"),
        (
            "LIST FROM this.file.folder",
            "LIST FROM unsupported<FROM this.file.folder: Dataview itself does not accept expressions in FROM; use WHERE file.folder = this.file.folder>",
        ),
        // commands
        ("LIST WHERE a SORT b LIMIT 3 WHERE c", "LIST WHERE a SORT b asc LIMIT 3 WHERE c"),
        ("LIST SORT a DESC, b, c ascending, d DESCENDING", "LIST SORT a desc, b asc, c asc, d desc"),
        ("list where x sort y asc limit 5", "LIST WHERE x SORT y asc LIMIT 5"),
        ("LIST GROUP BY file.folder", "LIST GROUP file.folder => key"),
        ("LIST GROUP BY file.folder AS folder", "LIST GROUP file.folder => folder"),
        ("LIST group\n by x", "LIST GROUP x => key"),
        ("LIST FLATTEN file.tags", "LIST FLATTEN file.tags => file.tags"),
        ("LIST FLATTEN file.tags AS t", "LIST FLATTEN file.tags => t"),
        ("LIST FLATTEN split(a, \",\") AS \"part x\"", "LIST FLATTEN split(a, \",\") => part x"),
        ("LIST FLATTEN a FLATTEN b GROUP BY c SORT d", "LIST FLATTEN a => a FLATTEN b => b GROUP c => key SORT d asc"),
        // comments and layout
        (
            "// people\nTABLE role // the role\nFROM \"People\" // folder\n// done\nWHERE x\n",
            "TABLE [role => \"role\"] FROM \"People\" WHERE x",
        ),
        ("\n\n  LIST\n\n", "LIST"),
        // real-world queries
        (
            "LIST\nFROM \"Projects/Active\" OR \"Personal/Projects\"\nWHERE contains(file.outlinks, this.file.link)",
            "LIST FROM (\"Projects/Active\" or \"Personal/Projects\") WHERE contains(file.outlinks, this.file.link)",
        ),
        (
            "TASK\nFROM \"\"\nWHERE !completed AND contains(text, \"Ana Pereira\")\nSORT due ASC",
            "TASK FROM \"\" WHERE ((not completed) and contains(text, \"Ana Pereira\")) SORT due asc",
        ),
        (
            "TABLE role, company, last_contact\nFROM \"People\"\nWHERE contains(tags, \"relationship/peer\")\nSORT last_contact DESC\nLIMIT 20",
            "TABLE [role => \"role\"; company => \"company\"; last_contact => \"last_contact\"] FROM \"People\" WHERE contains(tags, \"relationship/peer\") SORT last_contact desc LIMIT 20",
        ),
        (
            "LIST FROM [[Some Note]] AND #type/meeting SORT file.day DESC",
            "LIST FROM ([[Some Note]] and #type/meeting) SORT file.day desc",
        ),
        (
            "TABLE WITHOUT ID file.link AS \"Note\", length(rows) AS \"N\" FROM #x GROUP BY file.folder",
            "TABLE noid [file.link => \"Note\"; length(rows) => \"N\"] FROM #x GROUP file.folder => key",
        ),
        (
            "TABLE map(rows.file.link, (x) => x) FLATTEN file.tags AS t GROUP BY t",
            "TABLE [map(rows.file.link, (fn(x) x)) => \"map(rows.file.link, (x) => x)\"] FLATTEN file.tags => t GROUP t => key",
        ),
        (
            "TABLE dateformat(file.ctime, \"yyyy-MM-dd\") AS Created, choice(done, \"✅\", \"❌\") AS Done WHERE file.day >= date(today) - dur(7 days)",
            "TABLE [dateformat(file.ctime, \"yyyy-MM-dd\") => \"Created\"; choice(done, \"✅\", \"❌\") => \"Done\"] WHERE (file.day >= (date(\"today\") - dur(0,604800000)))",
        ),
        // queries from the Dataview docs, with our own fields
        (
            "TABLE time-played AS \"Time Played\", length AS \"Length\", rating AS \"Rating\"\nFROM #game\nSORT rating DESC",
            "TABLE [time-played => \"Time Played\"; length => \"Length\"; rating => \"Rating\"] FROM #game SORT rating desc",
        ),
        (
            "LIST FROM #games/mobile OR #games/crafting\nWHERE file.mtime >= date(today) - dur(1 week)",
            "LIST FROM (#games/mobile or #games/crafting) WHERE (file.mtime >= (date(\"today\") - dur(0,604800000)))",
        ),
        (
            "TASK FROM \"dataview\" WHERE !completed AND due <= date(2021-12-31) GROUP BY file.link SORT rows.due DESC",
            "TASK FROM \"dataview\" WHERE ((not completed) and (due <= date(\"2021-12-31\"))) GROUP file.link => key SORT rows.due desc",
        ),
        (
            "TABLE WITHOUT ID (Exercise + \" (\" + Sets + \")\") AS Exercise FROM #workout FLATTEN Exercise",
            "TABLE noid [(((Exercise + \" (\") + Sets) + \")\") => \"Exercise\"] FROM #workout FLATTEN Exercise => Exercise",
        ),
        (
            "LIST rows.file.link FROM #meeting WHERE date >= date(2021-01-01) AND date <= date(now) GROUP BY dateformat(date, \"yyyy-MM\")",
            "LIST rows.file.link FROM #meeting WHERE ((date >= date(\"2021-01-01\")) and (date <= date(\"now\"))) GROUP dateformat(date, \"yyyy-MM\") => key",
        ),
        (
            "TABLE file.inlinks, file.outlinks FROM [[]] AND !\"Daily\" WHERE file.name != this.file.name",
            "TABLE [file.inlinks => \"file.inlinks\"; file.outlinks => \"file.outlinks\"] FROM ([[]] and -\"Daily\") WHERE (file.name != this.file.name)",
        ),
        (
            "CALENDAR due WHERE typeof(due) = \"date\"",
            "CALENDAR due WHERE (typeof(due) = \"date\")",
        ),
        (
            "TABLE WITHOUT ID key AS \"Status\", length(rows) AS \"Count\" FROM #project GROUP BY status SORT length(rows) DESC LIMIT 3",
            "TABLE noid [key => \"Status\"; length(rows) => \"Count\"] FROM #project GROUP status => key SORT length(rows) desc LIMIT 3",
        ),
    ];
    let mut failures = Vec::new();
    for (input, want) in cases {
        match parse_query(input) {
            Ok(q) if qx(&q) == *want => {}
            Ok(q) => failures.push(format!("{input:?}:\n  got  {}\n  want {want}", qx(&q))),
            Err(e) => failures.push(format!("{input:?}: error {e}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn errors() {
    // (input, line, column, part of the message)
    let cases: &[(&str, usize, usize, &str)] = &[
        (
            "SELECT * FROM x",
            1,
            1,
            "expected LIST, TABLE, TASK or CALENDAR, found \"SELECT\"",
        ),
        (
            "",
            1,
            1,
            "expected LIST, TABLE, TASK or CALENDAR, found the end of the query",
        ),
        ("\"x\"", 1, 1, "found the string \"x\""),
        ("TABLEx", 1, 1, "found \"TABLEx\""),
        (
            "LIST\nWHERE x\nORDER BY y",
            3,
            1,
            "expected WHERE, SORT, GROUP BY, FLATTEN or LIMIT, found \"ORDER\"",
        ),
        (
            "LIST WHERE x FROM \"a\"",
            1,
            14,
            "FROM must come right after the query type",
        ),
        (
            "LIST FROM \"a\" FROM \"b\"",
            1,
            15,
            "only one FROM is allowed",
        ),
        ("LIST WHERE x = \"abc", 1, 16, "unclosed string"),
        (
            "LIST WHERE contains(a, b",
            1,
            25,
            "expected \",\" or \")\", found the end of the query",
        ),
        ("LIST WHERE [1, 2", 1, 17, "expected \",\" or \"]\""),
        (
            "LIST WHERE (a + b",
            1,
            18,
            "expected \")\", found the end of the query",
        ),
        ("LIST WHERE a[1", 1, 15, "expected \"]\""),
        (
            "LIST WHERE {a 1}",
            1,
            15,
            "expected \":\" after the key \"a\"",
        ),
        ("LIST\n  WHERE a b", 2, 11, "found \"b\""),
        (
            "LIST WHERE",
            1,
            11,
            "expected an expression, found the end of the query",
        ),
        ("LIST WHERE SORT x", 1, 12, "found the keyword \"SORT\""),
        (
            "TABLE a, FROM \"x\"",
            1,
            10,
            "expected a column after \",\"",
        ),
        ("TABLE from", 1, 11, "expected a source"),
        (
            "LIST WHERE a == b",
            1,
            14,
            "\"==\" is not a Dataview operator",
        ),
        (
            "LIST WHERE a && b",
            1,
            14,
            "\"&&\" is not a Dataview operator",
        ),
        ("LIST WHERE a = 'x'", 1, 16, "unexpected character '''"),
        ("LIST WHERE a @ b", 1, 14, "unexpected character '@'"),
        ("LIST FROM Projects", 1, 11, "expected a source"),
        ("LIST FROM", 1, 10, "expected a source"),
        ("LIST FROM (#a or #b", 1, 20, "expected \")\""),
        (
            "LIST FROM outgoing(\"x\")",
            1,
            20,
            "expected a [[link]] inside outgoing",
        ),
        ("LIST FROM #a #b", 1, 14, "found the tag #b"),
        ("LIST GROUP file.folder", 1, 12, "expected BY after GROUP"),
        ("LIST a AS b", 1, 8, "found \"AS\""),
        ("LIST a, b", 1, 7, "found \",\""),
        ("TASK file.name", 1, 6, "found \"file\""),
        (
            "CALENDAR",
            1,
            9,
            "expected a date expression after CALENDAR",
        ),
        (
            "LIST WHERE #tag",
            1,
            12,
            "expected an expression, found the tag #tag",
        ),
        ("LIST WHERE a.", 1, 14, "expected a field name after \".\""),
        ("LIST WHERE date(2021-13-45)", 1, 17, "is not a valid date"),
        ("LIST FLATTEN x AS", 1, 18, "expected a name after AS"),
        ("LIST WHERE dur(1 parsec)", 1, 18, "expected \",\" or \")\""),
        ("LIST SORT x ASC DESC", 1, 17, "found \"DESC\""),
        ("LIST\r\nWHERE é ë", 2, 9, "found \"ë\""),
    ];
    let mut failures = Vec::new();
    for (input, line, column, msg) in cases {
        match parse_query(input) {
            Ok(q) => failures.push(format!("{input:?}: parsed as {}", qx(&q))),
            Err(e) => {
                if (e.line, e.column) != (*line, *column)
                    || !e.message.contains(msg)
                    || e.hint.is_empty()
                {
                    failures.push(format!(
                        "{input:?}: got {}:{} {:?} / {:?}",
                        e.line, e.column, e.message, e.hint
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn expr_errors() {
    let e = parse_expr("this.file.name extra").unwrap_err();
    assert_eq!((e.line, e.column), (1, 16));
    assert!(e.message.contains("after the expression"), "{e}");
    let e = parse_expr("").unwrap_err();
    assert_eq!((e.line, e.column), (1, 1));
    assert!(parse_expr("a )").is_err());
}

#[test]
fn hints_are_specific() {
    let hint = |q: &str| parse_query(q).unwrap_err().hint;
    assert!(hint("SELECT x").contains("starts with its type"));
    assert!(hint("LIST ORDER BY x").contains("SORT"));
    assert!(hint("LIST FROM Projects").contains("FROM \"Projects\""));
    assert!(hint("LIST WHERE x FROM #a").contains("move the FROM"));
    assert!(hint("LIST a, b").contains("use TABLE"));
    assert!(hint("LIST FROM #a #b").contains("and / or"));
    assert!(hint("LIST WHERE (a").contains("never closed"));
    assert!(hint("LIST WHERE a = \"x").contains("closing"));
    assert!(hint("LIST WHERE where").contains("row.where"));
    assert!(hint("LIST WHERE a == 1").contains("write ="));
}

#[test]
fn never_panics_and_caps_depth() {
    // Past the limit is an error, not a stack overflow: on a thread with Rust's default 2 MiB
    // stack, in a debug build, every kind of nesting reaches the limit and reports it.
    let deep = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(|| {
            let openers = [
                "(",
                "[",
                "!",
                "-",
                "f(",
                "{a: ",
                "a[",
                "(x) => ",
                "x => ",
                "date(",
                "[[[x]] + ",
            ];
            for open in openers {
                let e = parse_query(&format!("LIST WHERE {}x", open.repeat(10_000))).unwrap_err();
                assert!(e.message.contains("nested"), "{open}: {e}");
            }
            for open in ["(", "!", "-", "-!("] {
                let e = parse_query(&format!("LIST FROM {}#a", open.repeat(10_000))).unwrap_err();
                assert!(e.message.contains("nested"), "{open}: {e}");
            }
            let s = format!("{}x{}", "(".repeat(195), ")".repeat(195));
            let l = format!("{}1{}", "[".repeat(95), "]".repeat(95));
            assert!(parse_expr(&s).is_ok() && parse_expr(&l).is_ok());
        })
        .unwrap()
        .join();
    assert!(deep.is_ok());
    let weird = [
        "",
        "\"",
        "\\",
        "[[",
        "![[",
        "#",
        "date(",
        "dur(",
        "dur(1",
        "date(2021-04-",
        "é",
        "TABLE é(",
        "LIST FROM outgoing(",
        "LIST FROM csv(",
        "TABLE a AS",
        "LIST //",
        "LIST WHERE \"\\",
        "🙂🙂",
        "x.",
        "(x, y",
        "(x) =>",
        "x =>",
        "{\"a\"",
        "[[a]",
        "LIST FROM [[a|b#c]]",
        "a[",
        "LIST FROM -",
        "\u{0}",
        "TABLE WITHOUT",
        "LIST FROM this.",
        "date(2021-04-18T",
        "date(2021-04-18T10:00[",
        "dur(1 ,",
    ];
    for w in weird {
        let _ = parse_query(w);
        let _ = parse_query(&format!("LIST WHERE {w}"));
        let _ = parse_query(&format!("LIST FROM {w}"));
        let _ = parse_expr(w);
        let _ = field_value(w);
    }
    // Every prefix of a realistic query, cut at each char boundary.
    let q = "TABLE WITHOUT ID file.link AS \"Nöte\", dur(1 wk) FROM #a/é or [[B|c]] WHERE date(today) > x[0] // c\nSORT y DESC";
    for (i, _) in q.char_indices() {
        let _ = parse_query(&q[..i]);
        let _ = parse_expr(&q[i..]);
        let _ = field_value(&q[i..]);
    }
}

#[test]
fn field_values() {
    let cases: &[(&str, &str)] = &[
        ("", "null"),
        ("   ", "null"),
        ("hello world", "\"hello world\""),
        ("  padded  ", "\"padded\""),
        ("Paris, France", "\"Paris, France\""),
        ("42", "42"),
        ("-3.5", "-3.5"),
        ("+3", "\"+3\""),
        ("3 apples", "\"3 apples\""),
        ("true", "true"),
        ("False", "false"),
        ("trueish", "\"trueish\""),
        ("null", "null"),
        ("\"quoted, text\"", "\"quoted, text\""),
        ("\"say \\\"hi\\\"\"", "\"say \\\"hi\\\"\""),
        ("#tag/sub", "\"#tag/sub\""),
        ("#a, #b", "<\"#a\", \"#b\">"),
        ("[[Ana Pereira]]", "[[Ana Pereira]]"),
        ("[[People/Ana|Ana]]", "[[People/Ana|Ana]]"),
        ("![[pic.png]]", "![[pic.png]]"),
        ("[[a]], [[b]]", "<[[a]], [[b]]>"),
        ("[[a]],[[b]] , [[c#h]]", "<[[a]], [[b]], [[c#h]]>"),
        ("[[a]] and [[b]]", "\"[[a]] and [[b]]\""),
        ("[[a]], b", "\"[[a]], b\""),
        ("1, 2, 3", "<1, 2, 3>"),
        ("2026-03-01", "date:2026-03-01"),
        ("2026-03", "date:2026-03-01"),
        ("2026-03-01T09:30", "date:2026-03-01T09:30"),
        ("2026-03-01T09:30:15Z", "date:2026-03-01T09:30:15"),
        (
            "2026-03-01, 2026-04-01",
            "<date:2026-03-01, date:2026-04-01>",
        ),
        ("2026-02-30", "\"2026-02-30\""),
        ("2026-03-01 is a date", "\"2026-03-01 is a date\""),
        ("1 week", "dur(0,604800000)"),
        ("4hr2min", "dur(0,14520000)"),
        ("2 years, 3 months", "dur(27,0)"),
        ("5 hours of work", "\"5 hours of work\""),
        ("10 Main St", "\"10 Main St\""),
        ("\"a\", 1, true, null", "<\"a\", 1, true, null>"),
        ("[[a]],", "\"[[a]],\""),
    ];
    let mut failures = Vec::new();
    for (input, want) in cases {
        let got = lit(&field_value(input));
        if got != *want {
            failures.push(format!("{input:?}: got {got}, want {want}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn display_of_errors() {
    let e = parse_query("LIST\n  WHERE a b").unwrap_err();
    let s = e.to_string();
    assert!(s.starts_with("line 2, column 11: "), "{s}");
    assert!(s.contains(&e.hint));
}

#[test]
fn random_inputs_never_panic() {
    let pieces = [
        "LIST",
        "TABLE",
        "TASK",
        "CALENDAR",
        "WITHOUT",
        "ID",
        " ",
        "\n",
        "FROM",
        "WHERE",
        "SORT",
        "GROUP",
        "BY",
        "FLATTEN",
        "LIMIT",
        "AS",
        "ASC",
        "\"",
        "\"s\"",
        "\\",
        "#",
        "#t/é",
        "[[",
        "]]",
        "[",
        "]",
        "(",
        ")",
        "{",
        "}",
        ",",
        ".",
        ":",
        "!",
        "-",
        "+",
        "*",
        "/",
        "%",
        "=",
        "<",
        ">=",
        "=>",
        "&",
        "|",
        "and",
        "or",
        "x",
        "é",
        "📅",
        "date(",
        "dur(",
        "today",
        "2021-04-18",
        "T10:00",
        "1",
        "2.5",
        "day",
        "s",
        "//",
        "outgoing(",
        "csv(",
        "this",
        "ü\u{301}",
        "\t",
        "'",
    ];
    let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for _ in 0..20_000 {
        let len = next() % 24;
        let s: String = (0..len)
            .map(|_| pieces[(next() % pieces.len() as u64) as usize])
            .collect();
        let _ = parse_query(&s);
        let _ = parse_expr(&s);
        let _ = field_value(&s);
        if let Err(e) = parse_query(&s) {
            assert!(e.line >= 1 && e.column >= 1 && !e.message.is_empty() && !e.hint.is_empty());
        }
    }
}
