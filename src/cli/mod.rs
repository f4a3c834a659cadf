//! Command-line front end: one file per subcommand. Each turns raw arguments into a resolved plan
//! (data loaded, scenarios resolved, output folder chosen, thread pool set), then calls the library.

mod bench;
mod check;
mod layers;
mod route;

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand, ValueEnum};

use corridor::scenario::Dataset;

/// The bundled data folder, relative to the working directory.
pub const DEFAULT_DATA: &str = "data/caucasus";

#[derive(Debug, Parser)]
#[command(
    name = "corridor",
    version,
    about = "Transport corridor route planner and simulator",
    long_about = "Builds a multimodal rail, road and ferry network from GeoJSON, applies scenarios \
                  (open links and borders, cargo transit rules) and answers which unblocked links \
                  restore which trade routes, at what cost."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command takes.
#[derive(Debug, clap::Args)]
pub struct Global {
    /// Data folder (nodes.geojson, links.geojson, costs.toml, scenarios.toml, routes.toml).
    #[arg(long, global = true, value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// Output folder [default: output/<command>/].
    #[arg(long, global = true, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Worker threads [default: all cores]; results never depend on it.
    #[arg(long, global = true, value_name = "N")]
    pub threads: Option<usize>,
    /// How results are printed.
    #[arg(long, global = true, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Csv,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate a data folder and print a summary; exit 1 on any error.
    Check(check::Args),
    /// Write the network as GIS layers (GeoJSON, QGIS styles and project) and a quick-look map.
    Layers(layers::Args),
    /// The best path between two places for a cargo under a scenario, with alternatives.
    Route(route::Args),
    /// Routing benchmark on any network: preprocessing, latency per method (Dijkstra,
    /// bidirectional, A*, CCH) checked against Dijkstra, re-customization, throughput, memory.
    Bench(bench::Args),
    /// The main job on the bundled data: check, then every analysis available.
    Run,
}

pub fn run(cli: Cli) -> Result<ExitCode> {
    if let Some(n) = cli.global.threads {
        anyhow::ensure!(n >= 1, "--threads must be at least 1");
        rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build_global()
            .context("setting up the thread pool")?;
    }
    match cli.command {
        Command::Check(args) => check::run(&cli.global, &args),
        Command::Layers(args) => layers::run(&cli.global, &args),
        Command::Route(args) => route::run(&cli.global, &args),
        Command::Bench(args) => bench::run(&cli.global, &args),
        Command::Run => check::run(&cli.global, &check::Args { dir: None }),
    }
}

/// The data folder: `--data`, else the bundled one.
pub fn data_dir(global: &Global, positional: Option<&Path>) -> PathBuf {
    positional
        .map(Path::to_path_buf)
        .or_else(|| global.data.clone())
        .unwrap_or_else(|| PathBuf::from(DEFAULT_DATA))
}

/// Loads a data folder, turning its errors into one message that lists each.
pub fn load_dataset(dir: &Path) -> Result<Dataset> {
    Dataset::load(dir).map_err(|e| anyhow::anyhow!("{e}"))
}

/// Standard output, locked and buffered.
pub fn stdout() -> io::BufWriter<io::StdoutLock<'static>> {
    io::BufWriter::new(io::stdout().lock())
}

/// Whether an error ends in a closed pipe (`corridor ... | head`): a normal end, not a failure.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|c| {
        c.downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}

/// Prints warnings to standard error, one line each.
pub fn print_warnings(warnings: &[corridor::network::Warning]) -> Result<()> {
    let mut err = io::stderr().lock();
    for w in warnings {
        writeln!(err, "warning: {w}")?;
    }
    Ok(())
}
