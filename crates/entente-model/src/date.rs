//! Calendar dates and analysis periods (day, month, quarter, year).
//!
//! A small proleptic-Gregorian date type is enough for event data and keeps the
//! model free of a date-time dependency; it never reads a clock.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::ModelError;

/// A calendar date, validated (2024-02-30 cannot exist).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Date {
    year: i16,
    month: u8,
    day: u8,
}

/// Years outside this range are rejected as implausible for political event data.
pub const MIN_YEAR: i32 = 1000;
/// See [`MIN_YEAR`].
pub const MAX_YEAR: i32 = 2999;

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Number of days in a month of a year.
pub fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

impl Date {
    /// Builds a date, checking that it exists.
    pub fn new(year: i32, month: u32, day: u32) -> Result<Date, ModelError> {
        if !(MIN_YEAR..=MAX_YEAR).contains(&year)
            || !(1..=12).contains(&month)
            || day == 0
            || day > days_in_month(year, month)
        {
            return Err(ModelError::InvalidDate(format!(
                "{year:04}-{month:02}-{day:02}"
            )));
        }
        // The ranges were checked above, so the narrowing casts are lossless.
        Ok(Date {
            year: year as i16,
            month: month as u8,
            day: day as u8,
        })
    }

    /// The year.
    pub fn year(self) -> i32 {
        i32::from(self.year)
    }
    /// The month, 1 to 12.
    pub fn month(self) -> u32 {
        u32::from(self.month)
    }
    /// The day of the month, 1 to 31.
    pub fn day(self) -> u32 {
        u32::from(self.day)
    }

    /// Parses `YYYY-MM-DD` (ISO 8601 calendar date) or the compact `YYYYMMDD` that GDELT uses.
    pub fn parse(s: &str) -> Result<Date, ModelError> {
        let b = s.as_bytes();
        let bad = || ModelError::InvalidDate(s.to_owned());
        let digits = |r: &[u8]| -> Option<u32> {
            if r.is_empty() || !r.iter().all(u8::is_ascii_digit) {
                return None;
            }
            Some(r.iter().fold(0u32, |acc, d| acc * 10 + u32::from(d - b'0')))
        };
        let (y, m, d) = match b.len() {
            10 if b[4] == b'-' && b[7] == b'-' => (&b[0..4], &b[5..7], &b[8..10]),
            8 => (&b[0..4], &b[4..6], &b[6..8]),
            _ => return Err(bad()),
        };
        let (Some(y), Some(m), Some(d)) = (digits(y), digits(m), digits(d)) else {
            return Err(bad());
        };
        Date::new(y as i32, m, d).map_err(|_| bad())
    }

    /// Days since 1970-01-01 (negative before), after Howard Hinnant's `days_from_civil`.
    pub fn days_since_epoch(self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` after 1970-01-01 (the inverse of
    /// [`Date::days_since_epoch`], after Hinnant's `civil_from_days`), or
    /// `None` outside the years a `Date` allows.
    pub fn from_days_since_epoch(days: i64) -> Option<Date> {
        let z = days.checked_add(719_468)?;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = doy - (153 * mp + 2) / 5 + 1;
        let m = if mp < 10 { mp + 3 } else { mp - 9 };
        let y = yoe + era * 400 + i64::from(m <= 2);
        Date::new(i32::try_from(y).ok()?, m as u32, d as u32).ok()
    }

    /// The period of the given kind that contains this date.
    pub fn period(self, kind: PeriodKind) -> Period {
        match kind {
            PeriodKind::Day => Period::Day(self),
            PeriodKind::Month => Period::Month {
                year: self.year,
                month: self.month,
            },
            PeriodKind::Quarter => Period::Quarter {
                year: self.year,
                quarter: (self.month - 1) / 3 + 1,
            },
            PeriodKind::Year => Period::Year(self.year),
        }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl FromStr for Date {
    type Err = ModelError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Date::parse(s)
    }
}

impl TryFrom<String> for Date {
    type Error = ModelError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Date::parse(&s)
    }
}

impl From<Date> for String {
    fn from(d: Date) -> String {
        d.to_string()
    }
}

/// The resolution of a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodKind {
    /// A calendar day.
    Day,
    /// A calendar month.
    Month,
    /// A calendar quarter.
    Quarter,
    /// A calendar year.
    Year,
}

impl FromStr for PeriodKind {
    type Err = ModelError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "day" => Ok(PeriodKind::Day),
            "month" => Ok(PeriodKind::Month),
            "quarter" => Ok(PeriodKind::Quarter),
            "year" => Ok(PeriodKind::Year),
            _ => Err(ModelError::InvalidPeriod(s.to_owned())),
        }
    }
}

/// A period of time: `2024-05-16`, `2024-05`, `2024-Q2` or `2024`.
///
/// Periods of one kind order chronologically; [`Period::parse`] accepts exactly
/// what [`fmt::Display`] writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Period {
    /// One day.
    Day(Date),
    /// One month.
    Month {
        /// Year.
        year: i16,
        /// Month, 1 to 12.
        month: u8,
    },
    /// One quarter.
    Quarter {
        /// Year.
        year: i16,
        /// Quarter, 1 to 4.
        quarter: u8,
    },
    /// One year.
    Year(i16),
}

impl Period {
    /// The kind of the period.
    pub fn kind(self) -> PeriodKind {
        match self {
            Period::Day(_) => PeriodKind::Day,
            Period::Month { .. } => PeriodKind::Month,
            Period::Quarter { .. } => PeriodKind::Quarter,
            Period::Year(_) => PeriodKind::Year,
        }
    }

    /// The calendar year the period falls in.
    pub fn year(self) -> i32 {
        match self {
            Period::Day(d) => d.year(),
            Period::Month { year, .. } | Period::Quarter { year, .. } | Period::Year(year) => {
                i32::from(year)
            }
        }
    }

    /// The first day of the period.
    pub fn start(self) -> Date {
        let (y, m, d) = match self {
            Period::Day(d) => return d,
            Period::Month { year, month } => (year, u32::from(month), 1),
            Period::Quarter { year, quarter } => (year, u32::from(quarter) * 3 - 2, 1),
            Period::Year(year) => (year, 1, 1),
        };
        Date {
            year: y,
            month: m as u8,
            day: d,
        }
    }

    /// The coarser period of `kind` that contains this one (`2024-05` to `2024-Q2`).
    /// Returns `None` when `kind` is finer than the period.
    pub fn coarsen(self, kind: PeriodKind) -> Option<Period> {
        (kind >= self.kind()).then(|| self.start().period(kind))
    }

    /// The period just before this one, of the same kind.
    pub fn previous(self) -> Option<Period> {
        let p = match self {
            Period::Day(d) => {
                let (y, m, day) = (d.year(), d.month(), d.day());
                if day > 1 {
                    Date::new(y, m, day - 1).ok()?
                } else if m > 1 {
                    Date::new(y, m - 1, days_in_month(y, m - 1)).ok()?
                } else {
                    Date::new(y - 1, 12, 31).ok()?
                }
                .period(PeriodKind::Day)
            }
            Period::Month { year, month } if month > 1 => Period::Month {
                year,
                month: month - 1,
            },
            Period::Month { year, .. } => Period::Month {
                year: year - 1,
                month: 12,
            },
            Period::Quarter { year, quarter } if quarter > 1 => Period::Quarter {
                year,
                quarter: quarter - 1,
            },
            Period::Quarter { year, .. } => Period::Quarter {
                year: year - 1,
                quarter: 4,
            },
            Period::Year(year) => Period::Year(year - 1),
        };
        Some(p)
    }

    /// Parses the text that [`fmt::Display`] writes.
    pub fn parse(s: &str) -> Result<Period, ModelError> {
        let bad = || ModelError::InvalidPeriod(s.to_owned());
        let num = |t: &str| -> Result<i32, ModelError> {
            if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad());
            }
            t.parse().map_err(|_| bad())
        };
        let year_ok = |y: i32| (MIN_YEAR..=MAX_YEAR).contains(&y);
        match s.len() {
            10 => Date::parse(s).map(Period::Day).map_err(|_| bad()),
            7 if &s[4..5] == "-" && &s[5..6] == "Q" => {
                let (y, q) = (num(&s[..4])?, num(&s[6..])?);
                if !year_ok(y) || !(1..=4).contains(&q) {
                    return Err(bad());
                }
                Ok(Period::Quarter {
                    year: y as i16,
                    quarter: q as u8,
                })
            }
            7 if &s[4..5] == "-" => {
                let (y, m) = (num(&s[..4])?, num(&s[5..])?);
                if !year_ok(y) || !(1..=12).contains(&m) {
                    return Err(bad());
                }
                Ok(Period::Month {
                    year: y as i16,
                    month: m as u8,
                })
            }
            4 => {
                let y = num(s)?;
                if !year_ok(y) {
                    return Err(bad());
                }
                Ok(Period::Year(y as i16))
            }
            _ => Err(bad()),
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Period::Day(d) => d.fmt(f),
            Period::Month { year, month } => write!(f, "{year:04}-{month:02}"),
            Period::Quarter { year, quarter } => write!(f, "{year:04}-Q{quarter}"),
            Period::Year(year) => write!(f, "{year:04}"),
        }
    }
}

impl FromStr for Period {
    type Err = ModelError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Period::parse(s)
    }
}

impl TryFrom<String> for Period {
    type Error = ModelError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Period::parse(&s)
    }
}

impl From<Period> for String {
    fn from(p: Period) -> String {
        p.to_string()
    }
}

#[cfg(test)]
mod tests;
