//! entente-analytics
