//! The content-stream interpreter: graphics and text state, shown strings → glyphs,
//! painted axis-aligned paths → rules, Form XObjects recursively.

use crate::font::{Decoded, Font};
use crate::geom::{Matrix, Rect};
use crate::hash::IntMap;
use crate::lexer::{operations, Operand, Operation, Unread};
use crate::limits::{Budget, Limit, Limits, Reached};
use crate::model::{DecodePath, Glyph, Orientation, PlacedImage, Rule, Warning, WarningKind};
use crate::objects::{as_dict, get, get_dict, get_name, numbers, resolve};
use lopdf::{Dictionary, Document, Object, ObjectId};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// A filled rectangle no thicker than this (points) is a rule, not a shaded box.
const THIN_FILL: f64 = 3.0;

/// Fonts already loaded in this document, by object id.
pub(crate) type FontCache = Mutex<HashMap<ObjectId, Arc<Font>>>;

#[derive(Clone)]
struct GState {
    ctm: Matrix,
    font: Option<Arc<Font>>,
    font_size: f64,
    char_spacing: f64,
    word_spacing: f64,
    h_scale: f64,
    leading: f64,
    rise: f64,
    line_width: f64,
    fill_white: bool,
    stroke_white: bool,
    /// The clipping path's box in the upright page frame (`re W n`): what is drawn outside
    /// it is not seen. A path of straight edges that is no rectangle clips to its box, which
    /// keeps more; a curved one does not narrow the clip (its box is not known here).
    clip: Option<Rect>,
}

impl Default for GState {
    fn default() -> Self {
        GState {
            ctm: Matrix::IDENTITY,
            font: None,
            font_size: 0.0,
            char_spacing: 0.0,
            word_spacing: 0.0,
            h_scale: 1.0,
            leading: 0.0,
            rise: 0.0,
            line_width: 1.0,
            fill_white: false,
            stroke_white: false,
            clip: None,
        }
    }
}

#[derive(Default)]
struct Subpath {
    points: Vec<(f64, f64)>,
    curved: bool,
    closed: bool,
}

/// What interpreting a page produced.
pub(crate) struct Drawn {
    pub glyphs: Vec<Glyph>,
    pub rules: Vec<Rule>,
    pub images: Vec<PlacedImage>,
    pub warnings: Vec<Warning>,
}

pub(crate) struct Interpreter<'a> {
    doc: &'a Document,
    fonts: &'a FontCache,
    limits: &'a Limits,
    budget: &'a Budget,
    /// User space of the page → upright page frame.
    page: Matrix,
    /// The visible page in the upright frame; what lies outside is not on the page.
    bounds: Rect,
    gs: GState,
    stack: Vec<GState>,
    tm: Matrix,
    tlm: Matrix,
    path: Vec<Subpath>,
    /// `W` or `W*` seen: the current path clips once it is painted or ended (`n`).
    clip_pending: bool,
    /// Glyphs drawn where the clipping path hides them (text overflowing its cell).
    clipped: usize,
    forms: Vec<ObjectId>,
    decoded: Vec<Decoded>,
    undecoded: HashMap<Arc<str>, (usize, Rect)>,
    out: Drawn,
    /// The limit that stopped the page, if one did.
    stopped: Option<Reached>,
}

fn is_white(operands: &[Operand]) -> bool {
    let v: Vec<f64> = operands.iter().filter_map(Operand::number).collect();
    match v.len() {
        1 | 3 => v.iter().all(|c| *c >= 0.99),
        4 => v.iter().all(|c| *c <= 0.01),
        _ => false,
    }
}

impl<'a> Interpreter<'a> {
    pub(crate) fn new(
        doc: &'a Document,
        fonts: &'a FontCache,
        limits: &'a Limits,
        budget: &'a Budget,
        page: Matrix,
        bounds: Rect,
    ) -> Self {
        Interpreter {
            doc,
            fonts,
            limits,
            budget,
            page,
            bounds,
            gs: GState::default(),
            stack: Vec::new(),
            tm: Matrix::IDENTITY,
            tlm: Matrix::IDENTITY,
            path: Vec::new(),
            clip_pending: false,
            clipped: 0,
            forms: Vec::new(),
            decoded: Vec::new(),
            undecoded: HashMap::new(),
            out: Drawn {
                glyphs: Vec::new(),
                rules: Vec::new(),
                images: Vec::new(),
                warnings: Vec::new(),
            },
            stopped: None,
        }
    }

    /// Runs a content stream with its resources.
    pub(crate) fn run(&mut self, content: &[u8], resources: Option<&Dictionary>) {
        if self.stopped.is_some() {
            return;
        }
        let ops = match operations(content, self.limits.max_depth) {
            Ok(ops) => ops,
            Err(Unread::TooDeep(at)) => {
                self.stopped = Some(Reached {
                    limit: Limit::Depth,
                    detail: format!(
                        "a content stream nests arrays or dictionaries deeper than {} (byte {at})",
                        self.limits.max_depth
                    ),
                });
                return;
            }
            Err(Unread::Lopdf(e)) => {
                self.warn(
                    WarningKind::ContentStream,
                    None,
                    format!("content stream could not be parsed ({e}); its drawing is lost"),
                );
                return;
            }
        };
        for (k, op) in ops.ops.iter().enumerate() {
            if k % 1024 == 0 && self.stopped.is_none() {
                self.stopped = self.budget.out_of_time();
            }
            if self.stopped.is_some() {
                return;
            }
            self.op(op, ops.operands(op), resources);
        }
    }

    /// Finishes: undecoded-glyph counts become warnings, fake-bold duplicates are dropped.
    pub(crate) fn finish(mut self) -> Result<Drawn, Reached> {
        if let Some(r) = self.stopped.take() {
            return Err(r);
        }
        let mut undecoded: Vec<_> = self.undecoded.drain().collect();
        undecoded.sort_by(|a, b| a.0.cmp(&b.0));
        for (font, (count, bbox)) in undecoded {
            self.warn(
                WarningKind::UndecodableGlyph,
                Some(bbox),
                format!(
                    "{count} glyph codes of font {font} have no Unicode mapping (shown as U+FFFD)"
                ),
            );
        }
        if self.clipped > 0 {
            let n = self.clipped;
            self.warn(
                WarningKind::Clipped,
                None,
                format!(
                    "{n} glyphs hidden by a clipping path (text overflowing its box) were dropped"
                ),
            );
        }
        let b = self.bounds;
        let inside = |x: f64, y: f64| b.contains(x, y);
        let before = self.out.glyphs.len();
        self.out.glyphs.retain(|g| {
            let (x, y) = g.bbox.center();
            inside(x, y)
        });
        let outside = before - self.out.glyphs.len();
        if outside > 0 {
            self.warn(
                WarningKind::OutsidePage,
                None,
                format!("{outside} glyphs drawn outside the visible page box were dropped"),
            );
        }
        self.out.rules.retain(|r| {
            inside(r.x0.clamp(b.x0, b.x1), r.y0.clamp(b.y0, b.y1))
                && r.x1 >= b.x0
                && r.x0 <= b.x1
                && r.y1 >= b.y0
                && r.y0 <= b.y1
        });
        let dropped = dedupe_fake_bold(&mut self.out.glyphs);
        if dropped > 0 {
            self.warn(
                WarningKind::DuplicateGlyphs,
                None,
                format!("{dropped} glyphs drawn twice at the same place (fake bold) were dropped"),
            );
        }
        Ok(self.out)
    }

    fn warn(&mut self, kind: WarningKind, bbox: Option<Rect>, message: String) {
        // One warning per distinct message is enough; a broken font can fail thousands of times.
        if !self
            .out
            .warnings
            .iter()
            .any(|w| w.kind == kind && w.message == message)
        {
            self.out.warnings.push(Warning {
                kind,
                bbox,
                message,
            });
        }
    }

    fn device(&self) -> Matrix {
        self.gs.ctm.then(&self.page)
    }

    /// Runs one operator: each group of the PDF operator table (graphics state, text state
    /// and positioning, text showing, paths) is read by a function of its own; anything
    /// unknown is skipped.
    fn op(&mut self, op: &Operation, o: &[Operand], resources: Option<&Dictionary>) {
        if self.graphics_state(op, o)
            || self.text_state(op, o, resources)
            || self.show_text(op, o)
            || self.path_op(op, o)
        {
            return;
        }
        if op.operator.as_ref() == "Do" {
            if let Some(Operand::Name(name)) = o.first() {
                self.xobject(resources, name);
            }
        }
    }

    /// The graphics-state operators (`q` `Q` `cm` `w` and the colours, of which only white
    /// matters: a white rule is no rule); whether `op` was one of them.
    fn graphics_state(&mut self, op: &Operation, o: &[Operand]) -> bool {
        let num = |i: usize| o.get(i).and_then(Operand::number);
        match op.operator.as_ref() {
            // A bounded stack: a stream of a million `q`s must not grow memory without end.
            "q" if self.stack.len() < 256 => self.stack.push(self.gs.clone()),
            "Q" => {
                if let Some(gs) = self.stack.pop() {
                    self.gs = gs;
                }
                // A `W` never ended by `n` or a painting operator clips nothing.
                self.clip_pending = false;
            }
            "cm" => match nums6(o) {
                Some(m) => self.gs.ctm = m.then(&self.gs.ctm),
                None => self.bad(op),
            },
            "w" => self.gs.line_width = num(0).unwrap_or(1.0).abs(),
            "g" | "rg" | "k" | "sc" | "scn" => self.gs.fill_white = is_white(o),
            "G" | "RG" | "K" | "SC" | "SCN" => self.gs.stroke_white = is_white(o),
            "cs" => self.gs.fill_white = false,
            "CS" => self.gs.stroke_white = false,
            _ => return false,
        }
        true
    }

    /// The text-object, text-state and text-positioning operators (`BT` … `T*`): where the
    /// next glyph goes and in which font; whether `op` was one of them.
    fn text_state(
        &mut self,
        op: &Operation,
        o: &[Operand],
        resources: Option<&Dictionary>,
    ) -> bool {
        let num = |i: usize| o.get(i).and_then(Operand::number);
        match op.operator.as_ref() {
            "BT" => {
                self.tm = Matrix::IDENTITY;
                self.tlm = Matrix::IDENTITY;
            }
            "ET" => {}
            "Tc" => self.gs.char_spacing = num(0).unwrap_or(0.0),
            "Tw" => self.gs.word_spacing = num(0).unwrap_or(0.0),
            "Tz" => self.gs.h_scale = num(0).unwrap_or(100.0) / 100.0,
            "TL" => self.gs.leading = num(0).unwrap_or(0.0),
            "Ts" => self.gs.rise = num(0).unwrap_or(0.0),
            "Tr" => {}
            "Tf" => {
                self.gs.font_size = num(1).unwrap_or(0.0);
                self.gs.font = match o.first() {
                    Some(Operand::Name(name)) => self.font(resources, name),
                    _ => None,
                };
            }
            "Td" => match (num(0), num(1)) {
                (Some(x), Some(y)) => self.next_line(x, y),
                _ => self.bad(op),
            },
            "TD" => match (num(0), num(1)) {
                (Some(x), Some(y)) => {
                    self.gs.leading = -y;
                    self.next_line(x, y);
                }
                _ => self.bad(op),
            },
            "Tm" => match nums6(o) {
                Some(m) => {
                    self.tm = m;
                    self.tlm = m;
                }
                None => self.bad(op),
            },
            "T*" => self.next_line(0.0, -self.gs.leading),
            _ => return false,
        }
        true
    }

    /// The text-showing operators (`Tj` `'` `"` `TJ`): strings become glyphs; whether `op` was
    /// one of them.
    fn show_text(&mut self, op: &Operation, o: &[Operand]) -> bool {
        let num = |i: usize| o.get(i).and_then(Operand::number);
        match op.operator.as_ref() {
            "Tj" => match o.first() {
                Some(Operand::String(s)) => self.show(s),
                _ => self.bad(op),
            },
            "'" => {
                self.next_line(0.0, -self.gs.leading);
                if let Some(Operand::String(s)) = o.first() {
                    self.show(s);
                }
            }
            "\"" => {
                self.gs.word_spacing = num(0).unwrap_or(self.gs.word_spacing);
                self.gs.char_spacing = num(1).unwrap_or(self.gs.char_spacing);
                self.next_line(0.0, -self.gs.leading);
                if let Some(Operand::String(s)) = o.get(2) {
                    self.show(s);
                }
            }
            "TJ" => match o.first() {
                Some(Operand::Array(items)) => self.show_array(items),
                _ => self.bad(op),
            },
            _ => return false,
        }
        true
    }

    /// A `TJ` array: its strings shown, its numbers moving the pen between them (kerning, or
    /// the gap a word space makes).
    fn show_array(&mut self, items: &[Operand]) {
        for item in items {
            match item {
                Operand::String(s) => self.show(s),
                other => {
                    if let Some(adj) = other.number() {
                        self.kern(adj);
                    }
                }
            }
        }
    }

    /// The path-construction and path-painting operators (`m` … `n`): subpaths in device
    /// space, painted ones kept as rules; whether `op` was one of them.
    fn path_op(&mut self, op: &Operation, o: &[Operand]) -> bool {
        let num = |i: usize| o.get(i).and_then(Operand::number);
        match op.operator.as_ref() {
            "m" => match (num(0), num(1)) {
                (Some(x), Some(y)) => {
                    let p = self.device().apply(x, y);
                    self.path.push(Subpath {
                        points: vec![p],
                        ..Subpath::default()
                    });
                }
                _ => self.bad(op),
            },
            "l" => match (num(0), num(1)) {
                (Some(x), Some(y)) => {
                    let p = self.device().apply(x, y);
                    match self.path.last_mut() {
                        Some(sp) => sp.points.push(p),
                        None => self.path.push(Subpath {
                            points: vec![p],
                            ..Subpath::default()
                        }),
                    }
                }
                _ => self.bad(op),
            },
            "c" | "v" | "y" => {
                let n = o.len();
                if let (Some(x), Some(y)) = (
                    n.checked_sub(2).and_then(num),
                    n.checked_sub(1).and_then(num),
                ) {
                    let p = self.device().apply(x, y);
                    if let Some(sp) = self.path.last_mut() {
                        sp.points.push(p);
                        sp.curved = true;
                    }
                }
            }
            "re" => match (num(0), num(1), num(2), num(3)) {
                (Some(x), Some(y), Some(w), Some(h)) => {
                    let d = self.device();
                    let points = vec![
                        d.apply(x, y),
                        d.apply(x + w, y),
                        d.apply(x + w, y + h),
                        d.apply(x, y + h),
                    ];
                    self.path.push(Subpath {
                        points,
                        curved: false,
                        closed: true,
                    });
                }
                _ => self.bad(op),
            },
            "h" => {
                if let Some(sp) = self.path.last_mut() {
                    sp.closed = true;
                }
            }
            "S" => self.paint(true, false, false),
            "s" => self.paint(true, false, true),
            "f" | "F" | "f*" => self.paint(false, true, true),
            "B" | "B*" => self.paint(true, true, false),
            "b" | "b*" => self.paint(true, true, true),
            "W" | "W*" => self.clip_pending = true,
            "n" => {
                self.clip_to_path();
                self.path.clear();
            }
            _ => return false,
        }
        true
    }

    fn bad(&mut self, op: &Operation) {
        self.warn(
            WarningKind::BadOperator,
            None,
            format!("operator {} with unusable operands skipped", op.operator),
        );
    }

    fn next_line(&mut self, x: f64, y: f64) {
        self.tlm = Matrix::translate(x, y).then(&self.tlm);
        self.tm = self.tlm;
    }

    fn kern(&mut self, adj: f64) {
        let shift = -adj / 1000.0 * self.gs.font_size;
        let vertical = self.gs.font.as_ref().is_some_and(|f| f.vertical);
        let t = if vertical {
            Matrix::translate(0.0, shift)
        } else {
            Matrix::translate(shift * self.gs.h_scale, 0.0)
        };
        self.tm = t.then(&self.tm);
    }

    fn font(&mut self, resources: Option<&Dictionary>, name: &[u8]) -> Option<Arc<Font>> {
        let doc = self.doc;
        let fonts = resources.and_then(|r| get_dict(doc, r, b"Font"));
        let entry = fonts.and_then(|f| f.get(name).ok());
        let font_name = String::from_utf8_lossy(name).into_owned();
        let Some(entry) = entry else {
            self.warn(
                WarningKind::MissingFont,
                None,
                format!("font resource /{font_name} is missing; its text is lost"),
            );
            return None;
        };
        // A font's streams are read once per document, within what the document has left.
        let allowed = self.budget.allowance(self.limits.max_stream_bytes).0;
        let load = |dict: &Dictionary| Arc::new(Font::load(doc, dict, allowed));
        let dict = resolve(doc, entry).and_then(as_dict);
        match (entry, dict) {
            (Object::Reference(id), Some(dict)) => {
                let mut cache = self.fonts.lock().unwrap_or_else(|p| p.into_inner());
                Some(cache.entry(*id).or_insert_with(|| load(dict)).clone())
            }
            (_, Some(dict)) => Some(load(dict)),
            _ => {
                self.warn(
                    WarningKind::MissingFont,
                    None,
                    format!(
                        "font resource /{font_name} is not a font dictionary; its text is lost"
                    ),
                );
                None
            }
        }
    }

    fn show(&mut self, bytes: &[u8]) {
        let Some(font) = self.gs.font.clone() else {
            // Text with no usable font: still move on, but there is nothing to decode.
            return;
        };
        let mut decoded = std::mem::take(&mut self.decoded);
        decoded.clear();
        font.decode(bytes, &mut decoded);
        let gs = &self.gs;
        let (fs, th) = (gs.font_size, gs.h_scale);
        let base = Matrix::new(fs * th, 0.0, 0.0, fs, 0.0, gs.rise);
        for d in &decoded {
            let w0 = d.width * font.scale;
            let m = base.then(&self.tm).then(&self.gs.ctm).then(&self.page);
            let (ys, xs) = if font.vertical {
                ((-font.ascent, -font.descent), (-0.5, 0.5))
            } else {
                ((font.descent, font.ascent), (0.0, w0))
            };
            let corners = [
                m.apply(xs.0, ys.0),
                m.apply(xs.1, ys.0),
                m.apply(xs.0, ys.1),
                m.apply(xs.1, ys.1),
            ];
            let bbox = Rect::bounding(&corners);
            let (bx, by) = m.apply_vec(1.0, 0.0);
            let (ux, uy) = m.apply_vec(0.0, 1.0);
            let size = ux.hypot(uy);
            if d.path == DecodePath::Undecoded {
                let e = self.undecoded.entry(font.name.clone()).or_insert((0, bbox));
                e.0 += 1;
                e.1 = e.1.union(&bbox);
            }
            if self.out.glyphs.len() >= self.limits.max_glyphs_per_page {
                self.stopped = Some(Reached {
                    limit: Limit::GlyphsPerPage,
                    detail: format!(
                        "more than {} glyphs on one page",
                        self.limits.max_glyphs_per_page
                    ),
                });
                break;
            }
            let (cx, cy) = bbox.center();
            // A centre that is no number (a matrix overflowed) is not taken for hidden.
            let hidden = self
                .gs
                .clip
                .is_some_and(|c| !c.contains(cx, cy) && cx.is_finite() && cy.is_finite());
            self.clipped += usize::from(hidden);
            if !hidden
                && bbox.x0.is_finite()
                && bbox.y0.is_finite()
                && bbox.x1.is_finite()
                && bbox.y1.is_finite()
            {
                self.out.glyphs.push(Glyph {
                    text: d.text.clone(),
                    bbox,
                    font_size: size,
                    font: font.name.clone(),
                    upright: bx > 0.0 && by.abs() <= bx * 0.2,
                    decode: d.path,
                });
            }
            let spacing = gs_spacing(&self.gs, d);
            if font.vertical {
                self.tm = Matrix::translate(0.0, -fs + spacing).then(&self.tm);
            } else {
                self.tm = Matrix::translate((w0 * fs + spacing) * th, 0.0).then(&self.tm);
            }
        }
        self.decoded = decoded;
    }

    /// Narrows the clip to the current path's box where `W` asked for it: not for a curved
    /// path (only its end points are kept, and a curve bulges past them) nor for one whose
    /// points a matrix overflowed.
    fn clip_to_path(&mut self) {
        if !std::mem::take(&mut self.clip_pending) || self.path.iter().any(|sp| sp.curved) {
            return;
        }
        let Some(b) = self
            .path
            .iter()
            .flat_map(|sp| sp.points.iter())
            .map(|&p| Rect::bounding(&[p]))
            .reduce(|a, b| a.union(&b))
        else {
            return;
        };
        if [b.x0, b.y0, b.x1, b.y1].iter().all(|v| v.is_finite()) {
            self.gs.clip = Some(self.gs.clip.map_or(b, |c| c.intersect(&b)));
        }
    }

    fn paint(&mut self, stroke: bool, fill: bool, close: bool) {
        self.clip_to_path();
        let path = std::mem::take(&mut self.path);
        let d = self.device();
        // Line width in device space: scale by the CTM's mean stretch.
        let scale = (d.a * d.d - d.b * d.c).abs().sqrt();
        for mut sp in path {
            if close {
                sp.closed = true;
            }
            if stroke && !self.gs.stroke_white && !sp.curved {
                let width = (self.gs.line_width * scale).max(0.1);
                let mut pts = sp.points.clone();
                if sp.closed && pts.len() > 2 {
                    pts.push(pts[0]);
                }
                for seg in pts.windows(2) {
                    if let Some(rule) = segment_rule(seg[0], seg[1], width) {
                        self.out.rules.push(rule);
                    }
                }
            }
            if fill && !self.gs.fill_white && !sp.curved {
                if let Some(rule) = rect_rule(&sp.points) {
                    self.out.rules.push(rule);
                }
            }
        }
    }

    fn xobject(&mut self, resources: Option<&Dictionary>, name: &[u8]) {
        let doc = self.doc;
        let Some(entry) = resources
            .and_then(|r| get_dict(doc, r, b"XObject"))
            .and_then(|x| x.get(name).ok())
        else {
            return;
        };
        let id = match entry {
            Object::Reference(id) => Some(*id),
            _ => None,
        };
        let Some(Object::Stream(stream)) = resolve(doc, entry) else {
            return;
        };
        match get_name(doc, &stream.dict, b"Subtype") {
            Some(b"Form") => {}
            Some(b"Image") => {
                // A direct image stream has no object id to read it back by; scanners
                // always write images as indirect objects.
                if let Some(id) = id {
                    self.place_image(id);
                }
                return;
            }
            _ => return,
        }
        let label = String::from_utf8_lossy(name).into_owned();
        if id.is_some_and(|id| self.forms.contains(&id))
            || self.forms.len() >= self.limits.max_form_depth
        {
            self.warn(
                WarningKind::XObjectCycle,
                None,
                format!(
                    "Form XObject /{label} draws itself or nests deeper than {}; skipped",
                    self.limits.max_form_depth
                ),
            );
            return;
        }
        let (allowed, limit) = self.budget.allowance(self.limits.max_stream_bytes);
        let content = match stream.get_plain_content_with_limit(allowed) {
            Ok(c) => {
                self.budget.spend(c.len());
                c
            }
            Err(lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded {
                ..
            })) => {
                self.stopped = Some(Reached {
                    limit,
                    detail: format!("Form XObject /{label} decompresses past {allowed} bytes"),
                });
                return;
            }
            Err(e) => {
                self.warn(
                    WarningKind::ContentStream,
                    None,
                    format!("Form XObject /{label} could not be decoded: {e}"),
                );
                return;
            }
        };
        let saved = (self.gs.clone(), self.stack.len(), self.tm, self.tlm);
        if let Some(m) = get(doc, &stream.dict, b"Matrix")
            .and_then(|m| numbers(doc, m))
            .filter(|m| m.len() == 6)
        {
            self.gs.ctm = Matrix::new(m[0], m[1], m[2], m[3], m[4], m[5]).then(&self.gs.ctm);
        }
        let own = get_dict(doc, &stream.dict, b"Resources").or(resources);
        self.forms.push(id.unwrap_or((0, 0)));
        self.run(&content, own);
        self.forms.pop();
        self.clip_pending = false;
        self.gs = saved.0;
        self.stack.truncate(saved.1);
        self.tm = saved.2;
        self.tlm = saved.3;
    }
}

impl Interpreter<'_> {
    /// Records an image painted with the current CTM: the unit square, placed.
    fn place_image(&mut self, id: ObjectId) {
        let m = self.device();
        let corners = [(0.0, 0.0), (1.0, 0.0), (0.0, 1.0), (1.0, 1.0)].map(|(x, y)| m.apply(x, y));
        let bbox = Rect::bounding(&corners);
        if bbox.width() <= 0.0 || bbox.height() <= 0.0 {
            return; // a degenerate placement paints nothing
        }
        self.out.images.push(PlacedImage {
            object: id,
            bbox,
            transform: [m.a, m.b, m.c, m.d, m.e, m.f],
        });
    }
}

fn gs_spacing(gs: &GState, d: &Decoded) -> f64 {
    gs.char_spacing
        + if d.is_space_code {
            gs.word_spacing
        } else {
            0.0
        }
}

fn nums6(o: &[Operand]) -> Option<Matrix> {
    let v: Vec<f64> = o.iter().filter_map(Operand::number).collect();
    (v.len() == 6 && o.len() == 6).then(|| Matrix::new(v[0], v[1], v[2], v[3], v[4], v[5]))
}

/// A stroked segment that runs horizontally or vertically becomes a rule.
fn segment_rule(a: (f64, f64), b: (f64, f64), width: f64) -> Option<Rule> {
    let (dx, dy) = ((b.0 - a.0).abs(), (b.1 - a.1).abs());
    if dx.max(dy) < 0.5 {
        return None;
    }
    let (x0, x1) = (a.0.min(b.0), a.0.max(b.0));
    let (y0, y1) = (a.1.min(b.1), a.1.max(b.1));
    if dy <= 0.05 * dx.max(1.0) {
        let y = (a.1 + b.1) / 2.0;
        Some(Rule {
            x0,
            y0: y,
            x1,
            y1: y,
            orientation: Orientation::Horizontal,
            width,
        })
    } else if dx <= 0.05 * dy.max(1.0) {
        let x = (a.0 + b.0) / 2.0;
        Some(Rule {
            x0: x,
            y0,
            x1: x,
            y1,
            orientation: Orientation::Vertical,
            width,
        })
    } else {
        None
    }
}

/// A filled axis-aligned rectangle becomes a rule when thin, a `Rect` when not.
fn rect_rule(points: &[(f64, f64)]) -> Option<Rule> {
    let pts: Vec<_> = if points.len() == 5 && points[0] == points[4] {
        points[..4].to_vec()
    } else {
        points.to_vec()
    };
    if pts.len() != 4 {
        return None;
    }
    let b = Rect::bounding(&pts);
    let axis_aligned = pts.iter().all(|p| {
        ((p.0 - b.x0).abs() < 0.5 || (p.0 - b.x1).abs() < 0.5)
            && ((p.1 - b.y0).abs() < 0.5 || (p.1 - b.y1).abs() < 0.5)
    });
    let (w, h) = (b.width(), b.height());
    // A thin quad need not be a rectangle: Excel's export draws each cell border as a
    // trapezoid mitred at the corners (`42 480.34 m 270.9 480.34 l 270.9 479.59 l 42.75
    // 479.59 l f`); inside a bounding box that thin it is a rule all the same.
    let thin_and_long = w.min(h) <= THIN_FILL && w.max(h) >= 3.0 * w.min(h).max(1.0);
    if !(axis_aligned || thin_and_long) || w.max(h) < 1.0 {
        return None;
    }
    Some(if h <= THIN_FILL && w > h {
        let y = (b.y0 + b.y1) / 2.0;
        Rule {
            x0: b.x0,
            y0: y,
            x1: b.x1,
            y1: y,
            orientation: Orientation::Horizontal,
            width: h,
        }
    } else if w <= THIN_FILL && h > w {
        let x = (b.x0 + b.x1) / 2.0;
        Rule {
            x0: x,
            y0: b.y0,
            x1: x,
            y1: b.y1,
            orientation: Orientation::Vertical,
            width: w,
        }
    } else {
        Rule {
            x0: b.x0,
            y0: b.y0,
            x1: b.x1,
            y1: b.y1,
            orientation: Orientation::Rect,
            width: w.min(h),
        }
    })
}

/// Drops a glyph when the same text was already drawn within a point of it: producers fake
/// bold type by drawing every string twice, slightly offset. Returns how many were dropped.
fn dedupe_fake_bold(glyphs: &mut Vec<Glyph>) -> usize {
    // The glyphs kept in each 2-point square, as linked lists through `next` (no vector per
    // square): the last kept glyph of the square, then the one before it … A glyph's
    // namesakes within a point of it lie in at most 2 × 2 squares.
    let square = |v: f64| (v / 2.0).floor() as i64;
    let mut seen: IntMap<(i64, i64), usize> = IntMap::default();
    let mut next: Vec<usize> = Vec::with_capacity(glyphs.len());
    let mut keep = Vec::with_capacity(glyphs.len());
    let before = glyphs.len();
    for g in glyphs.drain(..) {
        if g.text.trim().is_empty() {
            next.push(usize::MAX);
            keep.push(g);
            continue;
        }
        let (x, y) = (g.bbox.x0, g.bbox.y0);
        let dup = (square(x - 1.0)..=square(x + 1.0)).any(|sx| {
            (square(y - 1.0)..=square(y + 1.0)).any(|sy| {
                let mut at = seen.get(&(sx, sy)).copied();
                while let Some(i) = at {
                    let k: &Glyph = &keep[i];
                    if k.text == g.text
                        && (k.bbox.x0 - g.bbox.x0).abs() < 1.0
                        && (k.bbox.y0 - g.bbox.y0).abs() < 1.0
                        && (k.font_size - g.font_size).abs() < 0.5
                    {
                        return true;
                    }
                    at = Some(next[i]).filter(|&n| n != usize::MAX);
                }
                false
            })
        });
        if !dup {
            let previous = seen.insert((square(x), square(y)), keep.len());
            next.push(previous.unwrap_or(usize::MAX));
            keep.push(g);
        }
    }
    *glyphs = keep;
    before - glyphs.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testpdf::{simple_font, text_of, TestPdf};
    use lopdf::dictionary;

    /// A page with Helvetica-like /F1 (every width 500) drawing `content`.
    fn page_with(content: &str) -> crate::Page {
        let mut pdf = TestPdf::with_helvetica();
        pdf.page(content.as_bytes(), 0);
        pdf.first_page()
    }

    fn x0s(page: &crate::Page) -> Vec<f64> {
        page.glyphs
            .iter()
            .map(|g| (g.bbox.x0 * 100.0).round() / 100.0)
            .collect()
    }

    #[test]
    fn tj_kerning_moves_the_pen() {
        let page = page_with("BT /F1 10 Tf 100 700 Td (AB) Tj [(C) -1000 (D) 500 (E)] TJ ET");
        assert_eq!(text_of(&page), "ABCDE");
        assert_eq!(x0s(&page), vec![100.0, 105.0, 110.0, 125.0, 125.0]);
        // y is measured from the top: baseline 700 on an 842 pt page, ascent 0.88 em.
        assert!((page.glyphs[0].bbox.y0 - (842.0 - 700.0 - 8.8)).abs() < 0.01);
    }

    #[test]
    fn char_word_spacing_scaling_and_rise() {
        let page = page_with("BT /F1 10 Tf 2 Tc 3 Tw 50 Tz 5 Ts 100 700 Td (A B) Tj ET");
        // Each advance: (5 + Tc [+ Tw for the space]) × 0.5.
        assert_eq!(x0s(&page), vec![100.0, 103.5, 108.5]);
        assert!(
            (page.glyphs[0].bbox.y1 - (842.0 - 705.0 + 1.2)).abs() < 0.01,
            "rise lifts the glyph by 5 pt"
        );
    }

    #[test]
    fn leading_and_next_line_operators() {
        let page = page_with("BT /F1 10 Tf 12 TL 100 700 Td (A) Tj T* (B) Tj (C) ' 1 2 (D) \" 0 -24 TD (E) Tj T* (F) Tj ET");
        let baselines: Vec<f64> = page
            .glyphs
            .iter()
            .map(|g| ((842.0 - g.bbox.y1 + 1.2) * 100.0).round() / 100.0)
            .collect();
        assert_eq!(text_of(&page), "ABCDEF");
        assert_eq!(
            baselines,
            vec![700.0, 688.0, 676.0, 664.0, 640.0, 616.0],
            "TD sets the leading to 24"
        );
    }

    #[test]
    fn tm_and_cm_scale_the_font_size() {
        let page = page_with("2 0 0 2 0 0 cm BT /F1 10 Tf 1 0 0 1.5 10 10 Tm (A) Tj ET");
        let g = &page.glyphs[0];
        assert!(
            (g.font_size - 30.0).abs() < 0.01,
            "10 pt × 1.5 (Tm) × 2 (cm)"
        );
        assert!((g.bbox.width() - 10.0).abs() < 0.01);
        assert!((g.bbox.x0 - 20.0).abs() < 0.01);
    }

    #[test]
    fn rotated_text_is_not_upright() {
        let page =
            page_with("BT /F1 10 Tf 0 1 -1 0 300 300 Tm (A) Tj 1 0 0 1 100 100 Tm (B) Tj ET");
        assert_eq!(
            page.glyphs.iter().map(|g| g.upright).collect::<Vec<_>>(),
            vec![false, true]
        );
    }

    /// A cell clips its text (Excel, WPS): what overflows it is hidden, and so not read. The
    /// clip holds until `Q`, narrows when nested, and a path that is no rectangle clips to its
    /// box (regression: 西安 1598881b p32 read `公公务接待费`, the `公` hidden in the next cell).
    #[test]
    fn text_outside_the_clipping_path_is_hidden() {
        let page = page_with(concat!(
            // A 20 pt cell holding the first 4 of 6 glyphs (5 pt each).
            "q 100 690 20 20 re W n BT /F1 10 Tf 100 700 Td (ABCDEF) Tj ET Q ",
            // After `Q` nothing clips.
            "BT /F1 10 Tf 100 600 Td (GH) Tj ET ",
            // Nested: the second clip narrows the first to 100..105.
            "q 100 490 20 20 re W n 95 480 10 40 re W* n BT /F1 10 Tf 100 500 Td (IJ) Tj ET Q ",
            // A triangle clips to its box, 100..130.
            "q 100 390 m 130 390 l 115 410 l h W n BT /F1 10 Tf 100 400 Td (KLMNOPQ) Tj ET Q ",
            // A curve bulges past its end points: it does not narrow the clip.
            "q 100 290 m 100 330 150 330 150 290 c h W n BT /F1 10 Tf 100 300 Td (RS) Tj ET Q ",
            // A painting operator ends the clipping path as `n` does: 100..105.
            "q 100 190 5 20 re W f BT /F1 10 Tf 100 200 Td (TU) Tj ET Q ",
            // A `W` that nothing ends clips nothing.
            "q 100 90 5 20 re W Q BT /F1 10 Tf 100 100 Td (VW) Tj ET",
        ));
        assert_eq!(text_of(&page), "ABCDGHIKLMNOPRSTVW");
        assert!(page
            .warnings
            .iter()
            .any(|w| w.kind == WarningKind::Clipped && w.message.starts_with("5 glyphs")));
    }

    #[test]
    fn strokes_thin_fills_and_boxes_become_rules() {
        let page = page_with(concat!(
            "0.5 w 100 100 m 300 100 l S ",        // horizontal line
            "100 100 m 100 300 l S ",              // vertical line
            "100 100 200 50 re S ",                // 4 edges
            "0 g 100 400 200 0.6 re f ",           // thin fill: a rule
            "0.8 g 100 500 200 40 re f ",          // grey box: a Rect
            "1 g 100 600 200 0.6 re f ",           // white: covers, not a rule
            "0 G 1 1 1 RG 100 650 m 300 650 l S ", // white stroke
            "0 0 0 RG 50 50 400 400 re W n ",      // a clip path paints nothing
            "100 700 m 150 750 l S ",              // diagonal
            "100 710 m 120 760 140 760 160 710 c S"
        ));
        let kinds: Vec<Orientation> = page.rules.iter().map(|r| r.orientation).collect();
        use Orientation::*;
        assert_eq!(
            kinds,
            vec![
                Horizontal, Vertical, Horizontal, Vertical, Horizontal, Vertical, Horizontal, Rect
            ]
        );
        let thin = page.rules[6];
        assert!((thin.y0 - (842.0 - 400.3)).abs() < 0.01 && (thin.width - 0.6).abs() < 0.01);
        assert!((page.rules[0].width - 0.5).abs() < 0.01);
    }

    #[test]
    fn form_xobjects_draw_with_their_matrix_and_cycles_stop() {
        let mut pdf = TestPdf::with_helvetica();
        let form = pdf.stream(
            dictionary! { "Type" => "XObject", "Subtype" => "Form", "BBox" => vec![0.into(), 0.into(), 100.into(), 100.into()], "Matrix" => vec![1.into(), 0.into(), 0.into(), 1.into(), 50.into(), 0.into()] },
            b"BT /F1 10 Tf 100 700 Td (F) Tj ET /Self Do",
        );
        // The form names itself in its own resources: drawing it must stop, not recurse forever.
        let res = dictionary! { "Font" => dictionary! { "F1" => simple_font("Type1", "Helvetica", "WinAnsiEncoding".into()) }, "XObject" => dictionary! { "Self" => form } };
        if let Ok(lopdf::Object::Stream(s)) = pdf.doc.get_object_mut(form) {
            s.dict.set("Resources", res);
        }
        pdf.xobject("Fm1", form);
        pdf.page(
            b"q 1 0 0 1 0 -100 cm /Fm1 Do Q BT /F1 10 Tf 100 700 Td (P) Tj ET",
            0,
        );
        let page = pdf.first_page();
        assert_eq!(
            text_of(&page).chars().filter(|c| *c == 'F').count(),
            1,
            "the form's call of itself is refused by object id"
        );
        let f = &page.glyphs[0];
        assert!(
            (f.bbox.x0 - 150.0).abs() < 0.01 && (f.bbox.y1 - (842.0 - 600.0 + 1.2)).abs() < 0.01,
            "form matrix then cm: {:?}",
            f.bbox
        );
        assert!(
            page.glyphs
                .last()
                .is_some_and(|g| g.text == "P" && (g.bbox.x0 - 100.0).abs() < 0.01),
            "Q restores the state"
        );
        assert!(page
            .warnings
            .iter()
            .any(|w| w.kind == WarningKind::XObjectCycle));
    }

    #[test]
    fn fake_bold_duplicates_and_off_page_glyphs_are_dropped() {
        let page = page_with("BT /F1 10 Tf 100 700 Td (AB) Tj ET BT /F1 10 Tf 100.4 700.2 Td (AB) Tj ET BT /F1 10 Tf 100 -500 Td (Z) Tj ET");
        assert_eq!(text_of(&page), "AB");
        let kinds: Vec<WarningKind> = page.warnings.iter().map(|w| w.kind).collect();
        assert_eq!(
            kinds,
            vec![WarningKind::OutsidePage, WarningKind::DuplicateGlyphs]
        );
    }

    #[test]
    fn missing_font_and_bad_operands_are_warnings() {
        let page = page_with("BT /F9 10 Tf 100 700 Td (A) Tj /F1 10 Tf (B) Tj (x) Td ET");
        assert_eq!(text_of(&page), "B");
        let kinds: Vec<WarningKind> = page.warnings.iter().map(|w| w.kind).collect();
        assert_eq!(
            kinds,
            vec![WarningKind::MissingFont, WarningKind::BadOperator]
        );
    }

    #[test]
    fn thin_fills_become_rules_and_thick_ones_boxes() {
        let h = rect_rule(&[(10.0, 20.0), (110.0, 20.0), (110.0, 20.5), (10.0, 20.5)]).unwrap();
        assert_eq!(
            (h.orientation, h.y0, h.x1),
            (Orientation::Horizontal, 20.25, 110.0)
        );
        let v = rect_rule(&[(10.0, 20.0), (10.6, 20.0), (10.6, 90.0), (10.0, 90.0)]).unwrap();
        assert_eq!(v.orientation, Orientation::Vertical);
        let r = rect_rule(&[(0.0, 0.0), (50.0, 0.0), (50.0, 30.0), (0.0, 30.0)]).unwrap();
        assert_eq!(r.orientation, Orientation::Rect);
        assert!(
            rect_rule(&[(0.0, 0.0), (50.0, 10.0), (40.0, 30.0), (0.0, 30.0)]).is_none(),
            "a skewed quad is no rule"
        );
        let mitred = rect_rule(&[
            (42.0, 480.34),
            (270.9, 480.34),
            (270.9, 479.59),
            (42.75, 479.59),
        ])
        .unwrap();
        assert_eq!(
            (mitred.orientation, mitred.x0, mitred.x1),
            (Orientation::Horizontal, 42.0, 270.9),
            "a cell border mitred at its corner is a rule"
        );
        let side = rect_rule(&[
            (42.0, 458.44),
            (42.0, 474.79),
            (42.75, 474.04),
            (42.75, 458.44),
        ]);
        assert_eq!(side.map(|r| r.orientation), Some(Orientation::Vertical));
    }

    #[test]
    fn diagonal_segments_are_not_rules() {
        assert!(segment_rule((0.0, 0.0), (10.0, 10.0), 1.0).is_none());
        assert_eq!(
            segment_rule((0.0, 5.0), (10.0, 5.0), 1.0)
                .unwrap()
                .orientation,
            Orientation::Horizontal
        );
        assert_eq!(
            segment_rule((3.0, 0.0), (3.0, 10.0), 1.0)
                .unwrap()
                .orientation,
            Orientation::Vertical
        );
    }
}
