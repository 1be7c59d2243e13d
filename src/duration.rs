//! Durations in options: a number of seconds, or text like "30s", "5m", "2h", "14d", "1w"
//! (the forms `jose` accepts), parsed once when options are built.

use crate::error::{Error, ErrorCode, Result};
use serde::Deserialize;

/// A duration as given in options: seconds, or a string with a unit.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum DurationInput {
    Seconds(f64),
    Text(String),
}

/// The longest duration accepted, in seconds: 2^53 - 1, JavaScript's `Number.MAX_SAFE_INTEGER`
/// (285 million years). Beyond it seconds are no longer whole numbers in a double, and a time
/// computed from one could not be written as an exact NumericDate.
pub const MAX_SECONDS: f64 = 9_007_199_254_740_991.0;

impl DurationInput {
    /// The duration in seconds; `name` is the option it came from, for the message.
    pub fn seconds(&self, name: &str) -> Result<f64> {
        let seconds = match self {
            DurationInput::Seconds(s) if s.is_finite() && *s >= 0.0 => *s,
            DurationInput::Seconds(_) => return Err(invalid(name)),
            DurationInput::Text(t) => parse(t).ok_or_else(|| invalid(name))?,
        };
        if seconds > MAX_SECONDS {
            return Err(Error::new(
                ErrorCode::InvalidArgument,
                format!("{name} is too long: at most {MAX_SECONDS} seconds (2^53 - 1) are accepted"),
            ));
        }
        Ok(seconds)
    }
}

fn invalid(name: &str) -> Error {
    Error::new(
        ErrorCode::InvalidArgument,
        format!("{name} must be a non-negative number of seconds or a duration like \"30s\", \"15m\", \"2h\", \"14d\""),
    )
}

/// Parses "<number><unit>" with an optional space between. Returns seconds.
///
/// ```
/// use jwtward::duration::parse;
/// assert_eq!(parse("15m"), Some(900.0));
/// assert_eq!(parse("1.5 hours"), Some(5400.0));
/// assert_eq!(parse("-5s"), None);
/// ```
pub fn parse(text: &str) -> Option<f64> {
    let text = text.trim();
    let split = text.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let value: f64 = number.parse().ok()?;
    let unit_seconds = match unit.trim_start().to_ascii_lowercase().as_str() {
        "" | "s" | "sec" | "secs" | "second" | "seconds" => 1.0,
        "m" | "min" | "mins" | "minute" | "minutes" => 60.0,
        "h" | "hr" | "hrs" | "hour" | "hours" => 3600.0,
        "d" | "day" | "days" => 86_400.0,
        "w" | "week" | "weeks" => 604_800.0,
        "y" | "yr" | "yrs" | "year" | "years" => 31_557_600.0,
        _ => return None,
    };
    let seconds = value * unit_seconds;
    seconds.is_finite().then_some(seconds)
}
