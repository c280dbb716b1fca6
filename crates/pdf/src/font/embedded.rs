//! The embedded font program's own `cmap`, reversed from glyph id to Unicode: the last
//! resort for `Identity-H` fonts whose `/ToUnicode` is missing or incomplete.

use crate::hash::IntMap;

/// Glyph id → character, built from every Unicode subtable of an embedded TrueType/OpenType font.
#[derive(Debug, Default)]
pub(crate) struct ReverseCmap(IntMap<u16, char>);

impl ReverseCmap {
    /// Reads the font program; `None` when it cannot be parsed or has no Unicode `cmap`.
    pub(crate) fn from_font_program(data: &[u8]) -> Option<ReverseCmap> {
        let face = ttf_parser::Face::parse(data, 0).ok()?;
        let mut map = IntMap::default();
        for sub in face.tables().cmap?.subtables {
            if !sub.is_unicode() {
                continue;
            }
            sub.codepoints(|cp| {
                if let (Some(gid), Some(ch)) = (sub.glyph_index(cp), char::from_u32(cp)) {
                    // Prefer the lowest code point for a glyph shared by several (e.g. a CJK
                    // ideograph and its compatibility twin).
                    map.entry(gid.0)
                        .and_modify(|c: &mut char| *c = (*c).min(ch))
                        .or_insert(ch);
                }
            });
        }
        (!map.is_empty()).then_some(ReverseCmap(map))
    }

    /// The character drawn by a glyph id.
    pub(crate) fn get(&self, gid: u16) -> Option<char> {
        self.0.get(&gid).copied()
    }
}
