//! The three kinds of usage a network reports, and the unit each is charged in.

/// Seconds in a charged minute.
pub const SECONDS_PER_MINUTE: i64 = 60;
/// Bytes in a charged MB (1 MB = 1,048,576 bytes, the network counters' and the tariff
/// sheets' megabyte; decision 0360).
pub const BYTES_PER_MB: i64 = 1_048_576;

/// A kind of usage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum UsageKind {
    /// Calls, measured in seconds, charged per started minute.
    Voice,
    /// Text messages, counted and charged each.
    Sms,
    /// Data, measured in bytes, charged per started MB.
    Data,
}

impl UsageKind {
    /// Every kind, in the order invoices and views list them.
    pub const ALL: [UsageKind; 3] = [UsageKind::Voice, UsageKind::Sms, UsageKind::Data];

    /// Wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            UsageKind::Voice => "voice",
            UsageKind::Sms => "sms",
            UsageKind::Data => "data",
        }
    }

    /// Parses a wire name.
    pub fn parse(value: &str) -> Result<UsageKind, String> {
        match value {
            "voice" => Ok(UsageKind::Voice),
            "sms" => Ok(UsageKind::Sms),
            "data" => Ok(UsageKind::Data),
            other => Err(format!(
                "unknown kind `{other}`; expected voice, sms or data"
            )),
        }
    }

    /// Index in [`UsageKind::ALL`].
    pub fn index(self) -> usize {
        match self {
            UsageKind::Voice => 0,
            UsageKind::Sms => 1,
            UsageKind::Data => 2,
        }
    }

    /// The units charged for `over` of the recorded quantity beyond the allowance: started
    /// minutes for voice, messages for SMS, started MB for data. This is the one rounding
    /// rule; the invoice, its PDF and the self-service all show its result.
    pub fn charged_units(self, over: i64) -> i64 {
        let over = over.max(0);
        match self {
            UsageKind::Voice => ceil_div(over, SECONDS_PER_MINUTE),
            UsageKind::Sms => over,
            UsageKind::Data => ceil_div(over, BYTES_PER_MB),
        }
    }

    /// The unit its quantities are recorded and shown in on the wire: `second`, `message` or
    /// `byte` (one name for the usage views and the invoice).
    pub fn recorded_unit(self) -> &'static str {
        match self {
            UsageKind::Voice => "second",
            UsageKind::Sms => "message",
            UsageKind::Data => "byte",
        }
    }

    /// French name of the charged unit, singular or plural (`min`, `SMS`, `Mo`).
    pub fn unit_label(self) -> &'static str {
        match self {
            UsageKind::Voice => "min",
            UsageKind::Sms => "SMS",
            UsageKind::Data => "Mo",
        }
    }

    /// French label of the out-of-bundle line ("Appels hors forfait").
    pub fn overage_label(self) -> &'static str {
        match self {
            UsageKind::Voice => "Appels hors forfait",
            UsageKind::Sms => "SMS hors forfait",
            UsageKind::Data => "Internet hors forfait",
        }
    }
}

fn ceil_div(value: i64, unit: i64) -> i64 {
    value / unit + i64::from(value % unit != 0)
}
