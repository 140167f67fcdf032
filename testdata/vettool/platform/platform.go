// Package platform has one file per GOOS; only the host's is vetted and checked.
package platform

// Name is the platform's name.
func Name() string { return name }
