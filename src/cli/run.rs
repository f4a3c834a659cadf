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
use serde_json::json;
use sha2::{Digest, Sha256};

use corridor::analysis::claims::{load_claims, ClaimResult, Verdict};
use corridor::analysis::compare::Cell;
use corridor::analysis::critical::{rank_cmp, CriticalReport, Pairs};
use corridor::analysis::study::{RestoreReport, Study};
use corridor::network::load::data_files;
use corridor::output::chart::{write_chart, BarChart, BarLayout, Heatmap, Series, OKABE_ITO};
use corridor::output::geojson::{LinkMetricLayer, RouteRecord};
use corridor::output::map::{MapRoute, QuickLookMap};
use corridor::output::report::Report;
use corridor::output::tables::{set_name, write_claims, write_compare, write_json, write_restore};
use corridor::output::LayerSet;
use corridor::routing::RouteState;
use corridor::scenario::{Dataset, ResolvedScenario, Skipped};

use super::compare::pick_scenarios;
use super::restore::{question, Args as RestoreArgs};
use super::simulate;
use super::{
    data_dir, load_dataset, metric, note_warnings, stage_out, stdout, Global, DEFAULT_DATA,
};

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
    let routes: Vec<_> = data.routes.iter().collect();
    // Stages the folder gives nothing to work on (an imported network) are said and skipped.
    let mut skipped = data.run_skips();
    let skips = |skipped: &[Skipped], stage: &str| skipped.iter().any(|s| s.stage == stage);
    let cells = clock.time("compare", || study.compare(&scenario_ids, &routes));
    if !skips(&skipped, "compare") {
        write_compare(&out, metric.name(), &cells)?;
    }
    let restore = if skips(&skipped, "restore") {
        RestoreReport {
            base: scenario_ids[0].to_string(),
            projects: Vec::new(),
            routes: Vec::new(),
            options: Default::default(),
        }
    } else {
        restore_stage(&data, &study, args, &out, &mut clock)?
    };

    let claims = match claims_file(&dir, args.claims.as_deref()) {
        Some(path) => {
            let route_ids: Vec<&str> = data.routes.iter().map(|r| r.id.as_str()).collect();
            let list = load_claims(&path, &route_ids, &scenario_ids)
                .map_err(|e| anyhow::anyhow!("{}", corridor::network::DataErrors(e)))?;
            clock.time("claims", || study.claims(&list))
        }
        None => {
            skipped.push(Skipped {
                stage: "claims",
                reason: "no claims to judge (no claims.toml in the data folder; give one with \
                         --claims FILE)"
                    .into(),
            });
            Vec::new()
        }
    };
    if !skips(&skipped, "claims") {
        write_claims(&out, &claims)?;
    }

    // Freight flows and disruptions, when the data has demand or disruptions.
    let sim_plan = simulation_plan(&data, args)?;
    let sim_resolved = match &sim_plan {
        Some(p) => simulate::resolve(&data, &p.scenarios)?,
        None => Vec::new(),
    };
    let sim = sim_plan.as_ref().map(|p| {
        clock.time("simulate", || {
            simulate::simulate(&data, &study.router, &sim_resolved, p, routes.clone())
        })
    });
    if let Some(sim) = &sim {
        simulate::write_tables(&out, &data, sim)?;
    }

    // Layers: every scenario's statuses, and the best path of every route under every scenario.
    let resolved: Vec<ResolvedScenario> = scenario_ids
        .iter()
        .filter_map(|id| study.resolved(id).cloned())
        .collect();
    let records = clock.time("paths", || route_records(&study, &scenario_ids));
    let map_scenario = match &args.map_scenario {
        Some(s) => data.scenario_id(s).context("--map-scenario")?.to_string(),
        None if data.scenarios.get("statement-2021").is_some() => "statement-2021".into(),
        None => scenario_ids[0].to_string(),
    };
    // The routes layer opens showing the first scenario and the map's; the rest are a tick away.
    let drawn = [scenario_ids[0], map_scenario.as_str()];
    // Criticality under the first scenario (the reference state), over the trade routes.
    let critical = clock
        .time("critical", || {
            study.critical(scenario_ids[0], Pairs::default_for(&data), 10, 2)
        })
        .context("criticality of the reference scenario")?;
    let mut layers = LayerSet::new(&out, &data, &resolved)?;
    if !data.routes.is_empty() {
        layers.add_routes(&records, &scenario_ids, &drawn)?;
    }
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
        simulate::add_flows_layer(&mut layers, &data, sim)?;
    }
    let layer_files = layers.finish()?;

    let mut charts = clock.time("charts", || {
        write_charts(&out, &data, &cells, &restore, metric.unit(), &scenario_ids)
    })?;

    let mut sections = Vec::new();
    if let Some(sim) = &sim {
        // Before the quick-look map, which closes the list.
        let sim_charts = simulate::write_charts(&out, &data, sim)?;
        let at = charts.len().saturating_sub(1);
        charts.splice(at..at, sim_charts);
        sections.push(simulate::report_section(&data, sim));
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
        skipped: &skipped,
    };
    report.write(&out)?;

    let mut stages: Vec<(String, f64)> = clock
        .stages
        .iter()
        .map(|(s, t)| (s.to_string(), *t))
        .collect();
    stages.push(("total".into(), started.elapsed().as_secs_f64()));
    write_manifest(
        &out,
        &data,
        args,
        &inputs,
        &scenario_ids,
        sim_plan.as_ref(),
        &stages,
        &skipped,
    )?;
    let out = staged.commit()?;
    print_summary(
        &out,
        &data,
        &cells,
        &restore,
        &claims,
        started.elapsed().as_secs_f64(),
    )?;
    let mut w = stdout();
    for k in &skipped {
        writeln!(w, "skipped {}: {}", k.stage, k.reason)?;
    }
    w.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Which projects restore which routes, written as the restore tables.
fn restore_stage(
    data: &Dataset,
    study: &Study<'_>,
    args: &Args,
    out: &Path,
    clock: &mut Clock,
) -> Result<RestoreReport> {
    let restore_args = RestoreArgs {
        base: None,
        candidates: None,
        threshold: args.threshold,
        by: args.by.clone(),
        seed: args.seed,
    };
    let q = question(data, &restore_args)?;
    let candidates: Vec<&str> = q.candidates.iter().map(String::as_str).collect();
    let restore = clock.time("restore", || {
        study.restore(&q.base, &candidates, &q.options)
    })?;
    let metric = study.metric;
    write_restore(out, metric.name(), metric.unit(), &restore, &data.routes)?;
    Ok(restore)
}

/// The freight simulation of a run: the base scenario and `--simulate-scenarios` (default
/// `statement-2021` when it exists), generalized cost, Frank-Wolfe; `None` when the data has
/// neither demand nor disruptions.
fn simulation_plan(data: &Dataset, args: &Args) -> Result<Option<simulate::Plan>> {
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
    Ok(Some(simulate::Plan {
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

/// The run's charts; returns `(title, png file name)` for the report.
fn write_charts(
    out: &Path,
    data: &Dataset,
    cells: &[Cell],
    restore: &RestoreReport,
    unit: &str,
    scenarios: &[&str],
) -> Result<Vec<(String, String)>> {
    let mut charts = Vec::new();
    let routes: Vec<String> = data.routes.iter().map(|r| r.id.clone()).collect();
    let cost = |c: &Cell| match unit {
        "h" => c.outcome.hours,
        "km" => c.outcome.km,
        "USD/t" => c.outcome.usd_per_t,
        _ => c.outcome.cost,
    };
    let heat = Heatmap {
        title: "Route cost by scenario".into(),
        row_axis: "trade route".into(),
        column_axis: "scenario".into(),
        value_label: format!("cost of the best path, {unit}"),
        rows: routes.clone(),
        columns: scenarios.iter().map(|s| s.to_string()).collect(),
        values: routes
            .iter()
            .map(|r| {
                scenarios
                    .iter()
                    .map(|s| {
                        cells
                            .iter()
                            .find(|c| &c.route == r && c.scenario == *s)
                            .filter(|c| c.outcome.reachable)
                            .map(cost)
                    })
                    .collect()
            })
            .collect(),
        missing_label: "unreachable".into(),
    };
    // Without trade routes (an imported network) the chart would be empty.
    if !routes.is_empty() {
        write_chart(&heat, &out.join("cost_by_scenario"))?;
        charts.push((heat.title.clone(), "cost_by_scenario.png".to_string()));
    }

    // Restoration matrix: routes that some project set restores or brings within the threshold,
    // x the distinct minimal sets; each cell is the route's cost with exactly that set open.
    let p = &restore.projects;
    let mut columns: Vec<String> = Vec::new();
    let mut rows = Vec::new();
    let mut values = Vec::new();
    for (route, r) in data.routes.iter().zip(&restore.routes) {
        let mut row: Vec<(String, f64)> = r
            .threshold_sets
            .iter()
            .filter(|(s, _)| !s.is_empty())
            .map(|(s, c)| (set_name(p, s), *c))
            .collect();
        if r.base_cost.is_infinite() {
            for (s, c) in r.restoring_sets.iter().zip(&r.restoring_costs) {
                let name = set_name(p, s);
                if !row.iter().any(|(n, _)| *n == name) {
                    row.push((name, *c));
                }
            }
        }
        if row.is_empty() {
            continue;
        }
        for (name, _) in &row {
            if !columns.contains(name) {
                columns.push(name.clone());
            }
        }
        rows.push(route.id.clone());
        values.push(row);
    }
    if !rows.is_empty() {
        let matrix = Heatmap {
            title: "Restoration matrix: minimal project sets per route".into(),
            row_axis: "trade route".into(),
            column_axis: "minimal set of projects".into(),
            value_label: format!("route cost with the set open, {unit}"),
            rows,
            columns: columns.clone(),
            values: values
                .iter()
                .map(|row| {
                    columns
                        .iter()
                        .map(|c| {
                            row.iter()
                                .find(|(n, _)| n == c)
                                .map(|(_, v)| *v)
                                .filter(|v| v.is_finite())
                        })
                        .collect()
                })
                .collect(),
            missing_label: "not a minimal set for this route".into(),
        };
        write_chart(&matrix, &out.join("restoration_matrix"))?;
        charts.push((matrix.title.clone(), "restoration_matrix.png".to_string()));
    }

    // Shapley credit by project, stacked by route.
    let series: Vec<Series> = data
        .routes
        .iter()
        .zip(&restore.routes)
        .filter(|(_, r)| r.shapley.iter().any(|v| v.abs() > 1e-9))
        .map(|(route, r)| Series {
            name: route.id.clone(),
            values: r.shapley.clone(),
        })
        .collect();
    if !series.is_empty() {
        let credit = BarChart {
            title: "Shapley credit of each project, by route".into(),
            value_axis: format!("share of the cost reduction, {unit}"),
            category_axis: "project".into(),
            categories: p.clone(),
            series,
            layout: BarLayout::Stacked,
        };
        write_chart(&credit, &out.join("shapley_credit"))?;
        charts.push((credit.title.clone(), "shapley_credit.png".to_string()));
    }
    charts.push(("Quick-look map".to_string(), "map.png".to_string()));
    Ok(charts)
}

fn unit_slug(unit: &str) -> &'static str {
    match unit {
        "h" => "h",
        "km" => "km",
        _ => "usd_per_t",
    }
}

/// The report's section on criticality: connectivity per mode and the links whose loss costs the
/// trade routes most.
fn critical_section(data: &Dataset, c: &CriticalReport, unit: &str) -> String {
    let net = &data.network;
    let mut s = String::new();
    s.push_str(&format!(
        "Losing one link at a time, over the {} {} ({} unreachable before any loss). \
         A *hostage* link leaves a route with no path at all. Full tables: `corridor critical`.\n\n",
        c.pairs,
        if data.routes.is_empty() {
            "ordered pairs of the largest places (the data has no trade routes)"
        } else {
            "trade routes"
        },
        c.unreachable_pairs
    ));
    s.push_str("| mode | places | links | components | bridges | articulation points |\n|---|---:|---:|---:|---:|---:|\n");
    for m in &c.connectivity {
        s.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} |\n",
            m.mode,
            m.places,
            m.usable_links,
            m.components,
            m.bridges.len(),
            m.articulation_points.len()
        ));
    }
    let mut order: Vec<usize> = (0..c.single.len())
        .filter(|&l| c.single[l].pairs_using > 0)
        .collect();
    order.sort_by(|&a, &b| rank_cmp(&c.single[a], &c.single[b]).then(a.cmp(&b)));
    s.push_str(&format!(
        "\n| link | routes using it | routes cut | extra cost of the others, {unit} |\n|---|---:|---:|---:|\n"
    ));
    for &l in order.iter().take(10) {
        let x = &c.single[l];
        s.push_str(&format!(
            "| {} ({}) | {} | {}{} | {:.1} |\n",
            net.links[l].id,
            net.links[l].name,
            x.pairs_using,
            x.disconnected,
            if c.hostage[l] { " (hostage)" } else { "" },
            x.extra_cost
        ));
    }
    s
}

fn hash_inputs(dir: &Path, claims: Option<&Path>) -> Result<Vec<(String, String)>> {
    let mut files = data_files(dir);
    if let Some(c) = claims {
        files.push(c.to_path_buf());
    }
    files
        .iter()
        .map(|f| {
            let bytes = std::fs::read(f).with_context(|| format!("reading {}", f.display()))?;
            let hash = Sha256::digest(&bytes);
            let hex: String = hash.iter().map(|b| format!("{b:02x}")).collect();
            Ok((f.display().to_string(), hex))
        })
        .collect()
}

// One argument per manifest member until the manifest becomes a struct of its own (issue 14).
#[allow(clippy::too_many_arguments)]
fn write_manifest(
    out: &Path,
    data: &Dataset,
    args: &Args,
    inputs: &[(String, String)],
    scenarios: &[&str],
    sim: Option<&simulate::Plan>,
    stages: &[(String, f64)],
    skipped: &[Skipped],
) -> Result<()> {
    let manifest = json!({
        "corridor_version": env!("CARGO_PKG_VERSION"),
        "corridor_build": corridor::build_info::manifest_json(),
        "command": "run",
        "data": data.dir.display().to_string(),
        "inputs": inputs.iter().map(|(f, h)| json!({"file": f, "sha256": h})).collect::<Vec<_>>(),
        "metric": args.by,
        "seed": args.seed,
        "restore_threshold_pct": args.threshold,
        "scenarios": scenarios,
        "routes": data.routes.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
        "simulate": sim.map(|p| json!({
            "scenarios": p.scenarios,
            "metric": p.metric.name(),
            "method": p.freight.method.as_str(),
            "gap": p.freight.gap,
            "draws": p.draws,
            "seed": p.seed,
        })),
        "skipped": skipped.iter().map(|k| json!({"stage": k.stage, "reason": k.reason})).collect::<Vec<_>>(),
        "run": {
            "threads": rayon::current_num_threads(),
            "timings_s": stages.iter().map(|(s, t)| (s.clone(), json!((t * 1e4).round() / 1e4))).collect::<serde_json::Map<_, _>>(),
        },
    });
    write_json(&out.join("manifest.json"), &manifest)?;
    Ok(())
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
    if !data.routes.is_empty() {
        writeln!(
            w,
            "compare: {} route x scenario cells; restore: {restored} of {unreachable} routes unreachable in {} can be restored by the {} projects",
            cells.len(),
            restore.base,
            restore.projects.len()
        )?;
    }
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
