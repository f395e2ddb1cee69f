//! The domain of Accountable: records, the rules about them, the use cases that change them, the permission
//! checks, the words of pages, e-mails and documents in four languages, and the traits the outside world
//! implements (storage, clock).
//!
//! Nothing here knows HTTP, SQL, templates or PDF engines: the four ways in (pages, API, command line, jobs)
//! all call the use cases in [`service::Services`], so a rule written here holds everywhere.

pub mod actor;
pub mod agency;
pub mod audit;
pub mod client;
pub mod clock;
pub mod document;
pub mod engagement;
pub mod error;
pub mod goal;
pub mod home;
pub mod id;
pub mod import;
pub mod job;
pub mod kpi;
pub mod locale;
pub mod mail;
pub mod moves;
pub mod pacing;
pub mod password;
pub mod record;
pub mod series;
pub mod service;
pub mod session;
pub mod store;
pub mod token;
pub mod typed;
pub mod types;
pub mod user;
pub mod words;

pub use error::{Error, FieldError, Result};
