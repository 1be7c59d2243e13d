//! Strict base64url without padding (RFC 7515 section 2, appendix C): only `A-Z a-z 0-9 - _`,
//! no `=`, no whitespace, and non-canonical trailing bits rejected, so that every byte string
//! has exactly one accepted encoding.

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Marks a byte outside the alphabet in [`DECODE`]; any value with bit 6 or 7 set is invalid.
const INVALID: u8 = 0xff;

/// The value of each byte as a base64url digit, or [`INVALID`]: one table lookup a character
/// (this decoder was 18% of a whole HS256 verification when it matched each character).
// Indexing here is bounded by construction: `i < 64` over a 64-entry alphabet, a byte into a
// 256-entry table, a 6-bit value into the alphabet.
#[allow(clippy::indexing_slicing)]
const DECODE: [u8; 256] = {
    let mut table = [INVALID; 256];
    let mut i = 0;
    while i < 64 {
        table[ALPHABET[i] as usize] = i as u8;
        i += 1;
    }
    table
};

/// The digit values of up to four characters, or `None` if any is outside the alphabet.
#[allow(clippy::indexing_slicing)] // a byte indexes a 256-entry table
fn digits(chars: &[u8]) -> Option<u32> {
    let mut n: u32 = 0;
    let mut bad: u8 = 0;
    for (i, &c) in chars.iter().enumerate() {
        let v = DECODE[c as usize];
        bad |= v;
        n |= u32::from(v) << (18 - 6 * i);
    }
    if bad & 0xc0 != 0 {
        None
    } else {
        Some(n)
    }
}

/// [`digits`] of exactly four characters, written out: the loop of every token's decoding,
/// kept free of loops and calls for the slim module, which is built for size.
#[allow(clippy::indexing_slicing)] // a byte indexes a 256-entry table
#[inline(always)]
fn digits4(&[a, b, c, d]: &[u8; 4]) -> Option<u32> {
    let (a, b, c, d) = (DECODE[a as usize], DECODE[b as usize], DECODE[c as usize], DECODE[d as usize]);
    if (a | b | c | d) & 0xc0 != 0 {
        return None;
    }
    Some(u32::from(a) << 18 | u32::from(b) << 12 | u32::from(c) << 6 | u32::from(d))
}

/// Encodes bytes as unpadded base64url.
///
/// ```
/// assert_eq!(jwtward::base64url::encode(b"hi?"), "aGk_");
/// ```
#[allow(clippy::indexing_slicing)] // each index is masked to 6 bits, into a 64-entry alphabet
pub fn encode(input: &[u8]) -> String {
    let rem = input.len() % 3;
    let mut out = vec![0u8; input.len() / 3 * 4 + if rem == 0 { 0 } else { rem + 1 }];
    let sextet = |n: u32, shift: u32| ALPHABET[(n >> shift & 63) as usize];
    // Three bytes at a time into a buffer of the final length, through fixed-size chunks: built
    // for size (the slim module), pushes and slice iterators become calls, and every token
    // signed goes through here.
    let mut src = input;
    let mut dst = out.as_mut_slice();
    while let (Some((&[a, b, c], src_rest)), Some((four, dst_rest))) =
        (src.split_first_chunk::<3>(), dst.split_first_chunk_mut::<4>())
    {
        let n = u32::from(a) << 16 | u32::from(b) << 8 | u32::from(c);
        *four = [sextet(n, 18), sextet(n, 12), sextet(n, 6), sextet(n, 0)];
        src = src_rest;
        dst = dst_rest;
    }
    // The last one or two bytes, if any, into one character more.
    let n = u32::from(src.first().copied().unwrap_or(0)) << 16 | u32::from(src.get(1).copied().unwrap_or(0)) << 8;
    for (d, shift) in out.iter_mut().skip(input.len() / 3 * 4).zip([18, 12, 6]) {
        *d = sextet(n, shift);
    }
    // Every byte is from the (ASCII) alphabet, so this never fails.
    String::from_utf8(out).unwrap_or_default()
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
    let tail = bytes.get(bytes.len() / 4 * 4..).unwrap_or_default();
    let whole = bytes.len() / 4 * 3;
    // Written in place into a buffer of the final length, four characters at a time through
    // fixed-size chunks: built for size (the slim module), pushes and slice iterators become
    // calls, and this loop runs over every character of every token.
    let mut out = vec![0u8; whole + tail.len().saturating_sub(1)];
    let mut src = bytes;
    let mut dst = out.as_mut_slice();
    while let (Some((chars, src_rest)), Some((three, dst_rest))) =
        (src.split_first_chunk::<4>(), dst.split_first_chunk_mut::<3>())
    {
        let n = digits4(chars)?;
        *three = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        src = src_rest;
        dst = dst_rest;
    }
    if !tail.is_empty() {
        let n = digits(tail)?;
        // The bits below the last whole byte must be zero (canonical form).
        let unused_mask = if tail.len() == 2 { 0xFFFF } else { 0xFF };
        if n & unused_mask != 0 {
            return None;
        }
        let last = [(n >> 16) as u8, (n >> 8) as u8];
        for (dst, src) in out.iter_mut().skip(whole).zip(last) {
            *dst = src;
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
    fn exactly_the_canonical_short_strings_decode() {
        // Every 2- and 3-character string over the alphabet and a few outsiders: accepted
        // exactly when encoding the result gives the same string back.
        let chars: Vec<u8> = ALPHABET.iter().copied().chain(*b"=+/. \0\xff").collect();
        for &a in &chars {
            for &b in &chars {
                for c in std::iter::once(None).chain(chars.iter().copied().map(Some)) {
                    let mut s = vec![a, b];
                    s.extend(c);
                    let Ok(s) = String::from_utf8(s) else { continue };
                    let canonical = decode(&s).map(|d| encode(&d) == s);
                    assert!(matches!(canonical, None | Some(true)), "{s:?}");
                    let all_in_alphabet = s.bytes().all(|x| ALPHABET.contains(&x));
                    if !all_in_alphabet {
                        assert!(canonical.is_none(), "{s:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn rejects_everything_outside_the_alphabet() {
        for bad in ["a b=", "ab\n", "ab+/", "ab==", "a", "abcde", "\u{feff}abc", "ab.c"] {
            assert!(decode(bad).is_none(), "{bad:?} accepted");
        }
    }
}
