//! Who is acting, and what their role allows. Every use case calls [`Actor::require`] once, whatever the way in.

use crate::error::{Error, Result};
use crate::id::{AgencyId, ClientId, UserId};
use crate::types::{Language, Role};

/// Who performs a use case: a signed-in person, or the operator at the command line.
#[derive(Debug, Clone)]
pub struct Actor {
    /// The agency whose records this actor may touch; every query carries it.
    pub agency_id: AgencyId,
    /// The person, or `None` for the operator at the command line.
    pub user_id: Option<UserId>,
    /// The role that decides permissions; the operator acts as an owner.
    pub role: Role,
    /// For a client contact, the one client they may see.
    pub client_id: Option<ClientId>,
    /// How the audit trail names this actor (an e-mail address, or `command line`).
    pub label: String,
    /// The person's interface language.
    pub language: Language,
}

/// Things a use case may need permission for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// Invite people, change roles, deactivate.
    ManagePeople,
    /// See the agency's people.
    ViewPeople,
    /// See clients (a client contact: only their own).
    ViewClients,
    /// Create, edit, archive and restore clients, contacts and engagements.
    ManageClients,
    /// Read a record's history.
    ViewHistory,
}

impl Actor {
    /// The operator at the command line of `agency`: trusted as an owner, recorded as `command line`.
    pub fn operator(agency_id: AgencyId) -> Self {
        Actor {
            agency_id,
            user_id: None,
            role: Role::Owner,
            client_id: None,
            label: "command line".to_string(),
            language: Language::En,
        }
    }

    /// Whether this actor's role allows `permission`.
    pub fn can(&self, permission: Permission) -> bool {
        use Permission::*;
        use Role::*;
        match (self.role, permission) {
            (Owner, _) => true,
            (AccountExecutive, ManagePeople) => false,
            (AccountExecutive, ViewPeople | ViewClients | ManageClients | ViewHistory) => true,
            (Specialist | Finance, ViewPeople | ViewClients | ViewHistory) => true,
            (Specialist | Finance, ManagePeople | ManageClients) => false,
            (ClientContact, ViewClients) => true,
            (ClientContact, ManagePeople | ViewPeople | ManageClients | ViewHistory) => false,
        }
    }

    /// Fails with [`Error::Forbidden`] unless the role allows `permission`.
    pub fn require(&self, permission: Permission) -> Result<()> {
        if self.can(permission) {
            Ok(())
        } else {
            Err(Error::Forbidden)
        }
    }

    /// The client a query must be limited to: a client contact's own client, or `None` for agency staff.
    pub fn client_scope(&self) -> Option<ClientId> {
        if self.role == Role::ClientContact {
            // A client contact without a client sees nothing: an id no client has.
            Some(self.client_id.unwrap_or(ClientId(-1)))
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(role: Role) -> Actor {
        Actor {
            role,
            ..Actor::operator(AgencyId(1))
        }
    }

    #[test]
    fn only_the_owner_manages_people() {
        assert!(actor(Role::Owner).can(Permission::ManagePeople));
        for role in [
            Role::AccountExecutive,
            Role::Specialist,
            Role::Finance,
            Role::ClientContact,
        ] {
            assert!(
                !actor(role).can(Permission::ManagePeople),
                "{role} must not manage people"
            );
        }
    }

    #[test]
    fn specialists_finance_and_contacts_cannot_change_clients() {
        for role in [Role::Specialist, Role::Finance, Role::ClientContact] {
            assert_eq!(
                actor(role).require(Permission::ManageClients).unwrap_err().code(),
                "forbidden"
            );
        }
        assert!(actor(Role::AccountExecutive).can(Permission::ManageClients));
    }

    #[test]
    fn a_client_contact_is_scoped_to_their_client_and_sees_no_history() {
        let contact = Actor {
            client_id: Some(ClientId(7)),
            ..actor(Role::ClientContact)
        };
        assert_eq!(contact.client_scope(), Some(ClientId(7)));
        assert!(!contact.can(Permission::ViewHistory));
        let orphan = actor(Role::ClientContact);
        assert_eq!(orphan.client_scope(), Some(ClientId(-1)));
        assert_eq!(actor(Role::AccountExecutive).client_scope(), None);
    }
}
