//! The `accountable` binary's library: the command line, layered configuration, start-up of the web server,
//! demo data, and the wiring of `store`, `core` and `web`. Nothing but tests imports this crate.

pub mod cli;
pub mod config;
pub mod demo;
pub mod mailer;
pub mod startup;
pub mod worker;
