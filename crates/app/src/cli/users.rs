//! `accountable users …`: people of an agency, their passwords and API tokens.

use super::output::{Format, print_rows};
use super::{AgencyArg, agency_of, client_of, explain, services};
use crate::config::Config;
use accountable_core::actor::Actor;
use accountable_core::clock::Clock;
use accountable_core::token::{TokenForm, TokenId};
use accountable_core::types::{Email, Role, required_text};
use accountable_core::user::{PersonForm, parse_language};
use clap::Subcommand;
use std::io::{BufRead, Write};
use std::process::ExitCode;
use std::sync::Arc;

/// `accountable users …`
#[derive(Debug, Subcommand)]
pub enum UsersCommand {
    /// Create a person with a password (the agency is created when it does not exist; its first person must be
    /// an owner).
    Create {
        #[command(flatten)]
        agency: AgencyArg,
        /// E-mail address.
        #[arg(long)]
        email: String,
        /// Name.
        #[arg(long)]
        name: String,
        /// owner, account-executive, specialist, finance or client-contact.
        #[arg(long, default_value = "account-executive")]
        role: String,
        /// For a client contact: the client's id or exact name.
        #[arg(long)]
        client: Option<String>,
        /// Interface language: en, hu, zh-Hans or zh-Hant.
        #[arg(long, default_value = "en")]
        language: String,
        /// Read the password from the first line of standard input instead of asking.
        #[arg(long)]
        password_stdin: bool,
    },
    /// List the agency's people.
    List {
        #[command(flatten)]
        agency: AgencyArg,
        /// Output format.
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// Invite a person by e-mail and print the invitation link.
    Invite {
        #[command(flatten)]
        agency: AgencyArg,
        /// E-mail address.
        #[arg(long)]
        email: String,
        /// The role they will have.
        #[arg(long, default_value = "account-executive")]
        role: String,
        /// For a client contact: the client's id or exact name.
        #[arg(long)]
        client: Option<String>,
    },
    /// Set a new password (read from standard input) and end the person's sessions.
    ResetPassword {
        #[command(flatten)]
        agency: AgencyArg,
        /// The person's id or e-mail address.
        user: String,
    },
    /// Create an API token for a person and print it (shown once).
    Token {
        #[command(flatten)]
        agency: AgencyArg,
        /// The person's id or e-mail address.
        user: String,
        /// A name to recognise the token by.
        #[arg(long)]
        name: String,
        /// `read` or `read-write`.
        #[arg(long, default_value = "read")]
        scope: String,
        /// Days until it expires (1–365).
        #[arg(long, default_value = "90")]
        days: String,
    },
    /// Deactivate a person: they cannot sign in and their sessions end at once.
    Deactivate {
        #[command(flatten)]
        agency: AgencyArg,
        /// The person's id or e-mail address.
        user: String,
    },
    /// List the agency's API tokens with their person, scope, expiry and state (never their secrets).
    Tokens {
        #[command(flatten)]
        agency: AgencyArg,
        /// Output format.
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// Revoke an API token by its id (from `users tokens`): it stops working at once.
    RevokeToken {
        #[command(flatten)]
        agency: AgencyArg,
        /// The token's id.
        id: i64,
    },
}

fn read_password(prompt: bool) -> Result<String, String> {
    if prompt {
        eprint!("New password (at least 10 characters): ");
        let _ = std::io::stderr().flush();
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| format!("cannot read the password: {e}"))?;
    Ok(line.trim_end_matches(['\n', '\r']).to_string())
}

pub(super) async fn run(
    config: &Config,
    clock: Arc<dyn Clock>,
    cmd: UsersCommand,
) -> Result<ExitCode, String> {
    let services = services(config, clock).await?;
    match cmd {
        UsersCommand::Create {
            agency,
            email,
            name,
            role,
            client,
            language,
            password_stdin,
        } => {
            // The arguments are checked before the agency is looked up and before a password is asked for.
            let problems: Vec<String> = [
                Email::parse("email", &email).err(),
                required_text("name", &name, 200).err(),
                Role::parse("role", &role).err(),
                parse_language(&language).err(),
            ]
            .into_iter()
            .flatten()
            .map(|e| format!("{}: {}", e.field, e.message))
            .collect();
            if !problems.is_empty() {
                return Err(problems.join("\n"));
            }
            let agency = match &agency.agency {
                Some(name_or_id) if role == "owner" => match agency_of(
                    &services,
                    &AgencyArg {
                        agency: Some(name_or_id.clone()),
                    },
                    config,
                )
                .await
                {
                    Ok(a) => a,
                    Err(_) => services.ensure_agency(name_or_id).await.map_err(explain)?.0,
                },
                _ => agency_of(&services, &agency, config).await?,
            };
            let operator = Actor::operator(agency.id);
            let client_id = match client {
                Some(c) => client_of(&services, &operator, &agency, &c).await?.id.to_string(),
                None => String::new(),
            };
            let password = read_password(!password_stdin)?;
            let form = PersonForm {
                email,
                name,
                role,
                client_id,
                language,
                password,
            };
            let user = services.create_person(&operator, &form).await.map_err(explain)?;
            println!(
                "Created {} ({}) in {} with id {}.",
                user.email, user.role, agency.name, user.id
            );
            Ok(ExitCode::SUCCESS)
        }
        UsersCommand::List { agency, format } => {
            let agency = agency_of(&services, &agency, config).await?;
            let people = services
                .list_people(&Actor::operator(agency.id))
                .await
                .map_err(explain)?;
            let rows: Vec<Vec<String>> = people
                .iter()
                .map(|u| {
                    vec![
                        u.id.to_string(),
                        u.email.to_string(),
                        u.name.clone(),
                        u.role.to_string(),
                        if u.active {
                            "active".into()
                        } else {
                            "deactivated".into()
                        },
                    ]
                })
                .collect();
            print_rows(format, &["id", "email", "name", "role", "status"], &rows)?;
            Ok(ExitCode::SUCCESS)
        }
        UsersCommand::Invite {
            agency,
            email,
            role,
            client,
        } => {
            let agency = agency_of(&services, &agency, config).await?;
            let operator = Actor::operator(agency.id);
            let client_id = match client {
                Some(c) => client_of(&services, &operator, &agency, &c).await?.id.to_string(),
                None => String::new(),
            };
            let form = PersonForm {
                email,
                role,
                client_id,
                ..Default::default()
            };
            let issued = services.invite(&operator, &form).await.map_err(explain)?;
            let base = config
                .public_url
                .clone()
                .unwrap_or_else(|| format!("http://{}", config.listen));
            println!(
                "Invitation for {} ({}) — valid until {}:",
                issued.invitation.email, issued.invitation.role, issued.invitation.expires_at
            );
            println!("{}/invitations/{}", base.trim_end_matches('/'), issued.token);
            Ok(ExitCode::SUCCESS)
        }
        UsersCommand::ResetPassword { agency, user } => {
            let agency = agency_of(&services, &agency, config).await?;
            let operator = Actor::operator(agency.id);
            let person = services.resolve_person(&operator, &user).await.map_err(explain)?;
            let password = read_password(true)?;
            services
                .reset_password(&operator, person.id, &password)
                .await
                .map_err(explain)?;
            println!(
                "The password of {} was reset and their sessions ended.",
                person.email
            );
            Ok(ExitCode::SUCCESS)
        }
        UsersCommand::Token {
            agency,
            user,
            name,
            scope,
            days,
        } => {
            let agency = agency_of(&services, &agency, config).await?;
            let operator = Actor::operator(agency.id);
            let person = services.resolve_person(&operator, &user).await.map_err(explain)?;
            let form = TokenForm { name, scope, days };
            let issued = services
                .create_token(&operator, person.id, &form)
                .await
                .map_err(explain)?;
            eprintln!(
                "API token {:?} for {} ({}), valid until {}. It is shown only once:",
                issued.token.name,
                person.email,
                issued.token.scope.as_str(),
                issued.token.expires_at
            );
            println!("{}", issued.secret);
            Ok(ExitCode::SUCCESS)
        }
        UsersCommand::Tokens { agency, format } => {
            let agency = agency_of(&services, &agency, config).await?;
            let tokens = services
                .agency_tokens(&Actor::operator(agency.id))
                .await
                .map_err(explain)?;
            let now = services.now();
            let rows: Vec<Vec<String>> = tokens
                .iter()
                .map(|(t, person)| {
                    let state = match t.revoked_at {
                        Some(at) => format!("revoked {at}"),
                        None if t.expires_at <= now => "expired".into(),
                        None => "active".into(),
                    };
                    vec![
                        t.id.to_string(),
                        person.clone(),
                        t.name.clone(),
                        t.scope.as_str().to_string(),
                        t.created_at.to_string(),
                        t.expires_at.to_string(),
                        state,
                    ]
                })
                .collect();
            print_rows(
                format,
                &["id", "person", "name", "scope", "created", "expires", "state"],
                &rows,
            )?;
            Ok(ExitCode::SUCCESS)
        }
        UsersCommand::RevokeToken { agency, id } => {
            let agency = agency_of(&services, &agency, config).await?;
            services
                .revoke_token(&Actor::operator(agency.id), TokenId(id))
                .await
                .map_err(explain)?;
            println!("API token {id} is revoked; it stops working at once.");
            Ok(ExitCode::SUCCESS)
        }
        UsersCommand::Deactivate { agency, user } => {
            let agency = agency_of(&services, &agency, config).await?;
            let operator = Actor::operator(agency.id);
            let person = services.resolve_person(&operator, &user).await.map_err(explain)?;
            services
                .set_active(&operator, person.id, false)
                .await
                .map_err(explain)?;
            println!("{} is deactivated and signed out everywhere.", person.email);
            Ok(ExitCode::SUCCESS)
        }
    }
}
