//! Modularity and Louvain communities against networkx 3.6.1
//! (`tests/fixtures/louvain`, made by scripts/oracles/louvain.py).

use entente_analytics::centrality::Graph;
use entente_analytics::communities::{LouvainOptions, UndirectedGraph, louvain, modularity};

use crate::common::fixture;

const GRAPHS: [&str; 3] = ["karate", "planted200", "cow_trade_2014"];

/// `(source, target, weight)` rows of an edge-list fixture (no quoting).
fn edges(rel: &str) -> Vec<(String, String, f64)> {
    let text = std::fs::read_to_string(fixture(rel)).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("source,target,weight"), "{rel}");
    lines
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (f[0].to_owned(), f[1].to_owned(), f[2].parse().unwrap())
        })
        .collect()
}

fn graph(name: &str) -> UndirectedGraph {
    UndirectedGraph::from_edges(edges(&format!("louvain/{name}.edges.csv"))).unwrap()
}

fn expected(name: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(fixture(&format!("louvain/{name}.louvain.json"))).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn communities(value: &serde_json::Value) -> Vec<Vec<String>> {
    serde_json::from_value(value.clone()).unwrap()
}

#[test]
fn modularity_equals_networkx() {
    for name in GRAPHS {
        let g = graph(name);
        let want = expected(name);
        assert_eq!(g.node_count() as u64, want["nodes"].as_u64().unwrap());
        assert_eq!(g.edge_count() as u64, want["edges"].as_u64().unwrap());
        let q = modularity(&g, &communities(&want["communities"]), 1.0).unwrap();
        let nx = want["modularity"].as_f64().unwrap();
        eprintln!("{name}: modularity {q} vs networkx {nx} (Δ = {:e})", q - nx);
        assert!((q - nx).abs() < 1e-12, "{name}: {q} vs {nx}");
        if let Some(planted) = want.get("planted_communities") {
            let q = modularity(&g, &communities(planted), 1.0).unwrap();
            let nx = want["planted_modularity"].as_f64().unwrap();
            assert!((q - nx).abs() < 1e-12, "{name} planted: {q} vs {nx}");
        }
    }
}

/// The issue asks for at least networkx's `louvain_communities(seed=42)`.
#[test]
fn louvain_at_least_networkx() {
    for name in GRAPHS {
        let g = graph(name);
        let want = expected(name);
        let part = louvain(&g, &LouvainOptions::default()).unwrap();
        let nx = want["modularity"].as_f64().unwrap();
        let best = want["best_modularity"].as_f64().unwrap();
        eprintln!(
            "{name}: louvain {} ({} communities) vs networkx seed 42 {nx}, best of 20 seeds {best}",
            part.modularity,
            part.communities.len()
        );
        assert!(part.modularity >= nx - 1e-9, "{name}: {}", part.modularity);
        // The partition is one, ordered as documented, and its modularity is
        // what `modularity` says.
        let q = modularity(&g, &part.communities, 1.0).unwrap();
        assert!((q - part.modularity).abs() < 1e-14, "{name}");
        for c in &part.communities {
            assert!(c.is_sorted(), "{name}");
        }
        assert!(
            part.communities
                .is_sorted_by(|a, b| { a.len() > b.len() || (a.len() == b.len() && a[0] < b[0]) })
        );
    }
}

/// The undirected trade graph (flow1 + flow2) is the directed imports graph
/// with both directions summed.
#[test]
fn from_directed_equals_total_trade() {
    let directed = Graph::from_edges(edges("centrality/cow_trade_2014.edges.csv")).unwrap();
    let undirected = UndirectedGraph::from_directed(&directed).unwrap();
    assert_eq!(undirected, graph("cow_trade_2014"));
}

#[test]
fn louvain_bitwise_identical_for_any_thread_count() {
    for name in ["planted200", "cow_trade_2014"] {
        let g = graph(name);
        let run = |threads: usize| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
                .install(|| louvain(&g, &LouvainOptions::default()).unwrap())
        };
        let one = run(1);
        for threads in [2, 3, 8] {
            let other = run(threads);
            assert_eq!(other.communities, one.communities, "{name}, {threads}");
            assert_eq!(other.modularity.to_bits(), one.modularity.to_bits());
        }
    }
}
