//! Version 1 of the API: each area owns its routes, merged here with their OpenAPI descriptions, so the
//! document at `/api/v1/openapi.json` is generated from the same code that routes the requests.

pub mod clients;
pub mod documents;
pub mod goals;
pub mod imports;
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

/// The answers every operation can give, added to each: 400 (a parameter or body that cannot be read), 401 (no
/// valid token or session), 403 (the role, or a read token, does not allow it), 415 (an unsafe method without a
/// JSON body type), 422 (field errors).
struct CommonResponses;

impl Modify for CommonResponses {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{Content, Ref, ResponseBuilder};
        let error = |description: &str| {
            ResponseBuilder::new()
                .description(description)
                .content(
                    "application/json",
                    Content::new(Some(Ref::from_schema_name("ApiErrorBody"))),
                )
                .build()
        };
        for item in openapi.paths.paths.values_mut() {
            let unsafe_ops = [&mut item.post, &mut item.put, &mut item.delete, &mut item.patch];
            for op in unsafe_ops.into_iter().flatten() {
                op.responses
                    .responses
                    .entry("415".into())
                    .or_insert_with(|| error("The body is not sent as application/json").into());
                op.responses.responses.entry("413".into()).or_insert_with(|| {
                    error("The body is larger than the route reads (the message names the limit)").into()
                });
                op.responses
                    .responses
                    .entry("422".into())
                    .or_insert_with(|| error("Field errors").into());
            }
            let all_ops = [
                &mut item.get,
                &mut item.post,
                &mut item.put,
                &mut item.delete,
                &mut item.patch,
            ];
            for op in all_ops.into_iter().flatten() {
                for (code, text) in [
                    ("400", "A parameter or the body cannot be read"),
                    ("401", "No valid API token or session"),
                    ("403", "The role, or a read-only token, does not allow this"),
                    ("404", "Not found, or another agency's"),
                ] {
                    op.responses
                        .responses
                        .entry(code.into())
                        .or_insert_with(|| error(text).into());
                }
            }
        }
    }
}

/// Every route of `/api/v1` with the OpenAPI document that describes them.
pub fn router() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let (router, mut openapi) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(clients::router())
        .merge(people::router())
        .merge(documents::router())
        .merge(goals::router())
        .merge(imports::router())
        .split_for_parts();
    // After the merge: the document's modifiers run before the paths are added.
    CommonResponses.modify(&mut openapi);
    (router, openapi)
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
