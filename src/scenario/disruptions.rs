//! Disruptions (`disruptions.csv`): for a link or a border crossing, the probability that it is
//! closed on a given day and the distribution of the extra waiting time when it is open, each row
//! with its source and confidence. The Monte Carlo simulation ([`crate::sim::reliability`]) draws
//! them.
//!
//! ```text
//! id,target,closure_probability,dwell_min_h,dwell_mode_h,dwell_max_h,confidence,source
//! upper-lars-weather,bx-upper-lars:road,0.05,0,4,48,L,"modelling assumption: ..."
//! ```
//!
//! `target` names a link id, a border crossing id (every mode it has) or `crossing:rail` /
//! `crossing:road`, as the `open` and `close` lists of `scenarios.toml` do.
//!
//! Two optional columns date a row: `from` and `until` (ISO `YYYY-MM-DD`, both days included;
//! empty = open-ended). A scenario draws only the rows in force on its `as_of` date
//! ([`in_force`]); a scenario without a date draws every row.
//!
//! # Units
//! Probability per draw (a day) in `[0, 1]`; dwell times in hours, a triangular distribution
//! `min <= mode <= max`.

use std::path::Path;

use crate::network::input::read_input;
use crate::network::{DataError, Network};

use super::table::{SourceConfidence, Table};
use super::{parse_target, Date, Target};

/// A triangular distribution, the usual three-point estimate (least, most likely, most).
///
/// # Units
/// Hours.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Triangular {
    pub min: f64,
    pub mode: f64,
    pub max: f64,
}

impl Triangular {
    /// The value at quantile `u` in `[0, 1)` (inverse of the distribution function), so that a
    /// uniform draw gives a triangular one.
    pub fn quantile(&self, u: f64) -> f64 {
        let Triangular { min, mode, max } = *self;
        let width = max - min;
        if width <= 0.0 {
            return min;
        }
        let split = (mode - min) / width;
        if u < split {
            min + (u * width * (mode - min)).sqrt()
        } else {
            max - ((1.0 - u) * width * (max - mode)).sqrt()
        }
    }

    /// The mean `(min + mode + max) / 3`.
    pub fn mean(&self) -> f64 {
        (self.min + self.mode + self.max) / 3.0
    }
}

/// One disrupted element.
#[derive(Debug, Clone, PartialEq)]
pub struct Disruption {
    pub id: String,
    pub target: Target,
    /// Probability that the element is closed in a draw (the share of days closed).
    pub closure_probability: f64,
    /// Extra hours spent on the element in a draw where it is open (per passage).
    pub dwell_h: Triangular,
    pub confidence: SourceConfidence,
    pub source: String,
    /// First day in force (`None`: always was).
    pub from: Option<Date>,
    /// Last day in force (`None`: still is).
    pub until: Option<Date>,
}

impl Disruption {
    /// Whether the row is in force on `as_of` (every row is when there is no date).
    pub fn in_force(&self, as_of: Option<Date>) -> bool {
        as_of.is_none_or(|d| self.from.is_none_or(|f| f <= d) && self.until.is_none_or(|u| d <= u))
    }
}

/// The rows of `disruptions` in force on `as_of`, in file order.
pub fn in_force(disruptions: &[Disruption], as_of: Option<Date>) -> Vec<Disruption> {
    disruptions
        .iter()
        .filter(|d| d.in_force(as_of))
        .cloned()
        .collect()
}

const OPTIONAL: [&str; 2] = ["from", "until"];

const REQUIRED: [&str; 8] = [
    "id",
    "target",
    "closure_probability",
    "dwell_min_h",
    "dwell_mode_h",
    "dwell_max_h",
    "confidence",
    "source",
];

/// Reads and checks `disruptions.csv`.
///
/// # Errors
/// Every problem found, each naming the file, the line and the field: a missing or unknown
/// column, an invalid or repeated id, an unknown link or crossing (with the closest place ids), a
/// probability outside `[0, 1]`, dwell times that are negative or not ordered `min <= mode <=
/// max`, a confidence other than H, M, L, an empty source.
pub fn load_disruptions(path: &Path, network: &Network) -> Result<Vec<Disruption>, Vec<DataError>> {
    let text = read_input(path).map_err(|e| vec![e])?;
    parse_disruptions(path, &text, network)
}

/// Parses the text of a `disruptions.csv`; `path` only names the file in messages.
///
/// # Errors
/// As [`load_disruptions`].
pub fn parse_disruptions(
    path: &Path,
    text: &str,
    network: &Network,
) -> Result<Vec<Disruption>, Vec<DataError>> {
    let table = Table::parse(path, text, &REQUIRED, &OPTIONAL)?;
    let mut errors = Vec::new();
    let ids = table.ids();
    let mut out: Vec<Disruption> = Vec::new();
    for (row, (id, problem)) in table.rows.iter().zip(ids) {
        let before = errors.len();
        errors.extend(problem);
        let name = table.get(row, "target");
        let target = match parse_target(network, name) {
            Ok(t) => Some(t),
            Err(problem) => {
                let node = name.split(':').next().unwrap_or(name);
                let hint = match network.find_place(node) {
                    Err(e)
                        if network.link_id(name).is_none() && network.node_id(node).is_none() =>
                    {
                        format!("; closest places: {}", e.suggestions.join(", "))
                    }
                    _ => String::new(),
                };
                errors.push(table.error(row, "target", format!("{problem}{hint}")));
                None
            }
        };
        let p = table.number(row, "closure_probability", 0.0, Some(1.0), &mut errors);
        let min = table.number(row, "dwell_min_h", 0.0, None, &mut errors);
        let mode = table.number(row, "dwell_mode_h", 0.0, None, &mut errors);
        let max = table.number(row, "dwell_max_h", 0.0, None, &mut errors);
        if let (Some(a), Some(b), Some(c)) = (min, mode, max) {
            if !(a <= b && b <= c) {
                errors.push(table.error(
                    row,
                    "dwell_mode_h",
                    format!("dwell times {a}, {b}, {c} must be ordered min <= mode <= max"),
                ));
            }
        }
        let mut date = |field: &str| -> Option<Date> {
            let v = table.get(row, field);
            if v.is_empty() {
                return None;
            }
            let d = Date::parse(v);
            if d.is_none() {
                errors.push(table.error(row, field, format!("{v:?} is not a date YYYY-MM-DD")));
            }
            d
        };
        let (from, until) = (date("from"), date("until"));
        if let (Some(f), Some(u)) = (from, until) {
            if u < f {
                errors.push(table.error(row, "until", format!("{u} is before `from` {f}")));
            }
        }
        let confidence = table.confidence(row, "confidence", &mut errors);
        let source = table.text(row, "source", &mut errors);
        if errors.len() > before {
            continue;
        }
        if let (Some(target), Some(p), Some(min), Some(mode), Some(max), Some(c), Some(s)) =
            (target, p, min, mode, max, confidence, source)
        {
            out.push(Disruption {
                id,
                target,
                closure_probability: p,
                dwell_h: Triangular { min, mode, max },
                confidence: c,
                source: s,
                from,
                until,
            });
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn triangular_quantiles_span_the_range_and_average_to_the_mean() {
        let t = Triangular {
            min: 2.0,
            mode: 4.0,
            max: 12.0,
        };
        assert_eq!(t.quantile(0.0), 2.0);
        assert!((t.quantile(1.0 - 1e-12) - 12.0).abs() < 1e-4);
        // The mode sits at quantile (mode - min) / (max - min).
        assert!((t.quantile(0.2) - 4.0).abs() < 1e-12);
        let n = 100_000;
        let mean: f64 = (0..n)
            .map(|i| t.quantile((i as f64 + 0.5) / n as f64))
            .sum::<f64>()
            / n as f64;
        assert!((mean - t.mean()).abs() < 1e-3, "{mean}");
        let point = Triangular {
            min: 3.0,
            mode: 3.0,
            max: 3.0,
        };
        assert_eq!(point.quantile(0.7), 3.0);
    }
}
