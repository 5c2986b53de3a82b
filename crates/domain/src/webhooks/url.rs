//! The URL a webhook endpoint receives deliveries at, and the host rules that keep the
//! server from being used to reach its own network (SSRF).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Longest URL accepted.
pub const MAX_URL_CHARS: usize = 2000;

/// An `http` or `https` URL with a host, checked once at creation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointUrl {
    url: String,
    https: bool,
    host: String,
    port: u16,
}

impl EndpointUrl {
    /// Parses `raw`: only `http://` and `https://`, a host, an optional port, no user info
    /// (credentials in a URL would be stored and listed in clear). A literal IP address must
    /// pass [`address_allowed`]; names are checked again after resolution at delivery time.
    pub fn parse(raw: &str, allow_private: bool) -> Result<EndpointUrl, String> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err("is required".into());
        }
        if raw.chars().count() > MAX_URL_CHARS {
            return Err(format!("must be at most {MAX_URL_CHARS} characters"));
        }
        if raw.chars().any(|c| c.is_control() || c.is_whitespace()) {
            return Err("must not contain spaces or control characters".into());
        }
        let lower = raw.to_ascii_lowercase();
        let (https, rest) = if let Some(rest) = lower.strip_prefix("https://") {
            (true, &raw[raw.len() - rest.len()..])
        } else if let Some(rest) = lower.strip_prefix("http://") {
            (false, &raw[raw.len() - rest.len()..])
        } else {
            return Err("must be an http:// or https:// URL".into());
        };
        let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
        if authority.contains('@') {
            return Err("must not contain user information".into());
        }
        let (host, port) = split_host_port(authority, if https { 443 } else { 80 })?;
        if host.is_empty() {
            return Err("must name a host".into());
        }
        if let Ok(ip) = host.parse::<IpAddr>() {
            if !address_allowed(ip, allow_private) {
                return Err(
                    "must not point to a loopback, private, link-local or unspecified \
                            address"
                        .into(),
                );
            }
        } else if !host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
        {
            return Err("must name a valid host".into());
        } else if !allow_private && (host == "localhost" || host.ends_with(".localhost")) {
            return Err("must not point to a loopback address".into());
        }
        Ok(EndpointUrl {
            url: raw.to_owned(),
            https,
            host: host.to_ascii_lowercase(),
            port,
        })
    }

    /// A URL read back from storage (it was parsed when stored).
    pub fn from_stored(stored: impl Into<String>) -> EndpointUrl {
        let url: String = stored.into();
        EndpointUrl::parse(&url, true).unwrap_or(EndpointUrl {
            url,
            https: false,
            host: String::new(),
            port: 0,
        })
    }

    /// The URL as given.
    pub fn as_str(&self) -> &str {
        &self.url
    }

    /// Whether the scheme is `https`.
    pub fn is_https(&self) -> bool {
        self.https
    }

    /// The host name or address (IPv6 without brackets).
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The port, explicit or the scheme's default.
    pub fn port(&self) -> u16 {
        self.port
    }
}

fn split_host_port(authority: &str, default_port: u16) -> Result<(&str, u16), String> {
    if let Some(rest) = authority.strip_prefix('[') {
        let (host, after) = rest
            .split_once(']')
            .ok_or_else(|| "must name a valid host".to_owned())?;
        let port = match after.strip_prefix(':') {
            Some(port) => parse_port(port)?,
            None if after.is_empty() => default_port,
            None => return Err("must name a valid host".into()),
        };
        return Ok((host, port));
    }
    match authority.rsplit_once(':') {
        Some((host, port)) => Ok((host, parse_port(port)?)),
        None => Ok((authority, default_port)),
    }
}

fn parse_port(raw: &str) -> Result<u16, String> {
    raw.parse::<u16>()
        .ok()
        .filter(|p| *p > 0)
        .ok_or_else(|| "must have a port from 1 to 65535".to_owned())
}

/// Whether a delivery may go to `ip`: public addresses always; loopback, private (RFC 1918,
/// unique-local), link-local, shared (CGNAT), unspecified, multicast and broadcast only when
/// `allow_private` (`MTF_WEBHOOK_ALLOW_PRIVATE=1`).
pub fn address_allowed(ip: IpAddr, allow_private: bool) -> bool {
    allow_private || !internal(ip)
}

fn internal(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => internal_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => internal_v4(v4),
            None => internal_v6(v6),
        },
    }
}

fn internal_v4(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || a == 0
        || (a == 100 && (64..128).contains(&b))
        || (a == 198 && (b == 18 || b == 19))
        || a >= 240
}

fn internal_v6(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    ip.is_loopback()
        || ip.is_unspecified()
        || ip.is_multicast()
        || (first & 0xfe00) == 0xfc00
        || (first & 0xffc0) == 0xfe80
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_http_and_https_urls_with_a_host_are_accepted() {
        let url = EndpointUrl::parse("https://hooks.example.com/mtf", false).unwrap();
        assert_eq!(
            (url.host(), url.port(), url.is_https()),
            ("hooks.example.com", 443, true)
        );
        let url = EndpointUrl::parse("http://hooks.example.com:8081/x?y=1", false).unwrap();
        assert_eq!((url.host(), url.port()), ("hooks.example.com", 8081));
        for bad in [
            "",
            "ftp://example.com",
            "file:///etc/passwd",
            "gopher://example.com",
            "https://",
            "https://user:pw@example.com/",
            "https://exa mple.com/",
            "https://example.com:0/",
            "https://example.com:99999/",
        ] {
            assert!(EndpointUrl::parse(bad, false).is_err(), "{bad}");
        }
    }

    #[test]
    fn internal_addresses_are_refused_unless_allowed() {
        for internal in [
            "http://127.0.0.1/",
            "http://10.1.2.3/",
            "http://172.16.0.1/",
            "http://192.168.1.1/",
            "http://169.254.169.254/latest/meta-data",
            "http://0.0.0.0/",
            "http://[::1]/",
            "http://[fe80::1]/",
            "http://[fd00::1]/",
            "http://[::ffff:127.0.0.1]/",
            "http://100.64.0.1/",
            "http://localhost:8080/",
        ] {
            assert!(EndpointUrl::parse(internal, false).is_err(), "{internal}");
            assert!(EndpointUrl::parse(internal, true).is_ok(), "{internal}");
        }
        assert!(EndpointUrl::parse("http://93.184.216.34/", false).is_ok());
        assert!(EndpointUrl::parse("http://[2606:4700::1111]/", false).is_ok());
    }
}
