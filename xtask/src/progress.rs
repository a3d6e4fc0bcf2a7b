//! A minimal progress bar on standard error, drawn only when it is a terminal.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

/// Draws `label [#####.....] 42%` at most ten times a second.
pub struct Progress {
    label: String,
    enabled: bool,
    last: Option<Instant>,
}

impl Progress {
    /// A bar for one step.
    pub fn new(label: impl Into<String>) -> Progress {
        Progress {
            label: label.into(),
            enabled: std::io::stderr().is_terminal(),
            last: None,
        }
    }

    /// Updates the bar.
    pub fn set(&mut self, done: u64, total: u64) {
        if !self.enabled || total == 0 {
            return;
        }
        let now = Instant::now();
        if self
            .last
            .is_some_and(|t| now - t < Duration::from_millis(100))
            && done < total
        {
            return;
        }
        self.last = Some(now);
        let frac = (done as f64 / total as f64).clamp(0.0, 1.0);
        let filled = (frac * 30.0) as usize;
        let mut err = std::io::stderr().lock();
        let _ = write!(
            err,
            "\r{:<28} [{}{}] {:>3}%",
            self.label,
            "#".repeat(filled),
            ".".repeat(30 - filled),
            (frac * 100.0) as u32
        );
        let _ = err.flush();
    }

    /// Clears the line.
    pub fn finish(&mut self) {
        if self.enabled && self.last.is_some() {
            let _ = write!(std::io::stderr(), "\r{:<70}\r", "");
        }
    }
}
