//! Community detection: Newman's modularity with a resolution parameter and
//! its Louvain optimisation (Blondel et al. 2008) on weighted undirected
//! graphs.
//!
//! [`modularity`] follows networkx's `community.modularity` (Newman 2006,
//! with Reichardt and Bornholdt's resolution γ):
//! `Q = Σ_c [ L_c / m − γ (d_c / 2m)² ]`, where `m` is the total edge weight,
//! `L_c` the weight of the edges inside community `c` (a self-loop counted
//! once) and `d_c` the summed weighted degree of its nodes (a self-loop
//! counted twice).
//!
//! [`louvain`] is the two-phase method of Blondel et al. as networkx
//! implements it (`louvain_communities`): local moves of single nodes while
//! any move gains modularity, then aggregation of communities into nodes,
//! level after level, until a level gains no more than `threshold`. Louvain
//! depends on the order in which nodes are visited, so it is run from several
//! deterministic orders (`restarts`: name order first, then orders shuffled by
//! a seeded SplitMix64) and the partition of highest modularity is kept.
//! Restarts run in parallel with rayon; each is sequential, and the best is
//! chosen in restart order, so the result is the same for any thread count.
//!
//! Modularity also serves as the polarisation measure of a network (as
//! Waugh et al. 2009 do for roll-call networks): the modularity of the best
//! partition found measures how far the network splits into blocs.

use std::collections::BTreeMap;

use entente_model::ModelError;
use rayon::prelude::*;

use crate::centrality::{Graph, check_edge, overflow_error};

/// Safety valve: the local-moving phase of one level stops after this many
/// passes over the nodes even if a move still gains (each move gains
/// modularity, so only rounding could make it cycle).
const MAX_PASSES: usize = 1000;

/// A weighted undirected graph with string node names, ordered by name.
///
/// Nodes are indexed `0..node_count()` in name order. Each unordered pair
/// appears once, with a finite non-negative weight; a self-loop `u–u` adds
/// its weight twice to `u`'s degree (the usual convention, as networkx).
#[derive(Debug, Clone, PartialEq)]
pub struct UndirectedGraph {
    names: Vec<String>,
    level: Level,
    /// Total edge weight `m` (each edge and self-loop once).
    total_weight: f64,
}

/// The adjacency used by Louvain at every level of aggregation.
#[derive(Debug, Clone, PartialEq)]
struct Level {
    /// Neighbours other than the node itself, ordered by index, with weights.
    adj: Vec<Vec<(usize, f64)>>,
    /// Self-loop weight of each node.
    self_loop: Vec<f64>,
    /// Weighted degree: neighbour weights plus twice the self-loop.
    degree: Vec<f64>,
}

impl Level {
    /// Builds the adjacency from each unordered pair `(u ≤ v)` once.
    fn from_pairs(n: usize, pairs: &BTreeMap<(usize, usize), f64>) -> Level {
        let mut adj = vec![Vec::new(); n];
        let mut self_loop = vec![0.0; n];
        for (&(u, v), &w) in pairs {
            if u == v {
                self_loop[u] += w;
            } else {
                adj[u].push((v, w));
                adj[v].push((u, w));
            }
        }
        for list in &mut adj {
            list.sort_by_key(|&(v, _)| v);
        }
        let degree = adj
            .iter()
            .zip(&self_loop)
            .map(|(list, s)| list.iter().map(|&(_, w)| w).sum::<f64>() + 2.0 * s)
            .collect();
        Level {
            adj,
            self_loop,
            degree,
        }
    }

    fn len(&self) -> usize {
        self.adj.len()
    }
}

impl UndirectedGraph {
    /// Builds a graph from `(u, v, weight)` edges.
    ///
    /// `u–v` and `v–u` are the same edge: repeated pairs are merged by summing
    /// their weights (in input order). Weights must be finite and
    /// non-negative, names non-empty and the total weight finite; otherwise
    /// this returns [`ModelError::InvalidValue`] naming the edge.
    pub fn from_edges(
        edges: impl IntoIterator<Item = (String, String, f64)>,
    ) -> Result<UndirectedGraph, ModelError> {
        let mut merged: BTreeMap<(String, String), f64> = BTreeMap::new();
        for (u, v, w) in edges {
            check_edge(&u, &v, w)?;
            let key = if u <= v { (u, v) } else { (v, u) };
            *merged.entry(key).or_insert(0.0) += w;
        }
        let mut names: Vec<String> = merged
            .keys()
            .flat_map(|(u, v)| [u.clone(), v.clone()])
            .collect();
        names.sort_unstable();
        names.dedup();
        let index = |name: &str| names.binary_search_by(|n| n.as_str().cmp(name));
        let mut pairs = BTreeMap::new();
        for ((u, v), w) in &merged {
            if let (Ok(u), Ok(v)) = (index(u), index(v)) {
                pairs.insert((u, v), *w);
            }
        }
        UndirectedGraph::from_pairs(names, &pairs)
    }

    /// The undirected version of a directed graph: the weight of `u–v` is
    /// `w(u→v) + w(v→u)`, and a self-loop keeps its weight. For trade flows
    /// this is the total trade of a dyad.
    ///
    /// Errors only if the total weight, summed in a different order than for
    /// `graph`, rounds up to infinity.
    pub fn from_directed(graph: &Graph) -> Result<UndirectedGraph, ModelError> {
        let mut pairs: BTreeMap<(usize, usize), f64> = BTreeMap::new();
        for (s, t, w) in graph.edges() {
            *pairs.entry((s.min(t), s.max(t))).or_insert(0.0) += w;
        }
        UndirectedGraph::from_pairs(graph.nodes().to_vec(), &pairs)
    }

    fn from_pairs(
        names: Vec<String>,
        pairs: &BTreeMap<(usize, usize), f64>,
    ) -> Result<UndirectedGraph, ModelError> {
        let total_weight: f64 = pairs.values().sum();
        if !total_weight.is_finite() {
            return Err(overflow_error());
        }
        Ok(UndirectedGraph {
            level: Level::from_pairs(names.len(), pairs),
            names,
            total_weight,
        })
    }

    /// Node names, ordered by name; a node's index is its position here.
    pub fn nodes(&self) -> &[String] {
        &self.names
    }

    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.names.len()
    }

    /// Number of distinct edges, self-loops of positive weight included.
    pub fn edge_count(&self) -> usize {
        let pairs: usize = self.level.adj.iter().map(Vec::len).sum();
        pairs / 2 + self.level.self_loop.iter().filter(|&&w| w > 0.0).count()
    }

    /// Total edge weight `m`, each edge once.
    pub fn total_weight(&self) -> f64 {
        self.total_weight
    }

    /// Weighted degree of each node (a self-loop counts twice).
    pub fn degrees(&self) -> &[f64] {
        &self.level.degree
    }

    /// The index of the node called `name`.
    pub fn index(&self, name: &str) -> Option<usize> {
        self.names.binary_search_by(|n| n.as_str().cmp(name)).ok()
    }
}

/// A partition of a graph's nodes into communities, with its modularity.
#[derive(Debug, Clone, PartialEq)]
pub struct Partition {
    /// The communities, each sorted by node name; ordered by size (largest
    /// first), then by first node name.
    pub communities: Vec<Vec<String>>,
    /// Modularity of the partition at the resolution it was found with.
    pub modularity: f64,
}

/// Options of [`louvain`]. The defaults are networkx's (`resolution = 1`,
/// `threshold = 1e-7`) with 16 restarts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LouvainOptions {
    /// Resolution γ ≥ 0: below 1 favours fewer, larger communities, above 1
    /// more, smaller ones. Default 1 (Newman's modularity).
    pub resolution: f64,
    /// A new aggregation level is only built while the previous one gained
    /// more than this much modularity. Default `1e-7`.
    pub threshold: f64,
    /// How many node orders to run Louvain from (at least 1): restart 0
    /// visits nodes in name order, restart `r > 0` in an order shuffled by a
    /// SplitMix64 seeded from `seed` and `r`. Default 16.
    pub restarts: u32,
    /// Seed of the shuffled orders. Default 0.
    pub seed: u64,
}

impl Default for LouvainOptions {
    fn default() -> Self {
        LouvainOptions {
            resolution: 1.0,
            threshold: 1e-7,
            restarts: 16,
            seed: 0,
        }
    }
}

/// Modularity of `communities` on `graph` at `resolution`, as networkx's
/// `community.modularity(G, communities, weight="weight", resolution=γ)`:
/// `Q = Σ_c [ L_c / m − γ (d_c / 2m)² ]`.
///
/// The communities must partition the graph's nodes: every node exactly once,
/// no unknown name (empty communities are allowed and contribute nothing).
/// A graph with no edge weight has modularity 0 by convention. Errors with
/// [`ModelError::InvalidValue`] otherwise, or when `resolution` is not finite.
pub fn modularity(
    graph: &UndirectedGraph,
    communities: &[Vec<String>],
    resolution: f64,
) -> Result<f64, ModelError> {
    if !resolution.is_finite() {
        return Err(invalid(
            "resolution",
            format!("`{resolution}` is not finite"),
        ));
    }
    let mut membership = vec![usize::MAX; graph.node_count()];
    for (c, community) in communities.iter().enumerate() {
        for name in community {
            let Some(u) = graph.index(name) else {
                return Err(invalid(
                    "communities",
                    format!("node `{name}` is not in the graph"),
                ));
            };
            if membership[u] != usize::MAX {
                return Err(invalid(
                    "communities",
                    format!("node `{name}` is in more than one community"),
                ));
            }
            membership[u] = c;
        }
    }
    if let Some(u) = membership.iter().position(|&c| c == usize::MAX) {
        return Err(invalid(
            "communities",
            format!("node `{}` is in no community", graph.names[u]),
        ));
    }
    Ok(modularity_of(
        graph,
        &membership,
        communities.len(),
        resolution,
    ))
}

/// Modularity of a membership vector (node → community in `0..k`).
fn modularity_of(graph: &UndirectedGraph, membership: &[usize], k: usize, resolution: f64) -> f64 {
    let m = graph.total_weight;
    if m == 0.0 {
        return 0.0;
    }
    let mut inside = vec![0.0; k];
    let mut degree = vec![0.0; k];
    let level = &graph.level;
    for (u, &c) in membership.iter().enumerate() {
        degree[c] += level.degree[u];
        inside[c] += level.self_loop[u];
        for &(v, w) in &level.adj[u] {
            if u < v && membership[v] == c {
                inside[c] += w;
            }
        }
    }
    let norm = 1.0 / (4.0 * m * m);
    inside
        .iter()
        .zip(&degree)
        .map(|(l, d)| l / m - resolution * d * d * norm)
        .sum()
}

/// Louvain communities of `graph` (Blondel et al. 2008), the best of
/// `opts.restarts` deterministic runs; see the module documentation.
///
/// Within a run, each level moves single nodes (in the run's order, pass after
/// pass until no move gains) to the neighbouring community that gains most
/// modularity, ties going to the neighbouring community met first, then
/// aggregates each community into one node. Levels continue while a level
/// gains more than `threshold`. The returned modularity is recomputed on
/// `graph` with [`modularity`]'s formula. A graph without edge weight gives
/// singletons with modularity 0.
///
/// Errors with [`ModelError::InvalidValue`] when `resolution` is negative or
/// not finite, `threshold` is not finite, or `restarts` is 0.
pub fn louvain(graph: &UndirectedGraph, opts: &LouvainOptions) -> Result<Partition, ModelError> {
    if !opts.resolution.is_finite() || opts.resolution < 0.0 {
        return Err(invalid(
            "resolution",
            format!("`{}` is not a finite non-negative number", opts.resolution),
        ));
    }
    if !opts.threshold.is_finite() {
        return Err(invalid(
            "threshold",
            format!("`{}` is not finite", opts.threshold),
        ));
    }
    if opts.restarts == 0 {
        return Err(invalid(
            "restarts",
            "`0`: at least one run is needed".to_owned(),
        ));
    }
    let runs: Vec<(Vec<usize>, f64)> = (0..opts.restarts)
        .into_par_iter()
        .map(|r| {
            let rng = (r > 0).then(|| SplitMix64::new(opts.seed, u64::from(r)));
            let membership = run_louvain(graph, opts, rng);
            let k = membership.iter().max().map_or(0, |&c| c + 1);
            let q = modularity_of(graph, &membership, k, opts.resolution);
            (membership, q)
        })
        .collect();
    // The first run of highest modularity wins; `runs` is not empty.
    let mut best = 0;
    for (r, run) in runs.iter().enumerate() {
        if run.1 > runs[best].1 {
            best = r;
        }
    }
    let (membership, q) = &runs[best];
    Ok(Partition {
        communities: communities_of(&graph.names, membership),
        modularity: *q,
    })
}

/// One Louvain run: the membership of each original node in `0..k`.
fn run_louvain(
    graph: &UndirectedGraph,
    opts: &LouvainOptions,
    mut rng: Option<SplitMix64>,
) -> Vec<usize> {
    let n = graph.node_count();
    let mut membership: Vec<usize> = (0..n).collect();
    let m = graph.total_weight;
    if m == 0.0 {
        return membership;
    }
    let mut q = modularity_of(graph, &membership, n, opts.resolution);
    let mut level = graph.level.clone();
    loop {
        let mut order: Vec<usize> = (0..level.len()).collect();
        if let Some(rng) = &mut rng {
            rng.shuffle(&mut order);
        }
        let Some((community, k)) = move_nodes(&level, m, opts.resolution, &order) else {
            return membership;
        };
        for c in &mut membership {
            *c = community[*c];
        }
        let new_q = modularity_of(graph, &membership, k, opts.resolution);
        if new_q - q <= opts.threshold {
            return membership;
        }
        q = new_q;
        level = aggregate(&level, &community, k);
    }
}

/// The local-moving phase on one level: the community (renumbered `0..k` in
/// order of first node) of each node and `k`, or `None` if no node moved.
fn move_nodes(
    level: &Level,
    m: f64,
    resolution: f64,
    order: &[usize],
) -> Option<(Vec<usize>, usize)> {
    let n = level.len();
    let mut community: Vec<usize> = (0..n).collect();
    // Σ_tot: summed degree of each community.
    let mut total = level.degree.clone();
    let mut to_community = vec![0.0; n];
    let mut touched: Vec<usize> = Vec::new();
    let mut is_touched = vec![false; n];
    let two_m_squared = 2.0 * m * m;
    let mut moved = false;
    for _ in 0..MAX_PASSES {
        let mut moves = 0_usize;
        for &u in order {
            let own = community[u];
            for &(v, w) in &level.adj[u] {
                let c = community[v];
                if !is_touched[c] {
                    is_touched[c] = true;
                    touched.push(c);
                }
                to_community[c] += w;
            }
            let degree = level.degree[u];
            total[own] -= degree;
            // Gains relative to leaving `u` alone in a community of its own,
            // as networkx computes them.
            let remove_cost =
                -to_community[own] / m + resolution * (total[own] * degree) / two_m_squared;
            let mut best_gain = 0.0;
            let mut best = own;
            for &c in &touched {
                let gain = remove_cost + to_community[c] / m
                    - resolution * (total[c] * degree) / two_m_squared;
                if gain > best_gain {
                    best_gain = gain;
                    best = c;
                }
            }
            total[best] += degree;
            if best != own {
                community[u] = best;
                moves += 1;
            }
            for c in touched.drain(..) {
                to_community[c] = 0.0;
                is_touched[c] = false;
            }
        }
        if moves == 0 {
            break;
        }
        moved = true;
    }
    if !moved {
        return None;
    }
    let mut renumber = vec![usize::MAX; n];
    let mut k = 0;
    for c in &mut community {
        if renumber[*c] == usize::MAX {
            renumber[*c] = k;
            k += 1;
        }
        *c = renumber[*c];
    }
    Some((community, k))
}

/// The next level: one node per community, an edge's weight the sum of the
/// edges between the two communities, a self-loop the weight inside one.
fn aggregate(level: &Level, community: &[usize], k: usize) -> Level {
    let mut pairs: BTreeMap<(usize, usize), f64> = BTreeMap::new();
    for u in 0..level.len() {
        let cu = community[u];
        if level.self_loop[u] != 0.0 {
            *pairs.entry((cu, cu)).or_insert(0.0) += level.self_loop[u];
        }
        for &(v, w) in &level.adj[u] {
            if u < v {
                let cv = community[v];
                *pairs.entry((cu.min(cv), cu.max(cv))).or_insert(0.0) += w;
            }
        }
    }
    Level::from_pairs(k, &pairs)
}

/// Communities as sorted name lists, largest first, then by first name.
fn communities_of(names: &[String], membership: &[usize]) -> Vec<Vec<String>> {
    let k = membership.iter().max().map_or(0, |&c| c + 1);
    let mut communities: Vec<Vec<String>> = vec![Vec::new(); k];
    // Node indices are in name order, so each community comes out sorted.
    for (u, &c) in membership.iter().enumerate() {
        communities[c].push(names[u].clone());
    }
    communities.retain(|c| !c.is_empty());
    communities.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a[0].cmp(&b[0])));
    communities
}

fn invalid(field: &'static str, reason: String) -> ModelError {
    ModelError::InvalidValue { field, reason }
}

/// SplitMix64 (Steele, Lea and Flood 2014), the seeding generator of
/// xoshiro: enough to shuffle node orders reproducibly without a dependency.
#[derive(Debug, Clone)]
struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    /// A generator for restart `stream` of run seed `seed`.
    fn new(seed: u64, stream: u64) -> SplitMix64 {
        let mut mix = SplitMix64 {
            state: seed ^ stream.wrapping_mul(0xd1b5_4a32_d192_ed03),
        };
        SplitMix64 {
            state: mix.next_u64(),
        }
    }

    fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A uniform integer in `0..bound` (`bound > 0`), by Lemire's
    /// multiply-shift (the tiny bias is irrelevant for shuffling).
    fn below(&mut self, bound: usize) -> usize {
        ((u128::from(self.next_u64()) * bound as u128) >> 64) as usize
    }

    /// Fisher–Yates shuffle.
    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }
}

#[cfg(test)]
mod tests;
