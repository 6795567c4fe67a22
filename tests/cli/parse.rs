use crate::support::{flisbot, run_with_stdin, text};

#[test]
fn parse_writes_one_json_line_per_question_in_order() {
    let store = tempfile::tempdir().unwrap();
    let mut input =
        b"status FSIII\n\nhvorn\xe5r kommer DREAM-data\noversigt\nhvad er klokken".to_vec();
    input.extend_from_slice(b"\n");
    let out = run_with_stdin(flisbot(store.path()).arg("parse"), &input);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let lines: Vec<serde_json::Value> = text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    assert_eq!(
        lines.len(),
        5,
        "one line per input line, the empty one and the bad byte too"
    );
    let pick = |i: usize| {
        (
            lines[i]["intent"].as_str().unwrap().to_owned(),
            lines[i]["areas"].clone(),
        )
    };
    assert_eq!(pick(0), ("status".into(), serde_json::json!(["fsiii"])));
    assert_eq!(pick(1), ("help".into(), serde_json::json!([])));
    assert_eq!(pick(2).1, serde_json::json!(["dream"]));
    assert_eq!(pick(3), ("overview".into(), serde_json::json!([])));
    assert_eq!(pick(4), ("unknown".into(), serde_json::json!([])));
}

#[test]
fn parse_needs_no_store() {
    let parent = tempfile::tempdir().unwrap();
    let store = parent.path().join("never-created");
    let out = run_with_stdin(flisbot(&store).arg("parse"), b"status ky\n");
    assert!(out.status.success());
    assert!(!store.exists());
}
