//! A whole data folder, loaded and checked once: network, costs, scenarios and routes.

use std::path::{Path, PathBuf};

use crate::network::{load_network, CostModel, DataError, DataErrors, Network, Warning};

use super::{load_routes, ResolvedScenario, Scenarios, TradeRoute};

/// Everything a command needs from a data folder.
#[derive(Debug, Clone)]
pub struct Dataset {
    pub dir: PathBuf,
    pub network: Network,
    pub costs: CostModel,
    pub scenarios: Scenarios,
    pub routes: Vec<TradeRoute>,
    pub warnings: Vec<Warning>,
}

impl Dataset {
    /// Loads a data folder. `costs.toml`, `scenarios.toml` and `routes.toml` are optional: an
    /// imported network has only nodes and links, and then gets neutral costs and no scenarios.
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
        if !errors.is_empty() {
            return Err(DataErrors(errors));
        }
        Ok(Dataset {
            dir: dir.to_path_buf(),
            network,
            costs,
            scenarios,
            routes,
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
