//! The report's charts, drawn by plotters as SVG strings.

use crate::{ReportError, Result};
use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

const FONT: &str = "sans-serif";

fn chart_error(chart: &'static str) -> impl Fn(String) -> ReportError {
    move |message| ReportError::Chart { chart, message }
}

/// A colour of the categorical palette, as plotters and as CSS (for the HTML legend).
pub fn colour(i: usize) -> (RGBColor, String) {
    let (r, g, b) = Palette99::pick(i).rgb();
    (RGBColor(r, g, b), format!("#{r:02x}{g:02x}{b:02x}"))
}

/// One bar of a stacked bar chart: a label and its segments (series index, value).
pub struct Bar {
    pub label: String,
    pub segments: Vec<(usize, f64)>,
}

/// The item drawn in row `i` counted from the bottom (rows are drawn bottom up: the first
/// item takes the top row); none past the top: plotters asks for a row beyond the last when
/// the fonts installed leave it room (with fonts-arphic-uming, as `.ci/run` installs).
fn in_row<T>(items: &[T], i: u32) -> Option<&T> {
    let from_top = (items.len() as u32).checked_sub(i.checked_add(1)?)?;
    items.get(from_top as usize)
}

/// Horizontal stacked bars, first bar on top; `unit` names the value axis.
pub fn stacked_bars(bars: &[Bar], unit: &str) -> Result<String> {
    let err = chart_error("expenditure by function class");
    let n = bars.len() as u32;
    let max = bars
        .iter()
        .map(|b| b.segments.iter().map(|s| s.1).sum::<f64>())
        .fold(0.0, f64::max)
        .max(1.0);
    let height = 60 + 22 * n;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (1100, height)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| err(e.to_string()))?;
        let mut chart = ChartBuilder::on(&root)
            .margin(10)
            .x_label_area_size(36)
            .y_label_area_size(330)
            .build_cartesian_2d(0.0..max * 1.02, (0..n).into_segmented())
            .map_err(|e| err(e.to_string()))?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(n as usize)
            .y_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) => {
                    in_row(bars, *i).map_or(String::new(), |b| b.label.clone())
                }
                _ => String::new(),
            })
            .x_label_formatter(&|v| crate::group_thousands(&format!("{v:.0}")))
            .x_desc(unit)
            .label_style((FONT, 12))
            .draw()
            .map_err(|e| err(e.to_string()))?;
        let rects = bars.iter().enumerate().flat_map(|(k, bar)| {
            let row = n - 1 - k as u32;
            let mut x = 0.0;
            bar.segments.iter().map(move |&(series, v)| {
                let mut r = Rectangle::new(
                    [
                        (x, SegmentValue::Exact(row)),
                        (x + v, SegmentValue::Exact(row + 1)),
                    ],
                    colour(series).0.filled(),
                );
                r.set_margin(3, 3, 0, 0);
                x += v;
                r
            })
        });
        chart.draw_series(rects).map_err(|e| err(e.to_string()))?;
        root.present().map_err(|e| err(e.to_string()))?;
    }
    Ok(svg)
}

/// One bar per value (a share in 0‥1), sorted ascending: how shares spread over documents.
pub fn shares(values: &[f64]) -> Result<String> {
    let err = chart_error("verified share across documents");
    let mut sorted: Vec<f64> = values.iter().map(|v| v * 100.0).collect();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len() as u32;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (1100, 320)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| err(e.to_string()))?;
        let mut chart = ChartBuilder::on(&root)
            .margin(10)
            .x_label_area_size(36)
            .y_label_area_size(50)
            .build_cartesian_2d((0..n).into_segmented(), 0.0..100.0)
            .map_err(|e| err(e.to_string()))?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            // One bar per document: no label under each (plotters loops on zero labels).
            .x_label_formatter(&|_| String::new())
            .x_desc(format!(
                "{n} documents with figures, sorted by verified share"
            ))
            .y_desc("verified %")
            .label_style((FONT, 12))
            .draw()
            .map_err(|e| err(e.to_string()))?;
        let bars = sorted.iter().enumerate().map(|(i, &v)| {
            // The bar: 99 % of a document's figures confirmed by an identity.
            let c = if v >= 99.0 {
                RGBColor(46, 139, 87)
            } else {
                RGBColor(230, 120, 30)
            };
            let mut r = Rectangle::new(
                [
                    (SegmentValue::Exact(i as u32), 0.0),
                    (SegmentValue::Exact(i as u32 + 1), v),
                ],
                c.filled(),
            );
            r.set_margin(0, 0, 1, 1);
            r
        });
        chart.draw_series(bars).map_err(|e| err(e.to_string()))?;
        root.present().map_err(|e| err(e.to_string()))?;
    }
    Ok(svg)
}

/// A grid of counts: rows × columns, each cell shaded by its count against its column's
/// total (`totals`) and the count written in it.
pub fn heat_grid(
    rows: &[String],
    columns: &[String],
    counts: &[Vec<u32>],
    totals: &[u32],
) -> Result<String> {
    let err = chart_error("table kinds per region");
    let (nr, nc) = (rows.len() as u32, columns.len() as u32);
    // Columns wide enough for a place name of four characters, unrotated.
    let width = 240 + 64 * nc.max(4);
    let height = 60 + 26 * nr;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| err(e.to_string()))?;
        let mut chart = ChartBuilder::on(&root)
            .margin(10)
            .x_label_area_size(30)
            .y_label_area_size(200)
            .build_cartesian_2d((0..nc).into_segmented(), (0..nr).into_segmented())
            .map_err(|e| err(e.to_string()))?;
        chart
            .configure_mesh()
            .disable_mesh()
            .x_labels(nc as usize)
            .y_labels(nr as usize)
            .x_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) => columns.get(*i as usize).cloned().unwrap_or_default(),
                _ => String::new(),
            })
            .y_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) => in_row(rows, *i).cloned().unwrap_or_default(),
                _ => String::new(),
            })
            .label_style((FONT, 12))
            .draw()
            .map_err(|e| err(e.to_string()))?;
        let cells: Vec<(u32, u32, u32, f64)> = counts
            .iter()
            .enumerate()
            .flat_map(|(r, line)| {
                line.iter().enumerate().map(move |(c, &count)| {
                    let total = totals.get(c).copied().unwrap_or(0).max(1);
                    (
                        c as u32,
                        nr - 1 - r as u32,
                        count,
                        f64::from(count) / f64::from(total),
                    )
                })
            })
            .collect();
        let shade = |share: f64| {
            let t = share.clamp(0.0, 1.0);
            let mix = |from: f64, to: f64| (from + (to - from) * t) as u8;
            RGBColor(mix(245.0, 30.0), mix(247.0, 100.0), mix(250.0, 200.0))
        };
        chart
            .draw_series(cells.iter().map(|&(x, y, _, share)| {
                let mut r = Rectangle::new(
                    [
                        (SegmentValue::Exact(x), SegmentValue::Exact(y)),
                        (SegmentValue::Exact(x + 1), SegmentValue::Exact(y + 1)),
                    ],
                    shade(share).filled(),
                );
                r.set_margin(1, 1, 1, 1);
                r
            }))
            .map_err(|e| err(e.to_string()))?;
        chart
            .draw_series(
                cells
                    .iter()
                    .filter(|c| c.2 > 0)
                    .map(|&(x, y, count, share)| {
                        let ink = if share > 0.5 { &WHITE } else { &BLACK };
                        Text::new(
                            count.to_string(),
                            (SegmentValue::CenterOf(x), SegmentValue::CenterOf(y)),
                            TextStyle::from((FONT, 12).into_font())
                                .color(ink)
                                .pos(Pos::new(HPos::Center, VPos::Center)),
                        )
                    }),
            )
            .map_err(|e| err(e.to_string()))?;
        root.present().map_err(|e| err(e.to_string()))?;
    }
    Ok(svg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charts_are_svg_with_their_labels() {
        let bars = [Bar {
            label: "审计局 2026".into(),
            segments: vec![(0, 10.0), (1, 5.0)],
        }];
        let svg = stacked_bars(&bars, "万元").unwrap();
        assert!(svg.starts_with("<svg") && svg.contains("审计局 2026"));
        assert!(shares(&[0.5, 1.0]).unwrap().contains("verified %"));
        let grid = heat_grid(
            &["summary".into()],
            &["北京".into(), "深圳".into()],
            &[vec![3, 0]],
            &[3, 2],
        )
        .unwrap();
        let squeezed: String = grid.split_whitespace().collect();
        assert!(squeezed.contains("北京") && squeezed.contains(">3</text>"));
    }

    /// Regression: with a CJK font installed plotters asked for the row above the top one,
    /// and the row's index was a subtraction that overflowed (a panic in a debug build).
    #[test]
    fn a_row_past_the_top_has_no_label() {
        let rows = ["first", "second", "third"];
        assert_eq!(in_row(&rows, 0), Some(&"third"));
        assert_eq!(in_row(&rows, 2), Some(&"first"));
        assert_eq!(in_row(&rows, 3), None);
        assert_eq!(in_row(&rows, u32::MAX), None);
        assert_eq!(in_row::<&str>(&[], 0), None);
    }
}
