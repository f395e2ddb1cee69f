//! The HTML pages. Each area owns its routes (`clients::router()`, …), merged here; every page template
//! extends `base.html` and gets a [`Page`] with the person, the language, the CSRF token and the flash message.

pub mod auth;
pub mod background;
pub mod clients;
pub mod confirm;
pub mod contacts;
pub mod documents;
pub mod engagements;
pub mod goals;
pub mod health;
pub mod history;
pub mod home;
pub mod imports;
pub mod kpis;
pub mod language;
pub mod outbox;
pub mod people;
pub mod settings;

use crate::AppState;
use crate::cookie;
use crate::error::{ErrorPage, InternalError, WebError};
use crate::i18n::{Tr, native_name};
use accountable_core::error::{Error, FieldError};
use accountable_core::session::SignedIn;
use accountable_core::types::{Language, Role};
use askama::Template;
use axum::Router;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};

/// Every page route, and the 404 page for any other path.
pub fn router() -> Router<AppState> {
    Router::new()
        .merge(auth::router())
        .merge(language::router())
        .merge(clients::router())
        .merge(contacts::router())
        .merge(engagements::router())
        .merge(people::router())
        .merge(background::router())
        .merge(outbox::router())
        .merge(documents::router())
        .merge(settings::router())
        .merge(kpis::router())
        .merge(goals::router())
        .merge(imports::router())
        .route("/static/app.css", axum::routing::get(stylesheet))
        .fallback(not_found)
}

/// A page's query string. One that cannot be read (`?page=abc`) answers a 400 page in the person's language, as
/// every other error page does, instead of the framework's plain-text English.
pub struct PageQuery<T>(pub T);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> FromRequestParts<S> for PageQuery<T> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(value)) => Ok(PageQuery(value)),
            Err(_) => Err(ErrorPage::response(StatusCode::BAD_REQUEST, "bad-query")),
        }
    }
}

async fn not_found() -> Response {
    ErrorPage::response(StatusCode::NOT_FOUND, "not-found")
}

async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../static/app.css"),
    )
        .into_response()
}

/// What the page middleware learned about the request.
#[derive(Clone)]
pub struct PageContext {
    /// The person's language.
    pub language: Language,
    /// The CSRF token every form must carry.
    pub csrf: String,
    /// The request's id.
    pub request_id: String,
    /// The signed-in person, if any.
    pub signed_in: Option<SignedIn>,
    /// The flash message's key, if any.
    pub flash: Option<String>,
}

impl PageContext {
    /// A context for a request.
    pub fn new(
        language: Language,
        csrf: String,
        request_id: String,
        signed_in: Option<SignedIn>,
        flash: Option<String>,
    ) -> Self {
        PageContext {
            language,
            csrf,
            request_id,
            signed_in,
            flash,
        }
    }

    /// A context without a person.
    pub fn anonymous(language: Language, csrf: String, request_id: String, flash: Option<String>) -> Self {
        PageContext {
            language,
            csrf,
            request_id,
            signed_in: None,
            flash,
        }
    }

    /// The words of the person's language.
    pub fn tr(&self) -> Tr {
        Tr::new(self.language)
    }

    /// The common part of every page.
    pub fn page(&self, title: &str, nav: &'static str) -> Page {
        let tr = self.tr();
        Page {
            tr,
            title: title.to_string(),
            nav,
            csrf: self.csrf.clone(),
            flash: self
                .flash
                .as_deref()
                .map(|f| tr.t(&format!("flash.{f}")).to_string())
                .filter(|f| !f.starts_with("flash.")),
            person: self.signed_in.as_ref().map(|s| Person {
                name: s.user.name.clone(),
                role: tr.t(&format!("role.{}", s.user.role.as_str())).to_string(),
                agency: String::new(),
                is_owner: s.user.role == Role::Owner,
                is_staff: s.user.role != Role::ClientContact,
            }),
            request_id: self.request_id.clone(),
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for PageContext {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts.extensions.get::<PageContext>().cloned().ok_or_else(|| {
            let mut res = StatusCode::INTERNAL_SERVER_ERROR.into_response();
            res.extensions_mut()
                .insert(InternalError("page route without the page middleware".into()));
            res
        })
    }
}

/// A signed-in person on a page; without a session, the request is sent to the sign-in page.
pub struct Viewer {
    /// The request's context.
    pub ctx: PageContext,
    /// The person.
    pub signed_in: SignedIn,
}

impl<S: Send + Sync> FromRequestParts<S> for Viewer {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let ctx = PageContext::from_request_parts(parts, state).await?;
        match ctx.signed_in.clone() {
            Some(signed_in) => Ok(Viewer { ctx, signed_in }),
            None => {
                let next = parts.uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
                let target = format!("/sign-in?next={}", encode_component(next));
                Err(Redirect::to(&target).into_response())
            }
        }
    }
}

impl Viewer {
    /// The acting person.
    pub fn actor(&self) -> &accountable_core::actor::Actor {
        &self.signed_in.actor
    }

    /// The common part of the page, with the agency's name.
    pub async fn page(&self, _state: &AppState, title: &str, nav: &'static str) -> Result<Page, WebError> {
        let mut page = self.ctx.page(title, nav);
        if let Some(p) = page.person.as_mut() {
            p.agency = self.signed_in.agency.name.clone();
        }
        Ok(page)
    }
}

/// A GET on the address a form posts to (Enter pressed in the address bar after a refused form, a reload, a
/// bookmark) goes to the page the form is on instead of answering an empty 405: `to`, with `{id}` filled in
/// from the address's own id (a number; anything else goes home).
pub fn back_to(to: &'static str) -> axum::routing::MethodRouter<AppState> {
    axum::routing::get(move |params: axum::extract::RawPathParams| async move {
        let id = params
            .iter()
            .find(|(name, _)| *name == "id")
            .map(|(_, v)| v.to_string());
        let target = match id {
            Some(v) if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) => to.replace("{id}", &v),
            Some(_) => "/".to_string(),
            None => to.to_string(),
        };
        Redirect::to(&target)
    })
}

/// Percent-encodes a URL component.
pub fn encode_component(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A path inside this site to go back to after signing in, or `/` for anything else: it must start with one
/// `/` (not `//` or `/\\`, which browsers read as another host), hold no control character (a tab or line break
/// is dropped or breaks the header) and no backslash, and no percent-encoded slash, backslash or control
/// character that a later decoding would turn into one of those. Anything with a scheme (`https:`,
/// `javascript:`) or a host (`//evil.example`, `/\\evil.example`) fails the first rule.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if is_local_path(n) => n.to_string(),
        _ => "/".to_string(),
    }
}

fn is_local_path(n: &str) -> bool {
    let mut chars = n.chars();
    if chars.next() != Some('/') || matches!(chars.next(), Some('/' | '\\')) {
        return false;
    }
    if n.chars().any(|c| c.is_control() || c == '\\') {
        return false;
    }
    // Encoded: %2f (/), %5c (\\), and %00-%1f / %7f (control characters), in either case.
    let lower = n.to_ascii_lowercase();
    let encoded_danger = lower.match_indices('%').any(|(i, _)| {
        let code = lower.get(i + 1..i + 3).unwrap_or("");
        code == "2f"
            || code == "5c"
            || code == "7f"
            || (code.len() == 2 && (code.starts_with('0') || code.starts_with('1')))
    });
    !encoded_danger
}

/// The person in the page header.
#[derive(Clone)]
pub struct Person {
    /// Name.
    pub name: String,
    /// Role, in the page's language.
    pub role: String,
    /// The agency's name.
    pub agency: String,
    /// Whether to show the People link.
    pub is_owner: bool,
    /// Whether the person is agency staff (not a client contact).
    pub is_staff: bool,
}

/// The common part of every page template.
pub struct Page {
    /// Words and formats.
    pub tr: Tr,
    /// The page's title.
    pub title: String,
    /// Which navigation entry is current.
    pub nav: &'static str,
    /// The CSRF token for forms.
    pub csrf: String,
    /// The flash message, translated.
    pub flash: Option<String>,
    /// The signed-in person.
    pub person: Option<Person>,
    /// The request's id (shown on error pages).
    pub request_id: String,
}

impl Page {
    /// The value of a form's `_csrf` field: the session's CSRF token and, after a dot, a nonce of this one form,
    /// fresh at every call. The first sending of the form claims the nonce; sending the same rendered form again
    /// (a reload after a POST, a double click) changes nothing (`middleware::pages`).
    pub fn form_token(&self) -> String {
        let nonce = accountable_core::password::random_token();
        format!("{}.{}", self.csrf, &nonce[..32])
    }

    /// The text for a key in the page's language.
    pub fn t<'a>(&self, key: &'a str) -> &'a str {
        self.tr.t(key)
    }

    /// The text for a key with placeholders filled.
    pub fn tf(&self, key: &str, args: &[(&str, &str)]) -> String {
        self.tr.tf(key, args)
    }

    /// The plural form of a key that the count `n` takes in the page's language, `{count}` filled.
    /// (Templates pass their fields by reference, hence `Borrow`.)
    pub fn tn(&self, key: &str, n: impl std::borrow::Borrow<i64>) -> String {
        self.tr.tn(key, *n.borrow(), &[])
    }

    /// The languages for the switcher: (tag, native name, selected).
    pub fn languages(&self) -> Vec<(&'static str, &'static str, bool)> {
        Language::ALL
            .iter()
            .map(|l| (l.as_str(), native_name(*l), *l == self.tr.language))
            .collect()
    }
}

/// Field errors of a form, translated, to show next to each field.
#[derive(Default)]
pub struct FormErrors(Vec<(String, String)>);

impl FormErrors {
    /// Translates `errors` into the page's language (the English message when no translation exists).
    pub fn new(tr: Tr, errors: &[FieldError]) -> Self {
        FormErrors(
            errors
                .iter()
                .map(|e| {
                    let key = format!("error.{}", e.code);
                    let values: Vec<(&str, &str)> = e.values.iter().map(|(k, v)| (*k, v.as_str())).collect();
                    let text = tr.tf(&key, &values);
                    let message = if text == key { e.message.clone() } else { text };
                    (e.field.clone(), message)
                })
                .collect(),
        )
    }

    /// The message for a field.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.iter().find(|(f, _)| f == field).map(|(_, m)| m.as_str())
    }

    /// Whether there is any error.
    pub fn any(&self) -> bool {
        !self.0.is_empty()
    }
}

/// Renders a template into an HTML response; a template error is a 500.
pub fn html<T: Template>(template: &T) -> Response {
    html_with_status(StatusCode::OK, template)
}

/// Renders a template with a status (422 for a form shown again with errors).
pub fn html_with_status<T: Template>(status: StatusCode, template: &T) -> Response {
    render_with_status(status, template)
}

/// What every form page is given: its title, the record the form belongs to (`of`: a client, an engagement),
/// the form as typed, its field errors, where it posts, and where Cancel leads.
pub struct FormPage<'a, F, Of> {
    /// The page's title.
    pub title: String,
    /// The record the form belongs to.
    pub of: Of,
    /// The form as typed (or its defaults).
    pub form: F,
    /// The field errors to show beside the fields.
    pub errors: &'a [FieldError],
    /// Where the form posts.
    pub action: String,
    /// Where Cancel leads.
    pub cancel: String,
}

/// A form page's response: 200, or 422 when the form came back with field errors (shown beside the fields, the
/// input kept).
pub fn form_response<T: Template>(errors: &[FieldError], template: &T) -> Response {
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    render_with_status(status, template)
}

fn render_with_status<T: Template>(status: StatusCode, template: &T) -> Response {
    match template.render() {
        Ok(body) => (status, Html(body)).into_response(),
        Err(e) => {
            let mut res = ErrorPage::response(StatusCode::INTERNAL_SERVER_ERROR, "internal");
            res.extensions_mut()
                .insert(InternalError(format!("template: {e}")));
            res
        }
    }
}

/// A redirect after a successful post, with a flash message shown once on the next page.
pub fn redirect_with_flash(state: &AppState, to: &str, flash: &str) -> Response {
    let mut res = Redirect::to(to).into_response();
    if let Ok(v) = HeaderValue::from_str(&cookie::set(
        cookie::FLASH,
        flash,
        Some(60),
        state.web.secure_cookies(),
    )) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

/// Splits a use case's result for a form: `Ok` or the field errors to show, any other error as a page.
pub fn form_result<T>(result: Result<T, Error>) -> Result<Result<T, Vec<FieldError>>, WebError> {
    match result {
        Ok(v) => Ok(Ok(v)),
        Err(Error::Validation(errors)) => Ok(Err(errors)),
        Err(e) => Err(WebError(e)),
    }
}

/// The error page template.
#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorTemplate {
    /// Common page parts.
    pub page: Page,
    /// The status code.
    pub status: u16,
    /// The message key's code.
    pub code: String,
    /// What happened and what to do, in the page's language.
    pub message: String,
}

/// Renders error pages for responses marked with [`ErrorPage`].
pub trait Render {
    /// The response with its body replaced by the error page, status and headers kept.
    fn render_error(self, ctx: &PageContext) -> Response;
}

impl Render for Response {
    fn render_error(self, ctx: &PageContext) -> Response {
        let Some(marker) = self.extensions().get::<ErrorPage>().copied() else {
            return self;
        };
        let tr = ctx.tr();
        let title_key = format!("errors.{}.title", marker.code);
        let title = if tr.t(&title_key) == title_key {
            tr.t("errors.generic.title")
        } else {
            tr.t(&title_key)
        };
        let message_key = format!("errors.{}.message", marker.code);
        let message = if tr.t(&message_key) == message_key {
            tr.t("errors.generic.message")
        } else {
            tr.t(&message_key)
        };
        let template = ErrorTemplate {
            page: ctx.page(title, ""),
            status: marker.status.as_u16(),
            code: marker.code.to_string(),
            message: message.to_string(),
        };
        let (mut parts, _) = self.into_parts();
        parts.extensions.remove::<ErrorPage>();
        match template.render() {
            Ok(body) => {
                parts.headers.insert(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("text/html; charset=utf-8"),
                );
                parts.headers.remove(header::CONTENT_LENGTH);
                Response::from_parts(parts, axum::body::Body::from(body))
            }
            Err(e) => {
                parts
                    .extensions
                    .insert(InternalError(format!("error template: {e}")));
                Response::from_parts(parts, axum::body::Body::from("Internal error"))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_a_path_on_this_site_is_followed_after_sign_in() {
        for ok in [
            "/",
            "/clients/3",
            "/clients?page=2&q=a%20b",
            "/goals/1/history",
            "/a:b",
            "/@x",
        ] {
            assert_eq!(safe_next(Some(ok)), ok, "{ok:?} is a local path");
        }
        let bypasses = [
            "//evil.example/",
            "/\\evil.example/",
            "/\t/evil.example/",
            "/%09/evil.example/",
            "/\n/evil.example/",
            "/x\r\nSet-Cookie: a=b",
            "/%0d%0aSet-Cookie:%20a=b",
            "/%2f%2fevil.example",
            "/%2F%2Fevil.example",
            "/%5cevil.example",
            "/%5Cevil.example",
            "https://evil.example/",
            "javascript:alert(1)",
            "evil.example",
            "@evil.example",
            "//user@evil.example",
            "",
            "/\u{0}",
            "/%00",
            "/\u{7f}",
            "/\u{85}evil",
        ];
        for bad in bypasses {
            assert_eq!(safe_next(Some(bad)), "/", "{bad:?} must not be followed");
        }
        assert_eq!(safe_next(None), "/");
    }
}
