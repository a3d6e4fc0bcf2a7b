//! `cargo xtask centrality --edges FILE`: PageRank and eigenvector centrality
//! of a weighted directed graph given as CSV `source,target,weight`, printed
//! as CSV `node,pagerank,eigenvector` sorted by node.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, bail};
use entente_analytics::centrality::{CentralityOptions, Graph, centrality};

/// Reads the edge list, computes both centralities with the default options
/// (docs/methodology.md, section 5) and writes them to stdout. The
/// eigenvector column is left empty, with a note on stderr, when that power
/// iteration does not converge.
pub fn run(edges: &Path) -> anyhow::Result<ExitCode> {
    let rows = read_edges(edges)?;
    let graph = Graph::from_edges(rows).with_context(|| format!("{}", edges.display()))?;
    let opts = CentralityOptions::default();
    let scores = centrality(&graph, &opts)?;
    if scores.iter().any(|s| s.eigenvector.is_none()) {
        eprintln!(
            "note: eigenvector centrality did not converge within {} iterations \
             (tolerance {} per node); the eigenvector column is empty",
            opts.eigenvector.max_iter, opts.eigenvector.tol
        );
    }
    let mut out = csv::Writer::from_writer(std::io::stdout().lock());
    out.write_record(["node", "pagerank", "eigenvector"])?;
    for s in &scores {
        let eigenvector = s.eigenvector.map(|v| v.to_string()).unwrap_or_default();
        out.write_record([s.node.as_str(), &s.pagerank.to_string(), &eigenvector])?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// The `(source, target, weight)` rows of `path`, each checked, with errors
/// naming `file:line`.
fn read_edges(path: &Path) -> anyhow::Result<Vec<(String, String, f64)>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_path(path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    let header = reader
        .headers()
        .with_context(|| format!("{}:1: cannot read the header", path.display()))?;
    if header != vec!["source", "target", "weight"] {
        bail!(
            "{}:1: expected the header `source,target,weight`, found `{}`",
            path.display(),
            header.iter().collect::<Vec<_>>().join(",")
        );
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.with_context(|| format!("{}: malformed CSV", path.display()))?;
        let line = record.position().map_or(0, |p| p.line());
        let at = || format!("{}:{line}", path.display());
        let [source, target, weight] = [0, 1, 2].map(|i| record.get(i).unwrap_or("").trim());
        if record.len() != 3 {
            bail!("{}: expected 3 fields, found {}", at(), record.len());
        }
        if source.is_empty() || target.is_empty() {
            bail!("{}: empty node name", at());
        }
        let w: f64 = weight
            .parse()
            .with_context(|| format!("{}: weight `{weight}` is not a number", at()))?;
        if !w.is_finite() || w < 0.0 {
            bail!(
                "{}: weight `{weight}` must be finite and non-negative",
                at()
            );
        }
        rows.push((source.to_owned(), target.to_owned(), w));
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_err(text: &str, want: &str) {
        let dir =
            std::env::temp_dir().join(format!("entente-xtask-centrality-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(format!("{}.csv", want.len()));
        std::fs::write(&path, text).unwrap();
        let err = format!("{:#}", read_edges(&path).unwrap_err());
        std::fs::remove_file(&path).unwrap();
        assert!(err.contains(want), "{err}");
    }

    #[test]
    fn bad_rows_name_file_and_line() {
        check_err("source,weight\n", "expected the header");
        check_err(
            "source,target,weight\na,b,1\na,b,x\n",
            ".csv:3: weight `x` is not a number",
        );
        check_err(
            "source,target,weight\na,b,-1\n",
            ".csv:2: weight `-1` must be finite",
        );
        check_err(
            "source,target,weight\na,b,1\n,b,1\n",
            ".csv:3: empty node name",
        );
        check_err("source,target,weight\na,b,1,2\n", "malformed CSV");
    }
}
