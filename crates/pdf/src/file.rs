//! A PDF file read whole into memory, for lopdf (which parses from a byte slice).

use std::fs::File;
use std::io::{ErrorKind, Read, Seek};
use std::ops::Deref;
use std::path::Path;

use crate::error::{PdfError, Result};
use crate::limits::Limit;

/// The size of a transparent huge page on x86-64 and most arm64 kernels.
const HUGE_PAGE: usize = 2 << 20;

/// Files from this size on are read into huge pages. At 1.05 MB one huge page saved half the
/// read's time; at 457 KB zeroing one cost what the 4 KiB faults it saved did.
const HUGE_FROM: usize = 1 << 20;

/// A file's bytes. On Linux a file of 1 MiB or more is read into anonymous memory of its own
/// advised for 2 MiB pages (`MADV_HUGEPAGE`): reading a 2.8 MB scan into fresh 4 KiB pages
/// took 2.2–2.7 ms, most of it 700 page faults, and into 2 MiB pages 0.6–1.0 ms; the 1.5 ms
/// saved is a quarter of pdftotext's whole run on that file (docs/benchmarks.md, session 12).
/// The memory is not a mapping of the file, so a file truncated while it is read cannot
/// fault the process.
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
    if cfg!(target_os = "linux") && size >= HUGE_FROM {
        if let Some(bytes) = read_huge(&mut file, size).map_err(io)? {
            return Ok(bytes);
        }
        file.rewind().map_err(io)?;
    }
    // Short of memory, this document fails, not the process (as `std::fs::read` would).
    let mut bytes = Vec::new();
    bytes
        .try_reserve_exact(size)
        .map_err(|_| io(ErrorKind::OutOfMemory.into()))?;
    file.take((max as u64).saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() > max {
        return Err(too_large(format!("the file has more than {max} bytes")));
    }
    Ok(FileBytes(Held::Heap(bytes)))
}

/// Reads a file of `size` bytes into memory of whole huge pages, or fewer bytes if the file
/// has shrunk since its size was taken; none when that memory cannot be had or the file has
/// grown (it is then read as a small one is, under the size limit).
fn read_huge(file: &mut impl Read, size: usize) -> std::io::Result<Option<FileBytes>> {
    // One page more than the file needs, so that its bytes can start on a page boundary.
    let Some(Ok(mut memory)) = size
        .checked_next_multiple_of(HUGE_PAGE)
        .and_then(|whole| whole.checked_add(HUGE_PAGE))
        .map(memmap2::MmapMut::map_anon)
    else {
        return Ok(None);
    };
    // Advice only: a kernel without transparent huge pages reads into small ones.
    #[cfg(target_os = "linux")]
    let _ = memory.advise(memmap2::Advice::HugePage);
    let start = (memory.as_ptr() as usize).wrapping_neg() % HUGE_PAGE;
    let len = fill(file, &mut memory[start..start + size])?;
    if len == size && fill(file, &mut [0])? != 0 {
        return Ok(None);
    }
    Ok(Some(FileBytes(Held::Huge { memory, start, len })))
}

/// Reads until `buffer` is full or the file ends; how many bytes it read.
fn fill(file: &mut impl Read, buffer: &mut [u8]) -> std::io::Result<usize> {
    let mut len = 0;
    while len < buffer.len() {
        match file.read(&mut buffer[len..]) {
            Ok(0) => break,
            Ok(n) => len += n,
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(len)
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
            HUGE_FROM - 1,
            HUGE_FROM,
            HUGE_PAGE,
            3 * HUGE_PAGE + 17,
        ] {
            let bytes = pattern(len);
            let path = written(&format!("{len}.pdf"), &bytes);
            let read = read_file(&path, Path::new("x.pdf"), usize::MAX).unwrap();
            std::fs::remove_file(&path).unwrap();
            assert_eq!(read.len(), len);
            assert!(*read == *bytes, "{len} bytes read differently");
            let huge = matches!(read.0, Held::Huge { .. });
            let expected = cfg!(target_os = "linux") && len >= HUGE_FROM;
            assert_eq!(huge, expected, "{len} bytes read into the wrong memory");
            if huge {
                assert_eq!(
                    read.as_ptr() as usize % HUGE_PAGE,
                    0,
                    "{len} bytes misaligned"
                );
            }
        }
    }

    /// A file whose size changed between the size being taken and the read.
    #[test]
    fn a_file_that_grew_or_shrank_is_read_as_it_now_is() {
        let bytes = pattern(HUGE_FROM + 10);
        let shrunk = read_huge(&mut &bytes[..HUGE_FROM], bytes.len()).unwrap();
        assert!(*shrunk.unwrap() == bytes[..HUGE_FROM]);
        let grown = read_huge(&mut &bytes[..], HUGE_FROM).unwrap();
        assert!(
            grown.is_none(),
            "a grown file is left to the read under the limit"
        );
        let same = read_huge(&mut &bytes[..], bytes.len()).unwrap();
        assert!(*same.unwrap() == *bytes);
    }

    /// A read interrupted by a signal is tried again, not taken for the file's end.
    #[test]
    fn an_interrupted_read_goes_on() {
        struct Interrupted<'a>(bool, &'a [u8]);
        impl Read for Interrupted<'_> {
            fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
                if std::mem::replace(&mut self.0, false) {
                    return Err(ErrorKind::Interrupted.into());
                }
                self.1.read(buffer)
            }
        }
        let mut buffer = [0; 4];
        assert_eq!(
            fill(&mut Interrupted(true, b"abc"), &mut buffer).unwrap(),
            3
        );
        assert_eq!(&buffer, b"abc\0");
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
        std::fs::remove_file(&path).unwrap();
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
