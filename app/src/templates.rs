//! The handlebars templates and static assets, embedded in the binary.
//!
//! With a development folder configured, templates are read from disk on every render, so the
//! pages can be worked on without a rebuild.

use std::path::{Path, PathBuf};

use handlebars::Handlebars;
use rust_embed::RustEmbed;
use serde::Serialize;

use crate::{
    error::{AppError, Result},
    services::accounts::{Account, Role},
};

#[derive(RustEmbed)]
#[folder = "../templates/"]
#[exclude = "static/*"]
struct Embedded;

/// CSS, scripts and images served under `/static/`.
#[derive(RustEmbed)]
#[folder = "../templates/static/"]
pub struct StaticAssets;

pub struct Templates {
    registry: Handlebars<'static>,
    dev_dir: Option<PathBuf>,
}

impl Templates {
    pub fn load(dev_dir: Option<PathBuf>) -> Result<Self> {
        let registry = match &dev_dir {
            Some(dir) => from_dir(dir)?,
            None => embedded()?,
        };
        Ok(Self { registry, dev_dir })
    }

    /// Renders the template `name` (its path under `templates/` without `.hbs`). Every page
    /// also gets `viewer` (who is signed in, if anyone) and `csrf_token` for its forms.
    pub fn render<T: Serialize>(
        &self,
        name: &str,
        context: &T,
        viewer: Option<&Account>,
        csrf_token: &str,
    ) -> Result<String> {
        let context = WithViewer {
            page: context,
            csrf_token,
            viewer: viewer.map(|account| ViewerView {
                name: &account.name,
                role: account.role.label(),
                moderator: account.can(Role::Moderator),
                pattern_keeper: account.can(Role::Moderator) || account.can(Role::PolicyOwner),
                admin: account.can(Role::Admin),
            }),
        };
        let rendered = match &self.dev_dir {
            Some(dir) => from_dir(dir)?.render(name, &context),
            None => self.registry.render(name, &context),
        };
        rendered.map_err(|e| AppError::Internal(format!("template {name}: {e}")))
    }
}

#[derive(Serialize)]
struct WithViewer<'a, T> {
    #[serde(flatten)]
    page: &'a T,
    viewer: Option<ViewerView<'a>>,
    csrf_token: &'a str,
}

#[derive(Serialize)]
struct ViewerView<'a> {
    name: &'a str,
    role: &'static str,
    moderator: bool,
    /// Policy owners and moderators look after recurring patterns.
    pattern_keeper: bool,
    admin: bool,
}

fn registry() -> Handlebars<'static> {
    let mut registry = Handlebars::new();
    // A missing field is a bug in a page's context, never something to render as blank.
    registry.set_strict_mode(true);
    registry
}

fn embedded() -> Result<Handlebars<'static>> {
    let mut registry = registry();
    for file in Embedded::iter() {
        let Some(name) = file.strip_suffix(".hbs") else {
            continue;
        };
        let source = Embedded::get(&file)
            .ok_or_else(|| AppError::Internal(format!("embedded template {file} vanished")))?;
        let text = std::str::from_utf8(&source.data)
            .map_err(|e| AppError::Internal(format!("template {file} is not UTF-8: {e}")))?;
        registry
            .register_template_string(name, text)
            .map_err(|e| AppError::Internal(format!("template {file}: {e}")))?;
    }
    Ok(registry)
}

fn from_dir(dir: &Path) -> Result<Handlebars<'static>> {
    let mut registry = registry();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        let entries = std::fs::read_dir(&folder)
            .map_err(|e| AppError::Internal(format!("reading {}: {e}", folder.display())))?;
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|ext| ext == "hbs") {
                let name = path
                    .strip_prefix(dir)
                    .map(|p| p.with_extension("").to_string_lossy().replace('\\', "/"))
                    .map_err(|e| AppError::Internal(e.to_string()))?;
                registry
                    .register_template_file(&name, &path)
                    .map_err(|e| AppError::Internal(format!("template {name}: {e}")))?;
            }
        }
    }
    Ok(registry)
}

#[cfg(test)]
mod tests {
    use super::Templates;

    #[test]
    fn every_embedded_template_compiles() {
        let templates = Templates::load(None);
        assert!(templates.is_ok(), "{:?}", templates.err());
    }
}
