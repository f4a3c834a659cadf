//! Criticality's re-search by a customizable contraction hierarchy: a [`ClosureSearch`] that
//! closes links by *partial re-customization* ([`CchMetric::update`]) and answers each pair by a
//! CCH query, instead of a Dijkstra search over the whole graph.
//!
//! Each worker (thread) keeps its own copy of the customized weights. [`ClosureSearch::close`]
//! first reopens the arcs the worker's previous closure set to infinity, then closes the new
//! ones; both are partial updates, so that a worker walking through thousands of links never
//! customizes from scratch.
//!
//! CCH weights are whole numbers ([`crate::routing::road`]): [`CchClosure::new`] accepts arc
//! weights that are whole numbers already (e.g. travel time in tenths of a second), so that its
//! costs equal Dijkstra's bit for bit; it refuses what a CCH cannot answer exactly (several
//! weight sets, blocked arcs, nodes that may not be passed through, fractions).

use std::fmt;

use super::link_loss::{ClosureSearch, Criticality, OdPair};
use crate::routing::cch::{Cch, CchMetric, CchQuery};
use crate::routing::csr::{group_by_key, NONE};
use crate::routing::road::{RoadGraph, INF};

/// Why a criticality question cannot be answered through a CCH.
#[derive(Debug, Clone, PartialEq)]
pub enum CchClosureError {
    /// Pairs use more than one weight set (access policies per cargo).
    WeightSets(usize),
    /// The arc's weight is blocked, negative, not a whole number, or too large.
    Weight { arc: u32, weight: Option<f64> },
    /// The node may only start or end a path (a TNTP zone).
    NotPassable(u32),
    /// The weights together reach [`INF`], where path lengths would no longer be exact.
    WeightSum(u64),
}

impl fmt::Display for CchClosureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CchClosureError::WeightSets(n) => write!(
                f,
                "the pairs use {n} weight sets; a CCH closure answers one (customize once per set)"
            ),
            CchClosureError::Weight { arc, weight } => write!(
                f,
                "arc {arc} has weight {weight:?}: a CCH needs whole, non-negative, finite weights"
            ),
            CchClosureError::NotPassable(v) => write!(
                f,
                "node {v} may not be passed through, which a CCH query cannot enforce"
            ),
            CchClosureError::WeightSum(s) => {
                write!(f, "the weights sum to {s}, beyond the exact range of a CCH")
            }
        }
    }
}

impl std::error::Error for CchClosureError {}

/// A hierarchy of a criticality question's graph, customized with its weights.
///
/// The hierarchy's input arcs are the CSR's arcs in CSR order, so that an arc id means the same
/// in both.
pub struct CchClosure<'a> {
    metric: CchMetric<'a>,
    /// The CSR arcs of each link: `link_arcs[first[l]..first[l + 1]]`.
    first: Vec<u32>,
    link_arcs: Vec<u32>,
}

/// The question's graph with whole weights, its arcs in CSR order: build a [`Cch`] of it once
/// and lend both to [`CchClosure::new`].
///
/// # Errors
/// See [`CchClosureError`].
pub fn cch_graph(c: &Criticality<'_>) -> Result<RoadGraph, CchClosureError> {
    if c.weight_sets.len() != 1 {
        return Err(CchClosureError::WeightSets(c.weight_sets.len()));
    }
    if let Some(v) = (0..c.csr.num_nodes() as u32).find(|&v| !(c.passable)(v)) {
        return Err(CchClosureError::NotPassable(v));
    }
    let w = &c.weight_sets[0];
    let mut arcs = Vec::with_capacity(c.csr.num_arcs());
    let mut weights = Vec::with_capacity(c.csr.num_arcs());
    let mut sum = 0u64;
    for a in 0..c.csr.num_arcs() as u32 {
        let weight = w[a as usize];
        let ok = weight.filter(|x| *x >= 0.0 && x.fract() == 0.0 && *x < f64::from(INF));
        let Some(x) = ok else {
            return Err(CchClosureError::Weight { arc: a, weight });
        };
        sum += x as u64;
        arcs.push((c.csr.tail(a), c.csr.head(a)));
        weights.push(x as u32);
    }
    if sum >= u64::from(INF) {
        return Err(CchClosureError::WeightSum(sum));
    }
    RoadGraph::new(
        "criticality",
        c.csr.num_nodes(),
        arcs,
        weights,
        None,
        "weight",
    )
    .map_err(|_| CchClosureError::WeightSum(sum))
}

impl<'a> CchClosure<'a> {
    /// Customizes `cch` (a hierarchy of `graph`, which [`cch_graph`] made from `c`) with the
    /// question's weights.
    pub fn new(c: &Criticality<'_>, graph: &RoadGraph, cch: &'a Cch) -> CchClosure<'a> {
        let metric = cch.customize(graph.weights());
        let (first, link_arcs) = group_by_key(
            c.links,
            c.link_of_arc
                .iter()
                .enumerate()
                .filter(|&(_, &l)| l != NONE)
                .map(|(a, &l)| (l, a as u32)),
        );
        CchClosure {
            metric,
            first,
            link_arcs,
        }
    }

    fn arcs_of(&self, link: u32) -> &[u32] {
        let l = link as usize;
        &self.link_arcs[self.first[l] as usize..self.first[l + 1] as usize]
    }
}

/// A worker's customized weights, its query state, and the arcs it has closed.
pub struct CchWorker<'a> {
    metric: CchMetric<'a>,
    query: CchQuery,
    closed: Vec<(u32, u32)>,
}

impl<'a> ClosureSearch for CchClosure<'a> {
    type Worker = CchWorker<'a>;

    fn worker(&self) -> CchWorker<'a> {
        CchWorker {
            query: CchQuery::new(self.metric.cch()),
            metric: self.metric.clone(),
            closed: Vec::new(),
        }
    }

    fn close(&self, worker: &mut CchWorker<'a>, closed: &[u32]) {
        let base = self.metric.input_weights();
        // Reopen the previous closure's arcs, then close the new ones: two partial updates.
        let reopen: Vec<(u32, u32)> = worker
            .closed
            .iter()
            .map(|&(a, _)| (a, base[a as usize]))
            .collect();
        worker.metric.update(&reopen);
        worker.closed.clear();
        for &l in closed {
            worker
                .closed
                .extend(self.arcs_of(l).iter().map(|&a| (a, INF)));
        }
        worker.metric.update(&worker.closed);
    }

    fn cost(&self, worker: &mut CchWorker<'a>, pair: &OdPair) -> f64 {
        let mut best = None::<u32>;
        for &s in &pair.sources {
            for &t in &pair.targets {
                if let Some(d) = worker.query.distance(&worker.metric, s, t) {
                    best = Some(best.map_or(d, |b| b.min(d)));
                }
            }
        }
        best.map_or(f64::INFINITY, f64::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::link_loss::single_link_naive;
    use crate::routing::csr::Csr;
    use crate::util::SplitMix64;

    /// A criticality question's parts: graph, weight sets, link of each arc, links, pairs.
    type Question = (Csr, Vec<Vec<Option<f64>>>, Vec<u32>, usize, Vec<OdPair>);

    /// A seeded random graph with whole weights, some one-way links and some bridges.
    fn random_question(seed: u64) -> Question {
        let mut rng = SplitMix64::new(seed);
        let n = 30 + (rng.next_u64() % 40) as u32;
        let mut arcs = Vec::new();
        let mut link = Vec::new();
        let mut hours = Vec::new();
        let links = (n as usize) * 3 / 2;
        for l in 0..links {
            let a = (rng.next_u64() % u64::from(n)) as u32;
            let b = if l < n as usize - 1 {
                l as u32 + 1 // a spanning path, so most pairs connect
            } else {
                (rng.next_u64() % u64::from(n)) as u32
            };
            let a = if l < n as usize - 1 { l as u32 } else { a };
            let w = 1 + rng.next_u64() % 20;
            arcs.push((a, b));
            link.push(l as u32);
            hours.push(w as f64);
            if rng.next_u64() % 5 != 0 {
                arcs.push((b, a));
                link.push(l as u32);
                hours.push(w as f64);
            }
        }
        let csr = Csr::from_arcs(n as usize, &arcs).unwrap();
        let weights = vec![(0..csr.num_arcs() as u32)
            .map(|a| Some(hours[csr.input_index(a) as usize]))
            .collect()];
        let link_of_arc = (0..csr.num_arcs() as u32)
            .map(|a| link[csr.input_index(a) as usize])
            .collect();
        let pairs = (0..25)
            .map(|_| OdPair {
                sources: vec![(rng.next_u64() % u64::from(n)) as u32],
                targets: vec![(rng.next_u64() % u64::from(n)) as u32],
                weight_set: 0,
                weight: 1.0 + (rng.next_u64() % 3) as f64,
            })
            .collect();
        (csr, weights, link_of_arc, links, pairs)
    }

    #[test]
    fn per_link_by_cch_equals_the_naive_recompute_exactly() {
        let (mut detours, mut cuts) = (0, 0);
        for seed in 0..60 {
            let (csr, weights, link_of_arc, links, pairs) = random_question(seed);
            let passable = |_: u32| true;
            let c = Criticality {
                csr: &csr,
                weight_sets: &weights,
                link_of_arc: &link_of_arc,
                links,
                pairs: &pairs,
                passable: &passable,
            };
            let base = c.base();
            let graph = cch_graph(&c).unwrap();
            let (cch, _) = Cch::new(&graph);
            let search = CchClosure::new(&c, &graph, &cch);
            let by_cch = c.single_link_per_link(&base, &search);
            let naive = single_link_naive(&c, &base);
            for (a, b) in by_cch.iter().zip(&naive) {
                detours += usize::from(a.extra_cost > 0.0);
                cuts += a.disconnected as usize;
                assert_eq!(
                    (a.link, a.disconnected, &a.cut_pairs, a.extra_cost),
                    (b.link, b.disconnected, &b.cut_pairs, b.extra_cost),
                    "seed {seed}, link {}",
                    a.link
                );
            }
            // Pairs of links closed together, by both searches.
            let sets: Vec<Vec<u32>> = (0..links as u32 - 1).map(|l| vec![l, l + 1]).collect();
            assert_eq!(
                c.multi_link_with(&base, &sets, &search),
                c.multi_link(&base, &sets),
                "seed {seed}"
            );
        }
        // The graphs are not trivial: closures both lengthen paths and cut pairs.
        assert!(
            detours > 100 && cuts > 100,
            "{detours} detours, {cuts} cuts"
        );
    }

    #[test]
    fn what_a_cch_cannot_answer_exactly_is_refused() {
        let (csr, weights, link_of_arc, links, pairs) = random_question(1);
        let all = |_: u32| true;
        let zones = |v: u32| v > 2;
        let check = |weights: &[Vec<Option<f64>>], passable: &(dyn Fn(u32) -> bool + Sync)| {
            let c = Criticality {
                csr: &csr,
                weight_sets: weights,
                link_of_arc: &link_of_arc,
                links,
                pairs: &pairs,
                passable,
            };
            cch_graph(&c).err()
        };
        assert_eq!(check(&weights, &all), None);
        let mut half = weights.clone();
        half[0][3] = Some(2.5);
        assert_eq!(
            check(&half, &all),
            Some(CchClosureError::Weight {
                arc: 3,
                weight: Some(2.5)
            })
        );
        let mut blocked = weights.clone();
        blocked[0][3] = None;
        assert_eq!(
            check(&blocked, &all),
            Some(CchClosureError::Weight {
                arc: 3,
                weight: None
            })
        );
        assert_eq!(
            check(&weights, &zones),
            Some(CchClosureError::NotPassable(0))
        );
        let two = vec![weights[0].clone(), weights[0].clone()];
        assert_eq!(check(&two, &all), Some(CchClosureError::WeightSets(2)));
    }
}
