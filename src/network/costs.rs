//! The cost model of a data folder (`costs.toml`): haulage tariffs, default speeds, border and
//! transfer times and fees, and the value of time. Figures live in data, with their sources, never
//! in code.

use std::path::Path;

use serde::Deserialize;

use super::error::DataError;
use super::Mode;

/// Tariffs and defaults used to price a path.
///
/// # Units
/// Tariffs in USD per tonne-km, speeds in km/h, times in hours, fees in USD per tonne, value of
/// time in USD per tonne-hour.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CostModel {
    pub value_of_time_usd_per_t_h: f64,
    pub tariff_usd_per_tkm: PerMode,
    pub speed_kmh: PerMode,
    pub border: BorderDefaults,
    pub transfer: TransferCosts,
    #[serde(default)]
    pub sources: Vec<CostSource>,
}

#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PerMode {
    pub rail: f64,
    pub road: f64,
    pub ferry: f64,
}

impl PerMode {
    pub fn get(&self, mode: Mode) -> f64 {
        match mode {
            Mode::Rail => self.rail,
            Mode::Road => self.road,
            Mode::Ferry => self.ferry,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BorderDefaults {
    pub dwell_h_rail: f64,
    pub dwell_h_road: f64,
    pub fee_usd_per_t: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransferCosts {
    pub gauge_change_h: f64,
    pub gauge_change_usd_per_t: f64,
    pub transship_h: f64,
    pub transship_usd_per_t: f64,
}

/// Where a group of figures comes from.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CostSource {
    pub keys: Vec<String>,
    pub source: String,
    #[serde(default)]
    pub confidence: Option<String>,
}

impl CostModel {
    /// Reads and checks `costs.toml`.
    ///
    /// # Errors
    /// A [`DataError`] naming the file and the field when the TOML is malformed, a field is
    /// missing or unknown, or a figure is negative or not finite (speeds must be positive).
    pub fn load(path: &Path) -> Result<CostModel, DataError> {
        let text = super::input::read_input(path)?;
        Self::parse(path, &text)
    }

    /// Parses and checks the text of a `costs.toml`; `path` only names the file in messages.
    ///
    /// # Errors
    /// As [`CostModel::load`].
    pub fn parse(path: &Path, text: &str) -> Result<CostModel, DataError> {
        let model: CostModel = super::input::parse_toml(path, text)?;
        model.validate(path)?;
        Ok(model)
    }

    fn validate(&self, path: &Path) -> Result<(), DataError> {
        let bad = |field: &str, value: f64, need: &str| DataError::Entry {
            path: path.to_path_buf(),
            kind: "cost",
            id: "costs".into(),
            field: field.into(),
            problem: format!("{} is not {need}", super::error::num(value)),
        };
        use super::input::limits::{HOURS, SPEED_KMH, USD_PER_T};
        // Upper bounds keep every path cost finite (a `1e308` tariff times a distance would
        // overflow to infinity and read as "unreachable").
        let non_negative = [
            (
                "value_of_time_usd_per_t_h",
                self.value_of_time_usd_per_t_h,
                USD_PER_T,
            ),
            ("tariff_usd_per_tkm.rail", self.tariff_usd_per_tkm.rail, 1e3),
            ("tariff_usd_per_tkm.road", self.tariff_usd_per_tkm.road, 1e3),
            (
                "tariff_usd_per_tkm.ferry",
                self.tariff_usd_per_tkm.ferry,
                1e3,
            ),
            ("border.dwell_h_rail", self.border.dwell_h_rail, HOURS),
            ("border.dwell_h_road", self.border.dwell_h_road, HOURS),
            ("border.fee_usd_per_t", self.border.fee_usd_per_t, USD_PER_T),
            (
                "transfer.gauge_change_h",
                self.transfer.gauge_change_h,
                HOURS,
            ),
            (
                "transfer.gauge_change_usd_per_t",
                self.transfer.gauge_change_usd_per_t,
                USD_PER_T,
            ),
            ("transfer.transship_h", self.transfer.transship_h, HOURS),
            (
                "transfer.transship_usd_per_t",
                self.transfer.transship_usd_per_t,
                USD_PER_T,
            ),
        ];
        for (field, v, max) in non_negative {
            if !(v.is_finite() && v >= 0.0 && v <= max) {
                return Err(bad(field, v, &format!("a number in 0..={max}")));
            }
        }
        for (field, v) in [
            ("speed_kmh.rail", self.speed_kmh.rail),
            ("speed_kmh.road", self.speed_kmh.road),
            ("speed_kmh.ferry", self.speed_kmh.ferry),
        ] {
            if !(v.is_finite() && v > 0.0 && v <= SPEED_KMH) {
                return Err(bad(field, v, &format!("a number > 0 and <= {SPEED_KMH}")));
            }
        }
        Ok(())
    }
}

impl Default for CostModel {
    /// Neutral figures for networks without a `costs.toml` (imported OSM or TNTP networks):
    /// every metric but time and distance is then only indicative.
    fn default() -> Self {
        CostModel {
            value_of_time_usd_per_t_h: 0.0,
            tariff_usd_per_tkm: PerMode {
                rail: 0.0,
                road: 0.0,
                ferry: 0.0,
            },
            speed_kmh: PerMode {
                rail: 50.0,
                road: 60.0,
                ferry: 20.0,
            },
            border: BorderDefaults {
                dwell_h_rail: 0.0,
                dwell_h_road: 0.0,
                fee_usd_per_t: 0.0,
            },
            transfer: TransferCosts {
                gauge_change_h: 0.0,
                gauge_change_usd_per_t: 0.0,
                transship_h: 0.0,
                transship_usd_per_t: 0.0,
            },
            sources: Vec::new(),
        }
    }
}
