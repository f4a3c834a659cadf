//! Trade routes (`routes.toml`): named origin-destination pairs with a cargo origin, the modes they
//! may use, and the claim of the seed article they test.

use std::path::Path;

use serde::Deserialize;

use crate::network::input::{is_valid_id, parse_toml, read_input};
use crate::network::{Country, DataError, Mode, Network, NodeId};

/// A named origin-destination pair.
#[derive(Debug, Clone, PartialEq)]
pub struct TradeRoute {
    pub id: String,
    pub from: NodeId,
    pub to: NodeId,
    /// Origin of the cargo, for the access policy.
    pub cargo: Country,
    /// Modes the route may use (ferries follow what they carry).
    pub modes: Vec<Mode>,
    pub claim: Option<String>,
    /// Tonnes per year, where known.
    pub demand_t_per_year: Option<f64>,
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    route: Vec<RawRoute>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRoute {
    id: String,
    from: String,
    to: String,
    cargo: String,
    modes: Vec<String>,
    claim: Option<String>,
    demand_t_per_year: Option<f64>,
    note: Option<String>,
}

/// Reads and checks `routes.toml`: places are matched by id, name or alias.
///
/// # Errors
/// Every problem found: malformed TOML, unknown fields, an invalid or duplicate id, an unknown
/// place (with the closest names), a bad cargo code or mode, a negative demand.
pub fn load_routes(path: &Path, network: &Network) -> Result<Vec<TradeRoute>, Vec<DataError>> {
    let text = read_input(path).map_err(|e| vec![e])?;
    parse_routes(path, &text, network)
}

/// Parses and checks the text of a `routes.toml`; `path` only names the file in messages.
///
/// # Errors
/// As [`load_routes`].
pub fn parse_routes(
    path: &Path,
    text: &str,
    network: &Network,
) -> Result<Vec<TradeRoute>, Vec<DataError>> {
    let raw: RawFile = parse_toml(path, text).map_err(|e| vec![e])?;
    let mut errors = Vec::new();
    let mut routes: Vec<TradeRoute> = Vec::new();
    for r in raw.route {
        let before = errors.len();
        let mut err = |field: &str, problem: String| {
            errors.push(DataError::Entry {
                path: path.to_path_buf(),
                kind: "route",
                id: r.id.clone(),
                field: field.into(),
                problem,
            })
        };
        if !is_valid_id(&r.id) {
            err(
                "id",
                "is not a valid id (lowercase letters, digits and hyphens)".into(),
            );
        } else if routes.iter().any(|x| x.id == r.id) {
            err("id", "is used by two routes".into());
        }
        let mut place = |field: &str, q: &str| match network.find_place(q) {
            Ok(id) => Some(id),
            Err(e) => {
                err(field, e.to_string());
                None
            }
        };
        let from = place("from", &r.from);
        let to = place("to", &r.to);
        let mut err = |field: &str, problem: String| {
            errors.push(DataError::Entry {
                path: path.to_path_buf(),
                kind: "route",
                id: r.id.clone(),
                field: field.into(),
                problem,
            })
        };
        let cargo = Country::parse(&r.cargo);
        if cargo.is_none() {
            err(
                "cargo",
                format!("{:?} is not an ISO 3166-1 alpha-2 code", r.cargo),
            );
        }
        let mut modes = Vec::new();
        for m in &r.modes {
            match Mode::parse(m) {
                Some(Mode::Ferry) => err(
                    "modes",
                    "list rail and/or road; ferries follow what they carry".into(),
                ),
                Some(mode) if !modes.contains(&mode) => modes.push(mode),
                Some(_) => {}
                None => err("modes", format!("{m:?} is not rail or road")),
            }
        }
        if r.modes.is_empty() {
            err("modes", "must list at least one of rail, road".into());
        }
        if let Some(d) = r.demand_t_per_year {
            if !(d.is_finite() && d >= 0.0) {
                err("demand_t_per_year", format!("{d} must be a number >= 0"));
            }
        }
        if from.is_some() && from == to {
            err("to", "is the same place as `from`".into());
        }
        if errors.len() > before {
            continue;
        }
        if let (Some(from), Some(to), Some(cargo)) = (from, to, cargo) {
            routes.push(TradeRoute {
                id: r.id,
                from,
                to,
                cargo,
                modes,
                claim: r.claim,
                demand_t_per_year: r.demand_t_per_year,
                note: r.note,
            });
        }
    }
    if errors.is_empty() {
        Ok(routes)
    } else {
        Err(errors)
    }
}
