//! Which network address a request came from. Behind a reverse proxy every connection is the
//! proxy's, so the per-address limits (sign-in, password-reset asks), the sessions page and the
//! audit would all see one address for everyone. A proxy named in `CUSTODIA_TRUSTED_PROXIES` is
//! believed about whom it forwarded for (`X-Forwarded-For`); nobody else is.
//!
//! The header is read from the right: each trusted proxy appends the address it was connected
//! from, so the first address from the right that is not a trusted proxy is the client. Entries
//! further left were written by the client itself and could say anything.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use http::HeaderMap;
use ipnet::IpNet;

use app::api::ssr::ClientAddr;

/// The proxies whose `X-Forwarded-For` is believed: single addresses or networks.
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    /// A comma-separated list such as `10.0.0.5, 10.1.0.0/16, fd00::/8`. None when an entry is
    /// neither an address nor a network.
    pub fn parse(list: &str) -> Option<Self> {
        let mut nets = Vec::new();
        for entry in list.split(',').map(str::trim).filter(|e| !e.is_empty()) {
            let net = match entry.parse::<IpAddr>() {
                Ok(ip) => IpNet::from(canonical(ip)),
                Err(_) => entry.parse::<IpNet>().ok()?.trunc(),
            };
            nets.push(net);
        }
        Some(TrustedProxies(nets))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|net| net.contains(&ip))
    }

    /// The client's address for a connection from `peer` carrying `headers`.
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        let mut current = canonical(peer);
        if !self.trusts(current) {
            return current;
        }
        // Several header lines are one list, in order.
        let hops: Vec<&str> = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .collect();
        for hop in hops.iter().rev() {
            // A hop a trusted proxy wrote but that is no address: believe nothing beyond it.
            let Some(ip) = hop_address(hop) else { return current };
            current = ip;
            if !self.trusts(current) {
                return current;
            }
        }
        current
    }
}

/// An address as proxies write it: bare, or with a port (`203.0.113.9:4711`, `[2001:db8::1]:80`).
fn hop_address(hop: &str) -> Option<IpAddr> {
    hop.parse::<IpAddr>()
        .ok()
        .or_else(|| hop.parse::<SocketAddr>().ok().map(|s| s.ip()))
        .map(canonical)
}

/// `::ffff:192.0.2.1` (an IPv4 client on a dual-stack listener) is `192.0.2.1`.
fn canonical(ip: IpAddr) -> IpAddr {
    ip.to_canonical()
}

/// Puts the request's [`ClientAddr`] beside it for the handlers and server functions.
pub async fn resolve(State(trusted): State<Arc<TrustedProxies>>, mut req: Request, next: Next) -> Response {
    if let Some(ConnectInfo(peer)) = req.extensions().get::<ConnectInfo<SocketAddr>>().copied() {
        let client = trusted.client(peer.ip(), req.headers());
        req.extensions_mut().insert(ClientAddr(client));
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(lines: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for l in lines {
            h.append("x-forwarded-for", l.parse().unwrap());
        }
        h
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn the_header_counts_only_from_a_trusted_proxy() {
        let none = TrustedProxies::default();
        assert_eq!(none.client(ip("10.0.0.5"), &headers(&["203.0.113.9"])), ip("10.0.0.5"));
        let proxy = TrustedProxies::parse("10.0.0.5").unwrap();
        assert_eq!(proxy.client(ip("10.0.0.6"), &headers(&["203.0.113.9"])), ip("10.0.0.6"), "another peer is not believed");
        assert_eq!(proxy.client(ip("10.0.0.5"), &headers(&["203.0.113.9"])), ip("203.0.113.9"));
        assert_eq!(proxy.client(ip("10.0.0.5"), &HeaderMap::new()), ip("10.0.0.5"), "no header: the proxy itself");
    }

    #[test]
    fn the_client_is_the_first_untrusted_hop_from_the_right() {
        let proxies = TrustedProxies::parse(" 10.0.0.0/8 , 192.0.2.1").unwrap();
        // The client claimed 198.51.100.1; the edge proxy saw 203.0.113.9; an inner proxy saw the edge.
        let h = headers(&["198.51.100.1, 203.0.113.9", "10.1.2.3"]);
        assert_eq!(proxies.client(ip("10.0.0.5"), &h), ip("203.0.113.9"));
        assert_eq!(proxies.client(ip("10.0.0.5"), &headers(&["10.9.9.9, 10.8.8.8"])), ip("10.9.9.9"), "every hop trusted: the leftmost");
        assert_eq!(proxies.client(ip("10.0.0.5"), &headers(&["203.0.113.9:4711"])), ip("203.0.113.9"), "a port is dropped");
        assert_eq!(proxies.client(ip("10.0.0.5"), &headers(&["[2001:db8::7]:80"])), ip("2001:db8::7"));
        assert_eq!(proxies.client(ip("10.0.0.5"), &headers(&["203.0.113.9, unknown"])), ip("10.0.0.5"), "garbage from a trusted hop: stop there");
        assert_eq!(proxies.client(ip("::ffff:10.0.0.5"), &headers(&["203.0.113.9"])), ip("203.0.113.9"), "IPv4 on a dual-stack listener");
    }

    #[test]
    fn a_list_that_is_not_addresses_is_refused() {
        assert!(TrustedProxies::parse("10.0.0.0/8, proxy.internal").is_none());
        assert!(TrustedProxies::parse("10.0.0.0/33").is_none());
        assert!(TrustedProxies::parse("").unwrap().is_empty());
        assert!(TrustedProxies::parse("10.0.0.1/8").unwrap().trusts(ip("10.200.0.1")), "host bits are ignored");
    }
}
