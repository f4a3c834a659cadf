//! `corridor critical [--scenario ID] [--by METRIC] [--pairs routes|cities|all|largest] [--top N]
//! [--multi K] [--links ID,ID]`: which links cost the most to lose, connectivity per mode
//! (components, bridges, articulation points), betweenness and route exposure; a ranked table on
//! the terminal, tables, a `criticality` GIS layer and a chart in `--out` (default
//! `output/critical/`).

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};
use serde_json::json;

use corridor::analysis::critical::{rank_cmp, CriticalReport, Pairs};
use corridor::analysis::study::Study;
use corridor::output::chart::{write_chart, BarChart, BarLayout, Series, OKABE_ITO};
use corridor::output::geojson::LinkMetricLayer;
use corridor::output::tables::{round, write_json};
use corridor::output::LayerSet;
use corridor::scenario::Dataset;

use super::{data_dir, load_dataset, metric, note_warnings, stage_out, stdout, Format, Global};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Scenario [default: the first scenario of scenarios.toml; `as-is` without one].
    #[arg(long, value_name = "ID")]
    pub scenario: Option<String>,
    /// What each pair minimises (losses are in its unit).
    #[arg(long, value_parser = ["time", "distance", "money", "generalized"], default_value = "time")]
    pub by: String,
    /// Pairs losses are measured over: the trade routes, every pair of cities and hubs, every
    /// pair of places, or every pair of the 20 largest places (by population, else by links)
    /// [default: routes, or largest when the data has no routes.toml].
    #[arg(long, value_parser = ["routes", "cities", "all", "largest"])]
    pub pairs: Option<String>,
    /// Links shown, and the most critical links combined in the multi-link analysis.
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub top: usize,
    /// Size of the link sets closed together among the top links (2: pairs, 3: triples; 1: none).
    #[arg(long, value_name = "K", default_value_t = 2)]
    pub multi: usize,
    /// Close sets of K links among these link ids instead of among the top N links.
    #[arg(long, value_delimiter = ',', value_name = "ID,ID")]
    pub links: Vec<String>,
}

pub fn run(global: &Global, args: &Args) -> Result<ExitCode> {
    let data = load_dataset(&data_dir(global, None))?;
    note_warnings(&data)?;
    let metric = metric(&args.by, &data)?;
    let scenario = match &args.scenario {
        Some(s) => data.scenario_id(s)?.to_string(),
        None => data
            .scenarios
            .ids()
            .next()
            .context("the data folder has no scenarios.toml; name one with --scenario")?
            .to_string(),
    };
    let pairs = match &args.pairs {
        Some(p) => Pairs::parse(p).context("--pairs is routes, cities, all or largest")?,
        None => Pairs::default_for(&data),
    };
    anyhow::ensure!(args.multi <= 3, "--multi is at most 3 (triples)");
    if pairs == Pairs::All {
        let places = data
            .network
            .nodes
            .iter()
            .filter(|n| n.kind != corridor::network::NodeKind::Border)
            .count();
        eprintln!(
            "note: --pairs all searches {} ordered place pairs and every link of their paths; \
             --pairs cities is far cheaper",
            places.saturating_mul(places.saturating_sub(1))
        );
    }
    let mut candidates = Vec::with_capacity(args.links.len());
    for id in &args.links {
        candidates.push(
            data.network
                .link_id(id)
                .with_context(|| format!("--links: no link `{id}` in the data"))?,
        );
    }
    let study = Study::new(&data, metric)?;
    let report = study
        .critical_among(
            &scenario,
            pairs,
            args.top,
            args.multi,
            (!candidates.is_empty()).then_some(candidates.as_slice()),
        )
        .with_context(|| {
            let known: Vec<&str> = data.scenarios.ids().collect();
            format!("unknown scenario `{scenario}`; known: {}", known.join(", "))
        })?;
    let staged = stage_out(global, "critical")?;
    write_outputs(
        staged.path(),
        &data,
        &study,
        &report,
        metric.unit(),
        args.top,
    )?;
    let out = staged.commit()?;
    let mut w = stdout();
    match global.format {
        Format::Json => w.write_all(&std::fs::read(out.join("critical.json"))?)?,
        Format::Csv => w.write_all(&std::fs::read(out.join("critical.csv"))?)?,
        Format::Table => print_table(&mut w, &data, &report, metric.unit(), args.top)?,
    }
    w.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Link indices ranked by loss (disconnections, then extra cost), used links only.
fn ranking(report: &CriticalReport) -> Vec<usize> {
    let mut order: Vec<usize> = (0..report.single.len())
        .filter(|&l| report.single[l].pairs_using > 0)
        .collect();
    order.sort_by(|&a, &b| rank_cmp(&report.single[a], &report.single[b]).then(a.cmp(&b)));
    order
}

fn write_outputs(
    out: &Path,
    data: &Dataset,
    study: &Study<'_>,
    report: &CriticalReport,
    unit: &str,
    top: usize,
) -> Result<()> {
    let net = &data.network;
    let order = ranking(report);
    let mut rank = vec![None; net.links.len()];
    for (r, &l) in order.iter().enumerate() {
        rank[l] = Some(r + 1);
    }
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
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "rank",
        "link",
        "name",
        "mode",
        "pairs_using",
        "disconnected",
        "disconnected_weight",
        "extra_cost",
        "bridge",
        "hostage",
        "betweenness",
    ])?;
    for (i, l) in net.links.iter().enumerate() {
        let s = &report.single[i];
        w.write_record([
            rank[i].map_or(String::new(), |r| r.to_string()),
            l.id.clone(),
            l.name.clone(),
            l.mode.as_str().to_string(),
            s.pairs_using.to_string(),
            s.disconnected.to_string(),
            fmt(s.disconnected_weight, 3),
            fmt(s.extra_cost, 3),
            bridges_all[i].to_string(),
            report.hostage[i].to_string(),
            fmt(report.link_betweenness[i], 3),
        ])?;
    }
    corridor::output::write_atomic(&out.join("critical.csv"), &w.into_inner()?)?;

    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "links",
        "pairs_using",
        "disconnected",
        "cut_only_together",
        "extra_cost",
        "extra_beyond_singles",
    ])?;
    for m in &report.multi {
        let ids: Vec<&str> = m
            .links
            .iter()
            .map(|&l| net.links[l as usize].id.as_str())
            .collect();
        w.write_record([
            ids.join("+"),
            m.loss.pairs_using.to_string(),
            m.loss.disconnected.to_string(),
            m.cut_only_together.to_string(),
            fmt(m.loss.extra_cost, 3),
            fmt(m.extra_beyond, 3),
        ])?;
    }
    corridor::output::write_atomic(&out.join("multi.csv"), &w.into_inner()?)?;

    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "route",
        "reachable",
        "km",
        "borders",
        "countries_km",
        "top_transit",
        "transit_dependency",
    ])?;
    for e in &report.exposure {
        let countries: Vec<String> = e
            .countries
            .iter()
            .map(|(c, km)| format!("{}:{km:.0}", c.map_or("sea".to_string(), |c| c.to_string())))
            .collect();
        w.write_record([
            e.route.clone(),
            e.reachable.to_string(),
            fmt(e.km, 1),
            e.borders.to_string(),
            countries.join("|"),
            e.top_transit.map_or(String::new(), |c| c.to_string()),
            fmt(e.transit_dependency, 4),
        ])?;
    }
    corridor::output::write_atomic(&out.join("exposure.csv"), &w.into_inner()?)?;

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
    let top_links: Vec<serde_json::Value> = order
        .iter()
        .take(top)
        .map(|&l| {
            let s = &report.single[l];
            json!({
                "link": net.links[l].id,
                "name": net.links[l].name,
                "pairs_using": s.pairs_using,
                "disconnected": s.disconnected,
                "extra_cost": round(s.extra_cost, 3),
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
            "top_links": top_links,
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

    // The GIS layer and the chart.
    let resolved = study
        .resolved(&report.scenario)
        .cloned()
        .context("the scenario resolved above")?;
    let mut layers = LayerSet::new(out, data, std::slice::from_ref(&resolved))?;
    layers.add_metric(
        &LinkMetricLayer {
            name: "criticality".into(),
            scenario: report.scenario.clone(),
            columns: vec![
                (
                    format!("extra_cost_{}", unit_slug(unit)),
                    report.single.iter().map(|s| Some(s.extra_cost)).collect(),
                ),
                (
                    "disconnected".into(),
                    report
                        .single
                        .iter()
                        .map(|s| Some(s.disconnected as f64))
                        .collect(),
                ),
                (
                    "rank".into(),
                    rank.iter().map(|r| r.map(|r| r as f64)).collect(),
                ),
                (
                    "betweenness".into(),
                    report.link_betweenness.iter().map(|&b| Some(b)).collect(),
                ),
            ],
        },
        &format!("extra_cost_{}", unit_slug(unit)),
        OKABE_ITO[5],
    )?;
    layers.finish()?;
    let shown: Vec<usize> = order.iter().take(top).copied().collect();
    if !shown.is_empty() {
        let chart = BarChart {
            title: format!("Most critical links under {}", report.scenario),
            value_axis: format!("extra cost over the pairs when the link is lost, {unit}"),
            category_axis: "link".into(),
            categories: shown.iter().map(|&l| net.links[l].id.clone()).collect(),
            series: vec![Series {
                name: "extra cost of the pairs still connected".into(),
                values: shown.iter().map(|&l| report.single[l].extra_cost).collect(),
            }],
            layout: BarLayout::Grouped,
        };
        write_chart(&chart, &out.join("critical_links"))?;
    }
    Ok(())
}

fn unit_slug(unit: &str) -> &'static str {
    match unit {
        "h" => "h",
        "km" => "km",
        _ => "usd_per_t",
    }
}

fn fmt(x: f64, digits: i32) -> String {
    round(x, digits).map_or(String::new(), |v| v.to_string())
}

fn print_table(
    w: &mut impl Write,
    data: &Dataset,
    report: &CriticalReport,
    unit: &str,
    top: usize,
) -> Result<()> {
    let net = &data.network;
    writeln!(
        w,
        "scenario {}: {} pairs ({} unreachable before any loss); losses in {unit}",
        report.scenario, report.pairs, report.unreachable_pairs
    )?;
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
        writeln!(
            w,
            "  unreachable: {}{}",
            names.join(", "),
            if more > 0 {
                format!(" and {more} more (connectivity.json)")
            } else {
                String::new()
            }
        )?;
    }
    for c in &report.connectivity {
        writeln!(
            w,
            "  {:<4} {} places, {} links, {} components ({} strong), {} bridges, {} articulation points",
            c.mode,
            c.places,
            c.usable_links,
            c.components,
            c.strong_components,
            c.bridges.len(),
            c.articulation_points.len()
        )?;
    }
    writeln!(w)?;
    writeln!(
        w,
        "{:>4}  {:<36} {:<5} {:>6} {:>6} {:>10}  flags",
        "rank", "link", "mode", "pairs", "cut", "extra"
    )?;
    for (r, &l) in ranking(report).iter().take(top).enumerate() {
        let s = &report.single[l];
        let link = &net.links[l];
        let mut flags = Vec::new();
        if report.hostage[l] {
            flags.push("hostage");
        }
        if report
            .connectivity
            .iter()
            .any(|c| c.mode == "all" && c.bridges.iter().any(|b| b.index() == l))
        {
            flags.push("bridge");
        }
        writeln!(
            w,
            "{:>4}  {:<36} {:<5} {:>6} {:>6} {:>10.1}  {}",
            r + 1,
            link.id,
            link.mode.as_str(),
            s.pairs_using,
            s.disconnected,
            s.extra_cost,
            flags.join(", ")
        )?;
    }
    if !report.multi.is_empty() {
        writeln!(w)?;
        // What a set adds to its links lost one at a time: pairs cut only together, or (when it
        // cuts nothing new) extra cost beyond the sum of the single losses.
        let mut multi: Vec<&corridor::analysis::critical::MultiLoss> = report
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
            writeln!(
                w,
                "no set of {} of the links examined costs more together than its links apart",
                report.multi[0].links.len()
            )?;
        } else {
            writeln!(w, "links that cost more together than apart:")?;
        }
        for m in multi.iter().take(5) {
            let ids: Vec<&str> = m
                .links
                .iter()
                .map(|&l| net.links[l as usize].id.as_str())
                .collect();
            if m.cut_only_together > 0 {
                writeln!(
                    w,
                    "  {}: {} pairs cut only together",
                    ids.join(" + "),
                    m.cut_only_together
                )?;
            } else {
                writeln!(
                    w,
                    "  {}: +{:.1} {unit} beyond their single losses",
                    ids.join(" + "),
                    m.extra_beyond
                )?;
            }
        }
    }
    Ok(())
}
