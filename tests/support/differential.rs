//! What the differential suites (`differential.rs` for v1, `differential_v2.rs`) share: the
//! answer each side gave a step, the check that a deviating step still deviates as its table
//! entry says on the real server, and the comparison of two normalised answers.

use medusa_users::sandbox::Deviation;
use serde_json::Value;

/// One side's answer to a step.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    /// The body as JSON, or `Null` when it is not JSON.
    pub body: Value,
    pub text: String,
}

impl Answer {
    pub fn from_text(status: u16, text: String) -> Answer {
        Answer {
            status,
            body: serde_json::from_str(&text).unwrap_or(Value::Null),
            text,
        }
    }
}

/// A step known to trigger the deviation `id`: the real server must still answer it as the
/// entry says.
pub fn assert_real_answers_as(step: &str, id: &str, d: &Deviation, real: &Answer) {
    assert!(
        d.real.starts_with(&real.status.to_string()),
        "{step}: the real server no longer answers as {id} says ({}): {} {}",
        d.real,
        real.status,
        real.text
    );
}

/// Two normalised answers to `step` compared: the same status, and the same `shape` of body
/// (or, for bodies that are not JSON, the same text). A line for the report when they differ.
pub fn disagreement(
    step: &str,
    ours: &Answer,
    theirs: &Answer,
    shape: impl Fn(&Value) -> Value,
) -> Option<String> {
    let (a, b) = (ours, theirs);
    let same_text = a.body.is_null() && b.body.is_null() && a.text == b.text;
    (a.status != b.status || !(shape(&a.body) == shape(&b.body) || same_text)).then(|| {
        format!(
            "{step}: sandbox {} {}\n        real    {} {}",
            a.status, a.text, b.status, b.text
        )
    })
}
