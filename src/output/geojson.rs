//! GeoJSON layers for QGIS and GDAL: `nodes` (Points), `links` (LineStrings, one status column
//! per scenario), `routes` (one LineString per route, scenario and alternative) and link metric
//! layers such as `criticality` and `flows` (LineStrings with numeric columns), and `projects`
//! (one LineString per unblocking project and link it opens).
//!
//! Every layer is a FeatureCollection whose `name` is the layer name, with one feature per line
//! (readable diffs), WGS84 coordinates rounded to [`COORD_DECIMALS`] decimals, no `crs` member,
//! and the same property keys in the same order on every feature: an absent value is `null`, so
//! that GDAL infers one type per column (a float column is always written with a decimal point,
//! an integer column never).

use std::path::Path;

use serde_json::{json, Map, Value};

use crate::network::{LinkId, LonLat, Mode, Network, NodeId};
use crate::scenario::{Dataset, ResolvedScenario, Target};

use super::{write_atomic_with, OutputError};

/// Decimals kept in coordinates: 1e-6 degree is about 0.1 m, finer than any source.
pub const COORD_DECIMALS: i32 = 6;

/// The column holding a scenario's state in a layer: `<prefix>_<id>` with the id's hyphens turned
/// into underscores (`status_meghri_rail`), so that the name needs no quoting in QGIS expressions
/// and survives export to formats that reject hyphens. Ids never contain underscores, so distinct
/// ids give distinct names.
pub fn scenario_field(prefix: &str, scenario_id: &str) -> String {
    format!("{prefix}_{}", scenario_id.replace('-', "_"))
}

/// A route found under a scenario, as the analyses hand it to the `routes` layer.
///
/// # Units
/// `km` kilometres, `hours` hours, `usd_per_t` US dollars per tonne.
#[derive(Debug, Clone, PartialEq)]
pub struct RouteRecord {
    /// Trade route id (`baku-nakhchivan-rail`).
    pub route: String,
    /// Scenario id (`meghri-rail`).
    pub scenario: String,
    /// 0 for the best path, 1.. for the alternatives in order.
    pub alternative: u32,
    /// The path's geometry, origin to destination, at least two positions.
    pub path: Vec<LonLat>,
    pub km: f64,
    pub hours: f64,
    pub usd_per_t: f64,
    /// Border crossings passed.
    pub borders: u32,
    /// One line for people ("via Meghri: 1 border, 2 gauge changes").
    pub summary: String,
}

impl RouteRecord {
    /// The feature id: `<route>@<scenario>/<alternative>`, stable across runs.
    pub fn id(&self) -> String {
        format!("{}@{}/{}", self.route, self.scenario, self.alternative)
    }
}

/// A layer of links carrying numbers from an analysis (criticality, flows): one LineString per
/// link that has a value in any column.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkMetricLayer {
    /// Layer name and file stem (`criticality`).
    pub name: String,
    /// The scenario the numbers belong to.
    pub scenario: String,
    /// Numeric columns in order: name (with its unit, `flow_t_per_day`) and one value per link,
    /// indexed by [`LinkId`](crate::network::LinkId); `None` where the analysis gives none.
    pub columns: Vec<(String, Vec<Option<f64>>)>,
}

/// Writes the `nodes` layer: every place as a Point with all its properties, border crossings'
/// per-mode state and, per scenario, `crossing_<scenario>` (see [`crossing_state`]).
///
/// # Errors
/// [`OutputError`] naming `path` when a scenario's masks do not match the network or the file
/// cannot be written.
pub fn write_nodes(
    path: &Path,
    network: &Network,
    scenarios: &[ResolvedScenario],
) -> Result<(), OutputError> {
    for s in scenarios {
        check_masks(path, network, s)?;
    }
    let features = network.node_ids().map(|id| {
        let n = network.node(id);
        let border = n.border.as_ref();
        let mut p = Map::new();
        p.insert("id".into(), json!(n.id));
        p.insert("name".into(), json!(n.name));
        p.insert(
            "aliases".into(),
            joined(n.aliases.iter().map(String::as_str)),
        );
        p.insert("country".into(), json!(n.country.as_str()));
        p.insert("region".into(), json!(n.region));
        p.insert("kind".into(), json!(n.kind.as_str()));
        p.insert("population".into(), json!(n.population));
        p.insert(
            "coord_confidence".into(),
            json!(n.coord_confidence.as_str()),
        );
        let transfers = [
            (n.transfers.gauge, "gauge"),
            (n.transfers.transship, "transship"),
        ];
        p.insert(
            "transfers".into(),
            joined(transfers.iter().filter(|t| t.0).map(|t| t.1)),
        );
        p.insert(
            "countries".into(),
            json!(border.map(|b| format!("{}|{}", b.countries[0], b.countries[1]))),
        );
        let open = |m: Option<&crate::network::CrossingMode>| {
            m.map(|m| if m.open { "open" } else { "closed" })
        };
        p.insert(
            "status_rail".into(),
            json!(border.and_then(|b| open(b.rail.as_ref()))),
        );
        p.insert(
            "status_road".into(),
            json!(border.and_then(|b| open(b.road.as_ref()))),
        );
        p.insert(
            "dwell_h_rail".into(),
            real(border.and_then(|b| b.rail).map(|m| m.dwell_h), 2),
        );
        p.insert(
            "dwell_h_road".into(),
            real(border.and_then(|b| b.road).map(|m| m.dwell_h), 2),
        );
        p.insert(
            "fee_usd_per_t".into(),
            real(border.map(|b| b.fee_usd_per_t), 2),
        );
        p.insert("source".into(), json!(n.source));
        p.insert("note".into(), json!(n.note));
        for s in scenarios {
            p.insert(
                scenario_field("crossing", &s.id),
                json!(crossing_state(network, s, id)),
            );
        }
        feature(point(n.position), p)
    });
    write_layer(path, "nodes", features)
}

/// A border crossing's state under a scenario: `open` (every mode it has), `closed` (none),
/// `rail_only` or `road_only`; `None` for a place that is not a crossing.
pub fn crossing_state(
    network: &Network,
    scenario: &ResolvedScenario,
    node: crate::network::NodeId,
) -> Option<&'static str> {
    let b = network.node(node).border.as_ref()?;
    let [rail, road] = scenario.crossing_open[node.index()];
    let rail = b.rail.is_some() && rail;
    let road = b.road.is_some() && road;
    let all = (b.rail.is_none() || rail) && (b.road.is_none() || road);
    Some(match (rail, road) {
        _ if all => "open",
        (true, false) => "rail_only",
        (false, true) => "road_only",
        _ => "closed",
    })
}

/// Writes the `links` layer: every link as a LineString with all its properties and, per
/// scenario, `status_<scenario>` = `open` or `closed` from the scenario's link mask.
///
/// # Errors
/// [`OutputError`] naming `path` when a scenario's masks do not match the network or the file
/// cannot be written.
pub fn write_links(
    path: &Path,
    network: &Network,
    scenarios: &[ResolvedScenario],
) -> Result<(), OutputError> {
    for s in scenarios {
        check_masks(path, network, s)?;
    }
    let features = network.link_ids().map(|id| {
        let l = network.link(id);
        let mut p = Map::new();
        p.insert("id".into(), json!(l.id));
        p.insert("from".into(), json!(network.node(l.from).id));
        p.insert("to".into(), json!(network.node(l.to).id));
        p.insert("mode".into(), json!(l.mode.as_str()));
        p.insert("status".into(), json!(l.status.as_str()));
        p.insert("name".into(), json!(l.name));
        p.insert("line".into(), json!(l.line));
        p.insert("gauge_mm".into(), json!(l.gauge_mm));
        p.insert("dual_gauge".into(), json!(l.dual_gauge));
        let carries = [(l.carries.rail, "rail"), (l.carries.road, "road")];
        p.insert(
            "carries".into(),
            joined(carries.iter().filter(|c| c.0).map(|c| c.1)),
        );
        p.insert("tracks".into(), json!(l.tracks));
        p.insert("electrified".into(), json!(l.electrified));
        p.insert("speed_kmh".into(), real(l.speed_kmh, 1));
        p.insert("length_km".into(), real(Some(l.length_km), 3));
        p.insert("published_length_km".into(), real(l.published_length_km, 3));
        p.insert("geodesic_km".into(), real(Some(l.geodesic_km), 3));
        p.insert("length_note".into(), json!(l.length_note));
        p.insert("capacity".into(), real(l.capacity_t_per_day, 1));
        p.insert("headway_h".into(), real(l.headway_h, 2));
        p.insert("oneway".into(), json!(l.oneway));
        p.insert("country".into(), json!(l.country.map(|c| c.to_string())));
        p.insert("source".into(), json!(l.source));
        p.insert("note".into(), json!(l.note));
        for s in scenarios {
            let state = if s.link_open[id.index()] {
                "open"
            } else {
                "closed"
            };
            p.insert(scenario_field("status", &s.id), json!(state));
        }
        feature(line_string(&l.geometry), p)
    });
    write_layer(path, "links", features)
}

/// An unblocking project (a scenario marked `project`) and what it opens.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectLinks {
    pub id: String,
    pub name: String,
    /// `link` when it opens links or crossings, `policy` when it only changes access rules.
    pub kind: &'static str,
    /// The links it opens against its base (or the data's statuses), with the links that touch
    /// a crossing it opens, in link order.
    pub links: Vec<LinkId>,
}

/// The projects of a data folder, in file order, with the links each opens: those open under
/// the project and closed under its base, and those carrying the opened mode into a crossing it
/// opens.
pub fn project_links(data: &Dataset) -> Vec<ProjectLinks> {
    let net = &data.network;
    data.scenarios
        .projects()
        .map(|p| {
            let opened = data.resolve(&p.id);
            let base = match &p.base {
                Some(b) => data.resolve(b),
                None => Some(ResolvedScenario::as_loaded(net)),
            };
            let crossings: Vec<(NodeId, Option<Mode>)> = p
                .open
                .iter()
                .filter_map(|t| match t {
                    Target::Crossing(n, m) => Some((*n, *m)),
                    Target::Link(_) => None,
                })
                .collect();
            let links: Vec<LinkId> = net
                .link_ids()
                .filter(|&id| {
                    let l = net.link(id);
                    let newly = match (&opened, &base) {
                        (Some(o), Some(b)) => o.link_open[id.index()] && !b.link_open[id.index()],
                        _ => false,
                    };
                    // A crossing opened for one mode: the links that carry it there.
                    let at_crossing = crossings.iter().any(|&(n, m)| {
                        (l.from == n || l.to == n)
                            && match m {
                                None => true,
                                Some(Mode::Rail) => l.carries.rail,
                                Some(Mode::Road) => l.carries.road,
                                Some(Mode::Ferry) => l.mode == Mode::Ferry,
                            }
                    });
                    newly || p.open.contains(&Target::Link(id)) || at_crossing
                })
                .collect();
            ProjectLinks {
                id: p.id.clone(),
                name: p.name.clone(),
                kind: if p.open.is_empty() && links.is_empty() {
                    "policy"
                } else {
                    "link"
                },
                links,
            }
        })
        .collect()
}

/// Writes the `projects` layer: one LineString per project and link it opens (a project that
/// opens no link has no feature), with `id` (`<project>/<link>`), `project`, `name`, `kind`,
/// `link`, `link_name`, `mode`, `status` (the link's status in the data).
///
/// # Errors
/// [`OutputError::Io`] when the file cannot be written.
pub fn write_projects(
    path: &Path,
    network: &Network,
    projects: &[ProjectLinks],
) -> Result<(), OutputError> {
    let features = projects.iter().flat_map(|p| {
        p.links.iter().map(move |&id| {
            let l = network.link(id);
            let mut m = Map::new();
            m.insert("id".into(), json!(format!("{}/{}", p.id, l.id)));
            m.insert("project".into(), json!(p.id));
            m.insert("name".into(), json!(p.name));
            m.insert("kind".into(), json!(p.kind));
            m.insert("link".into(), json!(l.id));
            m.insert("link_name".into(), json!(l.name));
            m.insert("mode".into(), json!(l.mode.as_str()));
            m.insert("status".into(), json!(l.status.as_str()));
            feature(line_string(&l.geometry), m)
        })
    });
    write_layer(path, "projects", features)
}

/// Writes the `routes` layer: one LineString per record, in the order given (the caller sorts,
/// so that the file does not depend on the thread count).
///
/// # Errors
/// [`OutputError::InvalidData`] naming `path` and the record when a path has fewer than two
/// positions or a figure is not finite; [`OutputError::Io`] when the file cannot be written.
pub fn write_routes(path: &Path, records: &[RouteRecord]) -> Result<(), OutputError> {
    let mut features = Vec::with_capacity(records.len());
    for r in records {
        if r.path.len() < 2 {
            return Err(OutputError::invalid(
                path,
                format!("route {}: a path needs at least two positions", r.id()),
            ));
        }
        for (what, v) in [("km", r.km), ("hours", r.hours), ("usd_per_t", r.usd_per_t)] {
            if !v.is_finite() {
                return Err(OutputError::invalid(
                    path,
                    format!("route {}: {what} is {v}", r.id()),
                ));
            }
        }
        let mut p = Map::new();
        p.insert("id".into(), json!(r.id()));
        p.insert("route".into(), json!(r.route));
        p.insert("scenario".into(), json!(r.scenario));
        p.insert("alternative".into(), json!(r.alternative));
        p.insert("km".into(), real(Some(r.km), 1));
        p.insert("hours".into(), real(Some(r.hours), 2));
        p.insert("usd_per_t".into(), real(Some(r.usd_per_t), 2));
        p.insert("borders".into(), json!(r.borders));
        p.insert("summary".into(), json!(r.summary));
        features.push(feature(line_string(&r.path), p));
    }
    write_layer(path, "routes", features)
}

/// Writes a link metric layer (criticality, flows): links with a value in any column, with `id`,
/// `mode`, `status`, `name`, `scenario` and the numeric columns (rounded to 4 decimals).
///
/// # Errors
/// [`OutputError::InvalidData`] naming `path` when a column's length differs from the number of
/// links, a value is not finite, or a column repeats a fixed property's name;
/// [`OutputError::Io`] when the file cannot be written.
pub fn write_link_metric(
    path: &Path,
    network: &Network,
    layer: &LinkMetricLayer,
) -> Result<(), OutputError> {
    const FIXED: [&str; 5] = ["id", "mode", "status", "name", "scenario"];
    for (name, values) in &layer.columns {
        if FIXED.contains(&name.as_str()) {
            return Err(OutputError::invalid(
                path,
                format!("column `{name}` repeats a fixed property"),
            ));
        }
        if values.len() != network.links.len() {
            return Err(OutputError::invalid(
                path,
                format!(
                    "column `{name}` has {} values for {} links",
                    values.len(),
                    network.links.len()
                ),
            ));
        }
        if let Some((i, v)) = values
            .iter()
            .enumerate()
            .find_map(|(i, v)| v.filter(|v| !v.is_finite()).map(|v| (i, v)))
        {
            return Err(OutputError::invalid(
                path,
                format!(
                    "column `{name}`: link {} has value {v}",
                    network.links[i].id
                ),
            ));
        }
    }
    // Counts and ranks (named `*_cut`, `*_rank`, `rank` or `*_count`) are written as integers
    // when every value is whole; every other column stays Real whatever its values.
    let integral: Vec<bool> = layer
        .columns
        .iter()
        .map(|(name, v)| {
            let count = name == "rank"
                || name.ends_with("_cut")
                || name.ends_with("_rank")
                || name.ends_with("_count");
            count
                && v.iter()
                    .flatten()
                    .all(|x| x.fract() == 0.0 && x.abs() < 1e15)
        })
        .collect();
    let features = network
        .link_ids()
        .filter(|id| layer.columns.iter().any(|(_, v)| v[id.index()].is_some()))
        .map(|id| {
            let l = network.link(id);
            let mut p = Map::new();
            p.insert("id".into(), json!(l.id));
            p.insert("mode".into(), json!(l.mode.as_str()));
            p.insert("status".into(), json!(l.status.as_str()));
            p.insert("name".into(), json!(l.name));
            p.insert("scenario".into(), json!(layer.scenario));
            for ((name, values), &int) in layer.columns.iter().zip(&integral) {
                let v = values[id.index()];
                p.insert(
                    name.clone(),
                    match v {
                        Some(x) if int => json!(x as i64),
                        _ => real(v, METRIC_DECIMALS),
                    },
                );
            }
            feature(line_string(&l.geometry), p)
        });
    write_layer(path, &layer.name, features)
}

fn check_masks(path: &Path, network: &Network, s: &ResolvedScenario) -> Result<(), OutputError> {
    let (links, nodes) = (network.links.len(), network.nodes.len());
    if s.link_open.len() != links || s.crossing_open.len() != nodes {
        return Err(OutputError::MaskLength {
            path: path.to_path_buf(),
            scenario: s.id.clone(),
            found: s.link_open.len(),
            expected: links,
        });
    }
    Ok(())
}

/// Serializes a FeatureCollection, one feature per line, and writes it atomically, a feature at a
/// time (a large network's layer is never held whole in memory).
fn write_layer(
    path: &Path,
    name: &str,
    features: impl IntoIterator<Item = Value>,
) -> Result<(), OutputError> {
    write_atomic_with(path, |w| {
        w.write_all(b"{\"type\":\"FeatureCollection\",\"name\":")?;
        serde_json::to_writer(&mut *w, name)?;
        w.write_all(b",\"features\":[")?;
        for (i, f) in features.into_iter().enumerate() {
            w.write_all(if i == 0 { b"\n" } else { b",\n" })?;
            serde_json::to_writer(&mut *w, &f)?;
        }
        w.write_all(b"\n]}\n")
    })
}

fn feature(geometry: Value, properties: Map<String, Value>) -> Value {
    json!({"type": "Feature", "geometry": geometry, "properties": properties})
}

fn point(p: LonLat) -> Value {
    json!({"type": "Point", "coordinates": position(p)})
}

fn line_string(points: &[LonLat]) -> Value {
    let coords: Vec<Value> = points.iter().map(|&p| position(p)).collect();
    json!({"type": "LineString", "coordinates": coords})
}

fn position(p: LonLat) -> Value {
    json!([round(p.lon, COORD_DECIMALS), round(p.lat, COORD_DECIMALS)])
}

use crate::format::round_to as round;

/// Decimals of the numeric columns of a link metric layer ([`write_link_metric`]).
pub const METRIC_DECIMALS: i32 = 4;

/// A Real column value: always written with a decimal point (`4.0`), `null` when absent.
fn real(x: Option<f64>, decimals: i32) -> Value {
    match x {
        Some(v) if v.is_finite() => json!(round(v, decimals)),
        _ => Value::Null,
    }
}

/// A `|`-separated list, `null` when empty (lists stay strings, as in the input schema).
fn joined<'a>(items: impl Iterator<Item = &'a str>) -> Value {
    let v: Vec<&str> = items.collect();
    if v.is_empty() {
        Value::Null
    } else {
        json!(v.join("|"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_keeps_six_decimals_and_no_negative_zero() {
        assert_eq!(round(45.123_456_789, 6), 45.123_457);
        assert_eq!(round(-0.000_000_1, 6).to_string(), "0");
        assert_eq!(json!(round(0.1 + 0.2, 6)).to_string(), "0.3");
    }

    #[test]
    fn reals_keep_a_decimal_point_so_gdal_reads_a_real_column() {
        assert_eq!(real(Some(4.0), 2).to_string(), "4.0");
        assert_eq!(real(None, 2), Value::Null);
        assert_eq!(real(Some(f64::NAN), 2), Value::Null);
    }

    #[test]
    fn scenario_fields_need_no_quoting() {
        assert_eq!(
            scenario_field("status", "meghri-rail"),
            "status_meghri_rail"
        );
    }
}
