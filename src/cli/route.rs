//! `corridor route FROM TO`: the best path between two places for a cargo origin under a
//! scenario, and k distinct alternatives; printed as a table, CSV or one JSON object, optionally
//! written as GeoJSON.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};

use corridor::network::Country;
use corridor::output::route::{text_steps, RouteAnswer};
use corridor::output::tables::write_csv;
use corridor::routing::{AlternativesParams, Query, RouteState, Router, HOURS_NOTE};
use corridor::scenario::{Dataset, ResolvedScenario};

use super::args::{self, AlgorithmArg, By, ModeArg};
use super::{load_dataset, stage_out, stdout, write_rows, Format, Global};

/// The most alternatives: each is a penalty search of its own, and past a few dozen they are
/// no longer distinct routes an analyst would compare.
const MAX_ALTERNATIVES: usize = 100;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where the route starts: a place id, name or alias (any case, diacritics optional, or in
    /// another script), or LAT,LON snapped to the nearest place within 25 km.
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
    /// Destination country of the cargo (ISO 3166-1 alpha-2) for the access policy [default: the
    /// country of TO]; for a route that ends at a port or border on the way to another country.
    #[arg(long, value_name = "CC")]
    pub to_country: Option<String>,
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
    let net = &data.network;
    let from = super::place(global, net, &args.from)?;
    let to = super::place(global, net, &args.to)?;
    let scenario = match args::scenario_or_default(&data, args.scenario.as_deref())? {
        Some(id) => data.resolve_id(&id)?,
        None => ResolvedScenario::as_loaded(net),
    };
    let cargo = match &args.cargo {
        Some(c) => Country::parse(c)
            .with_context(|| format!("--cargo {c:?} is not a two-letter country code"))?,
        None => net.node(from).country,
    };
    let to_country = match &args.to_country {
        Some(c) => Some(
            Country::parse(c)
                .with_context(|| format!("--to-country {c:?} is not a two-letter country code"))?,
        ),
        None => None,
    };
    Ok(Plan {
        scenario,
        query: Query {
            from,
            to,
            cargo,
            to_country,
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
    let answer = RouteAnswer {
        net,
        router: &router,
        scenario: &plan.scenario.id,
        query: &plan.query,
        paths: &paths,
    };
    let geojson = serde_json::to_string(&answer.geojson())?;
    if let Some(file) = &args.geojson {
        corridor::output::write_atomic(file, geojson.as_bytes())
            .with_context(|| format!("writing --geojson {}", file.display()))?;
    }
    let json = serde_json::to_string_pretty(&answer.json())? + "\n";
    let (header, rows) = answer.csv();
    // With --out, the answer is also kept as files; without, route writes nothing.
    let written = match &global.out {
        Some(_) => {
            let staged = stage_out(global, "route")?;
            let dir = staged.path();
            corridor::output::write_atomic(&dir.join("route.geojson"), geojson.as_bytes())?;
            corridor::output::write_atomic(&dir.join("route.json"), json.as_bytes())?;
            write_csv(&dir.join("route.csv"), &header, &rows)?;
            Some(staged.commit()?)
        }
        None => None,
    };
    let mut out = stdout();
    match global.format {
        Format::Json => out.write_all(json.as_bytes())?,
        Format::Csv => write_rows(&mut out, &header, &rows)?,
        Format::Table => {
            write_table(&mut out, &answer, &plan)?;
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

fn write_table(out: &mut impl Write, answer: &RouteAnswer<'_>, plan: &Plan) -> Result<()> {
    let (router, paths) = (answer.router, answer.paths);
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
        writeln!(out, "{}", answer.unreachable_line())?;
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
        write!(out, "{}", text_steps(router, p))?;
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
    writeln!(out, "\n{HOURS_NOTE}")?;
    Ok(())
}
