package platform

const name = "windows"

var drives = map[string]string{}

// Mount records a drive forever (never built on linux).
func Mount(dev, dir string) { drives[dev] = dir }
