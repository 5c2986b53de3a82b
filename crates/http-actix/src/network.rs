//! Which network peers the server believes: the operator's gateways, which may assert an actor
//! with `X-Actor-Id`, and the reverse proxies, whose `Forwarded`/`X-Forwarded-For` name the
//! real client. Both are CIDR lists read at start; the TCP peer address is the only input,
//! never a header (see docs/security.md).

use std::net::IpAddr;
use std::time::Duration;

use actix_web::HttpRequest;
use ipnet::IpNet;

/// Network trust settings of the HTTP layer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpSettings {
    /// `MTF_TRUSTED_GATEWAYS`: peers whose `X-Actor-Id` is honoured (default loopback only).
    pub trusted_gateways: Vec<IpNet>,
    /// `MTF_TRUSTED_PROXIES`: peers whose forwarded-address headers are honoured (default none).
    pub trusted_proxies: Vec<IpNet>,
    /// `MTF_BODY_READ_TIMEOUT_SECS`: longest wait for a whole JSON body (default 10 s); a
    /// client that trickles its body holds a connection no longer than this.
    pub body_read_timeout: Duration,
}

/// Default of [`HttpSettings::body_read_timeout`].
pub const DEFAULT_BODY_READ_TIMEOUT: Duration = Duration::from_secs(10);

impl Default for HttpSettings {
    fn default() -> Self {
        Self {
            trusted_gateways: loopback(),
            trusted_proxies: Vec::new(),
            body_read_timeout: DEFAULT_BODY_READ_TIMEOUT,
        }
    }
}

impl HttpSettings {
    /// Whether `peer` may assert an actor with `X-Actor-Id`.
    pub fn is_trusted_gateway(&self, peer: Option<IpAddr>) -> bool {
        peer.is_some_and(|ip| contains(&self.trusted_gateways, ip))
    }

    /// Whether `peer` is a reverse proxy whose forwarded headers are believed.
    pub fn is_trusted_proxy(&self, peer: Option<IpAddr>) -> bool {
        peer.is_some_and(|ip| contains(&self.trusted_proxies, ip))
    }
}

/// The TCP peer address of a request (never a header).
pub fn peer_ip(req: &HttpRequest) -> Option<IpAddr> {
    req.peer_addr().map(|addr| canonical(addr.ip()))
}

/// `127.0.0.0/8` and `::1/128`.
pub fn loopback() -> Vec<IpNet> {
    ["127.0.0.0/8", "::1/128"]
        .iter()
        .filter_map(|cidr| cidr.parse().ok())
        .collect()
}

/// Parses a comma- or space-separated list of CIDRs or bare addresses (a bare address is a
/// single host). An empty text is an empty list: nothing is trusted.
pub fn parse_cidrs(text: &str) -> Result<Vec<IpNet>, String> {
    text.split(|c: char| c == ',' || c.is_whitespace())
        .filter(|part| !part.is_empty())
        .map(|part| {
            part.parse::<IpNet>()
                .or_else(|_| part.parse::<IpAddr>().map(IpNet::from))
                .map(|net| net.trunc())
                .map_err(|_| format!("`{part}` is not a CIDR (e.g. 10.0.0.0/8) or an address"))
        })
        .collect()
}

fn contains(nets: &[IpNet], ip: IpAddr) -> bool {
    nets.iter().any(|net| net.contains(&ip))
}

/// An IPv4 peer seen through an IPv6 socket (`::ffff:a.b.c.d`) is that IPv4 address.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        IpAddr::V4(_) => ip,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> Option<IpAddr> {
        text.parse().ok()
    }

    #[test]
    fn loopback_gateways_by_default_and_no_proxy() {
        let settings = HttpSettings::default();
        assert!(settings.is_trusted_gateway(ip("127.0.0.1")));
        assert!(settings.is_trusted_gateway(ip("::1")));
        assert!(!settings.is_trusted_gateway(ip("10.0.0.1")));
        assert!(!settings.is_trusted_gateway(None));
        assert!(!settings.is_trusted_proxy(ip("127.0.0.1")));
    }

    #[test]
    fn lists_accept_cidrs_and_bare_addresses() {
        let nets = parse_cidrs("10.0.0.0/8, 192.168.1.7 ::1").unwrap_or_default();
        assert_eq!(nets.len(), 3);
        assert!(contains(
            &nets,
            "10.2.3.4".parse().unwrap_or(IpAddr::from([0; 4]))
        ));
        assert!(parse_cidrs("").is_ok_and(|n| n.is_empty()));
        assert!(parse_cidrs("10.0.0.0/33").is_err());
        assert!(parse_cidrs("gateway.local").is_err());
    }

    #[test]
    fn mapped_ipv4_peers_count_as_ipv4() {
        let mapped: IpAddr = "::ffff:127.0.0.1".parse().unwrap_or(IpAddr::from([0; 4]));
        assert_eq!(canonical(mapped), IpAddr::from([127, 0, 0, 1]));
    }
}
