//! `corridor restore [--base ID] [--candidates P,..] [--threshold PCT] [--by METRIC]`: for the
//! projects closed in the base scenario, every minimal set that restores each trade route (and
//! that brings its cost within the threshold of the best), each project's Shapley value and the
//! synergies; a summary on the terminal, tables in `--out` (default `output/restore/`).

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Context, Result};

use corridor::analysis::restore::RestoreOptions;
use corridor::analysis::study::{RestoreReport, Study};
use corridor::output::tables::{set_name, write_restore};
use corridor::scenario::{Dataset, TradeRoute};

use super::{
    data_dir, id_list, load_dataset, metric, note_warnings, stage_out, stdout, Format, Global,
};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The base scenario [default: the first scenario without a base, e.g. baseline-2021].
    #[arg(long, value_name = "ID")]
    pub base: Option<String>,
    /// Candidate projects, comma-separated [default: every scenario marked `project = true`].
    #[arg(long, value_name = "P,..")]
    pub candidates: Option<String>,
    /// A set "restores within the threshold" when its cost is at most this many percent above
    /// the cost with every candidate open.
    #[arg(long, value_name = "PCT", default_value_t = 10.0)]
    pub threshold: f64,
    /// What each route minimises (Shapley values are in its unit).
    #[arg(long, value_parser = ["time", "distance", "money", "generalized"], default_value = "time")]
    pub by: String,
    /// Seed of the sampled Shapley values (used beyond 20 candidates).
    #[arg(long, default_value_t = 2021)]
    pub seed: u64,
}

/// The base scenario and the candidate projects of a restore question.
pub struct Question {
    pub base: String,
    pub candidates: Vec<String>,
    pub options: RestoreOptions,
}

/// Resolves `--base`, `--candidates` and the options against the data.
pub fn question(data: &Dataset, args: &Args) -> Result<Question> {
    let base = match &args.base {
        Some(b) => data.scenario_id(b)?.to_string(),
        None => data
            .scenarios
            .list
            .iter()
            .find(|s| s.base.is_none())
            .map(|s| s.id.clone())
            .context("no scenario without a base to restore from; name one with --base")?,
    };
    let candidates: Vec<String> = match &args.candidates {
        Some(l) => {
            let ids: Result<Vec<String>> = id_list(l)
                .iter()
                .map(|id| Ok(data.scenario_id(id)?.to_string()))
                .collect();
            ids?
        }
        None => data.scenarios.projects().map(|s| s.id.clone()).collect(),
    };
    anyhow::ensure!(
        !candidates.is_empty(),
        "no candidate projects: mark scenarios with `project = true` or name them with --candidates"
    );
    anyhow::ensure!(
        args.threshold.is_finite() && args.threshold >= 0.0,
        "--threshold must be a percentage >= 0"
    );
    Ok(Question {
        base,
        candidates,
        options: RestoreOptions {
            threshold_pct: args.threshold,
            seed: args.seed,
            ..RestoreOptions::default()
        },
    })
}

pub fn run(global: &Global, args: &Args) -> Result<ExitCode> {
    let data = load_dataset(&data_dir(global, None))?;
    note_warnings(&data)?;
    let q = question(&data, args)?;
    let metric = metric(&args.by, &data)?;
    let staged = stage_out(global, "restore")?;
    let study = Study::new(&data, metric)?;
    let candidates: Vec<&str> = q.candidates.iter().map(String::as_str).collect();
    let report = study.restore(&q.base, &candidates, &q.options)?;
    write_restore(
        staged.path(),
        metric.name(),
        metric.unit(),
        &report,
        &data.routes,
    )?;
    let out = staged.commit()?;
    let mut w = stdout();
    match global.format {
        Format::Json => w.write_all(&std::fs::read(out.join("restore.json"))?)?,
        Format::Csv => w.write_all(&std::fs::read(out.join("restore_sets.csv"))?)?,
        Format::Table => print_summary(&mut w, &report, &data.routes, metric.unit())?,
    }
    w.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Per route: base state, minimal restoring sets, sets within the threshold; then the credit.
pub fn print_summary(
    w: &mut impl Write,
    report: &RestoreReport,
    routes: &[TradeRoute],
    unit: &str,
) -> Result<()> {
    let p = &report.projects;
    writeln!(
        w,
        "{} candidate projects over {} (costs in {unit}; within {} % of the best with all open)",
        p.len(),
        report.base,
        report.options.threshold_pct
    )?;
    for (route, r) in routes.iter().zip(&report.routes) {
        writeln!(w)?;
        let base = if r.base_cost.is_finite() {
            format!("reachable in {} ({:.1})", report.base, r.base_cost)
        } else {
            format!("unreachable in {}", report.base)
        };
        writeln!(w, "{}: {base}", route.id)?;
        if !r.all_cost.is_finite() {
            writeln!(w, "  no candidate set restores it")?;
            continue;
        }
        let sets: Vec<String> = r.restoring_sets.iter().map(|s| set_name(p, s)).collect();
        if r.base_cost.is_infinite() {
            writeln!(w, "  restored by:   {}", sets.join(" | "))?;
        }
        let within: Vec<String> = r
            .threshold_sets
            .iter()
            .map(|(s, c)| format!("{} ({c:.1})", set_name(p, s)))
            .collect();
        writeln!(
            w,
            "  best with all: {:.1}; within threshold: {}",
            r.all_cost,
            within.join(" | ")
        )?;
        if !r.synergies.is_empty() {
            let pairs: Vec<String> = r
                .synergies
                .iter()
                .map(|&(a, b)| format!("{}+{}", p[a], p[b]))
                .collect();
            writeln!(w, "  only together: {}", pairs.join(", "))?;
        }
        let credit = r.top_credit(4);
        if !credit.is_empty() {
            let parts: Vec<String> = credit
                .iter()
                .map(|&(i, v)| format!("{} {v:.1}", p[i]))
                .collect();
            writeln!(w, "  Shapley credit: {}", parts.join(", "))?;
        }
    }
    Ok(())
}
