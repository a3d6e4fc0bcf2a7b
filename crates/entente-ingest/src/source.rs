//! Opening inputs (plain, `.gz`, `.zip`), reading lines with a length bound,
//! and splitting plain files into line-aligned chunks for parallel parsing.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek};
use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::IngestError;

/// The longest line a reader accepts (16 MiB). A longer line is counted as a
/// reject and skipped without being buffered, so memory stays bounded.
pub const MAX_LINE: usize = 16 << 20;

/// The error for a header line longer than [`MAX_LINE`] (`n` bytes).
pub(crate) fn header_too_long(path: &Path, n: u64) -> IngestError {
    IngestError::Row {
        path: path.to_owned(),
        line: 1,
        reason: crate::RejectReason::row(
            "line_too_long",
            format!(
                "the header line of {n} bytes exceeds the {} MiB limit",
                MAX_LINE >> 20
            ),
        ),
    }
}

/// Compression of an input, from its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    /// Plain text.
    None,
    /// gzip (`.gz`).
    Gzip,
    /// zip archive (`.zip`); its first file is read.
    Zip,
}

impl Compression {
    /// From the file name's last extension.
    pub fn of(path: &Path) -> Compression {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("gz") => Compression::Gzip,
            Some("zip") => Compression::Zip,
            _ => Compression::None,
        }
    }
}

/// The file name without a compression suffix (`x.export.CSV.zip` gives `x.export.CSV`).
pub fn inner_name(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    match Compression::of(path) {
        Compression::None => name,
        _ => name
            .rsplit_once('.')
            .map_or(name.clone(), |(a, _)| a.to_owned()),
    }
}

fn io_err(path: &Path) -> impl Fn(io::Error) -> IngestError + '_ {
    move |source| IngestError::Io {
        path: path.to_owned(),
        source,
    }
}

/// An open input: a buffered byte stream plus what is known of its size.
pub struct Input {
    /// The path opened.
    pub path: PathBuf,
    /// The decompressed stream.
    pub reader: Box<dyn BufRead + Send>,
    /// Size on disk (compressed size for archives), for progress.
    pub size: u64,
    /// Compression.
    pub compression: Compression,
}

/// Opens a file, decompressing `.gz` and `.zip` on the fly.
pub fn open(path: &Path) -> Result<Input, IngestError> {
    let file = File::open(path).map_err(io_err(path))?;
    let size = file.metadata().map_err(io_err(path))?.len();
    let compression = Compression::of(path);
    let reader: Box<dyn BufRead + Send> = match compression {
        Compression::None => Box::new(BufReader::with_capacity(1 << 20, file)),
        Compression::Gzip => Box::new(BufReader::with_capacity(
            1 << 20,
            flate2::read::MultiGzDecoder::new(BufReader::new(file)),
        )),
        Compression::Zip => Box::new(BufReader::with_capacity(1 << 20, zip_first(path, file)?)),
    };
    Ok(Input {
        path: path.to_owned(),
        reader,
        size,
        compression,
    })
}

/// Reads the first file of a zip archive by its local header, streaming.
///
/// Zip files put a local header before each entry: a 30-byte fixed part, the
/// name and an extra field, then the data, stored (method 0) or deflated
/// (method 8). Deflate streams end themselves, so the sizes (which may be
/// deferred to a data descriptor) are not needed. Other methods are refused.
fn zip_first(path: &Path, file: File) -> Result<Box<dyn Read + Send>, IngestError> {
    let bad = |detail: &str| IngestError::Archive {
        path: path.to_owned(),
        kind: "zip",
        detail: detail.to_owned(),
    };
    let mut r = BufReader::new(file);
    let mut head = [0u8; 30];
    r.read_exact(&mut head)
        .map_err(|_| bad("shorter than a zip local header"))?;
    if head[0..4] != [0x50, 0x4b, 0x03, 0x04] {
        return Err(bad("no local file header at the start"));
    }
    let u16_at = |i: usize| u16::from_le_bytes([head[i], head[i + 1]]);
    let u32_at = |i: usize| u32::from_le_bytes([head[i], head[i + 1], head[i + 2], head[i + 3]]);
    let (flags, method, csize) = (u16_at(6), u16_at(8), u32_at(18));
    if flags & 1 != 0 {
        return Err(bad("the entry is encrypted"));
    }
    let skip = u64::from(u16_at(26)) + u64::from(u16_at(28));
    io::copy(&mut (&mut r).take(skip), &mut io::sink()).map_err(io_err(path))?;
    match method {
        0 if flags & 8 == 0 => Ok(Box::new(Exact {
            inner: r.take(u64::from(csize)),
            left: u64::from(csize),
        })),
        0 => Err(bad("stored entry with a deferred size is not supported")),
        8 => Ok(Box::new(flate2::bufread::DeflateDecoder::new(r))),
        m => Err(bad(&format!(
            "compression method {m} is not supported (only stored and deflate)"
        ))),
    }
}

/// A stored zip entry: exactly `left` more bytes, or an error if the archive
/// ends first (a truncated download must not pass for a shorter file).
struct Exact<R> {
    inner: io::Take<R>,
    left: u64,
}

impl<R: Read> Read for Exact<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n == 0 && self.left > 0 && !buf.is_empty() {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                format!("the stored entry ends {} bytes early", self.left),
            ));
        }
        self.left -= n as u64;
        Ok(n)
    }
}

/// What [`LineReader::next_line`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Line {
    /// A line is in the buffer (without its `\n` or `\r\n`).
    Ok,
    /// A line longer than [`MAX_LINE`] bytes was skipped; its length is given.
    TooLong(u64),
    /// The last line had no final newline (it is in the buffer).
    Unterminated,
}

/// Reads lines with a bound on their length, counting line numbers.
pub struct LineReader<R> {
    inner: R,
    /// 1-based number of the line last returned.
    pub line: u64,
    max: usize,
}

impl<R: BufRead> LineReader<R> {
    /// Wraps a buffered reader.
    pub fn new(inner: R) -> Self {
        LineReader {
            inner,
            line: 0,
            max: MAX_LINE,
        }
    }

    /// Sets a different bound (tests use small ones).
    pub fn with_max(mut self, max: usize) -> Self {
        self.max = max;
        self
    }

    /// Reads the next line into `buf` (cleared first). `Ok(None)` at the end.
    pub fn next_line(&mut self, buf: &mut Vec<u8>) -> io::Result<Option<Line>> {
        buf.clear();
        let mut skipped: u64 = 0;
        let mut too_long = false;
        loop {
            let avail = match self.inner.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if avail.is_empty() {
                if buf.is_empty() && !too_long {
                    return Ok(None);
                }
                self.line += 1;
                if too_long {
                    return Ok(Some(Line::TooLong(skipped)));
                }
                strip_cr(buf);
                return Ok(Some(Line::Unterminated));
            }
            let (chunk, found) = match memchr::memchr(b'\n', avail) {
                Some(i) => (&avail[..i], Some(i + 1)),
                None => (avail, None),
            };
            if too_long || buf.len() + chunk.len() > self.max {
                if !too_long {
                    skipped = buf.len() as u64;
                    buf.clear();
                    too_long = true;
                }
                skipped += chunk.len() as u64;
            } else {
                buf.extend_from_slice(chunk);
            }
            let consumed = found.unwrap_or(avail.len());
            self.inner.consume(consumed);
            if found.is_some() {
                self.line += 1;
                if too_long {
                    return Ok(Some(Line::TooLong(skipped)));
                }
                strip_cr(buf);
                return Ok(Some(Line::Ok));
            }
        }
    }
}

/// How a CSV record read by [`read_csv_record`] ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordEnd {
    /// The record is complete (its quotes balance, or the file ended cleanly).
    Complete,
    /// The record grew past [`MAX_LINE`] bytes (its length so far).
    TooLong(u64),
    /// The file ended while a quoted field was still open.
    QuoteOpenAtEnd,
}

fn odd_quotes(bytes: &[u8]) -> bool {
    memchr::memchr_iter(b'"', bytes).count() % 2 == 1
}

/// Completes one CSV record whose first line is in `buf` (read with
/// `status`): while a quoted field is open, the following lines are joined
/// with `\n`, up to [`MAX_LINE`] bytes in all. The record is left in
/// `record`. Quote parity is kept line by line, so a stray quote costs one
/// pass over the joined lines, not one per line joined.
pub fn read_csv_record<R: BufRead>(
    lines: &mut LineReader<R>,
    buf: &mut Vec<u8>,
    status: Line,
    record: &mut Vec<u8>,
) -> io::Result<RecordEnd> {
    record.clear();
    if let Line::TooLong(n) = status {
        return Ok(RecordEnd::TooLong(n));
    }
    record.extend_from_slice(buf);
    let mut open = odd_quotes(buf);
    let mut status = status;
    while open && matches!(status, Line::Ok) {
        match lines.next_line(buf)? {
            Some(Line::Ok | Line::Unterminated) if record.len() + buf.len() < MAX_LINE => {
                record.push(b'\n');
                record.extend_from_slice(buf);
                open ^= odd_quotes(buf);
                status = Line::Ok;
            }
            Some(Line::TooLong(n)) => return Ok(RecordEnd::TooLong(record.len() as u64 + n)),
            Some(_) => return Ok(RecordEnd::TooLong((record.len() + buf.len()) as u64)),
            None => return Ok(RecordEnd::QuoteOpenAtEnd),
        }
    }
    Ok(if open && matches!(status, Line::Unterminated) {
        RecordEnd::QuoteOpenAtEnd
    } else {
        RecordEnd::Complete
    })
}

fn strip_cr(buf: &mut Vec<u8>) {
    if buf.last() == Some(&b'\r') {
        buf.pop();
    }
}

/// Removes a UTF-8 byte-order mark from the start of a line.
pub fn strip_bom(line: &[u8]) -> &[u8] {
    line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line)
}

/// Splits a plain file into about `n` byte ranges that start and end on line
/// boundaries, so each can be parsed on its own thread. The ranges cover the
/// file exactly once, in order.
pub fn line_chunks(path: &Path, n: usize) -> Result<Vec<Range<u64>>, IngestError> {
    let mut file = File::open(path).map_err(io_err(path))?;
    let len = file.metadata().map_err(io_err(path))?.len();
    let n = n.max(1) as u64;
    let target = len.div_ceil(n).max(1);
    let mut bounds = vec![0u64];
    let mut buf = vec![0u8; 64 << 10];
    let mut pos = target;
    while pos < len {
        file.seek(io::SeekFrom::Start(pos)).map_err(io_err(path))?;
        let mut cut = None;
        let mut scan = pos;
        while cut.is_none() && scan < len {
            let got = file.read(&mut buf).map_err(io_err(path))?;
            if got == 0 {
                break;
            }
            if let Some(i) = memchr::memchr(b'\n', &buf[..got]) {
                cut = Some(scan + i as u64 + 1);
            }
            scan += got as u64;
        }
        match cut {
            Some(c) if c < len => {
                bounds.push(c);
                pos = c.max(bounds[bounds.len() - 1]) + target;
            }
            _ => break,
        }
    }
    bounds.push(len);
    Ok(bounds.windows(2).map(|w| w[0]..w[1]).collect())
}

/// The bytes of one chunk (reads the range into memory; chunks are sized by the caller).
pub fn read_range(path: &Path, range: Range<u64>) -> Result<Vec<u8>, IngestError> {
    let mut file = File::open(path).map_err(io_err(path))?;
    file.seek(io::SeekFrom::Start(range.start))
        .map_err(io_err(path))?;
    let mut out = Vec::with_capacity((range.end - range.start) as usize);
    file.take(range.end - range.start)
        .read_to_end(&mut out)
        .map_err(io_err(path))?;
    Ok(out)
}
