//! Encodings of simple (one-byte) fonts: base encodings and `Differences` with glyph names.

use pdf_encoding::{glyphname_to_unicode, Encoding};

/// A named base encoding of a simple font.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BaseEncoding {
    Standard,
    WinAnsi,
    MacRoman,
    Symbol,
    ZapfDingbats,
}

impl BaseEncoding {
    /// The base encoding a `/Encoding` or `/BaseEncoding` name stands for.
    pub(crate) fn from_name(name: &[u8]) -> Option<BaseEncoding> {
        match name {
            b"StandardEncoding" => Some(BaseEncoding::Standard),
            b"WinAnsiEncoding" => Some(BaseEncoding::WinAnsi),
            b"MacRomanEncoding" | b"MacExpertEncoding" => Some(BaseEncoding::MacRoman),
            _ => None,
        }
    }

    fn table(self) -> Encoding {
        match self {
            BaseEncoding::Standard => Encoding::AdobeStandard,
            BaseEncoding::WinAnsi => Encoding::WinAnsiEncoding,
            BaseEncoding::MacRoman => Encoding::MacRomanEncoding,
            BaseEncoding::Symbol => Encoding::AdobeSymbol,
            BaseEncoding::ZapfDingbats => Encoding::AdobeZdingbat,
        }
    }

    /// The 256-entry code → text table of this encoding.
    pub(crate) fn to_table(self) -> Vec<Option<String>> {
        let map = self.table().forward_map();
        (0..=255u8)
            .map(|code| {
                let ch = map.and_then(|m| m.get(code));
                // WinAnsi prints code 0xA0 and 0xAD as space and hyphen; keep what the map says,
                // but treat control codes as absent so they never reach the text.
                ch.filter(|c| !c.is_control()).map(String::from)
            })
            .collect()
    }
}

/// Text for a glyph name: the Adobe Glyph List, then `uniXXXX[XXXX…]`, `uXXXX[XX]`, and the
/// name with its `.suffix` or `_ligature` parts read one by one.
pub(crate) fn glyph_name_to_text(name: &str) -> Option<String> {
    let base = name.split('.').next().unwrap_or(name);
    if base.is_empty() {
        return None;
    }
    if base.contains('_') {
        let parts: Option<String> = base.split('_').map(single_glyph_name).collect();
        return parts;
    }
    single_glyph_name(base)
}

fn single_glyph_name(name: &str) -> Option<String> {
    if let Some(t) = glyphname_to_unicode(name) {
        return Some(t.to_string());
    }
    let hex_chars = |hex: &str, width: usize| -> Option<String> {
        if hex.is_empty()
            || !hex.len().is_multiple_of(width)
            || !hex.bytes().all(|b| b.is_ascii_hexdigit())
        {
            return None;
        }
        (0..hex.len() / width)
            .map(|i| {
                u32::from_str_radix(&hex[i * width..(i + 1) * width], 16)
                    .ok()
                    .and_then(char::from_u32)
            })
            .collect()
    };
    if let Some(hex) = name.strip_prefix("uni") {
        return hex_chars(hex, 4);
    }
    if let Some(hex) = name.strip_prefix('u') {
        if (4..=6).contains(&hex.len()) {
            return hex_chars(hex, hex.len());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glyph_names_decode() {
        assert_eq!(glyph_name_to_text("comma").as_deref(), Some(","));
        assert_eq!(glyph_name_to_text("uni4E00").as_deref(), Some("一"));
        assert_eq!(glyph_name_to_text("uni4E004E8C").as_deref(), Some("一二"));
        assert_eq!(glyph_name_to_text("u20000").as_deref(), Some("\u{20000}"));
        assert_eq!(glyph_name_to_text("f_f").as_deref(), Some("ff"));
        assert_eq!(glyph_name_to_text("one.oldstyle").as_deref(), Some("1"));
        assert_eq!(glyph_name_to_text("g123"), None);
        assert_eq!(
            glyph_name_to_text("uniD800"),
            None,
            "a lone surrogate is no character"
        );
    }

    #[test]
    fn base_tables_differ_where_they_should() {
        let win = BaseEncoding::WinAnsi.to_table();
        let std = BaseEncoding::Standard.to_table();
        let mac = BaseEncoding::MacRoman.to_table();
        assert_eq!(win[0x80].as_deref(), Some("€"));
        assert_eq!(std[0x27].as_deref(), Some("’"), "quoteright");
        assert_eq!(win[0x27].as_deref(), Some("'"));
        assert_eq!(mac[0x80].as_deref(), Some("Ä"));
        assert_eq!(win[0x41].as_deref(), Some("A"));
    }
}
