//! Reading the `Cookie` header and writing `Set-Cookie` values.

use axum::http::HeaderMap;

/// The session cookie.
pub const SESSION: &str = "acc_session";
/// The CSRF token for forms shown before signing in (double-submit).
pub const PRE_CSRF: &str = "acc_csrf";
/// The interface language chosen before signing in.
pub const LANGUAGE: &str = "acc_lang";
/// The message to show once after a redirect.
pub const FLASH: &str = "acc_flash";

/// The value of a cookie in the request, if present.
pub fn get<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim_matches('"'))
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Lax, path `/`, `Secure` when asked, a lifetime in seconds or a
/// session cookie when `None`.
pub fn set(name: &str, value: &str, max_age: Option<i64>, secure: bool) -> String {
    let mut s = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax");
    if let Some(age) = max_age {
        s.push_str(&format!("; Max-Age={age}"));
    }
    if secure {
        s.push_str("; Secure");
    }
    s
}

/// A `Set-Cookie` value that removes a cookie.
pub fn clear(name: &str, secure: bool) -> String {
    set(name, "", Some(0), secure)
}
