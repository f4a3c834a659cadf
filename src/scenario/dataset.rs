//! A whole data folder, loaded and checked once: network, costs, scenarios and routes, and the
//! freight simulation's demand, capacities and disruptions.

use std::path::{Path, PathBuf};

use crate::network::{load_network, CostModel, DataError, DataErrors, Network, Warning};

use super::{
    load_demand, load_disruptions, load_routes, CapacityModel, DemandRow, Disruption,
    ResolvedScenario, Scenarios, TradeRoute,
};

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
    /// links, and then gets neutral costs, no scenarios and no demand.
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
            Scenarios::default()
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
}
