//! Typed record ids: a `ClientId` can never be passed where a `UserId` is meant.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

macro_rules! typed_id {
    ($(#[$doc:meta] $name:ident),* $(,)?) => {$(
        #[$doc]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.0)
            }
        }

        impl FromStr for $name {
            type Err = std::num::ParseIntError;
            fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
                s.parse::<i64>().map($name)
            }
        }
    )*};
}

typed_id!(
    /// An agency: the tenant every other record belongs to.
    AgencyId,
    /// A person who signs in.
    UserId,
    /// A client of an agency.
    ClientId,
    /// A contact person at a client.
    ContactId,
    /// An engagement: a 6–12-month cycle of work for a client.
    EngagementId,
    /// An invitation to join an agency.
    InvitationId,
);
