//! Hostile inputs (issue 9): each gets a clear error and exit 1, or is handled as stated in
//! `docs/ROBUSTNESS.md`; never a panic, never a touched input.

use std::io::Write;
use std::path::Path;

use crate::common::{corridor, tiny_with};

/// Runs `corridor check DIR` and returns (exit code, stderr).
fn check(dir: &Path) -> (Option<i32>, String) {
    let out = corridor().arg("check").arg(dir).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!err.contains("panicked"), "{err}");
    (out.status.code(), err)
}

fn replace_in(dir: &Path, file: &str, from: &str, to: &str) {
    let p = dir.join(file);
    let text = std::fs::read_to_string(&p).unwrap();
    assert!(text.contains(from), "{from} not in {file}");
    std::fs::write(&p, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn ids_that_are_paths_or_hold_control_characters_are_refused() {
    for bad in ["../x", "/etc/x", "a\\u0000b", "a\\tb"] {
        let dir = tiny_with(None);
        replace_in(
            dir.path(),
            "scenarios.toml",
            "id = \"open-line\"",
            &format!("id = \"{bad}\""),
        );
        let (code, err) = check(dir.path());
        assert_eq!(code, Some(1), "{bad}: {err}");
        assert!(
            err.contains("scenarios.toml") && err.contains("is not a valid id"),
            "{bad}: {err}"
        );
        let dir = tiny_with(None);
        replace_in(
            dir.path(),
            "routes.toml",
            "id = \"a-c-rail\"",
            &format!("id = \"{bad}\""),
        );
        let (code, err) = check(dir.path());
        assert_eq!(code, Some(1), "{bad}: {err}");
        assert!(
            err.contains("routes.toml") && err.contains("is not a valid id"),
            "{bad}: {err}"
        );
    }
}

#[test]
fn an_output_folder_that_is_a_file_unwritable_or_without_parent_is_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("a-file");
    std::fs::write(&file, "x").unwrap();
    let cases: [(std::path::PathBuf, &str); 3] = [
        (file.clone(), "is a file, not a folder"),
        (
            tmp.path().join("missing/parent/out"),
            "does not exist (create it first)",
        ),
        // /proc refuses new folders even to root (permission bits do not stop root).
        (
            "/proc/corridor-out".into(),
            "creating the output folder /proc/corridor-out",
        ),
    ];
    for (out, expected) in cases {
        let o = corridor()
            .args(["compare", "--routes", "baku-nakhchivan-rail", "--out"])
            .arg(&out)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{}: {err}", out.display());
        assert!(err.contains(expected), "{}: {err}", out.display());
    }
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "x");
}

#[test]
fn a_symlink_at_an_output_path_is_refused_and_its_target_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let victim = tmp.path().join("victim.txt");
    std::fs::write(&victim, "precious").unwrap();
    let out = tmp.path().join("out");
    std::fs::create_dir(&out).unwrap();
    std::os::unix::fs::symlink(&victim, out.join("compare.csv")).unwrap();
    let o = corridor()
        .args(["compare", "--routes", "baku-nakhchivan-rail", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("symbolic link"), "{err}");
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
}

#[test]
fn extreme_numbers_are_refused_with_the_field_named() {
    for (value, expected) in [
        ("1e308", "is more than 50000"),
        ("-0", "must be > 0"),
        ("1e400", "malformed JSON"),
        ("NaN", "malformed JSON"),
    ] {
        let dir = tiny_with(None);
        replace_in(
            dir.path(),
            "links.geojson",
            "\"length_km\": 15.0",
            &format!("\"length_km\": {value}"),
        );
        let (code, err) = check(dir.path());
        assert_eq!(code, Some(1), "{value}: {err}");
        assert!(err.contains(expected), "{value}: {err}");
        if !expected.contains("JSON") {
            assert!(
                err.contains("(id `rail-a-b`): `length_km`"),
                "{value}: {err}"
            );
        }
    }
}

#[test]
fn a_million_coordinates_in_one_linestring_load() {
    let dir = tiny_with(None);
    let n = 1_000_000;
    let mut coords = String::with_capacity(n * 24);
    for i in 0..n {
        let t = i as f64 / (n - 1) as f64;
        if i > 0 {
            coords.push(',');
        }
        coords.push_str(&format!("[{:.7},{:.7}]", 45.0 + 0.1 * t, 41.0 + 0.1 * t));
    }
    replace_in(
        dir.path(),
        "links.geojson",
        "[[45.0, 41.0], [45.05, 41.06], [45.1, 41.1]]",
        &format!("[{coords}]"),
    );
    let (code, err) = check(dir.path());
    assert_eq!(code, Some(0), "{err}");
}

#[test]
fn deeply_nested_json_is_an_error_not_a_stack_overflow() {
    let dir = tiny_with(None);
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    replace_in(
        dir.path(),
        "nodes.geojson",
        "\"source\": \"test fixture\"}",
        &format!("\"source\": \"test fixture\", \"note\": {deep}}}"),
    );
    let (code, err) = check(dir.path());
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("nodes.geojson:") && err.contains("recursion limit"),
        "{err}"
    );
}

#[test]
fn an_input_over_the_size_limit_is_refused_before_reading() {
    let dir = tiny_with(None);
    let f = std::fs::OpenOptions::new()
        .write(true)
        .open(dir.path().join("links.geojson"))
        .unwrap();
    f.set_len(200 * 1024 * 1024).unwrap(); // sparse: 200 MB without writing them
    let started = std::time::Instant::now();
    let (code, err) = check(dir.path());
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("links.geojson") && err.contains("134217728 byte limit"),
        "{err}"
    );
    assert!(started.elapsed().as_secs() < 20, "the file was read");
}

#[test]
fn names_with_combining_marks_are_kept_intact_in_outputs() {
    let dir = tiny_with(None);
    let name = "Nax\u{0063}\u{030C}i\u{0307}van"; // c + combining caron, i + combining dot
    replace_in(
        dir.path(),
        "nodes.geojson",
        "\"name\": \"Alpha\"",
        &format!("\"name\": \"{name}\""),
    );
    let out = tempfile::tempdir().unwrap();
    let o = corridor()
        .arg("--data")
        .arg(dir.path())
        .arg("--out")
        .arg(out.path().join("layers"))
        .arg("layers")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let nodes = std::fs::read_to_string(out.path().join("layers/nodes.geojson")).unwrap();
    assert!(nodes.contains(name), "the name's bytes changed");
}

#[test]
fn crlf_toml_loads_and_duplicate_keys_are_errors() {
    let dir = tiny_with(None);
    let p = dir.path().join("scenarios.toml");
    let text = std::fs::read_to_string(&p).unwrap().replace('\n', "\r\n");
    std::fs::write(&p, text).unwrap();
    let (code, err) = check(dir.path());
    assert_eq!(code, Some(0), "{err}");

    let dir = tiny_with(None);
    replace_in(
        dir.path(),
        "routes.toml",
        "cargo = \"AZ\"",
        "cargo = \"AZ\"\ncargo = \"AM\"",
    );
    let (code, err) = check(dir.path());
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("routes.toml") && err.contains("duplicate key"),
        "{err}"
    );

    let dir = tiny_with(None);
    replace_in(
        dir.path(),
        "links.geojson",
        "\"status\": \"closed\"",
        "\"status\": \"closed\", \"status\": \"open\"",
    );
    let (code, err) = check(dir.path());
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("links.geojson:") && err.contains("duplicate key \"status\""),
        "{err}"
    );
}

#[test]
fn a_closed_pipe_ends_quietly_with_exit_0() {
    let bin = assert_cmd::cargo::cargo_bin("corridor");
    let o = std::process::Command::new("bash")
        .arg("-c")
        .arg(format!(
            "'{}' compare --out \"$(mktemp -d)/o\" | head -c 10 >/dev/null; echo \"${{PIPESTATUS[0]}}\"",
            bin.display()
        ))
        .current_dir(crate::common::root())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&o.stdout);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(
        stdout.trim(),
        "0",
        "exit status of corridor; stderr: {stderr}"
    );
    assert!(
        !stderr.contains("panicked") && !stderr.contains("error"),
        "{stderr}"
    );
}

#[test]
fn inputs_are_never_written() {
    let dir = tiny_with(None);
    let before: Vec<(String, Vec<u8>, std::time::SystemTime)> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            let meta = std::fs::metadata(&p).unwrap();
            (
                p.display().to_string(),
                std::fs::read(&p).unwrap(),
                meta.modified().unwrap(),
            )
        })
        .collect();
    let out = tempfile::tempdir().unwrap();
    let o = corridor()
        .arg("--data")
        .arg(dir.path())
        .arg("--out")
        .arg(out.path().join("run"))
        .arg("run")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for (p, bytes, modified) in before {
        assert_eq!(std::fs::read(&p).unwrap(), bytes, "{p} changed");
        assert_eq!(
            std::fs::metadata(&p).unwrap().modified().unwrap(),
            modified,
            "{p} touched"
        );
    }
    let _ = std::io::stderr().flush();
}
