//! `cnbudget inspect`: the page drawn as SVG with what each stage saw over it — glyph boxes
//! (grey), rules (red), tables (blue), cells (blue outlines, header cells yellow), title,
//! label, meta and notes (green) — so a user sees why a figure landed where it did. The
//! same drawing, cut to a region around one cell, is the picture `cnbudget report` shows of a
//! printed figure.

use crate::model::{Method, Table};
use cnbudget_pdf::{Orientation, Page, Rect};
use std::fmt::Write;

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn rect(out: &mut String, r: &Rect, style: &str) {
    let _ = writeln!(
        out,
        r#"<rect x="{:.2}" y="{:.2}" width="{:.2}" height="{:.2}" {style}/>"#,
        r.x0,
        r.y0,
        r.width().max(0.1),
        r.height().max(0.1)
    );
}

/// What part of a page to draw, and how.
#[derive(Debug, Clone, Copy)]
pub struct View {
    /// The region drawn (points, upright page frame); what lies wholly outside is left out.
    pub region: Rect,
    /// Drawn pixels per point.
    pub scale: f64,
    /// Grey glyph boxes under the text: `inspect` shows how glyphs were read, a picture for a
    /// reader is clearer without them.
    pub glyph_boxes: bool,
    /// A box outlined in orange over everything (the cell a finding is about).
    pub mark: Option<Rect>,
}

impl View {
    /// The whole page at 1.5 px per point, glyph boxes drawn: what `inspect` writes.
    pub fn page(page: &Page) -> View {
        View {
            region: Rect {
                x0: 0.0,
                y0: 0.0,
                x1: page.width,
                y1: page.height,
            },
            scale: 1.5,
            glyph_boxes: true,
            mark: None,
        }
    }
}

fn meets(a: &Rect, b: &Rect) -> bool {
    a.x0 <= b.x1 && b.x0 <= a.x1 && a.y0 <= b.y1 && b.y0 <= a.y1
}

/// The SVG of one page with its glyphs, rules and the tables found on it.
pub fn page_svg(page: &Page, tables: &[Table]) -> String {
    view_svg(page, tables, &View::page(page))
}

/// The SVG of a region of a page: glyphs, rules and the given tables that meet it.
pub fn view_svg(page: &Page, tables: &[Table], view: &View) -> String {
    let v = &view.region;
    let mut out = String::new();
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="{x:.2} {y:.2} {w:.2} {h:.2}" width="{w2:.0}" height="{h2:.0}" font-family="sans-serif">"#,
        x = v.x0,
        y = v.y0,
        w = v.width(),
        h = v.height(),
        w2 = v.width() * view.scale,
        h2 = v.height() * view.scale
    );
    rect(&mut out, v, r#"fill="white" stroke="black""#);
    for t in tables {
        for (p, b) in &t.boxes {
            if *p == page.number && meets(b, v) {
                let fill = if t.method == Method::Lattice {
                    "#1e64ff"
                } else {
                    "#9b30ff"
                };
                rect(
                    &mut out,
                    b,
                    &format!(
                        r#"fill="{fill}" fill-opacity="0.08" stroke="{fill}" stroke-width="1.5""#
                    ),
                );
            }
        }
        for c in t
            .cells
            .iter()
            .filter(|c| c.page == page.number && meets(&c.bbox, v))
        {
            let style = if c.row < t.header_rows {
                r##"fill="#ffe680" fill-opacity="0.35" stroke="#1e64ff" stroke-width="0.4""##
            } else {
                r##"fill="none" stroke="#1e64ff" stroke-width="0.4""##
            };
            rect(&mut out, &c.bbox, style);
        }
        let furniture = t.title.iter().chain(&t.meta).chain(&t.notes);
        for l in furniture.filter(|l| l.page == page.number && meets(&l.bbox, v)) {
            rect(
                &mut out,
                &l.bbox,
                r##"fill="#20c060" fill-opacity="0.15" stroke="#20a050" stroke-dasharray="2 1" stroke-width="0.5""##,
            );
        }
    }
    for r in page.rules.iter().filter(|r| meets(&r.bbox(), v)) {
        match r.orientation {
            Orientation::Rect => rect(
                &mut out,
                &r.bbox(),
                r#"fill="none" stroke="red" stroke-width="0.3" stroke-dasharray="1 1""#,
            ),
            _ => {
                let _ = writeln!(
                    out,
                    r#"<line x1="{:.2}" y1="{:.2}" x2="{:.2}" y2="{:.2}" stroke="red" stroke-width="{:.2}"/>"#,
                    r.x0,
                    r.y0,
                    r.x1,
                    r.y1,
                    r.width.clamp(0.3, 2.0)
                );
            }
        }
    }
    for g in &page.glyphs {
        if g.text.trim().is_empty() || !meets(&g.bbox, v) {
            continue;
        }
        if view.glyph_boxes {
            rect(
                &mut out,
                &g.bbox,
                r##"fill="none" stroke="#999" stroke-width="0.15""##,
            );
        }
        let size = (g.bbox.height() * 0.75).max(1.0);
        let _ = writeln!(
            out,
            r#"<text x="{:.2}" y="{:.2}" font-size="{size:.2}">{}</text>"#,
            g.bbox.x0,
            g.bbox.y1 - g.bbox.height() * 0.18,
            esc(&g.text)
        );
    }
    if let Some(m) = &view.mark {
        rect(
            &mut out,
            m,
            r##"fill="#ff8c00" fill-opacity="0.12" stroke="#ff8c00" stroke-width="1""##,
        );
    }
    out.push_str("</svg>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use cnbudget_pdf::{Document, Limits};

    #[test]
    fn a_view_draws_the_region_and_its_mark_only() {
        let g = cnbudget_synth::generate(7, 0);
        let doc = Document::from_bytes(&g.pdf, "synth.pdf", Limits::default()).unwrap();
        let page = doc.page(1).unwrap();
        let shown: Vec<_> = page
            .glyphs
            .iter()
            .filter(|g| !g.text.trim().is_empty())
            .collect();
        let (first, last) = (shown[0], shown[shown.len() - 1]);
        assert!(last.bbox.y0 > first.bbox.y1 + 100.0, "glyphs far apart");
        let region = Rect {
            x0: first.bbox.x0 - 5.0,
            y0: first.bbox.y0 - 5.0,
            x1: first.bbox.x1 + 5.0,
            y1: first.bbox.y1 + 5.0,
        };
        let svg = view_svg(
            &page,
            &[],
            &View {
                region,
                scale: 2.0,
                glyph_boxes: false,
                mark: Some(first.bbox),
            },
        );
        let texts = svg.matches("<text").count();
        assert!(
            texts >= 1 && texts < shown.len(),
            "{texts} of {}",
            shown.len()
        );
        assert!(svg.contains(&format!(">{}</text>", esc(&first.text))));
        assert!(svg.contains("#ff8c00"), "the mark is drawn");
        assert!(!svg.contains(r##"stroke="#999""##), "no glyph boxes");
        let whole = page_svg(&page, &[]);
        assert_eq!(whole.matches("<text").count(), shown.len());
    }
}
