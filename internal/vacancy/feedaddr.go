package vacancy

import (
	"net/netip"

	"github.com/werkwijzer/werkwijzer/internal/netguard"
)

// A feed is fetched by the server, from inside its network: a feed URL
// pointing at the server itself or at its neighbours would make
// Werkwijzer a proxy into that network (server-side request forgery).
// Feeds are therefore fetched only from public addresses, checked when
// the URL is stored (for the literal forms) and again on every connection
// (after DNS resolution, so names that resolve inward, DNS rebinding and
// redirects are covered too); package netguard holds the rules.
// WERKWIJZER_FEED_ALLOW_PRIVATE lifts them, for on-premise feeds and tests.

// PublicAddr reports whether a feed may be fetched from ip (see
// netguard.PublicAddr, shared with the webhook deliveries).
func PublicAddr(ip netip.Addr) bool { return netguard.PublicAddr(ip) }

// feedHostProblem says why host may not serve a feed, or "" when it may as
// far as its spelling tells (names are checked again once resolved).
func feedHostProblem(host string, allowPrivate bool) string {
	return netguard.HostProblem(host, allowPrivate)
}
