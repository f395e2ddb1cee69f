//! Delivering outbox messages: over SMTP with lettre, or as `.eml` files in a folder when no SMTP server is
//! configured (the laptop default).

use crate::config::{MailConfig, MailTransport, SmtpTls};
use accountable_core::mail::{Attachment, MailSender, OutboxMessage, SendError};
use lettre::message::header::ContentType;
use lettre::message::{Attachment as Part, Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// Builds the MIME message: plain text (and HTML as an alternative), attachments in a mixed part.
pub fn build(from: &str, m: &OutboxMessage, attachments: &[Attachment]) -> Result<Message, SendError> {
    let bad = |what: &str, e: &dyn std::fmt::Display| SendError::Permanent(format!("{what}: {e}"));
    let mut builder = Message::builder()
        .from(
            from.parse::<Mailbox>()
                .map_err(|e| bad("the sender address", &e))?,
        )
        .subject(m.subject.clone())
        .message_id(Some(m.message_id.clone()));
    for to in &m.to {
        builder = builder.to(to
            .as_str()
            .parse::<Mailbox>()
            .map_err(|e| bad("a recipient", &e))?);
    }
    for cc in &m.cc {
        builder = builder.cc(cc
            .as_str()
            .parse::<Mailbox>()
            .map_err(|e| bad("a copy recipient", &e))?);
    }
    if let Some(r) = &m.reply_to {
        builder = builder.reply_to(
            r.as_str()
                .parse::<Mailbox>()
                .map_err(|e| bad("the reply-to address", &e))?,
        );
    }
    let text = SinglePart::plain(m.text.clone());
    let body = match &m.html {
        Some(html) => MultiPart::alternative()
            .singlepart(text)
            .singlepart(SinglePart::html(html.clone())),
        None => MultiPart::mixed().singlepart(text),
    };
    let body = if attachments.is_empty() {
        body
    } else {
        let mut mixed = if m.html.is_some() {
            MultiPart::mixed().multipart(body)
        } else {
            body
        };
        for a in attachments {
            let content_type =
                ContentType::parse(&a.content_type).map_err(|e| bad("an attachment's type", &e))?;
            mixed = mixed.singlepart(Part::new(a.filename.clone()).body(a.content.clone(), content_type));
        }
        mixed
    };
    builder.multipart(body).map_err(|e| bad("the message", &e))
}

/// Sends over SMTP.
pub struct SmtpSender {
    from: String,
    transport: AsyncSmtpTransport<Tokio1Executor>,
}

impl SmtpSender {
    /// A sender for the configured server.
    pub fn new(
        from: &str,
        host: &str,
        port: u16,
        tls: SmtpTls,
        username: Option<&str>,
        password: Option<&str>,
    ) -> Result<Self, String> {
        let builder = match tls {
            SmtpTls::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host),
            SmtpTls::StartTls => {
                AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(host).map_err(|e| e.to_string())?
            }
            SmtpTls::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(host).map_err(|e| e.to_string())?,
        };
        let mut builder = builder.port(port).timeout(Some(Duration::from_secs(30)));
        if let (Some(u), Some(p)) = (username, password) {
            builder = builder.credentials(Credentials::new(u.to_string(), p.to_string()));
        }
        Ok(SmtpSender {
            from: from.to_string(),
            transport: builder.build(),
        })
    }
}

#[async_trait::async_trait]
impl MailSender for SmtpSender {
    async fn send(&self, message: &OutboxMessage, attachments: &[Attachment]) -> Result<(), SendError> {
        let email = build(&self.from, message, attachments)?;
        match self.transport.send(email).await {
            Ok(_) => Ok(()),
            Err(e) if e.is_permanent() => Err(SendError::Permanent(format!("the mail server refused: {e}"))),
            Err(e) => Err(SendError::Transient(format!(
                "the mail server did not take it: {e}"
            ))),
        }
    }
}

/// Writes each message as an `.eml` file (RFC 5322), named by its outbox id: writing it again replaces it.
pub struct FileSender {
    from: String,
    dir: PathBuf,
}

impl FileSender {
    /// A sender into `dir` (created when missing).
    pub fn new(from: &str, dir: PathBuf) -> Self {
        FileSender {
            from: from.to_string(),
            dir,
        }
    }
}

#[async_trait::async_trait]
impl MailSender for FileSender {
    async fn send(&self, message: &OutboxMessage, attachments: &[Attachment]) -> Result<(), SendError> {
        let email = build(&self.from, message, attachments)?;
        let io =
            |e: std::io::Error| SendError::Transient(format!("cannot write to {}: {e}", self.dir.display()));
        tokio::fs::create_dir_all(&self.dir).await.map_err(io)?;
        let name = format!("{:08}.eml", message.id.0);
        let partial = self.dir.join(format!(".{name}.partial"));
        tokio::fs::write(&partial, email.formatted()).await.map_err(io)?;
        tokio::fs::rename(&partial, self.dir.join(name))
            .await
            .map_err(io)?;
        Ok(())
    }
}

/// The sender the configuration asks for.
pub fn sender(config: &MailConfig) -> Result<Arc<dyn MailSender>, String> {
    Ok(match &config.transport {
        MailTransport::Smtp {
            host,
            port,
            tls,
            username,
            password,
        } => Arc::new(SmtpSender::new(
            &config.from,
            host,
            *port,
            *tls,
            username.as_deref(),
            password.as_deref(),
        )?),
        MailTransport::Files(dir) => Arc::new(FileSender::new(&config.from, dir.clone())),
    })
}
