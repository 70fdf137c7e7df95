//! Passwords known from breaches (ASVS 6.2.12), checked offline against a copy of Have I Been
//! Pwned's Pwned Passwords that the company downloads (`CUSTODIA_BREACHED_PASSWORDS_FILE`): one
//! `SHA1HEX:COUNT` line per password, sorted by hash, as its downloader writes the single-file
//! form. The file is tens of gigabytes, so it is never loaded: each check binary-searches it on
//! disk, about thirty short reads. No password or hash leaves the machine.

use std::cmp::Ordering;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use sha1::{Digest, Sha1};

use crate::{Error, Portal, Result};

#[derive(Debug)]
pub struct Corpus {
    path: PathBuf,
    len: u64,
}

impl Corpus {
    /// Opens the file and checks that its first line looks like a hash line, so a wrong path
    /// fails at start-up rather than silently passing every password.
    pub fn open(path: &Path) -> io::Result<Corpus> {
        let file = File::open(path)?;
        let len = file.metadata()?.len();
        // A bounded read: a file without newlines must not be read whole.
        let mut first = Vec::new();
        BufReader::new(file).take(256).read_until(b'\n', &mut first)?;
        if hash_of_line(&first).is_none() {
            return Err(io::Error::new(io::ErrorKind::InvalidData, "not a list of SHA1HEX:COUNT lines"));
        }
        Ok(Corpus { path: path.to_path_buf(), len })
    }

    /// Whether the password's SHA-1 is in the file.
    pub fn contains(&self, password: &str) -> io::Result<bool> {
        let target: [u8; 40] = hex_upper(&Sha1::digest(password.as_bytes()));
        let mut file = File::open(&self.path)?;
        // Line starts that may hold the target lie in [lo, hi); lo is always a line start.
        let (mut lo, mut hi) = (0u64, self.len);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            let (start, line) = line_at_or_after(&mut file, mid)?;
            if start >= hi {
                hi = mid;
                continue;
            }
            let Some(hash) = hash_of_line(&line) else {
                return Err(io::Error::new(io::ErrorKind::InvalidData, "a line is not SHA1HEX:COUNT"));
            };
            match target.as_slice().cmp(&hash) {
                Ordering::Equal => return Ok(true),
                Ordering::Less => hi = mid,
                Ordering::Greater => lo = start + line.len() as u64,
            }
        }
        Ok(false)
    }
}

/// The first line starting at or after `at`: its start, and its bytes with the newline.
fn line_at_or_after(file: &mut File, at: u64) -> io::Result<(u64, Vec<u8>)> {
    let from = at.saturating_sub(1);
    file.seek(SeekFrom::Start(from))?;
    let mut reader = BufReader::with_capacity(512, &mut *file).take(512);
    let mut skipped = Vec::new();
    let start = if at == 0 {
        0
    } else {
        // The rest of the line holding byte `at - 1`: the next line starts after it.
        from + reader.read_until(b'\n', &mut skipped)? as u64
    };
    let mut line = Vec::new();
    reader.read_until(b'\n', &mut line)?;
    Ok((start, line))
}

/// The 40 upper-case hex digits a line starts with (case and CRLF forgiven), if it is one.
fn hash_of_line(line: &[u8]) -> Option<[u8; 40]> {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let hash = line.split(|b| *b == b':').next()?;
    if hash.len() != 40 || !hash.iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    let mut out = [0u8; 40];
    for (o, b) in out.iter_mut().zip(hash) {
        *o = b.to_ascii_uppercase();
    }
    Some(out)
}

fn hex_upper(bytes: &[u8]) -> [u8; 40] {
    const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = [0u8; 40];
    for (i, b) in bytes.iter().take(20).enumerate() {
        out[2 * i] = DIGITS[(b >> 4) as usize];
        out[2 * i + 1] = DIGITS[(b & 15) as usize];
    }
    out
}

/// Whether a new password is known from breaches; false when no corpus is configured.
pub async fn is_breached(portal: &Portal, password: &str) -> Result<bool> {
    let Some(corpus) = portal.breached_passwords.clone() else {
        return Ok(false);
    };
    let password = password.to_string();
    tokio::task::spawn_blocking(move || corpus.contains(&password))
        .await
        .map_err(|_| Error::Internal("breached-password check stopped"))?
        .map_err(|_| Error::Internal("the breached-password file cannot be read"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn sha1_hex(p: &str) -> String {
        String::from_utf8(hex_upper(&Sha1::digest(p.as_bytes())).to_vec()).unwrap()
    }

    fn corpus(lines: &[String], name: &str) -> (Corpus, PathBuf) {
        let path = std::env::temp_dir().join(format!("custodia-breached-{name}-{}.txt", std::process::id()));
        let mut f = File::create(&path).unwrap();
        for l in lines {
            f.write_all(l.as_bytes()).unwrap();
        }
        (Corpus::open(&path).unwrap(), path)
    }

    #[test]
    fn every_listed_password_is_found_and_no_other() {
        let known: Vec<String> = (0..2_000).map(|i| format!("breached password number {i}")).collect();
        let mut lines: Vec<String> = known.iter().enumerate().map(|(i, p)| format!("{}:{}\r\n", sha1_hex(p), i + 1)).collect();
        lines.sort();
        let (c, path) = corpus(&lines, "many");
        for p in &known {
            assert!(c.contains(p).unwrap(), "{p}");
        }
        for i in 0..2_000 {
            assert!(!c.contains(&format!("a password nobody leaked {i}")).unwrap());
        }
        std::fs::remove_file(path).ok();
    }

    #[test]
    fn one_line_lower_case_and_no_final_newline_work_too() {
        let line = sha1_hex("correct horse battery staple").to_lowercase() + ":3";
        let (c, path) = corpus(&[line], "one");
        assert!(c.contains("correct horse battery staple").unwrap());
        assert!(!c.contains("correct horse battery stapler").unwrap());
        std::fs::remove_file(path).ok();
    }

    #[test]
    fn a_file_of_something_else_is_refused_at_open() {
        let path = std::env::temp_dir().join(format!("custodia-breached-wrong-{}.txt", std::process::id()));
        std::fs::write(&path, "password123\nletmein\n").unwrap();
        assert!(Corpus::open(&path).is_err());
        assert!(Corpus::open(Path::new("/nonexistent/pwned.txt")).is_err());
        std::fs::remove_file(path).ok();
    }
}
