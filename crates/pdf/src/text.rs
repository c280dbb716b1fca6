//! Lines of text in reading order, rebuilt from glyph positions: what `cnbudget text` prints.

use crate::geom::Rect;
use crate::model::{Glyph, Page};
use serde::Serialize;

/// A gap wider than this fraction of the font size between two glyphs is a space.
const SPACE_GAP: f64 = 0.2;

/// One line: glyphs whose vertical centres agree, left to right.
#[derive(Debug, Clone, Serialize)]
pub struct Line {
    /// The union of the line's glyph boxes.
    pub bbox: Rect,
    /// The text, with one space where glyphs stand apart.
    pub text: String,
    /// Indices into [`Page::glyphs`], left to right.
    pub glyphs: Vec<usize>,
}

/// Whether a character is East Asian wide (CJK ideographs, kana, hangul, full-width forms):
/// two columns of a fixed-pitch line (Unicode's East Asian Width, by `unicode-width`).
pub fn is_wide(c: char) -> bool {
    unicode_width::UnicodeWidthChar::width(c) == Some(2)
}

/// Groups the page's visible glyphs into lines, top to bottom.
pub fn lines(page: &Page) -> Vec<Line> {
    lines_of(&page.glyphs, 0..page.glyphs.len())
}

/// Groups the chosen glyphs (indices into `glyphs`) into lines, top to bottom; whitespace
/// glyphs are left out, gaps decide where spaces go.
pub fn lines_of(glyphs: &[Glyph], chosen: impl IntoIterator<Item = usize>) -> Vec<Line> {
    // (centre, left, index): the keys computed once, not at each of the sort's comparisons.
    let mut order: Vec<(f64, f64, usize)> = chosen
        .into_iter()
        .filter_map(|i| {
            let g = glyphs.get(i).filter(|g| !g.text.trim().is_empty())?;
            Some((g.bbox.center().1, g.bbox.x0, i))
        })
        .collect();
    order.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    let mut groups: Vec<(f64, f64, Vec<usize>)> = Vec::new(); // (centre, height, members)
    for (c, _, i) in order {
        let h = glyphs[i].bbox.height().max(0.1);
        match groups.last_mut() {
            Some((lc, lh, members)) if (c - *lc).abs() < 0.4 * lh.min(h) => members.push(i),
            _ => groups.push((c, h, vec![i])),
        }
    }
    groups
        .into_iter()
        .map(|(_, _, mut members)| {
            members.sort_by(|&a, &b| glyphs[a].bbox.x0.total_cmp(&glyphs[b].bbox.x0));
            let bbox = members
                .iter()
                .map(|&i| glyphs[i].bbox)
                .reduce(|a, b| a.union(&b))
                .unwrap_or_default();
            let mut text = String::new();
            let mut prev: Option<&Glyph> = None;
            for &i in &members {
                let g = &glyphs[i];
                if let Some(p) = prev {
                    if g.bbox.x0 - p.bbox.x1 > SPACE_GAP * p.font_size.max(g.font_size) {
                        text.push(' ');
                    }
                }
                text.push_str(&g.text);
                prev = Some(g);
            }
            Line {
                bbox,
                text,
                glyphs: members,
            }
        })
        .collect()
}

/// The page as text: one line per [`Line`]; with `layout`, glyphs are placed on a fixed-pitch
/// grid so that columns stay aligned (as `pdftotext -layout` does).
pub fn page_text(page: &Page, layout: bool) -> String {
    let lines = lines(page);
    let mut out = String::new();
    if !layout {
        for l in &lines {
            out.push_str(&l.text);
            out.push('\n');
        }
        return out;
    }
    // The pitch is half the most common font size: one column per Latin glyph, two per CJK one.
    let mut sizes: Vec<f64> = page
        .glyphs
        .iter()
        .map(|g| g.font_size)
        .filter(|s| *s > 0.5)
        .collect();
    sizes.sort_by(f64::total_cmp);
    let pitch = (sizes.get(sizes.len() / 2).copied().unwrap_or(10.0) / 2.0).max(1.0);
    let mut prev_bottom: Option<(f64, f64)> = None;
    for l in &lines {
        if let Some((bottom, h)) = prev_bottom {
            if l.bbox.y0 - bottom > 1.2 * h {
                out.push('\n');
            }
        }
        prev_bottom = Some((l.bbox.y1, l.bbox.height()));
        let mut col = 0usize;
        let mut prev_x1: Option<f64> = None;
        for &i in &l.glyphs {
            let g = &page.glyphs[i];
            let want = (g.bbox.x0.max(0.0) / pitch).round() as usize;
            let gap = prev_x1.is_some_and(|x1| g.bbox.x0 - x1 > SPACE_GAP * g.font_size);
            let target = if want > col {
                want
            } else {
                col + usize::from(gap && col > 0)
            };
            out.extend(std::iter::repeat_n(' ', target - col));
            col = target;
            out.push_str(&g.text);
            col += g
                .text
                .chars()
                .map(|c| if is_wide(c) { 2 } else { 1 })
                .sum::<usize>();
            prev_x1 = Some(g.bbox.x1);
        }
        out.push('\n');
    }
    out
}
