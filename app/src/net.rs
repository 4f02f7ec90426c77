//! Network address ranges (`10.0.0.0/8`, `::1`) for settings that say who may connect.

use std::{fmt, net::IpAddr, str::FromStr};

/// One address, or a block of them in CIDR notation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AddressRange {
    network: IpAddr,
    prefix: u8,
}

impl AddressRange {
    /// Whether `address` lies in the range. An IPv4 client of a dual-stack listener arrives
    /// as `::ffff:a.b.c.d`, and is compared as the IPv4 address it is.
    pub fn contains(&self, address: IpAddr) -> bool {
        match (self.network, address.to_canonical()) {
            (IpAddr::V4(network), IpAddr::V4(address)) => {
                leading_bits_equal(network.to_bits(), address.to_bits(), self.prefix, 32)
            }
            (IpAddr::V6(network), IpAddr::V6(address)) => {
                leading_bits_equal(network.to_bits(), address.to_bits(), self.prefix, 128)
            }
            _ => false,
        }
    }
}

fn leading_bits_equal<T>(a: T, b: T, prefix: u8, width: u8) -> bool
where
    T: Into<u128>,
{
    let (a, b) = (a.into(), b.into());
    let host_bits = u32::from(width - prefix);
    // A zero-length prefix matches everything; shifting by the full width would overflow.
    a.checked_shr(host_bits).unwrap_or(0) == b.checked_shr(host_bits).unwrap_or(0)
}

impl FromStr for AddressRange {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        let (address, prefix) = match text.split_once('/') {
            Some((address, prefix)) => (address, Some(prefix)),
            None => (text, None),
        };
        let network: IpAddr = address
            .parse()
            .map_err(|_| format!("`{text}` is not an IP address or a CIDR range"))?;
        let network = network.to_canonical();
        let width = if network.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => width,
            Some(prefix) => prefix
                .parse::<u8>()
                .ok()
                .filter(|prefix| *prefix <= width)
                .ok_or_else(|| format!("`{text}` has a prefix length outside 0–{width}"))?,
        };
        Ok(Self { network, prefix })
    }
}

impl fmt::Display for AddressRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.network, self.prefix)
    }
}

#[cfg(test)]
mod tests {
    use super::AddressRange;

    fn range(text: &str) -> AddressRange {
        text.parse().unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn ranges_contain_their_addresses_only() {
        let block = range("10.1.0.0/16");
        assert!(block.contains([10, 1, 200, 3].into()));
        assert!(!block.contains([10, 2, 0, 1].into()));
        assert!(range("192.0.2.7").contains([192, 0, 2, 7].into()));
        assert!(!range("192.0.2.7").contains([192, 0, 2, 8].into()));
        assert!(range("0.0.0.0/0").contains([8, 8, 8, 8].into()));
        assert!(range("::1").contains("::1".parse().unwrap_or_else(|e| panic!("{e}"))));
        assert!(!range("::1").contains([127, 0, 0, 1].into()));
    }

    #[test]
    fn ipv4_clients_of_a_dual_stack_listener_match_ipv4_ranges() {
        let mapped = "::ffff:10.1.2.3".parse().unwrap_or_else(|e| panic!("{e}"));
        assert!(range("10.1.0.0/16").contains(mapped));
    }

    #[test]
    fn malformed_ranges_are_refused() {
        for text in [
            "",
            "10.0.0.0/33",
            "10.0.0/8",
            "example.org",
            "::1/129",
            "10.0.0.0/x",
        ] {
            assert!(text.parse::<AddressRange>().is_err(), "{text}");
        }
        assert_eq!(range(" 10.0.0.0/8 ").to_string(), "10.0.0.0/8");
    }
}
