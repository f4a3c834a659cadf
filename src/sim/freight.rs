//! Multi-class freight assignment on the compiled graph of a transport network: the tonnes of
//! `demand.csv` sent over the rail, road and ferry links of a scenario, each cargo with its own
//! access rules, sharing the capacity of border crossings, transfers and single-track lines.
//!
//! # The model
//! - **Classes.** A demand row's cargo may use an arc when the scenario's overlay and the access
//!   policy for its cargo origin and destination country allow it ([`Router::weights`]). The
//!   policy treats the route's own origin and destination countries apart (only rules on the whole
//!   path apply there), rules may name the destination country, and the row names the modes it may
//!   use, so a class is a cargo origin together with its origin and destination countries and its
//!   modes; rows that agree on all four share one class and one set of arc costs.
//! - **Shared elements** (the capacity-limited "resources"): a link with a capacity (its own, or
//!   the single-track default of `capacity.toml`), a border crossing per mode, and a place's
//!   break of gauge or transshipment terminal. Every class's flow on an arc counts towards the
//!   elements the arc uses (a link arc uses its link and, when it enters a border node, that
//!   crossing for its mode; a transfer arc uses the transfer). Both directions share one
//!   capacity.
//! - **Costs.** An arc costs a class its compiled cost in the chosen metric (haulage, fees,
//!   transfers, policy penalties, scenario extras) plus a BPR delay on each shared element it
//!   uses: `t0 * alpha * (X / C)^beta` hours, with `t0` the element's free-flow hours (running
//!   time of a link, dwell at a crossing, time of a transfer), `X` the element's flow and `C` its
//!   capacity. The delay is priced in the metric (the value of time for the generalized cost;
//!   distance and money ignore it).
//! - **Equilibrium.** Every class shares the same delay functions of the total element flows, so
//!   the multi-class user equilibrium minimises one Beckmann objective: the class-specific
//!   constant costs times the class flows plus the integrals of the element costs. Frank-Wolfe
//!   moves every class's flows towards its all-or-nothing load with one step found by the line
//!   search of [`super::assign`]; the method of successive averages takes the step `1/(k+1)`.
//!   The relative gap `(TSTT - SPTT) / TSTT` is over all classes.
//! - **Unreachable demand** (no path for the class under the scenario) is reported as unserved
//!   tonnes, not an error: reachability does not depend on congestion, so the served set is the
//!   same at every iteration.
//!
//! All-or-nothing loads run in parallel over (class, origin) units; each unit's flows are added
//! in unit order, so the flows are identical for any number of threads.
//!
//! # Units
//! Demand and flows in tonnes per year; capacities in `capacity.toml` are tonnes per day and are
//! multiplied by 365; costs in the metric's unit per tonne; delays in hours; revenue in USD per
//! year; tonne-km per year.

use std::collections::BTreeMap;

use rayon::prelude::*;

use super::assign::{line_search, Method};
use super::bpr::BprLinks;
use crate::network::{Country, LinkId, Mode, Network, NodeId};
use crate::routing::csr::{one_to_all, SearchState, NONE};
use crate::routing::{ArcKind, Metric, ModeSet, Overlay, Query, RouteState, Router};
use crate::scenario::{CapacityModel, DemandRow, TransferKind};

/// Days per year, to turn capacities per day into the demand's tonnes per year.
pub const DAYS_PER_YEAR: f64 = 365.0;

/// How to solve the freight assignment.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FreightOptions {
    /// [`Method::Aon`], [`Method::Msa`] or [`Method::Fw`] (the conjugate methods run as
    /// Frank-Wolfe).
    pub method: Method,
    /// Stop once the relative gap is at most this.
    pub gap: f64,
    /// Stop after this many iterations.
    pub max_iter: usize,
    /// What a path costs; delays are priced by it.
    pub metric: Metric,
}

impl FreightOptions {
    /// Frank-Wolfe to a relative gap of 1e-4 in at most 200 iterations.
    pub fn new(metric: Metric) -> FreightOptions {
        FreightOptions {
            method: Method::Fw,
            gap: 1e-4,
            max_iter: 200,
            metric,
        }
    }
}

/// A capacity-limited element.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Element {
    Link(LinkId),
    /// A border crossing for rail or road.
    Crossing(NodeId, Mode),
    Transfer(NodeId, TransferKind),
}

/// An element's state at the end of the assignment.
#[derive(Debug, Clone, PartialEq)]
pub struct ElementState {
    pub element: Element,
    /// Tonnes per year, both directions.
    pub flow: f64,
    /// Tonnes per year.
    pub capacity: f64,
    /// Hours of a passage without congestion.
    pub free_hours: f64,
    /// BPR delay per passage at the final flow, hours.
    pub delay_hours: f64,
}

impl ElementState {
    /// Flow over capacity.
    pub fn ratio(&self) -> f64 {
        self.flow / self.capacity
    }
}

/// What happened to one demand row.
#[derive(Debug, Clone, PartialEq)]
pub struct RowResult {
    /// Index into the demand rows.
    pub row: usize,
    pub tonnes: f64,
    /// Whether the cargo has any path under the scenario.
    pub served: bool,
    /// Cost per tonne of its cheapest path at the final costs (congestion included), in the
    /// metric's unit; infinite when not served.
    pub cost: f64,
    /// The same without congestion (empty network).
    pub free_flow_cost: f64,
    /// The cheapest path at the final costs: km, its countries in order of entry, the transit
    /// ones (neither origin's nor destination's), the border crossings passed and the modes.
    pub km: f64,
    pub countries: Vec<Country>,
    pub transit: Vec<Country>,
    pub borders: Vec<NodeId>,
    pub modes: Vec<Mode>,
}

/// Freight figures of one country.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct CountryFlows {
    /// Tonne-km per year on its territory, all cargo.
    pub tonne_km: f64,
    /// Tonnes per year entering it as a transit country (a path entering twice counts twice).
    pub transit_tonnes: f64,
    /// Tonne-km per year of transit cargo on its territory.
    pub transit_tonne_km: f64,
    /// USD per year paid by transit cargo on its territory: haulage (tariff x km), the fees of
    /// the crossings entered from its links, its transfers, and policy charges and scenario tolls
    /// on its arcs.
    pub transit_revenue_usd: f64,
}

/// One iteration of the equilibrium.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FreightIteration {
    pub iteration: usize,
    pub relative_gap: f64,
    pub step: f64,
}

/// The result of a freight assignment under one scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct FreightResult {
    pub scenario: String,
    /// Tonnes per year on each link (both directions), indexed by [`LinkId`].
    pub link_flow: Vec<f64>,
    /// Tonnes per year on each link from its `from` node to its `to` node, and back.
    pub link_flow_dir: Vec<[f64; 2]>,
    /// Tonnes per year through each border crossing and mode that has flow or a capacity, in
    /// node order, rail before road.
    pub crossings: Vec<(NodeId, Mode, f64)>,
    /// Every capacity-limited element, in [`Element`] order.
    pub elements: Vec<ElementState>,
    /// By country, in code order.
    pub countries: BTreeMap<Country, CountryFlows>,
    /// One per demand row, in row order.
    pub rows: Vec<RowResult>,
    pub trace: Vec<FreightIteration>,
    pub converged: bool,
}

impl FreightResult {
    /// Tonnes per year served and not served.
    pub fn served_tonnes(&self) -> (f64, f64) {
        self.rows.iter().fold((0.0, 0.0), |(s, u), r| {
            if r.served {
                (s + r.tonnes, u)
            } else {
                (s, u + r.tonnes)
            }
        })
    }

    /// Tonne-km per year over every link (sea legs included).
    pub fn tonne_km(&self, network: &Network) -> f64 {
        self.link_flow
            .iter()
            .zip(&network.links)
            .map(|(f, l)| f * l.length_km)
            .sum()
    }
}

/// One origin-destination pair of a class.
#[derive(Debug, Clone)]
struct Od {
    row: usize,
    targets: Vec<u32>,
    tonnes: f64,
}

/// The demand of a class from one origin place.
#[derive(Debug, Clone)]
struct Origin {
    sources: Vec<u32>,
    ods: Vec<Od>,
}

#[derive(Debug, Clone)]
struct Class {
    ends: [Country; 2],
    /// Constant cost per arc (the compiled cost minus the free-flow part priced on shared
    /// elements); infinite where the class may not go.
    own: Vec<f64>,
    /// USD per tonne per arc for this class (for revenue).
    usd: Vec<f64>,
    origins: Vec<Origin>,
}

/// A freight assignment compiled for one scenario.
pub struct FreightProblem<'a> {
    router: &'a Router,
    scenario: String,
    classes: Vec<Class>,
    elements: Vec<Element>,
    /// BPR parameters of the elements, in the metric's unit (`t0` is the metric's price of the
    /// free-flow hours).
    bpr: BprLinks,
    free_hours: Vec<f64>,
    /// Up to two elements per arc ([`NONE`] for none).
    arc_elements: Vec<[u32; 2]>,
    rows: Vec<f64>,
    num_links: usize,
}

/// The flows of an all-or-nothing load: per class, per arc.
type ClassFlows = Vec<Vec<f64>>;

/// What one (class, origin) unit loads.
struct UnitLoad {
    class: usize,
    /// `(arc, tonnes)` along each path.
    arcs: Vec<(u32, f64)>,
    sptt: f64,
    /// `(row, cost, path arcs)`; an unreachable row has an infinite cost.
    rows: Vec<(usize, f64, Vec<u32>)>,
}

impl<'a> FreightProblem<'a> {
    /// Compiles the assignment of `demand` under `overlay`.
    ///
    /// # Arguments
    /// * `router` - the compiled network.
    /// * `network` - the network it was compiled from (for crossing dwells and link facts).
    /// * `overlay` - the scenario.
    /// * `demand` - the rows to assign (all of them; zero tonnes are allowed).
    /// * `capacity` - the capacities; `None` makes the assignment all-or-nothing in effect.
    /// * `metric` - what a path costs.
    ///
    /// # Complexity
    /// O(classes x arcs) time and memory.
    pub fn new(
        router: &'a Router,
        network: &Network,
        overlay: &Overlay,
        demand: &[DemandRow],
        capacity: Option<&CapacityModel>,
        metric: Metric,
    ) -> FreightProblem<'a> {
        let g = &router.graph;
        let m = g.arcs.len();
        // Shared elements and their free-flow hours.
        let mut index: BTreeMap<Element, u32> = BTreeMap::new();
        let mut arc_raw: Vec<Vec<(Element, f64, f64)>> = vec![Vec::new(); m];
        if let Some(cap) = capacity {
            for (a, info) in g.arcs.iter().enumerate() {
                let mut list = Vec::new();
                match info.kind {
                    ArcKind::Link { link, .. } => {
                        let mut run_h = info.hours;
                        if let Some(node) = info.crossing {
                            let mode = info.to_layer.mode();
                            let dwell = network
                                .node(node)
                                .border
                                .as_ref()
                                .and_then(|b| b.mode(mode))
                                .map_or(0.0, |c| c.dwell_h);
                            run_h = (info.hours - dwell).max(0.0);
                            if let Some(c) = cap.crossing(node, mode) {
                                list.push((Element::Crossing(node, mode), dwell, c));
                            }
                        }
                        if let Some(c) = cap.link(network.link(link)) {
                            list.push((Element::Link(link), run_h, c));
                        }
                    }
                    ArcKind::GaugeChange | ArcKind::Transship => {
                        let kind = if info.kind == ArcKind::GaugeChange {
                            TransferKind::Gauge
                        } else {
                            TransferKind::Transship
                        };
                        if let Some(c) = cap.transfer(info.to, kind) {
                            list.push((Element::Transfer(info.to, kind), info.hours, c));
                        }
                    }
                }
                for (e, _, _) in &list {
                    let next = index.len() as u32;
                    index.entry(*e).or_insert(next);
                }
                arc_raw[a] = list;
            }
        }
        // Elements in their natural order, so that tables list them stably.
        let elements: Vec<Element> = index.keys().copied().collect();
        let rank: BTreeMap<Element, u32> = elements
            .iter()
            .enumerate()
            .map(|(i, e)| (*e, i as u32))
            .collect();
        let (alpha, beta) = capacity.map_or((0.0, 1.0), |c| (c.bpr_alpha, c.bpr_beta));
        let mut bpr = BprLinks::default();
        let mut free_hours = vec![0.0; elements.len()];
        let mut filled = vec![false; elements.len()];
        bpr.t0 = vec![0.0; elements.len()];
        bpr.capacity = vec![1.0; elements.len()];
        bpr.b = vec![alpha; elements.len()];
        bpr.power = vec![beta; elements.len()];
        bpr.fixed = vec![0.0; elements.len()];
        let mut arc_elements = vec![[NONE; 2]; m];
        let mut element_hours = vec![0.0; m];
        for (a, list) in arc_raw.iter().enumerate() {
            for (k, (e, hours, cap_per_day)) in list.iter().enumerate() {
                let r = rank[e] as usize;
                arc_elements[a][k] = r as u32;
                element_hours[a] += hours;
                if !filled[r] {
                    filled[r] = true;
                    free_hours[r] = *hours;
                    bpr.t0[r] = metric.cost(0.0, *hours, 0.0);
                    bpr.capacity[r] = cap_per_day * DAYS_PER_YEAR;
                }
            }
        }

        // Classes: rows agreeing on cargo, end countries and modes.
        let mut keys: Vec<(Country, Country, Country, ModeSet)> = Vec::new();
        let mut class_of_row = Vec::with_capacity(demand.len());
        for r in demand {
            let key = (
                r.cargo,
                network.node(r.from).country,
                network.node(r.to).country,
                ModeSet::of(&r.modes),
            );
            let k = match keys.iter().position(|x| *x == key) {
                Some(k) => k,
                None => {
                    keys.push(key);
                    keys.len() - 1
                }
            };
            class_of_row.push(k);
        }
        let mut state = RouteState::new();
        let mut classes: Vec<Class> = Vec::with_capacity(keys.len());
        for (k, key) in keys.iter().enumerate() {
            let Some(first) = class_of_row.iter().position(|&c| c == k) else {
                continue;
            };
            let row = &demand[first];
            let query = |metric: Metric| Query {
                from: row.from,
                to: row.to,
                cargo: row.cargo,
                to_country: Some(key.2),
                modes: key.3,
                metric,
                algorithm: Default::default(),
            };
            let usd = router.weights(&query(Metric::Money), overlay, &mut state);
            let hours = router.weights(&query(Metric::Time), overlay, &mut state);
            let own: Vec<f64> = (0..m)
                .map(|a| match (usd[a], hours[a]) {
                    (Some(u), Some(h)) => {
                        metric.cost(g.arcs[a].km, (h - element_hours[a]).max(0.0), u)
                    }
                    _ => f64::INFINITY,
                })
                .collect();
            let mut origins: Vec<Origin> = Vec::new();
            for (i, r) in demand.iter().enumerate() {
                if class_of_row[i] != k {
                    continue;
                }
                let q = Query {
                    from: r.from,
                    to: r.to,
                    ..query(metric)
                };
                let (sources, targets) = router.endpoints(&q);
                let od = Od {
                    row: i,
                    targets,
                    tonnes: r.tonnes_per_year,
                };
                match origins.iter_mut().find(|o| o.sources == sources) {
                    Some(o) => o.ods.push(od),
                    None => origins.push(Origin {
                        sources,
                        ods: vec![od],
                    }),
                }
            }
            classes.push(Class {
                ends: [key.1, key.2],
                own,
                usd: usd.iter().map(|u| u.unwrap_or(0.0)).collect(),
                origins,
            });
        }
        FreightProblem {
            router,
            scenario: overlay.scenario.clone(),
            classes,
            elements,
            bpr,
            free_hours,
            arc_elements,
            rows: demand.iter().map(|r| r.tonnes_per_year).collect(),
            num_links: network.links.len(),
        }
    }

    /// Number of classes.
    pub fn classes(&self) -> usize {
        self.classes.len()
    }

    /// The capacity-limited elements, in order.
    pub fn elements(&self) -> &[Element] {
        &self.elements
    }

    fn element_flows(&self, x: &ClassFlows, out: &mut [f64]) {
        out.iter_mut().for_each(|v| *v = 0.0);
        for flows in x {
            for (a, &f) in flows.iter().enumerate() {
                if f != 0.0 {
                    for &r in &self.arc_elements[a] {
                        if r != NONE {
                            out[r as usize] += f;
                        }
                    }
                }
            }
        }
    }

    /// The cost of arc `a` for class `k` at element costs `rc`.
    #[inline]
    fn arc_cost(&self, k: usize, a: usize, rc: &[f64]) -> f64 {
        let mut c = self.classes[k].own[a];
        for &r in &self.arc_elements[a] {
            if r != NONE {
                c += rc[r as usize];
            }
        }
        c
    }

    /// All-or-nothing load of every class at element costs `rc`.
    fn load(&self, rc: &[f64], record: bool) -> Vec<UnitLoad> {
        let units: Vec<(usize, usize)> = self
            .classes
            .iter()
            .enumerate()
            .flat_map(|(k, c)| (0..c.origins.len()).map(move |o| (k, o)))
            .collect();
        let csr = &self.router.graph.csr;
        units
            .par_iter()
            .map_init(
                || (SearchState::new(), Vec::new()),
                |(st, path), &(k, o)| {
                    let origin = &self.classes[k].origins[o];
                    one_to_all(
                        csr,
                        &origin.sources,
                        |a| {
                            let c = self.arc_cost(k, a as usize, rc);
                            c.is_finite().then_some(c)
                        },
                        |_| true,
                        st,
                    );
                    let mut load = UnitLoad {
                        class: k,
                        arcs: Vec::new(),
                        sptt: 0.0,
                        rows: Vec::new(),
                    };
                    for od in &origin.ods {
                        // The cheapest layer at the destination; ties go to the first layer.
                        let best = od
                            .targets
                            .iter()
                            .copied()
                            .filter(|&t| st.dist(t).is_finite())
                            .min_by(|&a, &b| st.dist(a).total_cmp(&st.dist(b)));
                        let Some(t) = best else {
                            load.rows.push((od.row, f64::INFINITY, Vec::new()));
                            continue;
                        };
                        let cost = st.dist(t);
                        load.sptt += od.tonnes * cost;
                        st.path_to(csr, t, path);
                        for &a in path.iter() {
                            load.arcs.push((a, od.tonnes));
                        }
                        load.rows.push((
                            od.row,
                            cost,
                            if record { path.clone() } else { Vec::new() },
                        ));
                    }
                    load
                },
            )
            .collect()
    }

    /// Adds the unit loads into per-class flows, in unit order; returns SPTT.
    fn gather(&self, loads: &[UnitLoad], out: &mut ClassFlows) -> f64 {
        for flows in out.iter_mut() {
            flows.iter_mut().for_each(|v| *v = 0.0);
        }
        let mut sptt = 0.0;
        for l in loads {
            sptt += l.sptt;
            for &(a, f) in &l.arcs {
                out[l.class][a as usize] += f;
            }
        }
        sptt
    }

    /// Solves the assignment.
    ///
    /// # Arguments
    /// * `options` - method, gap, iteration limit (the metric was fixed by [`FreightProblem::new`]).
    ///
    /// # Returns
    /// Flows per link and crossing, the capacity-limited elements' states, figures per country,
    /// what happened to each demand row, and the convergence trace.
    ///
    /// # Complexity
    /// Per iteration, one shortest-path tree per (class, origin), O(U (n + m) log n), plus
    /// O(classes x arcs) for the flow update and the line search.
    ///
    /// # Examples
    /// ```no_run
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use corridor::routing::{Metric, Router};
    /// use corridor::scenario::Dataset;
    /// use corridor::sim::freight::{FreightOptions, FreightProblem};
    /// let data = Dataset::load("data/caucasus".as_ref())?;
    /// let router = Router::new(&data.network, &data.costs)?;
    /// let overlay = router.overlay(&data.resolve("baseline-2021").ok_or("no baseline")?);
    /// let metric = Metric::generalized(&data.costs);
    /// let problem = FreightProblem::new(
    ///     &router, &data.network, &overlay, &data.demand, data.capacity.as_ref(), metric,
    /// );
    /// let result = problem.solve(&FreightOptions::new(metric));
    /// println!("{:.0} t/yr served", result.served_tonnes().0);
    /// # Ok(()) }
    /// ```
    pub fn solve(&self, options: &FreightOptions) -> FreightResult {
        let m = self.router.graph.arcs.len();
        let n_el = self.elements.len();
        let zero = vec![0.0; n_el];
        let mut rc = vec![0.0; n_el];
        self.bpr.costs(&zero, &mut rc);
        let first = self.load(&rc, false);
        let mut free_flow = vec![f64::INFINITY; self.rows.len()];
        for l in &first {
            for (row, cost, _) in &l.rows {
                free_flow[*row] = *cost;
            }
        }
        let mut x: ClassFlows = vec![vec![0.0; m]; self.classes.len()];
        let mut y: ClassFlows = x.clone();
        self.gather(&first, &mut x);
        let (mut big_x, mut big_y, mut big_d) = (vec![0.0; n_el], vec![0.0; n_el], vec![0.0; n_el]);
        let max_iter = if options.method == Method::Aon {
            1
        } else {
            options.max_iter.max(1)
        };
        let mut trace = Vec::new();
        let mut converged = false;
        let mut last_step = 1.0;
        for k in 1..=max_iter {
            self.element_flows(&x, &mut big_x);
            self.bpr.costs(&big_x, &mut rc);
            let loads = self.load(&rc, false);
            let sptt = self.gather(&loads, &mut y);
            let mut tstt = 0.0;
            for (c, flows) in x.iter().enumerate() {
                for (a, &f) in flows.iter().enumerate() {
                    if f != 0.0 {
                        tstt += f * self.arc_cost(c, a, &rc);
                    }
                }
            }
            let gap = if tstt > 0.0 {
                ((tstt - sptt) / tstt).max(0.0)
            } else {
                0.0
            };
            trace.push(FreightIteration {
                iteration: k,
                relative_gap: gap,
                step: last_step,
            });
            if gap <= options.gap {
                converged = true;
                break;
            }
            if k == max_iter {
                break;
            }
            let step = if options.method == Method::Msa {
                1.0 / (k as f64 + 1.0)
            } else {
                self.element_flows(&y, &mut big_y);
                for r in 0..n_el {
                    big_d[r] = big_y[r] - big_x[r];
                }
                let mut linear = 0.0;
                for (c, (xs, ys)) in x.iter().zip(&y).enumerate() {
                    let own = &self.classes[c].own;
                    for a in 0..m {
                        let d = ys[a] - xs[a];
                        if d != 0.0 {
                            linear += own[a] * d;
                        }
                    }
                }
                let g0 = linear + rc.iter().zip(&big_d).map(|(c, d)| c * d).sum::<f64>();
                line_search(&self.bpr, &big_x, &big_d, linear, g0)
            };
            for (xs, ys) in x.iter_mut().zip(&y) {
                for a in 0..m {
                    xs[a] += step * (ys[a] - xs[a]);
                    if xs[a] < 0.0 {
                        xs[a] = 0.0;
                    }
                }
            }
            last_step = step;
        }
        self.element_flows(&x, &mut big_x);
        self.bpr.costs(&big_x, &mut rc);
        let last = self.load(&rc, true);
        self.describe(&x, &big_x, &free_flow, &last, trace, converged)
    }

    fn describe(
        &self,
        x: &ClassFlows,
        big_x: &[f64],
        free_flow: &[f64],
        last: &[UnitLoad],
        trace: Vec<FreightIteration>,
        converged: bool,
    ) -> FreightResult {
        let g = &self.router.graph;
        let mut link_flow = vec![0.0; self.num_links];
        let mut link_flow_dir = vec![[0.0; 2]; self.num_links];
        let mut crossing: BTreeMap<(NodeId, u8), f64> = BTreeMap::new();
        let mut countries: BTreeMap<Country, CountryFlows> = BTreeMap::new();
        for (k, flows) in x.iter().enumerate() {
            let class = &self.classes[k];
            for (a, &f) in flows.iter().enumerate() {
                if f <= 0.0 {
                    continue;
                }
                let info = &g.arcs[a];
                if let ArcKind::Link { link, forward } = info.kind {
                    link_flow[link.index()] += f;
                    link_flow_dir[link.index()][usize::from(!forward)] += f;
                }
                if let Some(node) = info.crossing {
                    let mode = u8::from(info.to_layer.mode() == Mode::Road);
                    *crossing.entry((node, mode)).or_insert(0.0) += f;
                }
                if let Some(c) = info.country {
                    let e = countries.entry(c).or_default();
                    e.tonne_km += f * info.km;
                    if !class.ends.contains(&c) {
                        e.transit_tonne_km += f * info.km;
                        e.transit_revenue_usd += f * class.usd[a];
                    }
                }
                if let (true, Some(c), ArcKind::Link { .. }) =
                    (info.enters_country, info.policy_country, info.kind)
                {
                    if !class.ends.contains(&c) {
                        countries.entry(c).or_default().transit_tonnes += f;
                    }
                }
            }
        }
        // Every capacity-limited crossing is listed, with or without flow.
        for e in &self.elements {
            if let Element::Crossing(node, mode) = e {
                crossing
                    .entry((*node, u8::from(*mode == Mode::Road)))
                    .or_insert(0.0);
            }
        }
        let crossings = crossing
            .into_iter()
            .map(|((n, m), f)| (n, if m == 1 { Mode::Road } else { Mode::Rail }, f))
            .collect();
        let elements = self
            .elements
            .iter()
            .enumerate()
            .map(|(r, e)| ElementState {
                element: *e,
                flow: big_x[r],
                capacity: self.bpr.capacity[r],
                free_hours: self.free_hours[r],
                delay_hours: self.free_hours[r]
                    * self.bpr.b[r]
                    * (big_x[r] / self.bpr.capacity[r]).powf(self.bpr.power[r]),
            })
            .collect();
        let mut rows: Vec<RowResult> = self
            .rows
            .iter()
            .enumerate()
            .map(|(i, &t)| RowResult {
                row: i,
                tonnes: t,
                served: false,
                cost: f64::INFINITY,
                free_flow_cost: free_flow[i],
                km: 0.0,
                countries: Vec::new(),
                transit: Vec::new(),
                borders: Vec::new(),
                modes: Vec::new(),
            })
            .collect();
        for l in last {
            let ends = self.classes[l.class].ends;
            for (row, cost, arcs) in &l.rows {
                let r = &mut rows[*row];
                r.cost = *cost;
                r.served = cost.is_finite();
                for &a in arcs {
                    let info = &g.arcs[a as usize];
                    r.km += info.km;
                    if let ArcKind::Link { .. } = info.kind {
                        if !r.modes.contains(&info.mode) {
                            r.modes.push(info.mode);
                        }
                        if let Some(c) = info.country {
                            if info.km > 0.0 && !r.countries.contains(&c) {
                                r.countries.push(c);
                                if !ends.contains(&c) {
                                    r.transit.push(c);
                                }
                            }
                        }
                    }
                    if let Some(b) = info.crossing {
                        r.borders.push(b);
                    }
                }
            }
        }
        FreightResult {
            scenario: self.scenario.clone(),
            link_flow,
            link_flow_dir,
            crossings,
            elements,
            countries,
            rows,
            trace,
            converged,
        }
    }
}
