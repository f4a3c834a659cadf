//! Tables of a run's answers as CSV and JSON: the comparison, the restoration sets and Shapley
//! values, and the claims' verdicts. Numbers are rounded for people (km to 0.1, hours to 0.01,
//! USD/t to 0.01, Shapley values to 0.001) and written as numbers; unreachable cells are empty in
//! CSV and `null` in JSON. Column lists are documented in `output/README.md`.

use std::fmt::Write as _;
use std::path::Path;

use serde_json::{json, Value};

use crate::analysis::claims::ClaimResult;
use crate::analysis::compare::Cell;
use crate::analysis::study::RestoreReport;
use crate::routing::HOURS_COLUMN;
use crate::scenario::TradeRoute;

use super::{write_atomic, OutputError};

use crate::format::num as csv_number;
use crate::format::round;

/// Writes `header` and `rows` as CSV to `path`, atomically.
///
/// # Errors
/// [`OutputError`] naming the file.
pub fn write_csv(path: &Path, header: &[&str], rows: &[Vec<String>]) -> Result<(), OutputError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let err = |e: csv::Error| OutputError::InvalidData {
        path: path.to_path_buf(),
        message: e.to_string(),
    };
    w.write_record(header).map_err(err)?;
    for r in rows {
        w.write_record(r).map_err(err)?;
    }
    let bytes = w.into_inner().map_err(|e| OutputError::InvalidData {
        path: path.to_path_buf(),
        message: e.to_string(),
    })?;
    write_atomic(path, &bytes)
}

/// Writes pretty JSON with a final newline.
pub fn write_json(path: &Path, value: &Value) -> Result<(), OutputError> {
    let mut text = serde_json::to_string_pretty(value).map_err(|e| OutputError::InvalidData {
        path: path.to_path_buf(),
        message: e.to_string(),
    })?;
    text.push('\n');
    write_atomic(path, text.as_bytes())
}

/// `compare.csv` and `compare.json`.
pub fn write_compare(dir: &Path, metric: &str, cells: &[Cell]) -> Result<(), OutputError> {
    let rows: Vec<Vec<String>> = cells
        .iter()
        .map(|c| {
            let o = &c.outcome;
            vec![
                c.route.clone(),
                c.scenario.clone(),
                c.base.clone().unwrap_or_default(),
                o.reachable.to_string(),
                csv_number(o.km, 1),
                csv_number(o.hours, 2),
                csv_number(o.usd_per_t, 2),
                if o.reachable {
                    o.borders.len().to_string()
                } else {
                    String::new()
                },
                o.transfers.to_string(),
                o.countries.join("|"),
                c.change.as_str().to_string(),
                c.explanation.clone(),
            ]
        })
        .collect();
    write_csv(
        &dir.join("compare.csv"),
        &[
            "route",
            "scenario",
            "base",
            "reachable",
            "km",
            HOURS_COLUMN,
            "usd_per_t",
            "borders",
            "transfers",
            "countries",
            "change",
            "explanation",
        ],
        &rows,
    )?;
    let cells_json: Vec<Value> = cells
        .iter()
        .map(|c| {
            let o = &c.outcome;
            json!({
                "route": c.route,
                "scenario": c.scenario,
                "base": c.base,
                "reachable": o.reachable,
                "km": round(o.km, 1),
                HOURS_COLUMN: round(o.hours, 2),
                "usd_per_t": round(o.usd_per_t, 2),
                "borders": o.borders,
                "countries": o.countries,
                "transfers": o.transfers,
                "change": c.change.as_str(),
                "explanation": c.explanation,
                "summary": o.summary,
            })
        })
        .collect();
    write_json(
        &dir.join("compare.json"),
        &json!({"metric": metric, "cells": cells_json}),
    )
}

/// Project names of a set of project indices (`{}` for the empty set).
pub fn set_name(projects: &[String], set: &[usize]) -> String {
    if set.is_empty() {
        "{}".to_string()
    } else {
        set.iter()
            .map(|&i| projects[i].as_str())
            .collect::<Vec<_>>()
            .join("+")
    }
}

/// `restore_sets.csv`, `shapley.csv`, `restore_totals.csv` and `restore.json`.
pub fn write_restore(
    dir: &Path,
    metric: &str,
    unit: &str,
    report: &RestoreReport,
    routes: &[TradeRoute],
) -> Result<(), OutputError> {
    let p = &report.projects;
    let mut sets = Vec::new();
    let mut shapley = Vec::new();
    let mut routes_json = Vec::new();
    for (route, r) in routes.iter().zip(&report.routes) {
        for ((s, cost), better) in r
            .restoring_sets
            .iter()
            .zip(&r.restoring_costs)
            .zip(&r.improved_by)
        {
            sets.push(vec![
                route.id.clone(),
                "restores".into(),
                set_name(p, s),
                report.set_kinds(s),
                s.len().to_string(),
                csv_number(*cost, 3),
                metric.to_string(),
            ]);
            for &(i, cost) in better {
                let larger: Vec<usize> = s.iter().copied().chain([i]).collect();
                sets.push(vec![
                    route.id.clone(),
                    "restores_shorter".into(),
                    set_name(p, &larger),
                    report.set_kinds(&larger),
                    larger.len().to_string(),
                    csv_number(cost, 3),
                    metric.to_string(),
                ]);
            }
        }
        for (s, cost) in &r.threshold_sets {
            sets.push(vec![
                route.id.clone(),
                "within_threshold".into(),
                set_name(p, s),
                report.set_kinds(s),
                s.len().to_string(),
                csv_number(*cost, 3),
                metric.to_string(),
            ]);
        }
        for &(i, cost) in &r.shortening {
            sets.push(vec![
                route.id.clone(),
                "shortens".into(),
                p[i].clone(),
                report.members[i].kind.to_string(),
                "1".into(),
                csv_number(cost, 3),
                metric.to_string(),
            ]);
        }
        let gain = super::report::gain_shares(r);
        for (i, name) in p.iter().enumerate() {
            shapley.push(vec![
                route.id.clone(),
                name.clone(),
                csv_number(r.shapley[i], 3),
                csv_number(r.shapley_std_error[i], 3),
                csv_number(r.reach_share[i], 4),
                csv_number(gain[i], 4),
                metric.to_string(),
            ]);
        }
        routes_json.push(json!({
            "route": route.id,
            "base_cost": round(r.base_cost, 3),
            "all_cost": round(r.all_cost, 3),
            "unreachable_cost": round(r.unreachable_cost, 3),
            "restoring_sets": r.restoring_sets.iter().zip(&r.restoring_costs).zip(&r.improved_by).map(|((s, c), better)| json!({"projects": s.iter().map(|&i| p[i].clone()).collect::<Vec<_>>(), "kinds": s.iter().map(|&i| report.members[i].kind).collect::<Vec<_>>(), "cost": round(*c, 3), "shortened_by": better.iter().map(|&(i, c)| json!({"project": p[i], "kind": report.members[i].kind, "cost": round(c, 3)})).collect::<Vec<_>>()})).collect::<Vec<_>>(),
            "threshold_sets": r.threshold_sets.iter().map(|(s, c)| json!({"projects": s.iter().map(|&i| p[i].clone()).collect::<Vec<_>>(), "kinds": s.iter().map(|&i| report.members[i].kind).collect::<Vec<_>>(), "cost": round(*c, 3)})).collect::<Vec<_>>(),
            "shortened_by": r.shortening.iter().map(|&(i, c)| json!({"project": p[i], "kind": report.members[i].kind, "cost": round(c, 3)})).collect::<Vec<_>>(),
            "shapley": p.iter().enumerate().map(|(i, name)| json!({"project": name, "value": round(r.shapley[i], 3), "std_error": round(r.shapley_std_error[i], 3), "reach_share": round(r.reach_share[i], 4)})).collect::<Vec<_>>(),
            "synergies": r.synergies.iter().map(|&(a, b)| [p[a].clone(), p[b].clone()]).collect::<Vec<_>>(),
            "sampled": r.sampled,
        }));
    }
    let slug = super::critical::unit_slug(unit);
    let cost_col = format!("cost_{slug}");
    write_csv(
        &dir.join("restore_sets.csv"),
        &[
            "route",
            "kind",
            "projects",
            "project_kinds",
            "size",
            &cost_col,
            "metric",
        ],
        &sets,
    )?;
    let shapley_col = format!("shapley_{slug}");
    let error_col = format!("std_error_{slug}");
    write_csv(
        &dir.join("shapley.csv"),
        &[
            "route",
            "project",
            &shapley_col,
            &error_col,
            "reach_share",
            "gain_share",
            "metric",
        ],
        &shapley,
    )?;
    let weights: Vec<(&crate::analysis::restore::RouteRestore, f64)> = routes
        .iter()
        .zip(&report.routes)
        .map(|(route, r)| (r, route.demand_t_per_year.unwrap_or(1.0)))
        .collect();
    let totals = crate::analysis::restore::totals(&weights, p.len());
    let total_rows: Vec<Vec<String>> = p
        .iter()
        .zip(&totals)
        .map(|(name, (value, restores))| {
            vec![
                name.clone(),
                csv_number(*value, 3),
                restores.to_string(),
                metric.to_string(),
            ]
        })
        .collect();
    let weighted_col = format!("shapley_weighted_{slug}");
    write_csv(
        &dir.join("restore_totals.csv"),
        &["project", &weighted_col, "routes_restored", "metric"],
        &total_rows,
    )?;
    write_json(
        &dir.join("restore.json"),
        &json!({
            "base": report.base,
            "metric": metric,
            "unit": unit,
            "projects": p,
            "members": report.members.iter().map(|m| json!({"id": m.id, "name": m.name, "kind": m.kind, "opens": m.opens, "rules": m.rules})).collect::<Vec<_>>(),
            "threshold_pct": report.options.threshold_pct,
            "unreachable_factor": report.options.unreachable_factor,
            "seed": report.options.seed,
            "routes": routes_json,
            "totals": p.iter().zip(&totals).map(|(name, (v, n))| json!({"project": name, "shapley_weighted": round(*v, 3), "routes_restored": n})).collect::<Vec<_>>(),
        }),
    )
}

/// `claims.csv` and `claims.json`.
pub fn write_claims(dir: &Path, results: &[ClaimResult]) -> Result<(), OutputError> {
    let rows: Vec<Vec<String>> = results
        .iter()
        .map(|r| {
            vec![
                r.claim.id.clone(),
                r.verdict.as_str().to_string(),
                r.held_in_baseline.to_string(),
                r.why.clone(),
                r.claim.scenarios.join("|"),
                r.figures.join(" / "),
            ]
        })
        .collect();
    write_csv(
        &dir.join("claims.csv"),
        &[
            "claim",
            "verdict",
            "held_in_baseline",
            "why",
            "scenarios",
            "figures",
        ],
        &rows,
    )?;
    let list: Vec<Value> = results
        .iter()
        .map(|r| {
            json!({
                "claim": r.claim.id,
                "speaker": r.claim.speaker,
                "quote": r.claim.quote,
                "verdict": r.verdict.as_str(),
                "held_in_baseline": r.held_in_baseline,
                "why": r.why,
                "scenarios": r.claim.scenarios,
                "routes": r.claim.routes,
                "figures": r.figures,
            })
        })
        .collect();
    write_json(&dir.join("claims.json"), &json!({"claims": list}))
}

/// The terminal's table of compare: per route, each scenario's figures and what changed.
pub fn text_compare(cells: &[Cell]) -> String {
    let mut s = String::new();
    let w = &mut s;
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
                let _ = writeln!(w);
            }
            let _ = writeln!(w, "{}", c.route);
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
        let _ = writeln!(w, "  {:<width$}  {figures}  {change}", c.scenario);
    }
    if !cells.is_empty() {
        let _ = writeln!(w, "\n{}", crate::routing::HOURS_NOTE);
    }
    s
}

/// Per route: base state, minimal restoring sets, sets within the threshold; then the credit.
pub fn text_restore(report: &RestoreReport, routes: &[TradeRoute], unit: &str) -> String {
    let mut s = String::new();
    let w = &mut s;
    let p = &report.projects;
    let _ = writeln!(
        w,
        "{} candidate projects over {} (costs in {unit}{}; within {} % of the best with all open)",
        p.len(),
        report.base,
        if unit == "h" {
            ", running time plus dwell"
        } else {
            ""
        },
        report.options.threshold_pct
    );
    for (route, r) in routes.iter().zip(&report.routes) {
        let _ = writeln!(w);
        let base = if r.base_cost.is_finite() {
            format!("reachable in {} ({:.1})", report.base, r.base_cost)
        } else {
            format!("unreachable in {}", report.base)
        };
        let _ = writeln!(w, "{}: {base}", route.id);
        if !r.all_cost.is_finite() {
            let _ = writeln!(w, "  no candidate set restores it");
            continue;
        }
        if r.base_cost.is_infinite() {
            let _ = writeln!(w, "  restored by (each set alone suffices):");
            for ((s, cost), better) in r
                .restoring_sets
                .iter()
                .zip(&r.restoring_costs)
                .zip(&r.improved_by)
            {
                let _ = writeln!(w, "    - {} ({cost:.1})", report.set_label(s));
                for &(i, c) in better {
                    let _ = writeln!(
                        w,
                        "        and with {} as well: {c:.1} ({:.0} % less)",
                        report.members[i].label(),
                        100.0 * (1.0 - c / cost)
                    );
                }
            }
        } else if !r.shortening.is_empty() {
            let parts: Vec<String> = r
                .shortening
                .iter()
                .map(|&(i, c)| {
                    format!(
                        "{} [{}] {:.1} -> {c:.1} (-{:.0} %)",
                        p[i],
                        report.members[i].kind,
                        r.base_cost,
                        r.saving_pct(c)
                    )
                })
                .collect();
            let _ = writeln!(w, "  shortened (not restored) by: {}", parts.join(", "));
        }
        let within: Vec<String> = r
            .threshold_sets
            .iter()
            .map(|(s, c)| {
                if s.is_empty() {
                    format!("no project needed ({c:.1})")
                } else {
                    format!("{} ({c:.1})", set_name(p, s))
                }
            })
            .collect();
        let _ = writeln!(
            w,
            "  best with all: {:.1}; within threshold: {}",
            r.all_cost,
            within.join(" | ")
        );
        if !r.synergies.is_empty() {
            let pairs: Vec<String> = r
                .synergies
                .iter()
                .map(|&(a, b)| format!("{}+{}", p[a], p[b]))
                .collect();
            let _ = writeln!(w, "  only together: {}", pairs.join(", "));
        }
        let shares = super::report::gain_shares(r);
        let mut credit: Vec<(usize, f64)> = shares
            .iter()
            .copied()
            .enumerate()
            .filter(|&(_, v)| v.abs() >= 0.005)
            .collect();
        credit.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        credit.truncate(4);
        if !credit.is_empty() {
            let parts: Vec<String> = credit
                .iter()
                .map(|&(i, v)| format!("{} {:.0} %", p[i], 100.0 * v))
                .collect();
            let what = if r.base_cost.is_infinite() {
                "restoring it (Shapley shares of the reachability game)"
            } else {
                "the saving with every candidate open (Shapley shares)"
            };
            let _ = writeln!(w, "  credit for {what}: {}", parts.join(", "));
        }
    }
    s
}
