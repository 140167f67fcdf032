package store

// chunkKey is a composite cache key of 136 bytes: the key itself is stored
// out of line.
type chunkKey struct {
	Tenant, Bucket, Object, VersionID, Range string
	Offset, Length                           int64
	Checksum                                 [32]byte
	Part                                     uint16
}

var chunkCache = map[chunkKey][]byte{} // want "keys of 136 bytes"

const bloomBytes = 1 << 9

// Shard bloom filters by shard name: array values of a constant length.
type Shards struct {
	blooms map[string][bloomBytes]byte // want "values of 512 bytes"
}

// Silent: exactly 128 bytes is still stored inline.
type Fingerprint [bloomBytes / 4]byte

var seenPrints = make(map[Fingerprint]bool)

var thumbs = map[string][128]byte{}

// Silent: a leading zero-size field takes no room: 128 bytes.
type pageMeta struct {
	_    [0]func()
	Path [14]uint64
	Gen  uint64
	Rev  uint64
}

var pages = map[string]pageMeta{}

// frame is 128 bytes of fields plus a trailing zero-size field, which Go pads
// so that its address stays inside the object: 136 bytes.
type frame struct {
	Header [120]byte
	Seq    uint64
	_      struct{}
}

var frames = make(map[uint32]frame) // want "values of 136 bytes"
