//! The digest as an email: plain text and HTML, with a one-click unsubscribe (RFC 8058).

use std::time::Duration;

use lettre::{
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
    message::{
        Mailbox, MultiPart,
        header::{HeaderName, HeaderValue},
    },
};
use serde::Serialize;

use super::{Digest, subscriptions::Subscriber};
use crate::{
    config::Config,
    error::{AppError, Result},
    templates::Templates,
};

/// The sender used when `--smtp-from` is not given.
const DEFAULT_FROM: &str = "Kintsugi <kintsugi@localhost>";

/// A connection to the configured mail server and what every message needs.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    /// The site's address for links, without a trailing slash.
    site: String,
}

impl Mailer {
    /// The mailer of the configuration; `None` when no mail server is configured.
    pub fn from_config(config: &Config) -> Result<Option<Self>> {
        let Some(url) = &config.digests.smtp_url else {
            return Ok(None);
        };
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(&url.0)
            .map_err(|e| AppError::Internal(format!("the SMTP URL cannot be used: {e}")))?
            // A mail server that hangs must not hold a subscriber's claim for long.
            .timeout(Some(Duration::from_secs(30)))
            .build();
        let from = config.digests.from.as_deref().unwrap_or(DEFAULT_FROM);
        let from = from
            .parse()
            .map_err(|e| AppError::Internal(format!("the sender address {from:?}: {e}")))?;
        Ok(Some(Self {
            transport,
            from,
            site: config.public_url(),
        }))
    }

    /// Sends `digest` to one subscriber.
    pub async fn send(
        &self,
        templates: &Templates,
        digest: &Digest,
        to: &Subscriber,
    ) -> Result<()> {
        let message = self.message(templates, digest, to)?;
        self.transport
            .send(message)
            .await
            .map_err(|e| AppError::Internal(format!("the mail server refused the digest: {e}")))?;
        Ok(())
    }

    fn message(&self, templates: &Templates, digest: &Digest, to: &Subscriber) -> Result<Message> {
        let unsubscribe = format!("{}/digest/unsubscribe/{}", self.site, to.unsubscribe_token);
        let context = MailContext {
            digest,
            site: &self.site,
            unsubscribe: &unsubscribe,
        };
        let text = templates.render("emails/digest_text", &context, None, "")?;
        let html = templates.render("emails/digest_html", &context, None, "")?;
        let to: Mailbox = to
            .email
            .parse()
            .map_err(|e| AppError::Internal(format!("a subscriber's address: {e}")))?;
        let header = |name: &'static str, value: String| {
            HeaderValue::new(HeaderName::new_from_ascii_str(name), value)
        };
        Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(format!("Kintsugi: lessons of {}", digest.month_name))
            .raw_header(header("List-Unsubscribe", format!("<{unsubscribe}>")))
            .raw_header(header(
                "List-Unsubscribe-Post",
                "List-Unsubscribe=One-Click".to_owned(),
            ))
            .multipart(MultiPart::alternative_plain_html(text, html))
            .map_err(|e| AppError::Internal(format!("the digest email: {e}")))
    }
}

#[derive(Serialize)]
struct MailContext<'a> {
    digest: &'a Digest,
    site: &'a str,
    unsubscribe: &'a str,
}
