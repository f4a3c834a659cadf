//! Everything a run writes for people and for GIS: GeoJSON layers ([`geojson`]), their QGIS styles
//! and a project that opens them all ([`qgis`]), charts ([`chart`]) and a quick-look map ([`map`]),
//! each written atomically ([`atomic`]).
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
pub mod chart;
pub mod critical;
pub mod geojson;
pub mod manifest;
pub mod map;
pub mod peer;
pub mod qgis;
pub mod report;
pub mod route;
pub mod run;
pub mod simulation;
pub mod staging;
pub mod tables;

use std::path::{Path, PathBuf};

use crate::scenario::{Dataset, ResolvedScenario};

pub use atomic::write_atomic;
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
    ScenarioLinks,
}

/// The GIS layers of a run, written one by one into a folder, and the `corridor.qgs` project
/// that opens them, written last by [`LayerSet::finish`].
///
/// The project lists `nodes` on top, then the metric layers (criticality, flows; unticked),
/// `links`, `routes` (wide translucent bands under the links, so that both stay readable), and a
/// group "links by scenario" (unticked) with the links styled by each scenario's status column.
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
    written: Written,
}

impl<'a> LayerSet<'a> {
    /// Creates `dir` if needed and writes `nodes.geojson`, `links.geojson` (one status column
    /// per scenario, in the order given) and their styles `nodes.qml`, `links.qml`.
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
            written: Written::default(),
        };
        let net = &data.network;
        let nodes = dir.join("nodes.geojson");
        geojson::write_nodes(&nodes, net, scenarios)?;
        set.written.files.push(nodes);
        set.style("nodes", Rank::Nodes, qgis::ProjectLayer::nodes())?;
        let links = dir.join("links.geojson");
        geojson::write_links(&links, net, scenarios)?;
        set.written.files.push(links);
        set.style("links", Rank::Links, qgis::ProjectLayer::links())?;
        for s in scenarios {
            let title = data
                .scenarios
                .get(&s.id)
                .map_or(s.id.as_str(), |x| x.name.as_str());
            set.project.push((
                Rank::ScenarioLinks,
                qgis::ProjectLayer::links_in_scenario(&s.id, title),
            ));
        }
        Ok(set)
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

    /// Writes `routes.geojson` and `routes.qml` (coloured by scenario, in `scenario_order`;
    /// scenarios of the records missing from it follow in order of appearance). Only the
    /// scenarios in `drawn` are drawn when the project opens (all when it is empty): with many
    /// scenarios, every route drawn at once hides the network.
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
        self.written.files.push(path);
        let mut order: Vec<&str> = scenario_order.to_vec();
        for r in records {
            if !order.contains(&r.scenario.as_str()) {
                order.push(&r.scenario);
            }
        }
        self.style(
            "routes",
            Rank::Routes,
            qgis::ProjectLayer::routes(&order, drawn),
        )
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
        self.written.files.push(path);
        let project_layer = qgis::ProjectLayer::metric(&layer.name, style_field, &values, colour);
        self.style(&layer.name, Rank::Metric, project_layer)
    }

    /// Writes `corridor.qgs`, opening every layer written, styled, on the network's extent.
    ///
    /// # Errors
    /// [`OutputError`] naming `corridor.qgs`.
    pub fn finish(mut self) -> Result<Written, OutputError> {
        // A stable sort keeps the order of addition within a rank.
        self.project.sort_by_key(|(rank, _)| *rank);
        let mut project =
            qgis::Project::new("corridor", qgis::Extent::of_network(&self.data.network));
        for (_, layer) in self.project {
            project.add(layer);
        }
        let path = self.dir.join("corridor.qgs");
        project.write(&path)?;
        self.written.files.push(path);
        Ok(self.written)
    }
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
