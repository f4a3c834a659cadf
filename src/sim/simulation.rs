//! A whole freight simulation of a data folder: the demand (`demand.csv`) assigned over each
//! scenario's network with capacities ([`super::freight`]), and Monte Carlo disruptions over the
//! trade routes ([`super::reliability`]), for a [`Plan`] of scenarios (the base first). `corridor
//! simulate` and `corridor run` both call [`simulate`]; `crate::output::simulation` writes it.

use crate::routing::{Metric, Query, Router};
use crate::scenario::{in_force, Dataset, ResolvedScenario, ScenarioId, TradeRoute};

use crate::util::Tick;

use super::freight::{FreightOptions, FreightProblem, FreightResult};
use super::reliability::{reliability, ReliabilityOptions, RouteReliability};

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
    let queries: Vec<Query> = routes
        .iter()
        .map(|r| Query::for_route(r, plan.metric))
        .collect();
    let options = ReliabilityOptions {
        draws: plan.draws,
        seed: plan.seed,
        progress: plan.progress.clone(),
    };
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
                reliability: reliability(router, &overlay, &queries, &drawn, &options),
            }
        })
        .collect();
    Simulation { plan, routes, runs }
}
