//! The contract document: "Contrat d'abonnement", one version of one subscription.

use domain::documents::ContractDocument;
use genpdf::elements::{Break, LinearLayout, TableLayout};
use genpdf::error::Error;
use genpdf::Document;

use crate::format::{date, money, rate, service_type};
use crate::layout::{bold_line, field, heading, line, party_block, seller_block, title};
use crate::metadata::Metadata;

/// Fills `document` with the contract's facts and returns the metadata to stamp it with.
pub(crate) fn build(
    document: &mut Document,
    contract: &ContractDocument,
) -> Result<Metadata, Error> {
    let currency = contract.currency.as_str();
    document.push(title("Contrat d'abonnement"));
    document.push(field(
        "N° de contrat",
        &format!(
            "{} – version {}",
            contract.contract_number, contract.version
        ),
    ));
    document.push(field("Date d'émission", &date(contract.issued_on)));

    let mut parties = TableLayout::new(vec![1, 1]);
    parties
        .row()
        .element(
            LinearLayout::vertical()
                .element(heading("Le prestataire"))
                .element(seller_block(&contract.seller)),
        )
        .element(party_block(
            "L'abonné",
            &contract.client_name,
            // A company subscriber is identified by its ICE, as on its invoices.
            match &contract.buyer_ice {
                Some(ice) => ("ICE", ice.as_str()),
                None => ("CIN", contract.cin.as_str()),
            },
            contract.client_address.as_deref(),
        ))
        .push()?;
    document.push(parties);

    document.push(heading("L'abonnement"));
    document.push(field(
        "Type de service",
        &service_type(&contract.service_type),
    ));
    document.push(field("Ligne", &contract.service_identifier));
    document.push(field(
        "Offre",
        &format!("{} – {}", contract.offer_code, contract.offer_name),
    ));
    document.push(field(
        "Prix mensuel HT",
        &money(contract.monthly_price_excl_tax, currency),
    ));
    let tax = contract.monthly_price_incl_tax - contract.monthly_price_excl_tax;
    document.push(field(
        &format!("TVA {}", rate(contract.tax_rate_bp)),
        &money(tax, currency),
    ));
    document.push(field(
        "Prix mensuel TTC",
        &money(contract.monthly_price_incl_tax, currency),
    ));
    document.push(field("Date d'effet", &date(contract.start_date)));
    if contract.commitment_months > 0 {
        document.push(field(
            "Durée d'engagement",
            &format!("{} mois", contract.commitment_months),
        ));
        document.push(field(
            "Fin d'engagement",
            &date(contract.commitment_end_date),
        ));
    } else {
        document.push(field("Durée d'engagement", "sans engagement"));
    }

    document.push(Break::new(1.5));
    if contract.version > 1 {
        document.push(line(&format!(
            "Cette version {} remplace la version {} à compter de sa date d'effet.",
            contract.version,
            contract.version - 1
        )));
    }
    document.push(line(&format!("Fait le {}.", date(contract.issued_on))));
    document.push(Break::new(2));
    let mut signatures = TableLayout::new(vec![1, 1]);
    signatures
        .row()
        .element(bold_line("Pour le prestataire"))
        .element(bold_line("L'abonné (lu et approuvé)"))
        .push()?;
    document.push(signatures);

    Ok(Metadata {
        title: format!(
            "Contrat {} version {}",
            contract.contract_number, contract.version
        ),
        date: contract.issued_on,
        fingerprint: format!("{contract:?}"),
    })
}
