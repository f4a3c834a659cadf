//! All-or-nothing output folders: a command writes its whole run into a fresh staging folder
//! beside `--out`, and [`StagedDir::commit`] swaps it in at the end, so that `--out` always holds
//! one complete generation of outputs, the old one or the new one, never a mix, even when the
//! process is killed at any instant.
//!
//! # How
//! 1. [`StagedDir::begin`] checks the target (not a symbolic link, not a file, not read-only),
//!    requires its parent to exist, removes what killed runs left beside it, and creates the
//!    staging folder `.<name>.tmp-<pid>-<n>` in the same parent (same file system).
//! 2. The command writes every file into [`StagedDir::path`] (each file itself atomically).
//! 3. [`StagedDir::commit`] lists the generation's files in `.corridor-outputs`, carries over
//!    (as hard links) what the old folder holds that corridor did not write there (so a data
//!    folder's own `scenarios.toml` survives a re-import), then exchanges the two folders in one
//!    `renameat2(RENAME_EXCHANGE)` on Linux, and deletes the old generation.
//!    Where the exchange is not available (another OS, a file system without it), the old folder
//!    is renamed aside to `.<name>.old-<pid>-<n>` and the new one renamed in: a kill between the
//!    two renames leaves no `--out` for a moment, and the next `begin` renames the old one back.
//!
//! A run that fails (an error, a panic) drops its staging folder; a killed run leaves it beside
//! the target, hidden, until the next run on the same target removes it.

use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use super::OutputError;

/// The file, in each generation, that lists the files corridor wrote there (one relative path a
/// line, sorted).
pub const OUTPUTS_LIST: &str = ".corridor-outputs";

/// A folder holding more foreign entries than this is not carried over (it is most likely not
/// meant as an output folder at all).
pub const MAX_CARRIED_ENTRIES: usize = 10_000;

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// An output folder being written: see the [module documentation](self).
///
/// # Examples
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use corridor::output::{write_atomic, StagedDir};
/// let out = std::env::temp_dir().join(format!("corridor-staged-doc-{}", std::process::id()));
/// let staged = StagedDir::begin(&out)?;
/// write_atomic(&staged.path().join("table.csv"), b"a,b\n1,2\n")?;
/// assert!(!out.join("table.csv").exists()); // nothing visible before the commit
/// staged.commit()?;
/// assert_eq!(std::fs::read(out.join("table.csv"))?, b"a,b\n1,2\n");
/// # std::fs::remove_dir_all(&out)?;
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
pub struct StagedDir {
    target: PathBuf,
    staging: PathBuf,
    done: bool,
}

impl StagedDir {
    /// Prepares to write the folder `target`.
    ///
    /// # Errors
    /// [`OutputError::Symlink`] when `target` is a symbolic link; [`OutputError::Io`] naming the
    /// path when `target` has no folder name (`.`, `..`, `/`), is a file, is read-only, or its
    /// parent is missing, read-only or a file.
    pub fn begin(target: &Path) -> Result<StagedDir, OutputError> {
        let bad = |path: &Path, msg: &str| OutputError::io(path, io::Error::other(msg.to_string()));
        let name = match target.components().next_back() {
            Some(Component::Normal(n)) => n.to_string_lossy().into_owned(),
            _ => {
                return Err(bad(
                    target,
                    "the output folder must be named (not `.`, `..` or `/`)",
                ))
            }
        };
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        if let Ok(meta) = fs::symlink_metadata(target) {
            if meta.file_type().is_symlink() {
                return Err(OutputError::Symlink {
                    path: target.to_path_buf(),
                });
            }
            if !meta.is_dir() {
                return Err(bad(target, "is a file, not a folder"));
            }
            if meta.permissions().readonly() {
                return Err(bad(target, "the output folder is read-only"));
            }
        }
        match fs::metadata(&parent) {
            Ok(meta) if !meta.is_dir() => {
                return Err(bad(&parent, "is a file, not a folder"));
            }
            Ok(meta) if meta.permissions().readonly() => {
                return Err(bad(&parent, "the folder is read-only"));
            }
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Err(bad(
                    &parent,
                    "the parent folder does not exist: create it first (a mistyped path \
                     should not become a new tree of folders)",
                ));
            }
            Err(e) => return Err(OutputError::io(&parent, e)),
        }
        recover(&parent, &name, target);
        loop {
            let n = COUNTER.fetch_add(1, Ordering::Relaxed);
            let staging = parent.join(format!(".{name}.tmp-{}-{n}", std::process::id()));
            match fs::create_dir(&staging) {
                Ok(()) => {
                    return Ok(StagedDir {
                        target: target.to_path_buf(),
                        staging,
                        done: false,
                    })
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(OutputError::io(target, e)),
            }
        }
    }

    /// Where the command writes its files.
    pub fn path(&self) -> &Path {
        &self.staging
    }

    /// The folder the files will be in after [`StagedDir::commit`].
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// The path a file written at `staged` (inside [`StagedDir::path`]) will have after the
    /// commit; other paths come back unchanged.
    pub fn final_path(&self, staged: &Path) -> PathBuf {
        staged
            .strip_prefix(&self.staging)
            .map_or_else(|_| staged.to_path_buf(), |rel| self.target.join(rel))
    }

    /// Swaps the staging folder in as the target; returns the target.
    ///
    /// # Errors
    /// [`OutputError::Symlink`] when the old folder has a symbolic link where this generation
    /// writes a file; [`OutputError::Io`] when the files cannot be listed, carried over or
    /// renamed. On error the old folder is left as it was.
    pub fn commit(mut self) -> Result<PathBuf, OutputError> {
        let ours = list_files(&self.staging).map_err(|e| OutputError::io(&self.staging, e))?;
        let mut text = String::new();
        for f in &ours {
            text.push_str(f);
            text.push('\n');
        }
        super::write_atomic(&self.staging.join(OUTPUTS_LIST), text.as_bytes())?;
        match fs::symlink_metadata(&self.target) {
            Err(_) => {
                fs::rename(&self.staging, &self.target)
                    .map_err(|e| OutputError::io(&self.target, e))?;
            }
            Ok(_) => {
                self.carry_over(&ours)?;
                sync_dir(&self.staging);
                self.swap()?;
            }
        }
        self.done = true;
        sync_dir(self.target.parent().unwrap_or(Path::new(".")));
        Ok(self.target.clone())
    }

    /// Links into the staging folder every top-level entry of the old folder that is neither
    /// written by this generation nor listed as written by the previous one.
    fn carry_over(&self, ours: &[String]) -> Result<(), OutputError> {
        let old = &self.target;
        let previous: BTreeSet<String> = fs::read_to_string(old.join(OUTPUTS_LIST))
            .map(|t| {
                t.lines()
                    .filter_map(|l| l.split('/').next())
                    .map(String::from)
                    .collect()
            })
            .unwrap_or_default();
        let new_top: BTreeSet<&str> = ours.iter().filter_map(|f| f.split('/').next()).collect();
        let mut budget = MAX_CARRIED_ENTRIES;
        for entry in fs::read_dir(old).map_err(|e| OutputError::io(old, e))? {
            let entry = entry.map_err(|e| OutputError::io(old, e))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let path = entry.path();
            if name == OUTPUTS_LIST {
                continue;
            }
            if new_top.contains(name.as_str()) {
                let meta = fs::symlink_metadata(&path).map_err(|e| OutputError::io(&path, e))?;
                if meta.file_type().is_symlink() {
                    return Err(OutputError::Symlink { path });
                }
                continue;
            }
            if previous.contains(&name) {
                continue;
            }
            link_tree(&path, &self.staging.join(&name), &mut budget)
                .map_err(|e| OutputError::io(&path, e))?;
        }
        Ok(())
    }

    /// Puts the staging folder at the target and removes the old generation.
    fn swap(&self) -> Result<(), OutputError> {
        match exchange(&self.staging, &self.target) {
            Ok(()) => {
                // The staging path now holds the old generation.
                let _ = fs::remove_dir_all(&self.staging);
                Ok(())
            }
            Err(_) => {
                let name = self.staging.file_name().map_or_else(String::new, |n| {
                    n.to_string_lossy().replacen(".tmp-", ".old-", 1)
                });
                let aside = self.staging.with_file_name(name);
                fs::rename(&self.target, &aside).map_err(|e| OutputError::io(&self.target, e))?;
                if let Err(e) = fs::rename(&self.staging, &self.target) {
                    let _ = fs::rename(&aside, &self.target);
                    return Err(OutputError::io(&self.target, e));
                }
                let _ = fs::remove_dir_all(&aside);
                Ok(())
            }
        }
    }
}

impl Drop for StagedDir {
    fn drop(&mut self) {
        if !self.done {
            let _ = fs::remove_dir_all(&self.staging);
        }
    }
}

/// Every regular file under `dir`, as `/`-separated relative paths, sorted.
fn list_files(dir: &Path) -> io::Result<Vec<String>> {
    fn walk(dir: &Path, prefix: &str, out: &mut Vec<String>) -> io::Result<()> {
        for entry in fs::read_dir(dir)? {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let rel = if prefix.is_empty() {
                name.clone()
            } else {
                format!("{prefix}/{name}")
            };
            if entry.file_type()?.is_dir() {
                walk(&entry.path(), &rel, out)?;
            } else if name != OUTPUTS_LIST {
                out.push(rel);
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    walk(dir, "", &mut out)?;
    out.sort();
    Ok(out)
}

/// Recreates `from` at `to`: folders as folders, files as hard links (copies where a link is
/// impossible), symbolic links as the same links.
fn link_tree(from: &Path, to: &Path, budget: &mut usize) -> io::Result<()> {
    if *budget == 0 {
        return Err(io::Error::other(format!(
            "the output folder holds more than {MAX_CARRIED_ENTRIES} files corridor did not \
             write; choose a new or empty output folder"
        )));
    }
    *budget -= 1;
    let meta = fs::symlink_metadata(from)?;
    if meta.file_type().is_symlink() {
        #[cfg(unix)]
        return std::os::unix::fs::symlink(fs::read_link(from)?, to);
        #[cfg(not(unix))]
        return Ok(());
    }
    if meta.is_dir() {
        fs::create_dir(to)?;
        for entry in fs::read_dir(from)? {
            let entry = entry?;
            link_tree(&entry.path(), &to.join(entry.file_name()), budget)?;
        }
        return Ok(());
    }
    if fs::hard_link(from, to).is_err() {
        fs::copy(from, to)?;
    }
    Ok(())
}

/// Exchanges two paths in one atomic step (Linux `renameat2` with `RENAME_EXCHANGE`).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let a = CString::new(a.as_os_str().as_bytes())?;
    let b = CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: both pointers are valid NUL-terminated strings for the duration of the call.
    let rc = unsafe {
        libc::syscall(
            libc::SYS_renameat2,
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}

/// Removes what killed runs left beside `target`: staging folders of processes that no longer
/// run, and, when the target is missing, renames an old generation left aside back.
fn recover(parent: &Path, name: &str, target: &Path) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    let tmp = format!(".{name}.tmp-");
    let old = format!(".{name}.old-");
    let mut olds = Vec::new();
    for entry in entries.flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        let (rest, is_old) = match (file.strip_prefix(&tmp), file.strip_prefix(&old)) {
            (Some(r), _) => (r, false),
            (_, Some(r)) => (r, true),
            _ => continue,
        };
        let pid = rest.split('-').next().and_then(|p| p.parse::<u32>().ok());
        if pid.is_none_or(alive) {
            continue;
        }
        if is_old {
            olds.push(entry.path());
        } else {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
    for path in olds {
        if fs::symlink_metadata(target).is_err() {
            let _ = fs::rename(&path, target);
        } else {
            let _ = fs::remove_dir_all(&path);
        }
    }
}

/// Whether a process with this id runs (always true where that cannot be told).
fn alive(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    #[cfg(target_os = "linux")]
    return Path::new("/proc").join(pid.to_string()).exists();
    #[cfg(not(target_os = "linux"))]
    true
}

fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(tag: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "corridor-staging-{tag}-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    fn write(staged: &StagedDir, name: &str, text: &str) {
        super::super::write_atomic(&staged.path().join(name), text.as_bytes()).unwrap();
    }

    #[test]
    fn a_new_generation_replaces_the_old_and_keeps_foreign_files() {
        let root = temp("swap");
        let out = root.join("out");
        let s = StagedDir::begin(&out).unwrap();
        write(&s, "a.csv", "1");
        write(&s, "stale.csv", "old only");
        s.commit().unwrap();
        fs::write(out.join("mine.txt"), "user's").unwrap();
        let s = StagedDir::begin(&out).unwrap();
        write(&s, "a.csv", "2");
        assert_eq!(fs::read_to_string(out.join("a.csv")).unwrap(), "1");
        s.commit().unwrap();
        assert_eq!(names(&out), [OUTPUTS_LIST, "a.csv", "mine.txt"]);
        assert_eq!(fs::read_to_string(out.join("a.csv")).unwrap(), "2");
        assert_eq!(fs::read_to_string(out.join("mine.txt")).unwrap(), "user's");
        assert_eq!(names(&root), ["out"], "no staging folder left");
        fs::remove_dir_all(root).unwrap();
    }

    #[test]
    fn a_dropped_generation_leaves_the_old_one_and_no_staging_folder() {
        let root = temp("drop");
        let out = root.join("out");
        let s = StagedDir::begin(&out).unwrap();
        write(&s, "a.csv", "1");
        s.commit().unwrap();
        let s = StagedDir::begin(&out).unwrap();
        write(&s, "a.csv", "half");
        drop(s);
        assert_eq!(fs::read_to_string(out.join("a.csv")).unwrap(), "1");
        assert_eq!(names(&root), ["out"]);
        fs::remove_dir_all(root).unwrap();
    }

    #[test]
    fn refuses_a_file_a_dot_and_a_read_only_folder() {
        let root = temp("refuse");
        fs::write(root.join("file"), "x").unwrap();
        let err = StagedDir::begin(&root.join("file"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("is a file, not a folder"), "{err}");
        let err = StagedDir::begin(&root.join("file/sub"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("is a file, not a folder"), "{err}");
        let err = StagedDir::begin(Path::new(".")).unwrap_err().to_string();
        assert!(err.contains("must be named"), "{err}");
        let ro = root.join("ro");
        fs::create_dir(&ro).unwrap();
        let mut perm = fs::metadata(&ro).unwrap().permissions();
        perm.set_readonly(true);
        fs::set_permissions(&ro, perm.clone()).unwrap();
        let err = StagedDir::begin(&ro).unwrap_err().to_string();
        assert!(err.contains("read-only"), "{err}");
        let err = StagedDir::begin(&ro.join("out")).unwrap_err().to_string();
        assert!(err.contains("read-only"), "{err}");
        #[allow(clippy::permissions_set_readonly_false)]
        perm.set_readonly(false);
        fs::set_permissions(&ro, perm).unwrap();
        fs::remove_dir_all(root).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn refuses_a_symlink_as_the_folder_or_at_an_output_file() {
        let root = temp("symlink");
        let real = root.join("real");
        fs::create_dir(&real).unwrap();
        std::os::unix::fs::symlink(&real, root.join("link")).unwrap();
        let err = StagedDir::begin(&root.join("link")).unwrap_err();
        assert!(matches!(err, OutputError::Symlink { .. }), "{err}");
        let out = root.join("out");
        fs::create_dir(&out).unwrap();
        fs::write(root.join("victim"), "keep").unwrap();
        std::os::unix::fs::symlink(root.join("victim"), out.join("a.csv")).unwrap();
        let s = StagedDir::begin(&out).unwrap();
        write(&s, "a.csv", "new");
        let err = s.commit().unwrap_err();
        assert!(matches!(err, OutputError::Symlink { .. }), "{err}");
        assert_eq!(fs::read_to_string(root.join("victim")).unwrap(), "keep");
        assert_eq!(names(&root), ["link", "out", "real", "victim"]);
        fs::remove_dir_all(root).unwrap();
    }

    #[test]
    fn a_killed_runs_staging_folder_is_removed_by_the_next_run() {
        let root = temp("stale");
        // pid 0 never names a user process.
        let stale = root.join(".out.tmp-0-7");
        fs::create_dir(&stale).unwrap();
        fs::write(stale.join("half.csv"), "x").unwrap();
        let s = StagedDir::begin(&root.join("out")).unwrap();
        s.commit().unwrap();
        assert_eq!(names(&root), ["out"]);
        fs::remove_dir_all(root).unwrap();
    }

    #[test]
    fn final_paths_point_into_the_target() {
        let root = temp("final");
        let s = StagedDir::begin(&root.join("out")).unwrap();
        let staged = s.path().join("a.csv");
        assert_eq!(s.final_path(&staged), root.join("out/a.csv"));
        drop(s);
        fs::remove_dir_all(root).unwrap();
    }
}
