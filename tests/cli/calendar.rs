use crate::support::{flisbot, text};

#[test]
fn calendar_lists_the_coming_release_days_with_their_areas() {
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
    // A row per day, grouped: not a row per area and month.
    assert!(s.lines().count() < 45, "{s}");
    for line in [
        "Forventede udgivelser fra 10. september 2025: de næste 2 månedlige udgivelser, dag for dag",
        "onsdag 10. september 2025 – datapakker (udgivet, ikke for alle)",
        "    ikke registreret: KRL Personale",
        "19.–26. september 2025 – tidlig udlæsning før udgivelsen 10. oktober 2025",
        "    data t.o.m. juni 2025: DREAM",
        "fredag 10. oktober 2025 – datapakker",
        "    data t.o.m. august 2025: Borger, Økonomi, Personale & Fravær,",
        "11.–12. oktober 2025 – DAP-kuber",
        "Ukraine-kuben: opdateres hver nat",
        "KRL Personale: data for maj 2025 kommer snarest muligt ifølge driftsnoten",
        "Ældre og DFDG: nede",
        "3 måneders forsinkelse, 2–3 uger før de øvrige: DREAM",
    ] {
        assert!(s.contains(line), "{line} missing in {s}");
    }
    assert!(!s.contains("**"), "plain in a pipe: {s}");
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
    assert!(
        text(&out.stderr).contains("«0» er ikke et tal fra 1 til 24"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn calendar_of_one_release_says_so_in_the_singular() {
    let store = tempfile::tempdir().unwrap();
    let out = flisbot(store.path())
        .args([
            "calendar",
            "--now",
            "2025-09-20T10:00:00+02:00",
            "--months",
            "1",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let s = text(&out.stdout);
    assert!(
        s.starts_with("Forventede udgivelser fra 20. september 2025: den næste månedlige udgivelse, dag for dag"),
        "{s}"
    );
}
