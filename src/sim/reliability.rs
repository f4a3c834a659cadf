//! Monte Carlo disruptions: how reliable each trade route is when links and crossings close on
//! some days and make traffic wait on others.
//!
//! A draw is one day of travel. For each disruption of `disruptions.csv`, in file order, the
//! draw takes two uniform numbers from its own generator: the first decides whether the element
//! is closed (probability `closure_probability`), the second gives the extra dwell, in hours,
//! from the triangular distribution, added to every passage of the element when it is open (for
//! a link, each of its arcs; for a crossing, each arc entering it by the mode named). The
//! scenario's overlay is copied and changed accordingly ([`Overlay::set_link_open`],
//! [`Overlay::set_crossing_open`], [`Overlay::add_cost`]), and every route is searched on it.
//!
//! Draw `d` seeds its generator with [`draw_seed`]`(seed, d)`, so that what a draw samples never
//! depends on which thread runs it or in which order: draws run in parallel, results are put back
//! in draw order, and the output is identical for any thread count.
//!
//! Per route: the probability of being reachable (share of draws) with its standard error
//! `sqrt(p (1 - p) / N)`, the 50th, 90th and 99th percentiles of the cost and of the hours over
//! the draws where the route is reachable (nearest rank), and the expected extra cost over the
//! deterministic cost (the route under the scenario without disruptions), also over the
//! reachable draws.
//!
//! # Units
//! Costs in the query metric's unit; hours; probabilities in `[0, 1]`.

use rayon::prelude::*;

use crate::network::Mode;
use crate::routing::{Overlay, Query, RouteState, Router};
use crate::scenario::{Disruption, Target};
use crate::util::{SplitMix64, Tick};

/// How many draws, from which seed.
#[derive(Debug, Clone, PartialEq)]
pub struct ReliabilityOptions {
    pub draws: usize,
    pub seed: u64,
    /// Advanced by one per draw done (every query routed in it); the caller names the stage.
    pub progress: Tick,
}

/// The odd constant that spreads draw indices over the seed space (the 64-bit golden ratio, as in
/// SplitMix64 itself).
const DRAW_STRIDE: u64 = 0x9E37_79B9_7F4A_7C15;

/// The seed of draw `draw` of a run seeded with `seed`: `seed ^ (draw + 1) * K`, so that draw 0
/// does not reuse the run seed itself.
pub fn draw_seed(seed: u64, draw: u64) -> u64 {
    seed ^ draw.wrapping_add(1).wrapping_mul(DRAW_STRIDE)
}

/// What one route did in one draw: `None` when unreachable.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sample {
    pub cost: f64,
    pub hours: f64,
}

/// Reliability of one route over the draws.
#[derive(Debug, Clone, PartialEq)]
pub struct RouteReliability {
    /// The route without disruptions (`None`: unreachable in the scenario).
    pub deterministic: Option<Sample>,
    pub draws: usize,
    /// Draws in which the route is reachable.
    pub reachable: usize,
    /// `reachable / draws`.
    pub p_reachable: f64,
    /// Standard error of `p_reachable`.
    pub std_error: f64,
    /// Cost percentiles 50, 90, 99 over the reachable draws.
    pub cost_percentiles: Option<[f64; 3]>,
    /// Hours percentiles 50, 90, 99 over the reachable draws.
    pub hours_percentiles: Option<[f64; 3]>,
    /// Mean over the reachable draws of the cost minus the deterministic cost (`None` when the
    /// route is never reachable or has no deterministic cost).
    pub expected_extra_cost: Option<f64>,
    /// Each draw's outcome, in draw order.
    pub samples: Vec<Option<Sample>>,
}

/// The arcs each disruption acts on, found once.
struct Prepared<'d> {
    disruption: &'d Disruption,
    /// Arcs that pay the dwell when the element is open.
    arcs: Vec<u32>,
}

fn prepare<'d>(router: &Router, disruptions: &'d [Disruption]) -> Vec<Prepared<'d>> {
    let g = &router.graph;
    disruptions
        .iter()
        .map(|d| {
            let arcs = match d.target {
                Target::Link(l) => g.arcs_of_link(l).to_vec(),
                Target::Crossing(node, mode) => (0..g.arcs.len() as u32)
                    .filter(|&a| {
                        let info = g.arc(a);
                        info.crossing == Some(node)
                            && mode.is_none_or(|m| m == info.to_layer.mode())
                    })
                    .collect(),
            };
            Prepared {
                disruption: d,
                arcs,
            }
        })
        .collect()
}

/// The overlay of draw `draw`: `base` with each disruption's closure or dwell applied.
///
/// # Complexity
/// O(arcs) to copy the overlay, plus O(arcs) per closed crossing.
pub fn draw_overlay(
    router: &Router,
    base: &Overlay,
    disruptions: &[Disruption],
    seed: u64,
    draw: u64,
) -> Overlay {
    apply(router, base, &prepare(router, disruptions), seed, draw)
}

fn apply(router: &Router, base: &Overlay, prepared: &[Prepared], seed: u64, draw: u64) -> Overlay {
    let g = &router.graph;
    let mut overlay = base.clone();
    let mut rng = SplitMix64::new(draw_seed(seed, draw));
    for p in prepared {
        let d = p.disruption;
        // Always two numbers per disruption, so that one row's outcome never shifts another's.
        let closed = rng.next_f64() < d.closure_probability;
        let dwell = d.dwell_h.quantile(rng.next_f64());
        if closed {
            match d.target {
                Target::Link(l) => overlay.set_link_open(g, l, false),
                Target::Crossing(node, mode) => {
                    for (road, m) in [(false, Mode::Rail), (true, Mode::Road)] {
                        if mode.is_none_or(|x| x == m) {
                            overlay.set_crossing_open(g, node, road, false);
                        }
                    }
                }
            }
        } else if dwell > 0.0 {
            for &a in &p.arcs {
                overlay.add_cost(g, a, dwell, 0.0);
            }
        }
    }
    overlay
}

/// Nearest-rank percentile of sorted values (`q` in `(0, 100]`).
fn percentile(sorted: &[f64], q: f64) -> f64 {
    let n = sorted.len();
    let rank = ((q / 100.0) * n as f64).ceil() as usize;
    sorted[rank.clamp(1, n) - 1]
}

/// Runs the draws for every query under `base`.
///
/// # Arguments
/// * `router` - the compiled network.
/// * `base` - the scenario's overlay, without disruptions.
/// * `queries` - the routes (their metric is the cost sampled).
/// * `disruptions` - what may close or wait, in file order.
/// * `options` - the number of draws and the run seed.
///
/// # Returns
/// One [`RouteReliability`] per query, in order.
///
/// # Complexity
/// O(draws x (arcs + queries x (n + m) log n)), in parallel over draws.
///
/// # Examples
/// ```no_run
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use corridor::routing::{Metric, ModeSet, Query, Router};
/// use corridor::scenario::Dataset;
/// use corridor::sim::reliability::{reliability, ReliabilityOptions};
/// let data = Dataset::load("data/caucasus".as_ref())?;
/// let router = Router::new(&data.network, &data.costs)?;
/// let overlay = router.overlay(&data.resolve("baseline-2021").ok_or("no baseline")?);
/// let route = data.route("yerevan-moscow-road").ok_or("no route")?;
/// let query = Query {
///     from: route.from,
///     to: route.to,
///     cargo: route.cargo,
///     to_country: None,
///     modes: ModeSet::of(&route.modes),
///     metric: Metric::Time,
///     algorithm: Default::default(),
/// };
/// let options = ReliabilityOptions {
///     draws: 1000,
///     seed: 2021,
///     progress: Default::default(),
/// };
/// let r = reliability(&router, &overlay, &[query], &data.disruptions, &options);
/// println!("P(reachable) = {:.3} ± {:.3}", r[0].p_reachable, r[0].std_error);
/// # Ok(()) }
/// ```
pub fn reliability(
    router: &Router,
    base: &Overlay,
    queries: &[Query],
    disruptions: &[Disruption],
    options: &ReliabilityOptions,
) -> Vec<RouteReliability> {
    let deterministic = deterministic(router, base, queries);
    let draws = draw_samples(
        router,
        base,
        queries,
        disruptions,
        options.seed,
        0..options.draws as u64,
        &options.progress,
    );
    from_draws(&deterministic, &draws)
}

fn sample(router: &Router, state: &mut RouteState, overlay: &Overlay, q: &Query) -> Option<Sample> {
    router.route(q, overlay, state).map(|p| Sample {
        cost: p.cost,
        hours: p.totals.hours,
    })
}

/// Each query without disruptions.
pub fn deterministic(router: &Router, base: &Overlay, queries: &[Query]) -> Vec<Option<Sample>> {
    let mut state = RouteState::new();
    queries
        .iter()
        .map(|q| sample(router, &mut state, base, q))
        .collect()
}

/// The draws of indices `draws` (of a run seeded with `seed`): per draw, in draw order, every
/// query's sample. Draw `d` depends on `seed` and `d` only, so that a range of draws computed
/// apart (a shard) is the same as within the whole run.
pub fn draw_samples(
    router: &Router,
    base: &Overlay,
    queries: &[Query],
    disruptions: &[Disruption],
    seed: u64,
    draws: std::ops::Range<u64>,
    progress: &Tick,
) -> Vec<Vec<Option<Sample>>> {
    let prepared = prepare(router, disruptions);
    draws
        .into_par_iter()
        .map_init(RouteState::new, |state, d| {
            let overlay = apply(router, base, &prepared, seed, d);
            let samples = queries
                .iter()
                .map(|q| sample(router, state, &overlay, q))
                .collect();
            progress.advance(1);
            samples
        })
        .collect()
}

/// Each query's reliability from its deterministic sample and every draw (in draw order, each
/// with every query's sample, as [`draw_samples`] gives them).
pub fn from_draws(
    deterministic: &[Option<Sample>],
    draws: &[Vec<Option<Sample>>],
) -> Vec<RouteReliability> {
    deterministic
        .iter()
        .enumerate()
        .map(|(i, &det)| {
            let samples: Vec<Option<Sample>> = draws.iter().map(|d| d[i]).collect();
            summarise(det, samples)
        })
        .collect()
}

/// The statistics of one route's samples.
pub fn summarise(deterministic: Option<Sample>, samples: Vec<Option<Sample>>) -> RouteReliability {
    let n = samples.len();
    let ok: Vec<Sample> = samples.iter().flatten().copied().collect();
    let p = if n > 0 {
        ok.len() as f64 / n as f64
    } else {
        0.0
    };
    let se = if n > 0 {
        (p * (1.0 - p) / n as f64).sqrt()
    } else {
        0.0
    };
    let pct = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        [50.0, 90.0, 99.0].map(|q| percentile(&v, q))
    };
    let (cost_percentiles, hours_percentiles) = if ok.is_empty() {
        (None, None)
    } else {
        (
            Some(pct(ok.iter().map(|s| s.cost).collect())),
            Some(pct(ok.iter().map(|s| s.hours).collect())),
        )
    };
    let expected_extra_cost = match deterministic {
        Some(det) if !ok.is_empty() => {
            Some(ok.iter().map(|s| s.cost - det.cost).sum::<f64>() / ok.len() as f64)
        }
        _ => None,
    };
    RouteReliability {
        deterministic,
        draws: n,
        reachable: ok.len(),
        p_reachable: p,
        std_error: se,
        cost_percentiles,
        hours_percentiles,
        expected_extra_cost,
        samples,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draw_seeds_differ_and_do_not_repeat_the_run_seed() {
        let seeds: Vec<u64> = (0..1000).map(|d| draw_seed(7, d)).collect();
        let mut unique = seeds.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), seeds.len());
        assert!(!seeds.contains(&7));
    }

    #[test]
    fn nearest_rank_percentiles() {
        let v: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(percentile(&v, 50.0), 50.0);
        assert_eq!(percentile(&v, 90.0), 90.0);
        assert_eq!(percentile(&v, 99.0), 99.0);
        assert_eq!(percentile(&[3.0], 99.0), 3.0);
    }

    #[test]
    fn summary_of_mixed_samples() {
        let s = |c: f64| Some(Sample { cost: c, hours: c });
        let r = summarise(s(10.0), vec![s(10.0), None, s(14.0), s(12.0)]);
        assert_eq!(r.reachable, 3);
        assert_eq!(r.p_reachable, 0.75);
        assert!((r.std_error - (0.75f64 * 0.25 / 4.0).sqrt()).abs() < 1e-15);
        assert_eq!(r.expected_extra_cost, Some(2.0));
        assert_eq!(r.cost_percentiles, Some([12.0, 14.0, 14.0]));
    }
}
