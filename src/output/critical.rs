//! The files of a criticality question ([`CriticalReport`]): `critical.csv` (every link, ranked),
//! `multi.csv` (link sets lost together), `exposure.csv` (each route's countries),
//! `critical.json`, `connectivity.json`, the `criticality` layer and the top links' chart.

use std::fmt::Write as _;
use std::path::Path;

use serde_json::json;

use crate::analysis::critical::{rank_cmp, sections, CriticalReport, Section};
use crate::format::{count, num, round};
use crate::output::chart::{write_chart, PairedBars, Series, OKABE_ITO};
use crate::output::geojson::LinkMetricLayer;
use crate::output::tables::{write_csv, write_json};
use crate::output::{LayerSet, OutputError};
use crate::scenario::{Dataset, ResolvedScenario};

/// Link indices ranked by loss (disconnections, then extra cost), used links only.
pub fn ranking(report: &CriticalReport) -> Vec<usize> {
    let mut order: Vec<usize> = (0..report.single.len())
        .filter(|&l| report.single[l].pairs_using > 0)
        .collect();
    order.sort_by(|&a, &b| rank_cmp(&report.single[a], &report.single[b]).then(a.cmp(&b)));
    order
}

/// Each link's section rank (1 = the costliest section to lose) and section name; `None` for
/// links no pair uses.
pub fn section_of_links(data: &Dataset, sections: &[Section]) -> Vec<Option<(usize, String)>> {
    let mut of = vec![None; data.network.links.len()];
    for (r, s) in sections.iter().enumerate() {
        let name = s.name(&data.network);
        for &l in &s.links {
            of[l] = Some((r + 1, name.clone()));
        }
    }
    of
}

/// `critical.csv`, `multi.csv`, `exposure.csv`, `critical.json`, `connectivity.json`, the
/// `criticality` layer (with the network's layers and `corridor.qgs`) and the top sections' chart.
pub fn write_outputs(
    out: &Path,
    data: &Dataset,
    resolved: &ResolvedScenario,
    report: &CriticalReport,
    unit: &str,
    top: usize,
) -> Result<(), OutputError> {
    let net = &data.network;
    write_tables(out, data, report, unit, top)?;
    let ranked = sections(net, report);
    let of = section_of_links(data, &ranked);
    let rank: Vec<Option<usize>> = of.iter().map(|s| s.as_ref().map(|(r, _)| *r)).collect();
    // The GIS layer and the chart.
    let mut layers = LayerSet::new(out, data, std::slice::from_ref(resolved))?;
    layers.add_metric(
        &criticality_layer(report, &rank, unit),
        &format!("extra_cost_{}", unit_slug(unit)),
        OKABE_ITO[5],
    )?;
    layers.finish()?;
    write_sections_chart(out, data, report, unit, top)?;
    Ok(())
}

/// The `criticality` layer: per link its section's rank, routes cut and extra cost.
pub fn criticality_layer(
    report: &CriticalReport,
    rank: &[Option<usize>],
    unit: &str,
) -> LinkMetricLayer {
    LinkMetricLayer {
        name: "criticality".into(),
        scenario: report.scenario.clone(),
        columns: vec![
            (
                format!("extra_cost_{}", unit_slug(unit)),
                report.single.iter().map(|s| Some(s.extra_cost)).collect(),
            ),
            (
                "pairs_cut".into(),
                report
                    .single
                    .iter()
                    .map(|s| Some(s.disconnected as f64))
                    .collect(),
            ),
            (
                "section_rank".into(),
                rank.iter().map(|r| r.map(|r| r as f64)).collect(),
            ),
            (
                "betweenness".into(),
                report.link_betweenness.iter().map(|&b| Some(b)).collect(),
            ),
        ],
    }
}

/// The chart of the top sections: pairs cut and extra cost side by side; returns its
/// `(title, png file name)`, or `None` when no link is used.
pub fn write_sections_chart(
    out: &Path,
    data: &Dataset,
    report: &CriticalReport,
    unit: &str,
    top: usize,
) -> Result<Option<(String, String)>, OutputError> {
    let net = &data.network;
    let ranked = sections(net, report);
    let shown: Vec<&Section> = ranked.iter().take(top).collect();
    if shown.is_empty() {
        return Ok(None);
    }
    let scenario = data.scenarios.name_of(&report.scenario);
    let loss = |s: &Section| &report.single[s.links[0]];
    // Over the trade routes (a run, `--pairs routes`) or over place pairs.
    let what = if report.pairs == data.routes.len() {
        "routes"
    } else {
        "pairs"
    };
    let chart = PairedBars {
        title: format!("Corridor sections that cost most to lose: {scenario}"),
        category_axis: "corridor section (links lost with the same effect)".into(),
        categories: shown
            .iter()
            .map(|s| {
                let n = s.links.len();
                if n == 1 {
                    s.name(net)
                } else {
                    format!("{} ({n} links)", s.name(net))
                }
            })
            .collect(),
        left: Series {
            name: format!("{what} cut (count)"),
            values: shown.iter().map(|s| loss(s).disconnected as f64).collect(),
        },
        left_counts: true,
        right: Series {
            name: format!("extra cost of the {what} still connected, {unit}"),
            values: shown.iter().map(|s| loss(s).extra_cost).collect(),
        },
    };
    write_chart(&chart, &out.join("critical_links"))?;
    Ok(Some((chart.title, "critical_links.png".to_string())))
}

/// `critical.csv` (every link with its section), `multi.csv`, `exposure.csv`, `critical.json`
/// (the top sections) and `connectivity.json`.
pub fn write_tables(
    out: &Path,
    data: &Dataset,
    report: &CriticalReport,
    unit: &str,
    top: usize,
) -> Result<(), OutputError> {
    let net = &data.network;
    let ranked = sections(net, report);
    let of = section_of_links(data, &ranked);
    let slug = unit_slug(unit);
    let extra_col = format!("extra_cost_{slug}");
    let bridges_all: Vec<bool> = {
        let mut b = vec![false; net.links.len()];
        if let Some(all) = report.connectivity.iter().find(|c| c.mode == "all") {
            for l in &all.bridges {
                b[l.index()] = true;
            }
        }
        b
    };
    // critical.csv: every link.
    let header = [
        "rank",
        "section",
        "link",
        "name",
        "mode",
        "pairs_using",
        "pairs_cut",
        "pairs_cut_weight",
        extra_col.as_str(),
        "bridge",
        "hostage",
        "betweenness",
        "unit",
    ];
    let mut rows = Vec::new();
    for (i, l) in net.links.iter().enumerate() {
        let s = &report.single[i];
        rows.push(vec![
            of[i].as_ref().map_or(String::new(), |(r, _)| r.to_string()),
            of[i].as_ref().map_or(String::new(), |(_, n)| n.clone()),
            l.id.clone(),
            l.name.clone(),
            l.mode.as_str().to_string(),
            s.pairs_using.to_string(),
            s.disconnected.to_string(),
            num(s.disconnected_weight, 3),
            num(s.extra_cost, 3),
            bridges_all[i].to_string(),
            report.hostage[i].to_string(),
            num(report.link_betweenness[i], 3),
            unit.to_string(),
        ]);
    }
    write_csv(&out.join("critical.csv"), &header, &rows)?;

    let extra_beyond = format!("extra_beyond_singles_{slug}");
    let header = [
        "links",
        "pairs_using",
        "pairs_cut",
        "cut_only_together",
        extra_col.as_str(),
        extra_beyond.as_str(),
        "unit",
    ];
    let mut rows = Vec::new();
    for m in &report.multi {
        let ids: Vec<&str> = m
            .links
            .iter()
            .map(|&l| net.links[l as usize].id.as_str())
            .collect();
        rows.push(vec![
            ids.join("+"),
            m.loss.pairs_using.to_string(),
            m.loss.disconnected.to_string(),
            m.cut_only_together.to_string(),
            num(m.loss.extra_cost, 3),
            num(m.extra_beyond, 3),
            unit.to_string(),
        ]);
    }
    write_csv(&out.join("multi.csv"), &header, &rows)?;

    let header = [
        "route",
        "reachable",
        "km",
        "borders",
        "countries_km",
        "top_transit",
        "transit_dependency",
    ];
    let mut rows = Vec::new();
    for e in &report.exposure {
        let countries: Vec<String> = e
            .countries
            .iter()
            .map(|(c, km)| format!("{}:{km:.0}", c.map_or("sea".to_string(), |c| c.to_string())))
            .collect();
        rows.push(vec![
            e.route.clone(),
            e.reachable.to_string(),
            num(e.km, 1),
            e.borders.to_string(),
            countries.join("|"),
            e.top_transit.map_or(String::new(), |c| c.to_string()),
            num(e.transit_dependency, 4),
        ]);
    }
    write_csv(&out.join("exposure.csv"), &header, &rows)?;

    let connectivity: Vec<serde_json::Value> = report
        .connectivity
        .iter()
        .map(|c| {
            json!({
                "mode": c.mode,
                "places": c.places,
                "usable_links": c.usable_links,
                "components": c.components,
                "strong_components": c.strong_components,
                "bridges": c.bridges.iter().map(|l| net.link(*l).id.clone()).collect::<Vec<_>>(),
                "articulation_points": c.articulation_points.iter().map(|v| net.node(*v).id.clone()).collect::<Vec<_>>(),
            })
        })
        .collect();
    let top_sections: Vec<serde_json::Value> = ranked
        .iter()
        .take(top)
        .enumerate()
        .map(|(r, sec)| {
            let l = sec.links[0];
            let s = &report.single[l];
            json!({
                "rank": r + 1,
                "section": sec.name(net),
                "links": sec.links.iter().map(|&l| net.links[l].id.as_str()).collect::<Vec<_>>(),
                "link_names": sec.links.iter().map(|&l| net.links[l].name.as_str()).collect::<Vec<_>>(),
                "pairs_using": s.pairs_using,
                "pairs_cut": s.disconnected,
                extra_col.as_str(): round(s.extra_cost, 3),
                "hostage": report.hostage[l],
            })
        })
        .collect();
    write_json(
        &out.join("critical.json"),
        &json!({
            "scenario": report.scenario,
            "unit": unit,
            "pairs": report.pairs,
            "unreachable_pairs": report.unreachable_pairs,
            "top_sections": top_sections,
            "connectivity": connectivity.clone(),
            "isolated": report.isolated.iter().map(|v| net.node(*v).id.clone()).collect::<Vec<_>>(),
        }),
    )?;

    // Connectivity alone: per mode projection, the places no usable link touches, and the
    // pairs (trade routes, or place pairs) left without any path.
    let unreachable: Vec<serde_json::Value> = report
        .unreachable
        .iter()
        .map(|u| {
            json!({
                "route": u.route,
                "from": net.node(u.from).id,
                "to": net.node(u.to).id,
            })
        })
        .collect();
    write_json(
        &out.join("connectivity.json"),
        &json!({
            "scenario": report.scenario,
            "modes": connectivity,
            "isolated": report.isolated.iter().map(|v| net.node(*v).id.clone()).collect::<Vec<_>>(),
            "pairs": report.pairs,
            "disconnected_pairs": unreachable,
        }),
    )?;

    Ok(())
}

/// A unit as it can stand in a column name: `h`, `km`, `usd_per_t`.
pub fn unit_slug(unit: &str) -> &'static str {
    match unit {
        "h" => "h",
        "km" => "km",
        _ => "usd_per_t",
    }
}

/// `critical.json`'s value (the top links, connectivity, isolated places) with the link sets
/// lost together and every route's exposure: the whole answer as JSON, as `multi.csv` and
/// `exposure.csv` hold it beside.
pub fn with_sets_and_exposure(
    mut json: serde_json::Value,
    data: &Dataset,
    report: &CriticalReport,
) -> serde_json::Value {
    let net = &data.network;
    let multi: Vec<serde_json::Value> = report
        .multi
        .iter()
        .map(|m| {
            serde_json::json!({
                "links": m.links.iter().map(|&l| net.links[l as usize].id.as_str()).collect::<Vec<_>>(),
                "pairs_using": m.loss.pairs_using,
                "pairs_cut": m.loss.disconnected,
                "cut_only_together": m.cut_only_together,
                "extra_cost": round(m.loss.extra_cost, 3),
                "extra_beyond_singles": round(m.extra_beyond, 3),
            })
        })
        .collect();
    let exposure: Vec<serde_json::Value> = report
        .exposure
        .iter()
        .map(|e| {
            serde_json::json!({
                "route": e.route,
                "reachable": e.reachable,
                "km": round(e.km, 1),
                "borders": e.borders,
                "countries_km": e.countries.iter().map(|(c, km)| serde_json::json!({
                    "country": c.map(|c| c.to_string()),
                    "km": round(*km, 0),
                })).collect::<Vec<_>>(),
                "top_transit": e.top_transit.map(|c| c.to_string()),
                "transit_dependency": round(e.transit_dependency, 4),
            })
        })
        .collect();
    if let Some(obj) = json.as_object_mut() {
        obj.insert("multi".into(), multi.into());
        obj.insert("exposure".into(), exposure.into());
    }
    json
}

/// The terminal's table of `corridor critical`: the pairs, the unreachable ones, connectivity
/// per mode, the `top` corridor sections and the link sets that cost more together than apart.
pub fn text_table(data: &Dataset, report: &CriticalReport, unit: &str, top: usize) -> String {
    let mut w = String::new();
    let w = &mut w;
    let net = &data.network;
    let _ = writeln!(
        w,
        "scenario {}: {} pairs ({} unreachable before any loss); losses in {unit}",
        report.scenario, report.pairs, report.unreachable_pairs
    );
    if !report.unreachable.is_empty() {
        let names: Vec<String> = report
            .unreachable
            .iter()
            .take(10)
            .map(|u| {
                u.route
                    .clone()
                    .unwrap_or_else(|| format!("{} -> {}", net.node(u.from).id, net.node(u.to).id))
            })
            .collect();
        let more = report.unreachable.len().saturating_sub(names.len());
        let _ = writeln!(
            w,
            "  unreachable: {}{}",
            names.join(", "),
            if more > 0 {
                format!(" and {more} more (connectivity.json)")
            } else {
                String::new()
            }
        );
    }
    for c in &report.connectivity {
        let _ = writeln!(
            w,
            "  {:<4} {}, {}, {} ({} strong), {}, {}",
            c.mode,
            count(c.places, "place", "places"),
            count(c.usable_links, "link", "links"),
            count(c.components, "component", "components"),
            c.strong_components,
            count(c.bridges.len(), "bridge", "bridges"),
            count(
                c.articulation_points.len(),
                "articulation point",
                "articulation points"
            )
        );
    }
    let _ = writeln!(w);
    let _ = writeln!(
        w,
        "{:>4}  {:<44} {:>5} {:>6} {:>6} {:>10}  flags",
        "rank",
        "corridor section",
        "links",
        "pairs",
        "cut",
        format!("extra {unit}")
    );
    for (r, sec) in sections(net, report).iter().take(top).enumerate() {
        let l = sec.links[0];
        let s = &report.single[l];
        let mut flags = Vec::new();
        if report.hostage[l] {
            flags.push("hostage");
        }
        if report
            .connectivity
            .iter()
            .any(|c| c.mode == "all" && c.bridges.iter().any(|b| sec.links.contains(&b.index())))
        {
            flags.push("bridge");
        }
        let _ = writeln!(
            w,
            "{:>4}  {:<44} {:>5} {:>6} {:>6} {:>10.1}  {}",
            r + 1,
            sec.name(net),
            sec.links.len(),
            s.pairs_using,
            s.disconnected,
            s.extra_cost,
            flags.join(", ")
        );
    }
    text_multi(w, data, report, unit);
    std::mem::take(w)
}

/// The link sets that cost more lost together than their links lost one at a time.
fn text_multi(w: &mut String, data: &Dataset, report: &CriticalReport, unit: &str) {
    let net = &data.network;
    if !report.multi.is_empty() {
        let _ = writeln!(w);
        // What a set adds to its links lost one at a time: pairs cut only together, or (when it
        // cuts nothing new) extra cost beyond the sum of the single losses.
        let mut multi: Vec<&crate::analysis::critical::MultiLoss> = report
            .multi
            .iter()
            .filter(|m| m.cut_only_together > 0 || m.extra_beyond > 1e-9)
            .collect();
        multi.sort_by(|a, b| {
            b.cut_only_together
                .cmp(&a.cut_only_together)
                .then(b.extra_beyond.total_cmp(&a.extra_beyond))
        });
        if multi.is_empty() {
            let _ = writeln!(
                w,
                "no set of {} of the links examined costs more together than its links apart",
                report.multi[0].links.len()
            );
        } else {
            let _ = writeln!(w, "links that cost more together than apart:");
        }
        for m in multi.iter().take(5) {
            let ids: Vec<&str> = m
                .links
                .iter()
                .map(|&l| net.links[l as usize].id.as_str())
                .collect();
            if m.cut_only_together > 0 {
                let _ = writeln!(
                    w,
                    "  {}: {} cut only together",
                    ids.join(" + "),
                    count(m.cut_only_together, "pair", "pairs")
                );
            } else {
                let _ = writeln!(
                    w,
                    "  {}: +{:.1} {unit} beyond their single losses",
                    ids.join(" + "),
                    m.extra_beyond
                );
            }
        }
    }
}
