//! `corridor completions SHELL`: the shell completion script for bash, zsh, fish, PowerShell or
//! elvish, printed on standard output (generated from the command definitions by clap_complete).

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use clap::CommandFactory;

use super::{stdout, Cli, Format, Global};

#[derive(Debug, clap::Args)]
#[command(after_help = "Install, for example:\n  \
    bash:       corridor completions bash > ~/.local/share/bash-completion/completions/corridor\n  \
    zsh:        corridor completions zsh > ~/.zfunc/_corridor   (with fpath+=~/.zfunc before compinit)\n  \
    fish:       corridor completions fish > ~/.config/fish/completions/corridor.fish\n  \
    powershell: corridor completions powershell >> $PROFILE")]
pub struct Args {
    /// The shell to complete in.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

pub fn run(global: &Global, args: &Args) -> Result<ExitCode> {
    anyhow::ensure!(
        global.format == Format::Table,
        "completions prints a shell script: --format csv or json does not apply"
    );
    let mut cmd = Cli::command();
    // Into memory first: clap_complete panics on a failed write, and a closed pipe
    // (`corridor completions bash | head`) must end quietly like every other command.
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "corridor", &mut script);
    let mut out = stdout();
    out.write_all(&script)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
