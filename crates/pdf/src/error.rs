//! Typed errors of the PDF layer. Each names the file, and the page or object where known.

use std::path::PathBuf;

/// An object number and generation, as printed in error messages (`12 0 R`).
pub type ObjectRef = (u32, u16);

/// What can stop the PDF layer from reading a document or a page.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PdfError {
    /// The file could not be read from disk.
    #[error("{file}: cannot read file: {source}")]
    Io {
        file: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The bytes are not a PDF at all (no `%PDF-` header anywhere near the start).
    #[error("{file}: not a PDF (no %PDF- header)")]
    NotPdf { file: PathBuf },
    /// The file is a PDF but its structure could not be parsed or recovered.
    #[error("{file}: malformed PDF: {message}")]
    Malformed { file: PathBuf, message: String },
    /// The document needs a user password to be opened.
    #[error("{file}: encrypted, a user password is required")]
    Encrypted { file: PathBuf },
    /// An object the document needs is missing or has the wrong type.
    #[error("{file}: object {} {} R: {message}", object.0, object.1)]
    Object {
        file: PathBuf,
        object: ObjectRef,
        message: String,
    },
    /// A page could not be interpreted.
    #[error("{file}: page {page}: {message}")]
    Page {
        file: PathBuf,
        page: u32,
        message: String,
    },
    /// A page number outside the document was asked for.
    #[error("{file}: page {page} does not exist (the document has {count} pages)")]
    NoSuchPage {
        file: PathBuf,
        page: u32,
        count: u32,
    },
    /// A resource limit was reached (file size, decompressed bytes, nesting depth, pages,
    /// glyphs per page, time); `limit` names it by its command-line flag.
    #[error("{file}: resource limit {} reached: {detail}", limit.flag())]
    ResourceLimit {
        file: PathBuf,
        limit: crate::Limit,
        detail: String,
    },
}

/// The PDF layer's result type.
pub type Result<T, E = PdfError> = std::result::Result<T, E>;
