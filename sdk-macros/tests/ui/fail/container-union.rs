use camunda_connector_sdk::ConnectorInput;

#[derive(ConnectorInput)]
union In {
    a: u32,
    b: f32,
}

fn main() {}
