//! Binding one realistic job (~10 KB of variables, 10 secret placeholders naming 9 secrets) into
//! a typed input.
//!
//! Compares, in one run, what a worker does per job (`OutboundContext::bind`: secrets replaced,
//! coercing deserialisation, validation) with plain `serde_json` on the same struct, from the
//! same text and from an already-parsed `Value`, as the REST client hands it over.
//!
//! Run: `cargo bench -p camunda-connector-sdk --bench bind -- --warm-up-time 1 --measurement-time 3`

use std::collections::{BTreeMap, HashMap};
use std::hint::black_box;

use camunda_connector_sdk::bind::{from_value, from_variables};
use camunda_connector_sdk::secrets::Secrets;
use camunda_connector_sdk::validation::{Validate, Violation};
use camunda_connector_sdk::{JobFacts, OutboundContext};
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use serde::Deserialize;
use serde_json::{Value, json};

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct Job {
    method: Method,
    url: String,
    authentication: Authentication,
    headers: Vec<Header>,
    query_parameters: HashMap<String, String>,
    connection_timeout_in_seconds: u32,
    read_timeout_in_seconds: u32,
    retry: Retry,
    order: Order,
    recipients: Vec<Recipient>,
    body: Value,
    store_response: bool,
    #[serde(default)]
    proxy: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
enum Method {
    Get,
    Post,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct Authentication {
    kind: String,
    client_id: String,
    client_secret: String,
    token_endpoint: String,
    scopes: Vec<String>,
    audience: Option<String>,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Header {
    name: String,
    value: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct Retry {
    max_attempts: u8,
    backoff: String,
    on_status: Vec<u16>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct Order {
    id: String,
    customer_id: u64,
    currency: String,
    total: f64,
    items: Vec<Item>,
    shipping: Address,
    billing: Address,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Item {
    id: u64,
    sku: String,
    name: String,
    quantity: u32,
    price: f64,
    tags: Vec<String>,
    attributes: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct Address {
    street: String,
    city: String,
    postal_code: String,
    country: String,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Recipient {
    email: String,
    name: String,
}

impl Validate for Job {
    fn validate_at(&self, _: &str, _: &mut Vec<Violation>) {}
}

/// The job's variables: placeholders only in string fields, so plain `serde_json` can read the
/// same document into the same struct.
fn variables() -> Value {
    let headers: Vec<Value> = (0..16)
        .map(|i| match i {
            0 => json!({"name": "Authorization", "value": "Bearer {{secrets.API_TOKEN}}"}),
            1 => json!({"name": "X-Api-Key", "value": "{{secrets.API_KEY}}"}),
            2 => json!({"name": "X-Tenant", "value": "secrets.TENANT_ID"}),
            _ => json!({"name": format!("X-Custom-Header-{i}"), "value": format!("value-{i}-abcdefghijklmnop")}),
        })
        .collect();
    let items: Vec<Value> = (0..34)
        .map(|i| {
            json!({
                "id": 100_000 + i,
                "sku": format!("SKU-{i:05}-XL"),
                "name": format!("Product number {i} with a reasonably long name"),
                "quantity": i % 7 + 1,
                "price": 9.99 + f64::from(i),
                "tags": ["sale", "summer", format!("tag-{i}")],
                "attributes": {"color": "blue", "size": "XL", "material": "cotton"}
            })
        })
        .collect();
    let recipients: Vec<Value> = (0..8)
        .map(|i| json!({"email": format!("person{i}@example.test"), "name": format!("Person {i}")}))
        .collect();
    json!({
        "method": "POST",
        "url": "https://{{secrets.REGION}}.api.example.test/v2/orders",
        "authentication": {
            "kind": "oauth-client-credentials",
            "clientId": "{{secrets.CLIENT_ID}}",
            "clientSecret": "{{secrets.CLIENT_SECRET}}",
            "tokenEndpoint": "https://login.example.test/{{secrets.TENANT_ID}}/oauth2/token",
            "scopes": ["orders.write", "orders.read"],
            "audience": null
        },
        "headers": headers,
        "queryParameters": {"dryRun": "false", "version": "2", "trace": "{{secrets.TRACE_TOKEN}}"},
        "connectionTimeoutInSeconds": 20,
        "readTimeoutInSeconds": 60,
        "retry": {"maxAttempts": 3, "backoff": "PT5S", "onStatus": [429, 502, 503]},
        "order": {
            "id": "ORD-2024-000123",
            "customerId": 987_654_321,
            "currency": "EUR",
            "total": 1234.5,
            "items": items,
            "shipping": {"street": "Main Street 1", "city": "Berlin", "postalCode": "10115", "country": "DE"},
            "billing": {"street": "{{secrets.BILLING_STREET}}", "city": "Berlin", "postalCode": "10115", "country": "DE"}
        },
        "recipients": recipients,
        "body": {"note": "signed by {{secrets.SIGNER}}", "priority": 2, "flags": [true, false]},
        "storeResponse": false,
        "unusedVariable": {"some": ["data", 1, 2, 3], "the": "connector does not read"}
    })
}

fn secrets() -> Secrets {
    Secrets::from_values([
        ("API_TOKEN", "eyJhbGciOiJIUzI1NiJ9.payload.signature"),
        ("API_KEY", "k-1234567890"),
        ("TENANT_ID", "tenant-42"),
        ("REGION", "eu-west-1"),
        ("CLIENT_ID", "client-abc"),
        ("CLIENT_SECRET", "p\"a\\ss\nw+rd"),
        ("TRACE_TOKEN", "trace-xyz"),
        ("BILLING_STREET", "Hidden Lane 7"),
        ("SIGNER", "robot"),
    ])
}

fn bind(c: &mut Criterion) {
    let value = variables();
    let text = serde_json::to_string(&value).expect("the variables serialise");
    let placeholders = camunda_connector_sdk::secrets::referenced_names(&value).len();
    println!(
        "job variables: {} bytes, {placeholders} distinct secrets",
        text.len()
    );
    let secrets = secrets();
    let ctx = OutboundContext::new(JobFacts::default(), value.clone(), secrets.clone());
    ctx.bind::<Job>().expect("the job binds");

    // Every case drops its output outside the timed section (`iter_batched` does so for the
    // cases whose input is cloned in setup), so none is charged for freeing the input type.
    let mut group = c.benchmark_group("bind_10kb_job");
    group.bench_function("serde_json::from_str", |b| {
        b.iter_with_large_drop(|| serde_json::from_str::<Job>(black_box(&text)).expect("binds"));
    });
    group.bench_function("serde_json::from_value", |b| {
        b.iter_batched(
            || value.clone(),
            |v| serde_json::from_value::<Job>(v).expect("binds"),
            BatchSize::SmallInput,
        );
    });
    group.bench_function("serde_json::from_value (clone included)", |b| {
        b.iter_with_large_drop(|| {
            serde_json::from_value::<Job>(black_box(&value).clone()).expect("binds")
        });
    });
    group.bench_function("OutboundContext::bind", |b| {
        b.iter_with_large_drop(|| black_box(&ctx).bind::<Job>().expect("binds"));
    });
    group.bench_function("bind::from_variables", |b| {
        b.iter_with_large_drop(|| {
            from_variables::<Job>(black_box(&value), &secrets).expect("binds")
        });
    });
    group.bench_function("Secrets::replace + bind::from_value", |b| {
        b.iter_with_large_drop(|| {
            let replaced = secrets.replace(black_box(&value)).expect("replaces");
            from_value::<Job>(replaced).expect("binds")
        });
    });
    group.bench_function("bind::from_value (no secrets)", |b| {
        b.iter_batched(
            || value.clone(),
            |v| from_value::<Job>(v).expect("binds"),
            BatchSize::SmallInput,
        );
    });
    group.finish();
}

criterion_group!(benches, bind);
criterion_main!(benches);
