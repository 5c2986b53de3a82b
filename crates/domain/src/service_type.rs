//! The service families an operator sells: mobile, internet, landline.

/// A service family. Offers, lines and contracts each have one; plan changes stay inside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ServiceType {
    /// Mobile line (E.164 number, 6 or 7 after +212).
    Mobile,
    /// Fixed internet access (line identifier).
    Internet,
    /// Landline (E.164 number, 5 after +212).
    Landline,
}

impl ServiceType {
    /// Every service type, in catalog order.
    pub const ALL: [ServiceType; 3] = [
        ServiceType::Mobile,
        ServiceType::Internet,
        ServiceType::Landline,
    ];

    /// Wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            ServiceType::Mobile => "mobile",
            ServiceType::Internet => "internet",
            ServiceType::Landline => "landline",
        }
    }

    /// French label shown to clients.
    pub fn label(self) -> &'static str {
        match self {
            ServiceType::Mobile => "Mobile",
            ServiceType::Internet => "Internet",
            ServiceType::Landline => "Téléphonie fixe",
        }
    }

    /// Parses a wire name.
    pub fn parse(value: &str) -> Result<ServiceType, String> {
        ServiceType::ALL
            .into_iter()
            .find(|t| t.as_str() == value)
            .ok_or_else(|| {
                format!("unknown service type `{value}`; expected mobile, internet or landline")
            })
    }
}
