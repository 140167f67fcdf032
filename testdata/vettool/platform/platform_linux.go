package platform

const name = "linux"

var mounts = map[string]string{}

// Mount records a mount point forever.
func Mount(dev, dir string) { mounts[dev] = dir }
