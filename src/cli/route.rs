//! `corridor route FROM TO`: the best path between two places for a cargo origin under a
//! scenario, and k distinct alternatives; printed as a table, CSV or one JSON object, optionally
//! written as GeoJSON.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use serde_json::{json, Value};

use corridor::format::{round_to, thousands};
use corridor::network::{Country, Network, NodeId};
use corridor::routing::{AlternativesParams, ArcKind, Path, Query, RouteState, Router};
use corridor::scenario::{Dataset, ResolvedScenario};

use super::args::{self, AlgorithmArg, By, ModeArg};
use super::{load_dataset, note_warnings, stage_out, stdout, Format, Global};

/// The most alternatives: each is a penalty search of its own, and past a few dozen they are
/// no longer distinct routes an analyst would compare.
const MAX_ALTERNATIVES: usize = 100;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where the route starts: a place id, name or alias (any case).
    pub from: String,
    /// Where the route ends.
    pub to: String,
    /// Scenario [default: the data's default scenario, the first without a base; the data's own
    /// statuses when it has no scenarios.toml].
    #[arg(long, value_name = "ID")]
    pub scenario: Option<String>,
    /// Cargo origin country (ISO 3166-1 alpha-2) for the access policy [default: the country of FROM].
    #[arg(long, value_name = "CC")]
    pub cargo: Option<String>,
    /// Modes the route may use; ferries follow what they carry.
    #[arg(long, value_enum, default_value_t = ModeArg::Any)]
    pub mode: ModeArg,
    /// What to minimise: hours, km, USD per tonne, or USD per tonne plus value of time.
    #[arg(long, value_enum, default_value_t = By::Time)]
    pub by: By,
    /// How many distinct alternatives to add to the best path (at most 100).
    #[arg(long, value_name = "K", default_value_t = 0)]
    pub alternatives: usize,
    /// Search algorithm (all give the same cost).
    #[arg(long, value_enum, default_value_t = AlgorithmArg::Dijkstra)]
    pub algorithm: AlgorithmArg,
    /// Also write the paths as GeoJSON LineStrings to FILE.
    #[arg(long, value_name = "FILE")]
    pub geojson: Option<PathBuf>,
}

/// The resolved plan of one `route` command.
struct Plan {
    data: Dataset,
    scenario: ResolvedScenario,
    query: Query,
    params: AlternativesParams,
}

fn plan(global: &Global, args: &Args) -> Result<Plan> {
    anyhow::ensure!(
        args.alternatives <= MAX_ALTERNATIVES,
        "--alternatives {}: at most {MAX_ALTERNATIVES}",
        args.alternatives
    );
    let data = load_dataset(global)?;
    note_warnings(global, &data)?;
    let net = &data.network;
    let from = net.find_place(&args.from)?;
    let to = net.find_place(&args.to)?;
    let scenario = match args::scenario_or_default(&data, args.scenario.as_deref())? {
        Some(id) => data.resolve_id(&id)?,
        None => ResolvedScenario::as_loaded(net),
    };
    let cargo = match &args.cargo {
        Some(c) => Country::parse(c)
            .with_context(|| format!("--cargo {c:?} is not a two-letter country code"))?,
        None => net.node(from).country,
    };
    Ok(Plan {
        scenario,
        query: Query {
            from,
            to,
            cargo,
            modes: args.mode.into(),
            metric: args.by.metric(&data),
            algorithm: args.algorithm.into(),
        },
        params: AlternativesParams::new(args.alternatives),
        data,
    })
}

pub fn run(global: &Global, args: &Args) -> Result<ExitCode> {
    let plan = plan(global, args)?;
    let net = &plan.data.network;
    let router = Router::new(net, &plan.data.costs).context("compiling the network")?;
    let overlay = router.overlay(&plan.scenario);
    let mut state = RouteState::new();
    let paths = router.alternatives(&plan.query, &overlay, &plan.params, &mut state);
    if let Some(file) = &args.geojson {
        let text = serde_json::to_string(&geojson(net, &router, &plan, &paths))?;
        corridor::output::write_atomic(file, text.as_bytes())
            .with_context(|| format!("writing --geojson {}", file.display()))?;
    }
    let json = serde_json::to_string_pretty(&to_json(net, &router, &plan, &paths))? + "\n";
    let mut csv = Vec::new();
    write_csv(&mut csv, net, &plan, &paths)?;
    // With --out, the answer is also kept as files; without, route writes nothing.
    let written = match &global.out {
        Some(_) => {
            let staged = stage_out(global, "route")?;
            let dir = staged.path();
            let text = serde_json::to_string(&geojson(net, &router, &plan, &paths))?;
            corridor::output::write_atomic(&dir.join("route.geojson"), text.as_bytes())?;
            corridor::output::write_atomic(&dir.join("route.json"), json.as_bytes())?;
            corridor::output::write_atomic(&dir.join("route.csv"), &csv)?;
            Some(staged.commit()?)
        }
        None => None,
    };
    let mut out = stdout();
    match global.format {
        Format::Json => out.write_all(json.as_bytes())?,
        Format::Csv => out.write_all(&csv)?,
        Format::Table => {
            write_table(&mut out, net, &router, &plan, &paths)?;
            if let Some(dir) = written {
                writeln!(
                    out,
                    "\nwrote {}: route.json, route.csv, route.geojson",
                    dir.display()
                )?;
            }
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn unreachable_line(net: &Network, plan: &Plan) -> String {
    format!(
        "{} -> {} by {}: unreachable under {} for cargo from {}",
        net.node(plan.query.from).name,
        net.node(plan.query.to).name,
        plan.query.modes.name(),
        plan.scenario.id,
        plan.query.cargo
    )
}

fn path_json(net: &Network, router: &Router, path: &Path) -> serde_json::Map<String, Value> {
    let id = |v: NodeId| net.node(v).id.clone();
    let mut m = serde_json::Map::new();
    m.insert("km".into(), json!(round_to(path.totals.km, 1)));
    m.insert("hours".into(), json!(round_to(path.totals.hours, 2)));
    m.insert(
        "usd_per_t".into(),
        json!(round_to(path.totals.usd_per_t, 2)),
    );
    m.insert("cost".into(), json!(round_to(path.cost, 3)));
    m.insert(
        "borders".into(),
        json!(path.borders.iter().map(|&b| id(b)).collect::<Vec<_>>()),
    );
    m.insert(
        "countries".into(),
        json!(path
            .countries
            .iter()
            .map(|c| json!({
                "country": c.country.map_or("sea".to_string(), |c| c.to_string()),
                "km": round_to(c.km, 1)
            }))
            .collect::<Vec<_>>()),
    );
    m.insert(
        "transfers".into(),
        json!(path
            .transfers
            .iter()
            .map(|t| json!({
                "node": id(t.node),
                "kind": if t.kind == ArcKind::GaugeChange { "gauge" } else { "transship" },
                "from": t.from.as_str(),
                "to": t.to.as_str(),
            }))
            .collect::<Vec<_>>()),
    );
    m.insert(
        "nodes".into(),
        json!(path.nodes.iter().map(|&v| id(v)).collect::<Vec<_>>()),
    );
    m.insert(
        "links".into(),
        json!(path
            .links
            .iter()
            .map(|&l| net.link(l).id.clone())
            .collect::<Vec<_>>()),
    );
    m.insert(
        "penalties".into(),
        json!(path
            .penalties
            .iter()
            .map(|p| json!({
                "arc_to": id(router.graph.arc(p.arc).to),
                "hours": round_to(p.hours, 2),
                "usd_per_t": round_to(p.usd_per_t, 2),
            }))
            .collect::<Vec<_>>()),
    );
    m.insert("summary".into(), json!(path.summary));
    m
}

fn to_json(net: &Network, router: &Router, plan: &Plan, paths: &[Path]) -> Value {
    let q = &plan.query;
    let mut m = serde_json::Map::new();
    m.insert("from".into(), json!(net.node(q.from).id));
    m.insert("to".into(), json!(net.node(q.to).id));
    m.insert("scenario".into(), json!(plan.scenario.id));
    m.insert("cargo".into(), json!(q.cargo.to_string()));
    m.insert("mode".into(), json!(q.modes.name()));
    m.insert("by".into(), json!(q.metric.name()));
    m.insert("reachable".into(), json!(!paths.is_empty()));
    match paths.first() {
        Some(best) => {
            m.extend(path_json(net, router, best));
            m.insert(
                "alternatives".into(),
                json!(paths[1..]
                    .iter()
                    .map(|p| Value::Object(path_json(net, router, p)))
                    .collect::<Vec<_>>()),
            );
        }
        None => {
            for k in ["km", "hours", "usd_per_t", "cost"] {
                m.insert(k.into(), Value::Null);
            }
            for k in ["borders", "countries", "transfers", "nodes", "links"] {
                m.insert(k.into(), json!([]));
            }
            m.insert("summary".into(), json!(unreachable_line(net, plan)));
            m.insert("alternatives".into(), json!([]));
        }
    }
    Value::Object(m)
}

/// One row per path (best first, `rank` 0), or one `reachable = false` row when there is none.
fn write_csv(out: &mut impl Write, net: &Network, plan: &Plan, paths: &[Path]) -> Result<()> {
    let q = &plan.query;
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "rank",
        "from",
        "to",
        "scenario",
        "cargo",
        "mode",
        "by",
        "reachable",
        "km",
        "hours",
        "usd_per_t",
        "cost",
        "borders",
        "transfers",
        "summary",
    ])?;
    let fixed = [
        net.node(q.from).id.clone(),
        net.node(q.to).id.clone(),
        plan.scenario.id.clone(),
        q.cargo.to_string(),
        q.modes.name().to_string(),
        q.metric.name().to_string(),
    ];
    if paths.is_empty() {
        let mut row = vec![String::new()];
        row.extend(fixed.iter().cloned());
        row.push("false".into());
        row.extend(std::iter::repeat_n(String::new(), 6));
        row.push(unreachable_line(net, plan));
        w.write_record(&row)?;
    }
    for (i, p) in paths.iter().enumerate() {
        let mut row = vec![i.to_string()];
        row.extend(fixed.iter().cloned());
        row.extend([
            "true".to_string(),
            format!("{:.1}", p.totals.km),
            format!("{:.2}", p.totals.hours),
            format!("{:.2}", p.totals.usd_per_t),
            format!("{:.3}", p.cost),
            p.borders.len().to_string(),
            p.transfers.len().to_string(),
            p.summary.clone(),
        ]);
        w.write_record(&row)?;
    }
    w.flush()?;
    Ok(())
}

fn write_table(
    out: &mut impl Write,
    net: &Network,
    router: &Router,
    plan: &Plan,
    paths: &[Path],
) -> Result<()> {
    let q = &plan.query;
    writeln!(
        out,
        "scenario {}, cargo from {}, modes {}, by {}",
        plan.scenario.id,
        q.cargo,
        q.modes.name(),
        q.metric.name()
    )?;
    if paths.is_empty() {
        writeln!(out, "{}", unreachable_line(net, plan))?;
        return Ok(());
    }
    for (rank, p) in paths.iter().enumerate() {
        writeln!(out)?;
        let label = if rank == 0 {
            "best".to_string()
        } else {
            format!("alternative {rank}")
        };
        writeln!(out, "{label}: {}", p.summary)?;
        write_steps(out, router, p)?;
    }
    let asked = plan.params.k;
    let found = paths.len() - 1;
    if found < asked {
        writeln!(
            out,
            "\n{found} of {asked} alternatives found: no other path shares at most {:.0} % of its km \
             with a better one (after {} searches, links of found paths +{:.0} % each time)",
            plan.params.max_overlap * 100.0,
            plan.params.max_rounds,
            plan.params.penalty * 100.0
        )?;
    }
    Ok(())
}

/// One path step by step (an aligned table with running totals), its km by country and the
/// policy penalties it pays.
fn write_steps(out: &mut impl Write, router: &Router, p: &Path) -> Result<()> {
    {
        let steps: Vec<String> = p
            .arcs
            .iter()
            .map(|&a| {
                let arc = router.graph.arc(a);
                match arc.kind {
                    ArcKind::Link { .. } => format!(
                        "{} -> {}",
                        router.place_name(arc.from),
                        router.place_name(arc.to)
                    ),
                    ArcKind::GaugeChange => {
                        format!("gauge change at {}", router.place_name(arc.to))
                    }
                    ArcKind::Transship => format!(
                        "transship {} -> {} at {}",
                        arc.from_layer.as_str(),
                        arc.to_layer.as_str(),
                        router.place_name(arc.to)
                    ),
                }
            })
            .collect();
        // As wide as the longest step, up to 60 characters; longer names end in an ellipsis.
        const MAX_STEP: usize = 60;
        let width = steps
            .iter()
            .map(|s| s.chars().count())
            .max()
            .unwrap_or(4)
            .clamp(4, MAX_STEP);
        writeln!(
            out,
            "  {:<width$} {:<7} {:>8} {:>8} {:>9}",
            "step", "mode", "km", "h", "USD/t"
        )?;
        let (mut km, mut h, mut usd) = (0.0, 0.0, 0.0);
        for ((&a, t), step) in p.arcs.iter().zip(&p.arc_totals).zip(&steps) {
            let arc = router.graph.arc(a);
            km += t.km;
            h += t.hours;
            usd += t.usd_per_t;
            let step: String = if step.chars().count() > width {
                step.chars()
                    .take(width - 1)
                    .chain(std::iter::once('…'))
                    .collect()
            } else {
                step.clone()
            };
            writeln!(
                out,
                "  {:<width$} {:<7} {:>8} {:>8.1} {:>9.2}",
                step,
                arc.mode.as_str(),
                thousands(km),
                h,
                usd
            )?;
        }
        let countries: Vec<String> = p
            .countries
            .iter()
            .map(|c| {
                format!(
                    "{} {} km",
                    c.country.map_or("sea".to_string(), |c| c.to_string()),
                    thousands(c.km)
                )
            })
            .collect();
        writeln!(out, "  km by country: {}", countries.join(", "))?;
        for pen in &p.penalties {
            writeln!(
                out,
                "  policy penalty entering {}: +{:.1} h, +{:.2} USD/t",
                router.place_name(router.graph.arc(pen.arc).to),
                pen.hours,
                pen.usd_per_t
            )?;
        }
    }
    Ok(())
}

/// The paths as a GeoJSON FeatureCollection of LineStrings (WGS84, 6 decimals), best first.
fn geojson(net: &Network, router: &Router, plan: &Plan, paths: &[Path]) -> Value {
    let features: Vec<Value> = paths
        .iter()
        .enumerate()
        .map(|(rank, p)| {
            let coords: Vec<[f64; 2]> = p
                .geometry(&router.graph, net)
                .iter()
                .map(|pt| [round_to(pt.lon, 6), round_to(pt.lat, 6)])
                .collect();
            json!({
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": coords},
                "properties": {
                    "rank": rank,
                    "from": net.node(plan.query.from).id,
                    "to": net.node(plan.query.to).id,
                    "scenario": plan.scenario.id,
                    "cargo": plan.query.cargo.to_string(),
                    "km": round_to(p.totals.km, 1),
                    "hours": round_to(p.totals.hours, 2),
                    "usd_per_t": round_to(p.totals.usd_per_t, 2),
                    "borders": p.borders.len(),
                    "summary": p.summary,
                }
            })
        })
        .collect();
    json!({"type": "FeatureCollection", "name": "routes", "features": features})
}
