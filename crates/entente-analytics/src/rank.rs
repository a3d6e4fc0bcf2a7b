//! Shared helpers: within-group percentile ranks, a seeded random stream, and
//! Spearman rank correlation.

/// Mid-rank percentiles of `values` in \[0, 1\]: the share of values strictly
/// below plus half the share equal (so ties share a rank, and the scale does
/// not depend on outliers). `NaN`s are not allowed (inputs are validated).
pub struct Percentiles {
    sorted: Vec<f64>,
}

impl Percentiles {
    /// Builds the reference distribution.
    pub fn new(mut values: Vec<f64>) -> Percentiles {
        values.sort_by(f64::total_cmp);
        Percentiles { sorted: values }
    }

    /// The mid-rank percentile of `x` within the distribution.
    pub fn of(&self, x: f64) -> f64 {
        let n = self.sorted.len();
        if n == 0 {
            return 0.5;
        }
        let below = self.sorted.partition_point(|v| v.total_cmp(&x).is_lt());
        let upto = self.sorted.partition_point(|v| v.total_cmp(&x).is_le());
        (below as f64 + 0.5 * (upto - below) as f64) / n as f64
    }
}

/// SplitMix64 (Steele, Lea and Flood 2014): a small, well-mixed generator whose
/// stream is fully determined by its seed.
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// A stream from a seed.
    pub fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }
    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// A uniform draw in \[0, 1).
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// FNV-1a of a key, to derive an item's random stream from the run seed and
/// the item's stable key (never from thread or iteration order).
pub fn stream_seed(run_seed: u64, key: &str) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325u64 ^ run_seed;
    for b in key.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01B3);
    }
    h
}

/// Spearman's rank correlation of two equally long samples (mid-ranks for ties).
pub fn spearman(x: &[f64], y: &[f64]) -> Option<f64> {
    if x.len() != y.len() || x.len() < 3 {
        return None;
    }
    let rx = ranks(x);
    let ry = ranks(y);
    let n = x.len() as f64;
    let mx = rx.iter().sum::<f64>() / n;
    let my = ry.iter().sum::<f64>() / n;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in rx.iter().zip(&ry) {
        sxy += (a - mx) * (b - my);
        sxx += (a - mx).powi(2);
        syy += (b - my).powi(2);
    }
    (sxx > 0.0 && syy > 0.0).then(|| sxy / (sxx * syy).sqrt())
}

fn ranks(v: &[f64]) -> Vec<f64> {
    let mut idx: Vec<usize> = (0..v.len()).collect();
    idx.sort_by(|&a, &b| v[a].total_cmp(&v[b]).then(a.cmp(&b)));
    let mut out = vec![0.0; v.len()];
    let mut i = 0;
    while i < idx.len() {
        let mut j = i;
        while j + 1 < idx.len() && v[idx[j + 1]] == v[idx[i]] {
            j += 1;
        }
        let r = (i + j) as f64 / 2.0 + 1.0;
        for k in &idx[i..=j] {
            out[*k] = r;
        }
        i = j + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn midrank_percentiles() {
        let p = Percentiles::new(vec![1.0, 2.0, 2.0, 4.0]);
        assert_eq!(p.of(1.0), 0.125);
        assert_eq!(p.of(2.0), 0.5);
        assert_eq!(p.of(4.0), 0.875);
        assert_eq!(p.of(3.0), 0.75);
        assert_eq!(p.of(0.0), 0.0);
    }

    #[test]
    fn spearman_of_monotone_and_reversed() {
        let x = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(spearman(&x, &[10.0, 20.0, 30.0, 40.0]), Some(1.0));
        assert_eq!(spearman(&x, &[4.0, 3.0, 2.0, 1.0]), Some(-1.0));
    }

    #[test]
    fn streams_depend_only_on_seed_and_key() {
        let a = SplitMix64::new(stream_seed(7, "CHN|RUS|2014")).next_u64();
        let b = SplitMix64::new(stream_seed(7, "CHN|RUS|2014")).next_u64();
        let c = SplitMix64::new(stream_seed(7, "CHN|USA|2014")).next_u64();
        assert_eq!(a, b);
        assert_ne!(a, c);
    }
}
