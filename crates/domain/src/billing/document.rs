//! The facts an invoice PDF states, gathered from the invoice and what it refers to. Buyer,
//! line and seller are those fixed at issue (decision 0200), never the live client, line or
//! settings. The document is what the renderer prints: amounts leave `Money` here, as
//! centimes.

use super::{Invoice, InvoiceLine, InvoiceParties};
use crate::clients::Invoicing;
use crate::documents::{InvoiceDocument, InvoiceDocumentLine, TaxSubtotal};
use crate::usage::UsageKind;

/// A line as printed: on a per-account invoice it names the service line it bills, since
/// the invoice bills several.
fn line_description(invoice: &Invoice, line: &InvoiceLine) -> String {
    match (invoice.invoicing, &line.service_identifier) {
        (Invoicing::PerAccount, Some(identifier)) => {
            format!("{identifier} · {}", line.description)
        }
        _ => line.description.clone(),
    }
}

/// How many contracts the invoice's lines bill.
fn contract_count(invoice: &Invoice) -> usize {
    let mut contracts: Vec<&str> = invoice
        .lines
        .iter()
        .map(|l| l.contract_id.as_str())
        .collect();
    contracts.sort_unstable();
    contracts.dedup();
    contracts.len()
}

/// The "Consommation" lines of `invoice`: used / included per contract and kind, in the
/// units people read (minutes, SMS, Mo or Go); the contract's line is named on a per-account
/// invoice, where several contracts share the block.
pub fn usage_block(invoice: &Invoice) -> Vec<String> {
    invoice
        .usage
        .iter()
        .map(|u| {
            let included = match u.included {
                Some(included) => format!("{} incluses", usage_quantity(u.kind, included)),
                None => "illimité".to_owned(),
            };
            let text = format!(
                "{} : {} utilisées / {}",
                usage_label(u.kind),
                usage_quantity(u.kind, u.used),
                included
            );
            match invoice.invoicing {
                Invoicing::PerContract => text,
                Invoicing::PerAccount => {
                    let line = invoice
                        .lines
                        .iter()
                        .find(|l| l.contract_id == u.contract_id)
                        .and_then(|l| l.service_identifier.clone())
                        .unwrap_or_else(|| u.contract_id.to_string());
                    format!("{line} – {text}")
                }
            }
        })
        .collect()
}

fn usage_label(kind: UsageKind) -> &'static str {
    match kind {
        UsageKind::Voice => "Appels",
        UsageKind::Sms => "SMS",
        UsageKind::Data => "Internet",
    }
}

/// Seconds as started minutes, messages as SMS, bytes as Mo (under 1 Go) or Go with two
/// decimals (French comma), 1 Mo = 1,048,576 bytes as the rating counts.
fn usage_quantity(kind: UsageKind, quantity: i64) -> String {
    match kind {
        UsageKind::Voice => format!("{} min", UsageKind::Voice.charged_units(quantity)),
        UsageKind::Sms => format!("{quantity} SMS"),
        UsageKind::Data => {
            let mb = UsageKind::Data.charged_units(quantity);
            if mb < 1024 {
                format!("{mb} Mo")
            } else {
                let hundredths = i128::from(quantity) * 100 / (1024 * 1024 * 1024);
                format!("{},{:02} Go", hundredths / 100, hundredths % 100)
            }
        }
    }
}

/// The document of `invoice` as it stands (amount paid and outstanding included).
pub fn invoice_document(invoice: &Invoice, parties: InvoiceParties) -> InvoiceDocument {
    InvoiceDocument {
        seller: parties.seller,
        invoice_number: invoice.invoice_number.clone(),
        issue_date: invoice.issue_date,
        due_date: invoice.due_date,
        period: invoice.period.to_string(),
        period_start: invoice.period.first_day(),
        period_end: invoice.period.last_day(),
        client_name: invoice.buyer.name.clone(),
        cin: invoice.buyer.cin.clone().unwrap_or_default(),
        // A company buyer is printed with its ICE (Moroccan B2B invoices), from the snapshot.
        buyer_ice: invoice.buyer.ice.clone(),
        client_address: invoice.buyer.postal_address(),
        contract_number: match invoice.invoicing {
            Invoicing::PerContract => parties.contract_number,
            // Several contracts: the lines name each one's line.
            Invoicing::PerAccount => format!("{} contrats (compte)", contract_count(invoice)),
        },
        service_identifier: match invoice.invoicing {
            Invoicing::PerContract => invoice.service_identifier.clone(),
            Invoicing::PerAccount => "voir le détail".to_owned(),
        },
        lines: invoice
            .lines
            .iter()
            .map(|l| InvoiceDocumentLine {
                description: line_description(invoice, l),
                start_date: l.start_date,
                end_date: l.end_date,
                days: l.days,
                monthly_price: l.monthly_price.centimes(),
                amount_excl_tax: l.amount_excl_tax.centimes(),
                tax_rate_bp: l.tax_rate_bp,
                tax_amount: l.tax_amount.centimes(),
                amount_incl_tax: l.amount_incl_tax.centimes(),
                usage: l.usage,
            })
            .collect(),
        total_excl_tax: invoice.total_excl_tax.centimes(),
        tax_by_rate: tax_by_rate(invoice),
        usage: usage_block(invoice),
        total_incl_tax: invoice.total_incl_tax.centimes(),
        amount_paid: invoice.amount_paid.centimes(),
        credited_amount: invoice.credited_amount.centimes(),
        outstanding: invoice.outstanding().centimes(),
        currency: invoice.currency.clone(),
        replaces: parties.replaces,
    }
}

/// TVA grouped by rate, lowest rate first: the base and tax of the lines at each rate.
pub fn tax_by_rate(invoice: &Invoice) -> Vec<TaxSubtotal> {
    let mut subtotals: Vec<TaxSubtotal> = Vec::new();
    for line in &invoice.lines {
        match subtotals.iter_mut().find(|s| s.rate_bp == line.tax_rate_bp) {
            Some(subtotal) => {
                subtotal.base = subtotal
                    .base
                    .saturating_add(line.amount_excl_tax.centimes());
                subtotal.tax = subtotal.tax.saturating_add(line.tax_amount.centimes());
            }
            None => subtotals.push(TaxSubtotal {
                rate_bp: line.tax_rate_bp,
                base: line.amount_excl_tax.centimes(),
                tax: line.tax_amount.centimes(),
            }),
        }
    }
    subtotals.sort_by_key(|s| s.rate_bp);
    subtotals
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::billing::{InvoiceLine, Period};
    use crate::money::Money;
    use crate::typed_ids::{BillingRunId, ClientId, ContractId, InvoiceId, OfferId};
    use time::macros::date;

    fn line(rate: i32, excl: i64, tax: i64) -> InvoiceLine {
        InvoiceLine {
            position: 1,
            contract_id: crate::typed_ids::ContractId::from_stored("ctr_1"),
            service_identifier: None,
            description: "x".into(),
            offer_id: OfferId::from_stored("ofr_1"),
            start_date: date!(2026 - 02 - 01),
            end_date: date!(2026 - 02 - 28),
            days: 28,
            monthly_price: Money::from_stored(excl),
            amount_excl_tax: Money::from_stored(excl),
            tax_rate_bp: rate,
            tax_amount: Money::from_stored(tax),
            amount_incl_tax: Money::from_stored(excl + tax),
            usage: None,
        }
    }

    fn invoice() -> Invoice {
        Invoice {
            id: InvoiceId::from_stored("inv_1"),
            invoice_number: "FAC-2026-000001".into(),
            billing_run_id: BillingRunId::from_stored("run_1"),
            client_id: ClientId::from_stored("cli_1"),
            contract_id: ContractId::from_stored("ctr_1"),
            invoicing: crate::clients::Invoicing::PerContract,
            offer_id: OfferId::from_stored("ofr_1"),
            service_type: crate::service_type::ServiceType::Mobile,
            buyer: crate::parties::BuyerIdentity {
                name: "Amina Alaoui".into(),
                cin: Some("AB123456".into()),
                ice: None,
                address: None,
                city: None,
            },
            service_identifier: "+212612345678".into(),
            seller_id: crate::parties::SellerIdentityId::from_stored(1),
            period: Period::parse("2026-02").expect("period"),
            issue_date: date!(2026 - 03 - 01),
            due_date: date!(2026 - 03 - 16),
            status: crate::billing::InvoiceStatus::Issued,
            lines: vec![
                line(2000, 4_950, 990),
                line(1000, 1_000, 100),
                line(2000, 9_950, 1_990),
            ],
            total_excl_tax: Money::from_stored(15_900),
            total_tax: Money::from_stored(3_080),
            total_incl_tax: Money::from_stored(18_980),
            amount_paid: Money::ZERO,
            credited_amount: Money::ZERO,
            credit_note_ids: Vec::new(),
            replaces_invoice_id: None,
            usage: Vec::new(),
            currency: "MAD".into(),
            created_at: time::OffsetDateTime::UNIX_EPOCH,
            updated_at: time::OffsetDateTime::UNIX_EPOCH,
        }
    }

    fn parties() -> InvoiceParties {
        InvoiceParties {
            seller: crate::settings::Settings::default().seller,
            contract_number: "CTR-2026-000001".into(),
            replaces: None,
        }
    }

    /// A company buyer as fixed at issue.
    fn company_buyer() -> crate::parties::BuyerIdentity {
        crate::parties::BuyerIdentity {
            name: "Atlas Logistique SARL".into(),
            cin: None,
            ice: Some("001525374000089".into()),
            address: Some("5 bd Zerktouni".into()),
            city: Some("Casablanca".into()),
        }
    }

    #[test]
    fn an_account_invoice_names_each_lines_contract_line_and_its_buyers_ice() {
        let mut account = invoice();
        account.invoicing = crate::clients::Invoicing::PerAccount;
        for (line, (contract, identifier)) in account.lines.iter_mut().zip([
            ("ctr_1", "+212600000001"),
            ("ctr_1", "+212600000001"),
            ("ctr_2", "ADSL-0042"),
        ]) {
            line.contract_id = ContractId::from_stored(contract);
            line.service_identifier = Some(identifier.into());
        }
        account.buyer = company_buyer();
        let document = invoice_document(&account, parties());
        assert_eq!(document.client_name, "Atlas Logistique SARL");
        assert_eq!(document.buyer_ice.as_deref(), Some("001525374000089"));
        assert_eq!(document.cin, "");
        assert_eq!(document.contract_number, "2 contrats (compte)");
        assert_eq!(document.lines[0].description, "+212600000001 · x");
        assert_eq!(document.lines[2].description, "ADSL-0042 · x");
        let single = invoice_document(&invoice(), parties());
        assert_eq!(single.contract_number, "CTR-2026-000001");
        assert_eq!(single.lines[0].description, "x");
        assert_eq!(single.buyer_ice, None);
    }

    #[test]
    fn tva_is_grouped_by_rate_lowest_first() {
        let invoice = invoice();
        let subtotals: Vec<_> = tax_by_rate(&invoice)
            .into_iter()
            .map(|s| (s.rate_bp, s.base, s.tax))
            .collect();
        assert_eq!(subtotals, vec![(1000, 1_000, 100), (2000, 14_900, 2_980)]);
    }
}
