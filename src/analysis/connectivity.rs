//! Connectivity of a graph: connected components (weak, of the undirected projection; strong, of
//! the directed graph), bridges and articulation points.
//!
//! Graphs are given as plain edge lists over `0..n` so that any projection (one mode, one gauge,
//! the whole multimodal network, an imported road graph) can be analysed. Parallel edges are
//! allowed: two links between the same places protect each other, so neither is a bridge.
//!
//! ```text
//!   0 --- 1 --- 2          bridges: 0-1 and 3-4 (a cycle 1-2-3 protects its links)
//!          \   /           articulation points: 1 and 3
//!           \ /
//!            3 --- 4
//! ```
//!
//! All searches are iterative: a long chain of degree-2 places (an imported railway) cannot
//! overflow the stack.

use crate::routing::csr::group_by_key;

/// Component ids of the undirected graph: `comp[v]` is the smallest node index of `v`'s component,
/// so that ids are stable whatever the edge order.
///
/// # Complexity
/// O((n + m) α(n)) with a union-find.
pub fn weak_components(n: usize, edges: &[(u32, u32)]) -> Vec<u32> {
    let mut parent: Vec<u32> = (0..n as u32).collect();
    fn find(parent: &mut [u32], mut v: u32) -> u32 {
        while parent[v as usize] != v {
            let up = parent[parent[v as usize] as usize];
            parent[v as usize] = up;
            v = up;
        }
        v
    }
    for &(u, v) in edges {
        let (a, b) = (find(&mut parent, u), find(&mut parent, v));
        if a != b {
            // The smaller index becomes the root: the id is then the component's smallest node.
            let (lo, hi) = if a < b { (a, b) } else { (b, a) };
            parent[hi as usize] = lo;
        }
    }
    (0..n as u32).map(|v| find(&mut parent, v)).collect()
}

/// Strongly connected components of the directed graph `arcs` (tail, head), by Tarjan's
/// algorithm made iterative. `comp[v]` is the smallest node index of `v`'s component.
///
/// # Complexity
/// O(n + m).
pub fn strong_components(n: usize, arcs: &[(u32, u32)]) -> Vec<u32> {
    let (first, head) = group_by_key(n, arcs.iter().map(|&(u, v)| (u, v)));
    const NONE: u32 = u32::MAX;
    let mut index = vec![NONE; n];
    let mut low = vec![0u32; n];
    let mut on_stack = vec![false; n];
    let mut stack: Vec<u32> = Vec::new();
    let mut comp = vec![NONE; n];
    let mut next_index = 0u32;
    // Call stack of (node, next arc position).
    let mut calls: Vec<(u32, u32)> = Vec::new();
    for root in 0..n as u32 {
        if index[root as usize] != NONE {
            continue;
        }
        calls.push((root, first[root as usize]));
        index[root as usize] = next_index;
        low[root as usize] = next_index;
        next_index += 1;
        stack.push(root);
        on_stack[root as usize] = true;
        while let Some(&mut (v, ref mut pos)) = calls.last_mut() {
            let vi = v as usize;
            if *pos < first[vi + 1] {
                let w = head[*pos as usize];
                *pos += 1;
                let wi = w as usize;
                if index[wi] == NONE {
                    index[wi] = next_index;
                    low[wi] = next_index;
                    next_index += 1;
                    stack.push(w);
                    on_stack[wi] = true;
                    calls.push((w, first[wi]));
                } else if on_stack[wi] {
                    low[vi] = low[vi].min(index[wi]);
                }
            } else {
                calls.pop();
                if let Some(&(parent, _)) = calls.last() {
                    low[parent as usize] = low[parent as usize].min(low[vi]);
                }
                if low[vi] == index[vi] {
                    let mut members = Vec::new();
                    loop {
                        let w = stack.pop().expect("v is on the stack");
                        on_stack[w as usize] = false;
                        members.push(w);
                        if w == v {
                            break;
                        }
                    }
                    let id = *members.iter().min().expect("non-empty");
                    for w in members {
                        comp[w as usize] = id;
                    }
                }
            }
        }
    }
    comp
}

/// Bridges and articulation points of an undirected multigraph.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CutStructure {
    /// Indices into the edge list of the edges whose removal disconnects their component, ascending.
    pub bridges: Vec<usize>,
    /// Nodes whose removal disconnects their component, ascending.
    pub articulation_points: Vec<u32>,
}

/// Bridges and articulation points (Tarjan's low-link method, iterative).
///
/// # Arguments
/// * `n` - number of nodes.
/// * `edges` - undirected edges; parallel edges and self-loops are allowed (a self-loop is never a
///   bridge; parallel edges are not bridges).
///
/// # Complexity
/// O(n + m).
///
/// # Examples
/// ```
/// use corridor::analysis::connectivity::cut_structure;
/// // 0 - 1 - 2 and a triangle 2 - 3 - 4 - 2
/// let cuts = cut_structure(5, &[(0, 1), (1, 2), (2, 3), (3, 4), (4, 2)]);
/// assert_eq!(cuts.bridges, vec![0, 1]);
/// assert_eq!(cuts.articulation_points, vec![1, 2]);
/// ```
pub fn cut_structure(n: usize, edges: &[(u32, u32)]) -> CutStructure {
    // Adjacency with edge ids, both directions.
    let (first, adj) = group_by_key(
        n,
        edges.iter().enumerate().flat_map(|(e, &(u, v))| {
            let e = e as u32;
            [(u, (v, e)), (v, (u, e))]
                .into_iter()
                .take(if u == v { 1 } else { 2 })
        }),
    );
    const NONE: u32 = u32::MAX;
    let mut disc = vec![NONE; n];
    let mut low = vec![0u32; n];
    let mut is_ap = vec![false; n];
    let mut bridges = Vec::new();
    let mut time = 0u32;
    // (node, edge id used to enter it, next adjacency position, children count)
    let mut calls: Vec<(u32, u32, u32, u32)> = Vec::new();
    for root in 0..n as u32 {
        if disc[root as usize] != NONE {
            continue;
        }
        disc[root as usize] = time;
        low[root as usize] = time;
        time += 1;
        calls.push((root, NONE, first[root as usize], 0));
        while let Some(top) = calls.last_mut() {
            let (v, via, pos, _) = *top;
            let vi = v as usize;
            if pos < first[vi + 1] {
                top.2 += 1;
                let (w, e) = adj[pos as usize];
                if e == via {
                    continue; // the edge we came by (not a parallel twin: ids differ)
                }
                let wi = w as usize;
                if disc[wi] == NONE {
                    top.3 += 1;
                    disc[wi] = time;
                    low[wi] = time;
                    time += 1;
                    calls.push((w, e, first[wi], 0));
                } else {
                    low[vi] = low[vi].min(disc[wi]);
                }
            } else {
                let (_, via, _, children) = calls.pop().expect("top exists");
                if let Some(parent) = calls.last() {
                    let p = parent.0 as usize;
                    low[p] = low[p].min(low[vi]);
                    if low[vi] > disc[p] {
                        bridges.push(via as usize);
                    }
                    // A non-root parent is an articulation point when a child cannot climb above it.
                    if parent.1 != NONE && low[vi] >= disc[p] {
                        is_ap[p] = true;
                    }
                } else if children >= 2 {
                    is_ap[vi] = true; // a DFS root with two or more children
                }
            }
        }
    }
    bridges.sort_unstable();
    CutStructure {
        bridges,
        articulation_points: (0..n as u32).filter(|&v| is_ap[v as usize]).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::util::SplitMix64;

    fn count_components(
        n: usize,
        edges: &[(u32, u32)],
        skip_edge: Option<usize>,
        skip_node: Option<u32>,
    ) -> usize {
        let kept: Vec<(u32, u32)> = edges
            .iter()
            .enumerate()
            .filter(|(i, &(u, v))| {
                Some(*i) != skip_edge && Some(u) != skip_node && Some(v) != skip_node
            })
            .map(|(_, &e)| e)
            .collect();
        let comp = weak_components(n, &kept);
        let mut roots: Vec<u32> = (0..n as u32)
            .filter(|&v| Some(v) != skip_node)
            .map(|v| comp[v as usize])
            .collect();
        roots.sort_unstable();
        roots.dedup();
        roots.len()
    }

    #[test]
    fn bridges_and_articulation_points_match_removal_on_random_multigraphs() {
        for seed in 0..500u64 {
            let mut rng = SplitMix64::new(seed);
            let n = 1 + rng.below(9) as usize;
            let m = rng.below(2 * n as u64 + 1) as usize;
            let edges: Vec<(u32, u32)> = (0..m)
                .map(|_| (rng.below(n as u64) as u32, rng.below(n as u64) as u32))
                .collect();
            let cuts = cut_structure(n, &edges);
            let base = count_components(n, &edges, None, None);
            let bridges: Vec<usize> = (0..m)
                .filter(|&e| count_components(n, &edges, Some(e), None) > base)
                .collect();
            assert_eq!(cuts.bridges, bridges, "seed {seed}: n={n} edges={edges:?}");
            // Removing an articulation point leaves more components than before, not counting the
            // point itself (an isolated node removed lowers the count by one).
            let aps: Vec<u32> = (0..n as u32)
                .filter(|&v| {
                    let isolated = edges
                        .iter()
                        .all(|&(a, b)| a != v && b != v || a == v && b == v);
                    let after = count_components(n, &edges, None, Some(v));
                    after > base - usize::from(isolated)
                })
                .collect();
            assert_eq!(
                cuts.articulation_points, aps,
                "seed {seed}: n={n} edges={edges:?}"
            );
        }
    }

    #[test]
    fn strong_components_match_reachability_on_random_digraphs() {
        for seed in 0..300u64 {
            let mut rng = SplitMix64::new(7000 + seed);
            let n = 1 + rng.below(8) as usize;
            let arcs: Vec<(u32, u32)> = (0..rng.below(3 * n as u64))
                .map(|_| (rng.below(n as u64) as u32, rng.below(n as u64) as u32))
                .collect();
            // Reachability by Floyd-Warshall closure.
            let mut reach = vec![vec![false; n]; n];
            for (v, row) in reach.iter_mut().enumerate() {
                row[v] = true;
            }
            for &(u, v) in &arcs {
                reach[u as usize][v as usize] = true;
            }
            for k in 0..n {
                for i in 0..n {
                    for j in 0..n {
                        if reach[i][k] && reach[k][j] {
                            reach[i][j] = true;
                        }
                    }
                }
            }
            let comp = strong_components(n, &arcs);
            for i in 0..n {
                for j in 0..n {
                    let same = reach[i][j] && reach[j][i];
                    assert_eq!(comp[i] == comp[j], same, "seed {seed}: arcs {arcs:?}");
                }
                let smallest = (0..n).find(|&j| reach[i][j] && reach[j][i]).unwrap() as u32;
                assert_eq!(comp[i], smallest);
            }
        }
    }

    #[test]
    fn a_long_chain_does_not_overflow_the_stack() {
        let n = 1_000_000;
        let edges: Vec<(u32, u32)> = (0..n as u32 - 1).map(|v| (v, v + 1)).collect();
        let cuts = cut_structure(n, &edges);
        assert_eq!(cuts.bridges.len(), n - 1);
        assert_eq!(cuts.articulation_points.len(), n - 2);
        let arcs: Vec<(u32, u32)> = edges.iter().flat_map(|&(u, v)| [(u, v), (v, u)]).collect();
        assert!(strong_components(n, &arcs).iter().all(|&c| c == 0));
    }

    #[test]
    fn parallel_links_protect_each_other() {
        // 0 == 1 (two links) - 2
        let cuts = cut_structure(3, &[(0, 1), (0, 1), (1, 2)]);
        assert_eq!(cuts.bridges, vec![2]);
        assert_eq!(cuts.articulation_points, vec![1]);
    }
}
