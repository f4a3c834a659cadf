//! What the terminal shows beyond the answers: notes (silenced by `--quiet`), progress bars
//! (indicatif, on standard error, only when it is a terminal and not under `--quiet`), Markdown
//! tables rendered as aligned text, and numbers rounded for reading.

use std::io::{IsTerminal, Write};
use std::time::Duration;

use anyhow::Result;
use indicatif::{ProgressBar, ProgressStyle};
use sha2::{Digest, Sha256};

use corridor::format::thousands;
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

/// Markdown as a terminal shows it well: each pipe table aligned in columns (numbers to the
/// right), its `|---|` rule drawn as a line of dashes; other lines as they are.
pub fn render_markdown(md: &str) -> String {
    let mut out = String::new();
    let mut table: Vec<Vec<String>> = Vec::new();
    let mut right: Vec<bool> = Vec::new();
    for line in md.lines().chain(std::iter::once("")) {
        let t = line.trim();
        if t.starts_with('|') && t.ends_with('|') && t.len() > 1 {
            let cells: Vec<String> = t[1..t.len() - 1]
                .split('|')
                .map(|c| c.trim().to_string())
                .collect();
            if cells
                .iter()
                .all(|c| !c.is_empty() && c.chars().all(|ch| matches!(ch, '-' | ':')))
            {
                right = cells.iter().map(|c| c.ends_with(':')).collect();
            } else {
                table.push(cells);
            }
            continue;
        }
        if !table.is_empty() {
            out.push_str(&aligned(&table, &right));
            table.clear();
            right.clear();
        }
        out.push_str(line);
        out.push('\n');
    }
    out.pop();
    out
}

fn aligned(rows: &[Vec<String>], right: &[bool]) -> String {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let width: Vec<usize> = (0..cols)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|s| s.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for (i, row) in rows.iter().enumerate() {
        let cells: Vec<String> = (0..cols)
            .map(|c| {
                let text = row.get(c).map_or("", String::as_str);
                let pad = width[c].saturating_sub(text.chars().count());
                if right.get(c).copied().unwrap_or(false) {
                    format!("{}{text}", " ".repeat(pad))
                } else {
                    format!("{text}{}", " ".repeat(pad))
                }
            })
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
        if i == 0 {
            let total = width.iter().sum::<usize>() + 2 * cols.saturating_sub(1);
            out.push_str(&"-".repeat(total));
            out.push('\n');
        }
    }
    out
}

/// A number from a JSON answer as a person reads it: whole numbers with thousands separators,
/// others to four significant digits (scientific below 0.001); text as it is.
pub fn readable(value: &str) -> String {
    let Ok(x) = value.parse::<f64>() else {
        return value.to_string();
    };
    if !x.is_finite() || value.parse::<i64>().is_ok() && x.abs() < 1e4 {
        return value.to_string();
    }
    if x.fract() == 0.0 && x.abs() < 1e15 {
        return thousands(x);
    }
    let a = x.abs();
    if a < 1e-3 {
        return format!("{x:.3e}");
    }
    let decimals = (3 - a.log10().floor() as i32).clamp(0, 4) as usize;
    if a >= 1e4 {
        return thousands(x);
    }
    format!("{x:.decimals$}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_tables_are_aligned() {
        let md = "Title\n\n| a | bb |\n|---|---:|\n| xyz | 1 |\n| q | 22 |\n\nafter";
        assert_eq!(
            render_markdown(md),
            "Title\n\na    bb\n-------\nxyz   1\nq    22\n\nafter"
        );
    }

    #[test]
    fn numbers_read_well() {
        assert_eq!(readable("9.815744489117106e-6"), "9.816e-6");
        assert_eq!(readable("7480979.432"), "7,480,979");
        assert_eq!(readable("0.0123456"), "0.01235");
        assert_eq!(readable("12"), "12");
        assert_eq!(readable("SiouxFalls"), "SiouxFalls");
    }
}
