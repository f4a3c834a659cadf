//! `corridor route FROM TO`: the best path between two places for a cargo origin under a
//! scenario, and k distinct alternatives; printed as a table, CSV or one JSON object, optionally
//! written as GeoJSON.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use serde_json::{json, Value};

use corridor::network::{Country, Network, NodeId};
use corridor::routing::{
    thousands, Algorithm, AlternativesParams, ArcKind, Metric, ModeSet, Path, Query, RouteState,
    Router,
};
use corridor::scenario::{Dataset, ResolvedScenario};

use super::{data_dir, load_dataset, note_warnings, stdout, Format, Global};

/// The most alternatives: each is a penalty search of its own, and past a few dozen they are
/// no longer distinct routes an analyst would compare.
const MAX_ALTERNATIVES: usize = 100;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where the route starts: a place id, name or alias (any case, diacritics optional), or
    /// LAT,LON snapped to the nearest place within 25 km.
    pub from: String,
    /// Where the route ends.
    pub to: String,
    /// Scenario id, any case [default: the first scenario of scenarios.toml; `as-is`, the data's
    /// own statuses, without one].
    #[arg(long, value_name = "ID")]
    pub scenario: Option<String>,
    /// Cargo origin country (ISO 3166-1 alpha-2) for the access policy [default: the country of FROM].
    #[arg(long, value_name = "CC")]
    pub cargo: Option<String>,
    /// Modes the route may use; ferries follow what they carry.
    #[arg(long, value_parser = ["rail", "road", "any"], default_value = "any")]
    pub mode: String,
    /// What to minimise: hours, km, USD per tonne, or USD per tonne plus value of time.
    #[arg(long, value_parser = ["time", "distance", "money", "generalized"], default_value = "time")]
    pub by: String,
    /// How many distinct alternatives to add to the best path (at most 100).
    #[arg(long, value_name = "K", default_value_t = 0)]
    pub alternatives: usize,
    /// Search algorithm (all give the same cost).
    #[arg(long, value_parser = ["dijkstra", "bidirectional", "astar"], default_value = "dijkstra")]
    pub algorithm: String,
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
    let data = load_dataset(&data_dir(global, None))?;
    note_warnings(&data)?;
    let net = &data.network;
    let from = super::place(net, &args.from)?;
    let to = super::place(net, &args.to)?;
    let scenario = match &args.scenario {
        Some(id) => data.resolve_named(id)?,
        None => match data.scenarios.ids().next() {
            Some(first) => data
                .resolve(first)
                .with_context(|| format!("resolving scenario `{first}`"))?,
            None => ResolvedScenario::as_loaded(net),
        },
    };
    let cargo = match &args.cargo {
        Some(c) => Country::parse(c)
            .with_context(|| format!("--cargo {c:?} is not a two-letter country code"))?,
        None => net.node(from).country,
    };
    let modes = ModeSet::parse(&args.mode).context("--mode")?;
    let metric = Metric::parse(&args.by, &data.costs).context("--by")?;
    let algorithm = match args.algorithm.as_str() {
        "bidirectional" => Algorithm::Bidirectional,
        "astar" => Algorithm::AStar,
        _ => Algorithm::Dijkstra,
    };
    Ok(Plan {
        scenario,
        query: Query {
            from,
            to,
            cargo,
            modes,
            metric,
            algorithm,
        },
        params: AlternativesParams::new(args.alternatives),
        data,
    })
}

pub fn run(global: &Global, args: &Args) -> Result<ExitCode> {
    anyhow::ensure!(
        args.alternatives <= MAX_ALTERNATIVES,
        "--alternatives {}: at most {MAX_ALTERNATIVES}",
        args.alternatives
    );
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
    let mut out = stdout();
    match global.format {
        Format::Json => writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&to_json(net, &router, &plan, &paths))?
        )?,
        Format::Csv => write_csv(&mut out, &plan, &paths)?,
        Format::Table => write_table(&mut out, net, &router, &plan, &paths)?,
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

fn round(x: f64, digits: i32) -> f64 {
    let f = 10f64.powi(digits);
    (x * f).round() / f
}

fn path_json(net: &Network, router: &Router, path: &Path) -> serde_json::Map<String, Value> {
    let id = |v: NodeId| net.node(v).id.clone();
    let mut m = serde_json::Map::new();
    m.insert("km".into(), json!(round(path.totals.km, 1)));
    m.insert("hours".into(), json!(round(path.totals.hours, 2)));
    m.insert("usd_per_t".into(), json!(round(path.totals.usd_per_t, 2)));
    m.insert("cost".into(), json!(round(path.cost, 3)));
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
                "km": round(c.km, 1)
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
                "hours": round(p.hours, 2),
                "usd_per_t": round(p.usd_per_t, 2),
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

fn write_csv(out: &mut impl Write, plan: &Plan, paths: &[Path]) -> Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "rank",
        "scenario",
        "cargo",
        "by",
        "km",
        "hours",
        "usd_per_t",
        "borders",
        "transfers",
        "summary",
    ])?;
    for (i, p) in paths.iter().enumerate() {
        w.write_record([
            i.to_string(),
            plan.scenario.id.clone(),
            plan.query.cargo.to_string(),
            plan.query.metric.name().to_string(),
            format!("{:.1}", p.totals.km),
            format!("{:.2}", p.totals.hours),
            format!("{:.2}", p.totals.usd_per_t),
            p.borders.len().to_string(),
            p.transfers.len().to_string(),
            p.summary.clone(),
        ])?;
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

/// The paths as a GeoJSON FeatureCollection of LineStrings (WGS84, 6 decimals), best first.
fn geojson(net: &Network, router: &Router, plan: &Plan, paths: &[Path]) -> Value {
    let features: Vec<Value> = paths
        .iter()
        .enumerate()
        .map(|(rank, p)| {
            let coords: Vec<[f64; 2]> = p
                .geometry(&router.graph, net)
                .iter()
                .map(|pt| [round(pt.lon, 6), round(pt.lat, 6)])
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
                    "km": round(p.totals.km, 1),
                    "hours": round(p.totals.hours, 2),
                    "usd_per_t": round(p.totals.usd_per_t, 2),
                    "borders": p.borders.len(),
                    "summary": p.summary,
                }
            })
        })
        .collect();
    json!({"type": "FeatureCollection", "name": "routes", "features": features})
}
