//! Betweenness centrality of nodes and arcs (Brandes 2001, weighted), exact or from a seeded
//! sample of sources, parallel over sources.
//!
//! For every ordered pair of distinct nodes `(s, t)`, each shortest `s -> t` path gets weight
//! `1 / sigma_st` (the number of shortest paths); a node's betweenness is the summed weight of the
//! paths through it (not counting `s` and `t`), an arc's the summed weight of the paths using it.
//! An undirected link given as two arcs counts both directions: halve to compare with tools that
//! count unordered pairs (networkx on an undirected graph).
//!
//! Each source's dependencies are rounded to fixed point ([`FRACTION_BITS`] bits below the unit,
//! about 2e-10) and summed over sources as integers: sums that do not depend on the order of
//! addition, so the result is the same bit for bit whatever the thread count, and whatever split
//! of the sources across shards ([`sums`] of each share, [`Sums::add`], [`Sums::values`]).

use std::sync::Mutex;

use rayon::prelude::*;

use crate::util::SplitMix64;

/// Relative tolerance under which two path lengths count as equal: sums of the same link lengths
/// in another order differ in the last bits.
const TIE_EPSILON: f64 = 1e-10;

/// Sources per unit of parallel work.
const CHUNK: usize = 16;

/// Bits of a fixed-point sum below the unit: each source's dependency on a node or arc is rounded
/// to a multiple of 2^-32 (a node's dependency is below the number of nodes, so below 2^31 on any
/// network this crate can hold, and a sum over sources fits an `i128` with room to spare).
pub const FRACTION_BITS: i32 = 32;

/// 2^[`FRACTION_BITS`]: one unit in fixed point.
const UNIT: f64 = (1u64 << FRACTION_BITS) as f64;

/// A source's dependency in fixed point.
fn fixed(x: f64) -> i128 {
    (x * UNIT).round() as i128
}

/// Fixed-point sums of the dependencies over some sources (see [`sums`]); integer sums, so any
/// split of the sources, added back in any order, gives the same sums.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sums {
    pub node: Vec<i128>,
    pub arc: Vec<i128>,
}

impl Sums {
    /// Zero sums over `n` nodes and `m` arcs.
    pub fn zeros(n: usize, m: usize) -> Sums {
        Sums {
            node: vec![0; n],
            arc: vec![0; m],
        }
    }

    /// Adds `other` (sums over other sources of the same graph).
    ///
    /// # Panics
    /// When the two are not over the same numbers of nodes and arcs.
    pub fn add(&mut self, other: &Sums) {
        assert_eq!(self.node.len(), other.node.len(), "sums of another graph");
        assert_eq!(self.arc.len(), other.arc.len(), "sums of another graph");
        for (x, y) in self.node.iter_mut().zip(&other.node) {
            *x += y;
        }
        for (x, y) in self.arc.iter_mut().zip(&other.arc) {
            *x += y;
        }
    }

    /// The betweenness these sums give over all of `sources`.
    pub fn values(&self, sources: &Sources) -> Betweenness {
        let scale = sources.scale;
        let value = |x: &i128| *x as f64 / UNIT * scale;
        Betweenness {
            node: self.node.iter().map(value).collect(),
            arc: self.arc.iter().map(value).collect(),
            sources: sources.list.len(),
            seed: sources.seed,
        }
    }
}

/// The sources of a betweenness computation: every node, or a seeded sample of them.
#[derive(Debug, Clone, PartialEq)]
pub struct Sources {
    /// The sources, ascending.
    pub list: Vec<u32>,
    /// What the sums are scaled by: nodes over sources.
    pub scale: f64,
    /// Seed of the sample, when sampled.
    pub seed: Option<u64>,
}

impl Sources {
    /// Every node of `n` as a source (`sample` `None`), or `k` of them drawn without replacement
    /// with `seed` (`sample` `Some((k, seed))`, exact when `k >= n`).
    pub fn new(n: usize, sample: Option<(usize, u64)>) -> Sources {
        let mut list: Vec<u32> = (0..n as u32).collect();
        let mut scale = 1.0;
        let mut seed = None;
        if let Some((k, s)) = sample {
            if k < n {
                SplitMix64::new(s).shuffle(&mut list);
                list.truncate(k.max(1));
                list.sort_unstable();
                scale = n as f64 / list.len() as f64;
                seed = Some(s);
            }
        }
        Sources { list, scale, seed }
    }
}

/// Betweenness of every node and every arc.
#[derive(Debug, Clone, PartialEq)]
pub struct Betweenness {
    pub node: Vec<f64>,
    pub arc: Vec<f64>,
    /// Sources used (all nodes when exact).
    pub sources: usize,
    /// Seed of the source sample, when sampled.
    pub seed: Option<u64>,
}

/// A directed graph in forward-star form with non-negative arc weights; `None` weights block arcs.
#[derive(Debug, Clone, Copy)]
pub struct WeightedGraph<'a> {
    pub first_out: &'a [u32],
    pub head: &'a [u32],
    pub weight: &'a [Option<f64>],
}

impl WeightedGraph<'_> {
    fn nodes(&self) -> usize {
        self.first_out.len().saturating_sub(1)
    }
}

struct State {
    dist: Vec<f64>,
    sigma: Vec<f64>,
    delta: Vec<f64>,
    /// Predecessor arcs of each node on shortest paths from the current source.
    preds: Vec<Vec<u32>>,
    settled: Vec<bool>,
    /// Nodes in the order they were settled (non-decreasing distance).
    order: Vec<u32>,
    /// Nodes whose distance was set during this source (to reset them).
    reached: Vec<u32>,
    heap: std::collections::BinaryHeap<(std::cmp::Reverse<Key>, u32)>,
    sums: Sums,
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct Key(f64);
impl Eq for Key {}
impl Ord for Key {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0)
    }
}
impl PartialOrd for Key {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl State {
    fn new(n: usize, m: usize) -> State {
        State {
            dist: vec![f64::INFINITY; n],
            sigma: vec![0.0; n],
            delta: vec![0.0; n],
            preds: vec![Vec::new(); n],
            settled: vec![false; n],
            order: Vec::with_capacity(n),
            reached: Vec::with_capacity(n),
            heap: std::collections::BinaryHeap::new(),
            sums: Sums::zeros(n, m),
        }
    }

    fn accumulate_source(&mut self, g: &WeightedGraph<'_>, s: u32) {
        for &v in &self.reached {
            let v = v as usize;
            self.dist[v] = f64::INFINITY;
            self.sigma[v] = 0.0;
            self.delta[v] = 0.0;
            self.settled[v] = false;
            self.preds[v].clear();
        }
        self.reached.clear();
        self.order.clear();
        self.dist[s as usize] = 0.0;
        self.sigma[s as usize] = 1.0;
        self.reached.push(s);
        self.heap.push((std::cmp::Reverse(Key(0.0)), s));
        while let Some((_, v)) = self.heap.pop() {
            let vi = v as usize;
            // Stale or duplicate entries: each node is settled once.
            if self.settled[vi] {
                continue;
            }
            self.settled[vi] = true;
            let d = self.dist[vi];
            self.order.push(v);
            for a in g.first_out[vi] as usize..g.first_out[vi + 1] as usize {
                let Some(w_len) = g.weight[a] else { continue };
                let w = g.head[a] as usize;
                let nd = d + w_len;
                let tol = TIE_EPSILON * nd.abs().max(1.0);
                if self.settled[w] {
                    // Zero-weight arcs back to a settled node at equal distance add no new
                    // shortest path into it (its count is final).
                    continue;
                }
                if nd < self.dist[w] - tol {
                    if self.dist[w].is_infinite() {
                        self.reached.push(w as u32);
                    }
                    self.dist[w] = nd;
                    self.sigma[w] = self.sigma[vi];
                    self.preds[w].clear();
                    self.preds[w].push(a as u32);
                    self.heap.push((std::cmp::Reverse(Key(nd)), w as u32));
                } else if (nd - self.dist[w]).abs() <= tol {
                    self.sigma[w] += self.sigma[vi];
                    self.preds[w].push(a as u32);
                }
            }
        }
        // Dependencies, farthest first.
        for i in (0..self.order.len()).rev() {
            let w = self.order[i] as usize;
            let coeff = (1.0 + self.delta[w]) / self.sigma[w];
            for k in 0..self.preds[w].len() {
                let a = self.preds[w][k] as usize;
                // The tail of arc a: found by the arc's position in the forward star.
                let v = tail_of(g, a);
                let c = self.sigma[v] * coeff;
                self.sums.arc[a] += fixed(c);
                self.delta[v] += c;
            }
            if w != s as usize {
                self.sums.node[w] += fixed(self.delta[w]);
            }
        }
    }
}

fn tail_of(g: &WeightedGraph<'_>, arc: usize) -> usize {
    // first_out is sorted: the tail is the last node whose first arc is <= arc.
    g.first_out.partition_point(|&f| f as usize <= arc) - 1
}

/// Betweenness of all nodes and arcs.
///
/// # Arguments
/// * `graph` - the directed graph; arc weights must be finite and >= 0 (`None` blocks the arc).
/// * `sample` - `None` for the exact value over all sources, or `(k, seed)` to use `k` sources
///   drawn without replacement and scale the sums by `n / k`.
///
/// # Complexity
/// O(S (m + n log n)) for S sources.
pub fn betweenness(graph: WeightedGraph<'_>, sample: Option<(usize, u64)>) -> Betweenness {
    let sources = Sources::new(graph.nodes(), sample);
    sums(graph, &sources.list).values(&sources)
}

/// The fixed-point sums of the dependencies from `sources` (some of a [`Sources`] list, in any
/// split): one search per source, in parallel.
///
/// # Complexity
/// O(S (m + n log n)) for S sources.
pub fn sums(graph: WeightedGraph<'_>, sources: &[u32]) -> Sums {
    let n = graph.nodes();
    let m = graph.head.len();
    // One search state per task, reused across its chunks: each holds its own sums, and the
    // states' sums are added at the end (integers: in any order).
    let states: Mutex<Vec<State>> = Mutex::new(Vec::new());
    sources.par_chunks(CHUNK).for_each(|chunk| {
        let mut state = states
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .pop()
            .unwrap_or_else(|| State::new(n, m));
        for &s in chunk {
            state.accumulate_source(&graph, s);
        }
        states.lock().unwrap_or_else(|e| e.into_inner()).push(state);
    });
    let states = states.into_inner().unwrap_or_else(|e| e.into_inner());
    let mut total = Sums::zeros(n, m);
    for state in &states {
        total.add(&state.sums);
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::routing::csr::group_by_key;

    /// Oracle: all-pairs distances (Floyd-Warshall) and shortest-path counts, then the definition.
    fn oracle(n: usize, arcs: &[(u32, u32, f64)]) -> (Vec<f64>, Vec<f64>) {
        let inf = f64::INFINITY;
        let mut d = vec![vec![inf; n]; n];
        for (i, row) in d.iter_mut().enumerate() {
            row[i] = 0.0;
        }
        for &(u, v, w) in arcs {
            if u != v {
                d[u as usize][v as usize] = d[u as usize][v as usize].min(w);
            }
        }
        for k in 0..n {
            for i in 0..n {
                for j in 0..n {
                    if d[i][k] + d[k][j] < d[i][j] {
                        d[i][j] = d[i][k] + d[k][j];
                    }
                }
            }
        }
        // sigma[s][t]: number of shortest paths, by increasing distance from s (weights >= 1).
        let mut sigma = vec![vec![0.0; n]; n];
        for s in 0..n {
            let mut by_dist: Vec<usize> = (0..n).filter(|&t| d[s][t].is_finite()).collect();
            by_dist.sort_by(|&a, &b| d[s][a].total_cmp(&d[s][b]));
            sigma[s][s] = 1.0;
            for &t in &by_dist {
                if t == s {
                    continue;
                }
                sigma[s][t] = arcs
                    .iter()
                    .filter(|&&(u, v, w)| {
                        v as usize == t && u != v && d[s][u as usize] + w == d[s][t]
                    })
                    .map(|&(u, _, _)| sigma[s][u as usize])
                    .sum();
            }
        }
        let mut node = vec![0.0; n];
        let mut arc = vec![0.0; arcs.len()];
        for s in 0..n {
            for t in 0..n {
                if s == t || !d[s][t].is_finite() {
                    continue;
                }
                for v in 0..n {
                    if v != s && v != t && d[s][v] + d[v][t] == d[s][t] {
                        node[v] += sigma[s][v] * sigma[v][t] / sigma[s][t];
                    }
                }
                for (i, &(u, v, w)) in arcs.iter().enumerate() {
                    let (u, v) = (u as usize, v as usize);
                    if u != v && d[s][u] + w + d[v][t] == d[s][t] {
                        arc[i] += sigma[s][u] * sigma[v][t] / sigma[s][t];
                    }
                }
            }
        }
        (node, arc)
    }

    #[test]
    fn brandes_matches_the_definition_on_random_graphs_with_ties() {
        for seed in 0..300u64 {
            let mut rng = SplitMix64::new(seed);
            let n = 1 + rng.below(8) as usize;
            let mut arcs: Vec<(u32, u32, f64)> = (0..rng.below(3 * n as u64 + 1))
                .map(|_| {
                    let u = rng.below(n as u64) as u32;
                    let v = rng.below(n as u64) as u32;
                    (u, v, 1.0 + rng.below(3) as f64) // small integers: many ties
                })
                .collect();
            arcs.sort_by_key(|a| a.0);
            let (first_out, head) = group_by_key(n, arcs.iter().map(|&(u, v, _)| (u, v)));
            let weight: Vec<Option<f64>> = arcs.iter().map(|a| Some(a.2)).collect();
            let g = WeightedGraph {
                first_out: &first_out,
                head: &head,
                weight: &weight,
            };
            let fast = betweenness(g, None);
            let (node, arc) = oracle(n, &arcs);
            for v in 0..n {
                assert!(
                    (fast.node[v] - node[v]).abs() < 1e-9,
                    "seed {seed} node {v}: {:?} vs {node:?}; arcs {arcs:?}",
                    fast.node
                );
            }
            for a in 0..arcs.len() {
                assert!(
                    (fast.arc[a] - arc[a]).abs() < 1e-9,
                    "seed {seed} arc {a}: {:?} vs {arc:?}; arcs {arcs:?}",
                    fast.arc
                );
            }
        }
    }

    #[test]
    fn a_path_graph_has_the_textbook_values() {
        // 0 - 1 - 2 - 3 both ways: node 1 lies on (0,2),(0,3),(2,0),(3,0) = 4 ordered pairs.
        let arcs = [(0u32, 1u32), (1, 0), (1, 2), (2, 1), (2, 3), (3, 2)];
        let mut sorted = arcs.to_vec();
        sorted.sort();
        let (first_out, head) = group_by_key(4, sorted.iter().copied());
        let weight = vec![Some(1.0); 6];
        let b = betweenness(
            WeightedGraph {
                first_out: &first_out,
                head: &head,
                weight: &weight,
            },
            None,
        );
        assert_eq!(b.node, vec![0.0, 4.0, 4.0, 0.0]);
    }

    /// A seeded random graph of `n` nodes and `m` arcs in forward-star form, weights from
    /// `weight`.
    fn random_graph(
        seed: u64,
        n: u64,
        m: usize,
        weight: impl Fn(&mut SplitMix64) -> f64,
    ) -> (Vec<u32>, Vec<u32>, Vec<Option<f64>>) {
        let mut rng = SplitMix64::new(seed);
        let mut arcs: Vec<(u32, u32)> = (0..m)
            .map(|_| (rng.below(n) as u32, rng.below(n) as u32))
            .collect();
        arcs.sort();
        let (first_out, head) = group_by_key(n as usize, arcs.iter().copied());
        let weights = (0..m).map(|_| Some(weight(&mut rng))).collect();
        (first_out, head, weights)
    }

    #[test]
    fn results_do_not_depend_on_the_thread_count() {
        let (first_out, head, weight) = random_graph(99, 300, 1500, |rng| rng.next_f64() * 10.0);
        let g = WeightedGraph {
            first_out: &first_out,
            head: &head,
            weight: &weight,
        };
        let run = |threads| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
                .install(|| betweenness(g, None))
        };
        let one = run(1);
        let two = run(2);
        let four = run(4);
        assert!(one
            .node
            .iter()
            .zip(&two.node)
            .all(|(a, b)| a.to_bits() == b.to_bits()));
        assert!(one
            .arc
            .iter()
            .zip(&four.arc)
            .all(|(a, b)| a.to_bits() == b.to_bits()));
    }

    #[test]
    fn sums_over_a_split_of_the_sources_add_up_to_the_sums_over_all() {
        // Weights from a few values, so that many paths tie and dependencies are fractions.
        let n = 200;
        let (first_out, head, weight) =
            random_graph(7, n, 900, |rng| 1.0 + rng.below(3) as f64 / 3.0);
        let arcs = head.len();
        let g = WeightedGraph {
            first_out: &first_out,
            head: &head,
            weight: &weight,
        };
        let sources = Sources::new(n as usize, Some((60, 5)));
        assert_eq!(sources.list.len(), 60);
        let whole = sums(g, &sources.list);
        for cut in [&[0usize, 60][..], &[0, 1, 30, 60], &[0, 7, 8, 9, 59, 60]] {
            // Shares added back in reverse order: integer sums, the same bits.
            let mut total = Sums::zeros(n as usize, arcs);
            for w in cut.windows(2).rev() {
                total.add(&sums(g, &sources.list[w[0]..w[1]]));
            }
            assert_eq!(total, whole, "split at {cut:?}");
        }
        assert!(whole.node.iter().any(|&x| x > 0));
        let b = whole.values(&sources);
        assert_eq!(b, betweenness(g, Some((60, 5))));
        assert_eq!(b.sources, 60);
        assert_eq!(b.seed, Some(5));
    }
}
