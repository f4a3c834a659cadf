//! The vocabulary every command shares, typed once: closed sets as clap `ValueEnum`s (`--by`,
//! `--pairs`, `--mode`, `--method`, `--algorithm`), `--scenario ID[,ID..]` and `--route`, the
//! equilibrium defaults, and the functions that resolve names against a data folder into typed
//! ids ([`ScenarioId`]), so that a command's plan holds only resolved values. An unknown name is
//! reported by [`corridor::scenario::LookupError`], worded in one place with a suggestion.

use anyhow::{Context, Result};
use clap::ValueEnum;

use corridor::analysis::critical::Pairs;
use corridor::routing::{Algorithm, Metric, ModeSet};
use corridor::scenario::{Dataset, ScenarioId, TradeRoute};
use corridor::sim::Method;

/// What a search minimises (`--by`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum By {
    /// Hours.
    Time,
    /// Kilometres.
    Distance,
    /// US dollars per tonne.
    Money,
    /// US dollars per tonne plus the value of time.
    Generalized,
}

impl By {
    /// The metric, priced by the data's cost model.
    pub fn metric(self, data: &Dataset) -> Metric {
        match self {
            By::Time => Metric::Time,
            By::Distance => Metric::Distance,
            By::Money => Metric::Money,
            By::Generalized => Metric::generalized(&data.costs),
        }
    }
}

/// Which pairs a criticality question is asked over (`--pairs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PairsArg {
    /// The trade routes of routes.toml.
    Routes,
    /// Every ordered pair of cities and hubs.
    Cities,
    /// Every ordered pair of places.
    All,
    /// Every ordered pair of the 20 largest places (by population, else by links).
    Largest,
}

impl From<PairsArg> for Pairs {
    fn from(p: PairsArg) -> Pairs {
        match p {
            PairsArg::Routes => Pairs::Routes,
            PairsArg::Cities => Pairs::Cities,
            PairsArg::All => Pairs::All,
            PairsArg::Largest => Pairs::Largest,
        }
    }
}

/// The modes a route may use (`--mode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ModeArg {
    Rail,
    Road,
    Any,
}

impl From<ModeArg> for ModeSet {
    fn from(m: ModeArg) -> ModeSet {
        match m {
            ModeArg::Rail => ModeSet::RAIL,
            ModeArg::Road => ModeSet::ROAD,
            ModeArg::Any => ModeSet::ANY,
        }
    }
}

/// A one-to-one search algorithm (`--algorithm`); all give the same cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AlgorithmArg {
    Dijkstra,
    Bidirectional,
    Astar,
}

impl From<AlgorithmArg> for Algorithm {
    fn from(a: AlgorithmArg) -> Algorithm {
        match a {
            AlgorithmArg::Dijkstra => Algorithm::Dijkstra,
            AlgorithmArg::Bidirectional => Algorithm::Bidirectional,
            AlgorithmArg::Astar => Algorithm::AStar,
        }
    }
}

/// An equilibrium method (`--method`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MethodArg {
    /// All-or-nothing at free-flow costs.
    Aon,
    /// Method of successive averages.
    Msa,
    /// Frank-Wolfe.
    Fw,
    /// Conjugate Frank-Wolfe.
    Cfw,
    /// Bi-conjugate Frank-Wolfe.
    Bfw,
}

impl From<MethodArg> for Method {
    fn from(m: MethodArg) -> Method {
        match m {
            MethodArg::Aon => Method::Aon,
            MethodArg::Msa => Method::Msa,
            MethodArg::Fw => Method::Fw,
            MethodArg::Cfw => Method::Cfw,
            MethodArg::Bfw => Method::Bfw,
        }
    }
}

/// The methods of the freight assignment (`simulate --method`): the conjugate directions are
/// not offered, since the freight assignment does not run them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FreightMethodArg {
    /// All-or-nothing at free-flow costs.
    Aon,
    /// Method of successive averages.
    Msa,
    /// Frank-Wolfe.
    Fw,
}

impl From<FreightMethodArg> for Method {
    fn from(m: FreightMethodArg) -> Method {
        match m {
            FreightMethodArg::Aon => Method::Aon,
            FreightMethodArg::Msa => Method::Msa,
            FreightMethodArg::Fw => Method::Fw,
        }
    }
}

/// The equilibrium defaults of every command that assigns (`assign`, `simulate`, `run`): one
/// gap, 1e-4, everywhere; the method is bi-conjugate Frank-Wolfe wherever it exists (`assign`),
/// and Frank-Wolfe in the freight assignment, which has no conjugate directions (so does not
/// offer them). Plain Frank-Wolfe needs thousands of iterations to reach 1e-4 on a TNTP network
/// such as Sioux Falls, where BFW needs dozens.
pub const DEFAULT_METHOD: MethodArg = MethodArg::Bfw;
pub const DEFAULT_FREIGHT_METHOD: FreightMethodArg = FreightMethodArg::Fw;
pub const DEFAULT_GAP: f64 = 1e-4;

/// Checks `--gap`.
pub fn check_gap(gap: f64) -> Result<()> {
    anyhow::ensure!(
        gap.is_finite() && gap >= 0.0,
        "--gap must be a number >= 0, not {gap}"
    );
    Ok(())
}

/// The scenarios a user named (`--scenario A,B`), in the order given, duplicates dropped;
/// every scenario of the data folder when none is named.
///
/// # Errors
/// An unknown name (with a suggestion), or a folder without scenarios.
pub fn scenarios(data: &Dataset, names: &[String]) -> Result<Vec<ScenarioId>> {
    anyhow::ensure!(
        !data.scenarios.list.is_empty(),
        "the data folder {} has no scenarios.toml",
        data.dir.display()
    );
    if names.is_empty() {
        return Ok(data.scenario_ids());
    }
    let mut out: Vec<ScenarioId> = Vec::with_capacity(names.len());
    for name in names {
        let id = data.scenario_id(name)?;
        if !out.contains(&id) {
            out.push(id);
        }
    }
    Ok(out)
}

/// The scenario a user named, else the data folder's default
/// ([`Dataset::default_scenario`]); `None` for a folder without scenarios.
///
/// # Errors
/// An unknown name, with a suggestion.
pub fn scenario_or_default(data: &Dataset, name: Option<&str>) -> Result<Option<ScenarioId>> {
    match name {
        Some(n) => Ok(Some(data.scenario_id(n)?)),
        None => Ok(data.default_scenario()),
    }
}

/// Like [`scenario_or_default`] for a command that needs a scenario.
pub fn scenario_required(data: &Dataset, name: Option<&str>, flag: &str) -> Result<ScenarioId> {
    scenario_or_default(data, name)?.with_context(|| {
        format!(
            "the data folder {} has no scenarios.toml; name one with {flag}",
            data.dir.display()
        )
    })
}

/// The trade routes a user named (`--route R,S`), in the order given; every route of the data
/// folder when none is named.
///
/// # Errors
/// An unknown name (with a suggestion), or a folder without routes.
pub fn routes<'a>(data: &'a Dataset, names: &[String]) -> Result<Vec<&'a TradeRoute>> {
    anyhow::ensure!(
        !data.routes.is_empty(),
        "the data folder {} has no routes.toml: no trade routes to evaluate",
        data.dir.display()
    );
    if names.is_empty() {
        return Ok(data.routes.iter().collect());
    }
    names
        .iter()
        .map(|n| Ok(data.trade_route(&data.route_id(n)?)?))
        .collect()
}
