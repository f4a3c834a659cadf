//! Restore: for the projects closed in a base scenario, which sets of them restore each trade
//! route, and each project's fair share of the benefit.
//!
//! For one route the input is its Pareto labels (see [`super::pareto`]): every path that is best
//! for some set of projects, with the projects it needs. From them:
//!
//! - **minimal restoring sets**: the smallest sets (no project can be dropped) whose opening makes
//!   the route reachable; `{}` alone when the base already reaches it;
//! - **minimal threshold sets**: the smallest sets that bring the cost within `threshold_pct` % of
//!   the best cost with every candidate open;
//! - **Shapley values** of the cost game `v(S) = C(empty) - C(S)`: each project's average marginal
//!   cost reduction over all orders of opening. An unreachable route has no finite cost, so
//!   `C(S)` is capped at the *unreachable cost* `U = factor x` the highest finite cost of any
//!   subset (factor [`DEFAULT_UNREACHABLE_FACTOR`]); the values then sum to `C_U(empty) - C(all)`;
//! - **reachability shares**: Shapley values of the game "reachable or not" (they sum to 1 when the
//!   candidates restore a route the base cannot reach, else to 0);
//! - **synergies**: pairs of projects that restore the route only together;
//! - **shortenings**: for a route the base already reaches, each project that alone lowers its
//!   cost; such a project *shortens* an existing connection, it does not restore one.

use super::lattice::{best_within, shapley_sampled, SubsetCosts, MAX_EXACT_PROJECTS};

/// Default multiple of the highest finite cost charged for an unreachable route.
pub const DEFAULT_UNREACHABLE_FACTOR: f64 = 2.0;

/// Permutations drawn when there are more projects than the exact lattice allows.
pub const DEFAULT_SHAPLEY_SAMPLES: usize = 2000;

/// Options of a restore analysis.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RestoreOptions {
    /// A set "restores within the threshold" when its cost is at most `(1 + pct/100)` times the
    /// cost with every candidate open.
    pub threshold_pct: f64,
    pub unreachable_factor: f64,
    pub samples: usize,
    pub seed: u64,
}

impl Default for RestoreOptions {
    fn default() -> Self {
        RestoreOptions {
            threshold_pct: 10.0,
            unreachable_factor: DEFAULT_UNREACHABLE_FACTOR,
            samples: DEFAULT_SHAPLEY_SAMPLES,
            seed: 2021,
        }
    }
}

/// What the candidate projects do for one route.
#[derive(Debug, Clone, PartialEq)]
pub struct RouteRestore {
    /// Cost with no candidate open (`f64::INFINITY` when unreachable).
    pub base_cost: f64,
    /// Cost with every candidate open.
    pub all_cost: f64,
    /// The cost charged for "unreachable" in the Shapley cost game.
    pub unreachable_cost: f64,
    /// Minimal sets of project indices that make the route reachable.
    pub restoring_sets: Vec<Vec<usize>>,
    /// The route's cost with exactly each restoring set open (parallel to `restoring_sets`).
    pub restoring_costs: Vec<f64>,
    /// For each restoring set (parallel to `restoring_sets`), the projects that, added to it,
    /// lower the route's cost by at least `threshold_pct` % while every member of the larger set
    /// stays needed (none can be dropped at the same cost), with the cost the larger set gives;
    /// cheapest first. So "Culfa–Jolfa reopened, and with Rasht–Astara as well, 40 % less".
    pub improved_by: Vec<Vec<(usize, f64)>>,
    /// Minimal sets that bring the cost within the threshold of `all_cost`, with their cost.
    pub threshold_sets: Vec<(Vec<usize>, f64)>,
    /// Shapley value of each project in the capped cost game (cost units saved).
    pub shapley: Vec<f64>,
    /// Standard error of each value (zero when exact).
    pub shapley_std_error: Vec<f64>,
    /// Shapley value of each project in the reachability game.
    pub reach_share: Vec<f64>,
    /// Pairs `(i, j)` that restore the route together while neither does alone.
    pub synergies: Vec<(usize, usize)>,
    /// For a route reachable in the base: each project that alone lowers its cost, with the cost
    /// it then has, in project order (empty when the base cannot reach the route).
    pub shortening: Vec<(usize, f64)>,
    /// Whether Shapley values were sampled (more than [`MAX_EXACT_PROJECTS`] projects).
    pub sampled: bool,
}

impl RouteRestore {
    /// How much lower `cost` is than the base cost, in percent (for a route the base reaches).
    pub fn saving_pct(&self, cost: f64) -> f64 {
        100.0 * (1.0 - cost / self.base_cost)
    }
}

fn bits(mask: u64) -> Vec<usize> {
    (0..64).filter(|i| mask & (1 << i) != 0).collect()
}

/// For each set of `sets`, the projects that shorten it by at least `pct` % and leave every
/// member of the larger set needed (see [`RouteRestore::improved_by`]); `cost` gives a set's cost.
fn improvements(
    k: usize,
    sets: &[u64],
    pct: f64,
    cost: impl Fn(u64) -> f64,
) -> Vec<Vec<(usize, f64)>> {
    sets.iter()
        .map(|&set| {
            let alone = cost(set);
            let members = bits(set);
            let mut out: Vec<(usize, f64)> = (0..k.min(64))
                .filter(|&p| set & (1u64 << p) == 0)
                .filter_map(|p| {
                    let larger = set | (1u64 << p);
                    let c = cost(larger);
                    let shorter = c <= alone * (1.0 - pct / 100.0);
                    let needed = members
                        .iter()
                        .all(|&q| cost(larger & !(1u64 << q)) > c * (1.0 + 1e-9));
                    (shorter && needed).then_some((p, c))
                })
                .collect();
            out.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
            out
        })
        .collect()
}

/// Analyses one route from its Pareto labels over `k` projects.
///
/// # Complexity
/// O(k 2^k) for k up to [`MAX_EXACT_PROJECTS`]; beyond, O(samples x k x labels) plus a search
/// for minimal sets among the labels' masks.
pub fn analyse_route(k: usize, labels: &[(u64, f64)], options: &RestoreOptions) -> RouteRestore {
    let full: u64 = if k >= 64 { u64::MAX } else { (1u64 << k) - 1 };
    let best = |s: u64| best_within(labels, s);
    let base_cost = best(0);
    let all_cost = best(full);
    let highest_finite = labels
        .iter()
        .map(|&(_, c)| c)
        .filter(|c| c.is_finite())
        .fold(0.0f64, f64::max);
    let unreachable_cost = options.unreachable_factor * highest_finite.max(f64::MIN_POSITIVE);
    let capped = move |c: f64| c.min(unreachable_cost);
    let limit = all_cost * (1.0 + options.threshold_pct / 100.0);
    let shortening: Vec<(usize, f64)> = if base_cost.is_finite() {
        (0..k.min(64))
            .map(|i| (i, best(1u64 << i)))
            .filter(|&(_, c)| c < base_cost * (1.0 - 1e-9))
            .collect()
    } else {
        Vec::new()
    };

    if k <= MAX_EXACT_PROJECTS {
        let lattice = SubsetCosts::from_labels(k, labels.iter().map(|&(m, c)| (m as u32, c)))
            .expect("k is within the exact limit and masks come from k projects");
        let restoring: Vec<u32> = lattice.minimal_sets(f64::is_finite);
        let threshold: Vec<u32> = if all_cost.is_finite() {
            lattice.minimal_sets(|c| c <= limit)
        } else {
            Vec::new()
        };
        let c_empty = capped(lattice.cost(0));
        let shapley = lattice.shapley(|c| c_empty - capped(c));
        let reach_share = lattice.shapley(|c| if c.is_finite() { 1.0 } else { 0.0 });
        let synergies = restoring
            .iter()
            .filter(|s| s.count_ones() == 2)
            .map(|&s| {
                let b = bits(s as u64);
                (b[0], b[1])
            })
            .collect();
        RouteRestore {
            base_cost,
            all_cost,
            unreachable_cost,
            restoring_sets: restoring.iter().map(|&s| bits(s as u64)).collect(),
            restoring_costs: restoring.iter().map(|&s| lattice.cost(s)).collect(),
            improved_by: improvements(
                k,
                &restoring.iter().map(|&s| s as u64).collect::<Vec<_>>(),
                options.threshold_pct,
                |s| lattice.cost(s as u32),
            ),
            threshold_sets: threshold
                .iter()
                .map(|&s| (bits(s as u64), lattice.cost(s)))
                .collect(),
            shapley_std_error: vec![0.0; k],
            shapley,
            reach_share,
            synergies,
            shortening,
            sampled: false,
        }
    } else {
        // Minimal sets are among the labels' own masks: a set is good iff it contains a good
        // label's mask, so the minimal good sets are the minimal masks of good labels.
        let minimal_masks = |good: &dyn Fn(f64) -> bool| -> Vec<u64> {
            let mut masks: Vec<u64> = labels
                .iter()
                .filter(|&&(m, _)| good(best(m)))
                .map(|&(m, _)| m)
                .collect();
            masks.sort_by_key(|&m| (m.count_ones(), m));
            masks.dedup();
            let mut out: Vec<u64> = Vec::new();
            for m in masks {
                if !out.iter().any(|&o| o & !m == 0) {
                    out.push(m);
                }
            }
            out
        };
        let restoring = minimal_masks(&|c: f64| c.is_finite());
        let threshold = if all_cost.is_finite() {
            minimal_masks(&|c: f64| c <= limit)
        } else {
            Vec::new()
        };
        let c_empty = capped(base_cost);
        let cost = shapley_sampled(
            k,
            labels,
            |c| c_empty - capped(c),
            options.samples,
            options.seed,
        );
        let reach = shapley_sampled(
            k,
            labels,
            |c| if c.is_finite() { 1.0 } else { 0.0 },
            options.samples,
            options.seed,
        );
        RouteRestore {
            base_cost,
            all_cost,
            unreachable_cost,
            synergies: restoring
                .iter()
                .filter(|s| s.count_ones() == 2)
                .map(|&s| {
                    let b = bits(s);
                    (b[0], b[1])
                })
                .collect(),
            shortening,
            restoring_sets: restoring.iter().map(|&s| bits(s)).collect(),
            restoring_costs: restoring.iter().map(|&s| best(s)).collect(),
            improved_by: improvements(k, &restoring, options.threshold_pct, best),
            threshold_sets: threshold.iter().map(|&s| (bits(s), best(s))).collect(),
            shapley: cost.values,
            shapley_std_error: cost.std_error,
            reach_share: reach.values,
            sampled: true,
        }
    }
}

/// Demand-weighted totals over routes: each project's summed Shapley value (cost units x tonnes
/// per year where the route has a demand, else x 1) and the number of routes it helps restore.
pub fn totals(routes: &[(&RouteRestore, f64)], k: usize) -> Vec<(f64, usize)> {
    (0..k)
        .map(|i| {
            let value = routes.iter().map(|(r, w)| r.shapley[i] * w).sum();
            let restores = routes
                .iter()
                .filter(|(r, _)| r.restoring_sets.iter().any(|s| s.contains(&i)))
                .count();
            (value, restores)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixture_cases_synergy_interchangeable_useless_threshold() {
        // Projects: 0 and 1 restore together (cost 800); 2 and 3 each restore alone (700 and 710);
        // 4 is never needed. Best with all open: 700. Threshold 2 %: 714 -> {2} and {3}; 1 %: {2}.
        let labels = [(0b00011, 800.0), (0b00100, 700.0), (0b01000, 710.0)];
        let mut options = RestoreOptions {
            threshold_pct: 2.0,
            ..RestoreOptions::default()
        };
        let r = analyse_route(5, &labels, &options);
        assert!(r.base_cost.is_infinite());
        assert_eq!(r.all_cost, 700.0);
        assert_eq!(r.restoring_sets, vec![vec![2], vec![3], vec![0, 1]]);
        assert_eq!(r.restoring_costs, vec![700.0, 710.0, 800.0]);
        // Nothing shortens {2} or {3} by 2 %; {0, 1} plus 2 or 3 is just {2} or {3} (0 and 1
        // are no longer needed), so no set is listed as shortened.
        assert_eq!(r.improved_by, vec![vec![], vec![], vec![]]);
        assert_eq!(r.synergies, vec![(0, 1)]);
        assert_eq!(r.threshold_sets, vec![(vec![2], 700.0), (vec![3], 710.0)]);
        options.threshold_pct = 1.0;
        assert_eq!(
            analyse_route(5, &labels, &options).threshold_sets,
            vec![(vec![2], 700.0)]
        );
        assert_eq!(r.shapley[4], 0.0);
        assert!((r.shapley[0] - r.shapley[1]).abs() < 1e-9);
        // Efficiency: values sum to C_U(empty) - C(all) = 1600 - 700.
        let sum: f64 = r.shapley.iter().sum();
        assert!((sum - (r.unreachable_cost - 700.0)).abs() < 1e-9, "{sum}");
        let reach: f64 = r.reach_share.iter().sum();
        assert!((reach - 1.0).abs() < 1e-12);
    }

    #[test]
    fn a_restoring_set_lists_what_shortens_it_with_every_member_still_needed() {
        // Project 0 restores alone (1000); 0 with 1 costs 500 (1 alone restores nothing); 2
        // restores alone at 400, so {0, 2} is just {2} and is not listed; 3 shaves 5 % only.
        let labels = [
            (0b0001u64, 1000.0),
            (0b0011, 500.0),
            (0b0100, 400.0),
            (0b1001, 950.0),
        ];
        let r = analyse_route(4, &labels, &RestoreOptions::default());
        assert_eq!(r.restoring_sets, vec![vec![0], vec![2]]);
        assert_eq!(r.improved_by, vec![vec![(1, 500.0)], vec![]]);
        // The sampled path (more projects than the exact lattice) finds the same.
        let sampled = analyse_route(24, &labels, &RestoreOptions::default());
        assert_eq!(sampled.improved_by, r.improved_by);
    }

    #[test]
    fn a_route_reachable_in_the_base_needs_nothing() {
        let labels = [(0, 1000.0), (0b1, 600.0)];
        let r = analyse_route(1, &labels, &RestoreOptions::default());
        assert_eq!(r.restoring_sets, vec![Vec::<usize>::new()]);
        assert_eq!(r.shortening, vec![(0, 600.0)]);
        assert_eq!(r.shapley, vec![400.0]);
        assert_eq!(r.reach_share, vec![0.0]);
    }

    #[test]
    fn sampled_and_exact_agree_on_minimal_sets() {
        // The same labels analysed with 3 projects (exact) and padded to 24 projects (sampled).
        let labels = [(0b011u64, 800.0), (0b100, 700.0)];
        let exact = analyse_route(3, &labels, &RestoreOptions::default());
        let sampled = analyse_route(24, &labels, &RestoreOptions::default());
        assert!(sampled.sampled && !exact.sampled);
        assert_eq!(exact.restoring_sets, sampled.restoring_sets);
        assert_eq!(exact.threshold_sets, sampled.threshold_sets);
        for i in 0..3 {
            assert!(
                (exact.shapley[i] - sampled.shapley[i]).abs()
                    <= 4.0 * sampled.shapley_std_error[i] + 1e-9
            );
        }
        assert!(sampled.shapley[3..].iter().all(|&v| v == 0.0));
    }
}
