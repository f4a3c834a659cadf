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

use std::path::PathBuf;

use anyhow::{Context, Result};
use serde_json::{json, Value};

use corridor::output::partial::{self, bits, float, ShardId};
use corridor::output::simulation::{add_flows_layer, report_section, write_charts, write_tables};
use corridor::output::LayerSet;
use corridor::routing::{Metric, Router};
use corridor::scenario::TradeRoute;
use corridor::scenario::{Dataset, ResolvedScenario};
use corridor::sim::freight::FreightOptions;
use corridor::sim::reliability::Sample;
use corridor::sim::simulation::{simulate, simulate_draws, simulate_with, Plan, Simulation};

use super::args::{self, By, FreightMethodArg, DEFAULT_FREIGHT_METHOD, DEFAULT_GAP};
use super::merge::{index_of, plan_list, plan_value, units, value_name};
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
    /// Draw only shard I of N (a contiguous range of the draw indices; every draw costs alike)
    /// into a partial folder at --out; `corridor merge` joins the N parts.
    #[arg(long, value_name = "I/N", value_parser = super::merge::parse_shard)]
    pub shard: Option<ShardId>,
}

/// The plan a shard records and a merge runs again: scenarios and routes resolved, the gap as
/// its bits.
fn plan_json(args: &Args, plan: &Plan, routes: &[&TradeRoute]) -> Value {
    json!({
        "scenarios": plan.scenarios.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
        "draws": plan.draws,
        "seed": plan.seed,
        "by": value_name(&args.by),
        "method": value_name(&args.method),
        "gap_bits": bits(args.gap),
        "routes": routes.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
    })
}

/// The arguments of a recorded plan ([`plan_json`]).
fn plan_args(plan: &Value) -> Result<Args> {
    let list = |k: &str| plan_list(plan, k);
    let scenarios = list("scenarios")?;
    anyhow::ensure!(!scenarios.is_empty(), "the plan has no scenarios");
    Ok(Args {
        base: Some(scenarios[0].clone()),
        scenario: scenarios[1..].to_vec(),
        draws: plan["draws"].as_u64().context("the plan has no `draws`")? as usize,
        seed: plan["seed"].as_u64().context("the plan has no `seed`")?,
        by: plan_value(plan, "by")?,
        method: plan_value(plan, "method")?,
        gap: float(&plan["gap_bits"]).context("the plan has no `gap_bits`")?,
        route: list("routes")?,
        shard: None,
    })
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

/// A simulation resolved against the data.
struct Resolved<'d> {
    plan: Plan,
    routes: Vec<&'d TradeRoute>,
    router: Router,
    resolved: Vec<ResolvedScenario>,
}

fn resolve_args<'d>(data: &'d Dataset, args: &Args) -> Result<Resolved<'d>> {
    let metric: Metric = args.by.metric(data);
    let plan = plan(
        data,
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
    let routes = args::routes(data, &args.route)?;
    let router = Router::new(&data.network, &data.costs).context("compiling the network")?;
    let resolved = resolve(data, &plan)?;
    Ok(Resolved {
        plan,
        routes,
        router,
        resolved,
    })
}

/// Writes a simulation's files into `--out` through the writers of `simulate`.
fn write(global: &Global, data: &Dataset, r: &Resolved, sim: &Simulation) -> Result<PathBuf> {
    let staged = stage_out(global, "simulate")?;
    write_tables(staged.path(), data, sim)?;
    let mut layers = LayerSet::new(staged.path(), data, &r.resolved)?;
    add_flows_layer(&mut layers, data, sim)?;
    layers.finish()?;
    write_charts(staged.path(), data, sim)?;
    Ok(staged.commit()?)
}

pub fn run(global: &Global, args: &Args) -> Result<ExitCode> {
    let data = load_dataset(global)?;
    let mut r = resolve_args(&data, args)?;
    if let Some(shard) = args.shard {
        let range = partial::range(r.plan.draws as u64, shard);
        let progress = Progress::spinner(
            global,
            &format!("shard {shard}: draws {}..{}", range.start, range.end),
        );
        r.plan.progress = progress.tick();
        let (plan, routes, router, resolved) = (&r.plan, &r.routes, &r.router, &r.resolved);
        let samples = simulate_draws(&data, router, resolved, plan, routes, range.clone());
        progress.finish();
        let mut rows = Vec::new();
        for (k, draws) in samples.iter().enumerate() {
            for (d, draw) in range.clone().zip(draws) {
                rows.push(json!({"scenario": k, "draw": d, "samples": corridor::output::rows::encode_draw(draw)}));
            }
        }
        super::merge::write_part(
            global,
            "simulate",
            &plan_json(args, plan, routes),
            shard,
            &rows,
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    let progress = Progress::spinner(
        global,
        &format!(
            "simulating {} ({} draws each)",
            count(r.plan.scenarios.len(), "scenario", "scenarios"),
            r.plan.draws
        ),
    );
    r.plan.progress = progress.tick();
    let sim = simulate(&data, &r.router, &r.resolved, &r.plan, r.routes.clone());
    progress.finish();
    let out = write(global, &data, &r, &sim)?;
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

/// The unsharded outputs from every shard's draws; the freight assignment (not sharded) is
/// solved here.
pub fn merge(
    global: &Global,
    data: &Dataset,
    plan: &Value,
    parts: &[(ShardId, &[Value])],
) -> Result<PathBuf> {
    let args = plan_args(plan)?;
    let r = resolve_args(data, &args)?;
    let (scenarios, draws, routes) = (r.resolved.len(), r.plan.draws, r.routes.len());
    // Draw d of scenario k is unit k * draws + d: every draw of every scenario, once.
    let all = units(
        parts,
        scenarios * draws,
        "draw",
        |row| {
            Some(
                index_of(row, "scenario")? * draws
                    + index_of(row, "draw").filter(|&d| d < draws)?,
            )
        },
        |row| corridor::output::rows::draw_of(row, routes),
    )?;
    let mut all = all.into_iter();
    let samples: Vec<Vec<Vec<Option<Sample>>>> = (0..scenarios)
        .map(|_| all.by_ref().take(draws).collect())
        .collect();
    let sim = simulate_with(
        data,
        &r.router,
        &r.resolved,
        &r.plan,
        r.routes.clone(),
        Some(samples),
    );
    write(global, data, &r, &sim)
}

/// The plan's scenarios, resolved in order.
pub fn resolve(data: &Dataset, plan: &Plan) -> Result<Vec<ResolvedScenario>> {
    Ok(plan
        .scenarios
        .iter()
        .map(|s| data.resolve_id(s))
        .collect::<Result<_, _>>()?)
}
