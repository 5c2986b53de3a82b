//! Contract documents: produced at creation and at every offer change, stored immutably,
//! retrievable by version through `ContractService::document` (served by the landing).

use domain::error::{Error, Resource};
use domain::typed_ids::ContractId;
use serde_json::json;

use super::{pdf_text, Setup};
use crate::support::seed;

fn assert_states(text: &str, facts: &[&str]) {
    for fact in facts {
        assert!(text.contains(fact), "missing {fact:?} in:\n{text}");
    }
}

#[actix_web::test]
async fn the_first_document_states_the_contracts_key_facts() {
    let s = Setup::new().await;
    let id = s.contract_on("0612300000").await;
    let (version, pdf) = s
        .app
        .services
        .contracts
        .document(&ContractId::from_stored(id.as_str()), None)
        .unwrap();
    assert_eq!(version, 1);
    assert!(pdf.starts_with(b"%PDF-"));
    assert_states(
        &pdf_text(&pdf),
        &[
            "CTR-2026-000001 – version 1",
            "ICE : 001234567000089",
            "TP : 25123456",
            "Hajar Benkirane",
            "CIN : AB123456",
            "12 rue Talaa, Fès",
            "Type de service : Mobile",
            "Ligne : +212612300000",
            "MOB-99 – Offre MOB-99",
            "Prix mensuel HT : 99,00 MAD",
            "TVA 20 % : 19,80 MAD",
            "Prix mensuel TTC : 118,80 MAD",
            "Date d'effet : 15/03/2026",
            "Durée d'engagement : 12 mois",
            "Fin d'engagement : 15/03/2027",
            "Date d'émission : 10/03/2026",
        ],
    );
}

#[actix_web::test]
async fn an_offer_change_adds_a_version_and_keeps_the_earlier_one_unchanged() {
    let s = Setup::new().await;
    let id = s.contract_on("0612300000").await;
    let (_, first) = s
        .app
        .services
        .contracts
        .document(&ContractId::from_stored(id.as_str()), Some(1))
        .unwrap();
    let bigger = seed::offer(&s.app, "MOB-199", "mobile", 19_900);
    s.app.clock.advance(time::Duration::days(5));
    s.app
        .put(&format!("/contracts/{id}/offer"))
        .token(&s.agent)
        .json(&json!({"offer_id": bigger, "effective_date": "2026-04-01"}))
        .send()
        .await
        .assert_status(200);

    let (latest, second) = s
        .app
        .services
        .contracts
        .document(&ContractId::from_stored(id.as_str()), None)
        .unwrap();
    assert_eq!(latest, 2);
    assert_states(
        &pdf_text(&second),
        &[
            "CTR-2026-000001 – version 2",
            "CIN : AB123456",
            "Ligne : +212612300000",
            "MOB-199 – Offre MOB-199",
            "Prix mensuel HT : 199,00 MAD",
            "Prix mensuel TTC : 238,80 MAD",
            "Date d'effet : 01/04/2026",
            "Date d'émission : 15/03/2026",
            "Cette version 2 remplace la version 1",
        ],
    );
    let (_, first_again) = s
        .app
        .services
        .contracts
        .document(&ContractId::from_stored(id.as_str()), Some(1))
        .unwrap();
    assert_eq!(first_again, first, "a produced document never changes");
    assert_states(&pdf_text(&first_again), &["Prix mensuel HT : 99,00 MAD"]);
    assert_eq!(s.rows("contract_documents"), 2);
}

#[actix_web::test]
async fn missing_versions_and_contracts_are_not_found() {
    let s = Setup::new().await;
    let id = s.contract_on("0612300000").await;
    assert!(matches!(
        s.app
            .services
            .contracts
            .document(&ContractId::from_stored(id.as_str()), Some(2)),
        Err(Error::NotFound(Resource::ContractDocument))
    ));
    assert!(matches!(
        s.app
            .services
            .contracts
            .document(&ContractId::from_stored(id.as_str()), Some(0)),
        Err(Error::NotFound(Resource::ContractDocument))
    ));
    assert!(matches!(
        s.app.services.contracts.document(
            &ContractId::from_stored("ctr_01JD0000000000000000000000"),
            None
        ),
        Err(Error::NotFound(Resource::Contract))
    ));
    // A path-like id cannot even be formed: ids are parsed before they reach storage.
    assert!(ContractId::parse("../etc").is_err());
}

#[actix_web::test]
async fn a_failed_provision_leaves_no_document_behind() {
    let s = Setup::new().await;
    s.contract_on("0612300000").await;
    s.provision(&s.provision_body("0612300000"))
        .await
        .assert_problem(409, "service_identifier_in_use");
    assert_eq!(s.rows("contract_documents"), 1);
    assert_eq!(s.rows("contract_audit"), 2);
}

#[actix_web::test]
async fn a_version_first_downloaded_after_the_client_and_seller_changed_prints_them_as_signed() {
    let s = Setup::new().await;
    let id = s.contract_on("0612300000").await;
    s.app
        .patch(&format!("/customers/{}", s.client_id))
        .admin()
        .raw(
            "application/merge-patch+json",
            json!({"last_name": "Alami", "address": "7 avenue Hassan II", "city": "Tanger"})
                .to_string(),
        )
        .send()
        .await
        .assert_status(200);
    let mut settings = domain::settings::Settings::default();
    settings.seller.name = "MT Télécom Groupe SA".into();
    settings.seller.address = "Tour Casablanca Finance City, Casablanca".into();
    let restarted = s.app.restarted_with(settings);
    let link = s
        .app
        .post(&format!("/landing/contracts/{id}/document-link"))
        .json(&json!({"cin": "AB123456"}))
        .on(&restarted)
        .send()
        .await;
    link.assert_status(200);
    let url = link.json()["document_download_url"]
        .as_str()
        .unwrap()
        .to_owned();
    let pdf = s.app.get(&url).on(&restarted).send().await;
    pdf.assert_status(200);
    let text = pdf_text(&pdf.body);
    assert_states(
        &text,
        &[
            "Hajar Benkirane",
            "12 rue Talaa, Fès",
            "MT Télécom SA",
            "Avenue Annakhil, Hay Riad, Rabat, Maroc",
        ],
    );
    for changed in ["Alami", "Tanger", "Groupe", "Casablanca"] {
        assert!(
            !text.contains(changed),
            "unexpected {changed:?} in:\n{text}"
        );
    }
}
