//! Finding a scenario or a trade route by what a user typed: typed ids ([`ScenarioId`],
//! [`RouteId`]) that exist only once a lookup has found them in a data folder, and one error
//! ([`LookupError`]) whose message is composed in one place ([`unknown_message`]), with a
//! suggestion when a known id is close to what was typed ([`did_you_mean`]).
//!
//! Ids in the data are lower case (`docs/DATA-SCHEMA.md`), so a lookup ignores case and the
//! spaces around what was typed: `Meghri-Rail` finds `meghri-rail`.

use std::fmt;

/// The id of a scenario of a data folder, as found by [`crate::scenario::Dataset::scenario_id`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(transparent)]
pub struct ScenarioId(String);

/// The id of a trade route of a data folder, as found by [`crate::scenario::Dataset::route_id`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(transparent)]
pub struct RouteId(String);

macro_rules! id_type {
    ($t:ident) => {
        impl $t {
            /// An id as the data folder spells it (`pub(crate)`: outside the crate an id comes
            /// only from a lookup).
            pub(crate) fn known(id: &str) -> $t {
                $t(id.to_string())
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $t {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    };
}
id_type!(ScenarioId);
id_type!(RouteId);

/// A name that is not the id of any scenario or route of the data folder.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LookupError {
    #[error("{}", unknown_message("scenario", id, known, "scenarios.toml"))]
    UnknownScenario { id: String, known: Vec<String> },
    #[error("{}", unknown_message("route", id, known, "routes.toml"))]
    UnknownRoute { id: String, known: Vec<String> },
}

/// Finds `name` among `known` ids: exactly, else in any case and spelling, spaces and dashes
/// aside ([`crate::names::find`]: `Meghri-Rail`, `meghri rail` find `meghri-rail`).
pub(crate) fn find<'k>(name: &str, known: &[&'k str]) -> Option<&'k str> {
    crate::names::find(name, known.iter().copied())
}

/// "unknown scenario `x` (did you mean `y`?); known: a, b, c": the one wording of an unknown
/// id. `file` names the file that lists them, for a folder that has none.
pub fn unknown_message(kind: &str, id: &str, known: &[String], file: &str) -> String {
    let hint = did_you_mean(id, known).map_or(String::new(), |s| format!(" (did you mean `{s}`?)"));
    let list = if known.is_empty() {
        format!("none (the data folder has no {file})")
    } else {
        known.join(", ")
    };
    format!("unknown {kind} `{id}`{hint}; known: {list}")
}

/// The known id most alike to `typed`, when it is close enough to be a typo (at most about one
/// edit in two characters, swaps of neighbours one edit; ranked by [`crate::names::similarity`]
/// on folded ids, so case, diacritics and dashes do not count).
pub fn did_you_mean<'k>(typed: &str, known: &'k [String]) -> Option<&'k str> {
    let best = crate::names::suggest(typed, known.iter().map(|k| (k.as_str(), k.as_str())), 1);
    let best = best.first()?;
    known.iter().find(|k| *k == best).map(String::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn lookups_ignore_case_and_spaces() {
        let known = ["baseline-2021", "meghri-rail"];
        assert_eq!(find("meghri-rail", &known), Some("meghri-rail"));
        assert_eq!(find(" Meghri-RAIL ", &known), Some("meghri-rail"));
        assert_eq!(find("meghri", &known), None);
    }

    #[test]
    fn an_unknown_id_gets_the_closest_known_one() {
        let known = ids(&["baseline-2021", "meghri-rail", "meghri-road"]);
        assert_eq!(did_you_mean("meghri-rial", &known), Some("meghri-rail"));
        assert_eq!(did_you_mean("tbilisi", &known), None);
        let msg = unknown_message("scenario", "meghri-rial", &known, "scenarios.toml");
        assert_eq!(
            msg,
            "unknown scenario `meghri-rial` (did you mean `meghri-rail`?); known: baseline-2021, meghri-rail, meghri-road"
        );
        assert_eq!(
            unknown_message("scenario", "x", &[], "scenarios.toml"),
            "unknown scenario `x`; known: none (the data folder has no scenarios.toml)"
        );
    }
}
