// Package browsertest starts Debian's headless Chromium for one test,
// driven through chromedp: the browser tests of /admin and /playground
// share it. Without Chromium the test is skipped with the reason, unless
// WERKWIJZER_REQUIRE_BROWSER=1 (as in CI), where it fails instead.
package browsertest

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Path is where Debian's chromium package puts the browser;
// WERKWIJZER_CHROMIUM overrides it.
const Path = "/usr/bin/chromium"

// Start starts headless Chromium with a fresh profile and returns a tab's
// context, which ends after timeout or when the test ends.
func Start(t *testing.T, timeout time.Duration) context.Context {
	t.Helper()
	path := Path
	if p := os.Getenv("WERKWIJZER_CHROMIUM"); p != "" {
		path = p
	}
	if _, err := os.Stat(path); err != nil {
		if os.Getenv("WERKWIJZER_REQUIRE_BROWSER") == "1" {
			t.Fatalf("WERKWIJZER_REQUIRE_BROWSER=1 but there is no Chromium at %s: %v", path, err)
		}
		t.Skipf("skipping the browser test: no Chromium at %s; install Debian's package with `apt-get install chromium` (CI sets WERKWIJZER_REQUIRE_BROWSER=1, so there it fails instead)", path)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox, // CI runs as root
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		// Without these Chromium calls home, and this machine's closed
		// network refuses it, many times at once.
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("lang", "en-US"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1366, 900),
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	t.Cleanup(cancel)
	ctx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancelTab := chromedp.NewContext(ctx)
	t.Cleanup(cancelTab)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return ctx
}
