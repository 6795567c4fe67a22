//! `flisbot serve`: the read-only web server on its own, without Discord. It holds the store
//! like the bot does, so it opens the control socket too: `flisbot admin …` keeps working while
//! it runs, and the page shows each change as soon as it is committed.

use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::run_captured;
use crate::clock::{Clock, FixedClock, SystemClock};
use crate::config::{parse_listen, Config};
use crate::error::AppError;
use crate::shutdown::StopSignal;
use crate::store::{Store, STORE_LOCK_WAIT};
use crate::web::{self, WebState};

pub fn run(
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
    // A restart may find the previous process still letting go of the store: wait for it.
    let store = Arc::new(Store::open_waiting(dir, STORE_LOCK_WAIT)?);
    let clock: Arc<dyn Clock> = match now {
        Some(t) => Arc::new(FixedClock(t)),
        None => Arc::new(SystemClock),
    };
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
    // Webhook targets are delivered to without Discord too; the log tells of a pause.
    let deliverer = crate::webhooks::Deliverer::new(
        Arc::clone(&store),
        crate::webhooks::Settings::from_config(&config)?,
        Arc::new(crate::webhooks::LogOnly),
    )?;
    runtime.spawn(Arc::new(deliverer).run(Arc::clone(&clock)));
    let feed = web::FeedSettings {
        time: config.schedule()?.time,
        base: config.web.public_url()?,
    };
    let state = Arc::new(
        WebState::new(Arc::clone(&store), clock, crate::metrics::global()).with_feed(feed),
    );
    let result = runtime.block_on(async {
        let listener = web::bind(addr).await?;
        let local = listener.local_addr()?;
        // The one line on stdout: where to point a browser (tests read the port from it).
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "flisbot serve: http://{local}/");
        let _ = out.flush();
        drop(out);
        tracing::info!(address = %local, "web server listening");
        let stop = async {
            signal.recv().await;
            control.stop_accepting();
        };
        web::serve(listener, web::router(state), config.web.limits(), stop).await;
        tracing::info!("web server stopped");
        Ok::<(), AppError>(())
    });
    // Every command the socket took is answered before the store is let go of.
    control.finish();
    let flushed = store.flush();
    result?;
    Ok(flushed?)
}
