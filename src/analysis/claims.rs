//! The claims of the seed article (`seeds/claims.toml`) and their verdicts.
//!
//! A claim names the trade routes that test it, the scenarios in which it should hold and a test:
//! `reachable` (the route is reachable by its own modes) or `via` (reachable by a path through
//! every listed place: node ids, or country codes for countries crossed). A `via` path counts only
//! when it is a simple path (no place twice) costing at most [`VIA_TOLERANCE`] times the route's
//! best path: a claim of access *through* a place is about a practical route, not a detour that
//! touches it. A claim holds in a scenario when at least one of its routes passes the test there; the model **confirms** it when
//! it holds in every listed scenario, **partly** confirms it when it holds in some, and does **not
//! confirm** it otherwise. Whether it already held in the baseline is reported beside the verdict.

use std::path::Path;

use serde::Deserialize;

use crate::network::load::read_input;
use crate::network::DataError;

use super::compare::Outcome;

/// A `via` path counts when it costs at most this many times the route's best path.
pub const VIA_TOLERANCE: f64 = 1.5;

/// One claim as written in `claims.toml`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Claim {
    pub id: String,
    pub speaker: String,
    pub quote: String,
    pub routes: Vec<String>,
    pub scenarios: Vec<String>,
    pub baseline: String,
    pub test: ClaimTest,
    #[serde(default)]
    pub via: Vec<String>,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ClaimTest {
    Reachable,
    Via,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    claim: Vec<Claim>,
}

/// Reads `claims.toml` and checks that its routes and scenarios exist.
///
/// # Errors
/// Malformed TOML, unknown fields, a `via` test without places, an unknown route or scenario.
pub fn load_claims(
    path: &Path,
    route_ids: &[&str],
    scenario_ids: &[&str],
) -> Result<Vec<Claim>, Vec<DataError>> {
    let text = read_input(path).map_err(|e| vec![e])?;
    parse_claims(path, &text, route_ids, scenario_ids)
}

/// Parses the text of a `claims.toml` and checks that its routes and scenarios exist; `path`
/// only names the file in messages.
///
/// # Errors
/// As [`load_claims`].
pub fn parse_claims(
    path: &Path,
    text: &str,
    route_ids: &[&str],
    scenario_ids: &[&str],
) -> Result<Vec<Claim>, Vec<DataError>> {
    let raw: RawFile = toml::from_str(text).map_err(|e| {
        vec![DataError::Toml {
            path: path.to_path_buf(),
            message: e.to_string().trim_end().to_string(),
        }]
    })?;
    let mut errors = Vec::new();
    for c in &raw.claim {
        let mut err = |field: &str, problem: String| {
            errors.push(DataError::Entry {
                path: path.to_path_buf(),
                kind: "claim",
                id: c.id.clone(),
                field: field.into(),
                problem,
            })
        };
        for r in &c.routes {
            if !route_ids.contains(&r.as_str()) {
                err("routes", format!("unknown route {r:?}"));
            }
        }
        for s in c.scenarios.iter().chain(std::iter::once(&c.baseline)) {
            if !scenario_ids.contains(&s.as_str()) {
                err("scenarios", format!("unknown scenario {s:?}"));
            }
        }
        if c.test == ClaimTest::Via && c.via.is_empty() {
            err("via", "a `via` test needs at least one place".into());
        }
        if c.routes.is_empty() || c.scenarios.is_empty() {
            err("routes", "a claim needs routes and scenarios".into());
        }
    }
    if errors.is_empty() {
        Ok(raw.claim)
    } else {
        Err(errors)
    }
}

/// How one route fared under one scenario, for a claim's test.
#[derive(Debug, Clone, PartialEq)]
pub struct RouteCheck {
    /// The best path under the chosen metric.
    pub best: Outcome,
    /// Whether the best path passes every `via` place (true for `reachable` tests when reachable).
    pub best_passes: bool,
    /// The best path among those that pass every `via` place, if any (simple, and within
    /// [`VIA_TOLERANCE`] of the best).
    pub passing: Option<Outcome>,
    /// A path through the `via` places that was found but does not count, and why.
    pub detour: Option<(Outcome, String)>,
}

impl RouteCheck {
    pub fn passes(&self) -> bool {
        self.passing.as_ref().is_some_and(|o| o.reachable)
    }
}

/// The verdict on a claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Confirmed,
    Partly,
    NotConfirmed,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Confirmed => "confirmed",
            Verdict::Partly => "partly confirmed",
            Verdict::NotConfirmed => "not confirmed",
        }
    }
}

/// A claim's verdict with the figures behind it.
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimResult {
    pub claim: Claim,
    pub verdict: Verdict,
    /// Whether the claim already held in the baseline.
    pub held_in_baseline: bool,
    /// Per (scenario, route): the check. The baseline comes first.
    pub checks: Vec<(String, String, RouteCheck)>,
    /// One line per route and scenario, for reports.
    pub figures: Vec<String>,
}

/// Evaluates a claim with `check(route, scenario)`.
pub fn evaluate(claim: &Claim, mut check: impl FnMut(&str, &str) -> RouteCheck) -> ClaimResult {
    let mut checks = Vec::new();
    let scenarios: Vec<&String> = std::iter::once(&claim.baseline)
        .chain(claim.scenarios.iter().filter(|s| **s != claim.baseline))
        .collect();
    for s in &scenarios {
        for r in &claim.routes {
            checks.push(((*s).clone(), r.clone(), check(r, s)));
        }
    }
    let holds_in = |s: &str| checks.iter().any(|(cs, _, c)| cs == s && c.passes());
    let held_in_baseline = holds_in(&claim.baseline);
    let holding = claim.scenarios.iter().filter(|s| holds_in(s)).count();
    let verdict = if holding == claim.scenarios.len() {
        Verdict::Confirmed
    } else if holding > 0 {
        Verdict::Partly
    } else {
        Verdict::NotConfirmed
    };
    let via = if claim.test == ClaimTest::Via {
        format!(" via {}", claim.via.join(", "))
    } else {
        String::new()
    };
    let figures = checks
        .iter()
        .map(|(s, r, c)| {
            let result = match (&c.passing, c.best.reachable) {
                (_, false) => "unreachable".to_string(),
                (Some(p), true) if c.best_passes => format!("{}{via}: {}", "reachable", p.summary),
                (Some(p), true) => format!(
                    "reachable{via} ({}), but the best path goes otherwise ({})",
                    p.summary, c.best.summary
                ),
                (None, true) => match &c.detour {
                    Some((d, why)) => format!(
                        "reachable only otherwise ({}); {via} only as a detour ({}: {why})",
                        c.best.summary,
                        d.summary,
                        via = via.trim_start()
                    ),
                    None => format!("reachable only otherwise ({}), not{via}", c.best.summary),
                },
            };
            format!("{r} under {s}: {result}")
        })
        .collect();
    ClaimResult {
        claim: claim.clone(),
        verdict,
        held_in_baseline,
        checks,
        figures,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claim() -> Claim {
        Claim {
            id: "c".into(),
            speaker: "s".into(),
            quote: "q".into(),
            routes: vec!["r".into()],
            scenarios: vec!["a".into(), "b".into()],
            baseline: "base".into(),
            test: ClaimTest::Via,
            via: vec!["AM".into()],
            note: None,
        }
    }

    fn reached(summary: &str) -> Outcome {
        Outcome {
            reachable: true,
            summary: summary.into(),
            ..Outcome::unreachable()
        }
    }

    #[test]
    fn verdicts_follow_the_scenarios_in_which_the_claim_holds() {
        let check = |_: &str, s: &str| match s {
            "a" => RouteCheck {
                best: reached("460 km"),
                best_passes: true,
                passing: Some(reached("460 km")),
                detour: None,
            },
            "b" => RouteCheck {
                best: reached("900 km via Iran"),
                best_passes: false,
                passing: None,
                detour: Some((reached("2,000 km"), "4.3x the best cost".into())),
            },
            _ => RouteCheck {
                best: Outcome::unreachable(),
                best_passes: false,
                passing: None,
                detour: None,
            },
        };
        let result = evaluate(&claim(), check);
        assert_eq!(result.verdict, Verdict::Partly);
        assert!(!result.held_in_baseline);
        assert_eq!(result.figures[0], "r under base: unreachable");
        assert_eq!(result.figures[1], "r under a: reachable via AM: 460 km");
        assert!(
            result.figures[2].contains("reachable only otherwise"),
            "{}",
            result.figures[2]
        );
    }
}
