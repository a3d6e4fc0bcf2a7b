//! Event readers: GDELT 1.0/2.0, ICEWS, and entente's native CSV and JSON.
//!
//! Every reader streams: it holds one line (or one record) at a time, hands
//! each accepted event to an [`EventSink`], and counts every row in an
//! [`Accounting`].

use std::collections::{HashMap, HashSet};
use std::io::BufRead;
use std::path::Path;

use entente_model::{
    Actor, CameoCode, CameoSlot, Countries, CountryId, Date, Event, EventCore, Provenance,
    Resolved, Sector,
};
use serde::Deserialize;

use crate::source::{self, Line, LineReader, strip_bom};
use crate::{Accounting, IngestError, RejectReason};

/// An event file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EventFormat {
    /// GDELT 1.0 (57 or 58 columns) or 2.0 (61 columns) export, tab-separated.
    Gdelt,
    /// ICEWS event TSV with its header.
    Icews,
    /// entente's native event CSV.
    Csv,
    /// entente's native JSON array or JSON Lines.
    Json,
}

impl EventFormat {
    /// The name used in accounting.
    pub fn as_str(self) -> &'static str {
        match self {
            EventFormat::Gdelt => "gdelt",
            EventFormat::Icews => "icews",
            EventFormat::Csv => "csv",
            EventFormat::Json => "json",
        }
    }
}

/// Duplicate handling.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Dedup {
    /// Keep every row (native formats still drop repeated `event_id`s).
    #[default]
    None,
    /// GDELT: drop a row whose signature (date, actor codes, event code,
    /// action location) was seen within [`DEDUP_WINDOW_MINUTES`] of DATEADDED,
    /// and any repeated GLOBALEVENTID.
    Signature,
}

/// The DATEADDED window of the signature rule.
pub const DEDUP_WINDOW_MINUTES: i64 = 90;

/// Options of the event readers.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReadOptions {
    /// Format; `None` detects it.
    pub format: Option<EventFormat>,
    /// Duplicate rule.
    pub dedup: Dedup,
    /// Stop at the first rejected row with an error.
    pub strict: bool,
    /// Keep free text (ids, URLs, descriptions); off for fast aggregation.
    pub keep_text: bool,
}

/// Receives what a reader produces.
pub trait EventSink {
    /// An accepted event (dyadic or not).
    fn event(&mut self, event: Event);
    /// A rejected row, verbatim, with its reason.
    fn reject(&mut self, _line: u64, _raw: &[u8], _reason: &RejectReason) {}
    /// Bytes of the file consumed so far, of `total`.
    fn progress(&mut self, _done: u64, _total: u64) {}
}

impl<F: FnMut(Event)> EventSink for F {
    fn event(&mut self, event: Event) {
        self(event)
    }
}

/// Detects an event format from the file name, then the first line.
pub fn detect_format(path: &Path, first_line: &[u8]) -> Result<EventFormat, IngestError> {
    let name = source::inner_name(path).to_ascii_lowercase();
    let first = strip_bom(first_line);
    let tabs = memchr::memchr_iter(b'\t', first).count();
    if name.ends_with(".json") || name.ends_with(".jsonl") || name.ends_with(".ndjson") {
        return Ok(EventFormat::Json);
    }
    if first.starts_with(b"Event ID\t") {
        return Ok(EventFormat::Icews);
    }
    if matches!(tabs + 1, 57 | 58 | 61) {
        return Ok(EventFormat::Gdelt);
    }
    if first.first().is_some_and(|&b| b == b'[' || b == b'{') {
        return Ok(EventFormat::Json);
    }
    if name.ends_with(".csv") && tabs == 0 {
        return Ok(EventFormat::Csv);
    }
    if name.ends_with(".tab") || name.ends_with(".tsv") {
        return Ok(EventFormat::Icews);
    }
    Err(IngestError::UnknownFormat {
        path: path.to_owned(),
        reason: format!(
            "the first line has {} tab-separated fields and the name is `{name}`",
            tabs + 1
        ),
    })
}

/// Reads one event file into a sink and returns its accounting.
pub fn read_events(
    path: &Path,
    opts: &ReadOptions,
    sink: &mut dyn EventSink,
) -> Result<Accounting, IngestError> {
    let input = source::open(path)?;
    let total = input.size;
    let compression = input.compression;
    let mut lines = LineReader::new(input.reader);
    let mut buf = Vec::new();
    let io = |e: std::io::Error| read_error(path, compression, e);
    let first = lines.next_line(&mut buf).map_err(io)?;
    if first.is_none() {
        return Err(IngestError::NoData {
            path: path.to_owned(),
            header_only: false,
        });
    }
    let format = match opts.format {
        Some(f) => f,
        None => detect_format(path, &buf)?,
    };
    let name = path.display().to_string();
    let mut ctx = Ctx {
        path,
        acc: Accounting::new(name.clone(), format.as_str()),
        opts: *opts,
        countries: Countries::global(),
        dataset: name,
        dedup: DedupState::default(),
    };
    let mut first = Some(first.unwrap_or(Line::Ok));
    match format {
        EventFormat::Gdelt => {
            let mut columns = None;
            loop {
                let status = match first.take() {
                    Some(s) => s,
                    None => match lines.next_line(&mut buf).map_err(io)? {
                        Some(s) => s,
                        None => break,
                    },
                };
                let line = lines.line;
                if line % 4096 == 0 {
                    sink.progress(0, total);
                }
                if line == 1 && buf.starts_with(b"\xEF\xBB\xBF") {
                    buf.drain(..3);
                }
                if line == 1 && is_gdelt_header(&buf) {
                    ctx.acc.header_skipped = true;
                    continue;
                }
                if status_is_blank_tail(status, &buf) {
                    continue;
                }
                ctx.acc.rows_read += 1;
                let mut result = match status {
                    Line::TooLong(n) => Err(too_long(n)),
                    _ => gdelt_row(&buf, &mut columns, &ctx),
                };
                if let Ok(Parsed::Event(e)) = &mut result {
                    e.provenance = Provenance {
                        dataset: ctx.dataset.clone(),
                        row: line,
                    };
                    // The id and URL are kept as text: invalid UTF-8 in them
                    // was replaced, and is counted like in the other readers.
                    if opts.keep_text && gdelt_text_replaced(&buf, columns) {
                        ctx.acc.utf8_replaced += 1;
                    }
                    if opts.dedup == Dedup::Signature && gdelt_dedup(&mut ctx.dedup, &buf, columns)
                    {
                        result = Ok(Parsed::Duplicate);
                    }
                }
                ctx.finish(line, &buf, result, sink)?;
            }
        }
        EventFormat::Icews => {
            let header = strip_bom(&buf).to_vec();
            let cols = IcewsColumns::new(path, &header)?;
            ctx.acc.header_skipped = true;
            while let Some(status) = lines.next_line(&mut buf).map_err(io)? {
                let line = lines.line;
                if status_is_blank_tail(status, &buf) {
                    continue;
                }
                ctx.acc.rows_read += 1;
                let result = match status {
                    Line::TooLong(n) => Err(too_long(n)),
                    _ => cols.row(
                        &buf,
                        &mut ctx.acc,
                        ctx.countries,
                        line,
                        &ctx.dataset,
                        opts.keep_text,
                    ),
                };
                ctx.finish(line, &buf, result, sink)?;
            }
        }
        EventFormat::Csv => {
            if let Some(Line::TooLong(n)) = first {
                return Err(source::header_too_long(path, n));
            }
            let (header, _) = parse_csv_record(strip_bom(&buf)).map_err(|r| IngestError::Row {
                path: path.to_owned(),
                line: 1,
                reason: r,
            })?;
            let cols = NativeColumns::new(path, &header)?;
            ctx.acc.header_skipped = true;
            let mut record = Vec::new();
            while let Some(status) = lines.next_line(&mut buf).map_err(io)? {
                let line = lines.line;
                if status_is_blank_tail(status, &buf) {
                    continue;
                }
                ctx.acc.rows_read += 1;
                // A quoted field may hold a newline: lines are joined until quotes balance.
                let end = source::read_csv_record(&mut lines, &mut buf, status, &mut record)
                    .map_err(io)?;
                let result = match end {
                    source::RecordEnd::TooLong(n) => Err(too_long(n)),
                    source::RecordEnd::QuoteOpenAtEnd => Err(RejectReason::row(
                        "invalid_csv",
                        "a quoted field is still open at the end of the file",
                    )),
                    _ => parse_csv_record(&record).and_then(|(fields, replaced)| {
                        if replaced {
                            ctx.acc.utf8_replaced += 1;
                        }
                        cols.raw(&fields).and_then(|raw| ctx.native(raw, line))
                    }),
                };
                ctx.finish(line, &record, result, sink)?;
            }
        }
        EventFormat::Json => {
            let trimmed = strip_bom(&buf);
            let starts_array = trimmed.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[');
            if starts_array {
                read_json_array(&mut ctx, &mut lines, &mut buf, sink)?;
            } else {
                let mut first = first.take();
                loop {
                    let status = match first.take() {
                        Some(s) => s,
                        None => match lines.next_line(&mut buf).map_err(io)? {
                            Some(s) => s,
                            None => break,
                        },
                    };
                    let line = lines.line;
                    let text = strip_bom(&buf);
                    let too_long_line = matches!(status, Line::TooLong(_));
                    if !too_long_line && text.iter().all(u8::is_ascii_whitespace) {
                        continue;
                    }
                    ctx.acc.rows_read += 1;
                    // Invalid UTF-8 in a free-text value is replaced and counted, not rejected.
                    let text: std::borrow::Cow<'_, [u8]> = match std::str::from_utf8(text) {
                        Ok(_) => std::borrow::Cow::Borrowed(text),
                        Err(_) => {
                            ctx.acc.utf8_replaced += 1;
                            std::borrow::Cow::Owned(
                                String::from_utf8_lossy(text).into_owned().into_bytes(),
                            )
                        }
                    };
                    let result = match status {
                        Line::TooLong(n) => Err(too_long(n)),
                        _ => serde_json::from_slice::<JsonEvent>(&text)
                            .map_err(json_reject)
                            .and_then(|j| ctx.native(j.raw(), line)),
                    };
                    ctx.finish(line, &buf, result, sink)?;
                }
            }
        }
    }
    sink.progress(total, total);
    if ctx.acc.rows_read == 0 {
        return Err(IngestError::NoData {
            path: path.to_owned(),
            header_only: ctx.acc.header_skipped,
        });
    }
    debug_assert!(ctx.acc.balanced());
    Ok(ctx.acc)
}

fn read_error(path: &Path, compression: source::Compression, e: std::io::Error) -> IngestError {
    match compression {
        source::Compression::None => IngestError::Io {
            path: path.to_owned(),
            source: e,
        },
        c => IngestError::Archive {
            path: path.to_owned(),
            kind: if c == source::Compression::Gzip {
                "gzip"
            } else {
                "zip"
            },
            detail: format!("{e} (the file may be truncated)"),
        },
    }
}

/// A last line that is empty (a file ending in a blank line) is not a row.
fn status_is_blank_tail(status: Line, buf: &[u8]) -> bool {
    buf.is_empty() && !matches!(status, Line::TooLong(_))
}

fn too_long(n: u64) -> RejectReason {
    RejectReason::row(
        "line_too_long",
        format!(
            "line of {n} bytes exceeds the {} MiB limit and was skipped",
            source::MAX_LINE >> 20
        ),
    )
}

fn is_gdelt_header(line: &[u8]) -> bool {
    let l = strip_bom(line);
    l.len() >= 13 && l[..13].eq_ignore_ascii_case(b"GLOBALEVENTID")
}

/// The running state of one read.
struct Ctx<'a> {
    path: &'a Path,
    acc: Accounting,
    opts: ReadOptions,
    countries: &'static Countries,
    dataset: String,
    dedup: DedupState,
}

#[derive(Default)]
struct DedupState {
    ids: HashSet<String>,
    gdelt_ids: HashSet<u64>,
    /// Signature to the DATEADDED minute it was last seen.
    signatures: HashMap<Vec<u8>, i64>,
    newest: i64,
}

/// What a row parser produces on success.
enum Parsed {
    Event(Event),
    Duplicate,
}

impl Ctx<'_> {
    fn finish(
        &mut self,
        line: u64,
        raw: &[u8],
        result: Result<Parsed, RejectReason>,
        sink: &mut dyn EventSink,
    ) -> Result<(), IngestError> {
        match result {
            Ok(Parsed::Event(e)) => {
                self.acc.count_kept(e.dyad().is_some());
                sink.event(e);
            }
            Ok(Parsed::Duplicate) => self.acc.deduplicated += 1,
            Err(reason) => {
                if self.opts.strict {
                    return Err(IngestError::Row {
                        path: self.path.to_owned(),
                        line,
                        reason,
                    });
                }
                self.acc.reject(line, &reason);
                sink.reject(line, raw, &reason);
            }
        }
        Ok(())
    }

    /// Builds an event from native fields (CSV or JSON).
    fn native(&mut self, raw: RawEvent<'_>, line: u64) -> Result<Parsed, RejectReason> {
        let date = Date::parse(raw.date.trim()).map_err(|_| {
            RejectReason::field(
                "invalid_date",
                "date",
                raw.date,
                "date is not a valid YYYY-MM-DD day",
            )
        })?;
        let code = CameoCode::parse(raw.cameo_code.trim()).map_err(|_| {
            RejectReason::field(
                "unknown_cameo_code",
                "cameo_code",
                raw.cameo_code,
                "not a CAMEO event code (write it as a string with its leading zeros)",
            )
        })?;
        let source = self.native_actor("source", raw.source, raw.source_sector, date)?;
        let target = self.native_actor("target", raw.target, raw.target_sector, date)?;
        let goldstein = match raw.goldstein {
            Some(g) => check_goldstein(g, "goldstein")?,
            None => code.goldstein(),
        };
        let count = |name: &'static str, v: Option<f64>| -> Result<Option<u32>, RejectReason> {
            v.map(|v| {
                if !v.is_finite() || v.fract() != 0.0 {
                    Err(RejectReason::field(
                        "invalid_number",
                        name,
                        &v.to_string(),
                        "count must be a whole number",
                    ))
                } else if v < 0.0 {
                    Err(RejectReason::field(
                        "negative_count",
                        name,
                        &v.to_string(),
                        "count cannot be negative",
                    ))
                } else if v > f64::from(u32::MAX) {
                    Err(RejectReason::field(
                        "count_too_large",
                        name,
                        &v.to_string(),
                        "count exceeds 4,294,967,295",
                    ))
                } else {
                    Ok(v as u32)
                }
            })
            .transpose()
        };
        let tone = match raw.tone {
            Some(t) if !t.is_finite() || t.abs() > 100.0 => {
                return Err(RejectReason::field(
                    "invalid_number",
                    "tone",
                    &t.to_string(),
                    "tone must be finite, between -100 and 100",
                ));
            }
            t => t,
        };
        if let Some(id) = raw.event_id.filter(|s| !s.is_empty()) {
            if !self.dedup.ids.insert(id.to_owned()) {
                return Ok(Parsed::Duplicate);
            }
        }
        let url = raw.source_url.filter(|u| !u.is_empty()).map(str::to_owned);
        Ok(Parsed::Event(Event {
            id: raw.event_id.filter(|s| !s.is_empty()).map(str::to_owned),
            date,
            source,
            target,
            code,
            goldstein,
            mentions: count("mentions", raw.mentions)?,
            sources: count("sources", raw.sources)?,
            articles: count("articles", raw.articles)?,
            tone,
            source_url: url,
            description: raw.description.filter(|d| !d.is_empty()).map(str::to_owned),
            provenance: Provenance {
                dataset: self.dataset.clone(),
                row: line,
            },
        }))
    }

    fn native_actor(
        &self,
        field: &'static str,
        value: &str,
        sector: Option<&str>,
        date: Date,
    ) -> Result<Actor, RejectReason> {
        let v = value.trim();
        if v.is_empty() {
            return Err(RejectReason::field(
                "missing_field",
                field,
                value,
                "a required field is empty",
            ));
        }
        let sector = match sector.map(str::trim).filter(|s| !s.is_empty()) {
            Some(s) => Some(Sector::new(s).map_err(|_| {
                RejectReason::field(
                    "invalid_sector",
                    if field == "source" {
                        "source_sector"
                    } else {
                        "target_sector"
                    },
                    s,
                    "sector must be a three-letter CAMEO actor type",
                )
            })?),
            None => None,
        };
        let country = match self.countries.lookup(v, Some(date)) {
            Ok(c) => Some(c.id),
            Err(e) => match self.countries.by_cameo(v, None) {
                Ok(Resolved::NotAState(p)) => p.maps_to,
                _ => {
                    return Err(RejectReason::field(
                        "unknown_country",
                        field,
                        value,
                        e.to_string(),
                    ));
                }
            },
        };
        Ok(Actor { country, sector })
    }
}

fn check_goldstein(g: f64, field: &str) -> Result<f64, RejectReason> {
    if g.is_finite() && (-10.0..=10.0).contains(&g) {
        Ok(g)
    } else {
        Err(RejectReason::field(
            "invalid_goldstein",
            field,
            &g.to_string(),
            "Goldstein score must be a finite number between -10 and 10",
        ))
    }
}

/// GDELT column positions that differ between versions.
#[derive(Debug, Clone, Copy)]
struct GdeltLayout {
    columns: usize,
    action_feature: usize,
    dateadded: usize,
    url: Option<usize>,
}

impl GdeltLayout {
    fn of(columns: usize) -> Option<GdeltLayout> {
        match columns {
            // 2.0: three geo blocks of 8 fields from column 35.
            61 => Some(GdeltLayout {
                columns,
                action_feature: 58,
                dateadded: 59,
                url: Some(60),
            }),
            // 1.0 daily: geo blocks of 7 fields (no ADM2).
            58 => Some(GdeltLayout {
                columns,
                action_feature: 55,
                dateadded: 56,
                url: Some(57),
            }),
            // 1.0 back-file: no SOURCEURL.
            57 => Some(GdeltLayout {
                columns,
                action_feature: 55,
                dateadded: 56,
                url: None,
            }),
            _ => None,
        }
    }
}

const G_ID: usize = 0;
const G_SQLDATE: usize = 1;
const G_A1_CODE: usize = 5;
const G_A1_COUNTRY: usize = 7;
const G_A1_TYPE: usize = 12;
const G_A2_CODE: usize = 15;
const G_A2_COUNTRY: usize = 17;
const G_A2_TYPE: usize = 22;
const G_EVENTCODE: usize = 26;
const G_GOLDSTEIN: usize = 30;
const G_MENTIONS: usize = 31;
const G_SOURCES: usize = 32;
const G_ARTICLES: usize = 33;
const G_TONE: usize = 34;

/// GDELT column names, for messages.
fn gdelt_name(i: usize) -> &'static str {
    match i {
        G_ID => "GLOBALEVENTID",
        G_SQLDATE => "SQLDATE",
        G_A1_COUNTRY => "Actor1CountryCode",
        G_A2_COUNTRY => "Actor2CountryCode",
        G_EVENTCODE => "EventCode",
        G_GOLDSTEIN => "GoldsteinScale",
        G_MENTIONS => "NumMentions",
        G_SOURCES => "NumSources",
        G_ARTICLES => "NumArticles",
        G_TONE => "AvgTone",
        _ => "DATEADDED",
    }
}

/// Splits a line on tabs into at most 62 field ranges (one more than GDELT has,
/// to detect extra columns without storing 10,000 of them).
fn split_tabs<'a>(line: &'a [u8], out: &mut Vec<&'a [u8]>) -> usize {
    out.clear();
    let mut start = 0;
    let mut n = 0;
    for i in memchr::memchr_iter(b'\t', line) {
        n += 1;
        if out.len() < 62 {
            out.push(&line[start..i]);
        }
        start = i + 1;
    }
    n += 1;
    if out.len() < 62 {
        out.push(&line[start..]);
    }
    n
}

/// High bit of every byte of `x` that is zero, and of no other byte (exact,
/// unlike the shorter test that can flag a byte above a zero).
#[inline]
fn zero_bytes(x: u64) -> u64 {
    const LO7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    !(((x & LO7).wrapping_add(LO7)) | x | LO7)
}

/// The tab positions of one GDELT line, found eight bytes at a time without
/// allocating: the first `K` are kept, the rest only counted (so a line with
/// 10,000 columns costs a count, not a store).
struct Tabs<'a, const K: usize> {
    line: &'a [u8],
    at: [u32; K],
    /// Number of tabs in the line (columns minus one).
    n: usize,
}

/// The number of tabs in `s`, 64 bytes at a time into a byte-wide counter
/// (a shape the compiler turns into vector compares and adds; a plain
/// `filter().count()` widens every byte to 64 bits first).
#[inline]
fn count_tabs(s: &[u8]) -> usize {
    let mut blocks = s.chunks_exact(64);
    let mut n = 0usize;
    for block in &mut blocks {
        let mut k = 0u8;
        for &b in block {
            k += u8::from(b == b'\t');
        }
        n += usize::from(k);
    }
    n + blocks.remainder().iter().filter(|&&b| b == b'\t').count()
}

/// Tab positions the full event reader keeps: every GDELT column.
const ALL_TABS: usize = 61;
/// Tab positions the aggregation reader keeps: columns 0 to AvgTone (34).
const CORE_TABS: usize = G_TONE + 1;

impl<'a, const K: usize> Tabs<'a, K> {
    #[inline]
    fn new(line: &'a [u8]) -> Tabs<'a, K> {
        const TAB: u64 = 0x0909_0909_0909_0909;
        let mut at = [0u32; K];
        let mut n = 0usize;
        let mut i = 0usize;
        while i + 8 <= line.len() {
            let mut bytes = [0u8; 8];
            bytes.copy_from_slice(&line[i..i + 8]);
            let mut m = zero_bytes(u64::from_le_bytes(bytes) ^ TAB);
            while m != 0 && n < K {
                at[n] = (i + m.trailing_zeros() as usize / 8) as u32;
                n += 1;
                m &= m - 1;
            }
            if n == K {
                break;
            }
            i += 8;
        }
        if n < K {
            for (j, &b) in line[i..].iter().enumerate() {
                if b == b'\t' {
                    if n < K {
                        at[n] = (i + j) as u32;
                    }
                    n += 1;
                }
            }
        } else {
            // Past the kept columns the tabs are only counted.
            n += count_tabs(&line[at[K - 1] as usize + 1..]);
        }
        Tabs { line, at, n }
    }

    /// Field `i` (0-based); the caller has checked `i <= n` and `i <= K`.
    #[inline]
    fn field(&self, i: usize) -> &'a [u8] {
        let start = if i == 0 {
            0
        } else {
            self.at[i - 1] as usize + 1
        };
        let end = if i < self.n.min(K) {
            self.at[i] as usize
        } else {
            self.line.len()
        };
        &self.line[start..end]
    }
}

/// `Date::parse` of a GDELT SQLDATE, without building a string for the common
/// eight-digit case (same result as [`Date::parse`] for every input).
#[inline]
fn gdelt_date(field: &[u8]) -> Option<Date> {
    if field.len() == 8 && field.iter().all(u8::is_ascii_digit) {
        let d = |r: &[u8]| r.iter().fold(0u32, |acc, b| acc * 10 + u32::from(b - b'0'));
        return Date::new(d(&field[..4]) as i32, d(&field[4..6]), d(&field[6..])).ok();
    }
    Date::parse(ascii_str(field)).ok()
}

/// Parses a plain decimal (`-?digits[.digits]`) whose digits fit in 2^53
/// exactly: the quotient of two exactly representable numbers is correctly
/// rounded by IEEE 754, so this equals `str::parse::<f64>` (Clinger's fast
/// path). `None` means "use the general parser".
#[inline]
fn fast_decimal(field: &[u8]) -> Option<f64> {
    const POW10: [f64; 19] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
        1e17, 1e18,
    ];
    let (neg, digits) = match field.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, field),
    };
    if digits.is_empty() || digits.len() > 20 {
        return None;
    }
    let mut m = 0u64;
    let mut frac = None;
    let mut count = 0usize;
    for (i, &b) in digits.iter().enumerate() {
        match b {
            b'0'..=b'9' if count < 18 => {
                m = m * 10 + u64::from(b - b'0');
                count += 1;
            }
            b'.' if frac.is_none() && i > 0 && i + 1 < digits.len() => frac = Some(i),
            _ => return None,
        }
    }
    if m > 1 << 53 {
        return None;
    }
    let k = frac.map_or(0, |i| digits.len() - i - 1);
    let v = m as f64 / POW10[k];
    Some(if neg { -v } else { v })
}

fn ascii_str(b: &[u8]) -> &str {
    std::str::from_utf8(b).unwrap_or("<invalid UTF-8>")
}

#[inline]
fn parse_f64(field: &[u8], i: usize) -> Result<Option<f64>, RejectReason> {
    if field.is_empty() {
        return Ok(None);
    }
    if let Some(v) = fast_decimal(field) {
        return Ok(Some(v));
    }
    let s = ascii_str(field);
    match s.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(Some(v)),
        _ => Err(RejectReason::field(
            "invalid_number",
            gdelt_name(i),
            s,
            "not a finite number",
        )),
    }
}

#[inline]
fn parse_count(field: &[u8], i: usize) -> Result<Option<u32>, RejectReason> {
    if field.is_empty() {
        return Ok(None);
    }
    // Up to nine digits always fit in a u32.
    if field.len() <= 9 && field.iter().all(u8::is_ascii_digit) {
        return Ok(Some(
            field
                .iter()
                .fold(0u32, |acc, b| acc * 10 + u32::from(b - b'0')),
        ));
    }
    let s = ascii_str(field);
    if let Some(rest) = s.strip_prefix('-') {
        if rest.bytes().all(|b| b.is_ascii_digit()) && !rest.is_empty() {
            return Err(RejectReason::field(
                "negative_count",
                gdelt_name(i),
                s,
                "count cannot be negative",
            ));
        }
    }
    s.parse::<u32>().map(Some).map_err(|_| {
        RejectReason::field(
            "invalid_number",
            gdelt_name(i),
            s,
            "not a whole number between 0 and 4,294,967,295",
        )
    })
}

#[inline]
fn gdelt_country(
    countries: &Countries,
    code: &[u8],
    i: usize,
) -> Result<Option<CountryId>, RejectReason> {
    if code.is_empty() {
        return Ok(None);
    }
    match countries.cameo_slot(code) {
        CameoSlot::State(id) => Ok(Some(id)),
        // Sub-national codes (GZS, WSB: Palestine; BAG: Iraq) count for their state.
        CameoSlot::NotAState(state) => Ok(state),
        CameoSlot::Unknown => Err(RejectReason::field(
            "unknown_country",
            gdelt_name(i),
            ascii_str(code),
            "not a CAMEO country or regional code",
        )),
    }
}

/// Minutes since the epoch of a GDELT DATEADDED (YYYYMMDDHHMMSS in 2.0, YYYYMMDD in 1.0).
fn dateadded_minutes(field: &[u8]) -> Option<i64> {
    let date = Date::parse(std::str::from_utf8(field.get(..8)?).ok()?).ok()?;
    let mut minutes = date.days_since_epoch() * 1440;
    if field.len() >= 12 {
        let hh: i64 = std::str::from_utf8(&field[8..10]).ok()?.parse().ok()?;
        let mm: i64 = std::str::from_utf8(&field[10..12]).ok()?.parse().ok()?;
        minutes += hh * 60 + mm;
    }
    Some(minutes)
}

/// The column count of a GDELT row, checked against the file's layout (set
/// by its first row).
#[inline]
fn gdelt_layout(n: usize, layout: &mut Option<GdeltLayout>) -> Result<GdeltLayout, RejectReason> {
    let l = match *layout {
        Some(l) => l,
        None => {
            let l = GdeltLayout::of(n).ok_or_else(|| {
                RejectReason::row(
                    "wrong_column_count",
                    format!("GDELT rows have 57, 58 or 61 tab-separated columns; this one has {n}"),
                )
            })?;
            *layout = Some(l);
            l
        }
    };
    if n != l.columns {
        return Err(RejectReason::row(
            "wrong_column_count",
            format!(
                "expected {} tab-separated columns like the first row, found {n}",
                l.columns
            ),
        ));
    }
    Ok(l)
}

/// Every rule of a GDELT row, in one order for both readers, so the fast
/// aggregation reader rejects exactly the rows the event reader rejects, for
/// the same first reason. Returns the core fields plus mentions and sources.
#[inline]
fn gdelt_core<const K: usize>(
    tabs: &Tabs<'_, K>,
    countries: &Countries,
) -> Result<(EventCore, Option<u32>, Option<u32>), RejectReason> {
    let f = |i: usize| tabs.field(i);
    let date = gdelt_date(f(G_SQLDATE)).ok_or_else(|| {
        RejectReason::field(
            "invalid_date",
            "SQLDATE",
            ascii_str(f(G_SQLDATE)),
            "not a valid YYYYMMDD day",
        )
    })?;
    let code = CameoCode::from_bytes(f(G_EVENTCODE)).ok_or_else(|| {
        RejectReason::field(
            "unknown_cameo_code",
            "EventCode",
            ascii_str(f(G_EVENTCODE)),
            "not a CAMEO event code",
        )
    })?;
    let source = gdelt_country(countries, f(G_A1_COUNTRY), G_A1_COUNTRY)?;
    let target = gdelt_country(countries, f(G_A2_COUNTRY), G_A2_COUNTRY)?;
    let goldstein = match parse_f64(f(G_GOLDSTEIN), G_GOLDSTEIN)? {
        Some(g) => check_goldstein(g, "GoldsteinScale")?,
        None => code.goldstein(),
    };
    let tone = parse_f64(f(G_TONE), G_TONE)?;
    if let Some(t) = tone {
        if t.abs() > 100.0 {
            return Err(RejectReason::field(
                "invalid_number",
                "AvgTone",
                ascii_str(f(G_TONE)),
                "tone must be between -100 and 100",
            ));
        }
    }
    let mentions = parse_count(f(G_MENTIONS), G_MENTIONS)?;
    let sources = parse_count(f(G_SOURCES), G_SOURCES)?;
    let articles = parse_count(f(G_ARTICLES), G_ARTICLES)?;
    let core = EventCore {
        date,
        source,
        target,
        code,
        goldstein,
        tone,
        articles,
    };
    Ok((core, mentions, sources))
}

/// One GDELT row as the aggregation reader needs it: every rule checked,
/// only columns 0 to 34 located, no allocation.
#[inline]
fn gdelt_core_row(
    line: &[u8],
    layout: &mut Option<GdeltLayout>,
    countries: &Countries,
) -> Result<EventCore, RejectReason> {
    let tabs = Tabs::<CORE_TABS>::new(line);
    gdelt_layout(tabs.n + 1, layout)?;
    gdelt_core(&tabs, countries).map(|(core, _, _)| core)
}

fn gdelt_row(
    line: &[u8],
    layout: &mut Option<GdeltLayout>,
    ctx: &Ctx<'_>,
) -> Result<Parsed, RejectReason> {
    // The borrow checker cannot see that dedup is disjoint from the rest of
    // ctx here, so the row is parsed first and deduplicated by the caller.
    let tabs = Tabs::<ALL_TABS>::new(line);
    let l = gdelt_layout(tabs.n + 1, layout)?;
    let (core, mentions, sources) = gdelt_core(&tabs, ctx.countries)?;
    let f = |i: usize| tabs.field(i);
    let sector = |kind: &[u8]| {
        if kind.len() == 3 {
            Sector::new(ascii_str(kind)).ok()
        } else {
            None
        }
    };
    let event = Event {
        id: ctx.opts.keep_text.then(|| ascii_str(f(G_ID)).to_owned()),
        date: core.date,
        source: Actor {
            country: core.source,
            sector: sector(f(G_A1_TYPE)),
        },
        target: Actor {
            country: core.target,
            sector: sector(f(G_A2_TYPE)),
        },
        code: core.code,
        goldstein: core.goldstein,
        mentions,
        sources,
        articles: core.articles,
        tone: core.tone,
        source_url: match (ctx.opts.keep_text, l.url) {
            (true, Some(u)) if !f(u).is_empty() => Some(String::from_utf8_lossy(f(u)).into_owned()),
            _ => None,
        },
        description: None,
        provenance: Provenance {
            dataset: String::new(),
            row: 0,
        },
    };
    let _ = (G_A1_CODE, G_A2_CODE);
    Ok(Parsed::Event(event))
}

/// Whether the text columns a kept GDELT event carries (GLOBALEVENTID and
/// SOURCEURL) hold invalid UTF-8, which the event reader replaces.
fn gdelt_text_replaced(line: &[u8], layout: Option<GdeltLayout>) -> bool {
    let Some(l) = layout else { return false };
    let tabs = Tabs::<ALL_TABS>::new(line);
    std::iter::once(G_ID)
        .chain(l.url)
        .any(|i| std::str::from_utf8(tabs.field(i)).is_err())
}

/// The GDELT dedup rule, applied after a row parsed.
fn gdelt_dedup(state: &mut DedupState, line: &[u8], layout: Option<GdeltLayout>) -> bool {
    let Some(l) = layout else { return false };
    let mut fields = Vec::with_capacity(62);
    split_tabs(line, &mut fields);
    if fields.len() < l.columns {
        return false;
    }
    if let Ok(id) = ascii_str(fields[G_ID]).parse::<u64>() {
        if !state.gdelt_ids.insert(id) {
            return true;
        }
    }
    let Some(added) = dateadded_minutes(fields[l.dateadded]) else {
        return false;
    };
    let mut sig = Vec::with_capacity(64);
    for i in [
        G_SQLDATE,
        G_A1_CODE,
        G_A2_CODE,
        G_EVENTCODE,
        l.action_feature,
    ] {
        sig.extend_from_slice(fields[i]);
        sig.push(b'\t');
    }
    state.newest = state.newest.max(added);
    // Forget signatures older than the window so memory stays bounded.
    if state.signatures.len() > 1 << 20 {
        let horizon = state.newest - DEDUP_WINDOW_MINUTES;
        state.signatures.retain(|_, &mut t| t >= horizon);
    }
    match state.signatures.insert(sig, added) {
        Some(prev) => (added - prev).abs() <= DEDUP_WINDOW_MINUTES,
        None => false,
    }
}

/// Native event fields, borrowed from a CSV record or a JSON object.
#[derive(Debug, Default)]
struct RawEvent<'a> {
    date: &'a str,
    source: &'a str,
    target: &'a str,
    cameo_code: &'a str,
    event_id: Option<&'a str>,
    source_sector: Option<&'a str>,
    target_sector: Option<&'a str>,
    goldstein: Option<f64>,
    mentions: Option<f64>,
    sources: Option<f64>,
    articles: Option<f64>,
    tone: Option<f64>,
    source_url: Option<&'a str>,
    description: Option<&'a str>,
}

/// The native JSON event object. Unknown keys are an error, so a typo fails.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonEvent {
    date: String,
    source: String,
    target: String,
    cameo_code: CodeString,
    event_id: Option<String>,
    source_sector: Option<String>,
    target_sector: Option<String>,
    goldstein: Option<f64>,
    mentions: Option<f64>,
    sources: Option<f64>,
    articles: Option<f64>,
    tone: Option<f64>,
    source_url: Option<String>,
    description: Option<String>,
}

/// A CAMEO code must be a JSON string: a number would have lost its leading zeros.
#[derive(Debug)]
struct CodeString(String);

impl<'de> Deserialize<'de> for CodeString {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = serde_json::Value::deserialize(d)?;
        match v {
            serde_json::Value::String(s) => Ok(CodeString(s)),
            other => Err(serde::de::Error::custom(format!(
                "cameo_code must be a string such as \"010\", found `{other}`"
            ))),
        }
    }
}

impl JsonEvent {
    fn raw(&self) -> RawEvent<'_> {
        RawEvent {
            date: &self.date,
            source: &self.source,
            target: &self.target,
            cameo_code: &self.cameo_code.0,
            event_id: self.event_id.as_deref(),
            source_sector: self.source_sector.as_deref(),
            target_sector: self.target_sector.as_deref(),
            goldstein: self.goldstein,
            mentions: self.mentions,
            sources: self.sources,
            articles: self.articles,
            tone: self.tone,
            source_url: self.source_url.as_deref(),
            description: self.description.as_deref(),
        }
    }
}

fn json_reject(e: serde_json::Error) -> RejectReason {
    RejectReason::row("invalid_json", format!("not a valid event object: {e}"))
}

/// Reads a JSON array of event objects element by element.
fn read_json_array(
    ctx: &mut Ctx<'_>,
    lines: &mut LineReader<Box<dyn BufRead + Send>>,
    buf: &mut Vec<u8>,
    sink: &mut dyn EventSink,
) -> Result<(), IngestError> {
    // Native JSON arrays are small curated files; they are read whole, up to a bound.
    let mut text = strip_bom(buf).to_vec();
    let start_line = lines.line;
    while let Some(status) = lines
        .next_line(buf)
        .map_err(|e| read_error(ctx.path, source::Compression::None, e))?
    {
        if matches!(status, Line::TooLong(_)) || text.len() + buf.len() > 256 << 20 {
            return Err(IngestError::Row {
                path: ctx.path.to_owned(),
                line: lines.line,
                reason: RejectReason::row(
                    "file_too_large",
                    "JSON arrays are limited to 256 MiB; use JSON Lines for large files",
                ),
            });
        }
        text.push(b'\n');
        text.extend_from_slice(buf);
    }
    let items: Vec<serde_json::Value> =
        serde_json::from_slice(&text).map_err(|e| IngestError::Row {
            path: ctx.path.to_owned(),
            line: start_line + e.line() as u64 - 1,
            reason: RejectReason::row("invalid_json", format!("the file is not a JSON array: {e}")),
        })?;
    for (i, item) in items.into_iter().enumerate() {
        let record = i as u64 + 1;
        ctx.acc.rows_read += 1;
        let raw = item.to_string();
        let result = serde_json::from_value::<JsonEvent>(item)
            .map_err(json_reject)
            .and_then(|j| ctx.native(j.raw(), record));
        ctx.finish(record, raw.as_bytes(), result, sink)?;
    }
    Ok(())
}

/// Splits one CSV record (RFC 4180 quoting) into fields.
/// Splits one CSV record; the flag says whether invalid UTF-8 was replaced.
fn parse_csv_record(line: &[u8]) -> Result<(Vec<String>, bool), RejectReason> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(line);
    let mut rec = csv::ByteRecord::new();
    match rdr.read_byte_record(&mut rec) {
        Ok(true) => {
            let replaced = rec.iter().any(|f| std::str::from_utf8(f).is_err());
            Ok((
                rec.iter()
                    .map(|f| String::from_utf8_lossy(f).into_owned())
                    .collect(),
                replaced,
            ))
        }
        Ok(false) => Ok((Vec::new(), false)),
        Err(e) => Err(RejectReason::row(
            "invalid_csv",
            format!("cannot split the record: {e}"),
        )),
    }
}

/// Column positions of a native CSV header.
struct NativeColumns {
    index: Vec<(&'static str, usize)>,
    width: usize,
}

const NATIVE_REQUIRED: [&str; 4] = ["date", "source", "target", "cameo_code"];
const NATIVE_OPTIONAL: [&str; 10] = [
    "event_id",
    "source_sector",
    "target_sector",
    "goldstein",
    "mentions",
    "sources",
    "articles",
    "tone",
    "source_url",
    "description",
];

impl NativeColumns {
    fn new(path: &Path, header: &[String]) -> Result<NativeColumns, IngestError> {
        let mut index = Vec::new();
        for name in NATIVE_REQUIRED.iter().chain(&NATIVE_OPTIONAL) {
            match header.iter().position(|h| h.trim() == *name) {
                Some(i) => index.push((*name, i)),
                None if NATIVE_REQUIRED.contains(name) => {
                    return Err(IngestError::MissingColumn {
                        path: path.to_owned(),
                        column: (*name).to_owned(),
                        header: header.join(","),
                    });
                }
                None => {}
            }
        }
        if let Some(unknown) = header
            .iter()
            .find(|h| !NATIVE_REQUIRED.contains(&h.trim()) && !NATIVE_OPTIONAL.contains(&h.trim()))
        {
            return Err(IngestError::MissingColumn {
                path: path.to_owned(),
                column: format!("(unknown column `{unknown}`; expected only the documented names)"),
                header: header.join(","),
            });
        }
        Ok(NativeColumns {
            index,
            width: header.len(),
        })
    }

    fn raw<'a>(&self, fields: &'a [String]) -> Result<RawEvent<'a>, RejectReason> {
        if fields.len() != self.width {
            return Err(RejectReason::row(
                "wrong_column_count",
                format!(
                    "expected {} comma-separated columns like the header, found {}",
                    self.width,
                    fields.len()
                ),
            ));
        }
        let mut raw = RawEvent::default();
        for &(name, i) in &self.index {
            let v = fields[i].as_str();
            let opt = (!v.trim().is_empty()).then_some(v);
            let num = |v: Option<&str>| -> Result<Option<f64>, RejectReason> {
                v.map(|s| {
                    s.trim()
                        .parse::<f64>()
                        .map_err(|_| RejectReason::field("invalid_number", name, s, "not a number"))
                })
                .transpose()
            };
            match name {
                "date" => raw.date = v,
                "source" => raw.source = v,
                "target" => raw.target = v,
                "cameo_code" => raw.cameo_code = v,
                "event_id" => raw.event_id = opt,
                "source_sector" => raw.source_sector = opt,
                "target_sector" => raw.target_sector = opt,
                "goldstein" => raw.goldstein = num(opt)?,
                "mentions" => raw.mentions = num(opt)?,
                "sources" => raw.sources = num(opt)?,
                "articles" => raw.articles = num(opt)?,
                "tone" => raw.tone = num(opt)?,
                "source_url" => raw.source_url = opt,
                _ => raw.description = opt,
            }
        }
        Ok(raw)
    }
}

/// Column positions of an ICEWS header.
struct IcewsColumns {
    id: usize,
    date: usize,
    source_sectors: usize,
    source_country: usize,
    code: usize,
    intensity: usize,
    target_sectors: usize,
    target_country: usize,
    publisher: usize,
    text: usize,
    width: usize,
}

impl IcewsColumns {
    fn new(path: &Path, header: &[u8]) -> Result<IcewsColumns, IngestError> {
        let names: Vec<String> = header
            .split(|&b| b == b'\t')
            .map(|f| String::from_utf8_lossy(f).trim().to_owned())
            .collect();
        let find = |col: &str| {
            names
                .iter()
                .position(|n| n == col)
                .ok_or_else(|| IngestError::MissingColumn {
                    path: path.to_owned(),
                    column: col.to_owned(),
                    header: names.join("\t"),
                })
        };
        Ok(IcewsColumns {
            id: find("Event ID")?,
            date: find("Event Date")?,
            source_sectors: find("Source Sectors")?,
            source_country: find("Source Country")?,
            code: find("CAMEO Code")?,
            intensity: find("Intensity")?,
            target_sectors: find("Target Sectors")?,
            target_country: find("Target Country")?,
            publisher: find("Publisher")?,
            text: find("Event Text")?,
            width: names.len(),
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn row(
        &self,
        line: &[u8],
        acc: &mut Accounting,
        countries: &Countries,
        line_no: u64,
        dataset: &str,
        keep_text: bool,
    ) -> Result<Parsed, RejectReason> {
        // ICEWS files are UTF-8 or Latin-1: a line that is not UTF-8 is read as Latin-1.
        let text = match std::str::from_utf8(line) {
            Ok(s) => std::borrow::Cow::Borrowed(s),
            Err(_) => {
                acc.utf8_replaced += 1;
                std::borrow::Cow::Owned(line.iter().map(|&b| char::from(b)).collect::<String>())
            }
        };
        let f: Vec<&str> = text.split('\t').collect();
        if f.len() != self.width {
            return Err(RejectReason::row(
                "wrong_column_count",
                format!(
                    "expected {} tab-separated columns like the header, found {}",
                    self.width,
                    f.len()
                ),
            ));
        }
        let date = Date::parse(f[self.date].trim()).map_err(|_| {
            RejectReason::field(
                "invalid_date",
                "Event Date",
                f[self.date],
                "not a valid YYYY-MM-DD day",
            )
        })?;
        let code = CameoCode::parse(f[self.code].trim()).map_err(|_| {
            RejectReason::field(
                "unknown_cameo_code",
                "CAMEO Code",
                f[self.code],
                "not a CAMEO event code",
            )
        })?;
        let intensity = f[self.intensity].trim();
        let goldstein = if intensity.is_empty() || intensity == "NA" {
            code.goldstein()
        } else {
            let g = intensity.parse::<f64>().map_err(|_| {
                RejectReason::field("invalid_number", "Intensity", intensity, "not a number")
            })?;
            check_goldstein(g, "Intensity")?
        };
        let actor = |country: &str, sectors: &str, field: &str| -> Result<Actor, RejectReason> {
            let c = country.trim();
            let country = if c.is_empty() || c == "NA" {
                None
            } else {
                Some(
                    countries
                        .by_name(c, Some(date))
                        .map_err(|e| {
                            RejectReason::field("unknown_country", field, c, e.to_string())
                        })?
                        .id,
                )
            };
            let sector = icews_sector(sectors);
            Ok(Actor { country, sector })
        };
        let source = actor(
            f[self.source_country],
            f[self.source_sectors],
            "Source Country",
        )?;
        let target = actor(
            f[self.target_country],
            f[self.target_sectors],
            "Target Country",
        )?;
        Ok(Parsed::Event(Event {
            id: keep_text.then(|| f[self.id].to_owned()),
            date,
            source,
            target,
            code,
            goldstein,
            mentions: None,
            sources: None,
            articles: None,
            tone: None,
            source_url: None,
            description: keep_text.then(|| format!("{} ({})", f[self.text], f[self.publisher])),
            provenance: Provenance {
                dataset: dataset.to_owned(),
                row: line_no,
            },
        }))
    }
}

/// ICEWS sectors are words ("Government", "Military"); map the common ones to CAMEO types.
fn icews_sector(sectors: &str) -> Option<Sector> {
    let first = sectors.split(',').map(str::trim).find(|s| !s.is_empty())?;
    let code = match first {
        s if s.contains("Military") => "MIL",
        s if s.contains("Police") => "COP",
        s if s.contains("Government") || s.contains("Executive") || s.contains("Ministry") => "GOV",
        s if s.contains("Business") => "BUS",
        s if s.contains("Media") => "MED",
        s if s.contains("Opposition") => "OPP",
        s if s.contains("Legislative") || s.contains("Parties") => "LEG",
        _ => return None,
    };
    Sector::new(code).ok()
}

/// Walks the lines of one chunk of a plain GDELT file: counts them, skips
/// blank lines and a header on the chunk's first line, and hands every other row with its chunk-relative line number to
/// `row`. Returns the number of lines in the chunk.
#[inline]
fn gdelt_chunk_lines(
    bytes: &[u8],
    first_chunk: bool,
    acc: &mut Accounting,
    mut row: impl FnMut(u64, &[u8], &mut Accounting),
) -> u64 {
    let mut line_no = 0u64;
    let body = bytes.strip_suffix(b"\n").unwrap_or(bytes);
    let mut rest = Some(body);
    while let Some(text) = rest {
        let line = match memchr::memchr(b'\n', text) {
            Some(i) => {
                rest = Some(&text[i + 1..]);
                &text[..i]
            }
            None => {
                rest = None;
                text
            }
        };
        line_no += 1;
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.is_empty() {
            continue;
        }
        if first_chunk && line_no == 1 && is_gdelt_header(line) {
            acc.header_skipped = true;
            continue;
        }
        acc.rows_read += 1;
        row(line_no, line, acc);
    }
    if bytes.is_empty() { 0 } else { line_no }
}

/// Parses one chunk of a plain GDELT file (line-aligned bytes from
/// [`source::line_chunks`]) for readers that run chunks in parallel.
///
/// Line numbers in the returned accounting are relative to the chunk (its
/// first line is 1); shift them with [`Accounting::offset_lines`] by the
/// number of lines before the chunk, which is the second value returned by
/// the previous chunks. Only the first chunk may carry a header. Signature
/// dedup needs one ordered pass and is not applied here.
pub fn parse_gdelt_chunk(
    bytes: &[u8],
    first_chunk: bool,
    dataset: &str,
    sink: &mut dyn EventSink,
) -> (Accounting, u64) {
    let ctx = Ctx {
        path: Path::new(dataset),
        acc: Accounting::new(dataset, "gdelt"),
        opts: ReadOptions::default(),
        countries: Countries::global(),
        dataset: dataset.to_owned(),
        dedup: DedupState::default(),
    };
    let mut layout = None;
    let mut acc = Accounting::new(dataset, "gdelt");
    let lines = gdelt_chunk_lines(bytes, first_chunk, &mut acc, |line_no, line, acc| {
        let result = if line.len() > source::MAX_LINE {
            Err(too_long(line.len() as u64))
        } else {
            gdelt_row(line, &mut layout, &ctx)
        };
        match result {
            Ok(Parsed::Event(e)) => {
                acc.count_kept(e.dyad().is_some());
                sink.event(e);
            }
            // Chunks are never deduplicated.
            Ok(Parsed::Duplicate) => acc.deduplicated += 1,
            Err(reason) => {
                acc.reject(line_no, &reason);
                sink.reject(line_no, line, &reason);
            }
        }
    });
    (acc, lines)
}

/// [`parse_gdelt_chunk`] for aggregation: the same rules, rejects and
/// accounting, but each row is handed over as an [`EventCore`] (no text
/// fields, no allocation) and only the columns up to AvgTone are located;
/// the columns after it are counted, so a row with a wrong column count is
/// still rejected. `sink` receives every accepted and not-dyadic row, in
/// file order.
pub fn parse_gdelt_chunk_core(
    bytes: &[u8],
    first_chunk: bool,
    dataset: &str,
    mut sink: impl FnMut(&EventCore),
) -> (Accounting, u64) {
    let countries = Countries::global();
    let mut layout = None;
    let mut acc = Accounting::new(dataset, "gdelt");
    let lines = gdelt_chunk_lines(bytes, first_chunk, &mut acc, |line_no, line, acc| {
        let result = if line.len() > source::MAX_LINE {
            Err(too_long(line.len() as u64))
        } else {
            gdelt_core_row(line, &mut layout, countries)
        };
        match result {
            Ok(core) => {
                acc.count_kept(core.dyad().is_some());
                sink(&core);
            }
            Err(reason) => acc.reject(line_no, &reason),
        }
    });
    (acc, lines)
}

#[cfg(test)]
mod tests;
