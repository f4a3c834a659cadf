//! The rows of each command's parts (`part.jsonl`, see [`super::partial`]): what a shard found,
//! written so that a merge reads back exactly the same values (floats as their IEEE-754 bits).
//! One pair of functions per kind of row: `*_json` writes it, `*_of` reads it back (`None` when
//! the row is malformed, which the merge reports with the part's name).

use std::fmt::Write as _;

use serde_json::{json, Value};

use crate::analysis::betweenness::Sums;
use crate::analysis::compare::Outcome;
use crate::analysis::critical::Exposure;
use crate::analysis::link_loss::PairLoss;
use crate::analysis::restore::RouteRestore;
use crate::network::Country;
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

/// Entries of betweenness sums a row holds (a row is one line of `part.jsonl`).
const SUMS_PER_ROW: usize = 1 << 16;

/// A shard's betweenness sums (over its share `sources` of the sources) as rows: one row naming
/// the share, then the node and arc sums in blocks, each sum in hex (fixed point, see
/// [`crate::analysis::betweenness::FRACTION_BITS`]), comma-separated.
pub fn sums_json(sums: &Sums, sources: std::ops::Range<u64>) -> Vec<Value> {
    let mut rows = vec![json!({"betweenness_sources": [sources.start, sources.end]})];
    for (kind, values) in [("node", &sums.node), ("arc", &sums.arc)] {
        for (b, block) in values.chunks(SUMS_PER_ROW).enumerate() {
            let mut text = String::with_capacity(block.len() * 12);
            for (k, x) in block.iter().enumerate() {
                if k > 0 {
                    text.push(',');
                }
                let _ = write!(text, "{x:x}");
            }
            rows.push(json!({"betweenness": kind, "from": b * SUMS_PER_ROW, "sums": text}));
        }
    }
    rows
}

/// Whether a row is one of [`sums_json`]'s.
pub fn is_sums_row(row: &Value) -> bool {
    row.get("betweenness").is_some() || row.get("betweenness_sources").is_some()
}

/// One shard's betweenness sums back from [`sums_json`]'s rows, for a graph of `n` nodes and
/// `m` arcs, with the share of sources they cover; `Err` names what is wrong.
pub fn sums_of(rows: &[Value], n: usize, m: usize) -> Result<(Sums, std::ops::Range<u64>), String> {
    let mut sums = Sums::zeros(n, m);
    let mut filled = (vec![false; n], vec![false; m]);
    let mut sources = None;
    for row in rows {
        if let Some(r) = row.get("betweenness_sources") {
            let (Some(a), Some(b)) = (r[0].as_u64(), r[1].as_u64()) else {
                return Err("a malformed `betweenness_sources` row".into());
            };
            if sources.replace(a..b).is_some() {
                return Err("two `betweenness_sources` rows".into());
            }
            continue;
        }
        let (values, seen) = match row["betweenness"].as_str() {
            Some("node") => (&mut sums.node, &mut filled.0),
            Some("arc") => (&mut sums.arc, &mut filled.1),
            _ => return Err("a betweenness row of no known kind".into()),
        };
        let from = row["from"]
            .as_u64()
            .and_then(|f| usize::try_from(f).ok())
            .ok_or("a betweenness row without `from`")?;
        let text = row["sums"]
            .as_str()
            .ok_or("a betweenness row without `sums`")?;
        for (k, hex) in text.split(',').enumerate() {
            let i = from + k;
            let x = i128::from_str_radix(hex, 16)
                .map_err(|_| format!("betweenness sum {i}: `{hex}` is not a hex number"))?;
            if i >= values.len() || std::mem::replace(&mut seen[i], true) {
                return Err(format!(
                    "betweenness sum {i}: outside the graph's {} or given twice",
                    values.len()
                ));
            }
            values[i] = x;
        }
    }
    let sources = sources.ok_or("no `betweenness_sources` row")?;
    if filled.0.iter().chain(&filled.1).any(|f| !f) {
        return Err("betweenness sums missing for some nodes or arcs".into());
    }
    Ok((sums, sources))
}

/// Trade route `route`'s exposure as a part's row holds it (floats as their bits).
pub fn exposure_json(route: usize, e: &Exposure) -> Value {
    let country = |c: &Option<Country>| c.map(|c| c.as_str().to_string());
    json!({
        "exposure": route,
        "route": e.route,
        "reachable": e.reachable,
        "km": bits(e.km),
        "countries": e.countries.iter().map(|(c, km)| json!([country(c), bits(*km)])).collect::<Vec<_>>(),
        "borders": e.borders,
        "top_transit": country(&e.top_transit),
        "transit_dependency": bits(e.transit_dependency),
    })
}

/// A route's exposure back from [`exposure_json`]; `None` when the row is malformed.
pub fn exposure_of(v: &Value) -> Option<Exposure> {
    let country = |c: &Value| -> Option<Option<Country>> {
        match c {
            Value::Null => Some(None),
            Value::String(s) => Country::parse(s).map(Some),
            _ => None,
        }
    };
    Some(Exposure {
        route: v["route"].as_str()?.to_string(),
        reachable: v["reachable"].as_bool()?,
        km: float(&v["km"])?,
        countries: v["countries"]
            .as_array()?
            .iter()
            .map(|c| Some((country(&c[0])?, float(&c[1])?)))
            .collect::<Option<_>>()?,
        borders: usize::try_from(v["borders"].as_u64()?).ok()?,
        top_transit: country(&v["top_transit"])?,
        transit_dependency: float(&v["transit_dependency"])?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn betweenness_sums_come_back_as_written_and_gaps_are_named() {
        let mut sums = Sums::zeros(3, (1 << 16) + 5);
        sums.node[1] = 7 << 40;
        sums.arc[1 << 16] = 1;
        sums.arc[3] = i128::MAX / 3;
        let rows = sums_json(&sums, 10..20);
        assert_eq!(rows.len(), 4, "the share, a node block, two arc blocks");
        assert!(rows.iter().all(is_sums_row));
        let (back, share) = sums_of(&rows, 3, (1 << 16) + 5).unwrap();
        assert_eq!((back, share), (sums, 10..20));
        let e = sums_of(&rows[..3], 3, (1 << 16) + 5).unwrap_err();
        assert!(e.contains("missing"), "{e}");
        let e = sums_of(&rows[1..], 3, (1 << 16) + 5).unwrap_err();
        assert!(e.contains("betweenness_sources"), "{e}");
        let e = sums_of(&rows, 4, (1 << 16) + 5).unwrap_err();
        assert!(e.contains("missing"), "{e}");
    }

    #[test]
    fn an_exposure_comes_back_as_written() {
        let e = Exposure {
            route: "baku-kars".into(),
            reachable: true,
            km: 1234.5678,
            countries: vec![(Country::parse("AZ"), 500.1), (None, 0.3)],
            borders: 2,
            top_transit: Country::parse("GE"),
            transit_dependency: 0.1 + 0.2,
        };
        let row = exposure_json(4, &e);
        assert_eq!(row["exposure"], 4);
        assert_eq!(exposure_of(&row), Some(e));
        assert_eq!(exposure_of(&json!({"exposure": 4})), None);
    }
}
