//! Freight demand (`demand.csv`): tonnes per year between two places for cargo of one origin
//! country, by the modes it may use, each row with its source and confidence.
//!
//! ```text
//! id,origin,destination,cargo,modes,tonnes_per_year,confidence,source
//! ru-ir-astara,moscow,tehran,RU,rail|road,364000,H,"364 kt crossed Astara–Astara in 2019 ..."
//! ```
//!
//! # Units
//! Tonnes per year.

use std::path::Path;

use crate::network::input::read_input;
use crate::network::{Country, DataError, Mode, Network, NodeId};

use super::table::{SourceConfidence, Table};

/// One origin-destination flow of freight.
#[derive(Debug, Clone, PartialEq)]
pub struct DemandRow {
    pub id: String,
    pub from: NodeId,
    pub to: NodeId,
    /// Origin of the cargo, for the access policy.
    pub cargo: Country,
    /// Land modes the cargo may use (ferries follow what they carry).
    pub modes: Vec<Mode>,
    /// Tonnes per year.
    pub tonnes_per_year: f64,
    pub confidence: SourceConfidence,
    pub source: String,
}

const REQUIRED: [&str; 8] = [
    "id",
    "origin",
    "destination",
    "cargo",
    "modes",
    "tonnes_per_year",
    "confidence",
    "source",
];

/// Reads and checks `demand.csv`.
///
/// # Errors
/// Every problem found, each naming the file, the line and the field: a missing or unknown
/// column, an invalid or repeated id, an unknown place (with the closest ids), a bad country code
/// or mode, a negative or non-numeric tonnage, an origin equal to its destination, a confidence
/// other than H, M, L, an empty source.
pub fn load_demand(path: &Path, network: &Network) -> Result<Vec<DemandRow>, Vec<DataError>> {
    let text = read_input(path).map_err(|e| vec![e])?;
    parse_demand(path, &text, network)
}

/// Parses the text of a `demand.csv`; `path` only names the file in messages.
///
/// # Errors
/// As [`load_demand`].
pub fn parse_demand(
    path: &Path,
    text: &str,
    network: &Network,
) -> Result<Vec<DemandRow>, Vec<DataError>> {
    let table = Table::parse(path, text, &REQUIRED, &[])?;
    let mut errors = Vec::new();
    let ids = table.ids();
    let mut rows: Vec<DemandRow> = Vec::new();
    for (row, (id, problem)) in table.rows.iter().zip(ids) {
        let before = errors.len();
        errors.extend(problem);
        let from = table.place(row, "origin", network, &mut errors);
        let to = table.place(row, "destination", network, &mut errors);
        if from.is_some() && from == to {
            errors.push(table.error(row, "destination", "is the same place as `origin`"));
        }
        let cargo = table.country(row, "cargo", &mut errors);
        let modes = parse_modes(&table, row, &mut errors);
        let tonnes = table.number(row, "tonnes_per_year", 0.0, None, &mut errors);
        let confidence = table.confidence(row, "confidence", &mut errors);
        let source = table.text(row, "source", &mut errors);
        if errors.len() > before {
            continue;
        }
        if let (Some(from), Some(to), Some(cargo), Some(t), Some(confidence), Some(source)) =
            (from, to, cargo, tonnes, confidence, source)
        {
            rows.push(DemandRow {
                id,
                from,
                to,
                cargo,
                modes,
                tonnes_per_year: t,
                confidence,
                source,
            });
        }
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors)
    }
}

/// `rail`, `road` or `rail|road`.
fn parse_modes(table: &Table, row: &super::table::Row, errors: &mut Vec<DataError>) -> Vec<Mode> {
    let mut modes = Vec::new();
    for m in table.get(row, "modes").split('|').map(str::trim) {
        match Mode::parse(m) {
            Some(Mode::Ferry) => errors.push(table.error(
                row,
                "modes",
                "list rail and/or road; ferries follow what they carry",
            )),
            Some(mode) if !modes.contains(&mode) => modes.push(mode),
            Some(_) => {}
            None => errors.push(table.error(
                row,
                "modes",
                format!("{m:?} is not rail or road (write both as rail|road)"),
            )),
        }
    }
    modes
}
