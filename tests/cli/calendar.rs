use crate::support::{flisbot, text};

#[test]
fn calendar_lists_the_coming_releases_per_area() {
    let store = tempfile::tempdir().unwrap();
    let out = flisbot(store.path())
        .args([
            "calendar",
            "--now",
            "2025-09-10T12:00:00+02:00",
            "--months",
            "2",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let s = text(&out.stdout);
    assert!(
        s.contains("ca. 10. oktober 2025: data t.o.m. august 2025; DAP-kuber 11.–12. oktober 2025"),
        "{s}"
    );
    assert!(
        s.contains("ca. 19.–26. september 2025: data t.o.m. juni 2025"),
        "DREAM's early window: {s}"
    );
    assert!(s.contains("Ukraine-kuben: opdateres dagligt"), "{s}");
    // FLIS' own words for the delay (the month of the release is not counted); KRL's note says
    // May comes "snarest muligt": no date.
    for line in [
        "DFDG (én måneds forsinkelse) – NEDE",
        "DREAM (3 måneders forsinkelse, 2–3 uger før)",
        "Ingen dato: data for maj 2025 kommer snarest muligt ifølge driftsnoten",
    ] {
        assert!(s.contains(line), "{line} missing in {s}");
    }
    assert!(!s.contains("mdr."), "{s}");
}

#[test]
fn calendar_refuses_a_silly_month_count() {
    let store = tempfile::tempdir().unwrap();
    let out = flisbot(store.path())
        .args(["calendar", "--months", "0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}
