//! entente-analytics: pure, parallel, deterministic computation on entente-model values.
//!
//! Event aggregation ([`aggregate`]), material capabilities ([`capability`]),
//! network centrality ([`centrality`]), UN voting alignment ([`alignment`]),
//! community detection ([`communities`]), partnership strength ([`partnership`]) and
//! influence ([`influence`]). Every entry point gives bitwise-identical results
//! for any rayon thread count: work is split over entities, floating-point sums
//! run sequentially in a fixed order (or in fixed point), and ties are broken
//! by stable keys.

pub mod aggregate;
pub mod alignment;
pub mod capability;
pub mod centrality;
pub mod communities;
pub mod influence;
pub mod partnership;
pub mod rank;

pub use aggregate::{
    AggregateOptions, EventTable, ReadAt, Run, Skipped, SortedRun, SpilledRun, aggregate_par,
};
