package account

import (
	"testing"
	"time"
)

// Sign-in limits refuse any negative value and any order other than
// BaseDelay <= MaxDelay < Window, at exactly those edges.
func TestLoginLimitsRefuseNegativesAndAWrongOrder(t *testing.T) {
	ok := LoginLimits{FreeFailures: 3, BaseDelay: time.Second, MaxDelay: time.Minute, PerAddress: 10, Window: time.Hour}
	for name, c := range map[string]struct {
		change func(*LoginLimits)
		ok     bool
	}{
		"as given":                  {func(*LoginLimits) {}, true},
		"negative FreeFailures":     {func(l *LoginLimits) { l.FreeFailures = -1 }, false},
		"negative BaseDelay":        {func(l *LoginLimits) { l.BaseDelay = -time.Second }, false},
		"negative MaxDelay":         {func(l *LoginLimits) { l.MaxDelay = -time.Second }, false},
		"negative PerAddress":       {func(l *LoginLimits) { l.PerAddress = -1 }, false},
		"negative Window":           {func(l *LoginLimits) { l.Window = -time.Second }, false},
		"BaseDelay equals MaxDelay": {func(l *LoginLimits) { l.BaseDelay = time.Minute }, true},
		"BaseDelay above MaxDelay":  {func(l *LoginLimits) { l.BaseDelay = time.Minute + 1 }, false},
		"Window equals MaxDelay":    {func(l *LoginLimits) { l.Window = time.Minute }, false},
		"Window just past MaxDelay": {func(l *LoginLimits) { l.Window = time.Minute + 1 }, true},
	} {
		limits := ok
		c.change(&limits)
		got, err := limits.withDefaults()
		if (err == nil) != c.ok {
			t.Errorf("%s: %v, want ok=%v", name, err, c.ok)
		}
		if err == nil && got != limits {
			t.Errorf("%s: withDefaults changed set limits: %+v, want %+v", name, got, limits)
		}
	}
}
