//! Community detection (to be written).
