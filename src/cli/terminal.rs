//! What the terminal shows beyond the answers: notes (silenced by `--quiet`), progress bars
//! (indicatif, on standard error, only when it is a terminal and not under `--quiet`), Markdown
//! tables rendered as aligned text, and numbers rounded for reading.

use std::io::{IsTerminal, Write};
use std::time::Duration;

use anyhow::Result;
use indicatif::{ProgressBar, ProgressStyle};

use corridor::scenario::Dataset;
use corridor::util::{Tick, Watch};

use super::Global;

/// A note on standard error (`note: ...`), unless `--quiet`.
pub fn note(global: &Global, text: &str) -> Result<()> {
    if !global.quiet {
        writeln!(std::io::stderr().lock(), "note: {text}")?;
    }
    Ok(())
}

/// One line counting the data's soft problems (`corridor check` lists them). Only `corridor run`,
/// the whole job, says it: the other commands answer one question each and would repeat the
/// same line on every call. Stateless on purpose (nothing is remembered between runs), and
/// silent under `--quiet`.
pub fn note_warnings(global: &Global, data: &Dataset) -> Result<()> {
    let n = data.warnings.len();
    if n == 0 {
        return Ok(());
    }
    note(
        global,
        &format!(
            "the data has {} (`corridor check {}` lists them)",
            corridor::format::count(n, "warning", "warnings"),
            data.dir.display()
        ),
    )
}

/// A progress indicator on standard error, drawn only on a terminal and not under `--quiet`.
pub struct Progress(Option<ProgressBar>);

impl Progress {
    /// A spinner with the elapsed time, for work whose size is unknown in advance.
    pub fn spinner(global: &Global, message: &str) -> Progress {
        Progress(shown(global).then(|| {
            let bar = ProgressBar::new_spinner();
            spin(&bar);
            bar.set_prefix(message.to_string());
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        }))
    }

    /// The library's progress signal, drawn on this indicator: each stage it starts becomes a bar
    /// over its steps (a spinner when their number is unknown) with the stage as message.
    /// Nobody watches when the indicator is hidden.
    pub fn tick(&self) -> Tick {
        match &self.0 {
            Some(bar) => Tick::new(Drawn(bar.clone())),
            None => Tick::none(),
        }
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

    /// A spinner again (if the library made it a bar) saying it does `message`.
    pub fn respin(&self, message: &str) {
        if let Some(bar) = &self.0 {
            spin(bar);
            bar.set_prefix(message.to_string());
            bar.set_message(String::new());
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

/// An indicator as the library's [`Watch`].
struct Drawn(ProgressBar);

impl Watch for Drawn {
    fn stage(&self, stage: &str, total: Option<u64>) {
        // The message first: a draw between the calls shows the new stage, never the old.
        self.0.set_message(format!(": {stage}"));
        match total {
            Some(len) => {
                self.0.set_style(
                    ProgressStyle::with_template(
                        "{spinner} {elapsed:>4} [{bar:24}] {pos}/{len} (eta {eta}) {prefix}{wide_msg}",
                    )
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
                );
                self.0.set_length(len);
                self.0.set_position(0);
            }
            None => spin(&self.0),
        }
    }

    fn advance(&self, steps: u64) {
        self.0.inc(steps);
    }
}

/// The spinner's look: the elapsed time, what the command does (the prefix) and the library's
/// stage (the message).
fn spin(bar: &ProgressBar) {
    bar.set_style(
        ProgressStyle::with_template("{spinner} {elapsed:>4} {prefix}{wide_msg}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
}

fn shown(global: &Global) -> bool {
    !global.quiet && std::io::stderr().is_terminal()
}
