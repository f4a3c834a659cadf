//! Static user-equilibrium traffic assignment (Wardrop's first principle) with BPR link costs, by
//! all-or-nothing, the method of successive averages, Frank-Wolfe, and conjugate and
//! bi-conjugate Frank-Wolfe (Mitradjieva and Lindberg 2013).
//!
//! Every method repeats the same step: price the links at the current flows, send each origin's
//! demand along its shortest paths (an all-or-nothing load), and move the flows towards a target
//! built from that load. The equilibrium minimises the Beckmann objective
//! `sum_a integral_0^{x_a} c_a(s) ds`; the relative gap `(TSTT - SPTT) / TSTT` measures how far the
//! flows are from it (0 at equilibrium), with `TSTT = sum_a x_a c_a(x_a)` and
//! `SPTT = sum_od demand_od * (shortest path cost_od)`.
//!
//! The all-or-nothing load runs in parallel over origins: origins are cut into a fixed number of
//! contiguous chunks (independent of the thread count), each chunk loads into its own flow vector,
//! and the vectors are added in chunk order. Flows are therefore identical, bit for bit, for any
//! number of threads.
//!
//! # Units
//! Costs in the network's time unit, flows in its flow unit (see [`super::bpr`]); TSTT, SPTT and
//! the Beckmann objective in flow x time.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;
use std::ops::Range;
use std::str::FromStr;
use std::time::Instant;

use rayon::prelude::*;

use super::bpr::BprLinks;
use crate::network::tntp::{TntpFlow, TntpNet, TntpTrips};
use crate::routing::csr::{one_to_all, Csr, CsrError, SearchState, NONE};

/// Most origin chunks of the parallel load; with fewer, the load balances worse over threads,
/// with more, adding the per-chunk flow vectors costs more.
const MAX_CHUNKS: usize = 32;
/// Memory budget, in `f64` entries, of the per-chunk flow vectors (256 MB).
const CHUNK_BUDGET: usize = 1 << 25;
/// The conjugate weight is capped below 1 so that the new direction keeps some of the
/// all-or-nothing target (Mitradjieva and Lindberg's safeguard).
const ALPHA_MAX: f64 = 0.99999;
/// A previous step this close to 1 leaves no usable previous direction (`x_k = s_{k-1}`).
const FULL_STEP: f64 = 1.0 - 1e-9;

/// Errors of building or solving an assignment problem.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AssignError {
    #[error("the trips file has {trips} zones but the network declares {net} zones")]
    ZoneMismatch { trips: u32, net: u32 },

    #[error("zone {dest} cannot be reached from zone {origin}, which has demand for it")]
    Unreachable { origin: u32, dest: u32 },

    #[error("the network has no demand between distinct zones")]
    NoDemand,

    #[error("best-known flows: {message}")]
    Reference { message: String },

    #[error("building the graph: {0}")]
    Graph(#[from] CsrError),
}

/// The assignment method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// All-or-nothing at free-flow costs (one load, no equilibrium).
    Aon,
    /// Method of successive averages: step `1 / (k + 1)`.
    Msa,
    /// Frank-Wolfe: all-or-nothing direction, exact line search.
    Fw,
    /// Conjugate Frank-Wolfe.
    Cfw,
    /// Bi-conjugate Frank-Wolfe.
    Bfw,
}

impl Method {
    pub const ALL: [Method; 5] = [
        Method::Aon,
        Method::Msa,
        Method::Fw,
        Method::Cfw,
        Method::Bfw,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Method::Aon => "aon",
            Method::Msa => "msa",
            Method::Fw => "fw",
            Method::Cfw => "cfw",
            Method::Bfw => "bfw",
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Method {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Method::ALL
            .into_iter()
            .find(|m| m.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| format!("unknown method `{s}` (aon, msa, fw, cfw, bfw)"))
    }
}

/// The direction an iteration moved along (conjugate methods fall back to Frank-Wolfe's when the
/// conjugate one is unusable).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// The first all-or-nothing load.
    Initial,
    /// Towards the all-or-nothing target.
    FrankWolfe,
    Conjugate,
    BiConjugate,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Initial => "initial",
            Direction::FrankWolfe => "fw",
            Direction::Conjugate => "cfw",
            Direction::BiConjugate => "bfw",
        }
    }
}

/// Weights of the flow-independent link cost terms: `cost = BPR time + distance * length +
/// toll * toll`.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct CostFactors {
    pub distance: f64,
    pub toll: f64,
}

/// When to stop.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AssignOptions {
    pub method: Method,
    /// Stop once the relative gap is at most this.
    pub gap: f64,
    /// Stop after this many iterations (each one all-or-nothing load and one flow update).
    pub max_iter: usize,
}

impl Default for AssignOptions {
    fn default() -> Self {
        AssignOptions {
            method: Method::Bfw,
            gap: 1e-5,
            max_iter: 1000,
        }
    }
}

/// The state after one iteration.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Iteration {
    /// 1 for the first all-or-nothing solution.
    pub iteration: usize,
    /// `(TSTT - SPTT) / TSTT` of this iteration's flows.
    pub relative_gap: f64,
    /// Total system travel time `sum_a x_a c_a(x_a)`.
    pub tstt: f64,
    /// Shortest-path travel time: every demand at its shortest path cost at this iteration's costs.
    pub sptt: f64,
    /// The Beckmann objective.
    pub beckmann: f64,
    /// The step that led to these flows (1 for the first).
    pub step: f64,
    pub direction: Direction,
    /// Seconds since the start of the assignment (not part of any output compared across runs).
    pub seconds: f64,
}

/// The result of an assignment, in the network file's link order.
#[derive(Debug, Clone, PartialEq)]
pub struct Assignment {
    pub flows: Vec<f64>,
    /// Link costs at those flows.
    pub costs: Vec<f64>,
    pub trace: Vec<Iteration>,
    /// Whether the gap target was reached.
    pub converged: bool,
}

impl Assignment {
    /// The last iteration (there is always one).
    pub fn last(&self) -> Option<&Iteration> {
        self.trace.last()
    }
}

/// An assignment problem compiled for solving: a forward-star graph with the links' BPR
/// parameters in arc order, and the demand grouped by origin (zero and intrazonal demand dropped).
#[derive(Debug, Clone)]
pub struct Problem {
    graph: Csr,
    /// BPR parameters in arc (CSR) order.
    bpr: BprLinks,
    /// The network file's link index of each arc.
    link_of_arc: Vec<u32>,
    /// Nodes (0-based) below this are zones that are not passed through.
    first_thru: u32,
    origins: Vec<u32>,
    dest_start: Vec<u32>,
    dest_node: Vec<u32>,
    dest_flow: Vec<f64>,
    /// File order: (init, term) ids as in the file, length, toll.
    ends: Vec<(u32, u32)>,
    length: Vec<f64>,
    toll: Vec<f64>,
    factors: CostFactors,
    total_demand: f64,
    intrazonal_demand: f64,
}

impl Problem {
    /// Compiles a TNTP network and its demand.
    ///
    /// # Arguments
    /// * `net`, `trips` - as read by [`crate::network::tntp`].
    /// * `factors` - weights of length and toll in the link cost.
    ///
    /// # Errors
    /// [`AssignError::ZoneMismatch`] when the files disagree on the zones,
    /// [`AssignError::NoDemand`] when no positive demand joins two distinct zones.
    ///
    /// # Complexity
    /// O(n + m + d log d) for d origin-destination entries.
    ///
    /// # Examples
    /// ```no_run
    /// use corridor::network::tntp;
    /// use corridor::sim::{assign, AssignOptions, CostFactors, Problem};
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let files = tntp::locate("data/SiouxFalls".as_ref())?;
    /// let net = tntp::read_net(&files.net)?;
    /// let trips = tntp::read_trips(&files.trips)?;
    /// let problem = Problem::from_tntp(&net, &trips, CostFactors::default())?;
    /// let result = assign(&problem, &AssignOptions::default(), |_| {})?;
    /// println!("gap {:e}", result.trace.last().map_or(f64::NAN, |i| i.relative_gap));
    /// # Ok(())
    /// # }
    /// ```
    pub fn from_tntp(
        net: &TntpNet,
        trips: &TntpTrips,
        factors: CostFactors,
    ) -> Result<Problem, AssignError> {
        if trips.zones != net.zones {
            return Err(AssignError::ZoneMismatch {
                trips: trips.zones,
                net: net.zones,
            });
        }
        let graph = Csr::from_arcs(net.nodes as usize, &net.pairs())?;
        let link_of_arc: Vec<u32> = (0..graph.num_arcs() as u32)
            .map(|a| graph.input_index(a))
            .collect();
        let mut bpr = BprLinks::default();
        for &i in &link_of_arc {
            let a = &net.arcs[i as usize];
            bpr.t0.push(a.free_flow_time);
            bpr.capacity.push(a.capacity);
            bpr.b.push(a.b);
            bpr.power.push(a.power);
            bpr.fixed
                .push(factors.distance * a.length + factors.toll * a.toll);
        }

        let mut od: Vec<(u32, u32, f64)> = Vec::with_capacity(trips.od.len());
        let mut intrazonal = 0.0;
        for d in &trips.od {
            if d.origin == d.dest {
                intrazonal += d.flow;
            } else if d.flow > 0.0 {
                od.push((d.origin - 1, d.dest - 1, d.flow));
            }
        }
        if od.is_empty() {
            return Err(AssignError::NoDemand);
        }
        od.sort_by_key(|&(o, d, _)| (o, d));
        let mut origins = Vec::new();
        let mut dest_start = Vec::new();
        for (j, &(o, _, _)) in od.iter().enumerate() {
            if origins.last() != Some(&o) {
                origins.push(o);
                dest_start.push(j as u32);
            }
        }
        dest_start.push(od.len() as u32);
        Ok(Problem {
            graph,
            bpr,
            link_of_arc,
            first_thru: net.first_thru_node - 1,
            origins,
            dest_start,
            dest_node: od.iter().map(|x| x.1).collect(),
            dest_flow: od.iter().map(|x| x.2).collect(),
            ends: net.arcs.iter().map(|a| (a.init, a.term)).collect(),
            length: net.arcs.iter().map(|a| a.length).collect(),
            toll: net.arcs.iter().map(|a| a.toll).collect(),
            factors,
            total_demand: od.iter().map(|x| x.2).sum(),
            intrazonal_demand: intrazonal,
        })
    }

    pub fn nodes(&self) -> usize {
        self.graph.num_nodes()
    }

    pub fn links(&self) -> usize {
        self.link_of_arc.len()
    }

    /// Origins with demand.
    pub fn origins(&self) -> usize {
        self.origins.len()
    }

    /// Origin-destination pairs with positive demand between distinct zones.
    pub fn od_pairs(&self) -> usize {
        self.dest_node.len()
    }

    /// Total demand assigned (intrazonal demand excluded).
    pub fn total_demand(&self) -> f64 {
        self.total_demand
    }

    /// Intrazonal demand, which is ignored.
    pub fn intrazonal_demand(&self) -> f64 {
        self.intrazonal_demand
    }

    pub fn factors(&self) -> CostFactors {
        self.factors
    }

    /// (init, term) node ids of each link, as in the file.
    pub fn link_ends(&self) -> &[(u32, u32)] {
        &self.ends
    }

    fn to_arc_order(&self, file_order: &[f64]) -> Vec<f64> {
        self.link_of_arc
            .iter()
            .map(|&i| file_order[i as usize])
            .collect()
    }

    fn to_file_order(&self, arc_order: &[f64]) -> Vec<f64> {
        let mut out = vec![0.0; arc_order.len()];
        for (a, &i) in self.link_of_arc.iter().enumerate() {
            out[i as usize] = arc_order[a];
        }
        out
    }

    /// Link costs at the given flows (both in file order).
    pub fn link_costs(&self, flows: &[f64]) -> Vec<f64> {
        let x = self.to_arc_order(flows);
        let mut c = vec![0.0; x.len()];
        self.bpr.costs(&x, &mut c);
        self.to_file_order(&c)
    }

    /// The Beckmann objective at the given flows (file order).
    pub fn beckmann(&self, flows: &[f64]) -> f64 {
        self.bpr.beckmann(&self.to_arc_order(flows))
    }

    /// The origin chunks of the parallel load: contiguous, as many as memory allows up to
    /// [`MAX_CHUNKS`], and never dependent on the thread count.
    fn chunks(&self) -> Vec<Range<usize>> {
        let budget = (CHUNK_BUDGET / self.links().max(1)).max(1);
        let k = self.origins.len().min(MAX_CHUNKS).min(budget).max(1);
        let per = self.origins.len().div_ceil(k);
        (0..self.origins.len())
            .step_by(per.max(1))
            .map(|s| s..(s + per).min(self.origins.len()))
            .collect()
    }

    /// Loads origin `oi`'s demand on its shortest-path tree at arc costs `cost` into `flows`;
    /// returns the demand-weighted shortest path cost.
    fn load_origin(
        &self,
        oi: usize,
        cost: &[f64],
        st: &mut AonState,
        flows: &mut [f64],
    ) -> Result<f64, AssignError> {
        let o = self.origins[oi];
        let first_thru = self.first_thru;
        let search = &mut st.search;
        one_to_all(
            &self.graph,
            &[o],
            |a| Some(cost[a as usize]),
            |v| v >= first_thru,
            search,
        );
        if st.node_flow.len() != self.nodes() {
            st.node_flow.clear();
            st.node_flow.resize(self.nodes(), 0.0);
        }
        let mut sptt = 0.0;
        let range = self.dest_start[oi] as usize..self.dest_start[oi + 1] as usize;
        for j in range {
            let d = self.dest_node[j];
            let f = self.dest_flow[j];
            let dist = search.dist(d);
            if !dist.is_finite() {
                // Leave the scratch vector clean for the next search.
                st.node_flow.iter_mut().for_each(|x| *x = 0.0);
                return Err(AssignError::Unreachable {
                    origin: o + 1,
                    dest: d + 1,
                });
            }
            sptt += f * dist;
            st.node_flow[d as usize] += f;
        }
        // Push each node's accumulated flow onto its tree arc, in reverse settling order, so that
        // every arc is touched once per origin rather than once per path.
        for &v in search.settled_order().iter().rev() {
            let f = st.node_flow[v as usize];
            if f != 0.0 {
                st.node_flow[v as usize] = 0.0;
                let a = search.parent_arc(v);
                if a != NONE {
                    flows[a as usize] += f;
                    st.node_flow[self.graph.tail(a) as usize] += f;
                }
            }
        }
        Ok(sptt)
    }
}

/// A worker thread's memory for all-or-nothing loads: the routing core's search state and the
/// flow waiting at each node while a tree is loaded (all zero between origins).
#[derive(Debug, Default)]
struct AonState {
    search: SearchState,
    node_flow: Vec<f64>,
}

thread_local! {
    /// Each worker thread's search memory, kept across iterations and assignments.
    static SEARCH: RefCell<AonState> = RefCell::new(AonState::default());
}

/// The parallel all-or-nothing loader, with its per-chunk flow vectors kept across iterations.
struct Loader {
    chunks: Vec<Range<usize>>,
    partial: Vec<Vec<f64>>,
}

impl Loader {
    fn new(p: &Problem) -> Loader {
        let chunks = p.chunks();
        let partial = vec![vec![0.0; p.links()]; chunks.len()];
        Loader { chunks, partial }
    }

    /// All-or-nothing flows at arc costs `cost` into `out`; returns SPTT.
    fn load(&mut self, p: &Problem, cost: &[f64], out: &mut [f64]) -> Result<f64, AssignError> {
        let sptts: Vec<Result<f64, AssignError>> = self
            .partial
            .par_iter_mut()
            .zip(self.chunks.par_iter())
            .map(|(part, range)| {
                SEARCH.with(|st| {
                    // No rayon call happens while the state is borrowed, so no other task can
                    // run on this thread and borrow it again.
                    let st = &mut st.borrow_mut();
                    part.iter_mut().for_each(|x| *x = 0.0);
                    let mut sptt = 0.0;
                    for oi in range.clone() {
                        sptt += p.load_origin(oi, cost, st, part)?;
                    }
                    Ok(sptt)
                })
            })
            .collect();
        out.iter_mut().for_each(|x| *x = 0.0);
        let mut sptt = 0.0;
        for (s, part) in sptts.into_iter().zip(&self.partial) {
            sptt += s?;
            for (o, v) in out.iter_mut().zip(part) {
                *o += v;
            }
        }
        Ok(sptt)
    }
}

/// Solves the assignment.
///
/// # Arguments
/// * `p` - the compiled problem.
/// * `options` - method, target relative gap and iteration limit.
/// * `progress` - called after every iteration (for a progress bar or a live trace).
///
/// # Returns
/// The link flows and costs (file order), the trace of every iteration, and whether the gap
/// target was reached. [`Method::Aon`] stops after its single load.
///
/// # Errors
/// [`AssignError::Unreachable`] when a demand's destination cannot be reached (zones are not
/// passed through).
///
/// # Complexity
/// Per iteration, one shortest-path tree per origin with demand, O(Z (n + m) log n), plus O(m)
/// for the direction and the line search (a few evaluations of the cost derivative along it).
///
/// # Examples
/// See [`Problem::from_tntp`].
pub fn assign(
    p: &Problem,
    options: &AssignOptions,
    mut progress: impl FnMut(&Iteration),
) -> Result<Assignment, AssignError> {
    let start = Instant::now();
    let m = p.links();
    let bpr = &p.bpr;
    let mut loader = Loader::new(p);
    let mut x = vec![0.0; m];
    let mut y = vec![0.0; m];
    let mut s = vec![0.0; m];
    let mut s1 = vec![0.0; m];
    let mut s2 = vec![0.0; m];
    let mut cost = vec![0.0; m];
    let mut hess = vec![0.0; m];
    let mut d = vec![0.0; m];
    let mut trace = Vec::new();
    // Previous targets available for the conjugate directions, and the last step.
    let mut history = 0usize;
    let mut last_step = 1.0;
    let mut direction = Direction::Initial;

    bpr.costs(&x, &mut cost);
    loader.load(p, &cost, &mut x)?;
    let max_iter = if options.method == Method::Aon {
        1
    } else {
        options.max_iter.max(1)
    };
    let mut converged = false;
    for k in 1..=max_iter {
        bpr.costs(&x, &mut cost);
        let sptt = loader.load(p, &cost, &mut y)?;
        let tstt: f64 = x.iter().zip(&cost).map(|(a, b)| a * b).sum();
        let gap = if tstt > 0.0 {
            (tstt - sptt) / tstt
        } else {
            0.0
        };
        let it = Iteration {
            iteration: k,
            relative_gap: gap,
            tstt,
            sptt,
            beckmann: bpr.beckmann(&x),
            step: last_step,
            direction,
            seconds: start.elapsed().as_secs_f64(),
        };
        progress(&it);
        trace.push(it);
        if gap <= options.gap {
            converged = true;
            break;
        }
        if k == max_iter {
            break;
        }

        // The target `s` of this iteration's direction.
        direction = Direction::FrankWolfe;
        let usable = last_step < FULL_STEP;
        match options.method {
            Method::Cfw | Method::Bfw if history >= 1 && usable => {
                for (a, h) in hess.iter_mut().enumerate() {
                    *h = bpr.derivative(a, x[a]);
                }
                if options.method == Method::Bfw && history >= 2 {
                    direction = Direction::BiConjugate;
                    bfw_target(&x, &y, &s1, &s2, &hess, last_step, &mut s);
                } else {
                    direction = Direction::Conjugate;
                    cfw_target(&x, &y, &s1, &hess, &mut s);
                }
            }
            _ => s.copy_from_slice(&y),
        }
        let mut slope = dot_diff(&cost, &s, &x);
        if direction != Direction::FrankWolfe && slope >= 0.0 {
            // Not a descent direction: restart the conjugate sequence from Frank-Wolfe's.
            direction = Direction::FrankWolfe;
            s.copy_from_slice(&y);
            history = 0;
            slope = dot_diff(&cost, &s, &x);
        }
        for a in 0..m {
            d[a] = s[a] - x[a];
        }
        let step = if options.method == Method::Msa {
            1.0 / (k as f64 + 1.0)
        } else {
            line_search(bpr, &x, &d, 0.0, slope)
        };
        for a in 0..m {
            x[a] += step * d[a];
            // Rounding may leave -1e-12 where a link empties; flows are never negative.
            if x[a] < 0.0 {
                x[a] = 0.0;
            }
        }
        last_step = step;
        std::mem::swap(&mut s2, &mut s1);
        std::mem::swap(&mut s1, &mut s);
        history = (history + 1).min(2);
        if direction == Direction::FrankWolfe && history == 2 {
            // After a Frank-Wolfe restart only the newest target starts the new sequence.
            history = 1;
        }
    }
    bpr.costs(&x, &mut cost);
    Ok(Assignment {
        flows: p.to_file_order(&x),
        costs: p.to_file_order(&cost),
        trace,
        converged,
    })
}

/// `sum_a c_a (s_a - x_a)`: the directional derivative of the Beckmann objective towards `s`.
fn dot_diff(c: &[f64], s: &[f64], x: &[f64]) -> f64 {
    c.iter()
        .zip(s.iter().zip(x))
        .map(|(c, (s, x))| c * (s - x))
        .sum()
}

/// Conjugate Frank-Wolfe target: `s = alpha s1 + (1 - alpha) y`, with `alpha` making the new
/// direction conjugate to the previous one w.r.t. the diagonal Hessian `h` at `x`.
fn cfw_target(x: &[f64], y: &[f64], s1: &[f64], h: &[f64], s: &mut [f64]) {
    let (mut num, mut den) = (0.0, 0.0);
    for a in 0..x.len() {
        let prev = s1[a] - x[a];
        num += h[a] * prev * (y[a] - x[a]);
        den += h[a] * prev * (y[a] - s1[a]);
    }
    let alpha = if den != 0.0 { num / den } else { 0.0 };
    let alpha = if alpha.is_finite() {
        alpha.clamp(0.0, ALPHA_MAX)
    } else {
        0.0
    };
    for a in 0..x.len() {
        s[a] = alpha * s1[a] + (1.0 - alpha) * y[a];
    }
}

/// Bi-conjugate Frank-Wolfe target: `s = b0 y + b1 s1 + b2 s2`, conjugate to the two previous
/// directions (Mitradjieva and Lindberg 2013, eqs. for `mu` and `nu`); negative weights are
/// dropped, which falls back towards conjugate or plain Frank-Wolfe.
fn bfw_target(x: &[f64], y: &[f64], s1: &[f64], s2: &[f64], h: &[f64], tau: f64, s: &mut [f64]) {
    let (mut n2, mut d2, mut n1, mut d1) = (0.0, 0.0, 0.0, 0.0);
    for a in 0..x.len() {
        let dbar1 = s1[a] - x[a];
        let dbar2 = tau * s1[a] - x[a] + (1.0 - tau) * s2[a];
        let fw = y[a] - x[a];
        n2 += h[a] * dbar2 * fw;
        d2 += h[a] * dbar2 * (s2[a] - s1[a]);
        n1 += h[a] * dbar1 * fw;
        d1 += h[a] * dbar1 * dbar1;
    }
    let mu = if d2 != 0.0 { -n2 / d2 } else { 0.0 };
    let mu = if mu.is_finite() { mu.max(0.0) } else { 0.0 };
    let nu = if d1 != 0.0 {
        -n1 / d1 + mu * tau / (1.0 - tau)
    } else {
        0.0
    };
    let nu = if nu.is_finite() { nu.max(0.0) } else { 0.0 };
    let b0 = 1.0 / (1.0 + mu + nu);
    let (b1, b2) = (nu * b0, mu * b0);
    for a in 0..x.len() {
        s[a] = b0 * y[a] + b1 * s1[a] + b2 * s2[a];
    }
}

/// The step in `[0, 1]` minimising the Beckmann objective along `x + step d`: the root of its
/// derivative `g(step) = linear + sum_a c_a(x_a + step d_a) d_a`, which is non-decreasing, by
/// Newton steps kept inside a shrinking bracket (bisection when Newton leaves it). `g0` is
/// `g(0)`. `linear` is the part of the derivative that does not depend on the step: 0 for a
/// single-class problem, whose flow-independent costs are in `bpr.fixed`; the freight assignment
/// ([`super::freight`]) puts there the class-specific constant costs of its arcs, whose
/// congestion lives on shared elements (the entries of `bpr`).
pub(crate) fn line_search(bpr: &BprLinks, x: &[f64], d: &[f64], linear: f64, g0: f64) -> f64 {
    if g0 >= 0.0 {
        return 0.0;
    }
    let g = |t: f64| -> (f64, f64) {
        let (mut g, mut dg) = (linear, 0.0);
        for a in 0..x.len() {
            if d[a] != 0.0 {
                let v = (x[a] + t * d[a]).max(0.0);
                g += bpr.cost(a, v) * d[a];
                dg += bpr.derivative(a, v) * d[a] * d[a];
            }
        }
        (g, dg)
    };
    let (g1, _) = g(1.0);
    if g1 <= 0.0 {
        return 1.0;
    }
    let (mut lo, mut hi) = (0.0, 1.0);
    // Regula falsi for the first guess: exact when the costs are linear.
    let mut t = -g0 / (g1 - g0);
    for _ in 0..100 {
        let (gt, dgt) = g(t);
        if gt > 0.0 {
            hi = t;
        } else {
            lo = t;
        }
        if gt.abs() <= 1e-13 * g0.abs() || hi - lo <= 1e-15 {
            break;
        }
        let newton = t - gt / dgt;
        let next = if dgt > 0.0 && newton > lo && newton < hi {
            newton
        } else {
            0.5 * (lo + hi)
        };
        // Rounding in the sum keeps `g` from ever reaching exactly 0: stop when the step stalls.
        if (next - t).abs() <= 1e-15 {
            break;
        }
        t = next;
    }
    t
}

/// How an assignment's link flows compare with the best known ones (`*_flow.tntp`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Comparison {
    /// Links compared (every link of the network).
    pub links: usize,
    /// Mean best-known flow over links.
    pub mean_flow: f64,
    /// Flow-weighted mean absolute deviation: `sum_a x*_a |x_a - x*_a| / sum_a x*_a`.
    pub weighted_mad: f64,
    /// Plain mean absolute deviation.
    pub mad: f64,
    /// Largest absolute deviation, and the file index of its link.
    pub max_abs_dev: f64,
    pub max_dev_link: usize,
    /// Beckmann objective of the assignment's flows and of the best known flows.
    pub objective: f64,
    pub best_known_objective: f64,
}

impl Comparison {
    /// [`Comparison::weighted_mad`] as a fraction of the mean flow.
    pub fn relative_weighted_mad(&self) -> f64 {
        self.weighted_mad / self.mean_flow
    }

    /// `(objective - best known) / best known`.
    pub fn objective_rel_error(&self) -> f64 {
        (self.objective - self.best_known_objective) / self.best_known_objective
    }
}

/// Matches the best-known flows to the network's links by (from, to) (parallel links in file
/// order) and compares them with `flows` (file order).
///
/// # Errors
/// [`AssignError::Reference`] when the counts differ or a link of one is missing in the other.
///
/// # Complexity
/// O(m).
pub fn compare_with_best_known(
    p: &Problem,
    flows: &[f64],
    best: &[TntpFlow],
) -> Result<Comparison, AssignError> {
    let reference = best_known_in_link_order(p, best)?;
    let total: f64 = reference.iter().sum();
    let m = reference.len();
    let (mut wmad, mut mad, mut max_dev, mut max_link) = (0.0, 0.0, 0.0, 0);
    for (a, (&r, &x)) in reference.iter().zip(flows).enumerate() {
        let dev = (x - r).abs();
        wmad += r * dev;
        mad += dev;
        if dev > max_dev {
            max_dev = dev;
            max_link = a;
        }
    }
    Ok(Comparison {
        links: m,
        mean_flow: total / m as f64,
        weighted_mad: if total > 0.0 { wmad / total } else { 0.0 },
        mad: mad / m as f64,
        max_abs_dev: max_dev,
        max_dev_link: max_link,
        objective: p.beckmann(flows),
        best_known_objective: p.beckmann(&reference),
    })
}

/// The best-known flows in the network's link order.
///
/// # Errors
/// See [`compare_with_best_known`].
pub fn best_known_in_link_order(p: &Problem, best: &[TntpFlow]) -> Result<Vec<f64>, AssignError> {
    let mut out = vec![0.0; p.links()];
    for (f, i) in best.iter().zip(match_links(p, best)?) {
        out[i] = f.volume;
    }
    Ok(out)
}

/// The network link index of each entry of a flow file, matched by (from, to); parallel links
/// are matched in file order.
fn match_links(p: &Problem, best: &[TntpFlow]) -> Result<Vec<usize>, AssignError> {
    if best.len() != p.links() {
        return Err(AssignError::Reference {
            message: format!(
                "{} links in the flow file, {} in the network",
                best.len(),
                p.links()
            ),
        });
    }
    let mut by_ends: HashMap<(u32, u32), Vec<usize>> = HashMap::new();
    for (i, e) in p.ends.iter().enumerate().rev() {
        by_ends.entry(*e).or_default().push(i);
    }
    best.iter()
        .map(|f| {
            by_ends
                .get_mut(&(f.from, f.to))
                .and_then(Vec::pop)
                .ok_or_else(|| AssignError::Reference {
                    message: format!(
                        "link {} -> {} is not in the network (or given more often)",
                        f.from, f.to
                    ),
                })
        })
        .collect()
}

/// Least-squares estimate of the cost factors implied by the best-known costs: the published cost
/// minus the BPR time at the published flow, regressed on length and toll.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FactorFit {
    pub factors: CostFactors,
    /// Root mean square of the published cost minus the BPR time alone.
    pub rms_without: f64,
    /// Root mean square of what the fitted factors leave unexplained.
    pub rms_with: f64,
}

/// Estimates the distance and toll factors behind a flow file's costs (see [`FactorFit`]), so
/// that a run can warn when its own factors would assign on different costs.
///
/// # Errors
/// As [`compare_with_best_known`].
pub fn fit_cost_factors(p: &Problem, best: &[TntpFlow]) -> Result<FactorFit, AssignError> {
    let reference = best_known_in_link_order(p, best)?;
    let mut cost = vec![0.0; p.links()];
    for (f, i) in best.iter().zip(match_links(p, best)?) {
        cost[i] = f.cost;
    }
    let x = p.to_arc_order(&reference);
    let mut time = vec![0.0; x.len()];
    for (a, t) in time.iter_mut().enumerate() {
        *t = p.bpr.cost(a, x[a]) - p.bpr.fixed[a];
    }
    let time = p.to_file_order(&time);
    // Normal equations of r = df * length + tf * toll.
    let (mut ll, mut lt, mut tt, mut lr, mut tr, mut rr) = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
    let m = p.links();
    for i in 0..m {
        let r = cost[i] - time[i];
        let (l, t) = (p.length[i], p.toll[i]);
        ll += l * l;
        lt += l * t;
        tt += t * t;
        lr += l * r;
        tr += t * r;
        rr += r * r;
    }
    let det = ll * tt - lt * lt;
    let (df, tf) = if det.abs() > 1e-12 * (ll * tt).max(1e-300) {
        ((lr * tt - tr * lt) / det, (tr * ll - lr * lt) / det)
    } else if ll > 0.0 {
        (lr / ll, 0.0)
    } else if tt > 0.0 {
        (0.0, tr / tt)
    } else {
        (0.0, 0.0)
    };
    let mut rest = 0.0;
    for i in 0..m {
        let r = cost[i] - time[i] - df * p.length[i] - tf * p.toll[i];
        rest += r * r;
    }
    Ok(FactorFit {
        factors: CostFactors {
            distance: df,
            toll: tf,
        },
        rms_without: (rr / m as f64).sqrt(),
        rms_with: (rest / m as f64).sqrt(),
    })
}
