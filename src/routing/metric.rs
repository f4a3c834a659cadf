//! What a search minimises ([`Metric`]) and what a path adds up to ([`Totals`]).
//!
//! # Units
//! Distance in kilometres, time in hours, money in US dollars per tonne; the generalized cost is
//! in US dollars per tonne (money plus value of time times hours).

use std::fmt;

use crate::network::CostModel;

/// The cost a search minimises. Every arc has a length, a time and a price; a metric turns them
/// into one number.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Metric {
    /// Hours: running time, border dwell, transfers, ferry waits and policy delays.
    Time,
    /// Kilometres travelled (transfers and borders add nothing).
    Distance,
    /// US dollars per tonne: tariffs per tonne-km by mode, border fees, transfers and policy
    /// charges.
    Money,
    /// US dollars per tonne: money plus `value_of_time_usd_per_t_h` times hours.
    Generalized { value_of_time_usd_per_t_h: f64 },
}

impl Metric {
    /// The generalized cost with the data's value of time.
    pub fn generalized(costs: &CostModel) -> Metric {
        Metric::Generalized {
            value_of_time_usd_per_t_h: costs.value_of_time_usd_per_t_h,
        }
    }

    /// Parses `time`, `distance`, `money` or `generalized` (the latter with `costs`' value of
    /// time).
    pub fn parse(s: &str, costs: &CostModel) -> Option<Metric> {
        match s {
            "time" => Some(Metric::Time),
            "distance" => Some(Metric::Distance),
            "money" => Some(Metric::Money),
            "generalized" => Some(Metric::generalized(costs)),
            _ => None,
        }
    }

    pub fn name(&self) -> &'static str {
        match self {
            Metric::Time => "time",
            Metric::Distance => "distance",
            Metric::Money => "money",
            Metric::Generalized { .. } => "generalized",
        }
    }

    /// The unit of [`Metric::cost`].
    pub fn unit(&self) -> &'static str {
        match self {
            Metric::Time => "h",
            Metric::Distance => "km",
            Metric::Money | Metric::Generalized { .. } => "USD/t",
        }
    }

    /// One number from a length, a time and a price.
    ///
    /// # Units
    /// `km` kilometres, `hours` hours, `usd_per_t` US dollars per tonne; returns [`Metric::unit`].
    #[inline]
    pub fn cost(&self, km: f64, hours: f64, usd_per_t: f64) -> f64 {
        match *self {
            Metric::Time => hours,
            Metric::Distance => km,
            Metric::Money => usd_per_t,
            Metric::Generalized {
                value_of_time_usd_per_t_h,
            } => usd_per_t + value_of_time_usd_per_t_h * hours,
        }
    }
}

impl fmt::Display for Metric {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What a path adds up to in every metric.
///
/// What every model hour is: the label outputs give hours (see `output/README.md`).
pub const HOURS_NOTE: &str =
    "h = running time plus modelled dwell (border crossings, gauge changes, \
     transshipments, ferry waits), not a door-to-door time: published averages are longer (about 7 \
     days Yerevan–Russia by truck, caucasus-facts §12.7)";

/// The name of an hours column or key in CSV and JSON outputs, saying what the hours are.
pub const HOURS_COLUMN: &str = "hours_running_dwell";

/// # Units
/// `km` kilometres, `hours` hours (running time plus modelled dwell, [`HOURS_NOTE`]), `usd_per_t`
/// US dollars per tonne.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Totals {
    pub km: f64,
    pub hours: f64,
    pub usd_per_t: f64,
}

impl Totals {
    /// The path's cost in `metric`.
    pub fn cost(&self, metric: Metric) -> f64 {
        metric.cost(self.km, self.hours, self.usd_per_t)
    }
}

impl std::ops::AddAssign for Totals {
    fn add_assign(&mut self, o: Totals) {
        self.km += o.km;
        self.hours += o.hours;
        self.usd_per_t += o.usd_per_t;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generalized_cost_adds_value_of_time() {
        let m = Metric::Generalized {
            value_of_time_usd_per_t_h: 0.5,
        };
        assert_eq!(m.cost(100.0, 10.0, 4.0), 9.0);
        assert_eq!(Metric::Time.cost(100.0, 10.0, 4.0), 10.0);
        assert_eq!(Metric::Distance.cost(100.0, 10.0, 4.0), 100.0);
        assert_eq!(Metric::Money.cost(100.0, 10.0, 4.0), 4.0);
    }
}
