//! Page furniture around a table: the title above it, its number label (`公开01表`), meta lines
//! (`部门：…`, `单位：万元`), notes below (`注：…`); page numbers are recognised and left out.

use crate::model::{Table, TextLine};
use cnbudget_grammar::furniture::{
    is_meta_line, is_note, is_page_number as page_number_text, names_table, reads_as_title,
    split_table_label,
};
use cnbudget_pdf::text::Line;
use cnbudget_pdf::{Page, Rect};

/// How far above a table its title may stand, in points.
const ABOVE: f64 = 140.0;
/// How far below a table its notes may start.
const BELOW: f64 = 60.0;

/// Where page numbers are printed, as shares of the page's height from its top (`y` grows
/// downward): a line starting below the foot line, or ending above the head line. Beijing
/// prints `— 4 —` at 0.88–0.90 of an A4 page, below where the narrative once looked (0.9).
const PAGE_NUMBER_FOOT: f64 = 0.85;
const PAGE_NUMBER_HEAD: f64 = 0.12;

/// Whether a line is a printed page number (`13`, `- 13 -`, `第13页`) at the page's top or
/// foot: the one rule for the tables' furniture and the narrative.
pub fn is_page_number(text: &str, bbox: Rect, page: &Page) -> bool {
    (bbox.y0 > PAGE_NUMBER_FOOT * page.height || bbox.y1 < PAGE_NUMBER_HEAD * page.height)
        && page_number_text(text)
}

pub(crate) fn text_line(page: &Page, l: &Line, text: String) -> TextLine {
    TextLine {
        page: page.number,
        bbox: l.bbox,
        text,
    }
}

/// Text without the spaces justification puts between title characters.
fn compact(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The furniture above a table: number label, title and meta lines.
#[derive(Debug, Clone, Default)]
pub(crate) struct Furniture {
    pub label: Option<String>,
    pub title: Option<TextLine>,
    pub meta: Vec<TextLine>,
}

/// Reads `lines` (top to bottom, all above a table) nearest first: meta lines (and the
/// wrapped tails of their values), then the title (with the line above it when it wrapped),
/// then a number label, on the title's line or above it. Narrative above that is left alone.
fn read_above(page: &Page, lines: &[&Line]) -> Furniture {
    let mut f = Furniture::default();
    let mut pending: Vec<&Line> = Vec::new(); // neither meta nor title: wrapped meta values
    let mut title: Option<(Rect, String)> = None;
    for l in lines.iter().rev() {
        if let Some((label, rest)) = split_table_label(&l.text) {
            f.label = Some(label);
            // A label on a line of its own under the title (Xi'an: `收入决算表` ⏎ `公开02表`):
            // the title is the line above.
            if rest.is_empty() && title.is_none() {
                continue;
            }
            if !rest.is_empty() {
                title = Some(match title {
                    // The title wrapped after the label line: `公开09表 …培训费` ⏎ `支出预算表`.
                    Some((b, text))
                        if text.chars().count() < 8 || !names_table(&compact(&rest)) =>
                    {
                        (b.union(&l.bbox), compact(&rest) + &text)
                    }
                    Some(found) => found,
                    None => (l.bbox, compact(&rest)),
                });
            }
            break;
        }
        if title.is_none() && is_meta_line(&l.text) {
            f.meta.insert(0, text_line(page, l, l.text.clone()));
            continue;
        }
        match &mut title {
            None if reads_as_title(&compact(&l.text)) => title = Some((l.bbox, compact(&l.text))),
            None => pending.push(l),
            // A short title is the tail of a wrapped one: `…培训费支出预` ⏎ `算表`.
            Some((b, text)) if text.chars().count() < 8 => {
                *text = compact(&l.text) + text;
                *b = b.union(&l.bbox);
            }
            Some(_) => break,
        }
    }
    // A title wrapped where no line of it ends in 表 (`…（按支出经济分类科目-不` ⏎ `含上年结转）`):
    // the lines read, top to bottom, make one.
    if title.is_none() && pending.len() >= 2 {
        let joined: String = pending.iter().rev().map(|l| compact(&l.text)).collect();
        if reads_as_title(&joined) {
            let bbox = pending
                .iter()
                .skip(1)
                .fold(pending[0].bbox, |b, l| b.union(&l.bbox));
            title = Some((bbox, joined));
            pending.clear();
        }
    }
    // Lines between the meta lines and the table continue a wrapped meta value.
    if !f.meta.is_empty() {
        f.meta
            .extend(pending.iter().map(|l| text_line(page, l, l.text.clone())));
        f.meta.sort_by(|a, b| a.bbox.y0.total_cmp(&b.bbox.y0));
    }
    f.title = title.map(|(bbox, text)| TextLine {
        page: page.number,
        bbox,
        text,
    });
    f
}

/// The lines above `y` and below `floor`, close enough to belong to what starts at `y`.
fn lines_above<'a>(page: &Page, free: &'a [Line], floor: f64, y: f64) -> Vec<&'a Line> {
    free.iter()
        .filter(|l| {
            l.bbox.y1 <= y + 2.0
                && l.bbox.y0 >= floor - 2.0
                && y - l.bbox.y1 < ABOVE
                && !is_page_number(&l.text, l.bbox, page)
        })
        .collect()
}

/// Attaches title, label, meta lines and notes to the tables of one page. `free` are the
/// page's lines that lie in no table, top to bottom; tables are sorted top to bottom.
pub(crate) fn attach(page: &Page, tables: &mut [Table], free: &[Line]) {
    let mut floor = 0.0; // bottom of the previous table
    for i in 0..tables.len() {
        let Some(&(_, bbox)) = tables[i].boxes.first() else {
            continue;
        };
        let ceiling = tables
            .get(i + 1)
            .and_then(|t| t.boxes.first())
            .map_or(page.height, |b| b.1.y0);
        let f = read_above(page, &lines_above(page, free, floor, bbox.y0));
        let t = &mut tables[i];
        (t.label, t.title, t.meta) = (f.label, f.title, f.meta);
        let mut last_y = bbox.y1;
        for l in free
            .iter()
            .filter(|l| l.bbox.y0 >= bbox.y1 - 2.0 && l.bbox.y1 <= ceiling + 2.0)
        {
            let starts = t.notes.is_empty() && l.bbox.y0 - bbox.y1 < BELOW && is_note(&l.text);
            let continues = !t.notes.is_empty()
                && l.bbox.y0 - last_y < l.bbox.height() * 1.2
                && !is_page_number(&l.text, l.bbox, page);
            if starts || continues {
                t.notes.push(text_line(page, l, l.text.clone()));
                last_y = l.bbox.y1;
            } else if !t.notes.is_empty() {
                break;
            }
        }
        floor = t.notes.last().map_or(bbox.y1, |n| n.bbox.y1);
    }
}

/// A title (with its label and meta) standing last on the page, below every table: the
/// table it names starts on the next page.
pub(crate) fn trailing(page: &Page, tables: &[Table], free: &[Line]) -> Option<Furniture> {
    let floor = tables.last().map_or(0.0, |t| {
        t.notes.last().map_or(t.boxes[0].1.y1, |n| n.bbox.y1)
    });
    let body: Vec<&Line> = free
        .iter()
        .filter(|l| l.bbox.y0 >= floor && !is_page_number(&l.text, l.bbox, page))
        .collect();
    let bottom = body.last()?.bbox.y1 + 1.0;
    let f = read_above(page, &lines_above(page, free, floor, bottom));
    f.title.is_some().then_some(f)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_end_in_biao() {
        assert!(
            reads_as_title("收支预算总表")
                && reads_as_title("财政拨款支出预算表（功能科目）")
                && reads_as_title("“三公”经费、会议费、培训费支出预算表（一般公共预算）")
        );
        assert!(
            !reads_as_title("详见附表说明")
                && !reads_as_title("省人大办公厅2017年部门预算公开表格的说明如下各项支出情况见下")
        );
    }

    /// An empty landscape page: the furniture is read from the lines given.
    fn landscape(number: u32) -> Page {
        Page {
            number,
            width: 842.0,
            height: 595.0,
            rotation: 0,
            glyphs: vec![],
            rules: vec![],
            images: vec![],
            warnings: vec![],
        }
    }

    /// A line of text 10 points high at `y`.
    fn line(text: &str, y: f64) -> Line {
        Line {
            bbox: Rect {
                x0: 100.0,
                y0: y,
                x1: 300.0,
                y1: y + 10.0,
            },
            text: text.into(),
            glyphs: vec![],
        }
    }

    /// Xi'an 2021 宣传部 p26: a title wrapped inside its bracket, above the unit line.
    #[test]
    fn title_wrapped_inside_its_bracket() {
        let page = landscape(26);
        let lines = [
            line(
                "2021年部门综合预算一般公共预算支出明细表（按支出经济分类科目-不",
                540.0,
            ),
            line("含上年结转）", 525.0),
            line("单位：元", 510.0),
        ];
        let f = read_above(&page, &lines.iter().collect::<Vec<_>>());
        assert_eq!(
            f.title.map(|t| t.text).as_deref(),
            Some("2021年部门综合预算一般公共预算支出明细表（按支出经济分类科目-不含上年结转）")
        );
        assert_eq!(f.meta.len(), 1);
    }

    /// Xi'an 2022 决算 p147: the number label stands on its own line under the title.
    #[test]
    fn title_above_a_label_line() {
        let page = landscape(147);
        let lines = [
            line("收入决算表", 560.0),
            line("公开02表", 540.0),
            line(
                "编制部门：西安市卫生健康委员会（汇总） 金额单位：万元",
                520.0,
            ),
        ];
        let f = read_above(&page, &lines.iter().collect::<Vec<_>>());
        assert_eq!(f.title.map(|t| t.text).as_deref(), Some("收入决算表"));
        assert_eq!(f.label.as_deref(), Some("公开02表"));
        assert_eq!(f.meta.len(), 1);
    }
}
