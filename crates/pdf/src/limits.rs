//! Resource limits: what one document may cost, so a broken or crafted file stops with a
//! typed error naming the limit instead of exhausting memory, the stack or the clock.

use serde::Serialize;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// A resource limit a document can reach; each is a flag of `cnbudget extract`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Limit {
    /// Size of the file itself.
    FileBytes,
    /// Bytes one stream may decompress to.
    StreamBytes,
    /// Bytes all the streams of a document may decompress to together.
    DocumentBytes,
    /// Nesting of arrays and dictionaries (in the file and in content streams).
    Depth,
    /// Pages in one document.
    Pages,
    /// Glyphs drawn on one page.
    GlyphsPerPage,
    /// Wall-clock time for one document.
    Timeout,
}

impl Limit {
    /// The command-line flag that sets it (`--max-stream-bytes`).
    pub fn flag(self) -> &'static str {
        match self {
            Limit::FileBytes => "--max-file-bytes",
            Limit::StreamBytes => "--max-stream-bytes",
            Limit::DocumentBytes => "--max-document-bytes",
            Limit::Depth => "--max-depth",
            Limit::Pages => "--max-pages",
            Limit::GlyphsPerPage => "--max-glyphs-per-page",
            Limit::Timeout => "--doc-timeout",
        }
    }
}

/// Resource limits applied to one document (defaults in `docs/robustness.md`).
#[derive(Debug, Clone)]
pub struct Limits {
    /// Largest file read at all.
    pub max_file_bytes: usize,
    /// Most bytes any one stream may decompress to.
    pub max_stream_bytes: usize,
    /// Most bytes all streams of one document may decompress to together.
    pub max_document_bytes: usize,
    /// Deepest nesting of arrays and dictionaries; lopdf's parser stops at 100 whatever this
    /// says, so it can only be lowered.
    pub max_depth: usize,
    /// Deepest nesting of Form XObjects (deeper ones are skipped with a warning).
    pub max_form_depth: usize,
    /// Most pages one document may have.
    pub max_pages: usize,
    /// Most glyphs one page may draw.
    pub max_glyphs_per_page: usize,
    /// Wall-clock time one document may take, from opening it (none: no limit).
    pub timeout: Option<Duration>,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 256 << 20,
            max_stream_bytes: 64 << 20,
            max_document_bytes: 256 << 20,
            max_depth: 100,
            max_form_depth: 32,
            max_pages: 10_000,
            max_glyphs_per_page: 200_000,
            timeout: None,
        }
    }
}

/// A limit reached, and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Reached {
    pub limit: Limit,
    pub detail: String,
}

/// What one open document may still spend: decompressed bytes, and time.
#[derive(Debug)]
pub(crate) struct Budget {
    bytes_left: AtomicUsize,
    deadline: Option<Instant>,
    timeout: Option<Duration>,
}

impl Budget {
    pub fn new(limits: &Limits) -> Budget {
        Budget {
            bytes_left: AtomicUsize::new(limits.max_document_bytes),
            deadline: limits.timeout.map(|t| Instant::now() + t),
            timeout: limits.timeout,
        }
    }

    /// The most one stream may decompress to now: its own limit, or what the document has
    /// left if that is less (and which of the two it is).
    pub fn allowance(&self, per_stream: usize) -> (usize, Limit) {
        let left = self.bytes_left.load(Ordering::Relaxed);
        if left < per_stream {
            (left, Limit::DocumentBytes)
        } else {
            (per_stream, Limit::StreamBytes)
        }
    }

    /// Spends `n` decompressed bytes.
    pub fn spend(&self, n: usize) {
        // Saturating: `allowance` already kept `n` within what was left.
        let _ = self
            .bytes_left
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |l| {
                Some(l.saturating_sub(n))
            });
    }

    /// The wall-clock limit, if it has passed.
    pub fn out_of_time(&self) -> Option<Reached> {
        let (deadline, timeout) = (self.deadline?, self.timeout?);
        (Instant::now() >= deadline).then(|| Reached {
            limit: Limit::Timeout,
            detail: format!("still reading after {} s", timeout.as_secs_f64()),
        })
    }
}

/// The byte offset at which arrays and dictionaries in `bytes` nest deeper than `max`, if
/// they do. Strings, comments, stream data and inline image data are skipped, so only the
/// syntax a parser would recurse into counts. One pass, no allocation.
pub(crate) fn too_deep(bytes: &[u8], max: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = 0;
    let n = bytes.len();
    let word_at = |i: usize, w: &[u8]| {
        bytes[i..].starts_with(w)
            && (i == 0 || bytes[i - 1].is_ascii_whitespace() || bytes[i - 1] == b'>')
            && bytes
                .get(i + w.len())
                .is_none_or(|c| c.is_ascii_whitespace())
    };
    while i < n {
        // Most bytes open or close nothing: skip them in a tight loop (this scan was a
        // twentieth of the pipeline's time, as long as lexing the streams).
        while i < n
            && !matches!(
                bytes[i],
                b'%' | b'(' | b'<' | b'>' | b'[' | b']' | b's' | b'I'
            )
        {
            i += 1;
        }
        if i == n {
            break;
        }
        match bytes[i] {
            b'%' => {
                while i < n && bytes[i] != b'\n' && bytes[i] != b'\r' {
                    i += 1;
                }
            }
            b'(' => {
                let mut parens = 0usize;
                while i < n {
                    match bytes[i] {
                        b'\\' => i += 1,
                        b'(' => parens += 1,
                        b')' => {
                            parens -= 1;
                            if parens == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
            }
            b'<' if bytes.get(i + 1) == Some(&b'<') => {
                depth += 1;
                i += 1;
            }
            b'<' => {
                while i < n && bytes[i] != b'>' {
                    i += 1;
                }
            }
            b'>' if bytes.get(i + 1) == Some(&b'>') => {
                depth = depth.saturating_sub(1);
                i += 1;
            }
            b'[' => depth += 1,
            b']' => depth = depth.saturating_sub(1),
            b's' if word_at(i, b"stream") => match find(&bytes[i..], b"endstream") {
                Some(k) => i += k + 8,
                None => return None,
            },
            b'I' if word_at(i, b"ID") => match find(&bytes[i..], b"EI") {
                Some(k) => i += k + 1,
                None => return None,
            },
            _ => {}
        }
        if depth > max {
            return Some(i);
        }
        i += 1;
    }
    None
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(hay, needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_counts_arrays_and_dictionaries_only() {
        let deep = [b"[".repeat(101), b"]".repeat(101)].concat();
        assert_eq!(too_deep(&deep, 100), Some(100));
        assert_eq!(too_deep(&deep, 101), None);
        let dicts = b"<< /A << /B << /C 1 >> >> >>";
        assert_eq!(too_deep(dicts, 2), Some(13));
        // Brackets inside strings, hex strings, comments, streams and inline images do not count.
        let hidden = b"([[[[) <5b5b> %[[[[\n stream\n[[[[\nendstream BI /W 1 ID [[[[ EI [1]";
        assert_eq!(too_deep(hidden, 1), None);
        // `/ID` is a name, not an inline image: the array after it counts.
        assert_eq!(too_deep(b"<< /ID [[1]] >>", 2), Some(8));
        // An unterminated string or stream ends the scan without a finding.
        assert_eq!(too_deep(b"(((( [[[", 1), None);
    }
}
