//! `flisbot run`: the Discord bot, with the control socket beside it.

use std::path::Path;
use std::sync::Arc;

use super::run_captured;
use crate::clock::{Clock, SystemClock};
use crate::config::{token_from_env, Config};
use crate::discord::BotSettings;
use crate::error::AppError;
use crate::shutdown::StopSignal;
use crate::store::{Store, STORE_LOCK_WAIT};

/// Config and token first (a mistake there is a clear message, not a half-started bot), then
/// the store, the control socket and the Discord connection.
pub fn run(dir: &Path, config: Option<&Path>) -> Result<(), AppError> {
    let config = match config {
        Some(path) => Config::load(path)?,
        None => {
            tracing::warn!("no --config given: no operators, no question channels");
            Config::default()
        }
    };
    let web = config.web.listen_addr()?;
    let limits = config.web.limits();
    let feed = crate::web::FeedSettings {
        time: config.schedule()?.time,
        base: config.web.public_url()?,
    };
    let token = token_from_env(std::env::var("DISCORD_TOKEN").ok())?;
    let proxy = config.proxy(std::env::var("FLISBOT_DISCORD_PROXY").ok());
    // A restart may find the previous process still letting go of the store: wait for it.
    let store = Arc::new(Store::open_waiting(dir, STORE_LOCK_WAIT)?);
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let runtime = tokio::runtime::Runtime::new()?;
    // From here on SIGTERM is a clean stop: the control socket stops taking commands first.
    let signal = {
        let _entered = runtime.enter();
        StopSignal::install()?
    };
    let (socket_store, socket_clock) = (Arc::clone(&store), Arc::clone(&clock));
    let control = crate::cli::control::serve(
        crate::cli::control::bind(dir)?,
        Arc::new(move |req| run_captured(&socket_store, socket_clock.as_ref(), req)),
    );
    if let Some(addr) = web {
        runtime.block_on(crate::web::spawn(
            addr,
            limits,
            Arc::clone(&store),
            Arc::clone(&clock),
            feed,
        ))?;
    }
    let settings = BotSettings {
        token,
        config,
        proxy,
        store: Arc::clone(&store),
        clock,
    };
    let stop = async {
        signal.recv().await;
        control.stop_accepting();
    };
    let result = runtime.block_on(crate::discord::run(settings, stop));
    // Every command the socket took is answered before the store is let go of.
    control.finish();
    let flushed = store.flush();
    result?;
    Ok(flushed?)
}
