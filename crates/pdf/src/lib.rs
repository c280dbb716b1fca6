//! The PDF layer of cnbudget: every glyph and ruling of a budget PDF, read with lopdf.
//!
//! [`Document::open`] reads a file (decrypting empty-password files), [`Document::page`]
//! interprets one page into a [`Page`] of [`Glyph`]s and [`Rule`]s in the upright reading frame
//! (origin top-left, y down, `/Rotate` applied), with non-fatal [`Warning`]s as data.
//! [`text`] rebuilds lines in reading order for `cnbudget text`.

mod content;
mod document;
mod error;
mod file;
mod font;
mod geom;
mod hash;
mod image;
mod lexer;
mod limits;
mod model;
mod objects;
#[cfg(test)]
mod testpdf;
pub mod text;

pub use document::{Document, DocumentInfo, Load, PageInfo};
pub use error::{PdfError, Result};
pub use file::{read_file, FileBytes};
pub use font::FontInfo;
pub use geom::{Matrix, Rect};
pub use image::{ColorSpace, ImageCodec, ImageData};
pub use limits::{Limit, Limits};
pub use model::{
    DecodePath, Glyph, GlyphText, Orientation, Page, PlacedImage, Rule, Warning, WarningKind,
};
