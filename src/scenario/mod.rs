//! Scenarios (which links and crossings are open, which cargo may transit where) and trade routes
//! (named origin-destination pairs), read from `scenarios.toml` and `routes.toml`; the freight
//! simulation's inputs (`demand.csv`, `capacity.toml`, `disruptions.csv`); and the [`Dataset`]
//! that gathers a whole data folder.
//!
//! A scenario is a diff over its base. [`Scenarios::resolve`] turns one into a
//! [`ResolvedScenario`]: a mask over the network's links and crossings, the access policy, and the
//! list of every change with the scenario it came from.

pub mod capacity;
mod dataset;
mod date;
pub mod demand;
pub mod disruptions;
pub mod lookup;
mod policy;
mod routes;
mod table;

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;

pub use capacity::{CapacityModel, TransferKind};
pub use dataset::{Dataset, Skipped};
pub use date::Date;
pub use demand::{load_demand, parse_demand, DemandRow};
pub use disruptions::{in_force, load_disruptions, parse_disruptions, Disruption, Triangular};
pub use lookup::{LookupError, RouteId, ScenarioId};
pub use policy::{contradictions, decide, Action, Cargo, PolicyRule, Transit};
pub use routes::{load_routes, parse_routes, TradeRoute};
pub use table::SourceConfidence;

use crate::network::input::{is_valid_id, parse_toml, read_input};
use crate::network::{DataError, LinkId, LinkStatus, Mode, Network, NodeId, NodeKind};

/// What a scenario opens or closes: a link, or a border crossing (all its modes, or one).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    Link(LinkId),
    /// A crossing node; `None` means every mode it has.
    Crossing(NodeId, Option<Mode>),
}

/// What a project changes: the network (links and crossings) or the access policy. A project is
/// one or the other, so that `restore` can say which of a restoring set's members are works and
/// which are political decisions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProjectKind {
    /// Opens links or crossings; carries no policy rules.
    Link,
    /// Adds `allow` rules (lifts a ban); opens and closes nothing.
    Policy,
}

impl ProjectKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ProjectKind::Link => "link",
            ProjectKind::Policy => "policy",
        }
    }
}

/// One scenario as written in `scenarios.toml`, with names resolved to ids.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    pub id: String,
    pub name: String,
    pub description: String,
    pub base: Option<String>,
    /// An unblocking project: a candidate set for `corridor restore`.
    pub project: bool,
    /// A project's kind (`kind` in the file; when absent, `link` if it opens anything, else
    /// `policy`); `None` for scenarios that are not projects.
    pub kind: Option<ProjectKind>,
    pub open: Vec<Target>,
    pub close: Vec<Target>,
    pub include: Vec<String>,
    pub policy: Vec<PolicyRule>,
    /// The date the scenario describes; disruptions are drawn only when in force on it. When
    /// absent, the base's date applies.
    pub as_of: Option<Date>,
    /// What in the scenario is a modelling assumption rather than a reported fact.
    pub assumption: Option<String>,
    pub source: Option<String>,
}

/// The scenarios of a data folder, in file order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Scenarios {
    pub list: Vec<Scenario>,
    index: HashMap<String, usize>,
    /// Made up for a folder without `scenarios.toml` ([`Scenarios::as_is`]).
    implicit: bool,
}

/// The id of the implicit scenario of a data folder without `scenarios.toml`: the data as it is.
pub const AS_IS: &str = "as-is";

/// Why a link or crossing is usable or not in a resolved scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub target: Target,
    pub open: bool,
    /// The scenario whose `open` or `close` list made the change.
    pub by: String,
}

/// A scenario resolved against a network: the masks the routing layer reads, and the policy.
#[derive(Debug, Clone, PartialEq)]
pub struct ResolvedScenario {
    pub id: String,
    /// Usable links, indexed by [`LinkId`].
    pub link_open: Vec<bool>,
    /// Open crossings per node for rail and road (`[rail, road]`); non-border nodes are open.
    pub crossing_open: Vec<[bool; 2]>,
    /// Access rules in order; the last matching rule wins.
    pub policy: Vec<PolicyRule>,
    /// Every change against the data's own statuses, in the order applied.
    pub changes: Vec<Change>,
    /// The scenario's date (its own `as_of`, else its base's); `None` draws every disruption.
    pub as_of: Option<Date>,
}

impl ResolvedScenario {
    /// The statuses of the data as they are: open links and open crossings, no policy.
    pub fn as_loaded(network: &Network) -> ResolvedScenario {
        ResolvedScenario {
            id: "as-loaded".into(),
            link_open: network
                .links
                .iter()
                .map(|l| l.status == LinkStatus::Open)
                .collect(),
            crossing_open: network
                .nodes
                .iter()
                .map(|n| match &n.border {
                    Some(b) => [
                        b.rail.is_some_and(|m| m.open),
                        b.road.is_some_and(|m| m.open),
                    ],
                    None => [true, true],
                })
                .collect(),
            policy: Vec::new(),
            changes: Vec::new(),
            as_of: None,
        }
    }

    pub fn is_link_open(&self, link: LinkId) -> bool {
        self.link_open[link.index()]
    }

    /// Whether a crossing node lets `mode` through (always true for non-border nodes; ferries
    /// never use land crossings and are not blocked by them).
    pub fn is_crossing_open(&self, node: NodeId, mode: Mode) -> bool {
        match mode {
            Mode::Rail => self.crossing_open[node.index()][0],
            Mode::Road => self.crossing_open[node.index()][1],
            Mode::Ferry => true,
        }
    }

    fn apply(&mut self, network: &Network, target: Target, open: bool, by: &str) {
        match target {
            Target::Link(l) => self.link_open[l.index()] = open,
            Target::Crossing(n, mode) => {
                let border = network.node(n).border.as_ref();
                let has = [
                    border.is_some_and(|b| b.rail.is_some()),
                    border.is_some_and(|b| b.road.is_some()),
                ];
                for (i, m) in [Mode::Rail, Mode::Road].into_iter().enumerate() {
                    if has[i] && mode.is_none_or(|x| x == m) {
                        self.crossing_open[n.index()][i] = open;
                    }
                }
            }
        }
        self.changes.push(Change {
            target,
            open,
            by: by.to_string(),
        });
    }
}

impl Scenarios {
    /// The scenarios of a folder without `scenarios.toml`: one implicit scenario, [`AS_IS`], that
    /// is the data's own link and crossing statuses with no access policy, so that every command
    /// has a scenario to run under (an imported OpenStreetMap folder, a TNTP network).
    pub fn as_is() -> Scenarios {
        let scenario = Scenario {
            id: AS_IS.to_string(),
            name: "As is".to_string(),
            description: "The data's own link and crossing statuses, no access policy (implicit: \
                          the data folder has no scenarios.toml)"
                .to_string(),
            base: None,
            project: false,
            kind: None,
            open: Vec::new(),
            close: Vec::new(),
            include: Vec::new(),
            policy: Vec::new(),
            as_of: None,
            assumption: None,
            source: None,
        };
        Scenarios {
            index: HashMap::from([(scenario.id.clone(), 0)]),
            list: vec![scenario],
            implicit: true,
        }
    }

    /// Whether these are the implicit [`Scenarios::as_is`] of a folder without `scenarios.toml`.
    pub fn is_implicit(&self) -> bool {
        self.implicit
    }

    pub fn get(&self, id: &str) -> Option<&Scenario> {
        self.index.get(id).map(|&i| &self.list[i])
    }

    /// A scenario's name for people (`Status on 11 January 2021`), or `id` itself when the data
    /// has no such scenario.
    pub fn name_of<'s>(&'s self, id: &'s str) -> &'s str {
        self.get(id).map_or(id, |s| s.name.as_str())
    }

    pub fn ids(&self) -> impl Iterator<Item = &str> + Clone {
        self.list.iter().map(|s| s.id.as_str())
    }

    /// The projects: scenarios marked `project = true`, in file order.
    pub fn projects(&self) -> impl Iterator<Item = &Scenario> {
        self.list.iter().filter(|s| s.project)
    }

    /// Resolves scenario `id`: its base first (recursively), then its includes, then itself.
    ///
    /// # Errors
    /// `None` when no scenario has that id (cycles are rejected at load time).
    pub fn resolve(&self, network: &Network, id: &str) -> Option<ResolvedScenario> {
        let scenario = self.get(id)?;
        let mut resolved = match &scenario.base {
            Some(base) => self.resolve(network, base)?,
            None => ResolvedScenario::as_loaded(network),
        };
        resolved.id = scenario.id.clone();
        if scenario.as_of.is_some() {
            resolved.as_of = scenario.as_of;
        }
        self.apply_diff(network, scenario, &mut resolved);
        Some(resolved)
    }

    /// Resolves `base`, then applies the diffs of `extra` scenarios in order (their includes and
    /// own lists and policies, not their bases): "the base with these projects opened".
    ///
    /// # Returns
    /// `None` when an id is unknown.
    pub fn resolve_with(
        &self,
        network: &Network,
        base: &str,
        extra: &[&str],
    ) -> Option<ResolvedScenario> {
        let mut resolved = self.resolve(network, base)?;
        for id in extra {
            let s = self.get(id)?;
            self.apply_diff(network, s, &mut resolved);
        }
        if !extra.is_empty() {
            resolved.id = format!("{base}+{}", extra.join("+"));
        }
        Some(resolved)
    }

    /// Applies a scenario's includes (recursively, without their bases), then its own lists.
    fn apply_diff(&self, network: &Network, scenario: &Scenario, out: &mut ResolvedScenario) {
        for inc in &scenario.include {
            if let Some(s) = self.get(inc) {
                self.apply_diff(network, s, out);
            }
        }
        for &t in &scenario.open {
            out.apply(network, t, true, &scenario.id);
        }
        for &t in &scenario.close {
            out.apply(network, t, false, &scenario.id);
        }
        out.policy.extend(scenario.policy.iter().cloned());
    }

    /// Reads and checks `scenarios.toml` against a network.
    ///
    /// # Errors
    /// Every problem found: malformed TOML, unknown fields, duplicate or invalid ids, an unknown
    /// or circular base or include, an unknown link or crossing, an invalid policy rule.
    pub fn load(path: &Path, network: &Network) -> Result<Scenarios, Vec<DataError>> {
        let text = read_input(path).map_err(|e| vec![e])?;
        Self::parse(path, &text, network)
    }

    /// Parses and checks the text of a `scenarios.toml`; `path` only names the file in messages.
    ///
    /// # Errors
    /// As [`Scenarios::load`].
    pub fn parse(path: &Path, text: &str, network: &Network) -> Result<Scenarios, Vec<DataError>> {
        let raw: RawFile = parse_toml(path, text).map_err(|e| vec![e])?;
        let mut errors = Vec::new();
        let mut list = Vec::new();
        let mut index = HashMap::new();
        for raw in &raw.scenario {
            let mut err = |field: &str, problem: String| {
                errors.push(DataError::Entry {
                    path: path.to_path_buf(),
                    kind: "scenario",
                    id: raw.id.clone(),
                    field: field.to_string(),
                    problem,
                })
            };
            if !is_valid_id(&raw.id) {
                err(
                    "id",
                    "is not a valid id (lowercase letters, digits and hyphens)".into(),
                );
                continue;
            }
            if index.contains_key(&raw.id) {
                err("id", "is used by two scenarios".into());
                continue;
            }
            let mut targets = |field: &str, names: &[String]| -> Vec<Target> {
                let mut out = Vec::new();
                for name in names {
                    match parse_target(network, name) {
                        Ok(t) => out.push(t),
                        Err(problem) => err(field, problem),
                    }
                }
                out
            };
            let open = targets("open", &raw.open);
            let close = targets("close", &raw.close);
            let mut policy = Vec::new();
            let mut rule_index = Vec::new();
            for (i, rule) in raw.policy.iter().enumerate() {
                match PolicyRule::from_raw(rule, network) {
                    Ok(r) => {
                        policy.push(r);
                        rule_index.push(i);
                    }
                    Err((field, problem)) => err(&format!("policy[{i}].{field}"), problem),
                }
            }
            for (a, b) in contradictions(&policy) {
                err(
                    &format!("policy[{}].action", rule_index[b]),
                    format!(
                        "{} contradicts policy[{}] ({}), which matches the same cargo, \
                         destination, transit and mode",
                        policy[b].action.name(),
                        rule_index[a],
                        policy[a].action.name()
                    ),
                );
            }
            let as_of = match raw.as_of.as_deref().map(|d| (d, Date::parse(d))) {
                None => None,
                Some((_, Some(d))) => Some(d),
                Some((d, None)) => {
                    err("as_of", format!("{d:?} is not a date YYYY-MM-DD"));
                    None
                }
            };
            let kind = match raw.kind.as_deref() {
                None if raw.project => Some(if open.is_empty() && close.is_empty() {
                    ProjectKind::Policy
                } else {
                    ProjectKind::Link
                }),
                None => None,
                Some("link") => Some(ProjectKind::Link),
                Some("policy") => Some(ProjectKind::Policy),
                Some(k) => {
                    err("kind", format!("{k:?} is not link or policy"));
                    None
                }
            };
            if raw.kind.is_some() && !raw.project {
                err(
                    "kind",
                    "only a project (`project = true`) has a kind".into(),
                );
            }
            match kind {
                Some(ProjectKind::Link) if !raw.policy.is_empty() => err(
                    "policy",
                    "a link project carries no access rules: make the policy change a project \
                     of its own (kind = \"policy\")"
                        .into(),
                ),
                Some(ProjectKind::Policy) if !open.is_empty() || !close.is_empty() => err(
                    "open",
                    "a policy project opens and closes nothing: make the works a project of \
                     their own (kind = \"link\")"
                        .into(),
                ),
                _ => {}
            }
            index.insert(raw.id.clone(), list.len());
            list.push(Scenario {
                id: raw.id.clone(),
                name: raw.name.clone().unwrap_or_else(|| raw.id.clone()),
                description: raw.description.clone().unwrap_or_default(),
                base: raw.base.clone(),
                project: raw.project,
                kind,
                open,
                close,
                include: raw.include.clone(),
                policy,
                as_of,
                assumption: raw.assumption.clone(),
                source: raw.source.clone(),
            });
        }
        let scenarios = Scenarios {
            list,
            index,
            implicit: false,
        };
        // References and cycles, once every id is known.
        for s in &scenarios.list {
            let mut err = |field: &str, problem: String| {
                errors.push(DataError::Entry {
                    path: path.to_path_buf(),
                    kind: "scenario",
                    id: s.id.clone(),
                    field: field.to_string(),
                    problem,
                })
            };
            if let Some(b) = &s.base {
                if scenarios.get(b).is_none() {
                    err("base", format!("unknown scenario {b:?}"));
                }
            }
            for inc in &s.include {
                if scenarios.get(inc).is_none() {
                    err("include", format!("unknown scenario {inc:?}"));
                }
            }
            if let Some(cycle) = scenarios.cycle_from(&s.id) {
                err(
                    "base",
                    format!("circular reference: {}", cycle.join(" -> ")),
                );
            }
        }
        if errors.is_empty() {
            Ok(scenarios)
        } else {
            Err(errors)
        }
    }

    /// A cycle through `start` along `base` and `include` references, if any.
    fn cycle_from(&self, start: &str) -> Option<Vec<String>> {
        fn walk<'a>(s: &'a Scenarios, id: &'a str, path: &mut Vec<&'a str>) -> bool {
            if path.contains(&id) {
                path.push(id);
                return true;
            }
            let Some(sc) = s.get(id) else { return false };
            path.push(id);
            for next in sc.base.iter().chain(sc.include.iter()) {
                if walk(s, next, path) {
                    return true;
                }
            }
            path.pop();
            false
        }
        let mut path = Vec::new();
        if walk(self, start, &mut path) && path.last() == Some(&start) {
            Some(path.into_iter().map(String::from).collect())
        } else {
            None
        }
    }
}

fn parse_target(network: &Network, name: &str) -> Result<Target, String> {
    if let Some(l) = network.link_id(name) {
        return Ok(Target::Link(l));
    }
    let (node, mode) = match name.split_once(':') {
        Some((n, m)) => match m {
            "rail" => (n, Some(Mode::Rail)),
            "road" => (n, Some(Mode::Road)),
            _ => return Err(format!("{name:?}: the mode after `:` must be rail or road")),
        },
        None => (name, None),
    };
    match network.node_id(node) {
        Some(n) if network.node(n).kind == NodeKind::Border => {
            let b = network.node(n).border.as_ref();
            let has = match mode {
                Some(Mode::Rail) => b.is_some_and(|b| b.rail.is_some()),
                Some(Mode::Road) => b.is_some_and(|b| b.road.is_some()),
                _ => true,
            };
            if has {
                Ok(Target::Crossing(n, mode))
            } else {
                Err(format!(
                    "{name:?}: the crossing has no {} crossing",
                    mode.map_or("", Mode::as_str)
                ))
            }
        }
        Some(_) => Err(format!(
            "{name:?} is a place, not a link or a border crossing"
        )),
        None => Err(format!("unknown link or crossing {name:?}")),
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    scenario: Vec<RawScenario>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScenario {
    id: String,
    name: Option<String>,
    description: Option<String>,
    base: Option<String>,
    #[serde(default)]
    project: bool,
    kind: Option<String>,
    #[serde(default)]
    open: Vec<String>,
    #[serde(default)]
    close: Vec<String>,
    #[serde(default)]
    include: Vec<String>,
    #[serde(default)]
    policy: Vec<policy::RawRule>,
    as_of: Option<String>,
    assumption: Option<String>,
    source: Option<String>,
}
