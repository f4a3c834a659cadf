//! The claims of the seed article (`seeds/claims.toml`) and their verdicts.
//!
//! A claim names the trade routes that test it, the scenarios in which it should hold and a test:
//! `reachable` (the route is reachable by its own modes) or `via` (reachable by a path through
//! every listed place: node ids, or country codes for countries crossed). A `via` path counts only
//! when it is a simple path (no place twice) costing at most [`VIA_TOLERANCE`] times the route's
//! best path: a claim of access *through* a place is about a practical route, not a detour that
//! touches it. A `reachable` test may list `via` places too: the connection the statement adds,
//! reported beside the verdict. A claim holds in a scenario when at least one of its routes
//! passes the test there. The verdict:
//!
//! - **new**: it fails in the baseline and holds in every listed scenario (only the statement's
//!   projects make it true);
//! - **already true**: it holds in the baseline; the projects add a connection or shorten the
//!   route, by how much is said;
//! - **partly**: it fails in the baseline and holds in some listed scenarios, not all;
//! - **not supported**: it holds nowhere.
//!
//! Each verdict comes with one sentence saying why ([`ClaimResult::why`]).

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
    /// True only with the statement's projects.
    New,
    /// True in the baseline already.
    AlreadyTrue,
    /// True in some of the listed scenarios, not in the baseline.
    Partly,
    /// True nowhere.
    NotSupported,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::New => "new",
            Verdict::AlreadyTrue => "already true",
            Verdict::Partly => "partly",
            Verdict::NotSupported => "not supported",
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
    /// Why the verdict, in one sentence.
    pub why: String,
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
    let test = claim.test;
    let holds = move |c: &RouteCheck| match test {
        ClaimTest::Reachable => c.best.reachable,
        ClaimTest::Via => c.passes(),
    };
    let holds_in = |s: &str| checks.iter().any(|(cs, _, c)| cs == s && holds(c));
    let held_in_baseline = holds_in(&claim.baseline);
    let holding: Vec<&String> = claim.scenarios.iter().filter(|s| holds_in(s)).collect();
    let verdict = if held_in_baseline {
        Verdict::AlreadyTrue
    } else if holding.len() == claim.scenarios.len() {
        Verdict::New
    } else if !holding.is_empty() {
        Verdict::Partly
    } else {
        Verdict::NotSupported
    };
    let why = why(claim, verdict, &checks, &holding, holds);
    let via = if !claim.via.is_empty() {
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
        why,
    }
}

/// The cheapest check of `scenario` among the claim's routes that satisfy `ok`.
fn best_check<'c>(
    checks: &'c [(String, String, RouteCheck)],
    scenario: &str,
    ok: impl Fn(&RouteCheck) -> bool,
) -> Option<&'c (String, String, RouteCheck)> {
    checks
        .iter()
        .filter(|(s, _, c)| s == scenario && ok(c))
        .min_by(|a, b| a.2.best.cost.total_cmp(&b.2.best.cost))
}

/// One sentence: why the verdict.
fn why(
    claim: &Claim,
    verdict: Verdict,
    checks: &[(String, String, RouteCheck)],
    holding: &[&String],
    holds: impl Fn(&RouteCheck) -> bool,
) -> String {
    let base = claim.baseline.as_str();
    let listed = claim.scenarios.join(", ");
    let via = claim.via.join(", ");
    match verdict {
        Verdict::AlreadyTrue => {
            // The route that makes it true in the baseline.
            let Some((_, route, b)) = best_check(checks, base, &holds) else {
                return format!("It already held in {base}.");
            };
            let mut parts = Vec::new();
            for s in &claim.scenarios {
                let Some((_, _, c)) = checks.iter().find(|(cs, r, _)| cs == s && r == route) else {
                    continue;
                };
                if !c.best.reachable {
                    continue;
                }
                let saved = b.best.hours - c.best.hours;
                let change = if saved > 0.05 {
                    format!(
                        "shorten it to {:.1} h (-{:.1} h, -{:.0} %)",
                        c.best.hours,
                        saved,
                        100.0 * saved / b.best.hours
                    )
                } else {
                    "do not shorten it".to_string()
                };
                let added = if claim.via.is_empty() {
                    String::new()
                } else if c.passes() && !b.passes() {
                    let p = c
                        .passing
                        .as_ref()
                        .map_or(String::new(), |p| format!(" ({:.1} h)", p.hours));
                    format!(" and add a second connection via {via}{p}")
                } else if c.passes() {
                    format!("; a connection via {via} existed already")
                } else {
                    format!(" and add no practical connection via {via}")
                };
                parts.push(format!("under {s} the projects {change}{added}"));
            }
            format!(
                "Already true in {base}: {route} is reachable ({}); {}.",
                b.passing.as_ref().unwrap_or(&b.best).summary,
                if parts.is_empty() {
                    format!("it does not hold in {listed}")
                } else {
                    parts.join("; ")
                }
            )
        }
        Verdict::New => {
            let first = claim.scenarios.first().map_or("", String::as_str);
            let shown = best_check(checks, first, &holds)
                .map(|(_, r, c)| {
                    let p = c.passing.as_ref().unwrap_or(&c.best);
                    format!(" ({r} under {first}: {})", p.summary)
                })
                .unwrap_or_default();
            format!("Not true in {base}, true with the statement's projects in every scenario tested ({listed}){shown}.")
        }
        Verdict::Partly => {
            let missing: Vec<&str> = claim
                .scenarios
                .iter()
                .filter(|s| !holding.contains(s))
                .map(String::as_str)
                .collect();
            format!(
                "Not true in {base}; true in {} but not in {}.",
                holding
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                missing.join(", ")
            )
        }
        Verdict::NotSupported => {
            let reachable = claim
                .scenarios
                .iter()
                .any(|s| best_check(checks, s, |c| c.best.reachable).is_some());
            if reachable && claim.test == ClaimTest::Via {
                format!("True in none of {base}, {listed}: the routes are reachable there, but not by a practical path via {via}.")
            } else {
                format!("True in none of {base}, {listed}: the routes stay unreachable.")
            }
        }
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
        assert_eq!(result.why, "Not true in base; true in a but not in b.");
        assert!(!result.held_in_baseline);
        assert_eq!(result.figures[0], "r under base: unreachable");
        assert_eq!(result.figures[1], "r under a: reachable via AM: 460 km");
        assert!(
            result.figures[2].contains("reachable only otherwise"),
            "{}",
            result.figures[2]
        );
    }

    #[test]
    fn a_claim_true_in_the_baseline_is_already_true_and_says_what_the_projects_add() {
        let timed = |summary: &str, hours: f64| Outcome {
            hours,
            cost: hours,
            ..reached(summary)
        };
        let mut c = claim();
        c.test = ClaimTest::Reachable;
        c.via = vec!["nakhchivan".into()];
        c.scenarios = vec!["a".into()];
        let result = evaluate(&c, |_, s| match s {
            "base" => RouteCheck {
                best: timed("by BTK", 150.0),
                best_passes: false,
                passing: None,
                detour: None,
            },
            _ => RouteCheck {
                best: timed("by BTK", 150.0),
                best_passes: false,
                passing: Some(timed("via Nakhchivan", 156.0)),
                detour: None,
            },
        });
        assert_eq!(result.verdict, Verdict::AlreadyTrue);
        assert_eq!(
            result.why,
            "Already true in base: r is reachable (by BTK); under a the projects do not shorten \
             it and add a second connection via nakhchivan (156.0 h)."
        );
        // The same claim false in the baseline and true in every scenario is new.
        let result = evaluate(&c, |_, s| RouteCheck {
            best: if s == "base" {
                Outcome::unreachable()
            } else {
                timed("x", 10.0)
            },
            best_passes: s != "base",
            passing: None,
            detour: None,
        });
        assert_eq!(result.verdict, Verdict::New);
    }
}
