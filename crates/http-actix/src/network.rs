//! Which network peers the server believes: the operator's gateways, which may assert an actor
//! with `X-Actor-Id`, and the reverse proxies, whose `Forwarded`/`X-Forwarded-For` name the
//! real client. Both are CIDR lists read at start; the TCP peer address is the only input,
//! never a header (see docs/security.md).

use std::net::IpAddr;
use std::time::Duration;

use actix_web::HttpRequest;
use ipnet::IpNet;

use crate::public_links::PublicBaseUrl;

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
    /// `MTF_FORWARDED_HEADER`: the one header those proxies write the client into.
    pub forwarded_header: ForwardedHeader,
    /// `MTF_PUBLIC_BASE_URL`: where clients reach the server; document links are absolute
    /// on it when set, paths otherwise (default unset).
    pub public_base_url: Option<PublicBaseUrl>,
}

/// The header a trusted proxy appends the client address to. Only that one is read: a proxy
/// that maintains one header passes the other through untouched, so reading both would let
/// a client choose its own address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ForwardedHeader {
    /// `X-Forwarded-For: client, proxy1, proxy2` (the default; what most proxies write).
    #[default]
    XForwardedFor,
    /// RFC 7239 `Forwarded: for=client, for=proxy1`.
    Forwarded,
}

impl ForwardedHeader {
    /// Parses the setting's value (`x-forwarded-for` or `forwarded`, any case).
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "x-forwarded-for" => Some(Self::XForwardedFor),
            "forwarded" => Some(Self::Forwarded),
            _ => None,
        }
    }
}

/// Default of [`HttpSettings::body_read_timeout`].
pub const DEFAULT_BODY_READ_TIMEOUT: Duration = Duration::from_secs(10);

impl Default for HttpSettings {
    fn default() -> Self {
        Self {
            trusted_gateways: loopback(),
            trusted_proxies: Vec::new(),
            forwarded_header: ForwardedHeader::default(),
            body_read_timeout: DEFAULT_BODY_READ_TIMEOUT,
            public_base_url: None,
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

/// The client address of a request (decision 0105): the TCP peer, unless the peer is a
/// trusted proxy; then the chain of the configured forwarded header is read from the right
/// (the hop nearest the server) and the first address that is not itself a trusted proxy is
/// the client. Entries further left were written by the client and are never believed. When
/// every listed hop is trusted, the left-most one is the client; an entry that is not an
/// address stops the walk at the last trusted hop.
pub fn client_ip(req: &HttpRequest, settings: &HttpSettings) -> Option<IpAddr> {
    let peer = peer_ip(req)?;
    if !settings.is_trusted_proxy(Some(peer)) {
        return Some(peer);
    }
    let name = match settings.forwarded_header {
        ForwardedHeader::XForwardedFor => "x-forwarded-for",
        ForwardedHeader::Forwarded => "forwarded",
    };
    let values: Vec<&str> = req
        .headers()
        .get_all(name)
        .filter_map(|value| value.to_str().ok())
        .collect();
    let chain: Vec<&str> = match settings.forwarded_header {
        ForwardedHeader::XForwardedFor => values.iter().flat_map(|v| v.split(',')).collect(),
        ForwardedHeader::Forwarded => values
            .iter()
            .flat_map(|v| v.split(','))
            .filter_map(forwarded_for)
            .collect(),
    };
    Some(resolve(peer, &chain, settings))
}

/// The client of a chain received from the trusted proxy `peer` (see [`client_ip`]).
fn resolve(peer: IpAddr, chain: &[&str], settings: &HttpSettings) -> IpAddr {
    let mut client = peer;
    for entry in chain.iter().rev() {
        let Some(ip) = node_ip(entry) else {
            return client;
        };
        client = ip;
        if !settings.is_trusted_proxy(Some(ip)) {
            return ip;
        }
    }
    client
}

/// The `for=` value of one `Forwarded` element (`for=1.2.3.4;proto=https`), if any.
fn forwarded_for(element: &str) -> Option<&str> {
    element.split(';').find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        key.trim().eq_ignore_ascii_case("for").then_some(value)
    })
}

/// The address of a node: `1.2.3.4`, `1.2.3.4:80`, `2001:db8::1`, `[2001:db8::1]:80`, each
/// possibly quoted. Obfuscated names (`unknown`, `_hidden`) are not addresses.
fn node_ip(node: &str) -> Option<IpAddr> {
    let node = node.trim().trim_matches('"');
    let ip = if let Some(rest) = node.strip_prefix('[') {
        rest.split(']').next()?.parse().ok()?
    } else {
        node.parse::<IpAddr>()
            .or_else(|_| node.parse::<std::net::SocketAddr>().map(|a| a.ip()))
            .ok()?
    };
    Some(canonical(ip))
}

/// The key under which a client address is counted: the address itself for IPv4, its /64
/// network for IPv6, since one subscriber line or host is given a whole /64 and could
/// otherwise take a fresh address for every call.
pub fn address_key(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match ipnet::Ipv6Net::new(v6, 64) {
            Ok(net) => net.trunc().to_string(),
            Err(_) => v6.to_string(),
        },
    }
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

    fn proxied(chain: &[&str], header: ForwardedHeader) -> String {
        let settings = HttpSettings {
            trusted_proxies: parse_cidrs("10.0.0.0/8").unwrap_or_default(),
            forwarded_header: header,
            ..HttpSettings::default()
        };
        let peer = IpAddr::from([10, 0, 0, 1]);
        resolve(peer, chain, &settings).to_string()
    }

    #[test]
    fn the_right_most_untrusted_hop_is_the_client() {
        let xff = ForwardedHeader::XForwardedFor;
        // The client wrote the left-most entries; the proxies appended the rest.
        assert_eq!(proxied(&["1.1.1.1", "203.0.113.5"], xff), "203.0.113.5");
        assert_eq!(
            proxied(&["1.1.1.1", "203.0.113.5", "10.0.0.9"], xff),
            "203.0.113.5"
        );
        // Every hop trusted: the farthest one; nothing listed: the proxy itself.
        assert_eq!(proxied(&["10.0.0.7", "10.0.0.9"], xff), "10.0.0.7");
        assert_eq!(proxied(&[], xff), "10.0.0.1");
        // Garbage stops the walk at the last trusted hop.
        assert_eq!(
            proxied(&["203.0.113.5", "junk", "10.0.0.9"], xff),
            "10.0.0.9"
        );
        assert_eq!(proxied(&[" [2001:db8::1]:443 "], xff), "2001:db8::1");
        assert_eq!(proxied(&["203.0.113.5:1234"], xff), "203.0.113.5");
    }

    #[test]
    fn forwarded_elements_give_their_for_node() {
        assert_eq!(forwarded_for("for=1.2.3.4;proto=https"), Some("1.2.3.4"));
        assert_eq!(
            forwarded_for(" proto=http; For=\"[::1]:80\""),
            Some("\"[::1]:80\"")
        );
        assert_eq!(forwarded_for("by=10.0.0.1"), None);
        assert_eq!(
            node_ip("\"[2001:db8::7]:4711\"")
                .map(|ip| ip.to_string())
                .as_deref(),
            Some("2001:db8::7")
        );
        assert_eq!(node_ip("_hidden"), None);
        assert_eq!(node_ip("unknown"), None);
    }

    #[test]
    fn ipv6_clients_count_per_64_network() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1"
            .parse()
            .unwrap_or(IpAddr::from([0; 4]));
        let b: IpAddr = "2001:db8:1:2:bbbb::9"
            .parse()
            .unwrap_or(IpAddr::from([0; 4]));
        assert_eq!(address_key(a), "2001:db8:1:2::/64");
        assert_eq!(address_key(a), address_key(b));
        assert_eq!(address_key(IpAddr::from([203, 0, 113, 5])), "203.0.113.5");
    }

    #[test]
    fn only_the_two_header_names_are_settings() {
        assert_eq!(
            ForwardedHeader::parse(" Forwarded"),
            Some(ForwardedHeader::Forwarded)
        );
        assert_eq!(
            ForwardedHeader::parse("X-Forwarded-For"),
            Some(ForwardedHeader::XForwardedFor)
        );
        assert_eq!(ForwardedHeader::parse("x-real-ip"), None);
    }

    #[test]
    fn mapped_ipv4_peers_count_as_ipv4() {
        let mapped: IpAddr = "::ffff:127.0.0.1".parse().unwrap_or(IpAddr::from([0; 4]));
        assert_eq!(canonical(mapped), IpAddr::from([127, 0, 0, 1]));
    }
}
