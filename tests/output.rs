//! The output layer as users meet it: GeoJSON layers read back by GDAL (`ogrinfo`, which must be
//! installed: `.ci/run` installs Debian's `gdal-bin`), byte-identical reruns, the `corridor
//! layers` command, and the charts (SVG structure against golden files, PNGs not blank).
//!
//! Set `CORRIDOR_QGIS_SAMPLE=DIR` to also leave a full layer set (nodes, links, routes,
//! criticality, flows and `corridor.qgs`) in `DIR`, for `tests/qgis/check_project.py`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use corridor::network::{LonLat, Network};
use corridor::output::chart::{
    write_chart, BarChart, BarLayout, Chart, Heatmap, Histogram, LineChart, Series, XySeries,
    OKABE_ITO,
};
use corridor::output::geojson::{LinkMetricLayer, RouteRecord};
use corridor::output::map::{MapRoute, QuickLookMap};
use corridor::output::LayerSet;
use corridor::scenario::{Dataset, ResolvedScenario};
use serde_json::Value;

use crate::common::{corridor, fixture, root};

fn tiny() -> Dataset {
    Dataset::load(&fixture("tiny")).expect("the tiny fixture loads")
}

fn all_scenarios(data: &Dataset) -> Vec<ResolvedScenario> {
    data.scenarios
        .ids()
        .map(|id| data.resolve(id).expect("a listed scenario resolves"))
        .collect()
}

/// The geometry of a path through links given by id, origin to destination.
fn path_of(net: &Network, links: &[&str]) -> Vec<LonLat> {
    let mut out: Vec<LonLat> = Vec::new();
    for id in links {
        let l = net.link(net.link_id(id).expect("fixture link"));
        for &p in &l.geometry {
            if out.last() != Some(&p) {
                out.push(p);
            }
        }
    }
    out
}

/// Routes as an analysis would hand them over: a-c by rail under `open-line`, by road under
/// `open-road`, and the road route's first alternative.
fn sample_routes(net: &Network) -> Vec<RouteRecord> {
    let rec = |route: &str, scenario: &str, alt: u32, links: &[&str], km: f64| RouteRecord {
        route: route.into(),
        scenario: scenario.into(),
        alternative: alt,
        path: path_of(net, links),
        km,
        hours: km / 40.0 + 4.0,
        usd_per_t: km * 0.04 + 1.0,
        borders: 1,
        summary: format!("via bx-ab, {km} km"),
    };
    vec![
        rec(
            "a-c-rail",
            "open-line",
            0,
            &["rail-a-b", "rail-b-bx-ab", "rail-bx-ab-c"],
            42.7,
        ),
        rec(
            "a-c-any",
            "open-road",
            0,
            &["road-a-bx-ab", "road-bx-ab-c"],
            40.1,
        ),
        rec(
            "a-c-any",
            "open-road",
            1,
            &["rail-a-b", "rail-b-bx-ab", "road-bx-ab-c"],
            41.5,
        ),
    ]
}

/// Writes every kind of layer for the tiny fixture into `dir`.
fn write_full_set(dir: &Path) -> Vec<PathBuf> {
    let data = tiny();
    let scenarios = all_scenarios(&data);
    let net = &data.network;
    let mut set = LayerSet::new(dir, &data, &scenarios).expect("network layers");
    set.add_routes(
        &sample_routes(net),
        &["base", "open-line", "open-road", "both"],
        &[],
    )
    .expect("routes layer");
    let n = net.links.len();
    let criticality: Vec<Option<f64>> = (0..n).map(|i| Some(i as f64 * 2.5)).collect();
    let disconnects: Vec<Option<f64>> = (0..n).map(|i| Some((i % 2) as f64)).collect();
    set.add_metric(
        &LinkMetricLayer {
            name: "criticality".into(),
            scenario: "base".into(),
            columns: vec![
                ("extra_hours".into(), criticality),
                ("disconnects".into(), disconnects),
            ],
        },
        "extra_hours",
        OKABE_ITO[6],
    )
    .expect("criticality layer");
    let flows: Vec<Option<f64>> = (0..n)
        .map(|i| (i != 2).then_some(1000.0 + 250.0 * i as f64))
        .collect();
    set.add_metric(
        &LinkMetricLayer {
            name: "flows".into(),
            scenario: "both".into(),
            columns: vec![("flow_t_per_day".into(), flows)],
        },
        "flow_t_per_day",
        OKABE_ITO[5],
    )
    .expect("flows layer");
    set.finish().expect("project").files
}

/// The OGR type GDAL's GeoJSON driver must infer for a column from its JSON values: `Real` when
/// any value is a float, `Integer` when all are integers, `Integer(Boolean)` for booleans,
/// `String` otherwise (also when every value is null: there is nothing to infer from).
fn expected_ogr_type(values: &[&Value]) -> &'static str {
    let present: Vec<&&Value> = values.iter().filter(|v| !v.is_null()).collect();
    if present.is_empty() {
        "String"
    } else if present.iter().all(|v| v.is_boolean()) {
        "Integer(Boolean)"
    } else if present.iter().all(|v| v.is_number()) {
        if present.iter().any(|v| v.is_f64()) {
            "Real"
        } else {
            "Integer"
        }
    } else {
        "String"
    }
}

struct OgrLayer {
    name: String,
    geometry: String,
    count: usize,
    fields: BTreeMap<String, String>,
}

/// `ogrinfo -ro -so -al FILE`, parsed. Fails the test when `ogrinfo` is missing.
fn ogrinfo(path: &Path) -> OgrLayer {
    let out = Command::new("ogrinfo")
        .args(["-ro", "-so", "-al"])
        .arg(path)
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "ogrinfo could not run ({e}): install GDAL's command-line tools \
                 (Debian: apt-get install gdal-bin; .ci/run does it)"
            )
        });
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "ogrinfo failed on {}:\n{text}\n{}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let mut layer = OgrLayer {
        name: String::new(),
        geometry: String::new(),
        count: usize::MAX,
        fields: BTreeMap::new(),
    };
    let mut in_fields = false;
    for line in text.lines() {
        if let Some(v) = line.strip_prefix("Layer name: ") {
            layer.name = v.trim().into();
        } else if let Some(v) = line.strip_prefix("Geometry: ") {
            layer.geometry = v.trim().into();
        } else if let Some(v) = line.strip_prefix("Feature Count: ") {
            layer.count = v.trim().parse().expect("feature count");
        } else if line.starts_with("Data axis to CRS axis mapping") {
            in_fields = true;
        } else if in_fields {
            if let Some((name, rest)) = line.split_once(": ") {
                let ty = rest.rsplit_once(" (").map_or(rest, |(t, _)| t);
                layer.fields.insert(name.into(), ty.trim().into());
            }
        }
    }
    layer
}

/// Reads a layer back and checks the GeoJSON rules QGIS and GDAL rely on; returns its features.
fn check_geojson_rules(path: &Path, name: &str, geometry: &str) -> Vec<Value> {
    let text = std::fs::read_to_string(path).expect("layer file");
    let v: Value = serde_json::from_str(&text).expect("valid JSON");
    assert_eq!(v["type"], "FeatureCollection");
    assert_eq!(
        v["name"],
        name,
        "{}: FeatureCollection name",
        path.display()
    );
    assert!(
        v.get("crs").is_none(),
        "{}: RFC 7946 has no crs",
        path.display()
    );
    let features = v["features"].as_array().expect("features").clone();
    let keys = |f: &Value| -> Vec<String> {
        f["properties"]
            .as_object()
            .expect("properties")
            .keys()
            .cloned()
            .collect()
    };
    for (i, f) in features.iter().enumerate() {
        assert_eq!(f["geometry"]["type"], geometry, "{name} feature {i}");
        assert_eq!(
            keys(f),
            keys(&features[0]),
            "{name} feature {i}: same columns in same order"
        );
        let mut coords = Vec::new();
        collect_numbers(&f["geometry"]["coordinates"], &mut coords);
        for c in coords {
            let scaled = c * 1e6;
            assert!(
                (scaled - scaled.round()).abs() < 1e-6,
                "{name} feature {i}: coordinate {c} has more than 6 decimals"
            );
        }
    }
    features
}

fn collect_numbers(v: &Value, out: &mut Vec<f64>) {
    match v {
        Value::Array(a) => a.iter().for_each(|x| collect_numbers(x, out)),
        Value::Number(n) => out.extend(n.as_f64()),
        _ => {}
    }
}

#[test]
fn every_layer_opens_in_gdal_with_its_geometry_count_and_column_types() {
    let dir = tempfile::tempdir().unwrap();
    write_full_set(dir.path());
    if let Some(sample) = std::env::var_os("CORRIDOR_QGIS_SAMPLE") {
        write_full_set(Path::new(&sample));
    }
    let cases = [
        ("nodes", "Point", "Point", 4),
        ("links", "LineString", "Line String", 5),
        ("routes", "LineString", "Line String", 3),
        ("criticality", "LineString", "Line String", 5),
        ("flows", "LineString", "Line String", 4),
    ];
    for (name, geojson_type, ogr_type, count) in cases {
        let path = dir.path().join(format!("{name}.geojson"));
        let features = check_geojson_rules(&path, name, geojson_type);
        let ogr = ogrinfo(&path);
        assert_eq!(ogr.name, name, "{name}: GDAL layer name");
        assert_eq!(ogr.geometry, ogr_type, "{name}: GDAL geometry type");
        assert_eq!(ogr.count, count, "{name}: GDAL feature count");
        assert_eq!(features.len(), count);
        let columns: Vec<String> = features[0]["properties"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        assert_eq!(
            ogr.fields
                .keys()
                .cloned()
                .collect::<std::collections::BTreeSet<_>>(),
            columns.iter().cloned().collect(),
            "{name}: GDAL sees every column"
        );
        for col in &columns {
            let values: Vec<&Value> = features.iter().map(|f| &f["properties"][col]).collect();
            assert_eq!(
                ogr.fields[col],
                expected_ogr_type(&values),
                "{name}.{col}: GDAL's type against the values {values:?}"
            );
        }
    }
    // The columns a style or a user relies on, by name.
    let links = ogrinfo(&dir.path().join("links.geojson"));
    for (col, ty) in [
        ("id", "String"),
        ("mode", "String"),
        ("status", "String"),
        ("gauge_mm", "Integer"),
        ("dual_gauge", "Integer(Boolean)"),
        ("length_km", "Real"),
        ("status_base", "String"),
        ("status_open_line", "String"),
        ("status_open_road", "String"),
        ("status_both", "String"),
    ] {
        assert_eq!(
            links.fields.get(col).map(String::as_str),
            Some(ty),
            "links.{col}"
        );
    }
    let nodes = ogrinfo(&dir.path().join("nodes.geojson"));
    assert_eq!(nodes.fields["dwell_h_rail"], "Real");
    assert_eq!(nodes.fields["crossing_open_road"], "String");
    let routes = ogrinfo(&dir.path().join("routes.geojson"));
    for (col, ty) in [
        ("km", "Real"),
        ("hours", "Real"),
        ("usd_per_t", "Real"),
        ("borders", "Integer"),
        ("alternative", "Integer"),
        ("scenario", "String"),
    ] {
        assert_eq!(routes.fields[col], ty, "routes.{col}");
    }
    assert_eq!(
        ogrinfo(&dir.path().join("flows.geojson")).fields["flow_t_per_day"],
        "Real"
    );
}

#[test]
fn scenario_columns_follow_each_scenario_mask() {
    let dir = tempfile::tempdir().unwrap();
    write_full_set(dir.path());
    let text = std::fs::read_to_string(dir.path().join("links.geojson")).unwrap();
    let v: Value = serde_json::from_str(&text).unwrap();
    let by_id: BTreeMap<String, &Value> = v["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["properties"]["id"].as_str().unwrap().to_string(),
                &f["properties"],
            )
        })
        .collect();
    let line = by_id["rail-bx-ab-c"];
    assert_eq!(line["status"], "closed");
    assert_eq!(line["status_base"], "closed");
    assert_eq!(line["status_open_line"], "open");
    assert_eq!(line["status_open_road"], "closed");
    assert_eq!(line["status_both"], "open");
    let text = std::fs::read_to_string(dir.path().join("nodes.geojson")).unwrap();
    let v: Value = serde_json::from_str(&text).unwrap();
    let bx = v["features"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["properties"]["id"] == "bx-ab")
        .unwrap();
    assert_eq!(bx["properties"]["crossing_base"], "rail_only");
    assert_eq!(bx["properties"]["crossing_open_road"], "open");
    assert_eq!(bx["properties"]["countries"], "AZ|GE");
    let a = v["features"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["properties"]["id"] == "a")
        .unwrap();
    assert_eq!(a["properties"]["crossing_base"], Value::Null);
}

#[test]
fn layers_and_project_are_byte_identical_across_runs() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let files = write_full_set(a.path());
    write_full_set(b.path());
    assert!(files.len() >= 11, "{files:?}");
    for f in files {
        let name = f.file_name().unwrap();
        assert_eq!(
            std::fs::read(a.path().join(name)).unwrap(),
            std::fs::read(b.path().join(name)).unwrap(),
            "{} differs between runs",
            name.to_string_lossy()
        );
    }
}

#[test]
fn project_lists_layers_with_relative_paths_nodes_first() {
    let dir = tempfile::tempdir().unwrap();
    write_full_set(dir.path());
    let qgs = std::fs::read_to_string(dir.path().join("corridor.qgs")).unwrap();
    let order: Vec<&str> = qgs
        .lines()
        .filter_map(|l| l.trim().strip_prefix("<layername>"))
        .map(|l| l.trim_end_matches("</layername>"))
        .collect();
    assert_eq!(
        order,
        [
            "nodes",
            "criticality",
            "flows",
            "links",
            "routes: Base",
            "projects",
            "links: Base",
            "links: open-line",
            "links: open-road",
            "links: both",
            "routes: Base",
            "routes: open-line",
            "routes: open-road",
            "routes: both",
            "basemap_lines",
            "basemap_countries",
        ]
    );
    assert!(qgs.contains("<datasource>./corridor.gpkg|layername=links</datasource>"));
    assert!(qgs.contains(
        "<datasource>./corridor.gpkg|layername=routes|subset=&quot;scenario&quot; = &apos;base&apos;</datasource>"
    ));
    assert!(
        !qgs.contains(&dir.path().display().to_string()),
        "no absolute paths"
    );
    // The print layout: title, map, legend, scale bar, north arrow, sources.
    for item in ["65639", "65641", "65642", "65646", "65640"] {
        assert!(
            qgs.contains(&format!("type=\"{item}\"")),
            "layout item {item}"
        );
    }
    assert!(qgs.contains("Natural Earth"));
    for name in [
        "nodes",
        "links",
        "routes",
        "criticality",
        "flows",
        "projects",
    ] {
        let qml = std::fs::read_to_string(dir.path().join(format!("{name}.qml"))).unwrap();
        assert!(qml.contains("<renderer-v2"), "{name}.qml");
        // Every category is drawn.
        assert!(
            !qml.contains("render=\"false\""),
            "{name}.qml hides a class"
        );
    }
}

#[test]
fn projects_layer_names_each_projects_links_and_kind() {
    let dir = tempfile::tempdir().unwrap();
    write_full_set(dir.path());
    let v: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("projects.geojson")).unwrap(),
    )
    .unwrap();
    let rows: Vec<(String, String, String, String)> = v["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let p = &f["properties"];
            let s = |k: &str| p[k].as_str().unwrap().to_string();
            (s("project"), s("name"), s("kind"), s("link"))
        })
        .collect();
    // open-line opens one rail link; open-road opens the road crossing bx-ab, whose road links
    // are listed (not its railway).
    assert!(
        rows.contains(&(
            "open-line".into(),
            "open-line".into(),
            "link".into(),
            "rail-bx-ab-c".into()
        )),
        "{rows:?}"
    );
    let road: Vec<&str> = rows
        .iter()
        .filter(|r| r.0 == "open-road")
        .map(|r| r.3.as_str())
        .collect();
    assert!(!road.is_empty(), "{rows:?}");
    assert!(road.iter().all(|l| !l.starts_with("rail")), "{road:?}");
}

#[test]
fn geopackage_holds_every_layer_and_its_styles() {
    let dir = tempfile::tempdir().unwrap();
    write_full_set(dir.path());
    let gpkg = dir.path().join("corridor.gpkg");
    let out = Command::new("ogrinfo")
        .args(["-ro", "-q"])
        .arg(&gpkg)
        .output()
        .expect("ogrinfo runs (apt-get install gdal-bin)");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    for (layer, geometry) in [
        ("nodes", "Point"),
        ("links", "Line String"),
        ("projects", "Line String"),
        ("routes", "Line String"),
        ("criticality", "Line String"),
        ("flows", "Line String"),
        ("basemap_countries", "Multi Polygon"),
        ("basemap_lines", "Multi Line String"),
        ("layer_styles", "None"),
    ] {
        assert!(
            text.lines()
                .any(|l| l.ends_with(&format!(": {layer} ({geometry})"))),
            "ogrinfo lists {layer} ({geometry}):\n{text}"
        );
    }
    // Each table has exactly one default style; the links have one more per scenario.
    let sql = Command::new("ogrinfo")
        .args(["-ro", "-q", "-sql"])
        .arg("SELECT f_table_name, count(*) AS n, sum(useAsDefault) AS d FROM layer_styles GROUP BY f_table_name ORDER BY f_table_name")
        .arg(&gpkg)
        .output()
        .unwrap();
    let styles = String::from_utf8_lossy(&sql.stdout);
    for table in [
        "nodes",
        "links",
        "projects",
        "routes",
        "criticality",
        "flows",
        "basemap_countries",
        "basemap_lines",
    ] {
        assert!(
            styles.contains(&format!("f_table_name (String) = {table}")),
            "{table} has no style:\n{styles}"
        );
    }
    assert_eq!(styles.matches("d (Integer) = 1").count(), 8, "{styles}");
    assert!(
        styles.contains("n (Integer) = 5"),
        "links: own style + 4 scenarios:\n{styles}"
    );
    // The same columns as the GeoJSON layer.
    let links = ogrinfo(&dir.path().join("links.geojson"));
    let out = Command::new("ogrinfo")
        .args(["-ro", "-so"])
        .arg(&gpkg)
        .arg("links")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    for field in links.fields.keys() {
        assert!(
            text.contains(&format!("\n{field}: ")),
            "gpkg links lacks {field}:\n{text}"
        );
    }
}

#[test]
fn routes_writer_rejects_a_path_of_one_point() {
    let dir = tempfile::tempdir().unwrap();
    let data = tiny();
    let mut bad = sample_routes(&data.network);
    bad[1].path.truncate(1);
    let path = dir.path().join("routes.geojson");
    let err = corridor::output::geojson::write_routes(&path, &bad).unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("routes.geojson") && msg.contains("a-c-any@open-road/0"),
        "{msg}"
    );
    assert!(!path.exists(), "nothing written on error");
}

#[test]
fn layers_command_writes_the_project_and_rejects_unknown_scenarios() {
    let dir = tempfile::tempdir().unwrap();
    let out = corridor()
        .arg("--data")
        .arg(fixture("tiny"))
        .arg("--out")
        .arg(dir.path())
        .args(["layers", "--scenarios", "base,both"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("corridor.qgs"), "{stdout}");
    for f in [
        "nodes.geojson",
        "links.geojson",
        "nodes.qml",
        "links.qml",
        "corridor.qgs",
        "map.png",
        "map.svg",
    ] {
        assert!(dir.path().join(f).is_file(), "{f} written");
    }
    let links = std::fs::read_to_string(dir.path().join("links.geojson")).unwrap();
    assert!(links.contains("\"status_both\"") && !links.contains("\"status_open_line\""));

    let out = corridor()
        .arg("--data")
        .arg(fixture("tiny"))
        .arg("--out")
        .arg(dir.path())
        .args(["layers", "--scenarios", "nope"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr.contains("unknown scenario `nope`") && stderr.contains("open-line"),
        "{stderr}"
    );
}

// ---------------------------------------------------------------------------------------------
// Charts

fn sample_heatmap() -> Heatmap {
    Heatmap {
        title: "Cost of each trade route by scenario".into(),
        row_axis: "trade route".into(),
        column_axis: "scenario".into(),
        value_label: "cost (USD per tonne)".into(),
        rows: vec![
            "baku-nakhchivan-rail".into(),
            "yerevan-moscow".into(),
            "tbilisi-kars".into(),
        ],
        columns: vec![
            "baseline-2021".into(),
            "meghri-rail".into(),
            "kars-gyumri".into(),
        ],
        values: vec![
            vec![None, Some(31.5), None],
            vec![Some(88.0), Some(64.2), Some(70.9)],
            vec![Some(22.4), Some(22.4), Some(18.0)],
        ],
        missing_label: "unreachable".into(),
        diverging: false,
        missing_text: Vec::new(),
    }
}

fn sample_bars(layout: BarLayout) -> BarChart {
    BarChart {
        title: "Shapley credit of each project, by trade route".into(),
        value_axis: "credit (hours saved per trip)".into(),
        category_axis: "project".into(),
        categories: vec![
            "meghri-rail".into(),
            "kars-gyumri".into(),
            "ijevan-gazakh".into(),
        ],
        series: vec![
            Series {
                name: "baku-nakhchivan-rail".into(),
                values: vec![40.0, 0.0, 3.5],
            },
            Series {
                name: "yerevan-moscow".into(),
                values: vec![12.0, 20.0, -2.0],
            },
            Series {
                name: "tbilisi-kars".into(),
                values: vec![0.0, 6.0, 1.0],
            },
        ],
        layout,
        coloured: None,
    }
}

fn sample_histogram() -> Histogram {
    let draws = |centre: f64, spread: f64| -> Vec<f64> {
        // A fixed, deterministic spread of values (no RNG needed for a picture).
        (0..400)
            .map(|i| {
                centre
                    + spread
                        * (((i * 37) % 101) as f64 / 50.0 - 1.0)
                        * (((i * 11) % 7) as f64 / 6.0)
            })
            .collect()
    };
    Histogram {
        title: "Cost under disruption (400 draws)".into(),
        value_axis: "cost (USD per tonne)".into(),
        count_axis: "draws".into(),
        series: vec![
            Series {
                name: "baseline-2021".into(),
                values: draws(60.0, 15.0),
            },
            Series {
                name: "meghri-rail".into(),
                values: draws(45.0, 8.0),
            },
        ],
        bins: 30,
    }
}

fn sample_lines() -> LineChart {
    LineChart {
        title: "Convergence of the equilibrium assignment".into(),
        x_axis: "iteration".into(),
        y_axis: "relative gap (log scale)".into(),
        series: vec![
            XySeries {
                name: "MSA".into(),
                points: (1..=40).map(|i| (i as f64, 0.5 / i as f64)).collect(),
            },
            XySeries {
                name: "Frank-Wolfe".into(),
                points: (1..=40).map(|i| (i as f64, 0.5 * 0.8f64.powi(i))).collect(),
            },
        ],
        log_y: true,
    }
}

/// Texts of an SVG, in document order, unescaped.
fn svg_texts(svg: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = svg;
    while let Some(i) = rest.find("<text") {
        rest = &rest[i..];
        let Some(open_end) = rest.find('>') else {
            break;
        };
        let Some(close) = rest.find("</text>") else {
            break;
        };
        let t = rest[open_end + 1..close].trim();
        out.push(
            t.replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&apos;", "'")
                .replace("&amp;", "&"),
        );
        rest = &rest[close..];
    }
    out
}

/// The structure of an SVG chart: its texts, its element counts by tag, and which palette
/// colours it uses. Compared with `tests/golden/charts/<name>.txt`; `UPDATE_GOLDEN=1` rewrites.
fn svg_structure(svg: &str) -> String {
    let mut tags: BTreeMap<String, usize> = BTreeMap::new();
    for part in svg.split('<').skip(1) {
        let tag: String = part
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        if !tag.is_empty() {
            *tags.entry(tag).or_default() += 1;
        }
    }
    let colours: Vec<String> = OKABE_ITO
        .iter()
        .map(|c| c.hex())
        .filter(|h| svg.contains(h.as_str()))
        .collect();
    let mut s = String::from("texts:\n");
    for t in svg_texts(svg) {
        s.push_str(&format!("  {t}\n"));
    }
    s.push_str("elements:\n");
    for (t, n) in tags {
        s.push_str(&format!("  {t}: {n}\n"));
    }
    s.push_str(&format!("palette: {}\n", colours.join(" ")));
    s
}

fn check_golden(name: &str, actual: &str) {
    let path = root()
        .join("tests/golden/charts")
        .join(format!("{name}.txt"));
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "missing golden file {}; run with UPDATE_GOLDEN=1 to create it",
            path.display()
        )
    });
    assert_eq!(
        expected, actual,
        "{name}: the SVG structure changed; if intended, rerun with UPDATE_GOLDEN=1"
    );
}

/// Decodes a PNG and returns (width, height, share of pixels that are not white, distinct
/// colours).
fn png_ink(path: &Path) -> (u32, u32, f64, usize) {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    let px = &buf[..info.buffer_size()];
    let step = info.color_type.samples();
    let mut inked = 0usize;
    let mut colours = std::collections::BTreeSet::new();
    for p in px.chunks(step) {
        if p[..3] != [255, 255, 255] {
            inked += 1;
        }
        colours.insert((p[0], p[1], p[2]));
    }
    let total = (info.width * info.height) as f64;
    (info.width, info.height, inked as f64 / total, colours.len())
}

/// Writes a chart, checks its PNG is not blank and its SVG carries the given texts and series
/// colours, and compares its SVG structure with the golden file.
fn check_chart(name: &str, chart: &impl Chart, must_say: &[&str], series: usize) {
    let dir = sample_dir();
    let files = write_chart(chart, &dir.join(name)).unwrap();
    assert_eq!(files.len(), 2);
    let (w, h, ink, colours) = png_ink(&files[0]);
    assert_eq!((w, h), chart.size(), "{name}: PNG size");
    assert!(ink > 0.01, "{name}: PNG nearly blank ({ink:.4} inked)");
    assert!(colours > 8, "{name}: PNG has only {colours} colours");
    let svg = std::fs::read_to_string(&files[1]).unwrap();
    let texts = svg_texts(&svg);
    for t in must_say {
        assert!(
            texts.iter().any(|x| x == t),
            "{name}: SVG lacks the text {t:?}; has {texts:?}"
        );
    }
    let used: usize = (0..series)
        .filter(|&i| svg.contains(&corridor::output::chart::series_colour(i).hex()))
        .count();
    assert_eq!(used, series, "{name}: every series has its colour");
    check_golden(name, &svg_structure(&svg));
}

/// Where chart samples go: `CORRIDOR_CHART_SAMPLES` if set (to look at them), else a temp dir.
fn sample_dir() -> PathBuf {
    match std::env::var_os("CORRIDOR_CHART_SAMPLES") {
        Some(d) => {
            std::fs::create_dir_all(&d).unwrap();
            PathBuf::from(d)
        }
        None => {
            let d = std::env::temp_dir().join(format!("corridor-charts-{}", std::process::id()));
            std::fs::create_dir_all(&d).unwrap();
            d
        }
    }
}

#[test]
fn heatmap_has_title_axes_legend_and_missing_marker() {
    let h = sample_heatmap();
    check_chart(
        "heatmap",
        &h,
        &[
            "Cost of each trade route by scenario",
            "trade route",
            "scenario",
            "cost (USD per tonne)",
            "unreachable",
            "baku-nakhchivan-rail",
            "kars-gyumri",
            "31.5",
        ],
        0,
    );
}

#[test]
fn grouped_and_stacked_bars_have_one_colour_per_series() {
    for (name, layout) in [
        ("bars-grouped", BarLayout::Grouped),
        ("bars-stacked", BarLayout::Stacked),
    ] {
        check_chart(
            name,
            &sample_bars(layout),
            &[
                "Shapley credit of each project, by trade route",
                "credit (hours saved per trip)",
                "project",
                "meghri-rail",
                "baku-nakhchivan-rail",
                "yerevan-moscow",
                "tbilisi-kars",
            ],
            3,
        );
    }
}

#[test]
fn stacked_bars_past_the_coloured_count_share_a_grey_and_are_named_in_their_bars() {
    let mut chart = sample_bars(BarLayout::Stacked);
    chart.coloured = Some((1, "2 other routes (named in the bars)".into()));
    check_chart(
        "bars-stacked-others",
        &chart,
        &[
            "2 other routes (named in the bars)",
            // The grey segments still say whose they are.
            "yerevan-moscow",
            "tbilisi-kars",
        ],
        1,
    );
    let svg = std::fs::read_to_string(sample_dir().join("bars-stacked-others.svg")).unwrap();
    assert!(svg.contains("#555555"), "the shared grey");
    assert!(
        !svg.contains(&corridor::output::chart::series_colour(1).hex()),
        "the second series has no colour of its own"
    );
}

#[test]
fn paired_bars_give_each_measure_its_own_panel() {
    let chart = corridor::output::chart::PairedBars {
        title: "Corridor sections that cost most to lose".into(),
        category_axis: "corridor section".into(),
        categories: vec!["Marabda – Kars (4 links)".into(), "Gryazi – Moscow".into()],
        left: Series {
            name: "routes cut (count)".into(),
            values: vec![3.0, 0.0],
        },
        left_counts: true,
        right: Series {
            name: "extra cost of the routes still connected, h".into(),
            values: vec![0.0, 165.7],
        },
    };
    check_chart(
        "paired-bars",
        &chart,
        &[
            "Corridor sections that cost most to lose",
            "routes cut (count)",
            "extra cost of the routes still connected, h",
            "Marabda – Kars (4 links)",
            "3",
            "166",
        ],
        2,
    );
}

#[test]
fn set_matrix_shows_the_base_state_and_each_routes_own_sets() {
    use corridor::output::chart::{SetCell, SetEffect, SetMatrix, SetRow};
    let chart = SetMatrix {
        title: "Which projects restore which routes".into(),
        base_label: "cost in the base".into(),
        unit: "h".into(),
        effect_labels: [
            "restores the route".into(),
            "restores it, within 10 % of the best".into(),
            "already reachable: brings it within 10 % of the best".into(),
        ],
        rows: vec![
            SetRow {
                route: "baku-nakhchivan-rail".into(),
                base: None,
                sets: vec![
                    SetCell {
                        projects: vec![
                            "Southern railway through Meghri".into(),
                            "Azerbaijani transit".into(),
                        ],
                        cost: 25.9,
                        effect: SetEffect::RestoresWithin,
                    },
                    SetCell {
                        projects: vec!["Culfa–Jolfa rail crossing reopened".into()],
                        cost: 113.8,
                        effect: SetEffect::Restores,
                    },
                ],
            },
            SetRow {
                route: "yerevan-kars".into(),
                base: Some(39.8),
                sets: vec![SetCell {
                    projects: vec!["Gyumri–Kars railway reopened".into()],
                    cost: 24.2,
                    effect: SetEffect::Within,
                }],
            },
        ],
    };
    check_chart(
        "set-matrix",
        &chart,
        &[
            "Which projects restore which routes",
            "unreachable",
            "39.8",
            "Southern railway through Meghri",
            "→ 25.9 h",
            "restores the route",
        ],
        0,
    );
    // A route with seven sets continues on further bands: the chart keeps two sets across,
    // every set drawn, its text still at least 9 px when a report shows it 900 px wide.
    let mut wide = chart.clone();
    wide.rows[0].sets = (0..7)
        .map(|k| SetCell {
            projects: vec![format!("Project {k}")],
            cost: 10.0 + k as f64,
            effect: SetEffect::Restores,
        })
        .collect();
    let dir = sample_dir();
    let files = write_chart(&wide, &dir.join("set-matrix-wide")).unwrap();
    let svg = std::fs::read_to_string(&files[1]).unwrap();
    let texts = svg_texts(&svg);
    for k in 0..7 {
        let cost = format!("→ {}.0 h", 10 + k);
        assert!(texts.contains(&cost), "{cost} missing: {texts:?}");
    }
    assert!(wide.size().0 < 1100, "{:?}", wide.size());
    assert!(
        smallest_text_at(&svg, 900.0) >= 9.0,
        "{}",
        smallest_text_at(&svg, 900.0)
    );
}

/// The smallest text of an SVG chart in CSS pixels once the chart is scaled to `width` pixels
/// (the width a report shows it at).
pub fn smallest_text_at(svg: &str, width: f64) -> f64 {
    let chart_w: f64 = svg
        .split("width=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .and_then(|w| w.parse().ok())
        .expect("the SVG's width");
    svg.split("font-size=\"")
        .skip(1)
        .filter_map(|r| r.split('"').next()?.parse::<f64>().ok())
        .fold(f64::INFINITY, f64::min)
        * width
        / chart_w
}

#[test]
fn change_panels_show_bars_restored_and_cut_readable_at_report_width() {
    use corridor::output::change_chart::{Change, ChangePanel, ChangePanels, ChangeRow};
    let row = |label: &str, change| ChangeRow {
        label: label.into(),
        change,
    };
    let chart = ChangePanels {
        title: "Change of each route's cost against Status on 11 January 2021".into(),
        notes: vec!["Bars in % of the 2021 cost, the change in h beside them.".into()],
        reference_label: "2021".into(),
        unit: "h".into(),
        panels: vec![
            ChangePanel {
                title: "yerevan-moscow: Yerevan – Moscow".into(),
                reference: None,
                rows: vec![row(
                    "Abkhazia railway through-link reopened",
                    Change::Restored(80.3),
                )],
                unchanged: 5,
            },
            ChangePanel {
                title: "moscow-yerevan: Moscow – Yerevan".into(),
                reference: Some(253.0),
                rows: vec![
                    row("Gyumri–Kars railway reopened", Change::To(237.4)),
                    row("Iranian links closed", Change::Cut),
                    row("Status around March 2026", Change::To(270.4)),
                ],
                unchanged: 3,
            },
        ],
    };
    check_chart(
        "change-panels",
        &chart,
        &[
            "Change of each route's cost against Status on 11 January 2021",
            "yerevan-moscow: Yerevan – Moscow",
            "2021: no path · unchanged in 5 other scenarios",
            "2021: 253 h · unchanged in 3 other scenarios",
            "Abkhazia railway through-link reopened",
            "restored: 80.3 h",
            "cut: no path",
            "−6.2 % (−15.6 h)",
            "+6.9 % (+17.4 h)",
            "restored: no path in 2021",
            "cut: a path in 2021, none here",
        ],
        0,
    );
    let svg = corridor::output::chart::render_svg(&chart, Path::new("change-panels.svg")).unwrap();
    // Blue bar for the cheaper row, orange for the dearer, the two marks' colours.
    for c in [
        corridor::output::change_chart::CHEAPER,
        corridor::output::change_chart::DEARER,
        corridor::output::change_chart::RESTORED,
        corridor::output::change_chart::CUT,
    ] {
        assert!(svg.contains(&c.hex()), "colour {} missing", c.hex());
    }
    let px = smallest_text_at(&svg, 900.0);
    assert!(px >= 10.0, "smallest text {px:.1} px at 900 px wide");
}

#[test]
fn histogram_overlays_each_series() {
    check_chart(
        "histogram",
        &sample_histogram(),
        &[
            "Cost under disruption (400 draws)",
            "cost (USD per tonne)",
            "draws",
            "baseline-2021",
            "meghri-rail",
        ],
        2,
    );
}

#[test]
fn line_chart_draws_a_log_scale_trace_per_series() {
    check_chart(
        "convergence",
        &sample_lines(),
        &[
            "Convergence of the equilibrium assignment",
            "iteration",
            "relative gap (log scale)",
            "MSA",
            "Frank-Wolfe",
        ],
        2,
    );
}

#[test]
fn quick_look_map_shows_modes_closures_places_and_routes() {
    let data = tiny();
    let base = data.resolve("base").unwrap();
    let routes: Vec<MapRoute> = sample_routes(&data.network)
        .into_iter()
        .take(2)
        .map(|r| MapRoute {
            label: format!("{} ({})", r.route, r.scenario),
            path: r.path,
        })
        .collect();
    let map = QuickLookMap::new("tiny network under base", &data.network)
        .with_scenario(&base)
        .with_routes(routes);
    check_chart(
        "map",
        &map,
        &[
            "tiny network under base",
            "longitude (°)",
            "latitude (°)",
            "AZERBAIJAN",
            "GEORGIA",
            "Alpha",
            "Charlie",
            "rail, open",
            "road, open",
            "closed or destroyed",
            "border crossing, open",
            "a-c-rail (open-line)",
            "country border",
            "sea, Caspian",
            "5 km",
        ],
        0,
    );
    // The legend's route colour is the one drawn (opaque bands, no blending).
    let svg = corridor::output::chart::render_svg(&map, Path::new("map.svg")).unwrap();
    let pale = corridor::output::map::route_colour(0).hex();
    assert!(
        svg.matches(pale.as_str()).count() >= 2,
        "route colour {pale} in the legend and on the map"
    );
}

#[test]
fn charts_with_no_data_still_draw() {
    let mut h = sample_heatmap();
    h.rows.clear();
    h.values.clear();
    let mut b = sample_bars(BarLayout::Stacked);
    b.series.clear();
    let mut l = sample_lines();
    l.series[0].points = vec![(1.0, 0.0), (2.0, f64::NAN)];
    l.series.truncate(1);
    let dir = tempfile::tempdir().unwrap();
    write_chart(&h, &dir.path().join("h")).unwrap();
    write_chart(&b, &dir.path().join("b")).unwrap();
    write_chart(&l, &dir.path().join("l")).unwrap();
    let mut hist = sample_histogram();
    hist.series = vec![Series {
        name: "one".into(),
        values: vec![5.0; 3],
    }];
    write_chart(&hist, &dir.path().join("hist")).unwrap();
}
