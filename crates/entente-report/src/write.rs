//! Writing the report folder atomically.
//!
//! Files go into a fresh sibling folder, which then replaces the output
//! folder with two renames; a run that fails or is interrupted before the
//! swap leaves the previous report whole.

use std::fs;
use std::path::{Component, Path, PathBuf};

use crate::ReportError;

/// Checks that a relative output path stays inside the output folder.
pub fn confined(rel: &str) -> Result<PathBuf, ReportError> {
    let p = Path::new(rel);
    let ok = !rel.is_empty()
        && p.components().all(|c| matches!(c, Component::Normal(_)))
        && !rel.contains('\\');
    if ok {
        Ok(p.to_owned())
    } else {
        Err(ReportError::UnsafePath(rel.to_owned()))
    }
}

/// Writes `files` (relative path, contents) as the folder `out`.
///
/// `fail_after` is for tests: stop with an error after writing that many
/// files, as an interrupted run would.
pub fn write_atomic(
    out: &Path,
    files: &[(String, Vec<u8>)],
    fail_after: Option<usize>,
) -> Result<(), ReportError> {
    let io = |p: &Path| {
        let p = p.to_owned();
        move |source| ReportError::Io { path: p, source }
    };
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(parent).map_err(io(parent))?;
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "report".into());
    let staging = parent.join(format!(".{name}.tmp-{}", std::process::id()));
    if staging.exists() {
        fs::remove_dir_all(&staging).map_err(io(&staging))?;
    }
    fs::create_dir_all(&staging).map_err(io(&staging))?;
    for (i, (rel, bytes)) in files.iter().enumerate() {
        if fail_after == Some(i) {
            return Err(ReportError::Interrupted);
        }
        let path = staging.join(confined(rel)?);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(io(dir))?;
        }
        fs::write(&path, bytes).map_err(io(&path))?;
    }
    let old = parent.join(format!(".{name}.old-{}", std::process::id()));
    if out.exists() {
        fs::rename(out, &old).map_err(io(out))?;
    }
    fs::rename(&staging, out).map_err(io(out))?;
    if old.exists() {
        fs::remove_dir_all(&old).map_err(io(&old))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_cannot_escape() {
        assert!(confined("tables/a.csv").is_ok());
        for bad in ["../x", "/etc/passwd", "a/../../b", "", "a\\..\\b", "./a"] {
            assert!(confined(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn interrupted_run_leaves_previous_report_whole() {
        let dir = std::env::temp_dir().join(format!("entente-write-{}", std::process::id()));
        let out = dir.join("report");
        let v1 = vec![
            ("a.txt".to_owned(), b"one".to_vec()),
            ("t/b.csv".to_owned(), b"x".to_vec()),
        ];
        write_atomic(&out, &v1, None).unwrap();
        let v2 = vec![
            ("a.txt".to_owned(), b"two".to_vec()),
            ("t/b.csv".to_owned(), b"y".to_vec()),
        ];
        assert!(matches!(
            write_atomic(&out, &v2, Some(1)),
            Err(ReportError::Interrupted)
        ));
        assert_eq!(fs::read(out.join("a.txt")).unwrap(), b"one");
        assert_eq!(fs::read(out.join("t/b.csv")).unwrap(), b"x");
        write_atomic(&out, &v2, None).unwrap();
        assert_eq!(fs::read(out.join("a.txt")).unwrap(), b"two");
        let hostile = vec![("../escape.txt".to_owned(), b"no".to_vec())];
        assert!(matches!(
            write_atomic(&out, &hostile, None),
            Err(ReportError::UnsafePath(_))
        ));
        assert!(!dir.join("escape.txt").exists());
        assert_eq!(fs::read(out.join("a.txt")).unwrap(), b"two");
        fs::remove_dir_all(&dir).unwrap();
    }
}
