//! `corridor synth grid --nodes N [--seed S] [--routes R] --out DIR` and `corridor --data DIR
//! synth projects --projects K --routes R [--seed S] --out DIR`: fictional data folders for
//! measuring at scale (the generators are in `corridor::synth`).

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};
use serde_json::json;

use corridor::network::Country;
use corridor::synth::{self, ProjectOptions, SynthFiles};

use super::{data_dir, load_dataset, stage_out, stdout, write_key_values, Format, Global};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub what: What,
}

#[derive(Debug, clap::Subcommand)]
pub enum What {
    /// Write a seeded road-like grid as a data folder (--out): nodes, links, one scenario and
    /// seeded origin-destination pairs (the graph of `bench --synthetic`).
    Grid(GridArgs),
    /// Copy a data folder (--data) to --out with synthetic projects and routes for `restore`:
    /// K pieces of the network cut off in a base scenario, one project reopening each.
    Projects(ProjectArgs),
}

#[derive(Debug, clap::Args)]
pub struct GridArgs {
    /// About this many nodes (a square grid of ceil(sqrt(N)) a side), 4 to 4,000,000.
    #[arg(long, value_name = "N")]
    pub nodes: usize,
    /// Seed of the grid and of the pairs.
    #[arg(long, value_name = "S", default_value_t = 20210111)]
    pub seed: u64,
    /// Origin-destination pairs written to routes.toml.
    #[arg(long, value_name = "R", default_value_t = 100)]
    pub routes: usize,
    /// ISO 3166-1 alpha-2 code given to every place (the grid is fictional).
    #[arg(long, value_name = "CC", default_value = "AQ")]
    pub country: String,
}

#[derive(Debug, clap::Args)]
pub struct ProjectArgs {
    /// Projects: pieces of the network cut off, each reopened by one project (1 to 64).
    #[arg(long, value_name = "K")]
    pub projects: usize,
    /// Trade routes, each restored by one project or by two together.
    #[arg(long, value_name = "R")]
    pub routes: usize,
    /// Places in each piece, at most.
    #[arg(long, value_name = "P", default_value_t = 50)]
    pub piece_nodes: usize,
    /// Seed of the pieces, gateways and routes.
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,
}

pub fn run(global: &Global, args: &Args) -> Result<ExitCode> {
    match &args.what {
        What::Grid(a) => run_grid(global, a),
        What::Projects(a) => run_projects(global, a),
    }
}

fn run_grid(global: &Global, args: &GridArgs) -> Result<ExitCode> {
    anyhow::ensure!(
        global.data.is_none(),
        "synth grid writes a data folder (--out), it reads none: drop --data"
    );
    anyhow::ensure!(global.out.is_some(), "synth grid needs --out DIR");
    let country = Country::parse(&args.country)
        .filter(Country::is_assigned)
        .with_context(|| {
            format!(
                "--country {:?} is not an assigned ISO 3166-1 alpha-2 code",
                args.country
            )
        })?;
    let files = synth::grid(args.nodes, args.seed, args.routes, country)?;
    let staged = stage_out(global, "synth")?;
    let sizes = write_files(staged.path(), &files)?;
    let out = staged.commit()?;
    report(
        global,
        &out,
        &sizes,
        json!({"nodes": args.nodes, "seed": args.seed, "routes": args.routes}),
    )
}

fn run_projects(global: &Global, args: &ProjectArgs) -> Result<ExitCode> {
    anyhow::ensure!(
        global.out.is_some(),
        "synth projects needs --out DIR (a new folder: the data folder's network with the synthetic files)"
    );
    let data = load_dataset(global)?;
    let made = synth::projects(
        &data.network,
        &ProjectOptions {
            projects: args.projects,
            routes: args.routes,
            seed: args.seed,
            piece_nodes: args.piece_nodes,
        },
    )?;
    let staged = stage_out(global, "synth")?;
    // The network and the other files of the folder, unchanged; scenarios and routes replaced.
    let from = data_dir(global);
    let mut entries: Vec<_> = std::fs::read_dir(&from)
        .with_context(|| format!("listing {}", from.display()))?
        .collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let name = e.file_name();
        let skip = made.files.files.iter().any(|(f, _)| name == *f)
            || name.to_string_lossy().starts_with('.');
        if skip || !e.file_type()?.is_file() {
            continue;
        }
        let to = staged.path().join(&name);
        if std::fs::hard_link(e.path(), &to).is_err() {
            std::fs::copy(e.path(), &to)
                .with_context(|| format!("copying {} to {}", e.path().display(), to.display()))?;
        }
    }
    let sizes = write_files(staged.path(), &made.files)?;
    let out = staged.commit()?;
    report(
        global,
        &out,
        &sizes,
        json!({
            "projects": made.pieces.len(),
            "routes": made.routes.len(),
            "mode": made.mode.as_str(),
            "links_closed": made.pieces.iter().map(|p| p.closed.len()).sum::<usize>(),
        }),
    )
}

fn write_files(dir: &Path, files: &SynthFiles) -> Result<Vec<(String, usize)>> {
    files
        .files
        .iter()
        .map(|(name, text)| {
            let path = dir.join(name);
            corridor::output::write_atomic(&path, text)
                .with_context(|| format!("writing {}", path.display()))?;
            Ok((name.to_string(), text.len()))
        })
        .collect()
}

fn report(
    global: &Global,
    out: &Path,
    sizes: &[(String, usize)],
    mut v: serde_json::Value,
) -> Result<ExitCode> {
    v["out"] = json!(out.display().to_string());
    v["files"] = sizes
        .iter()
        .map(|(f, b)| (f.clone(), json!(b)))
        .collect::<serde_json::Map<_, _>>()
        .into();
    let mut w = stdout();
    match global.format {
        Format::Json => writeln!(w, "{}", serde_json::to_string_pretty(&v)?)?,
        Format::Csv => write_key_values(&mut w, &v)?,
        Format::Table => {
            writeln!(w, "wrote {} (synthetic, fictional)", out.display())?;
            for (f, b) in sizes {
                writeln!(w, "  {f} ({b} bytes)")?;
            }
        }
    }
    w.flush()?;
    Ok(ExitCode::SUCCESS)
}
