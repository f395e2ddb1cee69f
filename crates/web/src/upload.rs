//! File uploads: a `multipart/form-data` body, already read whole by the page middleware (which checks its
//! `_csrf` part), split into its named parts with `multer`.

use axum::body::Bytes;

/// The largest upload accepted: a year of daily exports fits many times over.
pub const UPLOAD_LIMIT: usize = 20 * 1024 * 1024;

/// One part of a form.
pub struct Part {
    /// The field's name.
    pub name: String,
    /// The file's name, for a file field.
    pub file_name: Option<String>,
    /// The content.
    pub data: Bytes,
}

/// The boundary of a `multipart/form-data` content type, or `None` for any other type.
pub fn boundary(content_type: &str) -> Option<String> {
    multer::parse_boundary(content_type).ok()
}

/// Splits a multipart body into its parts; `None` when it is not well-formed.
pub async fn parts(boundary: &str, body: Bytes) -> Option<Vec<Part>> {
    let stream = futures_util::stream::once(std::future::ready(Ok::<Bytes, std::io::Error>(body)));
    let mut multipart = multer::Multipart::new(stream, boundary);
    let mut parts = Vec::new();
    while let Some(field) = multipart.next_field().await.ok()? {
        let name = field.name().unwrap_or_default().to_string();
        let file_name = field.file_name().map(str::to_string);
        let data = field.bytes().await.ok()?;
        parts.push(Part {
            name,
            file_name,
            data,
        });
    }
    Some(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_form_with_a_file_splits_into_named_parts() {
        let body = "--XyZ\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\nabc\r\n--XyZ\r\n\
                    Content-Disposition: form-data; name=\"files\"; filename=\"Chart.csv\"\r\n\
                    Content-Type: text/csv\r\n\r\nDate,Clicks\r\n2026-01-01,3\r\n--XyZ--\r\n";
        let b = boundary("multipart/form-data; boundary=XyZ").unwrap();
        let parts = parts(&b, Bytes::from(body)).await.unwrap();
        assert_eq!(parts.len(), 2);
        assert_eq!(
            (parts[0].name.as_str(), &parts[0].data[..]),
            ("_csrf", &b"abc"[..])
        );
        assert_eq!(parts[1].file_name.as_deref(), Some("Chart.csv"));
        assert_eq!(&parts[1].data[..], b"Date,Clicks\r\n2026-01-01,3");
        assert!(boundary("application/x-www-form-urlencoded").is_none());
    }
}
