//! Command-line front end: one file per subcommand. Each turns raw arguments into a resolved plan
//! (data loaded, scenarios resolved, output folder chosen, thread pool set), then calls the library.

mod args;
mod assign;
mod bench;
mod check;
mod compare;
mod completions;
mod critical;
mod import;
mod layers;
mod merge;
mod restore;
mod route;
mod run;
mod simulate;
mod synth;
mod terminal;

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand, ValueEnum};

use corridor::output::StagedDir;
use corridor::scenario::Dataset;

pub use terminal::{note, note_warnings, Progress};

/// The bundled data folder, relative to the working directory.
pub const DEFAULT_DATA: &str = "data/caucasus";

#[derive(Debug, Parser)]
#[command(
    name = "corridor",
    version = corridor::build_info::LONG_VERSION,
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
    /// How results are printed: an aligned table for people, or CSV / JSON with every field
    /// and nothing else (an error is then one JSON object on standard error).
    #[arg(long, global = true, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// No notes and no progress bars (warnings and errors still print).
    #[arg(long, short, global = true)]
    pub quiet: bool,
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
    /// Import a network from another format into a data folder (--out).
    Import(import::Args),
    /// Every trade route under every scenario, with the change against each scenario's base.
    Compare(compare::Args),
    /// Which sets of unblocking projects restore which trade routes, and each project's share.
    Restore(restore::Args),
    /// Which links cost the most to lose; connectivity, bridges, betweenness, route exposure.
    Critical(critical::Args),
    /// Routing benchmark on any network: latency per method, agreement, throughput, memory.
    Bench(bench::Args),
    /// The main job on the bundled data: check, compare, restore, claims, layers, charts, report.
    Run(run::Args),
    /// Freight demand over each scenario's network with capacities, and Monte Carlo disruptions
    /// over the trade routes (flows, crossings, transit revenue, reliability; layer and charts).
    Simulate(simulate::Args),
    /// Join the partial folders of a sharded run (`--shard I/N`) into its outputs, byte for
    /// byte those of the unsharded run.
    Merge(merge::Args),
    /// Fictional data folders for measuring at scale: a seeded grid, or seeded projects and
    /// routes that restore cut-off pieces of any network.
    Synth(synth::Args),
    /// User-equilibrium traffic assignment on a TNTP network (links.csv, convergence.csv,
    /// summary.json with the comparison against the best known flows).
    Assign(assign::Args),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish) on standard output.
    Completions(completions::Args),
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
        Command::Import(args) => import::run(&cli.global, &args),
        Command::Compare(args) => compare::run(&cli.global, &args),
        Command::Restore(args) => restore::run(&cli.global, &args),
        Command::Critical(args) => critical::run(&cli.global, &args),
        Command::Bench(args) => bench::run(&cli.global, &args),
        Command::Run(args) => run::run(&cli.global, &args),
        Command::Simulate(args) => simulate::run(&cli.global, &args),
        Command::Assign(args) => assign::run(&cli.global, &args),
        Command::Completions(args) => completions::run(&cli.global, &args),
        Command::Merge(args) => merge::run(&cli.global, &args),
        Command::Synth(args) => synth::run(&cli.global, &args),
    }
}

/// The data folder: `--data`, else the bundled one.
pub fn data_dir(global: &Global) -> PathBuf {
    global
        .data
        .clone()
        .unwrap_or_else(|| PathBuf::from(DEFAULT_DATA))
}

/// Loads the data folder (`--data`), turning its errors into one message that lists each.
pub fn load_dataset(global: &Global) -> Result<Dataset> {
    Dataset::load(&data_dir(global)).map_err(|e| anyhow::anyhow!("{e}"))
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

/// The output folder of a command: `--out`, else `output/<command>/` (see [`stage_out`] for how
/// it is written).
pub fn out_dir(global: &Global, command: &str) -> PathBuf {
    global
        .out
        .clone()
        .unwrap_or_else(|| Path::new("output").join(command))
}

/// The output folder of a command (`--out`, else `output/<command>/`), staged: the command writes
/// into [`StagedDir::path`] and calls [`StagedDir::commit`] once every file is written, so that
/// `--out` holds the old outputs or the new ones, never a mix (see `corridor::output::staging`).
/// Every command that writes a folder starts with this one line.
pub fn stage_out(global: &Global, command: &str) -> Result<StagedDir> {
    let target = out_dir(global, command);
    let data = data_dir(global);
    if let (Ok(t), Ok(d)) = (target.canonicalize(), data.canonicalize()) {
        anyhow::ensure!(
            t != d,
            "--out {} is the data folder: the outputs would replace its files; choose another folder",
            target.display()
        );
    }
    if global.out.is_none() {
        // The default root `output/` is ours to create; a parent given with --out is not.
        if let Some(root) = target.parent() {
            std::fs::create_dir_all(root)
                .with_context(|| format!("creating the output folder {}", root.display()))?;
        }
    }
    StagedDir::begin(&target)
        .with_context(|| format!("preparing the output folder {}", target.display()))
}

/// A place as the user typed it (see `Network::resolve_place`): an id, name or alias in any case,
/// spelling or script, or `LAT,LON`; a position snapped to a place, or a name matched only once
/// romanized, is said in a note.
pub fn place(
    global: &Global,
    net: &corridor::network::Network,
    query: &str,
) -> Result<corridor::network::NodeId> {
    use corridor::network::MatchKind;
    let m = net.resolve_place(query)?;
    let node = net.node(m.node);
    match m.how {
        MatchKind::Snapped { km } => note(
            global,
            &format!(
                "{} is {} ({}), {km:.1} km away",
                query.trim(),
                node.name,
                node.id
            ),
        )?,
        MatchKind::Romanized => note(
            global,
            &format!("`{}` taken as {} ({})", query.trim(), node.name, node.id),
        )?,
        _ => {}
    }
    Ok(m.node)
}

/// Prints warnings to standard error, one line each.
pub fn print_warnings(warnings: &[corridor::network::Warning]) -> Result<()> {
    let mut err = io::stderr().lock();
    for w in warnings {
        writeln!(err, "warning: {w}")?;
    }
    Ok(())
}

/// A JSON value as CSV `key,value` rows ([`flat_rows`]), with the header.
pub fn write_key_values(out: &mut impl Write, v: &serde_json::Value) -> Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(["key", "value"])?;
    for (k, v) in corridor::format::flat_rows(v) {
        w.write_record([k, v])?;
    }
    w.flush()?;
    Ok(())
}

/// CSV rows with their header on standard output (or any writer).
pub fn write_rows(out: &mut impl Write, header: &[&str], rows: &[Vec<String>]) -> Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(header)?;
    for r in rows {
        w.write_record(r)?;
    }
    w.flush()?;
    Ok(())
}
