//! Synthetic data folders for scaling runs (`corridor synth`): a seeded road-like grid written as
//! a data folder ([`grid`]), and seeded synthetic projects with the trade routes they restore
//! for any network ([`projects`]), so that `check`, `critical`, `restore` and `run` can be
//! measured on networks of any size. Everything here is fictional and says so in its `source`.
//!
//! **Projects by cut pieces.** [`projects`] grows K disjoint *pieces* of the network (a ball of
//! about `piece_nodes` places around a seeded centre), closes every link that leaves a piece in a
//! base scenario `synthetic-base`, and makes one `kind = "link"` project per piece that reopens
//! one of those links (its *gateway*):
//!
//! ```text
//!     outside  ----x----+          x  closed in synthetic-base
//!                       |  piece i
//!     outside  ----G----+          G  the gateway: project i reopens it
//! ```
//!
//! Each route starts or ends inside a piece: a route between piece i and the outside is
//! unreachable in the base and restored by project i alone; a route between pieces i and j by
//! i and j together (a synergy). Every route is checked by a search over the links before it is
//! kept, and its expected restoring set is returned ([`SynthRoute::needs`]) and written in its
//! `note`, so that a test can hold `restore` to it.
//!
//! Deterministic: the same network, options and seed give byte-identical files.

use std::collections::VecDeque;
use std::fmt::Write as _;

use crate::network::cache;
use crate::network::input::MAX_INPUT_BYTES;
use crate::network::load::CACHE_FILE;
use crate::network::osm::{links_geojson, nodes_geojson};
use crate::network::{
    Carries, Confidence, Country, Link, LinkId, LinkStatus, LonLat, Mode, Network, Node, NodeId,
    NodeKind, Transfers,
};
use crate::routing::synthetic::road_like_layout;
use crate::util::SplitMix64;

/// The largest grid `corridor synth grid` writes (its GeoJSON is about 0.5 kB a node).
pub const MAX_GRID_NODES: usize = 4_000_000;

/// Metres per degree of latitude (and of longitude at the equator, where the grid lies).
const M_PER_DEGREE: f64 = 111_320.0;

/// Why a synthetic folder cannot be made.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SynthError {
    #[error("--nodes {0}: a grid needs 4 to {MAX_GRID_NODES} nodes")]
    GridSize(usize),
    #[error("--routes {routes}: the grid has only {pairs} ordered pairs of places")]
    TooManyRoutes { routes: usize, pairs: usize },
    #[error("--projects {0}: between 1 and 64 projects (restore analyses at most 64)")]
    ProjectCount(usize),
    #[error("--piece-nodes {0}: a piece needs at least 2 places")]
    PieceSize(usize),
    #[error("the network has no open rail or road link to build projects on")]
    NoLinks,
    #[error("found only {found} of {wanted} pieces that a single link can cut off and reopen (try fewer --projects, a smaller --piece-nodes or another --seed)")]
    TooFewPieces { found: usize, wanted: usize },
    #[error("found only {found} of {wanted} routes that the pieces cut off (try another --seed)")]
    TooFewRoutes { found: usize, wanted: usize },
}

/// The files of a synthetic data folder: (file name, contents), in writing order.
#[derive(Debug, Clone, PartialEq)]
pub struct SynthFiles {
    pub files: Vec<(&'static str, Vec<u8>)>,
}

/// A TOML basic string (JSON's escapes are TOML's).
fn q(s: &str) -> String {
    serde_json::Value::String(s.to_string()).to_string()
}

/// The road-like grid of [`crate::routing::synthetic::road_like_layout`] as a network: one
/// `junction` per grid point (a `city` every 32nd row and column, where arterials cross), one
/// two-way road link per street with its class's speed, at 0°N 0°E (metres become degrees at
/// 111,320 m a degree), every place in `country`.
///
/// # Errors
/// [`SynthError::GridSize`] outside 4..=[`MAX_GRID_NODES`] nodes.
///
/// # Complexity
/// O(n) time and memory.
pub fn grid_network(nodes: usize, seed: u64, country: Country) -> Result<Network, SynthError> {
    if !(4..=MAX_GRID_NODES).contains(&nodes) {
        return Err(SynthError::GridSize(nodes));
    }
    let layout = road_like_layout(nodes, seed);
    let side = layout.side;
    let source = format!("synthetic: corridor synth grid --nodes {nodes} --seed {seed}");
    let position = |p: [f64; 2]| LonLat {
        lon: ((p[0] / M_PER_DEGREE) * 1e6).round() / 1e6,
        lat: ((p[1] / M_PER_DEGREE) * 1e6).round() / 1e6,
    };
    // Grid points every street of theirs lost are left out (a data folder's place needs a link).
    let mut linked = vec![false; layout.coords.len()];
    for s in &layout.streets {
        linked[s.a as usize] = true;
        linked[s.b as usize] = true;
    }
    let mut new_id = vec![u32::MAX; layout.coords.len()];
    let mut places: Vec<Node> = Vec::with_capacity(layout.coords.len());
    for (v, &p) in layout.coords.iter().enumerate() {
        if !linked[v] {
            continue;
        }
        new_id[v] = places.len() as u32;
        let (r, c) = (v / side, v % side);
        let town = r % 32 == 0 && c % 32 == 0;
        places.push(Node {
            id: format!("n{v}"),
            name: if town {
                format!("Synthetic town {r}-{c}")
            } else {
                format!("Grid {r}-{c}")
            },
            aliases: Vec::new(),
            country,
            region: None,
            kind: if town {
                NodeKind::City
            } else {
                NodeKind::Junction
            },
            population: None,
            position: position(p),
            coord_confidence: Confidence::High,
            transfers: Transfers::default(),
            border: None,
            source: source.clone(),
            note: None,
        });
    }
    let links: Vec<Link> = layout
        .streets
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let (a, b) = (new_id[s.a as usize], new_id[s.b as usize]);
            let geometry = vec![places[a as usize].position, places[b as usize].position];
            let km = geometry[0].geodesic_m(geometry[1]) / 1000.0;
            Link {
                id: format!("l{i}"),
                from: NodeId(a),
                to: NodeId(b),
                mode: Mode::Road,
                status: LinkStatus::Open,
                name: match s.kmh as u32 {
                    50 => "synthetic street",
                    80 => "synthetic arterial",
                    _ => "synthetic highway",
                }
                .to_string(),
                line: None,
                gauge_mm: None,
                dual_gauge: false,
                carries: Carries {
                    rail: false,
                    road: true,
                },
                tracks: None,
                electrified: None,
                speed_kmh: Some(s.kmh),
                length_km: km,
                published_length_km: None,
                geodesic_km: km,
                length_note: None,
                capacity_t_per_day: None,
                headway_h: None,
                oneway: false,
                country: Some(country),
                geometry,
                source: source.clone(),
                note: None,
            }
        })
        .collect();
    Ok(Network::new(places, links))
}

/// A synthetic grid as a data folder: `nodes.geojson`, `links.geojson`, a `scenarios.toml` with
/// one scenario (`open`: the grid as generated), a `routes.toml` with `routes` seeded
/// origin-destination pairs of distinct places (by road, cargo of `country`; for `critical`),
/// and a `README.md` saying what it is.
///
/// # Errors
/// [`SynthError::GridSize`], or [`SynthError::TooManyRoutes`] beyond the grid's pairs.
pub fn grid(
    nodes: usize,
    seed: u64,
    routes: usize,
    country: Country,
) -> Result<SynthFiles, SynthError> {
    let net = grid_network(nodes, seed, country)?;
    let n = net.nodes.len();
    let pairs = n * (n - 1);
    if routes > pairs {
        return Err(SynthError::TooManyRoutes { routes, pairs });
    }
    // Pairs drawn from their own stream, so that the grid is the same whatever the route count.
    let mut rng = SplitMix64::new(seed ^ 0x6f64_2d70_6169_7273);
    let mut seen = std::collections::HashSet::new();
    let mut r = String::new();
    let _ = writeln!(
        r,
        "# {routes} synthetic origin-destination pairs (corridor synth grid --nodes {nodes} --seed {seed}): not real trade routes."
    );
    while seen.len() < routes {
        let a = rng.below(n as u64) as usize;
        let b = rng.below(n as u64) as usize;
        if a == b || !seen.insert((a, b)) {
            continue;
        }
        let _ = writeln!(
            r,
            "\n[[route]]\nid = \"od-{}\"\nfrom = \"{}\"\nto = \"{}\"\ncargo = \"{country}\"\nmodes = [\"road\"]",
            seen.len() - 1,
            net.nodes[a].id,
            net.nodes[b].id
        );
    }
    let scenarios = format!(
        "# One scenario: the synthetic grid as generated (corridor synth grid --nodes {nodes} --seed {seed}).\n\
         [[scenario]]\nid = \"open\"\nname = \"Synthetic grid as generated\"\n\
         source = {}\n",
        q(&format!(
            "synthetic: corridor synth grid --nodes {nodes} --seed {seed}"
        ))
    );
    let total_km: f64 = net.links.iter().map(|l| l.length_km).sum();
    let towns = net
        .nodes
        .iter()
        .filter(|p| p.kind == NodeKind::City)
        .count();
    let readme = format!(
        "# Synthetic road-like grid ({n} places)\n\n\
         **Fictional**: generated by `corridor synth grid --nodes {nodes} --seed {seed} --routes {routes} --country {country}`;\n\
         no place, road or figure here is real. It is for measuring corridor on large networks.\n\n\
         - layout: a {side} x {side} grid of places 100 m apart (jittered by up to 30 m), local streets\n  \
         (50 km/h) with 12 % of them missing, every 32nd row and column an arterial (80 km/h), diagonal\n  \
         highways (120 km/h) every 256 cells; the same graph as `corridor bench --synthetic {nodes} --seed {seed}`.\n\
         - placed at 0°N 0°E (111,320 m a degree), every place in country {country}; places where arterials cross are\n  \
         `city` nodes (\"Synthetic town R-C\", {towns} of them), the others `junction`s.\n\
         - {n} nodes (grid points that lost every street are left out), {} two-way road links, {total_km:.1} km.\n\
         - `scenarios.toml`: one scenario, `open`; `routes.toml`: {routes} seeded pairs of distinct places\n  \
         (`corridor critical` over them). `corridor synth projects` adds synthetic projects and routes for `restore`.\n",
        net.links.len(),
        side = (nodes as f64).sqrt().ceil() as usize,
    );
    // GeoJSON where it fits the loader's input limit, else the binary cache alone (which the
    // loader reads when a folder has no GeoJSON network).
    let (nodes_json, links_json) = (nodes_geojson(&net), links_geojson(&net));
    let fits =
        nodes_json.len() as u64 <= MAX_INPUT_BYTES && links_json.len() as u64 <= MAX_INPUT_BYTES;
    let mut files: Vec<(&'static str, Vec<u8>)> = if fits {
        vec![
            ("nodes.geojson", nodes_json.into_bytes()),
            ("links.geojson", links_json.into_bytes()),
        ]
    } else {
        vec![(CACHE_FILE, cache::encode(&net))]
    };
    let readme = format!(
        "{readme}- the network: {}\n",
        if fits {
            "`nodes.geojson` and `links.geojson`".to_string()
        } else {
            format!(
                "`network.bin` only (corridor's binary cache, version {}): its GeoJSON would exceed the \
                 loader's {} MiB input limit, and a folder without GeoJSON is read from the cache",
                cache::VERSION,
                MAX_INPUT_BYTES >> 20
            )
        }
    );
    files.extend([
        ("scenarios.toml", scenarios.into_bytes()),
        ("routes.toml", r.into_bytes()),
        ("README.md", readme.into_bytes()),
    ]);
    Ok(SynthFiles { files })
}

/// Options of [`projects`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ProjectOptions {
    /// Projects (pieces cut off), 1 to 64.
    pub projects: usize,
    /// Trade routes to write.
    pub routes: usize,
    pub seed: u64,
    /// Places in each piece, at most (fewer where the network around the centre is smaller).
    pub piece_nodes: usize,
}

/// One piece cut off in the base, and the project that reopens its gateway.
#[derive(Debug, Clone, PartialEq)]
pub struct Piece {
    pub centre: NodeId,
    pub nodes: Vec<NodeId>,
    /// Every link with one end in the piece, closed in `synthetic-base`, in link order.
    pub closed: Vec<LinkId>,
    /// The one of them the piece's project reopens.
    pub gateway: LinkId,
}

impl Piece {
    /// The id of the project that reopens the gateway.
    pub fn project_id(&self, net: &Network) -> String {
        format!("reopen-{}", net.link(self.gateway).id)
    }
}

/// One synthetic trade route and what restores it.
#[derive(Debug, Clone, PartialEq)]
pub struct SynthRoute {
    pub id: String,
    pub from: NodeId,
    pub to: NodeId,
    /// The one minimal restoring set: indices of pieces (projects), ascending.
    pub needs: Vec<usize>,
}

/// What [`projects`] made: the pieces, the routes, and the two files to write.
#[derive(Debug, Clone, PartialEq)]
pub struct SynthProjects {
    pub mode: Mode,
    pub pieces: Vec<Piece>,
    pub routes: Vec<SynthRoute>,
    /// `scenarios.toml` and `routes.toml`, then `SYNTHETIC.md` describing them.
    pub files: SynthFiles,
}

/// Links usable in `mode` as they are in the GeoJSON (open, of the mode or a ferry carrying it):
/// directed out-lists `(head, link)`.
fn out_lists(net: &Network, mode: Mode) -> Vec<Vec<(u32, u32)>> {
    let mut out = vec![Vec::new(); net.nodes.len()];
    for (i, l) in net.links.iter().enumerate() {
        let fits = l.mode == mode
            || (l.mode == Mode::Ferry
                && match mode {
                    Mode::Rail => l.carries.rail,
                    _ => l.carries.road,
                });
        if !fits || l.status != LinkStatus::Open {
            continue;
        }
        let passable = |v: NodeId| {
            net.node(v).border.as_ref().is_none_or(|b| {
                let m = if mode == Mode::Rail { b.rail } else { b.road };
                m.is_some_and(|m| m.open)
            })
        };
        if !passable(l.from) || !passable(l.to) {
            continue;
        }
        out[l.from.index()].push((l.to.0, i as u32));
        if !l.oneway && l.to != l.from {
            out[l.to.index()].push((l.from.0, i as u32));
        }
    }
    out
}

/// Which nodes `from` reaches over `adj` (out-lists, or in-lists for who reaches it) without
/// the `closed` links.
fn reach_all(adj: &[Vec<(u32, u32)>], closed: &[bool], from: u32) -> Vec<bool> {
    let mut seen = vec![false; adj.len()];
    let mut queue = VecDeque::from([from]);
    seen[from as usize] = true;
    while let Some(v) = queue.pop_front() {
        for &(w, l) in &adj[v as usize] {
            if !closed[l as usize] && !seen[w as usize] {
                seen[w as usize] = true;
                queue.push_back(w);
            }
        }
    }
    seen
}

/// Synthetic projects and routes for `net` (see the module documentation): K pieces cut off in
/// `synthetic-base`, K `kind = "link"` projects reopening one gateway each, and `routes` trade
/// routes each needing one project (three in four) or two together (one in four, with two or
/// more projects).
///
/// # Errors
/// Bad counts, a network without open links, or too few pieces or routes found.
///
/// # Complexity
/// O(K x piece) to grow the pieces, one search over the links (O(n + m)) per route tried.
pub fn projects(net: &Network, options: &ProjectOptions) -> Result<SynthProjects, SynthError> {
    let k = options.projects;
    if !(1..=64).contains(&k) {
        return Err(SynthError::ProjectCount(k));
    }
    if options.piece_nodes < 2 {
        return Err(SynthError::PieceSize(options.piece_nodes));
    }
    let has = |m: Mode| {
        net.links
            .iter()
            .any(|l| l.mode == m && l.status == LinkStatus::Open)
    };
    let mode = if has(Mode::Road) {
        Mode::Road
    } else if has(Mode::Rail) {
        Mode::Rail
    } else {
        return Err(SynthError::NoLinks);
    };
    let out = out_lists(net, mode);
    let n = net.nodes.len();
    // Undirected neighbours over usable links, for growing the pieces.
    let mut around: Vec<Vec<u32>> = vec![Vec::new(); n];
    for (v, arcs) in out.iter().enumerate() {
        for &(w, _) in arcs {
            around[v].push(w);
            around[w as usize].push(v as u32);
        }
    }
    for a in &mut around {
        a.sort_unstable();
        a.dedup();
    }
    let place = |v: usize| net.nodes[v].border.is_none() && !out[v].is_empty();
    let places: Vec<u32> = (0..n as u32).filter(|&v| place(v as usize)).collect();
    if places.len() < 2 {
        return Err(SynthError::NoLinks);
    }
    let mut rng = SplitMix64::new(options.seed);
    let mut inn: Vec<Vec<(u32, u32)>> = vec![Vec::new(); n];
    for (v, arcs) in out.iter().enumerate() {
        for &(w, l) in arcs {
            inn[w as usize].push((v as u32, l));
        }
    }
    // A hub in the largest part of the network: every piece must reach it and be reached from
    // it through its gateway alone, so that no piece hides in a small part, behind a one-way
    // street, or behind another piece.
    let nothing = vec![false; net.links.len()];
    let hub = (0..8)
        .map(|_| places[rng.below(places.len() as u64) as usize])
        .max_by_key(|&h| {
            let seen = reach_all(&out, &nothing, h);
            (seen.iter().filter(|&&b| b).count(), std::cmp::Reverse(h))
        })
        .expect("eight draws");
    // Links closed so far, gateways open.
    let mut cut = nothing.clone();
    // 0 = free, 1 = in a piece, 2 = next to a piece.
    let mut taken = vec![0u8; n];
    let mut pieces: Vec<Piece> = Vec::new();
    let mut tries = 0;
    while pieces.len() < k && tries < 100 * k + 100 {
        tries += 1;
        let centre = places[rng.below(places.len() as u64) as usize];
        if taken[centre as usize] != 0 {
            continue;
        }
        // A ball around the centre, breadth first, avoiding other pieces and their rims.
        let mut inside = vec![centre];
        let mut is_in = std::collections::HashSet::from([centre]);
        let mut head = 0;
        while head < inside.len() && inside.len() < options.piece_nodes {
            let v = inside[head];
            head += 1;
            for &w in &around[v as usize] {
                if inside.len() >= options.piece_nodes {
                    break;
                }
                if taken[w as usize] == 0
                    && net.nodes[w as usize].border.is_none()
                    && is_in.insert(w)
                {
                    inside.push(w);
                }
            }
        }
        if inside.len() < 2 || is_in.contains(&hub) {
            continue;
        }
        let mut closed: Vec<LinkId> = inside
            .iter()
            .flat_map(|&v| net.incident_links(NodeId(v)).iter().copied())
            .filter(|&l| {
                let link = net.link(l);
                is_in.contains(&link.from.0) != is_in.contains(&link.to.0)
            })
            .collect();
        closed.sort_unstable();
        closed.dedup();
        // The boundary must not touch another piece or its rim (a link between two pieces).
        let clean = closed.iter().all(|&l| {
            let link = net.link(l);
            let outer = if is_in.contains(&link.from.0) {
                link.to
            } else {
                link.from
            };
            taken[outer.index()] != 1
        });
        let gateways: Vec<LinkId> = closed
            .iter()
            .copied()
            .filter(|&l| {
                let link = net.link(l);
                !link.oneway
                    && out[link.from.index()]
                        .iter()
                        .any(|&(w, x)| w == link.to.0 && x == l.0)
            })
            .collect();
        if !clean || gateways.is_empty() {
            continue;
        }
        let gateway = gateways[rng.below(gateways.len() as u64) as usize];
        let mut tried = cut.clone();
        for &l in &closed {
            tried[l.index()] = l != gateway;
        }
        let (to_hub, from_hub) = (reach_all(&inn, &tried, hub), reach_all(&out, &tried, hub));
        let joined = |v: u32| to_hub[v as usize] && from_hub[v as usize];
        if !joined(centre) || !pieces.iter().all(|p| joined(p.centre.0)) {
            continue;
        }
        cut = tried;
        for &v in &inside {
            taken[v as usize] = 1;
        }
        for &l in &closed {
            let link = net.link(l);
            for end in [link.from, link.to] {
                if taken[end.index()] == 0 {
                    taken[end.index()] = 2;
                }
            }
        }
        inside.sort_unstable();
        pieces.push(Piece {
            centre: NodeId(centre),
            nodes: inside.into_iter().map(NodeId).collect(),
            closed,
            gateway,
        });
    }
    if pieces.len() < k {
        return Err(SynthError::TooFewPieces {
            found: pieces.len(),
            wanted: k,
        });
    }
    let mut base_closed = vec![false; net.links.len()];
    for p in &pieces {
        for &l in &p.closed {
            base_closed[l.index()] = true;
        }
    }
    let (to_hub, from_hub) = (reach_all(&inn, &cut, hub), reach_all(&out, &cut, hub));
    let outside: Vec<u32> = places
        .iter()
        .copied()
        .filter(|&v| taken[v as usize] != 1 && to_hub[v as usize] && from_hub[v as usize])
        .collect();
    let inner = |rng: &mut SplitMix64, i: usize| {
        let p = &pieces[i].nodes;
        p[rng.below(p.len() as u64) as usize].0
    };
    let mut routes: Vec<SynthRoute> = Vec::new();
    let mut tries = 0;
    while routes.len() < options.routes && tries < 20 * options.routes + 100 {
        tries += 1;
        let r = routes.len();
        let (from, to, needs) = if k >= 2 && r % 4 == 3 {
            let i = rng.below(k as u64) as usize;
            let j = (i + 1 + rng.below(k as u64 - 1) as usize) % k;
            (
                inner(&mut rng, i),
                inner(&mut rng, j),
                vec![i.min(j), i.max(j)],
            )
        } else {
            let i = r % k;
            let o = outside[rng.below(outside.len() as u64) as usize];
            let v = inner(&mut rng, i);
            if r % 2 == 0 {
                (v, o, vec![i])
            } else {
                (o, v, vec![i])
            }
        };
        if from == to {
            continue;
        }
        // Unreachable unless every needed gateway is open, reachable with them all.
        let with = |open: &[usize], closed: &mut Vec<bool>| {
            for &i in open {
                closed[pieces[i].gateway.index()] = false;
            }
        };
        let mut closed = base_closed.clone();
        let mut ok = true;
        for drop in 0..needs.len() {
            let some: Vec<usize> = needs
                .iter()
                .enumerate()
                .filter(|&(x, _)| x != drop)
                .map(|(_, &i)| i)
                .collect();
            let mut c = base_closed.clone();
            with(&some, &mut c);
            if reach_all(&out, &c, from)[to as usize] {
                ok = false;
                break;
            }
        }
        with(&needs, &mut closed);
        if !ok || !reach_all(&out, &closed, from)[to as usize] {
            continue;
        }
        routes.push(SynthRoute {
            id: format!("syn-{r}"),
            from: NodeId(from),
            to: NodeId(to),
            needs,
        });
    }
    if routes.len() < options.routes {
        return Err(SynthError::TooFewRoutes {
            found: routes.len(),
            wanted: options.routes,
        });
    }
    let files = project_files(net, mode, options, &pieces, &routes);
    Ok(SynthProjects {
        mode,
        pieces,
        routes,
        files,
    })
}

fn project_files(
    net: &Network,
    mode: Mode,
    o: &ProjectOptions,
    pieces: &[Piece],
    routes: &[SynthRoute],
) -> SynthFiles {
    let command = format!(
        "corridor synth projects --projects {} --routes {} --piece-nodes {} --seed {}",
        o.projects, o.routes, o.piece_nodes, o.seed
    );
    let source = q(&format!("synthetic: {command}; not a real project"));
    let mut s = String::new();
    let _ = writeln!(
        s,
        "# Synthetic scenarios ({command}): fictional, for measuring `corridor restore`.\n\
         # synthetic-base cuts off {} pieces of the network; each project reopens one link of one piece.",
        pieces.len()
    );
    let closed: Vec<String> = pieces
        .iter()
        .flat_map(|p| p.closed.iter().map(|&l| q(&net.link(l).id)))
        .collect();
    let _ = writeln!(
        s,
        "\n[[scenario]]\nid = \"synthetic-base\"\nname = \"Synthetic base: {} pieces cut off\"\n\
         description = \"The network as loaded with every link leaving each synthetic piece closed ({} links).\"\n\
         source = {source}\nclose = [{}]",
        pieces.len(),
        closed.len(),
        closed.join(", ")
    );
    for (i, p) in pieces.iter().enumerate() {
        let gateway = &net.link(p.gateway).id;
        let _ = writeln!(
            s,
            "\n[[scenario]]\nid = {}\nname = {}\n\
             description = {}\nbase = \"synthetic-base\"\nproject = true\nkind = \"link\"\n\
             open = [{}]\nsource = {source}",
            q(&p.project_id(net)),
            q(&format!("Reopen {gateway} (synthetic piece {i})")),
            q(&format!(
                "Synthetic project: reopens link {gateway}, one of the {} links closed around piece {i} ({} places around {}).",
                p.closed.len(),
                p.nodes.len(),
                net.node(p.centre).id
            )),
            q(gateway)
        );
    }
    let cargo = |v: NodeId| net.node(v).country;
    let mut r = String::new();
    let _ = writeln!(
        r,
        "# Synthetic trade routes ({command}): fictional; each note names the projects that restore it."
    );
    for route in routes {
        let names: Vec<String> = route
            .needs
            .iter()
            .map(|&i| pieces[i].project_id(net))
            .collect();
        let _ = writeln!(
            r,
            "\n[[route]]\nid = \"{}\"\nfrom = {}\nto = {}\ncargo = \"{}\"\nmodes = [\"{}\"]\nnote = {}",
            route.id,
            q(&net.node(route.from).id),
            q(&net.node(route.to).id),
            cargo(route.from),
            mode.as_str(),
            q(&format!("synthetic: restored by {}", names.join(" + ")))
        );
    }
    let mut md = String::new();
    let _ = writeln!(
        md,
        "# Synthetic projects and routes\n\n\
         **Fictional**: `scenarios.toml` and `routes.toml` here were written by `{command}`\n\
         (replacing any earlier ones); they are for measuring `corridor restore` and `corridor run`.\n\n\
         - `synthetic-base` closes the {} links that leave {} pieces of the network (balls of up to {} places\n  \
         around seeded centres, not touching one another).\n\
         - {} projects (`kind = \"link\"`), each reopening one of its piece's links (the gateway).\n\
         - {} routes ({} mode), each from or to a piece: unreachable in `synthetic-base`, restored by the\n  \
         project(s) named in its `note` (one, or two for routes between pieces) and by no smaller set.\n\n\
         | project | piece centre | places | links closed |\n|---|---|---:|---:|",
        pieces.iter().map(|p| p.closed.len()).sum::<usize>(),
        pieces.len(),
        o.piece_nodes,
        pieces.len(),
        routes.len(),
        mode.as_str()
    );
    for p in pieces {
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} |",
            p.project_id(net),
            net.node(p.centre).id,
            p.nodes.len(),
            p.closed.len()
        );
    }
    SynthFiles {
        files: vec![
            ("scenarios.toml", s.into_bytes()),
            ("routes.toml", r.into_bytes()),
            ("SYNTHETIC.md", md.into_bytes()),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn country() -> Country {
        Country::parse("AQ").unwrap()
    }

    #[test]
    fn grid_is_deterministic_and_has_every_street() {
        let a = grid(400, 5, 10, country()).unwrap();
        let b = grid(400, 5, 10, country()).unwrap();
        assert_eq!(a, b);
        let net = grid_network(400, 5, country()).unwrap();
        assert!(net.nodes.len() <= 400 && net.nodes.len() > 390);
        assert!((0..net.nodes.len() as u32).all(|v| !net.incident_links(NodeId(v)).is_empty()));
        assert_eq!(
            net.links.len(),
            road_like_layout(400, 5).streets.len(),
            "one link per street"
        );
        assert_ne!(a, grid(400, 6, 10, country()).unwrap());
        assert!(matches!(
            grid(3, 1, 1, country()),
            Err(SynthError::GridSize(3))
        ));
        assert!(matches!(
            grid(4, 1, 1000, country()),
            Err(SynthError::TooManyRoutes { .. })
        ));
    }

    #[test]
    fn pieces_are_cut_off_and_routes_need_their_projects() {
        let net = grid_network(900, 3, country()).unwrap();
        let o = ProjectOptions {
            projects: 3,
            routes: 12,
            seed: 9,
            piece_nodes: 20,
        };
        let made = projects(&net, &o).unwrap();
        assert_eq!(made, projects(&net, &o).unwrap());
        assert_eq!(made.pieces.len(), 3);
        assert_eq!(made.routes.len(), 12);
        assert!(made.routes.iter().any(|r| r.needs.len() == 2));
        for i in 0..3 {
            assert!(made.routes.iter().any(|r| r.needs == vec![i]));
        }
        for (i, p) in made.pieces.iter().enumerate() {
            assert!(p.closed.contains(&p.gateway));
            for q in &made.pieces[i + 1..] {
                assert!(p.nodes.iter().all(|v| !q.nodes.contains(v)));
            }
        }
        assert!(matches!(
            projects(&net, &ProjectOptions { projects: 0, ..o }),
            Err(SynthError::ProjectCount(0))
        ));
    }
}
