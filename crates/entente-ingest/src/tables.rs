//! Readers of structured tables: COW (NMC, trade, IGO), ATOP, UN votes and roll
//! calls, World Bank, Archigos, the regime table, and entente's native
//! indicator, membership and leader tables.
//!
//! Each reader returns every value it accepted plus an [`Accounting`] in which
//! each data row is accepted, not usable (a World Bank aggregate such as
//! `WLD`, a COW state-year before entente's country table begins), or
//! rejected with a reason.

use std::io::BufRead;
use std::path::Path;

use entente_model::{
    AllianceYear, BlocMembership, Capability, CodeSystem, Countries, Country, CountryId, Date,
    DyadicIndicator, IgoYear, LeaderTerm, MonadicIndicator, NationalTrade, Period, RegimeScores,
    RollCall, TradeYear, UnVote, Vote,
};

use crate::source::{self, Line, LineReader, strip_bom};
use crate::{Accounting, IngestError, RejectReason};

/// What a table reader returns.
#[derive(Debug, Clone)]
pub struct Table<T> {
    /// Accepted values, in file order.
    pub rows: Vec<T>,
    /// The ledger.
    pub accounting: Accounting,
}

/// The outcome of one row.
pub enum RowResult<T> {
    /// A value.
    Accept(T),
    /// A well-formed row with nothing entente can use (counted as not usable).
    Unusable,
}

/// One data row, with its header.
pub struct Row<'a> {
    header: &'a [String],
    fields: &'a [String],
    /// 1-based line number.
    pub line: u64,
}

impl Row<'_> {
    /// The raw text of a column (empty when absent).
    pub fn get(&self, column: &str) -> &str {
        self.header
            .iter()
            .position(|h| h == column)
            .and_then(|i| self.fields.get(i))
            .map_or("", |s| s.trim())
    }

    /// A required whole number.
    pub fn int(&self, column: &str) -> Result<i64, RejectReason> {
        let v = self.get(column);
        v.parse::<i64>()
            .or_else(|_| match v.parse::<f64>() {
                Ok(f) if f.fract() == 0.0 && f.abs() < 1e15 => Ok(f as i64),
                _ => Err(()),
            })
            .map_err(|_| RejectReason::field("invalid_number", column, v, "not a whole number"))
    }

    /// An optional finite number (`""` and `NA` are missing).
    pub fn opt_f64(&self, column: &str) -> Result<Option<f64>, RejectReason> {
        let v = self.get(column);
        if v.is_empty() || v == "NA" {
            return Ok(None);
        }
        match v.parse::<f64>() {
            Ok(x) if x.is_finite() => Ok(Some(x)),
            _ => Err(RejectReason::field(
                "invalid_number",
                column,
                v,
                "not a finite number",
            )),
        }
    }

    /// An optional non-negative finite number.
    pub fn opt_nonneg(&self, column: &str) -> Result<Option<f64>, RejectReason> {
        match self.opt_f64(column)? {
            Some(x) if x < 0.0 => Err(RejectReason::field(
                "negative_value",
                column,
                self.get(column),
                "value cannot be negative",
            )),
            x => Ok(x),
        }
    }

    /// A 0/1 flag.
    pub fn flag(&self, column: &str) -> Result<bool, RejectReason> {
        match self.get(column) {
            "1" => Ok(true),
            "0" | "" => Ok(false),
            v => Err(RejectReason::field(
                "invalid_flag",
                column,
                v,
                "expected 0 or 1",
            )),
        }
    }

    /// A required date.
    pub fn date(&self, column: &str) -> Result<Date, RejectReason> {
        let v = self.get(column);
        Date::parse(v).map_err(|_| {
            RejectReason::field("invalid_date", column, v, "not a valid YYYY-MM-DD day")
        })
    }

    /// An optional date.
    pub fn opt_date(&self, column: &str) -> Result<Option<Date>, RejectReason> {
        if self.get(column).is_empty() {
            Ok(None)
        } else {
            self.date(column).map(Some)
        }
    }
}

/// Splits one CSV line (RFC 4180 quoting) into `out`. Returns `false` when a
/// quote is left open.
pub fn split_csv_line(line: &[u8], out: &mut Vec<String>) -> bool {
    out.clear();
    let mut field = Vec::new();
    let mut quoted = false;
    let mut i = 0;
    while i < line.len() {
        let b = line[i];
        if quoted {
            if b == b'"' {
                if line.get(i + 1) == Some(&b'"') {
                    field.push(b'"');
                    i += 1;
                } else {
                    quoted = false;
                }
            } else {
                field.push(b);
            }
        } else if b == b'"' {
            quoted = true;
        } else if b == b',' {
            out.push(String::from_utf8_lossy(&field).into_owned());
            field.clear();
        } else {
            field.push(b);
        }
        i += 1;
    }
    out.push(String::from_utf8_lossy(&field).into_owned());
    !quoted
}

/// Reads a comma-separated table with a header, calling `f` on each data row.
pub fn read_table<T>(
    path: &Path,
    format: &str,
    required: &[&str],
    mut f: impl FnMut(&Row<'_>) -> Result<RowResult<T>, RejectReason>,
) -> Result<Table<T>, IngestError> {
    let input = source::open(path)?;
    let compression = input.compression;
    let mut lines = LineReader::new(input.reader);
    read_lines(path, compression, format, required, &mut lines, &mut f)
}

/// A read error: an archive error when the file is compressed (a damaged or
/// truncated `.gz` or `.zip`), else an I/O error.
fn read_error(path: &Path, compression: source::Compression, e: std::io::Error) -> IngestError {
    let kind = match compression {
        source::Compression::None => {
            return IngestError::Io {
                path: path.to_owned(),
                source: e,
            };
        }
        source::Compression::Gzip => "gzip",
        source::Compression::Zip => "zip",
    };
    IngestError::Archive {
        path: path.to_owned(),
        kind,
        detail: format!("{e} (the file may be truncated)"),
    }
}

fn read_lines<T, R: BufRead>(
    path: &Path,
    compression: source::Compression,
    format: &str,
    required: &[&str],
    lines: &mut LineReader<R>,
    f: &mut impl FnMut(&Row<'_>) -> Result<RowResult<T>, RejectReason>,
) -> Result<Table<T>, IngestError> {
    let io = |e| read_error(path, compression, e);
    let mut buf = Vec::new();
    let mut acc = Accounting::new(path.display().to_string(), format);
    match lines.next_line(&mut buf).map_err(io)? {
        None => {
            return Err(IngestError::NoData {
                path: path.to_owned(),
                header_only: false,
            });
        }
        Some(Line::TooLong(n)) => {
            return Err(source::header_too_long(path, n));
        }
        Some(_) => {}
    }
    let mut header = Vec::new();
    split_csv_line(strip_bom(&buf), &mut header);
    for h in &mut header {
        *h = h.trim().to_owned();
    }
    acc.header_skipped = true;
    for col in required {
        if !header.iter().any(|h| h == col) {
            return Err(IngestError::MissingColumn {
                path: path.to_owned(),
                column: (*col).to_owned(),
                header: header.join(","),
            });
        }
    }
    let mut rows = Vec::new();
    let mut fields = Vec::new();
    let mut record = Vec::new();
    while let Some(status) = lines.next_line(&mut buf).map_err(io)? {
        let line = lines.line;
        if buf.is_empty() && !matches!(status, Line::TooLong(_)) {
            continue;
        }
        acc.rows_read += 1;
        // A quoted field may hold a newline: lines are joined until quotes balance.
        let end = source::read_csv_record(lines, &mut buf, status, &mut record).map_err(io)?;
        if end == source::RecordEnd::Complete {
            split_csv_line(&record, &mut fields);
        }
        let result = match end {
            source::RecordEnd::TooLong(n) => Err(RejectReason::row(
                "line_too_long",
                format!(
                    "line of {n} bytes exceeds the {} MiB limit",
                    source::MAX_LINE >> 20
                ),
            )),
            source::RecordEnd::QuoteOpenAtEnd => Err(RejectReason::row(
                "invalid_csv",
                "a quoted field is still open at the end of the file (a quote is missing)",
            )),
            _ if fields.len() != header.len() => Err(RejectReason::row(
                "wrong_column_count",
                format!(
                    "expected {} columns like the header, found {}",
                    header.len(),
                    fields.len()
                ),
            )),
            _ => f(&Row {
                header: &header,
                fields: &fields,
                line,
            }),
        };
        match result {
            Ok(RowResult::Accept(v)) => {
                acc.accepted += 1;
                rows.push(v);
            }
            Ok(RowResult::Unusable) => acc.not_dyadic += 1,
            Err(r) => acc.reject(line, &r),
        }
    }
    if acc.rows_read == 0 {
        return Err(IngestError::NoData {
            path: path.to_owned(),
            header_only: true,
        });
    }
    Ok(Table {
        rows,
        accounting: acc,
    })
}

/// The entity that held a COW (or G-W) code during a year: the holder on
/// 1 July, else on 31 December, else on 1 January.
pub fn code_in_year(
    system: CodeSystem,
    code: &str,
    year: i64,
) -> Result<&'static Country, RejectReason> {
    let countries = Countries::global();
    let y = i32::try_from(year).unwrap_or(0);
    for (m, d) in [(7, 1), (12, 31), (1, 1)] {
        if let Ok(date) = Date::new(y, m, d) {
            if let Ok(c) = countries.by_code(system, code, Some(date)) {
                return Ok(c);
            }
        }
    }
    // Some data sets use a code a little outside its official spell (ATOP codes
    // West Germany 260 from 1954, COW national trade uses 255 for it in the
    // 1960s): a code that some entity held at some time goes to its latest holder.
    if let Ok(c) = countries.by_code(system, code, None) {
        return Ok(c);
    }
    Err(RejectReason::field(
        "unknown_country",
        if system == CodeSystem::Gw {
            "gwcode"
        } else {
            "ccode"
        },
        code,
        format!("no entity held {} code {code} in {year}", system.as_str()),
    ))
}

fn cow(row: &Row<'_>, column: &str, year: i64) -> Result<CountryId, RejectReason> {
    let code = row.int(column)?;
    code_in_year(CodeSystem::Cow, &code.to_string(), year)
        .map(|c| c.id)
        .map_err(|mut r| {
            r.field = Some(column.to_owned());
            r
        })
}

/// A COW value (trade, NMC components): `-9` (COW's missing code) and empty are missing, other
/// negatives are rejected.
fn cow_flow(r: &Row<'_>, c: &str) -> Result<Option<f64>, RejectReason> {
    match r.opt_f64(c)? {
        Some(-9.0) => Ok(None),
        Some(x) if x < 0.0 => Err(RejectReason::field(
            "negative_value",
            c,
            r.get(c),
            "trade value cannot be negative",
        )),
        x => Ok(x),
    }
}

/// COW National Material Capabilities (v6/v7: `ccode,year,milex,milper,irst,pec,tpop,upop,cinc`).
pub fn read_nmc(path: &Path) -> Result<Table<Capability>, IngestError> {
    let cols = [
        "ccode", "year", "milex", "milper", "irst", "pec", "tpop", "upop",
    ];
    read_table(path, "cow_nmc", &cols, |r| {
        let year = r.int("year")?;
        let ccode = r.int("ccode")?;
        // Every row counts in the system totals, so a state-year outside the
        // country table is kept, with no entente id.
        let country = cow(r, "ccode", year).ok();
        Ok(RowResult::Accept(Capability {
            country,
            cow: u32::try_from(ccode).map_err(|_| {
                RejectReason::field("invalid_number", "ccode", r.get("ccode"), "negative code")
            })?,
            year: year as i32,
            cinc: None,
            cinc_published: r.opt_f64("cinc")?,
            milex: cow_flow(r, "milex")?,
            milper: cow_flow(r, "milper")?,
            irst: cow_flow(r, "irst")?,
            pec: cow_flow(r, "pec")?,
            tpop: cow_flow(r, "tpop")?,
            upop: cow_flow(r, "upop")?,
        }))
    })
}

/// ATOP 5.1 directed dyad-years (`ccode1,ccode2,year,atop_defense,atop_offense,atop_neutral,atop_nonagg,atop_consul`).
pub fn read_atop(path: &Path) -> Result<Table<AllianceYear>, IngestError> {
    let cols = [
        "ccode1",
        "ccode2",
        "year",
        "atop_defense",
        "atop_offense",
        "atop_neutral",
        "atop_nonagg",
        "atop_consul",
    ];
    read_table(path, "atop", &cols, |r| {
        let year = r.int("year")?;
        let (a, b) = (cow(r, "ccode1", year)?, cow(r, "ccode2", year)?);
        if a == b {
            return Ok(RowResult::Unusable);
        }
        Ok(RowResult::Accept(AllianceYear {
            a,
            b,
            year: year as i32,
            defense: r.flag("atop_defense")?,
            offense: r.flag("atop_offense")?,
            neutrality: r.flag("atop_neutral")?,
            nonaggression: r.flag("atop_nonagg")?,
            consultation: r.flag("atop_consul")?,
        }))
    })
}

/// COW Dyadic Trade v4 (`ccode1,ccode2,year,flow1,flow2`): flow1 is imports of
/// ccode1 from ccode2. COW codes missing flows as −9 in its own release; both
/// that and an empty cell are read as missing.
pub fn read_cow_trade(path: &Path) -> Result<Table<TradeYear>, IngestError> {
    read_table(
        path,
        "cow_trade",
        &["ccode1", "ccode2", "year", "flow1", "flow2"],
        |r| {
            let year = r.int("year")?;
            let (a, b) = (cow(r, "ccode1", year)?, cow(r, "ccode2", year)?);
            if a == b {
                return Ok(RowResult::Unusable);
            }
            let flow = |c: &str| cow_flow(r, c);
            Ok(RowResult::Accept(TradeYear {
                a,
                b,
                year: year as i32,
                a_imports: flow("flow1")?,
                b_imports: flow("flow2")?,
            }))
        },
    )
}

/// COW National Trade (`ccode,year,imports,exports`).
pub fn read_national_trade(path: &Path) -> Result<Table<NationalTrade>, IngestError> {
    read_table(
        path,
        "cow_trade_national",
        &["ccode", "year", "imports", "exports"],
        |r| {
            let year = r.int("year")?;
            Ok(RowResult::Accept(NationalTrade {
                country: cow(r, "ccode", year)?,
                year: year as i32,
                imports: cow_flow(r, "imports")?,
                exports: cow_flow(r, "exports")?,
            }))
        },
    )
}

/// COW IGO non-directed dyad-years (`ccode1,ccode2,year,dyadigos`).
pub fn read_igo_dyads(path: &Path) -> Result<Table<IgoYear>, IngestError> {
    read_table(
        path,
        "cow_igo",
        &["ccode1", "ccode2", "year", "dyadigos"],
        |r| {
            let year = r.int("year")?;
            let (a, b) = (cow(r, "ccode1", year)?, cow(r, "ccode2", year)?);
            let n = r.int("dyadigos")?;
            if a == b {
                return Ok(RowResult::Unusable);
            }
            Ok(RowResult::Accept(IgoYear {
                a,
                b,
                year: year as i32,
                shared: u32::try_from(n).map_err(|_| {
                    RejectReason::field(
                        "negative_value",
                        "dyadigos",
                        r.get("dyadigos"),
                        "count cannot be negative",
                    )
                })?,
            }))
        },
    )
}

/// UN General Assembly votes (`rcid,country,country_code,vote`). `country_code`
/// is ISO alpha-2, and `NA` is Namibia, never a missing value. Codes of
/// historical members (Soviet Union, Yugoslavia, ...) resolve by name when
/// their ISO 2 code is retired.
pub fn read_un_votes(path: &Path) -> Result<Table<UnVote>, IngestError> {
    let countries = Countries::global();
    read_table(
        path,
        "un_votes",
        &["rcid", "country", "country_code", "vote"],
        |r| {
            let rcid = u32::try_from(r.int("rcid")?).map_err(|_| {
                RejectReason::field(
                    "invalid_number",
                    "rcid",
                    r.get("rcid"),
                    "a roll-call id is a whole number from 0 to 4,294,967,295",
                )
            })?;
            let vote = match r.get("vote") {
                "yes" => Vote::Yes,
                "no" => Vote::No,
                "abstain" => Vote::Abstain,
                v => {
                    return Err(RejectReason::field(
                        "invalid_vote",
                        "vote",
                        v,
                        "expected yes, no or abstain",
                    ));
                }
            };
            let name = r.get("country");
            let code = r.get("country_code");
            // Names first: they tell the USSR from Russia and the FRG from Germany.
            let country = match countries.by_name(name, None) {
                Ok(c) => c.id,
                Err(_) => {
                    countries
                        .by_code(CodeSystem::Iso2, code, None)
                        .map_err(|e| {
                            RejectReason::field(
                                "unknown_country",
                                "country_code",
                                code,
                                e.to_string(),
                            )
                        })?
                        .id
                }
            };
            Ok(RowResult::Accept(UnVote {
                rcid,
                country,
                vote,
            }))
        },
    )
}

/// UN roll calls (`rcid,session,importantvote,date,unres,amend,para,short,descr`).
pub fn read_roll_calls(path: &Path) -> Result<Table<RollCall>, IngestError> {
    read_table(
        path,
        "un_roll_calls",
        &["rcid", "session", "importantvote", "date", "short"],
        |r| {
            let num = |c: &str| -> Result<u32, RejectReason> {
                u32::try_from(r.int(c)?).map_err(|_| {
                    RejectReason::field("invalid_number", c, r.get(c), "negative number")
                })
            };
            Ok(RowResult::Accept(RollCall {
                rcid: num("rcid")?,
                session: num("session")?,
                date: r.date("date")?,
                important: r.flag("importantvote")?,
                short: r.get("short").to_owned(),
            }))
        },
    )
}

/// A World Bank indicator table, long (`Country Name,Country Code,Year,Value`)
/// or wide (a column per year, as the WDI download). Aggregates such as `WLD`
/// or `EUU` are counted as not usable.
pub fn read_world_bank(
    path: &Path,
    kind: &str,
    unit: &str,
) -> Result<Table<MonadicIndicator>, IngestError> {
    let countries = Countries::global();
    let make =
        |code: &str, year: i64, value: f64| -> Result<RowResult<MonadicIndicator>, RejectReason> {
            let Ok(c) = countries.by_code(CodeSystem::Iso3, code, None) else {
                return Ok(RowResult::Unusable);
            };
            let period = Period::parse(&format!("{year:04}")).map_err(|_| {
                RejectReason::field(
                    "invalid_number",
                    "Year",
                    &year.to_string(),
                    "year out of range",
                )
            })?;
            Ok(RowResult::Accept(MonadicIndicator {
                country: c.id,
                period,
                kind: kind.to_owned(),
                value,
                unit: unit.to_owned(),
            }))
        };
    // Peek at the header to choose the layout.
    let input = source::open(path)?;
    let mut lines = LineReader::new(input.reader);
    let mut buf = Vec::new();
    lines.next_line(&mut buf).map_err(|e| IngestError::Io {
        path: path.to_owned(),
        source: e,
    })?;
    let mut header = Vec::new();
    split_csv_line(strip_bom(&buf), &mut header);
    let long =
        header.iter().any(|h| h.trim() == "Year") && header.iter().any(|h| h.trim() == "Value");
    if long {
        return read_table(
            path,
            "world_bank",
            &["Country Code", "Year", "Value"],
            |r| {
                let Some(v) = r.opt_f64("Value")? else {
                    return Ok(RowResult::Unusable);
                };
                make(r.get("Country Code"), r.int("Year")?, v)
            },
        );
    }
    // Wide: one row per country, one column per year; each row yields many values.
    let years: Vec<(String, i64)> = header
        .iter()
        .filter_map(|h| {
            let t = h.trim();
            let y = t.get(..4)?.parse::<i64>().ok()?;
            (t.len() == 4 || t.starts_with(&format!("{y} [YR"))).then(|| (t.to_owned(), y))
        })
        .collect();
    let mut out = Vec::new();
    let mut table = read_table(path, "world_bank", &["Country Code"], |r| {
        let code = r.get("Country Code");
        let mut any = false;
        for (col, y) in &years {
            let v = r.get(col);
            if v.is_empty() || v == ".." {
                continue;
            }
            let x = r.opt_f64(col)?;
            if let Some(x) = x {
                if let RowResult::Accept(m) = make(code, *y, x)? {
                    out.push(m);
                    any = true;
                }
            }
        }
        Ok(if any {
            RowResult::Accept(())
        } else {
            RowResult::Unusable
        })
    })?;
    table.accounting.format = "world_bank_wide".into();
    Ok(Table {
        rows: out,
        accounting: table.accounting,
    })
}

/// Archigos leaders (peacesciencer's columns; `gwcode` is a Gleditsch-Ward code).
pub fn read_archigos(path: &Path) -> Result<Table<LeaderTerm>, IngestError> {
    read_table(
        path,
        "archigos",
        &["gwcode", "leader", "startdate", "enddate"],
        |r| {
            let start = r.date("startdate")?;
            let end = r.opt_date("enddate")?;
            let gw = r.int("gwcode")?;
            let country =
                code_in_year(CodeSystem::Gw, &gw.to_string(), i64::from(start.year()))?.id;
            let still = r.get("exit") == "Still in Office";
            Ok(RowResult::Accept(LeaderTerm {
                country,
                leader: r.get("leader").to_owned(),
                role: "effective_leader".into(),
                start,
                end: if still { None } else { end },
                source: "Archigos 4.1".into(),
            }))
        },
    )
}

/// The regime table (`ccode,year,` and any of `v2x_polyarchy`, `polity2`, `euds`).
pub fn read_regime(path: &Path) -> Result<Table<(CountryId, i32, RegimeScores)>, IngestError> {
    read_table(path, "regime", &["ccode", "year"], |r| {
        let year = r.int("year")?;
        let country = cow(r, "ccode", year)?;
        let s = RegimeScores {
            polyarchy: r.opt_f64("v2x_polyarchy")?,
            polity2: r.opt_f64("polity2")?,
            euds: r.opt_f64("euds")?.or(r.opt_f64("xm_qudsest")?),
        };
        Ok(RowResult::Accept((country, year as i32, s)))
    })
}

/// Native memberships (`bloc,country,start,end`).
pub fn read_memberships(path: &Path) -> Result<Table<BlocMembership>, IngestError> {
    read_table(
        path,
        "memberships",
        &["bloc", "country", "start", "end"],
        |r| {
            let start = r.date("start")?;
            let country = Countries::global()
                .lookup(r.get("country"), Some(start))
                .map_err(|e| {
                    RejectReason::field(
                        "unknown_country",
                        "country",
                        r.get("country"),
                        e.to_string(),
                    )
                })?;
            let end = r.opt_date("end")?;
            if end.is_some_and(|e| e < start) {
                return Err(RejectReason::field(
                    "invalid_date",
                    "end",
                    r.get("end"),
                    "end is before start",
                ));
            }
            Ok(RowResult::Accept(BlocMembership {
                bloc: r.get("bloc").to_owned(),
                country: country.id,
                start,
                end,
            }))
        },
    )
}

/// Native leader terms (`country,leader,role,start,end,source_url`).
pub fn read_leaders(path: &Path) -> Result<Table<LeaderTerm>, IngestError> {
    read_table(
        path,
        "leaders",
        &["country", "leader", "role", "start", "end"],
        |r| {
            let start = r.date("start")?;
            let country = Countries::global()
                .lookup(r.get("country"), Some(start))
                .map_err(|e| {
                    RejectReason::field(
                        "unknown_country",
                        "country",
                        r.get("country"),
                        e.to_string(),
                    )
                })?;
            Ok(RowResult::Accept(LeaderTerm {
                country: country.id,
                leader: r.get("leader").to_owned(),
                role: r.get("role").to_owned(),
                start,
                end: r.opt_date("end")?,
                source: r.get("source_url").to_owned(),
            }))
        },
    )
}

fn indicator_value(r: &Row<'_>) -> Result<(Period, f64), RejectReason> {
    let p = r.get("period");
    let period = Period::parse(p).map_err(|_| {
        RejectReason::field(
            "invalid_period",
            "period",
            p,
            "expected YYYY, YYYY-Qn, YYYY-MM or YYYY-MM-DD",
        )
    })?;
    let value = r
        .opt_f64("value")?
        .ok_or_else(|| RejectReason::field("missing_field", "value", "", "a value is required"))?;
    Ok((period, value))
}

fn resolve(r: &Row<'_>, column: &str, period: Period) -> Result<CountryId, RejectReason> {
    Countries::global()
        .lookup(r.get(column), Some(period.start()))
        .map(|c| c.id)
        .map_err(|e| RejectReason::field("unknown_country", column, r.get(column), e.to_string()))
}

/// Native monadic indicators (`country,period,kind,value,unit`).
pub fn read_monadic(path: &Path) -> Result<Table<MonadicIndicator>, IngestError> {
    read_table(
        path,
        "monadic",
        &["country", "period", "kind", "value", "unit"],
        |r| {
            let (period, value) = indicator_value(r)?;
            Ok(RowResult::Accept(MonadicIndicator {
                country: resolve(r, "country", period)?,
                period,
                kind: r.get("kind").to_owned(),
                value,
                unit: r.get("unit").to_owned(),
            }))
        },
    )
}

/// Native dyadic indicators (`source,target,period,kind,value,unit`).
pub fn read_dyadic(path: &Path) -> Result<Table<DyadicIndicator>, IngestError> {
    read_table(
        path,
        "dyadic",
        &["source", "target", "period", "kind", "value", "unit"],
        |r| {
            let (period, value) = indicator_value(r)?;
            Ok(RowResult::Accept(DyadicIndicator {
                source: resolve(r, "source", period)?,
                target: resolve(r, "target", period)?,
                period,
                kind: r.get("kind").to_owned(),
                value,
                unit: r.get("unit").to_owned(),
            }))
        },
    )
}
