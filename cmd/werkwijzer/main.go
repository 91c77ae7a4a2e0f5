// Command werkwijzer is the Werkwijzer headless CMS: run it with no
// arguments to serve the sample content on an embedded SQLite database.
package main

import (
	"os"

	"github.com/werkwijzer/werkwijzer/internal/app"
)

func main() {
	os.Exit(app.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
