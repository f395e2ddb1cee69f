//! Passwords hashed with argon2id, and random tokens for sessions and invitations (stored only as SHA-256).

use crate::error::FieldError;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use rand::RngCore;
use sha2::{Digest, Sha256};

/// A password as typed; never printed, never logged.
pub struct Password(String);

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(<hidden>)")
    }
}

/// The shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 10;

impl Password {
    /// Accepts a new password of at least [`MIN_PASSWORD_CHARS`] characters.
    pub fn new(field: &str, raw: &str) -> Result<Self, FieldError> {
        if raw.chars().count() < MIN_PASSWORD_CHARS {
            return Err(FieldError::new(
                field,
                "too-short",
                format!("a password needs at least {MIN_PASSWORD_CHARS} characters"),
            ));
        }
        if raw.len() > 1024 {
            return Err(FieldError::new(field, "too-long", "at most 1024 bytes"));
        }
        Ok(Password(raw.to_string()))
    }

    /// Wraps a password typed at sign-in, which is only compared, never checked for strength.
    pub fn typed(raw: &str) -> Self {
        Password(raw.to_string())
    }

    /// The PHC string of the argon2id hash, with a fresh salt.
    pub fn hash(&self) -> Result<String, crate::error::StoreError> {
        let salt = SaltString::generate(&mut rand::rngs::OsRng);
        hasher()
            .hash_password(self.0.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| crate::error::StoreError::Other(format!("password hashing failed: {e}")))
    }

    /// Whether this password matches a stored PHC hash.
    pub fn verify(&self, phc: &str) -> bool {
        match PasswordHash::new(phc) {
            Ok(parsed) => hasher().verify_password(self.0.as_bytes(), &parsed).is_ok(),
            Err(_) => false,
        }
    }
}

/// argon2id with the parameters OWASP recommends for interactive sign-in (19 MiB, 2 passes).
fn hasher() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// A hash of a password nobody has, verified when the e-mail is unknown so that timing does not tell.
pub fn dummy_hash() -> &'static str {
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$3NXy0Q7yIoXzwusx36GeLxc4Av9Dqn9AvLkmI7dWjvQ"
}

/// A random secret of 32 bytes as 64 hex digits: session cookies, CSRF tokens, invitation links.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// The SHA-256 of a token as hex: what the database keeps instead of the token.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hashed_password_verifies_and_a_wrong_one_does_not() {
        let hash = Password::new("p", "correct horse battery")
            .unwrap()
            .hash()
            .unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(Password::typed("correct horse battery").verify(&hash));
        assert!(!Password::typed("wrong horse battery").verify(&hash));
    }

    #[test]
    fn short_passwords_are_refused_and_passwords_never_debug_print() {
        assert_eq!(Password::new("password", "short").unwrap_err().code, "too-short");
        assert_eq!(
            format!("{:?}", Password::typed("secret-value")),
            "Password(<hidden>)"
        );
    }

    #[test]
    fn tokens_are_random_and_stored_as_their_hash() {
        let a = random_token();
        assert_eq!(a.len(), 64);
        assert_ne!(a, random_token());
        assert_eq!(token_hash(&a).len(), 64);
        assert_ne!(token_hash(&a), a);
    }
}
