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

use corridor::analysis::claims::{load_claims, ClaimResult};
use corridor::analysis::compare::Cell;
use corridor::analysis::critical::{CriticalReport, Pairs};
use corridor::analysis::study::{RestoreReport, Study};
use corridor::output::geojson::RouteRecord;
use corridor::output::manifest::{hash_inputs, Manifest};
use corridor::output::report::Report;
use corridor::output::run::{
    critical_section, route_records, summary_json, text_summary, write_layers,
    write_quick_look_map, write_run_charts, RunFindings,
};
use corridor::output::simulation as sim_out;
use corridor::output::tables::{write_claims, write_compare, write_restore};
use corridor::routing::Metric;
use corridor::scenario::{Dataset, ResolvedScenario, ScenarioId, Skipped};
use corridor::sim::freight::FreightOptions;
use corridor::sim::simulation::{self as sim_plan, Simulation};

use super::args::{self, By};
use super::restore::{question, Question};
use super::simulate;
use super::{
    data_dir, load_dataset, note_warnings, stage_out, stdout, write_key_values, Format, Global,
    Progress, DEFAULT_DATA,
};

/// The scenario a run shows beside the default one (the quick-look map, the freight
/// simulation) when the data has it and no option names another: the November 2021 trilateral
/// statement, the subject of the seed article.
const HEADLINE_SCENARIO: &str = "statement-2021";

#[derive(Debug, clap::Args)]
pub struct Args {
    /// What each route minimises.
    #[arg(long, value_enum, default_value_t = By::Time)]
    pub by: By,
    /// The claims to judge [default: claims.toml in the data folder, else seeds/claims.toml for
    /// the bundled data].
    #[arg(long, value_name = "FILE")]
    pub claims: Option<PathBuf>,
    /// Scenario whose routes the quick-look map highlights [default: statement-2021 when it
    /// exists, else the data's default scenario].
    #[arg(long, value_name = "ID")]
    pub map_scenario: Option<String>,
    /// Restore threshold, percent above the best cost with every candidate open.
    #[arg(long, value_name = "PCT", default_value_t = 10.0)]
    pub threshold: f64,
    /// Seed of every random step (sampled Shapley values beyond 20 projects, Monte Carlo draws).
    #[arg(long, value_name = "S", default_value_t = 2021)]
    pub seed: u64,
    /// Scenarios of the freight simulation besides the base (the default scenario),
    /// comma-separated [default: statement-2021 when it exists].
    #[arg(
        long = "scenario",
        alias = "simulate-scenarios",
        value_delimiter = ',',
        value_name = "ID,.."
    )]
    pub scenario: Vec<String>,
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

/// What a run does, resolved from the arguments and the data before any work.
struct RunPlan {
    dir: PathBuf,
    metric: Metric,
    /// Every scenario of scenarios.toml, in order; the first is the reference of criticality.
    scenarios: Vec<ScenarioId>,
    /// `None` when restore is skipped (no routes or no projects).
    restore: Option<Question>,
    claims: Option<PathBuf>,
    /// Stages the folder gives nothing to work on (an imported network), said and skipped.
    skipped: Vec<Skipped>,
    /// `None` when the data has neither demand nor disruptions.
    simulation: Option<sim_plan::Plan>,
    map_scenario: ScenarioId,
}

impl RunPlan {
    fn new(global: &Global, data: &Dataset, args: &Args) -> Result<RunPlan> {
        let dir = data_dir(global);
        let mut skipped = data.run_skips();
        let claims = claims_file(&dir, args.claims.as_deref());
        if claims.is_none() {
            skipped.push(Skipped {
                stage: "claims",
                reason: "no claims to judge (no claims.toml in the data folder; give one with \
                         --claims FILE)"
                    .into(),
            });
        }
        let restore = if skipped.iter().any(|k| k.stage == "restore") {
            None
        } else {
            Some(question(data, None, &[], args.threshold, args.seed)?)
        };
        let headline = data.scenario_id(HEADLINE_SCENARIO).ok();
        let map_scenario = match (&args.map_scenario, &headline) {
            (Some(name), _) => data.scenario_id(name).context("--map-scenario")?,
            (None, Some(h)) => h.clone(),
            (None, None) => args::scenario_required(data, None, "--map-scenario")?,
        };
        let simulation = if data.demand.is_empty() && data.disruptions.is_empty() {
            None
        } else {
            let others = match (&headline, args.scenario.is_empty()) {
                (Some(h), true) => vec![h.to_string()],
                _ => args.scenario.clone(),
            };
            let metric = Metric::generalized(&data.costs);
            let freight = FreightOptions::new(metric);
            Some(simulate::plan(
                data, None, &others, args.draws, args.seed, freight,
            )?)
        };
        Ok(RunPlan {
            metric: args.by.metric(data),
            scenarios: args::scenarios(data, &[])?,
            restore,
            claims,
            skipped,
            simulation,
            map_scenario,
            dir,
        })
    }

    fn ids(&self) -> Vec<&str> {
        self.scenarios.iter().map(|s| s.as_str()).collect()
    }

    fn skips(&self, stage: &str) -> bool {
        self.skipped.iter().any(|k| k.stage == stage)
    }
}

/// What the analyses of a run found.
struct Findings<'p> {
    cells: Vec<Cell>,
    restore: RestoreReport,
    claims: Vec<ClaimResult>,
    simulation: Option<Simulation<'p>>,
    critical: CriticalReport,
    records: Vec<RouteRecord>,
}

pub fn run(global: &Global, args: &Args) -> Result<ExitCode> {
    let started = Instant::now();
    let mut clock = Clock::default();
    let data = clock.time("load", || load_dataset(global))?;
    note_warnings(global, &data)?;
    let mut plan = RunPlan::new(global, &data, args)?;
    let staged = stage_out(global, "run")?;
    let out = staged.path().to_path_buf();
    let mut study = clock.time("compile", || Study::new(&data, plan.metric))?;
    let progress = Progress::spinner(global, "compare, restore, claims, simulate, critical");
    study.progress = progress.tick();
    if let Some(sim) = &mut plan.simulation {
        sim.progress = progress.tick();
    }
    let found = analyse(&data, &study, &plan, &mut clock);
    progress.respin("writing tables, layers, charts and the report");
    let found = found?;
    write_tables(&out, &data, &plan, &found)?;
    let ids = plan.ids();
    let unit = plan.metric.unit();
    let map_scenario = plan.map_scenario.as_str();
    let sim = found.simulation.as_ref();
    let resolved: Vec<ResolvedScenario> = ids
        .iter()
        .map(|id| study.resolved(id).cloned())
        .collect::<Result<_, _>>()?;
    let layer_names = write_layers(
        &out,
        &data,
        &resolved,
        &ids,
        map_scenario,
        &found.records,
        &found.critical,
        unit,
        sim,
    )?;
    let charts = clock.time("charts", || {
        write_run_charts(
            &out,
            &data,
            &found.cells,
            &found.restore,
            &found.critical,
            sim,
            unit,
            &ids,
        )
    })?;
    let map_resolved = study.resolved(map_scenario)?;
    clock.time("map", || {
        write_quick_look_map(&out, &data, map_resolved, map_scenario, &found.records)
    })?;
    let inputs = hash_inputs(&plan.dir, plan.claims.as_deref())?;
    let mut sections = vec![(
        format!(
            "Critical links in {}: corridor sections",
            data.scenarios.name_of(&found.critical.scenario)
        ),
        critical_section(&data, &found.critical, plan.metric.unit()),
    )];
    if let Some(sim) = &found.simulation {
        sections.push(sim_out::report_section(&data, sim));
    }
    Report {
        data: &data,
        metric: (plan.metric.name(), plan.metric.unit()),
        cells: &found.cells,
        restore: &found.restore,
        claims: &found.claims,
        charts: &charts,
        layers: &layer_names,
        sections: &sections,
        inputs: &inputs,
        skipped: &plan.skipped,
    }
    .write(&out)?;
    corridor::output::html::write_report_html(&out, &data, plan.map_scenario.as_str())?;
    let mut stages: Vec<(String, f64)> = clock
        .stages
        .iter()
        .map(|(s, t)| (s.to_string(), *t))
        .collect();
    stages.push(("total".into(), started.elapsed().as_secs_f64()));
    let ids = plan.ids();
    Manifest {
        command: "run",
        data: &data.dir,
        inputs: &inputs,
        metric: plan.metric.name(),
        seed: args.seed,
        restore_threshold_pct: args.threshold,
        scenarios: &ids,
        routes: data.routes.iter().map(|r| r.id.as_str()).collect(),
        simulate: plan.simulation.as_ref(),
        threads: rayon::current_num_threads(),
        timings: &stages,
        skipped: &plan.skipped,
    }
    .write(&out)?;
    let out = staged.commit()?;
    progress.finish();
    print_summary(
        global,
        &out,
        &data,
        &plan,
        &found,
        started.elapsed().as_secs_f64(),
    )?;
    Ok(ExitCode::SUCCESS)
}

/// Compare, restore, claims, the freight simulation, the paths of the layers and criticality.
fn analyse<'p>(
    data: &'p Dataset,
    study: &Study<'_>,
    plan: &'p RunPlan,
    clock: &mut Clock,
) -> Result<Findings<'p>> {
    let ids = plan.ids();
    let routes: Vec<_> = data.routes.iter().collect();
    let cells = clock.time("compare", || study.compare(&ids, &routes));
    let restore = match &plan.restore {
        Some(q) => {
            let candidates: Vec<&str> = q.candidates.iter().map(|s| s.as_str()).collect();
            clock.time("restore", || {
                study.restore(q.base.as_str(), &candidates, &q.options)
            })?
        }
        None => RestoreReport {
            base: ids[0].to_string(),
            projects: Vec::new(),
            members: Vec::new(),
            routes: Vec::new(),
            options: Default::default(),
        },
    };
    let claims = match &plan.claims {
        Some(path) => {
            let route_ids: Vec<&str> = data.routes.iter().map(|r| r.id.as_str()).collect();
            let list = load_claims(path, &route_ids, &ids)
                .map_err(|e| anyhow::anyhow!("{}", corridor::network::DataErrors(e)))?;
            clock.time("claims", || study.claims(&list))
        }
        None => Vec::new(),
    };
    let simulation = match &plan.simulation {
        Some(p) => {
            let resolved = simulate::resolve(data, p)?;
            Some(clock.time("simulate", || {
                sim_plan::simulate(data, &study.router, &resolved, p, routes.clone())
            }))
        }
        None => None,
    };
    let records = clock.time("paths", || route_records(study, &ids));
    // Criticality under the first scenario (the reference state), over the trade routes (the
    // largest places without routes).
    let pairs = Pairs::default_for(data);
    let critical = clock
        .time("critical", || study.critical(ids[0], pairs, 10, 2))
        .context("criticality of the reference scenario")?;
    Ok(Findings {
        cells,
        restore,
        claims,
        simulation,
        critical,
        records,
    })
}

/// The tables of compare, restore, claims and the simulation.
fn write_tables(out: &Path, data: &Dataset, plan: &RunPlan, found: &Findings<'_>) -> Result<()> {
    let metric = plan.metric;
    if !plan.skips("compare") {
        write_compare(out, metric.name(), &found.cells)?;
    }
    if !plan.skips("restore") {
        write_restore(
            out,
            metric.name(),
            metric.unit(),
            &found.restore,
            &data.routes,
        )?;
    }
    if !plan.skips("claims") {
        write_claims(out, &found.claims)?;
    }
    corridor::output::critical::write_tables(out, data, &found.critical, metric.unit(), 10)?;
    if let Some(sim) = &found.simulation {
        sim_out::write_tables(out, data, sim)?;
    }
    Ok(())
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

fn print_summary(
    global: &Global,
    out: &Path,
    data: &Dataset,
    plan: &RunPlan,
    found: &Findings<'_>,
    seconds: f64,
) -> Result<()> {
    let run = RunFindings {
        cells: found.cells.len(),
        restore: &found.restore,
        claims: &found.claims,
        skipped: &plan.skipped,
    };
    let mut w = stdout();
    match global.format {
        Format::Json => {
            let v = summary_json(out, data, &run, seconds);
            writeln!(w, "{}", serde_json::to_string_pretty(&v)?)?;
        }
        Format::Csv => write_key_values(&mut w, &summary_json(out, data, &run, seconds))?,
        Format::Table => write!(w, "{}", text_summary(out, data, &run, seconds))?,
    }
    w.flush()?;
    Ok(())
}
