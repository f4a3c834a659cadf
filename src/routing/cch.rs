//! Customizable contraction hierarchies (CCH; Dibbelt, Strasser and Wagner, 2016), for fast
//! queries on big road graphs whose weights change per scenario.
//!
//! Three phases:
//! 1. **Preprocessing** ([`Cch::new`], metric-independent): a nested-dissection order
//!    ([`super::order`]), then contraction in that order. Contracting a node joins its
//!    higher-ranked neighbours into a clique; the result is the *chordal supergraph*, stored as
//!    upward arcs in CSR (`x -> y` with `rank x < rank y`), with the elimination tree (each node's
//!    lowest-ranked upper neighbour is its parent).
//! 2. **Customization** ([`Cch::customize`], per metric): each arc gets an upward and a downward
//!    weight from the input arcs it stands for, then every *lower triangle* `{x, y, z}` with
//!    `x < y < z` is relaxed in increasing order of `x`: `up(y, z) <= down(x, y) + up(x, z)` and
//!    `down(y, z) <= down(x, z) + up(x, y)`. [`CchMetric::update`] re-customizes only the arcs a
//!    change reaches (a closure, a reopening), in arc order, so that a scenario never forces a
//!    rebuild.
//! 3. **Queries** ([`CchQuery`]): walk the elimination-tree paths of the source (forward, upward
//!    weights) and of the target (backward, downward weights) to the root; the shortest distance
//!    is the least `fwd(v) + bwd(v)` over their common ancestors. No priority queue.
//!    [`CchMetric::matrix`] answers many-to-many with target buckets.
//!
//! ```text
//!   input: a - b - c - d - e (a path)           elimination tree, rank growing upward:
//!   c separates {a, b} from {d, e} and ranks            c (4)
//!   highest; b and d then separate their pieces       /     \
//!                                                  b (3)   d (2)
//!   a query a -> e walks a, b, c forward and        |       |
//!   e, d, c backward; they meet at c               a (1)   e (0)
//! ```
//!
//! # Weights
//! `u32`, unreachable = [`INF`] (`u32::MAX / 2`, so that adding two never overflows); the
//! weight sum of a [`RoadGraph`] is below it, so every path length is exact. Closing an arc sets
//! its weight to [`INF`].
//!
//! # Ids
//! Nodes are the input graph's ids in the API; inside, everything is in rank space (node id =
//! rank), which the nested-dissection order makes local in memory.

use rayon::prelude::*;

use super::csr::{group_by_key, NONE};
use super::order::{self, Adjacency, NdOptions};
use super::road::{RoadGraph, INF};

/// The metric-independent part: order, chordal supergraph and elimination tree.
#[derive(Debug, Clone)]
pub struct Cch {
    rank: Vec<u32>,
    /// Upward arcs of node (rank) `x`: `up_head[first_up[x]..first_up[x + 1]]`, sorted.
    first_up: Vec<u32>,
    up_head: Vec<u32>,
    up_tail: Vec<u32>,
    /// Downward view: for node `y`, the lower ends `x` of its arcs (sorted) and the arc ids.
    first_down: Vec<u32>,
    down_tail: Vec<u32>,
    down_arc: Vec<u32>,
    parent: Vec<u32>,
    /// For each input arc: its CCH arc (or [`NONE`] for a loop) and whether it runs upward.
    input_arc: Vec<u32>,
    input_up: Vec<bool>,
    /// The input arcs of each CCH arc: `arc_inputs[first_input[a]..first_input[a + 1]]`.
    first_input: Vec<u32>,
    arc_inputs: Vec<u32>,
}

/// Timings and sizes of a preprocessing.
#[derive(Debug, Clone, Copy, Default)]
pub struct CchStats {
    pub order_s: f64,
    pub contract_s: f64,
    pub arcs: usize,
    /// The longest elimination-tree path (root to leaf), in nodes.
    pub tree_depth: usize,
}

impl Cch {
    /// Preprocesses a graph: nested-dissection order (with its coordinates, when it has them),
    /// then contraction.
    ///
    /// # Complexity
    /// Dominated by the order (see [`super::order`]); contraction is O(arcs of the chordal graph
    /// x its degree).
    ///
    /// # Examples
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use corridor::routing::cch::{Cch, CchQuery};
    /// use corridor::routing::road::RoadGraph;
    /// //  0 --4--> 1 --1--> 2, and 0 --9--> 2
    /// let g = RoadGraph::new("t", 3, vec![(0, 1), (1, 2), (0, 2)], vec![4, 1, 9], None, "s")?;
    /// let (cch, _) = Cch::new(&g);
    /// let metric = cch.customize(g.weights());
    /// let mut q = CchQuery::new(&cch);
    /// assert_eq!(q.distance(&metric, 0, 2), Some(5));
    /// assert_eq!(q.distance(&metric, 2, 0), None);
    /// # Ok(()) }
    /// ```
    pub fn new(graph: &RoadGraph) -> (Cch, CchStats) {
        Cch::with_options(graph, &NdOptions::default())
    }

    /// As [`Cch::new`], with options for the order.
    pub fn with_options(graph: &RoadGraph, options: &NdOptions) -> (Cch, CchStats) {
        let t = std::time::Instant::now();
        let adj = Adjacency::undirected(graph.num_nodes(), graph.arcs());
        let coords = graph.coords().map(order::planar);
        let rank = order::nested_dissection(&adj, coords.as_deref(), options);
        let order_s = t.elapsed().as_secs_f64();
        let t = std::time::Instant::now();
        let cch = Cch::from_order(graph, &adj, rank);
        let stats = CchStats {
            order_s,
            contract_s: t.elapsed().as_secs_f64(),
            arcs: cch.num_arcs(),
            tree_depth: cch.tree_depth(),
        };
        (cch, stats)
    }

    /// Contraction in a given order (`rank[v]`, a permutation).
    ///
    /// # Panics
    /// If `rank` is not a permutation of the graph's nodes.
    pub fn from_order(graph: &RoadGraph, adj: &Adjacency, rank: Vec<u32>) -> Cch {
        let n = graph.num_nodes();
        assert_eq!(rank.len(), n, "an order of the wrong size");
        // Upward neighbour sets in rank space; merging each into its lowest member yields the
        // chordal supergraph (the upper neighbours of a contracted node form a clique).
        let mut up: Vec<Vec<u32>> = vec![Vec::new(); n];
        for v in 0..n as u32 {
            let rv = rank[v as usize];
            for &u in adj.neighbors(v) {
                let ru = rank[u as usize];
                if ru > rv {
                    up[rv as usize].push(ru);
                }
            }
        }
        let mut parent = vec![NONE; n];
        let mut merged = Vec::new();
        for x in 0..n {
            let mut list = std::mem::take(&mut up[x]);
            list.sort_unstable();
            list.dedup();
            if let Some(&p) = list.first() {
                parent[x] = p;
                let target = &up[p as usize];
                merged.clear();
                let (mut i, mut j) = (1, 0);
                // `target` may be unsorted (not yet processed): sort it first.
                let mut t = target.clone();
                t.sort_unstable();
                t.dedup();
                while i < list.len() || j < t.len() {
                    let next = match (list.get(i), t.get(j)) {
                        (Some(&a), Some(&b)) if a == b => {
                            i += 1;
                            j += 1;
                            a
                        }
                        (Some(&a), Some(&b)) if a < b => {
                            i += 1;
                            a
                        }
                        (Some(_), Some(&b)) => {
                            j += 1;
                            b
                        }
                        (Some(&a), None) => {
                            i += 1;
                            a
                        }
                        (None, Some(&b)) => {
                            j += 1;
                            b
                        }
                        (None, None) => break,
                    };
                    merged.push(next);
                }
                up[p as usize] = merged.clone();
            }
            up[x] = list;
        }
        let mut first_up = Vec::with_capacity(n + 1);
        first_up.push(0u32);
        let total: usize = up.iter().map(Vec::len).sum();
        let mut up_head = Vec::with_capacity(total);
        let mut up_tail = Vec::with_capacity(total);
        for (x, list) in up.iter().enumerate() {
            up_head.extend_from_slice(list);
            up_tail.extend(std::iter::repeat_n(x as u32, list.len()));
            first_up.push(up_head.len() as u32);
        }
        drop(up);
        // Downward view, sorted by tail because arcs are visited in tail order.
        let (first_down, down_arc) =
            group_by_key(n, up_head.iter().enumerate().map(|(a, &h)| (h, a as u32)));
        let down_tail: Vec<u32> = down_arc.iter().map(|&a| up_tail[a as usize]).collect();
        let mut cch = Cch {
            rank,
            first_up,
            up_head,
            up_tail,
            first_down,
            down_tail,
            down_arc,
            parent,
            input_arc: Vec::new(),
            input_up: Vec::new(),
            first_input: Vec::new(),
            arc_inputs: Vec::new(),
        };
        let mut input_arc = Vec::with_capacity(graph.num_arcs());
        let mut input_up = Vec::with_capacity(graph.num_arcs());
        for &(t, h) in graph.arcs() {
            let (rt, rh) = (cch.rank[t as usize], cch.rank[h as usize]);
            if rt == rh {
                input_arc.push(NONE);
                input_up.push(true);
            } else {
                let (lo, hi) = (rt.min(rh), rt.max(rh));
                input_arc.push(cch.find_arc(lo, hi).unwrap_or(NONE));
                input_up.push(rt < rh);
            }
        }
        let (first_input, arc_inputs) = group_by_key(
            total,
            input_arc
                .iter()
                .enumerate()
                .filter(|&(_, &a)| a != NONE)
                .map(|(i, &a)| (a, i as u32)),
        );
        cch.input_arc = input_arc;
        cch.input_up = input_up;
        cch.first_input = first_input;
        cch.arc_inputs = arc_inputs;
        cch
    }

    pub fn num_nodes(&self) -> usize {
        self.rank.len()
    }

    /// Arcs of the chordal supergraph (each carries an upward and a downward weight).
    pub fn num_arcs(&self) -> usize {
        self.up_head.len()
    }

    /// The rank of each input node.
    pub fn ranks(&self) -> &[u32] {
        &self.rank
    }

    /// Memory held by the structure, in bytes.
    pub fn memory_bytes(&self) -> usize {
        4 * (self.rank.len() * 4
            + self.up_head.len() * 4
            + self.input_arc.len()
            + self.arc_inputs.len())
            + self.input_up.len()
    }

    /// The longest root-to-leaf path of the elimination tree, in nodes.
    pub fn tree_depth(&self) -> usize {
        let n = self.num_nodes();
        let mut depth = vec![0u32; n];
        let mut best = 0;
        for x in (0..n).rev() {
            let p = self.parent[x];
            depth[x] = if p == NONE { 1 } else { depth[p as usize] + 1 };
            best = best.max(depth[x]);
        }
        best as usize
    }

    #[inline]
    fn up_arcs(&self, x: u32) -> std::ops::Range<usize> {
        self.first_up[x as usize] as usize..self.first_up[x as usize + 1] as usize
    }

    /// The arc `lo -> hi` (ranks, `lo < hi`), if the chordal graph has it.
    fn find_arc(&self, lo: u32, hi: u32) -> Option<u32> {
        let r = self.up_arcs(lo);
        let start = r.start;
        self.up_head[r]
            .binary_search(&hi)
            .ok()
            .map(|i| (start + i) as u32)
    }

    /// The weights of arc `a` from its input arcs alone.
    #[inline]
    fn base_weights(&self, a: usize, input_weights: &[u32]) -> (u32, u32) {
        let (mut up, mut down) = (INF, INF);
        for &i in &self.arc_inputs[self.first_input[a] as usize..self.first_input[a + 1] as usize] {
            let w = input_weights[i as usize].min(INF);
            if self.input_up[i as usize] {
                up = up.min(w);
            } else {
                down = down.min(w);
            }
        }
        (up, down)
    }

    /// Customizes the hierarchy for one metric: a weight per input arc (in the graph's arc
    /// order; [`INF`] or more closes an arc).
    ///
    /// # Panics
    /// If `weights` does not have one entry per input arc.
    ///
    /// # Complexity
    /// O(number of lower triangles); on the Isle of Man road graph a few milliseconds.
    pub fn customize(&self, weights: &[u32]) -> CchMetric<'_> {
        assert_eq!(
            weights.len(),
            self.input_arc.len(),
            "one weight per input arc"
        );
        let m = self.num_arcs();
        let mut w = vec![ArcWeights::CLOSED; m];
        for (i, &a) in self.input_arc.iter().enumerate() {
            if a != NONE {
                let x = weights[i].min(INF);
                let slot = if self.input_up[i] {
                    &mut w[a as usize].up
                } else {
                    &mut w[a as usize].down
                };
                *slot = (*slot).min(x);
            }
        }
        // Basic customization: for each node x (ascending), every pair of its upper neighbours
        // y < z closes a lower triangle of arc (y, z). `slot_of[z]` holds the position of arc
        // (x, z) among x's arcs while x is processed.
        let n = self.num_nodes();
        let mut slot_of = vec![NONE; n];
        for x in 0..n as u32 {
            let r = self.up_arcs(x);
            for (i, &z) in self.up_head[r.clone()].iter().enumerate() {
                slot_of[z as usize] = i as u32;
            }
            for a_xy in r.clone() {
                let y = self.up_head[a_xy];
                let xy = w[a_xy];
                if xy.up >= INF && xy.down >= INF {
                    continue;
                }
                // The arcs of y come after those of x (y > x): split so that x's arcs are read
                // while y's are written, without aliasing.
                let ry = self.up_arcs(y);
                let (lower, upper) = w.split_at_mut(ry.start);
                let of_x = &lower[r.clone()];
                for (&z, yz) in self.up_head[ry.clone()].iter().zip(&mut upper[..ry.len()]) {
                    let i = slot_of[z as usize];
                    if i == NONE {
                        continue;
                    }
                    let xz = of_x[i as usize];
                    yz.up = yz.up.min(xy.down + xz.up);
                    yz.down = yz.down.min(xz.down + xy.up);
                }
            }
            for &z in &self.up_head[r] {
                slot_of[z as usize] = NONE;
            }
        }
        CchMetric {
            cch: self,
            w,
            input_weights: weights.iter().map(|&w| w.min(INF)).collect(),
        }
    }
}

/// The two weights of a chordal arc `x -> y` (`x < y` in rank): `up` is the length of `x -> y`,
/// `down` of `y -> x`. Side by side, so that a query reading both directions at a common
/// ancestor reads one stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct ArcWeights {
    up: u32,
    down: u32,
}

impl ArcWeights {
    const CLOSED: ArcWeights = ArcWeights { up: INF, down: INF };
}

/// A customized hierarchy: upward and downward weights of every arc of the chordal graph.
#[derive(Debug, Clone)]
pub struct CchMetric<'a> {
    cch: &'a Cch,
    w: Vec<ArcWeights>,
    input_weights: Vec<u32>,
}

impl<'a> CchMetric<'a> {
    pub fn cch(&self) -> &'a Cch {
        self.cch
    }

    /// The current weight of each input arc.
    pub fn input_weights(&self) -> &[u32] {
        &self.input_weights
    }

    /// Whether two customizations of the same hierarchy hold the same weights.
    pub fn same_weights(&self, other: &CchMetric<'_>) -> bool {
        self.w == other.w
    }

    /// Memory held by the weights, in bytes.
    pub fn memory_bytes(&self) -> usize {
        4 * (self.w.len() * 2 + self.input_weights.len())
    }

    /// Partial re-customization: sets the weights of some input arcs (`(arc, weight)`; [`INF`]
    /// closes, the old weight reopens) and recomputes only the chordal arcs whose weight can
    /// change: an arc `(x, y)` that changed is a side of the lower triangles of the arcs between
    /// `y` and `x`'s other upper neighbours; such an arc is recomputed from all its lower
    /// triangles, in arc order (lower ends first), when the path through `x` now beats its
    /// weight or was its weight and got longer, until nothing changes.
    ///
    /// # Returns
    /// How many chordal arcs were recomputed.
    ///
    /// # Complexity
    /// Proportional to the arcs recomputed and their lower triangles: a closure touches about a
    /// hundred arcs on the Isle of Man graph, about 2,000 on the 1M-node synthetic grid.
    pub fn update(&mut self, changes: &[(u32, u32)]) -> usize {
        let cch = self.cch;
        let mut heap = std::collections::BinaryHeap::new();
        let mut queued = std::collections::HashSet::new();
        for &(i, w) in changes {
            let Some(slot) = self.input_weights.get_mut(i as usize) else {
                continue;
            };
            *slot = w.min(INF);
            let a = cch.input_arc[i as usize];
            if a != NONE && queued.insert(a) {
                heap.push(std::cmp::Reverse(a));
            }
        }
        let mut recomputed = 0;
        while let Some(std::cmp::Reverse(a)) = heap.pop() {
            queued.remove(&a);
            recomputed += 1;
            let au = a as usize;
            let (y, z) = (cch.up_tail[au], cch.up_head[au]);
            let (up, down) = cch.base_weights(au, &self.input_weights);
            let mut yz = ArcWeights { up, down };
            // Lower triangles: common lower neighbours x of y and z.
            let (ry, rz) = (
                cch.first_down[y as usize] as usize..cch.first_down[y as usize + 1] as usize,
                cch.first_down[z as usize] as usize..cch.first_down[z as usize + 1] as usize,
            );
            let (mut i, mut j) = (ry.start, rz.start);
            while i < ry.end && j < rz.end {
                let (xi, xj) = (cch.down_tail[i], cch.down_tail[j]);
                if xi < xj {
                    i += 1;
                } else if xj < xi {
                    j += 1;
                } else {
                    let xy = self.w[cch.down_arc[i] as usize];
                    let xz = self.w[cch.down_arc[j] as usize];
                    yz.up = yz.up.min(xy.down + xz.up);
                    yz.down = yz.down.min(xz.down + xy.up);
                    i += 1;
                    j += 1;
                }
            }
            let before = self.w[au];
            if yz == before {
                continue;
            }
            self.w[au] = yz;
            // Arc (y, z) is a side of the lower triangles {y, z, w} for w another upper
            // neighbour of y: the arc between z and w depends on it, but only if the path through
            // y now beats its weight, or if that path got longer and was its weight.
            let matters =
                |current: u32, old: u32, new: u32| new < current || (new > old && old <= current);
            for b in cch.up_arcs(y) {
                let w = cch.up_head[b];
                if w == z {
                    continue;
                }
                let Some(c) = cch.find_arc(z.min(w), z.max(w)) else {
                    continue;
                };
                if queued.contains(&c) {
                    continue;
                }
                let yw = self.w[b];
                let cw = self.w[c as usize];
                // Current weights of z -> w and w -> z.
                let (zw, wz) = if z < w {
                    (cw.up, cw.down)
                } else {
                    (cw.down, cw.up)
                };
                if matters(zw, before.down + yw.up, yz.down + yw.up)
                    || matters(wz, yw.down + before.up, yw.down + yz.up)
                {
                    queued.insert(c);
                    heap.push(std::cmp::Reverse(c));
                }
            }
        }
        recomputed
    }

    /// Shortest distances from every source to every target (row-major, `sources.len() x
    /// targets.len()`), `None` when unreachable or out of range, in parallel over blocks of
    /// sources on the current rayon pool (one query state per block; the answer does not depend
    /// on the thread count).
    ///
    /// Each target's elimination-tree path is walked backward once, leaving `(target, distance)`
    /// in a bucket at each node it reaches (buckets in CSR form, indexed by rank); each source's
    /// path is then walked forward, and each node on it scans its bucket: `d(s, t)` is the least
    /// `fwd(x) + bwd_t(x)` over the common ancestors `x` of `s` and `t`.
    ///
    /// # Complexity
    /// O((|sources| + |targets|) x the work of one elimination-tree walk + the bucket entries
    /// the sources' paths meet), plus O(n) for the bucket index and per query state.
    pub fn matrix(&self, sources: &[u32], targets: &[u32]) -> Vec<Option<u32>> {
        let cch = self.cch;
        let n = cch.num_nodes();
        let cols = targets.len();
        let mut out = vec![None; sources.len() * cols];
        if cols == 0 || sources.is_empty() {
            return out;
        }
        // Backward walks, counted into buckets; columns stay in target order within a bucket.
        let mut q = CchQuery::new(cch);
        let mut reached: Vec<(u32, u32, u32)> = Vec::new();
        for (j, &t) in targets.iter().enumerate() {
            if t as usize >= n {
                continue;
            }
            q.walk(self, cch.rank[t as usize], false);
            for &x in &q.bwd_path {
                let d = q.bwd[x as usize];
                if d < INF {
                    reached.push((x, j as u32, d));
                }
            }
            q.reset_walk(false);
        }
        let (first, bucket) = group_by_key(n, reached.iter().map(|&(x, j, d)| (x, (j, d))));
        drop(reached);
        let block = sources.len().div_ceil(rayon::current_num_threads().max(1));
        out.par_chunks_mut(block * cols)
            .zip(sources.par_chunks(block))
            .for_each(|(out_block, block_sources)| {
                let mut q = CchQuery::new(cch);
                let mut row = vec![INF; cols];
                for (out_row, &s) in out_block.chunks_mut(cols).zip(block_sources) {
                    if s as usize >= n {
                        continue;
                    }
                    row.fill(INF);
                    q.walk(self, cch.rank[s as usize], true);
                    for &x in &q.fwd_path {
                        let dx = q.fwd[x as usize];
                        if dx >= INF {
                            continue;
                        }
                        let r = first[x as usize] as usize..first[x as usize + 1] as usize;
                        for &(j, d) in &bucket[r] {
                            let cell = &mut row[j as usize];
                            *cell = (*cell).min(dx + d);
                        }
                    }
                    q.reset_walk(true);
                    for (o, &d) in out_row.iter_mut().zip(&row) {
                        *o = (d < INF).then_some(d);
                    }
                }
            });
        out
    }
}

/// Per-thread query state: forward and backward distances by rank (all [`INF`] between queries,
/// so that a query resets only the entries it touched) and the walked paths.
#[derive(Debug, Clone)]
pub struct CchQuery {
    fwd: Vec<u32>,
    bwd: Vec<u32>,
    fwd_path: Vec<u32>,
    bwd_path: Vec<u32>,
}

/// Relaxes the upper arcs of `x` (weights `w`, heads `heads`) in one direction from `dist[x]`.
#[inline(always)]
fn relax<const FORWARD: bool>(dist: &mut [u32], heads: &[u32], w: &[ArcWeights], x: u32) {
    let dx = dist[x as usize];
    if dx >= INF {
        return;
    }
    for (&h, aw) in heads.iter().zip(w) {
        let d = dx + if FORWARD { aw.up } else { aw.down };
        let slot = &mut dist[h as usize];
        if d < *slot {
            *slot = d;
        }
    }
}

impl CchQuery {
    pub fn new(cch: &Cch) -> CchQuery {
        CchQuery {
            fwd: vec![INF; cch.num_nodes()],
            bwd: vec![INF; cch.num_nodes()],
            fwd_path: Vec::new(),
            bwd_path: Vec::new(),
        }
    }

    /// Walks the elimination-tree path of rank `r` to the root, relaxing every node; the path is
    /// left in `fwd_path` or `bwd_path`.
    fn walk(&mut self, metric: &CchMetric<'_>, r: u32, forward: bool) {
        let cch = metric.cch;
        let (dist, path) = if forward {
            (&mut self.fwd, &mut self.fwd_path)
        } else {
            (&mut self.bwd, &mut self.bwd_path)
        };
        path.clear();
        dist[r as usize] = 0;
        let mut x = r;
        while x != NONE {
            path.push(x);
            let a = cch.up_arcs(x);
            if forward {
                relax::<true>(dist, &cch.up_head[a.clone()], &metric.w[a], x);
            } else {
                relax::<false>(dist, &cch.up_head[a.clone()], &metric.w[a], x);
            }
            x = cch.parent[x as usize];
        }
    }

    fn reset_walk(&mut self, forward: bool) {
        let (dist, path) = if forward {
            (&mut self.fwd, &self.fwd_path)
        } else {
            (&mut self.bwd, &self.bwd_path)
        };
        for &x in path {
            dist[x as usize] = INF;
        }
    }

    /// The shortest distance from `s` to `t` (input node ids), `None` when unreachable or out of
    /// range.
    ///
    /// Below their lowest common ancestor the two elimination-tree paths are walked apart, the
    /// lower node first; from there on both searches relax at each ancestor, each pruned once
    /// its distance there reaches the best path found.
    ///
    /// # Complexity
    /// O(sum of the upward degrees along both elimination-tree paths); no allocation.
    pub fn distance(&mut self, metric: &CchMetric<'_>, s: u32, t: u32) -> Option<u32> {
        let cch = metric.cch;
        let n = cch.num_nodes();
        if s as usize >= n || t as usize >= n {
            return None;
        }
        let (mut x, mut y) = (cch.rank[s as usize], cch.rank[t as usize]);
        self.fwd[x as usize] = 0;
        self.bwd[y as usize] = 0;
        self.fwd_path.clear();
        self.bwd_path.clear();
        // Below the lowest common ancestor only one side can hold a finite distance for a
        // node; advance the lower of the two.
        while x != y {
            if x < y {
                self.fwd_path.push(x);
                let a = cch.up_arcs(x);
                relax::<true>(&mut self.fwd, &cch.up_head[a.clone()], &metric.w[a], x);
                x = cch.parent[x as usize];
            } else {
                self.bwd_path.push(y);
                let a = cch.up_arcs(y);
                relax::<false>(&mut self.bwd, &cch.up_head[a.clone()], &metric.w[a], y);
                y = cch.parent[y as usize];
            }
        }
        let mut best = INF;
        while x != NONE {
            self.fwd_path.push(x);
            let (f, b) = (self.fwd[x as usize], self.bwd[x as usize]);
            best = best.min(f + b);
            // Prune: a side already as long as the best path cannot improve it.
            let a = cch.up_arcs(x);
            let (heads, w) = (&cch.up_head[a.clone()], &metric.w[a]);
            match (f < best, b < best) {
                (true, true) => {
                    for (&h, aw) in heads.iter().zip(w) {
                        let h = h as usize;
                        self.fwd[h] = self.fwd[h].min(f + aw.up);
                        self.bwd[h] = self.bwd[h].min(b + aw.down);
                    }
                }
                (true, false) => relax::<true>(&mut self.fwd, heads, w, x),
                (false, true) => relax::<false>(&mut self.bwd, heads, w, x),
                (false, false) => {}
            }
            x = cch.parent[x as usize];
        }
        for &v in &self.fwd_path {
            self.fwd[v as usize] = INF;
            self.bwd[v as usize] = INF;
        }
        for &v in &self.bwd_path {
            self.bwd[v as usize] = INF;
        }
        (best < INF).then_some(best)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::routing::csr::{one_to_all, SearchState};
    use crate::util::SplitMix64;

    fn random_graph(n: u32, m: usize, seed: u64) -> RoadGraph {
        let mut rng = SplitMix64::new(seed);
        let mut arcs = Vec::new();
        let mut w = Vec::new();
        for _ in 0..m {
            arcs.push((rng.below(n as u64) as u32, rng.below(n as u64) as u32));
            w.push(rng.below(20) as u32);
        }
        RoadGraph::new("random", n as usize, arcs, w, None, "u").unwrap()
    }

    fn dijkstra_all(g: &RoadGraph, weights: &[u32], s: u32) -> Vec<Option<u32>> {
        let (csr, _) = g.csr().unwrap();
        let mut st = SearchState::new();
        let w = |a: u32| {
            let x = weights[csr.input_index(a) as usize];
            (x < INF).then_some(x as f64)
        };
        one_to_all(&csr, &[s], w, |_| true, &mut st);
        (0..g.num_nodes() as u32)
            .map(|v| st.reached(v).then(|| st.dist(v) as u32))
            .collect()
    }

    /// The matrix is split into blocks of sources per thread: the same answer at any count,
    /// including fewer sources than threads, no targets, and ids out of range.
    #[test]
    fn matrices_do_not_depend_on_the_thread_count() {
        let g = random_graph(60, 200, 7);
        let (cch, _) = Cch::new(&g);
        let metric = cch.customize(g.weights());
        let all: Vec<u32> = (0..62).collect();
        for (sources, targets) in [
            (&all[..], &all[..]),
            (&all[..1], &all[..]),
            (&all[..], &[][..]),
        ] {
            let at = |threads: usize| {
                let pool = rayon::ThreadPoolBuilder::new()
                    .num_threads(threads)
                    .build()
                    .unwrap();
                pool.install(|| metric.matrix(sources, targets))
            };
            let one = at(1);
            assert_eq!(one.len(), sources.len() * targets.len());
            assert_eq!(one, at(2));
            assert_eq!(one, at(3));
        }
    }

    #[test]
    fn queries_matrices_and_updates_match_dijkstra_on_random_graphs() {
        for seed in 0..40u64 {
            let n = 5 + (seed % 30) as u32;
            let g = random_graph(n, (n as usize) * (1 + seed as usize % 4), seed);
            let (cch, _) = Cch::new(&g);
            let mut weights = g.weights().to_vec();
            let mut metric = cch.customize(&weights);
            let mut q = CchQuery::new(&cch);
            let mut rng = SplitMix64::new(seed ^ 0xabc);
            for round in 0..4 {
                let nodes: Vec<u32> = (0..n).collect();
                let matrix = metric.matrix(&nodes, &nodes);
                for s in 0..n {
                    let reference = dijkstra_all(&g, &weights, s);
                    for t in 0..n {
                        let want = reference[t as usize];
                        assert_eq!(
                            q.distance(&metric, s, t),
                            want,
                            "seed {seed} round {round} {s}->{t}"
                        );
                        assert_eq!(
                            matrix[(s * n + t) as usize],
                            want,
                            "matrix seed {seed} {s}->{t}"
                        );
                    }
                }
                // Close, reopen or re-weight a few arcs; partial update must equal a fresh
                // customization.
                let changes: Vec<(u32, u32)> = (0..3)
                    .map(|_| {
                        let i = rng.below(g.num_arcs() as u64) as u32;
                        let w = if rng.chance(0.5) {
                            INF
                        } else {
                            rng.below(20) as u32
                        };
                        (i, w)
                    })
                    .collect();
                for &(i, w) in &changes {
                    weights[i as usize] = w;
                }
                metric.update(&changes);
                let fresh = cch.customize(&weights);
                assert_eq!(metric.w, fresh.w, "seed {seed} round {round}");
            }
        }
    }
}
