//! The bundled data against the corrected fact sheet (`caucasus-facts` §12, kept beside the
//! project as `../shared/data/caucasus-facts.md`): each test names the item it pins. Where a fact
//! is a property of the files (a status, a length, a source) the test reads the loaded data;
//! where it is a property of the network (a path that exists, a length along a route) it asks
//! `corridor route` through the binary, so that these tests follow the command's answer. The
//! table "§12 item -> what the data does -> where tested" in `data/caucasus/README.md` lists them.
//!
//! Geometry: no straight piece of a rail or road geometry is longer than 60 km (here), and
//! `corridor check` reports no long piece and at most `MAX_LENGTH_WARNINGS` length warnings, each
//! explained in the data README (`check::the_data_readme_explains_every_length_warning`).

use corridor::network::{Link, LinkStatus, Mode, Node};
use corridor::scenario::{Dataset, ResolvedScenario};

use crate::common::{corridor, root};

fn data() -> Dataset {
    Dataset::load(&root().join("data/caucasus")).expect("the bundled data loads")
}

fn link<'a>(data: &'a Dataset, id: &str) -> &'a Link {
    let net = &data.network;
    net.link(
        net.link_id(id)
            .unwrap_or_else(|| panic!("link {id} exists")),
    )
}

fn node<'a>(data: &'a Dataset, id: &str) -> &'a Node {
    let net = &data.network;
    net.node(
        net.node_id(id)
            .unwrap_or_else(|| panic!("node {id} exists")),
    )
}

fn crossing_open(data: &Dataset, id: &str, mode: Mode) -> Option<bool> {
    let border = node(data, id).border.as_ref().expect("a border node");
    border.mode(mode).map(|m| m.open)
}

fn resolved(data: &Dataset, id: &str) -> ResolvedScenario {
    data.resolve(id)
        .unwrap_or_else(|| panic!("scenario {id} exists"))
}

/// `corridor route FROM TO --scenario S --mode M --format json` as JSON.
fn route(from: &str, to: &str, scenario: &str, mode: &str, extra: &[&str]) -> serde_json::Value {
    let out = corridor()
        .args(["route", from, to, "--scenario", scenario, "--mode", mode])
        .args(["--format", "json"])
        .args(extra)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "route {from} {to} {scenario}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("route prints JSON")
}

fn km(v: &serde_json::Value) -> f64 {
    v["km"].as_f64().unwrap_or_else(|| panic!("no km: {v}"))
}

fn passes(v: &serde_json::Value, place: &str) -> bool {
    v["nodes"]
        .as_array()
        .is_some_and(|n| n.iter().any(|x| x == place))
}

fn within(value: f64, target: f64, share: f64) -> bool {
    (value - target).abs() <= target * share
}

// ---------------------------------------------------------------------------------------------
// Geometry (issue 15, point 4)

#[test]
fn no_straight_piece_of_a_rail_or_road_geometry_exceeds_60_km() {
    let data = data();
    let mut long = Vec::new();
    for id in data.network.link_ids() {
        let l = data.network.link(id);
        if l.mode == Mode::Ferry {
            continue;
        }
        let longest = l
            .geometry
            .windows(2)
            .map(|w| w[0].geodesic_m(w[1]) / 1000.0)
            .fold(0.0, f64::max);
        if longest > 60.0 {
            long.push(format!("{} {longest:.0} km", l.id));
        }
    }
    assert!(long.is_empty(), "straight pieces over 60 km: {long:?}");
}

#[test]
fn one_detour_factor_per_land_mode_where_no_length_is_published() {
    // §12.5: links without a published length get their shape polyline times one factor per
    // mode, never a mix of the bare geodesic and a guessed 1.4.
    let data = data();
    for mode in [Mode::Rail, Mode::Road] {
        let mut ratios: Vec<(String, f64)> = Vec::new();
        for id in data.network.link_ids() {
            let l = data.network.link(id);
            let estimated = l
                .length_note
                .as_deref()
                .is_some_and(|n| n.starts_with("estimate (L), no published length"));
            if l.mode == mode {
                assert!(l.published_length_km.is_some(), "{} has no length_km", l.id);
            }
            if l.mode == mode && estimated && l.geodesic_km > 5.0 {
                ratios.push((l.id.clone(), l.length_km / l.geodesic_km));
            }
        }
        assert!(ratios.len() > 20, "{mode:?}: {ratios:?}");
        let (lo, hi) = ratios.iter().fold((f64::MAX, 0.0f64), |(lo, hi), (_, r)| {
            (lo.min(*r), hi.max(*r))
        });
        // 0.1 km rounding on links of 5 km or more moves a ratio by at most 2 %.
        assert!(
            hi - lo < 0.03,
            "{mode:?} factors {lo:.3}..{hi:.3}: {ratios:?}"
        );
        assert!((1.05..1.3).contains(&lo), "{mode:?} factor {lo:.3}");
    }
}

// ---------------------------------------------------------------------------------------------
// §12 items

#[test]
fn s12_1_culfa_jolfa_rail_closed_road_open_and_a_reopening_project() {
    let data = data();
    assert_eq!(crossing_open(&data, "bx-julfa", Mode::Rail), Some(false));
    assert_eq!(crossing_open(&data, "bx-julfa", Mode::Road), Some(true));
    for id in ["rail-culfa-bx-julfa", "rail-bx-julfa-jolfa-ir"] {
        assert_eq!(link(&data, id).status, LinkStatus::Closed, "{id}");
        assert!(link(&data, id).source.contains("§12.1"), "{id}");
    }
    let project = data.scenarios.get("julfa-rail-reopen").expect("project");
    assert!(project.project);
    let reopened = resolved(&data, "julfa-rail-reopen");
    let net = &data.network;
    assert!(reopened.is_link_open(net.link_id("rail-bx-julfa-jolfa-ir").unwrap()));
    assert!(reopened.is_crossing_open(net.node_id("bx-julfa").unwrap(), Mode::Rail));
    // In 2021 no rail path at all joined Baku and Nakhchivan.
    let r = route("baku", "nakhchivan", "baseline-2021", "rail", &[]);
    assert_eq!(r["reachable"], false, "{r}");
}

#[test]
fn s12_3_kars_tatvan_runs_via_cetinkaya_never_via_ankara() {
    let data = data();
    let c = node(&data, "cetinkaya");
    assert!(within(c.position.lat, 39.25, 0.01) && within(c.position.lon, 37.63, 0.01));
    let kars_tatvan = data.scenarios.ids().map(|s| {
        let r = route("kars", "tatvan-pier", s, "rail", &[]);
        (s.to_string(), r)
    });
    for (s, r) in kars_tatvan {
        assert!(within(km(&r), 1225.0, 0.10), "{s}: {r}");
        assert!(passes(&r, "cetinkaya") && !passes(&r, "ankara"), "{s}: {r}");
    }
    let ak = route("ankara", "kars", "baseline-2021", "rail", &[]);
    assert!(within(km(&ak), 1310.0, 0.005), "{ak}");
    let at = route("ankara", "tatvan-pier", "baseline-2021", "rail", &[]);
    assert!(within(km(&at), 1315.0, 0.005), "{at}");
    // No rail path between eastern Turkey's lines passes Ankara.
    let east = [
        "kars",
        "erzurum",
        "sarikamis",
        "cetinkaya",
        "tatvan-pier",
        "van-pier",
    ];
    for a in east {
        for b in east {
            if a < b {
                let r = route(a, b, "baseline-2021", "rail", &[]);
                assert!(!passes(&r, "ankara"), "{a} -> {b}: {r}");
            }
        }
    }
}

#[test]
fn s12_4_the_lake_van_ferry_crosses_in_3_5_hours() {
    let data = data();
    let f = link(&data, "ferry-tatvan-pier-van-pier");
    let hours = f.length_km / f.speed_kmh.expect("a speed from the crossing time");
    assert!(within(hours, 3.5, 0.02), "{hours} h");
}

#[test]
fn s12_5_published_road_distances() {
    let m4 = route("moscow", "rostov", "baseline-2021", "road", &[]);
    assert!(within(km(&m4), 1070.0, 0.005), "{m4}");
    let vr = route("vladikavkaz", "rostov", "baseline-2021", "road", &[]);
    assert!(within(km(&vr), 700.0, 0.005), "{vr}");
    let data = data();
    let horadiz_aghband: f64 = ["road-horadiz-mincivan", "road-mincivan-aghband"]
        .iter()
        .map(|id| link(&data, id).length_km)
        .sum();
    assert!(within(horadiz_aghband, 123.6, 0.002), "{horadiz_aghband}");
}

#[test]
fn s12_6_masis_lies_south_west_of_yerevan() {
    let data = data();
    let m = node(&data, "masis");
    assert!((m.position.lat - 40.064).abs() < 1e-6 && (m.position.lon - 44.436).abs() < 1e-6);
    // The line's published 11.7 km (km-posts 353.3–365) now matches the straight line to the
    // town centre within 2 % (it was 41 % shorter than it).
    let l = link(&data, "rail-masis-yerevan");
    assert!(
        within(l.geodesic_km, l.length_km, 0.02),
        "{} vs {}",
        l.geodesic_km,
        l.length_km
    );
}

#[test]
fn s12_10_moscow_to_tehran_by_rail_through_kazakhstan_and_turkmenistan_in_2021() {
    let data = data();
    // The Uzen–Gorgan railway: 928 km, 1520 mm to the Iranian border, a break of gauge there.
    let uzen = route("zhanaozen", "gorgan", "baseline-2021", "rail", &[]);
    assert!(within(km(&uzen), 928.0, 0.002), "{uzen}");
    assert!(node(&data, "incheh-borun").transfers.gauge);
    assert_eq!(link(&data, "rail-incheh-borun-gorgan").gauge_mm, Some(1435));
    assert_eq!(link(&data, "rail-etrek-bx-akyayla").gauge_mm, Some(1520));
    let r = route(
        "moscow",
        "tehran",
        "baseline-2021",
        "rail",
        &["--alternatives", "3"],
    );
    assert_eq!(r["reachable"], true, "{r}");
    let paths = std::iter::once(&r).chain(r["alternatives"].as_array().unwrap().iter());
    let through = |p: &serde_json::Value, c: &str| {
        p["countries"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["country"] == c)
    };
    assert!(
        paths
            .clone()
            .any(|p| through(p, "KZ") && through(p, "TM") && !through(p, "AZ")),
        "no path through Kazakhstan and Turkmenistan: {r}"
    );
    // The Caspian ports carry cargo by ship, not by train ferry.
    for id in ["ferry-makhachkala-anzali", "ferry-astrakhan-anzali"] {
        let f = link(&data, id);
        assert!(f.carries.road && !f.carries.rail, "{id}");
    }
}

#[test]
fn s12_11_gurbulak_open_and_the_kapikoy_road_gate_closed_in_2021() {
    let data = data();
    assert_eq!(crossing_open(&data, "bx-gurbulak", Mode::Road), Some(true));
    assert_eq!(crossing_open(&data, "bx-kapikoy", Mode::Road), Some(false));
    assert_eq!(crossing_open(&data, "bx-kapikoy", Mode::Rail), Some(true));
    let r = route("erzurum", "tabriz", "baseline-2021", "road", &[]);
    assert!(passes(&r, "bx-gurbulak"), "{r}");
    assert!(
        !passes(&r, "nakhchivan") && !passes(&r, "bx-kapikoy"),
        "{r}"
    );
}

#[test]
fn s12_12_13_17_20_statuses_and_wording_of_2021() {
    let data = data();
    // §12.12: both Chornomorsk ferries ran in 2021.
    for id in [
        "ferry-poti-port-chornomorsk",
        "ferry-batumi-port-chornomorsk",
    ] {
        let f = link(&data, id);
        assert_eq!(f.status, LinkStatus::Open, "{id}");
        assert!(f.source.contains("§12.12"), "{id}");
        assert!(
            !f.note.as_deref().unwrap_or("").contains("resumed Jul 2024"),
            "{id}"
        );
    }
    // §12.13: no 2021 link describes the new Astara road bridge as built.
    for id in data.network.link_ids() {
        let l = data.network.link(id);
        let note = l.note.as_deref().unwrap_or("");
        assert!(!note.contains("New Astarachay road bridge ("), "{}", l.id);
    }
    let astara = link(&data, "road-astara-az-bx-astara");
    assert!(astara
        .note
        .as_deref()
        .unwrap()
        .contains("old Astarachay road bridge was in use"));
    // §12.17: Tatev–Kapan open but slow.
    let tatev = link(&data, "road-tatev-kapan");
    assert_eq!(tatev.status, LinkStatus::Open);
    assert!(tatev.speed_kmh.unwrap() <= 30.0);
    // §12.20: Poti–Port Kavkaz closed in the baseline, with the doubt said.
    let kavkaz = link(&data, "ferry-poti-port-port-kavkaz");
    assert_eq!(kavkaz.status, LinkStatus::Closed);
    assert!(kavkaz.note.as_deref().unwrap().contains("uncertain"));
}

#[test]
fn s12_18_moscow_rostov_by_rail_is_1223_km() {
    let r = route("moscow", "rostov", "baseline-2021", "rail", &[]);
    assert!(within(km(&r), 1223.0, 0.002), "{r}");
}

#[test]
fn s12_21_caspian_ferries_turkmenbashi_figures_and_the_kuryk_rail_ferry() {
    let data = data();
    let t = link(&data, "ferry-alat-turkmenbashi");
    assert_eq!(t.published_length_km, Some(306.0));
    assert!(within(t.length_km / t.speed_kmh.unwrap(), 12.0, 0.02));
    let kuryk = link(&data, "ferry-alat-kuryk");
    assert!(kuryk.carries.rail && kuryk.carries.road);
    let aktau = link(&data, "ferry-alat-aktau");
    assert!(aktau.carries.road && !aktau.carries.rail);
    // Kazakh wagons still reach Baku by rail: through Kuryk.
    let r = route("aktau", "baku", "baseline-2021", "rail", &[]);
    assert!(passes(&r, "kuryk"), "{r}");
}

#[test]
fn s12_15_16_22_demand_and_capacities_say_what_their_figures_are() {
    let data = data();
    let demand = |id: &str| {
        data.demand
            .iter()
            .find(|d| d.id == id)
            .unwrap_or_else(|| panic!("demand row {id}"))
            .tonnes_per_year
    };
    assert_eq!(demand("ru-ir-astara"), 227_158.0);
    assert_eq!(demand("ir-ru-astara"), 120_068.0);
    assert_eq!(demand("ge-am-bagratashen"), 134_000.0);
    let cap = data.capacity.as_ref().expect("capacity.toml");
    let named = |id: &str, mode: Mode| {
        let n = data.network.node_id(id).unwrap();
        cap.crossings
            .iter()
            .find(|c| c.node == n && c.kind == mode)
            .unwrap_or_else(|| panic!("capacity of {id}"))
    };
    assert!(named("bx-julfa", Mode::Rail)
        .source
        .contains("throughput, not a capacity"));
    assert_eq!(named("bx-gurbulak", Mode::Road).t_per_day, 12_000.0);
    let akhalkalaki = cap
        .transfers
        .iter()
        .find(|t| data.network.node(t.node).id == "akhalkalaki")
        .unwrap();
    assert!(akhalkalaki.source.contains("not the transfer yard's"));
}

#[test]
fn every_new_or_changed_feature_cites_the_corrections() {
    let data = data();
    for id in [
        "cetinkaya",
        "dogubayazit",
        "bx-gurbulak",
        "kuryk",
        "zhanaozen",
        "bereket",
        "etrek",
        "incheh-borun",
        "gorgan",
        "astrakhan",
        "anzali",
        "bx-julfa",
        "bx-kapikoy",
        "masis",
    ] {
        assert!(
            node(&data, id).source.contains("§12"),
            "{id}: {}",
            node(&data, id).source
        );
    }
    for id in [
        "rail-moscow-gryazi",
        "rail-ankara-cetinkaya",
        "rail-cetinkaya-tatvan-pier",
        "rail-zhanaozen-bx-bolashak",
        "road-rostov-moscow",
        "road-vladikavkaz-rostov",
        "ferry-tatvan-pier-van-pier",
        "ferry-alat-kuryk",
        "road-dogubayazit-bx-gurbulak",
        "road-tatev-kapan",
    ] {
        assert!(
            link(&data, id).source.contains("§12"),
            "{id}: {}",
            link(&data, id).source
        );
    }
}

#[test]
fn main_places_answer_to_their_names_in_the_regions_languages() {
    // Issue 14, point 5: Russian, Armenian, Azerbaijani, Georgian, Turkish and Persian names.
    let data = data();
    let net = &data.network;
    for (name, id) in [
        ("Нахичевань", "nakhchivan"),
        ("Նախիջևան", "nakhchivan"),
        ("ნახჭევანი", "nakhchivan"),
        ("Nahçıvan", "nakhchivan"),
        ("نخجوان", "nakhchivan"),
        ("Ереван", "yerevan"),
        ("Երևան", "yerevan"),
        ("İrəvan", "yerevan"),
        ("ერევანი", "yerevan"),
        ("Erivan", "yerevan"),
        ("ایروان", "yerevan"),
        ("Тбилиси", "tbilisi"),
        ("Tiflis", "tbilisi"),
        ("تفلیس", "tbilisi"),
        ("Баку", "baku"),
        ("Bakü", "baku"),
        ("باکو", "baku"),
        ("Москва", "moscow"),
        ("Тегеран", "tehran"),
        ("جلفا", "jolfa-ir"),
        ("Джульфа", "culfa"),
    ] {
        let found = net.find_place(name).unwrap_or_else(|_| panic!("{name}"));
        assert_eq!(net.node(found).id, id, "{name}");
    }
    assert!(node(&data, "yerevan").source.contains("aliases"));
}
