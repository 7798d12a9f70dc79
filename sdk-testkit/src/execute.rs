//! Calling a connector's `execute` the way the runtime does, with its typed output.

use camunda_connector_sdk::{ConnectorError, OutboundConnector, OutboundContext};

/// Binds `ctx`'s variables into the connector's [`Input`](OutboundConnector::Input) (secrets
/// replaced, then deserialised, then validated, exactly as the runtime does) and calls
/// [`execute`](OutboundConnector::execute) with it. Returns the connector's own typed
/// [`Output`](OutboundConnector::Output), so a test asserts on fields instead of JSON.
///
/// Use it with an [`OutboundContextBuilder`](crate::OutboundContextBuilder) to test a connector
/// alone; to see what the engine would receive (result and error expressions, retries), run a
/// [`TestJob`](crate::TestJob) instead.
///
/// # Errors
///
/// The input error of a binding that fails (a missing secret, a field of the wrong type, a broken
/// validation rule), in which case `execute` is not called; otherwise what `execute` returns.
///
/// # Examples
///
/// ```
/// use camunda_connector_sdk::{
///     async_trait, ConnectorError, ConnectorInput, OutboundConnector, OutboundContext,
/// };
/// use camunda_connector_testkit::OutboundContextBuilder;
/// use serde::{Deserialize, Serialize};
/// use serde_json::json;
///
/// #[derive(Deserialize, ConnectorInput)]
/// struct Order {
///     #[validate(range(min = 1))]
///     id: u32,
///     token: String,
/// }
///
/// #[derive(Debug, PartialEq, Serialize)]
/// struct Shipped { id: u32, carrier: &'static str }
///
/// struct Orders;
///
/// #[async_trait]
/// impl OutboundConnector for Orders {
///     const NAME: &'static str = "orders";
///     const TYPE: &'static str = "io.example:orders:1";
///     type Input = Order;
///     type Output = Shipped;
///
///     async fn execute(&self, order: Order, _: &OutboundContext) -> Result<Shipped, ConnectorError> {
///         if order.token != "t-1" {
///             return Err(ConnectorError::input("the token is wrong"));
///         }
///         Ok(Shipped { id: order.id, carrier: "parcelco" })
///     }
/// }
///
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// let ctx = OutboundContextBuilder::new()
///     .variables(json!({"id": 7, "token": "{{secrets.TOKEN}}"}))
///     .secret("TOKEN", "t-1")
///     .build();
/// let shipped = camunda_connector_testkit::execute(&Orders, &ctx).await.unwrap();
/// assert_eq!(shipped, Shipped { id: 7, carrier: "parcelco" });
///
/// // Variables that do not bind or break a rule fail before `execute` runs.
/// let ctx = OutboundContextBuilder::new().variables(json!({"id": 0, "token": "t-1"})).build();
/// let err = camunda_connector_testkit::execute(&Orders, &ctx).await.unwrap_err();
/// assert_eq!(err.code(), "VALIDATION_FAILED");
/// # });
/// ```
pub async fn execute<C: OutboundConnector>(
    connector: &C,
    ctx: &OutboundContext,
) -> Result<C::Output, ConnectorError> {
    let input = ctx.bind::<C::Input>()?;
    connector.execute(input, ctx).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::OutboundContextBuilder;
    use camunda_connector_sdk::async_trait;
    use camunda_connector_sdk::error::ErrorKind;
    use serde_json::{Value, json};
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// Counts its calls and returns the bound input's `n` doubled.
    #[derive(Default)]
    struct Doubler {
        calls: AtomicUsize,
    }

    #[async_trait]
    impl OutboundConnector for Doubler {
        const NAME: &'static str = "doubler";
        const TYPE: &'static str = "io.example:doubler:1";
        type Input = Value;
        type Output = i64;

        async fn execute(&self, input: Value, _: &OutboundContext) -> Result<i64, ConnectorError> {
            self.calls.fetch_add(1, Ordering::SeqCst);
            input["n"]
                .as_i64()
                .map(|n| n * 2)
                .ok_or_else(|| ConnectorError::failure("NO_NUMBER", "n is not a number"))
        }
    }

    #[tokio::test]
    async fn returns_the_typed_output_of_the_bound_input() {
        let doubler = Doubler::default();
        let ctx = OutboundContextBuilder::new()
            .variables(json!({"n": 21}))
            .build();

        assert_eq!(execute(&doubler, &ctx).await.unwrap(), 42);
    }

    #[tokio::test]
    async fn returns_the_connectors_own_error() {
        let ctx = OutboundContextBuilder::new()
            .variables(json!({"n": "x"}))
            .build();

        let err = execute(&Doubler::default(), &ctx).await.unwrap_err();

        assert_eq!(err.kind(), ErrorKind::Failure);
        assert_eq!(err.code(), "NO_NUMBER");
    }

    #[tokio::test]
    async fn a_binding_failure_never_calls_execute() {
        let doubler = Doubler::default();
        let ctx = OutboundContextBuilder::new()
            .variable("n", "{{secrets.UNSCRIPTED}}")
            .build();

        let err = execute(&doubler, &ctx).await.unwrap_err();

        assert_eq!(err.kind(), ErrorKind::Input);
        assert_eq!(err.code(), "SECRET_NOT_FOUND");
        assert_eq!(doubler.calls.load(Ordering::SeqCst), 0);
    }
}
