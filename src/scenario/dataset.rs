//! A whole data folder, loaded and checked once: network, costs, scenarios and routes, and the
//! freight simulation's demand, capacities and disruptions.

use std::path::{Path, PathBuf};

use crate::names::{lookup, UnknownId};
use crate::network::{load_network, CostModel, DataError, DataErrors, Network, Warning};

use super::{
    load_demand, load_disruptions, load_routes, CapacityModel, DemandRow, Disruption,
    ResolvedScenario, Scenarios, TradeRoute,
};

/// A stage of a full run (`corridor run`) that a data folder gives nothing to work on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// `compare`, `restore` or `simulate`.
    pub stage: &'static str,
    /// Why, naming the file or setting that is missing.
    pub reason: String,
}

/// Everything a command needs from a data folder.
#[derive(Debug, Clone)]
pub struct Dataset {
    pub dir: PathBuf,
    pub network: Network,
    pub costs: CostModel,
    pub scenarios: Scenarios,
    pub routes: Vec<TradeRoute>,
    /// Freight demand (`demand.csv`; empty without the file).
    pub demand: Vec<DemandRow>,
    /// Capacities for the freight assignment (`capacity.toml`; `None` without the file: nothing
    /// is capacity-limited).
    pub capacity: Option<CapacityModel>,
    /// Closure probabilities and dwell distributions (`disruptions.csv`; empty without the file).
    pub disruptions: Vec<Disruption>,
    pub warnings: Vec<Warning>,
}

impl Dataset {
    /// Loads a data folder. `costs.toml`, `scenarios.toml`, `routes.toml`, `demand.csv`,
    /// `capacity.toml` and `disruptions.csv` are optional: an imported network has only nodes and
    /// links, and then gets neutral costs, the one implicit scenario [`super::AS_IS`] (see
    /// [`Scenarios::as_is`]), no routes and no demand.
    ///
    /// # Errors
    /// Every problem found across the files, as [`DataErrors`].
    pub fn load(dir: &Path) -> Result<Dataset, DataErrors> {
        if !dir.is_dir() {
            return Err(DataError::Io {
                path: dir.to_path_buf(),
                message: "no such data folder".into(),
            }
            .into());
        }
        let costs_path = dir.join("costs.toml");
        let costs = if costs_path.exists() {
            CostModel::load(&costs_path)?
        } else {
            CostModel::default()
        };
        let (network, warnings) = load_network(dir, &costs)?;
        let mut errors = Vec::new();
        let scenarios_path = dir.join("scenarios.toml");
        let scenarios = if scenarios_path.exists() {
            Scenarios::load(&scenarios_path, &network).unwrap_or_else(|e| {
                errors.extend(e);
                Scenarios::default()
            })
        } else {
            Scenarios::as_is()
        };
        let routes_path = dir.join("routes.toml");
        let routes = if routes_path.exists() {
            load_routes(&routes_path, &network).unwrap_or_else(|e| {
                errors.extend(e);
                Vec::new()
            })
        } else {
            Vec::new()
        };
        let demand_path = dir.join("demand.csv");
        let demand = if demand_path.exists() {
            load_demand(&demand_path, &network).unwrap_or_else(|e| {
                errors.extend(e);
                Vec::new()
            })
        } else {
            Vec::new()
        };
        let capacity_path = dir.join("capacity.toml");
        let capacity = if capacity_path.exists() {
            CapacityModel::load(&capacity_path, &network)
                .map_err(|e| errors.extend(e))
                .ok()
        } else {
            None
        };
        let disruptions_path = dir.join("disruptions.csv");
        let disruptions = if disruptions_path.exists() {
            load_disruptions(&disruptions_path, &network).unwrap_or_else(|e| {
                errors.extend(e);
                Vec::new()
            })
        } else {
            Vec::new()
        };
        if !errors.is_empty() {
            return Err(DataErrors(errors));
        }
        Ok(Dataset {
            dir: dir.to_path_buf(),
            network,
            costs,
            scenarios,
            routes,
            demand,
            capacity,
            disruptions,
            warnings,
        })
    }

    /// Resolves a scenario by id; `None` for an unknown id.
    pub fn resolve(&self, scenario: &str) -> Option<ResolvedScenario> {
        self.scenarios.resolve(&self.network, scenario)
    }

    pub fn route(&self, id: &str) -> Option<&TradeRoute> {
        self.routes.iter().find(|r| r.id == id)
    }

    /// The stages of a full run that do not apply to this folder, and why: `compare` and
    /// `restore` need trade routes (`routes.toml`), `restore` also projects (scenarios marked
    /// `project = true`), `simulate` needs `demand.csv` or `disruptions.csv`. Checking, the
    /// criticality (over the largest places when there are no routes) and the layers always
    /// apply.
    pub fn run_skips(&self) -> Vec<Skipped> {
        let mut out = Vec::new();
        let mut skip = |stage, reason: &str| {
            out.push(Skipped {
                stage,
                reason: reason.to_string(),
            })
        };
        if self.routes.is_empty() {
            skip(
                "compare",
                "no trade routes (the data folder has no routes.toml)",
            );
            skip(
                "restore",
                "no trade routes (the data folder has no routes.toml)",
            );
        } else if self.scenarios.projects().next().is_none() {
            skip(
                "restore",
                "no candidate projects (no scenario has `project = true`)",
            );
        }
        if self.demand.is_empty() && self.disruptions.is_empty() {
            skip(
                "simulate",
                "no freight demand or disruptions (the data folder has no demand.csv or disruptions.csv)",
            );
        }
        out
    }

    /// The scenario id a user's text names: the id itself, else the same id in any case or
    /// spelling (see [`crate::names::lookup`]).
    ///
    /// # Errors
    /// [`UnknownId`] with the closest ids (`meghri-rial` -> `meghri-rail`) and the known ones.
    pub fn scenario_id(&self, query: &str) -> Result<&str, UnknownId> {
        lookup("scenario", query, self.scenarios.ids())
    }

    /// Resolves the scenario a user's text names ([`Dataset::scenario_id`], then
    /// [`Dataset::resolve`]).
    ///
    /// # Errors
    /// [`UnknownId`] for an unknown id.
    pub fn resolve_named(&self, query: &str) -> Result<ResolvedScenario, UnknownId> {
        let id = self.scenario_id(query)?;
        // An id from the list always resolves: bases and includes were checked at load time.
        self.resolve(id).ok_or_else(|| UnknownId {
            kind: "scenario",
            query: query.to_string(),
            suggestions: Vec::new(),
            known: self.scenarios.ids().map(String::from).collect(),
        })
    }

    /// The trade route a user's text names, in any case (see [`crate::names::lookup`]).
    ///
    /// # Errors
    /// [`UnknownId`] with the closest route ids and the known ones.
    pub fn find_route(&self, query: &str) -> Result<&TradeRoute, UnknownId> {
        let id = lookup("route", query, self.routes.iter().map(|r| r.id.as_str()))?;
        self.route(id).ok_or_else(|| UnknownId {
            kind: "route",
            query: query.to_string(),
            suggestions: Vec::new(),
            known: Vec::new(),
        })
    }
}
