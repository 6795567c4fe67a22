//! Webhook targets (Teams, Slack, generic) and the Atom feed: delivery in process against real
//! receivers, the command line and `flisbot serve` as processes.

mod delivery;
mod feed;
mod process;
