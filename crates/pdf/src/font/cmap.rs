//! CMap programs: `/ToUnicode` maps (code → text) and embedded encoding CMaps (code → CID).
//!
//! Only the parts a text extractor needs are read: `codespacerange`, `bfchar`, `bfrange` (both
//! the incrementing and the array form), `cidchar`, `cidrange` and `usecmap` is ignored. Codes
//! are keyed by value: ToUnicode maps from some producers declare 2-byte codes for 1-byte fonts.

use crate::hash::IntMap;
use std::borrow::Cow;

/// Upper bound on the codes one `bfrange`/`cidrange` line may cover, so a hostile map
/// cannot make a lookup table explode (ranges are kept unexpanded, but arrays are not).
const MAX_ARRAY_RANGE: u32 = 1 << 16;

/// One `codespacerange` entry: every byte of a code lies between `lo` and `hi`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Codespace {
    len: usize,
    lo: [u8; 4],
    hi: [u8; 4],
}

#[derive(Debug, Clone)]
enum RangeTarget {
    /// `<lo> <hi> <dst>`: code `lo + i` maps to `dst` with its last UTF-16 unit increased by `i`.
    Incrementing(Vec<u16>),
    /// `<lo> <hi> [<d0> <d1> …]`: one destination per code.
    Array(Vec<String>),
    /// `cidrange`: code `lo + i` maps to CID `start + i`.
    Cid(u32),
}

#[derive(Debug, Clone)]
struct Range {
    lo: u32,
    hi: u32,
    target: RangeTarget,
}

/// A parsed CMap program.
#[derive(Debug, Clone, Default)]
pub(crate) struct CMap {
    codespaces: Vec<Codespace>,
    chars: IntMap<u32, String>,
    cids: IntMap<u32, u32>,
    ranges: Vec<Range>,
}

#[derive(Debug, Clone, PartialEq)]
enum Token<'a> {
    Hex(Vec<u8>),
    Int(i64),
    Name(&'a [u8]),
    Keyword(&'a [u8]),
    ArrayOpen,
    ArrayClose,
    Other,
}

/// A tolerant PostScript tokenizer: anything it does not understand becomes `Other`.
struct Lexer<'a> {
    src: &'a [u8],
    pos: usize,
}

fn is_delim(b: u8) -> bool {
    matches!(
        b,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    ) || b.is_ascii_whitespace()
        || b == 0
}

impl<'a> Iterator for Lexer<'a> {
    type Item = Token<'a>;

    fn next(&mut self) -> Option<Token<'a>> {
        let s = self.src;
        loop {
            while self.pos < s.len() && (s[self.pos].is_ascii_whitespace() || s[self.pos] == 0) {
                self.pos += 1;
            }
            if self.pos < s.len() && s[self.pos] == b'%' {
                while self.pos < s.len() && s[self.pos] != b'\n' && s[self.pos] != b'\r' {
                    self.pos += 1;
                }
                continue;
            }
            break;
        }
        let start = self.pos;
        let b = *s.get(start)?;
        self.pos += 1;
        Some(match b {
            b'[' => Token::ArrayOpen,
            b']' => Token::ArrayClose,
            b'<' if s.get(self.pos) == Some(&b'<') => {
                self.pos += 1;
                Token::Other
            }
            b'>' => {
                if s.get(self.pos) == Some(&b'>') {
                    self.pos += 1;
                }
                Token::Other
            }
            b'<' => {
                let mut digits = Vec::new();
                while self.pos < s.len() && s[self.pos] != b'>' {
                    if let Some(d) = (s[self.pos] as char).to_digit(16) {
                        digits.push(d as u8);
                    }
                    self.pos += 1;
                }
                self.pos += 1;
                if digits.len() % 2 == 1 {
                    digits.push(0);
                }
                Token::Hex(digits.chunks(2).map(|p| p[0] << 4 | p[1]).collect())
            }
            b'(' => {
                let mut depth = 1;
                while self.pos < s.len() && depth > 0 {
                    match s[self.pos] {
                        b'\\' => self.pos += 1,
                        b'(' => depth += 1,
                        b')' => depth -= 1,
                        _ => {}
                    }
                    self.pos += 1;
                }
                Token::Other
            }
            b'/' => {
                while self.pos < s.len() && !is_delim(s[self.pos]) {
                    self.pos += 1;
                }
                Token::Name(&s[start + 1..self.pos])
            }
            _ => {
                while self.pos < s.len() && !is_delim(s[self.pos]) {
                    self.pos += 1;
                }
                let word = &s[start..self.pos];
                match std::str::from_utf8(word)
                    .ok()
                    .and_then(|w| w.parse::<i64>().ok())
                {
                    Some(n) => Token::Int(n),
                    None if word.is_empty() => Token::Other,
                    None => Token::Keyword(word),
                }
            }
        })
    }
}

fn code_value(bytes: &[u8]) -> u32 {
    bytes
        .iter()
        .take(4)
        .fold(0u32, |acc, &b| acc << 8 | b as u32)
}

/// Decodes big-endian UTF-16 (with surrogate pairs); unpaired halves become U+FFFD.
pub(crate) fn utf16be_to_string(bytes: &[u8]) -> String {
    String::from_utf16_lossy(&units_of(bytes))
}

fn units_of(bytes: &[u8]) -> Vec<u16> {
    bytes
        .chunks(2)
        .map(|c| {
            if c.len() == 2 {
                u16::from_be_bytes([c[0], c[1]])
            } else {
                c[0] as u16
            }
        })
        .collect()
}

impl CMap {
    /// Parses a CMap program; unreadable parts are skipped, never fatal.
    pub(crate) fn parse(src: &[u8]) -> CMap {
        let mut map = CMap::default();
        let tokens: Vec<Token> = Lexer { src, pos: 0 }.collect();
        let mut i = 0;
        while i < tokens.len() {
            let Token::Keyword(kw) = &tokens[i] else {
                i += 1;
                continue;
            };
            i += 1;
            match *kw {
                b"begincodespacerange" => {
                    while let (Some(Token::Hex(lo)), Some(Token::Hex(hi))) =
                        (tokens.get(i), tokens.get(i + 1))
                    {
                        if lo.len() == hi.len() && (1..=4).contains(&lo.len()) {
                            let mut cs = Codespace {
                                len: lo.len(),
                                lo: [0; 4],
                                hi: [0; 4],
                            };
                            cs.lo[..lo.len()].copy_from_slice(lo);
                            cs.hi[..hi.len()].copy_from_slice(hi);
                            map.codespaces.push(cs);
                        }
                        i += 2;
                    }
                }
                b"beginbfchar" => {
                    while let (Some(Token::Hex(src)), Some(dst)) =
                        (tokens.get(i), tokens.get(i + 1))
                    {
                        let text = match dst {
                            Token::Hex(d) => utf16be_to_string(d),
                            Token::Name(n) => {
                                crate::font::simple::glyph_name_to_text(&String::from_utf8_lossy(n))
                                    .unwrap_or_default()
                            }
                            _ => break,
                        };
                        map.chars.insert(code_value(src), text);
                        i += 2;
                    }
                }
                b"begincidchar" => {
                    while let (Some(Token::Hex(src)), Some(Token::Int(cid))) =
                        (tokens.get(i), tokens.get(i + 1))
                    {
                        map.cids
                            .insert(code_value(src), (*cid).clamp(0, u32::MAX as i64) as u32);
                        i += 2;
                    }
                }
                b"beginbfrange" | b"begincidrange" => {
                    let cid = *kw == b"begincidrange";
                    while let (Some(Token::Hex(lo)), Some(Token::Hex(hi))) =
                        (tokens.get(i), tokens.get(i + 1))
                    {
                        let (lo, hi) = (code_value(lo), code_value(hi));
                        i += 2;
                        let target = match tokens.get(i) {
                            Some(Token::Int(start)) if cid => {
                                RangeTarget::Cid((*start).clamp(0, u32::MAX as i64) as u32)
                            }
                            Some(Token::Hex(dst)) if !cid => {
                                RangeTarget::Incrementing(units_of(dst))
                            }
                            Some(Token::ArrayOpen) if !cid => {
                                let mut items = Vec::new();
                                i += 1;
                                while let Some(Token::Hex(d)) = tokens.get(i) {
                                    items.push(utf16be_to_string(d));
                                    i += 1;
                                }
                                RangeTarget::Array(items)
                            }
                            _ => break,
                        };
                        i += 1;
                        let sane = lo <= hi
                            && (!matches!(target, RangeTarget::Array(_))
                                || hi - lo < MAX_ARRAY_RANGE);
                        if sane {
                            map.ranges.push(Range { lo, hi, target });
                        }
                    }
                }
                _ => {}
            }
        }
        // Later definitions win over earlier ones, as in a PostScript dictionary.
        map.ranges.reverse();
        map
    }

    /// Whether the map defines no mapping at all.
    pub(crate) fn is_empty(&self) -> bool {
        self.chars.is_empty() && self.cids.is_empty() && self.ranges.is_empty()
    }

    /// The text a code maps to, if any. A mapping to invalid UTF-16 (a lone or reversed
    /// surrogate) is no mapping: the glyph goes on down the decode chain.
    pub(crate) fn text(&self, code: u32) -> Option<Cow<'_, str>> {
        self.lookup(code)
            .filter(|t| !t.contains(char::REPLACEMENT_CHARACTER))
    }

    /// Borrowed for single codes: looked up for every glyph, copied by none.
    fn lookup(&self, code: u32) -> Option<Cow<'_, str>> {
        if let Some(t) = self.chars.get(&code) {
            return Some(Cow::Borrowed(t));
        }
        self.ranges
            .iter()
            .find(|r| r.lo <= code && code <= r.hi)
            .and_then(|r| {
                let offset = code - r.lo;
                match &r.target {
                    RangeTarget::Incrementing(units) => {
                        let mut units = units.clone();
                        let last = units.last_mut()?;
                        *last = last.wrapping_add(offset as u16);
                        Some(Cow::Owned(String::from_utf16_lossy(&units)))
                    }
                    RangeTarget::Array(items) => items
                        .get(offset as usize)
                        .map(|t| Cow::Borrowed(t.as_str())),
                    RangeTarget::Cid(_) => None,
                }
            })
    }

    /// The CID a code maps to in an encoding CMap, if any.
    pub(crate) fn cid(&self, code: u32) -> Option<u32> {
        if let Some(&c) = self.cids.get(&code) {
            return Some(c);
        }
        self.ranges.iter().find_map(|r| match r.target {
            RangeTarget::Cid(start) if r.lo <= code && code <= r.hi => {
                Some(start.saturating_add(code - r.lo))
            }
            _ => None,
        })
    }

    /// Length in bytes of the code starting at `bytes[0]`, by the codespace ranges
    /// (falling back to the shortest declared length, then to 2 bytes).
    pub(crate) fn code_len(&self, bytes: &[u8]) -> usize {
        for cs in &self.codespaces {
            if bytes.len() >= cs.len
                && (0..cs.len).all(|k| cs.lo[k] <= bytes[k] && bytes[k] <= cs.hi[k])
            {
                return cs.len;
            }
        }
        self.codespaces
            .iter()
            .map(|c| c.len)
            .min()
            .unwrap_or(2)
            .min(bytes.len())
            .max(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAP: &[u8] = br#"/CIDInit /ProcSet findresource begin
12 dict begin begincmap
/CMapName /Adobe-Identity-UCS def
1 begincodespacerange <0000> <FFFF> endcodespacerange
3 beginbfchar
<0003> <0020>
<0011> <4E00>
<0012> <00660066>
endbfchar
2 beginbfrange
<0020> <0022> <9884>
<0030> <0031> [<7B97> <D840DC00>]
endbfrange
endcmap CMapName currentdict /CMap defineresource pop end end"#;

    #[test]
    fn bfchar_bfrange_and_ligatures() {
        let m = CMap::parse(MAP);
        assert_eq!(m.text(0x11).as_deref(), Some("一"));
        assert_eq!(
            m.text(0x12).as_deref(),
            Some("ff"),
            "ligature to two characters"
        );
        assert_eq!(
            m.text(0x21).as_deref(),
            Some("\u{9885}"),
            "incrementing bfrange: 9884 + 1"
        );
        assert_eq!(m.text(0x30).as_deref(), Some("算"));
        assert_eq!(
            m.text(0x31).as_deref(),
            Some("\u{20000}"),
            "surrogate pair in array form"
        );
        assert_eq!(m.text(0x40), None);
        assert_eq!(m.code_len(&[0x00, 0x11]), 2);
    }

    #[test]
    fn mixed_codespaces_split_by_first_byte() {
        let m = CMap::parse(b"2 begincodespacerange <00> <80> <8140> <FEFE> endcodespacerange");
        assert_eq!(m.code_len(&[0x41, 0xB0]), 1);
        assert_eq!(m.code_len(&[0xB0, 0xA1]), 2);
        assert_eq!(
            m.code_len(&[0xFF]),
            1,
            "a code no range covers takes the shortest length"
        );
    }

    #[test]
    fn three_and_four_byte_codespaces() {
        let m = CMap::parse(b"3 begincodespacerange <00> <7F> <818000> <81FFFF> <82308130> <8439FE39> endcodespacerange 1 begincidrange <82308130> <82308139> 900 endcidrange");
        assert_eq!(m.code_len(&[0x41, 0x82]), 1);
        assert_eq!(m.code_len(&[0x81, 0x90, 0x10]), 3);
        assert_eq!(m.code_len(&[0x82, 0x30, 0x81, 0x35]), 4);
        assert_eq!(m.cid(0x8230_8135), Some(905));
    }

    #[test]
    fn cidrange_maps_codes_to_cids() {
        let m = CMap::parse(
            b"1 begincidrange <8140> <817E> 100 endcidrange 1 begincidchar <20> 1 endcidchar",
        );
        assert_eq!(m.cid(0x8141), Some(101));
        assert_eq!(m.cid(0x20), Some(1));
        assert_eq!(m.cid(0x9000), None);
    }

    #[test]
    fn garbage_never_panics() {
        for src in [
            &b"<<<<"[..],
            b"beginbfrange <00>",
            b"beginbfrange <01> <00> <41> endbfrange",
            b"1 begincodespacerange <> <> end",
            b"(unterminated",
        ] {
            let m = CMap::parse(src);
            let _ = m.text(0);
            let _ = m.code_len(&[]);
        }
    }
}
