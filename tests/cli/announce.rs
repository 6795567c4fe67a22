use crate::support::{flisbot, text};

#[test]
fn preview_shows_the_days_announcement_or_the_next_one() {
    let store = tempfile::tempdir().unwrap();
    let out = flisbot(store.path())
        .args([
            "announce",
            "--preview",
            "--now",
            "2025-10-10T15:00:00+02:00",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let s = text(&out.stdout);
    assert!(
        s.contains("FLIS-udgivelsen for oktober 2025 ventes i dag"),
        "{s}"
    );
    assert!(
        s.contains("Data t.o.m. august 2025")
            && s.contains("DAP-kuberne følger 11.–12. oktober 2025"),
        "{s}"
    );

    let out = flisbot(store.path())
        .args([
            "announce",
            "--preview",
            "--now",
            "2025-10-11T09:00:00+02:00",
        ])
        .output()
        .unwrap();
    let s = text(&out.stdout);
    assert!(
        s.contains("Tidlig udlæsning til november 2025") && s.contains("20.–27. oktober 2025"),
        "{s}"
    );
}

#[test]
fn preview_of_a_release_marked_out_says_it_is_out() {
    let store = tempfile::tempdir().unwrap();
    let mark = flisbot(store.path())
        .args(["admin", "release", "--month", "2025-10", "--by", "Ops"])
        .output()
        .unwrap();
    assert!(mark.status.success());
    let out = flisbot(store.path())
        .args([
            "announce",
            "--preview",
            "--now",
            "2025-10-10T08:00:00+02:00",
        ])
        .output()
        .unwrap();
    assert!(
        text(&out.stdout).contains("er ude"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn schedule_lists_the_coming_releases_and_needs_no_token_or_config() {
    let store = tempfile::tempdir().unwrap();
    let out = flisbot(store.path())
        .env_remove("DISCORD_TOKEN")
        .args([
            "announce",
            "--schedule",
            "--months",
            "3",
            "--now",
            "2025-09-11T09:00:00+02:00",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let s = text(&out.stdout);
    for line in [
        "19. september 2025: tidlig udlæsning til oktober 2025",
        "10. oktober 2025: månedens udgivelse for oktober 2025",
        "10. december 2025: månedens udgivelse for december 2025",
    ] {
        assert!(s.contains(line), "{line} missing in {s}");
    }
}
