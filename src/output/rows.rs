//! The rows of each command's parts (`part.jsonl`, see [`super::partial`]): what a shard found,
//! written so that a merge reads back exactly the same values (floats as their IEEE-754 bits).
//! One pair of functions per kind of row: `*_json` writes it, `*_of` reads it back (`None` when
//! the row is malformed, which the merge reports with the part's name).

use serde_json::{json, Value};

use crate::analysis::compare::Outcome;
use crate::analysis::link_loss::PairLoss;
use crate::analysis::restore::RouteRestore;
use crate::sim::reliability::Sample;

use super::partial::{bits, float};

/// A pair's best path and the cost of losing each link of it, as a part's row holds it.
pub fn pair_loss_json(r: &PairLoss) -> Value {
    json!({
        "pair": r.pair,
        "cost": bits(r.cost),
        "arcs": r.arcs,
        "lost": r.lost.iter().map(|&(l, c)| json!([l, bits(c)])).collect::<Vec<_>>(),
    })
}

/// One route's restore analysis as a part's row holds it (floats as their bits).
pub fn restore_json(r: &RouteRestore) -> Value {
    let floats = |v: &[f64]| v.iter().map(|&x| bits(x)).collect::<Vec<_>>();
    json!({
        "base_cost": bits(r.base_cost),
        "all_cost": bits(r.all_cost),
        "unreachable_cost": bits(r.unreachable_cost),
        "restoring_sets": r.restoring_sets,
        "restoring_costs": floats(&r.restoring_costs),
        "improved_by": r.improved_by.iter().map(|v| v.iter().map(|(i, c)| json!([i, bits(*c)])).collect::<Vec<_>>()).collect::<Vec<_>>(),
        "threshold_sets": r.threshold_sets.iter().map(|(s, c)| json!([s, bits(*c)])).collect::<Vec<_>>(),
        "shapley": floats(&r.shapley),
        "shapley_std_error": floats(&r.shapley_std_error),
        "reach_share": floats(&r.reach_share),
        "synergies": r.synergies,
        "shortening": r.shortening.iter().map(|(i, c)| json!([i, bits(*c)])).collect::<Vec<_>>(),
        "sampled": r.sampled,
    })
}

/// A route's restore analysis back from [`restore_json`]; `None` when the row is malformed.
pub fn restore_of(v: &Value) -> Option<RouteRestore> {
    let floats = |k: &str| -> Option<Vec<f64>> { v[k].as_array()?.iter().map(float).collect() };
    let sets = |x: &Value| -> Option<Vec<usize>> {
        x.as_array()?
            .iter()
            .map(|i| i.as_u64().map(|i| i as usize))
            .collect()
    };
    let index_float = |x: &Value| Some((x[0].as_u64()? as usize, float(&x[1])?));
    Some(RouteRestore {
        base_cost: float(&v["base_cost"])?,
        all_cost: float(&v["all_cost"])?,
        unreachable_cost: float(&v["unreachable_cost"])?,
        restoring_sets: v["restoring_sets"]
            .as_array()?
            .iter()
            .map(sets)
            .collect::<Option<_>>()?,
        restoring_costs: floats("restoring_costs")?,
        improved_by: v["improved_by"]
            .as_array()?
            .iter()
            .map(|x| x.as_array()?.iter().map(index_float).collect())
            .collect::<Option<_>>()?,
        threshold_sets: v["threshold_sets"]
            .as_array()?
            .iter()
            .map(|x| Some((sets(&x[0])?, float(&x[1])?)))
            .collect::<Option<_>>()?,
        shapley: floats("shapley")?,
        shapley_std_error: floats("shapley_std_error")?,
        reach_share: floats("reach_share")?,
        synergies: v["synergies"]
            .as_array()?
            .iter()
            .map(|x| Some((x[0].as_u64()? as usize, x[1].as_u64()? as usize)))
            .collect::<Option<_>>()?,
        shortening: v["shortening"]
            .as_array()?
            .iter()
            .map(index_float)
            .collect::<Option<_>>()?,
        sampled: v["sampled"].as_bool()?,
    })
}

/// One (route, scenario) evaluation as a part's row holds it (floats as their bits).
pub fn outcome_json(o: &Outcome) -> Value {
    json!({
        "reachable": o.reachable,
        "km": bits(o.km),
        "hours": bits(o.hours),
        "usd_per_t": bits(o.usd_per_t),
        "cost": bits(o.cost),
        "borders": o.borders,
        "countries": o.countries,
        "places": o.places,
        "transfers": o.transfers,
        "summary": o.summary,
    })
}

/// An evaluation back from [`outcome_json`]; `None` when the row is malformed.
pub fn outcome_of(v: &Value) -> Option<Outcome> {
    let strings = |k: &str| serde_json::from_value::<Vec<String>>(v[k].clone()).ok();
    Some(Outcome {
        reachable: v["reachable"].as_bool()?,
        km: float(&v["km"])?,
        hours: float(&v["hours"])?,
        usd_per_t: float(&v["usd_per_t"])?,
        cost: float(&v["cost"])?,
        borders: strings("borders")?,
        countries: strings("countries")?,
        places: strings("places")?,
        transfers: v["transfers"].as_u64()? as usize,
        summary: v["summary"].as_str()?.to_string(),
    })
}

/// A pair's best path and losses back from [`pair_loss_json`]; `None` when the row is malformed.
pub fn pair_loss_of(r: &Value) -> Option<PairLoss> {
    let u32_of = |v: &Value| v.as_u64().and_then(|x| u32::try_from(x).ok());
    Some(PairLoss {
        pair: u32_of(&r["pair"])?,
        cost: float(&r["cost"])?,
        arcs: r["arcs"]
            .as_array()?
            .iter()
            .map(u32_of)
            .collect::<Option<_>>()?,
        lost: r["lost"]
            .as_array()?
            .iter()
            .map(|x| Some((u32_of(&x[0])?, float(&x[1])?)))
            .collect::<Option<_>>()?,
    })
}

/// One draw's samples of a part's row: `[cost, hours]` bits or `null` per route.
pub fn draw_of(row: &Value, routes: usize) -> Option<Vec<Option<Sample>>> {
    let mut text = row["samples"].as_str()?;
    let mut out = Vec::with_capacity(routes);
    while !text.is_empty() {
        if let Some(rest) = text.strip_prefix('-') {
            out.push(None);
            text = rest;
            continue;
        }
        let word = |t: &str| u64::from_str_radix(t, 16).ok().map(f64::from_bits);
        out.push(Some(Sample {
            cost: word(text.get(..16)?)?,
            hours: word(text.get(16..32)?)?,
        }));
        text = &text[32..];
    }
    (out.len() == routes).then_some(out)
}

/// One draw's samples as a part stores them, compactly: per route `-` (unreachable) or the bits
/// of its cost and hours as 16 hex digits each.
pub fn encode_draw(draw: &[Option<Sample>]) -> String {
    let mut out = String::with_capacity(draw.len() * 32);
    for s in draw {
        match s {
            None => out.push('-'),
            Some(s) => {
                out.push_str(&format!(
                    "{:016x}{:016x}",
                    s.cost.to_bits(),
                    s.hours.to_bits()
                ));
            }
        }
    }
    out
}
