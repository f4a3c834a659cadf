//! `corridor assign --tntp PATH`: user-equilibrium traffic assignment on a TNTP network. Writes
//! the link flows and costs (`links.csv`), the convergence trace (`convergence.csv`, and as a chart
//! of the relative gap on a log scale, `convergence.png` and `.svg`) and a summary
//! (`summary.json`, with the comparison against the best known flows where `*_flow.tntp` exists)
//! to `--out` (default `output/assign/`), and prints the summary.
//!
//! Every file is written atomically ([`corridor::output::write_atomic`]). Files hold no timings, so
//! they are byte-identical for any `--threads`.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use serde_json::json;

use corridor::network::tntp::{self, TntpFlow};
use corridor::output::assign::AssignRun;
use corridor::sim::{self, AssignOptions, CostFactors, Iteration, Method, Problem};

use super::args::{check_gap, MethodArg, DEFAULT_GAP, DEFAULT_METHOD};
use super::{stage_out, stdout, write_key_values, Format, Global, Progress};
use corridor::format::{flat_rows, readable};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A folder holding one network's TNTP files, or the common prefix of its files
    /// (e.g. ../shared/data/tntp/SiouxFalls for SiouxFalls_net.tntp, SiouxFalls_trips.tntp, ...).
    #[arg(long, value_name = "PATH")]
    pub tntp: PathBuf,
    /// Assignment method.
    #[arg(long, value_enum, default_value_t = DEFAULT_METHOD)]
    pub method: MethodArg,
    /// Stop when the relative gap (TSTT - SPTT) / TSTT is at most this.
    #[arg(long, default_value_t = DEFAULT_GAP, value_name = "GAP")]
    pub gap: f64,
    /// Stop after this many iterations.
    #[arg(long, default_value_t = 1000, value_name = "N")]
    pub max_iter: usize,
    /// Weight of link length in the link cost [default: the net file's <DISTANCE FACTOR>, else 0].
    #[arg(long, value_name = "F")]
    pub distance_factor: Option<f64>,
    /// Weight of link toll in the link cost [default: the net file's <TOLL FACTOR>, else 0].
    #[arg(long, value_name = "F")]
    pub toll_factor: Option<f64>,
}

pub fn run(global: &Global, args: &Args) -> Result<ExitCode> {
    anyhow::ensure!(
        global.data.is_none(),
        "assign reads a TNTP network (--tntp PATH), not a data folder: drop --data"
    );
    check_gap(args.gap)?;
    anyhow::ensure!(args.max_iter >= 1, "--max-iter must be at least 1");
    let input = Input::read(args)?;
    let (problem, best) = (&input.problem, &input.best);
    let staged = stage_out(global, "assign")?;
    let out_dir = staged.path().to_path_buf();
    {
        let mut err = std::io::stderr().lock();
        for w in &input.warnings {
            writeln!(err, "warning: {w}")?;
        }
    }

    let options = AssignOptions {
        method: args.method.into(),
        gap: args.gap,
        max_iter: args.max_iter,
    };
    let bar = Progress::bar(global, options.max_iter as u64, "iterations");
    let result = sim::assign(problem, &options, |it: &Iteration| {
        bar.set_position(it.iteration as u64);
        bar.set_message(&format!("gap {:.3e}", it.relative_gap));
    })
    .with_context(|| format!("assigning {}", input.files.name))?;
    bar.finish();
    let comparison = match best {
        Some(b) => Some(sim::compare_with_best_known(problem, &result.flows, b)?),
        None => None,
    };
    let reference = match best {
        Some(b) => Some(sim::best_known_in_link_order(problem, b)?),
        None => None,
    };

    let last = result
        .last()
        .context("the assignment ran no iteration")?
        .to_owned();
    let summary = AssignRun {
        files: &input.files,
        net: &input.net,
        problem,
        coordinates: input.coordinates,
        factors: input.factors,
        options: &options,
        result: &result,
        reference: reference.as_deref(),
        comparison: comparison.as_ref(),
    }
    .write(&out_dir)?;
    let out_dir = staged.commit()?;

    if !result.converged && options.method != Method::Aon {
        eprintln!(
            "warning: stopped after {} at relative gap {:.3e}, above the target {:.1e}",
            corridor::format::count(last.iteration, "iteration", "iterations"),
            last.relative_gap,
            options.gap
        );
    }
    // What is printed adds the run's timing and output folder to the summary file's contents.
    let mut printed = summary;
    if let Some(map) = printed.as_object_mut() {
        map.insert("seconds".into(), json!(last.seconds));
        map.insert("output".into(), json!(out_dir.display().to_string()));
    }
    let mut out = stdout();
    match global.format {
        Format::Json => writeln!(out, "{}", serde_json::to_string_pretty(&printed)?)?,
        Format::Csv => write_key_values(&mut out, &printed)?,
        Format::Table => {
            let rows = flat_rows(&printed);
            let width = rows.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
            for (k, v) in rows {
                writeln!(out, "{k:<width$}  {}", readable(&v))?;
            }
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// A TNTP network read and checked, its problem compiled: the plan of one `assign`.
struct Input {
    files: tntp::TntpFiles,
    net: tntp::TntpNet,
    coordinates: Option<usize>,
    best: Option<Vec<TntpFlow>>,
    warnings: Vec<String>,
    factors: CostFactors,
    problem: Problem,
}

impl Input {
    fn read(args: &Args) -> Result<Input> {
        for (name, v) in [
            ("--distance-factor", args.distance_factor),
            ("--toll-factor", args.toll_factor),
        ] {
            if let Some(v) = v {
                anyhow::ensure!(v.is_finite(), "{name} must be a finite number, not {v}");
            }
        }
        // The plan: files located and read, problem compiled, output folder ready.
        let files = tntp::locate(&args.tntp)?;
        let net = tntp::read_net(&files.net)?;
        let trips = tntp::read_trips(&files.trips)?;
        let coordinates = match &files.node {
            Some(p) => Some(tntp::read_nodes(p)?.len()),
            None => None,
        };
        let best: Option<Vec<TntpFlow>> = match &files.flow {
            Some(p) => Some(tntp::read_flows(p)?),
            None => None,
        };
        let mut warnings = Vec::new();
        if let Some(declared) = trips.declared_total {
            let total = trips.total();
            if (total - declared).abs() > 1e-6 * declared.abs().max(1.0) {
                warnings.push(format!(
                    "{}: <TOTAL OD FLOW> is {declared}, but the demands add up to {total}",
                    files.trips.display()
                ));
            }
        }
        let factors = CostFactors {
            distance: args.distance_factor.or(net.distance_factor).unwrap_or(0.0),
            toll: args.toll_factor.or(net.toll_factor).unwrap_or(0.0),
        };
        let problem = Problem::from_tntp(&net, &trips, factors)
            .with_context(|| format!("setting up the assignment of {}", files.net.display()))?;
        if let (Some(best), Some(path)) = (&best, &files.flow) {
            let fit = sim::fit_cost_factors(&problem, best)
                .with_context(|| format!("reading {}", path.display()))?;
            let explains = fit.rms_with <= 0.01 * fit.rms_without;
            let differs = |a: f64, b: f64| (a - b).abs() > 1e-6 + 1e-3 * a.abs();
            if explains
                && (differs(fit.factors.distance, factors.distance)
                    || differs(fit.factors.toll, factors.toll))
            {
                warnings.push(format!(
                    "{}: the best known costs are BPR time + {:.6} x length + {:.6} x toll, but this \
                     run uses factors {} and {}: pass --distance-factor {:.6} --toll-factor {:.6} to \
                     assign on the same costs",
                    path.display(),
                    fit.factors.distance,
                    fit.factors.toll,
                    factors.distance,
                    factors.toll,
                    fit.factors.distance,
                    fit.factors.toll
                ));
            }
        }
        Ok(Input {
            files,
            net,
            coordinates,
            best,
            warnings,
            factors,
            problem,
        })
    }
}
