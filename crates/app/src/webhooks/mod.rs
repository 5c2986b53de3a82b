//! Webhook delivery in the server: the secret cipher, the Standard Webhooks signature, the
//! awc sender and the worker loop.

pub mod cipher;
pub mod sender;
pub mod signature;
pub mod worker;

pub use cipher::AesSecretCipher;
pub use sender::SenderSettings;
pub use worker::WorkerSettings;
