//! The files of `corridor run` beyond the tables of each analysis: its charts (route cost by
//! scenario, the restoration matrix, Shapley credit) and the report's section on criticality.

use std::fmt::Write as _;
use std::path::Path;

use serde_json::{json, Value};

use crate::analysis::claims::ClaimResult;
use crate::analysis::compare::Cell;
use crate::analysis::critical::sections;
use crate::analysis::critical::CriticalReport;
use crate::analysis::study::{RestoreReport, Study};
use crate::format::count;
use crate::output::change_chart::{short_label, Change, ChangePanel, ChangePanels, ChangeRow};
use crate::output::chart::{
    write_chart, BarChart, BarLayout, Series, SetCell, SetEffect, SetMatrix, SetRow, OKABE_ITO,
};
use crate::output::critical::{criticality_layer, section_of_links, write_sections_chart};
use crate::output::geojson::RouteRecord;
use crate::output::map::{MapRoute, QuickLookMap};
use crate::output::report::gain_shares;
use crate::output::simulation as sim_out;
use crate::output::LayerSet;
use crate::output::OutputError;
use crate::routing::RouteState;
use crate::scenario::Dataset;
use crate::scenario::{ResolvedScenario, Skipped};
use crate::sim::simulation::Simulation;

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
    let cost = |c: &Cell| match unit {
        "h" => c.outcome.hours,
        "km" => c.outcome.km,
        "USD/t" => c.outcome.usd_per_t,
        _ => c.outcome.cost,
    };
    // Change against the reference scenario (the first: 2021), per route and scenario.
    let reference = scenarios.first().copied().unwrap_or("");
    let reference_name = data.scenarios.name_of(reference);
    let others: Vec<&str> = scenarios.iter().skip(1).copied().collect();
    let find = |r: &str, s: &str| {
        cells
            .iter()
            .find(|c| c.route == r && c.scenario == s)
            .filter(|c| c.outcome.reachable)
            .map(cost)
    };
    // One panel per route that some scenario changes, one row per scenario that changes it
    // (issue 16: readable at report width); compare.csv has every cell.
    let reference_label = data
        .scenarios
        .get(reference)
        .and_then(|s| s.as_of)
        .map_or_else(
            || reference_name.to_string(),
            |d| d.to_string()[..4].to_string(),
        );
    let mut panels = Vec::new();
    for route in &data.routes {
        let r = route.id.as_str();
        let a = find(r, reference);
        let mut rows = Vec::new();
        for s in &others {
            let change = match (a, find(r, s)) {
                (Some(a), Some(b)) if (b - a).abs() > 1e-9 => Change::To(b),
                (None, Some(b)) => Change::Restored(b),
                (Some(_), None) => Change::Cut,
                _ => continue,
            };
            rows.push(ChangeRow {
                label: short_label(data.scenarios.name_of(s)),
                change,
            });
        }
        if rows.is_empty() {
            continue;
        }
        let place = |n| data.network.node(n).name.as_str();
        panels.push(ChangePanel {
            title: format!("{r}: {} – {}", place(route.from), place(route.to)),
            reference: a,
            unchanged: others.len() - rows.len(),
            rows,
        });
    }
    let chart = ChangePanels {
        title: format!("Change of each route's cost against {reference_name}"),
        notes: vec![
            format!(
                "Best path's cost under each scenario against {reference_label}: bars in % of \
                 the {reference_label} cost, the change in {unit} beside them."
            ),
            format!(
                "{} of {} routes change under some scenario, each in its panel; compare.csv has \
                 every route and scenario.",
                panels.len(),
                data.routes.len()
            ),
        ],
        reference_label,
        unit: unit.to_string(),
        panels,
    };
    // Without trade routes (an imported network) or changes the chart would be empty.
    if !chart.panels.is_empty() {
        write_chart(&chart, &out.join("cost_by_scenario"))?;
        charts.push((chart.title.clone(), "cost_by_scenario.png".to_string()));
    }

    // Restoration: each route with the minimal sets that restore it or bring it within the
    // threshold, beside its state in the base.
    let short = |i: usize| {
        let name = &restore.members[i].name;
        let head = name.split(" (").next().unwrap_or(name);
        if head.chars().count() > 40 {
            format!("{}…", head.chars().take(39).collect::<String>())
        } else {
            head.to_string()
        }
    };
    let pct = restore.options.threshold_pct;
    let mut rows = Vec::new();
    for (route, r) in data.routes.iter().zip(&restore.routes) {
        let within = |set: &[usize]| r.threshold_sets.iter().any(|(t, _)| t.as_slice() == set);
        let mut sets: Vec<SetCell> = Vec::new();
        if r.base_cost.is_infinite() {
            let mut order: Vec<usize> = (0..r.restoring_sets.len()).collect();
            order.sort_by(|&a, &b| {
                r.restoring_costs[a]
                    .total_cmp(&r.restoring_costs[b])
                    .then(a.cmp(&b))
            });
            for k in order {
                let set = &r.restoring_sets[k];
                sets.push(SetCell {
                    projects: set.iter().map(|&i| short(i)).collect(),
                    cost: r.restoring_costs[k],
                    effect: if within(set) {
                        SetEffect::RestoresWithin
                    } else {
                        SetEffect::Restores
                    },
                });
            }
            // Sets within the threshold that hold a smaller restoring set: they restore the
            // route too, and bring it near the best.
            for (set, c) in &r.threshold_sets {
                if !r.restoring_sets.contains(set) {
                    sets.push(SetCell {
                        projects: set.iter().map(|&i| short(i)).collect(),
                        cost: *c,
                        effect: SetEffect::RestoresWithin,
                    });
                }
            }
        } else {
            for (set, c) in r.threshold_sets.iter().filter(|(s, _)| !s.is_empty()) {
                sets.push(SetCell {
                    projects: set.iter().map(|&i| short(i)).collect(),
                    cost: *c,
                    effect: SetEffect::Within,
                });
            }
        }
        if sets.is_empty() {
            continue;
        }
        rows.push(SetRow {
            route: route.id.clone(),
            base: r.base_cost.is_finite().then_some(r.base_cost),
            sets,
        });
    }
    if !rows.is_empty() {
        let base_name = data.scenarios.name_of(&restore.base);
        let matrix = SetMatrix {
            title: format!("Which projects restore which routes (against {base_name})"),
            base_label: "cost in the base".into(),
            unit: unit.to_string(),
            effect_labels: [
                "restores the route".into(),
                format!("restores it, within {pct} % of the best"),
                format!("already reachable: brings it within {pct} % of the best"),
            ],
            rows,
        };
        write_chart(&matrix, &out.join("restoration_matrix"))?;
        charts.push((matrix.title.clone(), "restoration_matrix.png".to_string()));
    }

    // Each project's share of each route's gain (shares, so routes of different costs compare).
    let mut used: Vec<usize> = Vec::new();
    let mut categories = Vec::new();
    let mut shares: Vec<Vec<f64>> = Vec::new();
    for (route, r) in data.routes.iter().zip(&restore.routes) {
        let g = gain_shares(r);
        if g.iter().all(|v| v.abs() < 1e-9) {
            continue;
        }
        for (i, v) in g.iter().enumerate() {
            if v.abs() > 1e-9 && !used.contains(&i) {
                used.push(i);
            }
        }
        categories.push(if r.base_cost.is_infinite() {
            format!("{} (restored)", route.id)
        } else {
            format!(
                "{} ({} {unit})",
                route.id,
                crate::output::chart::short_number(r.all_cost - r.base_cost)
            )
        });
        shares.push(g);
    }
    // Seven projects get a colour each (the palette has eight); the others share a grey, each
    // still a segment of its own named in its bar. Each route's largest share comes first, so
    // that no route is drawn in grey alone; then the largest shares summed over routes.
    let total = |i: usize| shares.iter().map(|g| g[i].abs()).sum::<f64>();
    let leaders: Vec<usize> = shares
        .iter()
        .filter_map(|g| {
            (0..g.len())
                .filter(|&i| g[i].abs() > 1e-9)
                .max_by(|&a, &b| g[a].abs().total_cmp(&g[b].abs()).then(b.cmp(&a)))
        })
        .collect();
    used.sort_by(|&a, &b| {
        leaders
            .contains(&b)
            .cmp(&leaders.contains(&a))
            .then(total(b).total_cmp(&total(a)))
            .then(a.cmp(&b))
    });
    let named = if used.len() > 8 { 7 } else { used.len() };
    if !categories.is_empty() {
        let credit = BarChart {
            title: "Each project's share of each route's gain".into(),
            value_axis: "share of the gain, % (restored: of reaching it; else: of the time saved)"
                .replace("time saved", &format!("cost saved, {unit}")),
            category_axis: "trade route (gain with every candidate open)".into(),
            categories,
            series: used
                .iter()
                .map(|&i| Series {
                    name: short(i),
                    values: shares.iter().map(|g| 100.0 * g[i]).collect(),
                })
                .collect(),
            layout: BarLayout::Stacked,
            coloured: (used.len() > named).then(|| {
                (
                    named,
                    format!("{} other projects (named in the bars)", used.len() - named),
                )
            }),
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
        "Losing one link at a time, over the {} {} ({} unreachable before any loss). \
         A *hostage* link leaves a route with no path at all. Full tables: `critical.csv` (every link with its section), `multi.csv`, `exposure.csv`, `critical.json`, `connectivity.json`.\n\n",
        c.pairs,
        if data.routes.is_empty() {
            "ordered pairs of the largest places (the data has no trade routes)"
        } else {
            "trade routes"
        },
        c.unreachable_pairs
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
         form one “corridor section”, named by its end places; the ten costliest sections to \
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
            if c.hostage[sec.links[0]] {
                " (hostage)"
            } else {
                ""
            },
            x.extra_cost
        ));
    }
    s
}

/// The best path of every route under every scenario, for the routes layer and the map.
pub fn route_records(study: &Study<'_>, scenarios: &[&str]) -> Vec<RouteRecord> {
    use rayon::prelude::*;
    let data = study.data;
    let pairs: Vec<(usize, usize)> = (0..data.routes.len())
        .flat_map(|r| (0..scenarios.len()).map(move |s| (r, s)))
        .collect();
    pairs
        .par_iter()
        .map_init(RouteState::new, |state, &(r, s)| {
            let route = &data.routes[r];
            // The scenarios are the data's own, found by the plan.
            study
                .best(route, scenarios[s], state)
                .ok()
                .flatten()
                .and_then(|p| {
                    let path = p.geometry(&study.router.graph, &data.network);
                    (path.len() >= 2).then(|| RouteRecord {
                        route: route.id.clone(),
                        scenario: scenarios[s].to_string(),
                        alternative: 0,
                        path,
                        km: p.totals.km,
                        hours: p.totals.hours,
                        usd_per_t: p.totals.usd_per_t,
                        borders: p.borders.len() as u32,
                        summary: p.summary.clone(),
                    })
                })
        })
        .collect::<Vec<_>>()
        .into_iter()
        .flatten()
        .collect()
}

/// Every scenario's statuses (`resolved`, in the order of `ids`), the best path of every route under every scenario (`records`),
/// criticality and the simulated flows; returns the GeoJSON layers' file names. The routes layer
/// opens showing the first scenario and `map_scenario`; the rest are a tick away.
#[allow(clippy::too_many_arguments)]
pub fn write_layers(
    out: &Path,
    data: &Dataset,
    resolved: &[ResolvedScenario],
    ids: &[&str],
    map_scenario: &str,
    records: &[RouteRecord],
    critical: &CriticalReport,
    unit: &str,
    simulation: Option<&Simulation<'_>>,
) -> Result<Vec<String>, OutputError> {
    let drawn = [ids[0], map_scenario];
    let mut layers = LayerSet::new(out, data, resolved)?;
    if !data.routes.is_empty() {
        layers.add_routes(records, ids, &drawn)?;
    }
    let ranked = sections(&data.network, critical);
    let rank: Vec<Option<usize>> = section_of_links(data, &ranked)
        .iter()
        .map(|s| s.as_ref().map(|(r, _)| *r))
        .collect();
    layers.add_metric(
        &criticality_layer(critical, &rank, unit),
        "pairs_cut",
        OKABE_ITO[5],
    )?;
    if let Some(sim) = simulation {
        sim_out::add_flows_layer(&mut layers, data, sim)?;
    }
    let files = layers.finish()?;
    Ok(files
        .files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "geojson"))
        .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect())
}

/// The run's charts, criticality's and the simulation's, the last before the quick-look map's
/// entry, which closes the list; returns `(title, png)` for the report.
#[allow(clippy::too_many_arguments)]
pub fn write_run_charts(
    out: &Path,
    data: &Dataset,
    cells: &[Cell],
    restore: &RestoreReport,
    critical: &CriticalReport,
    simulation: Option<&Simulation<'_>>,
    unit: &str,
    ids: &[&str],
) -> Result<Vec<(String, String)>, OutputError> {
    let mut charts = write_charts(out, data, cells, restore, unit, ids)?;
    if let Some(c) = write_sections_chart(out, data, critical, unit, 10)? {
        let at = charts.len().saturating_sub(1);
        charts.insert(at, c);
    }
    if let Some(sim) = simulation {
        let sim_charts = sim_out::write_charts(out, data, sim)?;
        let at = charts.len().saturating_sub(1);
        charts.splice(at..at, sim_charts);
    }
    Ok(charts)
}

/// The quick-look map: the claims' routes (best paths under `map_scenario`) over the network.
pub fn write_quick_look_map(
    out: &Path,
    data: &Dataset,
    map_resolved: &ResolvedScenario,
    map_scenario: &str,
    records: &[RouteRecord],
) -> Result<(), OutputError> {
    let map_routes: Vec<MapRoute> = records
        .iter()
        .filter(|r| r.scenario == map_scenario && r.alternative == 0)
        .filter(|r| data.route(&r.route).is_some_and(|t| t.claim.is_some()))
        .map(|r| MapRoute {
            label: r.route.clone(),
            path: r.path.clone(),
        })
        .collect();
    let map = QuickLookMap::new(
        format!(
            "{}: the claims' routes over the network",
            data.scenarios.name_of(map_scenario)
        ),
        &data.network,
    )
    .with_scenario(map_resolved)
    .with_routes(map_routes)
    .focus_on_core();
    write_chart(&map, &out.join("map"))?;
    Ok(())
}

/// What a run found, for its summary: the number of compare cells, restoration, the claims'
/// verdicts and the stages skipped.
pub struct RunFindings<'a> {
    pub cells: usize,
    pub restore: &'a RestoreReport,
    pub claims: &'a [ClaimResult],
    pub skipped: &'a [Skipped],
}

/// What a run found, in brief: the same facts in every format.
pub fn summary_json(out: &Path, data: &Dataset, run: &RunFindings<'_>, seconds: f64) -> Value {
    let restore = run.restore;
    let unreachable = restore
        .routes
        .iter()
        .filter(|r| r.base_cost.is_infinite())
        .count();
    let restorable = restore
        .routes
        .iter()
        .filter(|r| r.base_cost.is_infinite() && r.all_cost.is_finite())
        .count();
    json!({
        "data": data.dir.display().to_string(),
        "places": data.network.nodes.len(),
        "links": data.network.links.len(),
        "scenarios": data.scenarios.list.len(),
        "routes": data.routes.len(),
        "compare_cells": run.cells,
        "restore": {
            "base": restore.base,
            "projects": restore.projects.len(),
            "unreachable_routes": unreachable,
            "restorable_routes": restorable,
        },
        "claims": run.claims.iter().map(|c| json!({
            "claim": c.claim.id,
            "verdict": c.verdict.as_str(),
            "why": c.why,
        })).collect::<Vec<_>>(),
        "skipped": run.skipped.iter().map(|k| json!({
            "stage": k.stage,
            "reason": k.reason,
        })).collect::<Vec<_>>(),
        "output": out.display().to_string(),
        "seconds": (seconds * 100.0).round() / 100.0,
    })
}

/// What a run found, in brief, for the terminal.
pub fn text_summary(out: &Path, data: &Dataset, run: &RunFindings<'_>, seconds: f64) -> String {
    let mut s = String::new();
    let w = &mut s;
    let (cells, restore, claims) = (run.cells, run.restore, run.claims);
    let net = &data.network;
    let _ = writeln!(
        w,
        "corridor run: {} ({}, {}, {}, {}) in {seconds:.2} s",
        data.dir.display(),
        count(net.nodes.len(), "place", "places"),
        count(net.links.len(), "link", "links"),
        count(data.scenarios.list.len(), "scenario", "scenarios"),
        count(data.routes.len(), "route", "routes")
    );
    let restored = restore
        .routes
        .iter()
        .filter(|r| r.base_cost.is_infinite() && r.all_cost.is_finite())
        .count();
    let unreachable = restore
        .routes
        .iter()
        .filter(|r| r.base_cost.is_infinite())
        .count();
    if !data.routes.is_empty() {
        let _ = writeln!(
            w,
            "compare: {} route x scenario cells; restore: {restored} of {unreachable} routes unreachable in {} can be restored by the {} projects",
            cells,
            restore.base,
            restore.projects.len()
        );
    }
    if !claims.is_empty() {
        let _ = writeln!(w, "claims:");
        for c in claims {
            let _ = writeln!(
                w,
                "  {:<16} {:<14} {}",
                c.claim.id,
                c.verdict.as_str(),
                c.why
            );
        }
    }
    let _ = writeln!(
        w,
        "wrote {}: report.md, tables (CSV, JSON), layers + corridor.qgs, charts, manifest.json",
        out.display()
    );
    for k in run.skipped {
        let _ = writeln!(w, "skipped {}: {}", k.stage, k.reason);
    }
    s
}
