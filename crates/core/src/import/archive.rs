//! Zip files as downloaded (Search Console's Performance export): recognised by their magic bytes, opened in
//! memory, their CSV members read as one set. Sizes are capped so that a small zip cannot expand into gigabytes.

use super::text::problem;
use super::{ImportError, wording};
use std::io::Read;

/// The most one member may expand to.
const MEMBER_LIMIT: u64 = 64 * 1024 * 1024;
/// The most all members together may expand to.
const TOTAL_LIMIT: u64 = 256 * 1024 * 1024;

/// Whether bytes are a zip archive (a local file header, or the end record of an empty archive).
pub(super) fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06")
}

/// The files in a zip, by their name without folders; folders, hidden files and macOS's `__MACOSX` copies are
/// left out.
pub(super) fn members(file: &str, bytes: &[u8]) -> Result<Vec<(String, Vec<u8>)>, ImportError> {
    let broken = |e: zip::result::ZipError| problem(file, 1, "", wording::zip_unreadable(&e));
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(broken)?;
    let mut out = Vec::new();
    let mut total = 0u64;
    for i in 0..archive.len() {
        let member = archive.by_index(i).map_err(broken)?;
        let path = member.name().map_err(broken)?.to_string();
        let name = path.rsplit('/').next().unwrap_or("").to_string();
        if member.is_dir() || name.is_empty() || name.starts_with('.') || path.starts_with("__MACOSX/") {
            continue;
        }
        let mut content = Vec::new();
        member
            .take(MEMBER_LIMIT + 1)
            .read_to_end(&mut content)
            .map_err(|e| problem(file, 1, "", wording::zip_member_unreadable(&name, &e)))?;
        total += content.len() as u64;
        if content.len() as u64 > MEMBER_LIMIT || total > TOTAL_LIMIT {
            return Err(problem(file, 1, "", wording::zip_too_large(&name)));
        }
        out.push((name, content));
    }
    Ok(out)
}
