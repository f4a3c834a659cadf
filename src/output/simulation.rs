//! The files of a freight simulation ([`Simulation`]): `flows.csv`, `crossings.csv`,
//! `transit.csv`, `freight_od.csv`, `reliability.csv` and `simulate.json`; the `flows` layer; the
//! charts (throughput by border crossing, transit revenue by country, reliability histograms);
//! and the simulation's section of a report. Every file holds no timing, so that a run is
//! byte-identical for any thread count.

use std::fmt::Write as _;
use std::path::Path;

use serde_json::{json, Value};

use crate::format::{num, round};
use crate::network::{Mode, Network};
use crate::output::chart::{write_chart, BarChart, BarLayout, PairedBars, Series, OKABE_ITO};
use crate::output::geojson::{scenario_field, LinkMetricLayer};
use crate::output::tables::{write_csv, write_json};
use crate::output::{LayerSet, OutputError};
use crate::scenario::Dataset;
use crate::sim::freight::Element;
use crate::sim::simulation::Simulation;

fn countries_of(list: &[crate::network::Country]) -> String {
    list.iter()
        .map(|c| c.as_str().to_string())
        .collect::<Vec<_>>()
        .join("|")
}

fn element_label(net: &Network, e: &Element) -> (String, String, String) {
    match e {
        Element::Link(l) => (
            "link".into(),
            net.link(*l).id.clone(),
            net.link(*l).mode.as_str().into(),
        ),
        Element::Crossing(n, m) => (
            "crossing".into(),
            net.node(*n).id.clone(),
            m.as_str().into(),
        ),
        Element::Transfer(n, k) => (
            "transfer".into(),
            net.node(*n).id.clone(),
            k.as_str().into(),
        ),
    }
}

/// The tables: flows.csv, crossings.csv, transit.csv, freight_od.csv, reliability.csv and
/// simulate.json.
pub fn write_tables(out: &Path, data: &Dataset, sim: &Simulation<'_>) -> Result<(), OutputError> {
    let net = &data.network;
    let base = &sim.runs[0];
    // flows.csv: every link with flow in some scenario.
    let used: Vec<usize> = (0..net.links.len())
        .filter(|&l| sim.runs.iter().any(|r| r.freight.link_flow[l] > 0.0))
        .collect();
    let mut rows = Vec::new();
    for r in &sim.runs {
        for &l in &used {
            let link = &net.links[l];
            let f = r.freight.link_flow[l];
            let b = base.freight.link_flow[l];
            rows.push(vec![
                r.scenario.clone(),
                link.id.clone(),
                link.name.clone(),
                link.mode.as_str().into(),
                link.country.map_or(String::new(), |c| c.as_str().into()),
                num(f, 0),
                num(f * link.length_km, 0),
                num(b, 0),
                num(f - b, 0),
            ]);
        }
    }
    write_csv(
        &out.join("flows.csv"),
        &[
            "scenario",
            "link",
            "name",
            "mode",
            "country",
            "flow_t_per_year",
            "tonne_km_per_year",
            "base_flow_t_per_year",
            "change_t_per_year",
        ],
        &rows,
    )?;

    // crossings.csv.
    let mut rows = Vec::new();
    for r in &sim.runs {
        for &(node, mode, flow) in &r.freight.crossings {
            let n = net.node(node);
            let state = r
                .freight
                .elements
                .iter()
                .find(|e| e.element == Element::Crossing(node, mode));
            let b = base
                .freight
                .crossings
                .iter()
                .find(|c| c.0 == node && c.1 == mode)
                .map_or(0.0, |c| c.2);
            rows.push(vec![
                r.scenario.clone(),
                n.id.clone(),
                n.name.clone(),
                n.border.as_ref().map_or(String::new(), |b| {
                    format!("{}|{}", b.countries[0], b.countries[1])
                }),
                mode.as_str().into(),
                num(flow, 0),
                state.map_or(String::new(), |s| num(s.capacity, 0)),
                state.map_or(String::new(), |s| num(s.ratio(), 4)),
                state.map_or(String::new(), |s| num(s.delay_hours, 3)),
                num(b, 0),
                num(flow - b, 0),
            ]);
        }
    }
    write_csv(
        &out.join("crossings.csv"),
        &[
            "scenario",
            "crossing",
            "name",
            "countries",
            "mode",
            "flow_t_per_year",
            "capacity_t_per_year",
            "flow_over_capacity",
            "delay_h",
            "base_flow_t_per_year",
            "change_t_per_year",
        ],
        &rows,
    )?;

    // transit.csv: every country with freight in some scenario.
    let mut countries: Vec<crate::network::Country> = sim
        .runs
        .iter()
        .flat_map(|r| r.freight.countries.keys().copied())
        .collect();
    countries.sort();
    countries.dedup();
    let mut rows = Vec::new();
    for r in &sim.runs {
        for c in &countries {
            let v = r.freight.countries.get(c).copied().unwrap_or_default();
            let b = base.freight.countries.get(c).copied().unwrap_or_default();
            rows.push(vec![
                r.scenario.clone(),
                c.as_str().into(),
                c.name().to_string(),
                num(v.tonne_km, 0),
                num(v.transit_tonnes, 0),
                num(v.transit_tonne_km, 0),
                num(v.transit_revenue_usd, 0),
                num(b.transit_revenue_usd, 0),
                num(v.transit_revenue_usd - b.transit_revenue_usd, 0),
            ]);
        }
    }
    write_csv(
        &out.join("transit.csv"),
        &[
            "scenario",
            "country",
            "name",
            "tonne_km_per_year",
            "transit_tonnes_per_year",
            "transit_tonne_km_per_year",
            "transit_revenue_usd_per_year",
            "base_transit_revenue_usd_per_year",
            "change_usd_per_year",
        ],
        &rows,
    )?;

    // freight_od.csv: each demand row under each scenario, with its diversion.
    let mut rows = Vec::new();
    for r in &sim.runs {
        for (row, b) in r.freight.rows.iter().zip(&base.freight.rows) {
            let d = &data.demand[row.row];
            let borders: Vec<&str> = row
                .borders
                .iter()
                .map(|b| net.node(*b).id.as_str())
                .collect();
            let modes: Vec<&str> = row.modes.iter().map(|m| m.as_str()).collect();
            rows.push(vec![
                r.scenario.clone(),
                d.id.clone(),
                net.node(d.from).id.clone(),
                net.node(d.to).id.clone(),
                d.cargo.as_str().into(),
                num(d.tonnes_per_year, 0),
                row.served.to_string(),
                num(row.cost, 2),
                num(row.free_flow_cost, 2),
                if row.served {
                    num(row.km, 1)
                } else {
                    String::new()
                },
                countries_of(&row.transit),
                borders.join("|"),
                modes.join("|"),
                num(b.cost, 2),
                diversion(row, b).into(),
            ]);
        }
    }
    let slug = crate::output::critical::unit_slug(sim.plan.metric.unit());
    let cost_col = format!("cost_{slug}");
    let free_col = format!("free_flow_cost_{slug}");
    let base_col = format!("base_cost_{slug}");
    write_csv(
        &out.join("freight_od.csv"),
        &[
            "scenario",
            "demand",
            "origin",
            "destination",
            "cargo",
            "tonnes_per_year",
            "served",
            &cost_col,
            &free_col,
            "km",
            "transit",
            "borders",
            "modes",
            &base_col,
            "diversion",
        ],
        &rows,
    )?;

    // reliability.csv.
    let mut rows = Vec::new();
    for r in &sim.runs {
        for (route, rel) in sim.routes.iter().zip(&r.reliability) {
            let pc = rel.cost_percentiles;
            let ph = rel.hours_percentiles;
            let cell =
                |p: Option<[f64; 3]>, i: usize, d: i32| p.map_or(String::new(), |p| num(p[i], d));
            rows.push(vec![
                r.scenario.clone(),
                route.id.clone(),
                rel.deterministic.map_or(String::new(), |s| num(s.cost, 2)),
                rel.draws.to_string(),
                num(rel.p_reachable, 4),
                num(rel.std_error, 4),
                cell(pc, 0, 2),
                cell(pc, 1, 2),
                cell(pc, 2, 2),
                cell(ph, 0, 2),
                cell(ph, 1, 2),
                cell(ph, 2, 2),
                rel.expected_extra_cost.map_or(String::new(), |x| num(x, 3)),
                sim.plan.metric.name().to_string(),
            ]);
        }
    }
    let cols: Vec<String> = [
        "deterministic_cost",
        "cost",
        "cost",
        "cost",
        "expected_extra_cost",
    ]
    .iter()
    .zip(["", "_p50", "_p90", "_p99", ""])
    .map(|(c, p)| format!("{c}_{slug}{p}"))
    .collect();
    write_csv(
        &out.join("reliability.csv"),
        &[
            "scenario",
            "route",
            &cols[0],
            "draws",
            "p_reachable",
            "std_error",
            &cols[1],
            &cols[2],
            &cols[3],
            "hours_running_dwell_p50",
            "hours_running_dwell_p90",
            "hours_running_dwell_p99",
            &cols[4],
            "metric",
        ],
        &rows,
    )?;
    write_json(&out.join("simulate.json"), &summary_json(data, sim))?;
    Ok(())
}

/// How a demand row's path under a scenario differs from the base: `base`, `same`, `rerouted`
/// (other transit countries or borders), `lost`, `gained`, `unserved`.
fn diversion(
    row: &crate::sim::freight::RowResult,
    base: &crate::sim::freight::RowResult,
) -> &'static str {
    match (base.served, row.served) {
        (false, false) => "unserved",
        (true, false) => "lost",
        (false, true) => "gained",
        (true, true) if row.borders == base.borders && row.transit == base.transit => "same",
        _ => "rerouted",
    }
}

fn summary_json(data: &Dataset, sim: &Simulation<'_>) -> Value {
    let net = &data.network;
    let plan = sim.plan;
    let runs: Vec<Value> = sim
        .runs
        .iter()
        .map(|r| {
            let f = &r.freight;
            let (served, unserved) = f.served_tonnes();
            let last = f.trace.last();
            json!({
                "scenario": r.scenario,
                "as_of": r.as_of,
                "disruptions_in_force": r.disruptions,
                "freight": {
                    "iterations": f.trace.len(),
                    "relative_gap": last.map(|i| i.relative_gap),
                    "converged": f.converged,
                    "served_t_per_year": round(served, 0),
                    "unserved_t_per_year": round(unserved, 0),
                    "tonne_km_per_year": round(f.tonne_km(net), 0),
                    "countries": f.countries.iter().map(|(c, v)| json!({
                        "country": c.as_str(),
                        "tonne_km_per_year": round(v.tonne_km, 0),
                        "transit_tonnes_per_year": round(v.transit_tonnes, 0),
                        "transit_tonne_km_per_year": round(v.transit_tonne_km, 0),
                        "transit_revenue_usd_per_year": round(v.transit_revenue_usd, 0),
                    })).collect::<Vec<_>>(),
                    "elements": f.elements.iter().map(|e| {
                        let (kind, id, sub) = element_label(net, &e.element);
                        json!({
                            "kind": kind, "id": id, "mode": sub,
                            "flow_t_per_year": round(e.flow, 0),
                            "capacity_t_per_year": round(e.capacity, 0),
                            "flow_over_capacity": round(e.ratio(), 4),
                            "free_h": round(e.free_hours, 3),
                            "delay_h": round(e.delay_hours, 4),
                        })
                    }).collect::<Vec<_>>(),
                },
                "reliability": sim.routes.iter().zip(&r.reliability).map(|(route, rel)| json!({
                    "route": route.id,
                    "deterministic_cost": rel.deterministic.map(|s| round(s.cost, 3)),
                    "p_reachable": round(rel.p_reachable, 4),
                    "std_error": round(rel.std_error, 4),
                    "cost_percentiles": rel.cost_percentiles.map(|p| p.map(|x| round(x, 3))),
                    "hours_running_dwell_percentiles": rel.hours_percentiles.map(|p| p.map(|x| round(x, 3))),
                    "expected_extra_cost": rel.expected_extra_cost.map(|x| round(x, 3)),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "metric": plan.metric.name(),
        "unit": plan.metric.unit(),
        "base": plan.scenarios[0],
        "scenarios": plan.scenarios,
        "method": plan.freight.method.as_str(),
        "gap": plan.freight.gap,
        "max_iter": plan.freight.max_iter,
        "draws": plan.draws,
        "seed": plan.seed,
        "demand_rows": data.demand.len(),
        "demand_t_per_year": round(data.demand.iter().map(|d| d.tonnes_per_year).sum::<f64>(), 0),
        "disruptions": data.disruptions.iter().map(|d| d.id.as_str()).collect::<Vec<_>>(),
        "runs": runs,
    })
}

/// The `flows` layer: kilotonnes per year on each link under each scenario (`kt_<scenario>`),
/// and the change against the base (`kt_change_<scenario>`); styled by the last scenario's flow.
pub fn add_flows_layer(
    layers: &mut LayerSet<'_>,
    data: &Dataset,
    sim: &Simulation<'_>,
) -> Result<(), OutputError> {
    let n = data.network.links.len();
    let used: Vec<bool> = (0..n)
        .map(|l| sim.runs.iter().any(|r| r.freight.link_flow[l] > 0.0))
        .collect();
    let base = &sim.runs[0].freight.link_flow;
    let mut columns = Vec::new();
    for r in &sim.runs {
        columns.push((
            scenario_field("flow_kt_per_year", &r.scenario),
            (0..n)
                .map(|l| used[l].then(|| r.freight.link_flow[l] / 1000.0))
                .collect::<Vec<_>>(),
        ));
    }
    for r in sim.runs.iter().skip(1) {
        columns.push((
            scenario_field("change_kt_per_year", &r.scenario),
            (0..n)
                .map(|l| used[l].then(|| (r.freight.link_flow[l] - base[l]) / 1000.0))
                .collect::<Vec<_>>(),
        ));
    }
    let last = sim.runs.last().map_or("", |r| r.scenario.as_str());
    let field = scenario_field("flow_kt_per_year", last);
    layers.add_metric(
        &LinkMetricLayer {
            name: "flows".into(),
            scenario: last.to_string(),
            columns,
        },
        &field,
        OKABE_ITO[5],
    )?;
    Ok(())
}

/// The charts; returns `(title, png file name)` for a report.
pub fn write_charts(
    out: &Path,
    data: &Dataset,
    sim: &Simulation<'_>,
) -> Result<Vec<(String, String)>, OutputError> {
    let net = &data.network;
    let mut charts = Vec::new();
    let names: Vec<String> = sim.runs.iter().map(|r| r.scenario.clone()).collect();

    // Throughput by border crossing: the busiest crossings over all scenarios.
    let mut keys: Vec<(crate::network::NodeId, Mode, f64)> = Vec::new();
    for r in &sim.runs {
        for &(n, m, f) in &r.freight.crossings {
            match keys.iter_mut().find(|k| k.0 == n && k.1 == m) {
                Some(k) => k.2 = k.2.max(f),
                None => keys.push((n, m, f)),
            }
        }
    }
    keys.retain(|k| k.2 > 0.0);
    keys.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.0.cmp(&b.0)).then(a.1.cmp(&b.1)));
    keys.truncate(14);
    if !keys.is_empty() {
        let short = |n: &str| n.split(" (").next().unwrap_or(n).to_string();
        let chart = BarChart {
            title: "Freight throughput by border crossing".into(),
            value_axis: "kilotonnes per year".into(),
            category_axis: "border crossing (mode)".into(),
            categories: keys
                .iter()
                .map(|k| format!("{} ({})", short(&net.node(k.0).name), k.1.as_str()))
                .collect(),
            series: sim
                .runs
                .iter()
                .map(|r| Series {
                    name: data.scenarios.name_of(&r.scenario).to_string(),
                    values: keys
                        .iter()
                        .map(|k| {
                            r.freight
                                .crossings
                                .iter()
                                .find(|c| c.0 == k.0 && c.1 == k.1)
                                .map_or(0.0, |c| c.2 / 1000.0)
                        })
                        .collect(),
                })
                .collect(),
            layout: BarLayout::Grouped,
            coloured: None,
        };
        write_chart(&chart, &out.join("crossing_throughput"))?;
        charts.push((chart.title.clone(), "crossing_throughput.png".to_string()));
    }

    // Transit revenue by country.
    let mut countries: Vec<crate::network::Country> = sim
        .runs
        .iter()
        .flat_map(|r| {
            r.freight
                .countries
                .iter()
                .filter(|(_, v)| v.transit_revenue_usd > 0.0)
                .map(|(c, _)| *c)
        })
        .collect();
    countries.sort();
    countries.dedup();
    if !countries.is_empty() {
        let chart = BarChart {
            title: "Transit revenue by country".into(),
            value_axis: "million USD per year".into(),
            category_axis: "transit country".into(),
            categories: countries.iter().map(|c| c.name().to_string()).collect(),
            series: sim
                .runs
                .iter()
                .map(|r| Series {
                    name: data.scenarios.name_of(&r.scenario).to_string(),
                    values: countries
                        .iter()
                        .map(|c| {
                            r.freight
                                .countries
                                .get(c)
                                .map_or(0.0, |v| v.transit_revenue_usd / 1e6)
                        })
                        .collect(),
                })
                .collect(),
            layout: BarLayout::Grouped,
            coloured: None,
        };
        write_chart(&chart, &out.join("transit_revenue"))?;
        charts.push((chart.title.clone(), "transit_revenue.png".to_string()));
    }

    // Reliability: the routes whose reachability or cost is at risk under each simulated
    // scenario, with the chance of losing them and the expected extra cost side by side.
    let mut at_risk: Vec<(usize, usize, f64, f64)> = Vec::new();
    for (k, run) in sim.runs.iter().enumerate() {
        for (i, r) in run.reliability.iter().enumerate() {
            let extra = r.expected_extra_cost.unwrap_or(0.0);
            if r.deterministic.is_some() && (r.p_reachable < 1.0 || extra > 1e-9) {
                at_risk.push((k, i, 1.0 - r.p_reachable, extra));
            }
        }
    }
    at_risk.sort_by(|a, b| {
        b.2.total_cmp(&a.2)
            .then(b.3.total_cmp(&a.3))
            .then((a.1, a.0).cmp(&(b.1, b.0)))
    });
    if !at_risk.is_empty() {
        let unit = sim.plan.metric.unit();
        let chart = PairedBars {
            title: "Trade routes at risk from disruptions".into(),
            category_axis: format!(
                "trade route (scenario), {} draws of the disruptions in force on its date",
                sim.plan.draws
            ),
            categories: at_risk
                .iter()
                .map(|&(k, i, _, _)| format!("{} ({})", sim.routes[i].id, sim.runs[k].scenario))
                .collect(),
            left: Series {
                name: "chance the route is cut, % of draws".into(),
                values: at_risk.iter().map(|x| 100.0 * x.2).collect(),
            },
            left_counts: false,
            right: Series {
                name: format!("expected extra cost when reachable, {unit}"),
                values: at_risk.iter().map(|x| x.3).collect(),
            },
        };
        write_chart(&chart, &out.join("reliability"))?;
        charts.push((chart.title.clone(), "reliability.png".to_string()));
    }
    let _ = names;
    Ok(charts)
}

/// The simulation's section of a report: `(title, markdown body)`.
pub fn report_section(data: &Dataset, sim: &Simulation<'_>) -> (String, String) {
    let net = &data.network;
    let plan = sim.plan;
    let unit = plan.metric.unit();
    let mut s = String::new();
    let total: f64 = data.demand.iter().map(|d| d.tonnes_per_year).sum();
    let capacity = if data.capacity.is_some() {
        "with capacities and BPR delays at border crossings, transfers and single-track lines \
         (`capacity.toml`)"
    } else {
        "without capacities (the data folder has no `capacity.toml`)"
    };
    let _ = writeln!(
        s,
        "{} demand rows ({:.2} Mt/yr, `demand.csv`) assigned over each scenario by {} ({} cost, \
         {unit}), {capacity}; then {} seeded Monte Carlo draws (seed {}) of the closures and \
         dwell times of `disruptions.csv` ({} rows; each scenario draws those in force on its \
         date) over the trade routes. Where the data's figures are \
         modelling assumptions (confidence L in `demand.csv`, `capacity.toml` and \
         `disruptions.csv`, explained in the data folder's README), read the results as \
         comparisons between scenarios. Tables: `flows.csv`, `crossings.csv`, `transit.csv`, \
         `freight_od.csv`, `reliability.csv`, `simulate.json`; layer `flows`.\n",
        data.demand.len(),
        total / 1e6,
        plan.freight.method.as_str(),
        plan.metric.name(),
        plan.draws,
        plan.seed,
        data.disruptions.len()
    );
    for r in &sim.runs {
        let f = &r.freight;
        let (served, unserved) = f.served_tonnes();
        let _ = writeln!(
            s,
            "**{}**: {:.2} Mt/yr served, {:.2} Mt/yr without a path, {:.0} million tonne-km; \
             equilibrium {} after {} (relative gap {:.1e}); disruptions drawn (in force \
             on {}): {}.\n",
            r.scenario,
            served / 1e6,
            unserved / 1e6,
            f.tonne_km(net) / 1e6,
            if f.converged {
                "reached"
            } else {
                "not reached"
            },
            crate::format::count(f.trace.len(), "iteration", "iterations"),
            f.trace.last().map_or(0.0, |i| i.relative_gap),
            r.as_of.as_deref().unwrap_or("any date"),
            if r.disruptions.is_empty() {
                "none".to_string()
            } else {
                r.disruptions.join(", ")
            }
        );
    }
    // Crossings.
    let _ = writeln!(s, "Busiest border crossings (kt/yr):\n");
    let mut head = String::from("| crossing | mode |");
    let mut revenue_head = String::from("| country |");
    let mut rule = String::from("|---|---|");
    for r in &sim.runs {
        let _ = write!(head, " {}, kt/yr |", r.scenario);
        let _ = write!(
            revenue_head,
            " {}, million USD/yr (transit kt/yr) |",
            r.scenario
        );
        rule.push_str("---:|");
    }
    let _ = writeln!(s, "{head}\n{rule}");
    let mut keys: Vec<(crate::network::NodeId, Mode, f64)> = Vec::new();
    for r in &sim.runs {
        for &(n, m, f) in &r.freight.crossings {
            match keys.iter_mut().find(|k| k.0 == n && k.1 == m) {
                Some(k) => k.2 = k.2.max(f),
                None => keys.push((n, m, f)),
            }
        }
    }
    keys.retain(|k| k.2 > 0.0);
    keys.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.0.cmp(&b.0)).then(a.1.cmp(&b.1)));
    for k in keys.iter().take(10) {
        let mut line = format!("| {} | {} |", net.node(k.0).name, k.1.as_str());
        for r in &sim.runs {
            let f = r
                .freight
                .crossings
                .iter()
                .find(|c| c.0 == k.0 && c.1 == k.1)
                .map_or(0.0, |c| c.2);
            let _ = write!(line, " {:.0} |", f / 1000.0);
        }
        let _ = writeln!(s, "{line}");
    }
    // Transit revenue.
    let _ = writeln!(
        s,
        "\nTransit revenue by country (million USD/yr; transit kt/yr in brackets):\n"
    );
    let _ = writeln!(s, "{revenue_head}");
    let _ = writeln!(s, "{}", rule.replacen("|---|---|", "|---|", 1));
    let mut countries: Vec<crate::network::Country> = sim
        .runs
        .iter()
        .flat_map(|r| {
            r.freight
                .countries
                .iter()
                .filter(|(_, v)| v.transit_tonnes > 0.0 || v.transit_revenue_usd > 0.0)
                .map(|(c, _)| *c)
        })
        .collect();
    countries.sort();
    countries.dedup();
    for c in &countries {
        let mut line = format!("| {} |", c.name());
        for r in &sim.runs {
            let v = r.freight.countries.get(c).copied().unwrap_or_default();
            let _ = write!(
                line,
                " {:.1} ({:.0}) |",
                v.transit_revenue_usd / 1e6,
                v.transit_tonnes / 1000.0
            );
        }
        let _ = writeln!(s, "{line}");
    }
    // Diversions.
    if sim.runs.len() > 1 {
        let base = &sim.runs[0];
        let _ = writeln!(s, "\nDemand that changes path against {}:\n", base.scenario);
        let mut any = false;
        for r in sim.runs.iter().skip(1) {
            for (row, b) in r.freight.rows.iter().zip(&base.freight.rows) {
                let kind = diversion(row, b);
                if kind == "same" || kind == "unserved" {
                    continue;
                }
                any = true;
                let d = &data.demand[row.row];
                let via = |x: &crate::sim::freight::RowResult| {
                    if !x.served {
                        "no path".to_string()
                    } else if x.transit.is_empty() {
                        format!("direct ({:.0} km)", x.km)
                    } else {
                        let names: Vec<String> =
                            x.transit.iter().map(|c| c.name().to_string()).collect();
                        format!("via {} ({:.0} km)", names.join(", "), x.km)
                    }
                };
                let _ = writeln!(
                    s,
                    "- {}: {} ({:.0} kt/yr): {} → {}; cost {} → {} {unit}",
                    r.scenario,
                    d.id,
                    d.tonnes_per_year / 1000.0,
                    via(b),
                    via(row),
                    if b.served {
                        format!("{:.1}", b.cost)
                    } else {
                        "—".into()
                    },
                    if row.served {
                        format!("{:.1}", row.cost)
                    } else {
                        "—".into()
                    },
                );
            }
        }
        if !any {
            let _ = writeln!(s, "- none");
        }
    }
    // Reliability.
    let _ = writeln!(
        s,
        "\nReliability of the trade routes over {} draws (cost in {unit}; percentiles over the draws \
         where the route is reachable; only routes that some disruption touches):\n",
        plan.draws
    );
    let _ = writeln!(
        s,
        "| scenario | route | P(reachable) ± s.e. | undisturbed, {unit} | p50, {unit} | p90, {unit} | p99, {unit} | expected extra, {unit} |"
    );
    let _ = writeln!(s, "|---|---|---:|---:|---:|---:|---:|---:|");
    for r in &sim.runs {
        for (route, rel) in sim.routes.iter().zip(&r.reliability) {
            let touched =
                rel.p_reachable < 1.0 || rel.expected_extra_cost.is_some_and(|x| x > 1e-9);
            if rel.deterministic.is_none() || !touched {
                continue;
            }
            let p = rel.cost_percentiles.unwrap_or([f64::NAN; 3]);
            let _ = writeln!(
                s,
                "| {} | {} | {:.3} ± {:.3} | {:.1} | {:.1} | {:.1} | {:.1} | {:.2} |",
                r.scenario,
                route.id,
                rel.p_reachable,
                rel.std_error,
                rel.deterministic.map_or(f64::NAN, |d| d.cost),
                p[0],
                p[1],
                p[2],
                rel.expected_extra_cost.unwrap_or(f64::NAN)
            );
        }
    }
    ("Freight flows and reliability".to_string(), s)
}
