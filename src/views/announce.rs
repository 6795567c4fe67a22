//! Release announcements and the schedule as Danish text (`responses/announce_*.md`), within
//! Discord's 2000 characters; what an announcement says is `core::announce::announcement`.

use super::render::Template;
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::danish::{danish_date, Danish};
use crate::core::announce::{scheduled, AnnouncementView, Kind};
use crate::core::calendar;
use crate::core::catalogue::Catalogue;
use crate::core::danish_time::danish_today;
use crate::core::year_month::YearMonth;

/// The announcement as Danish text within Discord's 2000 characters: notes go before names.
pub fn render_announcement(view: &AnnouncementView) -> String {
    let template = match view.kind {
        Kind::Early => Template::AnnounceEarly,
        Kind::Monthly => Template::AnnounceMonthly,
    };
    let text = super::render::render_template(template, view);
    if text.chars().count() <= super::render::MAX_REPLY_CHARS {
        return text;
    }
    let mut bare = view.clone();
    for line in bare.disturbed.iter_mut().chain(bare.down.iter_mut()) {
        line.note.clear();
    }
    super::render::shorten_to_limit(&super::render::render_template(template, &bare))
}

#[derive(Serialize)]
struct ScheduleItem {
    day: String,
    kind: Kind,
    release_month: String,
}

#[derive(Serialize)]
struct ScheduleView {
    time: String,
    items: Vec<ScheduleItem>,
}

/// The next `months` monthly releases with their early releases, as Danish text.
pub fn render_schedule(
    catalogue: &Catalogue,
    time: (u32, u32),
    now: DateTime<Utc>,
    months: u32,
) -> String {
    let today = danish_today(now);
    let this = YearMonth::of_date(today);
    // Start with the first release month whose monthly announcement is not yet past.
    let first = if calendar::general_release(this).last_day >= today {
        this
    } else {
        this.plus(1)
    };
    let items = scheduled(catalogue, time, first, months)
        .into_iter()
        .map(|s| ScheduleItem {
            day: danish_date(s.day),
            kind: s.id.kind,
            release_month: s.id.release_month.danish(),
        })
        .collect();
    let view = ScheduleView {
        time: format!("{:02}:{:02}", time.0, time.1),
        items,
    };
    super::render::render_template(Template::AnnounceSchedule, &view)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::announce::{announcement, AnnouncementId};
    use crate::core::catalogue::{default_catalogue, State};
    use crate::test_support::{at, ym};

    #[test]
    fn announcements_render_in_danish_within_the_limit() {
        let id = AnnouncementId {
            kind: Kind::Monthly,
            release_month: ym("2025-10"),
        };
        let text = render_announcement(&announcement(default_catalogue(), id, None).unwrap());
        assert!(
            text.contains("FLIS-udgivelsen for oktober 2025 ventes i dag"),
            "{text}"
        );
        assert!(
            text.contains("Data t.o.m. august 2025: Borger, Økonomi"),
            "{text}"
        );
        assert!(
            text.contains("DAP-kuberne følger 11.–12. oktober 2025"),
            "{text}"
        );
        assert!(text.contains("Nede") && text.contains("DFDG"), "{text}");
        let early = AnnouncementId {
            kind: Kind::Early,
            ..id
        };
        let text = render_announcement(&announcement(default_catalogue(), early, None).unwrap());
        assert!(
            text.contains("19.–26. september 2025")
                && text.contains("Data t.o.m. juni 2025: DREAM"),
            "{text}"
        );
        let mut c = default_catalogue().clone();
        for a in &mut c.areas {
            a.note = Some("x ".repeat(900));
            a.state = State::Disturbed;
        }
        let long = render_announcement(&announcement(&c, id, None).unwrap());
        assert!(long.chars().count() <= crate::views::render::MAX_REPLY_CHARS);
    }

    #[test]
    fn the_schedule_lists_early_and_monthly_releases() {
        let text = render_schedule(default_catalogue(), (9, 0), at("2025-09-11T10:00:00Z"), 2);
        assert!(
            text.contains("19. september 2025: tidlig udlæsning til oktober 2025"),
            "{text}"
        );
        assert!(
            text.contains("10. oktober 2025: månedens udgivelse for oktober 2025"),
            "{text}"
        );
        assert!(
            text.contains("10. november 2025: månedens udgivelse for november 2025"),
            "{text}"
        );
    }
}
