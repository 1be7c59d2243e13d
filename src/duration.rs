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

/// The value of digits with at most one '.' ("15", "1.5", ".5", "5.", "007"), as `str::parse`
/// gives it (except beyond f64's range: `None`, not infinity, which [`parse`] refuses anyway),
/// read by serde_json's float parser instead (exact, and already in the module, where
/// `str::parse::<f64>` would add core's own, about 8 KB of wasm): the text is first made a JSON
/// number (leading zeros dropped, a missing digit before or after the point supplied).
fn number_value(number: &str) -> Option<f64> {
    let (int, frac) = match number.split_once('.') {
        Some((int, frac)) => (int, Some(frac)),
        None => (number, None),
    };
    if int.is_empty() && frac.is_none_or(str::is_empty) {
        return None;
    }
    let int = int.trim_start_matches('0');
    let mut json = String::with_capacity(number.len() + 2);
    json.push_str(if int.is_empty() { "0" } else { int });
    if let Some(frac) = frac.filter(|f| !f.is_empty()) {
        json.push('.');
        json.push_str(frac);
    }
    serde_json::from_str(&json).ok()
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
    let value = number_value(number)?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_value_is_str_parse_on_every_short_input_and_long_ones() {
        let alphabet = ['0', '1', '5', '9', '.'];
        let mut inputs = vec![String::new()];
        for len in 1..=6 {
            let mut next = Vec::new();
            for prefix in inputs.iter().filter(|p| p.len() == len - 1) {
                for c in alphabet {
                    next.push(format!("{prefix}{c}"));
                }
            }
            inputs.extend(next);
        }
        inputs.extend(
            [
                "9007199254740993",
                "123456789012345678901234567890",
                "0.1000000000000000055511151231257827",
                "1.7976931348623157",
                "99999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999.5",
            ]
            .map(String::from),
        );
        for input in inputs {
            assert_eq!(number_value(&input), input.parse::<f64>().ok(), "{input:?}");
        }
        // Beyond the range: infinite for str::parse, refused here; a duration either way.
        let huge = "9".repeat(400);
        assert_eq!(huge.parse::<f64>().ok(), Some(f64::INFINITY));
        assert_eq!(number_value(&huge), None);
        assert_eq!(parse(&format!("{huge}s")), None);
    }
}
