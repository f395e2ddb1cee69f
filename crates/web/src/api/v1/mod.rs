//! Version 1 of the API: each area owns its routes, merged here with their OpenAPI descriptions, so the
//! document at `/api/v1/openapi.json` is generated from the same code that routes the requests.

pub mod clients;
pub mod documents;
pub mod people;

use crate::AppState;
use crate::error::ApiErrorBody;
use accountable_core::error::FieldError;
use axum::Router;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Accountable API",
        version = "1",
        description = "The JSON API of Accountable. Authenticate with an API token (`Authorization: Bearer acc_…`, \
                       created on your settings page or with `accountable users token`) or a browser session. \
                       Errors have one shape: `{code, message, fields[]}`; `code` is a stable machine word."
    ),
    modifiers(&BearerAuth),
    components(schemas(ApiErrorBody, FieldError)),
    security(("bearer" = []))
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme("bearer", SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)));
    }
}

/// Every route of `/api/v1` with the OpenAPI document that describes them.
pub fn router() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(clients::router())
        .merge(people::router())
        .merge(documents::router())
        .split_for_parts()
}

/// The OpenAPI document, as served and as committed in `docs/openapi.json`.
pub fn openapi_json() -> String {
    router().1.to_pretty_json().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The committed `docs/openapi.json` is the generated document; set UPDATE_OPENAPI=1 to rewrite it.
    #[test]
    fn the_committed_openapi_document_is_the_generated_one() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/openapi.json");
        let generated = openapi_json() + "\n";
        if std::env::var("UPDATE_OPENAPI").is_ok() {
            std::fs::write(&path, &generated).unwrap();
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == generated,
            "docs/openapi.json differs from the API in the code: run `UPDATE_OPENAPI=1 cargo test -p accountable-web` and review the change"
        );
    }

    #[test]
    fn the_document_is_openapi_3_1_with_the_bearer_scheme() {
        let doc: serde_json::Value = serde_json::from_str(&openapi_json()).unwrap();
        assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
        assert_eq!(doc["components"]["securitySchemes"]["bearer"]["scheme"], "bearer");
    }
}
