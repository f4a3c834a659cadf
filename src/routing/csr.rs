//! The layer-agnostic search core: a compact directed graph in CSR form ([`Csr`]), a reusable
//! per-thread [`SearchState`] (generation stamps and an indexed 4-ary heap), and the searches over
//! it: [`one_to_all`], [`one_to_one`], [`bidirectional`] and [`astar`]; [`one_to_all_backward`]
//! (distances to a target set) and [`astar_from`] (A* from seeds at given distances) serve the
//! criticality re-searches.
//!
//! The core knows nothing of places, modes or scenarios: callers give per-arc weights as a closure
//! `Fn(arc) -> Option<f64>` (`None` = blocked) and a "may pass through" predicate on nodes (a
//! TNTP zone may start or end a path but never be passed through). The state-expanded graph of a
//! transport network ([`super::graph`]) and the freight assignment both run on it.
//!
//! # Invariants
//! - Nodes and arcs are `u32`; arc ids follow CSR order, so the arcs leaving node `v` are the
//!   contiguous range `first_out[v]..first_out[v + 1]`. [`Csr::input_index`] maps an arc back to
//!   its position in the arc list the graph was built from.
//! - Weights must be finite and `>= 0`; a blocked arc is `None`.
//! - [`NONE`] (`u32::MAX`) marks "no arc" / "no node": no graph may have `u32::MAX` nodes or arcs,
//!   which [`Csr::from_arcs`] checks.
//!
//! ```text
//!  arcs (0,1) (0,2) (1,2) (2,0)      first_out = [0, 2, 3, 4]
//!                                    head      = [1, 2, 2, 0]
//!     0 ---> 1                       tail      = [0, 0, 1, 2]
//!     | ^    |
//!     v  \   v
//!     2 ----'  (2 -> 0)
//! ```

use std::fmt;

/// "No arc" / "no node" / "not in the heap".
pub const NONE: u32 = u32::MAX;

/// Heap position of a node that has been settled (popped) in the current search.
const SETTLED: u32 = u32::MAX - 1;

/// Errors building a [`Csr`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CsrError {
    #[error("arc {arc}: node {node} is out of range (the graph has {num_nodes} nodes)")]
    NodeOutOfRange {
        arc: usize,
        node: u32,
        num_nodes: usize,
    },
    #[error("{what} count {count} does not fit the u32 ids of the compiled graph")]
    TooLarge { what: &'static str, count: usize },
}

/// A directed graph in compressed sparse row form, with an optional reverse index for backward
/// searches.
#[derive(Clone)]
pub struct Csr {
    first_out: Vec<u32>,
    head: Vec<u32>,
    tail: Vec<u32>,
    /// Position of each arc in the input list.
    input: Vec<u32>,
    /// Incoming arcs grouped by head: `rev_arc[first_in[v]..first_in[v + 1]]`.
    first_in: Vec<u32>,
    rev_arc: Vec<u32>,
}

impl fmt::Debug for Csr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Csr({} nodes, {} arcs)",
            self.num_nodes(),
            self.num_arcs()
        )
    }
}

impl Csr {
    /// Builds a graph of `num_nodes` nodes from `(tail, head)` pairs. Arcs are sorted by tail
    /// (stably, so arcs of one tail keep their input order); the reverse index is always built.
    ///
    /// # Arguments
    /// - `num_nodes`: node ids run `0..num_nodes`.
    /// - `arcs`: `(tail, head)` pairs; parallel arcs and loops are allowed.
    ///
    /// # Returns
    /// The graph; [`Csr::input_index`] maps each CSR arc to its index in `arcs`.
    ///
    /// # Errors
    /// [`CsrError::NodeOutOfRange`] for an arc naming a node `>= num_nodes`;
    /// [`CsrError::TooLarge`] when the counts do not fit `u32` ids.
    ///
    /// # Complexity
    /// O(n + m) time and memory (counting sort).
    ///
    /// # Examples
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use corridor::routing::csr::Csr;
    /// let g = Csr::from_arcs(3, &[(1, 2), (0, 1), (0, 2)])?;
    /// assert_eq!(g.out_arcs(0), 0..2);
    /// assert_eq!(g.input_index(2), 0); // arc (1, 2) was first in the input
    /// # Ok(()) }
    /// ```
    pub fn from_arcs(num_nodes: usize, arcs: &[(u32, u32)]) -> Result<Csr, CsrError> {
        if num_nodes >= SETTLED as usize {
            return Err(CsrError::TooLarge {
                what: "node",
                count: num_nodes,
            });
        }
        if arcs.len() >= SETTLED as usize {
            return Err(CsrError::TooLarge {
                what: "arc",
                count: arcs.len(),
            });
        }
        for (i, &(t, h)) in arcs.iter().enumerate() {
            for node in [t, h] {
                if node as usize >= num_nodes {
                    return Err(CsrError::NodeOutOfRange {
                        arc: i,
                        node,
                        num_nodes,
                    });
                }
            }
        }
        let (first_out, input) = group_by_key(
            num_nodes,
            arcs.iter().enumerate().map(|(i, &(t, _))| (t, i as u32)),
        );
        let head: Vec<u32> = input.iter().map(|&i| arcs[i as usize].1).collect();
        let tail: Vec<u32> = input.iter().map(|&i| arcs[i as usize].0).collect();
        let (first_in, rev_arc) = group_by_key(
            num_nodes,
            head.iter().enumerate().map(|(a, &h)| (h, a as u32)),
        );
        Ok(Csr {
            first_out,
            head,
            tail,
            input,
            first_in,
            rev_arc,
        })
    }

    pub fn num_nodes(&self) -> usize {
        self.first_out.len() - 1
    }

    pub fn num_arcs(&self) -> usize {
        self.head.len()
    }

    /// The arcs leaving `v`, as a range of arc ids.
    #[inline]
    pub fn out_arcs(&self, v: u32) -> std::ops::Range<u32> {
        self.first_out[v as usize]..self.first_out[v as usize + 1]
    }

    /// The arcs entering `v`.
    #[inline]
    pub fn in_arcs(&self, v: u32) -> &[u32] {
        &self.rev_arc[self.first_in[v as usize] as usize..self.first_in[v as usize + 1] as usize]
    }

    #[inline]
    pub fn head(&self, arc: u32) -> u32 {
        self.head[arc as usize]
    }

    #[inline]
    pub fn tail(&self, arc: u32) -> u32 {
        self.tail[arc as usize]
    }

    /// The index in the input arc list of CSR arc `arc`.
    pub fn input_index(&self, arc: u32) -> u32 {
        self.input[arc as usize]
    }

    /// The heads of all arcs, in arc order (for building other views of the same graph).
    pub fn heads(&self) -> &[u32] {
        &self.head
    }

    /// The tails of all arcs, in arc order.
    pub fn tails(&self) -> &[u32] {
        &self.tail
    }
}

#[derive(Debug, Clone, Copy)]
struct HeapItem {
    key: f64,
    node: u32,
}

/// Groups values by a key in `0..buckets`, keeping their order within a key (a counting sort):
/// the values of key `k` are `values[first[k]..first[k + 1]]`. Every forward star, reverse
/// index and bucket list of the crate is built by this one function.
///
/// # Arguments
/// - `buckets`: the number of keys; every key must be `< buckets`.
/// - `items`: `(key, value)` pairs, walked twice (once to count, once to fill).
///
/// # Returns
/// `(first, values)`: `buckets + 1` offsets and the values in key order.
///
/// # Complexity
/// O(buckets + items) time and memory.
///
/// # Examples
/// ```
/// use corridor::routing::csr::group_by_key;
/// let (first, values) = group_by_key(3, [(2, 'a'), (0, 'b'), (2, 'c')].into_iter());
/// assert_eq!(first, vec![0, 1, 1, 3]);
/// assert_eq!(values, vec!['b', 'a', 'c']);
/// ```
pub fn group_by_key<T: Copy + Default>(
    buckets: usize,
    items: impl Iterator<Item = (u32, T)> + Clone,
) -> (Vec<u32>, Vec<T>) {
    let mut first = vec![0u32; buckets + 1];
    for (k, _) in items.clone() {
        first[k as usize + 1] += 1;
    }
    for k in 0..buckets {
        first[k + 1] += first[k];
    }
    let mut next = first.clone();
    let mut values = vec![T::default(); first[buckets] as usize];
    for (k, v) in items {
        let slot = &mut next[k as usize];
        values[*slot as usize] = v;
        *slot += 1;
    }
    (first, values)
}

/// Per-thread search state, reused across queries: distances, parent arcs and an indexed 4-ary
/// heap with decrease-key.
///
/// A query does not clear its O(n) arrays: each node carries the generation of the last search
/// that touched it, and a node with an older stamp reads as unreached. Memory is allocated once
/// per graph size; a query allocates nothing.
#[derive(Debug, Clone, Default)]
pub struct SearchState {
    dist: Vec<f64>,
    parent: Vec<u32>,
    stamp: Vec<u32>,
    /// Position in `heap`, [`SETTLED`] once popped, meaningful only when the stamp is current.
    pos: Vec<u32>,
    heap: Vec<HeapItem>,
    generation: u32,
    settled: usize,
    /// Nodes in the order the last search settled them (non-decreasing distance).
    order: Vec<u32>,
}

impl SearchState {
    pub fn new() -> SearchState {
        SearchState::default()
    }

    /// Starts a new search on a graph of `n` nodes.
    fn begin(&mut self, n: usize) {
        if self.stamp.len() < n {
            self.dist.resize(n, f64::INFINITY);
            self.parent.resize(n, NONE);
            self.stamp.resize(n, 0);
            self.pos.resize(n, NONE);
        }
        self.heap.clear();
        self.settled = 0;
        self.order.clear();
        if self.generation == u32::MAX {
            // Wrap-around: stamps from 4 billion searches ago would read as current.
            self.stamp.iter_mut().for_each(|s| *s = 0);
            self.generation = 0;
        }
        self.generation += 1;
    }

    /// Whether the last search reached `v` (found some path to it).
    #[inline]
    pub fn reached(&self, v: u32) -> bool {
        self.stamp.get(v as usize) == Some(&self.generation) && self.generation != 0
    }

    /// Distance of `v` in the last search: exact once settled, an upper bound before, infinite
    /// when unreached. For a one-to-one search only the nodes settled before it stopped are exact.
    #[inline]
    pub fn dist(&self, v: u32) -> f64 {
        if self.reached(v) {
            self.dist[v as usize]
        } else {
            f64::INFINITY
        }
    }

    /// The arc by which the last search reached `v` ([`NONE`] for a source or an unreached node).
    #[inline]
    pub fn parent_arc(&self, v: u32) -> u32 {
        if self.reached(v) {
            self.parent[v as usize]
        } else {
            NONE
        }
    }

    /// Whether `v` was settled (its distance is final) in the last search.
    pub fn is_settled(&self, v: u32) -> bool {
        self.reached(v) && self.pos[v as usize] == SETTLED
    }

    /// How many nodes the last search settled.
    pub fn settled_count(&self) -> usize {
        self.settled
    }

    /// The nodes the last search settled, in settling order (non-decreasing distance): walked
    /// backwards, every node comes before the tail of its parent arc, which is what loading flows
    /// onto a shortest-path tree needs.
    pub fn settled_order(&self) -> &[u32] {
        &self.order
    }

    /// The arcs of the path from a source to `v`, in travel order (empty for a source or an
    /// unreached node), following parent arcs of a forward search.
    pub fn path_to(&self, graph: &Csr, v: u32, out: &mut Vec<u32>) {
        out.clear();
        let mut v = v;
        let mut guard = graph.num_nodes();
        loop {
            let a = self.parent_arc(v);
            if a == NONE || guard == 0 {
                break;
            }
            out.push(a);
            v = graph.tail(a);
            guard -= 1;
        }
        out.reverse();
    }

    /// Seeds `v` at distance 0 with heap key `key`.
    #[inline]
    fn seed(&mut self, v: u32, key: f64) {
        if self.reached(v) {
            return;
        }
        self.touch(v, 0.0, NONE);
        self.push(v, key);
    }

    /// Seeds `v` at distance `d` with heap key `key`, or lowers it to `d` when it was seeded
    /// farther.
    #[inline]
    fn seed_at(&mut self, v: u32, d: f64, key: f64) {
        if !self.reached(v) {
            self.touch(v, d, NONE);
            self.push(v, key);
        } else if d < self.dist[v as usize] && self.pos[v as usize] != SETTLED {
            let i = v as usize;
            self.dist[i] = d;
            self.parent[i] = NONE;
            let p = self.pos[i] as usize;
            self.heap[p].key = key;
            self.sift_up(p);
        }
    }

    /// Whether distance `d` would improve `v` (unreached, or reached but not settled and
    /// farther).
    #[inline]
    fn improves(&self, v: u32, d: f64) -> bool {
        let i = v as usize;
        self.stamp[i] != self.generation || (d < self.dist[i] && self.pos[i] != SETTLED)
    }

    #[inline]
    fn touch(&mut self, v: u32, d: f64, parent: u32) {
        let i = v as usize;
        self.stamp[i] = self.generation;
        self.dist[i] = d;
        self.parent[i] = parent;
        self.pos[i] = NONE;
    }

    /// Offers distance `d` via `arc` to `v` with heap key `key` (`key - d` must be the same for
    /// every offer to `v`). Returns whether it improved `v`.
    #[inline]
    fn relax(&mut self, v: u32, d: f64, arc: u32, key: f64) -> bool {
        let i = v as usize;
        if self.stamp[i] != self.generation {
            self.touch(v, d, arc);
            self.push(v, key);
            true
        } else if d < self.dist[i] && self.pos[i] != SETTLED {
            self.dist[i] = d;
            self.parent[i] = arc;
            let p = self.pos[i];
            self.heap[p as usize].key = key;
            self.sift_up(p as usize);
            true
        } else {
            false
        }
    }

    #[inline]
    fn top_key(&self) -> f64 {
        self.heap.first().map_or(f64::INFINITY, |h| h.key)
    }

    #[inline]
    fn push(&mut self, v: u32, key: f64) {
        let p = self.heap.len();
        self.heap.push(HeapItem { key, node: v });
        self.pos[v as usize] = p as u32;
        self.sift_up(p);
    }

    #[inline]
    fn pop(&mut self) -> Option<u32> {
        let top = self.heap.first()?.node;
        let last = self.heap.pop()?;
        if !self.heap.is_empty() {
            self.heap[0] = last;
            self.pos[last.node as usize] = 0;
            self.sift_down(0);
        }
        self.pos[top as usize] = SETTLED;
        self.settled += 1;
        self.order.push(top);
        Some(top)
    }

    #[inline]
    fn sift_up(&mut self, mut i: usize) {
        let item = self.heap[i];
        while i > 0 {
            let parent = (i - 1) / 4;
            let p = self.heap[parent];
            if p.key <= item.key {
                break;
            }
            self.heap[i] = p;
            self.pos[p.node as usize] = i as u32;
            i = parent;
        }
        self.heap[i] = item;
        self.pos[item.node as usize] = i as u32;
    }

    #[inline]
    fn sift_down(&mut self, mut i: usize) {
        let n = self.heap.len();
        let item = self.heap[i];
        loop {
            let first = 4 * i + 1;
            if first >= n {
                break;
            }
            let last = (first + 4).min(n);
            let mut best = first;
            let mut best_key = self.heap[first].key;
            for c in first + 1..last {
                let k = self.heap[c].key;
                if k < best_key {
                    best = c;
                    best_key = k;
                }
            }
            if best_key >= item.key {
                break;
            }
            self.heap[i] = self.heap[best];
            self.pos[self.heap[i].node as usize] = i as u32;
            i = best;
        }
        self.heap[i] = item;
        self.pos[item.node as usize] = i as u32;
    }
}

/// The common loop of Dijkstra and A*: settle nodes in key order until a target is settled or
/// the heap is empty. `heuristic` is 0 for Dijkstra.
#[inline]
fn run<W, H, P>(
    graph: &Csr,
    sources: &[u32],
    is_target: impl Fn(u32) -> bool,
    weight: W,
    heuristic: H,
    passable: P,
    state: &mut SearchState,
) -> Option<u32>
where
    W: Fn(u32) -> Option<f64>,
    H: Fn(u32) -> f64,
    P: Fn(u32) -> bool,
{
    state.begin(graph.num_nodes());
    for &s in sources {
        if (s as usize) < graph.num_nodes() {
            state.seed(s, heuristic(s));
        }
    }
    while let Some(v) = state.pop() {
        if is_target(v) {
            return Some(v);
        }
        // A node that may not be passed through is expanded only when it is a source.
        if state.parent[v as usize] != NONE && !passable(v) {
            continue;
        }
        let dv = state.dist[v as usize];
        for a in graph.out_arcs(v) {
            let Some(w) = weight(a) else { continue };
            let h = graph.head[a as usize];
            let d = dv + w;
            if state.improves(h, d) {
                state.relax(h, d, a, d + heuristic(h));
            }
        }
    }
    None
}

/// Dijkstra's algorithm from a set of sources to every node.
///
/// # Arguments
/// - `graph`: the graph.
/// - `sources`: start nodes, each at distance 0 (ids out of range are ignored).
/// - `weight`: the weight of an arc, `None` when it is blocked; weights are finite and `>= 0`.
/// - `passable`: whether a path may pass through a node; a node for which it is false is still
///   reached (it can end a path) and is expanded only when it is a source.
/// - `state`: reusable state; it holds the result.
///
/// # Returns
/// Nothing directly: [`SearchState::dist`] and [`SearchState::parent_arc`] give each node's
/// distance (infinite when unreachable) and the last arc of a shortest path.
///
/// # Complexity
/// O((n + m) log n) time with the 4-ary heap; no allocation once `state` has grown to the graph.
///
/// # Examples
/// ```text
///   0 --2--> 1 --2--> 2
///    \_______5_______/^
/// ```
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use corridor::routing::csr::{one_to_all, Csr, SearchState};
/// let g = Csr::from_arcs(3, &[(0, 1), (1, 2), (0, 2)])?;
/// let w = [2.0, 2.0, 5.0]; // by input position
/// let mut state = SearchState::new();
/// one_to_all(&g, &[0], |a| Some(w[g.input_index(a) as usize]), |_| true, &mut state);
/// assert_eq!(state.dist(2), 4.0);
/// // Node 1 may not be passed through: the direct arc wins.
/// one_to_all(&g, &[0], |a| Some(w[g.input_index(a) as usize]), |v| v != 1, &mut state);
/// assert_eq!(state.dist(2), 5.0);
/// # Ok(()) }
/// ```
pub fn one_to_all<W, P>(
    graph: &Csr,
    sources: &[u32],
    weight: W,
    passable: P,
    state: &mut SearchState,
) where
    W: Fn(u32) -> Option<f64>,
    P: Fn(u32) -> bool,
{
    run(graph, sources, |_| false, weight, |_| 0.0, passable, state);
}

/// Dijkstra's algorithm from a set of sources, stopping as soon as one of `targets` is settled.
///
/// # Arguments
/// As [`one_to_all`], plus `targets`: the search stops at the first of them it settles, which is
/// the nearest.
///
/// # Returns
/// The target reached, or `None` when no target is reachable. [`SearchState::path_to`] gives
/// its path; distances are exact for the nodes settled before the stop.
///
/// # Complexity
/// O((n + m) log n) in the worst case; usually far less (only nodes nearer than the target).
///
/// # Examples
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use corridor::routing::csr::{one_to_one, Csr, SearchState};
/// let g = Csr::from_arcs(3, &[(0, 1), (1, 2), (0, 2)])?;
/// let w = [2.0, 2.0, 5.0]; // by input position
/// let mut state = SearchState::new();
/// let t = one_to_one(&g, &[0], &[2], |a| Some(w[g.input_index(a) as usize]), |_| true, &mut state);
/// assert_eq!(t, Some(2));
/// assert_eq!(state.dist(2), 4.0);
/// # Ok(()) }
/// ```
pub fn one_to_one<W, P>(
    graph: &Csr,
    sources: &[u32],
    targets: &[u32],
    weight: W,
    passable: P,
    state: &mut SearchState,
) -> Option<u32>
where
    W: Fn(u32) -> Option<f64>,
    P: Fn(u32) -> bool,
{
    run(
        graph,
        sources,
        |v| targets.contains(&v),
        weight,
        |_| 0.0,
        passable,
        state,
    )
}

/// A* search: Dijkstra guided by a lower bound on the remaining distance.
///
/// # Arguments
/// As [`one_to_one`], plus `heuristic`: for every node, a lower bound on its distance to the
/// nearest target that is *consistent* (`h(u) <= w(u, v) + h(v)` for every arc, and `h = 0` at
/// targets), such as a geodesic distance times the least cost per km of any arc.
///
/// # Returns
/// As [`one_to_one`]. With an inconsistent heuristic the answer may not be shortest.
///
/// # Complexity
/// As Dijkstra in the worst case; the better the bound, the fewer nodes settled.
///
/// # Examples
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use corridor::routing::csr::{astar, Csr, SearchState};
/// // A line 0 - 1 - 2 with positions 0, 1, 2 and unit weights: h = |x - 2| is consistent.
/// let g = Csr::from_arcs(3, &[(0, 1), (1, 2)])?;
/// let mut state = SearchState::new();
/// let t = astar(&g, &[0], &[2], |_| Some(1.0), |v| 2.0 - v as f64, |_| true, &mut state);
/// assert_eq!((t, state.dist(2)), (Some(2), 2.0));
/// # Ok(()) }
/// ```
pub fn astar<W, H, P>(
    graph: &Csr,
    sources: &[u32],
    targets: &[u32],
    weight: W,
    heuristic: H,
    passable: P,
    state: &mut SearchState,
) -> Option<u32>
where
    W: Fn(u32) -> Option<f64>,
    H: Fn(u32) -> f64,
    P: Fn(u32) -> bool,
{
    run(
        graph,
        sources,
        |v| targets.contains(&v),
        weight,
        heuristic,
        passable,
        state,
    )
}

/// A* from seeds at given distances, with a bound that may rule nodes out: the re-search of a
/// pair with links closed, seeded by the still-valid prefix of its old path and guided by the
/// exact distances to the targets before the closure (see
/// [`crate::analysis::link_loss`]).
///
/// # Arguments
/// - `seeds`: `(node, distance)` start labels; a node seeded twice keeps the smaller distance.
///   Seeds are sources: an impassable seed is still expanded.
/// - `heuristic`: a consistent lower bound on the distance to the nearest target, or
///   `f64::INFINITY` for a node known to reach no target (it is never queued).
/// - the rest as [`astar`].
///
/// # Returns
/// The target reached (the nearest), or `None`. [`SearchState::dist`] of it is its distance.
///
/// # Complexity
/// As [`astar`]; with exact distances as the bound only the nodes of near-shortest detours are
/// settled.
///
/// # Examples
/// ```text
///   0 --1--> 1 --1--> 2        seeded at 1 (distance 1): 2 is at 2
/// ```
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use corridor::routing::csr::{astar_from, Csr, SearchState};
/// let g = Csr::from_arcs(3, &[(0, 1), (1, 2)])?;
/// let mut state = SearchState::new();
/// let t = astar_from(&g, &[(1, 1.0)], &[2], |_| Some(1.0), |v| 2.0 - v as f64, |_| true, &mut state);
/// assert_eq!((t, state.dist(2)), (Some(2), 2.0));
/// # Ok(()) }
/// ```
pub fn astar_from<W, H, P>(
    graph: &Csr,
    seeds: &[(u32, f64)],
    targets: &[u32],
    weight: W,
    heuristic: H,
    passable: P,
    state: &mut SearchState,
) -> Option<u32>
where
    W: Fn(u32) -> Option<f64>,
    H: Fn(u32) -> f64,
    P: Fn(u32) -> bool,
{
    state.begin(graph.num_nodes());
    for &(s, d) in seeds {
        if (s as usize) < graph.num_nodes() {
            let h = heuristic(s);
            if h.is_finite() {
                state.seed_at(s, d, d + h);
            }
        }
    }
    while let Some(v) = state.pop() {
        if targets.contains(&v) {
            return Some(v);
        }
        if state.parent[v as usize] != NONE && !passable(v) {
            continue;
        }
        let dv = state.dist[v as usize];
        for a in graph.out_arcs(v) {
            let Some(w) = weight(a) else { continue };
            let h = graph.head[a as usize];
            let d = dv + w;
            if state.improves(h, d) {
                let bound = heuristic(h);
                if bound.is_finite() {
                    state.relax(h, d, a, d + bound);
                }
            }
        }
    }
    None
}

/// Dijkstra's algorithm backwards: the distance from every node to the nearest of `targets`,
/// over incoming arcs.
///
/// # Arguments
/// - `targets`: end nodes, each at distance 0.
/// - `weight`, `passable`: as [`one_to_all`]; a node that may not be passed through gets its
///   distance as a start but no path is extended through it (unless it is a target).
///
/// # Returns
/// Nothing directly: [`SearchState::dist`] is each node's distance to the targets and
/// [`SearchState::parent_arc`] the first arc of its shortest path towards them.
///
/// # Complexity
/// O((n + m) log n).
///
/// # Examples
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use corridor::routing::csr::{one_to_all_backward, Csr, SearchState};
/// let g = Csr::from_arcs(3, &[(0, 1), (1, 2), (0, 2)])?;
/// let w = [2.0, 2.0, 5.0]; // by input position
/// let mut state = SearchState::new();
/// one_to_all_backward(&g, &[2], |a| Some(w[g.input_index(a) as usize]), |_| true, &mut state);
/// assert_eq!((state.dist(0), state.dist(1)), (4.0, 2.0));
/// # Ok(()) }
/// ```
pub fn one_to_all_backward<W, P>(
    graph: &Csr,
    targets: &[u32],
    weight: W,
    passable: P,
    state: &mut SearchState,
) where
    W: Fn(u32) -> Option<f64>,
    P: Fn(u32) -> bool,
{
    state.begin(graph.num_nodes());
    for &t in targets {
        if (t as usize) < graph.num_nodes() {
            state.seed(t, 0.0);
        }
    }
    while let Some(v) = state.pop() {
        if state.parent[v as usize] != NONE && !passable(v) {
            continue;
        }
        let dv = state.dist[v as usize];
        for &a in graph.in_arcs(v) {
            let Some(w) = weight(a) else { continue };
            let t = graph.tail[a as usize];
            let d = dv + w;
            if state.improves(t, d) {
                state.relax(t, d, a, d);
            }
        }
    }
}

/// Where a bidirectional search met: the node and the shortest distance.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Meeting {
    pub node: u32,
    pub dist: f64,
}

/// Bidirectional Dijkstra: a forward search from the sources and a backward one from the
/// targets (over the reverse index), alternating on the smaller heap key, stopped when the sum of
/// the two heap minima reaches the best path found (`mu`).
///
/// # Arguments
/// As [`one_to_one`], with two states: `forward` and `backward`.
///
/// # Returns
/// The [`Meeting`] of the two searches on a shortest path, or `None` when no target is
/// reachable. [`bidirectional_path`] gives its arcs.
///
/// # Complexity
/// O((n + m) log n) in the worst case; on road-like graphs about half the nodes of a one-way
/// search are settled.
///
/// # Examples
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use corridor::routing::csr::{bidirectional, bidirectional_path, Csr, SearchState};
/// let g = Csr::from_arcs(3, &[(0, 1), (1, 2), (0, 2)])?;
/// let w = [2.0, 2.0, 5.0]; // by input position
/// let (mut f, mut b) = (SearchState::new(), SearchState::new());
/// let m = bidirectional(&g, &[0], &[2], |a| Some(w[g.input_index(a) as usize]), |_| true, &mut f, &mut b);
/// let m = m.ok_or("unreachable")?;
/// assert_eq!(m.dist, 4.0);
/// let mut arcs = Vec::new();
/// bidirectional_path(&g, m, &f, &b, &mut arcs);
/// assert_eq!(arcs, vec![0, 2]); // CSR ids: arc 0 = (0, 1), arc 2 = (1, 2)
/// # Ok(()) }
/// ```
pub fn bidirectional<W, P>(
    graph: &Csr,
    sources: &[u32],
    targets: &[u32],
    weight: W,
    passable: P,
    forward: &mut SearchState,
    backward: &mut SearchState,
) -> Option<Meeting>
where
    W: Fn(u32) -> Option<f64>,
    P: Fn(u32) -> bool,
{
    let n = graph.num_nodes();
    forward.begin(n);
    backward.begin(n);
    for &s in sources {
        if (s as usize) < n {
            forward.seed(s, 0.0);
        }
    }
    for &t in targets {
        if (t as usize) < n {
            backward.seed(t, 0.0);
        }
    }
    let mut best = Meeting {
        node: NONE,
        dist: f64::INFINITY,
    };
    for &s in sources {
        if backward.reached(s) {
            best = Meeting { node: s, dist: 0.0 };
        }
    }
    // The search runs on the graph without the out-arcs of impassable nodes that are not
    // sources: forward does not expand them, backward does not step onto them.
    let is_source = |f: &SearchState, v: u32| f.reached(v) && f.parent[v as usize] == NONE;
    loop {
        let (kf, kb) = (forward.top_key(), backward.top_key());
        if kf + kb >= best.dist || (kf == f64::INFINITY && kb == f64::INFINITY) {
            break;
        }
        if kf <= kb {
            let Some(v) = forward.pop() else { break };
            if forward.parent[v as usize] != NONE && !passable(v) {
                continue;
            }
            let dv = forward.dist[v as usize];
            for a in graph.out_arcs(v) {
                let Some(w) = weight(a) else { continue };
                let h = graph.head[a as usize];
                let d = dv + w;
                if forward.improves(h, d) {
                    forward.relax(h, d, a, d);
                    let total = d + backward.dist(h);
                    if total < best.dist {
                        best = Meeting {
                            node: h,
                            dist: total,
                        };
                    }
                }
            }
        } else {
            let Some(v) = backward.pop() else { break };
            let dv = backward.dist[v as usize];
            for &a in graph.in_arcs(v) {
                let Some(w) = weight(a) else { continue };
                let t = graph.tail[a as usize];
                if !passable(t) && !is_source(forward, t) {
                    continue;
                }
                let d = dv + w;
                if backward.improves(t, d) {
                    backward.relax(t, d, a, d);
                    let total = d + forward.dist(t);
                    if total < best.dist {
                        best = Meeting {
                            node: t,
                            dist: total,
                        };
                    }
                }
            }
        }
    }
    (best.node != NONE).then_some(best)
}

/// The arcs of the path found by [`bidirectional`], in travel order.
pub fn bidirectional_path(
    graph: &Csr,
    meeting: Meeting,
    forward: &SearchState,
    backward: &SearchState,
    out: &mut Vec<u32>,
) {
    forward.path_to(graph, meeting.node, out);
    let mut v = meeting.node;
    let mut guard = graph.num_nodes();
    loop {
        let a = backward.parent_arc(v);
        if a == NONE || guard == 0 {
            break;
        }
        out.push(a);
        v = graph.head(a);
        guard -= 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// ```text
    ///   0 --1--> 1 --1--> 2 --1--> 3
    ///   \________________5_______/^
    /// ```
    fn line() -> (Csr, Vec<f64>) {
        let g = Csr::from_arcs(4, &[(0, 1), (1, 2), (2, 3), (0, 3)]).unwrap();
        let w = (0..4)
            .map(|a| [1.0, 1.0, 1.0, 5.0][g.input_index(a) as usize])
            .collect();
        (g, w)
    }

    #[test]
    fn csr_groups_arcs_by_tail_and_indexes_incoming_arcs() {
        let g = Csr::from_arcs(3, &[(2, 0), (0, 1), (0, 2), (1, 2)]).unwrap();
        assert_eq!(g.out_arcs(0), 0..2);
        assert_eq!(g.head(0), 1);
        assert_eq!(g.input_index(3), 0);
        let mut into2: Vec<u32> = g.in_arcs(2).iter().map(|&a| g.tail(a)).collect();
        into2.sort();
        assert_eq!(into2, vec![0, 1]);
        assert!(matches!(
            Csr::from_arcs(2, &[(0, 2)]),
            Err(CsrError::NodeOutOfRange {
                arc: 0,
                node: 2,
                ..
            })
        ));
    }

    #[test]
    fn state_is_reused_without_stale_results() {
        let (g, w) = line();
        let mut s = SearchState::new();
        one_to_all(&g, &[0], |a| Some(w[a as usize]), |_| true, &mut s);
        assert_eq!(s.dist(3), 3.0);
        one_to_all(&g, &[3], |a| Some(w[a as usize]), |_| true, &mut s);
        assert!(!s.reached(0));
        assert_eq!(s.dist(0), f64::INFINITY);
        assert_eq!(s.dist(3), 0.0);
    }

    #[test]
    fn impassable_nodes_end_paths_but_do_not_carry_them() {
        let (g, w) = line();
        let mut s = SearchState::new();
        one_to_all(&g, &[0], |a| Some(w[a as usize]), |v| v != 2, &mut s);
        assert_eq!(s.dist(2), 2.0);
        assert_eq!(s.dist(3), 5.0);
        let (mut f, mut b) = (SearchState::new(), SearchState::new());
        let m = bidirectional(
            &g,
            &[0],
            &[3],
            |a| Some(w[a as usize]),
            |v| v != 2,
            &mut f,
            &mut b,
        );
        assert_eq!(m.map(|m| m.dist), Some(5.0));
        // A source may always be left.
        one_to_all(&g, &[2], |a| Some(w[a as usize]), |v| v != 2, &mut s);
        assert_eq!(s.dist(3), 1.0);
    }

    #[test]
    fn blocked_arcs_and_unreachable_targets() {
        let (g, w) = line();
        let mut s = SearchState::new();
        let blocked = |a: u32| (g.head(a) != 3).then(|| w[a as usize]);
        assert_eq!(one_to_one(&g, &[0], &[3], blocked, |_| true, &mut s), None);
        let (mut f, mut b) = (SearchState::new(), SearchState::new());
        assert_eq!(
            bidirectional(&g, &[0], &[3], blocked, |_| true, &mut f, &mut b),
            None
        );
        // A source that is also a target meets at once.
        let m = bidirectional(&g, &[1], &[1], blocked, |_| true, &mut f, &mut b);
        assert_eq!(m.map(|m| m.dist), Some(0.0));
    }
}
