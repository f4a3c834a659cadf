//! A whole freight simulation of a data folder: the demand (`demand.csv`) assigned over each
//! scenario's network with capacities ([`super::freight`]), and Monte Carlo disruptions over the
//! trade routes ([`super::reliability`]), for a [`Plan`] of scenarios (the base first). `corridor
//! simulate` and `corridor run` both call [`simulate`]; `crate::output::simulation` writes it.

use crate::routing::{Metric, Query, Router};
use crate::scenario::{in_force, Dataset, ResolvedScenario, ScenarioId, TradeRoute};

use crate::util::Tick;

use super::freight::{FreightOptions, FreightProblem, FreightResult};
use super::reliability::{
    deterministic, draw_samples, from_draws, reliability, ReliabilityOptions, RouteReliability,
    Sample,
};

/// What to simulate, resolved.
pub struct Plan {
    /// Base first, then the others in the order given.
    pub scenarios: Vec<ScenarioId>,
    pub draws: usize,
    pub seed: u64,
    pub metric: Metric,
    pub freight: FreightOptions,
    /// Told of each scenario's stages (freight, then its draws, one step per draw).
    pub progress: Tick,
}

/// One scenario's results.
pub struct ScenarioRun {
    pub scenario: String,
    /// The scenario's date and the ids of the disruptions in force on it (the ones drawn).
    pub as_of: Option<String>,
    pub disruptions: Vec<String>,
    pub freight: FreightResult,
    pub reliability: Vec<RouteReliability>,
}

/// A whole simulation: the scenarios in plan order (the base first) and the routes.
pub struct Simulation<'a> {
    pub plan: &'a Plan,
    pub routes: Vec<&'a TradeRoute>,
    pub runs: Vec<ScenarioRun>,
}

/// The freight assignment and the Monte Carlo draws of every scenario of the plan.
pub fn simulate<'a>(
    data: &Dataset,
    router: &Router,
    resolved: &[ResolvedScenario],
    plan: &'a Plan,
    routes: Vec<&'a TradeRoute>,
) -> Simulation<'a> {
    simulate_with(data, router, resolved, plan, routes, None)
}

/// The Monte Carlo draws of indices `draws` of every scenario of the plan (one shard's share of
/// a simulation): per scenario, per draw, every route's sample (see [`draw_samples`]).
pub fn simulate_draws(
    data: &Dataset,
    router: &Router,
    resolved: &[ResolvedScenario],
    plan: &Plan,
    routes: &[&TradeRoute],
    draws: std::ops::Range<u64>,
) -> Vec<Vec<Vec<Option<Sample>>>> {
    let queries: Vec<Query> = routes
        .iter()
        .map(|r| Query::for_route(r, plan.metric))
        .collect();
    resolved
        .iter()
        .map(|r| {
            let overlay = router.overlay(r);
            let drawn = in_force(&data.disruptions, r.as_of);
            plan.progress.stage(
                &format!("draws under {}", r.id),
                Some(draws.end - draws.start),
            );
            draw_samples(
                router,
                &overlay,
                &queries,
                &drawn,
                plan.seed,
                draws.clone(),
                &plan.progress,
            )
        })
        .collect()
}

/// [`simulate`], with each scenario's draws given (`samples[scenario][draw][route]`, every draw
/// of the plan, from [`simulate_draws`]) instead of drawn: `corridor merge` calls it with what
/// the shards drew.
pub fn simulate_with<'a>(
    data: &Dataset,
    router: &Router,
    resolved: &[ResolvedScenario],
    plan: &'a Plan,
    routes: Vec<&'a TradeRoute>,
    samples: Option<Vec<Vec<Vec<Option<Sample>>>>>,
) -> Simulation<'a> {
    let queries: Vec<Query> = routes
        .iter()
        .map(|r| Query::for_route(r, plan.metric))
        .collect();
    let options = ReliabilityOptions {
        draws: plan.draws,
        seed: plan.seed,
        progress: plan.progress.clone(),
    };
    let mut samples = samples.map(|s| s.into_iter());
    let runs = resolved
        .iter()
        .map(|r| {
            let overlay = router.overlay(r);
            let problem = FreightProblem::new(
                router,
                &data.network,
                &overlay,
                &data.demand,
                data.capacity.as_ref(),
                plan.metric,
            );
            let drawn = in_force(&data.disruptions, r.as_of);
            plan.progress
                .stage(&format!("freight under {}", r.id), None);
            let freight = problem.solve(&plan.freight);
            let draws = Some(plan.draws as u64);
            plan.progress.stage(&format!("draws under {}", r.id), draws);
            ScenarioRun {
                scenario: r.id.clone(),
                as_of: r.as_of.map(|d| d.to_string()),
                disruptions: drawn.iter().map(|d| d.id.clone()).collect(),
                freight,
                reliability: match samples.as_mut().and_then(|s| s.next()) {
                    Some(draws) => from_draws(&deterministic(router, &overlay, &queries), &draws),
                    None => reliability(router, &overlay, &queries, &drawn, &options),
                },
            }
        })
        .collect();
    Simulation { plan, routes, runs }
}
