//! Candidate projects on the compiled graph: for a base scenario and the projects closed in it,
//! which projects each arc needs, so that one Pareto search per trade route (see
//! [`super::pareto`]) prices every subset of projects at once.
//!
//! An arc is usable under a set of projects `S` when it is *physically* open (its link is open in
//! the base or opened by a project in `S`, and so is the crossing it enters, possibly by another
//! project) and the *access policy* lets the route's cargo use it (in the base, or after a project
//! in `S` adds an `allow` rule). Its alternatives are therefore every union of one link enabler,
//! one crossing enabler and one policy enabler.
//!
//! Restoration is monotone only for projects that open things: a candidate that closes a link or
//! adds a `deny` or `penalty` rule would make a superset worse, and is refused.

use rayon::prelude::*;

use crate::network::Network;
use crate::routing::{Metric, Overlay, Query, RouteState, Router};
use crate::scenario::{Action, ResolvedScenario, Scenarios, TradeRoute};
use crate::util::Tick;

use super::pareto::{pareto_labels, ArcMasks, LabelGraph, ParetoState};
use super::restore::{analyse_route, RestoreOptions, RouteRestore};

/// Why a restore analysis cannot run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CandidateError {
    #[error("unknown scenario `{0}`")]
    UnknownScenario(String),
    #[error("project `{project}` is not monotone ({why}): restoration needs projects that only open links and crossings and add `allow` rules")]
    NotMonotone { project: String, why: String },
    #[error("{0} candidate projects: at most 64 can be analysed")]
    TooMany(usize),
}

/// The candidate projects over a base, laid over the compiled graph.
#[derive(Debug, Clone)]
pub struct Candidates {
    pub base: String,
    /// Project ids, in bit order.
    pub projects: Vec<String>,
    /// Forward-star arrays of the compiled graph (the label search reads them).
    first_out: Vec<u32>,
    head: Vec<u32>,
    /// Physical enablers of each arc: `Some(0)` open in the base; bits of the projects that open
    /// it; empty when no candidate opens it.
    physical: Vec<Vec<u64>>,
    /// The base, each project alone, and everything open; for the per-route policy masks.
    base_scenario: ResolvedScenario,
    project_scenarios: Vec<ResolvedScenario>,
    all_scenario: ResolvedScenario,
}

impl Candidates {
    /// Prepares `projects` over `base` (ids of `scenarios`).
    ///
    /// # Errors
    /// An unknown id, a project that is not monotone, more than 64 projects.
    pub fn new(
        router: &Router,
        network: &Network,
        scenarios: &Scenarios,
        base: &str,
        projects: &[&str],
    ) -> Result<Candidates, CandidateError> {
        if projects.len() > 64 {
            return Err(CandidateError::TooMany(projects.len()));
        }
        let unknown = |id: &str| CandidateError::UnknownScenario(id.to_string());
        for p in projects {
            let s = scenarios.get(p).ok_or_else(|| unknown(p))?;
            check_monotone(scenarios, s.id.as_str())?;
        }
        let base_scenario = scenarios
            .resolve(network, base)
            .ok_or_else(|| unknown(base))?;
        let project_scenarios: Vec<ResolvedScenario> = projects
            .iter()
            .map(|p| {
                scenarios
                    .resolve_with(network, base, &[p])
                    .ok_or_else(|| unknown(p))
            })
            .collect::<Result<_, _>>()?;
        let all_scenario = scenarios
            .resolve_with(network, base, projects)
            .ok_or_else(|| unknown(base))?;
        let g = &router.graph;
        let base_overlay = Overlay::new(g, &base_scenario);
        let project_overlays: Vec<Overlay> = project_scenarios
            .iter()
            .map(|s| Overlay::new(g, s))
            .collect();
        let arcs = g.arcs.len();
        // An arc needs its link open and the crossing it enters open, which two different
        // projects may do: its physical enablers are the unions of one enabler of each.
        let enablers = |open: &dyn Fn(&Overlay) -> bool| -> Vec<u64> {
            if open(&base_overlay) {
                vec![0]
            } else {
                project_overlays
                    .iter()
                    .enumerate()
                    .filter(|(_, o)| open(o))
                    .map(|(i, _)| 1u64 << i)
                    .collect()
            }
        };
        let physical = (0..arcs as u32)
            .map(|a| {
                let link = enablers(&|o: &Overlay| o.arc_link_open(g, a));
                let crossing = enablers(&|o: &Overlay| o.arc_crossing_open(g, a));
                let mut alts: Vec<u64> = Vec::new();
                for &l in &link {
                    for &c in &crossing {
                        let m = l | c;
                        // Keep only minimal masks: a superset of a kept one adds nothing.
                        if !alts.iter().any(|&k| k & !m == 0) {
                            alts.retain(|&k| m & !k != 0);
                            alts.push(m);
                        }
                    }
                }
                alts
            })
            .collect();
        let n = g.csr.num_nodes();
        let mut first_out = Vec::with_capacity(n + 1);
        first_out.push(0);
        for v in 0..n as u32 {
            first_out.push(g.csr.out_arcs(v).end);
        }
        Ok(Candidates {
            base: base.to_string(),
            projects: projects.iter().map(|s| s.to_string()).collect(),
            first_out,
            head: g.csr.heads().to_vec(),
            physical,
            base_scenario,
            project_scenarios,
            all_scenario,
        })
    }

    /// The Pareto labels `(project mask, cost)` of one route.
    pub fn labels(
        &self,
        router: &Router,
        route: &TradeRoute,
        metric: Metric,
        route_state: &mut RouteState,
        pareto_state: &mut ParetoState,
    ) -> Vec<(u64, f64)> {
        let query = Query::for_route(route, metric);
        let g = &router.graph;
        // Policy enablers: the weights with everything physically open under the base's policy,
        // then under each project's.
        let with_policy = |policy_of: &ResolvedScenario| {
            let view = ResolvedScenario {
                policy: policy_of.policy.clone(),
                ..self.all_scenario.clone()
            };
            Overlay::new(g, &view)
        };
        let base_w = router.weights(&query, &with_policy(&self.base_scenario), route_state);
        let project_w: Vec<Vec<Option<f64>>> = self
            .project_scenarios
            .iter()
            .map(|s| router.weights(&query, &with_policy(s), route_state))
            .collect();
        let arcs = g.arcs.len();
        let mut cost = vec![0.0; arcs];
        let mut lists: Vec<Vec<u64>> = Vec::with_capacity(arcs);
        for a in 0..arcs {
            let (policy_masks, w): (Vec<u64>, Option<f64>) = match base_w[a] {
                Some(w) => (vec![0], Some(w)),
                None => {
                    let enablers: Vec<usize> = (0..project_w.len())
                        .filter(|&i| project_w[i][a].is_some())
                        .collect();
                    let w = enablers
                        .iter()
                        .filter_map(|&i| project_w[i][a])
                        .fold(None, |m: Option<f64>, x| Some(m.map_or(x, |m| m.min(x))));
                    (enablers.iter().map(|&i| 1u64 << i).collect(), w)
                }
            };
            let mut alts: Vec<u64> = Vec::new();
            if let Some(w) = w {
                cost[a] = w;
                for &p in &self.physical[a] {
                    for &q in &policy_masks {
                        let m = p | q;
                        if !alts.contains(&m) {
                            alts.push(m);
                        }
                    }
                }
            }
            lists.push(alts);
        }
        let masks = ArcMasks::from_lists(&lists);
        let graph = LabelGraph {
            first_out: &self.first_out,
            head: &self.head,
            cost: &cost,
            masks: &masks,
        };
        let (sources, targets) = router.endpoints(&query);
        pareto_labels(graph, &sources, |v| targets.contains(&v), pareto_state)
    }

    /// The restore analysis of every route, in parallel, in route order.
    pub fn analyse(
        &self,
        router: &Router,
        routes: &[TradeRoute],
        metric: Metric,
        options: &RestoreOptions,
    ) -> Vec<RouteRestore> {
        self.analyse_ticked(router, routes, metric, options, &Tick::none())
    }

    /// [`Candidates::analyse`], telling `progress` of a stage whose steps are the routes.
    pub fn analyse_ticked(
        &self,
        router: &Router,
        routes: &[TradeRoute],
        metric: Metric,
        options: &RestoreOptions,
        progress: &Tick,
    ) -> Vec<RouteRestore> {
        let all: Vec<&TradeRoute> = routes.iter().collect();
        self.analyse_some(router, &all, metric, options, progress)
    }

    /// [`Candidates::analyse_ticked`] on some of the routes (a shard's share), in the order given.
    pub fn analyse_some(
        &self,
        router: &Router,
        routes: &[&TradeRoute],
        metric: Metric,
        options: &RestoreOptions,
        progress: &Tick,
    ) -> Vec<RouteRestore> {
        progress.stage("routes", Some(routes.len() as u64));
        routes
            .par_iter()
            .map_init(
                || (RouteState::new(), ParetoState::new()),
                |(rs, ps), route| {
                    let labels = self.labels(router, route, metric, rs, ps);
                    let restored = analyse_route(self.projects.len(), &labels, options);
                    progress.advance(1);
                    restored
                },
            )
            .collect()
    }
}

/// A project (with its includes) must only open things and add `allow` rules.
fn check_monotone(scenarios: &Scenarios, id: &str) -> Result<(), CandidateError> {
    let s = scenarios
        .get(id)
        .ok_or_else(|| CandidateError::UnknownScenario(id.to_string()))?;
    let bad = |why: String| CandidateError::NotMonotone {
        project: id.to_string(),
        why,
    };
    if !s.close.is_empty() {
        return Err(bad(format!(
            "it closes {} links or crossings",
            s.close.len()
        )));
    }
    if let Some(rule) = s.policy.iter().find(|r| r.action != Action::Allow) {
        return Err(bad(format!("it adds a {:?} rule", rule.action)));
    }
    for inc in &s.include {
        check_monotone(scenarios, inc).map_err(|_| bad(format!("its include `{inc}` is not")))?;
    }
    Ok(())
}
