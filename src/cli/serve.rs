//! `flisbot serve`: the read-only web server on its own, without Discord. It holds the store
//! like the bot does, so it opens the control socket too: `flisbot admin …` keeps working while
//! it runs, and the page shows each change as soon as it is committed.

use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::holder::Holder;
use crate::clock::{Clock, FixedClock, SystemClock};
use crate::config::{parse_listen, Config};
use crate::error::AppError;
use crate::web;

pub(crate) fn run(
    dir: &Path,
    listen: Option<&str>,
    config: Option<&Path>,
    now: Option<DateTime<Utc>>,
) -> Result<(), AppError> {
    let config = config.map(Config::load).transpose()?.unwrap_or_default();
    let addr = match listen {
        Some(s) => parse_listen(s)?,
        None => match config.web.listen_addr()? {
            Some(a) => a,
            None => parse_listen(web::DEFAULT_LISTEN)?,
        },
    };
    let clock: Arc<dyn Clock> = match now {
        Some(t) => Arc::new(FixedClock(t)),
        None => Arc::new(SystemClock),
    };
    let holder = Holder::open(dir, clock)?;
    let hooks = crate::webhooks::Settings::from_config(&config)?;
    let feed = web::FeedSettings::from_config(&config)?;
    let (store, clock) = (Arc::clone(&holder.store), Arc::clone(&holder.clock));
    holder.run(|stop| {
        Box::pin(async move {
            // Webhook targets are delivered to without Discord too; the log tells of a pause.
            crate::webhooks::start(
                Arc::clone(&store),
                hooks,
                Arc::new(crate::webhooks::LogOnly),
                Arc::clone(&clock),
            )?;
            let (local, server) =
                web::listen(addr, config.web.limits(), store, clock, feed, stop).await?;
            // The one line on stdout: where to point a browser (tests read the port from it).
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "flisbot serve: http://{local}/");
            let _ = out.flush();
            drop(out);
            server.await;
            tracing::info!("web server stopped");
            Ok(())
        })
    })
}
