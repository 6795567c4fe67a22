//! Standard Webhooks signatures (<https://www.standardwebhooks.com/>): the headers
//! `webhook-id`, `webhook-timestamp` (Unix seconds) and `webhook-signature`
//! (`v1,<base64 of HMAC-SHA256(key, "id.timestamp.body")>`), with the key a secret variable
//! holds (`operations::webhooks::secret_key`). HMAC and SHA-256 are ring's, which rustls builds
//! anyway.

use base64::Engine as _;
use ring::{digest, hmac};

/// `v1,<signature>` of `body` sent as message `id` at `timestamp`.
pub fn signature(key: &[u8], id: &str, timestamp: i64, body: &[u8]) -> String {
    let key = hmac::Key::new(hmac::HMAC_SHA256, key);
    let mut ctx = hmac::Context::with_key(&key);
    ctx.update(id.as_bytes());
    ctx.update(b".");
    ctx.update(timestamp.to_string().as_bytes());
    ctx.update(b".");
    ctx.update(body);
    let tag = ctx.sign();
    format!(
        "v1,{}",
        base64::engine::general_purpose::STANDARD.encode(tag.as_ref())
    )
}

/// A delivery's id: the same for every try of one message to one target (so a receiver can
/// drop a repeat after a crash between sending and recording), different for another target or
/// message. `msg_` and 24 hex digits of SHA-256 over the target's name and the message's key.
pub fn delivery_id(target: &str, key: &str) -> String {
    let mut ctx = digest::Context::new(&digest::SHA256);
    ctx.update(target.as_bytes());
    ctx.update(b"\0");
    ctx.update(key.as_bytes());
    let hash = ctx.finish();
    let hex: String = hash.as_ref()[..12]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("msg_{hex}")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example of the Standard Webhooks specification's reference libraries: secret
    /// `whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw`, id `msg_p5jXN8AQM9LWM0D4loKWxJek`,
    /// timestamp 1614265330, body `{"test": 2432232314}`.
    #[test]
    fn the_signature_is_the_specifications_own_example() {
        let key = crate::operations::webhooks::secret_key("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
            .unwrap();
        assert_eq!(
            signature(
                &key,
                "msg_p5jXN8AQM9LWM0D4loKWxJek",
                1614265330,
                br#"{"test": 2432232314}"#
            ),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
        );
    }

    #[test]
    fn delivery_ids_are_stable_per_target_and_message() {
        let a = delivery_id("hr", "notice/krl/1/2");
        // SHA-256 of "hr\0notice/krl/1/2", worked out apart from this code: the same id on
        // every try and after a restart, so a receiver can drop a repeat.
        assert_eq!(a, "msg_e9f8349b494bce6902a46df6");
        assert_eq!(a.len(), 4 + 24);
        assert_ne!(a, delivery_id("it", "notice/krl/1/2"));
        assert_ne!(a, delivery_id("hr", "notice/krl/1/3"));
    }
}
