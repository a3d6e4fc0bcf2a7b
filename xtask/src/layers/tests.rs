use super::*;

#[test]
fn workspace_respects_layering() {
    let violations = check(&metadata().unwrap()).unwrap();
    assert!(violations.is_empty(), "{violations:#?}");
}

/// Moves one dependency edge into a real metadata document and checks that the
/// rule catches it, so the check above is known to be able to fail.
#[test]
fn forbidden_edge_is_reported() {
    let mut doc = metadata().unwrap();
    let packages = doc["packages"].as_array_mut().unwrap();
    let analytics = packages
        .iter_mut()
        .find(|p| p["name"] == "entente-analytics")
        .unwrap();
    analytics["dependencies"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({"name": "entente-ingest", "kind": null}));
    let violations = check(&doc).unwrap();
    assert_eq!(
        violations,
        vec![Violation(
            "`entente-analytics` depends on `entente-ingest` (normal dependency), which the layering rule forbids".into()
        )]
    );
}

#[test]
fn model_may_not_depend_on_anything_in_the_workspace() {
    let mut doc = metadata().unwrap();
    let packages = doc["packages"].as_array_mut().unwrap();
    let model = packages
        .iter_mut()
        .find(|p| p["name"] == "entente-model")
        .unwrap();
    model["dependencies"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({"name": "entente-report", "kind": "dev"}));
    let violations = check(&doc).unwrap();
    assert_eq!(violations.len(), 1, "{violations:#?}");
    assert!(
        violations[0]
            .0
            .contains("`entente-model` depends on `entente-report` (dev")
    );
}

#[test]
fn unknown_member_needs_a_rule() {
    let mut doc = metadata().unwrap();
    let mut extra = doc["packages"][0].clone();
    extra["name"] = "entente-new".into();
    extra["id"] = "path+file:///x#entente-new@0.1.0".into();
    extra["dependencies"] = serde_json::json!([]);
    doc["packages"].as_array_mut().unwrap().push(extra);
    doc["workspace_members"]
        .as_array_mut()
        .unwrap()
        .push("path+file:///x#entente-new@0.1.0".into());
    let violations = check(&doc).unwrap();
    assert_eq!(violations.len(), 1);
    assert!(
        violations[0]
            .0
            .contains("`entente-new` has no layering rule")
    );
}
