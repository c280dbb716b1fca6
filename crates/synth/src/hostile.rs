//! Broken and hostile PDFs, written byte by byte (no PDF library writes them): the fixtures
//! of the robustness tests and the wrappers of the fuzz targets.

use std::io::Write;

/// A PDF written object by object, with control over what a writer would get right.
#[derive(Default)]
pub struct RawPdf {
    objects: Vec<Vec<u8>>,
}

impl RawPdf {
    pub fn new() -> RawPdf {
        RawPdf::default()
    }

    /// Adds an object body (`<< … >>`, `[…]`, a stream); returns its object number.
    pub fn add(&mut self, body: impl AsRef<[u8]>) -> usize {
        self.objects.push(body.as_ref().to_vec());
        self.objects.len()
    }

    /// Replaces object `n` (to make references point forward or at themselves).
    pub fn set(&mut self, n: usize, body: impl AsRef<[u8]>) {
        self.objects[n - 1] = body.as_ref().to_vec();
    }

    /// Adds a stream with `dict` entries besides `/Length`, which is `length` when given (a
    /// wrong one) and the true length otherwise.
    pub fn stream(&mut self, dict: &str, data: &[u8], length: Option<usize>) -> usize {
        let mut body = format!(
            "<< /Length {} {dict} >>\nstream\n",
            length.unwrap_or(data.len())
        )
        .into_bytes();
        body.extend_from_slice(data);
        body.extend_from_slice(b"\nendstream");
        self.add(body)
    }

    /// The file, with catalog `root`; `startxref: false` leaves the trailer's pointer out.
    pub fn finish(&self, root: usize, startxref: bool) -> Vec<u8> {
        let mut out = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec();
        let mut offsets = Vec::new();
        for (i, body) in self.objects.iter().enumerate() {
            offsets.push(out.len());
            let _ = writeln!(out, "{} 0 obj", i + 1);
            out.extend_from_slice(body);
            out.extend_from_slice(b"\nendobj\n");
        }
        let xref = out.len();
        let _ = write!(out, "xref\n0 {}\n0000000000 65535 f \n", offsets.len() + 1);
        for o in offsets {
            let _ = writeln!(out, "{o:010} 00000 n ");
        }
        let _ = write!(
            out,
            "trailer\n<< /Size {} /Root {root} 0 R >>\n",
            self.objects.len() + 1
        );
        if startxref {
            let _ = write!(out, "startxref\n{xref}\n");
        }
        out.extend_from_slice(b"%%EOF\n");
        out
    }
}

/// Deflates `data` (zlib), as `/FlateDecode` streams hold it.
pub fn deflate(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    let _ = e.write_all(data);
    e.finish().unwrap_or_default()
}

/// A deflated stream of `n` zero bytes, written in pieces (never `n` bytes in memory).
pub fn zeros_deflated(n: usize) -> Vec<u8> {
    let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    let chunk = vec![0u8; 1 << 20];
    let mut left = n;
    while left > 0 {
        let k = left.min(chunk.len());
        let _ = e.write_all(&chunk[..k]);
        left -= k;
    }
    e.finish().unwrap_or_default()
}

/// Options of [`page_pdf`].
#[derive(Default)]
pub struct PageOptions<'a> {
    /// Extra entries of the page dictionary.
    pub page_extra: &'a str,
    /// The content stream's filter entry (`/Filter /FlateDecode`).
    pub filter: &'a str,
    /// A wrong `/Length` for the content stream.
    pub length: Option<usize>,
    /// The content stream drawn this many times (the page's `/Contents` array).
    pub repeat: usize,
    /// A ToUnicode CMap for font `/F2` (a Type0 `Identity-H` font, not embedded).
    pub to_unicode: Option<&'a [u8]>,
    /// Leave `startxref` out.
    pub no_startxref: bool,
}

/// A one-page PDF drawing `content`, with `/F1` (Helvetica) and `/F2` (Type0) as fonts.
pub fn page_pdf(content: &[u8], o: &PageOptions) -> Vec<u8> {
    let mut pdf = RawPdf::new();
    let catalog = pdf.add("<< /Type /Catalog /Pages 2 0 R >>");
    pdf.add("<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
    let page = pdf.add("");
    let stream = pdf.stream(o.filter, content, o.length);
    let f1 = pdf.add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
    let cid = pdf.add(
        "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Fuzz \
         /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 >>",
    );
    let cmap = o
        .to_unicode
        .map(|c| format!("/ToUnicode {} 0 R", pdf.stream("", c, None)))
        .unwrap_or_default();
    let f2 = pdf.add(format!(
        "<< /Type /Font /Subtype /Type0 /BaseFont /Fuzz /Encoding /Identity-H \
         /DescendantFonts [{cid} 0 R] {cmap} >>"
    ));
    let contents = vec![format!("{stream} 0 R"); o.repeat.max(1)].join(" ");
    pdf.set(
        page,
        format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents [{contents}] \
             /Resources << /Font << /F1 {f1} 0 R /F2 {f2} 0 R >> >> {} >>",
            o.page_extra
        ),
    );
    pdf.finish(catalog, !o.no_startxref)
}

/// A document of `pages` pages sharing one content stream.
pub fn many_pages(pages: usize) -> Vec<u8> {
    let mut pdf = RawPdf::new();
    let catalog = pdf.add("<< /Type /Catalog /Pages 2 0 R >>");
    pdf.add("");
    let content = pdf.stream("", b"BT /F1 12 Tf 72 700 Td (Page) Tj ET", None);
    let font = pdf.add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
    let kids: Vec<String> = (0..pages)
        .map(|_| {
            let n = pdf.add(format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {content} 0 R \
                 /Resources << /Font << /F1 {font} 0 R >> >> >>"
            ));
            format!("{n} 0 R")
        })
        .collect();
    pdf.set(
        2,
        format!(
            "<< /Type /Pages /Kids [{}] /Count {pages} >>",
            kids.join(" ")
        ),
    );
    pdf.finish(catalog, true)
}

/// A page tree whose root lists itself among its kids.
pub fn self_referencing_tree() -> Vec<u8> {
    let mut pdf = RawPdf::new();
    let catalog = pdf.add("<< /Type /Catalog /Pages 2 0 R >>");
    pdf.add("<< /Type /Pages /Kids [2 0 R] /Count 1 >>");
    pdf.finish(catalog, true)
}

/// One line of text drawn with `/F1`.
pub const HELLO: &[u8] = b"BT /F1 12 Tf 72 700 Td (Hello) Tj ET";

/// `n` nested arrays: `[[[…]]]`.
pub fn nested_arrays(n: usize) -> Vec<u8> {
    [b"[".repeat(n), b"]".repeat(n)].concat()
}

/// A text object drawing `n` glyphs with `/F1`, deflated.
pub fn glyph_flood(n: usize) -> Vec<u8> {
    let mut content = b"BT /F1 1 Tf 10 10 Td (".to_vec();
    content.extend(std::iter::repeat_n(b'A', n));
    content.extend_from_slice(b") Tj ET");
    deflate(&content)
}
