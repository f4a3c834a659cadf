//! Everything a run writes for people and for GIS: GeoJSON layers ([`geojson`]), their QGIS styles
//! and a project that opens them all ([`qgis`]), charts ([`chart`]; the cost changes as small
//! multiples, [`change_chart`]) and a quick-look map ([`map`]), each written atomically
//! ([`atomic`]).
//!
//! The output layer knows the domain model ([`Network`], [`ResolvedScenario`]) but nothing of the
//! routing engine or the analyses: those hand it plain records ([`geojson::RouteRecord`],
//! [`geojson::LinkMetricLayer`]) and plain data series ([`chart::Series`]), so that a new analysis
//! plugs in without touching this module.
//!
//! # Guarantees
//! - GeoJSON follows RFC 7946 as QGIS and GDAL read it: WGS84 longitude/latitude, no `crs` member,
//!   coordinates rounded to 6 decimals (about 0.1 m), one geometry type per file, each property of
//!   one type in every feature (absent values are `null`), the FeatureCollection's `name` is the
//!   layer name.
//! - Every file is byte-identical from one run to the next on the same inputs.
//! - Every file is written to a temporary file in the same folder and renamed over the target, so
//!   a reader never sees half a file; a symlink at the target is refused.
//!
//! [`Network`]: crate::network::Network
//! [`ResolvedScenario`]: crate::scenario::ResolvedScenario

pub mod assign;
pub mod atomic;
pub mod basemap;
pub mod change_chart;
pub mod chart;
pub mod critical;
pub mod geojson;
pub mod gpkg;
pub mod html;
pub mod manifest;
pub mod map;
pub mod partial;
pub mod peer;
pub mod qgis;
pub mod report;
pub mod route;
pub mod rows;
pub mod run;
pub mod simulation;
pub mod staging;
pub mod tables;
pub mod text;

use std::path::{Path, PathBuf};

use crate::scenario::{Dataset, ResolvedScenario};

pub use atomic::{write_atomic, write_atomic_with};
pub use staging::StagedDir;

/// Checks that `name` can become a file name inside an output folder as it is: a layer or chart
/// name made from a scenario or route id must never reach a file outside `--out` (`../x`,
/// `/etc/x`) nor carry NUL or control characters.
///
/// # Errors
/// [`OutputError::InvalidData`] naming `dir` and the refused name.
pub fn check_file_stem(dir: &Path, name: &str) -> Result<(), OutputError> {
    let ok = !name.is_empty()
        && name.len() <= 200
        && !name.starts_with('.')
        && name.chars().all(|c| {
            !c.is_control() && !matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|')
        });
    if ok {
        Ok(())
    } else {
        Err(OutputError::invalid(
            dir,
            format!("{name:?} cannot be an output file name (a path, a leading dot, or a control or reserved character)"),
        ))
    }
}

/// What can go wrong while writing outputs; each variant names the file.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}: refusing to write through a symbolic link", path.display())]
    Symlink { path: PathBuf },
    #[error("{}: drawing failed: {message}", path.display())]
    Draw { path: PathBuf, message: String },
    #[error("{}: {message}", path.display())]
    InvalidData { path: PathBuf, message: String },
    #[error("{}: scenario `{scenario}` has {found} link statuses, the network {expected} links", path.display())]
    MaskLength {
        path: PathBuf,
        scenario: String,
        found: usize,
        expected: usize,
    },
}

impl OutputError {
    pub(crate) fn io(path: &Path, source: std::io::Error) -> OutputError {
        OutputError::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    pub(crate) fn invalid(path: &Path, message: impl Into<String>) -> OutputError {
        OutputError::InvalidData {
            path: path.to_path_buf(),
            message: message.into(),
        }
    }
}

/// The files a [`LayerSet`] or [`write_network_layers`] wrote, in the order written.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Written {
    pub files: Vec<PathBuf>,
}

/// Where a layer goes in the project's layer list (smaller: drawn on top).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Rank {
    Nodes,
    Metric,
    Links,
    Routes,
    Projects,
    ScenarioLinks,
    ScenarioRoutes,
    Basemap,
}

/// A table of `corridor.gpkg`: its GeoJSON file beside it and its description.
#[derive(Debug, Clone)]
struct Table {
    name: String,
    description: String,
    geojson: PathBuf,
}

/// The GIS layers of a run, written one by one into a folder as GeoJSON with a `.qml` style
/// each; [`LayerSet::finish`] then writes `corridor.gpkg` (every layer, the basemap, and each
/// layer's styles in `layer_styles`) and the `corridor.qgs` project over it, with a print
/// layout.
///
/// The project lists `nodes` on top, then the metric layers (criticality, flows; unticked),
/// `links` (labelled with their line's name), the claims' routes under the map's scenario
/// (wide pale bands under the links), the unblocking `projects`, a group "links by scenario"
/// and a group "routes by scenario" (both unticked), and the basemap (countries, borders,
/// coastline) at the bottom.
///
/// # Examples
/// ```no_run
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use corridor::output::{chart::OKABE_ITO, geojson::LinkMetricLayer, LayerSet};
/// use corridor::scenario::Dataset;
/// let data = Dataset::load("data/caucasus".as_ref())?;
/// let base = data.resolve("baseline-2021").ok_or("no baseline")?;
/// let mut layers = LayerSet::new("output/run".as_ref(), &data, std::slice::from_ref(&base))?;
/// let flows = vec![Some(1200.0); data.network.links.len()];
/// layers.add_metric(
///     &LinkMetricLayer {
///         name: "flows".into(),
///         scenario: base.id.clone(),
///         columns: vec![("flow_t_per_day".into(), flows)],
///     },
///     "flow_t_per_day",
///     OKABE_ITO[5],
/// )?;
/// let written = layers.finish()?;
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
pub struct LayerSet<'a> {
    dir: PathBuf,
    data: &'a Dataset,
    project: Vec<(Rank, qgis::ProjectLayer)>,
    tables: Vec<Table>,
    /// The layout's title, once the routes say which scenario the map shows.
    headline: Option<String>,
    /// The trade routes of the routes layer, in style order.
    route_ids: Vec<String>,
    written: Written,
}

impl<'a> LayerSet<'a> {
    /// Creates `dir` if needed and writes `nodes.geojson`, `links.geojson` (one status column
    /// per scenario, in the order given), `projects.geojson` (when the data has projects that
    /// open links) and their styles `nodes.qml`, `links.qml`, `projects.qml`.
    ///
    /// # Errors
    /// [`OutputError`] naming the file that could not be written, or a scenario whose masks do
    /// not match the network.
    pub fn new(
        dir: &Path,
        data: &'a Dataset,
        scenarios: &[ResolvedScenario],
    ) -> Result<LayerSet<'a>, OutputError> {
        std::fs::create_dir_all(dir).map_err(|e| OutputError::io(dir, e))?;
        let mut set = LayerSet {
            dir: dir.to_path_buf(),
            data,
            project: Vec::new(),
            tables: Vec::new(),
            headline: None,
            route_ids: Vec::new(),
            written: Written::default(),
        };
        let net = &data.network;
        let nodes = dir.join("nodes.geojson");
        geojson::write_nodes(&nodes, net, scenarios)?;
        set.table(
            "nodes",
            "places: cities, stations, junctions, border crossings, ports",
            nodes,
        );
        set.style("nodes", Rank::Nodes, qgis::ProjectLayer::nodes())?;
        let links = dir.join("links.geojson");
        geojson::write_links(&links, net, scenarios)?;
        set.table(
            "links",
            "rail, road and ferry links, one status column per scenario",
            links,
        );
        set.style("links", Rank::Links, qgis::ProjectLayer::links())?;
        for s in scenarios {
            set.project.push((
                Rank::ScenarioLinks,
                qgis::ProjectLayer::links_in_scenario(&s.id, &set.title(&s.id)),
            ));
        }
        let projects = geojson::project_links(data);
        if projects.iter().any(|p| !p.links.is_empty()) {
            let path = dir.join("projects.geojson");
            geojson::write_projects(&path, net, &projects)?;
            set.table(
                "projects",
                "the links each unblocking project opens, with its name and kind",
                path,
            );
            let names: Vec<(&str, &str)> = projects
                .iter()
                .filter(|p| !p.links.is_empty())
                .map(|p| (p.id.as_str(), p.name.as_str()))
                .collect();
            set.style(
                "projects",
                Rank::Projects,
                qgis::ProjectLayer::projects(&names),
            )?;
        }
        Ok(set)
    }

    /// A scenario's display name (its id when it has none).
    fn title(&self, id: &str) -> String {
        self.data.scenarios.name_of(id).to_string()
    }

    fn table(&mut self, name: &str, description: &str, geojson: PathBuf) {
        self.tables.push(Table {
            name: name.into(),
            description: description.into(),
            geojson,
        });
    }

    /// Writes `<name>.qml` beside the layer and lists the layer in the project.
    fn style(
        &mut self,
        name: &str,
        rank: Rank,
        layer: qgis::ProjectLayer,
    ) -> Result<(), OutputError> {
        check_file_stem(&self.dir, name)?;
        let path = self.dir.join(format!("{name}.qml"));
        layer.style.write(&path)?;
        self.written.files.push(path);
        self.project.push((rank, layer));
        Ok(())
    }

    /// Writes `routes.geojson` and `routes.qml` (coloured by trade route, every route drawn).
    /// The project shows the routes of the last scenario of `drawn` (the map's), limited to the
    /// claims' routes when some route carries a claim, ticked; and each scenario of
    /// `scenario_order` (scenarios of the records missing from it follow in order of
    /// appearance) as an unticked layer in the group "routes by scenario".
    ///
    /// # Errors
    /// See [`geojson::write_routes`].
    pub fn add_routes(
        &mut self,
        records: &[geojson::RouteRecord],
        scenario_order: &[&str],
        drawn: &[&str],
    ) -> Result<(), OutputError> {
        let path = self.dir.join("routes.geojson");
        geojson::write_routes(&path, records)?;
        self.written.files.push(path.clone());
        self.table(
            "routes",
            "the best path of every trade route under every scenario",
            path,
        );
        let mut order: Vec<&str> = scenario_order.to_vec();
        for r in records {
            if !order.contains(&r.scenario.as_str()) {
                order.push(&r.scenario);
            }
        }
        let mut route_ids: Vec<&str> = map::route_order(&self.data.routes);
        for r in records {
            if !route_ids.contains(&r.route.as_str()) {
                route_ids.push(&r.route);
            }
        }
        let routes: Vec<(&str, &str)> = route_ids.iter().map(|&r| (r, r)).collect();
        let owned: Vec<String> = route_ids.iter().map(|r| r.to_string()).collect();
        let claims: Vec<&str> = self
            .data
            .routes
            .iter()
            .filter(|r| r.claim.is_some())
            .map(|r| r.id.as_str())
            .collect();
        let shown = drawn.last().copied().or(order.first().copied());
        let layers: Vec<(Rank, qgis::ProjectLayer)> = shown
            .map(|s| {
                let title = self.title(s);
                let only = (!claims.is_empty()).then_some(claims.as_slice());
                (
                    Rank::Routes,
                    qgis::ProjectLayer::routes_in_scenario(&routes, s, &title, only, true),
                )
            })
            .into_iter()
            .chain(order.iter().map(|s| {
                (
                    Rank::ScenarioRoutes,
                    qgis::ProjectLayer::routes_in_scenario(&routes, s, &self.title(s), None, false),
                )
            }))
            .collect();
        if let Some(s) = shown {
            self.headline = Some(format!(
                "{}: the claims' routes under “{}”",
                data_name(self.data),
                self.title(s)
            ));
        }
        let whole = qgis::ProjectLayer::routes(&routes);
        let qml = self.dir.join("routes.qml");
        whole.style.write(&qml)?;
        self.written.files.push(qml);
        self.project.extend(layers);
        self.route_ids = owned;
        Ok(())
    }

    /// Writes a link metric layer `<name>.geojson` and its style `<name>.qml`: graduated widths
    /// on `style_field` (one of the layer's columns) in `colour`.
    ///
    /// # Errors
    /// [`OutputError::InvalidData`] when `style_field` is not a column; see also
    /// [`geojson::write_link_metric`].
    pub fn add_metric(
        &mut self,
        layer: &geojson::LinkMetricLayer,
        style_field: &str,
        colour: chart::Rgb,
    ) -> Result<(), OutputError> {
        check_file_stem(&self.dir, &layer.name)?;
        let path = self.dir.join(format!("{}.geojson", layer.name));
        let values: Vec<f64> = layer
            .columns
            .iter()
            .find(|(n, _)| n == style_field)
            .ok_or_else(|| {
                OutputError::invalid(&path, format!("no column `{style_field}` to style by"))
            })?
            .1
            .iter()
            .flatten()
            // As written: classes over the unrounded values could end just below the largest
            // rounded value, which QGIS then draws with no symbol.
            .map(|&v| crate::format::round_to(v, geojson::METRIC_DECIMALS))
            .collect();
        geojson::write_link_metric(&path, &self.data.network, layer)?;
        self.written.files.push(path.clone());
        self.table(
            &layer.name,
            &format!("links with {} under {}", style_field, layer.scenario),
            path,
        );
        let project_layer = qgis::ProjectLayer::metric(&layer.name, style_field, &values, colour);
        self.style(&layer.name, Rank::Metric, project_layer)
    }

    /// One table of `corridor.gpkg`: its features and styles, its own style the default, then
    /// the other styles the project gives it (links by scenario), each once.
    fn gpkg_layer<'v>(
        &self,
        name: &str,
        description: &str,
        features: gpkg::FeatureSource<'v>,
    ) -> gpkg::GpkgLayer<'v> {
        let mut styles: Vec<(String, String, bool)> = Vec::new();
        let default_style = if name == "routes" {
            let ids: Vec<(&str, &str)> = self
                .route_ids
                .iter()
                .map(|r| (r.as_str(), r.as_str()))
                .collect();
            Some(qgis::routes_style(&ids).to_qml())
        } else {
            self.project
                .iter()
                .find(|(_, l)| l.table == name && l.name == name)
                .map(|(_, l)| l.style.to_qml())
        };
        if let Some(q) = default_style {
            styles.push((name.to_string(), q, true));
        }
        for (_, l) in &self.project {
            if l.table == name && l.name != name {
                let q = l.style.to_qml();
                if !styles.iter().any(|(_, x, _)| *x == q) {
                    styles.push((l.name.clone(), q, false));
                }
            }
        }
        gpkg::GpkgLayer {
            table: name.to_string(),
            description: description.to_string(),
            features,
            styles,
        }
    }

    /// Writes `corridor.gpkg` (every layer written, the basemap, the styles) and `corridor.qgs`
    /// over it, opening on the network's extent, with its print layout.
    ///
    /// # Errors
    /// [`OutputError`] naming `corridor.gpkg` or `corridor.qgs`.
    pub fn finish(mut self) -> Result<Written, OutputError> {
        let net = &self.data.network;
        let home = home_countries(net);
        // The basemap reaches a quarter of the network's span beyond it, no further (and is left
        // out for a network outside the region it covers).
        let data = qgis::Extent::of_network(net);
        let (gx, gy) = (
            (data.max_lon - data.min_lon) / 4.0,
            (data.max_lat - data.min_lat) / 4.0,
        );
        let basemap_tables = basemap::clipped_geojson((
            data.min_lon - gx,
            data.min_lat - gy,
            data.max_lon + gx,
            data.max_lat + gy,
        ));
        if basemap_tables.is_some() {
            self.project
                .push((Rank::Basemap, qgis::ProjectLayer::basemap_lines()));
            self.project
                .push((Rank::Basemap, qgis::ProjectLayer::basemap_countries(&home)));
        }
        // A stable sort keeps the order of addition within a rank.
        self.project.sort_by_key(|(rank, _)| *rank);

        // The GeoPackage: each table with its own style as the default, then the other styles
        // the project gives it (links by scenario), each once.
        let gpkg_path = self.dir.join(qgis::GPKG);
        // One feature in memory at a time: each table is written from its GeoJSON file read as
        // a stream (a large network's layer parsed whole is many times the machine's memory).
        let has_basemap = basemap_tables.is_some();
        let mut writer = gpkg::GpkgWriter::create(&gpkg_path)?;
        for t in &self.tables {
            let features = gpkg::FeatureSource::File(&t.geojson);
            writer.add(&self.gpkg_layer(&t.name, &t.description, features))?;
        }
        if let Some((countries, lines)) = basemap_tables {
            writer.add(&self.gpkg_layer(
                "basemap_countries",
                "Natural Earth 1:50m countries, clipped to the network's surroundings (public domain)",
                gpkg::FeatureSource::Collection(&countries),
            ))?;
            writer.add(&self.gpkg_layer(
                "basemap_lines",
                "Natural Earth 1:50m land borders and coastline, clipped to the network's surroundings (public domain)",
                gpkg::FeatureSource::Collection(&lines),
            ))?;
        }
        writer.finish()?;
        self.written.files.push(gpkg_path);

        let has_routes = self.tables.iter().any(|t| t.name == "routes");
        let mut project = qgis::Project::new("corridor", qgis::Extent::of_network(net));
        for (_, layer) in self.project {
            project.add(layer);
        }
        project.layout = Some(qgis::Layout {
            title: self
                .headline
                .unwrap_or_else(|| format!("{}: the network", data_name(self.data))),
            sources: format!(
                "Network: corridor data folder `{}` (every feature names its source). {}{}\
                 Web Mercator.",
                data_name(self.data),
                if has_basemap {
                    "Basemap: Natural Earth 1:50m countries (public domain), from npm world-atlas \
                     2.0.2. "
                } else {
                    "No basemap: the network lies outside the region the bundled Natural Earth \
                     basemap covers. "
                },
                if has_routes {
                    format!(
                        "Routes: corridor {} best paths. ",
                        env!("CARGO_PKG_VERSION")
                    )
                } else {
                    String::new()
                },
            ),
            extent: map::core_extent(net).map(|(a, b, c, d)| qgis::Extent {
                min_lon: a,
                min_lat: b,
                max_lon: c,
                max_lat: d,
            }),
        });
        let path = self.dir.join("corridor.qgs");
        project.write(&path)?;
        self.written.files.push(path);
        Ok(self.written)
    }
}

/// Natural Earth names of the countries holding a tenth of the network's places or more: the
/// region it serves, drawn lighter on the basemap.
fn home_countries(net: &crate::network::Network) -> Vec<&'static str> {
    let mut counts: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for n in &net.nodes {
        *counts.entry(n.country.name()).or_default() += 1;
    }
    basemap::basemap()
        .countries
        .iter()
        .filter(|c| {
            counts
                .get(c.name.as_str())
                .is_some_and(|&k| k * 10 >= net.nodes.len())
        })
        .map(|c| c.name.as_str())
        .collect()
}

/// Writes the network layers of a data folder into `dir` (created if missing): `nodes.geojson`
/// and `links.geojson` with one status column per scenario, their QGIS styles, a `corridor.qgs`
/// project that opens them (and the links once more per scenario), and the quick-look map
/// `map.png` / `map.svg` of the data's own statuses.
///
/// # Arguments
/// - `dir`: the output folder.
/// - `data`: the loaded data folder.
/// - `scenarios`: the scenarios whose link and crossing masks become columns, in column order.
///
/// # Returns
/// The paths written.
///
/// # Errors
/// [`OutputError`] naming the file that could not be written, or a scenario whose masks do not
/// match the network.
///
/// # Examples
/// ```no_run
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use corridor::scenario::Dataset;
/// let data = Dataset::load("data/caucasus".as_ref())?;
/// let scenarios: Vec<_> = data.scenarios.ids().filter_map(|id| data.resolve(id)).collect();
/// corridor::output::write_network_layers("output/layers".as_ref(), &data, &scenarios)?;
/// # Ok(())
/// # }
/// ```
pub fn write_network_layers(
    dir: &Path,
    data: &Dataset,
    scenarios: &[ResolvedScenario],
) -> Result<Written, OutputError> {
    let mut written = LayerSet::new(dir, data, scenarios)?.finish()?;
    let map = map::QuickLookMap::new(
        format!("{}: links by mode and status", data_name(data)),
        &data.network,
    )
    .focus_on_core();
    written
        .files
        .extend(chart::write_chart(&map, &dir.join("map"))?);
    Ok(written)
}

/// A short name for a data folder: its last path component.
fn data_name(data: &Dataset) -> String {
    data.dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "corridor".into())
}
