//! Assertions on the command a job ended with, panicking with a readable message.

use std::time::Duration;

use camunda_connector_runtime::job::{JobCommand, format_iso_duration};
use serde_json::Value;

/// Assertions on a [`JobCommand`]. Each panics with the expected outcome and the whole command
/// when it does not hold, and returns the command so assertions chain.
///
/// ```
/// use std::time::Duration;
/// use camunda_connector_runtime::job::JobCommand;
/// use camunda_connector_testkit::CommandAssertions;
/// use serde_json::json;
///
/// let command = JobCommand::Fail {
///     retries: 2,
///     retry_backoff: Duration::from_secs(30),
///     error_message: "quota exceeded".into(),
///     variables: json!({"error": {"code": "E429"}}).as_object().unwrap().clone(),
/// };
/// command
///     .assert_failed(2)
///     .assert_backoff(Duration::from_secs(30))
///     .assert_message_contains("quota")
///     .assert_error_code("E429");
/// ```
pub trait CommandAssertions {
    /// Asserts the job completed with exactly `variables` (a JSON object).
    ///
    /// # Panics
    ///
    /// When the command is not a completion or its variables differ.
    ///
    /// ```
    /// # use camunda_connector_runtime::job::JobCommand;
    /// # use camunda_connector_testkit::CommandAssertions;
    /// let command = JobCommand::complete(serde_json::json!({"a": 1}).as_object().unwrap().clone());
    /// command.assert_completed(serde_json::json!({"a": 1}));
    /// ```
    fn assert_completed(&self, variables: Value) -> &Self;

    /// Asserts the job failed and kept exactly `retries`.
    ///
    /// # Panics
    ///
    /// When the command is not a failure or its retries differ.
    ///
    /// ```
    /// # use camunda_connector_runtime::job::JobCommand;
    /// # use camunda_connector_testkit::CommandAssertions;
    /// let command = JobCommand::Fail {
    ///     retries: 0,
    ///     retry_backoff: std::time::Duration::ZERO,
    ///     error_message: "bad input".into(),
    ///     variables: serde_json::Map::new(),
    /// };
    /// command.assert_failed(0);
    /// ```
    fn assert_failed(&self, retries: u32) -> &Self;

    /// Asserts the job failed with this retry backoff.
    ///
    /// # Panics
    ///
    /// When the command is not a failure or its backoff differs.
    ///
    /// ```
    /// # use camunda_connector_runtime::job::JobCommand;
    /// # use camunda_connector_testkit::CommandAssertions;
    /// let command = JobCommand::Fail {
    ///     retries: 1,
    ///     retry_backoff: std::time::Duration::from_secs(5),
    ///     error_message: "busy".into(),
    ///     variables: serde_json::Map::new(),
    /// };
    /// command.assert_backoff(std::time::Duration::from_secs(5));
    /// ```
    fn assert_backoff(&self, backoff: Duration) -> &Self;

    /// Asserts the job threw a BPMN error with `code`.
    ///
    /// # Panics
    ///
    /// When the command is not a thrown BPMN error or its code differs.
    ///
    /// ```
    /// # use camunda_connector_runtime::job::JobCommand;
    /// # use camunda_connector_testkit::CommandAssertions;
    /// let command = JobCommand::ThrowError {
    ///     error_code: "NOT_FOUND".into(),
    ///     error_message: None,
    ///     variables: serde_json::Map::new(),
    /// };
    /// command.assert_bpmn_error("NOT_FOUND");
    /// ```
    fn assert_bpmn_error(&self, code: &str) -> &Self;

    /// Asserts the failure's or BPMN error's message contains `text`.
    ///
    /// # Panics
    ///
    /// When the command is a completion, has no message, or the message lacks `text`.
    ///
    /// ```
    /// # use camunda_connector_runtime::job::JobCommand;
    /// # use camunda_connector_testkit::CommandAssertions;
    /// let command = JobCommand::ThrowError {
    ///     error_code: "E".into(),
    ///     error_message: Some("sku 42 is sold out".into()),
    ///     variables: serde_json::Map::new(),
    /// };
    /// command.assert_message_contains("sold out");
    /// ```
    fn assert_message_contains(&self, text: &str) -> &Self;

    /// Asserts the command's variables, whatever the command, equal `variables`.
    ///
    /// # Panics
    ///
    /// When they differ.
    ///
    /// ```
    /// # use camunda_connector_runtime::job::JobCommand;
    /// # use camunda_connector_testkit::CommandAssertions;
    /// let command = JobCommand::ThrowError {
    ///     error_code: "E".into(),
    ///     error_message: None,
    ///     variables: serde_json::json!({"sku": 42}).as_object().unwrap().clone(),
    /// };
    /// command.assert_variables(serde_json::json!({"sku": 42}));
    /// ```
    fn assert_variables(&self, variables: Value) -> &Self;

    /// Asserts a failed job's `error.code` variable equals `code`.
    ///
    /// # Panics
    ///
    /// When the command is not a failure or its `error.code` differs.
    ///
    /// ```
    /// # use camunda_connector_runtime::job::JobCommand;
    /// # use camunda_connector_testkit::CommandAssertions;
    /// let command = JobCommand::Fail {
    ///     retries: 0,
    ///     retry_backoff: std::time::Duration::ZERO,
    ///     error_message: "bad".into(),
    ///     variables: serde_json::json!({"error": {"code": "VALIDATION_FAILED"}}).as_object().unwrap().clone(),
    /// };
    /// command.assert_error_code("VALIDATION_FAILED");
    /// ```
    fn assert_error_code(&self, code: &str) -> &Self;
}

impl CommandAssertions for JobCommand {
    fn assert_completed(&self, variables: Value) -> &Self {
        let JobCommand::Complete { variables: actual } = self else {
            fail(self, &format!("the job to complete with {variables}"));
        };
        if Value::Object(actual.clone()) != variables {
            fail(self, &format!("the job to complete with {variables}"));
        }
        self
    }

    fn assert_failed(&self, retries: u32) -> &Self {
        match self {
            JobCommand::Fail {
                retries: actual, ..
            } if *actual == retries => self,
            _ => fail(
                self,
                &format!("the job to fail with {retries} retries left"),
            ),
        }
    }

    fn assert_backoff(&self, backoff: Duration) -> &Self {
        match self {
            JobCommand::Fail { retry_backoff, .. } if *retry_backoff == backoff => self,
            _ => fail(
                self,
                &format!(
                    "the job to fail with a retry backoff of {}",
                    format_iso_duration(backoff)
                ),
            ),
        }
    }

    fn assert_bpmn_error(&self, code: &str) -> &Self {
        match self {
            JobCommand::ThrowError { error_code, .. } if error_code == code => self,
            _ => fail(self, &format!("the job to throw the BPMN error `{code}`")),
        }
    }

    fn assert_message_contains(&self, text: &str) -> &Self {
        let message = match self {
            JobCommand::Fail { error_message, .. } => Some(error_message.as_str()),
            JobCommand::ThrowError { error_message, .. } => error_message.as_deref(),
            _ => None,
        };
        match message {
            Some(message) if message.contains(text) => self,
            _ => fail(self, &format!("an error message containing {text:?}")),
        }
    }

    fn assert_variables(&self, variables: Value) -> &Self {
        if Value::Object(self.variables().clone()) != variables {
            fail(self, &format!("the variables {variables}"));
        }
        self
    }

    fn assert_error_code(&self, code: &str) -> &Self {
        let actual = match self {
            JobCommand::Fail { variables, .. } => variables
                .get("error")
                .and_then(|error| error.get("code"))
                .and_then(Value::as_str),
            _ => None,
        };
        if actual != Some(code) {
            fail(self, &format!("a failure whose `error.code` is `{code}`"));
        }
        self
    }
}

fn fail(command: &JobCommand, expected: &str) -> ! {
    let actual = serde_json::to_string_pretty(command)
        .unwrap_or_else(|err| format!("{command:?} (not serialisable: {err})"));
    panic!("expected {expected}\n but the job ended with:\n{actual}");
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Map, json};

    fn failed() -> JobCommand {
        JobCommand::Fail {
            retries: 2,
            retry_backoff: Duration::from_secs(30),
            error_message: "quota exceeded".into(),
            variables: Map::new(),
        }
    }

    #[test]
    #[should_panic(expected = "expected the job to complete with {\"a\":1}")]
    fn a_failure_is_not_a_completion() {
        failed().assert_completed(json!({"a": 1}));
    }

    #[test]
    #[should_panic(expected = "\"retries\": 2")]
    fn the_panic_message_shows_the_actual_command() {
        failed().assert_failed(0);
    }

    #[test]
    #[should_panic(expected = "retry backoff of PT1M")]
    fn a_wrong_backoff_is_reported_in_iso_form() {
        failed().assert_backoff(Duration::from_secs(60));
    }

    #[test]
    #[should_panic(expected = "an error message containing \"timeout\"")]
    fn a_missing_text_is_reported() {
        failed().assert_message_contains("timeout");
    }

    #[test]
    #[should_panic(expected = "throw the BPMN error `NOT_FOUND`")]
    fn a_failure_is_not_a_bpmn_error() {
        failed().assert_bpmn_error("NOT_FOUND");
    }

    #[test]
    fn passing_assertions_chain() {
        failed()
            .assert_failed(2)
            .assert_backoff(Duration::from_secs(30))
            .assert_message_contains("quota")
            .assert_variables(json!({}));
    }
}
