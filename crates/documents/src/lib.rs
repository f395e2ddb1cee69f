//! The documents a client or finance receives: a document's model in, HTML and PDF out.
//!
//! A model is typed and already in the reader's language: its labels are translated, its numbers, dates and
//! money formatted for the locale, and its charts drawn as SVG, by the caller (`web` builds them from `core`'s
//! records and the catalogue). This crate only lays them out: HTML with askama, PDF with Typst embedded as a
//! library, fonts compiled into the binary. Pure functions: no database, no network, no system fonts.

pub mod chart;
pub mod error;
pub mod kpi;
pub mod pdf;

pub use error::Error;
