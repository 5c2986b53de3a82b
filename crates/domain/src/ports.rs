//! The bundle of driven ports every use-case service is built from.

use std::sync::Arc;

use crate::access::Credentials;
use crate::clock::Clock;
use crate::documents::DocumentRenderer;
use crate::einvoicing::UblRenderer;
use crate::idempotency::KeyLocks;
use crate::ids::IdGenerator;
use crate::landing::{OtpCodes, OtpSender};
use crate::settings::Settings;
use crate::tokens::TokenService;
use crate::tx::TransactionRunner;

/// The adapters a service needs, wired once by the application.
#[derive(Clone)]
pub struct Ports {
    /// Transactions over storage.
    pub tx: Arc<dyn TransactionRunner>,
    /// Current date and time.
    pub clock: Arc<dyn Clock>,
    /// New ids.
    pub ids: Arc<dyn IdGenerator>,
    /// Bearer-token generation and hashing.
    pub credentials: Arc<dyn Credentials>,
    /// Signed landing tokens.
    pub tokens: Arc<dyn TokenService>,
    /// PDF documents.
    pub renderer: Arc<dyn DocumentRenderer>,
    /// UBL 2.1 documents (e-invoicing).
    pub ubl: Arc<dyn UblRenderer>,
    /// Business settings.
    pub settings: Arc<Settings>,
    /// Idempotency-key locks that span several transactions (billing runs).
    pub key_locks: Arc<dyn KeyLocks>,
    /// Delivery of the landing's one-time codes.
    pub otp_sender: Arc<dyn OtpSender>,
    /// Generation and keyed hashing of those codes.
    pub otp_codes: Arc<dyn OtpCodes>,
}
