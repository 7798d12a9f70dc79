//! `template(crate = "...")` for a renamed SDK dependency.

use camunda_connector_sdk as renamed;
use renamed::ConnectorInput;
use serde::Deserialize;

#[derive(Deserialize, ConnectorInput)]
#[template(crate = "renamed")]
struct In {
    #[validate(not_empty)]
    name: String,
}

fn main() {
    use renamed::validation::Validate;
    let input = In {
        name: String::new(),
    };
    assert_eq!(input.validate().unwrap_err()[0].path, "name");
}
