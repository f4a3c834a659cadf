//! From kept ways to the model's nodes and links: cut ways where their nodes are missing from the
//! extract, put border nodes where consecutive nodes lie in different countries, split at shared
//! nodes, and (at [`Resolution::Simplified`]) merge chains through degree-2 nodes.
//!
//! ```text
//!   way 10: a---b---c---d         way 11: d---e---f        way 12: c---g
//!
//!   Ways:        w10-0 a..c, w10-1 c..d, w11-0 d..f, w12-0 c..g   (split at ends and at c)
//!   Simplified:  w10-0 a..c, w10-1 c..f (through d, when ways 10 and 11 read alike), w12-0 c..g
//!   Full:        one link per segment: w10-0 a-b, w10-1 b-c, w10-2 c-d, ...
//! ```
//!
//! Ids are stable across re-imports of the same file: node `n<OSM node id>`, link
//! `w<OSM way id>-<k>` where k counts the pieces of the way after splitting; a merged link takes
//! the smallest id of its pieces.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::boundary::CountryLocator;
use super::tags::WayAttrs;
use super::{ImportStats, Resolution};
use crate::network::{
    BorderCrossing, Carries, Confidence, CostModel, Country, CrossingMode, Link, LonLat, Mode,
    Network, Node, NodeId, NodeKind, Transfers,
};

/// A kept way: its id, node ids (in travel order for one-way roads) and reading.
pub(crate) struct WayRec {
    pub id: i64,
    pub refs: Vec<i64>,
    pub attrs: WayAttrs,
}

/// What the import keeps of a node's tags.
#[derive(Debug, Default, Clone)]
pub(crate) struct NodeTags {
    pub name: Option<String>,
    pub border_control: bool,
    pub station: bool,
}

/// Positions in micro-degrees (the 6 decimals written to GeoJSON), so that the model, the files
/// and the cache hold the same numbers.
pub(crate) type Micro = (i32, i32);

pub(crate) fn lonlat(m: Micro) -> LonLat {
    LonLat {
        lon: f64::from(m.0) / 1e6,
        lat: f64::from(m.1) / 1e6,
    }
}

pub(crate) struct Inputs<'a> {
    pub ways: &'a [WayRec],
    pub coords: &'a HashMap<i64, Micro>,
    pub node_tags: &'a HashMap<i64, NodeTags>,
    pub bbox: Option<super::BBox>,
    pub resolution: Resolution,
    pub source: &'a str,
}

/// A run of present nodes of one way.
struct Run {
    way: usize,
    nodes: Vec<i64>,
}

struct Piece {
    way: usize,
    k: u32,
    nodes: Vec<i64>,
}

/// Builds the network.
///
/// # Complexity
/// O(n log n) in the number of way nodes.
pub(crate) fn build(
    input: &Inputs<'_>,
    locator: &mut CountryLocator,
    stats: &mut ImportStats,
) -> Network {
    let position = |id: i64| input.coords.get(&id).copied().map(lonlat);

    // 1. Runs of nodes present in the extract (and inside the bbox).
    let mut runs: Vec<Run> = Vec::new();
    for (wi, way) in input.ways.iter().enumerate() {
        let mut cur: Vec<i64> = Vec::new();
        for &r in &way.refs {
            if cur.last() == Some(&r) {
                continue;
            }
            let present = match position(r) {
                None => {
                    stats.missing_node_refs += 1;
                    false
                }
                Some(p) => match input.bbox {
                    Some(b) if !b.contains(p) => {
                        stats.outside_bbox_refs += 1;
                        false
                    }
                    _ => true,
                },
            };
            if present {
                cur.push(r);
            } else if cur.len() >= 2 {
                runs.push(Run {
                    way: wi,
                    nodes: std::mem::take(&mut cur),
                });
            } else {
                cur.clear();
            }
        }
        if cur.len() >= 2 {
            runs.push(Run {
                way: wi,
                nodes: cur,
            });
        }
    }

    // 2. Countries, and a border node on every segment whose ends lie in different countries:
    // the segment's first node if it can take the pair, else its second; a node between three
    // countries cannot, and such a segment is cut (counted).
    let mut country: HashMap<i64, Country> = HashMap::new();
    for run in &runs {
        for &n in &run.nodes {
            if let Some(p) = position(n) {
                country.entry(n).or_insert_with(|| locator.country(n, p));
            }
        }
    }
    let mut border: HashMap<i64, [Country; 2]> = HashMap::new();
    let mut cut_runs: Vec<Run> = Vec::with_capacity(runs.len());
    for run in runs {
        let mut cur: Vec<i64> = vec![run.nodes[0]];
        for w in run.nodes.windows(2) {
            let (a, b) = (w[0], w[1]);
            let (ca, cb) = (country[&a], country[&b]);
            let mut keep = true;
            if ca != cb {
                let pair = if ca < cb { [ca, cb] } else { [cb, ca] };
                keep = [a, b]
                    .iter()
                    .any(|x| *border.entry(*x).or_insert(pair) == pair);
                if !keep {
                    stats.border_conflicts += 1;
                }
            }
            if keep {
                cur.push(b);
            } else {
                if cur.len() >= 2 {
                    cut_runs.push(Run {
                        way: run.way,
                        nodes: std::mem::take(&mut cur),
                    });
                }
                cur = vec![b];
            }
        }
        if cur.len() >= 2 {
            cut_runs.push(Run {
                way: run.way,
                nodes: cur,
            });
        }
    }
    let runs = cut_runs;

    // 3. Split points: run ends, nodes used twice or more, and nodes that must stay places.
    let mut uses: HashMap<i64, u32> = HashMap::new();
    for run in &runs {
        for &n in &run.nodes {
            *uses.entry(n).or_insert(0) += 1;
        }
    }
    let tags = |n: i64| input.node_tags.get(&n);
    let forced = |n: i64, mode: Mode| {
        border.contains_key(&n)
            || tags(n).is_some_and(|t| t.border_control || (t.station && mode == Mode::Rail))
    };
    let full = input.resolution == Resolution::Full;
    let mut pieces: Vec<Piece> = Vec::new();
    let mut k_of_way: HashMap<usize, u32> = HashMap::new();
    for run in &runs {
        let mode = input.ways[run.way].attrs.mode;
        let mut start = 0;
        for i in 1..run.nodes.len() {
            let n = run.nodes[i];
            let last = i + 1 == run.nodes.len();
            if last || full || uses[&n] >= 2 || forced(n, mode) {
                let nodes = run.nodes[start..=i].to_vec();
                let k = k_of_way.entry(run.way).or_insert(0);
                let first = position(nodes[0]);
                if nodes.iter().all(|&m| position(m) == first) {
                    stats.zero_length_pieces += 1;
                } else {
                    pieces.push(Piece {
                        way: run.way,
                        k: *k,
                        nodes,
                    });
                }
                *k += 1;
                start = i;
            }
        }
    }

    // 4. Chains: at Simplified, through every node where exactly two pieces of equal reading
    // meet (and one-way pieces run on in the same direction).
    let mut ends: HashMap<i64, Vec<(usize, bool)>> = HashMap::new();
    for (pi, p) in pieces.iter().enumerate() {
        ends.entry(p.nodes[0]).or_default().push((pi, true));
        ends.entry(p.nodes[p.nodes.len() - 1])
            .or_default()
            .push((pi, false));
    }
    let attrs = |pi: usize| &input.ways[pieces[pi].way].attrs;
    let through = |n: i64| -> Option<[(usize, bool); 2]> {
        if input.resolution != Resolution::Simplified {
            return None;
        }
        let e = ends.get(&n)?;
        let [x, y] = e.as_slice() else { return None };
        let a = attrs(x.0);
        if x.0 == y.0 || a != attrs(y.0) || forced(n, a.mode) || (a.oneway && x.1 == y.1) {
            return None;
        }
        Some([*x, *y])
    };
    // The piece on the other side of `n` from piece `pi`.
    let beyond = |n: i64, pi: usize| -> Option<(usize, bool)> {
        let pair = through(n)?;
        Some(if pair[0].0 == pi { pair[1] } else { pair[0] })
    };
    let mut done = vec![false; pieces.len()];
    let mut chains: Vec<Vec<(usize, bool)>> = Vec::new();
    for p0 in 0..pieces.len() {
        if done[p0] {
            continue;
        }
        // Walk back to the chain's head.
        let mut head = (p0, true);
        loop {
            let (pi, fwd) = head;
            let start = if fwd {
                pieces[pi].nodes[0]
            } else {
                pieces[pi].nodes[pieces[pi].nodes.len() - 1]
            };
            match beyond(start, pi) {
                Some((q, q_at_start)) if q != p0 => head = (q, !q_at_start),
                _ => break,
            }
        }
        // Walk forward from it.
        let mut chain = vec![head];
        done[head.0] = true;
        loop {
            let &(pi, fwd) = chain.last().unwrap_or(&head);
            let end = if fwd {
                pieces[pi].nodes[pieces[pi].nodes.len() - 1]
            } else {
                pieces[pi].nodes[0]
            };
            match beyond(end, pi) {
                Some((q, q_at_start)) if !done[q] => {
                    done[q] = true;
                    chain.push((q, q_at_start));
                }
                _ => break,
            }
        }
        chains.push(chain);
    }
    stats.pieces = pieces.len();

    // 5. Nodes (chain ends, by OSM id) and links (by way id and piece).
    let mut link_parts: Vec<((i64, u32), Vec<i64>, usize)> = chains
        .iter()
        .map(|chain| {
            let mut nodes: Vec<i64> = Vec::new();
            for &(pi, fwd) in chain {
                let p = &pieces[pi].nodes;
                let seq: Box<dyn Iterator<Item = &i64>> = if fwd {
                    Box::new(p.iter())
                } else {
                    Box::new(p.iter().rev())
                };
                let skip = usize::from(!nodes.is_empty());
                nodes.extend(seq.skip(skip));
            }
            let key = chain
                .iter()
                .map(|&(pi, _)| (input.ways[pieces[pi].way].id, pieces[pi].k))
                .min()
                .unwrap_or((0, 0));
            (key, nodes, pieces[chain[0].0].way)
        })
        .collect();
    link_parts.sort_by_key(|(key, _, _)| *key);
    let model_nodes: BTreeSet<i64> = link_parts
        .iter()
        .flat_map(|(_, n, _)| [n[0], n[n.len() - 1]])
        .collect();
    let node_index: HashMap<i64, u32> = model_nodes
        .iter()
        .enumerate()
        .map(|(i, &n)| (n, i as u32))
        .collect();
    let defaults = CostModel::default().border;
    let mut modes_at: BTreeMap<i64, [bool; 2]> = BTreeMap::new();
    for (_, n, wi) in &link_parts {
        let m = input.ways[*wi].attrs.mode;
        for end in [n[0], n[n.len() - 1]] {
            let e = modes_at.entry(end).or_default();
            e[usize::from(m == Mode::Road)] = true;
        }
    }
    let nodes: Vec<Node> = model_nodes
        .iter()
        .map(|&n| {
            let t = tags(n).cloned().unwrap_or_default();
            let modes = modes_at.get(&n).copied().unwrap_or_default();
            let own = country[&n];
            let crossing = border.get(&n).map(|pair| {
                stats.border_crossings += 1;
                let open = |on: bool| {
                    on.then_some(CrossingMode {
                        open: true,
                        dwell_h: 0.0,
                    })
                };
                BorderCrossing {
                    countries: *pair,
                    rail: open(modes[0]).map(|m| CrossingMode {
                        dwell_h: defaults.dwell_h_rail,
                        ..m
                    }),
                    road: open(modes[1]).map(|m| CrossingMode {
                        dwell_h: defaults.dwell_h_road,
                        ..m
                    }),
                    fee_usd_per_t: defaults.fee_usd_per_t,
                }
            });
            let kind = if crossing.is_some() {
                NodeKind::Border
            } else if t.station && modes[0] {
                NodeKind::Station
            } else {
                NodeKind::Junction
            };
            let note = if t.border_control && crossing.is_none() {
                stats.border_controls_without_frontier += 1;
                Some("barrier=border_control; the extract shows no second country here".into())
            } else {
                None
            };
            let name = t.name.unwrap_or_else(|| match &crossing {
                Some(b) => format!("border crossing {}|{}", b.countries[0], b.countries[1]),
                None => format!("OSM node {n}"),
            });
            Node {
                id: format!("n{n}"),
                name,
                aliases: Vec::new(),
                country: own,
                region: None,
                kind,
                population: None,
                position: position(n).unwrap_or(LonLat { lon: 0.0, lat: 0.0 }),
                coord_confidence: Confidence::High,
                transfers: Transfers::default(),
                border: crossing,
                source: input.source.to_string(),
                note,
            }
        })
        .collect();

    let links: Vec<Link> = link_parts
        .into_iter()
        .map(|((way_id, k), n, wi)| {
            let a = &input.ways[wi].attrs;
            let (from, to) = (n[0], n[n.len() - 1]);
            let geometry: Vec<LonLat> = n.iter().filter_map(|&m| position(m)).collect();
            let geodesic_km = geometry
                .windows(2)
                .map(|w| w[0].geodesic_m(w[1]))
                .sum::<f64>()
                / 1000.0;
            let link_country = match (border.get(&from), border.get(&to)) {
                (None, _) => country[&from],
                (_, None) => country[&to],
                (Some(x), Some(y)) => {
                    if y.contains(&country[&from]) {
                        country[&from]
                    } else {
                        x.iter()
                            .copied()
                            .find(|c| y.contains(c))
                            .unwrap_or(country[&from])
                    }
                }
            };
            Link {
                id: format!("w{way_id}-{k}"),
                from: NodeId(node_index[&from]),
                to: NodeId(node_index[&to]),
                mode: a.mode,
                status: a.status,
                name: a.name.clone(),
                line: None,
                gauge_mm: a.gauge_mm,
                dual_gauge: a.dual_gauge,
                carries: Carries {
                    rail: a.mode == Mode::Rail,
                    road: a.mode == Mode::Road,
                },
                tracks: a.tracks,
                electrified: a.electrified,
                speed_kmh: a.speed_kmh,
                length_km: geodesic_km,
                published_length_km: None,
                geodesic_km,
                length_note: None,
                capacity_t_per_day: None,
                headway_h: None,
                oneway: a.oneway,
                country: Some(link_country),
                geometry,
                source: input.source.to_string(),
                note: a.note.clone(),
            }
        })
        .collect();
    Network::new(nodes, links)
}

#[cfg(test)]
mod tests {
    use super::super::boundary::CountryPolygon;
    use super::*;
    use crate::network::LinkStatus;

    fn attrs(oneway: bool) -> WayAttrs {
        WayAttrs {
            mode: Mode::Road,
            status: LinkStatus::Open,
            name: "A1".into(),
            gauge_mm: None,
            dual_gauge: false,
            tracks: None,
            electrified: None,
            speed_kmh: Some(80.0),
            oneway,
            note: None,
        }
    }

    fn country(c: &str) -> Country {
        Country::parse(c).unwrap_or_else(|| unreachable!())
    }

    /// The module's drawing: nodes a..g are OSM nodes 1..7, 0.01 degree apart.
    ///
    /// ```text
    ///   way 10: a(1)---b(2)---c(3)---d(4)      way 11: d(4)---e(5)---f(6)
    ///                          |
    ///                  way 12: g(7)
    /// ```
    fn build_example(
        resolution: Resolution,
        way11: (Vec<i64>, bool),
        polygons: Vec<CountryPolygon>,
    ) -> (Network, ImportStats) {
        let coords: HashMap<i64, Micro> = [
            (1, (0, 0)),
            (2, (10_000, 0)),
            (3, (20_000, 0)),
            (4, (30_000, 0)),
            (5, (40_000, 0)),
            (6, (50_000, 0)),
            (7, (20_000, 10_000)),
        ]
        .into_iter()
        .collect();
        let oneway = way11.1;
        let ways = vec![
            WayRec {
                id: 10,
                refs: vec![1, 2, 3, 4],
                attrs: attrs(oneway),
            },
            WayRec {
                id: 11,
                refs: way11.0,
                attrs: attrs(oneway),
            },
            WayRec {
                id: 12,
                refs: vec![3, 7],
                attrs: attrs(false),
            },
        ];
        let tags = HashMap::new();
        let mut stats = ImportStats::default();
        let mut locator = CountryLocator::new(polygons, country("FR"));
        let net = build(
            &Inputs {
                ways: &ways,
                coords: &coords,
                node_tags: &tags,
                bbox: None,
                resolution,
                source: "test",
            },
            &mut locator,
            &mut stats,
        );
        (net, stats)
    }

    fn summary(net: &Network) -> Vec<String> {
        net.links
            .iter()
            .map(|l| {
                format!(
                    "{} {}-{} ({} points)",
                    l.id,
                    net.node(l.from).id,
                    net.node(l.to).id,
                    l.geometry.len()
                )
            })
            .collect()
    }

    #[test]
    fn simplified_merges_through_degree_2_nodes_of_alike_ways() {
        let (net, _) = build_example(Resolution::Simplified, (vec![4, 5, 6], false), vec![]);
        assert_eq!(
            summary(&net),
            [
                "w10-0 n1-n3 (3 points)",
                "w10-1 n3-n6 (4 points)",
                "w12-0 n3-n7 (2 points)"
            ]
        );
        let ids: Vec<&str> = net.nodes.iter().map(|n| n.id.as_str()).collect();
        assert_eq!(ids, ["n1", "n3", "n6", "n7"]);
    }

    #[test]
    fn ways_and_full_resolutions_keep_more_nodes() {
        let (net, _) = build_example(Resolution::Ways, (vec![4, 5, 6], false), vec![]);
        assert_eq!(net.nodes.len(), 5);
        assert_eq!(
            summary(&net),
            [
                "w10-0 n1-n3 (3 points)",
                "w10-1 n3-n4 (2 points)",
                "w11-0 n4-n6 (3 points)",
                "w12-0 n3-n7 (2 points)"
            ]
        );
        let (net, _) = build_example(Resolution::Full, (vec![4, 5, 6], false), vec![]);
        assert_eq!((net.nodes.len(), net.links.len()), (7, 6));
    }

    #[test]
    fn one_way_pieces_merge_only_when_they_run_on() {
        let (net, _) = build_example(Resolution::Simplified, (vec![4, 5, 6], true), vec![]);
        assert!(summary(&net).contains(&"w10-1 n3-n6 (4 points)".to_string()));
        // Way 11 drawn the other way: both pieces end at d, which stays a node.
        let (net, _) = build_example(Resolution::Simplified, (vec![6, 5, 4], true), vec![]);
        assert!(net.node_id("n4").is_some(), "{:?}", summary(&net));
    }

    #[test]
    fn a_frontier_between_nodes_makes_a_border_node() {
        // MC is the box west of longitude 0.025: a, b, c and g are in MC, d, e, f in FR.
        let ll = |lon, lat| LonLat { lon, lat };
        let ring = vec![
            (100, ll(-1.0, -1.0)),
            (101, ll(0.025, -1.0)),
            (102, ll(0.025, 1.0)),
            (103, ll(-1.0, 1.0)),
            (100, ll(-1.0, -1.0)),
        ];
        let poly = CountryPolygon::assemble(country("MC"), 1, vec![ring])
            .unwrap_or_else(|| unreachable!());
        let (net, stats) =
            build_example(Resolution::Simplified, (vec![4, 5, 6], false), vec![poly]);
        assert_eq!(stats.border_crossings, 1);
        let c = net.node(net.node_id("n3").unwrap_or_else(|| unreachable!()));
        assert_eq!(c.kind, NodeKind::Border);
        assert_eq!(c.country, country("MC"));
        let b = c.border.as_ref().unwrap_or_else(|| unreachable!());
        assert_eq!(b.countries, [country("FR"), country("MC")]);
        assert!(b.road.is_some() && b.rail.is_none());
        let link_countries: Vec<String> = net
            .links
            .iter()
            .map(|l| format!("{} {:?}", l.id, l.country))
            .collect();
        assert_eq!(
            link_countries,
            ["w10-0 Some(MC)", "w10-1 Some(FR)", "w12-0 Some(MC)"]
        );
    }
}
