//! The one error of this crate: a document that could not be laid out. It says why in English for the log;
//! a person sees the web layer's fixed message for internal errors.

use std::fmt;

/// A document could not be rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// What went wrong, for the log.
    pub message: String,
}

impl Error {
    /// An error with its message.
    pub fn new(message: impl Into<String>) -> Self {
        Error {
            message: message.into(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "document could not be rendered: {}", self.message)
    }
}

impl std::error::Error for Error {}
