//! Strict base64url without padding (RFC 7515 section 2, appendix C): only `A-Z a-z 0-9 - _`,
//! no `=`, no whitespace, and non-canonical trailing bits rejected, so that every byte string
//! has exactly one accepted encoding.

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn value(c: u8) -> Option<u32> {
    match c {
        b'A'..=b'Z' => Some((c - b'A') as u32),
        b'a'..=b'z' => Some((c - b'a' + 26) as u32),
        b'0'..=b'9' => Some((c - b'0' + 52) as u32),
        b'-' => Some(62),
        b'_' => Some(63),
        _ => None,
    }
}

/// Encodes bytes as unpadded base64url.
///
/// ```
/// assert_eq!(jwtward::base64url::encode(b"hi?"), "aGk_");
/// ```
pub fn encode(input: &[u8]) -> String {
    let mut out = String::with_capacity(input.len().div_ceil(3) * 4);
    for chunk in input.chunks(3) {
        let b = [
            chunk.first().copied().unwrap_or(0),
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
        let chars = chunk.len() + 1;
        for i in 0..chars {
            let idx = ((n >> (18 - 6 * i)) & 63) as usize;
            out.push(ALPHABET[idx] as char);
        }
    }
    out
}

/// Decodes strict unpadded base64url; `None` for anything else.
///
/// ```
/// use jwtward::base64url::decode;
/// assert_eq!(decode("aGk_").as_deref(), Some(&b"hi?"[..]));
/// assert!(decode("aGk/").is_none());   // standard alphabet
/// assert!(decode("aGk=").is_none());   // padding
/// assert!(decode("aGk").is_some());   // "hi"
/// assert!(decode("aGl").is_none());    // same bytes, non-zero trailing bits: not canonical
/// ```
pub fn decode(input: &str) -> Option<Vec<u8>> {
    let bytes = input.as_bytes();
    if bytes.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(bytes.len() / 4 * 3 + 2);
    for chunk in bytes.chunks(4) {
        let mut n: u32 = 0;
        for (i, &c) in chunk.iter().enumerate() {
            n |= value(c)? << (18 - 6 * i);
        }
        let produced = chunk.len() - 1;
        // The bits below the last whole byte must be zero (canonical form).
        let unused_mask: u32 = match produced {
            1 => 0xFFFF,
            2 => 0xFF,
            _ => 0,
        };
        if n & unused_mask != 0 {
            return None;
        }
        for i in 0..produced {
            out.push((n >> (16 - 8 * i)) as u8);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_every_length() {
        let data: Vec<u8> = (0..=255u8).collect();
        for len in 0..data.len() {
            let enc = encode(&data[..len]);
            assert!(!enc.contains('='));
            assert_eq!(decode(&enc).as_deref(), Some(&data[..len]));
        }
    }

    #[test]
    fn rejects_everything_outside_the_alphabet() {
        for bad in ["a b=", "ab\n", "ab+/", "ab==", "a", "abcde", "\u{feff}abc", "ab.c"] {
            assert!(decode(bad).is_none(), "{bad:?} accepted");
        }
    }
}
