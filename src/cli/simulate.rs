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
use corridor::routing::{Metric, Router};
use corridor::scenario::{Dataset, ResolvedScenario};
use corridor::sim::freight::FreightOptions;
use corridor::sim::simulation::{simulate, Plan};

use super::args::{self, By, FreightMethodArg, DEFAULT_FREIGHT_METHOD, DEFAULT_GAP};
use super::{load_dataset, stage_out, stdout, Format, Global, Progress};
use corridor::format::count;
use corridor::format::render_markdown;

/// The most Monte Carlo draws per scenario: ten million keep about 240 MB per route.
const MAX_DRAWS: usize = 10_000_000;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Scenarios to simulate besides the base, comma-separated [default: none, the base only].
    #[arg(long, value_delimiter = ',', value_name = "ID,..")]
    pub scenario: Vec<String>,
    /// The scenario every other is compared with [default: the data's default scenario, the
    /// first without a base].
    #[arg(long, value_name = "ID")]
    pub base: Option<String>,
    /// Monte Carlo draws per scenario (at most 10,000,000).
    #[arg(long, value_name = "N", default_value_t = 1000)]
    pub draws: usize,
    /// Seed of the Monte Carlo draws (recorded in simulate.json).
    #[arg(long, value_name = "S", default_value_t = 2021)]
    pub seed: u64,
    /// What paths cost; congestion delays are priced by it.
    #[arg(long, value_enum, default_value_t = By::Generalized)]
    pub by: By,
    /// Equilibrium method.
    #[arg(long, value_enum, default_value_t = DEFAULT_FREIGHT_METHOD)]
    pub method: FreightMethodArg,
    /// Stop the equilibrium once the relative gap is at most this.
    #[arg(long, value_name = "GAP", default_value_t = DEFAULT_GAP)]
    pub gap: f64,
    /// Trade routes of the reliability analysis, comma-separated [default: every route].
    #[arg(
        long = "route",
        alias = "routes",
        value_delimiter = ',',
        value_name = "ID,.."
    )]
    pub route: Vec<String>,
}

/// The simulation plan of `simulate` and `run`: the base (named, else the default scenario)
/// first, then `others` in the order given.
pub fn plan(
    data: &Dataset,
    base: Option<&str>,
    others: &[String],
    draws: usize,
    seed: u64,
    freight: FreightOptions,
) -> Result<Plan> {
    anyhow::ensure!(
        draws <= MAX_DRAWS,
        "--draws {draws}: at most {MAX_DRAWS} (each draw keeps a cost per route for the percentiles)"
    );
    args::check_gap(freight.gap)?;
    let mut scenarios = vec![args::scenario_required(data, base, "--base")?];
    if !others.is_empty() {
        for s in args::scenarios(data, others)? {
            if !scenarios.contains(&s) {
                scenarios.push(s);
            }
        }
    }
    Ok(Plan {
        scenarios,
        draws,
        seed,
        metric: freight.metric,
        freight,
        progress: Default::default(),
    })
}

pub fn run(global: &Global, args: &Args) -> Result<ExitCode> {
    let data = load_dataset(global)?;
    let metric: Metric = args.by.metric(&data);
    let plan = plan(
        &data,
        args.base.as_deref(),
        &args.scenario,
        args.draws,
        args.seed,
        FreightOptions {
            method: args.method.into(),
            gap: args.gap,
            ..FreightOptions::new(metric)
        },
    )?;
    let routes = args::routes(&data, &args.route)?;
    let router = Router::new(&data.network, &data.costs).context("compiling the network")?;
    let resolved = resolve(&data, &plan)?;
    let progress = Progress::spinner(
        global,
        &format!(
            "simulating {} ({} draws each)",
            count(plan.scenarios.len(), "scenario", "scenarios"),
            plan.draws
        ),
    );
    let plan = Plan {
        progress: progress.tick(),
        ..plan
    };
    let sim = simulate(&data, &router, &resolved, &plan, routes);
    progress.finish();
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
            writeln!(w, "{}", render_markdown(&body))?;
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

/// The plan's scenarios, resolved in order.
pub fn resolve(data: &Dataset, plan: &Plan) -> Result<Vec<ResolvedScenario>> {
    Ok(plan
        .scenarios
        .iter()
        .map(|s| data.resolve_id(s))
        .collect::<Result<_, _>>()?)
}
