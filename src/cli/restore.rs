//! `corridor restore [--base ID] [--candidates ID,..] [--threshold PCT] [--by METRIC]`: for the
//! projects closed in the base scenario, every minimal set that restores each trade route (and
//! that brings its cost within the threshold of the best), each project's Shapley value and the
//! synergies; a summary on the terminal, tables in `--out` (default `output/restore/`).

use std::io::Write;
use std::process::ExitCode;

use std::path::PathBuf;

use anyhow::{Context, Result};
use serde_json::{json, Value};

use corridor::output::partial::{bits, float, share, ShardId};

use corridor::analysis::restore::RestoreOptions;
use corridor::analysis::study::{RestoreReport, Study};
use corridor::output::tables::{text_restore, write_restore};
use corridor::scenario::{Dataset, ScenarioId, TradeRoute};

use super::args::{self, By};
use super::merge::{index_of, plan_list, plan_value, units, value_name};
use super::{load_dataset, stage_out, stdout, Format, Global, Progress};
use corridor::format::count;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The base scenario [default: the data's default scenario, the first without a base].
    #[arg(long, value_name = "ID")]
    pub base: Option<String>,
    /// Candidate projects, comma-separated [default: every scenario marked `project = true`].
    #[arg(long, value_delimiter = ',', value_name = "ID,..")]
    pub candidates: Vec<String>,
    /// A set "restores within the threshold" when its cost is at most this many percent above
    /// the cost with every candidate open.
    #[arg(long, value_name = "PCT", default_value_t = 10.0)]
    pub threshold: f64,
    /// What each route minimises (Shapley values are in its unit).
    #[arg(long, value_enum, default_value_t = By::Time)]
    pub by: By,
    /// Seed of the sampled Shapley values (used beyond 20 candidates).
    #[arg(long, value_name = "S", default_value_t = 2021)]
    pub seed: u64,
    /// Analyse only shard I of N of the trade routes (balanced by their crow-fly lengths) into a
    /// partial folder at --out; `corridor merge` joins the N parts.
    #[arg(long, value_name = "I/N", value_parser = super::merge::parse_shard)]
    pub shard: Option<ShardId>,
}

/// The base scenario and the candidate projects of a restore question, resolved.
pub struct Question {
    pub base: ScenarioId,
    pub candidates: Vec<ScenarioId>,
    pub options: RestoreOptions,
}

/// Resolves a restore question against the data: `base` (else the default scenario), the
/// `candidates` (else every project of scenarios.toml), the threshold and the seed.
pub fn question(
    data: &Dataset,
    base: Option<&str>,
    candidates: &[String],
    threshold_pct: f64,
    seed: u64,
) -> Result<Question> {
    let base = args::scenario_required(data, base, "--base")?;
    let candidates: Vec<ScenarioId> = if candidates.is_empty() {
        data.scenarios
            .projects()
            .map(|s| data.scenario_id(&s.id))
            .collect::<Result<_, _>>()?
    } else {
        args::scenarios(data, candidates)?
    };
    anyhow::ensure!(
        !candidates.is_empty(),
        "no candidate projects: mark scenarios with `project = true` or name them with --candidates"
    );
    anyhow::ensure!(
        threshold_pct.is_finite() && threshold_pct >= 0.0,
        "--threshold must be a percentage >= 0"
    );
    Ok(Question {
        base,
        candidates,
        options: RestoreOptions {
            threshold_pct,
            seed,
            ..RestoreOptions::default()
        },
    })
}

pub fn run(global: &Global, args: &Args) -> Result<ExitCode> {
    let data = load_dataset(global)?;
    let q = question(
        &data,
        args.base.as_deref(),
        &args.candidates,
        args.threshold,
        args.seed,
    )?;
    let metric = args.by.metric(&data);
    let mut study = Study::new(&data, metric)?;
    let candidates: Vec<&str> = q.candidates.iter().map(|s| s.as_str()).collect();
    if let Some(shard) = args.shard {
        let routes: Vec<&TradeRoute> = data.routes.iter().collect();
        let mine = share(&super::merge::route_costs(&data, &routes), shard);
        let found = study.restore_routes(q.base.as_str(), &candidates, &q.options, &mine)?;
        let rows: Vec<Value> = mine
            .iter()
            .zip(&found)
            .map(|(&i, r)| json!({"route": i, "restore": corridor::output::rows::restore_json(r)}))
            .collect();
        let plan = json!({
            "base": q.base.as_str(),
            "candidates": candidates,
            "threshold_bits": bits(args.threshold),
            "by": value_name(&args.by),
            "seed": args.seed,
        });
        super::merge::write_part(global, "restore", &plan, shard, &rows)?;
        return Ok(ExitCode::SUCCESS);
    }
    let progress = Progress::spinner(
        global,
        &format!(
            "restoring routes over {} with {}",
            q.base,
            count(candidates.len(), "candidate", "candidates")
        ),
    );
    study.progress = progress.tick();
    let report = study.restore(q.base.as_str(), &candidates, &q.options);
    progress.finish();
    let report = report?;
    let out = write(global, &data, metric, &report)?;
    let mut w = stdout();
    match global.format {
        Format::Json => w.write_all(&std::fs::read(out.join("restore.json"))?)?,
        Format::Csv => w.write_all(&std::fs::read(out.join("restore_sets.csv"))?)?,
        Format::Table => write!(w, "{}", text_restore(&report, &data.routes, metric.unit()))?,
    }
    w.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// The unsharded outputs from every shard's routes.
pub fn merge(
    global: &Global,
    data: &Dataset,
    plan: &Value,
    parts: &[(ShardId, &[Value])],
) -> Result<PathBuf> {
    let candidates = plan_list(plan, "candidates")?;
    let threshold = float(&plan["threshold_bits"]).context("the plan has no `threshold_bits`")?;
    let seed = plan["seed"].as_u64().context("the plan has no `seed`")?;
    let q = question(data, plan["base"].as_str(), &candidates, threshold, seed)?;
    let metric = plan_value::<By>(plan, "by")?.metric(data);
    let study = Study::new(data, metric)?;
    let routes = units(
        parts,
        data.routes.len(),
        "route",
        |r| index_of(r, "route"),
        |r| corridor::output::rows::restore_of(&r["restore"]),
    )?;
    let names: Vec<&str> = q.candidates.iter().map(|s| s.as_str()).collect();
    let report = study.restore_from(q.base.as_str(), &names, &q.options, routes)?;
    write(global, data, metric, &report)
}

/// Writes the question's files into `--out` through the writer of `restore`.
fn write(
    global: &Global,
    data: &Dataset,
    metric: corridor::routing::Metric,
    report: &RestoreReport,
) -> Result<PathBuf> {
    let staged = stage_out(global, "restore")?;
    write_restore(
        staged.path(),
        metric.name(),
        metric.unit(),
        report,
        &data.routes,
    )?;
    Ok(staged.commit()?)
}
