//! Atomic file writes: a reader (or a crash) never sees half a file.
//!
//! The bytes go to a new temporary file in the target's folder (same file system, so the final
//! rename is atomic on POSIX), are flushed to disk, and the temporary file is renamed over the
//! target. On any error the temporary file is removed and the target is left as it was.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use super::OutputError;

/// Distinguishes temporary files of one process (threads may write side by side).
static COUNTER: AtomicU64 = AtomicU64::new(0);

/// Writes `bytes` to `path` atomically.
///
/// # Errors
/// - [`OutputError::Symlink`] when `path` is a symbolic link (writing through it would replace a
///   file elsewhere, or the link itself, neither of which a user asked for).
/// - [`OutputError::Io`] naming `path` when the folder is missing or not writable, or the disk
///   is full.
///
/// # Examples
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let dir = std::env::temp_dir().join(format!("corridor-doc-{}", std::process::id()));
/// std::fs::create_dir_all(&dir)?;
/// corridor::output::write_atomic(&dir.join("hello.txt"), b"hello\n")?;
/// assert_eq!(std::fs::read(dir.join("hello.txt"))?, b"hello\n");
/// # std::fs::remove_dir_all(&dir)?;
/// # Ok(())
/// # }
/// ```
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    write_atomic_with(path, |w| w.write_all(bytes))
}

/// Writes to `path` atomically what `write` writes to the (buffered) writer it is given: a large
/// file streamed rather than built in memory first. On any error, of `write` or of the disk,
/// `path` is left as it was.
///
/// # Errors
/// As [`write_atomic`].
pub fn write_atomic_with(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), OutputError> {
    if let Ok(meta) = fs::symlink_metadata(path) {
        if meta.file_type().is_symlink() {
            return Err(OutputError::Symlink {
                path: path.to_path_buf(),
            });
        }
        if meta.is_dir() {
            return Err(OutputError::io(
                path,
                std::io::Error::other("is a folder, not a file"),
            ));
        }
    }
    let (tmp, file) = create_temp(path)?;
    let mut buffered = std::io::BufWriter::with_capacity(1 << 20, file);
    let result = write(&mut buffered)
        .and_then(|()| buffered.into_inner().map_err(|e| e.into_error()))
        .and_then(|file| {
            file.sync_all()?;
            drop(file);
            fs::rename(&tmp, path)
        });
    if let Err(e) = result {
        let _ = fs::remove_file(&tmp);
        return Err(OutputError::io(path, e));
    }
    sync_parent(path);
    Ok(())
}

/// Creates `.<name>.<pid>-<n>.tmp` beside `path`, failing rather than reusing an existing file.
fn create_temp(path: &Path) -> Result<(PathBuf, File), OutputError> {
    let name = path
        .file_name()
        .ok_or_else(|| OutputError::io(path, std::io::Error::other("has no file name")))?;
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    loop {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let tmp = parent.join(format!(
            ".{}.{}-{n}.tmp",
            name.to_string_lossy(),
            std::process::id()
        ));
        match OpenOptions::new().write(true).create_new(true).open(&tmp) {
            Ok(file) => return Ok((tmp, file)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(OutputError::io(path, e)),
        }
    }
}

/// Flushes the folder entry of a rename to disk where the platform allows it; best effort, since
/// the file itself is already complete.
fn sync_parent(path: &Path) {
    #[cfg(unix)]
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        if let Ok(dir) = File::open(parent) {
            let _ = dir.sync_all();
        }
    }
    #[cfg(not(unix))]
    let _ = path;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(tag: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "corridor-atomic-{tag}-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn leftovers(dir: &Path) -> Vec<String> {
        fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".tmp"))
            .collect()
    }

    #[test]
    fn replaces_an_existing_file_and_leaves_no_temporary_file() {
        let dir = temp_dir("replace");
        let path = dir.join("a.txt");
        write_atomic(&path, b"first").unwrap();
        write_atomic(&path, b"second").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"second");
        assert!(leftovers(&dir).is_empty());
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_failed_stream_leaves_the_old_file_and_no_temporary_file() {
        let dir = temp_dir("stream");
        let path = dir.join("a.txt");
        write_atomic_with(&path, |w| w.write_all(b"first")).unwrap();
        let err = write_atomic_with(&path, |w| {
            w.write_all(b"half of a ")?;
            Err(std::io::Error::other("the source failed"))
        })
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("a.txt") && err.contains("the source failed"),
            "{err}"
        );
        assert_eq!(fs::read(&path).unwrap(), b"first");
        assert!(leftovers(&dir).is_empty());
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_missing_folder_is_an_error_naming_the_path() {
        let dir = temp_dir("missing");
        let path = dir.join("no/such/folder/a.txt");
        let err = write_atomic(&path, b"x").unwrap_err().to_string();
        assert!(err.contains("no/such/folder/a.txt"), "{err}");
        fs::remove_dir_all(dir).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn refuses_to_write_through_a_symlink() {
        let dir = temp_dir("symlink");
        let victim = dir.join("victim.txt");
        fs::write(&victim, b"keep me").unwrap();
        let link = dir.join("layer.geojson");
        std::os::unix::fs::symlink(&victim, &link).unwrap();
        let err = write_atomic(&link, b"overwrite").unwrap_err();
        assert!(matches!(err, OutputError::Symlink { .. }), "{err}");
        assert!(err.to_string().contains("layer.geojson"));
        assert_eq!(fs::read(&victim).unwrap(), b"keep me");
        assert!(leftovers(&dir).is_empty());
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn refuses_to_replace_a_folder() {
        let dir = temp_dir("folder");
        let err = write_atomic(&dir, b"x").unwrap_err().to_string();
        assert!(err.contains("is a folder"), "{err}");
        fs::remove_dir_all(dir).unwrap();
    }
}
