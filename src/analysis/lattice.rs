//! The subset lattice of candidate projects: from the Pareto labels of one route (each a set of
//! projects a path needs and that path's cost), the best cost of every subset of projects, the
//! minimal subsets that restore the route, and each project's Shapley value.
//!
//! ```text
//!   labels (mask, cost)          best[S] = min { cost : mask ⊆ S }
//!   {}   -> inf (none)           best[{}]    = inf
//!   {a}  -> 900                  best[{a}]   = 900
//!   {a,b}-> 500                  best[{b}]   = inf     minimal restoring sets: {a}
//!                                best[{a,b}] = 500     within 10 % of best:    {a,b}
//! ```
//!
//! Masks are `u32` bit sets over at most [`MAX_EXACT_PROJECTS`] projects for the exact lattice;
//! beyond that, [`shapley_sampled`] works from the labels directly.

/// The most projects for which the whole lattice (2^k costs) is built.
pub const MAX_EXACT_PROJECTS: usize = 20;

/// The best cost of every subset of `k` projects.
#[derive(Debug, Clone, PartialEq)]
pub struct SubsetCosts {
    k: usize,
    best: Vec<f64>,
}

impl SubsetCosts {
    /// Builds the lattice from Pareto labels: `best[S]` is the least cost of a label whose mask is
    /// a subset of `S` (`f64::INFINITY` when none is).
    ///
    /// # Arguments
    /// * `k` - number of projects, at most [`MAX_EXACT_PROJECTS`].
    /// * `labels` - `(mask, cost)` pairs; bits at or above `k` are a caller bug and are rejected.
    ///
    /// # Returns
    /// `None` when `k` is too large or a mask has bits outside `k`.
    ///
    /// # Complexity
    /// O(k 2^k + labels) time, 2^k memory: a subset-minimum (zeta) transform over the lattice.
    ///
    /// # Examples
    /// ```
    /// use corridor::analysis::lattice::SubsetCosts;
    /// let lattice = SubsetCosts::from_labels(2, [(0b01, 900.0), (0b11, 500.0)]).ok_or("k")?;
    /// assert_eq!(lattice.cost(0b00), f64::INFINITY);
    /// assert_eq!(lattice.cost(0b01), 900.0);
    /// assert_eq!(lattice.cost(0b11), 500.0);
    /// # Ok::<(), &str>(())
    /// ```
    pub fn from_labels(k: usize, labels: impl IntoIterator<Item = (u32, f64)>) -> Option<Self> {
        if k > MAX_EXACT_PROJECTS {
            return None;
        }
        let size = 1usize << k;
        let mut best = vec![f64::INFINITY; size];
        for (mask, cost) in labels {
            let m = mask as usize;
            if m >= size {
                return None;
            }
            if cost < best[m] {
                best[m] = cost;
            }
        }
        for bit in 0..k {
            let b = 1usize << bit;
            for s in 0..size {
                if s & b != 0 {
                    let without = best[s ^ b];
                    if without < best[s] {
                        best[s] = without;
                    }
                }
            }
        }
        Some(SubsetCosts { k, best })
    }

    pub fn projects(&self) -> usize {
        self.k
    }

    /// The full set of projects.
    pub fn all(&self) -> u32 {
        ((1u64 << self.k) - 1) as u32
    }

    /// Best cost with exactly the projects of `mask` open.
    pub fn cost(&self, mask: u32) -> f64 {
        self.best[mask as usize]
    }

    /// Every minimal subset `S` for which `good(best[S])` holds, where `good` is monotone (a
    /// superset of a good set is good, as lower costs stay lower). Sorted by size, then mask.
    ///
    /// # Complexity
    /// O(k 2^k): a set is minimal when it is good and no set with one project fewer is.
    pub fn minimal_sets(&self, good: impl Fn(f64) -> bool) -> Vec<u32> {
        let mut out: Vec<u32> = (0..self.best.len())
            .filter(|&s| {
                good(self.best[s])
                    && (0..self.k)
                        .all(|bit| s & (1 << bit) == 0 || !good(self.best[s ^ (1 << bit)]))
            })
            .map(|s| s as u32)
            .collect();
        out.sort_by_key(|&s| (s.count_ones(), s));
        out
    }

    /// Exact Shapley values of the game `v(S) = value(best[S])`.
    ///
    /// `phi_i = sum over S not containing i of |S|! (k-|S|-1)! / k! * (v(S + i) - v(S))`; the values
    /// sum to `v(all) - v(empty)` (efficiency).
    ///
    /// # Complexity
    /// O(k 2^k).
    pub fn shapley(&self, value: impl Fn(f64) -> f64) -> Vec<f64> {
        let k = self.k;
        if k == 0 {
            return Vec::new();
        }
        let v: Vec<f64> = self.best.iter().map(|&c| value(c)).collect();
        let weights = shapley_weights(k);
        let mut phi = vec![0.0; k];
        // The full set has no project left to add.
        for (s, &vs) in v.iter().enumerate().take(v.len() - 1) {
            let w = weights[(s as u32).count_ones() as usize];
            for (i, p) in phi.iter_mut().enumerate() {
                if s & (1 << i) == 0 {
                    *p += w * (v[s | (1 << i)] - vs);
                }
            }
        }
        phi
    }
}

/// `w[s] = s! (k-s-1)! / k!` for `s` in `0..k`, computed as `1 / (k * C(k-1, s))` to stay exact
/// enough in f64 for k up to 64.
fn shapley_weights(k: usize) -> Vec<f64> {
    let mut binom = 1.0f64; // C(k-1, s)
    let mut w = Vec::with_capacity(k);
    for s in 0..k {
        w.push(1.0 / (k as f64 * binom));
        binom = binom * (k - 1 - s) as f64 / (s + 1) as f64;
    }
    w
}

/// The least cost of a label whose mask is a subset of `set` (`f64::INFINITY` when none is): the
/// best cost with exactly the projects of `set` open, straight from the labels.
///
/// # Complexity
/// O(labels).
pub fn best_within(labels: &[(u64, f64)], set: u64) -> f64 {
    labels
        .iter()
        .filter(|(m, _)| m & !set == 0)
        .map(|&(_, c)| c)
        .fold(f64::INFINITY, f64::min)
}

/// Shapley values estimated from random orders of the projects, for more projects than the exact
/// lattice allows.
#[derive(Debug, Clone, PartialEq)]
pub struct SampledShapley {
    pub values: Vec<f64>,
    /// Standard error of each value (sample standard deviation / sqrt(samples)).
    pub std_error: Vec<f64>,
    pub samples: usize,
    pub seed: u64,
}

/// Shapley values by sampling `samples` permutations, seeded: `v(S) = value(min cost of a label
/// whose mask is a subset of S)`, with masks over up to 64 projects.
///
/// # Complexity
/// O(samples * k * labels).
pub fn shapley_sampled(
    k: usize,
    labels: &[(u64, f64)],
    value: impl Fn(f64) -> f64,
    samples: usize,
    seed: u64,
) -> SampledShapley {
    let best = |s: u64| best_within(labels, s);
    let mut rng = crate::util::SplitMix64::new(seed);
    let mut sum = vec![0.0; k];
    let mut sum_sq = vec![0.0; k];
    let mut order: Vec<usize> = (0..k).collect();
    for _ in 0..samples {
        rng.shuffle(&mut order);
        let mut s = 0u64;
        let mut v_prev = value(best(s));
        for &i in &order {
            s |= 1 << i;
            let v = value(best(s));
            let marginal = v - v_prev;
            sum[i] += marginal;
            sum_sq[i] += marginal * marginal;
            v_prev = v;
        }
    }
    let n = samples.max(1) as f64;
    let values: Vec<f64> = sum.iter().map(|s| s / n).collect();
    let std_error = (0..k)
        .map(|i| {
            if samples < 2 {
                return f64::INFINITY;
            }
            let var = (sum_sq[i] - sum[i] * sum[i] / n) / (n - 1.0);
            (var.max(0.0) / n).sqrt()
        })
        .collect();
    SampledShapley {
        values,
        std_error,
        samples,
        seed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::util::SplitMix64;

    /// Brute force: best[S] straight from the labels.
    fn brute_best(labels: &[(u32, f64)], s: u32) -> f64 {
        labels
            .iter()
            .filter(|(m, _)| m & !s == 0)
            .map(|&(_, c)| c)
            .fold(f64::INFINITY, f64::min)
    }

    /// Brute force: Shapley over every permutation.
    fn brute_shapley(k: usize, v: impl Fn(u32) -> f64) -> Vec<f64> {
        fn permutations(items: Vec<usize>) -> Vec<Vec<usize>> {
            if items.len() <= 1 {
                return vec![items];
            }
            let mut out = Vec::new();
            for i in 0..items.len() {
                let mut rest = items.clone();
                let x = rest.remove(i);
                for mut p in permutations(rest) {
                    p.insert(0, x);
                    out.push(p);
                }
            }
            out
        }
        let perms = permutations((0..k).collect());
        let mut phi = vec![0.0; k];
        for p in &perms {
            let mut s = 0u32;
            for &i in p {
                phi[i] += v(s | 1 << i) - v(s);
                s |= 1 << i;
            }
        }
        phi.iter().map(|x| x / perms.len() as f64).collect()
    }

    fn random_labels(rng: &mut SplitMix64, k: usize) -> Vec<(u32, f64)> {
        let n = rng.below(6) as usize;
        (0..n)
            .map(|_| {
                let mask = (rng.next_u64() as u32) & ((1u32 << k) - 1);
                // Few projects per label, like real paths.
                let mask = mask & (rng.next_u64() as u32);
                (mask, 100.0 + rng.below(900) as f64)
            })
            .collect()
    }

    #[test]
    fn lattice_and_minimal_sets_match_brute_force_on_random_cases() {
        for seed in 0..300u64 {
            let mut rng = SplitMix64::new(seed);
            let k = 1 + rng.below(6) as usize;
            let labels = random_labels(&mut rng, k);
            let lattice = SubsetCosts::from_labels(k, labels.iter().copied()).unwrap();
            for s in 0..(1u32 << k) {
                assert_eq!(
                    lattice.cost(s),
                    brute_best(&labels, s),
                    "seed {seed} labels {labels:?} set {s:b}"
                );
            }
            for threshold in [f64::INFINITY, 600.0] {
                let good = |c: f64| c < threshold || (threshold.is_infinite() && c.is_finite());
                let fast = lattice.minimal_sets(good);
                // Brute force: good sets none of whose proper subsets is good.
                let mut slow: Vec<u32> = (0..(1u32 << k))
                    .filter(|&s| good(brute_best(&labels, s)))
                    .filter(|&s| {
                        (0..s).all(|t| t & !s != 0 || t == s || !good(brute_best(&labels, t)))
                    })
                    .collect();
                slow.sort_by_key(|&s| (s.count_ones(), s));
                assert_eq!(
                    fast, slow,
                    "seed {seed} labels {labels:?} threshold {threshold}"
                );
            }
        }
    }

    #[test]
    fn exact_shapley_matches_permutations_and_is_efficient() {
        for seed in 0..200u64 {
            let mut rng = SplitMix64::new(1000 + seed);
            let k = 1 + rng.below(5) as usize;
            let labels = random_labels(&mut rng, k);
            let lattice = SubsetCosts::from_labels(k, labels.iter().copied()).unwrap();
            let cap = 2000.0;
            let value = |c: f64| cap - c.min(cap);
            let fast = lattice.shapley(value);
            let slow = brute_shapley(k, |s| value(brute_best(&labels, s)));
            for i in 0..k {
                assert!(
                    (fast[i] - slow[i]).abs() < 1e-9,
                    "seed {seed}: {fast:?} vs {slow:?}"
                );
            }
            let total: f64 = fast.iter().sum();
            let reduction = value(lattice.cost(lattice.all())) - value(lattice.cost(0));
            assert!(
                (total - reduction).abs() < 1e-9,
                "seed {seed}: efficiency {total} vs {reduction}"
            );
        }
    }

    #[test]
    fn synergy_interchangeable_and_useless_projects() {
        // a and b restore only together; c and d are interchangeable; e is never needed.
        //   bits: a=0 b=1 c=2 d=3 e=4
        let labels = [(0b00011, 800.0), (0b00100, 700.0), (0b01000, 700.0)];
        let lattice = SubsetCosts::from_labels(5, labels).unwrap();
        let minimal = lattice.minimal_sets(f64::is_finite);
        assert_eq!(minimal, vec![0b00100, 0b01000, 0b00011]);
        let phi = lattice.shapley(|c| 1000.0 - c.min(1000.0));
        assert_eq!(phi[4], 0.0, "a project that is never needed gets nothing");
        assert!(
            (phi[2] - phi[3]).abs() < 1e-12,
            "interchangeable projects share equally"
        );
        assert!(
            (phi[0] - phi[1]).abs() < 1e-12,
            "synergy partners share equally"
        );
    }

    #[test]
    fn sampled_shapley_converges_to_the_exact_values() {
        let labels32 = [(0b0011u32, 800.0), (0b0100, 700.0), (0b1000, 650.0)];
        let lattice = SubsetCosts::from_labels(4, labels32).unwrap();
        let value = |c: f64| 1000.0 - c.min(1000.0);
        let exact = lattice.shapley(value);
        let labels64: Vec<(u64, f64)> = labels32.iter().map(|&(m, c)| (m as u64, c)).collect();
        let sampled = shapley_sampled(4, &labels64, value, 4000, 7);
        for i in 0..4 {
            let err = (sampled.values[i] - exact[i]).abs();
            assert!(
                err <= 4.0 * sampled.std_error[i] + 1e-9,
                "project {i}: {sampled:?} vs {exact:?}"
            );
        }
        assert_eq!(
            sampled,
            shapley_sampled(4, &labels64, value, 4000, 7),
            "same seed, same answer"
        );
    }

    #[test]
    fn too_many_projects_or_stray_bits_are_refused() {
        assert!(SubsetCosts::from_labels(21, []).is_none());
        assert!(SubsetCosts::from_labels(2, [(0b100, 1.0)]).is_none());
    }
}
