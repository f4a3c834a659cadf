//! Capacities for the freight assignment (`capacity.toml`): the BPR parameters, defaults per kind
//! of element (single-track railways, border crossings by mode, breaks of gauge, transshipment
//! terminals), and figures for named crossings and transfer places, each with its source.
//!
//! A link's own `capacity` in `links.geojson` comes first; a single-track railway (`tracks = 1`)
//! without one takes the default. Double-track railways, roads and ferries without a `capacity`
//! are not capacity-limited. A default left out leaves that kind of element unlimited.
//!
//! ```toml
//! bpr_alpha = 0.15
//! bpr_beta = 4.0
//! [default]
//! single_track_rail = 17808
//! crossing_rail = 17808
//! crossing_road = 5000
//! gauge_change = 5000
//! transship = 5000
//! [[crossing]]
//! id = "bx-julfa"
//! mode = "rail"
//! t_per_day = 8219
//! confidence = "M"
//! source = "..."
//! [[transfer]]
//! place = "akhalkalaki"
//! kind = "gauge"
//! t_per_day = 17808
//! confidence = "M"
//! source = "..."
//! ```
//!
//! # Units
//! Tonnes per day (both directions together); `bpr_alpha` and `bpr_beta` have no unit.

use std::path::Path;

use serde::Deserialize;

use crate::network::input::{parse_toml, read_input};
use crate::network::{CostSource, DataError, Link, Mode, Network, NodeId};

use super::table::SourceConfidence;

/// A transfer facility of a place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TransferKind {
    /// Break of gauge 1520/1435 mm.
    Gauge,
    /// Rail-road transshipment.
    Transship,
}

impl TransferKind {
    pub fn as_str(self) -> &'static str {
        match self {
            TransferKind::Gauge => "gauge",
            TransferKind::Transship => "transship",
        }
    }
}

/// Defaults per kind of element; `None` leaves that kind unlimited.
///
/// # Units
/// Tonnes per day.
#[derive(Debug, Clone, Copy, PartialEq, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CapacityDefaults {
    pub single_track_rail: Option<f64>,
    pub crossing_rail: Option<f64>,
    pub crossing_road: Option<f64>,
    pub gauge_change: Option<f64>,
    pub transship: Option<f64>,
}

/// A figure for one named element.
#[derive(Debug, Clone, PartialEq)]
pub struct NamedCapacity<K> {
    pub node: NodeId,
    pub kind: K,
    /// Tonnes per day.
    pub t_per_day: f64,
    pub confidence: SourceConfidence,
    pub source: String,
}

/// The capacities of a data folder.
#[derive(Debug, Clone, PartialEq)]
pub struct CapacityModel {
    /// BPR `alpha`: the delay at capacity as a share of the free-flow time.
    pub bpr_alpha: f64,
    /// BPR `beta`: how steeply the delay rises past capacity.
    pub bpr_beta: f64,
    pub defaults: CapacityDefaults,
    pub crossings: Vec<NamedCapacity<Mode>>,
    pub transfers: Vec<NamedCapacity<TransferKind>>,
    pub sources: Vec<CostSource>,
}

impl CapacityModel {
    /// The capacity of a link: its own figure, else the single-track default for a railway
    /// with one track, else none (unlimited).
    ///
    /// # Units
    /// Tonnes per day.
    pub fn link(&self, link: &Link) -> Option<f64> {
        link.capacity_t_per_day.or_else(|| {
            (link.mode == Mode::Rail && link.tracks == Some(1))
                .then_some(self.defaults.single_track_rail)
                .flatten()
        })
    }

    /// The capacity of a border crossing for rail or road.
    ///
    /// # Units
    /// Tonnes per day.
    pub fn crossing(&self, node: NodeId, mode: Mode) -> Option<f64> {
        if let Some(c) = self
            .crossings
            .iter()
            .find(|c| c.node == node && c.kind == mode)
        {
            return Some(c.t_per_day);
        }
        match mode {
            Mode::Rail => self.defaults.crossing_rail,
            Mode::Road => self.defaults.crossing_road,
            Mode::Ferry => None,
        }
    }

    /// The capacity of a place's transfer facility.
    ///
    /// # Units
    /// Tonnes per day.
    pub fn transfer(&self, node: NodeId, kind: TransferKind) -> Option<f64> {
        if let Some(c) = self
            .transfers
            .iter()
            .find(|c| c.node == node && c.kind == kind)
        {
            return Some(c.t_per_day);
        }
        match kind {
            TransferKind::Gauge => self.defaults.gauge_change,
            TransferKind::Transship => self.defaults.transship,
        }
    }

    /// Reads and checks `capacity.toml`.
    ///
    /// # Errors
    /// Every problem found, each naming the file and the entry: malformed TOML, unknown fields,
    /// a figure that is not positive, a crossing that is not a border node or lacks the mode, a
    /// transfer place without that facility, an unknown place (with the closest ids), a bad
    /// confidence.
    pub fn load(path: &Path, network: &Network) -> Result<CapacityModel, Vec<DataError>> {
        let text = read_input(path).map_err(|e| vec![e])?;
        Self::parse(path, &text, network)
    }

    /// Parses the text of a `capacity.toml`; `path` only names the file in messages.
    ///
    /// # Errors
    /// As [`CapacityModel::load`].
    pub fn parse(
        path: &Path,
        text: &str,
        network: &Network,
    ) -> Result<CapacityModel, Vec<DataError>> {
        let raw: RawFile = parse_toml(path, text).map_err(|e| vec![e])?;
        let mut errors = Vec::new();
        let entry = |kind: &'static str, id: &str, field: &str, problem: String| DataError::Entry {
            path: path.to_path_buf(),
            kind,
            id: id.to_string(),
            field: field.to_string(),
            problem,
        };
        let positive = |v: f64| v.is_finite() && v > 0.0;
        if !(raw.bpr_alpha.is_finite() && raw.bpr_alpha >= 0.0) {
            errors.push(entry(
                "capacity",
                "capacity",
                "bpr_alpha",
                format!("{} is not a number >= 0", raw.bpr_alpha),
            ));
        }
        if !(raw.bpr_beta.is_finite() && raw.bpr_beta >= 1.0) {
            errors.push(entry(
                "capacity",
                "capacity",
                "bpr_beta",
                format!("{} is not a number >= 1", raw.bpr_beta),
            ));
        }
        let d = raw.default;
        for (field, v) in [
            ("default.single_track_rail", d.single_track_rail),
            ("default.crossing_rail", d.crossing_rail),
            ("default.crossing_road", d.crossing_road),
            ("default.gauge_change", d.gauge_change),
            ("default.transship", d.transship),
        ] {
            if let Some(v) = v.filter(|v| !positive(*v)) {
                errors.push(entry(
                    "capacity",
                    "capacity",
                    field,
                    format!("{v} is not a number > 0"),
                ));
            }
        }
        let mut crossings = Vec::new();
        for c in raw.crossing {
            let before = errors.len();
            let node = match network.find_place(&c.id) {
                Ok(n) => Some(n),
                Err(e) => {
                    errors.push(entry("crossing", &c.id, "id", e.to_string()));
                    None
                }
            };
            let mode = match c.mode.as_str() {
                "rail" => Some(Mode::Rail),
                "road" => Some(Mode::Road),
                other => {
                    errors.push(entry(
                        "crossing",
                        &c.id,
                        "mode",
                        format!("{other:?} is not rail or road"),
                    ));
                    None
                }
            };
            if let (Some(n), Some(m)) = (node, mode) {
                let has = network
                    .node(n)
                    .border
                    .as_ref()
                    .and_then(|b| b.mode(m))
                    .is_some();
                if !has {
                    errors.push(entry(
                        "crossing",
                        &c.id,
                        "mode",
                        format!(
                            "`{}` is not a border crossing with a {} crossing",
                            network.node(n).id,
                            m.as_str()
                        ),
                    ));
                }
            }
            if !positive(c.t_per_day) {
                errors.push(entry(
                    "crossing",
                    &c.id,
                    "t_per_day",
                    format!("{} is not a number > 0", c.t_per_day),
                ));
            }
            let confidence = SourceConfidence::parse(&c.confidence);
            if confidence.is_none() {
                errors.push(entry(
                    "crossing",
                    &c.id,
                    "confidence",
                    format!("{:?} is not H, M or L", c.confidence),
                ));
            }
            if c.source.trim().is_empty() {
                errors.push(entry(
                    "crossing",
                    &c.id,
                    "source",
                    "must not be empty".into(),
                ));
            }
            if errors.len() > before {
                continue;
            }
            if let (Some(node), Some(kind), Some(confidence)) = (node, mode, confidence) {
                crossings.push(NamedCapacity {
                    node,
                    kind,
                    t_per_day: c.t_per_day,
                    confidence,
                    source: c.source,
                });
            }
        }
        let mut transfers = Vec::new();
        for t in raw.transfer {
            let before = errors.len();
            let node = match network.find_place(&t.place) {
                Ok(n) => Some(n),
                Err(e) => {
                    errors.push(entry("transfer", &t.place, "place", e.to_string()));
                    None
                }
            };
            let kind = match t.kind.as_str() {
                "gauge" => Some(TransferKind::Gauge),
                "transship" => Some(TransferKind::Transship),
                other => {
                    errors.push(entry(
                        "transfer",
                        &t.place,
                        "kind",
                        format!("{other:?} is not gauge or transship"),
                    ));
                    None
                }
            };
            if let (Some(n), Some(k)) = (node, kind) {
                let f = network.node(n).transfers;
                let has = match k {
                    TransferKind::Gauge => f.gauge,
                    TransferKind::Transship => f.transship,
                };
                if !has {
                    errors.push(entry(
                        "transfer",
                        &t.place,
                        "kind",
                        format!(
                            "`{}` has no `{}` transfer facility in nodes.geojson",
                            network.node(n).id,
                            k.as_str()
                        ),
                    ));
                }
            }
            if !positive(t.t_per_day) {
                errors.push(entry(
                    "transfer",
                    &t.place,
                    "t_per_day",
                    format!("{} is not a number > 0", t.t_per_day),
                ));
            }
            let confidence = SourceConfidence::parse(&t.confidence);
            if confidence.is_none() {
                errors.push(entry(
                    "transfer",
                    &t.place,
                    "confidence",
                    format!("{:?} is not H, M or L", t.confidence),
                ));
            }
            if t.source.trim().is_empty() {
                errors.push(entry(
                    "transfer",
                    &t.place,
                    "source",
                    "must not be empty".into(),
                ));
            }
            if errors.len() > before {
                continue;
            }
            if let (Some(node), Some(kind), Some(confidence)) = (node, kind, confidence) {
                transfers.push(NamedCapacity {
                    node,
                    kind,
                    t_per_day: t.t_per_day,
                    confidence,
                    source: t.source,
                });
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(CapacityModel {
            bpr_alpha: raw.bpr_alpha,
            bpr_beta: raw.bpr_beta,
            defaults: d,
            crossings,
            transfers,
            sources: raw.sources,
        })
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    bpr_alpha: f64,
    bpr_beta: f64,
    #[serde(default)]
    default: CapacityDefaults,
    #[serde(default)]
    crossing: Vec<RawCrossing>,
    #[serde(default)]
    transfer: Vec<RawTransfer>,
    #[serde(default)]
    sources: Vec<CostSource>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCrossing {
    id: String,
    mode: String,
    t_per_day: f64,
    confidence: String,
    source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTransfer {
    place: String,
    kind: String,
    t_per_day: f64,
    confidence: String,
    source: String,
}
