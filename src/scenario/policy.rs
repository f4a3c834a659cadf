//! Access policy: rules `(cargo origin, destination country, transit country or crossing, mode)
//! -> allow | deny | penalty`, checked during the search so that one compiled graph serves cargo of
//! every origin and destination.
//!
//! Rules are checked in order and the **last** matching rule wins, so that a scenario built on a
//! base lifts a base rule by appending an `allow`.
//!
//! Where a rule applies on a path:
//! - `transit = "<country>"`: in that country when it is a *transit* country, neither the country
//!   of the route's first place nor of its last;
//! - `transit = "<border node>"`: at that crossing, whatever the route's ends;
//! - `transit = "*"`: in **every** country of the path, the route's own end countries included.
//!   A `deny` with `transit = "*"` therefore forbids the trade itself (Azerbaijan–Armenia trade in
//!   2021, Turkish-origin goods bound for Armenia), not only its transit.

use serde::Deserialize;

use crate::network::{Country, Mode, Network, NodeId, NodeKind};

/// What a rule applies to on the path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transit {
    /// Every country of the path, the route's end countries included.
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

impl Action {
    /// `allow`, `deny` or `penalty`, as written in `scenarios.toml`.
    pub fn name(&self) -> &'static str {
        match self {
            Action::Allow => "allow",
            Action::Deny => "deny",
            Action::Penalty { .. } => "penalty",
        }
    }
}

/// One access rule.
#[derive(Debug, Clone, PartialEq)]
pub struct PolicyRule {
    /// `None` matches every cargo origin.
    pub cargo: Option<Country>,
    /// The cargo's destination country; `None` matches every destination.
    pub to: Option<Country>,
    pub transit: Transit,
    /// `None` matches every mode.
    pub mode: Option<Mode>,
    pub action: Action,
    pub why: String,
}

/// The cargo a rule is asked about: where it comes from and where it goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cargo {
    /// Origin country of the goods.
    pub origin: Country,
    /// Destination country of the trip (the country of the route's last place unless given).
    pub to: Country,
}

impl PolicyRule {
    /// Whether the rule applies to `cargo` moving by `mode` into `transit`.
    ///
    /// `Transit::Any` in the rule matches every `transit`; the caller decides where on the path a
    /// rule with a country applies (see the module docs).
    pub fn matches(&self, cargo: Cargo, transit: Transit, mode: Mode) -> bool {
        self.cargo.is_none_or(|c| c == cargo.origin)
            && self.to.is_none_or(|c| c == cargo.to)
            && self.mode.is_none_or(|m| m == mode)
            && (self.transit == Transit::Any || self.transit == transit)
    }

    /// The rule in plain words, e.g. "allows cargo of any origin bound for Armenia across
    /// Türkiye (rail only)"; `network` names a crossing.
    pub fn describe(&self, network: &Network) -> String {
        let verb = match self.action {
            Action::Allow => "allows",
            Action::Deny => "bars",
            Action::Penalty { .. } => "charges",
        };
        let mut s = match self.cargo {
            None => format!("{verb} cargo of any origin"),
            Some(c) => format!("{verb} cargo from {}", c.name()),
        };
        if let Some(to) = self.to {
            s.push_str(&format!(" bound for {}", to.name()));
        }
        match self.transit {
            Transit::Any => s.push_str(", by any route"),
            Transit::Country(c) => s.push_str(&format!(" across {}", c.name())),
            Transit::Crossing(n) => s.push_str(&format!(" through {}", network.node(n).name)),
        }
        if let Some(m) = self.mode {
            s.push_str(&format!(" ({} only)", m.as_str()));
        }
        s
    }

    /// Whether two rules match exactly the same cargo, destination, transit and mode.
    fn same_match(&self, other: &PolicyRule) -> bool {
        self.cargo == other.cargo
            && self.to == other.to
            && self.transit == other.transit
            && self.mode == other.mode
    }

    pub(super) fn from_raw(raw: &RawRule, network: &Network) -> Result<Self, (String, String)> {
        let country = |field: &str, code: &str| -> Result<Option<Country>, (String, String)> {
            if code == "*" {
                return Ok(None);
            }
            let c = Country::parse(code).ok_or_else(|| {
                (
                    field.to_string(),
                    format!("{code:?} is not a country code or \"*\""),
                )
            })?;
            if c.is_assigned() {
                Ok(Some(c))
            } else {
                Err((
                    field.to_string(),
                    format!("{code:?} is not an assigned ISO 3166-1 alpha-2 country code"),
                ))
            }
        };
        let cargo = country("cargo", raw.cargo.as_deref().unwrap_or("*"))?;
        let to = country("to", raw.to.as_deref().unwrap_or("*"))?;
        let transit = match raw.transit.as_str() {
            "*" => Transit::Any,
            t => match network.node_id(t) {
                Some(n) if network.node(n).kind == NodeKind::Border => Transit::Crossing(n),
                _ => match Country::parse(t) {
                    // `t` is not "*", so `country` gives a code.
                    Some(_) => country("transit", t)?.map_or(Transit::Any, Transit::Country),
                    None => {
                        return Err((
                            "transit".to_string(),
                            format!("{t:?} is neither a country code, a border node id nor \"*\""),
                        ))
                    }
                },
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
            to,
            transit,
            mode,
            action,
            why: raw.why.clone().unwrap_or_default(),
        })
    }
}

/// Two rules of one scenario that match the same cargo, destination, transit and mode but act
/// differently: the earlier is dead (the last matching rule wins), which is almost always a
/// mistake in the data. Returns the pairs `(earlier, later)` of rule indices.
pub fn contradictions(rules: &[PolicyRule]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for (j, later) in rules.iter().enumerate() {
        for (i, earlier) in rules[..j].iter().enumerate() {
            if earlier.same_match(later) && earlier.action != later.action {
                out.push((i, j));
            }
        }
    }
    out
}

/// The last matching rule's action for `cargo` entering `transit` by `mode`, or
/// [`Action::Allow`] when no rule matches.
pub fn decide(rules: &[PolicyRule], cargo: Cargo, transit: Transit, mode: Mode) -> Action {
    rules
        .iter()
        .rev()
        .find(|r| r.matches(cargo, transit, mode))
        .map_or(Action::Allow, |r| r.action)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRule {
    /// Absent: any origin (as `"*"`).
    cargo: Option<String>,
    /// Absent: any destination (as `"*"`); files written before destinations existed load as
    /// they did.
    to: Option<String>,
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

    fn code(c: &str) -> Country {
        Country::parse(c).unwrap()
    }

    fn rule(cargo: &str, to: &str, transit: Transit, action: Action) -> PolicyRule {
        PolicyRule {
            cargo: Country::parse(cargo),
            to: Country::parse(to),
            transit,
            mode: None,
            action,
            why: String::new(),
        }
    }

    fn cargo(origin: &str, to: &str) -> Cargo {
        Cargo {
            origin: code(origin),
            to: code(to),
        }
    }

    #[test]
    fn the_last_matching_rule_wins() {
        let az = code("AZ");
        let rules = vec![
            rule("AM", "*", Transit::Country(az), Action::Deny),
            rule("AM", "*", Transit::Country(az), Action::Allow),
        ];
        let am_ru = cargo("AM", "RU");
        assert_eq!(
            decide(&rules, am_ru, Transit::Country(az), Mode::Rail),
            Action::Allow
        );
        assert_eq!(
            decide(&rules[..1], am_ru, Transit::Country(az), Mode::Rail),
            Action::Deny
        );
        // Other cargo is untouched.
        assert_eq!(
            decide(
                &rules[..1],
                cargo("AZ", "RU"),
                Transit::Country(az),
                Mode::Rail
            ),
            Action::Allow
        );
        assert_eq!(contradictions(&rules), vec![(0, 1)]);
    }

    #[test]
    fn a_destination_rule_matches_every_origin_bound_there() {
        let az = Transit::Country(code("AZ"));
        let rules = vec![rule("*", "AM", az, Action::Deny)];
        for origin in ["RU", "KZ", "IR", "AM"] {
            assert_eq!(
                decide(&rules, cargo(origin, "AM"), az, Mode::Rail),
                Action::Deny,
                "{origin}"
            );
        }
        // The same cargo bound elsewhere passes.
        assert_eq!(
            decide(&rules, cargo("RU", "GE"), az, Mode::Rail),
            Action::Allow
        );
        // A pair rule: only that origin to that destination.
        let pair = vec![rule("TR", "AM", Transit::Any, Action::Deny)];
        assert_eq!(
            decide(&pair, cargo("TR", "AM"), az, Mode::Road),
            Action::Deny
        );
        assert_eq!(
            decide(&pair, cargo("IR", "AM"), az, Mode::Road),
            Action::Allow
        );
        assert_eq!(
            decide(&pair, cargo("TR", "GE"), az, Mode::Road),
            Action::Allow
        );
        // Same match, same action: not a contradiction; different destination: not the same match.
        let rules = vec![
            rule("*", "AM", az, Action::Deny),
            rule("*", "AM", az, Action::Deny),
            rule("*", "GE", az, Action::Allow),
        ];
        assert!(contradictions(&rules).is_empty());
    }
}
