//! Link criticality: what losing one link (or a few together) costs the origin-destination pairs
//! that depend on it.
//!
//! A pair whose best path avoids a link keeps its cost exactly when the link is lost (its path is
//! still there, and closing links never shortens anything), so only the pairs whose best path
//! uses the link are searched again. Three methods give the same numbers, bit for bit:
//!
//! - [`Criticality::single_link`] (the default, *detours*): per pair, one backward search gives
//!   every node's exact distance to the pair's targets before any closure; then for each link of
//!   the pair's best path, an A* search guided by those distances (a lower bound that stays valid
//!   when links close) starts from the prefix of the old path that the closure leaves intact
//!   (each branching node at its exact old distance), so it settles little more than the
//!   near-shortest detours around the link. Consecutive links joined by a node that nothing else
//!   touches (a degree-2 chain of an imported road) are lost with the same effect and searched
//!   once; a link that is a bridge of the undirected graph cuts a pair of one source and one
//!   target without a search.
//! - [`Criticality::single_link_per_link`]: for each link, the pairs using it searched again
//!   from scratch, through a [`ClosureSearch`] (plain Dijkstra, [`DijkstraClosure`]): the hook
//!   where a customizable contraction hierarchy, partially re-customized for each closed link,
//!   can replace the search.
//! - [`single_link_naive`]: every pair searched again for every link: the oracle.
//!
//! ```text
//!   a --1-- b --1-- c      pairs (a, c) and (b, c)
//!   |               |      closing a-b re-searches (a, c) only: a-d-c costs 4, +2
//!   +--2--- d --2---+      closing b-c re-searches both: (a, c) +2, (b, c) goes b-a-d-c, +4
//! ```
//!
//! The core works on any CSR graph (the compiled network, a TNTP or OSM road graph): arcs map to
//! links (`link_of_arc`, both directions and every layer of a link), and each pair names the arc
//! weights it is searched with (the access policy of its cargo folded in).
//!
//! # Exactness
//! Dijkstra's distance to a node is the least left-to-right floating-point sum over the paths to
//! it (addition is monotone). The detour search keeps that: its seeds carry the old search's
//! own distances (exact for the prefix, which the closure leaves intact), and its bound is the
//! exact old distance to the targets shrunk by a relative `1e-9`, so that rounding never makes it
//! inconsistent. The tests compare the three methods on seeded random graphs and the bench on
//! Chicago Sketch and the Isle of Man, bit for bit.

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;

use super::connectivity::cut_structure;
use crate::routing::csr::{astar_from, one_to_all_backward, one_to_one, Csr, SearchState, NONE};
use crate::util::Tick;

/// Shrinks the exact distances to the targets used as an A* bound (see the module's
/// *Exactness*).
const BOUND_SHRINK: f64 = 1.0 - 1e-9;

/// One origin-destination pair on a CSR graph.
#[derive(Debug, Clone, PartialEq)]
pub struct OdPair {
    /// Start states (any of them).
    pub sources: Vec<u32>,
    /// End states (the nearest counts).
    pub targets: Vec<u32>,
    /// Index of the arc weights this pair is searched with.
    pub weight_set: usize,
    /// Importance (tonnes per year, or 1): losses are summed with this weight.
    pub weight: f64,
}

/// The graph and pairs of a criticality question.
pub struct Criticality<'a> {
    pub csr: &'a Csr,
    /// Arc weights (`None`: blocked), one vector per weight set, indexed by CSR arc id.
    pub weight_sets: &'a [Vec<Option<f64>>],
    /// The link each arc belongs to, or [`NONE`] for arcs that are no link (transfers).
    pub link_of_arc: &'a [u32],
    pub links: usize,
    pub pairs: &'a [OdPair],
    /// Whether a path may pass through a node (TNTP zones may only start or end one).
    pub passable: &'a (dyn Fn(u32) -> bool + Sync),
}

/// What losing one link (or a set) costs.
///
/// # Units
/// `extra_cost` in the unit of the pairs' weights (hours, km, USD/t) times the pairs' weights.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkLoss {
    /// The link (for a set: its first link).
    pub link: u32,
    /// Pairs whose best path used the link.
    pub pairs_using: u32,
    /// Pairs left without any path.
    pub disconnected: u32,
    /// Summed weights of the disconnected pairs.
    pub disconnected_weight: f64,
    /// Extra cost of the pairs that still have a path, summed with their weights.
    pub extra_cost: f64,
    /// The pairs left without any path (indices, ascending).
    pub cut_pairs: Vec<u32>,
}

impl LinkLoss {
    fn none(link: u32) -> LinkLoss {
        LinkLoss {
            link,
            pairs_using: 0,
            disconnected: 0,
            disconnected_weight: 0.0,
            extra_cost: 0.0,
            cut_pairs: Vec::new(),
        }
    }

    /// Adds pair `i` (weight `weight`, cost `base` before, `cost` after the closure).
    fn add(&mut self, i: u32, weight: f64, base: f64, cost: f64) {
        if cost.is_finite() {
            self.extra_cost += weight * (cost - base);
        } else {
            self.disconnected += 1;
            self.disconnected_weight += weight;
            self.cut_pairs.push(i);
        }
    }
}

/// The best path of every pair: its cost (`INFINITY` when unreachable), its arcs and the links
/// it uses.
#[derive(Debug, Clone, PartialEq)]
pub struct BaseRoutes {
    pub cost: Vec<f64>,
    /// Arcs of the best path in travel order (empty when unreachable or from a target).
    pub arcs: Vec<Vec<u32>>,
    /// Links of the best path, ascending, each once.
    pub links: Vec<Vec<u32>>,
}

/// One pair's best path and the cost of the pair with each link of that path lost: what the
/// single-link question sums per link, and what a shard of it writes.
#[derive(Debug, Clone, PartialEq)]
pub struct PairLoss {
    pub pair: u32,
    /// Cost of the best path (`INFINITY` when unreachable).
    pub cost: f64,
    /// Arcs of the best path in travel order.
    pub arcs: Vec<u32>,
    /// `(link, cost with the link lost)` in path order (`INFINITY`: cut).
    pub lost: Vec<(u32, f64)>,
}

/// The pairs' best paths and every link's loss, from [`Criticality::single_link_all`].
#[derive(Debug, Clone, PartialEq)]
pub struct SingleLink {
    pub base: BaseRoutes,
    /// One per link, in link order.
    pub loss: Vec<LinkLoss>,
    pub stats: DetourStats,
}

/// What the detour method did, for benchmarks and progress reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DetourStats {
    /// Backward searches (one per group of pairs sharing their targets and weights).
    pub backward_searches: usize,
    /// (pair, link) losses found: the sum of the best paths' lengths in links.
    pub pair_links: usize,
    /// A* searches run (one per chain of links lost with the same effect).
    pub detour_searches: usize,
    /// (pair, chain) losses known without a search: the chain holds a bridge.
    pub bridge_cuts: usize,
    /// Nodes settled by the A* searches.
    pub settled: usize,
}

impl std::ops::AddAssign for DetourStats {
    fn add_assign(&mut self, o: DetourStats) {
        self.backward_searches += o.backward_searches;
        self.pair_links += o.pair_links;
        self.detour_searches += o.detour_searches;
        self.bridge_cuts += o.bridge_cuts;
        self.settled += o.settled;
    }
}

/// Finds the cost of a pair again with some links closed: the search of
/// [`Criticality::single_link_per_link`] and [`Criticality::multi_link`].
///
/// This is the hook for a customizable contraction hierarchy (`routing::cch`): its worker keeps
/// a copy of the customized weights, [`ClosureSearch::close`] sets the closed links' arcs to
/// infinity and re-customizes only the cells above them (and restores the previous closure's),
/// and [`ClosureSearch::cost`] is a CCH query. [`DijkstraClosure`] is the plain implementation.
pub trait ClosureSearch: Sync {
    /// Per-thread state.
    type Worker: Send;
    fn worker(&self) -> Self::Worker;
    /// Makes `closed` (link ids, ascending) the closed links for the next [`ClosureSearch::cost`]
    /// calls.
    fn close(&self, worker: &mut Self::Worker, closed: &[u32]);
    /// The cost of `pair` with the links of the last [`ClosureSearch::close`] closed
    /// (`INFINITY` when it has no path).
    fn cost(&self, worker: &mut Self::Worker, pair: &OdPair) -> f64;
}

/// [`ClosureSearch`] by Dijkstra with early stop on the whole graph.
pub struct DijkstraClosure<'c, 'a>(pub &'c Criticality<'a>);

impl ClosureSearch for DijkstraClosure<'_, '_> {
    type Worker = (SearchState, Vec<u32>);

    fn worker(&self) -> Self::Worker {
        (SearchState::new(), Vec::new())
    }

    fn close(&self, worker: &mut Self::Worker, closed: &[u32]) {
        worker.1.clear();
        worker.1.extend_from_slice(closed);
    }

    fn cost(&self, worker: &mut Self::Worker, pair: &OdPair) -> f64 {
        let (state, closed) = worker;
        self.0.search(pair, closed, state).0
    }
}

/// Per-graph facts the detour method reads.
struct Shape {
    /// For a node whose every arc belongs to one of exactly two links: those links (ascending);
    /// `[NONE, NONE]` otherwise.
    two_links: Vec<[u32; 2]>,
    /// Links that are bridges of the undirected graph (all of a link's arcs join the same two
    /// nodes, and no other path joins them).
    bridge: Vec<bool>,
}

impl Criticality<'_> {
    /// The cost of one pair with the arcs of `closed` links blocked (`closed` sorted), and the
    /// arcs of its best path.
    fn search(&self, pair: &OdPair, closed: &[u32], state: &mut SearchState) -> (f64, Vec<u32>) {
        let w = &self.weight_sets[pair.weight_set];
        let reached = one_to_one(
            self.csr,
            &pair.sources,
            &pair.targets,
            |a| {
                let l = self.link_of_arc[a as usize];
                if l != NONE && closed.binary_search(&l).is_ok() {
                    None
                } else {
                    w[a as usize]
                }
            },
            self.passable,
            state,
        );
        match reached {
            Some(t) => {
                let mut arcs = Vec::new();
                state.path_to(self.csr, t, &mut arcs);
                (state.dist(t), arcs)
            }
            None => (f64::INFINITY, Vec::new()),
        }
    }

    /// Every pair searched once with nothing closed, in parallel, in pair order.
    ///
    /// # Complexity
    /// One Dijkstra search (early stop) per pair.
    pub fn base(&self) -> BaseRoutes {
        let found: Vec<(f64, Vec<u32>)> = self
            .pairs
            .par_iter()
            .map_init(SearchState::new, |state, p| self.search(p, &[], state))
            .collect();
        let mut base = BaseRoutes {
            cost: Vec::with_capacity(found.len()),
            arcs: Vec::with_capacity(found.len()),
            links: Vec::with_capacity(found.len()),
        };
        for (cost, arcs) in found {
            base.links.push(self.links_of(&arcs));
            base.cost.push(cost);
            base.arcs.push(arcs);
        }
        base
    }

    /// The loss of closing `closed` (sorted link ids) for the given pairs, by `search`.
    fn loss_for<S: ClosureSearch>(
        &self,
        base: &BaseRoutes,
        pairs: &[u32],
        closed: &[u32],
        search: &S,
        worker: &mut S::Worker,
    ) -> LinkLoss {
        let mut loss = LinkLoss::none(closed.first().copied().unwrap_or(NONE));
        loss.pairs_using = pairs.len() as u32;
        search.close(worker, closed);
        for &i in pairs {
            let pair = &self.pairs[i as usize];
            let c = search.cost(worker, pair);
            loss.add(i, pair.weight, base.cost[i as usize], c);
        }
        loss
    }

    /// Pairs (indices, ascending) whose best path uses each link.
    pub fn users(&self, base: &BaseRoutes) -> Vec<Vec<u32>> {
        let mut users = vec![Vec::new(); self.links];
        for (i, links) in base.links.iter().enumerate() {
            if base.cost[i].is_finite() {
                for &l in links {
                    users[l as usize].push(i as u32);
                }
            }
        }
        users
    }

    /// The loss of every link: per pair, the detour around each link of its best path (see the
    /// module doc), in parallel over groups of pairs sharing their targets.
    ///
    /// # Arguments
    /// * `base` - the pairs' best paths, from [`Criticality::base`].
    ///
    /// # Returns
    /// One [`LinkLoss`] per link, in link order (links no pair uses lose nothing); the same, bit
    /// for bit, as [`single_link_naive`], whatever the thread count.
    ///
    /// # Complexity
    /// One backward Dijkstra per group of pairs sharing their targets, plus per pair one A*
    /// search per chain of its best path (none for a bridge), each settling the seeds (the
    /// branching nodes of the path before the chain) and the nodes of near-shortest detours.
    /// Memory: two search states per thread.
    ///
    /// # Examples
    /// ```text
    ///   0 --1-- 1 --1-- 2 --1-- 3      pair 0 -> 3 by 0-1-2-3 (cost 3)
    ///    \_____________4_______/       losing 0-1, 1-2 or 2-3: detour 0-3, +1
    /// ```
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use corridor::analysis::link_loss::{Criticality, OdPair};
    /// use corridor::routing::csr::Csr;
    /// let edges = [(0, 1, 1.0), (1, 2, 1.0), (2, 3, 1.0), (0, 3, 4.0)];
    /// let arcs: Vec<(u32, u32)> = edges.iter().flat_map(|&(u, v, _)| [(u, v), (v, u)]).collect();
    /// let csr = Csr::from_arcs(4, &arcs)?;
    /// let input = |a: u32| csr.input_index(a) as usize / 2; // the link of an arc
    /// let weights = vec![(0..8).map(|a| Some(edges[input(a)].2)).collect()];
    /// let link_of_arc: Vec<u32> = (0..8).map(|a| input(a) as u32).collect();
    /// let pairs = [OdPair { sources: vec![0], targets: vec![3], weight_set: 0, weight: 1.0 }];
    /// let c = Criticality {
    ///     csr: &csr, weight_sets: &weights, link_of_arc: &link_of_arc, links: 4,
    ///     pairs: &pairs, passable: &|_| true,
    /// };
    /// let base = c.base();
    /// let loss = c.single_link(&base);
    /// assert_eq!(loss.iter().map(|l| l.extra_cost).collect::<Vec<_>>(), [1.0, 1.0, 1.0, 0.0]);
    /// # Ok(()) }
    /// ```
    pub fn single_link(&self, base: &BaseRoutes) -> Vec<LinkLoss> {
        self.single_link_with_stats(base).0
    }

    /// [`Criticality::single_link`] and what it did.
    pub fn single_link_with_stats(&self, base: &BaseRoutes) -> (Vec<LinkLoss>, DetourStats) {
        let run = self.detour_run(Some(base), &Tick::none());
        (run.loss, run.stats)
    }

    /// [`Criticality::single_link`], telling `progress` of a stage whose steps are the pairs
    /// (advanced a destination group at a time).
    pub fn single_link_ticked(&self, base: &BaseRoutes, progress: &Tick) -> Vec<LinkLoss> {
        self.detour_run(Some(base), progress).loss
    }

    /// The pairs' best paths and the loss of every link in one go: each pair's best path is
    /// found by an A* search guided by the same backward search that guides its detours (it
    /// settles little more than the path), instead of [`Criticality::base`]'s Dijkstra.
    ///
    /// # Returns
    /// The best paths (costs bit for bit those of [`Criticality::base`]; among paths of equal
    /// cost another may be chosen, so `pairs_using` may differ where costs tie) and the losses
    /// as [`Criticality::single_link`].
    ///
    /// # Complexity
    /// As [`Criticality::single_link`], without the base searches.
    pub fn single_link_all(&self) -> SingleLink {
        self.detour_run(None, &Tick::none())
    }

    /// The detour method, on the given best paths or finding them.
    fn detour_run(&self, given: Option<&BaseRoutes>, progress: &Tick) -> SingleLink {
        let shape = self.shape();
        // Pairs sharing targets and weights share the backward search; groups in order of their
        // first pair.
        let mut group_of: HashMap<(usize, &[u32]), usize> = HashMap::new();
        let mut groups: Vec<Vec<u32>> = Vec::new();
        for (i, p) in self.pairs.iter().enumerate() {
            if given.is_some_and(|b| !b.cost[i].is_finite() || b.arcs[i].is_empty()) {
                continue;
            }
            let g = *group_of
                .entry((p.weight_set, p.targets.as_slice()))
                .or_insert_with(|| {
                    groups.push(Vec::new());
                    groups.len() - 1
                });
            groups[g].push(i as u32);
        }
        let total = groups.iter().map(|g| g.len() as u64).sum();
        progress.stage("pairs (detours around each link)", Some(total));
        let found: Vec<(Vec<PairLoss>, DetourStats)> = groups
            .par_iter()
            .map_init(
                || (SearchState::new(), SearchState::new()),
                |(back, fwd), group| {
                    let mut stats = DetourStats::default();
                    self.backward(group, back);
                    stats.backward_searches += 1;
                    let out = group
                        .iter()
                        .map(|&i| {
                            let (cost, arcs) = match given {
                                Some(b) => (b.cost[i as usize], b.arcs[i as usize].clone()),
                                None => self.guided_base(i, back, fwd),
                            };
                            let lost = if cost.is_finite() {
                                self.detours(&shape, &arcs, i, back, fwd, &mut stats)
                            } else {
                                Vec::new()
                            };
                            PairLoss {
                                pair: i,
                                cost,
                                arcs,
                                lost,
                            }
                        })
                        .collect();
                    progress.advance(group.len() as u64);
                    (out, stats)
                },
            )
            .collect();
        let mut per_pair: Vec<PairLoss> = Vec::with_capacity(self.pairs.len());
        let mut stats = DetourStats::default();
        for (out, s) in found {
            per_pair.extend(out);
            stats += s;
        }
        per_pair.sort_unstable_by_key(|p| p.pair);
        let loss = self.sum_losses(&per_pair);
        let base = match given {
            Some(b) => b.clone(),
            None => self.base_of(per_pair),
        };
        SingleLink { base, loss, stats }
    }

    /// The backward search from the targets of a group of pairs (they share targets and weights).
    fn backward(&self, group: &[u32], back: &mut SearchState) {
        let first = &self.pairs[group[0] as usize];
        let w = &self.weight_sets[first.weight_set];
        one_to_all_backward(
            self.csr,
            &first.targets,
            |a| w[a as usize],
            self.passable,
            back,
        );
    }

    /// Sums each link's loss over the pairs' [`PairLoss`]es, in pair order (`per_pair` sorted by
    /// pair), as every method makes them: the same bits whichever process found each pair.
    fn sum_losses(&self, per_pair: &[PairLoss]) -> Vec<LinkLoss> {
        let mut loss: Vec<LinkLoss> = (0..self.links as u32).map(LinkLoss::none).collect();
        for run in per_pair {
            let pair = &self.pairs[run.pair as usize];
            for &(l, c) in &run.lost {
                let x = &mut loss[l as usize];
                x.pairs_using += 1;
                x.add(run.pair, pair.weight, run.cost, c);
            }
        }
        loss
    }

    /// The pairs grouped by what their detours share (weight set and targets: one backward
    /// search), groups in order of their first pair, pairs ascending: the units a shard takes
    /// whole, so that no two shards run the same backward search.
    pub fn target_groups(&self) -> Vec<Vec<u32>> {
        let mut group_of: HashMap<(usize, &[u32]), usize> = HashMap::new();
        let mut groups: Vec<Vec<u32>> = Vec::new();
        for (i, p) in self.pairs.iter().enumerate() {
            let g = *group_of
                .entry((p.weight_set, p.targets.as_slice()))
                .or_insert_with(|| {
                    groups.push(Vec::new());
                    groups.len() - 1
                });
            groups[g].push(i as u32);
        }
        groups
    }

    /// Each pair of `groups` (from [`Criticality::target_groups`]) with its best path (the
    /// search of [`Criticality::base`]) and the cost of losing each link of it (the detours of
    /// [`Criticality::single_link`]): one shard's share of the single-link question.
    /// [`Criticality::assemble`] on every pair's entry gives back, bit for bit, what
    /// [`Criticality::base`] and [`Criticality::single_link`] give.
    ///
    /// # Returns
    /// One [`PairLoss`] per pair of the groups, ascending by pair.
    pub fn pair_losses(&self, groups: &[Vec<u32>]) -> Vec<PairLoss> {
        let shape = self.shape();
        let found: Vec<Vec<PairLoss>> = groups
            .par_iter()
            .map_init(
                || (SearchState::new(), SearchState::new()),
                |(back, fwd), group| {
                    let mut stats = DetourStats::default();
                    let mut out: Vec<PairLoss> = group
                        .iter()
                        .map(|&i| {
                            let (cost, arcs) = self.search(&self.pairs[i as usize], &[], fwd);
                            PairLoss {
                                pair: i,
                                cost,
                                arcs,
                                lost: Vec::new(),
                            }
                        })
                        .collect();
                    if out.iter().any(|p| p.cost.is_finite() && !p.arcs.is_empty()) {
                        self.backward(group, back);
                        for p in &mut out {
                            if p.cost.is_finite() && !p.arcs.is_empty() {
                                p.lost =
                                    self.detours(&shape, &p.arcs, p.pair, back, fwd, &mut stats);
                            }
                        }
                    }
                    out
                },
            )
            .collect();
        let mut all: Vec<PairLoss> = found.into_iter().flatten().collect();
        all.sort_unstable_by_key(|p| p.pair);
        all
    }

    /// The best paths and every link's loss from every pair's [`PairLoss`] (any order; the
    /// shards' entries together).
    ///
    /// # Errors
    /// A message when a pair is missing, repeated or out of range.
    pub fn assemble(&self, mut runs: Vec<PairLoss>) -> Result<(BaseRoutes, Vec<LinkLoss>), String> {
        runs.sort_unstable_by_key(|p| p.pair);
        for (i, r) in runs.iter().enumerate() {
            if r.pair as usize != i {
                return Err(format!(
                    "pair {} where pair {i} was expected (pairs missing or repeated)",
                    r.pair
                ));
            }
        }
        if runs.len() != self.pairs.len() {
            return Err(format!("{} of {} pairs", runs.len(), self.pairs.len()));
        }
        if let Some(l) = runs
            .iter()
            .flat_map(|r| r.lost.iter().map(|x| x.0))
            .find(|&l| l as usize >= self.links)
        {
            return Err(format!("link {l} beyond the {} links", self.links));
        }
        if let Some(a) = runs
            .iter()
            .flat_map(|r| r.arcs.iter().copied())
            .find(|&a| a as usize >= self.link_of_arc.len())
        {
            return Err(format!("arc {a} beyond the graph's arcs"));
        }
        let loss = self.sum_losses(&runs);
        Ok((self.base_of(runs), loss))
    }

    /// The best paths of `runs` (every pair, in pair order).
    fn base_of(&self, runs: Vec<PairLoss>) -> BaseRoutes {
        let mut base = BaseRoutes {
            cost: Vec::with_capacity(runs.len()),
            arcs: Vec::with_capacity(runs.len()),
            links: Vec::with_capacity(runs.len()),
        };
        for run in runs {
            base.links.push(self.links_of(&run.arcs));
            base.cost.push(run.cost);
            base.arcs.push(run.arcs);
        }
        base
    }

    /// The best path of pair `i` by A* guided by `back` (its targets' backward search).
    fn guided_base(&self, i: u32, back: &SearchState, fwd: &mut SearchState) -> (f64, Vec<u32>) {
        let pair = &self.pairs[i as usize];
        let w = &self.weight_sets[pair.weight_set];
        let seeds: Vec<(u32, f64)> = pair.sources.iter().map(|&s| (s, 0.0)).collect();
        let reached = astar_from(
            self.csr,
            &seeds,
            &pair.targets,
            |a| w[a as usize],
            |v| back.dist(v) * BOUND_SHRINK,
            self.passable,
            fwd,
        );
        match reached {
            Some(t) => {
                let mut arcs = Vec::new();
                fwd.path_to(self.csr, t, &mut arcs);
                (fwd.dist(t), arcs)
            }
            None => (f64::INFINITY, Vec::new()),
        }
    }

    /// The links of a path, ascending, each once.
    fn links_of(&self, arcs: &[u32]) -> Vec<u32> {
        let mut links: Vec<u32> = arcs
            .iter()
            .map(|&a| self.link_of_arc[a as usize])
            .filter(|&l| l != NONE)
            .collect();
        links.sort_unstable();
        links.dedup();
        links
    }

    /// The pass-through nodes and undirected bridges of the graph.
    fn shape(&self) -> Shape {
        let g = self.csr;
        let n = g.num_nodes();
        let mut two_links = vec![[NONE, NONE]; n];
        for (v, slot) in two_links.iter_mut().enumerate() {
            let v = v as u32;
            // (link, the node it joins v to), at most two.
            let mut seen = [(NONE, NONE); 2];
            let mut ok = true;
            let arcs = g
                .out_arcs(v)
                .map(|a| (a, g.head(a)))
                .chain(g.in_arcs(v).iter().map(|&a| (a, g.tail(a))));
            for (a, other) in arcs {
                let l = self.link_of_arc[a as usize];
                if l == NONE || other == v {
                    ok = false;
                    break;
                }
                match seen.iter().position(|&(x, _)| x == l || x == NONE) {
                    Some(k) if seen[k].0 == NONE => seen[k] = (l, other),
                    Some(k) if seen[k].1 == other => {}
                    _ => {
                        ok = false;
                        break;
                    }
                }
            }
            if ok && seen[1].0 != NONE {
                *slot = [seen[0].0.min(seen[1].0), seen[0].0.max(seen[1].0)];
            }
        }
        // One undirected edge per link joining a single pair of nodes; links spread over several
        // node pairs (layers) and transfers give one edge per arc: never bridges themselves,
        // they only connect.
        let mut ends = vec![(NONE, NONE); self.links];
        let mut single = vec![true; self.links];
        for a in 0..g.num_arcs() as u32 {
            let l = self.link_of_arc[a as usize];
            if l == NONE {
                continue;
            }
            let (u, v) = (g.tail(a), g.head(a));
            let e = (u.min(v), u.max(v));
            let slot = &mut ends[l as usize];
            if slot.0 == NONE {
                *slot = e;
            } else if *slot != e {
                single[l as usize] = false;
            }
        }
        let mut edges: Vec<(u32, u32)> = Vec::new();
        let mut edge_link: Vec<u32> = Vec::new();
        for (l, &(u, v)) in ends.iter().enumerate() {
            if u != NONE && single[l] {
                edges.push((u, v));
                edge_link.push(l as u32);
            }
        }
        for a in 0..g.num_arcs() as u32 {
            let l = self.link_of_arc[a as usize];
            if l == NONE || !single[l as usize] {
                edges.push((g.tail(a), g.head(a)));
                edge_link.push(NONE);
            }
        }
        let mut bridge = vec![false; self.links];
        for e in cut_structure(n, &edges).bridges {
            if edge_link[e] != NONE {
                bridge[edge_link[e] as usize] = true;
            }
        }
        Shape { two_links, bridge }
    }

    /// The cost of pair `i` with each link of its best path lost, as `(link, cost)` in path
    /// order; `back` holds the distances to the pair's targets before any closure.
    fn detours(
        &self,
        shape: &Shape,
        arcs: &[u32],
        i: u32,
        back: &SearchState,
        fwd: &mut SearchState,
        stats: &mut DetourStats,
    ) -> Vec<(u32, f64)> {
        let g = self.csr;
        let pair = &self.pairs[i as usize];
        let w = &self.weight_sets[pair.weight_set];
        let link_at: Vec<u32> = arcs.iter().map(|&a| self.link_of_arc[a as usize]).collect();
        // Links met more than once on the path are searched alone, at their first arc.
        let mut count: HashMap<u32, u32> = HashMap::new();
        for &l in &link_at {
            if l != NONE {
                *count.entry(l).or_insert(0) += 1;
            }
        }
        // The old search's distance at the tail of each arc: the same sums it made.
        let mut dist = Vec::with_capacity(arcs.len());
        let mut d = 0.0;
        for &a in arcs {
            dist.push(d);
            d += w[a as usize].unwrap_or(f64::INFINITY);
        }
        // Seeds: every source at 0, then the nodes of the path where a detour can leave it.
        let mut seeds: Vec<(u32, f64)> = pair.sources.iter().map(|&s| (s, 0.0)).collect();
        let single_ends = pair.sources.len() == 1 && pair.targets.len() == 1;
        let is_end = |v: u32| pair.sources.contains(&v) || pair.targets.contains(&v);
        let mut out = Vec::with_capacity(count.len());
        let mut repeated: HashSet<u32> = HashSet::new();
        let mut j = 0;
        while j < arcs.len() {
            let l = link_at[j];
            if j > 0 {
                let v = g.tail(arcs[j]);
                let back_to = g.tail(arcs[j - 1]);
                let branches = g
                    .out_arcs(v)
                    .any(|a| a != arcs[j] && g.head(a) != back_to && w[a as usize].is_some());
                if branches {
                    seeds.push((v, dist[j]));
                }
            }
            if l == NONE || (count[&l] > 1 && !repeated.insert(l)) {
                j += 1;
                continue;
            }
            // The chain of links lost with the same effect as `l`.
            let mut end = j + 1;
            if count[&l] == 1 {
                while end < arcs.len() {
                    let (prev, next) = (link_at[end - 1], link_at[end]);
                    let v = g.tail(arcs[end]);
                    if next == NONE || next == prev || count[&next] != 1 || is_end(v) {
                        break;
                    }
                    let pairing = [prev.min(next), prev.max(next)];
                    if shape.two_links[v as usize] != pairing {
                        break;
                    }
                    end += 1;
                }
            }
            // A bridge on the path from the only source to the only target separates them (with
            // more ends, another source or target may lie on either side).
            let cost = if single_ends && link_at[j..end].iter().any(|&x| shape.bridge[x as usize]) {
                stats.bridge_cuts += 1;
                f64::INFINITY
            } else {
                stats.detour_searches += 1;
                let reached = astar_from(
                    g,
                    &seeds,
                    &pair.targets,
                    |a| {
                        if self.link_of_arc[a as usize] == l {
                            None
                        } else {
                            w[a as usize]
                        }
                    },
                    |v| back.dist(v) * BOUND_SHRINK,
                    self.passable,
                    fwd,
                );
                stats.settled += fwd.settled_count();
                reached.map_or(f64::INFINITY, |t| fwd.dist(t))
            };
            for &x in &link_at[j..end] {
                out.push((x, cost));
            }
            stats.pair_links += end - j;
            // The chain's inner nodes branch nowhere: no seeds to add for them.
            j = end;
        }
        out
    }

    /// The loss of every link by the per-link method: for each link, the pairs using it searched
    /// again with `search`, in parallel over links.
    ///
    /// # Returns
    /// As [`Criticality::single_link`].
    ///
    /// # Complexity
    /// One `search` per (link, pair using it): with Dijkstra, the sum of the best paths' lengths
    /// in links times a search of the whole graph.
    pub fn single_link_per_link<S: ClosureSearch>(
        &self,
        base: &BaseRoutes,
        search: &S,
    ) -> Vec<LinkLoss> {
        let users = self.users(base);
        (0..self.links as u32)
            .into_par_iter()
            .map_init(
                || search.worker(),
                |worker, l| self.loss_for(base, &users[l as usize], &[l], search, worker),
            )
            .collect()
    }

    /// The loss of closing each set of links together (each set sorted, deduplicated), re-searching
    /// only the pairs whose best path uses one of them, by Dijkstra.
    pub fn multi_link(&self, base: &BaseRoutes, sets: &[Vec<u32>]) -> Vec<LinkLoss> {
        self.multi_link_with(base, sets, &DijkstraClosure(self))
    }

    /// [`Criticality::multi_link`], telling `progress` of a stage whose steps are the sets.
    pub fn multi_link_ticked(
        &self,
        base: &BaseRoutes,
        sets: &[Vec<u32>],
        progress: &Tick,
    ) -> Vec<LinkLoss> {
        progress.stage("link sets closed together", Some(sets.len() as u64));
        self.sets_loss(base, sets, &DijkstraClosure(self), progress)
    }

    /// [`Criticality::multi_link`] with another [`ClosureSearch`].
    pub fn multi_link_with<S: ClosureSearch>(
        &self,
        base: &BaseRoutes,
        sets: &[Vec<u32>],
        search: &S,
    ) -> Vec<LinkLoss> {
        self.sets_loss(base, sets, search, &Tick::none())
    }

    fn sets_loss<S: ClosureSearch>(
        &self,
        base: &BaseRoutes,
        sets: &[Vec<u32>],
        search: &S,
        progress: &Tick,
    ) -> Vec<LinkLoss> {
        let users = self.users(base);
        sets.par_iter()
            .map_init(
                || search.worker(),
                |worker, set| {
                    let mut closed = set.clone();
                    closed.sort_unstable();
                    closed.dedup();
                    let mut pairs: Vec<u32> = closed
                        .iter()
                        .flat_map(|&l| users[l as usize].iter().copied())
                        .collect();
                    pairs.sort_unstable();
                    pairs.dedup();
                    let loss = self.loss_for(base, &pairs, &closed, search, worker);
                    progress.advance(1);
                    loss
                },
            )
            .collect()
    }
}

/// The oracle: every pair re-searched for every link, whether its path uses the link or not.
///
/// # Returns
/// As [`Criticality::single_link`], but `pairs_using` is 0 (the oracle does not look at paths).
///
/// # Complexity
/// links x pairs searches.
pub fn single_link_naive(c: &Criticality<'_>, base: &BaseRoutes) -> Vec<LinkLoss> {
    let all: Vec<u32> = (0..c.pairs.len() as u32)
        .filter(|&i| base.cost[i as usize].is_finite())
        .collect();
    let search = DijkstraClosure(c);
    (0..c.links as u32)
        .into_par_iter()
        .map_init(
            || search.worker(),
            |worker, l| {
                let mut loss = c.loss_for(base, &all, &[l], &search, worker);
                loss.pairs_using = 0;
                loss
            },
        )
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::util::SplitMix64;

    /// A seeded random case: links are pairs of opposite arcs (some one-way), some subdivided into
    /// chains of degree-2 nodes (as an imported road), two weight sets (the second blocks some
    /// arcs), pairs with one or two sources and targets, and some nodes that may not be passed
    /// through.
    struct Case {
        csr: Csr,
        weights: Vec<Vec<Option<f64>>>,
        link_of_arc: Vec<u32>,
        links: usize,
        pairs: Vec<OdPair>,
        impassable: Vec<bool>,
    }

    fn random_case(rng: &mut SplitMix64, real_weights: bool) -> Case {
        let mut n = 2 + rng.below(9) as u32;
        let base_links = rng.below(3 * n as u64) as usize;
        let mut arcs = Vec::new();
        let mut link_of = Vec::new();
        let mut w = Vec::new();
        let mut links = 0u32;
        let cost = |rng: &mut SplitMix64| {
            if real_weights {
                0.1 + rng.below(1_000_000) as f64 / 7919.0
            } else {
                rng.below(5) as f64 // integers (ties are exact), zero included
            }
        };
        for _ in 0..base_links {
            let (u, v) = (rng.below(n as u64) as u32, rng.below(n as u64) as u32);
            let two_way = rng.chance(0.8);
            // A chain u - x1 - x2 ... - v of 1 to 3 links.
            let pieces = if rng.chance(0.3) { 2 + rng.below(2) } else { 1 };
            let mut at = u;
            for k in 0..pieces {
                let next = if k + 1 == pieces {
                    v
                } else {
                    n += 1;
                    n - 1
                };
                let c = cost(rng);
                arcs.push((at, next));
                link_of.push(links);
                w.push(c);
                if two_way {
                    arcs.push((next, at));
                    link_of.push(links);
                    w.push(c);
                }
                links += 1;
                at = next;
            }
        }
        let csr = Csr::from_arcs(n as usize, &arcs).unwrap();
        let set0: Vec<Option<f64>> = (0..csr.num_arcs() as u32)
            .map(|a| Some(w[csr.input_index(a) as usize]))
            .collect();
        let set1: Vec<Option<f64>> = set0
            .iter()
            .map(|&x| if rng.chance(0.15) { None } else { x })
            .collect();
        let link_of_arc: Vec<u32> = (0..csr.num_arcs() as u32)
            .map(|a| link_of[csr.input_index(a) as usize])
            .collect();
        let ends = |rng: &mut SplitMix64| -> Vec<u32> {
            (0..1 + rng.below(2) as usize)
                .map(|_| rng.below(n as u64) as u32)
                .collect()
        };
        let pairs = (0..1 + rng.below(6))
            .map(|_| OdPair {
                sources: ends(rng),
                targets: ends(rng),
                weight_set: rng.below(2) as usize,
                weight: 1.0 + rng.below(3) as f64,
            })
            .collect();
        let impassable = (0..n).map(|_| rng.chance(0.1)).collect();
        Case {
            csr,
            weights: vec![set0, set1],
            link_of_arc,
            links: links as usize,
            pairs,
            impassable,
        }
    }

    fn check_methods_agree(seed: u64, real_weights: bool) {
        let mut rng = SplitMix64::new(seed);
        let case = random_case(&mut rng, real_weights);
        let passable = |v: u32| !case.impassable[v as usize];
        let c = Criticality {
            csr: &case.csr,
            weight_sets: &case.weights,
            link_of_arc: &case.link_of_arc,
            links: case.links,
            pairs: &case.pairs,
            passable: &passable,
        };
        let base = c.base();
        let fast = c.single_link(&base);
        let per_link = c.single_link_per_link(&base, &DijkstraClosure(&c));
        let slow = single_link_naive(&c, &base);
        assert_eq!(fast, per_link, "seed {seed}: detours vs per-link");
        for (f, s) in fast.iter().zip(&slow) {
            assert_eq!(
                (
                    f.disconnected,
                    f.disconnected_weight.to_bits(),
                    f.extra_cost.to_bits(),
                    &f.cut_pairs
                ),
                (
                    s.disconnected,
                    s.disconnected_weight.to_bits(),
                    s.extra_cost.to_bits(),
                    &s.cut_pairs
                ),
                "seed {seed}, link {}: {f:?} vs {s:?}; pairs {:?}, arcs {:?}",
                f.link,
                case.pairs,
                (0..case.csr.num_arcs() as u32)
                    .map(|a| (
                        case.csr.tail(a),
                        case.csr.head(a),
                        case.link_of_arc[a as usize]
                    ))
                    .collect::<Vec<_>>()
            );
        }
        // Closing a set equals closing its single link when the set has one link.
        let singles: Vec<Vec<u32>> = (0..case.links as u32).map(|l| vec![l]).collect();
        assert_eq!(c.multi_link(&base, &singles), fast, "seed {seed}");
        // Best paths found by the guided search: the same costs; losses as the oracle's (the
        // paths may differ among ties, and with them `pairs_using`).
        let all = c.single_link_all();
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(
            bits(&all.base.cost),
            bits(&base.cost),
            "seed {seed}: base costs"
        );
        for (f, s) in all.loss.iter().zip(&slow) {
            assert_eq!(
                (f.disconnected, f.extra_cost.to_bits(), &f.cut_pairs),
                (s.disconnected, s.extra_cost.to_bits(), &s.cut_pairs),
                "seed {seed}, link {}: guided base",
                f.link
            );
        }
    }

    #[test]
    fn detours_per_link_and_naive_agree_exactly_on_random_graphs() {
        for seed in 0..1500u64 {
            check_methods_agree(seed, false);
        }
    }

    #[test]
    fn detours_agree_bit_for_bit_with_real_weights() {
        for seed in 0..1000u64 {
            check_methods_agree(10_000 + seed, true);
        }
    }

    #[test]
    fn a_chain_is_searched_once_and_a_bridge_not_at_all() {
        //   0 -1- 1 -1- 2 -1- 3 -1- 4      pair 0 -> 5
        //    \________10_______/             //                             5   (4-5 is a bridge)
        let edges = [
            (0, 1, 1.0),
            (1, 2, 1.0),
            (2, 3, 1.0),
            (0, 3, 10.0),
            (3, 4, 1.0),
            (4, 5, 1.0),
        ];
        let arcs: Vec<(u32, u32)> = edges
            .iter()
            .flat_map(|&(u, v, _)| [(u, v), (v, u)])
            .collect();
        let csr = Csr::from_arcs(6, &arcs).unwrap();
        let link = |a: u32| csr.input_index(a) / 2;
        let weights = vec![(0..csr.num_arcs() as u32)
            .map(|a| Some(edges[link(a) as usize].2))
            .collect()];
        let link_of_arc: Vec<u32> = (0..csr.num_arcs() as u32).map(link).collect();
        let pairs = vec![OdPair {
            sources: vec![0],
            targets: vec![5],
            weight_set: 0,
            weight: 1.0,
        }];
        let c = Criticality {
            csr: &csr,
            weight_sets: &weights,
            link_of_arc: &link_of_arc,
            links: 6,
            pairs: &pairs,
            passable: &|_| true,
        };
        let base = c.base();
        let (loss, stats) = c.single_link_with_stats(&base);
        let extra: Vec<f64> = loss.iter().map(|l| l.extra_cost).collect();
        assert_eq!(extra, vec![7.0, 7.0, 7.0, 0.0, 0.0, 0.0]);
        assert_eq!(loss[4].disconnected + loss[5].disconnected, 2);
        // 0-1, 1-2, 2-3 form one chain (nodes 1 and 2 touch nothing else): one search; 3-4 and
        // 4-5 form another chain, a bridge: none.
        assert_eq!(stats.detour_searches, 1);
        assert_eq!(stats.bridge_cuts, 1);
        assert_eq!(stats.pair_links, 5);
    }

    #[test]
    fn a_bridge_disconnects_and_a_detour_costs_its_difference() {
        //   0 -1- 1 -1- 2 ; 0 -3- 2 ; 2 -1- 3 (a bridge)
        let arcs = [
            (0, 1),
            (1, 0),
            (1, 2),
            (2, 1),
            (0, 2),
            (2, 0),
            (2, 3),
            (3, 2),
        ];
        let link = [0, 0, 1, 1, 2, 2, 3, 3];
        let w = [1.0, 1.0, 1.0, 1.0, 3.0, 3.0, 1.0, 1.0];
        let csr = Csr::from_arcs(4, &arcs).unwrap();
        let weights = vec![(0..8u32)
            .map(|a| Some(w[csr.input_index(a) as usize]))
            .collect()];
        let link_of_arc: Vec<u32> = (0..8u32)
            .map(|a| link[csr.input_index(a) as usize])
            .collect();
        let pairs = vec![OdPair {
            sources: vec![0],
            targets: vec![3],
            weight_set: 0,
            weight: 2.0,
        }];
        let c = Criticality {
            csr: &csr,
            weight_sets: &weights,
            link_of_arc: &link_of_arc,
            links: 4,
            pairs: &pairs,
            passable: &|_| true,
        };
        let base = c.base();
        assert_eq!(base.cost, vec![3.0]);
        let loss = c.single_link(&base);
        assert_eq!(
            loss[0].extra_cost, 2.0,
            "detour 0-2 costs 3 instead of 2, weight 2"
        );
        assert_eq!(loss[2].pairs_using, 0);
        assert_eq!(
            (loss[3].disconnected, loss[3].disconnected_weight),
            (1, 2.0)
        );
        let both = c.multi_link(&base, &[vec![0, 2]]);
        assert_eq!(
            both[0].disconnected, 1,
            "0-1 and 0-2 together cut node 0 off"
        );
    }
}
