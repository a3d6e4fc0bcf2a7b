//! entente-report
