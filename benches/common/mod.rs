//! What the benches share: where the shared data lives.

use std::path::PathBuf;

/// `../shared/data` from the project root, as the tests read it; a checkout elsewhere (a git
/// worktree) points `CORRIDOR_SHARED_DATA` at that folder.
pub fn shared() -> PathBuf {
    std::env::var_os("CORRIDOR_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("../shared/data"))
}
