//! `flisbot run`: the Discord bot, with the control socket beside it.

use std::path::Path;
use std::sync::Arc;

use super::holder::Holder;
use crate::clock::SystemClock;
use crate::config::{token_from_env, Config};
use crate::discord::BotSettings;
use crate::error::AppError;

/// Config and token first (a mistake there is a clear message, not a half-started bot), then
/// the store, the control socket and the Discord connection.
pub(crate) fn run(dir: &Path, config: Option<&Path>) -> Result<(), AppError> {
    let config = match config {
        Some(path) => Config::load(path)?,
        None => {
            tracing::warn!("no --config given: no operators, no question channels");
            Config::default()
        }
    };
    let web = config.web.listen_addr()?;
    let limits = config.web.limits();
    let feed = crate::web::FeedSettings::from_config(&config)?;
    let token = token_from_env(std::env::var("DISCORD_TOKEN").ok())?;
    let proxy = config.proxy(std::env::var("FLISBOT_DISCORD_PROXY").ok());
    let holder = Holder::open(dir, Arc::new(SystemClock))?;
    if let Some(addr) = web {
        holder.runtime.block_on(crate::web::spawn(
            addr,
            limits,
            Arc::clone(&holder.store),
            Arc::clone(&holder.clock),
            feed,
        ))?;
    }
    let settings = BotSettings {
        token,
        config,
        proxy,
        store: Arc::clone(&holder.store),
        clock: Arc::clone(&holder.clock),
    };
    holder.run(|stop| Box::pin(crate::discord::run(settings, stop)))
}
