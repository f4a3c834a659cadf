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
use corridor::output::chart::{write_chart, LineChart, XySeries};
use corridor::output::write_atomic;
use corridor::sim::{
    self, AssignOptions, Assignment, Comparison, CostFactors, Iteration, Method, Problem,
};

use super::args::{check_gap, MethodArg, DEFAULT_GAP, DEFAULT_METHOD};
use super::terminal::readable;
use super::{flat_rows, stage_out, stdout, write_key_values, Format, Global, Progress};

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
    for (name, v) in [
        ("--distance-factor", args.distance_factor),
        ("--toll-factor", args.toll_factor),
    ] {
        if let Some(v) = v {
            anyhow::ensure!(v.is_finite(), "{name} must be a finite number, not {v}");
        }
    }

    let input = Input::read(args)?;
    let Input {
        files,
        net,
        coordinates,
        best,
        warnings,
        factors,
        problem,
    } = &input;
    let staged = stage_out(global, "assign")?;
    let out_dir = staged.path().to_path_buf();
    {
        let mut err = std::io::stderr().lock();
        for w in warnings {
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
    .with_context(|| format!("assigning {}", files.name))?;
    bar.finish();
    let comparison = match &best {
        Some(b) => Some(sim::compare_with_best_known(problem, &result.flows, b)?),
        None => None,
    };
    let reference = match &best {
        Some(b) => Some(sim::best_known_in_link_order(problem, b)?),
        None => None,
    };

    write_links(&out_dir, net, &result, reference.as_deref())?;
    write_convergence(&out_dir, &result)?;
    let chart = LineChart {
        title: format!(
            "{}: {} convergence",
            files.name,
            options.method.as_str().to_uppercase()
        ),
        x_axis: "iteration".into(),
        y_axis: "relative gap (TSTT - SPTT) / TSTT".into(),
        series: vec![XySeries {
            name: options.method.as_str().to_uppercase(),
            points: result
                .trace
                .iter()
                .map(|it| (it.iteration as f64, it.relative_gap))
                .collect(),
        }],
        log_y: true,
    };
    write_chart(&chart, &out_dir.join("convergence"))?;

    let last = result
        .last()
        .context("the assignment ran no iteration")?
        .to_owned();
    let summary = json!({
        "network": files.name,
        "files": {
            "net": files.net.display().to_string(),
            "trips": files.trips.display().to_string(),
            "node": files.node.as_ref().map(|p| p.display().to_string()),
            "flow": files.flow.as_ref().map(|p| p.display().to_string()),
        },
        "nodes": problem.nodes(),
        "links": problem.links(),
        "zones": net.zones,
        "first_thru_node": net.first_thru_node,
        "node_coordinates": coordinates,
        "origins": problem.origins(),
        "od_pairs": problem.od_pairs(),
        "total_demand": problem.total_demand(),
        "intrazonal_demand_ignored": problem.intrazonal_demand(),
        "distance_factor": factors.distance,
        "toll_factor": factors.toll,
        "method": options.method.as_str(),
        "gap_target": options.gap,
        "max_iter": options.max_iter,
        "iterations": last.iteration,
        "converged": result.converged,
        "relative_gap": last.relative_gap,
        "tstt": last.tstt,
        "beckmann": last.beckmann,
        "best_known": comparison.map(|c| comparison_json(&c)),
    });
    let mut text = serde_json::to_string_pretty(&summary)?;
    text.push('\n');
    write_atomic(&out_dir.join("summary.json"), text.as_bytes())?;
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

fn comparison_json(c: &Comparison) -> serde_json::Value {
    json!({
        "links": c.links,
        "mean_flow": c.mean_flow,
        "flow_weighted_mad": c.weighted_mad,
        "flow_weighted_mad_over_mean_flow": c.relative_weighted_mad(),
        "mad": c.mad,
        "max_abs_deviation": c.max_abs_dev,
        "max_deviation_link": c.max_dev_link + 1,
        "objective": c.objective,
        "best_known_objective": c.best_known_objective,
        "objective_relative_error": c.objective_rel_error(),
    })
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

/// `links.csv`: every link's flow, cost and volume/capacity, with the best known flow.
fn write_links(
    out_dir: &std::path::Path,
    net: &tntp::TntpNet,
    result: &Assignment,
    reference: Option<&[f64]>,
) -> Result<()> {
    let mut links = csv::Writer::from_writer(Vec::new());
    let mut header = vec![
        "link",
        "from",
        "to",
        "capacity",
        "free_flow_time",
        "flow",
        "cost",
        "volume_capacity",
    ];
    if reference.is_some() {
        header.extend(["best_known_flow", "deviation"]);
    }
    links.write_record(&header)?;
    for (i, a) in net.arcs.iter().enumerate() {
        let x = result.flows[i];
        let mut row = vec![
            (i + 1).to_string(),
            a.init.to_string(),
            a.term.to_string(),
            a.capacity.to_string(),
            a.free_flow_time.to_string(),
            x.to_string(),
            result.costs[i].to_string(),
            (x / a.capacity).to_string(),
        ];
        if let Some(r) = &reference {
            row.push(r[i].to_string());
            row.push((x - r[i]).to_string());
        }
        links.write_record(&row)?;
    }
    write_atomic(&out_dir.join("links.csv"), &links.into_inner()?)?;

    Ok(())
}

/// `convergence.csv`: the relative gap and objective of every iteration.
fn write_convergence(out_dir: &std::path::Path, result: &Assignment) -> Result<()> {
    let mut trace = csv::Writer::from_writer(Vec::new());
    trace.write_record([
        "iteration",
        "relative_gap",
        "tstt",
        "sptt",
        "beckmann",
        "step",
        "direction",
    ])?;
    for it in &result.trace {
        trace.write_record([
            it.iteration.to_string(),
            it.relative_gap.to_string(),
            it.tstt.to_string(),
            it.sptt.to_string(),
            it.beckmann.to_string(),
            it.step.to_string(),
            it.direction.as_str().to_string(),
        ])?;
    }
    write_atomic(&out_dir.join("convergence.csv"), &trace.into_inner()?)?;
    Ok(())
}
