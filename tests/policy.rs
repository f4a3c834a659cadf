//! Access rules by origin, destination and pair; policy levers as projects; dated scenarios and
//! disruptions; claim verdicts. Hand-written scenario files on the `tiny` fixture pin the schema
//! (old origin-only rules still load, contradictions and unknown codes are errors naming the
//! file, scenario, rule and field), and the bundled data pins the 2021 model (caucasus-facts §12).

use std::path::Path;

use corridor::analysis::claims::{load_claims, Verdict};
use corridor::analysis::restore::RestoreOptions;
use corridor::analysis::study::{RestoreReport, Study};
use corridor::network::{Country, Network};
use corridor::routing::{Algorithm, Metric, ModeSet, Path as RoutePath, Query, RouteState, Router};
use corridor::scenario::{
    in_force, parse_disruptions, Dataset, Date, ProjectKind, ResolvedScenario, Scenarios,
};

use crate::common::{corridor, fixture, root};

fn tiny() -> Dataset {
    Dataset::load(&fixture("tiny")).expect("tiny loads")
}

fn parse(net: &Network, text: &str) -> Result<Scenarios, String> {
    Scenarios::parse(Path::new("scenarios.toml"), text, net).map_err(|errors| {
        errors
            .iter()
            .map(|e| e.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    })
}

/// A `[[scenario]]` with the `head` lines (`id = ...`, `project = true`, ...) and one
/// `[[scenario.policy]]` per rule (its fields, one per line).
fn scenario(head: &str, rules: &[&str]) -> String {
    let mut s = format!("[[scenario]]\n{head}\n");
    for rule in rules {
        s.push_str(&format!("[[scenario.policy]]\n{rule}\n"));
    }
    s
}

const AM_THROUGH_AZ: &str = "cargo = \"AM\"\ntransit = \"AZ\"";

fn cc(code: &str) -> Country {
    Country::parse(code).expect("a code")
}

#[test]
fn an_origin_only_rule_still_loads_and_means_any_destination() {
    let data = tiny();
    let text = scenario(
        "id = \"old\"",
        &[&format!("{AM_THROUGH_AZ}\naction = \"deny\"")],
    );
    let s = parse(&data.network, &text).expect("an origin-only file loads");
    let rule = &s.get("old").unwrap().policy[0];
    assert_eq!(rule.cargo, Some(cc("AM")));
    assert_eq!(rule.to, None);
}

#[test]
fn contradictory_rules_and_unknown_codes_are_errors_naming_scenario_rule_and_field() {
    let data = tiny();
    let text = scenario(
        "id = \"both-ways\"",
        &[
            "to = \"AM\"\ntransit = \"AZ\"\naction = \"deny\"",
            "cargo = \"*\"\nto = \"AM\"\ntransit = \"AZ\"\nmode = \"any\"\naction = \"allow\"",
        ],
    );
    let err = parse(&data.network, &text).unwrap_err();
    assert!(err.contains("scenarios.toml"), "{err}");
    assert!(err.contains("both-ways"), "{err}");
    assert!(err.contains("policy[1].action"), "{err}");
    assert!(err.contains("policy[0]"), "{err}");

    // The same match with another destination is no contradiction.
    let text = scenario(
        "id = \"fine\"",
        &[
            "to = \"AM\"\ntransit = \"AZ\"\naction = \"deny\"",
            "to = \"GE\"\ntransit = \"AZ\"\naction = \"allow\"",
        ],
    );
    parse(&data.network, &text).expect("different destinations");

    for (field, rule) in [
        ("policy[0].to", r#"to = "UK""#),
        ("policy[0].cargo", r#"cargo = "XX""#),
        ("policy[0].transit", r#"transit = "QQ""#),
    ] {
        let transit = if field.ends_with("transit") {
            ""
        } else {
            "transit = \"AZ\"\n"
        };
        let text = scenario(
            "id = \"bad\"",
            &[&format!("{rule}\n{transit}action = \"deny\"")],
        );
        let err = parse(&data.network, &text).unwrap_err();
        assert!(
            err.contains(field) && err.contains("ISO 3166-1"),
            "{field}: {err}"
        );
    }
}

#[test]
fn link_projects_carry_no_rules_and_policy_projects_open_nothing() {
    let data = tiny();
    let allow = format!("{AM_THROUGH_AZ}\naction = \"allow\"");
    let text = scenario(
        "id = \"hidden-lever\"\nproject = true\nkind = \"link\"\nopen = [\"rail-bx-ab-c\"]",
        &[&allow],
    );
    let err = parse(&data.network, &text).unwrap_err();
    assert!(
        err.contains("hidden-lever") && err.contains("`policy`"),
        "{err}"
    );
    let err = parse(
        &data.network,
        "[[scenario]]\nid = \"works\"\nproject = true\nkind = \"policy\"\nopen = [\"rail-bx-ab-c\"]\n",
    )
    .unwrap_err();
    assert!(err.contains("works") && err.contains("`open`"), "{err}");
    let err = parse(
        &data.network,
        "[[scenario]]\nid = \"k\"\nproject = true\nkind = \"road\"\n",
    )
    .unwrap_err();
    assert!(err.contains("`kind`"), "{err}");
    // Without `kind`, a project that opens something is a link project, else a policy one.
    let text = scenario(
        "id = \"line\"\nproject = true\nopen = [\"rail-bx-ab-c\"]",
        &[],
    ) + &scenario("id = \"lever\"\nproject = true", &[&allow]);
    let s = parse(&data.network, &text).unwrap();
    assert_eq!(s.get("line").unwrap().kind, Some(ProjectKind::Link));
    assert_eq!(s.get("lever").unwrap().kind, Some(ProjectKind::Policy));
}

/// On `tiny` (a, b in AZ): a rule on the whole path (`transit = "*"`) bans a trade even between
/// places of one country, a destination rule follows `to_country`, and a country rule never
/// applies to the route's own end countries.
#[test]
fn pair_and_destination_rules_on_a_hand_drawn_network() {
    let data = tiny();
    let net = &data.network;
    let router = Router::new(net, &data.costs).unwrap();
    let (a, b) = (net.find_place("a").unwrap(), net.find_place("b").unwrap());
    let reach = |rules: &str, to_country: Option<&str>| -> bool {
        let s = parse(net, &format!("[[scenario]]\nid = \"s\"\n{rules}")).unwrap();
        let resolved = s.resolve(net, "s").unwrap();
        let overlay = router.overlay(&resolved);
        let q = Query {
            from: a,
            to: b,
            cargo: cc("AZ"),
            to_country: to_country.map(cc),
            modes: ModeSet::ANY,
            metric: Metric::Distance,
            algorithm: Algorithm::Dijkstra,
        };
        router.route(&q, &overlay, &mut RouteState::new()).is_some()
    };
    assert!(reach("", None));
    let pair =
        "[[scenario.policy]]\ncargo = \"AZ\"\nto = \"AZ\"\ntransit = \"*\"\naction = \"deny\"\n";
    assert!(!reach(pair, None), "a pair ban covers the end countries");
    assert!(
        reach(pair, Some("AM")),
        "bound elsewhere, the pair rule does not match"
    );
    let bound_am = "[[scenario.policy]]\nto = \"AM\"\ntransit = \"*\"\naction = \"deny\"\n";
    assert!(reach(bound_am, None));
    assert!(
        !reach(bound_am, Some("AM")),
        "--to-country names the destination"
    );
    let transit_az = "[[scenario.policy]]\ntransit = \"AZ\"\naction = \"deny\"\n";
    assert!(
        reach(transit_az, None),
        "an end country is no transit country"
    );
    // A later allow on the same pair lifts the ban (the last matching rule wins).
    let lifted = format!("{pair}[[scenario.policy]]\ncargo = \"AZ\"\nto = \"AZ\"\ntransit = \"*\"\nmode = \"rail\"\naction = \"allow\"\n");
    assert!(reach(&lifted, None));
}

#[test]
fn disruptions_are_drawn_only_in_force_on_the_scenario_date() {
    let data = tiny();
    let text = "id,target,closure_probability,dwell_min_h,dwell_mode_h,dwell_max_h,from,until,confidence,source\n\
                always,bx-ab,0.1,0,1,2,,,L,test\n\
                works,rail-a-b,1,0,0,0,2023-05-01,2024-05-20,M,test\n\
                later,rail-a-b,0.5,0,0,0,2021-09-01,,L,test\n";
    let rows = parse_disruptions(Path::new("d.csv"), text, &data.network).unwrap();
    let ids = |as_of: Option<&str>| -> Vec<String> {
        in_force(&rows, as_of.map(|d| Date::parse(d).unwrap()))
            .into_iter()
            .map(|d| d.id)
            .collect()
    };
    assert_eq!(ids(Some("2021-01-11")), ["always"]);
    assert_eq!(ids(Some("2024-05-20")), ["always", "works", "later"]);
    assert_eq!(ids(Some("2025-11-15")), ["always", "later"]);
    assert_eq!(ids(None), ["always", "works", "later"]);
    let bad = "id,target,closure_probability,dwell_min_h,dwell_mode_h,dwell_max_h,from,until,confidence,source\n\
               x,bx-ab,0.1,0,1,2,2024-05-20,2023-01-01,L,test\n\
               y,bx-ab,0.1,0,1,2,May 2023,,L,test\n";
    let err: Vec<String> = parse_disruptions(Path::new("d.csv"), bad, &data.network)
        .unwrap_err()
        .iter()
        .map(|e| e.to_string())
        .collect();
    assert!(err.iter().any(|e| e.contains("`until`")), "{err:?}");
    assert!(err.iter().any(|e| e.contains("`from`")), "{err:?}");
}

// ------------------------------------------------------------------------------------------------
// The bundled data
// ------------------------------------------------------------------------------------------------

struct Bundled {
    data: Dataset,
    router: Router,
}

impl Bundled {
    fn new() -> Bundled {
        let data = Dataset::load(&root().join("data/caucasus")).expect("bundled data loads");
        let router = Router::new(&data.network, &data.costs).unwrap();
        Bundled { data, router }
    }

    fn scenario(&self, id: &str) -> ResolvedScenario {
        self.data
            .resolve(id)
            .unwrap_or_else(|| panic!("no scenario {id}"))
    }

    fn route_in(
        &self,
        scenario: &ResolvedScenario,
        from: &str,
        to: &str,
        cargo: &str,
        modes: ModeSet,
    ) -> Option<RoutePath> {
        let net = &self.data.network;
        let q = Query {
            from: net.find_place(from).unwrap(),
            to: net.find_place(to).unwrap(),
            cargo: cc(cargo),
            to_country: None,
            modes,
            metric: Metric::Time,
            algorithm: Algorithm::Dijkstra,
        };
        self.router
            .route(&q, &self.router.overlay(scenario), &mut RouteState::new())
    }

    fn route(
        &self,
        scenario: &str,
        from: &str,
        to: &str,
        cargo: &str,
        modes: ModeSet,
    ) -> Option<RoutePath> {
        self.route_in(&self.scenario(scenario), from, to, cargo, modes)
    }

    fn passes(&self, path: &RoutePath, node: &str) -> bool {
        let n = self.data.network.node_id(node).unwrap();
        path.nodes.contains(&n)
    }
}

fn crosses(path: &RoutePath, country: &str) -> bool {
    path.countries
        .iter()
        .any(|c| c.country == Some(cc(country)) && c.km > 0.0)
}

#[test]
fn baseline_2021_bans_armenia_bound_cargo_of_any_origin_and_azerbaijan_armenia_trade() {
    let b = Bundled::new();
    // No rail path at all joined Baku and Nakhchivan in 2021 (facts §12.1).
    assert!(b
        .route("baseline-2021", "baku", "nakhchivan", "AZ", ModeSet::RAIL)
        .is_none());
    // Azerbaijan–Armenia trade: by neither mode, either way.
    for modes in [ModeSet::RAIL, ModeSet::ROAD] {
        assert!(b
            .route("baseline-2021", "baku", "yerevan", "AZ", modes)
            .is_none());
        assert!(b
            .route("baseline-2021", "yerevan", "baku", "AM", modes)
            .is_none());
    }
    // Armenia-bound cargo of Russia and Kazakhstan had no rail path at all (facts §4.3, §12.2):
    // Azerbaijan denied the transit, Abkhazia and the Poti ferry were closed, and Turkish Railways
    // carried no Armenia-bound transit (the baseline's assumption). Lifting Turkey's rule alone opens
    // the detour through Iran and the Lake Van ferry; lifting Azerbaijan's, the path the 2025 trains took.
    for (from, cargo) in [("moscow", "RU"), ("aktau", "KZ")] {
        assert!(
            b.route("baseline-2021", from, "yerevan", cargo, ModeSet::RAIL)
                .is_none(),
            "{from}"
        );
        let turkey = b
            .route("am-transit-tr", from, "yerevan", cargo, ModeSet::RAIL)
            .unwrap_or_else(|| panic!("{from} with am-transit-tr"));
        assert!(
            crosses(&turkey, "TR") && !crosses(&turkey, "AZ"),
            "{from}: {}",
            turkey.summary
        );
    }
    // By road, Russian cargo reached Armenia over Upper Lars.
    let road = b
        .route("baseline-2021", "moscow", "yerevan", "RU", ModeSet::ROAD)
        .unwrap();
    assert!(b.passes(&road, "bx-upper-lars"), "{}", road.summary);
    // The same cargo bound for Georgia crosses Azerbaijan freely.
    let tbilisi = b
        .route("baseline-2021", "aktau", "tbilisi", "KZ", ModeSet::RAIL)
        .unwrap();
    assert!(crosses(&tbilisi, "AZ"), "{}", tbilisi.summary);
    // Armenia's trucks still reached Russia through Georgia and Upper Lars.
    let road = b
        .route("baseline-2021", "yerevan", "moscow", "AM", ModeSet::ROAD)
        .unwrap();
    assert!(b.passes(&road, "bx-upper-lars"), "{}", road.summary);
    // Turkish-origin goods bound for Armenia were banned by Armenia (facts §12.14), by any route.
    assert!(b
        .route("baseline-2021", "ankara", "yerevan", "TR", ModeSet::ANY)
        .is_none());
    assert!(b
        .route("baseline-2021", "ankara", "yerevan", "GE", ModeSet::ANY)
        .is_some());
}

#[test]
fn status_2025_carries_russian_rail_cargo_to_armenia_through_azerbaijan_and_georgia() {
    let b = Bundled::new();
    let p = b
        .route("status-2025", "moscow", "yerevan", "RU", ModeSet::RAIL)
        .expect("the Nov 2025 trains ran");
    assert!(crosses(&p, "AZ") && crosses(&p, "GE"), "{}", p.summary);
    assert!(b.passes(&p, "boyuk-kesik"), "{}", p.summary);
    let k = b
        .route("status-2025", "aktau", "yerevan", "KZ", ModeSet::RAIL)
        .expect("Kazakh grain reached Armenia in Nov 2025");
    assert!(crosses(&k, "AZ"), "{}", k.summary);
    // Armenia's ban on Turkish-origin goods ended on 1 Jan 2022.
    assert!(b
        .route("status-2025", "ankara", "yerevan", "TR", ModeSet::ANY)
        .is_some());
    // Dated events: the baseline is 11 Jan 2021, status-2025 mid-Nov 2025.
    assert_eq!(b.scenario("baseline-2021").as_of, Date::parse("2021-01-11"));
    assert_eq!(b.scenario("status-2025").as_of, Date::parse("2025-11-15"));
    // A project without a date of its own takes its base's.
    assert_eq!(b.scenario("rasht-astara").as_of, Date::parse("2021-01-11"));
}

#[test]
fn disruptions_of_2021_to_2025_belong_to_their_years() {
    let b = Bundled::new();
    let drawn = |id: &str| -> Vec<String> {
        in_force(&b.data.disruptions, b.scenario(id).as_of)
            .into_iter()
            .map(|d| d.id)
            .collect()
    };
    let base = drawn("baseline-2021");
    for later in [
        "btk-georgian-works",
        "bilasuvar-war",
        "goris-kapan-checkpoint",
    ] {
        assert!(!base.contains(&later.to_string()), "{later} in {base:?}");
    }
    let y2025 = drawn("status-2025");
    assert!(y2025.contains(&"bilasuvar-war".to_string()), "{y2025:?}");
    assert!(y2025.contains(&"goris-kapan-checkpoint".to_string()));
    assert!(!y2025.contains(&"btk-georgian-works".to_string()));
    // Scenarios that assume closures say which are facts and which assumptions.
    for id in ["status-2025", "status-2026", "iran-disruption"] {
        let s = b.data.scenarios.get(id).unwrap();
        let a = s.assumption.as_deref().unwrap_or("");
        assert!(a.contains("Fact") && a.contains("ssumption"), "{id}: {a:?}");
    }
}

#[test]
fn moscow_tehran_by_rail_ran_east_of_the_caspian_in_2021_and_rasht_astara_only_shortens_it() {
    let b = Bundled::new();
    let p = b
        .route("baseline-2021", "moscow", "tehran", "RU", ModeSet::RAIL)
        .expect("Russia–Iran rail existed in 2021 (facts §12.10)");
    assert!(crosses(&p, "TM"), "{}", p.summary);
    assert!(!crosses(&p, "TR"), "{}", p.summary);
    // Without Azerbaijan (its Caspian ferry to Turkmenbashi), the eastern route through
    // Kazakhstan and Turkmenistan still joins them.
    let mut no_az = b.scenario("baseline-2021");
    let extra = parse(
        &b.data.network,
        "[[scenario]]\nid = \"x\"\n[[scenario.policy]]\ncargo = \"RU\"\ntransit = \"AZ\"\naction = \"deny\"\n",
    )
    .unwrap();
    no_az
        .policy
        .extend(extra.get("x").unwrap().policy.iter().cloned());
    let east = b
        .route_in(&no_az, "moscow", "tehran", "RU", ModeSet::RAIL)
        .expect("the eastern route");
    assert!(
        crosses(&east, "KZ") && crosses(&east, "TM"),
        "{}",
        east.summary
    );

    let report = restore(&b);
    let r = route_restore(&b, &report, "moscow-tehran");
    assert!(r.base_cost.is_finite());
    assert_eq!(r.restoring_sets, vec![Vec::<usize>::new()]);
    let rasht = member(&report, "rasht-astara");
    assert!(
        r.shortening
            .iter()
            .any(|&(i, c)| i == rasht && c < r.base_cost),
        "{:?}",
        r.shortening
    );
}

fn restore(b: &Bundled) -> RestoreReport {
    let study = Study::new(&b.data, Metric::Time).unwrap();
    let projects: Vec<&str> = b.data.scenarios.projects().map(|s| s.id.as_str()).collect();
    study
        .restore("baseline-2021", &projects, &RestoreOptions::default())
        .unwrap()
}

fn route_restore<'r>(
    b: &Bundled,
    report: &'r RestoreReport,
    id: &str,
) -> &'r corridor::analysis::restore::RouteRestore {
    let i = b
        .data
        .routes
        .iter()
        .position(|r| r.id == id)
        .unwrap_or_else(|| panic!("no route {id}"));
    &report.routes[i]
}

fn member(report: &RestoreReport, id: &str) -> usize {
    report.projects.iter().position(|p| p == id).unwrap()
}

fn set_ids(report: &RestoreReport, set: &[usize]) -> Vec<String> {
    let mut ids: Vec<String> = set.iter().map(|&i| report.projects[i].clone()).collect();
    ids.sort();
    ids
}

/// A route's restoring sets as sorted project ids.
fn restoring_ids(
    report: &RestoreReport,
    r: &corridor::analysis::restore::RouteRestore,
) -> Vec<Vec<String>> {
    r.restoring_sets
        .iter()
        .map(|s| set_ids(report, s))
        .collect()
}

#[test]
fn restore_names_link_and_policy_members_of_each_set() {
    let b = Bundled::new();
    let report = restore(&b);

    // Yerevan -> Moscow by rail: the lifting of the transit ban restores it; the Yeraskh reopening
    // (a link the path never uses) no longer gets the credit.
    let r = route_restore(&b, &report, "yerevan-moscow");
    assert!(r.base_cost.is_infinite());
    let sets = restoring_ids(&report, r);
    assert!(
        sets.contains(&vec!["lift-transit-ban".to_string()]),
        "{sets:?}"
    );
    assert!(!sets.iter().any(|s| s == &["yeraskh-julfa"]), "{sets:?}");
    let lift = member(&report, "lift-transit-ban");
    assert_eq!(report.members[lift].kind, "policy");
    assert!(report.members[lift].opens.is_empty());
    // Armenia's exports need only the outward lever; its imports the lifting of the ban itself.
    assert!(
        sets.contains(&vec!["am-transit-az".to_string()]),
        "{sets:?}"
    );
    let r_in = route_restore(&b, &report, "moscow-yerevan");
    let sets_in = restoring_ids(&report, r_in);
    assert!(
        sets_in.contains(&vec!["lift-transit-ban".to_string()])
            && !sets_in.contains(&vec!["am-transit-az".to_string()]),
        "{sets_in:?}"
    );

    // Baku -> Nakhchivan by rail, unreachable in 2021: the Meghri line (with Azerbaijani transit
    // through Armenia), Kars–Iğdır–Dilucu, and the Julfa reopening (Rasht–Astara shortens that).
    let r = route_restore(&b, &report, "baku-nakhchivan-rail");
    assert!(r.base_cost.is_infinite());
    let sets = restoring_ids(&report, r);
    for expected in [
        vec!["az-transit-am", "meghri-rail"],
        vec!["kars-igdir-nakhchivan"],
        vec!["julfa-rail-reopen"],
    ] {
        assert!(
            sets.iter().any(|s| s == &expected),
            "{expected:?} not among {sets:?}"
        );
    }
    let meghri = r
        .restoring_sets
        .iter()
        .find(|s| set_ids(&report, s) == ["az-transit-am", "meghri-rail"])
        .unwrap();
    // Members in file order: the link project comes before the policy lever.
    assert_eq!(report.set_kinds(meghri), "link+policy");
    let label = report.set_label(meghri);
    assert!(label.contains("meghri-rail [link]"), "{label}");
    assert!(label.contains("az-transit-am [policy]"), "{label}");
    assert!(
        label.contains("Horadiz–Ağbənd"),
        "the links opened, by name: {label}"
    );
    // Rasht–Astara with the Julfa reopening beats the Julfa reopening alone.
    let julfa = b
        .data
        .scenarios
        .resolve_with(&b.data.network, "baseline-2021", &["julfa-rail-reopen"])
        .unwrap();
    let both = b
        .data
        .scenarios
        .resolve_with(
            &b.data.network,
            "baseline-2021",
            &["julfa-rail-reopen", "rasht-astara"],
        )
        .unwrap();
    let alone = b
        .route_in(&julfa, "baku", "nakhchivan", "AZ", ModeSet::RAIL)
        .unwrap();
    let with_rasht = b
        .route_in(&both, "baku", "nakhchivan", "AZ", ModeSet::RAIL)
        .unwrap();
    assert!(with_rasht.totals.hours < alone.totals.hours);
    assert!(crosses(&with_rasht, "IR") && !crosses(&with_rasht, "TR"));
    // ... and restore reports it so: Rasht–Astara listed under the Julfa set, with its name and kind.
    let k = r
        .restoring_sets
        .iter()
        .position(|s| set_ids(&report, s) == ["julfa-rail-reopen"])
        .unwrap();
    let rasht = member(&report, "rasht-astara");
    assert!(
        r.improved_by[k].iter().any(|&(i, _)| i == rasht),
        "{:?}",
        r.improved_by[k]
    );
    assert_eq!(report.members[rasht].kind, "link");
    // Policy members say which rules they add.
    assert!(
        report.members[lift]
            .rules
            .iter()
            .any(|w| w.contains("bound for Armenia across Azerbaijan")),
        "{:?}",
        report.members[lift].rules
    );
}

#[test]
fn claim_verdicts_on_the_bundled_data() {
    let b = Bundled::new();
    let routes: Vec<&str> = b.data.routes.iter().map(|r| r.id.as_str()).collect();
    let scenarios: Vec<&str> = b.data.scenarios.ids().collect();
    let claims = load_claims(&root().join("seeds/claims.toml"), &routes, &scenarios).unwrap();
    let study = Study::new(&b.data, Metric::Time).unwrap();
    let results = study.claims(&claims);
    let tr_ru = results.iter().find(|r| r.claim.id == "tr-ru-rail").unwrap();
    assert_eq!(tr_ru.verdict, Verdict::AlreadyTrue, "{}", tr_ru.why);
    assert!(
        tr_ru.why.starts_with("Already true in baseline-2021"),
        "{}",
        tr_ru.why
    );
    assert!(tr_ru.why.contains("nakhchivan"), "{}", tr_ru.why);
    for r in &results {
        // One sentence each.
        assert!(
            r.why.ends_with('.') && !r.why.is_empty(),
            "{}: {}",
            r.claim.id,
            r.why
        );
        // The verdict follows its rule from the checks.
        let held_in_base = r.held_in_baseline;
        match r.verdict {
            Verdict::AlreadyTrue => assert!(held_in_base),
            _ => assert!(!held_in_base, "{}", r.claim.id),
        }
    }
}

#[test]
fn route_to_country_names_the_destination_for_the_access_policy() {
    // Russian rail cargo to Poti: through Azerbaijan in 2021 when bound for Georgia; when bound
    // for Armenia (unloaded at Poti), Azerbaijan's ban applies and the path keeps off it.
    let run = |extra: &[&str]| -> serde_json::Value {
        let out = corridor()
            .args([
                "--format",
                "json",
                "route",
                "moscow",
                "poti-port",
                "--mode",
                "rail",
            ])
            .args(extra)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let countries = |v: &serde_json::Value| -> Vec<String> {
        v["countries"]
            .as_array()
            .map(|a| a.iter().map(|c| c.to_string()).collect::<Vec<_>>())
            .unwrap_or_default()
    };
    let to_ge = run(&[]);
    assert!(
        countries(&to_ge).iter().any(|c| c.contains("AZ")),
        "{to_ge}"
    );
    assert_eq!(to_ge["to_country"], serde_json::Value::Null);
    let to_am = run(&["--to-country", "AM"]);
    assert_eq!(to_am["to_country"], "AM");
    assert!(
        !countries(&to_am).iter().any(|c| c.contains("AZ")),
        "{to_am}"
    );
    assert!(to_ge.get("hours_running_dwell").is_some(), "{to_ge}");
    let bad = corridor()
        .args(["route", "moscow", "poti-port", "--to-country", "Armenia"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--to-country"));
}
