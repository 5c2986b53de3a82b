//! Sample documents shared by the rendering tests and the `bench_pdf` example.

#![allow(dead_code)]

use domain::documents::{
    ContractDocument, CreditNoteDocument, CreditNoteDocumentLine, InvoiceDocument,
    InvoiceDocumentLine, SellerIdentity, TaxSubtotal,
};
use time::macros::date;

/// A fictitious operator.
pub fn seller() -> SellerIdentity {
    SellerIdentity {
        name: "Maghreb Télécom S.A.".to_owned(),
        address: "Avenue Annakhil, Hay Riad – 10100 Rabat".to_owned(),
        ice: "001525874000063".to_owned(),
        if_number: "40123456".to_owned(),
        rc: "Rabat 98765".to_owned(),
        tva_number: "40123457".to_owned(),
        tp: "25123458".to_owned(),
    }
}

/// Version 2 of a contract, after an upgrade: 1 234,56 MAD HT a month, 20 % TVA.
pub fn contract() -> ContractDocument {
    ContractDocument {
        seller: seller(),
        contract_number: "CTR-2026-000042".to_owned(),
        version: 2,
        issued_on: date!(2026 - 02 - 15),
        client_name: "Hajar Benkirane – Fès".to_owned(),
        cin: "CD123456".to_owned(),
        buyer_ice: None,
        client_address: Some("12, rue Ibn Khaldoun, quartier Aïn Chkef – 30050 Fès".to_owned()),
        service_type: "mobile".to_owned(),
        service_identifier: "+212612345678".to_owned(),
        offer_code: "LIBERTE-50".to_owned(),
        offer_name: "Forfait « Liberté » 50 Go – été".to_owned(),
        monthly_price_excl_tax: 123_456,
        tax_rate_bp: 2000,
        monthly_price_incl_tax: 148_147,
        currency: "MAD".to_owned(),
        start_date: date!(2026 - 02 - 15),
        commitment_months: 12,
        commitment_end_date: date!(2027 - 02 - 15),
    }
}

/// February 2026, prorated across the plan change of the 15th, partly paid.
pub fn invoice() -> InvoiceDocument {
    InvoiceDocument {
        seller: seller(),
        invoice_number: "FAC-2026-000123".to_owned(),
        issue_date: date!(2026 - 03 - 01),
        due_date: date!(2026 - 03 - 16),
        period: "2026-02".to_owned(),
        period_start: date!(2026 - 02 - 01),
        period_end: date!(2026 - 02 - 28),
        client_name: "Hajar Benkirane – Fès".to_owned(),
        cin: "CD123456".to_owned(),
        buyer_ice: None,
        client_address: Some("12, rue Ibn Khaldoun, quartier Aïn Chkef – 30050 Fès".to_owned()),
        contract_number: "CTR-2026-000042".to_owned(),
        service_identifier: "+212612345678".to_owned(),
        lines: vec![
            InvoiceDocumentLine {
                description: "Forfait « Liberté » 20 Go – février (prorata)".to_owned(),
                start_date: date!(2026 - 02 - 01),
                end_date: date!(2026 - 02 - 14),
                days: 14,
                monthly_price: 99_000,
                amount_excl_tax: 49_500,
                tax_rate_bp: 2000,
                tax_amount: 9_900,
                amount_incl_tax: 59_400,
                usage: None,
            },
            InvoiceDocumentLine {
                description: "Forfait « Liberté » 50 Go – été, février (prorata)".to_owned(),
                start_date: date!(2026 - 02 - 15),
                end_date: date!(2026 - 02 - 28),
                days: 14,
                monthly_price: 123_456,
                amount_excl_tax: 61_728,
                tax_rate_bp: 2000,
                tax_amount: 12_346,
                amount_incl_tax: 74_074,
                usage: None,
            },
        ],
        total_excl_tax: 111_228,
        tax_by_rate: vec![TaxSubtotal {
            rate_bp: 2000,
            base: 111_228,
            tax: 22_246,
        }],
        total_incl_tax: 133_474,
        amount_paid: 50_000,
        credited_amount: 0,
        outstanding: 83_474,
        currency: "MAD".to_owned(),
        replaces: None,
        usage: Vec::new(),
    }
}

/// An invoice with `count` lines, enough to spill onto several pages.
pub fn long_invoice(count: usize) -> InvoiceDocument {
    let mut invoice = invoice();
    let line = invoice.lines[0].clone();
    invoice.lines = (0..count).map(|_| line.clone()).collect();
    invoice
}

/// A partial credit note of the sample invoice's second line, after a part payment.
pub fn credit_note() -> CreditNoteDocument {
    CreditNoteDocument {
        seller: seller(),
        credit_note_number: "AV-2026-000007".to_owned(),
        issue_date: date!(2026 - 03 - 10),
        invoice_number: "FAC-2026-000123".to_owned(),
        invoice_issue_date: date!(2026 - 03 - 01),
        invoice_period: "2026-02".to_owned(),
        invoice_period_start: date!(2026 - 02 - 01),
        invoice_period_end: date!(2026 - 02 - 28),
        reason: "Geste commercial – coupure réseau du 20/02".to_owned(),
        client_name: "Hajar Benkirane – Fès".to_owned(),
        cin: "CD123456".to_owned(),
        buyer_ice: None,
        client_address: Some("12, rue Ibn Khaldoun, quartier Aïn Chkef – 30050 Fès".to_owned()),
        contract_number: "CTR-2026-000042".to_owned(),
        service_identifier: "+212612345678".to_owned(),
        lines: vec![CreditNoteDocumentLine {
            position: 2,
            description: "Forfait « Liberté » 50 Go – été, février (prorata)".to_owned(),
            amount_excl_tax: 20_000,
            tax_rate_bp: 2000,
            tax_amount: 4_000,
            amount_incl_tax: 24_000,
        }],
        total_excl_tax: 20_000,
        tax_by_rate: vec![TaxSubtotal {
            rate_bp: 2000,
            base: 20_000,
            tax: 4_000,
        }],
        total_incl_tax: 24_000,
        applied_to_invoice: 24_000,
        credited_to_balance: 0,
        currency: "MAD".to_owned(),
    }
}
