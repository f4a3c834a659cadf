//! Which source this build came from, set by `build.rs`: the package version, the git commit
//! (`unknown` outside a checkout) and the build date (from `SOURCE_DATE_EPOCH` or the commit's
//! date, never the clock, so that builds are reproducible). `corridor --version` prints them and
//! every `manifest.json` records them.

/// The package version (`Cargo.toml`).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
/// `git rev-parse --short HEAD` at build time, or `unknown`.
pub const GIT_COMMIT: &str = env!("CORRIDOR_GIT_COMMIT");
/// YYYY-MM-DD (UTC), or `unknown`.
pub const BUILD_DATE: &str = env!("CORRIDOR_BUILD_DATE");
/// What `corridor --version` prints after the program's name: `0.1.0 (commit 95429f9, built
/// 2026-11-27)`.
pub const LONG_VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (commit ",
    env!("CORRIDOR_GIT_COMMIT"),
    ", built ",
    env!("CORRIDOR_BUILD_DATE"),
    ")"
);

/// The build as a manifest member: `{"version", "git_commit", "build_date"}`.
pub fn manifest_json() -> serde_json::Value {
    serde_json::json!({
        "version": VERSION,
        "git_commit": GIT_COMMIT,
        "build_date": BUILD_DATE,
    })
}
