//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The project root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures").join(name)
}

/// The `corridor` binary, run from the project root.
pub fn corridor() -> Command {
    let mut cmd =
        Command::cargo_bin("corridor").expect("the corridor binary is built by cargo test");
    cmd.current_dir(root());
    cmd
}

/// Copies every file of `from` into `to` (flat folders only).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create folder");
    for entry in std::fs::read_dir(from).expect("read fixture folder") {
        let entry = entry.expect("fixture entry");
        if entry.path().is_file() {
            std::fs::copy(entry.path(), to.join(entry.file_name())).expect("copy fixture");
        }
    }
}

/// A temporary data folder: the `tiny` fixture with the files of `overlay` laid over it.
pub fn tiny_with(overlay: Option<&Path>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_dir(&fixture("tiny"), dir.path());
    if let Some(o) = overlay {
        copy_dir(o, dir.path());
    }
    dir
}

/// A folder of the shared test data (`shared/data/<sub>`): `$CORRIDOR_SHARED_DATA/<sub>` when that
/// is set, else found beside the project root or beside any folder above it (so that it is found
/// from git worktrees too). Panics, failing the test with a clear message, when it is missing:
/// these tests never skip silently.
pub fn shared_data(sub: &str) -> PathBuf {
    if let Some(dir) = std::env::var_os("CORRIDOR_SHARED_DATA") {
        let p = PathBuf::from(dir).join(sub);
        assert!(
            p.is_dir(),
            "CORRIDOR_SHARED_DATA is set but {} is not a folder",
            p.display()
        );
        return p;
    }
    let root = root();
    for dir in root.ancestors().skip(1) {
        let candidate = dir.join("shared/data").join(sub);
        if candidate.is_dir() {
            return candidate;
        }
    }
    panic!(
        "the shared test data `shared/data/{sub}` is missing: looked beside {} and every folder \
         above it (expected ../shared/data/{sub} next to the project, or set CORRIDOR_SHARED_DATA)",
        root.display()
    );
}

/// The shared OSM extracts.
pub fn shared_osm() -> PathBuf {
    shared_data("osm")
}
