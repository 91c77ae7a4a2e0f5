// Package netguard keeps the server's outgoing requests (feed pulls,
// webhook deliveries) away from its own network. A URL that an admin or a
// source typed is fetched by the server, from inside its network: one
// pointing at the server itself or at its neighbours would make Werkwijzer
// a proxy into that network (server-side request forgery). So outgoing
// connections go to public addresses only, checked when the URL is stored
// (for the literal forms, HostProblem) and again on every connection, after
// DNS resolution (Control), so names that resolve inward, DNS rebinding and
// redirects are covered too.
package netguard

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"regexp"
	"strings"
	"syscall"
	"time"
)

// nonPublic lists the ranges never connected to besides those netip.Addr's
// own predicates name (loopback, private and unique-local, link-local,
// multicast, unspecified).
var nonPublic = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),       // "this network"
	netip.MustParsePrefix("100.64.0.0/10"),   // carrier-grade NAT
	netip.MustParsePrefix("192.0.0.0/24"),    // IETF protocol assignments
	netip.MustParsePrefix("192.0.2.0/24"),    // documentation
	netip.MustParsePrefix("198.18.0.0/15"),   // benchmarking
	netip.MustParsePrefix("198.51.100.0/24"), // documentation
	netip.MustParsePrefix("203.0.113.0/24"),  // documentation
	netip.MustParsePrefix("240.0.0.0/4"),     // reserved, and broadcast
	netip.MustParsePrefix("::/96"),           // IPv4-compatible IPv6 (deprecated)
	netip.MustParsePrefix("64:ff9b:1::/48"),  // local-use NAT64
	netip.MustParsePrefix("100::/64"),        // discard-only
	netip.MustParsePrefix("2001::/23"),       // IETF protocol assignments, Teredo among them
	netip.MustParsePrefix("2001:db8::/32"),   // documentation
	netip.MustParsePrefix("fec0::/10"),       // site-local (deprecated)
}

var (
	nat64     = netip.MustParsePrefix("64:ff9b::/96") // the NAT64 well-known prefix
	sixToFour = netip.MustParsePrefix("2002::/16")
)

// PublicAddr reports whether the server may connect to ip: not loopback,
// private, link-local, unique-local, multicast, unspecified or reserved,
// in IPv4, IPv6 or IPv4-mapped IPv6. An address of the NAT64 well-known
// prefix or 6to4 counts as the IPv4 address it carries.
func PublicAddr(ip netip.Addr) bool {
	ip = ip.Unmap().WithZone("")
	if !ip.IsValid() {
		return false
	}
	if ip.Is6() && (nat64.Contains(ip) || sixToFour.Contains(ip)) {
		return PublicAddr(embeddedIPv4(ip))
	}
	if ip.IsLoopback() || ip.IsPrivate() || ip.IsUnspecified() || ip.IsMulticast() ||
		ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() || ip.IsInterfaceLocalMulticast() {
		return false
	}
	for _, p := range nonPublic {
		if p.Contains(ip) {
			return false
		}
	}
	return true
}

// embeddedIPv4 returns the IPv4 address a NAT64 (last 32 bits) or 6to4
// (bits 16 to 48) address carries.
func embeddedIPv4(ip netip.Addr) netip.Addr {
	b := ip.As16()
	if sixToFour.Contains(ip) {
		return netip.AddrFrom4([4]byte{b[2], b[3], b[4], b[5]})
	}
	return netip.AddrFrom4([4]byte{b[12], b[13], b[14], b[15]})
}

// numericHost matches host names made only of numbers, in decimal, octal
// or hex, with or without dots ("127.1", "2130706433", "0x7f.1",
// "0177.0.0.1"). Resolvers (inet_aton) read these as IPv4 addresses in
// forms Go's parsers refuse, so whether they name a public address is not
// clear: they are never accepted. Proper dotted quads are parsed as
// addresses before this applies.
var numericHost = regexp.MustCompile(`^(0x[0-9a-f]*|[0-9]+)(\.(0x[0-9a-f]*|[0-9]*))*$`)

// HostProblem says why the server may not connect to host, or "" when it
// may as far as its spelling tells (names are checked again once resolved,
// by Control). allowPrivate accepts any address and name.
func HostProblem(host string, allowPrivate bool) string {
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	if ip, err := netip.ParseAddr(host); err == nil {
		if !allowPrivate && !PublicAddr(ip) {
			return "it points at a loopback, private or otherwise non-public address"
		}
		return ""
	}
	if numericHost.MatchString(host) {
		return "its host is a number, not a host name or a dotted IPv4 address"
	}
	if !allowPrivate && (host == "localhost" || strings.HasSuffix(host, ".localhost")) {
		return "it points at the server itself"
	}
	return ""
}

// ErrAddressNotAllowed is a connection refused because its address is not
// one the policy allows.
var ErrAddressNotAllowed = errors.New("address not allowed")

// PublicOnly allows public addresses only: the production policy.
func PublicOnly(a netip.AddrPort) bool { return PublicAddr(a.Addr()) }

// AnyAddress allows every address (the ALLOW_PRIVATE settings).
func AnyAddress(netip.AddrPort) bool { return true }

// Control returns a net.Dialer.Control function that refuses, with
// ErrAddressNotAllowed, a connection to an address allow rejects. It runs
// with the address about to be connected to, after DNS resolution, so it
// sees what a name really points at on every connection.
func Control(allow func(netip.AddrPort) bool) func(network, address string, c syscall.RawConn) error {
	return func(_, address string, _ syscall.RawConn) error {
		ap, err := netip.ParseAddrPort(address)
		if err != nil || !allow(ap) {
			return fmt.Errorf("connect to %s: %w", address, ErrAddressNotAllowed)
		}
		return nil
	}
}

// Transport is an http.Transport that connects only to addresses allow
// accepts, checked by Control on every connection, and never through a
// proxy from the environment: the check would see the proxy's address, not
// the host's. connect bounds the dial and the TLS handshake, header the
// wait for the response headers.
func Transport(allow func(netip.AddrPort) bool, connect, header time.Duration) *http.Transport {
	dialer := &net.Dialer{Timeout: connect, KeepAlive: 30 * time.Second, Control: Control(allow)}
	return &http.Transport{
		DialContext:           dialer.DialContext,
		TLSHandshakeTimeout:   connect,
		ResponseHeaderTimeout: header,
		IdleConnTimeout:       90 * time.Second,
		MaxIdleConnsPerHost:   2,
		ForceAttemptHTTP2:     true,
	}
}
