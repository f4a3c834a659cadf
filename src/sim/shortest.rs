//! The one shortest-path tree the assignment needs: one-to-all Dijkstra over a forward-star graph
//! with per-arc costs and nodes that may not be passed through (zones).
//!
//! Kept behind [`shortest_path_tree`] alone so that the routing layer's CSR search can replace it
//! in one place.

/// `u32::MAX` marks "no predecessor arc" (the source, and nodes not reached).
pub(crate) const NO_ARC: u32 = u32::MAX;

/// A directed graph in forward-star (CSR) form: the arcs leaving node `v` are
/// `first_out[v]..first_out[v + 1]`, with heads in `head` and tails in `tail`.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Csr {
    pub first_out: Vec<u32>,
    pub head: Vec<u32>,
    pub tail: Vec<u32>,
}

impl Csr {
    pub fn nodes(&self) -> usize {
        self.first_out.len().saturating_sub(1)
    }
}

/// Reusable per-thread search memory: nothing is allocated per search once it has grown.
#[derive(Debug, Default)]
pub(crate) struct SearchState {
    /// Cost from the source; `f64::INFINITY` when not reached.
    pub dist: Vec<f64>,
    /// The arc into each node on its shortest path, or [`NO_ARC`].
    pub pred: Vec<u32>,
    /// Nodes in the order they were settled (non-decreasing cost).
    pub order: Vec<u32>,
    /// Scratch flow per node, used by the loading step (all zero between searches).
    pub node_flow: Vec<f64>,
    heap: QuadHeap,
}

impl SearchState {
    fn reset(&mut self, n: usize) {
        self.dist.clear();
        self.dist.resize(n, f64::INFINITY);
        self.pred.clear();
        self.pred.resize(n, NO_ARC);
        if self.node_flow.len() != n {
            self.node_flow.clear();
            self.node_flow.resize(n, 0.0);
        }
        self.order.clear();
        self.heap.reset(n);
    }
}

/// `u32::MAX` in [`QuadHeap::pos`]: the node is not in the heap.
const NOT_IN_HEAP: u32 = u32::MAX;

/// An indexed 4-ary min-heap of nodes keyed by cost, with decrease-key: each node is in it at most
/// once (a lazy binary heap pushed every improvement and spent most of the search popping stale
/// entries), and four children per node make it shallower and kinder to the cache.
#[derive(Debug, Default)]
struct QuadHeap {
    items: Vec<(f64, u32)>,
    /// Position of each node in `items`, or [`NOT_IN_HEAP`].
    pos: Vec<u32>,
}

impl QuadHeap {
    fn reset(&mut self, n: usize) {
        self.items.clear();
        // Every node leaves the heap when popped, so after a full search `pos` is clean again.
        if self.pos.len() != n {
            self.pos.clear();
            self.pos.resize(n, NOT_IN_HEAP);
        }
    }

    /// Inserts `v` with `key`, or lowers its key (`key` must not be above the current one).
    #[inline]
    fn push_or_decrease(&mut self, v: u32, key: f64) {
        let i = match self.pos[v as usize] {
            NOT_IN_HEAP => {
                self.items.push((key, v));
                self.items.len() - 1
            }
            i => i as usize,
        };
        self.sift_up(i, key, v);
    }

    #[inline]
    fn pop(&mut self) -> Option<(f64, u32)> {
        let top = *self.items.first()?;
        self.pos[top.1 as usize] = NOT_IN_HEAP;
        let last = self.items.pop()?;
        if !self.items.is_empty() {
            self.sift_down(0, last.0, last.1);
        }
        Some(top)
    }

    #[inline]
    fn sift_up(&mut self, mut i: usize, key: f64, v: u32) {
        while i > 0 {
            let parent = (i - 1) / 4;
            let p = self.items[parent];
            if p.0 <= key {
                break;
            }
            self.items[i] = p;
            self.pos[p.1 as usize] = i as u32;
            i = parent;
        }
        self.items[i] = (key, v);
        self.pos[v as usize] = i as u32;
    }

    #[inline]
    fn sift_down(&mut self, mut i: usize, key: f64, v: u32) {
        let len = self.items.len();
        loop {
            let first = 4 * i + 1;
            if first >= len {
                break;
            }
            let mut best = first;
            let mut best_key = self.items[first].0;
            for c in first + 1..(first + 4).min(len) {
                let k = self.items[c].0;
                if k < best_key {
                    best = c;
                    best_key = k;
                }
            }
            if best_key >= key {
                break;
            }
            let moved = self.items[best];
            self.items[i] = moved;
            self.pos[moved.1 as usize] = i as u32;
            i = best;
        }
        self.items[i] = (key, v);
        self.pos[v as usize] = i as u32;
    }
}

/// Shortest paths from `source` to every node; nodes for which `passable` is false are reached but
/// not expanded (unless they are the source).
///
/// # Arguments
/// * `g` - the graph.
/// * `cost` - per-arc cost, finite and >= 0 (indexed like `g.head`).
/// * `source` - the origin node.
/// * `passable` - whether a path may continue through a node.
/// * `st` - search memory; on return `st.dist`, `st.pred` and `st.order` describe the tree.
///
/// # Complexity
/// O((n + m) log n) with an indexed 4-ary heap.
pub(crate) fn shortest_path_tree(
    g: &Csr,
    cost: &[f64],
    source: u32,
    passable: impl Fn(u32) -> bool,
    st: &mut SearchState,
) {
    st.reset(g.nodes());
    st.dist[source as usize] = 0.0;
    st.heap.push_or_decrease(source, 0.0);
    while let Some((d, v)) = st.heap.pop() {
        let vi = v as usize;
        st.order.push(v);
        if v != source && !passable(v) {
            continue;
        }
        let (lo, hi) = (g.first_out[vi] as usize, g.first_out[vi + 1] as usize);
        for (i, (&w, &c)) in g.head[lo..hi].iter().zip(&cost[lo..hi]).enumerate() {
            let w = w as usize;
            let nd = d + c;
            if nd < st.dist[w] {
                st.dist[w] = nd;
                st.pred[w] = (lo + i) as u32;
                st.heap.push_or_decrease(w as u32, nd);
            }
        }
    }
}
