//! Compare: every trade route under every scenario, with the change against the scenario's base
//! and a one-line explanation of what changed ("now via Armenia (Meghri): -1 border, -640 km,
//! -19 h"; "restored: was unreachable").
//!
//! The evaluation of one (route, scenario) pair is a closure, so this module does not depend on
//! how routes are searched; cells are evaluated in parallel and returned in a fixed order.

use rayon::prelude::*;

/// What one route looks like under one scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub reachable: bool,
    /// Kilometres.
    pub km: f64,
    /// Hours.
    pub hours: f64,
    /// US dollars per tonne.
    pub usd_per_t: f64,
    /// The cost in the metric the comparison ranks by.
    pub cost: f64,
    /// Names of the border crossings passed, in path order.
    pub borders: Vec<String>,
    /// Countries passed, in path order, each once (ISO codes).
    pub countries: Vec<String>,
    /// Names of the places passed, in path order.
    pub places: Vec<String>,
    /// Gauge changes and transshipments.
    pub transfers: usize,
    pub summary: String,
}

impl Outcome {
    pub fn unreachable() -> Outcome {
        Outcome {
            reachable: false,
            km: f64::NAN,
            hours: f64::NAN,
            usd_per_t: f64::NAN,
            cost: f64::INFINITY,
            borders: Vec::new(),
            countries: Vec::new(),
            places: Vec::new(),
            transfers: 0,
            summary: "unreachable".into(),
        }
    }
}

/// One cell of the comparison: a route under a scenario, and the change against the base.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub route: String,
    pub scenario: String,
    /// The scenario compared against (its `base`), if any.
    pub base: Option<String>,
    pub outcome: Outcome,
    pub change: Change,
    pub explanation: String,
}

/// How a route changed against the base scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// No base to compare with.
    NoBase,
    Unchanged,
    Better,
    Worse,
    Restored,
    Cut,
    StillUnreachable,
}

impl Change {
    pub fn as_str(self) -> &'static str {
        match self {
            Change::NoBase => "base",
            Change::Unchanged => "unchanged",
            Change::Better => "better",
            Change::Worse => "worse",
            Change::Restored => "restored",
            Change::Cut => "cut",
            Change::StillUnreachable => "unreachable",
        }
    }
}

/// Evaluates every (scenario, route) pair in parallel and compares each with its base.
///
/// # Arguments
/// * `scenarios` - `(id, base)` pairs, in output order; a base is evaluated too when not listed.
/// * `routes` - route ids, in output order.
/// * `evaluate` - the outcome of one route under one scenario.
///
/// # Returns
/// Cells ordered by route, then scenario, as given: the same whatever the thread count.
pub fn compare(
    scenarios: &[(String, Option<String>)],
    routes: &[String],
    evaluate: impl Fn(&str, &str) -> Outcome + Sync,
) -> Vec<Cell> {
    let all: Vec<usize> = (0..needed(scenarios).len() * routes.len()).collect();
    let outcomes = evaluate_some(scenarios, routes, &all, evaluate);
    compare_from(scenarios, routes, &outcomes)
}

/// Every scenario evaluated: those listed and their bases, each once, in order of first mention.
/// Evaluation `k` is route `k % routes` under scenario `k / routes`.
pub fn needed(scenarios: &[(String, Option<String>)]) -> Vec<&str> {
    let mut needed: Vec<&str> = Vec::new();
    for (id, base) in scenarios {
        for s in std::iter::once(id).chain(base.iter()) {
            if !needed.contains(&s.as_str()) {
                needed.push(s);
            }
        }
    }
    needed
}

/// The evaluations of indices `which` (see [`needed`]), in parallel, in the order given: a
/// shard's share of [`compare`].
pub fn evaluate_some(
    scenarios: &[(String, Option<String>)],
    routes: &[String],
    which: &[usize],
    evaluate: impl Fn(&str, &str) -> Outcome + Sync,
) -> Vec<Outcome> {
    let needed = needed(scenarios);
    which
        .par_iter()
        .map(|&k| evaluate(&routes[k % routes.len()], needed[k / routes.len()]))
        .collect()
}

/// The cells of [`compare`] from every evaluation (`outcomes[k]`, see [`needed`]).
pub fn compare_from(
    scenarios: &[(String, Option<String>)],
    routes: &[String],
    outcomes: &[Outcome],
) -> Vec<Cell> {
    let needed = needed(scenarios);
    let at = |scenario: &str, r: usize| -> &Outcome {
        let s = needed
            .iter()
            .position(|x| *x == scenario)
            .expect("every scenario and base was evaluated");
        &outcomes[s * routes.len() + r]
    };
    let mut cells = Vec::with_capacity(scenarios.len() * routes.len());
    for (r, route) in routes.iter().enumerate() {
        for (id, base) in scenarios {
            let outcome = at(id, r).clone();
            let (change, explanation) = match base {
                None => (Change::NoBase, outcome.summary.clone()),
                Some(b) => explain(at(b, r), &outcome),
            };
            cells.push(Cell {
                route: route.clone(),
                scenario: id.clone(),
                base: base.clone(),
                outcome,
                change,
                explanation,
            });
        }
    }
    cells
}

/// Classifies the change from `before` to `after` and says it in one line.
pub fn explain(before: &Outcome, after: &Outcome) -> (Change, String) {
    match (before.reachable, after.reachable) {
        (false, false) => (Change::StillUnreachable, "still unreachable".into()),
        (true, false) => (
            Change::Cut,
            format!("cut: no path (was {})", figures(before)),
        ),
        (false, true) => (
            Change::Restored,
            format!("restored: was unreachable; now {}", after.summary),
        ),
        (true, true) => {
            let same_path = before.places == after.places;
            let rel = if before.cost > 0.0 {
                (after.cost - before.cost) / before.cost
            } else {
                0.0
            };
            let change = if same_path || rel.abs() < 1e-9 {
                Change::Unchanged
            } else if after.cost < before.cost {
                Change::Better
            } else {
                Change::Worse
            };
            if change == Change::Unchanged {
                return (change, "unchanged".into());
            }
            let mut parts = Vec::new();
            let via = new_via(before, after);
            let dropped: Vec<&str> = before
                .countries
                .iter()
                .filter(|c| !after.countries.contains(c))
                .map(String::as_str)
                .collect();
            let db = after.borders.len() as i64 - before.borders.len() as i64;
            if db != 0 {
                parts.push(format!(
                    "{db:+} border{}",
                    if db.abs() == 1 { "" } else { "s" }
                ));
            }
            parts.push(format!("{:+.0} km", after.km - before.km));
            parts.push(format!("{:+.0} h", after.hours - before.hours));
            parts.push(format!("{:+.0} USD/t", after.usd_per_t - before.usd_per_t));
            let mut head = match via {
                Some(v) => format!("now via {v}"),
                None => "another path".into(),
            };
            if !dropped.is_empty() {
                head.push_str(&format!(", no longer via {}", dropped.join(", ")));
            }
            (change, format!("{head}: {}", parts.join(", ")))
        }
    }
}

/// What the new path passes that the old one did not: new countries, with the first new border
/// crossing (or place) in brackets.
fn new_via(before: &Outcome, after: &Outcome) -> Option<String> {
    let countries: Vec<&str> = after
        .countries
        .iter()
        .filter(|c| !before.countries.contains(c))
        .map(String::as_str)
        .collect();
    let place = after
        .borders
        .iter()
        .find(|b| !before.borders.contains(b))
        .or_else(|| after.places.iter().find(|p| !before.places.contains(p)))
        .map(|p| short_name(p));
    match (countries.is_empty(), place) {
        (false, Some(p)) => Some(format!("{} ({p})", countries.join(", "))),
        (false, None) => Some(countries.join(", ")),
        (true, Some(p)) => Some(p),
        (true, None) => None,
    }
}

/// "Ordubad (NX) – Agarak (AM) rail crossing" -> "Ordubad"; "Baku (central station)" -> "Baku".
fn short_name(name: &str) -> String {
    name.split(['(', '–', '/', ','])
        .next()
        .unwrap_or(name)
        .trim()
        .to_string()
}

fn figures(o: &Outcome) -> String {
    format!("{:.0} km, {:.1} h, {:.0} USD/t", o.km, o.hours, o.usd_per_t)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(km: f64, hours: f64, countries: &[&str], borders: &[&str]) -> Outcome {
        Outcome {
            reachable: true,
            km,
            hours,
            usd_per_t: km * 0.05,
            cost: hours,
            borders: borders.iter().map(|s| s.to_string()).collect(),
            countries: countries.iter().map(|s| s.to_string()).collect(),
            places: borders.iter().map(|s| s.to_string()).collect(),
            transfers: 0,
            summary: format!("{km} km"),
        }
    }

    #[test]
    fn explanations_name_the_new_corridor_and_the_deltas() {
        let via_iran = outcome(
            1100.0,
            40.0,
            &["AZ", "IR"],
            &["Biləsuvar – Bileh Savar", "Culfa – Jolfa"],
        );
        let via_meghri = outcome(460.0, 21.0, &["AZ", "AM"], &["Nrnadzor (AM) – Ağbənd (AZ)"]);
        let (change, text) = explain(&via_iran, &via_meghri);
        assert_eq!(change, Change::Better);
        assert_eq!(
            text,
            "now via AM (Nrnadzor), no longer via IR: -1 border, -640 km, -19 h, -32 USD/t"
        );
        let (change, text) = explain(&Outcome::unreachable(), &via_meghri);
        assert_eq!(change, Change::Restored);
        assert!(text.starts_with("restored: was unreachable"), "{text}");
        assert_eq!(explain(&via_meghri, &Outcome::unreachable()).0, Change::Cut);
        assert_eq!(
            explain(&via_meghri, &via_meghri.clone()).0,
            Change::Unchanged
        );
    }

    #[test]
    fn compare_orders_cells_and_evaluates_bases_not_listed() {
        let scenarios = vec![("open".to_string(), Some("base".to_string()))];
        let routes = vec!["r1".to_string(), "r2".to_string()];
        let cells = compare(&scenarios, &routes, |route, scenario| {
            if scenario == "base" && route == "r1" {
                Outcome::unreachable()
            } else {
                outcome(100.0, 2.0, &["AZ"], &[])
            }
        });
        assert_eq!(cells.len(), 2);
        assert_eq!(
            (cells[0].route.as_str(), cells[0].change),
            ("r1", Change::Restored)
        );
        assert_eq!(
            (cells[1].route.as_str(), cells[1].change),
            ("r2", Change::Unchanged)
        );
    }
}
