//! The integration tests, in one binary (linking the whole app once instead of once a file): a module per area,
//! each driving the running app as a person would, on SQLite, or on PostgreSQL when `TESTKIT_POSTGRES_URL` is set.
//! Log hygiene (`tests/logs.rs`) keeps a binary of its own: it installs a log subscriber, and `tracing` caches per
//! call site which subscribers want an event, so other tests' threads in the same process could make it miss lines.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod agency_import;
mod amounts;
mod api;
mod constraints;
mod documents;
mod goals;
mod home;
mod house;
mod import_language;
mod imports;
mod jobs;
mod kpi_document;
mod kpis;
mod language;
mod limits;
mod mail;
mod stall;
mod store;
mod today;
mod undo;
