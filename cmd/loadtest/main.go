// Command loadtest measures Werkwijzer's public read path against a plain
// handler serving the same bytes; see internal/loadtest.
package main

import (
	"os"

	"github.com/werkwijzer/werkwijzer/internal/loadtest"
)

func main() {
	os.Exit(loadtest.Main(os.Args[1:], os.Stdout, os.Stderr))
}
