//! Link criticality: what losing one link (or a few together) costs the origin-destination pairs
//! that depend on it.
//!
//! The method is incremental: every pair is searched once; an inverted index lists, for each link,
//! the pairs whose best path uses it; closing a link re-searches only those pairs (a pair whose
//! best path avoids the link keeps its cost exactly). [`single_link_naive`] re-searches every pair
//! for every link and is the oracle the tests compare with.
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

use rayon::prelude::*;

use crate::routing::csr::{one_to_one, Csr, SearchState, NONE};

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

/// The best path of every pair: its cost (`INFINITY` when unreachable) and the links it uses.
#[derive(Debug, Clone, PartialEq)]
pub struct BaseRoutes {
    pub cost: Vec<f64>,
    pub links: Vec<Vec<u32>>,
}

impl Criticality<'_> {
    /// The cost of one pair with the arcs of `closed` links blocked (`closed` sorted).
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
                let mut links: Vec<u32> = arcs
                    .iter()
                    .map(|&a| self.link_of_arc[a as usize])
                    .filter(|&l| l != NONE)
                    .collect();
                links.sort_unstable();
                links.dedup();
                (state.dist(t), links)
            }
            None => (f64::INFINITY, Vec::new()),
        }
    }

    /// Every pair searched once with nothing closed, in parallel, in pair order.
    pub fn base(&self) -> BaseRoutes {
        let (cost, links): (Vec<f64>, Vec<Vec<u32>>) = self
            .pairs
            .par_iter()
            .map_init(SearchState::new, |state, p| self.search(p, &[], state))
            .unzip();
        BaseRoutes { cost, links }
    }

    /// The loss of closing `closed` (sorted link ids) for the given pairs.
    fn loss_for(
        &self,
        base: &BaseRoutes,
        pairs: &[u32],
        closed: &[u32],
        state: &mut SearchState,
    ) -> LinkLoss {
        let mut loss = LinkLoss {
            link: closed.first().copied().unwrap_or(NONE),
            pairs_using: pairs.len() as u32,
            disconnected: 0,
            disconnected_weight: 0.0,
            extra_cost: 0.0,
            cut_pairs: Vec::new(),
        };
        for &i in pairs {
            let pair = &self.pairs[i as usize];
            let (c, _) = self.search(pair, closed, state);
            if c.is_finite() {
                loss.extra_cost += pair.weight * (c - base.cost[i as usize]);
            } else {
                loss.disconnected += 1;
                loss.disconnected_weight += pair.weight;
                loss.cut_pairs.push(i);
            }
        }
        loss
    }

    /// Pairs (indices) whose best path uses each link.
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

    /// The loss of every link, re-searching only the pairs that use it.
    ///
    /// # Returns
    /// One [`LinkLoss`] per link, in link order (links no pair uses lose nothing).
    ///
    /// # Complexity
    /// One search per pair, plus one per (link, pair using it): the sum of the pairs' path
    /// lengths in links, instead of links x pairs.
    pub fn single_link(&self, base: &BaseRoutes) -> Vec<LinkLoss> {
        let users = self.users(base);
        (0..self.links as u32)
            .into_par_iter()
            .map_init(SearchState::new, |state, l| {
                self.loss_for(base, &users[l as usize], &[l], state)
            })
            .collect()
    }

    /// The loss of closing each set of links together (each set sorted, deduplicated), re-searching
    /// only the pairs whose best path uses one of them.
    pub fn multi_link(&self, base: &BaseRoutes, sets: &[Vec<u32>]) -> Vec<LinkLoss> {
        let users = self.users(base);
        sets.par_iter()
            .map_init(SearchState::new, |state, set| {
                let mut closed = set.clone();
                closed.sort_unstable();
                closed.dedup();
                let mut pairs: Vec<u32> = closed
                    .iter()
                    .flat_map(|&l| users[l as usize].iter().copied())
                    .collect();
                pairs.sort_unstable();
                pairs.dedup();
                self.loss_for(base, &pairs, &closed, state)
            })
            .collect()
    }
}

/// The oracle: every pair re-searched for every link, whether its path uses the link or not.
///
/// # Complexity
/// links x pairs searches.
pub fn single_link_naive(c: &Criticality<'_>, base: &BaseRoutes) -> Vec<LinkLoss> {
    let all: Vec<u32> = (0..c.pairs.len() as u32)
        .filter(|&i| base.cost[i as usize].is_finite())
        .collect();
    (0..c.links as u32)
        .into_par_iter()
        .map_init(SearchState::new, |state, l| {
            let mut loss = c.loss_for(base, &all, &[l], state);
            // Pairs whose cost did not change did not use the link.
            loss.pairs_using = 0;
            loss
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::util::SplitMix64;

    /// A random graph whose links are pairs of opposite arcs (some one-way), with random pairs.
    fn random_case(rng: &mut SplitMix64) -> (Csr, Vec<Option<f64>>, Vec<u32>, usize, Vec<OdPair>) {
        let n = 2 + rng.below(9) as u32;
        let links = rng.below(3 * n as u64) as usize;
        let mut arcs = Vec::new();
        let mut link_of = Vec::new();
        let mut w = Vec::new();
        for l in 0..links {
            let (u, v) = (rng.below(n as u64) as u32, rng.below(n as u64) as u32);
            let cost = 1.0 + rng.below(5) as f64; // integers: ties are exact
            arcs.push((u, v));
            link_of.push(l as u32);
            w.push(cost);
            if rng.chance(0.8) {
                arcs.push((v, u));
                link_of.push(l as u32);
                w.push(cost);
            }
        }
        let csr = Csr::from_arcs(n as usize, &arcs).unwrap();
        let weights: Vec<Option<f64>> = (0..csr.num_arcs() as u32)
            .map(|a| Some(w[csr.input_index(a) as usize]))
            .collect();
        let link_of_arc: Vec<u32> = (0..csr.num_arcs() as u32)
            .map(|a| link_of[csr.input_index(a) as usize])
            .collect();
        let pairs = (0..1 + rng.below(6))
            .map(|_| OdPair {
                sources: vec![rng.below(n as u64) as u32],
                targets: vec![rng.below(n as u64) as u32],
                weight_set: 0,
                weight: 1.0 + rng.below(3) as f64,
            })
            .collect();
        (csr, weights, link_of_arc, links, pairs)
    }

    #[test]
    fn incremental_equals_naive_exactly_on_random_graphs() {
        for seed in 0..400u64 {
            let mut rng = SplitMix64::new(seed);
            let (csr, weights, link_of_arc, links, pairs) = random_case(&mut rng);
            let sets = vec![weights];
            let c = Criticality {
                csr: &csr,
                weight_sets: &sets,
                link_of_arc: &link_of_arc,
                links,
                pairs: &pairs,
                passable: &|_| true,
            };
            let base = c.base();
            let fast = c.single_link(&base);
            let slow = single_link_naive(&c, &base);
            for (f, s) in fast.iter().zip(&slow) {
                assert_eq!(
                    (
                        f.disconnected,
                        f.disconnected_weight,
                        f.extra_cost,
                        &f.cut_pairs
                    ),
                    (
                        s.disconnected,
                        s.disconnected_weight,
                        s.extra_cost,
                        &s.cut_pairs
                    ),
                    "seed {seed}, link {}: {f:?} vs {s:?}",
                    f.link
                );
            }
            // Closing a set equals closing its single link when the set has one link.
            let singles: Vec<Vec<u32>> = (0..links as u32).map(|l| vec![l]).collect();
            let multi = c.multi_link(&base, &singles);
            assert_eq!(multi, fast, "seed {seed}");
        }
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
