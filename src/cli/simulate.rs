//! `corridor simulate [--scenario ID,..] [--draws N] [--seed S]`: the freight demand of the data
//! folder (`demand.csv`) assigned over each scenario's network with capacities (`capacity.toml`),
//! and Monte Carlo disruptions (`disruptions.csv`) over the trade routes. The base scenario (the
//! first of `scenarios.toml`, or `--base`) is always simulated, and every other scenario is
//! compared with it. Writes into `--out` (default `output/simulate/`):
//!
//! - `flows.csv` (tonnes and tonne-km per link), `crossings.csv` (throughput, capacity and delay
//!   per border crossing and mode), `transit.csv` (transit tonnes and revenue by country),
//!   `freight_od.csv` (each demand row: served, cost, path, diversion), `reliability.csv` (each
//!   route: P(reachable), cost percentiles, expected extra cost), `simulate.json` (all of it, with
//!   the parameters and the seed);
//! - the `flows` GIS layer with its QGIS style, beside the network layers and `corridor.qgs`;
//! - charts: throughput by border crossing, transit revenue by country, reliability histograms.
//!
//! Every file is written atomically and holds no timing, so that a run is byte-identical for any
//! `--threads`. `corridor run` calls the same functions for its own simulation.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Context, Result};

use corridor::output::simulation::{add_flows_layer, report_section, write_charts, write_tables};
use corridor::output::LayerSet;
use corridor::routing::Router;
use corridor::scenario::{Dataset, ResolvedScenario};
use corridor::sim::freight::FreightOptions;
use corridor::sim::simulation::{simulate, Plan};
use corridor::sim::Method;

use super::compare::{pick_routes, pick_scenarios};
use super::{data_dir, load_dataset, metric, note_warnings, stage_out, stdout, Format, Global};

/// The most Monte Carlo draws per scenario: ten million keep about 240 MB per route.
const MAX_DRAWS: usize = 10_000_000;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Scenarios to simulate besides the base, comma-separated [default: none, the base only].
    #[arg(long, value_name = "ID,..")]
    pub scenario: Option<String>,
    /// The scenario every other is compared with [default: the first of scenarios.toml].
    #[arg(long, value_name = "ID")]
    pub base: Option<String>,
    /// Monte Carlo draws per scenario (at most 10,000,000).
    #[arg(long, value_name = "N", default_value_t = 1000)]
    pub draws: usize,
    /// Seed of the Monte Carlo draws (recorded in simulate.json).
    #[arg(long, value_name = "S", default_value_t = 2021)]
    pub seed: u64,
    /// What paths cost; congestion delays are priced by it.
    #[arg(long, value_parser = ["time", "distance", "money", "generalized"], default_value = "generalized")]
    pub by: String,
    /// Equilibrium method.
    #[arg(long, value_parser = ["aon", "msa", "fw"], default_value = "fw")]
    pub method: String,
    /// Stop the equilibrium once the relative gap is at most this.
    #[arg(long, value_name = "GAP", default_value_t = 1e-4)]
    pub gap: f64,
    /// Trade routes of the reliability analysis, comma-separated [default: all of routes.toml].
    #[arg(long, value_name = "R,..")]
    pub routes: Option<String>,
}

pub fn run(global: &Global, args: &Args) -> Result<ExitCode> {
    anyhow::ensure!(
        args.draws <= MAX_DRAWS,
        "--draws {}: at most {MAX_DRAWS} (each draw keeps a cost per route for the percentiles)",
        args.draws
    );
    anyhow::ensure!(
        args.gap.is_finite() && args.gap >= 0.0,
        "--gap must be a number >= 0, not {}",
        args.gap
    );
    let data = load_dataset(&data_dir(global, None))?;
    note_warnings(&data)?;
    let known = pick_scenarios(&data, None)?;
    let base = match &args.base {
        Some(b) => pick_scenarios(&data, Some(b))?.remove(0),
        None => known[0].clone(),
    };
    let mut scenarios = vec![base];
    if let Some(list) = &args.scenario {
        for s in pick_scenarios(&data, Some(list))? {
            if !scenarios.contains(&s) {
                scenarios.push(s);
            }
        }
    }
    let routes = pick_routes(&data, args.routes.as_deref())?;
    let metric = metric(&args.by, &data)?;
    let method = match args.method.as_str() {
        "aon" => Method::Aon,
        "msa" => Method::Msa,
        _ => Method::Fw,
    };
    let plan = Plan {
        scenarios,
        draws: args.draws,
        seed: args.seed,
        metric,
        freight: FreightOptions {
            method,
            gap: args.gap,
            ..FreightOptions::new(metric)
        },
    };
    let router = Router::new(&data.network, &data.costs).context("compiling the network")?;
    let resolved = resolve(&data, &plan.scenarios)?;
    let sim = simulate(&data, &router, &resolved, &plan, routes);
    let staged = stage_out(global, "simulate")?;
    write_tables(staged.path(), &data, &sim)?;
    let mut layers = LayerSet::new(staged.path(), &data, &resolved)?;
    add_flows_layer(&mut layers, &data, &sim)?;
    layers.finish()?;
    write_charts(staged.path(), &data, &sim)?;
    let out = staged.commit()?;
    let mut w = stdout();
    match global.format {
        Format::Json => w.write_all(&std::fs::read(out.join("simulate.json"))?)?,
        Format::Csv => w.write_all(&std::fs::read(out.join("crossings.csv"))?)?,
        Format::Table => {
            let (_, body) = report_section(&data, &sim);
            writeln!(w, "{body}")?;
            writeln!(
                w,
                "wrote {}: flows.csv, crossings.csv, transit.csv, freight_od.csv, reliability.csv, simulate.json, flows layer + corridor.qgs, charts",
                out.display()
            )?;
        }
    }
    w.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Resolves the plan's scenarios, in order.
pub fn resolve(data: &Dataset, scenarios: &[String]) -> Result<Vec<ResolvedScenario>> {
    scenarios
        .iter()
        .map(|s| {
            data.resolve(s)
                .with_context(|| format!("unknown scenario `{s}`"))
        })
        .collect()
}
