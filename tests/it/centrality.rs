//! PageRank and eigenvector centrality against networkx 3.6.1
//! (`tests/fixtures/centrality`, made by scripts/oracles/centrality.py).

use entente_analytics::centrality::{CentralityOptions, Graph, centrality};
use entente_model::Centrality;

use crate::common::fixture;

const GRAPHS: [&str; 4] = ["small5", "dangling", "random1000", "cow_trade_2014"];

/// The data rows of a fixture CSV, split on commas (the fixtures quote
/// nothing: names have no comma or quote).
fn rows(rel: &str, header: &str) -> Vec<Vec<String>> {
    let path = fixture(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some(header), "{}", path.display());
    lines
        .map(|l| l.split(',').map(str::to_owned).collect())
        .collect()
}

fn graph(name: &str) -> Graph {
    let edges = rows(
        &format!("centrality/{name}.edges.csv"),
        "source,target,weight",
    );
    Graph::from_edges(
        edges
            .into_iter()
            .map(|r| (r[0].clone(), r[1].clone(), r[2].parse().unwrap())),
    )
    .unwrap()
}

/// Largest absolute differences (PageRank, eigenvector) from networkx.
fn max_diffs(name: &str, got: &[Centrality]) -> (f64, f64) {
    let want = rows(
        &format!("centrality/{name}.expected.csv"),
        "node,pagerank,eigenvector",
    );
    assert_eq!(got.len(), want.len(), "{name}");
    let (mut pr, mut ev) = (0.0_f64, 0.0_f64);
    for (g, w) in got.iter().zip(&want) {
        assert_eq!(g.node, w[0], "{name}");
        let want_pr: f64 = w[1].parse().unwrap();
        let want_ev: f64 = w[2].parse().unwrap();
        let got_ev = g
            .eigenvector
            .unwrap_or_else(|| panic!("{name}: no eigenvector"));
        pr = pr.max((g.pagerank - want_pr).abs());
        ev = ev.max((got_ev - want_ev).abs());
    }
    (pr, ev)
}

#[test]
fn centrality_matches_networkx() {
    for name in GRAPHS {
        let g = graph(name);
        let got = centrality(&g, &CentralityOptions::default()).unwrap();
        let (pr, ev) = max_diffs(name, &got);
        eprintln!("{name}: max |Δ pagerank| = {pr:e}, max |Δ eigenvector| = {ev:e}");
        // networkx's own cross-checks agree with it to about 1e-14; the
        // issue asks for 1e-9.
        assert!(pr < 1e-12, "{name}: pagerank differs by {pr:e}");
        assert!(ev < 1e-12, "{name}: eigenvector differs by {ev:e}");
    }
}

/// Facts stated in scripts/oracles/README.md.
#[test]
fn centrality_fixture_facts() {
    let g = graph("cow_trade_2014");
    assert_eq!((g.node_count(), g.edge_count()), (186, 15535));
    let g = graph("random1000");
    assert_eq!((g.node_count(), g.edge_count()), (1000, 5000));
    let rows = centrality(&g, &CentralityOptions::default()).unwrap();
    // Nodes without in-edges get exactly (1 − α)/N + α·D/N.
    for node in ["n0192", "n0202", "n0297", "n0413", "n0817"] {
        let r = rows.iter().find(|r| r.node == node).unwrap();
        assert!(
            (r.pagerank - 0.00015144427508010486).abs() < 1e-15,
            "{node}"
        );
        assert!(r.eigenvector.unwrap().abs() < 1e-15, "{node}");
    }
}

#[test]
fn centrality_bitwise_identical_for_any_thread_count() {
    for name in ["random1000", "cow_trade_2014"] {
        let g = graph(name);
        let run = |threads: usize| {
            let rows = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
                .install(|| centrality(&g, &CentralityOptions::default()).unwrap());
            rows.iter()
                .map(|r| (r.pagerank.to_bits(), r.eigenvector.map(f64::to_bits)))
                .collect::<Vec<_>>()
        };
        let one = run(1);
        for threads in [2, 3, 8] {
            assert_eq!(run(threads), one, "{name}, {threads} threads");
        }
    }
}
