//! Boolean combinations of filters on one line: each filter in one kind of delimiters
//! (`( )`, `[ ]`, `{ }` or `" "`), joined by upper-case `AND`, `OR`, `XOR`, `NOT`, `AND NOT`,
//! `OR NOT`. Precedence: NOT > XOR > AND > OR; a delimited group may itself be a combination.

use super::filter::{parse_instruction, Filter, Node, Parsed, Slots};

/// Parses a Boolean line into a filter.
pub(super) fn parse_boolean(line: &str, slots: &mut Slots) -> Parsed {
    BoolParser {
        s: line,
        pos: 0,
        slots,
    }
    .parse_all()
}

/// Does the line combine filters with Boolean operators (`(a) OR (b)`, `NOT (a)`)?
pub(super) fn starts_boolean(line: &str) -> bool {
    let mut s = line;
    while let Some(r) = s.strip_prefix("NOT") {
        if !r.starts_with(char::is_whitespace) && !r.starts_with(['(', '[', '{', '"']) {
            return false;
        }
        s = r.trim_start();
    }
    s.starts_with(['(', '[', '{', '"'])
}

/// Recursive-descent parser for a Boolean line. Precedence: NOT > XOR > AND > OR.
struct BoolParser<'s, 'l> {
    s: &'s str,
    pos: usize,
    slots: &'l mut Slots,
}

fn bool_error(line: &str, what: &str) -> (String, String) {
    (
        format!("could not interpret Boolean combination \"{line}\": {what}"),
        "wrap each filter in one kind of delimiters, ( ), [ ], { } or \" \", and join them with \
         upper-case AND, OR, XOR, NOT, AND NOT or OR NOT, e.g. `(due today) OR (no due date)`"
            .into(),
    )
}

impl BoolParser<'_, '_> {
    fn delims(&self) -> (char, char) {
        let mut s = self.s.trim_start();
        while let Some(r) = s.strip_prefix("NOT") {
            s = r.trim_start();
        }
        match s.chars().next() {
            Some('[') => ('[', ']'),
            Some('{') => ('{', '}'),
            Some('"') => ('"', '"'),
            _ => ('(', ')'),
        }
    }

    fn skip_ws(&mut self) {
        let rest = &self.s[self.pos..];
        self.pos += rest.len() - rest.trim_start().len();
    }

    fn keyword(&mut self, kw: &str) -> bool {
        self.skip_ws();
        let rest = &self.s[self.pos..];
        match rest.strip_prefix(kw) {
            Some(after)
                if after.starts_with(|c: char| c.is_whitespace() || "([{\"".contains(c)) =>
            {
                self.pos += kw.len();
                true
            }
            _ => false,
        }
    }

    fn parse_all(mut self) -> Parsed {
        let (o, c) = self.delims();
        let node = self.or(o, c)?;
        self.skip_ws();
        if self.pos < self.s.len() {
            let rest = &self.s[self.pos..];
            return Err(bool_error(self.s, &format!("unexpected \"{rest}\"")));
        }
        Ok(node.f)
    }

    fn or(&mut self, o: char, c: char) -> Result<Node, (String, String)> {
        let start = self.pos;
        let mut items = vec![self.and(o, c)?];
        while self.keyword("OR") {
            items.push(self.and(o, c)?);
        }
        Ok(self.combine(start, items, Filter::Or))
    }

    fn and(&mut self, o: char, c: char) -> Result<Node, (String, String)> {
        let start = self.pos;
        let mut items = vec![self.xor(o, c)?];
        while self.keyword("AND") {
            items.push(self.xor(o, c)?);
        }
        Ok(self.combine(start, items, Filter::And))
    }

    fn xor(&mut self, o: char, c: char) -> Result<Node, (String, String)> {
        let start = self.pos;
        let mut left = self.not(o, c)?;
        while self.keyword("XOR") {
            let right = self.not(o, c)?;
            left = Node {
                src: self.s[start..self.pos].trim().to_string(),
                f: Filter::Xor(Box::new(left), Box::new(right)),
            };
        }
        Ok(left)
    }

    fn not(&mut self, o: char, c: char) -> Result<Node, (String, String)> {
        let start = self.pos;
        if self.keyword("NOT") {
            let inner = self.not(o, c)?;
            return Ok(Node {
                src: self.s[start..self.pos].trim().to_string(),
                f: Filter::Not(Box::new(inner)),
            });
        }
        self.primary(o, c)
    }

    fn combine(&self, start: usize, mut items: Vec<Node>, make: fn(Vec<Node>) -> Filter) -> Node {
        if items.len() == 1 {
            return items.pop().unwrap_or_else(|| unreachable!());
        }
        Node {
            src: self.s[start..self.pos].trim().to_string(),
            f: make(items),
        }
    }

    fn primary(&mut self, o: char, c: char) -> Result<Node, (String, String)> {
        self.skip_ws();
        let rest = &self.s[self.pos..];
        if !rest.starts_with(o) {
            let what = if rest.is_empty() {
                "a filter is missing at the end".to_string()
            } else {
                format!("expected '{o}' before \"{rest}\"")
            };
            return Err(bool_error(self.s, &what));
        }
        let mut depth = 0usize;
        let mut end = None;
        for (i, ch) in rest.char_indices().skip(1) {
            if ch == c && depth == 0 {
                end = Some(i);
                break;
            } else if ch == c {
                depth -= 1;
            } else if ch == o {
                depth += 1;
            }
        }
        let Some(end) = end else {
            return Err(bool_error(self.s, &format!("no closing '{c}'")));
        };
        let inner = rest[1..end].trim();
        self.pos += end + c.len_utf8();
        if starts_boolean(inner) {
            let f = BoolParser {
                s: inner,
                pos: 0,
                slots: self.slots,
            }
            .parse_all()?;
            return Ok(Node {
                src: inner.to_string(),
                f,
            });
        }
        match parse_instruction(inner, self.slots) {
            Some(Ok(f)) => Ok(Node {
                src: inner.to_string(),
                f,
            }),
            Some(Err((m, h))) => Err((format!("in \"{}\": {m}", self.s), h)),
            None => Err(bool_error(
                self.s,
                &format!("do not understand \"{inner}\""),
            )),
        }
    }
}
