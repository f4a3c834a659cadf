//! The criticality question on a data folder under one scenario: connectivity per mode (components,
//! isolated places, bridges, articulation points), which links cost the most to lose (single and
//! multi-link, over the trade routes or city pairs), betweenness of places and links, and each trade
//! route's exposure to the countries it crosses.
//!
//! Mode projections are undirected multigraphs of the places and the links usable in the scenario:
//! `rail` (rail links and ferries taking wagons), `road` (roads and ferries taking trucks) and
//! `all`. A link touching a border crossing closed for its mode is not usable.

use std::collections::HashMap;

use rayon::prelude::*;

use crate::network::{Country, LinkId, Mode, NodeKind};
use crate::routing::csr::{group_by_key, NONE};
use crate::routing::{ArcKind, Query, RouteState};
use crate::scenario::{LookupError, ResolvedScenario, TradeRoute};

use super::betweenness::{sums, Sources, Sums, WeightedGraph};
use super::connectivity::{cut_structure, strong_components, weak_components};
use super::link_loss::{BaseRoutes, Criticality, LinkLoss, OdPair};
use super::study::Study;

/// Above this many places, betweenness is estimated from [`BETWEENNESS_SAMPLE`] sources drawn
/// with [`BETWEENNESS_SEED`] (and scaled to all sources) instead of computed exactly.
pub const BETWEENNESS_EXACT_UP_TO: usize = 5_000;
/// Sources of the betweenness estimate on large networks.
pub const BETWEENNESS_SAMPLE: usize = 1_000;
/// Seed of that sample.
pub const BETWEENNESS_SEED: u64 = 1;

/// Which origin-destination pairs criticality is measured over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pairs {
    /// The trade routes, each with its cargo, modes and demand (1 when none).
    Routes,
    /// Every ordered pair of hubs and cities (places of kind city, or with a transshipment
    /// terminal), cargo from the origin's country, rail and road.
    Cities,
    /// Every ordered pair of places that are not border crossings.
    All,
    /// Every ordered pair of the [`LARGEST_PLACES`] largest places (see
    /// [`Network::largest_places`](crate::network::Network::largest_places)): by population, else
    /// by the links they join. For a folder without trade routes, such as an OpenStreetMap import.
    Largest,
}

/// How many places [`Pairs::Largest`] takes: 20 places, 380 ordered pairs.
pub const LARGEST_PLACES: usize = 20;

impl Pairs {
    pub fn parse(s: &str) -> Option<Pairs> {
        match s {
            "routes" => Some(Pairs::Routes),
            "cities" => Some(Pairs::Cities),
            "all" => Some(Pairs::All),
            "largest" => Some(Pairs::Largest),
            _ => None,
        }
    }

    /// The pairs when none are asked for: the trade routes when the data has some, else the
    /// largest places ([`Pairs::Largest`]).
    pub fn default_for(data: &crate::scenario::Dataset) -> Pairs {
        if data.routes.is_empty() {
            Pairs::Largest
        } else {
            Pairs::Routes
        }
    }
}

/// Connectivity of one mode projection.
#[derive(Debug, Clone, PartialEq)]
pub struct ModeConnectivity {
    pub mode: &'static str,
    /// Places touched by a usable link of the mode.
    pub places: usize,
    pub usable_links: usize,
    /// Connected components among those places (undirected).
    pub components: usize,
    /// Strongly connected components among those places (one-way links respected).
    pub strong_components: usize,
    pub bridges: Vec<LinkId>,
    pub articulation_points: Vec<crate::network::NodeId>,
}

/// A set of links lost together, against the same links lost one at a time.
#[derive(Debug, Clone, PartialEq)]
pub struct MultiLoss {
    pub links: Vec<u32>,
    pub loss: LinkLoss,
    /// Pairs the set cuts that no single link of it cuts alone.
    pub cut_only_together: usize,
    /// The set's extra cost minus the sum of its links' single extra costs (meaningful when no
    /// pair is cut only together: a cut pair's cost no longer counts).
    pub extra_beyond: f64,
}

/// A trade route's exposure to the countries it crosses under a scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Exposure {
    pub route: String,
    pub reachable: bool,
    pub km: f64,
    /// `(country, km)`; `None` is at sea.
    pub countries: Vec<(Option<Country>, f64)>,
    pub borders: usize,
    /// The transit country the route runs longest in, if any.
    pub top_transit: Option<Country>,
    /// Share of the route's km in that country (0 when the route has no transit country).
    pub transit_dependency: f64,
}

/// A pair left without any path under a scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Unreachable {
    pub from: crate::network::NodeId,
    pub to: crate::network::NodeId,
    /// The trade route, when the pairs are the trade routes.
    pub route: Option<String>,
}

/// Everything `corridor critical` reports.
#[derive(Debug, Clone)]
pub struct CriticalReport {
    pub scenario: String,
    pub pairs: usize,
    pub unreachable_pairs: usize,
    /// The pairs with no path under the scenario, in pair order.
    pub unreachable: Vec<Unreachable>,
    pub connectivity: Vec<ModeConnectivity>,
    /// Places with no usable link.
    pub isolated: Vec<crate::network::NodeId>,
    /// Loss of each link, in link order.
    pub single: Vec<LinkLoss>,
    /// Whether each link disconnects a trade route when lost (a hostage link).
    pub hostage: Vec<bool>,
    /// Sets of links (among the most critical ones) closed together.
    pub multi: Vec<MultiLoss>,
    /// Betweenness of places (summed over ordered pairs; see [`super::betweenness`]); estimated
    /// from a seeded sample of sources above [`BETWEENNESS_EXACT_UP_TO`] places.
    pub place_betweenness: Vec<f64>,
    /// Betweenness of links (both directions summed).
    pub link_betweenness: Vec<f64>,
    pub exposure: Vec<Exposure>,
}

impl Study<'_> {
    /// The criticality question under `scenario`.
    ///
    /// # Arguments
    /// * `pairs` - which pairs losses are measured over.
    /// * `top` - how many of the most critical links enter the multi-link analysis.
    /// * `multi` - the size of the link sets closed together (2: pairs, 3: triples; 0 or 1: none).
    ///
    /// # Errors
    /// [`LookupError::UnknownScenario`] for an id the data folder does not have.
    pub fn critical(
        &self,
        scenario: &str,
        pairs: Pairs,
        top: usize,
        multi: usize,
    ) -> Result<CriticalReport, LookupError> {
        self.critical_among(scenario, pairs, top, multi, None)
    }

    /// [`Study::critical`], with the multi-link sets drawn from `candidates` (links chosen by
    /// the user, in any order) instead of the `top` most critical links when given.
    ///
    /// # Errors
    /// [`LookupError::UnknownScenario`] for an id the data folder does not have.
    pub fn critical_among(
        &self,
        scenario: &str,
        pairs: Pairs,
        top: usize,
        multi: usize,
        candidates: Option<&[LinkId]>,
    ) -> Result<CriticalReport, LookupError> {
        let inputs = self.criticality_inputs(scenario, pairs)?;
        let crit = inputs.criticality(&self.router.graph.csr);
        self.progress.stage("best paths of the pairs", None);
        let base: BaseRoutes = crit.base();
        let single = crit.single_link_ticked(&base, &self.progress);
        self.critical_from(
            scenario,
            pairs,
            top,
            multi,
            candidates,
            &inputs,
            base,
            single,
            FromShards::default(),
        )
    }

    /// [`Study::critical_among`] once the pairs' best paths (`base`) and every link's loss
    /// (`single`) are known, on `inputs` from [`Study::criticality_inputs`]: the rest of the
    /// question (multi-link sets, connectivity, betweenness, exposure). `corridor merge` calls it
    /// with what the shards found: the pairs' losses, and in `shards` the betweenness sums (added
    /// from the shards' [`Study::betweenness_sums`]) and the routes' exposure, which are then not
    /// searched again.
    ///
    /// # Errors
    /// [`LookupError::UnknownScenario`] for an id the data folder does not have.
    #[allow(clippy::too_many_arguments)]
    pub fn critical_from(
        &self,
        scenario: &str,
        pairs: Pairs,
        top: usize,
        multi: usize,
        candidates: Option<&[LinkId]>,
        inputs: &CriticalityInputs,
        base: BaseRoutes,
        single: Vec<LinkLoss>,
        shards: FromShards,
    ) -> Result<CriticalReport, LookupError> {
        let resolved = self.resolved(scenario)?;
        let crit = inputs.criticality(&self.router.graph.csr);
        // A hostage link leaves a trade route with no path when lost.
        let hostage: Vec<bool> = single
            .iter()
            .map(|l| pairs == Pairs::Routes && l.disconnected > 0)
            .collect();

        // Multi-link: sets among the `top` links by loss (disconnections first, then cost).
        let mut ranked: Vec<u32> = (0..single.len() as u32)
            .filter(|&l| single[l as usize].pairs_using > 0)
            .collect();
        ranked.sort_by(|&a, &b| rank_cmp(&single[a as usize], &single[b as usize]).then(a.cmp(&b)));
        ranked.truncate(top);
        if let Some(list) = candidates {
            ranked = list.iter().map(|l| l.0).collect();
            ranked.sort_unstable();
            ranked.dedup();
        }
        let combos = combinations(&ranked, multi);
        let multi_loss = crit.multi_link_ticked(&base, &combos, &self.progress);
        let multi: Vec<MultiLoss> = combos
            .into_iter()
            .zip(multi_loss)
            .map(|(links, loss)| {
                let sum: f64 = links.iter().map(|&l| single[l as usize].extra_cost).sum();
                let cut_only_together = loss
                    .cut_pairs
                    .iter()
                    .filter(|p| {
                        !links
                            .iter()
                            .any(|&l| single[l as usize].cut_pairs.binary_search(p).is_ok())
                    })
                    .count();
                MultiLoss {
                    extra_beyond: loss.extra_cost - sum,
                    cut_only_together,
                    loss,
                    links,
                }
            })
            .collect();

        self.progress
            .stage("connectivity, betweenness, exposure", None);
        let (connectivity, isolated) = self.connectivity(resolved);
        let graph = self.betweenness_graph(resolved);
        let sources = self.betweenness_sources();
        let sums = match shards.betweenness {
            Some(s) => s,
            None => sums(graph.weighted(), &sources.list),
        };
        let b = sums.values(&sources);
        let mut link_betweenness = vec![0.0; self.data.network.links.len()];
        for (k, &l) in graph.arc_link.iter().enumerate() {
            link_betweenness[l] += b.arc[k];
        }
        let place_betweenness = b.node;
        let exposure = match shards.exposure {
            Some(e) => e,
            None => self.exposure(scenario),
        };
        Ok(CriticalReport {
            scenario: scenario.to_string(),
            pairs: inputs.pairs.len(),
            unreachable: base
                .cost
                .iter()
                .enumerate()
                .filter(|(_, c)| c.is_infinite())
                .map(|(i, _)| {
                    let (from, to) = inputs.places[i];
                    let route = (pairs == Pairs::Routes)
                        .then(|| self.data.routes.get(i).map(|r| r.id.clone()))
                        .flatten();
                    Unreachable { from, to, route }
                })
                .collect(),
            unreachable_pairs: base.cost.iter().filter(|c| c.is_infinite()).count(),
            connectivity,
            isolated,
            single,
            hostage,
            multi,
            place_betweenness,
            link_betweenness,
            exposure,
        })
    }

    /// The criticality question's inputs on the compiled graph under `scenario`: one weight set
    /// per distinct (cargo, origin country, destination country, modes) of the pairs (the access
    /// policy folded in), the pairs' states, and the link of every arc.
    ///
    /// # Errors
    /// [`LookupError::UnknownScenario`] for an id the data folder does not have.
    pub fn criticality_inputs(
        &self,
        scenario: &str,
        pairs: Pairs,
    ) -> Result<CriticalityInputs, LookupError> {
        let resolved = self.resolved(scenario)?;
        let overlay = self.router.overlay(resolved);
        let net = &self.data.network;
        let g = &self.router.graph;
        let queries: Vec<(Query, f64)> = self.pair_queries(pairs);
        let mut sets: Vec<Vec<Option<f64>>> = Vec::new();
        let mut set_of: HashMap<(Country, Country, Country, bool, bool), usize> = HashMap::new();
        let mut rs = RouteState::new();
        let mut od = Vec::with_capacity(queries.len());
        for (q, weight) in &queries {
            let key = (
                q.cargo,
                net.node(q.from).country,
                net.node(q.to).country,
                q.modes.rail,
                q.modes.road,
            );
            let ws = *set_of.entry(key).or_insert_with(|| {
                sets.push(self.router.weights(q, &overlay, &mut rs));
                sets.len() - 1
            });
            let (sources, targets) = self.router.endpoints(q);
            od.push(OdPair {
                sources,
                targets,
                weight_set: ws,
                weight: *weight,
            });
        }
        let link_of_arc: Vec<u32> = g
            .arcs
            .iter()
            .map(|a| match a.kind {
                ArcKind::Link { link, .. } => link.0,
                _ => NONE,
            })
            .collect();
        Ok(CriticalityInputs {
            weight_sets: sets,
            link_of_arc,
            links: net.links.len(),
            pairs: od,
            places: queries.iter().map(|(q, _)| (q.from, q.to)).collect(),
        })
    }

    fn pair_queries(&self, pairs: Pairs) -> Vec<(Query, f64)> {
        let net = &self.data.network;
        match pairs {
            Pairs::Routes => self
                .data
                .routes
                .iter()
                .map(|r| {
                    (
                        Query::for_route(r, self.metric),
                        r.demand_t_per_year.unwrap_or(1.0),
                    )
                })
                .collect(),
            Pairs::Cities | Pairs::All | Pairs::Largest => {
                let places: Vec<crate::network::NodeId> = match pairs {
                    Pairs::Largest => net.largest_places(LARGEST_PLACES),
                    _ => net
                        .node_ids()
                        .filter(|&v| {
                            let n = net.node(v);
                            match pairs {
                                Pairs::Cities => n.kind == NodeKind::City || n.transfers.transship,
                                _ => n.kind != NodeKind::Border,
                            }
                        })
                        .collect(),
                };
                let mut out = Vec::new();
                for &a in &places {
                    for &b in &places {
                        if a != b {
                            let route = TradeRoute {
                                id: String::new(),
                                from: a,
                                to: b,
                                cargo: net.node(a).country,
                                modes: vec![Mode::Rail, Mode::Road],
                                claim: None,
                                demand_t_per_year: None,
                                note: None,
                            };
                            out.push((Query::for_route(&route, self.metric), 1.0));
                        }
                    }
                }
                out
            }
        }
    }

    /// Usable links of a mode projection under a scenario.
    fn usable(&self, resolved: &ResolvedScenario, mode: Option<Mode>) -> Vec<usize> {
        let net = &self.data.network;
        net.links
            .iter()
            .enumerate()
            .filter(|(i, l)| {
                if !resolved.link_open[*i] {
                    return false;
                }
                let carries = match mode {
                    None => true,
                    Some(Mode::Rail) => l.carries.rail,
                    Some(Mode::Road) => l.carries.road,
                    Some(Mode::Ferry) => l.mode == Mode::Ferry,
                };
                let crossing_mode = if l.carries.rail && !l.carries.road {
                    Mode::Rail
                } else if l.carries.road && !l.carries.rail {
                    Mode::Road
                } else {
                    Mode::Ferry
                };
                carries
                    && resolved.is_crossing_open(l.from, crossing_mode)
                    && resolved.is_crossing_open(l.to, crossing_mode)
            })
            .map(|(i, _)| i)
            .collect()
    }

    fn connectivity(
        &self,
        resolved: &ResolvedScenario,
    ) -> (Vec<ModeConnectivity>, Vec<crate::network::NodeId>) {
        let net = &self.data.network;
        let n = net.nodes.len();
        let mut out = Vec::new();
        for (name, mode) in [
            ("rail", Some(Mode::Rail)),
            ("road", Some(Mode::Road)),
            ("all", None),
        ] {
            let links = self.usable(resolved, mode);
            let edges: Vec<(u32, u32)> = links
                .iter()
                .map(|&i| (net.links[i].from.0, net.links[i].to.0))
                .collect();
            let mut touched = vec![false; n];
            for &(a, b) in &edges {
                touched[a as usize] = true;
                touched[b as usize] = true;
            }
            let weak = weak_components(n, &edges);
            let arcs: Vec<(u32, u32)> = links
                .iter()
                .flat_map(|&i| {
                    let l = &net.links[i];
                    let back = (!l.oneway).then_some((l.to.0, l.from.0));
                    std::iter::once((l.from.0, l.to.0)).chain(back)
                })
                .collect();
            let strong = strong_components(n, &arcs);
            let count = |comp: &[u32]| {
                let mut roots: Vec<u32> = (0..n).filter(|&v| touched[v]).map(|v| comp[v]).collect();
                roots.sort_unstable();
                roots.dedup();
                roots.len()
            };
            let cuts = cut_structure(n, &edges);
            out.push(ModeConnectivity {
                mode: name,
                places: touched.iter().filter(|&&t| t).count(),
                usable_links: links.len(),
                components: count(&weak),
                strong_components: count(&strong),
                bridges: cuts
                    .bridges
                    .iter()
                    .map(|&e| LinkId(links[e] as u32))
                    .collect(),
                articulation_points: cuts
                    .articulation_points
                    .iter()
                    .map(|&v| crate::network::NodeId(v))
                    .collect(),
            });
        }
        let all = self.usable(resolved, None);
        let mut touched = vec![false; n];
        for &i in &all {
            touched[net.links[i].from.index()] = true;
            touched[net.links[i].to.index()] = true;
        }
        let isolated = net.node_ids().filter(|v| !touched[v.index()]).collect();
        (out, isolated)
    }

    /// The graph betweenness is measured on under `resolved`: the places and usable links (both
    /// directions), each weighted by the metric's cost of running the link (dwell, fees and
    /// transfers left out).
    fn betweenness_graph(&self, resolved: &ResolvedScenario) -> BetweennessGraph {
        let net = &self.data.network;
        let costs = &self.data.costs;
        let links = self.usable(resolved, None);
        let mut arcs: Vec<(u32, u32, f64, usize)> = Vec::new();
        for &i in &links {
            let l = &net.links[i];
            let speed = l.speed_kmh.unwrap_or(costs.speed_kmh.get(l.mode));
            let hours = l.length_km / speed + l.headway_h.unwrap_or(0.0) / 2.0;
            let usd = l.length_km * costs.tariff_usd_per_tkm.get(l.mode);
            let w = self.metric.cost(l.length_km, hours, usd);
            arcs.push((l.from.0, l.to.0, w, i));
            if !l.oneway {
                arcs.push((l.to.0, l.from.0, w, i));
            }
        }
        arcs.sort_by_key(|a| a.0);
        let (first_out, head) = group_by_key(net.nodes.len(), arcs.iter().map(|a| (a.0, a.1)));
        BetweennessGraph {
            first_out,
            head,
            weight: arcs.iter().map(|a| Some(a.2)).collect(),
            arc_link: arcs.iter().map(|a| a.3).collect(),
        }
    }

    /// The sources of the betweenness [`Study::critical_among`] reports: every place on regional
    /// networks, a seeded sample of them on imported ones.
    pub fn betweenness_sources(&self) -> Sources {
        let n = self.data.network.nodes.len();
        Sources::new(
            n,
            (n > BETWEENNESS_EXACT_UP_TO).then_some((BETWEENNESS_SAMPLE, BETWEENNESS_SEED)),
        )
    }

    /// The betweenness sums under `scenario` over `sources` (a share of
    /// [`Study::betweenness_sources`]), for a shard; [`Study::critical_from`] takes their total.
    ///
    /// # Errors
    /// [`LookupError::UnknownScenario`] for an id the data folder does not have.
    pub fn betweenness_sums(&self, scenario: &str, sources: &[u32]) -> Result<Sums, LookupError> {
        let graph = self.betweenness_graph(self.resolved(scenario)?);
        Ok(sums(graph.weighted(), sources))
    }

    /// The number of arcs of the betweenness graph under `scenario` (what a shard's sums hold).
    ///
    /// # Errors
    /// [`LookupError::UnknownScenario`] for an id the data folder does not have.
    pub fn betweenness_arcs(&self, scenario: &str) -> Result<usize, LookupError> {
        Ok(self
            .betweenness_graph(self.resolved(scenario)?)
            .arc_link
            .len())
    }

    /// Each trade route's km per country, borders and transit dependency under `scenario`.
    pub fn exposure(&self, scenario: &str) -> Vec<Exposure> {
        let all: Vec<usize> = (0..self.data.routes.len()).collect();
        self.exposure_of(scenario, &all)
    }

    /// [`Study::exposure`] of the trade routes at indices `routes` (a shard's share), in that
    /// order.
    pub fn exposure_of(&self, scenario: &str, routes: &[usize]) -> Vec<Exposure> {
        let net = &self.data.network;
        routes
            .par_iter()
            .map_init(RouteState::new, |rs, &i| {
                let route = &self.data.routes[i];
                // `scenario` was looked up by the caller ([`Study::critical_among`]).
                let Some(p) = self.best(route, scenario, rs).ok().flatten() else {
                    return Exposure {
                        route: route.id.clone(),
                        reachable: false,
                        km: 0.0,
                        countries: Vec::new(),
                        borders: 0,
                        top_transit: None,
                        transit_dependency: 0.0,
                    };
                };
                let ends = [net.node(route.from).country, net.node(route.to).country];
                let top = p
                    .countries
                    .iter()
                    .filter(|c| c.country.is_some_and(|c| !ends.contains(&c)))
                    .max_by(|a, b| a.km.total_cmp(&b.km));
                Exposure {
                    route: route.id.clone(),
                    reachable: true,
                    km: p.totals.km,
                    countries: p.countries.iter().map(|c| (c.country, c.km)).collect(),
                    borders: p.borders.len(),
                    top_transit: top.and_then(|c| c.country),
                    transit_dependency: top.map_or(0.0, |c| {
                        if p.totals.km > 0.0 {
                            c.km / p.totals.km
                        } else {
                            0.0
                        }
                    }),
                }
            })
            .collect()
    }
}

/// What [`Study::criticality_inputs`] builds: the owned data behind a [`Criticality`].
#[derive(Debug, Clone)]
pub struct CriticalityInputs {
    pub weight_sets: Vec<Vec<Option<f64>>>,
    pub link_of_arc: Vec<u32>,
    pub links: usize,
    pub pairs: Vec<OdPair>,
    /// The places of each pair (origin, destination), parallel to `pairs`.
    pub places: Vec<(crate::network::NodeId, crate::network::NodeId)>,
}

impl CriticalityInputs {
    /// The question on `csr` (the compiled graph the inputs were built on).
    pub fn criticality<'a>(&'a self, csr: &'a crate::routing::Csr) -> Criticality<'a> {
        Criticality {
            csr,
            weight_sets: &self.weight_sets,
            link_of_arc: &self.link_of_arc,
            links: self.links,
            pairs: &self.pairs,
            passable: &|_| true,
        }
    }

    /// The estimated cost of each group of pairs (indices into `pairs`), for dealing the groups
    /// to shards: per pair 1 plus its crow-fly length over the mean of all pairs, per group 1
    /// more for its backward search.
    pub fn group_costs(&self, net: &crate::network::Network, groups: &[Vec<u32>]) -> Vec<f64> {
        let km: Vec<f64> = self
            .places
            .iter()
            .map(|&(a, b)| net.node(a).position.geodesic_m(net.node(b).position) / 1000.0)
            .collect();
        let mean = km.iter().sum::<f64>() / km.len().max(1) as f64;
        groups
            .iter()
            .map(|g| {
                1.0 + g
                    .iter()
                    .map(|&i| {
                        1.0 + if mean > 0.0 {
                            km[i as usize] / mean
                        } else {
                            0.0
                        }
                    })
                    .sum::<f64>()
            })
            .collect()
    }
}

/// Disconnections (by weight) first, then extra cost; larger losses first.
pub fn rank_cmp(a: &LinkLoss, b: &LinkLoss) -> std::cmp::Ordering {
    b.disconnected_weight
        .total_cmp(&a.disconnected_weight)
        .then(b.extra_cost.total_cmp(&a.extra_cost))
}

/// A corridor section: links lost with the same effect (the same pairs using them, the same
/// pairs cut, the same extra cost), joined end to end. The links of a chain without branches
/// are in series, so losing any one of them is losing the section: ranking sections instead of
/// links makes the top of a ranking different places.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// Link indices, in order along the section where it is a simple chain.
    pub links: Vec<usize>,
    /// The places at the section's two ends (equal for a single loop).
    pub ends: (crate::network::NodeId, crate::network::NodeId),
}

impl Section {
    /// `From – To` by the names of the end places.
    pub fn name(&self, net: &crate::network::Network) -> String {
        format!(
            "{} – {}",
            net.node(self.ends.0).name,
            net.node(self.ends.1).name
        )
    }
}

/// The used links of a report (some pair's best path uses them) grouped into sections, ranked
/// like links by [`rank_cmp`] (ties by the section's lowest link index).
///
/// Two links are in one section when their losses are equal (pairs using, pairs cut, cut weight,
/// extra cost to 1e-9 relative) and they share an end place, directly or through other links of
/// the section.
///
/// # Complexity
/// O(L log L) for the grouping plus O(L α(L)) for joining ends.
pub fn sections(net: &crate::network::Network, report: &CriticalReport) -> Vec<Section> {
    let used: Vec<usize> = (0..report.single.len())
        .filter(|&l| report.single[l].pairs_using > 0)
        .collect();
    let same = |a: &LinkLoss, b: &LinkLoss| {
        let close = |x: f64, y: f64| (x - y).abs() <= 1e-9 * x.abs().max(y.abs()).max(1.0);
        a.pairs_using == b.pairs_using
            && a.disconnected == b.disconnected
            && a.cut_pairs == b.cut_pairs
            && close(a.disconnected_weight, b.disconnected_weight)
            && close(a.extra_cost, b.extra_cost)
    };
    // Union-find over used links: join two links of equal loss meeting at a place.
    let mut parent: Vec<usize> = (0..report.single.len()).collect();
    fn find(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    let mut at_place: HashMap<u32, Vec<usize>> = HashMap::new();
    for &l in &used {
        let link = &net.links[l];
        for n in [link.from.0, link.to.0] {
            at_place.entry(n).or_default().push(l);
        }
    }
    let mut places: Vec<(&u32, &Vec<usize>)> = at_place.iter().collect();
    places.sort_by_key(|(n, _)| **n);
    for (_, ls) in places {
        for (i, &a) in ls.iter().enumerate() {
            for &b in &ls[i + 1..] {
                if same(&report.single[a], &report.single[b]) {
                    let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
                    if ra != rb {
                        parent[ra.max(rb)] = ra.min(rb);
                    }
                }
            }
        }
    }
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut slot: HashMap<usize, usize> = HashMap::new();
    for &l in &used {
        let root = find(&mut parent, l);
        let k = *slot.entry(root).or_insert_with(|| {
            groups.push(Vec::new());
            groups.len() - 1
        });
        groups[k].push(l);
    }
    let mut out: Vec<Section> = groups.into_iter().map(|g| chain(net, g)).collect();
    out.sort_by(|a, b| {
        rank_cmp(&report.single[a.links[0]], &report.single[b.links[0]])
            .then(a.links.iter().min().cmp(&b.links.iter().min()))
    });
    out
}

/// Orders a group's links along the chain from one end (a place only one of them touches, the
/// lowest such place id first) and names its ends; a group that is no simple chain keeps link
/// order and takes its first and last ends.
fn chain(net: &crate::network::Network, links: Vec<usize>) -> Section {
    let mut degree: HashMap<u32, usize> = HashMap::new();
    for &l in &links {
        *degree.entry(net.links[l].from.0).or_default() += 1;
        *degree.entry(net.links[l].to.0).or_default() += 1;
    }
    let mut ends: Vec<u32> = degree
        .iter()
        .filter(|(_, &d)| d == 1)
        .map(|(&n, _)| n)
        .collect();
    ends.sort_unstable();
    let simple = ends.len() == 2 && degree.values().all(|&d| d <= 2);
    if simple {
        let mut order = Vec::with_capacity(links.len());
        let mut left = links.clone();
        let mut at = ends[0];
        while let Some(k) = left
            .iter()
            .position(|&l| net.links[l].from.0 == at || net.links[l].to.0 == at)
        {
            let l = left.swap_remove(k);
            let link = &net.links[l];
            at = if link.from.0 == at {
                link.to.0
            } else {
                link.from.0
            };
            order.push(l);
        }
        if left.is_empty() {
            return Section {
                links: order,
                ends: (crate::network::NodeId(ends[0]), crate::network::NodeId(at)),
            };
        }
    }
    let first = &net.links[links[0]];
    let last = &net.links[links[links.len() - 1]];
    let (a, b) = match ends.as_slice() {
        [a, .., b] => (crate::network::NodeId(*a), crate::network::NodeId(*b)),
        _ => (first.from, last.to),
    };
    Section {
        links,
        ends: (a, b),
    }
}

/// Every `k`-subset of `items`, in lexicographic order of positions (none when `k < 2`).
fn combinations(items: &[u32], k: usize) -> Vec<Vec<u32>> {
    if k < 2 || k > items.len() {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut idx: Vec<usize> = (0..k).collect();
    loop {
        out.push(idx.iter().map(|&i| items[i]).collect());
        let mut i = k;
        while i > 0 {
            i -= 1;
            if idx[i] != i + items.len() - k {
                idx[i] += 1;
                for j in i + 1..k {
                    idx[j] = idx[j - 1] + 1;
                }
                break;
            }
            if i == 0 {
                return out;
            }
        }
    }
}

/// What shards computed of [`Study::critical_from`]'s own work, added up by `corridor merge`;
/// each part left `None` is computed there.
#[derive(Debug, Clone, Default)]
pub struct FromShards {
    /// The betweenness sums over every source of [`Study::betweenness_sources`].
    pub betweenness: Option<Sums>,
    /// Every trade route's exposure, in route order ([`Study::exposure_of`]).
    pub exposure: Option<Vec<Exposure>>,
}

/// The graph of [`Study::betweenness_graph`], with the link of each arc.
struct BetweennessGraph {
    first_out: Vec<u32>,
    head: Vec<u32>,
    weight: Vec<Option<f64>>,
    arc_link: Vec<usize>,
}

impl BetweennessGraph {
    fn weighted(&self) -> WeightedGraph<'_> {
        WeightedGraph {
            first_out: &self.first_out,
            head: &self.head,
            weight: &self.weight,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn combinations_list_every_subset_once() {
        assert_eq!(
            combinations(&[1, 2, 3], 2),
            vec![vec![1, 2], vec![1, 3], vec![2, 3]]
        );
        assert_eq!(combinations(&[1, 2, 3, 4], 3).len(), 4);
        assert!(combinations(&[1, 2], 3).is_empty());
        assert!(combinations(&[1, 2], 1).is_empty());
    }
}
