//! `cargo xtask report`: the whole pipeline on a data folder with a manifest.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, bail};
use entente_analytics::alignment::{AlignmentOptions, alignment, pole_states, poles};
use entente_analytics::communities::{LouvainOptions, Partition, UndirectedGraph, louvain};
use entente_analytics::influence::{InfluenceInputs, influence};
use entente_analytics::partnership::{
    EventChannels, PartnershipOptions, Structural, Weights, partnership, sensitivity,
};
use entente_analytics::{AggregateOptions, EventTable, capability};
use entente_ingest::{EventFormat, EventSink, ReadOptions, tables};
use entente_model::{
    BlocAssignment, CountryId, Event, Period, PeriodKind, Polarisation, PoleAlignment, RegimeScores,
};
use entente_report::{InputFile, Meta, Report, ReportConfig, ReportInput};
use serde::Deserialize;
use sha2::Digest;

use crate::progress::Progress;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    dataset: Vec<Dataset>,
    report: Option<toml::Value>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Dataset {
    path: PathBuf,
    format: String,
    role: String,
    #[serde(default)]
    #[allow(dead_code)]
    note: Option<String>,
}

/// Where the report reads from and writes to.
#[derive(Debug, Clone, Default)]
pub struct ReportArgs {
    /// Data folder with `entente.toml` [default: the bundled `data/`].
    pub data: Option<PathBuf>,
    /// Extra event files.
    pub events: Vec<PathBuf>,
    /// Configuration file overriding the manifest's `[report]` table.
    pub config: Option<PathBuf>,
    /// Output folder [default: `target/report`].
    pub out: Option<PathBuf>,
}

/// A generated report, not yet written.
pub struct Generated {
    /// The document.
    pub report: Report,
    /// Every file of the report folder.
    pub files: Vec<(String, Vec<u8>)>,
}

fn sha256(path: &Path) -> anyhow::Result<String> {
    let mut f =
        std::fs::File::open(path).with_context(|| format!("opening `{}`", path.display()))?;
    let mut h = sha2::Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Ok(h.finalize().iter().map(|b| format!("{b:02x}")).collect())
}

/// The current UTC time as RFC 3339 (the runner owns the clock).
fn now_rfc3339() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let date = entente_model::Date::from_days_since_epoch(days)
        .unwrap_or_else(|| entente_model::Date::new(1970, 1, 1).expect("a valid date"));
    let (y, m, d) = (date.year(), date.month(), date.day());
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    )
}

#[derive(Default)]
struct Loaded {
    events: EventChannels,
    pulse: Option<EventTable>,
    key_events: Vec<Event>,
    capabilities: Vec<entente_model::Capability>,
    trade: Vec<entente_model::TradeYear>,
    national_trade: Vec<entente_model::NationalTrade>,
    igo: Vec<entente_model::IgoYear>,
    alliances: Vec<entente_model::AllianceYear>,
    votes: Vec<entente_model::UnVote>,
    roll_calls: Vec<entente_model::RollCall>,
    regime: Vec<(CountryId, i32, RegimeScores)>,
    event_days: Vec<String>,
}

struct Collect<'a> {
    loaded: &'a mut Loaded,
    focus: &'a [(CountryId, CountryId)],
    gdelt: bool,
    /// The file's path relative to the data folder, for provenance.
    label: String,
    progress: Progress,
}

impl EventSink for Collect<'_> {
    fn event(&mut self, mut e: Event) {
        e.provenance.dataset.clone_from(&self.label);
        self.loaded.events.add(&e);
        if self.gdelt {
            self.loaded
                .pulse
                .get_or_insert_with(|| {
                    EventTable::new(AggregateOptions {
                        period: PeriodKind::Day,
                        ..Default::default()
                    })
                })
                .add(&e);
        }
        let focal = e.dyad().is_some_and(|(a, b)| {
            self.focus
                .iter()
                .any(|&(x, y)| (a == x && b == y) || (a == y && b == x))
        });
        if focal {
            self.loaded.key_events.push(e);
        }
    }
    fn progress(&mut self, done: u64, total: u64) {
        self.progress.set(done, total);
    }
}

/// Stores a table's rows and returns its accounting as JSON.
fn keep<T>(slot: &mut Vec<T>, table: tables::Table<T>) -> anyhow::Result<serde_json::Value> {
    *slot = table.rows;
    Ok(serde_json::to_value(table.accounting)?)
}

fn event_format(f: &str) -> Option<EventFormat> {
    match f {
        "gdelt" => Some(EventFormat::Gdelt),
        "icews" => Some(EventFormat::Icews),
        "csv" => Some(EventFormat::Csv),
        "json" => Some(EventFormat::Json),
        "auto" => None,
        _ => None,
    }
}

/// Louvain on the graph of positive partnership scores of `year`, with the
/// number of edges; `None` when the year has no positive score.
fn year_partition(
    scores: &[entente_model::PartnershipScore],
    year: i32,
    cfg: &entente_report::Resolved,
) -> anyhow::Result<Option<(Partition, u64)>> {
    let edges: Vec<(String, String, f64)> = scores
        .iter()
        .filter(|s| s.period.year() == year)
        .filter_map(|s| {
            Some((
                s.a.to_string(),
                s.b.to_string(),
                s.score.filter(|x| *x > 0.0)?,
            ))
        })
        .collect();
    if edges.is_empty() {
        return Ok(None);
    }
    let n = edges.len() as u64;
    let g = UndirectedGraph::from_edges(edges)?;
    let p = louvain(
        &g,
        &LouvainOptions {
            resolution: cfg.config.resolution,
            seed: cfg.config.seed,
            ..Default::default()
        },
    )?;
    Ok(Some((p, n)))
}

fn step(n: usize, total: usize, what: &str) -> Instant {
    eprintln!("[{n}/{total}] {what}");
    Instant::now()
}

/// `cargo xtask report`: generates, writes atomically, prints a summary.
pub fn run(args: ReportArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| crate::root().join("target/report"));
    let Generated { report, files } = generate(&args, &now_rfc3339())?;
    eprintln!("[8/8] writing {}", out.display());
    entente_report::write::write_atomic(&out, &files, None)?;
    println!("\n{}\n", report.headline);
    if let Some(year) = report.top_partnerships.first().map(|s| s.period.year()) {
        println!("Strongest partnerships in {year}:");
        let name = |c: CountryId| {
            entente_model::Countries::global()
                .get(c)
                .map_or(c.to_string(), |x| x.name.clone())
        };
        for s in report.top_partnerships.iter().take(5) {
            println!(
                "  {:>3}. {} – {}: {:.3}",
                s.rank.unwrap_or(0),
                name(s.a),
                name(s.b),
                s.score.unwrap_or(0.0)
            );
        }
    }
    for r in report.regions.iter().take(3) {
        println!("{}", r.narrative);
    }
    println!(
        "\nReport written to {} in {:.1} s: open {}",
        out.display(),
        started.elapsed().as_secs_f64(),
        out.join("index.html").display()
    );
    Ok(ExitCode::SUCCESS)
}

/// Runs the pipeline and renders every file, with `generated_at` as the
/// generation time (the tests pass a fixed one).
pub fn generate(args: &ReportArgs, generated_at: &str) -> anyhow::Result<Generated> {
    let root = crate::root();
    let data = args.data.clone().unwrap_or_else(|| root.join("data"));
    let manifest_path = data.join("entente.toml");
    let manifest_text = std::fs::read_to_string(&manifest_path)
        .with_context(|| format!("reading the manifest `{}`", manifest_path.display()))?;
    let manifest: Manifest = toml::from_str(&manifest_text)
        .with_context(|| format!("parsing `{}`", manifest_path.display()))?;
    let config_text = match &args.config {
        Some(p) => {
            std::fs::read_to_string(p).with_context(|| format!("reading `{}`", p.display()))?
        }
        None => match &manifest.report {
            Some(v) => toml::to_string(v)?,
            None => bail!(
                "`{}` has no [report] table; pass --config",
                manifest_path.display()
            ),
        },
    };
    let cfg = ReportConfig::parse(&config_text).context("report configuration")?;
    const STEPS: usize = 8;

    // 1. Ingest.
    step(1, STEPS, "reading the data sets");
    let mut loaded = Loaded::default();
    let mut inputs = Vec::new();
    let mut ingest = Vec::new();
    let mut datasets: Vec<(PathBuf, String, String)> = manifest
        .dataset
        .iter()
        .map(|d| (data.join(&d.path), d.format.clone(), d.role.clone()))
        .collect();
    for e in &args.events {
        datasets.push((e.clone(), "auto".into(), "events".into()));
    }
    for (path, format, role) in &datasets {
        let label = path
            .strip_prefix(&data)
            .unwrap_or(path)
            .display()
            .to_string();
        let accounting = match role.as_str() {
            "events" => {
                let opts = ReadOptions {
                    format: event_format(format),
                    keep_text: true,
                    ..Default::default()
                };
                let mut sink = Collect {
                    loaded: &mut loaded,
                    focus: &cfg.focus,
                    gdelt: format == "gdelt",
                    label: label.clone(),
                    progress: Progress::new(format!("  {label}")),
                };
                let acc = entente_ingest::read_events(path, &opts, &mut sink)
                    .with_context(|| format!("reading `{}`", path.display()))?;
                sink.progress.finish();
                serde_json::to_value(acc)?
            }
            "capabilities" => keep(&mut loaded.capabilities, tables::read_nmc(path)?)?,
            "trade" => keep(&mut loaded.trade, tables::read_cow_trade(path)?)?,
            "national_trade" => keep(
                &mut loaded.national_trade,
                tables::read_national_trade(path)?,
            )?,
            "igo" => keep(&mut loaded.igo, tables::read_igo_dyads(path)?)?,
            "alliances" => keep(&mut loaded.alliances, tables::read_atop(path)?)?,
            "un_votes" => keep(&mut loaded.votes, tables::read_un_votes(path)?)?,
            "un_roll_calls" => keep(&mut loaded.roll_calls, tables::read_roll_calls(path)?)?,
            "regime" => keep(&mut loaded.regime, tables::read_regime(path)?)?,
            other => bail!(
                "`{}`: unknown role `{other}` in the manifest",
                path.display()
            ),
        };
        // Paths relative to the data folder, so the report is the same on every machine.
        let mut accounting = accounting;
        accounting["file"] = serde_json::Value::String(label.clone());
        eprintln!("      {label}: {} rows", accounting["rows_read"]);
        ingest.push(accounting.clone());
        inputs.push(InputFile {
            path: label,
            role: role.clone(),
            sha256: sha256(path)?,
            accounting,
        });
    }

    // 2. Capabilities.
    step(2, STEPS, "capabilities (CINC)");
    capability::compute_cinc(&mut loaded.capabilities);
    let concentration = capability::concentration_by_year(&loaded.capabilities);

    // 3. UN voting alignment.
    step(3, STEPS, "UN voting alignment");
    let years = &cfg.config.years;
    let (ymin, ymax) = (
        years.iter().min().copied().unwrap_or(0),
        years.iter().max().copied().unwrap_or(0),
    );
    let all = alignment(
        &loaded.votes,
        &loaded.roll_calls,
        &AlignmentOptions {
            years: Some((ymin - 1, ymax)),
            ..Default::default()
        },
    );
    let pole = alignment(
        &loaded.votes,
        &loaded.roll_calls,
        &AlignmentOptions {
            focus: pole_states(),
            ..Default::default()
        },
    );
    let pole_rows: Vec<PoleAlignment> = poles(&pole.scores)
        .into_iter()
        .filter(|p| cfg.swing.contains(&p.country) && (p.year >= 1990 || years.contains(&p.year)))
        .map(|p| PoleAlignment {
            year: p.year,
            country: p.country,
            with_usa: p.with_usa,
            with_chn: p.with_chn,
            with_rus: p.with_rus,
            lean: p.lean,
            regime: None,
        })
        .collect();

    // 4. Partnership.
    step(4, STEPS, "partnership strength (with bootstrap intervals)");
    let alliance_years = loaded
        .alliances
        .iter()
        .map(|a| a.year)
        .min()
        .zip(loaded.alliances.iter().map(|a| a.year).max());
    let w = cfg.config.weights;
    let weights = Weights {
        diplomatic: w.diplomatic,
        alignment: w.alignment,
        economic: w.economic,
        security: w.security,
        conflict: w.conflict,
    };
    let structural = Structural {
        trade: &loaded.trade,
        national_trade: &loaded.national_trade,
        alliances: &loaded.alliances,
        alliance_years,
        igo: &loaded.igo,
        alignment: &all.scores,
    };
    let popts = PartnershipOptions {
        years: years.clone(),
        weights,
        bootstrap: cfg.config.bootstrap,
        seed: cfg.config.seed,
        ..Default::default()
    };
    let scores = partnership(&structural, &loaded.events, &popts);
    let watch: Vec<(CountryId, CountryId)> = cfg
        .focus
        .iter()
        .map(|&(a, b)| if a < b { (a, b) } else { (b, a) })
        .collect();
    let sens = sensitivity(&scores, &weights, &watch);

    // 5. Influence.
    step(5, STEPS, "influence and regional shares");
    let inf = influence(
        &InfluenceInputs {
            trade: &loaded.trade,
            national_trade: &loaded.national_trade,
            igo: &loaded.igo,
            alliances: &loaded.alliances,
            alliance_years,
            capabilities: &loaded.capabilities,
        },
        years,
        &cfg.powers,
    );

    // 6. Blocs.
    step(6, STEPS, "blocs (Louvain on the partnership graph)");
    let bloc_year = cfg.config.bloc_year;
    let regime: BTreeMap<(CountryId, i32), RegimeScores> = loaded
        .regime
        .iter()
        .map(|(c, y, s)| ((*c, *y), *s))
        .collect();
    let mut blocs = Vec::new();
    let mut modularity = None;
    if let Some((p, _)) = year_partition(&scores, bloc_year, &cfg)? {
        modularity = Some(p.modularity);
        for (i, community) in p.communities.iter().enumerate() {
            for name in community {
                let country = CountryId::new(name)?;
                blocs.push(BlocAssignment {
                    period: Period::Year(bloc_year as i16),
                    country,
                    community: i as u32,
                    regime: regime
                        .get(&(country, bloc_year))
                        .and_then(RegimeScores::classify),
                });
            }
        }
        blocs.sort_by_key(|b| (b.community, b.country));
    }

    // Polarisation: the best partition's modularity for every scored year.
    let mut polarisation = Vec::new();
    let mut scored_years: Vec<i32> = scores.iter().map(|s| s.period.year()).collect();
    scored_years.sort_unstable();
    scored_years.dedup();
    for year in scored_years {
        match year_partition(&scores, year, &cfg)? {
            Some((p, edges)) if edges >= 100 => polarisation.push(Polarisation {
                year,
                modularity: p.modularity,
                communities: p.communities.len() as u32,
                edges,
            }),
            _ => {}
        }
    }
    let mut pole_rows = pole_rows;
    for p in &mut pole_rows {
        p.regime = regime
            .get(&(p.country, p.year))
            .and_then(RegimeScores::classify);
    }

    // 7. Assemble.
    step(7, STEPS, "assembling the report");
    let max = |v: &mut dyn Iterator<Item = i32>| v.max();
    let mut limits = Vec::new();
    if let Some(y) = max(&mut loaded.trade.iter().map(|t| t.year)) {
        limits.push(format!("Bilateral trade (COW Dyadic Trade v4) ends in {y}: the economic channel and influence scores stop there."));
    }
    if let Some(y) =
        max(&mut all.scores.iter().map(|t| t.year)).or(max(&mut pole.scores.iter().map(|t| t.year)))
    {
        let last = max(&mut pole.scores.iter().map(|t| t.year)).unwrap_or(y);
        limits.push(format!("UN General Assembly votes end in {last}: the alignment channel and the swing-state lean stop there."));
    }
    if let Some(y) = max(&mut loaded.igo.iter().map(|t| t.year)) {
        limits.push(format!("Shared IGO memberships (COW IGO v3) end in {y}."));
    }
    if let Some((_, y)) = alliance_years {
        limits.push(format!("Alliance obligations (ATOP 5.1) end in {y}."));
    }
    if let Some(y) = max(&mut loaded.capabilities.iter().map(|t| t.year)) {
        limits.push(format!("Material capabilities (COW NMC v7) end in {y}."));
    }
    let ev_years = loaded.events.years();
    if !ev_years.is_empty() {
        limits.push(format!(
            "Events come from four GDELT 15-minute or daily samples and a curated, cited scenario file; event years: {}. In years without structural data (after 2019) scores rest on events alone.",
            ev_years.iter().map(|y| y.to_string()).collect::<Vec<_>>().join(", ")
        ));
    }
    let _ = &loaded.event_days;
    let mut focus_align = all.scores.clone();
    focus_align.retain(|s| watch.contains(&(s.a, s.b)));
    let mut pole_all = pole.scores.clone();
    pole_all.retain(|s| watch.contains(&(s.a, s.b)));
    for s in pole_all {
        if !focus_align
            .iter()
            .any(|x| x.year == s.year && x.a == s.a && x.b == s.b)
        {
            focus_align.push(s);
        }
    }
    focus_align.sort_by_key(|x| (x.year, x.a, x.b));
    let input = ReportInput {
        partnership: scores,
        sensitivity: sens,
        capabilities: loaded.capabilities.clone(),
        concentration,
        influence: inf.scores,
        influence_totals: inf.totals,
        regional: inf.regional,
        alignment: focus_align,
        poles: pole_rows,
        blocs,
        modularity,
        polarisation,
        pulse: loaded.pulse.as_ref().map(|t| t.rows()).unwrap_or_default(),
        key_events: loaded.key_events.clone(),
    };
    let meta = Meta {
        generated_at: generated_at.to_owned(),
        entente_version: env!("CARGO_PKG_VERSION").to_owned(),
        inputs,
        data_limits: limits,
    };
    let report = Report::build(&input, &cfg, meta);
    let mut files = entente_report::render_all(&input, &report, &cfg.powers)?;
    let mut ingest_json = serde_json::to_vec_pretty(&ingest)?;
    ingest_json.push(b'\n');
    files.push(("ingest.json".to_owned(), ingest_json));

    Ok(Generated { report, files })
}
