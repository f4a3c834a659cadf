//! A study of one data folder: the network compiled once, every scenario laid over it once, and
//! the questions of a run asked of them: compare scenarios, restore routes with projects, judge
//! the seed's claims.
//!
//! Everything here is parallel over independent units (scenario x route, routes) with
//! per-thread search state, and every result comes back in a fixed order.

use std::collections::HashMap;

use rayon::prelude::*;

use crate::network::{Country, NodeId, NodeKind};
use crate::routing::csr::{one_to_all, Csr, CsrError, SearchState};
use crate::routing::{ArcKind, Metric, Overlay, Path, Query, RouteState, Router};
use crate::scenario::{Dataset, LookupError, ResolvedScenario, Scenarios, Target, TradeRoute};

use crate::util::Tick;

use super::candidates::{CandidateError, Candidates};
use super::claims::{evaluate, Claim, ClaimResult, RouteCheck, VIA_TOLERANCE};
use super::compare::{self, Cell, Outcome};
use super::restore::{RestoreOptions, RouteRestore};

/// Why a study cannot be set up.
#[derive(Debug, thiserror::Error)]
pub enum StudyError {
    #[error("compiling the network: {0}")]
    Compile(#[from] CsrError),
    #[error(transparent)]
    Lookup(#[from] LookupError),
    #[error(transparent)]
    Candidates(#[from] CandidateError),
}

/// A data folder ready to be questioned.
pub struct Study<'a> {
    pub data: &'a Dataset,
    pub router: Router,
    pub metric: Metric,
    overlays: HashMap<String, Overlay>,
    resolved: HashMap<String, ResolvedScenario>,
    /// The compiled graph reversed (arc `i` of it is forward arc `input_index(i)`), for the
    /// backward searches of `via` tests.
    reverse: Csr,
    /// Told of the stages of the long questions (critical, restore); nobody by default.
    pub progress: Tick,
}

/// A candidate of a restore question as people read it: its kind and what it opens.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub id: String,
    pub name: String,
    /// `link` (works), `policy` (a political decision), or `package` for a candidate that is no
    /// project (a composite named with `--candidates`).
    pub kind: &'static str,
    /// Names of the links and crossings it opens (with its includes), in file order.
    pub opens: Vec<String>,
    /// The access rules it adds (with its includes), in plain words, in file order.
    pub rules: Vec<String>,
}

impl Member {
    fn of(data: &Dataset, id: &str) -> Member {
        let Some(s) = data.scenarios.get(id) else {
            return Member {
                id: id.to_string(),
                name: id.to_string(),
                kind: "package",
                opens: Vec::new(),
                rules: Vec::new(),
            };
        };
        let mut opens = Vec::new();
        let mut rules = Vec::new();
        opened(data, &data.scenarios, id, &mut opens, &mut rules);
        Member {
            id: id.to_string(),
            name: s.name.clone(),
            kind: s.kind.map_or("package", |k| k.as_str()),
            opens,
            rules,
        }
    }

    /// What it does, in words: the links it opens, then the rules it adds (`;`-joined), or
    /// "nothing" for a candidate that changes neither.
    pub fn does(&self) -> String {
        let mut parts = Vec::new();
        if !self.opens.is_empty() {
            parts.push(format!("opens {}", self.opens.join(", ")));
        }
        parts.extend(self.rules.iter().cloned());
        if parts.is_empty() {
            "nothing".into()
        } else {
            parts.join("; ")
        }
    }

    /// Id, kind and name, with what it does (see [`Member::does`]):
    /// `meghri-rail [link] “Southern railway …”, opens A, B`.
    pub fn label(&self) -> String {
        let head = format!("{} [{}] “{}”", self.id, self.kind, self.name);
        if self.opens.is_empty() && self.rules.is_empty() {
            head
        } else {
            format!("{head}, {}", self.does())
        }
    }
}

/// The names of what scenario `id` opens, and its rules in words, its includes first (each once).
fn opened(
    data: &Dataset,
    scenarios: &Scenarios,
    id: &str,
    out: &mut Vec<String>,
    rules: &mut Vec<String>,
) {
    let Some(s) = scenarios.get(id) else { return };
    for inc in &s.include {
        opened(data, scenarios, inc, out, rules);
    }
    let net = &data.network;
    for r in &s.policy {
        let words = r.describe(net);
        if !rules.contains(&words) {
            rules.push(words);
        }
    }
    for t in &s.open {
        let name = match *t {
            Target::Link(l) => net.link(l).name.clone(),
            Target::Crossing(n, None) => net.node(n).name.clone(),
            Target::Crossing(n, Some(m)) => format!("{} ({})", net.node(n).name, m.as_str()),
        };
        if !out.contains(&name) {
            out.push(name);
        }
    }
}

/// What the restore question found.
#[derive(Debug, Clone)]
pub struct RestoreReport {
    pub base: String,
    pub projects: Vec<String>,
    /// The candidates as people read them, parallel to `projects`.
    pub members: Vec<Member>,
    /// One per route, in route order.
    pub routes: Vec<RouteRestore>,
    pub options: RestoreOptions,
}

impl RestoreReport {
    /// The kinds of a set's members, `+`-joined in set order (`link+policy`; `{}` when empty).
    pub fn set_kinds(&self, set: &[usize]) -> String {
        if set.is_empty() {
            return "{}".into();
        }
        set.iter()
            .map(|&i| self.members[i].kind)
            .collect::<Vec<_>>()
            .join("+")
    }

    /// A set for people: each member's label (see [`Member::label`]), ` + `-joined.
    pub fn set_label(&self, set: &[usize]) -> String {
        if set.is_empty() {
            return "{} (nothing needed)".into();
        }
        set.iter()
            .map(|&i| self.members[i].label())
            .collect::<Vec<_>>()
            .join(" + ")
    }
}

impl<'a> Study<'a> {
    /// Compiles the network and resolves every scenario of the data folder.
    ///
    /// # Errors
    /// [`StudyError::Compile`] when the network does not fit the compiled graph's `u32` ids.
    pub fn new(data: &'a Dataset, metric: Metric) -> Result<Study<'a>, StudyError> {
        let router = Router::new(&data.network, &data.costs)?;
        let mut overlays = HashMap::new();
        let mut resolved = HashMap::new();
        for id in data.scenarios.ids() {
            let r = data.resolve(id).ok_or_else(|| data.unknown_scenario(id))?;
            overlays.insert(id.to_string(), router.overlay(&r));
            resolved.insert(id.to_string(), r);
        }
        let g = &router.graph.csr;
        let reversed: Vec<(u32, u32)> = (0..g.num_arcs() as u32)
            .map(|a| (g.head(a), g.tail(a)))
            .collect();
        let reverse = Csr::from_arcs(g.num_nodes(), &reversed)?;
        Ok(Study {
            data,
            router,
            metric,
            overlays,
            resolved,
            reverse,
            progress: Tick::none(),
        })
    }

    /// A scenario of the data folder, resolved.
    ///
    /// # Errors
    /// [`LookupError::UnknownScenario`] for an id the data folder does not have.
    pub fn resolved(&self, scenario: &str) -> Result<&ResolvedScenario, LookupError> {
        self.resolved
            .get(scenario)
            .ok_or_else(|| self.unknown(scenario))
    }

    fn unknown(&self, scenario: &str) -> LookupError {
        self.data.unknown_scenario(scenario)
    }

    fn query(&self, route: &TradeRoute) -> Query {
        Query::for_route(route, self.metric)
    }

    /// The best path of a route under a scenario; `Ok(None)` when the route is unreachable.
    ///
    /// # Errors
    /// [`LookupError::UnknownScenario`] for an id the data folder does not have.
    pub fn best(
        &self,
        route: &TradeRoute,
        scenario: &str,
        state: &mut RouteState,
    ) -> Result<Option<Path>, LookupError> {
        let overlay = self
            .overlays
            .get(scenario)
            .ok_or_else(|| self.unknown(scenario))?;
        Ok(self.router.route(&self.query(route), overlay, state))
    }

    /// A path as the comparison sees it; `None` is unreachable.
    pub fn outcome(&self, path: Option<&Path>) -> Outcome {
        let Some(p) = path else {
            return Outcome::unreachable();
        };
        let mut countries: Vec<String> = Vec::new();
        for c in p.countries.iter().filter_map(|c| c.country) {
            let name = c.name().to_string();
            if !countries.contains(&name) {
                countries.push(name);
            }
        }
        Outcome {
            reachable: true,
            km: p.totals.km,
            hours: p.totals.hours,
            usd_per_t: p.totals.usd_per_t,
            cost: p.cost,
            borders: p
                .borders
                .iter()
                .map(|&b| self.router.place_name(b).to_string())
                .collect(),
            countries,
            places: p
                .nodes
                .iter()
                .map(|&v| self.router.place_name(v).to_string())
                .collect(),
            transfers: p.transfers.len(),
            summary: p.summary.clone(),
        }
    }

    /// Every route under every scenario, compared with each scenario's base.
    pub fn compare(&self, scenarios: &[&str], routes: &[&TradeRoute]) -> Vec<Cell> {
        let (pairs, ids) = self.compare_question(scenarios, routes);
        let all: Vec<usize> = (0..compare::needed(&pairs).len() * ids.len()).collect();
        compare::compare_from(&pairs, &ids, &self.compare_some(scenarios, routes, &all))
    }

    /// The scenarios with their bases, and the route ids, of a comparison.
    pub fn compare_question(
        &self,
        scenarios: &[&str],
        routes: &[&TradeRoute],
    ) -> (Vec<(String, Option<String>)>, Vec<String>) {
        let pairs: Vec<(String, Option<String>)> = scenarios
            .iter()
            .map(|s| {
                let base = self.data.scenarios.get(s).and_then(|x| x.base.clone());
                (s.to_string(), base)
            })
            .collect();
        (pairs, routes.iter().map(|r| r.id.clone()).collect())
    }

    /// The evaluations of indices `which` of a comparison (route `k % routes` under scenario
    /// `k / routes` of [`compare::needed`]): a shard's share of [`Study::compare`].
    pub fn compare_some(
        &self,
        scenarios: &[&str],
        routes: &[&TradeRoute],
        which: &[usize],
    ) -> Vec<Outcome> {
        let (pairs, ids) = self.compare_question(scenarios, routes);
        let by_id: HashMap<&str, &TradeRoute> =
            routes.iter().map(|r| (r.id.as_str(), *r)).collect();
        // A thread-local search state, reused across the cells a thread evaluates.
        thread_local! {
            static STATE: std::cell::RefCell<RouteState> = std::cell::RefCell::new(RouteState::new());
        }
        compare::evaluate_some(&pairs, &ids, which, |route, scenario| {
            STATE.with(|s| {
                // An unknown scenario has no path: callers pass the data's own ids.
                let path = self
                    .best(by_id[route], scenario, &mut s.borrow_mut())
                    .ok()
                    .flatten();
                self.outcome(path.as_ref())
            })
        })
    }

    /// Which sets of `projects` restore each route over `base`, and each project's share.
    ///
    /// # Errors
    /// An unknown scenario, or a project that is not monotone.
    pub fn restore(
        &self,
        base: &str,
        projects: &[&str],
        options: &RestoreOptions,
    ) -> Result<RestoreReport, StudyError> {
        let cands = self.candidates(base, projects)?;
        let routes = cands.analyse_ticked(
            &self.router,
            &self.data.routes,
            self.metric,
            options,
            &self.progress,
        );
        Ok(self.report_of(base, &cands, options, routes))
    }

    /// [`Study::restore`] on the routes of indices `routes` only (a shard's share), in that
    /// order.
    ///
    /// # Errors
    /// An unknown scenario, or a project that is not monotone.
    pub fn restore_routes(
        &self,
        base: &str,
        projects: &[&str],
        options: &RestoreOptions,
        routes: &[usize],
    ) -> Result<Vec<RouteRestore>, StudyError> {
        let cands = self.candidates(base, projects)?;
        let some: Vec<&TradeRoute> = routes.iter().map(|&i| &self.data.routes[i]).collect();
        Ok(cands.analyse_some(&self.router, &some, self.metric, options, &self.progress))
    }

    /// The report of [`Study::restore`] from every route's analysis (in route order), as
    /// `corridor merge` assembles it from the shards.
    ///
    /// # Errors
    /// An unknown scenario, or a project that is not monotone.
    pub fn restore_from(
        &self,
        base: &str,
        projects: &[&str],
        options: &RestoreOptions,
        routes: Vec<RouteRestore>,
    ) -> Result<RestoreReport, StudyError> {
        let cands = self.candidates(base, projects)?;
        Ok(self.report_of(base, &cands, options, routes))
    }

    fn candidates(&self, base: &str, projects: &[&str]) -> Result<Candidates, StudyError> {
        Ok(Candidates::new(
            &self.router,
            &self.data.network,
            &self.data.scenarios,
            base,
            projects,
        )?)
    }

    fn report_of(
        &self,
        base: &str,
        cands: &Candidates,
        options: &RestoreOptions,
        routes: Vec<RouteRestore>,
    ) -> RestoreReport {
        RestoreReport {
            base: base.to_string(),
            projects: cands.projects.clone(),
            members: cands
                .projects
                .iter()
                .map(|p| Member::of(self.data, p))
                .collect(),
            routes,
            options: *options,
        }
    }

    /// The verdict on every claim.
    pub fn claims(&self, claims: &[Claim]) -> Vec<ClaimResult> {
        claims
            .par_iter()
            .map_init(
                || (RouteState::new(), SearchState::new(), SearchState::new()),
                |(rs, fwd, bwd), claim| {
                    evaluate(claim, |route_id, scenario| {
                        self.check_claim_route(claim, route_id, scenario, rs, fwd, bwd)
                    })
                },
            )
            .collect()
    }

    fn check_claim_route(
        &self,
        claim: &Claim,
        route_id: &str,
        scenario: &str,
        rs: &mut RouteState,
        fwd: &mut SearchState,
        bwd: &mut SearchState,
    ) -> RouteCheck {
        let Some(route) = self.data.route(route_id) else {
            return RouteCheck {
                best: Outcome::unreachable(),
                best_passes: false,
                passing: None,
                detour: None,
            };
        };
        // Claims name only scenarios of the data (checked when they are loaded).
        let best_path = self.best(route, scenario, rs).ok().flatten();
        let best = self.outcome(best_path.as_ref());
        if claim.via.is_empty() || best_path.is_none() {
            let passing = best.reachable.then(|| best.clone());
            return RouteCheck {
                best_passes: best.reachable,
                best,
                passing,
                detour: None,
            };
        }
        let path = best_path.expect("checked above");
        if claim.via.iter().all(|v| self.path_passes(&path, v)) {
            return RouteCheck {
                best_passes: true,
                passing: Some(best.clone()),
                best,
                detour: None,
            };
        }
        // The best path that passes every via place: the best walk through each of them; it
        // counts when it is a simple path within the tolerance of the best (the figures show
        // the first place's).
        let mut passing = None;
        let mut detour = None;
        for (i, v) in claim.via.iter().enumerate() {
            let Some((o, simple)) = self.best_via(route, scenario, v, rs, fwd, bwd) else {
                passing = None;
                break;
            };
            let ratio = o.cost / best.cost;
            let why = if !simple {
                Some("it passes a place twice".to_string())
            } else if ratio > VIA_TOLERANCE {
                Some(format!("{ratio:.1}x the best cost"))
            } else {
                None
            };
            match why {
                Some(why) => {
                    detour = Some((o, why));
                    passing = None;
                    break;
                }
                None if i == 0 => passing = Some(o),
                None => {}
            }
        }
        RouteCheck {
            best,
            best_passes: false,
            passing,
            detour,
        }
    }

    /// Whether a path passes a place id or a country code (a link in that country).
    fn path_passes(&self, path: &Path, via: &str) -> bool {
        let net = &self.data.network;
        if let Some(v) = net.node_id(via) {
            return path.nodes.contains(&v);
        }
        match Country::parse(via) {
            Some(c) => path
                .countries
                .iter()
                .any(|x| x.country == Some(c) && x.km > 0.0),
            None => false,
        }
    }

    /// The least-cost walk from the route's origin to its destination that passes `via` (a place:
    /// through one of its states; a country: along one arc lying in it), as an [`Outcome`] whose
    /// figures add up the arcs walked, and whether the walk is a simple path (no place twice).
    fn best_via(
        &self,
        route: &TradeRoute,
        scenario: &str,
        via: &str,
        rs: &mut RouteState,
        fwd: &mut SearchState,
        bwd: &mut SearchState,
    ) -> Option<(Outcome, bool)> {
        let overlay = self.overlays.get(scenario)?;
        let query = self.query(route);
        let weights = self.router.weights(&query, overlay, rs);
        let (sources, targets) = self.router.endpoints(&query);
        let g = &self.router.graph;
        one_to_all(&g.csr, &sources, |a| weights[a as usize], |_| true, fwd);
        let rev = &self.reverse;
        one_to_all(
            rev,
            &targets,
            |a| weights[rev.input_index(a) as usize],
            |_| true,
            bwd,
        );
        let net = &self.data.network;
        // Candidate meeting arcs: (cost, arc) with the via condition on the arc or its head.
        let mut best: Option<(f64, u32)> = None;
        let node = net.node_id(via);
        let country = Country::parse(via);
        for a in 0..g.csr.num_arcs() as u32 {
            let Some(w) = weights[a as usize] else {
                continue;
            };
            let info = g.arc(a);
            let ok = match (node, country) {
                (Some(v), _) => info.to == v,
                (None, Some(c)) => info.country == Some(c) && info.km > 0.0,
                _ => false,
            };
            let (t, h) = (g.csr.tail(a), g.csr.head(a));
            if !ok || !fwd.reached(t) || !bwd.reached(h) {
                continue;
            }
            let cost = fwd.dist(t) + w + bwd.dist(h);
            if best.is_none_or(|(c, _)| cost < c) {
                best = Some((cost, a));
            }
        }
        let (cost, meet) = best?;
        // Arcs: origin -> tail(meet), meet, head(meet) -> destination.
        let mut arcs = Vec::new();
        fwd.path_to(&g.csr, g.csr.tail(meet), &mut arcs);
        arcs.push(meet);
        let mut v = g.csr.head(meet);
        while bwd.parent_arc(v) != crate::routing::csr::NONE {
            let forward_arc = rev.input_index(bwd.parent_arc(v));
            arcs.push(forward_arc);
            v = g.csr.head(forward_arc);
        }
        let mut seen = vec![false; self.data.network.nodes.len()];
        seen[route.from.index()] = true;
        let mut simple = true;
        for &a in &arcs {
            let info = g.arc(a);
            if matches!(info.kind, ArcKind::Link { .. }) {
                if seen[info.to.index()] {
                    simple = false;
                }
                seen[info.to.index()] = true;
            }
        }
        Some((self.walk_outcome(&arcs, cost, route), simple))
    }

    /// An outcome from a list of arcs (figures before policy penalties).
    fn walk_outcome(&self, arcs: &[u32], cost: f64, route: &TradeRoute) -> Outcome {
        let g = &self.router.graph;
        let (mut km, mut hours, mut usd) = (0.0, 0.0, 0.0);
        let mut borders = Vec::new();
        let mut countries: Vec<String> = Vec::new();
        let mut places = vec![self.router.place_name(route.from).to_string()];
        let mut transfers = 0;
        for &a in arcs {
            let info = g.arc(a);
            km += info.km;
            hours += info.hours;
            usd += info.usd_per_t;
            if let Some(c) = info.country.filter(|_| info.km > 0.0) {
                let name = c.name().to_string();
                if !countries.contains(&name) {
                    countries.push(name);
                }
            }
            match info.kind {
                ArcKind::Link { .. } => {
                    let name = self.router.place_name(info.to).to_string();
                    if self.data.network.node(info.to).kind == NodeKind::Border {
                        borders.push(name.clone());
                    }
                    places.push(name);
                }
                _ => transfers += 1,
            }
        }
        let name = |v: NodeId| short(self.router.place_name(v));
        let summary = format!(
            "{} -> {}: {} km, {:.1} h, {:.1} USD/t, via {}, {} border{}",
            name(route.from),
            name(route.to),
            crate::format::thousands(km),
            hours,
            usd,
            countries.join(", "),
            borders.len(),
            if borders.len() == 1 { "" } else { "s" }
        );
        Outcome {
            reachable: true,
            km,
            hours,
            usd_per_t: usd,
            cost,
            borders,
            countries,
            places,
            transfers,
            summary,
        }
    }
}

fn short(name: &str) -> String {
    name.split(['(', '/'])
        .next()
        .unwrap_or(name)
        .trim()
        .to_string()
}
