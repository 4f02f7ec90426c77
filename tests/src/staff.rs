//! Staff accounts for tests: created through the real services, signed in through the real
//! sign-in page, with the session cookie and CSRF token a browser would hold.

use kintsugi::services::accounts::{self, Password, Role, tokens};

use crate::TestApp;

/// Accounts made for tests are audited as if made at the command line.
const OPERATOR: &str = "command line";

pub const PASSWORD: &str = "correct horse battery staple";

/// A signed-in staff member.
#[derive(Clone, Debug)]
pub struct Staff {
    pub name: String,
    /// `kintsugi_session=…`, for a `Cookie` header.
    pub cookie: String,
    /// The session's CSRF token, for forms.
    pub csrf: String,
    /// A personal API token, for `Authorization: Bearer …`.
    pub token: String,
}

impl Staff {
    pub fn bearer(&self) -> String {
        format!("Bearer {}", self.token)
    }
}

impl TestApp {
    /// Creates an account with `role`, signs it in and gives it an API token.
    pub async fn staff(&self, name: &str, role: Role) -> anyhow::Result<Staff> {
        let account = accounts::add(
            &self.state.db,
            OPERATOR,
            name,
            role,
            PASSWORD,
            Password::Chosen,
        )
        .await?;
        let token = tokens::issue(&self.state.db, OPERATOR, account.id, "tests").await?;
        let (cookie, csrf) = self.sign_in(name, PASSWORD).await?;
        Ok(Staff {
            name: name.to_owned(),
            cookie,
            csrf,
            token,
        })
    }

    /// Signs in through the page; returns the session cookie and the CSRF token.
    pub async fn sign_in(&self, name: &str, password: &str) -> anyhow::Result<(String, String)> {
        let response = self
            .client
            .post("/signin")
            .form(&[("name", name), ("password", password), ("next", "/")])
            .send()
            .await;
        anyhow::ensure!(
            response.0.status().is_redirection(),
            "sign-in answered {}",
            response.0.status()
        );
        let cookie = response
            .0
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with("kintsugi_session="))
            .and_then(|v| v.split(';').next())
            .map(str::to_owned)
            .ok_or_else(|| anyhow::anyhow!("no session cookie was set"))?;
        let page = self
            .client
            .get("/account")
            .header("cookie", &cookie)
            .send()
            .await
            .0
            .into_body()
            .into_string()
            .await?;
        let csrf = csrf_token_in(&page)
            .ok_or_else(|| anyhow::anyhow!("no CSRF token on the account page"))?;
        Ok((cookie, csrf))
    }
}

/// The value of the first `csrf_token` hidden field in a page.
pub fn csrf_token_in(page: &str) -> Option<String> {
    let marker = r#"name="csrf_token" value=""#;
    let start = page.find(marker)? + marker.len();
    let end = page[start..].find('"')? + start;
    Some(page[start..end].to_owned())
}
