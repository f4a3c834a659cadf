//! Multi-label search over project sets: one search per trade route finds every Pareto-optimal
//! path, where a path is better than another when it costs no more and needs no project the
//! other does not. The best cost of every subset of projects then follows from the labels
//! (see [`crate::analysis::lattice::SubsetCosts`]) without one search per subset.
//!
//! ```text
//!        free         needs {a}
//!   s ----------- x ----------- t        labels at t: ({a}, 2), ({b}, 5), ({a,b}, ...) dominated
//!    \                         /
//!     ---------- y -----------           ({b}, 5) is kept: it needs no project of ({a}, 2)
//!       needs {b}      free
//! ```
//!
//! An arc offers zero or more *alternatives*, each a project mask: `0` when the arc is open in the
//! base scenario, `1 << i` when project `i` opens it, a union when it needs several projects at
//! once (a link and the access right to use it), and no alternative at all when no candidate set
//! opens it.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// Per-arc alternatives in CSR form: arc `a` may be used with any mask in
/// `masks[offsets[a]..offsets[a + 1]]`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ArcMasks {
    pub offsets: Vec<u32>,
    pub masks: Vec<u64>,
}

impl ArcMasks {
    /// Builds from one list of alternatives per arc.
    pub fn from_lists(lists: &[Vec<u64>]) -> ArcMasks {
        let mut offsets = Vec::with_capacity(lists.len() + 1);
        let mut masks = Vec::new();
        offsets.push(0);
        for l in lists {
            masks.extend_from_slice(l);
            offsets.push(masks.len() as u32);
        }
        ArcMasks { offsets, masks }
    }

    pub fn of(&self, arc: usize) -> &[u64] {
        &self.masks[self.offsets[arc] as usize..self.offsets[arc + 1] as usize]
    }
}

/// A graph in CSR form with per-arc costs, as the search reads it.
#[derive(Debug, Clone, Copy)]
pub struct LabelGraph<'a> {
    /// `first_out[v]..first_out[v + 1]` are the arcs leaving `v`.
    pub first_out: &'a [u32],
    pub head: &'a [u32],
    /// Cost of each arc in the metric being minimised (finite, >= 0).
    pub cost: &'a [f64],
    pub masks: &'a ArcMasks,
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct Label {
    cost: f64,
    mask: u64,
    node: u32,
}

impl Eq for Label {}

impl Ord for Label {
    fn cmp(&self, other: &Self) -> Ordering {
        // Min-heap on cost; ties broken by fewer projects, then mask and node, for determinism.
        other
            .cost
            .total_cmp(&self.cost)
            .then_with(|| other.mask.count_ones().cmp(&self.mask.count_ones()))
            .then_with(|| other.mask.cmp(&self.mask))
            .then_with(|| other.node.cmp(&self.node))
    }
}

impl PartialOrd for Label {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Reusable state of the multi-label search (one per thread).
#[derive(Debug, Default)]
pub struct ParetoState {
    settled: Vec<Vec<(u64, f64)>>,
    touched: Vec<u32>,
    heap: BinaryHeap<Label>,
}

impl ParetoState {
    pub fn new() -> Self {
        Self::default()
    }

    fn reset(&mut self, nodes: usize) {
        if self.settled.len() < nodes {
            self.settled.resize(nodes, Vec::new());
        }
        for &v in &self.touched {
            self.settled[v as usize].clear();
        }
        self.touched.clear();
        self.heap.clear();
    }
}

/// Every Pareto-optimal `(project mask, cost)` at the targets.
///
/// # Arguments
/// * `graph` - CSR arcs with costs and project alternatives.
/// * `sources` - start nodes (cost 0, no project).
/// * `is_target` - whether a node ends the route; labels are not expanded past a target.
/// * `state` - reusable per-thread buffers.
///
/// # Returns
/// The non-dominated labels over all targets, sorted by mask then cost: no returned label has
/// another with a subset mask and a cost no higher.
///
/// # Complexity
/// O(L (deg + L_v) log L) for L labels created and L_v settled labels per node; with few projects
/// per path, L stays a small multiple of the node count.
pub fn pareto_labels(
    graph: LabelGraph<'_>,
    sources: &[u32],
    is_target: impl Fn(u32) -> bool,
    state: &mut ParetoState,
) -> Vec<(u64, f64)> {
    pareto_labels_with(graph, sources, is_target, state, true)
}

/// [`pareto_labels`], with or without *target pruning*: a label that a label already found at a
/// target dominates (no more projects, no lower cost) is dropped, since everything it leads to is
/// dominated too (arc costs are >= 0), and the search ends once the cheapest label left costs at
/// least the target's cost without any project. The labels returned are the same either way
/// (the pruned ones could only have produced dominated labels); the search without pruning
/// expands every label everywhere and is kept as the plain form the pruned one is tested against.
pub fn pareto_labels_with(
    graph: LabelGraph<'_>,
    sources: &[u32],
    is_target: impl Fn(u32) -> bool,
    state: &mut ParetoState,
    target_pruning: bool,
) -> Vec<(u64, f64)> {
    let nodes = graph.first_out.len().saturating_sub(1);
    state.reset(nodes);
    for &s in sources {
        state.heap.push(Label {
            cost: 0.0,
            mask: 0,
            node: s,
        });
    }
    let dominated = |settled: &[(u64, f64)], mask: u64, cost: f64| {
        settled.iter().any(|&(m, c)| m & !mask == 0 && c <= cost)
    };
    let mut found: Vec<(u64, f64)> = Vec::new();
    // The cost of the route with no project, once found: every label from then on is dominated.
    let mut free_cost = f64::INFINITY;
    while let Some(label) = state.heap.pop() {
        let v = label.node as usize;
        if target_pruning {
            if label.cost >= free_cost {
                break;
            }
            if dominated(&found, label.mask, label.cost) {
                continue;
            }
        }
        if dominated(&state.settled[v], label.mask, label.cost) {
            continue;
        }
        if state.settled[v].is_empty() {
            state.touched.push(label.node);
        }
        state.settled[v].push((label.mask, label.cost));
        if is_target(label.node) {
            found.push((label.mask, label.cost));
            if label.mask == 0 {
                free_cost = free_cost.min(label.cost);
            }
            continue;
        }
        for arc in graph.first_out[v] as usize..graph.first_out[v + 1] as usize {
            let w = graph.head[arc];
            let cost = label.cost + graph.cost[arc];
            for &m in graph.masks.of(arc) {
                let mask = label.mask | m;
                if !dominated(&state.settled[w as usize], mask, cost) {
                    state.heap.push(Label {
                        cost,
                        mask,
                        node: w,
                    });
                }
            }
        }
    }
    // Labels at different targets may dominate one another.
    found.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
    let mut kept: Vec<(u64, f64)> = Vec::new();
    for (m, c) in found {
        if !kept.iter().any(|&(km, kc)| km & !m == 0 && kc <= c) {
            kept.push((m, c));
        }
    }
    kept.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
    kept
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::lattice::SubsetCosts;
    use crate::util::SplitMix64;

    struct Case {
        first_out: Vec<u32>,
        head: Vec<u32>,
        cost: Vec<f64>,
        masks: ArcMasks,
        alts: Vec<Vec<u64>>,
        nodes: usize,
    }

    fn random_case(rng: &mut SplitMix64, k: usize) -> Case {
        let nodes = 2 + rng.below(7) as usize;
        let mut arcs: Vec<(u32, u32, f64, Vec<u64>)> = Vec::new();
        for _ in 0..rng.below(3 * nodes as u64 + 1) {
            let u = rng.below(nodes as u64) as u32;
            let v = rng.below(nodes as u64) as u32;
            let cost = rng.below(10) as f64;
            let alts = match rng.below(4) {
                0 => vec![0],
                1 => vec![],
                2 => vec![1 << rng.below(k as u64)],
                _ => vec![
                    1 << rng.below(k as u64),
                    1 << rng.below(k as u64) | 1 << rng.below(k as u64),
                ],
            };
            arcs.push((u, v, cost, alts));
        }
        arcs.sort_by_key(|a| a.0);
        let (first_out, _) =
            crate::routing::csr::group_by_key(nodes, arcs.iter().map(|a| (a.0, ())));
        let alts: Vec<Vec<u64>> = arcs.iter().map(|a| a.3.clone()).collect();
        Case {
            first_out,
            head: arcs.iter().map(|a| a.1).collect(),
            cost: arcs.iter().map(|a| a.2).collect(),
            masks: ArcMasks::from_lists(&alts),
            alts,
            nodes,
        }
    }

    /// Oracle: Bellman-Ford from node 0 to node n-1 using only arcs with an alternative inside `s`.
    fn best_for_subset(c: &Case, s: u64) -> f64 {
        let mut dist = vec![f64::INFINITY; c.nodes];
        dist[0] = 0.0;
        for _ in 0..c.nodes {
            for u in 0..c.nodes {
                if !dist[u].is_finite() || u == c.nodes - 1 {
                    continue;
                }
                for a in c.first_out[u] as usize..c.first_out[u + 1] as usize {
                    if c.alts[a].iter().any(|m| m & !s == 0) {
                        let v = c.head[a] as usize;
                        dist[v] = dist[v].min(dist[u] + c.cost[a]);
                    }
                }
            }
        }
        dist[c.nodes - 1]
    }

    #[test]
    fn labels_give_every_subsets_best_cost_on_random_graphs() {
        let mut state = ParetoState::new();
        for seed in 0..400u64 {
            let mut rng = SplitMix64::new(seed);
            let k = 1 + rng.below(4) as usize;
            let c = random_case(&mut rng, k);
            let graph = LabelGraph {
                first_out: &c.first_out,
                head: &c.head,
                cost: &c.cost,
                masks: &c.masks,
            };
            let target = (c.nodes - 1) as u32;
            let labels = pareto_labels(graph, &[0], |v| v == target, &mut state);
            let plain = pareto_labels_with(graph, &[0], |v| v == target, &mut state, false);
            assert_eq!(
                labels, plain,
                "seed {seed}: target pruning changed the labels"
            );
            let lattice =
                SubsetCosts::from_labels(k, labels.iter().map(|&(m, c)| (m as u32, c))).unwrap();
            for s in 0..(1u64 << k) {
                assert_eq!(
                    lattice.cost(s as u32),
                    best_for_subset(&c, s),
                    "seed {seed}, subset {s:b}, labels {labels:?}, arcs {:?} {:?} {:?} {:?}",
                    c.first_out,
                    c.head,
                    c.cost,
                    c.alts
                );
            }
            // No returned label dominates another.
            for (i, a) in labels.iter().enumerate() {
                for (j, b) in labels.iter().enumerate() {
                    assert!(
                        i == j || !(a.0 & !b.0 == 0 && a.1 <= b.1),
                        "seed {seed}: {labels:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn two_corridors_each_needing_one_project() {
        // s=0 -free-> x=1 -{a}-> t=3 ; s -{b}-> y=2 -free-> t
        let first_out = [0, 2, 3, 4, 4];
        let head = [1, 2, 3, 3];
        let cost = [1.0, 2.0, 1.0, 3.0];
        let masks = ArcMasks::from_lists(&[vec![0], vec![0b10], vec![0b01], vec![0]]);
        let graph = LabelGraph {
            first_out: &first_out,
            head: &head,
            cost: &cost,
            masks: &masks,
        };
        let labels = pareto_labels(graph, &[0], |v| v == 3, &mut ParetoState::new());
        assert_eq!(labels, vec![(0b01, 2.0), (0b10, 5.0)]);
    }
}
