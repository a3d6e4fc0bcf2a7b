//! UN General Assembly voting alignment: how similarly two states vote, per
//! dyad-year, and how each state leans between the West pole (USA) and the
//! China-Russia pole.
//!
//! Four measures come from the same 3×3 table of the roll calls both states
//! voted on (yes, abstain or no; absence is not a vote and is left out):
//! Voeten's agreement, Signorino and Ritter's S, and Häge's chance-corrected
//! Cohen's kappa and Scott's pi, all with the absolute distance between votes
//! coded yes = 1, abstain = 2, no = 3 over the full category set (so the
//! largest possible distance is always 2, whatever the dyad used). Every
//! count is an integer and each measure is one division of two integers, so
//! results are exact to the last bit and identical for any thread count.
//! docs/methodology.md gives the formulas, sources and a worked example.
//!
//! Before counting, each vote is assigned to the state that held the seat on
//! the roll call's date ([`seat_holder`]): the China seat, the Soviet seat,
//! Yugoslavia's seat, and the states that ended in 1990 to 1992.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use entente_model::{AlignmentScore, CountryId, Date, PoleAlignment, RollCall, UnVote, Vote};
use rayon::prelude::*;

/// What [`alignment`] computes and which votes it keeps.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AlignmentOptions {
    /// Leave out the votes that the Ukrainian and Byelorussian SSRs (`UKR`,
    /// `BLR`) cast before 1991, when they held UN seats without being
    /// sovereign states. Default `false`: they are kept, as in Voeten's data.
    pub exclude_soviet_republics_before_1991: bool,
    /// Only roll calls whose year lies in this inclusive range; `None` for all.
    pub years: Option<(i32, i32)>,
    /// Only dyads with at least one of these states; empty for every dyad.
    pub focus: Vec<CountryId>,
}

/// Why a vote was left out by [`seat_holder`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exclusion {
    /// The voting state no longer existed on the roll call's date (East Germany
    /// after 1990-10-02, South Yemen from 1990-05-22, Czechoslovakia after
    /// 1992-12-31).
    StateEnded,
    /// A Ukrainian or Byelorussian SSR vote before 1991, with
    /// [`AlignmentOptions::exclude_soviet_republics_before_1991`].
    SovietRepublic,
}

fn ymd(date: Date) -> (i32, u32, u32) {
    (date.year(), date.month(), date.day())
}

/// A country id from a literal that is known to be well formed (checked by a test).
fn id(s: &str) -> CountryId {
    CountryId::new(s).expect("literal country ids are three upper-case letters")
}

/// The state that cast a vote recorded for `country` on `date`, by the rules
/// of seat succession in the General Assembly:
///
/// - The China seat (`CHN`, `TWN`): the Republic of China (`TWN`) held it up
///   to and including 1971-10-25 (Resolution 2758; the ROC still voted on the
///   procedural motions of that day), the People's Republic (`CHN`) after.
/// - The Soviet seat (`SUN`, `RUS`): the Soviet Union up to and including
///   1991-12-25, the Russian Federation, which took the seat over, after.
/// - Yugoslavia's seat (`YUG`, `SCG`, `SRB`): the Socialist Federal Republic
///   (`YUG`) up to 1992-04-26, Serbia and Montenegro (`SCG`) up to
///   2006-06-03, Serbia (`SRB`) after.
/// - Germany: West German votes are `DEU` throughout; East German (`DDR`)
///   votes after 1990-10-02 are excluded.
/// - Yemen: North Yemen's votes are `YEM` throughout; South Yemen (`YMD`)
///   votes from 1990-05-22, the day of unification, are excluded.
/// - Czechoslovakia (`CSK`) votes after 1992-12-31 are excluded.
/// - The Ukrainian and Byelorussian SSRs voted in their own seats from 1945:
///   their votes stay `UKR` and `BLR`, unless
///   [`AlignmentOptions::exclude_soviet_republics_before_1991`] asks to leave
///   out those before 1991.
///
/// Every other id is returned as it is.
pub fn seat_holder(
    country: CountryId,
    date: Date,
    options: &AlignmentOptions,
) -> Result<CountryId, Exclusion> {
    let d = ymd(date);
    Ok(match country.as_str() {
        "CHN" | "TWN" if d <= (1971, 10, 25) => id("TWN"),
        "CHN" | "TWN" => id("CHN"),
        "SUN" | "RUS" if d <= (1991, 12, 25) => id("SUN"),
        "SUN" | "RUS" => id("RUS"),
        "YUG" | "SCG" | "SRB" if d <= (1992, 4, 26) => id("YUG"),
        "YUG" | "SCG" | "SRB" if d <= (2006, 6, 3) => id("SCG"),
        "YUG" | "SCG" | "SRB" => id("SRB"),
        "DDR" if d > (1990, 10, 2) => return Err(Exclusion::StateEnded),
        "YMD" if d >= (1990, 5, 22) => return Err(Exclusion::StateEnded),
        "CSK" if d > (1992, 12, 31) => return Err(Exclusion::StateEnded),
        "UKR" | "BLR" if options.exclude_soviet_republics_before_1991 && d.0 < 1991 => {
            return Err(Exclusion::SovietRepublic);
        }
        _ => country,
    })
}

/// The four similarity measures of one table of votes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Similarity {
    /// Roll calls both states voted on (saturating at `u32::MAX`).
    pub votes: u32,
    /// Voeten's agreement, 0 to 1.
    pub agreement: f64,
    /// Signorino and Ritter's S, −1 to 1.
    pub s_score: f64,
    /// Cohen's kappa (distance-weighted); `None` when the expected disagreement is 0.
    pub kappa: Option<f64>,
    /// Scott's pi (distance-weighted); `None` when the expected disagreement is 0.
    pub pi: Option<f64>,
}

/// The similarity of a dyad from its table of votes: `table[i][j]` counts the
/// roll calls on which `a` voted category `i` and `b` category `j`, with
/// categories 0 = yes, 1 = abstain, 2 = no. `None` when the table is empty.
///
/// With `n` the total, `D = Σ table[i][j]·|i − j|`, `r` and `c` the row and
/// column totals and `m = r + c`:
/// agreement = (2n − D) / 2n, S = (n − D) / n,
/// kappa = (E − nD) / E with E = Σ r_i·c_j·|i − j|,
/// pi = (P − 4nD) / P with P = Σ m_i·m_j·|i − j|.
pub fn similarity(table: &[[u32; 3]; 3]) -> Option<Similarity> {
    let mut n = 0u64;
    let mut dist = 0u64;
    let mut row = [0u64; 3];
    let mut col = [0u64; 3];
    for (i, cells) in table.iter().enumerate() {
        for (j, &cell) in cells.iter().enumerate() {
            let c = u64::from(cell);
            n += c;
            dist += c * i.abs_diff(j) as u64;
            row[i] += c;
            col[j] += c;
        }
    }
    if n == 0 {
        return None;
    }
    let mut expected_kappa = 0u128;
    let mut expected_pi = 0u128;
    for i in 0..3usize {
        for j in 0..3usize {
            let w = i.abs_diff(j) as u128;
            expected_kappa += u128::from(row[i]) * u128::from(col[j]) * w;
            expected_pi += u128::from(row[i] + col[i]) * u128::from(row[j] + col[j]) * w;
        }
    }
    let (n128, dist128) = (i128::from(n), i128::from(dist));
    let ratio =
        |num: i128, den: u128| -> Option<f64> { (den > 0).then(|| num as f64 / den as f64) };
    Some(Similarity {
        votes: u32::try_from(n).unwrap_or(u32::MAX),
        agreement: (2 * n - dist) as f64 / (2 * n) as f64,
        s_score: (n128 - dist128) as f64 / n as f64,
        kappa: ratio(expected_kappa as i128 - n128 * dist128, expected_kappa),
        pi: ratio(expected_pi as i128 - 4 * n128 * dist128, expected_pi),
    })
}

/// Votes that [`alignment`] did not count, by reason.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AlignmentSkipped {
    /// Votes on a roll call id that no roll call has.
    pub unknown_roll_call: u64,
    /// Votes on roll calls outside [`AlignmentOptions::years`].
    pub outside_years: u64,
    /// Votes of a state after it ended ([`Exclusion::StateEnded`]).
    pub state_ended: u64,
    /// Soviet-republic votes left out ([`Exclusion::SovietRepublic`]).
    pub soviet_republic: u64,
    /// Second and later votes of the same state on the same roll call (the
    /// first is kept).
    pub duplicate_vote: u64,
    /// Roll calls whose id repeats an earlier one (the first is kept).
    pub duplicate_roll_call: u64,
}

/// What [`alignment`] returns.
#[derive(Debug, Clone, PartialEq)]
pub struct Alignment {
    /// One score per dyad-year with at least one roll call both voted on,
    /// sorted by (year, a, b), with a < b.
    pub scores: Vec<AlignmentScore>,
    /// Votes left out.
    pub skipped: AlignmentSkipped,
}

/// One year's votes as bit sets: for each state and category, bit `k` is set
/// when the state cast that vote on the year's `k`-th roll call.
struct YearVotes {
    year: i32,
    /// Sorted.
    states: Vec<CountryId>,
    /// Words per bit set.
    words: usize,
    /// `states.len() × 3 × words`, state-major.
    bits: Vec<u64>,
}

impl YearVotes {
    fn set(&self, state: usize, category: usize) -> &[u64] {
        let start = (state * 3 + category) * self.words;
        &self.bits[start..start + self.words]
    }

    fn table(&self, a: usize, b: usize) -> [[u32; 3]; 3] {
        let mut t = [[0u32; 3]; 3];
        for (i, cells) in t.iter_mut().enumerate() {
            let x = self.set(a, i);
            for (j, cell) in cells.iter_mut().enumerate() {
                let y = self.set(b, j);
                *cell = x.iter().zip(y).map(|(p, q)| (p & q).count_ones()).sum();
            }
        }
        t
    }

    fn scores(&self, focus: &[CountryId]) -> Vec<AlignmentScore> {
        let in_focus: Vec<bool> = self
            .states
            .iter()
            .map(|s| focus.is_empty() || focus.contains(s))
            .collect();
        let mut out = Vec::new();
        for (i, &a) in self.states.iter().enumerate() {
            for (j, &b) in self.states.iter().enumerate().skip(i + 1) {
                if !(in_focus[i] || in_focus[j]) {
                    continue;
                }
                if let Some(s) = similarity(&self.table(i, j)) {
                    out.push(AlignmentScore {
                        year: self.year,
                        a,
                        b,
                        votes: s.votes,
                        agreement: s.agreement,
                        s_score: s.s_score,
                        kappa: s.kappa,
                        pi: s.pi,
                    });
                }
            }
        }
        out
    }
}

fn category(vote: Vote) -> usize {
    match vote {
        Vote::Yes => 0,
        Vote::Abstain => 1,
        Vote::No => 2,
    }
}

/// Voting similarity of every dyad-year (or of the dyads with a
/// [`AlignmentOptions::focus`] state), in parallel over years. The year is
/// the year of the roll call's date; votes are first assigned to their seat
/// holder ([`seat_holder`]).
pub fn alignment(
    votes: &[UnVote],
    roll_calls: &[RollCall],
    options: &AlignmentOptions,
) -> Alignment {
    let mut skipped = AlignmentSkipped::default();
    let in_range = |year: i32| {
        options
            .years
            .is_none_or(|(lo, hi)| lo <= year && year <= hi)
    };

    // Roll calls by year, in id order; `call` maps an id to its date, or to
    // `None` when the year is filtered out.
    let mut call: HashMap<u32, Option<Date>> = HashMap::new();
    let mut by_year: BTreeMap<i32, Vec<u32>> = BTreeMap::new();
    for rc in roll_calls {
        if call.contains_key(&rc.rcid) {
            skipped.duplicate_roll_call += 1;
            continue;
        }
        let year = rc.date.year();
        let keep = in_range(year);
        call.insert(rc.rcid, keep.then_some(rc.date));
        if keep {
            by_year.entry(year).or_default().push(rc.rcid);
        }
    }
    let mut years: Vec<(i32, Vec<u32>)> = by_year.into_iter().collect();
    let mut slot: HashMap<u32, (usize, usize)> = HashMap::new();
    for (yi, (_, ids)) in years.iter_mut().enumerate() {
        ids.sort_unstable();
        for (k, &rcid) in ids.iter().enumerate() {
            slot.insert(rcid, (yi, k));
        }
    }

    // Votes assigned to seat holders, and each year's voters.
    let mut kept: Vec<(usize, usize, CountryId, usize)> = Vec::with_capacity(votes.len());
    let mut voters: Vec<BTreeSet<CountryId>> = vec![BTreeSet::new(); years.len()];
    for v in votes {
        let date = match call.get(&v.rcid) {
            None => {
                skipped.unknown_roll_call += 1;
                continue;
            }
            Some(None) => {
                skipped.outside_years += 1;
                continue;
            }
            Some(Some(d)) => *d,
        };
        let state = match seat_holder(v.country, date, options) {
            Ok(s) => s,
            Err(Exclusion::StateEnded) => {
                skipped.state_ended += 1;
                continue;
            }
            Err(Exclusion::SovietRepublic) => {
                skipped.soviet_republic += 1;
                continue;
            }
        };
        if let Some(&(yi, k)) = slot.get(&v.rcid) {
            voters[yi].insert(state);
            kept.push((yi, k, state, category(v.vote)));
        }
    }

    let mut matrices: Vec<YearVotes> = years
        .iter()
        .zip(voters)
        .map(|((year, ids), states)| {
            let states: Vec<CountryId> = states.into_iter().collect();
            let words = ids.len().div_ceil(64);
            YearVotes {
                year: *year,
                bits: vec![0; states.len() * 3 * words],
                states,
                words,
            }
        })
        .collect();
    for (yi, k, state, cat) in kept {
        let m = &mut matrices[yi];
        let Ok(s) = m.states.binary_search(&state) else {
            continue;
        };
        let (word, bit) = (k / 64, 1u64 << (k % 64));
        let base = s * 3 * m.words + word;
        if (0..3).any(|c| m.bits[base + c * m.words] & bit != 0) {
            skipped.duplicate_vote += 1;
            continue;
        }
        m.bits[base + cat * m.words] |= bit;
    }

    let per_year: Vec<Vec<AlignmentScore>> = matrices
        .par_iter()
        .map(|m| m.scores(&options.focus))
        .collect();
    Alignment {
        scores: per_year.into_iter().flatten().collect(),
        skipped,
    }
}

/// The states that anchor the poles: `USA` (the West), `CHN`, and the Soviet
/// seat (`SUN` up to 1991-12-25, `RUS` after). Pass them as
/// [`AlignmentOptions::focus`] to compute only the scores [`poles`] needs.
pub fn pole_states() -> Vec<CountryId> {
    ["CHN", "RUS", "SUN", "USA"].into_iter().map(id).collect()
}

/// Each state's yearly agreement with the West pole (USA) and the
/// China-Russia pole (CHN, RUS), and the lean between them, from Voeten
/// agreement scores (typically [`alignment`] with [`pole_states`] as focus).
/// One row per state-year with at least one of the three agreements, sorted
/// by (year, country).
///
/// - `with_usa`: agreement with the United States.
/// - `with_chn`: agreement with the People's Republic of China (none before
///   it held the China seat, from late 1971).
/// - `with_rus`: agreement with the holder of the Soviet seat: Russia, or the
///   Soviet Union in years when Russia did not vote (up to 1991).
/// - `lean = with_usa − (with_chn + with_rus) / 2`, in \[−1, 1\], positive
///   leaning West; `None` unless all three agreements exist. A pole's own row
///   lacks the agreement with itself, so its lean is `None`.
pub fn poles(scores: &[AlignmentScore]) -> Vec<PoleAlignment> {
    // Slots: USA, CHN, RUS, SUN.
    let slot_of = |c: CountryId| match c.as_str() {
        "USA" => Some(0),
        "CHN" => Some(1),
        "RUS" => Some(2),
        "SUN" => Some(3),
        _ => None,
    };
    let mut rows: BTreeMap<(i32, CountryId), [Option<f64>; 4]> = BTreeMap::new();
    for s in scores {
        for (me, other) in [(s.a, s.b), (s.b, s.a)] {
            if let Some(k) = slot_of(other) {
                rows.entry((s.year, me)).or_default()[k] = Some(s.agreement);
            }
        }
    }
    rows.into_iter()
        .map(|((year, country), [usa, chn, rus, sun])| {
            let rus = rus.or(sun);
            let lean = match (usa, chn, rus) {
                (Some(u), Some(c), Some(r)) => Some(u - (c + r) / 2.0),
                _ => None,
            };
            PoleAlignment {
                year,
                country,
                with_usa: usa,
                with_chn: chn,
                with_rus: rus,
                lean,
                regime: None,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests;
