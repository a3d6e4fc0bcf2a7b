//! entente-ingest
