//! A PDF file read whole into memory, for lopdf (which parses from a byte slice).

use std::fs::File;
use std::io::{ErrorKind, Read, Seek};
use std::ops::Deref;
use std::path::Path;

use crate::error::{PdfError, Result};
use crate::limits::Limit;

/// The size of a transparent huge page on x86-64 and most arm64 kernels.
const HUGE_PAGE: usize = 2 << 20;

/// A file's bytes. A file of 1 MiB or more is read into anonymous memory of its own that asks
/// the kernel for 2 MiB pages (`MADV_HUGEPAGE`): reading a 2.8 MB scan into fresh 4 KiB pages
/// took 2.2–2.7 ms, most of it 700 page faults, and into 2 MiB pages 0.6–1.0 ms, about a
/// sixth of pdftotext's whole run on it (docs/benchmarks.md, session 12). The memory is not a
/// mapping of the file, so a file truncated while it is read cannot fault the process.
pub struct FileBytes(Held);

enum Held {
    Heap(Vec<u8>),
    Huge {
        memory: memmap2::MmapMut,
        start: usize,
        len: usize,
    },
}

impl Deref for FileBytes {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match &self.0 {
            Held::Heap(bytes) => bytes,
            Held::Huge { memory, start, len } => &memory[*start..start + len],
        }
    }
}

impl From<Vec<u8>> for FileBytes {
    fn from(bytes: Vec<u8>) -> Self {
        FileBytes(Held::Heap(bytes))
    }
}

/// Reads the file at `path` whole; `name` names it in errors. A file of more than `max`
/// bytes is refused without being held: its size is checked first, and the read stops past
/// `max` (a pipe or a device has no size to check).
pub fn read_file(path: &Path, name: &Path, max: usize) -> Result<FileBytes> {
    let io = |source| PdfError::Io {
        file: name.to_path_buf(),
        source,
    };
    let too_large = |detail| PdfError::ResourceLimit {
        file: name.to_path_buf(),
        limit: Limit::FileBytes,
        detail,
    };
    let mut file = File::open(path).map_err(io)?;
    let size = file.metadata().map_err(io)?.len();
    if size > max as u64 {
        return Err(too_large(format!(
            "the file has {size} bytes, more than {max}"
        )));
    }
    let size = size as usize;
    if size >= HUGE_PAGE / 2 {
        if let Some(bytes) = read_huge(&mut file, size).map_err(io)? {
            return Ok(bytes);
        }
        file.rewind().map_err(io)?;
    }
    let mut bytes = Vec::with_capacity(size);
    file.take((max as u64).saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() > max {
        return Err(too_large(format!("the file has more than {max} bytes")));
    }
    Ok(FileBytes(Held::Heap(bytes)))
}

/// Reads a file of `size` bytes into memory of whole huge pages; none when that memory cannot
/// be had or the file has grown since its size was taken (it is then read as a small one is,
/// under the size limit).
fn read_huge(file: &mut File, size: usize) -> std::io::Result<Option<FileBytes>> {
    // One page more than the file needs, so that its bytes can start on a page boundary.
    let Ok(mut memory) = memmap2::MmapMut::map_anon(size.next_multiple_of(HUGE_PAGE) + HUGE_PAGE)
    else {
        return Ok(None);
    };
    // Advice only: a kernel without transparent huge pages reads into small ones.
    #[cfg(target_os = "linux")]
    let _ = memory.advise(memmap2::Advice::HugePage);
    let start = memory.as_ptr().align_offset(HUGE_PAGE);
    let buffer = &mut memory[start..start + size];
    let mut len = 0;
    while len < size {
        match file.read(&mut buffer[len..]) {
            Ok(0) => break,
            Ok(n) => len += n,
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    if len == size && file.read(&mut [0])? != 0 {
        return Ok(None);
    }
    Ok(Some(FileBytes(Held::Huge { memory, start, len })))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(name: &str, bytes: &[u8]) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("cnbudget-file-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    }

    /// Bytes that differ at every offset a page boundary could fall on.
    fn pattern(len: usize) -> Vec<u8> {
        (0..len).map(|i| (i * 7 + i / 251) as u8).collect()
    }

    #[test]
    fn small_and_large_files_read_as_they_are() {
        for len in [
            0,
            1,
            HUGE_PAGE / 2 - 1,
            HUGE_PAGE / 2,
            HUGE_PAGE,
            3 * HUGE_PAGE + 17,
        ] {
            let bytes = pattern(len);
            let path = written(&format!("{len}.pdf"), &bytes);
            let read = read_file(&path, Path::new("x.pdf"), usize::MAX).unwrap();
            assert_eq!(read.len(), len);
            let huge = matches!(read.0, Held::Huge { .. });
            assert_eq!(
                huge,
                len >= HUGE_PAGE / 2,
                "{len} bytes read into the wrong memory"
            );
            assert!(*read == *bytes, "{len} bytes read differently");
        }
    }

    #[test]
    fn a_file_over_the_limit_is_refused_by_name() {
        let path = written("big.pdf", &pattern(HUGE_PAGE));
        let error = read_file(&path, Path::new("big.pdf"), HUGE_PAGE - 1)
            .err()
            .unwrap();
        assert_eq!(
            error.to_string(),
            format!(
                "big.pdf: resource limit --max-file-bytes reached: the file has {} bytes, more than {}",
                HUGE_PAGE,
                HUGE_PAGE - 1
            )
        );
        let exact = read_file(&path, Path::new("big.pdf"), HUGE_PAGE).unwrap();
        assert_eq!(exact.len(), HUGE_PAGE);
    }

    /// A device has no size to check before the read: the read itself stops past the limit.
    #[cfg(unix)]
    #[test]
    fn an_endless_file_is_refused_past_the_limit() {
        let error = read_file(Path::new("/dev/zero"), Path::new("zero"), 4096)
            .err()
            .unwrap();
        assert!(
            error
                .to_string()
                .ends_with("the file has more than 4096 bytes"),
            "{error}"
        );
    }

    #[test]
    fn a_missing_file_is_an_io_error_naming_it() {
        let dir = std::env::temp_dir().join("cnbudget-file-none");
        let error = read_file(&dir.join("gone.pdf"), Path::new("gone.pdf"), 10)
            .err()
            .unwrap();
        assert!(matches!(error, PdfError::Io { .. }), "{error}");
        assert!(error.to_string().starts_with("gone.pdf: cannot read file:"));
    }
}
