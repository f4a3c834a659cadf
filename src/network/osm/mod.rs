//! Importing a rail and road network from an OpenStreetMap PBF extract (`corridor import osm`).
//!
//! The import reads the file in up to three passes (ways and relations; the ways of country
//! boundaries, when the extract has any; then the coordinates of only the nodes those ways use),
//! so that memory grows with the kept network, not with the extract. It then splits ways at
//! shared nodes, puts border nodes where a way leaves a country whose boundary the extract holds
//! complete, and (by default) merges degree-2 chains into one link each, keeping every shape point.
//!
//! - [`import`] reads a file into an [`ImportedNetwork`] (the model's [`Network`] plus counts);
//! - [`write_data_folder`] writes it as a data folder `corridor check` accepts (`nodes.geojson`,
//!   `links.geojson`, `README.md`, and the binary cache `network.bin`);
//! - [`crate::network::cache::read`] reloads the cache.
//!
//! What each tag means is in [`tags`]; how ways become links in `graph`.
//!
//! Map data (c) OpenStreetMap contributors, ODbL 1.0: every imported feature's `source` says so.

mod boundary;
mod graph;
mod pbf;
pub mod tags;
mod write;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::network::{Country, LonLat, Mode, Network, Warning};
use crate::util::Tick;

pub use write::{links_geojson, nodes_geojson, write_data_folder, WrittenFolder};

use boundary::{CountryLocator, CountryPolygon};
use graph::{Micro, NodeTags, WayRec};
pub use tags::RoadClasses;
use tags::{tag, Filter, Notes, Skip};

/// How much of each way's shape becomes graph structure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Resolution {
    /// Split at shared nodes, then merge chains through degree-2 nodes where the two sides read
    /// alike (same mode, status, name, speed, gauge...): the fewest links, every shape point kept.
    #[default]
    Simplified,
    /// Split each way at shared nodes and at its ends; no merging across ways.
    Ways,
    /// Every OSM node of a kept way is a node; every segment a link (for routing benchmarks).
    Full,
}

impl Resolution {
    pub fn as_str(self) -> &'static str {
        match self {
            Resolution::Simplified => "simplified",
            Resolution::Ways => "ways",
            Resolution::Full => "full",
        }
    }
}

/// A longitude/latitude box, WGS84 degrees.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BBox {
    pub west: f64,
    pub south: f64,
    pub east: f64,
    pub north: f64,
}

impl BBox {
    /// Parses `W,S,E,N` in degrees.
    ///
    /// # Errors
    /// A message when there are not four finite numbers in range with west < east and
    /// south < north.
    pub fn parse(s: &str) -> Result<BBox, String> {
        let v: Vec<f64> = s
            .split(',')
            .map(|p| p.trim().parse::<f64>())
            .collect::<Result<_, _>>()
            .map_err(|_| format!("bbox {s:?}: expected four numbers W,S,E,N"))?;
        let [west, south, east, north] = v[..] else {
            return Err(format!("bbox {s:?}: expected four numbers W,S,E,N"));
        };
        let ok_lon = |x: f64| (-180.0..=180.0).contains(&x);
        let ok_lat = |x: f64| (-90.0..=90.0).contains(&x);
        if !(ok_lon(west) && ok_lon(east) && ok_lat(south) && ok_lat(north)) {
            return Err(format!(
                "bbox {s:?}: longitudes must be in -180..180 and latitudes in -90..90"
            ));
        }
        if west >= east || south >= north {
            return Err(format!(
                "bbox {s:?}: west must be less than east and south less than north"
            ));
        }
        Ok(BBox {
            west,
            south,
            east,
            north,
        })
    }

    pub fn contains(&self, p: LonLat) -> bool {
        (self.west..=self.east).contains(&p.lon) && (self.south..=self.north).contains(&p.lat)
    }
}

impl fmt::Display for BBox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{},{},{},{}",
            self.west, self.south, self.east, self.north
        )
    }
}

/// What to import.
#[derive(Debug, Clone)]
pub struct OsmOptions {
    /// Keep `railway=rail` (and its disused, abandoned, construction and proposed forms).
    pub rail: bool,
    /// Keep roads (`highway=*`) of `road_classes`.
    pub road: bool,
    pub road_classes: RoadClasses,
    /// Leave out ways that are not open (disused, abandoned, under construction, proposed).
    pub only_open: bool,
    /// Keep only nodes inside this box; ways are cut where they leave it.
    pub bbox: Option<BBox>,
    /// Country of places outside every complete country boundary in the extract.
    pub country: Country,
    pub resolution: Resolution,
    /// Told of each pass over the file (its blobs the steps), then of the building.
    pub progress: Tick,
}

impl OsmOptions {
    /// Rail and freight roads of `country`, simplified.
    pub fn new(country: Country) -> OsmOptions {
        OsmOptions {
            rail: true,
            road: true,
            road_classes: RoadClasses::Freight,
            only_open: false,
            bbox: None,
            country,
            resolution: Resolution::Simplified,
            progress: Tick::none(),
        }
    }

    /// One line naming every option, for READMEs and reports.
    pub fn describe(&self) -> String {
        let mut modes = Vec::new();
        if self.rail {
            modes.push("rail");
        }
        if self.road {
            modes.push(match self.road_classes {
                RoadClasses::Freight => "road (motorway..tertiary)",
                RoadClasses::Motor => "road (motor roads)",
                RoadClasses::All => "road (every highway)",
            });
        }
        let mut s = format!(
            "modes: {}; country: {}; resolution: {}",
            modes.join(", "),
            self.country,
            self.resolution.as_str()
        );
        if self.only_open {
            s.push_str("; open ways only");
        }
        if let Some(b) = self.bbox {
            s.push_str(&format!("; bbox: {b}"));
        }
        s
    }
}

/// An import failure; each names the file.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum OsmError {
    #[error("{}: cannot read: {message}", path.display())]
    Io { path: PathBuf, message: String },

    #[error("{}: not an OSM PBF file: {message}", path.display())]
    NotPbf { path: PathBuf, message: String },

    #[error("{}: corrupt PBF: block {block} at byte {offset}: {message}", path.display())]
    Corrupt {
        path: PathBuf,
        block: usize,
        offset: u64,
        message: String,
    },

    #[error("{}: {message}", path.display())]
    Empty { path: PathBuf, message: String },

    #[error("{}: cannot write: {message}", path.display())]
    Write { path: PathBuf, message: String },
}

/// Counts of what the import read, kept and left out.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImportStats {
    pub file_bytes: u64,
    pub blobs: usize,
    pub ways_read: usize,
    pub rail_ways: usize,
    pub road_ways: usize,
    /// Railways left out for their gauge: tag value -> ways.
    pub skipped_gauges: BTreeMap<String, usize>,
    pub gauge_assumed: usize,
    pub maxspeed_unparsed: usize,
    /// References of kept ways to nodes absent from the extract (ways cut by its edge).
    pub missing_node_refs: usize,
    pub outside_bbox_refs: usize,
    /// Pieces whose nodes all share one position (at 6 decimals): left out.
    pub zero_length_pieces: usize,
    /// Ways after splitting at shared nodes.
    pub pieces: usize,
    /// Complete country boundaries used: (country, relation id).
    pub boundaries: Vec<(Country, i64)>,
    /// Country boundaries the extract cuts: (country, relation id), not used.
    pub boundaries_incomplete: Vec<(Country, i64)>,
    pub border_crossings: usize,
    /// Segments between three countries, cut.
    pub border_conflicts: usize,
    pub border_controls_without_frontier: usize,
    pub nodes_with_coordinates: usize,
    /// Nodes whose coordinates lie outside -180..180 / -90..90 (a corrupt block): left out like
    /// nodes missing from the extract.
    pub nodes_out_of_range: usize,
    /// Kept ways whose id appeared more than once (only the first copy is used).
    pub duplicate_ways: usize,
    /// Seconds per phase: framing check, ways pass, boundary pass, nodes pass, graph.
    pub seconds: [f64; 5],
}

/// The result of an import: the network in the model, with counts and soft problems.
#[derive(Debug, Clone)]
pub struct ImportedNetwork {
    pub network: Network,
    pub stats: ImportStats,
    pub warnings: Vec<Warning>,
    /// The input file.
    pub path: PathBuf,
    pub options: OsmOptions,
}

impl ImportedNetwork {
    /// Total length of links per mode (rail, road).
    ///
    /// # Units
    /// Kilometres.
    pub fn km(&self, mode: Mode) -> f64 {
        self.network
            .links
            .iter()
            .filter(|l| l.mode == mode)
            .map(|l| l.length_km)
            .sum::<f64>()
            + 0.0 // an empty sum is -0.0
    }
}

/// The `source` of every imported feature.
pub fn source_text(path: &Path) -> String {
    let file = path.file_name().map_or_else(
        || path.display().to_string(),
        |f| f.to_string_lossy().into_owned(),
    );
    format!("OpenStreetMap contributors, ODbL; extract {file}")
}

/// A country boundary relation: its code and member ways.
struct BoundaryRel {
    id: i64,
    country: Country,
    ways: Vec<i64>,
}

/// Imports the rail and road network of an OSM PBF extract.
///
/// # Arguments
/// * `path` - an `.osm.pbf` file; it is only read.
/// * `options` - modes, road classes, bbox, fallback country, resolution.
///
/// # Returns
/// The network (nodes sorted by OSM id, links by way id and piece) with counts and warnings.
///
/// # Errors
/// [`OsmError`] naming the file: unreadable, not a PBF, corrupt or truncated (with the block and
/// byte offset), or holding no kept way.
///
/// # Complexity
/// O(file size) to decode, O(n log n) in the kept way nodes; memory O(kept way nodes).
///
/// # Examples
/// ```no_run
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use corridor::network::osm::{import, OsmOptions};
/// use corridor::network::Country;
/// let country = Country::parse("IM").ok_or("bad country")?;
/// let imported = import("isle_of_man.osm.pbf".as_ref(), &OsmOptions::new(country))?;
/// println!("{} nodes, {} links", imported.network.nodes.len(), imported.network.links.len());
/// # Ok(()) }
/// ```
pub fn import(path: &Path, options: &OsmOptions) -> Result<ImportedNetwork, OsmError> {
    import_from(path, pbf::Input::File(path), options)
}

/// Imports from the bytes of a PBF extract held in memory; `name` only names it in messages
/// and in each feature's `source`. Same results and errors as [`import`] on a file holding
/// these bytes.
///
/// # Errors
/// As [`import`].
pub fn import_bytes(
    name: &Path,
    bytes: &[u8],
    options: &OsmOptions,
) -> Result<ImportedNetwork, OsmError> {
    import_from(name, pbf::Input::Bytes(bytes), options)
}

/// [`pbf::for_each_block`], telling `progress` of a stage of the file's `blobs` steps, one per
/// blob (the header and unknown blobs, which hold no block, at the end).
fn watched_pass(
    path: &Path,
    input: pbf::Input<'_>,
    progress: &Tick,
    stage: &str,
    blobs: usize,
    f: &mut dyn FnMut(&osmpbf::PrimitiveBlock),
) -> Result<(), OsmError> {
    progress.stage(stage, Some(blobs as u64));
    let mut done = 0usize;
    pbf::for_each_block(path, input, |block| {
        f(block);
        progress.advance(1);
        done += 1;
    })?;
    progress.advance(blobs.saturating_sub(done) as u64);
    Ok(())
}

fn import_from(
    path: &Path,
    input: pbf::Input<'_>,
    options: &OsmOptions,
) -> Result<ImportedNetwork, OsmError> {
    let mut stats = ImportStats::default();
    let mut clock = Instant::now();
    let mut lap = |stats: &mut ImportStats, i: usize| {
        stats.seconds[i] = clock.elapsed().as_secs_f64();
        clock = Instant::now();
    };
    let shape = pbf::check_framing(path, input)?;
    stats.file_bytes = shape.bytes;
    stats.blobs = shape.blobs;
    lap(&mut stats, 0);

    // Pass 1: kept ways, and country boundary relations.
    let filter = Filter {
        rail: options.rail,
        road: options.road,
        road_classes: options.road_classes,
        only_open: options.only_open,
        country: options.country,
    };
    let mut ways: Vec<WayRec> = Vec::new();
    let mut relations: Vec<BoundaryRel> = Vec::new();
    let pass = |stage: &str, f: &mut dyn FnMut(&osmpbf::PrimitiveBlock)| {
        watched_pass(path, input, &options.progress, stage, shape.blobs, f)
    };
    pass("pass 1 of 3: ways (blobs)", &mut |block| {
        let mut tag_buf: Vec<(&str, &str)> = Vec::new();
        for group in block.groups() {
            for way in group.ways() {
                stats.ways_read += 1;
                tag_buf.clear();
                tag_buf.extend(way.tags());
                let mut notes = Notes::default();
                match filter.classify(&tag_buf, &mut notes) {
                    Ok((attrs, reverse)) => {
                        let mut refs: Vec<i64> = way.refs().collect();
                        if reverse {
                            refs.reverse();
                        }
                        match attrs.mode {
                            Mode::Rail => stats.rail_ways += 1,
                            _ => stats.road_ways += 1,
                        }
                        stats.gauge_assumed += usize::from(notes.gauge_assumed);
                        stats.maxspeed_unparsed += usize::from(notes.maxspeed_unparsed);
                        ways.push(WayRec {
                            id: way.id(),
                            refs,
                            attrs,
                        });
                    }
                    Err(Skip::Gauge(g)) => *stats.skipped_gauges.entry(g).or_insert(0) += 1,
                    Err(Skip::NotKept) => {}
                }
            }
            for rel in group.relations() {
                tag_buf.clear();
                tag_buf.extend(rel.tags());
                // `land_area` is the land outline some countries map beside their
                // administrative boundary (Monaco, France): an extract that cuts the maritime
                // part of the one often holds the other whole.
                if !matches!(
                    tag(&tag_buf, "boundary"),
                    Some("administrative" | "land_area")
                ) || tag(&tag_buf, "admin_level") != Some("2")
                {
                    continue;
                }
                let Some(country) = tag(&tag_buf, "ISO3166-1")
                    .or_else(|| tag(&tag_buf, "ISO3166-1:alpha2"))
                    .and_then(Country::parse)
                else {
                    continue;
                };
                let members = rel
                    .members()
                    .filter(|m| m.member_type == osmpbf::RelMemberType::Way)
                    .filter(|m| matches!(m.role(), Ok("outer" | "inner" | "")))
                    .map(|m| m.member_id)
                    .collect();
                relations.push(BoundaryRel {
                    id: rel.id(),
                    country,
                    ways: members,
                });
            }
        }
    })?;
    // Found by fuzzing (`osm_a_way_twice_is_imported_once`): a way id twice in a file gave
    // links with the same id, and a cache that does not read back. The first copy is kept.
    ways.sort_by_key(|w| w.id);
    let before = ways.len();
    ways.dedup_by_key(|w| w.id);
    stats.duplicate_ways = before - ways.len();
    lap(&mut stats, 1);
    if ways.is_empty() {
        return Err(OsmError::Empty {
            path: path.to_path_buf(),
            message: format!(
                "no kept rail or road way among its {} ways ({})",
                stats.ways_read,
                options.describe()
            ),
        });
    }

    // Pass 2: the node lists of boundary member ways.
    let mut boundary_refs: HashMap<i64, Vec<i64>> = HashMap::new();
    if !relations.is_empty() {
        let wanted: HashSet<i64> = relations
            .iter()
            .flat_map(|r| r.ways.iter().copied())
            .collect();
        pass("pass 2 of 3: boundary ways (blobs)", &mut |block| {
            for group in block.groups() {
                for way in group.ways() {
                    if wanted.contains(&way.id()) {
                        boundary_refs.insert(way.id(), way.refs().collect());
                    }
                }
            }
        })?;
    }
    lap(&mut stats, 2);

    // Pass 3: coordinates and tags of the nodes used.
    let mut needed: HashSet<i64> = ways.iter().flat_map(|w| w.refs.iter().copied()).collect();
    needed.extend(boundary_refs.values().flatten().copied());
    let mut coords: HashMap<i64, Micro> = HashMap::with_capacity(needed.len());
    let mut node_tags: HashMap<i64, NodeTags> = HashMap::new();
    let micro = |nano: i64| (nano as f64 / 1000.0).round() as i32;
    let mut keep_tags = |id: i64, tags: &mut dyn Iterator<Item = (&str, &str)>| {
        let mut t = NodeTags::default();
        for (k, v) in tags {
            match (k, v) {
                ("name", name) if !name.trim().is_empty() => t.name = Some(name.trim().into()),
                ("barrier", "border_control") => t.border_control = true,
                ("railway", "station" | "halt") => t.station = true,
                _ => {}
            }
        }
        if t.border_control || t.station {
            node_tags.insert(id, t);
        }
    };
    // Found by fuzzing (`osm_out_of_range_coordinates_are_left_out`): a corrupt granularity or
    // offset puts a node at latitude 1000, whose geodesic length is NaN.
    // `unsigned_abs`: a saturated i32::MIN has no positive `abs`.
    let in_range = |(lon, lat): (i32, i32)| {
        lon.unsigned_abs() <= 180_000_000 && lat.unsigned_abs() <= 90_000_000
    };
    let mut out_of_range = 0usize;
    pass("pass 3 of 3: nodes (blobs)", &mut |block| {
        for group in block.groups() {
            for n in group.dense_nodes() {
                if needed.contains(&n.id()) {
                    let c = (micro(n.nano_lon()), micro(n.nano_lat()));
                    if !in_range(c) {
                        out_of_range += 1;
                        continue;
                    }
                    coords.insert(n.id(), c);
                    keep_tags(n.id(), &mut n.tags());
                }
            }
            for n in group.nodes() {
                if needed.contains(&n.id()) {
                    let c = (micro(n.nano_lon()), micro(n.nano_lat()));
                    if !in_range(c) {
                        out_of_range += 1;
                        continue;
                    }
                    coords.insert(n.id(), c);
                    keep_tags(n.id(), &mut n.tags());
                }
            }
        }
    })?;
    stats.nodes_out_of_range = out_of_range;
    stats.nodes_with_coordinates = coords.len();
    lap(&mut stats, 3);
    options.progress.stage("building the network", None);

    // Country polygons, then the graph.
    let mut polygons = Vec::new();
    for rel in &relations {
        let members: Option<Vec<Vec<(i64, LonLat)>>> = rel
            .ways
            .iter()
            .map(|w| {
                boundary_refs
                    .get(w)?
                    .iter()
                    .map(|n| coords.get(n).map(|&m| (*n, graph::lonlat(m))))
                    .collect()
            })
            .collect();
        match members.and_then(|m| CountryPolygon::assemble(rel.country, rel.id, m)) {
            Some(p) => {
                stats.boundaries.push((rel.country, rel.id));
                polygons.push(p);
            }
            None => stats.boundaries_incomplete.push((rel.country, rel.id)),
        }
    }
    let mut locator = CountryLocator::new(polygons, options.country);
    let source = source_text(path);
    let network = graph::build(
        &graph::Inputs {
            ways: &ways,
            coords: &coords,
            node_tags: &node_tags,
            bbox: options.bbox,
            resolution: options.resolution,
            source: &source,
        },
        &mut locator,
        &mut stats,
    );
    lap(&mut stats, 4);
    if network.links.is_empty() {
        return Err(OsmError::Empty {
            path: path.to_path_buf(),
            message: format!(
                "{} kept ways, but none has two nodes in the extract{}",
                ways.len(),
                if options.bbox.is_some() {
                    " and the bbox"
                } else {
                    ""
                }
            ),
        });
    }
    let warnings = warnings_of(path, &stats);
    Ok(ImportedNetwork {
        network,
        stats,
        warnings,
        path: path.to_path_buf(),
        options: options.clone(),
    })
}

/// One warning per kind of soft problem, with its count.
fn warnings_of(path: &Path, s: &ImportStats) -> Vec<Warning> {
    let mut out = Vec::new();
    let mut warn = |id: &str, message: String| {
        out.push(Warning {
            path: path.to_path_buf(),
            id: id.to_string(),
            message,
        })
    };
    for (gauge, n) in &s.skipped_gauges {
        warn(
            "gauge",
            format!("{n} railway ways with gauge={gauge} left out: the model holds 1435 and 1520 mm only"),
        );
    }
    if s.duplicate_ways > 0 {
        warn(
            "ways",
            format!(
                "{} ways appear more than once in the file; the first copy of each is used",
                s.duplicate_ways
            ),
        );
    }
    if s.nodes_out_of_range > 0 {
        warn(
            "coordinates",
            format!(
                "{} nodes with coordinates outside -180..180 / -90..90 left out (corrupt data)",
                s.nodes_out_of_range
            ),
        );
    }
    if s.gauge_assumed > 0 {
        warn(
            "gauge",
            format!(
                "{} railway ways without a gauge tag taken as the country's standard gauge",
                s.gauge_assumed
            ),
        );
    }
    if s.maxspeed_unparsed > 0 {
        warn(
            "maxspeed",
            format!(
                "{} ways with a maxspeed value not understood: class default used",
                s.maxspeed_unparsed
            ),
        );
    }
    if s.missing_node_refs > 0 {
        warn(
            "extract",
            format!(
                "{} node references of kept ways are not in the extract: those ways are cut at its edge",
                s.missing_node_refs
            ),
        );
    }
    if s.zero_length_pieces > 0 {
        warn(
            "geometry",
            format!(
                "{} way pieces of zero length (all nodes at one position at 6 decimals) left out",
                s.zero_length_pieces
            ),
        );
    }
    for (c, id) in &s.boundaries_incomplete {
        warn(
            "boundary",
            format!("the boundary of {c} (relation {id}) is cut by the extract: not used"),
        );
    }
    if s.border_conflicts > 0 {
        warn(
            "boundary",
            format!(
                "{} segments between three countries cut: no border node can take them",
                s.border_conflicts
            ),
        );
    }
    if s.border_controls_without_frontier > 0 {
        warn(
            "border",
            format!(
                "{} barrier=border_control nodes lie where the extract shows no frontier: kept as junctions",
                s.border_controls_without_frontier
            ),
        );
    }
    out
}
