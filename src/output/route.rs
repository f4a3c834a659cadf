//! The answer of `corridor route` as data: one JSON object, CSV rows, and the paths as a GeoJSON
//! FeatureCollection of LineStrings (WGS84, 6 decimals), best first.

use std::fmt::Write as _;

use serde_json::{json, Value};

use crate::format::{round_to, thousands};
use crate::network::{Network, NodeId};
use crate::routing::{ArcKind, Path, Query, Router, HOURS_COLUMN};

/// The paths found for one query under one scenario (best first; none when unreachable).
pub struct RouteAnswer<'a> {
    pub net: &'a Network,
    pub router: &'a Router,
    pub scenario: &'a str,
    pub query: &'a Query,
    pub paths: &'a [Path],
}

impl RouteAnswer<'_> {
    /// The one line said when there is no path.
    pub fn unreachable_line(&self) -> String {
        format!(
            "{} -> {} by {}: unreachable under {} for cargo from {}",
            self.net.node(self.query.from).name,
            self.net.node(self.query.to).name,
            self.query.modes.name(),
            self.scenario,
            self.query.cargo
        )
    }

    /// The answer as one JSON object: the query, `reachable`, the best path's figures and
    /// its alternatives.
    pub fn json(&self) -> Value {
        let q = &self.query;
        let mut m = serde_json::Map::new();
        m.insert("from".into(), json!(self.net.node(q.from).id));
        m.insert("to".into(), json!(self.net.node(q.to).id));
        m.insert("scenario".into(), json!(self.scenario));
        m.insert("cargo".into(), json!(q.cargo.to_string()));
        m.insert(
            "to_country".into(),
            json!(q.to_country.map(|c| c.to_string())),
        );
        m.insert("mode".into(), json!(q.modes.name()));
        m.insert("by".into(), json!(q.metric.name()));
        m.insert("reachable".into(), json!(!self.paths.is_empty()));
        match self.paths.first() {
            Some(best) => {
                m.extend(self.path_json(best));
                m.insert(
                    "alternatives".into(),
                    json!(self.paths[1..]
                        .iter()
                        .map(|p| Value::Object(self.path_json(p)))
                        .collect::<Vec<_>>()),
                );
            }
            None => {
                for k in ["km", HOURS_COLUMN, "usd_per_t", "cost"] {
                    m.insert(k.into(), Value::Null);
                }
                for k in ["borders", "countries", "transfers", "nodes", "links"] {
                    m.insert(k.into(), json!([]));
                }
                m.insert("summary".into(), json!(self.unreachable_line()));
                m.insert("alternatives".into(), json!([]));
            }
        }
        Value::Object(m)
    }

    /// The answer as CSV: one row per path (best first, `rank` 0), or one `reachable = false` row when there is none;
    /// every field of the query in each row.
    pub fn csv(&self) -> (Vec<&'static str>, Vec<Vec<String>>) {
        let q = &self.query;
        let header = vec![
            "rank",
            "from",
            "to",
            "scenario",
            "cargo",
            "mode",
            "by",
            "reachable",
            "km",
            HOURS_COLUMN,
            "usd_per_t",
            "cost",
            "borders",
            "transfers",
            "summary",
        ];
        let mut rows = Vec::new();
        let fixed = [
            self.net.node(q.from).id.clone(),
            self.net.node(q.to).id.clone(),
            self.scenario.to_string(),
            q.cargo.to_string(),
            q.modes.name().to_string(),
            q.metric.name().to_string(),
        ];
        if self.paths.is_empty() {
            let mut row = vec![String::new()];
            row.extend(fixed.iter().cloned());
            row.push("false".into());
            row.extend(std::iter::repeat_n(String::new(), 6));
            row.push(self.unreachable_line());
            rows.push(row);
        }
        for (i, p) in self.paths.iter().enumerate() {
            let mut row = vec![i.to_string()];
            row.extend(fixed.iter().cloned());
            row.extend([
                "true".to_string(),
                format!("{:.1}", p.totals.km),
                format!("{:.2}", p.totals.hours),
                format!("{:.2}", p.totals.usd_per_t),
                format!("{:.3}", p.cost),
                p.borders.len().to_string(),
                p.transfers.len().to_string(),
                p.summary.clone(),
            ]);
            rows.push(row);
        }
        (header, rows)
    }

    /// The self.paths as a GeoJSON FeatureCollection of LineStrings (WGS84, 6 decimals), best first.
    pub fn geojson(&self) -> Value {
        let features: Vec<Value> = self
            .paths
            .iter()
            .enumerate()
            .map(|(rank, p)| {
                let coords: Vec<[f64; 2]> = p
                    .geometry(&self.router.graph, self.net)
                    .iter()
                    .map(|pt| [round_to(pt.lon, 6), round_to(pt.lat, 6)])
                    .collect();
                json!({
                    "type": "Feature",
                    "geometry": {"type": "LineString", "coordinates": coords},
                    "properties": {
                        "rank": rank,
                        "from": self.net.node(self.query.from).id,
                        "to": self.net.node(self.query.to).id,
                        "scenario": self.scenario,
                        "cargo": self.query.cargo.to_string(),
                        "km": round_to(p.totals.km, 1),
                        "hours": round_to(p.totals.hours, 2),
                        "usd_per_t": round_to(p.totals.usd_per_t, 2),
                        "borders": p.borders.len(),
                        "summary": p.summary,
                    }
                })
            })
            .collect();
        json!({"type": "FeatureCollection", "name": "routes", "features": features})
    }

    fn path_json(&self, path: &Path) -> serde_json::Map<String, Value> {
        let id = |v: NodeId| self.net.node(v).id.clone();
        let mut m = serde_json::Map::new();
        m.insert("km".into(), json!(round_to(path.totals.km, 1)));
        m.insert(HOURS_COLUMN.into(), json!(round_to(path.totals.hours, 2)));
        m.insert(
            "usd_per_t".into(),
            json!(round_to(path.totals.usd_per_t, 2)),
        );
        m.insert("cost".into(), json!(round_to(path.cost, 3)));
        m.insert(
            "borders".into(),
            json!(path.borders.iter().map(|&b| id(b)).collect::<Vec<_>>()),
        );
        m.insert(
            "countries".into(),
            json!(path
                .countries
                .iter()
                .map(|c| json!({
                    "country": c.country.map_or("sea".to_string(), |c| c.to_string()),
                    "km": round_to(c.km, 1)
                }))
                .collect::<Vec<_>>()),
        );
        m.insert(
            "transfers".into(),
            json!(path
                .transfers
                .iter()
                .map(|t| json!({
                    "node": id(t.node),
                    "kind": if t.kind == ArcKind::GaugeChange { "gauge" } else { "transship" },
                    "from": t.from.as_str(),
                    "to": t.to.as_str(),
                }))
                .collect::<Vec<_>>()),
        );
        m.insert(
            "nodes".into(),
            json!(path.nodes.iter().map(|&v| id(v)).collect::<Vec<_>>()),
        );
        m.insert(
            "links".into(),
            json!(path
                .links
                .iter()
                .map(|&l| self.net.link(l).id.clone())
                .collect::<Vec<_>>()),
        );
        m.insert(
            "penalties".into(),
            json!(path
                .penalties
                .iter()
                .map(|p| json!({
                    "arc_to": id(self.router.graph.arc(p.arc).to),
                    "hours": round_to(p.hours, 2),
                    "usd_per_t": round_to(p.usd_per_t, 2),
                }))
                .collect::<Vec<_>>()),
        );
        m.insert("summary".into(), json!(path.summary));
        m
    }
}

/// One path step by step (an aligned table with running totals), its km by country and the
/// policy penalties it pays.
pub fn text_steps(router: &Router, p: &Path) -> String {
    let mut s = String::new();
    let out = &mut s;
    {
        let steps: Vec<String> = p
            .arcs
            .iter()
            .map(|&a| {
                let arc = router.graph.arc(a);
                match arc.kind {
                    ArcKind::Link { .. } => format!(
                        "{} -> {}",
                        router.place_name(arc.from),
                        router.place_name(arc.to)
                    ),
                    ArcKind::GaugeChange => {
                        format!("gauge change at {}", router.place_name(arc.to))
                    }
                    ArcKind::Transship => format!(
                        "transship {} -> {} at {}",
                        arc.from_layer.as_str(),
                        arc.to_layer.as_str(),
                        router.place_name(arc.to)
                    ),
                }
            })
            .collect();
        // As wide as the longest step, up to 60 characters; longer names end in an ellipsis.
        const MAX_STEP: usize = 60;
        let width = steps
            .iter()
            .map(|s| s.chars().count())
            .max()
            .unwrap_or(4)
            .clamp(4, MAX_STEP);
        let _ = writeln!(
            out,
            "  {:<width$} {:<7} {:>8} {:>8} {:>9}",
            "step", "mode", "km", "h", "USD/t"
        );
        let (mut km, mut h, mut usd) = (0.0, 0.0, 0.0);
        for ((&a, t), step) in p.arcs.iter().zip(&p.arc_totals).zip(&steps) {
            let arc = router.graph.arc(a);
            km += t.km;
            h += t.hours;
            usd += t.usd_per_t;
            let step: String = if step.chars().count() > width {
                step.chars()
                    .take(width - 1)
                    .chain(std::iter::once('…'))
                    .collect()
            } else {
                step.clone()
            };
            let _ = writeln!(
                out,
                "  {:<width$} {:<7} {:>8} {:>8.1} {:>9.2}",
                step,
                arc.mode.as_str(),
                thousands(km),
                h,
                usd
            );
        }
        let countries: Vec<String> = p
            .countries
            .iter()
            .map(|c| {
                format!(
                    "{} {} km",
                    c.country.map_or("sea".to_string(), |c| c.to_string()),
                    thousands(c.km)
                )
            })
            .collect();
        let _ = writeln!(out, "  km by country: {}", countries.join(", "));
        for pen in &p.penalties {
            let _ = writeln!(
                out,
                "  policy penalty entering {}: +{:.1} h, +{:.2} USD/t",
                router.place_name(router.graph.arc(pen.arc).to),
                pen.hours,
                pen.usd_per_t
            );
        }
    }
    s
}
