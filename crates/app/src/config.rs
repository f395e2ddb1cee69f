//! Configuration in layers: built-in defaults, then a TOML file, then `ACCOUNTABLE_*` environment variables,
//! then command-line flags. An unknown key in the file or an unknown `ACCOUNTABLE_*` variable is an error, so
//! a typo never silently falls back to a default. Secrets (the password in the database URL) never appear in
//! `Debug` output or logs.

use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// The configuration in force.
#[derive(Clone)]
pub struct Config {
    /// `sqlite:…` or `postgres://…`.
    pub database_url: String,
    /// The address to listen on.
    pub listen: SocketAddr,
    /// The address people use to reach this instance; `https` makes cookies `Secure`. When unset, the address
    /// Accountable listens on.
    pub public_url: Option<String>,
    /// `json` (one JSON object per line) or `text`.
    pub log_format: LogFormat,
    /// A `tracing` filter such as `info` or `accountable=debug`.
    pub log_level: String,
    /// Where the configuration file was read from, if one was.
    pub file: Option<PathBuf>,
    /// How e-mail leaves.
    pub mail: MailConfig,
    /// Where SQLite keeps archived documents' bytes; `None` for the folder beside the database file.
    pub documents_dir: Option<PathBuf>,
    /// The agency a command acts in when it names none (`--agency` overrides it).
    pub agency: Option<String>,
}

/// How e-mail leaves: an SMTP server, or `.eml` files in a folder when none is configured.
#[derive(Clone)]
pub struct MailConfig {
    /// The sender address.
    pub from: String,
    /// SMTP, or files.
    pub transport: MailTransport,
}

/// Where messages go.
#[derive(Clone)]
pub enum MailTransport {
    /// An SMTP server.
    Smtp {
        /// Host name.
        host: String,
        /// Port (587 for STARTTLS, 465 for TLS, 25 or a test server's port for none).
        port: u16,
        /// `none`, `starttls` or `tls`.
        tls: SmtpTls,
        /// User name, if the server wants one.
        username: Option<String>,
        /// Password; never printed.
        password: Option<String>,
    },
    /// `.eml` files in this folder.
    Files(PathBuf),
}

/// SMTP transport security.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpTls {
    /// Plain text (a local relay or a test server only).
    None,
    /// Upgrade with STARTTLS.
    StartTls,
    /// TLS from the first byte.
    Tls,
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// One JSON object per line.
    Json,
    /// Human-readable lines.
    Text,
}

/// The keys a configuration file may hold; anything else is refused.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Layer {
    /// See [`Config::database_url`].
    pub database_url: Option<String>,
    /// See [`Config::listen`].
    pub listen: Option<String>,
    /// See [`Config::public_url`].
    pub public_url: Option<String>,
    /// See [`Config::log_format`].
    pub log_format: Option<String>,
    /// See [`Config::log_level`].
    pub log_level: Option<String>,
    /// The SMTP server's host; without one, mail is written as files into `mail_dir`.
    pub smtp_host: Option<String>,
    /// The SMTP server's port.
    pub smtp_port: Option<u16>,
    /// `none`, `starttls` or `tls`.
    pub smtp_tls: Option<String>,
    /// SMTP user name.
    pub smtp_username: Option<String>,
    /// SMTP password.
    pub smtp_password: Option<String>,
    /// The sender address of every message.
    pub mail_from: Option<String>,
    /// Where messages are written when no SMTP server is configured.
    pub mail_dir: Option<String>,
    /// Where SQLite keeps archived documents (default: `<database name>-documents` beside the database file).
    pub documents_dir: Option<String>,
    /// The agency a command acts in when it names none.
    pub agency: Option<String>,
}

impl Layer {
    fn over(self, below: Layer) -> Layer {
        Layer {
            database_url: self.database_url.or(below.database_url),
            listen: self.listen.or(below.listen),
            public_url: self.public_url.or(below.public_url),
            log_format: self.log_format.or(below.log_format),
            log_level: self.log_level.or(below.log_level),
            smtp_host: self.smtp_host.or(below.smtp_host),
            smtp_port: self.smtp_port.or(below.smtp_port),
            smtp_tls: self.smtp_tls.or(below.smtp_tls),
            smtp_username: self.smtp_username.or(below.smtp_username),
            smtp_password: self.smtp_password.or(below.smtp_password),
            mail_from: self.mail_from.or(below.mail_from),
            mail_dir: self.mail_dir.or(below.mail_dir),
            documents_dir: self.documents_dir.or(below.documents_dir),
            agency: self.agency.or(below.agency),
        }
    }
}

/// The environment variables Accountable reads, by the key they set.
const ENV_KEYS: &[&str] = &[
    "CONFIG",
    "DATABASE_URL",
    "LISTEN",
    "PUBLIC_URL",
    "LOG_FORMAT",
    "LOG_LEVEL",
    "SMTP_HOST",
    "SMTP_PORT",
    "SMTP_TLS",
    "SMTP_USERNAME",
    "SMTP_PASSWORD",
    "MAIL_FROM",
    "MAIL_DIR",
    "DOCUMENTS_DIR",
    "AGENCY",
];

/// Reads the `ACCOUNTABLE_*` variables; an unknown one is an error.
pub fn env_layer(vars: &BTreeMap<String, String>) -> Result<Layer, String> {
    let mut layer = Layer::default();
    for (name, value) in vars {
        let Some(key) = name.strip_prefix("ACCOUNTABLE_") else {
            continue;
        };
        match key {
            "DATABASE_URL" => layer.database_url = Some(value.clone()),
            "LISTEN" => layer.listen = Some(value.clone()),
            "PUBLIC_URL" => layer.public_url = Some(value.clone()),
            "LOG_FORMAT" => layer.log_format = Some(value.clone()),
            "LOG_LEVEL" => layer.log_level = Some(value.clone()),
            "CONFIG" => {}
            "SMTP_HOST" => layer.smtp_host = Some(value.clone()),
            "SMTP_PORT" => {
                layer.smtp_port = Some(
                    value
                        .parse()
                        .map_err(|_| format!("ACCOUNTABLE_SMTP_PORT: {value:?} is not a port"))?,
                )
            }
            "SMTP_TLS" => layer.smtp_tls = Some(value.clone()),
            "SMTP_USERNAME" => layer.smtp_username = Some(value.clone()),
            "SMTP_PASSWORD" => layer.smtp_password = Some(value.clone()),
            "MAIL_FROM" => layer.mail_from = Some(value.clone()),
            "MAIL_DIR" => layer.mail_dir = Some(value.clone()),
            "DOCUMENTS_DIR" => layer.documents_dir = Some(value.clone()),
            "AGENCY" => layer.agency = Some(value.clone()),
            other => {
                return Err(format!(
                    "unknown environment variable ACCOUNTABLE_{other}; known: {}",
                    ENV_KEYS
                        .iter()
                        .map(|k| format!("ACCOUNTABLE_{k}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
        }
    }
    Ok(layer)
}

/// Reads a TOML configuration file; unknown keys are an error that names them.
pub fn file_layer(path: &Path) -> Result<Layer, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    toml::from_str::<Layer>(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// The built-in defaults: a SQLite file in the working directory, port 8080 on loopback.
pub fn defaults() -> Layer {
    Layer {
        database_url: Some("sqlite:accountable.db".into()),
        listen: Some("127.0.0.1:8080".into()),
        public_url: None,
        log_format: Some("json".into()),
        log_level: Some("info".into()),
        mail_from: Some("Accountable <accountable@localhost>".into()),
        mail_dir: Some("mail".into()),
        ..Layer::default()
    }
}

impl Config {
    /// Builds the configuration from flags over environment over file over defaults.
    pub fn load(
        flags: Layer,
        config_file: Option<PathBuf>,
        vars: &BTreeMap<String, String>,
    ) -> Result<Config, String> {
        let env = env_layer(vars)?;
        let file_path = config_file
            .or_else(|| vars.get("ACCOUNTABLE_CONFIG").map(PathBuf::from))
            .or_else(|| {
                let local = PathBuf::from("accountable.toml");
                local.exists().then_some(local)
            });
        let file = match &file_path {
            Some(p) => file_layer(p)?,
            None => Layer::default(),
        };
        let merged = flags.over(env).over(file).over(defaults());
        let database_url = merged.database_url.unwrap_or_default();
        accountable_store::Backend::from_url(&database_url).map_err(|e| e.to_string())?;
        let listen_text = merged.listen.unwrap_or_default();
        let listen: SocketAddr = listen_text
            .parse()
            .map_err(|_| format!("listen: {listen_text:?} is not an address such as 127.0.0.1:8080"))?;
        let public_url = merged.public_url;
        if let Some(u) = &public_url
            && !(u.starts_with("http://") || u.starts_with("https://"))
        {
            return Err(format!("public_url: {u:?} must start with http:// or https://"));
        }
        let log_format = match merged.log_format.as_deref() {
            Some("json") | None => LogFormat::Json,
            Some("text") => LogFormat::Text,
            Some(other) => return Err(format!("log_format: {other:?} is not json or text")),
        };
        let tls = match merged.smtp_tls.as_deref() {
            None | Some("starttls") => SmtpTls::StartTls,
            Some("tls") => SmtpTls::Tls,
            Some("none") => SmtpTls::None,
            Some(other) => return Err(format!("smtp_tls: {other:?} is not none, starttls or tls")),
        };
        let transport = match merged.smtp_host {
            Some(host) if !host.is_empty() => MailTransport::Smtp {
                port: merged.smtp_port.unwrap_or(match tls {
                    SmtpTls::Tls => 465,
                    SmtpTls::StartTls => 587,
                    SmtpTls::None => 25,
                }),
                host,
                tls,
                username: merged.smtp_username,
                password: merged.smtp_password,
            },
            _ => MailTransport::Files(PathBuf::from(merged.mail_dir.unwrap_or_else(|| "mail".into()))),
        };
        let mail = MailConfig {
            from: merged.mail_from.unwrap_or_default(),
            transport,
        };
        Ok(Config {
            agency: merged.agency.filter(|a| !a.trim().is_empty()),
            documents_dir: merged.documents_dir.map(PathBuf::from),
            mail,
            database_url,
            listen,
            public_url,
            log_format,
            log_level: merged.log_level.unwrap_or_else(|| "info".into()),
            file: file_path,
        })
    }

    /// The configuration as TOML, with secrets hidden: what `accountable config show` prints.
    pub fn show(&self) -> String {
        let mut out = String::new();
        if let Some(f) = &self.file {
            out.push_str(&format!("# read from {}\n", f.display()));
        }
        let fmt = match self.log_format {
            LogFormat::Json => "json",
            LogFormat::Text => "text",
        };
        out.push_str(&format!("database_url = {:?}\n", redact_url(&self.database_url)));
        out.push_str(&format!("listen = {:?}\n", self.listen.to_string()));
        match &self.public_url {
            Some(u) => out.push_str(&format!("public_url = {u:?}\n")),
            None => out.push_str(&format!(
                "# public_url is unset: http://{} is used\n",
                self.listen
            )),
        }
        out.push_str(&format!("log_format = {fmt:?}\n"));
        out.push_str(&format!("log_level = {:?}\n", self.log_level));
        if let Some(d) = &self.documents_dir {
            out.push_str(&format!("documents_dir = {:?}\n", d.display().to_string()));
        }
        if let Some(a) = &self.agency {
            out.push_str(&format!("agency = {a:?}\n"));
        }
        out.push_str(&format!("mail_from = {:?}\n", self.mail.from));
        match &self.mail.transport {
            MailTransport::Smtp {
                host,
                port,
                tls,
                username,
                password,
            } => {
                out.push_str(&format!("smtp_host = {host:?}\nsmtp_port = {port}\n"));
                let tls = match tls {
                    SmtpTls::None => "none",
                    SmtpTls::StartTls => "starttls",
                    SmtpTls::Tls => "tls",
                };
                out.push_str(&format!("smtp_tls = {tls:?}\n"));
                if let Some(u) = username {
                    out.push_str(&format!("smtp_username = {u:?}\n"));
                }
                if password.is_some() {
                    out.push_str("smtp_password = \"***\"\n");
                }
            }
            MailTransport::Files(dir) => {
                out.push_str(&format!(
                    "mail_dir = {:?}  # no smtp_host: messages are written here as .eml files\n",
                    dir.display().to_string()
                ));
            }
        }
        out
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("database_url", &redact_url(&self.database_url))
            .field("listen", &self.listen)
            .field("public_url", &self.public_url)
            .field("log_format", &self.log_format)
            .field("log_level", &self.log_level)
            .field("mail", &self.mail)
            .finish()
    }
}

impl fmt::Debug for MailConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.transport {
            MailTransport::Smtp {
                host,
                port,
                tls,
                username,
                password,
            } => f
                .debug_struct("Smtp")
                .field("from", &self.from)
                .field("host", host)
                .field("port", port)
                .field("tls", tls)
                .field("username", username)
                .field("password", &password.as_ref().map(|_| "***"))
                .finish(),
            MailTransport::Files(dir) => f
                .debug_struct("Files")
                .field("from", &self.from)
                .field("dir", dir)
                .finish(),
        }
    }
}

/// A URL with the password replaced by `***` (`postgres://user:***@host/db`).
pub fn redact_url(url: &str) -> String {
    let Some(scheme_end) = url.find("://") else {
        return url.to_string();
    };
    let rest = &url[scheme_end + 3..];
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    let mut redacted = match authority.rfind('@') {
        Some(at) => {
            let userinfo = &authority[..at];
            match userinfo.find(':') {
                Some(colon) => format!(
                    "{}://{}:***{}",
                    &url[..scheme_end],
                    &userinfo[..colon],
                    &rest[at..]
                ),
                None => url.to_string(),
            }
        }
        None => url.to_string(),
    };
    // A password may also come as a query parameter.
    if let Some(q) = redacted.find("password=") {
        let end = redacted[q..].find('&').map(|e| q + e).unwrap_or(redacted.len());
        redacted.replace_range(q + "password=".len()..end, "***");
    }
    redacted
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn defaults_are_a_local_sqlite_file_on_port_8080() {
        let c = Config::load(Layer::default(), None, &vars(&[])).unwrap();
        assert_eq!(c.database_url, "sqlite:accountable.db");
        assert_eq!(c.listen.to_string(), "127.0.0.1:8080");
    }

    #[test]
    fn flags_beat_environment_which_beats_the_file() {
        let dir = std::env::temp_dir().join(format!("acc-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("a.toml");
        std::fs::write(
            &file,
            "listen = \"127.0.0.1:7000\"\nlog_level = \"debug\"\npublic_url = \"https://file.example\"\n",
        )
        .unwrap();
        let env = vars(&[
            ("ACCOUNTABLE_LISTEN", "127.0.0.1:7001"),
            ("ACCOUNTABLE_LOG_LEVEL", "warn"),
        ]);
        let flags = Layer {
            listen: Some("127.0.0.1:7002".into()),
            ..Default::default()
        };
        let c = Config::load(flags, Some(file), &env).unwrap();
        assert_eq!(c.listen.to_string(), "127.0.0.1:7002");
        assert_eq!(c.log_level, "warn");
        assert_eq!(c.public_url.as_deref(), Some("https://file.example"));
    }

    #[test]
    fn unknown_keys_in_the_file_and_environment_are_errors() {
        let dir = std::env::temp_dir().join(format!("acc-config-u-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("b.toml");
        std::fs::write(&file, "databse_url = \"sqlite:x.db\"\n").unwrap();
        let err = Config::load(Layer::default(), Some(file), &vars(&[])).unwrap_err();
        assert!(err.contains("databse_url"), "{err}");
        let err =
            Config::load(Layer::default(), None, &vars(&[("ACCOUNTABLE_DATABSE_URL", "x")])).unwrap_err();
        assert!(err.contains("ACCOUNTABLE_DATABSE_URL"), "{err}");
    }

    #[test]
    fn an_unsupported_database_scheme_is_refused_by_name() {
        let flags = Layer {
            database_url: Some("mysql://localhost/db".into()),
            ..Default::default()
        };
        let err = Config::load(flags, None, &vars(&[])).unwrap_err();
        assert!(err.contains("\"mysql\""), "{err}");
    }

    #[test]
    fn the_database_password_never_shows() {
        let flags = Layer {
            database_url: Some("postgres://acc:s3cret@db.example:5432/acc".into()),
            ..Default::default()
        };
        let c = Config::load(flags, None, &vars(&[])).unwrap();
        assert!(!c.show().contains("s3cret"));
        assert!(!format!("{c:?}").contains("s3cret"));
        assert!(c.show().contains("postgres://acc:***@db.example:5432/acc"));
        assert_eq!(
            redact_url("postgres://h/db?user=a&password=p1&x=1"),
            "postgres://h/db?user=a&password=***&x=1"
        );
    }
}
