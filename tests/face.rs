//! The program's face beyond its answers: `--version` with the git commit and build date, and
//! shell completion scripts.

use std::process::Command;

use crate::common::{corridor, root};

#[test]
fn version_names_the_commit_and_the_build_date() {
    let out = corridor().arg("--version").output().expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout).trim().to_string();
    // corridor 0.1.0 (commit 95429f9, built 2026-11-27)
    let rest = text
        .strip_prefix(&format!("corridor {} (commit ", env!("CARGO_PKG_VERSION")))
        .unwrap_or_else(|| panic!("{text}"));
    let (commit, date) = rest
        .trim_end_matches(')')
        .split_once(", built ")
        .unwrap_or_else(|| panic!("{text}"));
    let is_date = date.len() == 10
        && date.char_indices().all(|(i, c)| {
            if i == 4 || i == 7 {
                c == '-'
            } else {
                c.is_ascii_digit()
            }
        });
    assert!(is_date || date == "unknown", "{text}");
    // In a checkout, the commit is HEAD's (the build script reruns when HEAD moves).
    let head = Command::new("git")
        .args(["rev-parse", "--short", "HEAD"])
        .current_dir(root())
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string());
    match head {
        Some(h) => assert_eq!(commit, h, "{text}"),
        None => assert_eq!(commit, "unknown", "{text}"),
    }
}

#[test]
fn completions_are_printed_for_every_shell() {
    for (shell, marker) in [
        ("bash", "complete -F _corridor"),
        ("zsh", "#compdef corridor"),
        ("fish", "complete -c corridor"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let out = corridor()
            .args(["completions", shell])
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let script = String::from_utf8_lossy(&out.stdout);
        assert!(script.contains(marker), "{shell}: no `{marker}`");
        for sub in ["route", "critical", "simulate", "completions"] {
            assert!(script.contains(sub), "{shell}: no `{sub}`");
        }
    }
    let out = corridor()
        .args(["completions", "tcsh"])
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(2),
        "an unknown shell is a usage error"
    );
    let out = corridor()
        .args(["completions", "bash", "--format", "json"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1), "no JSON form of a script");
}
