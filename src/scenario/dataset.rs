//! A whole data folder, loaded and checked once: network, costs, scenarios and routes, and the
//! freight simulation's demand, capacities and disruptions.

use std::path::{Path, PathBuf};

use crate::network::{load_network, CostModel, DataError, DataErrors, Network, Warning};

use super::lookup::{self, LookupError, RouteId, ScenarioId};
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

    /// Resolves a scenario found by [`Dataset::scenario_id`].
    ///
    /// # Errors
    /// [`LookupError::UnknownScenario`] when `id` comes from another data folder.
    pub fn resolve_id(&self, id: &ScenarioId) -> Result<ResolvedScenario, LookupError> {
        self.resolve(id.as_str())
            .ok_or_else(|| self.unknown_scenario(id.as_str()))
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

    /// The scenario a user named (any case).
    ///
    /// # Errors
    /// [`LookupError::UnknownScenario`], with the known ids and the closest one.
    pub fn scenario_id(&self, name: &str) -> Result<ScenarioId, LookupError> {
        lookup::find(name, &self.scenarios.ids().collect::<Vec<_>>())
            .map(ScenarioId::known)
            .ok_or_else(|| self.unknown_scenario(name))
    }

    /// The trade route a user named (any case).
    ///
    /// # Errors
    /// [`LookupError::UnknownRoute`], with the known ids and the closest one.
    pub fn route_id(&self, name: &str) -> Result<RouteId, LookupError> {
        lookup::find(
            name,
            &self
                .routes
                .iter()
                .map(|r| r.id.as_str())
                .collect::<Vec<_>>(),
        )
        .map(RouteId::known)
        .ok_or_else(|| self.unknown_route(name))
    }

    /// The trade route of an id found by [`Dataset::route_id`].
    ///
    /// # Errors
    /// [`LookupError::UnknownRoute`] when `id` comes from another data folder.
    pub fn trade_route(&self, id: &RouteId) -> Result<&TradeRoute, LookupError> {
        self.route(id.as_str())
            .ok_or_else(|| self.unknown_route(id.as_str()))
    }

    /// The scenario a command uses when none is named, decided here and only here: the first
    /// scenario of `scenarios.toml` without a base (the reference state every other scenario is
    /// a diff over; `baseline-2021` in the bundled data). `None` when the folder has no
    /// scenarios: the network as loaded is then the only state.
    pub fn default_scenario(&self) -> Option<ScenarioId> {
        self.scenarios
            .list
            .iter()
            .find(|s| s.base.is_none())
            .map(|s| ScenarioId::known(&s.id))
    }

    /// Every scenario id, in the order of `scenarios.toml`.
    pub fn scenario_ids(&self) -> Vec<ScenarioId> {
        self.scenarios.ids().map(ScenarioId::known).collect()
    }

    fn unknown_route(&self, name: &str) -> LookupError {
        LookupError::UnknownRoute {
            id: name.to_string(),
            known: self.routes.iter().map(|r| r.id.clone()).collect(),
        }
    }

    /// The error for a scenario name this folder does not have, with its known ids.
    pub(crate) fn unknown_scenario(&self, name: &str) -> LookupError {
        LookupError::UnknownScenario {
            id: name.to_string(),
            known: self.scenarios.ids().map(String::from).collect(),
        }
    }
}
