//! Records which source a binary was built from, for `corridor --version` and `manifest.json`:
//! `CORRIDOR_GIT_COMMIT` (`git rev-parse --short HEAD`, "unknown" outside a git checkout or
//! without git) and `CORRIDOR_BUILD_DATE` (YYYY-MM-DD, UTC). The date is `SOURCE_DATE_EPOCH`
//! when set (the reproducible-builds convention), else the commit's date, else "unknown": never
//! the clock, so the same source builds the same binary.

use std::path::Path;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=SOURCE_DATE_EPOCH");
    let commit = git(&["rev-parse", "--short", "HEAD"]).unwrap_or_else(|| "unknown".into());
    let date = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .map(date_of_epoch)
        .or_else(|| git(&["log", "-1", "--format=%cd", "--date=format-local:%Y-%m-%d"]))
        .unwrap_or_else(|| "unknown".into());
    println!("cargo:rustc-env=CORRIDOR_GIT_COMMIT={commit}");
    println!("cargo:rustc-env=CORRIDOR_BUILD_DATE={date}");
    // Rebuild when HEAD moves: HEAD itself (a branch switch) and the branch it points to (a
    // commit). Only files that exist: a missing one would make cargo rerun this on every build.
    let mut watched = vec![git(&["rev-parse", "--git-path", "HEAD"])];
    if let Some(branch) = git(&["symbolic-ref", "-q", "HEAD"]) {
        watched.push(git(&["rev-parse", "--git-path", &branch]));
        watched.push(git(&["rev-parse", "--git-path", "packed-refs"]));
    }
    for path in watched.into_iter().flatten() {
        if Path::new(&path).exists() {
            println!("cargo:rerun-if-changed={path}");
        }
    }
}

/// A git command's trimmed output, `None` when git is missing or fails (not a checkout).
fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .args(args)
        .env("TZ", "UTC")
        .current_dir(std::env::var_os("CARGO_MANIFEST_DIR")?)
        .output()
        .ok()?;
    let text = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (out.status.success() && !text.is_empty()).then_some(text)
}

/// YYYY-MM-DD (UTC) of a Unix time, by the days-to-civil algorithm of the proleptic Gregorian
/// calendar (Howard Hinnant's `civil_from_days`).
fn date_of_epoch(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}
