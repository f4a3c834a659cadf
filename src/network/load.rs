//! Loading and validating `nodes.geojson` and `links.geojson` (schema: `docs/DATA-SCHEMA.md`).
//!
//! The loader reads each file once, checks every feature and reports every problem it finds (not
//! only the first), each naming the file, the feature's index and id, the property and the value.
//! Soft problems come back as [`Warning`]s.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::costs::CostModel;
use super::error::{num, DataError, DataErrors, Warning};
use super::input::{limits, parse_features, split_list, Props, RawFeature};
use super::{
    BorderCrossing, Carries, Confidence, Country, CrossingMode, Link, LinkStatus, LonLat, Mode,
    Network, Node, NodeId, NodeKind, Transfers,
};

/// How far a link's first or last position may lie from its node.
///
/// # Units
/// Metres. Coordinates in the fact sheet carry three decimals (about 100 m); 100 m accepts data
/// rounded to that precision while catching a link attached to the wrong node.
pub const NETWORK_END_TOLERANCE_M: f64 = 100.0;

/// A published length further than this from the geometry's geodesic length is reported.
pub const LENGTH_WARNING_RATIO: f64 = 0.25;

// `analysis::claims` reads its file through this path.
pub(crate) use super::input::read_input;

/// A straight piece of a rail or road geometry longer than this is reported: the line is drawn
/// as a chord rather than along its course. Ferries are exempt (open sea is crossed straight).
///
/// # Units
/// Kilometres.
pub const LONG_SEGMENT_WARNING_KM: f64 = 60.0;

/// Loads `nodes.geojson` and `links.geojson` from `dir`, with border and transfer defaults from
/// `costs`.
///
/// # Errors
/// Every problem found, as [`DataErrors`]; see `docs/DATA-SCHEMA.md` for the rules.
///
/// # Examples
/// ```no_run
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use corridor::network::{load_network, CostModel};
/// let dir = std::path::Path::new("data/caucasus");
/// let costs = CostModel::load(&dir.join("costs.toml"))?;
/// let (network, warnings) = load_network(dir, &costs)?;
/// println!("{} nodes, {} links, {} warnings", network.nodes.len(), network.links.len(), warnings.len());
/// # Ok(()) }
/// ```
pub fn load_network(dir: &Path, costs: &CostModel) -> Result<(Network, Vec<Warning>), DataErrors> {
    let nodes_path = dir.join("nodes.geojson");
    let links_path = dir.join("links.geojson");
    if network_from_cache(dir) {
        // A network too big for GeoJSON's input limit, kept only in the binary cache.
        let path = dir.join(CACHE_FILE);
        return super::cache::read(&path)
            .map(|n| (n, Vec::new()))
            .map_err(|e| {
                DataErrors(vec![DataError::Io {
                    path,
                    message: e.message,
                }])
            });
    }
    let nodes = read_input(&nodes_path);
    let links = read_input(&links_path);
    match (nodes, links) {
        (Ok(nodes), Ok(links)) => {
            if let Some(hit) = cached(dir, &nodes, &links, costs) {
                return Ok(hit);
            }
            parse_network(&nodes_path, &nodes, &links_path, &links, costs)
        }
        (nodes, links) => Err(DataErrors(
            [nodes.err(), links.err()].into_iter().flatten().collect(),
        )),
    }
}

/// The network and warnings of the cache beside the GeoJSON, when the cache says it was parsed
/// from exactly these texts and cost model ([`super::cache::source_digest`]); `None` (parse the
/// GeoJSON) when there is no cache, it cannot be read, or it stands for other inputs.
fn cached(
    dir: &Path,
    nodes: &str,
    links: &str,
    costs: &CostModel,
) -> Option<(Network, Vec<Warning>)> {
    let path = dir.join(CACHE_FILE);
    if !path.is_file() {
        return None;
    }
    let (network, provenance) = super::cache::read_with(&path).ok()?;
    if provenance.source? != super::cache::source_digest(nodes, links, costs) {
        return None;
    }
    let warnings = provenance
        .warnings
        .into_iter()
        .map(|(file, id, message)| Warning {
            path: dir.join(file),
            id,
            message,
        })
        .collect();
    Some((network, warnings))
}

/// The provenance a cache of the network parsed from `nodes` and `links` (the texts of the
/// folder's `nodes.geojson` and `links.geojson`) with `costs` records: their digest and the
/// warnings parsing gave, file names relative to the folder.
pub fn provenance_of(
    nodes: &str,
    links: &str,
    costs: &CostModel,
    warnings: &[Warning],
) -> super::cache::Provenance {
    super::cache::Provenance {
        source: Some(super::cache::source_digest(nodes, links, costs)),
        warnings: warnings
            .iter()
            .map(|w| {
                let file = w.path.file_name().map_or_else(
                    || w.path.display().to_string(),
                    |f| f.to_string_lossy().into_owned(),
                );
                (file, w.id.clone(), w.message.clone())
            })
            .collect(),
    }
}

/// Parses and validates a network from the text of its two files; `nodes_path` and `links_path`
/// only name the files in messages.
///
/// # Errors
/// Every problem found, as [`DataErrors`].
pub fn parse_network(
    nodes_path: &Path,
    nodes_text: &str,
    links_path: &Path,
    links_text: &str,
    costs: &CostModel,
) -> Result<(Network, Vec<Warning>), DataErrors> {
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let nodes = match parse_features(nodes_path, nodes_text) {
        Ok(features) => parse_nodes(nodes_path, &features, costs, &mut errors, &mut warnings),
        Err(e) => {
            errors.push(e);
            Vec::new()
        }
    };
    // Links are checked only against a clean node table: errors about unknown nodes would
    // otherwise drown the real ones.
    let node_errors = !errors.is_empty();
    let links = match parse_features(links_path, links_text) {
        Ok(features) if !node_errors => {
            parse_links(links_path, &features, &nodes, &mut errors, &mut warnings)
        }
        Ok(_) => Vec::new(),
        Err(e) => {
            errors.push(e);
            Vec::new()
        }
    };
    if !errors.is_empty() {
        return Err(DataErrors(errors));
    }
    let network = Network::new(nodes, links);
    for id in network.node_ids() {
        if network.incident_links(id).is_empty() {
            warnings.push(Warning {
                path: nodes_path.to_path_buf(),
                id: network.node(id).id.clone(),
                message: "isolated place: no link touches it".into(),
            });
        }
    }
    Ok((network, warnings))
}

/// One feature: its index, id (if readable), geometry and properties.
/// The checks every feature ends with: unknown properties (a warning) and a duplicate id (an
/// error naming both features).
fn finish_feature(
    path: &Path,
    f: &RawFeature,
    id: Option<&str>,
    unknown: Vec<String>,
    seen: &mut HashMap<String, usize>,
    errors: &mut Vec<DataError>,
    warnings: &mut Vec<Warning>,
) {
    if !unknown.is_empty() {
        warnings.push(Warning {
            path: path.to_path_buf(),
            id: f.id.clone(),
            message: format!("unknown properties ignored: {}", unknown.join(", ")),
        });
    }
    if let Some(id) = id {
        if let Some(&first) = seen.get(id) {
            errors.push(DataError::DuplicateId {
                path: path.to_path_buf(),
                id: id.to_string(),
                first,
                second: f.index,
            });
        } else {
            seen.insert(id.to_string(), f.index);
        }
    }
}

fn check_position(p: &geojson::Position) -> Result<LonLat, String> {
    let s = p.as_slice();
    if s.len() < 2 {
        return Err(format!("position {s:?} has fewer than two numbers"));
    }
    let (lon, lat) = (s[0], s[1]);
    if !lon.is_finite() || !lat.is_finite() {
        return Err(format!(
            "position [{}, {}] is not finite",
            num(lon),
            num(lat)
        ));
    }
    if !(-180.0..=180.0).contains(&lon) || !(-90.0..=90.0).contains(&lat) {
        return Err(format!(
            "position [{}, {}] is outside longitude -180..180 / latitude -90..90 (is it projected, or lat/lon swapped?)",
            num(lon),
            num(lat)
        ));
    }
    Ok(LonLat { lon, lat })
}

const NODE_PROPERTIES_HINT: &[&str] = &["city", "station", "junction", "border", "port"];

fn parse_nodes(
    path: &Path,
    features: &[RawFeature],
    costs: &CostModel,
    errors: &mut Vec<DataError>,
    warnings: &mut Vec<Warning>,
) -> Vec<Node> {
    let mut nodes = Vec::with_capacity(features.len());
    let mut seen: HashMap<String, usize> = HashMap::new();
    for f in features {
        let before = errors.len();
        let mut p = Props::new(path, f, errors);
        let position = match (&f.geometry, &f.geometry_error) {
            (Some(geojson::GeometryValue::Point { coordinates }), _) => {
                match check_position(coordinates) {
                    Ok(ll) => Some(ll),
                    Err(e) => {
                        p.error("geometry", e);
                        None
                    }
                }
            }
            (Some(other), _) => {
                p.error(
                    "geometry",
                    format!("expected a Point, found a {}", other.type_name()),
                );
                None
            }
            (None, Some(e)) => {
                p.error("geometry", e.clone());
                None
            }
            (None, None) => None,
        };
        let id = p.req_id();
        let name = p.req_str("name");
        let aliases = p.opt_str("aliases").map(|s| split_list(&s));
        let country = p.req_str("country").and_then(|s| p.country("country", &s));
        let region = p.opt_str("region");
        let kind = p.req_enum("kind", NODE_PROPERTIES_HINT, NodeKind::parse);
        let population = p.opt_u64("population");
        let confidence = p.req_enum(
            "coord_confidence",
            &["high", "medium", "low"],
            Confidence::parse,
        );
        let mut transfers = Transfers::default();
        if let Some(list) = p.opt_str("transfers") {
            for t in split_list(&list) {
                match t.as_str() {
                    "gauge" => transfers.gauge = true,
                    "transship" => transfers.transship = true,
                    other => p.error(
                        "transfers",
                        format!("unknown transfer {other:?}; expected gauge, transship"),
                    ),
                }
            }
        }
        let source = p.req_str("source");
        let note = p.opt_str("note");
        let countries = p.opt_str("countries");
        let status_rail = p.opt_str("status_rail");
        let status_road = p.opt_str("status_road");
        let dwell_rail = p.opt_positive("dwell_h_rail", true, limits::HOURS);
        let dwell_road = p.opt_positive("dwell_h_road", true, limits::HOURS);
        let fee = p.opt_positive("fee_usd_per_t", true, limits::USD_PER_T);
        let mut border = None;
        if kind == Some(NodeKind::Border) {
            border = parse_border(
                &mut p,
                country,
                countries.as_deref(),
                [status_rail.as_deref(), status_road.as_deref()],
                [dwell_rail, dwell_road],
                fee,
                costs,
            );
        } else if countries.is_some() || status_rail.is_some() || status_road.is_some() {
            warnings.push(Warning {
                path: path.to_path_buf(),
                id: f.id.clone(),
                message: "has border properties but `kind` is not \"border\": they are ignored"
                    .into(),
            });
        }
        let unknown = p.unknown();
        finish_feature(path, f, id.as_deref(), unknown, &mut seen, errors, warnings);
        if errors.len() > before {
            continue;
        }
        let (
            Some(id),
            Some(name),
            Some(country),
            Some(kind),
            Some(position),
            Some(coord_confidence),
            Some(source),
        ) = (id, name, country, kind, position, confidence, source)
        else {
            continue;
        };
        nodes.push(Node {
            id,
            name,
            aliases: aliases.unwrap_or_default(),
            country,
            region,
            kind,
            population,
            position,
            coord_confidence,
            transfers,
            border,
            source,
            note,
        });
    }
    nodes
}

fn parse_border(
    p: &mut Props<'_>,
    country: Option<Country>,
    countries: Option<&str>,
    status: [Option<&str>; 2],
    dwell: [Option<f64>; 2],
    fee: Option<f64>,
    costs: &CostModel,
) -> Option<BorderCrossing> {
    let Some(countries) = countries else {
        p.error(
            "countries",
            "is required on a border node (e.g. \"AM|GE\")".into(),
        );
        return None;
    };
    let parts = split_list(countries);
    if parts.len() != 2 {
        p.error(
            "countries",
            format!("{countries:?} must name exactly two countries, like \"AM|GE\""),
        );
        return None;
    }
    let a = p.country("countries", &parts[0])?;
    let b = p.country("countries", &parts[1])?;
    if a == b {
        p.error(
            "countries",
            format!("{countries:?} names the same country twice"),
        );
        return None;
    }
    if let Some(c) = country {
        if c != a && c != b {
            p.error(
                "country",
                format!("{c} is not one of the crossing's countries {countries:?}"),
            );
        }
    }
    let defaults = [costs.border.dwell_h_rail, costs.border.dwell_h_road];
    let keys = ["status_rail", "status_road"];
    let mut modes = [None, None];
    for i in 0..2 {
        if let Some(s) = status[i] {
            let open = p.check_enum(keys[i], s, &["open", "closed"], |v| match v {
                "open" => Some(true),
                "closed" => Some(false),
                _ => None,
            })?;
            modes[i] = Some(CrossingMode {
                open,
                dwell_h: dwell[i].unwrap_or(defaults[i]),
            });
        }
    }
    if modes.iter().all(Option::is_none) {
        p.error(
            "status_rail",
            "a border node needs `status_rail`, `status_road` or both".into(),
        );
        return None;
    }
    Some(BorderCrossing {
        countries: [a, b],
        rail: modes[0],
        road: modes[1],
        fee_usd_per_t: fee.unwrap_or(costs.border.fee_usd_per_t),
    })
}

fn node_countries(node: &Node) -> Vec<Country> {
    match &node.border {
        Some(b) => b.countries.to_vec(),
        None => vec![node.country],
    }
}

fn parse_links(
    path: &Path,
    features: &[RawFeature],
    nodes: &[Node],
    errors: &mut Vec<DataError>,
    warnings: &mut Vec<Warning>,
) -> Vec<Link> {
    let index: HashMap<&str, usize> = nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id.as_str(), i))
        .collect();
    let mut links = Vec::with_capacity(features.len());
    let mut seen: HashMap<String, usize> = HashMap::new();
    for f in features {
        let before = errors.len();
        let mut p = Props::new(path, f, errors);
        let geometry: Option<Vec<LonLat>> = match (&f.geometry, &f.geometry_error) {
            (Some(geojson::GeometryValue::LineString { coordinates }), _) => {
                if coordinates.len() < 2 {
                    p.error(
                        "geometry",
                        format!(
                            "a LineString needs at least two positions, found {}",
                            coordinates.len()
                        ),
                    );
                    None
                } else {
                    let mut out = Vec::with_capacity(coordinates.len());
                    let mut ok = true;
                    for c in coordinates {
                        match check_position(c) {
                            Ok(ll) => out.push(ll),
                            Err(e) => {
                                p.error("geometry", e);
                                ok = false;
                                break;
                            }
                        }
                    }
                    ok.then_some(out)
                }
            }
            (Some(other), _) => {
                p.error(
                    "geometry",
                    format!("expected a LineString, found a {}", other.type_name()),
                );
                None
            }
            (None, Some(e)) => {
                p.error("geometry", e.clone());
                None
            }
            (None, None) => None,
        };
        let id = p.req_id();
        let endpoint = |p: &mut Props<'_>, key: &'static str| -> Option<usize> {
            let s = p.req_str(key)?;
            match index.get(s.as_str()) {
                Some(&i) => Some(i),
                None => {
                    p.error(key, format!("unknown node id {s:?}"));
                    None
                }
            }
        };
        let from = endpoint(&mut p, "from");
        let to = endpoint(&mut p, "to");
        let mode = p.req_enum("mode", &["rail", "road", "ferry"], Mode::parse);
        let status = p.req_enum(
            "status",
            &[
                "open",
                "closed",
                "destroyed",
                "planned",
                "under_construction",
            ],
            LinkStatus::parse,
        );
        let name = p.req_str("name");
        let line = p.opt_str("line");
        let gauge_mm = match p.opt_u64("gauge_mm") {
            Some(g @ (1520 | 1435)) => Some(g as u16),
            Some(g) => {
                p.error(
                    "gauge_mm",
                    format!("{g} is not a supported gauge (1520 or 1435)"),
                );
                None
            }
            None => None,
        };
        let dual_gauge = p.opt_bool("dual_gauge").unwrap_or(false);
        let carries_text = p.opt_str("carries");
        let tracks = match p.opt_u64("tracks") {
            Some(t @ 1..=8) => Some(t as u8),
            Some(t) => {
                p.error("tracks", format!("{t} is not between 1 and 8"));
                None
            }
            None => None,
        };
        let electrified = p.opt_bool("electrified");
        let speed_kmh = p.opt_positive("speed_kmh", false, limits::SPEED_KMH);
        let published = p.opt_positive("length_km", false, limits::LENGTH_KM);
        let length_note = p.opt_str("length_note");
        let capacity = p.opt_positive("capacity", false, limits::CAPACITY);
        let headway_h = p.opt_positive("headway_h", true, limits::HOURS);
        let oneway = p.opt_bool("oneway").unwrap_or(false);
        let country_prop = p.opt_str("country");
        let source = p.req_str("source");
        let note = p.opt_str("note");

        let mut carries = Carries::default();
        match mode {
            Some(Mode::Rail) => {
                carries.rail = true;
                if gauge_mm.is_none() && !p.feature.properties.contains_key("gauge_mm") {
                    p.error(
                        "gauge_mm",
                        "is required on a rail link (1520 or 1435)".into(),
                    );
                }
            }
            Some(Mode::Road) => carries.road = true,
            Some(Mode::Ferry) => match &carries_text {
                None => p.error(
                    "carries",
                    "is required on a ferry: rail, road or rail|road".into(),
                ),
                Some(text) => {
                    for part in split_list(text) {
                        match part.as_str() {
                            "rail" => carries.rail = true,
                            "road" => carries.road = true,
                            other => p.error(
                                "carries",
                                format!(
                                    "unknown value {other:?}; expected rail, road or rail|road"
                                ),
                            ),
                        }
                    }
                    if carries.rail && gauge_mm.is_none() {
                        p.error(
                            "gauge_mm",
                            "is required on a ferry that carries rail wagons".into(),
                        );
                    }
                }
            },
            None => {}
        }

        // Geometry ends on the nodes, and lengths.
        let mut geodesic_km = None;
        if let (Some(geom), Some(fi), Some(ti)) = (&geometry, from, to) {
            for (end, pos, node) in [
                ("from", geom[0], &nodes[fi]),
                ("to", geom[geom.len() - 1], &nodes[ti]),
            ] {
                let off = pos.geodesic_m(node.position);
                if off > NETWORK_END_TOLERANCE_M {
                    p.error(
                        "geometry",
                        format!(
                            "the {} end [{}, {}] is {:.0} m from node `{}` at [{}, {}] (tolerance {} m)",
                            if end == "from" { "first" } else { "last" },
                            pos.lon, pos.lat, off, node.id, node.position.lon, node.position.lat,
                            NETWORK_END_TOLERANCE_M
                        ),
                    );
                }
            }
            let km: f64 = geom.windows(2).map(|w| w[0].geodesic_m(w[1])).sum::<f64>() / 1000.0;
            if km <= 0.0 {
                p.error(
                    "geometry",
                    "has zero length: all its positions coincide".into(),
                );
            } else {
                geodesic_km = Some(km);
            }
        }

        // The link's country: given, or shared by its two ends.
        let mut country = None;
        if let Some(c) = &country_prop {
            country = p.country("country", c);
        } else if let (Some(fi), Some(ti), Some(mode)) = (from, to, mode) {
            let a = node_countries(&nodes[fi]);
            let b = node_countries(&nodes[ti]);
            let shared: Vec<Country> = a.iter().copied().filter(|c| b.contains(c)).collect();
            match shared.as_slice() {
                [one] => country = Some(*one),
                [] if mode == Mode::Ferry => country = None,
                [] => p.error(
                    "to",
                    format!(
                        "the link runs from {} to {} without a border node between them: split it at a node of kind \"border\"",
                        nodes[fi].country, nodes[ti].country
                    ),
                ),
                _ => p.error(
                    "country",
                    "both ends are border nodes of the same two countries: say which country the link is in".into(),
                ),
            }
        }

        let unknown = p.unknown();
        finish_feature(path, f, id.as_deref(), unknown, &mut seen, errors, warnings);
        if errors.len() > before {
            continue;
        }
        let (
            Some(id),
            Some(fi),
            Some(ti),
            Some(mode),
            Some(status),
            Some(name),
            Some(geometry),
            Some(geodesic_km),
            Some(source),
        ) = (
            id,
            from,
            to,
            mode,
            status,
            name,
            geometry,
            geodesic_km,
            source,
        )
        else {
            continue;
        };
        if mode != Mode::Ferry {
            let longest_km = geometry
                .windows(2)
                .map(|w| w[0].geodesic_m(w[1]) / 1000.0)
                .fold(0.0, f64::max);
            if longest_km > LONG_SEGMENT_WARNING_KM {
                warnings.push(Warning {
                    path: path.to_path_buf(),
                    id: id.clone(),
                    message: format!(
                        "a straight piece of the geometry is {longest_km:.1} km long (over {LONG_SEGMENT_WARNING_KM} km): add shape points along the line"
                    ),
                });
            }
        }
        if let Some(published) = published {
            let ratio = (published - geodesic_km).abs() / geodesic_km;
            if ratio > LENGTH_WARNING_RATIO {
                warnings.push(Warning {
                    path: path.to_path_buf(),
                    id: id.clone(),
                    message: format!(
                        "length_km {published} is {:.0} % off the geometry's geodesic length {:.1} km",
                        ratio * 100.0,
                        geodesic_km
                    ),
                });
            }
        }
        links.push(Link {
            id,
            from: NodeId(fi as u32),
            to: NodeId(ti as u32),
            mode,
            status,
            name,
            line,
            gauge_mm,
            dual_gauge,
            carries,
            tracks,
            electrified,
            speed_kmh,
            length_km: published.unwrap_or(geodesic_km),
            published_length_km: published,
            geodesic_km,
            length_note,
            capacity_t_per_day: capacity,
            headway_h,
            oneway,
            country,
            geometry,
            source,
            note,
        });
    }
    links
}

/// The files a data folder is read from, for manifests and hashing.
pub fn data_files(dir: &Path) -> Vec<PathBuf> {
    let network: &[&str] = if network_from_cache(dir) {
        &[CACHE_FILE]
    } else {
        &["nodes.geojson", "links.geojson"]
    };
    let rest = [
        "costs.toml",
        "scenarios.toml",
        "routes.toml",
        "demand.csv",
        "capacity.toml",
        "disruptions.csv",
    ];
    network
        .iter()
        .chain(&rest)
        .map(|f| dir.join(f))
        .filter(|p| p.exists())
        .collect()
}

/// The binary cache of a data folder's network (see [`super::cache`]).
pub const CACHE_FILE: &str = "network.bin";

/// Whether `dir`'s network is read from `network.bin`: it has neither `nodes.geojson` nor
/// `links.geojson`, only the cache (a network too big for the GeoJSON input limit, such as
/// `corridor synth grid` writes above a few hundred thousand places). Where the GeoJSON files
/// exist they are the network, and a `network.bin` beside them is not read.
pub fn network_from_cache(dir: &Path) -> bool {
    !dir.join("nodes.geojson").exists()
        && !dir.join("links.geojson").exists()
        && dir.join(CACHE_FILE).exists()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(id: &str, lon: f64, lat: f64, extra: &str) -> String {
        format!(
            r#"{{"type":"Feature","geometry":{{"type":"Point","coordinates":[{lon},{lat}]}},"properties":{{"id":"{id}","name":"{id}","coord_confidence":"high","source":"t"{extra}}}}}"#
        )
    }

    fn line(id: &str, from: &str, to: &str, coords: &str, extra: &str) -> String {
        format!(
            r#"{{"type":"Feature","geometry":{{"type":"LineString","coordinates":{coords}}},"properties":{{"id":"{id}","from":"{from}","to":"{to}","status":"open","name":"n","source":"t"{extra}}}}}"#
        )
    }

    fn collection(features: &[String]) -> String {
        format!(
            r#"{{"type":"FeatureCollection","features":[{}]}}"#,
            features.join(",")
        )
    }

    fn parse(nodes: &[String], links: &[String]) -> Result<(Network, Vec<Warning>), DataErrors> {
        parse_network(
            Path::new("nodes.geojson"),
            &collection(nodes),
            Path::new("links.geojson"),
            &collection(links),
            &CostModel::default(),
        )
    }

    ///   a (AZ) --road-- bx (AZ|GE) --road-- c (GE)      a ~~ferry~~ p (UA)
    fn base_nodes() -> Vec<String> {
        vec![
            point("a", 45.0, 41.0, r#","country":"AZ","kind":"city""#),
            point(
                "bx",
                45.1,
                41.0,
                r#","country":"GE","kind":"border","countries":"AZ|GE","status_road":"open","dwell_h_road":3"#,
            ),
            point("c", 45.2, 41.0, r#","country":"GE","kind":"city""#),
            point("p", 30.0, 46.0, r#","country":"UA","kind":"port""#),
        ]
    }

    #[test]
    fn link_countries_come_from_their_ends_and_ferries_between_countries_have_none() {
        let links = vec![
            line(
                "r1",
                "a",
                "bx",
                "[[45.0,41.0],[45.1,41.0]]",
                r#","mode":"road""#,
            ),
            line(
                "r2",
                "bx",
                "c",
                "[[45.1,41.0],[45.2,41.0]]",
                r#","mode":"road""#,
            ),
            line(
                "f1",
                "a",
                "p",
                "[[45.0,41.0],[30.0,46.0]]",
                r#","mode":"ferry","carries":"rail|road","gauge_mm":1520,"headway_h":24"#,
            ),
        ];
        let (net, warnings) = parse(&base_nodes(), &links).expect("valid");
        assert!(warnings.is_empty(), "{warnings:?}");
        let country = |id: &str| {
            net.link(net.link_id(id).unwrap())
                .country
                .map(|c| c.to_string())
        };
        assert_eq!(country("r1").as_deref(), Some("AZ"));
        assert_eq!(country("r2").as_deref(), Some("GE"));
        assert_eq!(country("f1"), None);
        let f1 = net.link(net.link_id("f1").unwrap());
        assert!(f1.carries.rail && f1.carries.road);
        let bx = net
            .node(net.node_id("bx").unwrap())
            .border
            .as_ref()
            .unwrap();
        assert_eq!(bx.road.map(|m| (m.open, m.dwell_h)), Some((true, 3.0)));
        assert!(bx.rail.is_none());
        // The published length is absent, so the geodesic length is used: about 8.4 km.
        let r1 = net.link(net.link_id("r1").unwrap());
        assert!((r1.length_km - 8.43).abs() < 0.05, "{}", r1.length_km);
    }

    #[test]
    fn a_cross_border_link_without_a_border_node_is_an_error() {
        let links = vec![line(
            "r",
            "a",
            "c",
            "[[45.0,41.0],[45.2,41.0]]",
            r#","mode":"road""#,
        )];
        let err = parse(&base_nodes(), &links).unwrap_err().to_string();
        assert!(err.contains("without a border node"), "{err}");
    }

    #[test]
    fn border_nodes_need_two_countries_including_their_own() {
        let mut nodes = base_nodes();
        nodes[1] = point(
            "bx",
            45.1,
            41.0,
            r#","country":"TR","kind":"border","countries":"AZ|GE","status_road":"open""#,
        );
        let err = parse(&nodes, &[]).unwrap_err().to_string();
        assert!(
            err.contains("`country`: TR is not one of the crossing's countries"),
            "{err}"
        );
        nodes[1] = point(
            "bx",
            45.1,
            41.0,
            r#","country":"GE","kind":"border","countries":"GE|GE","status_road":"open""#,
        );
        let err = parse(&nodes, &[]).unwrap_err().to_string();
        assert!(err.contains("names the same country twice"), "{err}");
        nodes[1] = point(
            "bx",
            45.1,
            41.0,
            r#","country":"GE","kind":"border","countries":"AZ|GE""#,
        );
        let err = parse(&nodes, &[]).unwrap_err().to_string();
        assert!(
            err.contains("needs `status_rail`, `status_road` or both"),
            "{err}"
        );
    }

    #[test]
    fn every_error_is_reported_not_only_the_first() {
        let links = vec![
            line(
                "r1",
                "a",
                "nowhere",
                "[[45.0,41.0],[45.1,41.0]]",
                r#","mode":"road""#,
            ),
            line(
                "r2",
                "bx",
                "c",
                "[[45.1,41.0],[45.2,41.0]]",
                r#","mode":"rail""#,
            ),
            line(
                "R3",
                "bx",
                "c",
                "[[45.1,41.0],[45.2,41.0]]",
                r#","mode":"road","speed_kmh":0"#,
            ),
        ];
        let errors = parse(&base_nodes(), &links).unwrap_err();
        let text = errors.to_string();
        assert_eq!(errors.0.len(), 4, "{text}");
        assert!(text.contains("unknown node id \"nowhere\""));
        assert!(text.contains("`gauge_mm`: is required on a rail link"));
        assert!(text.contains("\"R3\" is not a valid id"));
        assert!(text.contains("`speed_kmh`: 0 must be > 0"));
    }

    #[test]
    fn long_straight_land_pieces_are_warnings_and_sea_crossings_are_not() {
        // a -> c drawn as one chord of about 88 km (road) and as three pieces (rail); a ferry
        // from a to p crosses the sea in one piece of over 1,000 km.
        let straight = "[[45.0,41.0],[46.05,41.0]]";
        let shaped = "[[45.0,41.0],[45.35,41.0],[45.7,41.0],[46.05,41.0]]";
        let mut nodes = base_nodes();
        nodes[2] = point("c", 46.05, 41.0, r#","country":"AZ","kind":"city""#);
        let links = vec![
            line("r1", "a", "c", straight, r#","mode":"road""#),
            line("r2", "a", "c", shaped, r#","mode":"rail","gauge_mm":1520"#),
            line(
                "f1",
                "a",
                "p",
                "[[45.0,41.0],[30.0,46.0]]",
                r#","mode":"ferry","carries":"road""#,
            ),
        ];
        let (_, warnings) = parse(&nodes, &links).expect("valid with warnings");
        let long: Vec<String> = warnings
            .iter()
            .map(|w| w.to_string())
            .filter(|w| w.contains("straight piece"))
            .collect();
        assert_eq!(long.len(), 1, "{long:?}");
        assert!(
            long[0].contains("`r1`") && long[0].contains("88."),
            "{long:?}"
        );
    }

    #[test]
    fn a_cache_made_from_the_geojson_beside_it_is_read_instead_and_a_stale_one_is_not() {
        let mut nodes = base_nodes();
        nodes.push(point(
            "lonely",
            44.0,
            40.0,
            r#","country":"AM","kind":"city""#,
        ));
        let links = vec![line(
            "r1",
            "a",
            "bx",
            "[[45.0,41.0],[45.1,41.0]]",
            r#","mode":"road""#,
        )];
        let (nodes, links) = (collection(&nodes), collection(&links));
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("nodes.geojson"), &nodes).unwrap();
        std::fs::write(dir.path().join("links.geojson"), &links).unwrap();
        let costs = CostModel::default();
        let (parsed, warnings) = load_network(dir.path(), &costs).unwrap();
        assert!(!warnings.is_empty(), "the isolated place warns");
        // A cache that says it stands for these texts, holding a marked network: read if used.
        let mut marked = parsed.clone();
        marked.nodes[0].name = "from the cache".into();
        let cache_of = |net: &Network, nodes: &str, costs: &CostModel| {
            let p = provenance_of(nodes, &links, costs, &warnings);
            std::fs::write(
                dir.path().join(CACHE_FILE),
                super::super::cache::encode_with(net, &p),
            )
            .unwrap();
        };
        cache_of(&marked, &nodes, &costs);
        let (net, from_cache) = load_network(dir.path(), &costs).unwrap();
        assert_eq!(net.nodes[0].name, "from the cache");
        assert_eq!(
            from_cache, warnings,
            "the warnings, paths and all, come back"
        );
        // Another cost model, or other GeoJSON: the cache stands for other inputs, the GeoJSON
        // is parsed.
        let mut other = costs.clone();
        other.border.dwell_h_road += 1.0;
        assert_eq!(
            load_network(dir.path(), &other).unwrap().0.nodes[0].name,
            "a"
        );
        cache_of(&marked, &format!("{nodes} "), &costs);
        let (net, again) = load_network(dir.path(), &costs).unwrap();
        assert_eq!((net.nodes[0].name.as_str(), again), ("a", warnings));
        assert_eq!(parsed.nodes[0].name, "a");
        // A corrupt cache is passed over for the GeoJSON, not an error.
        std::fs::write(dir.path().join(CACHE_FILE), b"CORRNET\0junk").unwrap();
        assert!(load_network(dir.path(), &costs).is_ok());
    }

    #[test]
    fn soft_problems_are_warnings() {
        let mut nodes = base_nodes();
        nodes.push(point(
            "lonely",
            44.0,
            40.0,
            r#","country":"AM","kind":"city","colour":"red""#,
        ));
        let links = vec![line(
            "r1",
            "a",
            "bx",
            "[[45.0,41.0],[45.1,41.0]]",
            r#","mode":"road","length_km":20"#,
        )];
        let (_, warnings) = parse(&nodes, &links).expect("valid with warnings");
        let text: Vec<String> = warnings.iter().map(|w| w.to_string()).collect();
        assert!(
            text.iter()
                .any(|w| w.contains("`lonely`") && w.contains("isolated")),
            "{text:?}"
        );
        assert!(
            text.iter()
                .any(|w| w.contains("unknown properties ignored: colour")),
            "{text:?}"
        );
        assert!(
            text.iter()
                .any(|w| w.contains("`r1`") && w.contains("% off the geometry")),
            "{text:?}"
        );
    }

    #[test]
    fn a_crs_member_is_refused() {
        let nodes = r#"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:3857"}},"features":[]}"#;
        let err = parse_network(
            Path::new("nodes.geojson"),
            nodes,
            Path::new("links.geojson"),
            &collection(&[]),
            &CostModel::default(),
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("`crs` member"), "{err}");
    }
}
