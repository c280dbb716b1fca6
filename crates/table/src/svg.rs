//! `cnbudget inspect`: the page drawn as SVG with what each stage saw over it — glyph boxes
//! (grey), rules (red), tables (blue), cells (blue outlines, header cells yellow), title,
//! label, meta and notes (green) — so a user sees why a figure landed where it did.

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

/// The SVG of one page with its glyphs, rules and the tables found on it.
pub fn page_svg(page: &Page, tables: &[Table]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w:.2} {h:.2}" width="{w2:.0}" height="{h2:.0}" font-family="sans-serif">"#,
        w = page.width,
        h = page.height,
        w2 = page.width * 1.5,
        h2 = page.height * 1.5
    );
    rect(
        &mut out,
        &Rect {
            x0: 0.0,
            y0: 0.0,
            x1: page.width,
            y1: page.height,
        },
        r#"fill="white" stroke="black""#,
    );
    for t in tables {
        for (p, b) in &t.boxes {
            if *p == page.number {
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
        for c in t.cells.iter().filter(|c| c.page == page.number) {
            let style = if c.row < t.header_rows {
                r##"fill="#ffe680" fill-opacity="0.35" stroke="#1e64ff" stroke-width="0.4""##
            } else {
                r##"fill="none" stroke="#1e64ff" stroke-width="0.4""##
            };
            rect(&mut out, &c.bbox, style);
        }
        let furniture = t.title.iter().chain(&t.meta).chain(&t.notes);
        for l in furniture.filter(|l| l.page == page.number) {
            rect(
                &mut out,
                &l.bbox,
                r##"fill="#20c060" fill-opacity="0.15" stroke="#20a050" stroke-dasharray="2 1" stroke-width="0.5""##,
            );
        }
    }
    for r in &page.rules {
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
        if g.text.trim().is_empty() {
            continue;
        }
        rect(
            &mut out,
            &g.bbox,
            r##"fill="none" stroke="#999" stroke-width="0.15""##,
        );
        let size = (g.bbox.height() * 0.75).max(1.0);
        let _ = writeln!(
            out,
            r#"<text x="{:.2}" y="{:.2}" font-size="{size:.2}">{}</text>"#,
            g.bbox.x0,
            g.bbox.y1 - g.bbox.height() * 0.18,
            esc(&g.text)
        );
    }
    out.push_str("</svg>\n");
    out
}
