//! The router: a compiled network ([`Router`]), the question asked of it ([`Query`]), the
//! per-thread state that answers it ([`RouteState`]) and the answer ([`Path`]).
//!
//! The access policy is checked during the search: before a query, the scenario's rules are
//! folded into two small tables (action per country and mode, and per crossing and mode) for the
//! query's cargo origin and destination country, and each arc's weight reads them. One compiled
//! graph therefore serves cargo of every origin and destination, under every scenario.

use crate::format::{count_or_no, join_and, thousands};
use crate::network::{CostModel, Country, LinkId, LonLat, Mode, Network, NodeId, NodeKind};
use crate::scenario::{decide, Action, Cargo, ResolvedScenario, TradeRoute, Transit};

use super::csr::{self, CsrError, SearchState, NONE};
use super::graph::{ArcKind, CompiledGraph, Layer, NO_COUNTRY};
use super::metric::{Metric, Totals};
use super::overlay::Overlay;

/// Which land modes a route may use; ferries follow what they carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ModeSet {
    pub rail: bool,
    pub road: bool,
}

impl ModeSet {
    pub const ANY: ModeSet = ModeSet {
        rail: true,
        road: true,
    };
    pub const RAIL: ModeSet = ModeSet {
        rail: true,
        road: false,
    };
    pub const ROAD: ModeSet = ModeSet {
        rail: false,
        road: true,
    };

    /// The set of the modes listed (a ferry in the list adds nothing).
    pub fn of(modes: &[Mode]) -> ModeSet {
        ModeSet {
            rail: modes.contains(&Mode::Rail),
            road: modes.contains(&Mode::Road),
        }
    }

    /// Parses `rail`, `road` or `any`.
    pub fn parse(s: &str) -> Option<ModeSet> {
        match s {
            "rail" => Some(ModeSet::RAIL),
            "road" => Some(ModeSet::ROAD),
            "any" => Some(ModeSet::ANY),
            _ => None,
        }
    }

    pub fn allows(&self, layer: Layer) -> bool {
        match layer {
            Layer::Rail1520 | Layer::Rail1435 => self.rail,
            Layer::Road => self.road,
        }
    }

    fn layer_bits(&self) -> u8 {
        Layer::ALL
            .iter()
            .filter(|l| self.allows(**l))
            .fold(0, |b, l| b | (1 << l.index()))
    }

    pub fn name(&self) -> &'static str {
        match (self.rail, self.road) {
            (true, true) => "any",
            (true, false) => "rail",
            (false, true) => "road",
            (false, false) => "none",
        }
    }
}

/// The search algorithm; all give the same cost (they are checked against each other).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Algorithm {
    /// Dijkstra with early stop.
    #[default]
    Dijkstra,
    /// Bidirectional Dijkstra.
    Bidirectional,
    /// A* with the geodesic bound (chord distance times the least cost per km of any arc).
    AStar,
}

/// One routing question.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Query {
    pub from: NodeId,
    pub to: NodeId,
    /// Where the cargo comes from, for the access policy.
    pub cargo: Country,
    /// Where the cargo is bound, for the access policy; `None`: the country of `to`. An ad hoc
    /// route that ends at a port or a border on the way to a third country names it here.
    pub to_country: Option<Country>,
    pub modes: ModeSet,
    pub metric: Metric,
    pub algorithm: Algorithm,
}

impl Query {
    /// The query of a trade route: its ends, cargo origin and modes, by `metric`, with Dijkstra.
    pub fn for_route(route: &TradeRoute, metric: Metric) -> Query {
        Query {
            from: route.from,
            to: route.to,
            cargo: route.cargo,
            to_country: None,
            modes: ModeSet::of(&route.modes),
            metric,
            algorithm: Algorithm::default(),
        }
    }
}

/// A transfer made along a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TransferMade {
    pub node: NodeId,
    pub kind: ArcKind,
    pub from: Layer,
    pub to: Layer,
}

impl TransferMade {
    /// `gauge change` or `transshipment`.
    pub fn name(&self) -> &'static str {
        match self.kind {
            ArcKind::GaugeChange => "gauge change",
            _ => "transshipment",
        }
    }
}

/// Kilometres in one country (`None`: at sea).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CountryKm {
    pub country: Option<Country>,
    pub km: f64,
}

/// An access-policy charge paid along a path.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PenaltyPaid {
    /// The arc on which it was charged.
    pub arc: u32,
    pub transit: Transit,
    pub hours: f64,
    pub usd_per_t: f64,
}

/// A route found: the arcs of the compiled graph and what they add up to.
#[derive(Debug, Clone, PartialEq)]
pub struct Path {
    /// Arcs of the compiled graph in travel order.
    pub arcs: Vec<u32>,
    /// What each arc cost (parallel to `arcs`), policy penalties and scenario extras included.
    pub arc_totals: Vec<Totals>,
    /// Places in travel order (a transfer does not repeat its place).
    pub nodes: Vec<NodeId>,
    /// Links in travel order.
    pub links: Vec<LinkId>,
    /// Totals in every metric, including policy penalties and scenario extras.
    pub totals: Totals,
    /// The minimised cost, in the query metric's unit.
    pub cost: f64,
    /// Border crossings passed, in order.
    pub borders: Vec<NodeId>,
    pub transfers: Vec<TransferMade>,
    /// Kilometres per country, in order of first entry.
    pub countries: Vec<CountryKm>,
    /// Countries passed that are neither the origin's nor the destination's, in order.
    pub transit: Vec<Country>,
    /// Link modes used, in order of first use.
    pub modes: Vec<Mode>,
    pub penalties: Vec<PenaltyPaid>,
    /// "Baku -> Nakhchivan by rail: 1,234 km, 31.5 h, ..."
    pub summary: String,
}

impl Path {
    /// The path's geometry from origin to destination: its links' geometries in travel order
    /// (reversed where a link is travelled backwards), without repeated vertices.
    pub fn geometry(&self, graph: &CompiledGraph, network: &Network) -> Vec<LonLat> {
        let mut out: Vec<LonLat> = Vec::new();
        let mut push = |p: LonLat| {
            if out.last() != Some(&p) {
                out.push(p);
            }
        };
        for &a in &self.arcs {
            let ArcKind::Link { link, forward } = graph.arc(a).kind else {
                continue;
            };
            let g = &network.link(link).geometry;
            if forward {
                g.iter().copied().for_each(&mut push);
            } else {
                g.iter().rev().copied().for_each(&mut push);
            }
        }
        out
    }
}

/// How [`Router::alternatives`] looks for distinct corridors.
///
/// The method (a penalty method with an overlap cap): after each path found, every link it uses
/// has its weight multiplied by `1 + penalty`, and the search runs again on the penalised
/// weights; a path found is kept when it shares at most `max_overlap` of its kilometres with each
/// path kept before it (shared links, either direction). Up to `max_rounds` searches are run. The
/// paths are reported with their true (unpenalised) costs, sorted by cost, the best first.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AlternativesParams {
    /// How many alternatives besides the best path.
    pub k: usize,
    /// Largest share of a new path's km that it may share with a better one (0..=1).
    pub max_overlap: f64,
    /// Weight multiplier added to each link of a path found (0.5: links cost 1.5 times more).
    pub penalty: f64,
    /// Upper bound on the number of searches.
    pub max_rounds: usize,
}

impl AlternativesParams {
    /// `k` alternatives sharing at most 60 % of their km with a better path, links penalised by
    /// +50 % per use, at most `4 (k + 1)` searches.
    pub fn new(k: usize) -> AlternativesParams {
        AlternativesParams {
            k,
            max_overlap: 0.6,
            penalty: 0.5,
            max_rounds: 4 * (k + 1),
        }
    }
}

/// Per-thread reusable state for [`Router`] queries.
#[derive(Debug, Clone, Default)]
pub struct RouteState {
    pub forward: SearchState,
    pub backward: SearchState,
    prepared: Prepared,
    sources: Vec<u32>,
    targets: Vec<u32>,
    arcs: Vec<u32>,
    /// Weight multipliers per link (alternatives); empty when unused.
    link_factor: Vec<f64>,
}

impl RouteState {
    pub fn new() -> RouteState {
        RouteState::default()
    }
}

/// The parts of a query the policy is folded for (see [`Router::weights_key`]): the countries of
/// its ends, the cargo's origin and destination, the layers its modes allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct WeightsKey {
    ends: [Option<Country>; 2],
    origin: Country,
    to: Country,
    layer_bits: u8,
}

/// The policy folded for one query.
#[derive(Debug, Clone, Default)]
struct Prepared {
    /// Policy actions per compact country and mode.
    country_action: Vec<[Action; 3]>,
    /// Policy actions per compact crossing and mode.
    crossing_action: Vec<[Action; 3]>,
    /// Layers the query may use.
    layer_bits: u8,
}

/// Place facts a [`Path`] summary needs.
#[derive(Debug, Clone)]
struct Place {
    name: String,
    country: Country,
    border: bool,
}

/// A network compiled for routing, with the names its answers need.
#[derive(Debug, Clone)]
pub struct Router {
    pub graph: CompiledGraph,
    places: Vec<Place>,
    link_km: Vec<f64>,
    value_of_time_usd_per_t_h: f64,
}

impl Router {
    /// Compiles `network` under `costs` (see [`CompiledGraph::compile`]).
    ///
    /// # Errors
    /// [`CsrError::TooLarge`] for a network over the `u32` ids of the compiled graph.
    ///
    /// # Examples
    /// ```no_run
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use corridor::network::Country;
    /// use corridor::routing::{Algorithm, Metric, ModeSet, Query, RouteState, Router};
    /// use corridor::scenario::Dataset;
    /// let data = Dataset::load(std::path::Path::new("data/caucasus"))?;
    /// let router = Router::new(&data.network, &data.costs)?;
    /// let scenario = data.resolve("baseline-2021").ok_or("no such scenario")?;
    /// let overlay = router.overlay(&scenario);
    /// let query = Query {
    ///     from: data.network.find_place("baku")?,
    ///     to: data.network.find_place("nakhchivan")?,
    ///     cargo: Country::parse("AZ").ok_or("bad code")?,
    ///     to_country: None,
    ///     modes: ModeSet::RAIL,
    ///     metric: Metric::Time,
    ///     algorithm: Algorithm::Dijkstra,
    /// };
    /// let mut state = RouteState::new();
    /// match router.route(&query, &overlay, &mut state) {
    ///     Some(path) => println!("{}", path.summary),
    ///     None => println!("unreachable"),
    /// }
    /// # Ok(()) }
    /// ```
    pub fn new(network: &Network, costs: &CostModel) -> Result<Router, CsrError> {
        Ok(Router {
            graph: CompiledGraph::compile(network, costs)?,
            places: network
                .nodes
                .iter()
                .map(|n| Place {
                    name: n.name.clone(),
                    country: n.country,
                    border: n.kind == NodeKind::Border,
                })
                .collect(),
            link_km: network.links.iter().map(|l| l.length_km).collect(),
            value_of_time_usd_per_t_h: costs.value_of_time_usd_per_t_h,
        })
    }

    /// Lays a scenario over the compiled graph (O(arcs)).
    pub fn overlay(&self, scenario: &ResolvedScenario) -> Overlay {
        Overlay::new(&self.graph, scenario)
    }

    /// The data's value of time (USD per tonne-hour), for [`Metric::Generalized`].
    pub fn value_of_time_usd_per_t_h(&self) -> f64 {
        self.value_of_time_usd_per_t_h
    }

    /// Folds the policy into the state's tables for `query` and sets its sources and targets.
    /// What [`Router::weights`] reads of `query` besides its metric: two queries with equal keys
    /// (and the same metric) get the same weights under any overlay, so that an analysis over
    /// many routes can build each route's arc costs once per key.
    pub fn weights_key(&self, query: &Query) -> WeightsKey {
        let ends = [
            self.places.get(query.from.index()).map(|p| p.country),
            self.places.get(query.to.index()).map(|p| p.country),
        ];
        WeightsKey {
            ends,
            origin: query.cargo,
            to: query.to_country.or(ends[1]).unwrap_or(query.cargo),
            layer_bits: query.modes.layer_bits(),
        }
    }

    fn prepare(&self, query: &Query, overlay: &Overlay, state: &mut RouteState) {
        let g = &self.graph;
        let key = self.weights_key(query);
        let ends = key.ends;
        let cargo = Cargo {
            origin: key.origin,
            to: key.to,
        };
        let modes = [Mode::Rail, Mode::Road, Mode::Ferry];
        state.prepared.country_action.clear();
        for &c in &g.countries {
            state.prepared.country_action.push(modes.map(|m| {
                if ends.contains(&Some(c)) {
                    // An end country is no transit country: only rules on the whole path
                    // (`transit = "*"`, a ban on the trade itself) apply there.
                    overlay
                        .policy
                        .iter()
                        .rev()
                        .find(|r| r.transit == Transit::Any && r.matches(cargo, Transit::Any, m))
                        .map_or(Action::Allow, |r| r.action)
                } else {
                    decide(&overlay.policy, cargo, Transit::Country(c), m)
                }
            }));
        }
        state.prepared.crossing_action.clear();
        for &x in &g.crossings {
            state.prepared.crossing_action.push(modes.map(|m| {
                overlay
                    .policy
                    .iter()
                    .rev()
                    .find(|r| r.transit == Transit::Crossing(x) && r.matches(cargo, r.transit, m))
                    .map_or(Action::Allow, |r| r.action)
            }));
        }
        state.prepared.layer_bits = key.layer_bits;
        state.sources.clear();
        state.targets.clear();
        if query.from.index() < g.num_places() && query.to.index() < g.num_places() {
            for l in Layer::ALL {
                if query.modes.allows(l) {
                    state.sources.push(g.state(query.from, l));
                    state.targets.push(g.state(query.to, l));
                }
            }
        }
    }

    /// What an arc costs for the prepared query: `(km, hours, usd_per_t)`, or `None` when the
    /// scenario, the modes or the policy block it.
    #[inline]
    fn arc_cost(&self, a: u32, overlay: &Overlay, state: &Prepared) -> Option<(f64, f64, f64)> {
        if !overlay.is_open(a) {
            return None;
        }
        let arc = &self.graph.arcs[a as usize];
        if arc.layer_bits & !state.layer_bits != 0 {
            return None;
        }
        let [xh, xu] = overlay.extra(a);
        let (mut hours, mut usd) = (arc.hours + xh, arc.usd_per_t + xu);
        if arc.country_ix != NO_COUNTRY {
            match state.country_action[arc.country_ix as usize][arc.mode_ix as usize] {
                Action::Allow => {}
                Action::Deny => return None,
                Action::Penalty {
                    hours: h,
                    usd_per_t: u,
                } => {
                    if arc.enters_country {
                        hours += h;
                        usd += u;
                    }
                }
            }
        }
        if arc.crossing_ix != NONE {
            match state.crossing_action[arc.crossing_ix as usize][arc.mode_ix as usize] {
                Action::Allow => {}
                Action::Deny => return None,
                Action::Penalty {
                    hours: h,
                    usd_per_t: u,
                } => {
                    hours += h;
                    usd += u;
                }
            }
        }
        Some((arc.km, hours, usd))
    }

    /// The weight of every arc for `query` under `overlay` (`None` = blocked), in arc order: the
    /// exact weights a [`Router::route`] search uses, for running other algorithms (petgraph, a
    /// reference) on the same graph.
    pub fn weights(
        &self,
        query: &Query,
        overlay: &Overlay,
        state: &mut RouteState,
    ) -> Vec<Option<f64>> {
        self.prepare(query, overlay, state);
        (0..self.graph.arcs.len() as u32)
            .map(|a| {
                self.arc_cost(a, overlay, &state.prepared)
                    .map(|(k, h, u)| query.metric.cost(k, h, u))
            })
            .collect()
    }

    /// The source and target states of a query (every allowed layer at each end).
    pub fn endpoints(&self, query: &Query) -> (Vec<u32>, Vec<u32>) {
        let g = &self.graph;
        let layers = Layer::ALL.into_iter().filter(|l| query.modes.allows(*l));
        (
            layers.clone().map(|l| g.state(query.from, l)).collect(),
            layers.map(|l| g.state(query.to, l)).collect(),
        )
    }

    /// A lower bound on the cost from `state` to the query's destination, for A*.
    ///
    /// # Units
    /// The query metric's unit.
    #[inline]
    pub fn heuristic(&self, query: &Query, state: u32) -> f64 {
        let [km, h, usd] = self.graph.min_per_chord_km();
        let per_km = query.metric.cost(km, h, usd);
        // Slightly under the bound, so that rounding never makes it inconsistent.
        per_km * self.graph.chord_km(self.graph.place(state), query.to) * (1.0 - 1e-9)
    }

    /// The best path for `query` under `overlay`.
    ///
    /// # Arguments
    /// - `query`: the places, cargo origin, modes, metric and algorithm.
    /// - `overlay`: the scenario (from [`Router::overlay`]).
    /// - `state`: per-thread state, reused across queries.
    ///
    /// # Returns
    /// The path of least `query.metric` cost, or `None` when no path exists (also when `from`
    /// equals `to` is asked with no mode, or a place id is out of range). From a place to itself
    /// the path is empty.
    ///
    /// # Complexity
    /// O((n + m) log n) over the expanded graph (3 states per place), plus O(countries x crossings
    /// x rules) to fold the policy; no allocation but the returned path.
    pub fn route(&self, query: &Query, overlay: &Overlay, state: &mut RouteState) -> Option<Path> {
        self.prepare(query, overlay, state);
        if !self.search(query, overlay, state) {
            return None;
        }
        let arcs = std::mem::take(&mut state.arcs);
        let path = self.describe(query, overlay, state, &arcs);
        state.arcs = arcs;
        Some(path)
    }

    /// Runs the query's algorithm; on success the path's arcs are in `state.arcs`.
    fn search(&self, query: &Query, overlay: &Overlay, state: &mut RouteState) -> bool {
        let g = &self.graph.csr;
        let RouteState {
            forward,
            backward,
            prepared,
            sources,
            targets,
            arcs,
            link_factor,
        } = state;
        let prepared: &Prepared = prepared;
        let factors: &[f64] = link_factor;
        let metric = query.metric;
        let weight = |a: u32| {
            let (k, h, u) = self.arc_cost(a, overlay, prepared)?;
            let w = metric.cost(k, h, u);
            if factors.is_empty() {
                Some(w)
            } else {
                let l = self.graph.arcs[a as usize].link_ix;
                Some(if l == NONE {
                    w
                } else {
                    w * factors[l as usize]
                })
            }
        };
        let all = |_: u32| true;
        match query.algorithm {
            Algorithm::Dijkstra => {
                match csr::one_to_one(g, sources, targets, weight, all, forward) {
                    Some(t) => {
                        forward.path_to(g, t, arcs);
                        true
                    }
                    None => false,
                }
            }
            Algorithm::AStar => {
                let h = |v: u32| self.heuristic(query, v);
                match csr::astar(g, sources, targets, weight, h, all, forward) {
                    Some(t) => {
                        forward.path_to(g, t, arcs);
                        true
                    }
                    None => false,
                }
            }
            Algorithm::Bidirectional => {
                match csr::bidirectional(g, sources, targets, weight, all, forward, backward) {
                    Some(m) => {
                        csr::bidirectional_path(g, m, forward, backward, arcs);
                        true
                    }
                    None => false,
                }
            }
        }
    }

    /// Turns the arcs of a path into a [`Path`], with totals from the same costs the search used.
    fn describe(&self, query: &Query, overlay: &Overlay, state: &RouteState, arcs: &[u32]) -> Path {
        let g = &self.graph;
        let mut totals = Totals::default();
        let mut nodes = vec![query.from];
        let mut links = Vec::new();
        let mut borders = Vec::new();
        let mut transfers = Vec::new();
        let mut countries: Vec<CountryKm> = Vec::new();
        let mut modes: Vec<Mode> = Vec::new();
        let mut penalties = Vec::new();
        let mut arc_totals = Vec::with_capacity(arcs.len());
        for &a in arcs {
            let arc = g.arc(a);
            let cost = self.arc_cost(a, overlay, &state.prepared);
            arc_totals.push(cost.map_or(Totals::default(), |(km, hours, usd)| Totals {
                km,
                hours,
                usd_per_t: usd,
            }));
            if let Some((km, hours, usd)) = cost {
                totals += Totals {
                    km,
                    hours,
                    usd_per_t: usd,
                };
                let [xh, xu] = overlay.extra(a);
                let (ph, pu) = (hours - arc.hours - xh, usd - arc.usd_per_t - xu);
                if ph > 1e-12 || pu > 1e-12 {
                    let transit = match arc.crossing {
                        Some(x)
                            if state.prepared.crossing_action[arc.crossing_ix as usize]
                                [arc.mode_ix as usize]
                                != Action::Allow =>
                        {
                            Transit::Crossing(x)
                        }
                        _ => arc.policy_country.map_or(Transit::Any, Transit::Country),
                    };
                    penalties.push(PenaltyPaid {
                        arc: a,
                        transit,
                        hours: ph,
                        usd_per_t: pu,
                    });
                }
            }
            if nodes.last() != Some(&arc.to) {
                nodes.push(arc.to);
            }
            match arc.kind {
                ArcKind::Link { link, .. } => {
                    links.push(link);
                    if !modes.contains(&arc.mode) {
                        modes.push(arc.mode);
                    }
                    if arc.km > 0.0 {
                        match countries.iter_mut().find(|c| c.country == arc.country) {
                            Some(c) => c.km += arc.km,
                            None => countries.push(CountryKm {
                                country: arc.country,
                                km: arc.km,
                            }),
                        }
                    }
                }
                kind => transfers.push(TransferMade {
                    node: arc.to,
                    kind,
                    from: arc.from_layer,
                    to: arc.to_layer,
                }),
            }
            if let Some(x) = arc.crossing {
                if self.places.get(x.index()).is_some_and(|p| p.border) {
                    borders.push(x);
                }
            }
        }
        let ends = [self.country_of(query.from), self.country_of(query.to)];
        let transit: Vec<Country> = countries
            .iter()
            .filter_map(|c| c.country)
            .filter(|c| !ends.contains(&Some(*c)))
            .collect();
        let mut path = Path {
            arcs: arcs.to_vec(),
            arc_totals,
            nodes,
            links,
            totals,
            cost: totals.cost(query.metric),
            borders,
            transfers,
            countries,
            transit,
            modes,
            penalties,
            summary: String::new(),
        };
        path.summary = self.summary(query, &path);
        path
    }

    fn country_of(&self, v: NodeId) -> Option<Country> {
        self.places.get(v.index()).map(|p| p.country)
    }

    /// The display name of a place.
    pub fn place_name(&self, v: NodeId) -> &str {
        self.places.get(v.index()).map_or("?", |p| p.name.as_str())
    }

    /// "Baku -> Nakhchivan by rail: 1,234 km, 31.5 h, 45.6 USD/t, via Georgia and Turkey,
    /// 2 borders, 1 gauge change".
    fn summary(&self, query: &Query, path: &Path) -> String {
        let name = |v: NodeId| {
            let n = self.place_name(v);
            // "Baku (central station)" reads better as "Baku".
            n.split(" (").next().unwrap_or(n).to_string()
        };
        let modes: Vec<&str> = path.modes.iter().map(|m| m.as_str()).collect();
        let by = if modes.is_empty() {
            String::new()
        } else {
            format!(" by {}", join_and(&modes))
        };
        let mut parts = vec![
            format!("{} km", thousands(path.totals.km)),
            format!("{:.1} h", path.totals.hours),
            format!("{:.1} USD/t", path.totals.usd_per_t),
        ];
        if !path.transit.is_empty() {
            let names: Vec<String> = path.transit.iter().map(|c| c.name().to_string()).collect();
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            parts.push(format!("via {}", join_and(&names)));
        }
        parts.push(count_or_no(path.borders.len(), "border", "borders"));
        let gauge = path
            .transfers
            .iter()
            .filter(|t| t.kind == ArcKind::GaugeChange)
            .count();
        let transship = path.transfers.len() - gauge;
        if gauge > 0 {
            parts.push(count_or_no(gauge, "gauge change", "gauge changes"));
        }
        if transship > 0 {
            parts.push(count_or_no(transship, "transshipment", "transshipments"));
        }
        format!(
            "{} -> {}{}: {}",
            name(query.from),
            name(query.to),
            by,
            parts.join(", ")
        )
    }

    /// The best path and up to `params.k` distinct alternatives (see [`AlternativesParams`]).
    ///
    /// # Returns
    /// Paths sorted by true cost, the best first; empty when the destination is unreachable.
    ///
    /// # Complexity
    /// At most `params.max_rounds` searches, each as [`Router::route`].
    pub fn alternatives(
        &self,
        query: &Query,
        overlay: &Overlay,
        params: &AlternativesParams,
        state: &mut RouteState,
    ) -> Vec<Path> {
        let Some(best) = self.route(query, overlay, state) else {
            return Vec::new();
        };
        let mut kept = vec![best];
        state.link_factor.clear();
        state.link_factor.resize(self.link_km.len(), 1.0);
        let mut last_links: Vec<LinkId> = kept[0].links.clone();
        for _ in 0..params.max_rounds {
            if kept.len() > params.k {
                break;
            }
            for l in &last_links {
                if let Some(f) = state.link_factor.get_mut(l.index()) {
                    *f *= 1.0 + params.penalty.max(0.0);
                }
            }
            if !self.search(query, overlay, state) {
                break;
            }
            let arcs = std::mem::take(&mut state.arcs);
            let candidate = self.describe(query, overlay, state, &arcs);
            state.arcs = arcs;
            last_links = candidate.links.clone();
            let distinct = kept.iter().all(|p| {
                candidate.links != p.links && self.overlap(&candidate, p) <= params.max_overlap
            });
            if distinct {
                kept.push(candidate);
            }
        }
        state.link_factor.clear();
        kept.sort_by(|a, b| a.cost.total_cmp(&b.cost));
        kept
    }

    /// The share of `a`'s km on links that `b` also uses (0 when `a` has no km).
    pub fn overlap(&self, a: &Path, b: &Path) -> f64 {
        let total: f64 = a.links.iter().map(|l| self.link_km[l.index()]).sum();
        if total <= 0.0 {
            return if a.links == b.links { 1.0 } else { 0.0 };
        }
        let shared: f64 = a
            .links
            .iter()
            .filter(|l| b.links.contains(l))
            .map(|l| self.link_km[l.index()])
            .sum();
        shared / total
    }
}
