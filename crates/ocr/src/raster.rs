//! The page as one grey bitmap: images composed at their placement, the tilt measured and
//! taken out, and the rulings found as long dark runs.

use crate::decode::Pixels;
use cnbudget_pdf::{Orientation, PlacedImage, Rect, Rule};
use image::{GrayImage, Luma};

/// Paints `pixels` (placed by `image`) onto `page`, `scale` pixels per point. Nearest
/// neighbour: the bitmap is rendered near the scan's own resolution, so nothing is gained
/// by smoothing, and a stencil mask only ever darkens.
pub(crate) fn compose(page: &mut GrayImage, scale: f64, image: &PlacedImage, pixels: &Pixels) {
    let [a, b, c, d, e, f] = image.transform;
    // page point (x, y) = (a u + c v + e, b u + d v + f); invert for (u, v) in the unit square.
    let det = a * d - b * c;
    if det.abs() < 1e-12 {
        return;
    }
    let (pw, ph) = (page.width() as i64, page.height() as i64);
    let x0 = ((image.bbox.x0 * scale).floor() as i64).clamp(0, pw);
    let x1 = ((image.bbox.x1 * scale).ceil() as i64).clamp(0, pw);
    let y0 = ((image.bbox.y0 * scale).floor() as i64).clamp(0, ph);
    let y1 = ((image.bbox.y1 * scale).ceil() as i64).clamp(0, ph);
    let (iw, ih) = (pixels.width as f64, pixels.height as f64);
    for py in y0..y1 {
        let y = (py as f64 + 0.5) / scale - f;
        for px in x0..x1 {
            let x = (px as f64 + 0.5) / scale - e;
            let u = (d * x - c * y) / det;
            let v = (-b * x + a * y) / det;
            if !(0.0..1.0).contains(&u) || !(0.0..=1.0).contains(&v) {
                continue;
            }
            // Row 0 of the image is at v = 1.
            let col = ((u * iw) as usize).min(pixels.width as usize - 1);
            let row = (((1.0 - v) * ih) as usize).min(pixels.height as usize - 1);
            let g = pixels.grey[row * pixels.width as usize + col];
            if pixels.stencil && g != 0 {
                continue;
            }
            page.put_pixel(px as u32, py as u32, Luma([g]));
        }
    }
}

/// The text's tilt in degrees (positive: lines fall to the right, as y grows downwards),
/// from the projection profile of the dark pixels: sheared by the right angle, text lines
/// and rulings pile into few rows, so the profile's steps are steepest. Good to about one
/// pixel across the page (0.06° at 1000 pixels). Searched over
/// ±3° in 0.1° steps, then in 0.02° steps around the best.
pub(crate) fn skew_degrees(page: &GrayImage) -> f64 {
    // Work on about 1000 pixels across: enough for 0.05° over a page width.
    let step = (page.width() / 1000).max(1);
    let mut dark = Vec::new();
    for y in (0..page.height()).step_by(step as usize) {
        for x in (0..page.width()).step_by(step as usize) {
            if page.get_pixel(x, y).0[0] < 128 {
                dark.push(((x / step) as f64, (y / step) as f64));
            }
        }
    }
    if dark.len() < 100 {
        return 0.0;
    }
    let rows = (page.height() / step) as usize;
    let width = (page.width() / step) as f64;
    let mut counts = vec![0u32; rows + 2 * (width * 0.06) as usize + 4];
    let offset = width * 0.06 + 2.0;
    let mut score = |deg: f64| -> f64 {
        counts.iter_mut().for_each(|c| *c = 0);
        let t = deg.to_radians().tan();
        for &(x, y) in &dark {
            let r = (y - x * t + offset) as usize;
            if let Some(c) = counts.get_mut(r) {
                *c += 1;
            }
        }
        // Squared steps between neighbouring rows: sharper than squared counts, since a
        // level ruling or text line starts and ends on one row.
        counts
            .windows(2)
            .map(|w| {
                let d = w[1] as f64 - w[0] as f64;
                d * d
            })
            .sum()
    };
    let best = |lo: f64, hi: f64, by: f64, score: &mut dyn FnMut(f64) -> f64| {
        let n = ((hi - lo) / by).round() as i64;
        (0..=n)
            .map(|k| lo + k as f64 * by)
            .map(|deg| (deg, score(deg)))
            .fold((0.0, f64::MIN), |acc, x| if x.1 > acc.1 { x } else { acc })
            .0
    };
    let coarse = best(-3.0, 3.0, 0.1, &mut score);
    best(coarse - 0.1, coarse + 0.1, 0.02, &mut score)
}

/// The page turned by `-degrees` about its centre, so a tilt measured by [`skew_degrees`]
/// comes out level; what the turn uncovers is white.
pub(crate) fn deskew(page: &GrayImage, degrees: f64) -> GrayImage {
    imageproc::geometric_transformations::rotate_about_center(
        page,
        (-degrees).to_radians() as f32,
        imageproc::geometric_transformations::Interpolation::Bilinear,
        Luma([255]),
    )
}

/// Horizontal and vertical rulings of a level page, in points: runs of pixels at
/// [`ruling_level`] or darker at least 30 pt long across or 14 pt down (gaps of about a
/// point, from scan noise, bridged), runs in neighbouring rows (columns) joined, and anything
/// thicker than 4 pt dropped.
///
/// `words` are the boxes (in points) of the words recognised on the page. No ruling runs
/// through the middle of a word: there the strokes of small print, their gaps bridged, would
/// read as one (a horizontal through a line of text, a vertical through characters of cells
/// above one another and the ruling between them). A long vertical is looked for without
/// them, since a word's box may reach over a cell divider.
pub(crate) fn rulings(page: &GrayImage, scale: f64, words: &[Rect]) -> Vec<Rule> {
    let threshold = ruling_level(page);
    let (w, h) = (page.width() as usize, page.height() as usize);
    let dark: Vec<bool> = page.as_raw().iter().map(|&g| g <= threshold).collect();
    let gap = (scale * 1.0).round().max(1.0) as usize; // about a point
    let max_thick = (4.0 * scale).ceil() as usize;
    let long = (40.0 * scale) as usize;
    let near = (3.0 * scale) as usize;
    let transpose =
        |mask: &[bool]| -> Vec<bool> { (0..w * h).map(|i| mask[(i % h) * w + i / h]).collect() };
    let thin = |g: &Group| g.last - g.first < max_thick;
    let horizontal: Vec<Group> = join(runs(
        &without_words(&dark, w, h, scale, words, false),
        w,
        h,
        gap,
        (30.0 * scale) as usize,
    ))
    .into_iter()
    .filter(thin)
    .collect();
    let short = (14.0 * scale) as usize;
    let long_vertical: Vec<Group> = join(runs(&transpose(&dark), h, w, gap, short))
        .into_iter()
        .filter(|g| thin(g) && g.to - g.from >= long)
        .collect();
    // A shorter vertical counts only where it meets a horizontal ruling at both ends (a cell
    // divider) and is not part of a long one; else it is a stroke of large print (a title's
    // 丨).
    let ruled_at = |x: usize, y: usize| {
        horizontal.iter().any(|hg| {
            hg.from <= x + near && x <= hg.to + near && y + near >= hg.first && y <= hg.last + near
        })
    };
    let on_long = |g: &Group| {
        long_vertical.iter().any(|l| {
            g.first <= l.last + near
                && l.first <= g.last + near
                && g.from + near >= l.from
                && g.to <= l.to + near
        })
    };
    let short_vertical = join(runs(
        &transpose(&without_words(&dark, w, h, scale, words, true)),
        h,
        w,
        gap,
        short,
    ))
    .into_iter()
    .filter(|g| {
        let x = (g.first + g.last) / 2;
        thin(g) && g.to - g.from < long && ruled_at(x, g.from) && ruled_at(x, g.to) && !on_long(g)
    })
    .collect::<Vec<_>>();
    let mut rules = Vec::new();
    let horizontal = horizontal.into_iter().map(|g| (g, Orientation::Horizontal));
    let vertical = long_vertical
        .into_iter()
        .chain(short_vertical)
        .map(|g| (g, Orientation::Vertical));
    for (g, orientation) in horizontal.chain(vertical) {
        let thick = g.last - g.first + 1;
        let across = (g.first + g.last + 1) as f64 / 2.0 / scale;
        let (from, to) = (g.from as f64 / scale, g.to as f64 / scale);
        let width = thick as f64 / scale;
        rules.push(match orientation {
            Orientation::Horizontal => Rule {
                x0: from,
                y0: across,
                x1: to,
                y1: across,
                orientation,
                width,
            },
            _ => Rule {
                x0: across,
                y0: from,
                x1: across,
                y1: to,
                orientation,
                width,
            },
        });
    }
    rules
}

/// `mask` with the middle of every word cleared: its middle half from top to bottom, and
/// with `inset` a quarter of its height in from either end too (so that a divider its box
/// reaches over at an end is kept).
fn without_words(
    mask: &[bool],
    w: usize,
    h: usize,
    scale: f64,
    words: &[Rect],
    inset: bool,
) -> Vec<bool> {
    let mut out = mask.to_vec();
    let px = |v: f64, n: usize| ((v * scale).round().max(0.0) as usize).min(n);
    for b in words {
        let quarter = (b.y1 - b.y0) / 4.0;
        let end = if inset { quarter } else { 0.0 };
        let (x0, x1) = (px(b.x0 + end, w), px(b.x1 - end, w));
        if x0 >= x1 {
            continue;
        }
        for y in px(b.y0 + quarter, h)..px(b.y1 - quarter, h) {
            out[y * w + x0..y * w + x1].fill(false);
        }
    }
    out
}

/// The grey level at and below which a pixel may belong to a ruling: clearly darker than the
/// paper (its median level), not as dark as print. Scanned rulings are often hairlines lighter
/// than the text (about 190 on paper of 245 in a Beijing budget at 200 dpi), and the
/// smoothing of a deskew lightens them further, to about 205-215: Otsu's ink level put them
/// half in and half out, and the grid came out in pieces.
fn ruling_level(page: &GrayImage) -> u8 {
    let mut counts = [0usize; 256];
    for &g in page.as_raw() {
        counts[g as usize] += 1;
    }
    let half = page.as_raw().len() / 2;
    let mut seen = 0;
    let paper = counts
        .iter()
        .position(|&c| {
            seen += c;
            seen > half
        })
        .unwrap_or(255) as u8;
    paper.saturating_sub(PAPER_MARGIN).clamp(64, 230)
}

/// How much darker than the paper a ruling's pixel is at least: above the grain of a scan's
/// paper and the light shading of header cells (about 13 levels in the Beijing budget).
const PAPER_MARGIN: u8 = 24;

/// A run of dark pixels along a line: line index, start, end (exclusive).
type Run = (usize, usize, usize);

/// Runs at least `min` long in each of `lines` lines of `len` pixels, bridging gaps of up to
/// `gap` pixels.
fn runs(mask: &[bool], len: usize, lines: usize, gap: usize, min: usize) -> Vec<Run> {
    let mut out = Vec::new();
    for line in 0..lines {
        let row = &mask[line * len..(line + 1) * len];
        let mut start: Option<usize> = None;
        let mut last = 0;
        for (i, &d) in row.iter().enumerate() {
            if !d {
                continue;
            }
            match start {
                Some(s) if i - last > gap + 1 => {
                    if last + 1 - s >= min {
                        out.push((line, s, last + 1));
                    }
                    start = Some(i);
                }
                None => start = Some(i),
                _ => {}
            }
            last = i;
        }
        if let Some(s) = start {
            if last + 1 - s >= min {
                out.push((line, s, last + 1));
            }
        }
    }
    out
}

/// Runs joined across neighbouring lines: lines `first..=last`, extent `from..to`.
struct Group {
    first: usize,
    last: usize,
    from: usize,
    to: usize,
}

/// Joins runs in adjacent lines that overlap or touch along the line (a residual tilt turns a
/// ruling into a staircase of runs).
fn join(runs: Vec<Run>) -> Vec<Group> {
    let mut done: Vec<Group> = Vec::new();
    let mut open: Vec<Group> = Vec::new();
    for (line, s, e) in runs {
        let mut k = 0;
        while k < open.len() {
            if open[k].last + 1 < line {
                done.push(open.swap_remove(k));
            } else {
                k += 1;
            }
        }
        match open
            .iter_mut()
            .find(|g| g.last + 1 >= line && s <= g.to + 2 && e + 2 >= g.from)
        {
            Some(g) => {
                g.last = line;
                g.from = g.from.min(s);
                g.to = g.to.max(e);
            }
            None => open.push(Group {
                first: line,
                last: line,
                from: s,
                to: e,
            }),
        }
    }
    done.extend(open);
    done
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A white page with a 2-px ruled box and a few "text lines" of short dashes.
    fn ruled(w: u32, h: u32) -> GrayImage {
        let mut img = GrayImage::from_pixel(w, h, Luma([255]));
        for x in 100..900 {
            for t in 0..2 {
                img.put_pixel(x, 200 + t, Luma([0]));
                img.put_pixel(x, 600 + t, Luma([0]));
            }
        }
        for y in 200..602 {
            for t in 0..2 {
                img.put_pixel(100 + t, y, Luma([0]));
                img.put_pixel(500 + t, y, Luma([0]));
                img.put_pixel(898 + t, y, Luma([0]));
            }
        }
        // A title's vertical stroke (18 pt), meeting no ruling: no ruling itself.
        for y in 50..86 {
            for t in 0..3 {
                img.put_pixel(700 + t, y, Luma([0]));
            }
        }
        for line in 0..8 {
            for x in (120..480).filter(|x| x % 20 < 14) {
                for t in 0..10 {
                    img.put_pixel(x, 230 + line * 45 + t, Luma([0]));
                }
            }
        }
        img
    }

    #[test]
    fn rulings_of_a_ruled_box_in_points() {
        // 2 px per point.
        let rules = rulings(&ruled(1000, 800), 2.0, &[]);
        let h = horizontals(&rules);
        let v: Vec<_> = rules
            .iter()
            .filter(|r| r.orientation == Orientation::Vertical)
            .map(|r| (r.x0, r.y0, r.y1))
            .collect();
        assert_eq!(h.len(), 2, "{h:?}");
        assert!(h.contains(&(50.0, 100.5, 450.0)), "{h:?}");
        assert!(h.contains(&(50.0, 300.5, 450.0)), "{h:?}");
        // The text dashes (7 pt long, 5 pt high) and the title's stroke are no rulings.
        assert_eq!(v.len(), 3, "{v:?}");
        assert!(v.contains(&(250.5, 100.0, 301.0)), "{v:?}");
    }

    /// Horizontal rulings of a page: (x0, y, x1).
    fn horizontals(rules: &[Rule]) -> Vec<(f64, f64, f64)> {
        rules
            .iter()
            .filter(|r| r.orientation == Orientation::Horizontal)
            .map(|r| (r.x0, r.y0, r.x1))
            .collect()
    }

    #[test]
    fn grey_hairlines_lighter_than_the_print_are_rulings() {
        // Regression: a Beijing budget scanned at 200 dpi prints its grid in grey hairlines
        // (about 190 on paper of 245) beside black print; Otsu's ink level left them out
        // and the grid came out in pieces.
        let mut img = GrayImage::from_pixel(1000, 800, Luma([245]));
        for x in 100..900 {
            img.put_pixel(x, 200, Luma([195]));
            img.put_pixel(x, 600, Luma([195]));
        }
        // Dense black print over the bottom fifth: Otsu's ink level falls far below the
        // hairlines' grey.
        for y in 620..800 {
            for x in 0..1000 {
                img.put_pixel(x, y, Luma([if (x / 4 + y / 4) % 5 < 2 { 20 } else { 245 }]));
            }
        }
        let h = horizontals(&rulings(&img, 2.0, &[]));
        assert!(h.contains(&(50.0, 100.25, 450.0)), "{h:?}");
        assert!(h.contains(&(50.0, 300.25, 450.0)), "{h:?}");
    }

    #[test]
    fn strokes_through_a_word_are_no_ruling() {
        // Regression: in small print whose strokes nearly touch, a line of text read, its
        // gaps bridged, as a horizontal ruling, and a character's stroke joined to the
        // rulings above and below its cell as a cell divider.
        let mut img = ruled(1000, 800);
        for x in 500..900 {
            img.put_pixel(x, 260, Luma([0]));
        }
        for y in 202..258 {
            img.put_pixel(700, y, Luma([0]));
        }
        for x in (520..880).filter(|x| x % 6 < 5) {
            img.put_pixel(x, 400, Luma([0]));
        }
        // The words' boxes, in points (2 px per point): the cell's text over the stroke,
        // and the line of text.
        let words = [
            Rect {
                x0: 330.0,
                y0: 105.0,
                x1: 370.0,
                y1: 125.0,
            },
            Rect {
                x0: 255.0,
                y0: 195.0,
                x1: 445.0,
                y1: 205.0,
            },
        ];
        let verticals = |rules: &[Rule]| -> Vec<f64> {
            let mut v: Vec<f64> = rules
                .iter()
                .filter(|r| r.orientation == Orientation::Vertical)
                .map(|r| r.x0)
                .collect();
            v.sort_by(f64::total_cmp);
            v
        };
        let unmasked = rulings(&img, 2.0, &[]);
        assert_eq!(
            horizontals(&unmasked).len(),
            4,
            "{:?}",
            horizontals(&unmasked)
        );
        assert_eq!(verticals(&unmasked), [50.5, 250.5, 350.25, 449.5]);
        let rules = rulings(&img, 2.0, &words);
        let h = horizontals(&rules);
        assert_eq!(h.len(), 3, "{h:?}");
        assert!(h.contains(&(250.0, 130.25, 450.0)), "{h:?}");
        assert_eq!(verticals(&rules), [50.5, 250.5, 449.5]);
    }

    #[test]
    fn a_tilt_is_measured_and_taken_out() {
        // Under the tilt the reader leaves alone.
        const MIN: f64 = crate::MIN_SKEW;
        let level = ruled(1000, 800);
        let flat = skew_degrees(&level);
        assert!(flat.abs() < MIN, "{flat}");
        // Turned by +1.5° (imageproc turns clockwise on screen for a positive angle: lines
        // fall to the right).
        let tilted = imageproc::geometric_transformations::rotate_about_center(
            &level,
            1.5f32.to_radians(),
            imageproc::geometric_transformations::Interpolation::Bilinear,
            Luma([255]),
        );
        let skew = skew_degrees(&tilted);
        assert!((skew - 1.5).abs() < MIN, "{skew}");
        let straight = deskew(&tilted, skew);
        assert!(skew_degrees(&straight).abs() < MIN);
        // Level again, the rulings come back whole.
        let h = rulings(&straight, 2.0, &[])
            .into_iter()
            .filter(|r| r.orientation == Orientation::Horizontal && r.x1 - r.x0 > 390.0)
            .count();
        assert_eq!(h, 2);
    }

    #[test]
    fn images_compose_at_their_placement_and_stencils_only_darken() {
        let mut page = GrayImage::from_pixel(20, 10, Luma([200]));
        // A 2×1 image (black, white) over points x 0..10, y 0..5, row 0 on top; scale 1.
        let placed = PlacedImage {
            object: (1, 0),
            bbox: Rect {
                x0: 0.0,
                y0: 0.0,
                x1: 10.0,
                y1: 5.0,
            },
            transform: [10.0, 0.0, 0.0, -5.0, 0.0, 5.0],
        };
        let image = Pixels {
            width: 2,
            height: 1,
            grey: vec![0, 255],
            stencil: false,
        };
        compose(&mut page, 1.0, &placed, &image);
        assert_eq!(page.get_pixel(2, 2).0[0], 0);
        assert_eq!(page.get_pixel(7, 2).0[0], 255);
        assert_eq!(page.get_pixel(12, 2).0[0], 200);
        let stencil = Pixels {
            stencil: true,
            grey: vec![255, 0],
            ..image
        };
        compose(&mut page, 1.0, &placed, &stencil);
        assert_eq!(
            page.get_pixel(2, 2).0[0],
            0,
            "unpainted keeps what was there"
        );
        assert_eq!(page.get_pixel(7, 2).0[0], 0);
    }
}
