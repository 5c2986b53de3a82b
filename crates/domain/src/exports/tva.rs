//! TVA collected by rate, under the regime of debits (documents issued) or of encaissements
//! (money collected), and the rule that splits a collected amount into its TVA share.

use crate::billing::Period;
use crate::money::{clamp_to_i64, div_half_up, Money};

/// When TVA becomes due (CGI art. 95): on collection by default, or on issue by option.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TvaRegime {
    /// On invoices and credit notes issued in the month.
    Debits,
    /// On the TVA share of the amounts collected in the month.
    Encaissements,
}

impl TvaRegime {
    /// Wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            TvaRegime::Debits => "debits",
            TvaRegime::Encaissements => "encaissements",
        }
    }

    /// Parses a wire name.
    pub fn parse(raw: &str) -> Result<TvaRegime, String> {
        match raw.trim() {
            "debits" => Ok(TvaRegime::Debits),
            "encaissements" => Ok(TvaRegime::Encaissements),
            _ => Err("must be debits or encaissements".into()),
        }
    }
}

/// Base and TVA of one rate over a month. Signed centimes: a month's credit notes (debits)
/// or reversals (encaissements) can outweigh what it added.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TaxByRate {
    /// TVA rate, basis points.
    pub rate_bp: i32,
    /// Base excl. tax.
    pub excl_tax: i64,
    /// TVA.
    pub tax: i64,
}

/// The TVA report of one month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TvaReport {
    /// The month.
    pub period: Period,
    /// The regime it was computed under.
    pub regime: TvaRegime,
    /// Per rate, highest rate first.
    pub rates: Vec<TaxByRate>,
    /// Sum of the bases.
    pub total_excl_tax: i64,
    /// Sum of the TVA.
    pub total_tax: i64,
}

impl TvaReport {
    /// The report of these per-rate figures, with their totals.
    pub fn new(period: Period, regime: TvaRegime, mut rates: Vec<TaxByRate>) -> TvaReport {
        rates.sort_by_key(|r| std::cmp::Reverse(r.rate_bp));
        let total_excl_tax = clamp_to_i64(rates.iter().map(|r| i128::from(r.excl_tax)).sum());
        let total_tax = clamp_to_i64(rates.iter().map(|r| i128::from(r.tax)).sum());
        TvaReport {
            period,
            regime,
            rates,
            total_excl_tax,
            total_tax,
        }
    }
}

/// The part of `amount` (one rate's TVA or base on an invoice of `total_incl_tax`) that
/// `collected` of the invoice's total pays for: `amount × collected / total`, half up.
///
/// Computed on the invoice's cumulated collections, never on one payment alone: a month's
/// share is `collected_share(through end of month) − collected_share(before the month)`.
/// The shares of successive months then telescope to `collected_share(total) = amount`, so
/// an invoice paid in full has exactly its TVA collected, whatever the number of payments.
pub fn collected_share(amount: Money, collected: Money, total_incl_tax: Money) -> i64 {
    if total_incl_tax.is_zero() {
        return 0;
    }
    let collected = collected.min(total_incl_tax);
    div_half_up(
        i128::from(amount.centimes()) * i128::from(collected.centimes()),
        i128::from(total_incl_tax.centimes()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(centimes: i64) -> Money {
        Money::from_stored(centimes)
    }

    #[test]
    fn three_payments_of_an_invoice_collect_exactly_its_tva() {
        // 100.00 MAD incl. 16.67 TVA (a 20 % line of 83.33), paid in thirds.
        let (tax, total) = (m(1667), m(10_000));
        let steps = [0, 3333, 6666, 10_000];
        let shares: Vec<i64> = steps
            .windows(2)
            .map(|w| collected_share(tax, m(w[1]), total) - collected_share(tax, m(w[0]), total))
            .collect();
        assert_eq!(shares, [556, 555, 556]);
        assert_eq!(shares.iter().sum::<i64>(), 1667);
    }

    #[test]
    fn a_partial_payment_collects_its_share_and_nothing_beyond_the_total() {
        assert_eq!(collected_share(m(2000), m(6000), m(12_000)), 1000);
        assert_eq!(collected_share(m(2000), m(99_999), m(12_000)), 2000);
        assert_eq!(collected_share(m(2000), m(6000), m(0)), 0);
    }

    #[test]
    fn regimes_parse_by_their_wire_names() {
        assert_eq!(TvaRegime::parse("debits"), Ok(TvaRegime::Debits));
        assert_eq!(
            TvaRegime::parse("encaissements"),
            Ok(TvaRegime::Encaissements)
        );
        assert!(TvaRegime::parse("cash").is_err());
    }
}
