//! `corridor compare [--scenario ID,..] [--route ID,..] [--by METRIC]`: every trade route under
//! every scenario, with the change against each scenario's base; a table on the terminal and
//! `compare.csv` / `compare.json` in `--out` (default `output/compare/`).

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;

use corridor::analysis::compare::Cell;
use corridor::analysis::study::Study;
use corridor::output::tables::write_compare;

use super::args::{self, By};
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
}

pub fn run(global: &Global, args: &Args) -> Result<ExitCode> {
    let data = load_dataset(global)?;
    let scenarios = args::scenarios(&data, &args.scenario)?;
    let routes = args::routes(&data, &args.route)?;
    let metric = args.by.metric(&data);
    let staged = stage_out(global, "compare")?;
    let study = Study::new(&data, metric)?;
    let ids: Vec<&str> = scenarios.iter().map(|s| s.as_str()).collect();
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
            let n = o.borders.len();
            format!(
                "{:>7.0} km {:>7.1} h {:>7.1} USD/t {n:>2} {}",
                o.km,
                o.hours,
                o.usd_per_t,
                if n == 1 { "border " } else { "borders" }
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
    if !cells.is_empty() {
        writeln!(w, "\n{}", corridor::routing::HOURS_NOTE)?;
    }
    Ok(())
}
