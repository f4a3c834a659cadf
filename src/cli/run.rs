//! `corridor run`: the main job on a data folder (the bundled one by default). It checks the data,
//! compares every trade route under every scenario, finds which projects restore which routes,
//! judges the seed article's claims, simulates freight flows and disruptions (when the folder has
//! `demand.csv` or `disruptions.csv`) for the base scenario and `statement-2021`, and writes
//! everything into `--out` (default `output/run/`): CSV and JSON tables, GIS layers with QGIS
//! styles and a project, charts, a quick-look map, `report.md` and `manifest.json`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};

use corridor::analysis::claims::{load_claims, ClaimResult, Verdict};
use corridor::analysis::compare::Cell;
use corridor::analysis::critical::Pairs;
use corridor::analysis::study::{RestoreReport, Study};
use corridor::output::chart::{write_chart, OKABE_ITO};
use corridor::output::critical::unit_slug;
use corridor::output::geojson::{LinkMetricLayer, RouteRecord};
use corridor::output::manifest::{hash_inputs, Manifest};
use corridor::output::map::{MapRoute, QuickLookMap};
use corridor::output::report::Report;
use corridor::output::run::{critical_section, write_charts};
use corridor::output::tables::{write_claims, write_compare, write_restore};
use corridor::output::LayerSet;
use corridor::routing::RouteState;
use corridor::scenario::{Dataset, ResolvedScenario};

use super::compare::pick_scenarios;
use super::restore::{question, Args as RestoreArgs};
use super::simulate;
use super::{
    data_dir, load_dataset, metric, note_warnings, stage_out, stdout, Global, DEFAULT_DATA,
};
use corridor::output::simulation as sim_out;
use corridor::sim::simulation as sim_plan;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// What each route minimises.
    #[arg(long, value_parser = ["time", "distance", "money", "generalized"], default_value = "time")]
    pub by: String,
    /// The claims to judge [default: claims.toml in the data folder, else seeds/claims.toml for
    /// the bundled data].
    #[arg(long, value_name = "FILE")]
    pub claims: Option<PathBuf>,
    /// Scenario whose routes the quick-look map highlights [default: statement-2021 when it
    /// exists, else the first scenario].
    #[arg(long, value_name = "ID")]
    pub map_scenario: Option<String>,
    /// Restore threshold, percent above the best cost with every candidate open.
    #[arg(long, value_name = "PCT", default_value_t = 10.0)]
    pub threshold: f64,
    /// Seed of every random step (sampled Shapley values beyond 20 projects, Monte Carlo draws).
    #[arg(long, default_value_t = 2021)]
    pub seed: u64,
    /// Scenarios of the freight simulation besides the base (the first scenario) [default:
    /// statement-2021 when it exists].
    #[arg(long, value_name = "ID,..")]
    pub simulate_scenarios: Option<String>,
    /// Monte Carlo draws per simulated scenario.
    #[arg(long, value_name = "N", default_value_t = 200)]
    pub draws: usize,
}

/// Timings of the stages, for the manifest.
#[derive(Default)]
struct Clock {
    stages: Vec<(&'static str, f64)>,
}

impl Clock {
    fn time<T>(&mut self, stage: &'static str, f: impl FnOnce() -> T) -> T {
        let t = Instant::now();
        let out = f();
        self.stages.push((stage, t.elapsed().as_secs_f64()));
        out
    }
}

pub fn run(global: &Global, args: &Args) -> Result<ExitCode> {
    let started = Instant::now();
    let mut clock = Clock::default();
    let dir = data_dir(global, None);
    let data = clock.time("load", || load_dataset(&dir))?;
    note_warnings(&data)?;
    let metric = metric(&args.by, &data)?;
    let staged = stage_out(global, "run")?;
    let out = staged.path().to_path_buf();

    let study = clock.time("compile", || Study::new(&data, metric))?;
    let scenario_ids: Vec<&str> = data.scenarios.ids().collect();
    anyhow::ensure!(
        !scenario_ids.is_empty() && !data.routes.is_empty(),
        "{} needs scenarios.toml and routes.toml for a run",
        dir.display()
    );
    let routes: Vec<_> = data.routes.iter().collect();
    let cells = clock.time("compare", || study.compare(&scenario_ids, &routes));
    write_compare(&out, metric.name(), &cells)?;

    let restore_args = RestoreArgs {
        base: None,
        candidates: None,
        threshold: args.threshold,
        by: args.by.clone(),
        seed: args.seed,
    };
    let q = question(&data, &restore_args)?;
    let candidates: Vec<&str> = q.candidates.iter().map(String::as_str).collect();
    let restore = clock.time("restore", || {
        study.restore(&q.base, &candidates, &q.options)
    })?;
    write_restore(&out, metric.name(), metric.unit(), &restore, &data.routes)?;

    let claims = match claims_file(&dir, args.claims.as_deref()) {
        Some(path) => {
            let route_ids: Vec<&str> = data.routes.iter().map(|r| r.id.as_str()).collect();
            let list = load_claims(&path, &route_ids, &scenario_ids)
                .map_err(|e| anyhow::anyhow!("{}", corridor::network::DataErrors(e)))?;
            clock.time("claims", || study.claims(&list))
        }
        None => Vec::new(),
    };
    write_claims(&out, &claims)?;

    // Freight flows and disruptions, when the data has demand or disruptions.
    let sim_plan = simulation_plan(&data, args)?;
    let sim_resolved = match &sim_plan {
        Some(p) => simulate::resolve(&data, &p.scenarios)?,
        None => Vec::new(),
    };
    let sim = sim_plan.as_ref().map(|p| {
        clock.time("simulate", || {
            sim_plan::simulate(&data, &study.router, &sim_resolved, p, routes.clone())
        })
    });
    if let Some(sim) = &sim {
        sim_out::write_tables(&out, &data, sim)?;
    }

    // Layers: every scenario's statuses, and the best path of every route under every scenario.
    let resolved: Vec<ResolvedScenario> = scenario_ids
        .iter()
        .filter_map(|id| study.resolved(id).cloned())
        .collect();
    let records = clock.time("paths", || route_records(&study, &scenario_ids));
    let map_scenario = args.map_scenario.clone().unwrap_or_else(|| {
        if data.scenarios.get("statement-2021").is_some() {
            "statement-2021".into()
        } else {
            scenario_ids[0].to_string()
        }
    });
    // The routes layer opens showing the first scenario and the map's; the rest are a tick away.
    let drawn = [scenario_ids[0], map_scenario.as_str()];
    // Criticality under the first scenario (the reference state), over the trade routes.
    let critical = clock
        .time("critical", || {
            study.critical(scenario_ids[0], Pairs::Routes, 10, 2)
        })
        .context("criticality of the reference scenario")?;
    let mut layers = LayerSet::new(&out, &data, &resolved)?;
    layers.add_routes(&records, &scenario_ids, &drawn)?;
    layers.add_metric(
        &LinkMetricLayer {
            name: "criticality".into(),
            scenario: critical.scenario.clone(),
            columns: vec![
                (
                    format!("extra_cost_{}", unit_slug(metric.unit())),
                    critical.single.iter().map(|s| Some(s.extra_cost)).collect(),
                ),
                (
                    "routes_cut".into(),
                    critical
                        .single
                        .iter()
                        .map(|s| Some(s.disconnected as f64))
                        .collect(),
                ),
                (
                    "betweenness".into(),
                    critical.link_betweenness.iter().map(|&b| Some(b)).collect(),
                ),
            ],
        },
        "routes_cut",
        OKABE_ITO[5],
    )?;
    if let Some(sim) = &sim {
        sim_out::add_flows_layer(&mut layers, &data, sim)?;
    }
    let layer_files = layers.finish()?;

    let mut charts = clock.time("charts", || {
        write_charts(&out, &data, &cells, &restore, metric.unit(), &scenario_ids)
    })?;
    let mut sections = Vec::new();
    if let Some(sim) = &sim {
        // Before the quick-look map, which closes the list.
        let sim_charts = sim_out::write_charts(&out, &data, sim)?;
        let at = charts.len().saturating_sub(1);
        charts.splice(at..at, sim_charts);
        sections.push(sim_out::report_section(&data, sim));
    }
    let map_resolved = study
        .resolved(&map_scenario)
        .with_context(|| format!("unknown scenario `{map_scenario}` for --map-scenario"))?;
    let map_routes: Vec<MapRoute> = records
        .iter()
        .filter(|r| r.scenario == map_scenario && r.alternative == 0)
        .filter(|r| data.route(&r.route).is_some_and(|t| t.claim.is_some()))
        .map(|r| MapRoute {
            label: r.route.clone(),
            path: r.path.clone(),
        })
        .collect();
    let map = QuickLookMap::new(
        format!("{map_scenario}: the claims' routes over the network"),
        &data.network,
    )
    .with_scenario(map_resolved)
    .with_routes(map_routes)
    .focus_on_core();
    clock.time("map", || write_chart(&map, &out.join("map")))?;

    let inputs = hash_inputs(&dir, claims_file(&dir, args.claims.as_deref()).as_deref())?;
    let layer_names: Vec<String> = layer_files
        .files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "geojson"))
        .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect();
    // Criticality first, then the simulation's section (pushed above).
    sections.insert(
        0,
        (
            format!("Critical links in {}", critical.scenario),
            critical_section(&data, &critical, metric.unit()),
        ),
    );
    let report = Report {
        data: &data,
        metric: (metric.name(), metric.unit()),
        cells: &cells,
        restore: &restore,
        claims: &claims,
        charts: &charts,
        layers: &layer_names,
        sections: &sections,
        inputs: &inputs,
    };
    report.write(&out)?;

    let mut stages: Vec<(String, f64)> = clock
        .stages
        .iter()
        .map(|(s, t)| (s.to_string(), *t))
        .collect();
    stages.push(("total".into(), started.elapsed().as_secs_f64()));
    Manifest {
        command: "run",
        data: &data.dir,
        inputs: &inputs,
        metric: metric.name(),
        seed: args.seed,
        restore_threshold_pct: args.threshold,
        scenarios: &scenario_ids,
        routes: data.routes.iter().map(|r| r.id.as_str()).collect(),
        simulate: sim_plan.as_ref(),
        threads: rayon::current_num_threads(),
        timings: &stages,
    }
    .write(&out)?;
    let out = staged.commit()?;
    print_summary(
        &out,
        &data,
        &cells,
        &restore,
        &claims,
        started.elapsed().as_secs_f64(),
    )?;
    Ok(ExitCode::SUCCESS)
}

/// The freight simulation of a run: the base scenario and `--simulate-scenarios` (default
/// `statement-2021` when it exists), generalized cost, Frank-Wolfe; `None` when the data has
/// neither demand nor disruptions.
fn simulation_plan(data: &Dataset, args: &Args) -> Result<Option<sim_plan::Plan>> {
    if data.demand.is_empty() && data.disruptions.is_empty() {
        return Ok(None);
    }
    let mut scenarios = vec![pick_scenarios(data, None)?.remove(0)];
    let extra = match &args.simulate_scenarios {
        Some(list) => pick_scenarios(data, Some(list))?,
        None if data.scenarios.get("statement-2021").is_some() => vec!["statement-2021".into()],
        None => Vec::new(),
    };
    for s in extra {
        if !scenarios.contains(&s) {
            scenarios.push(s);
        }
    }
    let metric = corridor::routing::Metric::generalized(&data.costs);
    Ok(Some(sim_plan::Plan {
        scenarios,
        draws: args.draws,
        seed: args.seed,
        metric,
        freight: corridor::sim::freight::FreightOptions::new(metric),
    }))
}

/// The claims to judge: `--claims`, else `claims.toml` in the data folder, else the project's
/// `seeds/claims.toml` for the bundled data.
fn claims_file(data_dir: &Path, given: Option<&Path>) -> Option<PathBuf> {
    if let Some(p) = given {
        return Some(p.to_path_buf());
    }
    let beside = data_dir.join("claims.toml");
    if beside.exists() {
        return Some(beside);
    }
    let seeds = Path::new("seeds/claims.toml");
    (data_dir == Path::new(DEFAULT_DATA) && seeds.exists()).then(|| seeds.to_path_buf())
}

fn route_records(study: &Study<'_>, scenarios: &[&str]) -> Vec<RouteRecord> {
    use rayon::prelude::*;
    let data = study.data;
    let pairs: Vec<(usize, usize)> = (0..data.routes.len())
        .flat_map(|r| (0..scenarios.len()).map(move |s| (r, s)))
        .collect();
    pairs
        .par_iter()
        .map_init(RouteState::new, |state, &(r, s)| {
            let route = &data.routes[r];
            study.best(route, scenarios[s], state).and_then(|p| {
                let path = p.geometry(&study.router.graph, &data.network);
                (path.len() >= 2).then(|| RouteRecord {
                    route: route.id.clone(),
                    scenario: scenarios[s].to_string(),
                    alternative: 0,
                    path,
                    km: p.totals.km,
                    hours: p.totals.hours,
                    usd_per_t: p.totals.usd_per_t,
                    borders: p.borders.len() as u32,
                    summary: p.summary.clone(),
                })
            })
        })
        .collect::<Vec<_>>()
        .into_iter()
        .flatten()
        .collect()
}

fn print_summary(
    out: &Path,
    data: &Dataset,
    cells: &[Cell],
    restore: &RestoreReport,
    claims: &[ClaimResult],
    seconds: f64,
) -> Result<()> {
    let mut w = stdout();
    let net = &data.network;
    writeln!(
        w,
        "corridor run: {} ({} places, {} links, {} scenarios, {} routes) in {seconds:.2} s",
        data.dir.display(),
        net.nodes.len(),
        net.links.len(),
        data.scenarios.list.len(),
        data.routes.len()
    )?;
    let restored = restore
        .routes
        .iter()
        .filter(|r| r.base_cost.is_infinite() && r.all_cost.is_finite())
        .count();
    let unreachable = restore
        .routes
        .iter()
        .filter(|r| r.base_cost.is_infinite())
        .count();
    writeln!(
        w,
        "compare: {} route x scenario cells; restore: {restored} of {unreachable} routes unreachable in {} can be restored by the {} projects",
        cells.len(),
        restore.base,
        restore.projects.len()
    )?;
    if !claims.is_empty() {
        writeln!(w, "claims:")?;
        for c in claims {
            let mark = match c.verdict {
                Verdict::Confirmed => "confirmed",
                Verdict::Partly => "partly",
                Verdict::NotConfirmed => "not confirmed",
            };
            writeln!(w, "  {:<16} {mark}", c.claim.id)?;
        }
    }
    writeln!(
        w,
        "wrote {}: report.md, tables (CSV, JSON), layers + corridor.qgs, charts, manifest.json",
        out.display()
    )?;
    w.flush()?;
    Ok(())
}
