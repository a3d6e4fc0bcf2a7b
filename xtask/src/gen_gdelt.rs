//! `cargo xtask gen-gdelt`: a deterministic synthetic GDELT 2.0 event export.
//!
//! The rows look like real GDELT 2.0 (61 tab-separated columns, about 400
//! bytes a row): actor country codes are real CAMEO codes from the country
//! registry with Zipf-like frequencies (United States, China, Russia first),
//! about 15% of the dyadic rows are domestic, about 20% of the rows lack an
//! actor country, event codes are real CAMEO codes with their codebook
//! Goldstein value and GDELT quad class, dates run from 2015-02-18 to
//! 2024-12-31 ordered by DATEADDED, and each row carries three geo blocks with
//! FIPS codes and a source URL. Benchmarks then need nothing but cargo.
//!
//! Determinism: rows are drawn in blocks of [`BLOCK`] rows, block `k` from a
//! SplitMix64 stream seeded by `(seed, k)`, so the bytes depend only on the
//! row count and the seed, never on the thread count.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use entente_analytics::rank::SplitMix64;
use entente_model::{CameoCode, CameoSlot, CodeSystem, Countries, QuadScheme};
use rayon::prelude::*;

/// Rows per independently seeded block.
pub const BLOCK: u64 = 16_384;

/// First and last day of the synthetic data (GDELT 2.0 starts on 2015-02-18).
const FIRST_DAY: i64 = 16_484; // 2015-02-18, days since 1970-01-01
const LAST_DAY: i64 = 20_088; // 2024-12-31

/// The most frequent actor countries of real GDELT, in rank order (ISO3 ids);
/// every other current state with a CAMEO code follows in registry order.
const TOP: &[&str] = &[
    "USA", "CHN", "RUS", "GBR", "ISR", "IND", "UKR", "FRA", "DEU", "IRN", "PAK", "AUS", "CAN",
    "JPN", "TUR", "SYR", "NGA", "AFG", "KOR", "PRK", "SAU", "PHL", "EGY", "IRQ", "ZAF", "ITA",
    "MEX", "BRA", "PSE", "ESP", "LBN", "KEN", "IDN", "YEM", "MYS", "VEN", "QAT", "ARE", "LBY",
    "BGD", "IRL", "POL", "NZL", "SGP", "GRC", "TWN", "VNM", "THA", "SDN", "ETH",
];

/// Relative frequency of the 20 CAMEO root codes in GDELT (statements, consults
/// and appeals most frequent; mass violence rare).
const ROOT_WEIGHT: [f64; 20] = [
    0.200, 0.070, 0.070, 0.210, 0.080, 0.020, 0.025, 0.025, 0.015, 0.015, 0.060, 0.015, 0.020,
    0.015, 0.005, 0.015, 0.060, 0.040, 0.070, 0.002,
];

const TYPES: &[(&str, &str)] = &[
    ("GOV", "GOVERNMENT"),
    ("GOV", "PRESIDENT"),
    ("GOV", "PRIME MINISTER"),
    ("GOV", "MINISTRY"),
    ("MIL", "MILITARY"),
    ("MIL", "SOLDIER"),
    ("COP", "POLICE"),
    ("BUS", "COMPANY"),
    ("MED", "JOURNALIST"),
    ("OPP", "OPPOSITION"),
    ("CVL", "CITIZEN"),
    ("JUD", "COURT"),
    ("LEG", "PARLIAMENT"),
    ("EDU", "STUDENT"),
    ("REB", "REBEL"),
    ("ELI", "LEADER"),
    ("LAB", "WORKER"),
    ("REF", "REFUGEE"),
];

const WORDS: &[&str] = &[
    "government",
    "minister",
    "president",
    "police",
    "army",
    "says",
    "talks",
    "deal",
    "trade",
    "economy",
    "election",
    "protest",
    "court",
    "report",
    "war",
    "peace",
    "border",
    "security",
    "military",
    "leader",
    "official",
    "crisis",
    "vote",
    "party",
    "rebels",
    "ceasefire",
    "sanctions",
    "aid",
    "visit",
    "meeting",
    "summit",
    "killed",
    "arrested",
    "calls",
    "urges",
    "warns",
    "rejects",
    "agrees",
    "signs",
    "plan",
    "policy",
    "budget",
    "energy",
    "oil",
    "gas",
    "climate",
    "health",
    "school",
    "workers",
    "strike",
    "prices",
    "market",
    "bank",
    "growth",
    "investment",
    "foreign",
    "defence",
    "nuclear",
    "missile",
    "drone",
    "troops",
    "refugees",
    "rights",
    "opposition",
    "parliament",
    "law",
    "ruling",
    "trial",
    "release",
    "treaty",
    "alliance",
    "bilateral",
    "ties",
    "relations",
    "conflict",
    "fighting",
    "flood",
    "relief",
];

const SECTIONS: &[&str] = &[
    "news",
    "world",
    "politics",
    "national",
    "international",
    "local",
    "business",
    "article",
    "story",
    "nation",
    "africa",
    "asia",
    "europe",
    "middle-east",
    "opinion",
    "region",
];

const SYLLABLES: &[&str] = &[
    "ka", "ra", "to", "mi", "na", "li", "sa", "be", "do", "ru", "ve", "la", "no", "ti", "ma", "ko",
    "se", "ha", "pe", "ri", "lo", "an", "el", "or", "mar", "ber", "sal", "tor", "vil", "gra",
    "bur", "ston", "ham", "ford", "dal", "port", "lin", "mont", "val", "ros",
];

/// Uniform draws in [0, n) on analytics' SplitMix64 stream.
trait Below {
    /// Uniform in [0, n), from the top 32 bits of a draw.
    fn below(&mut self, n: usize) -> usize;
}

impl Below for SplitMix64 {
    fn below(&mut self, n: usize) -> usize {
        (((self.next_u64() >> 32) * n as u64) >> 32) as usize
    }
}

/// An inverse-CDF categorical distribution.
struct Cdf(Vec<f64>);

impl Cdf {
    fn new(weights: impl IntoIterator<Item = f64>) -> Cdf {
        let mut acc = 0.0;
        let mut c: Vec<f64> = weights
            .into_iter()
            .map(|w| {
                acc += w;
                acc
            })
            .collect();
        for x in &mut c {
            *x /= acc;
        }
        if let Some(last) = c.last_mut() {
            *last = 1.0;
        }
        Cdf(c)
    }
    fn draw(&self, rng: &mut SplitMix64) -> usize {
        let u = rng.next_f64();
        self.0.partition_point(|&c| c <= u).min(self.0.len() - 1)
    }
}

/// One actor country: pre-rendered actor blocks (the 10 actor
/// columns) and locations (the 7 geo columns after the type).
struct Place {
    actors: Vec<String>,
    locations: Vec<String>,
}

/// The lookup tables shared by all blocks.
struct World {
    places: Vec<Place>,
    place_cdf: Cdf,
    /// Actor blocks without a country code.
    stateless: Vec<String>,
    /// `EventCode\tEventBaseCode\tEventRootCode\tQuadClass\tGoldsteinScale`.
    events: Vec<String>,
    event_cdf: Cdf,
    domains: Vec<String>,
    domain_cdf: Cdf,
}

fn title(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut up = true;
    for ch in s.chars() {
        if up {
            out.extend(ch.to_uppercase());
        } else {
            out.extend(ch.to_lowercase());
        }
        up = !ch.is_alphanumeric();
    }
    out
}

fn name_word(rng: &mut SplitMix64) -> String {
    let n = 2 + rng.below(2);
    let w: String = (0..n)
        .map(|_| SYLLABLES[rng.below(SYLLABLES.len())])
        .collect();
    title(&w)
}

impl World {
    fn new(seed: u64) -> World {
        let mut rng = SplitMix64::new(seed ^ 0xC0FF_EE00_D15E_A5E5);
        let reg = Countries::global();
        // Current states and territories whose CAMEO code resolves back to them.
        let mut states: Vec<(String, String, String)> = Vec::new();
        for c in reg.all() {
            if c.end.is_some() {
                continue;
            }
            let Some(cameo) = c.code(CodeSystem::Cameo, None) else {
                continue;
            };
            if reg.cameo_slot(cameo.as_bytes()) != CameoSlot::State(c.id) {
                continue;
            }
            let fips = c
                .code(CodeSystem::Fips, None)
                .map_or_else(|| cameo[..2].to_owned(), str::to_owned);
            states.push((cameo.to_owned(), c.name.clone(), fips));
        }
        // A stable sort keeps registry order after the ranked ones.
        states.sort_by_key(|(code, _, _)| TOP.iter().position(|t| t == code).unwrap_or(TOP.len()));
        // CAMEO regional codes (EUR, AFR, MEA, ...) are rarer than most states.
        let mut codes: Vec<(String, String, String)> = states;
        let regions: Vec<(String, String, String)> = reg
            .pseudo_codes()
            .iter()
            .filter(|p| p.kind == "region")
            .map(|p| (p.code.clone(), p.label.to_uppercase(), String::new()))
            .collect();
        let at = codes.len().min(60);
        codes.splice(at..at, regions);

        let mut places = Vec::with_capacity(codes.len());
        for (cameo, name, fips) in &codes {
            let name_up = name.to_uppercase();
            let mut actors = vec![format!("{cameo}\t{name_up}\t{cameo}\t\t\t\t\t\t\t"); 6];
            for _ in 0..10 {
                let (t, role) = TYPES[rng.below(TYPES.len())];
                let rel = ["", "", "", "", "CHR", "MOS", "JEW", "HIN", "BUD"][rng.below(9)];
                let t2 = if rng.next_f64() < 0.15 {
                    TYPES[rng.below(TYPES.len())].0
                } else {
                    ""
                };
                let nm = if rng.next_f64() < 0.7 { role } else { &name_up };
                actors.push(format!(
                    "{cameo}{t}\t{nm}\t{cameo}\t\t\t{rel}\t\t{t}\t{t2}\t"
                ));
            }
            let mut locations = Vec::new();
            if !fips.is_empty() {
                let lat0 = -50.0 + rng.next_f64() * 110.0;
                let lon0 = -170.0 + rng.next_f64() * 340.0;
                let cn = title(name);
                locations.push(format!(
                    "1\t{cn}\t{fips}\t{fips}\t\t{lat0:.4}\t{lon0:.4}\t{fips}"
                ));
                for _ in 0..(if places.len() < 20 { 40 } else { 12 }) {
                    let region = name_word(&mut rng);
                    let adm1 = format!("{fips}{:02}", rng.below(90) + 1);
                    let lat = lat0 + (rng.next_f64() - 0.5) * 8.0;
                    let lon = lon0 + (rng.next_f64() - 0.5) * 8.0;
                    if rng.next_f64() < 0.35 {
                        let ty = if cameo == "USA" { 2 } else { 5 };
                        locations.push(format!(
                            "{ty}\t{region}, {cn}\t{fips}\t{adm1}\t\t{lat:.4}\t{lon:.4}\t{adm1}"
                        ));
                    } else {
                        let ty = if cameo == "USA" { 3 } else { 4 };
                        let city = name_word(&mut rng);
                        let adm2 = rng.below(90_000) + 10_000;
                        let fid = rng.below(3_000_000) as i64 - 600_000;
                        locations.push(format!(
                            "{ty}\t{city}, {region}, {cn}\t{fips}\t{adm1}\t{adm2}\t{lat:.4}\t{lon:.4}\t{fid}"
                        ));
                    }
                }
            }
            places.push(Place { actors, locations });
        }
        let place_cdf = Cdf::new((1..=places.len()).map(|r| 1.0 / (r as f64).powf(1.2)));

        let mut stateless = vec!["\t".repeat(9); 10];
        for (t, role) in TYPES {
            stateless.push(format!("{t}\t{role}\t\t\t\t\t\t{t}\t\t"));
        }

        let mut events = Vec::new();
        let mut weights = Vec::new();
        // GDELT writes event codes with three or four digits ("010", "0211").
        let codes: Vec<CameoCode> = CameoCode::all().filter(|c| c.as_str().len() >= 3).collect();
        for code in &codes {
            let s = code.as_str();
            let root = code.root();
            let siblings = codes.iter().filter(|c| c.root() == root).count() as f64;
            // The base code of a root ("040") is the most common in GDELT.
            let within = if s.len() == 3 && s.ends_with('0') {
                8.0
            } else {
                1.0
            };
            let quad = code.quad(QuadScheme::Gdelt).number();
            events.push(format!(
                "{s}\t{}\t{}\t{quad}\t{:.1}",
                &s[..3],
                &s[..2],
                code.goldstein()
            ));
            weights.push(ROOT_WEIGHT[usize::from(root - 1)] * within / (siblings + 7.0));
        }
        let event_cdf = Cdf::new(weights);

        let tlds = [
            ".com", ".com", ".com", ".com", ".com", ".co.uk", ".com.au", ".org", ".net", ".in",
            ".ca", ".co.za", ".ie", ".de", ".fr",
        ];
        let domains: Vec<String> = (0..2000)
            .map(|_| {
                let pre = if rng.next_f64() < 0.7 { "www." } else { "" };
                let a = WORDS[rng.below(WORDS.len())];
                let b = if rng.next_f64() < 0.5 {
                    WORDS[rng.below(WORDS.len())]
                } else {
                    ""
                };
                format!("{pre}{a}{b}{}", tlds[rng.below(tlds.len())])
            })
            .collect();
        let domain_cdf = Cdf::new((1..=domains.len()).map(|r| 1.0 / (r as f64).powf(0.9)));
        World {
            places,
            place_cdf,
            stateless,
            events,
            event_cdf,
            domains,
            domain_cdf,
        }
    }
}

/// Year, month, day of a day count since 1970-01-01 (the generator's days
/// all lie within 2015-2024, well inside what a `Date` allows).
fn civil(days: i64) -> (i64, i64, i64) {
    entente_model::Date::from_days_since_epoch(days).map_or((1970, 1, 1), |d| {
        (
            i64::from(d.year()),
            i64::from(d.month()),
            i64::from(d.day()),
        )
    })
}

/// Day of the year, 1-based.
fn day_of_year(y: i64, m: i64, d: i64) -> i64 {
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let before = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334][(m - 1) as usize];
    before + d + i64::from(leap && m > 2)
}

/// Geometric count >= 1 with success probability `p`.
fn geometric(rng: &mut SplitMix64, p: f64) -> u64 {
    1 + ((1.0 - rng.next_f64()).ln() / (1.0 - p).ln()).floor() as u64
}

/// Appends rows `start..start + n` of a file of `total` rows to `out`.
fn block(world: &World, seed: u64, k: u64, start: u64, n: u64, total: u64, out: &mut Vec<u8>) {
    let mut rng = SplitMix64::new(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ k);
    let span = (LAST_DAY - FIRST_DAY + 1) as f64;
    let empty_geo = "0\t\t\t\t\t\t\t";
    for i in start..start + n {
        // Rows ordered by DATEADDED, like concatenated 15-minute export files.
        let t = (i as f64 + rng.next_f64()) / total as f64 * span;
        let added_day = FIRST_DAY + (t as i64).min(LAST_DAY - FIRST_DAY);
        let slot = ((t - t.floor()) * 96.0) as i64;
        let u = rng.next_f64();
        let lag = if u < 0.75 {
            0
        } else if u < 0.92 {
            1 + rng.below(7) as i64
        } else if u < 0.98 {
            8 + rng.below(358) as i64
        } else {
            366 + rng.below(2500) as i64
        };
        let ev_day = (added_day - lag).max(FIRST_DAY);
        let (y, m, d) = civil(ev_day);
        let (ay, am, ad) = civil(added_day);
        let id = 410_000_000 + i * 3 + rng.below(3) as u64;

        let c1 = world.place_cdf.draw(&mut rng);
        let c2 = if rng.next_f64() < 0.15 {
            c1
        } else {
            world.place_cdf.draw(&mut rng)
        };
        let e1 = rng.next_f64() < 0.10;
        let e2 = rng.next_f64() < 0.11;
        let p1 = &world.places[c1];
        let p2 = &world.places[c2];
        let a1 = if e1 {
            &world.stateless[rng.below(world.stateless.len())]
        } else {
            &p1.actors[rng.below(p1.actors.len())]
        };
        let a2 = if e2 {
            &world.stateless[rng.below(world.stateless.len())]
        } else {
            &p2.actors[rng.below(p2.actors.len())]
        };
        let ev = &world.events[world.event_cdf.draw(&mut rng)];
        let root = u8::from(rng.next_f64() < 0.55);
        let mut articles = geometric(&mut rng, 0.35);
        if rng.next_f64() < 0.02 {
            articles *= 2 + rng.below(40) as u64;
        }
        let mentions = articles + geometric(&mut rng, 0.6) - 1;
        let sources = articles.min(geometric(&mut rng, 0.75));
        // Tone ~ N(-2.2, 3.3) by Box-Muller, clipped like GDELT's range.
        let z = (-2.0 * (1.0 - rng.next_f64()).ln()).sqrt()
            * (2.0 * std::f64::consts::PI * rng.next_f64()).cos();
        let tone = sig15((-2.2 + 3.3 * z).clamp(-30.0, 25.0));

        let other = &world.places[world.place_cdf.draw(&mut rng)];
        let loc = |p: &Place, rng: &mut SplitMix64| -> String {
            if p.locations.is_empty() {
                empty_geo.to_owned()
            } else {
                p.locations[rng.below(p.locations.len())].clone()
            }
        };
        let g1 = match rng.next_f64() {
            g if g < 0.12 => empty_geo.to_owned(),
            g if g < 0.80 && !e1 => loc(p1, &mut rng),
            _ => loc(other, &mut rng),
        };
        let g2 = match rng.next_f64() {
            g if g < 0.25 || (e2 && g < 0.6) => empty_geo.to_owned(),
            g if g < 0.85 && !e2 => loc(p2, &mut rng),
            _ => loc(other, &mut rng),
        };
        let ga = match rng.next_f64() {
            g if g < 0.6 && g1 != empty_geo => g1.clone(),
            g if g < 0.9 && g2 != empty_geo => g2.clone(),
            g if g < 0.93 => empty_geo.to_owned(),
            _ => loc(other, &mut rng),
        };

        let domain = &world.domains[world.domain_cdf.draw(&mut rng)];
        let section = SECTIONS[rng.below(SECTIONS.len())];
        let nwords = 4 + rng.below(8);
        let mut slug = String::new();
        for w in 0..nwords {
            if w > 0 {
                slug.push('-');
            }
            slug.push_str(WORDS[rng.below(WORDS.len())]);
        }
        let uid = 10_000_000 + rng.below(90_000_000);
        let url = match rng.below(4) {
            0 => format!("https://{domain}/{section}/{ay}/{am:02}/{ad:02}/{slug}/"),
            1 => format!("https://{domain}/{section}/{slug}-{uid}"),
            2 => format!("https://{domain}/{section}/{ay}{am:02}{ad:02}/{slug}.html"),
            _ => format!("https://{domain}/article/{uid}/{slug}"),
        };
        let frac = y as f64 + day_of_year(y, m, d) as f64 / 365.0;
        let (hh, mm) = (slot / 4, (slot % 4) * 15);
        // Writing into a Vec cannot fail.
        let _ = writeln!(
            out,
            "{id}\t{y}{m:02}{d:02}\t{y}{m:02}\t{y}\t{frac:.4}\t{a1}\t{a2}\t{root}\t{ev}\t\
             {mentions}\t{sources}\t{articles}\t{tone}\t{g1}\t{g2}\t{ga}\t\
             {ay}{am:02}{ad:02}{hh:02}{mm:02}00\t{url}"
        );
    }
}

/// A number with 15 significant digits and no trailing zeros, as GDELT writes
/// AvgTone (`-3.92156862745098`) and as the peers' generator does (`%.15g`),
/// for the magnitudes a tone has (no exponent form).
fn sig15(x: f64) -> String {
    if x == 0.0 || !x.is_finite() {
        return "0".to_owned();
    }
    // The decimal exponent after rounding to 15 digits.
    let e = format!("{x:.14e}");
    let exp: i32 = e
        .rsplit('e')
        .next()
        .and_then(|p| p.parse().ok())
        .unwrap_or(0);
    let decimals = (14 - exp).max(0) as usize;
    let mut s = format!("{x:.decimals$}");
    if s.contains('.') {
        s.truncate(s.trim_end_matches('0').trim_end_matches('.').len());
    }
    s
}

/// Writes `rows` rows for `seed` to `w`; returns the bytes written.
pub fn write_rows(rows: u64, seed: u64, w: &mut dyn Write) -> std::io::Result<u64> {
    let world = World::new(seed);
    let blocks = rows.div_ceil(BLOCK);
    let batch = (rayon::current_num_threads() * 4).max(1) as u64;
    let mut written = 0u64;
    let mut k0 = 0;
    while k0 < blocks {
        let k1 = (k0 + batch).min(blocks);
        let parts: Vec<Vec<u8>> = (k0..k1)
            .into_par_iter()
            .map(|k| {
                let start = k * BLOCK;
                let n = BLOCK.min(rows - start);
                let mut out = Vec::with_capacity(n as usize * 420);
                block(&world, seed, k, start, n, rows, &mut out);
                out
            })
            .collect();
        for p in parts {
            w.write_all(&p)?;
            written += p.len() as u64;
        }
        k0 = k1;
    }
    Ok(written)
}

/// Writes a file atomically (a temporary name, then a rename).
pub fn write_file(rows: u64, seed: u64, out: &Path) -> anyhow::Result<u64> {
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("creating `{}`", dir.display()))?;
    }
    let tmp = out.with_extension("partial");
    let file = File::create(&tmp).with_context(|| format!("creating `{}`", tmp.display()))?;
    let mut w = BufWriter::with_capacity(1 << 20, file);
    let n =
        write_rows(rows, seed, &mut w).with_context(|| format!("writing `{}`", tmp.display()))?;
    w.flush()?;
    drop(w);
    std::fs::rename(&tmp, out).with_context(|| format!("renaming to `{}`", out.display()))?;
    Ok(n)
}

/// `cargo xtask gen-gdelt`.
pub fn run(rows: u64, seed: u64, out: &Path) -> anyhow::Result<ExitCode> {
    let t0 = std::time::Instant::now();
    let n = write_file(rows, seed, out)?;
    eprintln!(
        "wrote {rows} rows, {n} bytes ({:.1} B/row) to {} in {:.1}s",
        n as f64 / rows.max(1) as f64,
        out.display(),
        t0.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests;
