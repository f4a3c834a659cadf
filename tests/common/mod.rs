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

/// A temporary copy of the `tiny` fixture whose `nodes.geojson` has each `(from, to)` text
/// replaced once (a property added or changed); panics when a `from` is not found, so that a
/// fixture edit never silently does nothing.
pub fn tiny_with_nodes_edited(edits: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tiny_with(None);
    let nodes = dir.path().join("nodes.geojson");
    let mut text = std::fs::read_to_string(&nodes).expect("read nodes.geojson");
    for (from, to) in edits {
        assert!(text.contains(from), "`{from}` not in tiny/nodes.geojson");
        text = text.replacen(from, to, 1);
    }
    std::fs::write(&nodes, text).expect("write nodes.geojson");
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

/// The files of the folder `dir` (not its subfolders), sorted by name, with their bytes; a
/// `manifest.json` without its `run` member (timings and the command line).
pub fn folder_files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            let mut bytes = std::fs::read(&p).unwrap();
            if name == "manifest.json" {
                let mut v: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
                v.as_object_mut().unwrap().remove("run");
                bytes = serde_json::to_vec(&v).unwrap();
            }
            (name, bytes)
        })
        .collect();
    files.sort();
    files
}

/// Runs `corridor ARGS --threads N --out DIR` for N = 1 and 2, each into a fresh folder, and
/// asserts that both succeed; returns the two folders (one thread, two threads).
pub fn run_at_one_and_two_threads(args: &[&str]) -> (tempfile::TempDir, tempfile::TempDir) {
    let one = tempfile::tempdir().unwrap();
    let two = tempfile::tempdir().unwrap();
    for (dir, threads) in [(&one, "1"), (&two, "2")] {
        let out = corridor()
            .args(args)
            .args(["--threads", threads, "--out"])
            .arg(dir.path())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{args:?} --threads {threads}\n{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    (one, two)
}

/// Asserts that the folders `one` (written with `--threads 1`) and `two` (`--threads 2`) hold
/// the same files, byte for byte, and that `expected` are among them.
pub fn assert_same_outputs(one: &Path, two: &Path, expected: &[&str]) {
    let (a, b) = (folder_files(one), folder_files(two));
    let names: Vec<&str> = a.iter().map(|(n, _)| n.as_str()).collect();
    for name in expected {
        assert!(names.contains(name), "{name} missing from {names:?}");
    }
    assert_eq!(a.len(), b.len());
    for ((na, ba), (nb, bb)) in a.iter().zip(&b) {
        assert_eq!(na, nb);
        assert!(ba == bb, "{na} differs between --threads 1 and --threads 2");
    }
}
