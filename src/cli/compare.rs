//! `corridor compare [--scenario ID,..] [--route ID,..] [--by METRIC]`: every trade route under
//! every scenario, with the change against each scenario's base; a table on the terminal and
//! `compare.csv` / `compare.json` in `--out` (default `output/compare/`).

use std::io::Write;
use std::process::ExitCode;

use std::path::PathBuf;

use anyhow::Result;
use serde_json::{json, Value};

use corridor::analysis::compare::{compare_from, needed, Cell};
use corridor::analysis::study::Study;
use corridor::output::partial::{share, ShardId};
use corridor::output::tables::write_compare;
use corridor::scenario::Dataset;

use super::args::{self, By};
use super::merge::{index_of, plan_list, plan_value, units, value_name};
use super::{load_dataset, stage_out, stdout, Format, Global};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Scenarios, comma-separated [default: every scenario of scenarios.toml].
    #[arg(
        long = "scenario",
        alias = "scenarios",
        value_delimiter = ',',
        value_name = "ID,.."
    )]
    pub scenario: Vec<String>,
    /// Trade routes, comma-separated [default: every route of routes.toml].
    #[arg(
        long = "route",
        alias = "routes",
        value_delimiter = ',',
        value_name = "ID,.."
    )]
    pub route: Vec<String>,
    /// What each route minimises.
    #[arg(long, value_enum, default_value_t = By::Time)]
    pub by: By,
    /// Evaluate only shard I of N of the (route, scenario) cells (balanced by the routes'
    /// crow-fly lengths) into a partial folder at --out; `corridor merge` joins the N parts.
    #[arg(long, value_name = "I/N", value_parser = super::merge::parse_shard)]
    pub shard: Option<ShardId>,
}

pub fn run(global: &Global, args: &Args) -> Result<ExitCode> {
    let data = load_dataset(global)?;
    let scenarios = args::scenarios(&data, &args.scenario)?;
    let routes = args::routes(&data, &args.route)?;
    let metric = args.by.metric(&data);
    let study = Study::new(&data, metric)?;
    let ids: Vec<&str> = scenarios.iter().map(|s| s.as_str()).collect();
    if let Some(shard) = args.shard {
        let (pairs, _) = study.compare_question(&ids, &routes);
        let evaluations = needed(&pairs).len() * routes.len();
        let costs: Vec<f64> = {
            let per_route = super::merge::route_costs(&data, &routes);
            (0..evaluations)
                .map(|k| per_route[k % routes.len()])
                .collect()
        };
        let mine = share(&costs, shard);
        let outcomes = study.compare_some(&ids, &routes, &mine);
        let rows: Vec<Value> = mine
            .iter()
            .zip(&outcomes)
            .map(|(&k, o)| json!({"k": k, "outcome": corridor::output::rows::outcome_json(o)}))
            .collect();
        let plan = json!({
            "scenarios": ids,
            "routes": routes.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
            "by": value_name(&args.by),
        });
        super::merge::write_part(global, "compare", &plan, shard, &rows)?;
        return Ok(ExitCode::SUCCESS);
    }
    let cells = study.compare(&ids, &routes);
    let out = write(global, metric.name(), &cells)?;
    let mut w = stdout();
    match global.format {
        Format::Json => w.write_all(&std::fs::read(out.join("compare.json"))?)?,
        Format::Csv => w.write_all(&std::fs::read(out.join("compare.csv"))?)?,
        Format::Table => write!(w, "{}", corridor::output::tables::text_compare(&cells))?,
    }
    w.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn write(global: &Global, metric: &str, cells: &[Cell]) -> Result<PathBuf> {
    let staged = stage_out(global, "compare")?;
    write_compare(staged.path(), metric, cells)?;
    Ok(staged.commit()?)
}

/// The unsharded outputs from every shard's evaluations.
pub fn merge(
    global: &Global,
    data: &Dataset,
    plan: &Value,
    parts: &[(ShardId, &[Value])],
) -> Result<PathBuf> {
    let list = |k: &str| plan_list(plan, k);
    let scenarios = args::scenarios(data, &list("scenarios")?)?;
    let routes = args::routes(data, &list("routes")?)?;
    let metric = plan_value::<By>(plan, "by")?.metric(data);
    let study = Study::new(data, metric)?;
    let ids: Vec<&str> = scenarios.iter().map(|s| s.as_str()).collect();
    let (pairs, route_ids) = study.compare_question(&ids, &routes);
    let outcomes = units(
        parts,
        needed(&pairs).len() * routes.len(),
        "cell",
        |r| index_of(r, "k"),
        |r| corridor::output::rows::outcome_of(&r["outcome"]),
    )?;
    let cells = compare_from(&pairs, &route_ids, &outcomes);
    write(global, metric.name(), &cells)
}
