//! A borrowing content-stream lexer. lopdf's `Content::decode` builds an owned `Object` per
//! operand and a `String` per operator, half of a page's time; here operators, names and
//! strings without escapes borrow from the stream. It reads what lopdf reads, operation for
//! operation: from the first construct it does not take itself (inline images, references,
//! booleans, comments between operands, anything malformed), the rest of the stream is
//! decoded by lopdf, so its recovery from bad input stays the one the tests pin down.

use crate::limits::too_deep;
use lopdf::content::Content;
use lopdf::Object;
use std::borrow::Cow;
use std::ops::Range;

/// One operand, as far as the interpreter reads it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Operand<'a> {
    /// An integer or a real (reals are `f32`, as lopdf reads them).
    Number(f64),
    Name(Cow<'a, [u8]>),
    String(Cow<'a, [u8]>),
    Array(Vec<Operand<'a>>),
    /// Booleans, null, dictionaries, inline images, references: never read, only counted.
    Other,
}

impl Operand<'_> {
    /// The value of a finite number.
    pub(crate) fn number(&self) -> Option<f64> {
        match self {
            Operand::Number(v) => v.is_finite().then_some(*v),
            _ => None,
        }
    }
}

/// An operand lopdf decoded.
fn from_object<'a>(o: Object) -> Operand<'a> {
    match o {
        Object::Integer(i) => Operand::Number(i as f64),
        Object::Real(r) => Operand::Number(f64::from(r)),
        Object::Name(n) => Operand::Name(Cow::Owned(n)),
        Object::String(s, _) => Operand::String(Cow::Owned(s)),
        Object::Array(items) => Operand::Array(items.into_iter().map(from_object).collect()),
        _ => Operand::Other,
    }
}

/// One operation: its operator and the range of its operands in [`Operations::operands`].
pub(crate) struct Operation<'a> {
    pub operator: Cow<'a, str>,
    operands: Range<usize>,
}

/// A content stream's operations, operands kept in one vector.
pub(crate) struct Operations<'a> {
    pub ops: Vec<Operation<'a>>,
    operands: Vec<Operand<'a>>,
}

impl<'a> Operations<'a> {
    pub(crate) fn operands(&self, op: &Operation<'a>) -> &[Operand<'a>] {
        &self.operands[op.operands.clone()]
    }
}

/// Why the fast path handed over: lopdf reads on from the operation's start.
struct Unsure;

fn is_white(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'\0' | 0x0C)
}

fn is_delimiter(c: u8) -> bool {
    b"()<>[]{}/%".contains(&c)
}

fn is_regular(c: u8) -> bool {
    !is_white(c) && !is_delimiter(c)
}

fn is_operator_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || b"*'\"".contains(&c)
}

/// The `f32` a real's text reads as (lopdf reads reals as `f32`), with `fraction` digits
/// after its point. Where the digits make an integer below 2^24 and there are at most 10
/// after the point, both are exact in `f32` and one division rounds correctly: the value
/// `str::parse` gives (Clinger's fast path, which it takes too), without its general
/// machinery, which was a twentieth of the pipeline's time. Other reals go to `str::parse`.
fn real_value(text: &[u8], negative: bool, fraction: usize) -> Option<f32> {
    const POW10: [f32; 11] = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10];
    let digits = text.iter().filter(|c| c.is_ascii_digit());
    let mantissa = digits.clone().try_fold(0u32, |v, &d| {
        let v = v * 10 + u32::from(d - b'0');
        (v < 1 << 24).then_some(v)
    });
    match mantissa {
        Some(m) if fraction < POW10.len() => {
            let v = m as f32 / POW10[fraction];
            Some(if negative { -v } else { v })
        }
        _ => std::str::from_utf8(text).ok()?.parse().ok(),
    }
}

struct Lexer<'a> {
    s: &'a [u8],
    at: usize,
    /// Arrays and dictionaries nest at most this deep here; deeper goes to lopdf, behind
    /// the depth check in [`operations`].
    max_nesting: usize,
}

impl<'a> Lexer<'a> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.at).copied()
    }

    fn rest(&self) -> &'a [u8] {
        &self.s[self.at..]
    }

    fn skip_white(&mut self) {
        while self.peek().is_some_and(is_white) {
            self.at += 1;
        }
    }

    /// White space and comments (inside arrays, and before an operation).
    fn skip_space(&mut self) -> Result<(), Unsure> {
        loop {
            self.skip_white();
            if self.peek() != Some(b'%') {
                return Ok(());
            }
            let end = self.rest().iter().position(|&c| c == b'\r' || c == b'\n');
            match end {
                // A comment must end with an end of line; at the end of the stream it does not.
                None => return Err(Unsure),
                Some(n) => {
                    self.at += n;
                    if self.rest().starts_with(b"\r\n") {
                        self.at += 2;
                    } else {
                        self.at += 1;
                    }
                }
            }
        }
    }

    /// A number: `[+-]digits`, or a real `[+-]digits.digits*` / `[+-].digits`.
    fn number(&mut self) -> Result<Operand<'a>, Unsure> {
        let s = self.rest();
        let negative = s.first() == Some(&b'-');
        let mut i = usize::from(matches!(s.first(), Some(b'+' | b'-')));
        let int_digits = s[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        i += int_digits;
        let real = s.get(i) == Some(&b'.')
            && (int_digits > 0 || s.get(i + 1).is_some_and(u8::is_ascii_digit));
        if real {
            i += 1;
            let tail = s[i..]
                .iter()
                .take_while(|&&c| c == b'-' || c.is_ascii_digit())
                .count();
            // `0.00-4142502`: lopdf drops the stray minus; leave that to it.
            if s[i..i + tail].contains(&b'-') {
                return Err(Unsure);
            }
            let v = real_value(&s[..i + tail], negative, tail).ok_or(Unsure)?;
            self.at += i + tail;
            return Ok(Operand::Number(f64::from(v)));
        }
        if int_digits == 0 {
            return Err(Unsure);
        }
        let magnitude = s[i - int_digits..i].iter().try_fold(0i64, |v, &d| {
            v.checked_mul(10)?.checked_add(i64::from(d - b'0'))
        });
        let v = magnitude.ok_or(Unsure)?;
        self.at += i;
        Ok(Operand::Number(if negative { -v } else { v } as f64))
    }

    fn name(&mut self) -> Result<Operand<'a>, Unsure> {
        let s = &self.rest()[1..];
        let n = s.iter().take_while(|&&c| is_regular(c)).count();
        // `#xx` escapes are rare in content streams: lopdf decodes them.
        if s[..n].contains(&b'#') {
            return Err(Unsure);
        }
        self.at += 1 + n;
        Ok(Operand::Name(Cow::Borrowed(&s[..n])))
    }

    /// A literal string; borrowed when it holds no escape, no line end and no parentheses.
    fn literal(&mut self) -> Result<Operand<'a>, Unsure> {
        let s = &self.rest()[1..];
        let plain = s
            .iter()
            .position(|&c| matches!(c, b'(' | b')' | b'\\' | b'\r' | b'\n'))
            .ok_or(Unsure)?;
        if s[plain] == b')' {
            self.at += plain + 2;
            return Ok(Operand::String(Cow::Borrowed(&s[..plain])));
        }
        let mut out = Vec::with_capacity(s.len().min(64));
        let mut depth = 0usize;
        let mut i = 0;
        loop {
            let c = *s.get(i).ok_or(Unsure)?;
            i += 1;
            match c {
                b'(' => {
                    // lopdf gives up past 100 levels; so deep a string goes to it.
                    if depth >= 16 {
                        return Err(Unsure);
                    }
                    depth += 1;
                    out.push(c);
                }
                b')' if depth == 0 => break,
                b')' => {
                    depth -= 1;
                    out.push(c);
                }
                b'\r' => {
                    if s.get(i) == Some(&b'\n') {
                        i += 1;
                    }
                    out.push(b'\n');
                }
                b'\n' => out.push(b'\n'),
                b'\\' => {
                    let e = *s.get(i).ok_or(Unsure)?;
                    i += 1;
                    match e {
                        b'0'..=b'7' => {
                            let mut v = u16::from(e - b'0');
                            for _ in 0..2 {
                                match s.get(i) {
                                    Some(&d @ b'0'..=b'7') => {
                                        v = v * 8 + u16::from(d - b'0');
                                        i += 1;
                                    }
                                    _ => break,
                                }
                            }
                            // The spec says to ignore overflow, as lopdf does.
                            out.push(v as u8);
                        }
                        b'\r' => {
                            if s.get(i) == Some(&b'\n') {
                                i += 1;
                            }
                        }
                        b'\n' => {}
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'b' => out.push(0x08),
                        b'f' => out.push(0x0C),
                        other => out.push(other),
                    }
                }
                other => out.push(other),
            }
        }
        self.at += 1 + i;
        Ok(Operand::String(Cow::Owned(out)))
    }

    fn hex(&mut self) -> Result<Operand<'a>, Unsure> {
        let s = &self.rest()[1..];
        let mut out = Vec::new();
        let mut half = false;
        let mut i = 0;
        loop {
            let c = *s.get(i).ok_or(Unsure)?;
            i += 1;
            if is_white(c) {
                continue;
            }
            if c == b'>' {
                break;
            }
            let v = (c as char).to_digit(16).ok_or(Unsure)? as u8;
            if half {
                if let Some(last) = out.last_mut() {
                    *last |= v;
                }
            } else {
                out.push(v << 4);
            }
            half = !half;
        }
        self.at += 1 + i;
        Ok(Operand::String(Cow::Owned(out)))
    }

    /// Whether an integer here may start a reference (`12 0 R`), which lopdf reads in
    /// arrays; a comment on the way counts as maybe.
    fn reference_ahead(&self) -> bool {
        let s = self.rest();
        let digits = |from: usize| s[from..].iter().take_while(|c| c.is_ascii_digit()).count();
        let spaces = |from: usize| s[from..].iter().take_while(|&&c| is_white(c)).count();
        let a = digits(0);
        let b = a + spaces(a);
        let n = digits(b);
        let r = b + n + spaces(b + n);
        s.get(b) == Some(&b'%') || n > 0 && matches!(s.get(r), Some(b'R' | b'%'))
    }

    /// An object inside an array or a dictionary.
    fn direct(&mut self, depth: usize) -> Result<Operand<'a>, Unsure> {
        match self.peek().ok_or(Unsure)? {
            b'0'..=b'9' if self.reference_ahead() => Err(Unsure),
            b'0'..=b'9' | b'+' | b'-' | b'.' => self.number(),
            b'/' => self.name(),
            b'(' => self.literal(),
            b'<' if self.rest().get(1) == Some(&b'<') => self.dictionary(depth + 1),
            b'<' => self.hex(),
            b'[' => self.array(depth + 1),
            _ => Err(Unsure),
        }
    }

    fn array(&mut self, depth: usize) -> Result<Operand<'a>, Unsure> {
        if depth >= self.max_nesting {
            return Err(Unsure);
        }
        self.at += 1;
        self.skip_space()?;
        let mut items = Vec::new();
        while self.peek().ok_or(Unsure)? != b']' {
            items.push(self.direct(depth)?);
            self.skip_space()?;
        }
        self.at += 1;
        Ok(Operand::Array(items))
    }

    /// A dictionary (marked-content properties such as `<</MCID 3>>`): read past, not kept.
    fn dictionary(&mut self, depth: usize) -> Result<Operand<'a>, Unsure> {
        if depth >= self.max_nesting {
            return Err(Unsure);
        }
        self.at += 2;
        self.skip_space()?;
        while !self.rest().starts_with(b">>") {
            if self.peek() != Some(b'/') {
                return Err(Unsure);
            }
            self.name()?;
            self.skip_space()?;
            self.direct(depth)?;
            self.skip_space()?;
        }
        self.at += 2;
        Ok(Operand::Other)
    }

    /// One operand, or `None` where an operator starts.
    fn operand(&mut self) -> Result<Option<Operand<'a>>, Unsure> {
        let rest = self.rest();
        if rest.starts_with(b"null") || rest.starts_with(b"true") || rest.starts_with(b"false") {
            return Err(Unsure);
        }
        let o = match self.peek().ok_or(Unsure)? {
            b'0'..=b'9' | b'+' | b'-' | b'.' => self.number()?,
            b'/' => self.name()?,
            b'(' => self.literal()?,
            b'<' if rest.get(1) == Some(&b'<') => self.dictionary(0)?,
            b'<' => self.hex()?,
            b'[' => self.array(0)?,
            c if is_operator_char(c) => return Ok(None),
            _ => return Err(Unsure),
        };
        self.skip_white();
        Ok(Some(o))
    }

    /// One whole operation, its operands appended to `operands`.
    fn operation(&mut self, operands: &mut Vec<Operand<'a>>) -> Result<Operation<'a>, Unsure> {
        self.skip_space()?;
        // `BI` opens an inline image, which lopdf reads (and skips) itself.
        if self.rest().starts_with(b"BI") {
            return Err(Unsure);
        }
        let start = operands.len();
        while let Some(o) = self.operand()? {
            operands.push(o);
        }
        let s = self.rest();
        let n = s.iter().take_while(|&&c| is_operator_char(c)).count();
        let op = std::str::from_utf8(&s[..n]).map_err(|_| Unsure)?;
        self.at += n;
        self.skip_white();
        Ok(Operation {
            operator: Cow::Borrowed(op),
            operands: start..operands.len(),
        })
    }
}

/// Why a content stream's operations could not be read.
#[derive(Debug)]
pub(crate) enum Unread {
    /// Arrays or dictionaries nest deeper than allowed, at this byte: lopdf would recurse
    /// into them (and drop them silently past 100 levels).
    TooDeep(usize),
    Lopdf(lopdf::Error),
}

/// The operations of a content stream, as lopdf's `Content::decode` reads them, unless
/// arrays or dictionaries in it nest deeper than `max_depth`. The lexer never nests deeper
/// itself, so the stream is scanned for depth only where lopdf takes over (a stream that
/// deep always comes to that): one pass over the bytes instead of two.
pub(crate) fn operations(content: &[u8], max_depth: usize) -> Result<Operations<'_>, Unread> {
    let mut lexer = Lexer {
        s: content,
        at: 0,
        max_nesting: max_depth.min(17),
    };
    let mut out = Operations {
        ops: Vec::new(),
        operands: Vec::new(),
    };
    lexer.skip_white();
    loop {
        let start = lexer.at;
        let kept = out.operands.len();
        // Trailing white space and comments end the stream.
        if lexer.skip_space().is_ok() && lexer.peek().is_none() {
            return Ok(out);
        }
        lexer.at = start;
        match lexer.operation(&mut out.operands) {
            Ok(op) => out.ops.push(op),
            Err(Unsure) => {
                out.operands.truncate(kept);
                if let Some(at) = too_deep(content, max_depth) {
                    return Err(Unread::TooDeep(at));
                }
                let rest = Content::decode(&content[start..]).map_err(Unread::Lopdf)?;
                for op in rest.operations {
                    let from = out.operands.len();
                    out.operands
                        .extend(op.operands.into_iter().map(from_object));
                    out.ops.push(Operation {
                        operator: Cow::Owned(op.operator),
                        operands: from..out.operands.len(),
                    });
                }
                return Ok(out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// lopdf's reading of a stream, in the lexer's terms.
    fn lopdf_ops(content: &[u8]) -> Option<Vec<(String, Vec<Operand<'static>>)>> {
        let ops = Content::decode(content).ok()?.operations;
        Some(
            ops.into_iter()
                .map(|op| {
                    let operands = op.operands.into_iter().map(from_object).collect();
                    (op.operator, operands)
                })
                .collect(),
        )
    }

    fn ours(content: &[u8]) -> Option<Vec<(String, Vec<Operand<'_>>)>> {
        let ops = operations(content, 100).ok()?;
        Some(
            ops.ops
                .iter()
                .map(|op| (op.operator.to_string(), ops.operands(op).to_vec()))
                .collect(),
        )
    }

    #[test]
    fn reads_what_lopdf_reads() {
        let cases: &[&[u8]] = &[
            b"BT /F1 12 Tf 100 700 Td (Hello) Tj ET",
            b"q 1 0 0 1 0 -100 cm /Fm1 Do Q",
            b"[(A) -120 (B) 50.5 (C)] TJ [3 2] 0 d",
            b"0.5 w 100 100 m 300 100 l S 1 0 0 rg 10 20 30 40 re f*",
            b"-.5 +3 5. 0.25 -7 Td 1.2.3 4 5 6 cm",
            b"(a\\(b\\)c\\\\d\\n\\101\\7\\0015\\\r\nx) Tj (nested (paren) here) Tj",
            b"(line\r\nend\rcr) Tj <48 65 6C6c 6F7> Tj <> Tj",
            b"% comment\n  BT %another\r\n/F1 1 Tf ET % trailing",
            b"/A#20B 1 Tf /Name 2 Tf",
            b"0.00-4142502 0 Td (x) Tj",
            b"1 0 obj [1 0 R 2] TJ",
            b"[1 %c\n 0 R] TJ (after) Tj",
            b"true false null 1 Tz",
            b"<< /A 1 >> BDC (x) Tj EMC /P <</MCID 0>> BDC /Span<</ActualText(x)/L[1 2<<>>]>>BDC",
            b"/P <</MCID 0 /K 1 0 R>> BDC (x) Tj /P <</A>> BDC (y) Tj",
            b"/P <</A 1 >x>> BDC (y) Tj /Q <</B true>> BDC",
            b"BI /W 1 /H 1 /BPC 8 /CS /G ID \x00 EI Q (x) Tj",
            b"1 2 %between\n Td (x) Tj",
            b"99999999999999999999 Tz (x) Tj",
            b"(unterminated Tj",
            b"5Tz 6Tc(a)Tj[(b)]TJ",
            b"/F1 12 Tf ) (x) Tj",
            b"d0 1 2 d1 (\xff\xfe) Tj ' \" T*",
            b"",
            b"   \n % only a comment",
        ];
        for c in cases {
            assert_eq!(ours(c), lopdf_ops(c), "{:?}", String::from_utf8_lossy(c));
        }
    }

    #[test]
    fn reals_read_as_str_parse_reads_them() {
        let check = |t: &str| {
            let b = t.as_bytes();
            let fraction = t.len() - t.find('.').map_or(t.len(), |p| p + 1);
            let got = real_value(b, t.starts_with('-'), fraction);
            let want: Option<f32> = t.parse().ok();
            assert_eq!(got.map(f32::to_bits), want.map(f32::to_bits), "{t}");
        };
        for t in [
            "0.5",
            "-0.0",
            "+3.25",
            "5.",
            ".5",
            "-.5",
            "16777215.5",
            "1677721.5",
            "0.1",
            "0.000000000001",
            "123456789.123",
            "1.0000001",
            "595.276",
            "-841.89",
        ] {
            check(t);
        }
        // A seeded walk over digit strings of every length up to the fast path's bounds and
        // past them (xorshift: the same strings every run).
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..200_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let int = (x % 100_000_000).to_string();
            let frac = ((x >> 32) % 10_000_000_000_000).to_string();
            let cut = (x >> 60) as usize % (frac.len() + 1);
            let sign = if x & 1 == 1 { "-" } else { "" };
            check(&format!("{sign}{int}.{}", &frac[..cut]));
        }
    }

    #[test]
    fn nesting_deeper_than_allowed_is_found_without_a_second_scan() {
        let three = b"[[[1]]] TJ (x) Tj";
        assert!(operations(three, 3).is_ok());
        assert!(matches!(operations(three, 2), Err(Unread::TooDeep(2))));
        // Deeper than the lexer ever goes itself: lopdf's turn, after the check.
        let deep = [b"[".repeat(40), b"]".repeat(40), b" TJ".to_vec()].concat();
        assert_eq!(ours(&deep), lopdf_ops(&deep));
        assert!(matches!(operations(&deep, 30), Err(Unread::TooDeep(30))));
    }

    #[test]
    fn plain_operands_borrow_from_the_stream() {
        let content = b"/F1 12 Tf (Budget) Tj";
        let ops = operations(content, 100).unwrap();
        assert!(matches!(
            ops.operands(&ops.ops[0])[0],
            Operand::Name(Cow::Borrowed(b"F1"))
        ));
        assert!(matches!(
            ops.operands(&ops.ops[1])[0],
            Operand::String(Cow::Borrowed(b"Budget"))
        ));
        assert!(matches!(ops.ops[1].operator, Cow::Borrowed("Tj")));
    }
}
