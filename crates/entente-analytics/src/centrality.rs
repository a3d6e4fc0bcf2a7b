//! Network centrality on weighted directed graphs (to be written).
