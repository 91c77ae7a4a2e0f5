package vacancy_test

import (
	"net/netip"
	"testing"

	"github.com/werkwijzer/werkwijzer/internal/apperr"
	"github.com/werkwijzer/werkwijzer/internal/vacancy"
)

func TestPublicAddr(t *testing.T) {
	refused := []string{
		"127.0.0.1", "127.255.0.9", "::1", "0.0.0.0", "0.1.2.3", "::",
		"10.0.0.1", "172.16.5.4", "192.168.1.1", "100.64.0.1", // private, carrier-grade NAT
		"169.254.169.254", "fe80::1", "fe80::1%eth0", // link-local, cloud metadata
		"fc00::1", "fd12:3456::1", // unique local
		"224.0.0.1", "239.1.2.3", "ff02::1", "ff0e::1", // multicast
		"255.255.255.255", "240.0.0.1", "192.0.2.1", "198.18.0.1",
		"::ffff:127.0.0.1", "::ffff:10.1.2.3", "::ffff:169.254.169.254", // IPv4-mapped
		"::127.0.0.1",                       // IPv4-compatible
		"64:ff9b::7f00:1", "64:ff9b::a00:1", // NAT64 of 127.0.0.1 and 10.0.0.1
		"64:ff9b:1::1",                      // local-use NAT64
		"2002:7f00:1::1", "2002:c0a8:101::", // 6to4 of 127.0.0.1 and 192.168.1.1
		"2001:db8::1", "2001::1", "fec0::1",
	}
	for _, s := range refused {
		if vacancy.PublicAddr(netip.MustParseAddr(s)) {
			t.Errorf("%s counts as public", s)
		}
	}
	allowed := []string{"93.184.216.34", "8.8.8.8", "2a00:1450:4001::200e", "::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1", "172.32.0.1", "100.128.0.1"}
	for _, s := range allowed {
		if !vacancy.PublicAddr(netip.MustParseAddr(s)) {
			t.Errorf("%s counts as not public", s)
		}
	}
	if vacancy.PublicAddr(netip.Addr{}) {
		t.Error("the zero address counts as public")
	}
}

func TestCheckFeedURLRefusesInternalHosts(t *testing.T) {
	internal := []string{
		"http://127.0.0.1:5432/", "http://[::1]/feed", "http://0.0.0.0/", "http://localhost:8080/feed.xml", "https://api.localhost./x",
		"http://10.1.2.3/feed.xml", "http://169.254.169.254/latest/meta-data/", "http://[fd00::1]/", "http://[fe80::1%25eth0]/",
		"http://[::ffff:127.0.0.1]/", "http://[64:ff9b::7f00:1]/", "http://224.0.0.1/",
	}
	// Numbers that resolvers read as IPv4 addresses but Go's parsers do
	// not: refused even where private addresses are allowed.
	numeric := []string{"http://127.1/", "http://2130706433/", "http://0x7f.1/", "http://0x7f000001/", "http://0177.0.0.1/", "http://017700000001/", "http://127.0.0.1.5/"}
	for _, raw := range append(internal, numeric...) {
		if _, err := vacancy.CheckFeedURL(raw, false); !apperr.Is(err, apperr.BadUserInput) {
			t.Errorf("%s: %v, want BAD_USER_INPUT", raw, err)
		}
	}
	for _, raw := range numeric {
		if _, err := vacancy.CheckFeedURL(raw, true); !apperr.Is(err, apperr.BadUserInput) {
			t.Errorf("%s with private feeds allowed: %v, want BAD_USER_INPUT", raw, err)
		}
	}
	for _, raw := range internal {
		if _, err := vacancy.CheckFeedURL(raw, true); err != nil {
			t.Errorf("%s with private feeds allowed: %v", raw, err)
		}
	}
	for _, raw := range []string{"https://jobs.example.com/feed.xml", "http://93.184.216.34/feed", "https://123.example.com/x", "https://1password.com/careers.json", "https://[2a00:1450:4001::200e]/"} {
		if _, err := vacancy.CheckFeedURL(raw, false); err != nil {
			t.Errorf("%s: %v", raw, err)
		}
	}
}
