//! The files of `corridor run` beyond the tables of each analysis: its charts (route cost by
//! scenario, the restoration matrix, Shapley credit) and the report's section on criticality.

use std::path::Path;

use crate::analysis::compare::Cell;
use crate::analysis::critical::CriticalReport;
use crate::analysis::study::RestoreReport;
use crate::output::chart::{write_chart, BarChart, BarLayout, Heatmap, Series};
use crate::analysis::critical::sections;
use crate::output::tables::set_name;
use crate::output::OutputError;
use crate::scenario::Dataset;

/// The run's charts; returns `(title, png file name)` for the report.
pub fn write_charts(
    out: &Path,
    data: &Dataset,
    cells: &[Cell],
    restore: &RestoreReport,
    unit: &str,
    scenarios: &[&str],
) -> Result<Vec<(String, String)>, OutputError> {
    let mut charts = Vec::new();
    let routes: Vec<String> = data.routes.iter().map(|r| r.id.clone()).collect();
    let cost = |c: &Cell| match unit {
        "h" => c.outcome.hours,
        "km" => c.outcome.km,
        "USD/t" => c.outcome.usd_per_t,
        _ => c.outcome.cost,
    };
    let heat = Heatmap {
        title: "Route cost by scenario".into(),
        row_axis: "trade route".into(),
        column_axis: "scenario".into(),
        value_label: format!("cost of the best path, {unit}"),
        rows: routes.clone(),
        columns: scenarios.iter().map(|s| s.to_string()).collect(),
        values: routes
            .iter()
            .map(|r| {
                scenarios
                    .iter()
                    .map(|s| {
                        cells
                            .iter()
                            .find(|c| &c.route == r && c.scenario == *s)
                            .filter(|c| c.outcome.reachable)
                            .map(cost)
                    })
                    .collect()
            })
            .collect(),
        missing_label: "unreachable".into(),
    };
    write_chart(&heat, &out.join("cost_by_scenario"))?;
    charts.push((heat.title.clone(), "cost_by_scenario.png".to_string()));

    // Restoration matrix: routes that some project set restores or brings within the threshold,
    // x the distinct minimal sets; each cell is the route's cost with exactly that set open.
    let p = &restore.projects;
    let mut columns: Vec<String> = Vec::new();
    let mut rows = Vec::new();
    let mut values = Vec::new();
    for (route, r) in data.routes.iter().zip(&restore.routes) {
        let mut row: Vec<(String, f64)> = r
            .threshold_sets
            .iter()
            .filter(|(s, _)| !s.is_empty())
            .map(|(s, c)| (set_name(p, s), *c))
            .collect();
        if r.base_cost.is_infinite() {
            for (s, c) in r.restoring_sets.iter().zip(&r.restoring_costs) {
                let name = set_name(p, s);
                if !row.iter().any(|(n, _)| *n == name) {
                    row.push((name, *c));
                }
            }
        }
        if row.is_empty() {
            continue;
        }
        for (name, _) in &row {
            if !columns.contains(name) {
                columns.push(name.clone());
            }
        }
        rows.push(route.id.clone());
        values.push(row);
    }
    if !rows.is_empty() {
        let matrix = Heatmap {
            title: "Restoration matrix: minimal project sets per route".into(),
            row_axis: "trade route".into(),
            column_axis: "minimal set of projects".into(),
            value_label: format!("route cost with the set open, {unit}"),
            rows,
            columns: columns.clone(),
            values: values
                .iter()
                .map(|row| {
                    columns
                        .iter()
                        .map(|c| {
                            row.iter()
                                .find(|(n, _)| n == c)
                                .map(|(_, v)| *v)
                                .filter(|v| v.is_finite())
                        })
                        .collect()
                })
                .collect(),
            missing_label: "not a minimal set for this route".into(),
        };
        write_chart(&matrix, &out.join("restoration_matrix"))?;
        charts.push((matrix.title.clone(), "restoration_matrix.png".to_string()));
    }

    // Shapley credit by project, stacked by route.
    let series: Vec<Series> = data
        .routes
        .iter()
        .zip(&restore.routes)
        .filter(|(_, r)| r.shapley.iter().any(|v| v.abs() > 1e-9))
        .map(|(route, r)| Series {
            name: route.id.clone(),
            values: r.shapley.clone(),
        })
        .collect();
    if !series.is_empty() {
        let credit = BarChart {
            title: "Shapley credit of each project, by route".into(),
            value_axis: format!("share of the cost reduction, {unit}"),
            category_axis: "project".into(),
            categories: p.clone(),
            series,
            layout: BarLayout::Stacked,
        };
        write_chart(&credit, &out.join("shapley_credit"))?;
        charts.push((credit.title.clone(), "shapley_credit.png".to_string()));
    }
    charts.push(("Quick-look map".to_string(), "map.png".to_string()));
    Ok(charts)
}

/// The report's section on criticality: connectivity per mode and the links whose loss costs the
/// trade routes most.
pub fn critical_section(data: &Dataset, c: &CriticalReport, unit: &str) -> String {
    let net = &data.network;
    let mut s = String::new();
    s.push_str(&format!(
        "Losing one link at a time, over the {} trade routes ({} unreachable before any loss). \
         A *hostage* link leaves a route with no path at all. Full tables: `critical.csv` (every link with its section), `multi.csv`, `exposure.csv`, `critical.json`, `connectivity.json`.\n\n",
        c.pairs, c.unreachable_pairs
    ));
    s.push_str("| mode | places (count) | links (count) | components (count) | bridges (count) | articulation points (count) |\n|---|---:|---:|---:|---:|---:|\n");
    for m in &c.connectivity {
        s.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} |\n",
            m.mode,
            m.places,
            m.usable_links,
            m.components,
            m.bridges.len(),
            m.articulation_points.len()
        ));
    }
    let ranked = sections(net, c);
    s.push_str(&format!(
        "\nLinks lost with the same effect (in series: the same routes cut, the same extra cost) \
         form one *corridor section*, named by its end places; the ten costliest sections to \
         lose:\n\n| rank | corridor section | its links | routes using it (count) | routes cut (count) | extra cost of the others, {unit} |\n|---:|---|---|---:|---:|---:|\n"
    ));
    for (r, sec) in ranked.iter().take(10).enumerate() {
        let x = &c.single[sec.links[0]];
        let mut names: Vec<&str> = Vec::new();
        for &l in &sec.links {
            if !names.contains(&net.links[l].name.as_str()) {
                names.push(&net.links[l].name);
            }
        }
        s.push_str(&format!(
            "| {} | {} | {} ({}) | {} | {}{} | {:.1} |\n",
            r + 1,
            sec.name(net),
            names.join(", "),
            crate::format::count(sec.links.len(), "link", "links"),
            x.pairs_using,
            x.disconnected,
            if c.hostage[sec.links[0]] { " (hostage)" } else { "" },
            x.extra_cost
        ));
    }
    s
}
