//! Access policy: rules `(cargo origin, transit country or crossing, mode) -> allow | deny |
//! penalty`, checked during the search so that one compiled graph serves cargo of every origin.
//!
//! Rules are checked in order and the **last** matching rule wins, so that a scenario built on a
//! base lifts a base rule by appending an `allow`.

use serde::Deserialize;

use crate::network::{Country, Mode, Network, NodeId, NodeKind};

/// What a rule applies to on the path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transit {
    /// Any country or crossing.
    Any,
    /// Entering this country as a transit country (neither the route's origin nor destination).
    Country(Country),
    /// Passing this border crossing (whatever the route's ends).
    Crossing(NodeId),
}

/// A rule's effect.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Action {
    Allow,
    Deny,
    /// Extra time and money on top of the crossing's own.
    Penalty {
        hours: f64,
        usd_per_t: f64,
    },
}

/// One access rule.
#[derive(Debug, Clone, PartialEq)]
pub struct PolicyRule {
    /// `None` matches every cargo origin.
    pub cargo: Option<Country>,
    pub transit: Transit,
    /// `None` matches every mode.
    pub mode: Option<Mode>,
    pub action: Action,
    pub why: String,
}

impl PolicyRule {
    /// Whether the rule applies to `cargo` moving by `mode` into `transit`.
    pub fn matches(&self, cargo: Country, transit: Transit, mode: Mode) -> bool {
        self.cargo.is_none_or(|c| c == cargo)
            && self.mode.is_none_or(|m| m == mode)
            && (self.transit == Transit::Any || self.transit == transit)
    }

    pub(super) fn from_raw(raw: &RawRule, network: &Network) -> Result<Self, (String, String)> {
        let cargo = match raw.cargo.as_str() {
            "*" => None,
            c => Some(Country::parse(c).ok_or_else(|| {
                (
                    "cargo".to_string(),
                    format!("{c:?} is not a country code or \"*\""),
                )
            })?),
        };
        let transit = match raw.transit.as_str() {
            "*" => Transit::Any,
            t => match network.node_id(t) {
                Some(n) if network.node(n).kind == NodeKind::Border => Transit::Crossing(n),
                _ => Transit::Country(Country::parse(t).ok_or_else(|| {
                    (
                        "transit".to_string(),
                        format!("{t:?} is neither a country code, a border node id nor \"*\""),
                    )
                })?),
            },
        };
        let mode = match raw.mode.as_deref().unwrap_or("any") {
            "any" => None,
            m => Some(Mode::parse(m).ok_or_else(|| {
                (
                    "mode".to_string(),
                    format!("{m:?} is not rail, road, ferry or any"),
                )
            })?),
        };
        let number = |field: &str, v: Option<f64>| -> Result<f64, (String, String)> {
            match v {
                Some(x) if x.is_finite() && x >= 0.0 => Ok(x),
                Some(x) => Err((field.to_string(), format!("{x} must be a number >= 0"))),
                None => Ok(0.0),
            }
        };
        let action = match raw.action.as_str() {
            "allow" => Action::Allow,
            "deny" => Action::Deny,
            "penalty" => {
                let hours = number("hours", raw.hours)?;
                let usd_per_t = number("usd_per_t", raw.usd_per_t)?;
                if hours == 0.0 && usd_per_t == 0.0 {
                    return Err((
                        "action".into(),
                        "a penalty needs `hours`, `usd_per_t` or both".into(),
                    ));
                }
                Action::Penalty { hours, usd_per_t }
            }
            a => {
                return Err((
                    "action".into(),
                    format!("{a:?} is not allow, deny or penalty"),
                ))
            }
        };
        Ok(PolicyRule {
            cargo,
            transit,
            mode,
            action,
            why: raw.why.clone().unwrap_or_default(),
        })
    }
}

/// The last matching rule's action for cargo of `cargo` entering `transit` by `mode`, or
/// [`Action::Allow`] when no rule matches.
pub fn decide(rules: &[PolicyRule], cargo: Country, transit: Transit, mode: Mode) -> Action {
    rules
        .iter()
        .rev()
        .find(|r| r.matches(cargo, transit, mode))
        .map_or(Action::Allow, |r| r.action)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRule {
    cargo: String,
    transit: String,
    mode: Option<String>,
    action: String,
    hours: Option<f64>,
    usd_per_t: Option<f64>,
    why: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(cargo: &str, transit: Transit, action: Action) -> PolicyRule {
        PolicyRule {
            cargo: Country::parse(cargo),
            transit,
            mode: None,
            action,
            why: String::new(),
        }
    }

    #[test]
    fn the_last_matching_rule_wins() {
        let am = Country::parse("AM").unwrap();
        let az = Country::parse("AZ").unwrap();
        let rules = vec![
            rule("AM", Transit::Country(az), Action::Deny),
            rule("AM", Transit::Country(az), Action::Allow),
        ];
        assert_eq!(
            decide(&rules, am, Transit::Country(az), Mode::Rail),
            Action::Allow
        );
        assert_eq!(
            decide(&rules[..1], am, Transit::Country(az), Mode::Rail),
            Action::Deny
        );
        // Other cargo is untouched.
        assert_eq!(
            decide(&rules[..1], az, Transit::Country(az), Mode::Rail),
            Action::Allow
        );
    }
}
