//! The `DocumentRenderer` port and the facts a contract or invoice PDF states.

use time::Date;

use crate::error::Result;

/// The operator's legal identity, printed on every document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SellerIdentity {
    /// Legal name.
    pub name: String,
    /// Registered address.
    pub address: String,
    /// Identifiant Commun de l'Entreprise.
    pub ice: String,
    /// Identifiant Fiscal.
    pub if_number: String,
    /// Registre de Commerce.
    pub rc: String,
    /// TVA registration number.
    pub tva_number: String,
    /// Taxe professionnelle (patente) number, a mandatory mention (CGI art. 145-III); empty
    /// on identities fixed before it was configured.
    pub tp: String,
}

/// Everything a contract document states.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContractDocument {
    /// The operator.
    pub seller: SellerIdentity,
    /// `CTR-2026-000001`.
    pub contract_number: String,
    /// 1 at signature, +1 at every plan change.
    pub version: i32,
    /// Date the version was produced.
    pub issued_on: Date,
    /// Client's full name, or its company name.
    pub client_name: String,
    /// A person's CIN; empty for a company.
    pub cin: String,
    /// A company's ICE, printed instead of a CIN; `None` for a person.
    pub buyer_ice: Option<String>,
    /// Client's postal address, if known.
    pub client_address: Option<String>,
    /// `mobile`, `internet` or `landline`.
    pub service_type: String,
    /// The line (E.164 number or line id).
    pub service_identifier: String,
    /// Offer code.
    pub offer_code: String,
    /// Offer name.
    pub offer_name: String,
    /// Monthly price excl. tax, centimes.
    pub monthly_price_excl_tax: i64,
    /// Tax rate, basis points.
    pub tax_rate_bp: i32,
    /// Monthly price incl. tax, centimes.
    pub monthly_price_incl_tax: i64,
    /// `MAD`.
    pub currency: String,
    /// Effective start date of this version.
    pub start_date: Date,
    /// Commitment in months (0 = none).
    pub commitment_months: i32,
    /// End of commitment.
    pub commitment_end_date: Date,
}

/// One line of an invoice document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceDocumentLine {
    /// What is billed.
    pub description: String,
    /// First day billed.
    pub start_date: Date,
    /// Last day billed (inclusive).
    pub end_date: Date,
    /// Days billed.
    pub days: i32,
    /// The offer's full monthly price excl. tax, centimes: the unit price of the line (per
    /// month, or per day as the month's share).
    pub monthly_price: i64,
    /// Amount excl. tax, centimes.
    pub amount_excl_tax: i64,
    /// Tax rate, basis points.
    pub tax_rate_bp: i32,
    /// Tax, centimes.
    pub tax_amount: i64,
    /// Amount incl. tax, centimes.
    pub amount_incl_tax: i64,
    /// On a usage line, its kind, units and unit price (issue #21); `None` otherwise.
    pub usage: Option<crate::billing::LineUsage>,
}

/// Tax subtotal for one rate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaxSubtotal {
    /// Rate, basis points.
    pub rate_bp: i32,
    /// Taxable base, centimes.
    pub base: i64,
    /// Tax, centimes.
    pub tax: i64,
}

/// Everything an invoice document states.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceDocument {
    /// The operator.
    pub seller: SellerIdentity,
    /// `FAC-2026-000001`.
    pub invoice_number: String,
    /// Issue date.
    pub issue_date: Date,
    /// Due date.
    pub due_date: Date,
    /// `YYYY-MM`.
    pub period: String,
    /// First day of the billed month.
    pub period_start: Date,
    /// Last day of the billed month.
    pub period_end: Date,
    /// Client's full name.
    pub client_name: String,
    /// Client's CIN (empty for a company).
    pub cin: String,
    /// A company buyer's ICE, printed instead of the CIN.
    pub buyer_ice: Option<String>,
    /// Client's postal address, if known.
    pub client_address: Option<String>,
    /// Contract billed.
    pub contract_number: String,
    /// Line billed.
    pub service_identifier: String,
    /// Lines.
    pub lines: Vec<InvoiceDocumentLine>,
    /// Total excl. tax, centimes.
    pub total_excl_tax: i64,
    /// TVA by rate.
    pub tax_by_rate: Vec<TaxSubtotal>,
    /// Total incl. tax, centimes.
    pub total_incl_tax: i64,
    /// Paid so far, centimes.
    pub amount_paid: i64,
    /// Taken off by credit notes, centimes (printed when not zero).
    pub credited_amount: i64,
    /// Still due, centimes.
    pub outstanding: i64,
    /// `MAD`.
    pub currency: String,
    /// The "Consommation" block: one French line per contract and kind whose plan has
    /// allowances ("Appels : 61 min utilisées / 60 min incluses"); empty otherwise.
    pub usage: Vec<String>,
    /// The rejected invoice this one replaces, printed "Remplace la facture …" and stated
    /// as the UBL's `BillingReference` (decision 0315).
    pub replaces: Option<ReplacedInvoice>,
}

/// The invoice a replacement invoice replaces: what its documents name of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplacedInvoice {
    /// Its legal number, `FAC-…`.
    pub number: String,
    /// Its issue date.
    pub issue_date: Date,
}

/// One line of a credit-note document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreditNoteDocumentLine {
    /// Position of the invoice line credited.
    pub position: i32,
    /// The invoice line's description.
    pub description: String,
    /// Credited excl. tax, centimes.
    pub amount_excl_tax: i64,
    /// Tax rate, basis points.
    pub tax_rate_bp: i32,
    /// Credited tax, centimes.
    pub tax_amount: i64,
    /// Credited incl. tax, centimes.
    pub amount_incl_tax: i64,
}

/// Everything a credit-note document ("Facture d'avoir") states: an invoice's legal
/// mentions, plus the invoice it corrects and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreditNoteDocument {
    /// The operator.
    pub seller: SellerIdentity,
    /// `AV-2026-000001`.
    pub credit_note_number: String,
    /// Issue date.
    pub issue_date: Date,
    /// Number of the invoice corrected.
    pub invoice_number: String,
    /// Its issue date.
    pub invoice_issue_date: Date,
    /// Its period, `YYYY-MM`.
    pub invoice_period: String,
    /// First day of that period.
    pub invoice_period_start: Date,
    /// Last day of that period.
    pub invoice_period_end: Date,
    /// Why the invoice is corrected.
    pub reason: String,
    /// Client's full name.
    pub client_name: String,
    /// A person's CIN; empty for a company.
    pub cin: String,
    /// A company's ICE, printed instead of a CIN; `None` for a person.
    pub buyer_ice: Option<String>,
    /// Client's postal address, if known.
    pub client_address: Option<String>,
    /// Contract billed.
    pub contract_number: String,
    /// Line billed.
    pub service_identifier: String,
    /// Credited lines.
    pub lines: Vec<CreditNoteDocumentLine>,
    /// Total excl. tax, centimes.
    pub total_excl_tax: i64,
    /// TVA by rate.
    pub tax_by_rate: Vec<TaxSubtotal>,
    /// Total incl. tax, centimes.
    pub total_incl_tax: i64,
    /// Part taken off the invoice's outstanding, centimes.
    pub applied_to_invoice: i64,
    /// Part credited to the client's account, centimes.
    pub credited_to_balance: i64,
    /// `MAD`.
    pub currency: String,
}

/// One line of a statement document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementDocumentLine {
    /// Day of the movement.
    pub date: Date,
    /// What happened, in French (`Facture`, `Avoir`, `Paiement`…).
    pub label: String,
    /// Number or reference of the document, or its id.
    pub reference: String,
    /// Effect on the balance, centimes: + owed more (débit), − owed less (crédit).
    pub effect: i64,
    /// Balance after the line, centimes.
    pub balance: i64,
}

/// Everything a statement (relevé de compte) states.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementDocument {
    /// The operator.
    pub seller: SellerIdentity,
    /// Client's full name.
    pub client_name: String,
    /// Client's CIN.
    pub cin: String,
    /// Client's postal address, if known.
    pub client_address: Option<String>,
    /// First day covered, if bounded.
    pub from: Option<Date>,
    /// Last day covered.
    pub to: Date,
    /// Balance before `from`, centimes.
    pub opening_balance: i64,
    /// Movements in date order.
    pub lines: Vec<StatementDocumentLine>,
    /// Balance at the end of `to`, centimes.
    pub closing_balance: i64,
    /// `MAD`.
    pub currency: String,
}

/// What a document cleared by the tax authority prints: its reference and a QR code of the
/// verification code (issue #18).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClearanceStamp {
    /// The authority's reference.
    pub reference: String,
    /// What the QR code carries.
    pub verification_code: String,
    /// When it was cleared.
    pub cleared_at: time::OffsetDateTime,
}

/// Produces PDF documents. A given input always renders the same facts; storage keeps the
/// bytes so a document, once produced, never changes.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
pub trait DocumentRenderer: Send + Sync {
    /// The contract PDF. `Error::Rendering` on failure.
    fn contract(&self, document: &ContractDocument) -> Result<Vec<u8>>;
    /// The invoice PDF. `Error::Rendering` on failure.
    fn invoice(&self, document: &InvoiceDocument) -> Result<Vec<u8>>;
    /// The statement PDF ("Relevé de compte"). `Error::Rendering` on failure.
    fn statement(&self, document: &StatementDocument) -> Result<Vec<u8>>;
    /// The credit-note PDF. `Error::Rendering` on failure.
    fn credit_note(&self, document: &CreditNoteDocument) -> Result<Vec<u8>>;
    /// The PDF of an invoice cleared by the tax authority: `invoice`'s, with the clearance
    /// reference and the QR code of its verification code. `Error::Rendering` on failure.
    fn cleared_invoice(
        &self,
        document: &InvoiceDocument,
        stamp: &ClearanceStamp,
    ) -> Result<Vec<u8>>;
    /// The PDF of a cleared credit note, stamped as `cleared_invoice`.
    fn cleared_credit_note(
        &self,
        document: &CreditNoteDocument,
        stamp: &ClearanceStamp,
    ) -> Result<Vec<u8>>;
}
