//! Places, scenarios and routes as people type them, through `corridor route` and the library:
//! case, diacritics, other scripts, `LAT,LON` positions, and suggestions ranked by similarity.

use std::path::Path;

use corridor::network::{MatchKind, PlaceError};
use corridor::scenario::Dataset;

use crate::common::{corridor, root, tiny_with_nodes_edited};

/// `corridor route FROM TO --format json` on `data`; the (from, to) ids and standard error.
fn route_ids(data: &Path, from: &str, to: &str) -> (String, String, String) {
    let out = corridor()
        .args(["--data", data.to_str().unwrap_or_default()])
        .args(["route", from, to, "--format", "json"])
        .output()
        .expect("runs");
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(0), "route {from} {to}: {err}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    (
        v["from"].as_str().unwrap_or_default().to_string(),
        v["to"].as_str().unwrap_or_default().to_string(),
        err,
    )
}

fn failing_route(data: &Path, args: &[&str]) -> String {
    let out = corridor()
        .args(["--data", data.to_str().unwrap_or_default(), "route"])
        .args(args)
        .output()
        .expect("runs");
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
    err
}

fn bundled() -> std::path::PathBuf {
    root().join("data/caucasus")
}

#[test]
fn route_resolves_names_in_any_case_spelling_and_script() {
    let data = bundled();
    for (from, to, want) in [
        ("naxcivan", "BAKI", ("nakhchivan", "baku")),
        ("NAXÇIVAN", "Bakı", ("nakhchivan", "baku")),
        ("Ереван", "Тбилиси", ("yerevan", "tbilisi")),
        ("BÖYÜK KƏSİK", "baki", ("boyuk-kesik", "baku")),
        ("Երևան", "თბილისი", ("yerevan", "tbilisi")),
    ] {
        let (f, t, _) = route_ids(&data, from, to);
        assert_eq!((f.as_str(), t.as_str()), want, "route {from} {to}");
    }
}

#[test]
fn route_snaps_a_position_to_the_nearest_place_within_the_radius() {
    let data = bundled();
    let (from, to, err) = route_ids(&data, "40.18,44.51", "tbilisi");
    assert_eq!((from.as_str(), to.as_str()), ("yerevan", "tbilisi"));
    assert!(
        err.contains("40.18,44.51 is Yerevan (yerevan), 2.7 km away"),
        "{err}"
    );
    // The Black Sea off Türkiye: about 100 km from Istanbul, the nearest place.
    let err = failing_route(&data, &["41.5,30", "baku"]);
    assert!(
        err.contains("no place within 25 km of 41.5,30") && err.contains("istanbul"),
        "{err}"
    );
    let err = failing_route(&data, &["95,44", "baku"]);
    assert!(err.contains("latitude must be within -90..90"), "{err}");
}

#[test]
fn unknown_places_and_scenarios_get_suggestions_ranked_by_similarity() {
    let data = bundled();
    let err = failing_route(&data, &["Ереванн", "tbilisi"]);
    assert!(
        err.contains("unknown place `Ереванн`; closest: yerevan"),
        "{err}"
    );
    let err = failing_route(&data, &["Tbilsi", "baku"]);
    assert!(err.contains("closest: tbilisi"), "{err}");
    let err = failing_route(&data, &["xyzzy", "baku"]);
    assert!(
        err.contains("no place has a similar id, name or alias"),
        "{err}"
    );
    let err = failing_route(&data, &["baku", "tbilisi", "--scenario", "meghri-rial"]);
    assert!(
        err.contains("unknown scenario `meghri-rial` (did you mean `meghri-rail`?)"),
        "{err}"
    );
    // Scenario ids in any case.
    let out = corridor()
        .args(["--data", data.to_str().unwrap_or_default()])
        .args(["route", "baku", "tbilisi", "--scenario", "STATEMENT-2021"])
        .args(["--format", "json"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["scenario"], "statement-2021");
}

#[test]
fn aliases_in_other_scripts_match_by_case_folding() {
    // The tiny fixture with aliases in Cyrillic, Armenian, Georgian and Persian (Arabic yeh)
    // added to place `a` (Alpha), and a Turkish alias with dotted and dotless i on `c`.
    let dir = tiny_with_nodes_edited(&[
        ("\"Alfa\"", "\"Alfa|Альфа|Ալֆա|ალფა|آلفاي\""),
        (
            "\"name\": \"Charlie\",",
            "\"name\": \"Charlie\", \"aliases\": \"Çarlıİ\",",
        ),
    ]);
    for (from, to) in [
        ("АЛЬФА", "ÇARLII"),
        ("ԱԼՖԱ", "carlii"),
        ("ᲐᲚᲤᲐ", "çarlıi"),
        ("آلفای", "c"),
    ] {
        let (f, t, _) = route_ids(dir.path(), from, to);
        assert_eq!((f.as_str(), t.as_str()), ("a", "c"), "route {from} {to}");
    }
    // Matched through the aliases themselves, not their romanization.
    let data = Dataset::load(dir.path()).expect("fixture");
    for q in ["АЛЬФА", "ԱԼՖԱ", "ᲐᲚᲤᲐ", "آلفای", "ÇARLII"] {
        let m = data.network.resolve_place(q).expect("found");
        assert_eq!(m.how, MatchKind::Folded, "{q}");
    }
}

#[test]
fn the_library_says_how_a_place_matched() {
    let data = Dataset::load(&bundled()).expect("bundled data");
    let net = &data.network;
    let how = |q: &str| {
        net.resolve_place(q)
            .map(|m| (net.node(m.node).id.clone(), m.how))
    };
    assert_eq!(how("baku"), Ok(("baku".into(), MatchKind::Id)));
    assert_eq!(how("BAKI"), Ok(("baku".into(), MatchKind::Folded)));
    // `Тифлис` is no alias (`Tiflis` is): it meets one once romanized.
    assert_eq!(how("Тифлис"), Ok(("tbilisi".into(), MatchKind::Romanized)));
    match how("40.18, 44.51") {
        Ok((id, MatchKind::Snapped { km })) => {
            assert_eq!(id, "yerevan");
            assert!((2.0..3.5).contains(&km), "{km}");
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        net.resolve_place("41.5,30"),
        Err(PlaceError::TooFar { km, .. }) if km > 25.0
    ));
    let err = data.scenario_id("meghri-rial").expect_err("unknown");
    assert!(
        err.to_string().contains("(did you mean `meghri-rail`?)"),
        "{err}"
    );
    for typed in ["Meghri-Rail", "MEGHRI RAIL", "meghri_rail"] {
        let id = data.scenario_id(typed).map(|s| s.to_string());
        assert_eq!(id.as_deref(), Ok("meghri-rail"), "{typed}");
    }
}

#[test]
fn a_name_as_typed_wins_over_one_equal_only_once_folded() {
    // `b` gets the alias `Álpha`: folded, it is `a`'s name `Alpha`, but typed with its accent it
    // is `b`'s; without the accent, `a` (first in file order, exact) wins.
    let dir = tiny_with_nodes_edited(&[(
        "\"name\": \"Bravo\",",
        "\"name\": \"Bravo\", \"aliases\": \"Álpha\",",
    )]);
    let data = Dataset::load(dir.path()).expect("fixture");
    let id = |q: &str| {
        data.network
            .find_place(q)
            .map(|v| data.network.node(v).id.clone())
    };
    assert_eq!(id("ÁLPHA"), Ok("b".to_string()));
    assert_eq!(id("alpha"), Ok("a".to_string()));
    assert_eq!(
        id("ALPHÂ"),
        Ok("a".to_string()),
        "folded: the first in file order"
    );
}

#[test]
fn every_folded_name_of_the_bundled_data_names_one_place() {
    // Folding must not make two places one: otherwise `route X` would pick by file order.
    let data = Dataset::load(&bundled()).expect("bundled data");
    let mut owner: std::collections::BTreeMap<String, &str> = Default::default();
    for n in &data.network.nodes {
        for text in std::iter::once(&n.id)
            .chain(std::iter::once(&n.name))
            .chain(&n.aliases)
        {
            let key = corridor::names::fold(text);
            if let Some(other) = owner.insert(key.clone(), &n.id) {
                assert_eq!(
                    other, n.id,
                    "`{text}` (key `{key}`) names {other} and {}",
                    n.id
                );
            }
        }
    }
}
