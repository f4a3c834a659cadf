//! What the terminal shows beyond the answers: notes (silenced by `--quiet`), progress bars
//! (indicatif, on standard error, only when it is a terminal and not under `--quiet`), Markdown
//! tables rendered as aligned text, and numbers rounded for reading.

use std::io::{IsTerminal, Write};
use std::time::Duration;

use anyhow::Result;
use indicatif::{ProgressBar, ProgressStyle};
use sha2::{Digest, Sha256};

use corridor::scenario::Dataset;

use super::Global;

/// A note on standard error (`note: ...`), unless `--quiet`.
pub fn note(global: &Global, text: &str) -> Result<()> {
    if !global.quiet {
        writeln!(std::io::stderr().lock(), "note: {text}")?;
    }
    Ok(())
}

/// One line counting the data's soft problems (`corridor check` lists them), said once: not
/// again for the same data folder with the same warnings (a stamp in the user's cache folder,
/// `$XDG_CACHE_HOME/corridor` or `~/.cache/corridor`), never under `--quiet`.
pub fn note_warnings(global: &Global, data: &Dataset) -> Result<()> {
    let n = data.warnings.len();
    if n == 0 || global.quiet || !first_time(data) {
        return Ok(());
    }
    note(
        global,
        &format!(
            "the data has {} (`corridor check {}` lists them; said once for this data)",
            corridor::format::count(n, "warning", "warnings"),
            data.dir.display()
        ),
    )
}

/// Whether these warnings of this folder have not been noted before; `true` when the stamp
/// cannot be read or written (better said twice than never).
fn first_time(data: &Dataset) -> bool {
    let Some(cache) = std::env::var_os("XDG_CACHE_HOME")
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| std::path::Path::new(&h).join(".cache")))
    else {
        return true;
    };
    let dir = data.dir.canonicalize().unwrap_or_else(|_| data.dir.clone());
    let mut hash = Sha256::new();
    hash.update(dir.to_string_lossy().as_bytes());
    for w in &data.warnings {
        hash.update(w.to_string().as_bytes());
        hash.update(b"\n");
    }
    let key: String = hash.finalize()[..12]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let file = cache.join("corridor").join("noted-warnings");
    let seen = std::fs::read_to_string(&file).unwrap_or_default();
    if seen.lines().any(|l| l == key) {
        return false;
    }
    // Stamped now (or the stamp cannot be kept): say it this time.
    let _ = std::fs::create_dir_all(cache.join("corridor")).and_then(|()| {
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&file)
            .and_then(|mut f| writeln!(f, "{key}"))
    });
    true
}

/// A progress indicator on standard error, drawn only on a terminal and not under `--quiet`.
pub struct Progress(Option<ProgressBar>);

impl Progress {
    /// A spinner with the elapsed time, for work whose size is unknown in advance.
    pub fn spinner(global: &Global, message: &str) -> Progress {
        Progress(shown(global).then(|| {
            let bar = ProgressBar::new_spinner();
            bar.set_style(
                ProgressStyle::with_template("{spinner} {elapsed:>4} {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            bar.set_message(message.to_string());
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        }))
    }

    /// A bar over `len` steps of `unit` (`iterations`).
    pub fn bar(global: &Global, len: u64, unit: &str) -> Progress {
        Progress(shown(global).then(|| {
            let bar = ProgressBar::new(len);
            bar.set_style(
                ProgressStyle::with_template(&format!(
                    "{{elapsed:>4}} [{{bar:30}}] {{pos}}/{{len}} {unit} {{msg}}"
                ))
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            bar
        }))
    }

    pub fn set_message(&self, message: &str) {
        if let Some(bar) = &self.0 {
            bar.set_message(message.to_string());
        }
    }

    pub fn set_position(&self, pos: u64) {
        if let Some(bar) = &self.0 {
            bar.set_position(pos);
        }
    }

    /// Clears the indicator (the answer follows on standard output).
    pub fn finish(self) {
        if let Some(bar) = self.0 {
            bar.finish_and_clear();
        }
    }
}

fn shown(global: &Global) -> bool {
    !global.quiet && std::io::stderr().is_terminal()
}
