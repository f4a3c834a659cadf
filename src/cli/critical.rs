//! `corridor critical [--scenario ID] [--by METRIC] [--pairs routes|cities|all|largest] [--top N]
//! [--multi K] [--links ID,..]`: which links cost the most to lose, connectivity per mode
//! (components, bridges, articulation points), betweenness and route exposure; a ranked table on
//! the terminal, tables, a `criticality` GIS layer and a chart in `--out` (default
//! `output/critical/`).

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Context, Result};
use serde_json::{json, Value};

use corridor::analysis::critical::{CriticalReport, FromShards, Pairs};
use corridor::analysis::study::Study;
use corridor::output::critical::{text_table, with_sets_and_exposure, write_outputs};
use corridor::output::partial::{self, share, ShardId};
use corridor::scenario::Dataset;

use super::args::{self, By, PairsArg};
use super::merge::{index_of, plan_list, plan_text, plan_value, units, value_name};
use super::{load_dataset, note, stage_out, stdout, Format, Global, Progress};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Scenario [default: the data's default scenario, the first without a base].
    #[arg(long, value_name = "ID")]
    pub scenario: Option<String>,
    /// What each pair minimises (losses are in its unit).
    #[arg(long, value_enum, default_value_t = By::Time)]
    pub by: By,
    /// Pairs losses are measured over: the trade routes, every pair of cities and hubs, every
    /// pair of places, or every pair of the 20 largest places [default: routes; largest when the
    /// data has no routes.toml].
    #[arg(long, value_enum)]
    pub pairs: Option<PairsArg>,
    /// Links shown (in every format), and the most critical links combined in the multi-link
    /// analysis.
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub top: usize,
    /// Size of the link sets closed together among the top links (2: pairs, 3: triples; 1: none).
    #[arg(long, value_name = "K", default_value_t = 2)]
    pub multi: usize,
    /// Close sets of K links among these link ids instead of among the top N links.
    #[arg(long, value_delimiter = ',', value_name = "ID,..")]
    pub links: Vec<String>,
    /// Compute only shard I of N (its groups of pairs sharing a destination, balanced by
    /// estimated cost) into a partial folder at --out; `corridor merge` joins the N parts.
    #[arg(long, value_name = "I/N", value_parser = super::merge::parse_shard)]
    pub shard: Option<ShardId>,
}

/// The plan a shard records and a merge runs again: the arguments, the scenario resolved.
fn plan_json(args: &Args, scenario: &str) -> Value {
    json!({
        "scenario": scenario,
        "by": value_name(&args.by),
        "pairs": args.pairs.as_ref().and_then(value_name),
        "top": args.top,
        "multi": args.multi,
        "links": args.links,
    })
}

/// The arguments of a recorded plan ([`plan_json`]).
fn plan_args(plan: &Value) -> Result<Args> {
    let number = |k: &str| {
        plan[k]
            .as_u64()
            .map(|n| n as usize)
            .with_context(|| format!("the plan has no `{k}`"))
    };
    Ok(Args {
        scenario: Some(plan_text(plan, "scenario")?),
        by: plan_value(plan, "by")?,
        pairs: if plan["pairs"].is_null() {
            None
        } else {
            Some(plan_value(plan, "pairs")?)
        },
        top: number("top")?,
        multi: number("multi")?,
        links: plan_list(plan, "links")?,
        shard: None,
    })
}

/// A criticality question resolved against the data.
struct Question {
    metric: corridor::routing::Metric,
    scenario: String,
    pairs: Pairs,
    candidates: Vec<corridor::network::LinkId>,
}

/// The most link sets a multi-link analysis closes (each re-routes every pair it touches).
const MAX_LINK_SETS: u128 = 1_000_000;

/// `n` choose `k`, saturating.
fn sets_of(n: usize, k: usize) -> u128 {
    if k > n {
        return 0;
    }
    (0..k as u128).fold(1, |acc: u128, i| {
        acc.saturating_mul(n as u128 - i) / (i + 1)
    })
}

fn question(global: &Global, data: &Dataset, args: &Args) -> Result<Question> {
    let metric = args.by.metric(data);
    let scenario = args::scenario_required(data, args.scenario.as_deref(), "--scenario")?;
    let pairs = args
        .pairs
        .map_or_else(|| Pairs::default_for(data), Pairs::from);
    anyhow::ensure!(args.multi <= 3, "--multi is at most 3 (triples)");
    if pairs == Pairs::All {
        let places = data
            .network
            .nodes
            .iter()
            .filter(|n| n.kind != corridor::network::NodeKind::Border)
            .count();
        note(
            global,
            &format!(
                "--pairs all searches {} ordered place pairs and every link of their paths; \
                 --pairs cities is far cheaper",
                places.saturating_mul(places.saturating_sub(1))
            ),
        )?;
    }
    let mut candidates = Vec::with_capacity(args.links.len());
    for id in &args.links {
        candidates.push(
            data.network
                .link_id(id)
                .with_context(|| format!("--links: no link `{id}` in the data"))?,
        );
    }
    if args.multi >= 2 {
        let (pool, from) = if candidates.is_empty() {
            (args.top.min(data.network.links.len()), "the top")
        } else {
            (candidates.len(), "the --links")
        };
        let sets = sets_of(pool, args.multi);
        anyhow::ensure!(
            sets <= MAX_LINK_SETS,
            "--multi {} among {from} {pool} links closes {} link sets, more than {}: lower --top \
             or --multi, or name the links with --links",
            args.multi,
            corridor::format::thousands(sets as f64),
            corridor::format::thousands(MAX_LINK_SETS as f64)
        );
    }
    Ok(Question {
        metric,
        scenario: scenario.as_str().to_string(),
        pairs,
        candidates,
    })
}

impl Question {
    fn candidates(&self) -> Option<&[corridor::network::LinkId]> {
        (!self.candidates.is_empty()).then_some(self.candidates.as_slice())
    }
}

/// Writes the question's files into `--out` through the one writer of `critical`.
fn write(
    global: &Global,
    data: &Dataset,
    study: &Study,
    report: &CriticalReport,
    unit: &str,
    top: usize,
) -> Result<std::path::PathBuf> {
    let staged = stage_out(global, "critical")?;
    let resolved = study.resolved(&report.scenario)?;
    write_outputs(staged.path(), data, resolved, report, unit, top)?;
    Ok(staged.commit()?)
}

pub fn run(global: &Global, args: &Args) -> Result<ExitCode> {
    let data = load_dataset(global)?;
    let q = question(global, &data, args)?;
    let mut study = Study::new(&data, q.metric)?;
    if let Some(shard) = args.shard {
        run_shard(global, &data, &study, args, &q, shard)?;
        return Ok(ExitCode::SUCCESS);
    }
    let progress = Progress::spinner(global, &format!("losing each link under {}", q.scenario));
    study.progress = progress.tick();
    let report =
        study.critical_among(&q.scenario, q.pairs, args.top, args.multi, q.candidates())?;
    progress.finish();
    let out = write(global, &data, &study, &report, q.metric.unit(), args.top)?;
    let mut w = stdout();
    match global.format {
        Format::Json => {
            let file: serde_json::Value =
                serde_json::from_slice(&std::fs::read(out.join("critical.json"))?)?;
            let json = with_sets_and_exposure(file, &data, &report);
            writeln!(w, "{}", serde_json::to_string_pretty(&json)?)?;
        }
        Format::Csv => write_top_csv(&mut w, &out.join("critical.csv"), args.top)?,
        Format::Table => write!(
            w,
            "{}",
            text_table(&data, &report, q.metric.unit(), args.top)
        )?,
    }
    w.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Shard `shard` of the question, as a partial folder: the groups of pairs sharing a
/// destination (one backward search each) dealt to the shards by
/// `CriticalityInputs::group_costs`, each of its pairs' best path and detour costs; its share of
/// the trade routes, their exposure; and its contiguous share of the betweenness sources, their
/// fixed-point sums.
fn run_shard(
    global: &Global,
    data: &Dataset,
    study: &Study,
    args: &Args,
    q: &Question,
    shard: ShardId,
) -> Result<()> {
    let inputs = study.criticality_inputs(&q.scenario, q.pairs)?;
    let crit = inputs.criticality(&study.router.graph.csr);
    let mut groups = crit.target_groups();
    let costs = inputs.group_costs(&data.network, &groups);
    let mine: Vec<Vec<u32>> = share(&costs, shard)
        .into_iter()
        .map(|g| std::mem::take(&mut groups[g]))
        .collect();
    let progress = Progress::spinner(
        global,
        &format!("shard {shard}: losing each link under {}", q.scenario),
    );
    let runs = crit.pair_losses(&mine);
    // Its share of the trade routes' exposure (one route search each, dealt by crow-fly
    // length) and of the betweenness sources (a contiguous range: every source is one search of
    // the whole graph).
    let all_routes: Vec<&corridor::scenario::TradeRoute> = data.routes.iter().collect();
    let my_routes = share(&super::merge::route_costs(data, &all_routes), shard);
    let exposure = study.exposure_of(&q.scenario, &my_routes);
    let sources = study.betweenness_sources();
    let range = partial::range(sources.list.len() as u64, shard);
    let sums = study.betweenness_sums(
        &q.scenario,
        &sources.list[range.start as usize..range.end as usize],
    )?;
    progress.finish();
    let mut rows: Vec<Value> = runs
        .iter()
        .map(corridor::output::rows::pair_loss_json)
        .collect();
    rows.extend(
        my_routes
            .iter()
            .zip(&exposure)
            .map(|(&i, e)| corridor::output::rows::exposure_json(i, e)),
    );
    rows.extend(corridor::output::rows::sums_json(&sums, range));
    super::merge::write_part(
        global,
        "critical",
        &plan_json(args, &q.scenario),
        shard,
        &rows,
    )?;
    Ok(())
}

/// The unsharded outputs from every shard's rows (see [`run_shard`]).
pub fn merge(
    global: &Global,
    data: &Dataset,
    plan: &Value,
    parts: &[(ShardId, &[Value])],
) -> Result<std::path::PathBuf> {
    let args = plan_args(plan)?;
    let q = question(global, data, &args)?;
    let study = Study::new(data, q.metric)?;
    let inputs = study.criticality_inputs(&q.scenario, q.pairs)?;
    let crit = inputs.criticality(&study.router.graph.csr);
    // Each shard's rows: its pairs, its routes' exposure, its betweenness sums, in that order
    // (a row out of order is reported by the reader of the kind it lands among).
    let kinds: Vec<[(ShardId, &[Value]); 3]> = parts
        .iter()
        .map(|&(shard, rows)| {
            let a = prefix(rows, |r| r.get("pair").is_some());
            let b = a + prefix(&rows[a..], |r| r.get("exposure").is_some());
            [
                (shard, &rows[..a]),
                (shard, &rows[a..b]),
                (shard, &rows[b..]),
            ]
        })
        .collect();
    let of_kind = |k: usize| -> Vec<(ShardId, &[Value])> { kinds.iter().map(|x| x[k]).collect() };
    let betweenness = betweenness_total(data, &study, &q.scenario, &of_kind(2))?;
    let exposure = units(
        &of_kind(1),
        data.routes.len(),
        "route's exposure",
        |r| index_of(r, "exposure"),
        corridor::output::rows::exposure_of,
    )?;
    let runs = units(
        &of_kind(0),
        inputs.pairs.len(),
        "pair",
        |r| index_of(r, "pair"),
        corridor::output::rows::pair_loss_of,
    )?;
    let (base, single) = crit.assemble(runs).map_err(anyhow::Error::msg)?;
    let report = study.critical_from(
        &q.scenario,
        q.pairs,
        args.top,
        args.multi,
        q.candidates(),
        &inputs,
        base,
        single,
        FromShards {
            betweenness: Some(betweenness),
            exposure: Some(exposure),
        },
    )?;
    write(global, data, &study, &report, q.metric.unit(), args.top)
}

/// How many of `rows`' first rows are `kind`.
fn prefix(rows: &[Value], kind: impl Fn(&Value) -> bool) -> usize {
    rows.iter().position(|r| !kind(r)).unwrap_or(rows.len())
}

/// The betweenness sums over every source, added from each shard's rows; each share of the
/// sources must come once and together cover them all.
fn betweenness_total(
    data: &Dataset,
    study: &Study,
    scenario: &str,
    parts: &[(ShardId, &[Value])],
) -> Result<corridor::analysis::betweenness::Sums> {
    let n = data.network.nodes.len();
    let m = study.betweenness_arcs(scenario)?;
    let mut total = corridor::analysis::betweenness::Sums::zeros(n, m);
    let mut shares = Vec::with_capacity(parts.len());
    for (shard, rows) in parts {
        let (sums, range) = corridor::output::rows::sums_of(rows, n, m)
            .map_err(|e| anyhow::anyhow!("shard {shard}: {e}"))?;
        total.add(&sums);
        shares.push((range, *shard));
    }
    shares.sort_by_key(|(r, _)| (r.start, r.end));
    let mut next = 0;
    for (r, shard) in &shares {
        anyhow::ensure!(
            r.start == next && r.end >= r.start,
            "shard {shard}: betweenness sources {}..{} do not follow {next}",
            r.start,
            r.end
        );
        next = r.end;
    }
    let all = study.betweenness_sources().list.len() as u64;
    anyhow::ensure!(
        next == all,
        "the shards' betweenness sources end at {next}, not at {all}"
    );
    Ok(total)
}

/// The `top` most critical links of `critical.csv` (every column), by rank.
fn write_top_csv(w: &mut impl Write, file: &std::path::Path, top: usize) -> Result<()> {
    let mut reader = csv::Reader::from_path(file)?;
    let header = reader.headers()?.clone();
    let mut rows: Vec<(usize, csv::StringRecord)> = Vec::new();
    for row in reader.records() {
        let row = row?;
        if let Some(rank) = row.get(0).and_then(|r| r.parse::<usize>().ok()) {
            if rank <= top {
                rows.push((rank, row));
            }
        }
    }
    rows.sort_by_key(|(rank, _)| *rank);
    let mut out = csv::Writer::from_writer(w);
    out.write_record(&header)?;
    for (_, row) in &rows {
        out.write_record(row)?;
    }
    out.flush()?;
    Ok(())
}
