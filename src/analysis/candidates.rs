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
use std::collections::HashMap;

use crate::routing::{Metric, Overlay, Query, RouteState, Router, WeightsKey};
use crate::scenario::{Action, ResolvedScenario, Scenarios, TradeRoute};
use crate::util::Tick;

use super::pareto::{pareto_labels_with, ArcMasks, LabelGraph, ParetoState};
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
    /// Everything any candidate opens, open, under the base's policy: the weights of arcs the
    /// base's policy lets a route use.
    base_policy: Overlay,
    /// The same under each project's policy, for the arcs only that project's `allow` rules
    /// open; `None` for a project whose policy is the base's (a link project), whose weights
    /// are therefore the base's and enable nothing more.
    project_policies: Vec<Option<Overlay>>,
}

/// One route's arc costs and project alternatives, as the label search reads them; the same for
/// every route with the same [`WeightsKey`].
#[derive(Debug, Clone, PartialEq)]
pub struct ArcTable {
    pub cost: Vec<f64>,
    pub masks: ArcMasks,
}

/// How [`Candidates::labels_with`] works: every shortcut on (the default, what `restore` runs), or
/// every one off (the straightforward per-route computation, kept as the oracle the shortcuts
/// are tested against: identical labels).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shortcuts {
    /// Skip the weights of projects whose policy is the base's.
    pub shared_policies: bool,
    /// Stop expanding labels that a label already at a target dominates.
    pub target_pruning: bool,
}

impl Shortcuts {
    pub const ALL: Shortcuts = Shortcuts {
        shared_policies: true,
        target_pruning: true,
    };
    pub const NONE: Shortcuts = Shortcuts {
        shared_policies: false,
        target_pruning: false,
    };
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
        // Policy enablers: the weights with everything physically open under the base's policy,
        // and under each project's where it differs.
        let with_policy = |policy_of: &ResolvedScenario| {
            let view = ResolvedScenario {
                policy: policy_of.policy.clone(),
                ..all_scenario.clone()
            };
            Overlay::new(g, &view)
        };
        let base_policy = with_policy(&base_scenario);
        let project_policies = project_scenarios
            .iter()
            .map(|s| (s.policy != base_scenario.policy).then(|| with_policy(s)))
            .collect();
        Ok(Candidates {
            base: base.to_string(),
            projects: projects.iter().map(|s| s.to_string()).collect(),
            first_out,
            head: g.csr.heads().to_vec(),
            physical,
            base_policy,
            project_policies,
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
        self.labels_with(
            router,
            route,
            metric,
            route_state,
            pareto_state,
            Shortcuts::ALL,
        )
    }

    /// [`Candidates::labels`] with the shortcuts chosen (the same labels either way).
    pub fn labels_with(
        &self,
        router: &Router,
        route: &TradeRoute,
        metric: Metric,
        route_state: &mut RouteState,
        pareto_state: &mut ParetoState,
        shortcuts: Shortcuts,
    ) -> Vec<(u64, f64)> {
        let query = Query::for_route(route, metric);
        let table = self.table(router, &query, route_state, shortcuts);
        self.search(router, &query, &table, pareto_state, shortcuts)
    }

    /// The arc costs and alternatives of `query`'s routes (all with its [`WeightsKey`]).
    ///
    /// # Complexity
    /// O(arcs x (1 + projects whose policy differs from the base's)).
    pub fn table(
        &self,
        router: &Router,
        query: &Query,
        route_state: &mut RouteState,
        shortcuts: Shortcuts,
    ) -> ArcTable {
        let base_w = router.weights(query, &self.base_policy, route_state);
        // Without the shortcut, a project of the base's policy gets its own (equal) weights.
        let project_w: Vec<Option<Vec<Option<f64>>>> = self
            .project_policies
            .iter()
            .map(|o| match o {
                Some(o) => Some(router.weights(query, o, route_state)),
                None if !shortcuts.shared_policies => {
                    Some(router.weights(query, &self.base_policy, route_state))
                }
                None => None,
            })
            .collect();
        let arcs = base_w.len();
        let mut cost = vec![0.0; arcs];
        let mut offsets = Vec::with_capacity(arcs + 1);
        let mut masks: Vec<u64> = Vec::with_capacity(arcs);
        offsets.push(0u32);
        let mut policy_masks: Vec<u64> = Vec::new();
        for a in 0..arcs {
            policy_masks.clear();
            let w = match base_w[a] {
                Some(w) => {
                    policy_masks.push(0);
                    Some(w)
                }
                None => {
                    // Projects whose policy lets the route use the arc, in project order; the
                    // arc costs the least of their weights.
                    let mut w: Option<f64> = None;
                    for (i, pw) in project_w.iter().enumerate() {
                        if let Some(x) = pw.as_ref().and_then(|pw| pw[a]) {
                            policy_masks.push(1u64 << i);
                            w = Some(w.map_or(x, |m| m.min(x)));
                        }
                    }
                    w
                }
            };
            let start = masks.len();
            if let Some(w) = w {
                cost[a] = w;
                for &p in &self.physical[a] {
                    for &q in &policy_masks {
                        let m = p | q;
                        if !masks[start..].contains(&m) {
                            masks.push(m);
                        }
                    }
                }
            }
            offsets.push(masks.len() as u32);
        }
        ArcTable {
            cost,
            masks: ArcMasks { offsets, masks },
        }
    }

    /// The Pareto labels of `query` over its `table`.
    fn search(
        &self,
        router: &Router,
        query: &Query,
        table: &ArcTable,
        pareto_state: &mut ParetoState,
        shortcuts: Shortcuts,
    ) -> Vec<(u64, f64)> {
        let graph = LabelGraph {
            first_out: &self.first_out,
            head: &self.head,
            cost: &table.cost,
            masks: &table.masks,
        };
        let (sources, targets) = router.endpoints(query);
        pareto_labels_with(
            graph,
            &sources,
            |v| targets.contains(&v),
            pareto_state,
            shortcuts.target_pruning,
        )
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
    ///
    /// Routes with the same [`WeightsKey`] (cargo, end countries, modes) share one arc table,
    /// built once; the groups, and the routes in each, run in parallel.
    pub fn analyse_some(
        &self,
        router: &Router,
        routes: &[&TradeRoute],
        metric: Metric,
        options: &RestoreOptions,
        progress: &Tick,
    ) -> Vec<RouteRestore> {
        progress.stage("routes", Some(routes.len() as u64));
        let queries: Vec<Query> = routes.iter().map(|r| Query::for_route(r, metric)).collect();
        // Groups of route indices by key, in order of first appearance.
        let mut index: HashMap<WeightsKey, usize> = HashMap::new();
        let mut groups: Vec<Vec<usize>> = Vec::new();
        for (i, q) in queries.iter().enumerate() {
            let g = *index.entry(router.weights_key(q)).or_insert_with(|| {
                groups.push(Vec::new());
                groups.len() - 1
            });
            groups[g].push(i);
        }
        let found: Vec<Vec<(usize, RouteRestore)>> = groups
            .par_iter()
            .map(|members| {
                let table = self.table(
                    router,
                    &queries[members[0]],
                    &mut RouteState::new(),
                    Shortcuts::ALL,
                );
                members
                    .par_iter()
                    .map_init(ParetoState::new, |ps, &i| {
                        let labels = self.search(router, &queries[i], &table, ps, Shortcuts::ALL);
                        let restored = analyse_route(self.projects.len(), &labels, options);
                        progress.advance(1);
                        (i, restored)
                    })
                    .collect()
            })
            .collect();
        let mut out: Vec<Option<RouteRestore>> = vec![None; routes.len()];
        for (i, r) in found.into_iter().flatten() {
            out[i] = Some(r);
        }
        out.into_iter()
            .map(|r| r.expect("every route is in one group"))
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
