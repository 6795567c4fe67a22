//! `flisbot announce --preview | --schedule`: what the announcements will say and when.

use crate::views::render::{sentence, Template};
use std::path::PathBuf;

use chrono::{DateTime, Utc};

use super::Context;
use crate::config::{parse_time, Config};
use crate::core::announce::{announcement, due_on_or_after};
use crate::error::AppError;
use crate::views::announce::{render_announcement, render_schedule};

/// The default time of day, as in the configuration.
const DEFAULT_TIME: (u32, u32) = (9, 0);

pub(crate) fn run(
    cx: &mut Context<'_>,
    preview: bool,
    months: u32,
    now: DateTime<Utc>,
    config: Option<PathBuf>,
) -> Result<(), AppError> {
    let time = match config {
        Some(path) => parse_time(&Config::load(&cx.cwd.join(path))?.announcements.time)?,
        None => DEFAULT_TIME,
    };
    let catalogue = cx.store.catalogue();
    let text = if preview {
        match due_on_or_after(&catalogue, time, now)
            .and_then(|s| announcement(&catalogue, s.id, None))
        {
            Some(view) => render_announcement(&view),
            None => sentence(Template::Phrases, "no_announcement", &[]),
        }
    } else {
        render_schedule(&catalogue, time, now, months)
    };
    cx.print(&text)
}
