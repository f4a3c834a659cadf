//! `corridor compare [--scenarios A,B] [--routes R,..] [--by METRIC]`: every trade route under
//! every scenario, with the change against each scenario's base; a table on the terminal and
//! `compare.csv` / `compare.json` in `--out` (default `output/compare/`).

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;

use corridor::analysis::compare::Cell;
use corridor::analysis::study::Study;
use corridor::output::tables::write_compare;
use corridor::scenario::{Dataset, TradeRoute};

use super::{
    data_dir, id_list, load_dataset, metric, note_warnings, stage_out, stdout, Format, Global,
};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Scenarios to compare, comma-separated [default: all of scenarios.toml].
    #[arg(long, value_name = "A,B,..")]
    pub scenarios: Option<String>,
    /// Trade routes to compare, comma-separated [default: all of routes.toml].
    #[arg(long, value_name = "R,..")]
    pub routes: Option<String>,
    /// What each route minimises.
    #[arg(long, value_parser = ["time", "distance", "money", "generalized"], default_value = "time")]
    pub by: String,
}

/// Scenario ids from a list, checked; all of them when `None`.
pub fn pick_scenarios(data: &Dataset, list: Option<&str>) -> Result<Vec<String>> {
    let known: Vec<&str> = data.scenarios.ids().collect();
    anyhow::ensure!(
        !known.is_empty(),
        "the data folder {} has no scenarios.toml: nothing to compare",
        data.dir.display()
    );
    match list {
        None => Ok(known.iter().map(|s| s.to_string()).collect()),
        Some(l) => {
            let ids = id_list(l);
            ids.iter()
                .map(|id| Ok(data.scenario_id(id)?.to_string()))
                .collect()
        }
    }
}

/// Trade routes from a list, checked; all of them when `None`.
pub fn pick_routes<'a>(data: &'a Dataset, list: Option<&str>) -> Result<Vec<&'a TradeRoute>> {
    anyhow::ensure!(
        !data.routes.is_empty(),
        "the data folder {} has no routes.toml: no trade routes to evaluate",
        data.dir.display()
    );
    match list {
        None => Ok(data.routes.iter().collect()),
        Some(l) => id_list(l)
            .iter()
            .map(|id| Ok(data.find_route(id)?))
            .collect(),
    }
}

pub fn run(global: &Global, args: &Args) -> Result<ExitCode> {
    let data = load_dataset(&data_dir(global, None))?;
    note_warnings(&data)?;
    let scenarios = pick_scenarios(&data, args.scenarios.as_deref())?;
    let routes = pick_routes(&data, args.routes.as_deref())?;
    let metric = metric(&args.by, &data)?;
    let staged = stage_out(global, "compare")?;
    let study = Study::new(&data, metric)?;
    let ids: Vec<&str> = scenarios.iter().map(String::as_str).collect();
    let cells = study.compare(&ids, &routes);
    write_compare(staged.path(), metric.name(), &cells)?;
    let out = staged.commit()?;
    let mut w = stdout();
    match global.format {
        Format::Json => w.write_all(&std::fs::read(out.join("compare.json"))?)?,
        Format::Csv => w.write_all(&std::fs::read(out.join("compare.csv"))?)?,
        Format::Table => print_table(&mut w, &cells)?,
    }
    w.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Routes as blocks, one line per scenario: figures and the change against the base.
pub fn print_table(w: &mut impl Write, cells: &[Cell]) -> Result<()> {
    let width = cells
        .iter()
        .map(|c| c.scenario.len())
        .max()
        .unwrap_or(8)
        .max(8);
    let mut last_route = "";
    for c in cells {
        if c.route != last_route {
            if !last_route.is_empty() {
                writeln!(w)?;
            }
            writeln!(w, "{}", c.route)?;
            last_route = &c.route;
        }
        let o = &c.outcome;
        let figures = if o.reachable {
            format!(
                "{:>7.0} km {:>7.1} h {:>7.1} USD/t {:>2} borders",
                o.km,
                o.hours,
                o.usd_per_t,
                o.borders.len()
            )
        } else {
            format!("{:<45}", "unreachable")
        };
        let change = match c.base {
            None => String::new(),
            Some(_) => c.explanation.clone(),
        };
        writeln!(w, "  {:<width$}  {figures}  {change}", c.scenario)?;
    }
    Ok(())
}
