//! The state-expanded compiled graph of a [`Network`]: every place appears once per layer
//! ([`Layer`]: rail 1520 mm, rail 1435 mm, road), links become arcs in the layers they carry, and
//! transfer arcs join the layers where a place offers a break of gauge or a transshipment. One
//! shortest-path search over it prices every gauge change, transshipment, border crossing and
//! ferry wait exactly.
//!
//! ```text
//!   layer            place u                       place v (gauge transfer)
//!   rail-1520   (u,1520) ==link 1520==>  (v,1520)
//!                                           |  ^  gauge change (h, USD/t), both ways
//!                                           v  |
//!   rail-1435                              (v,1435) ==link 1435==> ...
//!   road        (u,road) --road link-->  (v,road)
//!   (u has a transshipment terminal: (u,1520) <-> (u,road) and (u,1435) <-> (u,road))
//! ```
//!
//! State `v * 3 + layer` is place `v` in `layer`. Ferries live in the layers of what they carry
//! (a rail ferry in the layer of its `gauge_mm`); `dual_gauge` rail links exist in both rail
//! layers. An arc *into* a border node by rail or road pays that crossing's dwell for the mode and
//! its fee, and is blocked by a scenario that closes the crossing for that mode. A ferry's time
//! is its running time plus half its headway (the expected wait).
//!
//! The graph holds every link whatever its status: a scenario ([`super::Overlay`]) masks arcs,
//! so switching scenarios never rebuilds it.
//!
//! # Units
//! Arc lengths in km, times in hours, prices in USD per tonne.

use crate::network::{CostModel, Country, LinkId, Mode, Network, NodeId, NodeKind};

use super::csr::{self, Csr, CsrError, NONE};

/// A layer of the state-expanded graph: what the cargo is riding on at a place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Layer {
    Rail1520 = 0,
    Rail1435 = 1,
    Road = 2,
}

/// Layers per place.
pub const LAYERS: u32 = 3;

impl Layer {
    pub const ALL: [Layer; 3] = [Layer::Rail1520, Layer::Rail1435, Layer::Road];

    pub fn index(self) -> u32 {
        self as u32
    }

    pub fn from_index(i: u32) -> Layer {
        match i % LAYERS {
            0 => Layer::Rail1520,
            1 => Layer::Rail1435,
            _ => Layer::Road,
        }
    }

    /// Rail for both rail layers, road for the road layer.
    pub fn mode(self) -> Mode {
        match self {
            Layer::Rail1520 | Layer::Rail1435 => Mode::Rail,
            Layer::Road => Mode::Road,
        }
    }

    /// The rail layer of a gauge.
    pub fn rail(gauge_mm: u16) -> Layer {
        if gauge_mm == 1435 {
            Layer::Rail1435
        } else {
            Layer::Rail1520
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Layer::Rail1520 => "rail-1520",
            Layer::Rail1435 => "rail-1435",
            Layer::Road => "road",
        }
    }
}

/// What an arc is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArcKind {
    /// A link travelled from its `from` node to its `to` node (`forward`) or back.
    Link { link: LinkId, forward: bool },
    /// A break of gauge between the two rail layers at a place.
    GaugeChange,
    /// A rail-road transshipment at a place.
    Transship,
}

/// One arc of the compiled graph and what it costs before any scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct ArcInfo {
    pub kind: ArcKind,
    pub from: NodeId,
    pub to: NodeId,
    pub from_layer: Layer,
    pub to_layer: Layer,
    /// The link's mode (ferries are [`Mode::Ferry`]); for a transfer, the mode of the layer
    /// entered.
    pub mode: Mode,
    /// Kilometres travelled.
    pub km: f64,
    /// Hours: running time, plus half the headway on a ferry, plus the dwell at the crossing
    /// entered, or the transfer's time.
    pub hours: f64,
    /// USD per tonne: tariff times km, plus the fee of the crossing entered, or the transfer's
    /// price.
    pub usd_per_t: f64,
    /// The country the kilometres lie in (`None` at sea).
    pub country: Option<Country>,
    /// The country the arc moves in for the access policy: the link's country, or for a ferry
    /// between countries the country it lands in. `None` for transfers (no policy applies).
    pub policy_country: Option<Country>,
    /// Whether the arc enters `policy_country` (it leaves a border node, lands from the sea, or
    /// starts in another country): where a policy penalty is charged.
    pub enters_country: bool,
    /// The border crossing this arc enters (paying its dwell and fee), if any.
    pub crossing: Option<NodeId>,
    // Compact copies for the search loop.
    pub(crate) link_ix: u32,
    pub(crate) country_ix: u8,
    pub(crate) crossing_ix: u32,
    /// Bit `l` set for each layer the arc touches.
    pub(crate) layer_bits: u8,
    /// Index of `mode` (rail 0, road 1, ferry 2) for the policy tables.
    pub(crate) mode_ix: u8,
}

/// "No country" in [`ArcInfo`]'s compact index.
pub(crate) const NO_COUNTRY: u8 = u8::MAX;

pub(crate) fn mode_index(m: Mode) -> u8 {
    match m {
        Mode::Rail => 0,
        Mode::Road => 1,
        Mode::Ferry => 2,
    }
}

/// The compiled, state-expanded graph of a network under a cost model.
#[derive(Debug, Clone)]
pub struct CompiledGraph {
    pub csr: Csr,
    /// Arc data, indexed by CSR arc id.
    pub arcs: Vec<ArcInfo>,
    /// The countries arcs lie in, indexed by the compact country index.
    pub countries: Vec<Country>,
    /// The border nodes arcs enter, indexed by the compact crossing index.
    pub crossings: Vec<NodeId>,
    /// Arcs of each link (both directions, every layer), `link_arcs[first_link_arc[l]..]`.
    first_link_arc: Vec<u32>,
    link_arcs: Vec<u32>,
    /// Unit vectors of the places, times the Earth's mean radius: the chord between two is a
    /// metric in km that never exceeds the great-circle distance.
    positions: Vec<[f64; 3]>,
    /// Least km, hours and USD/t per km of chord over every link arc (lower bounds for A*).
    min_per_chord_km: [f64; 3],
    num_places: usize,
}

/// Mean Earth radius in km (IUGG).
const EARTH_RADIUS_KM: f64 = 6371.0088;

impl CompiledGraph {
    /// Compiles `network` priced by `costs`.
    ///
    /// # Errors
    /// [`CsrError::TooLarge`] when the expanded graph does not fit `u32` ids (over about 1.4
    /// billion places).
    ///
    /// # Complexity
    /// O(places + links) time and memory.
    pub fn compile(network: &Network, costs: &CostModel) -> Result<CompiledGraph, CsrError> {
        let n = network.nodes.len();
        if n.saturating_mul(LAYERS as usize) >= NONE as usize - 1 {
            return Err(CsrError::TooLarge {
                what: "place",
                count: n,
            });
        }
        let mut countries: Vec<Country> = Vec::new();
        let mut crossings: Vec<NodeId> = Vec::new();
        let mut arcs: Vec<ArcInfo> = Vec::new();
        let mut pairs: Vec<(u32, u32)> = Vec::new();
        let state = |v: NodeId, l: Layer| v.0 * LAYERS + l.index();

        for (li, link) in network.links.iter().enumerate() {
            let lid = LinkId(li as u32);
            let mut layers: Vec<Layer> = Vec::new();
            if link.carries.rail || link.mode == Mode::Rail {
                match link.gauge_mm {
                    _ if link.dual_gauge => {
                        layers.extend([Layer::Rail1520, Layer::Rail1435]);
                    }
                    Some(g) => layers.push(Layer::rail(g)),
                    None => layers.push(Layer::Rail1520),
                }
            }
            if link.carries.road || link.mode == Mode::Road {
                layers.push(Layer::Road);
            }
            let speed = link
                .speed_kmh
                .filter(|s| *s > 0.0)
                .unwrap_or_else(|| costs.speed_kmh.get(link.mode));
            let mut run_h = link.length_km / speed;
            if link.mode == Mode::Ferry {
                run_h += link.headway_h.unwrap_or(0.0) / 2.0;
            }
            let haul_usd = costs.tariff_usd_per_tkm.get(link.mode) * link.length_km;
            let directions: &[bool] = if link.oneway { &[true] } else { &[true, false] };
            for &forward in directions {
                let (from, to) = if forward {
                    (link.from, link.to)
                } else {
                    (link.to, link.from)
                };
                let (tail, head) = (network.node(from), network.node(to));
                let policy_country = link.country.or(Some(head.country));
                let enters_country = tail.kind == NodeKind::Border
                    || Some(tail.country) != policy_country
                    || (link.mode == Mode::Ferry && link.country.is_none());
                for &layer in &layers {
                    let mut hours = run_h;
                    let mut usd = haul_usd;
                    let mut crossing = None;
                    if link.mode != Mode::Ferry {
                        if let Some(b) = &head.border {
                            crossing = Some(to);
                            if let Some(m) = b.mode(layer.mode()) {
                                hours += m.dwell_h;
                            }
                            usd += b.fee_usd_per_t;
                        }
                    }
                    let country_ix = match policy_country {
                        Some(c) => intern(&mut countries, c) as u8,
                        None => NO_COUNTRY,
                    };
                    if let Some(c) = link.country {
                        intern(&mut countries, c);
                    }
                    let crossing_ix = crossing.map_or(NONE, |c| intern(&mut crossings, c) as u32);
                    pairs.push((state(from, layer), state(to, layer)));
                    arcs.push(ArcInfo {
                        kind: ArcKind::Link { link: lid, forward },
                        from,
                        to,
                        from_layer: layer,
                        to_layer: layer,
                        mode: link.mode,
                        km: link.length_km,
                        hours,
                        usd_per_t: usd,
                        country: link.country,
                        policy_country,
                        enters_country,
                        crossing,
                        link_ix: li as u32,
                        country_ix,
                        crossing_ix,
                        layer_bits: 1 << layer.index(),
                        mode_ix: mode_index(link.mode),
                    });
                }
            }
        }
        if countries.len() >= NO_COUNTRY as usize {
            return Err(CsrError::TooLarge {
                what: "country",
                count: countries.len(),
            });
        }
        let t = &costs.transfer;
        for v in network.node_ids() {
            let node = network.node(v);
            let mut transfer = |kind: ArcKind, a: Layer, b: Layer, hours: f64, usd: f64| {
                for (x, y) in [(a, b), (b, a)] {
                    pairs.push((state(v, x), state(v, y)));
                    arcs.push(ArcInfo {
                        kind,
                        from: v,
                        to: v,
                        from_layer: x,
                        to_layer: y,
                        mode: y.mode(),
                        km: 0.0,
                        hours,
                        usd_per_t: usd,
                        country: Some(node.country),
                        policy_country: None,
                        enters_country: false,
                        crossing: None,
                        link_ix: NONE,
                        country_ix: NO_COUNTRY,
                        crossing_ix: NONE,
                        layer_bits: (1 << x.index()) | (1 << y.index()),
                        mode_ix: mode_index(y.mode()),
                    });
                }
            };
            if node.transfers.gauge {
                transfer(
                    ArcKind::GaugeChange,
                    Layer::Rail1520,
                    Layer::Rail1435,
                    t.gauge_change_h,
                    t.gauge_change_usd_per_t,
                );
            }
            if node.transfers.transship {
                for rail in [Layer::Rail1520, Layer::Rail1435] {
                    transfer(
                        ArcKind::Transship,
                        rail,
                        Layer::Road,
                        t.transship_h,
                        t.transship_usd_per_t,
                    );
                }
            }
        }
        let csr = Csr::from_arcs(n * LAYERS as usize, &pairs)?;
        // Arc data in CSR order.
        let arcs: Vec<ArcInfo> = (0..csr.num_arcs() as u32)
            .map(|a| arcs[csr.input_index(a) as usize].clone())
            .collect();
        // Arcs by link.
        let (first_link_arc, link_arcs) = csr::group_by_key(
            network.links.len(),
            arcs.iter()
                .enumerate()
                .filter(|(_, a)| a.link_ix != NONE)
                .map(|(i, a)| (a.link_ix, i as u32)),
        );
        let positions: Vec<[f64; 3]> = network
            .nodes
            .iter()
            .map(|node| {
                let (lon, lat) = (
                    node.position.lon.to_radians(),
                    node.position.lat.to_radians(),
                );
                [
                    EARTH_RADIUS_KM * lat.cos() * lon.cos(),
                    EARTH_RADIUS_KM * lat.cos() * lon.sin(),
                    EARTH_RADIUS_KM * lat.sin(),
                ]
            })
            .collect();
        let mut min_per_chord_km = [f64::INFINITY; 3];
        for a in &arcs {
            let chord = chord_km(&positions[a.from.index()], &positions[a.to.index()]);
            if chord > 0.0 {
                for (m, x) in min_per_chord_km
                    .iter_mut()
                    .zip([a.km, a.hours, a.usd_per_t])
                {
                    *m = m.min(x / chord);
                }
            }
        }
        // A graph without a single arc of positive chord needs no bound: 0 is always admissible.
        for m in &mut min_per_chord_km {
            if !m.is_finite() {
                *m = 0.0;
            }
        }
        Ok(CompiledGraph {
            csr,
            arcs,
            countries,
            crossings,
            first_link_arc,
            link_arcs,
            positions,
            min_per_chord_km,
            num_places: n,
        })
    }

    /// The state of place `v` in `layer`.
    #[inline]
    pub fn state(&self, v: NodeId, layer: Layer) -> u32 {
        v.0 * LAYERS + layer.index()
    }

    /// The place of a state.
    #[inline]
    pub fn place(&self, state: u32) -> NodeId {
        NodeId(state / LAYERS)
    }

    /// The layer of a state.
    #[inline]
    pub fn layer(&self, state: u32) -> Layer {
        Layer::from_index(state % LAYERS)
    }

    pub fn num_places(&self) -> usize {
        self.num_places
    }

    pub fn arc(&self, arc: u32) -> &ArcInfo {
        &self.arcs[arc as usize]
    }

    /// Every arc of a link: both directions, every layer it carries.
    pub fn arcs_of_link(&self, link: LinkId) -> &[u32] {
        let i = link.index();
        match (self.first_link_arc.get(i), self.first_link_arc.get(i + 1)) {
            (Some(&a), Some(&b)) => &self.link_arcs[a as usize..b as usize],
            _ => &[],
        }
    }

    /// A lower bound on the distance between two places.
    ///
    /// # Units
    /// Kilometres: the chord through the Earth (sphere of mean radius), never more than the
    /// great-circle distance; it obeys the triangle inequality, which A* needs.
    #[inline]
    pub fn chord_km(&self, a: NodeId, b: NodeId) -> f64 {
        chord_km(&self.positions[a.index()], &self.positions[b.index()])
    }

    /// The least km, hours and USD/t any arc spends per km of chord: `[km, h, usd]`.
    pub fn min_per_chord_km(&self) -> [f64; 3] {
        self.min_per_chord_km
    }
}

#[inline]
fn chord_km(a: &[f64; 3], b: &[f64; 3]) -> f64 {
    let (dx, dy, dz) = (a[0] - b[0], a[1] - b[1], a[2] - b[2]);
    (dx * dx + dy * dy + dz * dz).sqrt()
}

fn intern<T: PartialEq + Copy>(list: &mut Vec<T>, x: T) -> usize {
    match list.iter().position(|y| *y == x) {
        Some(i) => i,
        None => {
            list.push(x);
            list.len() - 1
        }
    }
}
