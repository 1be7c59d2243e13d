//! The refresh-token rotation rules, natively, through the public API: every outcome (rotate,
//! expired, revoked, concurrent retry inside `reuseGrace`, reuse after it, family past
//! `familyLifetime`, unknown token), the exact boundaries, and the compare-and-set protocol
//! against a minimal store that applies commits the way MemoryStore and RedisStore do.

use jwtward::refresh::{
    decide, generate_refresh_token, hash_token, issue, issue_with, refresh_token_family, revoke_family, Commit,
    Decision, FamilyRecord, RefreshPolicy, RefreshToken, Rotated, Stored, TokenRecord,
};
use jwtward::ErrorCode;
use serde_json::{json, Map, Value};
use std::collections::HashMap;

const T0: f64 = 1_763_900_000.0;
const DAY: f64 = 86_400.0;
/// A family id as `issue` draws them: the base64url of 16 bytes.
const FAM1: &str = "ZmFtaWx5LW9uZS0xNmJ5dA";

/// A store with the contract of the JS RefreshStore: records are opaque strings; a commit
/// lands only if every `expect` holds. Expiry is left to the rules (the tests move `now`).
#[derive(Default)]
struct TestStore {
    tokens: HashMap<String, (String, String)>, // hash -> (family id, record)
    sealed: HashMap<String, String>,
    families: HashMap<String, String>,
}

impl TestStore {
    fn commit(&mut self, c: &Commit) -> bool {
        if self.families.get(&c.family_id) != c.family.expect.as_ref() {
            return false;
        }
        for t in &c.tokens {
            if self.tokens.get(&t.hash).map(|(_, r)| r) != t.expect.as_ref() {
                return false;
            }
        }
        self.families.insert(c.family_id.clone(), c.family.record.clone());
        for t in &c.tokens {
            self.tokens.insert(t.hash.clone(), (c.family_id.clone(), t.record.clone()));
            match &t.sealed {
                Some(s) => self.sealed.insert(t.hash.clone(), s.value.clone()),
                None => self.sealed.remove(&t.hash),
            };
        }
        true
    }

    fn stored(&self, token: &str) -> Stored<'_> {
        let hash = hash_token(token);
        let entry = self.tokens.get(&hash);
        Stored {
            token: entry.map(|(_, r)| r.as_str()),
            sealed: self.sealed.get(&hash).map(String::as_str),
            family: entry.and_then(|(f, _)| self.families.get(f)).map(String::as_str),
        }
    }

    /// Every string the store holds, keys and values.
    fn everything(&self) -> String {
        let mut all = String::new();
        for (k, (f, r)) in &self.tokens {
            all += &format!("{k} {f} {r}\n");
        }
        for (k, v) in self.sealed.iter().chain(self.families.iter()) {
            all += &format!("{k} {v}\n");
        }
        all
    }
}

fn policy(ttl: f64, family: f64, grace: f64) -> RefreshPolicy {
    RefreshPolicy::new(ttl, family, grace).unwrap()
}

fn fresh() -> RefreshToken {
    generate_refresh_token(32).unwrap()
}

/// Issues a family into `store` at T0, returns its first token.
fn login(store: &mut TestStore, p: &RefreshPolicy) -> RefreshToken {
    let mut data = Map::new();
    data.insert("device".into(), json!("laptop"));
    let issued = issue(p, "user-1", Some(data), T0).unwrap();
    assert!(store.commit(&issued.commit));
    issued.token
}

/// Presents `token` at `now` and applies the decision like RefreshTokens.rotate does.
fn rotate(store: &mut TestStore, p: &RefreshPolicy, token: &RefreshToken, now: f64) -> Result<Rotated, jwtward::Error> {
    rotate_text(store, p, token.expose(), now)
}

/// [`rotate`] for token text (a legacy token, a forged one).
fn rotate_text(store: &mut TestStore, p: &RefreshPolicy, token: &str, now: f64) -> Result<Rotated, jwtward::Error> {
    for _ in 0..3 {
        let decision = decide(p, token, store.stored(token), now, &fresh())?;
        match decision {
            Decision::Rotate { commit, result } => {
                if store.commit(&commit) {
                    return Ok(result);
                }
            }
            Decision::Replay(result) => return Ok(result),
            Decision::RevokeFamily { commit, error } => {
                if store.commit(&commit) {
                    return Err(error);
                }
            }
        }
    }
    panic!("no decision landed in 3 tries");
}

fn code(r: Result<Rotated, jwtward::Error>) -> ErrorCode {
    r.map(|_| ()).unwrap_err().code()
}

#[test]
fn issue_then_rotate_gives_a_new_token_carrying_the_family() {
    let p = RefreshPolicy::default();
    let mut store = TestStore::default();
    let t1 = login(&mut store, &p);
    let r = rotate(&mut store, &p, &t1, T0 + 60.0).unwrap();
    assert_ne!(r.token.expose(), t1.expose());
    assert_eq!(r.subject, "user-1");
    assert_eq!(r.data.as_ref().unwrap()["device"], "laptop");
    assert_eq!(r.expires_at, T0 + 60.0 + 14.0 * DAY);
    // The successor rotates in turn, within the same family.
    let r2 = rotate(&mut store, &p, &r.token, T0 + 120.0).unwrap();
    assert_eq!(r2.family_id, r.family_id);
    assert_eq!(store.families.len(), 1);
    assert_eq!(store.tokens.len(), 3);
}

#[test]
fn a_token_expires_at_exactly_its_ttl() {
    let p = policy(100.0, 1000.0, 10.0);
    let mut store = TestStore::default();
    let t = login(&mut store, &p);
    assert_eq!(code(rotate(&mut store, &p, &t, T0 + 100.0)), ErrorCode::RefreshExpired);
    assert_eq!(code(rotate(&mut store, &p, &t, T0 + 5000.0)), ErrorCode::RefreshExpired);
    let r = rotate(&mut store, &p, &t, T0 + 99.999).unwrap();
    assert_eq!(r.expires_at, T0 + 199.999);
}

#[test]
fn the_family_lifetime_caps_every_successor_and_ends_the_family() {
    let p = policy(100.0, 250.0, 10.0);
    let mut store = TestStore::default();
    let t1 = login(&mut store, &p);
    let t2 = rotate(&mut store, &p, &t1, T0 + 90.0).unwrap();
    assert_eq!(t2.expires_at, T0 + 190.0);
    let t3 = rotate(&mut store, &p, &t2.token, T0 + 180.0).unwrap();
    assert_eq!(t3.expires_at, T0 + 250.0, "min(now + ttl, family expiry)");
    let e = rotate(&mut store, &p, &t3.token, T0 + 250.0).unwrap_err();
    assert_eq!(e.code(), ErrorCode::RefreshExpired);
    assert!(e.message().contains("familyLifetime"), "{e}");
    // A first token is capped too when familyLifetime < ttl.
    let short = policy(100.0, 30.0, 10.0);
    assert_eq!(issue(&short, "u", None, T0).unwrap().expires_at, T0 + 30.0);
}

#[test]
fn a_revoked_family_refuses_every_token() {
    let p = RefreshPolicy::default();
    let mut store = TestStore::default();
    let t1 = login(&mut store, &p);
    let t2 = rotate(&mut store, &p, &t1, T0 + 1.0).unwrap();
    let family = store.families[&t2.family_id].clone();
    let commit = revoke_family(&family, T0 + 2.0).unwrap().unwrap();
    assert!(store.commit(&commit));
    let e = rotate(&mut store, &p, &t2.token, T0 + 3.0).unwrap_err();
    assert_eq!(e.code(), ErrorCode::RefreshRevoked);
    // Revoked wins over the grace window and over reuse.
    assert_eq!(code(rotate(&mut store, &p, &t1, T0 + 3.0)), ErrorCode::RefreshRevoked);
    // Revoking again writes nothing.
    assert!(revoke_family(&store.families[&t2.family_id], T0 + 4.0).unwrap().is_none());
}

#[test]
fn inside_the_grace_window_the_same_successor_comes_back() {
    let p = policy(DAY, 30.0 * DAY, 10.0);
    let mut store = TestStore::default();
    let t1 = login(&mut store, &p);
    let first = rotate(&mut store, &p, &t1, T0 + 100.0).unwrap();
    for dt in [0.0, 5.0, 9.999] {
        let again = rotate(&mut store, &p, &t1, T0 + 100.0 + dt).unwrap();
        assert_eq!(again.token.expose(), first.token.expose(), "+{dt}s");
        assert_eq!(again.expires_at, first.expires_at);
        assert_eq!(again.family_id, first.family_id);
    }
    assert_eq!(store.tokens.len(), 2, "the family never forks");
}

#[test]
fn at_the_end_of_the_grace_window_reuse_revokes_the_family() {
    let p = policy(DAY, 30.0 * DAY, 10.0);
    let mut store = TestStore::default();
    let t1 = login(&mut store, &p);
    let t2 = rotate(&mut store, &p, &t1, T0 + 100.0).unwrap();
    let t3 = rotate(&mut store, &p, &t2.token, T0 + 105.0).unwrap();
    let e = rotate(&mut store, &p, &t1, T0 + 110.0).unwrap_err();
    assert_eq!(e.code(), ErrorCode::RefreshReused);
    let family = FamilyRecord::from_json(&store.families[&t2.family_id]).unwrap();
    assert!(family.revoked.is_some());
    // Every token of the family, the current head included, is refused from now on.
    for t in [&t1, &t2.token, &t3.token] {
        assert_eq!(code(rotate(&mut store, &p, t, T0 + 111.0)), ErrorCode::RefreshRevoked);
    }
}

#[test]
fn with_no_grace_any_second_presentation_is_reuse_and_nothing_is_sealed() {
    let p = policy(DAY, 30.0 * DAY, 0.0);
    let mut store = TestStore::default();
    let t1 = login(&mut store, &p);
    let t2 = rotate(&mut store, &p, &t1, T0 + 1.0).unwrap();
    assert!(store.sealed.is_empty());
    assert_eq!(code(rotate(&mut store, &p, &t1, T0 + 1.0)), ErrorCode::RefreshReused);
    assert_eq!(code(rotate(&mut store, &p, &t2.token, T0 + 1.0)), ErrorCode::RefreshRevoked);
}

#[test]
fn inside_the_window_without_the_sealed_successor_is_refused_without_revoking() {
    // A store that dropped the sealed value early (clock skew) or never kept it.
    let p = policy(DAY, 30.0 * DAY, 10.0);
    let mut store = TestStore::default();
    let t1 = login(&mut store, &p);
    let t2 = rotate(&mut store, &p, &t1, T0 + 1.0).unwrap();
    store.sealed.clear();
    let e = rotate(&mut store, &p, &t1, T0 + 2.0).unwrap_err();
    assert_eq!(e.code(), ErrorCode::RefreshReused);
    assert!(rotate(&mut store, &p, &t2.token, T0 + 3.0).is_ok(), "the family stays valid");
}

#[test]
fn a_tampered_sealed_value_is_never_returned() {
    let p = policy(DAY, 30.0 * DAY, 10.0);
    let mut store = TestStore::default();
    let t1 = login(&mut store, &p);
    rotate(&mut store, &p, &t1, T0 + 1.0).unwrap();
    let hash = hash_token(t1.expose());
    let other = generate_refresh_token(32).unwrap();
    store.sealed.insert(hash, other.expose().to_owned());
    assert_eq!(code(rotate(&mut store, &p, &t1, T0 + 2.0)), ErrorCode::RefreshReused);
}

#[test]
fn unknown_malformed_and_orphaned_tokens_are_invalid() {
    let p = RefreshPolicy::default();
    let mut store = TestStore::default();
    let t1 = login(&mut store, &p);
    assert_eq!(code(rotate(&mut store, &p, &fresh(), T0)), ErrorCode::RefreshInvalid);
    for bad in ["", "short", "has spaces in it, and more than 22 chars", "a.b.c"] {
        let e = decide(&p, bad, Stored::default(), T0, &fresh()).unwrap_err();
        assert_eq!(e.code(), ErrorCode::RefreshInvalid, "{bad:?}");
    }
    // The record without its family (pruned, or a store that lost it).
    let mut stored = store.stored(t1.expose());
    stored.family = None;
    assert_eq!(decide(&p, t1.expose(), stored, T0, &fresh()).unwrap_err().code(), ErrorCode::RefreshInvalid);
    // Records that do not belong together, or are not ours.
    let other = issue(&p, "user-2", None, T0).unwrap();
    let mut stored = store.stored(t1.expose());
    stored.family = Some(&other.commit.family.record);
    assert_eq!(decide(&p, t1.expose(), stored, T0, &fresh()).unwrap_err().code(), ErrorCode::RefreshInvalid);
    stored.token = Some(r#"{"v":9}"#);
    assert_eq!(decide(&p, t1.expose(), stored, T0, &fresh()).unwrap_err().code(), ErrorCode::RefreshInvalid);
}

#[test]
fn concurrent_deciders_race_and_exactly_one_lands() {
    let p = policy(DAY, 30.0 * DAY, 10.0);
    let mut store = TestStore::default();
    let t1 = login(&mut store, &p);
    let now = T0 + 50.0;
    // 50 callers read the same state before any of them writes.
    let decisions: Vec<Decision> =
        (0..50).map(|_| decide(&p, t1.expose(), store.stored(t1.expose()), now, &fresh()).unwrap()).collect();
    let mut winners = Vec::new();
    for d in decisions {
        let Decision::Rotate { commit, result } = d else { panic!("expected Rotate") };
        if store.commit(&commit) {
            winners.push(result);
        }
    }
    assert_eq!(winners.len(), 1, "exactly one compare-and-set lands");
    // The losers read again: every one gets the winner's successor.
    for _ in 0..49 {
        let again = rotate(&mut store, &p, &t1, now + 1.0).unwrap();
        assert_eq!(again.token.expose(), winners[0].token.expose());
    }
    assert_eq!(store.tokens.len(), 2);
}

#[test]
fn a_revocation_landing_first_makes_the_rotation_fail_its_compare_and_set() {
    let p = RefreshPolicy::default();
    let mut store = TestStore::default();
    let t1 = login(&mut store, &p);
    let Decision::Rotate { commit, .. } = decide(&p, t1.expose(), store.stored(t1.expose()), T0, &fresh()).unwrap()
    else {
        panic!("expected Rotate")
    };
    let family = store.families[&commit.family_id].clone();
    assert!(store.commit(&revoke_family(&family, T0).unwrap().unwrap()));
    assert!(!store.commit(&commit), "the rotation read the family before it was revoked");
    assert_eq!(code(rotate(&mut store, &p, &t1, T0)), ErrorCode::RefreshRevoked);
}

#[test]
fn the_store_never_holds_a_usable_token_and_messages_never_echo_one() {
    let p = policy(DAY, 30.0 * DAY, 10.0);
    let mut store = TestStore::default();
    let t1 = login(&mut store, &p);
    let t2 = rotate(&mut store, &p, &t1, T0 + 1.0).unwrap();
    let t3 = rotate(&mut store, &p, &t2.token, T0 + 2.0).unwrap();
    let all = store.everything();
    for t in [&t1, &t2.token, &t3.token] {
        assert!(!all.contains(t.expose()), "a token in plain text in the store");
        assert!(all.contains(&hash_token(t.expose())));
    }
    let mut messages = Vec::new();
    for now in [T0 + 5.0, T0 + 20.0, T0 + 21.0] {
        if let Err(e) = rotate(&mut store, &p, &t1, now) {
            messages.push(format!("{e} {e:?}"));
        }
    }
    messages.push(format!("{:?}", rotate(&mut store, &p, &t3.token, T0 + 22.0)));
    messages.push(format!("{:?}", issue(&p, "u", None, T0).unwrap()));
    assert!(messages.len() >= 3);
    for m in &messages {
        for t in [&t1, &t2.token, &t3.token] {
            assert!(!m.contains(t.expose()), "{m}");
        }
    }
}

#[test]
fn commits_are_json_with_the_indexed_fields_beside_opaque_records() {
    let p = policy(100.0, 1000.0, 10.0);
    let token = fresh();
    let issued = issue_with(&p, "ada", None, T0, token.clone(), FAM1.into()).unwrap();
    assert_eq!(issued.token.expose(), format!("{FAM1}.{}", token.expose()), "routed: family id, '.', secret");
    let v: Value = serde_json::from_str(&issued.commit.to_json().unwrap()).unwrap();
    assert_eq!(v["familyId"], FAM1);
    assert_eq!(v["subject"], "ada");
    assert_eq!(v["family"]["expect"], Value::Null);
    assert_eq!(v["family"]["expiresAt"], T0 + 1000.0);
    assert_eq!(v["tokens"][0]["hash"], hash_token(issued.token.expose()));
    assert_eq!(v["tokens"][0]["expiresAt"], T0 + 100.0);
    let record = TokenRecord::from_json(v["tokens"][0]["record"].as_str().unwrap()).unwrap();
    assert_eq!(record.family, FAM1);
    assert_eq!(issued.commit, serde_json::from_value::<Commit>(v).unwrap());
}

#[test]
fn the_sealed_successor_expires_with_the_grace_window() {
    let p = policy(100.0, 1000.0, 10.0);
    let mut store = TestStore::default();
    let t1 = login(&mut store, &p);
    let Decision::Rotate { commit, .. } =
        decide(&p, t1.expose(), store.stored(t1.expose()), T0 + 7.0, &fresh()).unwrap()
    else {
        panic!("expected Rotate")
    };
    let sealed = commit.tokens[0].sealed.as_ref().unwrap();
    assert_eq!(sealed.expires_at, T0 + 17.0);
    assert_eq!(commit.tokens[0].expires_at, T0 + 100.0, "the old record lives on for reuse detection");
    assert!(commit.tokens[1].sealed.is_none());
}

#[test]
fn options_parse_like_the_rest_of_the_api() {
    let d = RefreshPolicy::from_json("{}").unwrap();
    assert_eq!((d.ttl, d.family_lifetime, d.reuse_grace), (14.0 * DAY, 30.0 * DAY, 10.0));
    let p = RefreshPolicy::from_json(r#"{"ttl":"1h","familyLifetime":"7d","reuseGrace":0}"#).unwrap();
    assert_eq!((p.ttl, p.family_lifetime, p.reuse_grace), (3600.0, 7.0 * DAY, 0.0));
    for bad in [
        r#"{"ttl":0}"#,
        r#"{"ttl":"0s"}"#,
        r#"{"familyLifetime":-1}"#,
        r#"{"reuseGrace":"soon"}"#,
        r#"{"reuse_grace":5}"#,
        r#"{"ttl":"14d","store":{}}"#,
        "[]",
    ] {
        let e = RefreshPolicy::from_json(bad).unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidArgument, "{bad}");
    }
    assert_eq!(issue(&d, "", None, T0).unwrap_err().code(), ErrorCode::InvalidArgument);
    assert_eq!(issue(&d, &"x".repeat(1025), None, T0).unwrap_err().code(), ErrorCode::InvalidArgument);
    assert_eq!(issue(&d, "u", None, f64::NAN).unwrap_err().code(), ErrorCode::InvalidArgument);
}

// ---------------------------------------------------------------- routed tokens

/// A family issued the way a store before routed tokens did it: the first token is the secret
/// alone. Every record is as that version wrote it (the records did not change).
fn legacy_login(store: &mut TestStore, p: &RefreshPolicy) -> (String, String) {
    let issued = issue(p, "legacy-user", None, T0).unwrap();
    let legacy = issued.token.expose().split_once('.').unwrap().1.to_owned();
    let mut commit = issued.commit.clone();
    commit.tokens[0].hash = hash_token(&legacy);
    assert!(store.commit(&commit));
    (legacy, issued.family_id)
}

#[test]
fn issued_and_rotated_tokens_are_routed_by_their_family_id() {
    let p = RefreshPolicy::default();
    let mut store = TestStore::default();
    let t1 = login(&mut store, &p);
    let family = store.families.keys().next().unwrap().clone();
    assert_eq!(refresh_token_family(t1.expose()).unwrap(), Some(family.as_str()));
    assert_eq!(t1.expose().len(), 22 + 1 + 43);
    let t2 = rotate(&mut store, &p, &t1, T0 + 1.0).unwrap();
    assert_eq!(refresh_token_family(t2.token.expose()).unwrap(), Some(family.as_str()));
    // The replayed successor (unsealed inside the grace window) is the same routed text.
    let again = rotate(&mut store, &p, &t1, T0 + 2.0).unwrap();
    assert_eq!(again.token.expose(), t2.token.expose());
    assert!(!store.everything().contains(t2.token.expose()));
}

#[test]
fn legacy_tokens_still_rotate_and_their_successors_are_routed() {
    let p = policy(DAY, 30.0 * DAY, 10.0);
    let mut store = TestStore::default();
    let (legacy, family) = legacy_login(&mut store, &p);
    assert_eq!(refresh_token_family(&legacy).unwrap(), None);
    let next = rotate_text(&mut store, &p, &legacy, T0 + 1.0).unwrap();
    assert_eq!(refresh_token_family(next.token.expose()).unwrap(), Some(family.as_str()));
    assert_eq!(rotate_text(&mut store, &p, &legacy, T0 + 2.0).unwrap().token.expose(), next.token.expose());
    assert_eq!(code(rotate_text(&mut store, &p, &legacy, T0 + 12.0)), ErrorCode::RefreshReused);
}

#[test]
fn a_routed_token_naming_another_family_is_refused_without_echoing_it() {
    let p = RefreshPolicy::default();
    let mut store = TestStore::default();
    let t1 = login(&mut store, &p);
    let family = store.families.keys().next().unwrap().clone();
    let secret = t1.expose().split_once('.').unwrap().1;
    let forged = format!("{FAM1}.{secret}");
    // A store that filed the forged text's hash under the real family (what the check defends against).
    let mut stored = store.stored(t1.expose());
    let e = decide(&p, &forged, stored, T0, &fresh()).unwrap_err();
    assert_eq!(e.code(), ErrorCode::RefreshInvalid);
    assert!(e.message().contains("routing tag"), "{e}");
    assert!(!e.message().contains(secret) && !e.message().contains(&family), "{e}");
    // The same records and the legacy form of the same secret: no tag to disagree with.
    stored.sealed = None;
    assert!(decide(&p, secret, stored, T0, &fresh()).is_ok());
}

#[test]
fn a_successor_sealed_by_a_version_before_routed_tokens_still_comes_back() {
    // A rolling upgrade: the old version rotated a legacy token to a legacy successor and sealed
    // it; this version, inside the grace window, must hand back that same legacy successor.
    let p = policy(DAY, 30.0 * DAY, 10.0);
    let mut store = TestStore::default();
    let (legacy, _) = legacy_login(&mut store, &p);
    let Decision::Rotate { mut commit, result } =
        decide(&p, &legacy, store.stored(&legacy), T0 + 1.0, &fresh()).unwrap()
    else {
        panic!("expected Rotate")
    };
    let old_successor = result.token.expose().split_once('.').unwrap().1.to_owned();
    let mut record = TokenRecord::from_json(&commit.tokens[0].record).unwrap();
    record.rotated.as_mut().unwrap().successor = hash_token(&old_successor);
    commit.tokens[0].record = record.to_json().unwrap();
    commit.tokens[1].hash = hash_token(&old_successor);
    assert!(store.commit(&commit));
    let again = rotate_text(&mut store, &p, &legacy, T0 + 2.0).unwrap();
    assert_eq!(again.token.expose(), old_successor);
}

#[test]
fn issue_with_refuses_a_family_id_that_could_not_route() {
    let p = RefreshPolicy::default();
    for bad in ["fam-1", "", "ZmFtaWx5LW9uZS0xNmJ5dB", "ZmFtaWx5LW9uZS0xNmJ5dA.x"] {
        let e = issue_with(&p, "u", None, T0, fresh(), bad.into()).unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidArgument, "{bad}");
    }
}
