//! The Go allocator's rounding: size classes, the malloc header and page rounding of large
//! objects. Sources: go1.23.5 src/runtime/msize.go, sizeclasses.go, mbitmap.go; go1.26
//! src/internal/runtime/gc/sizeclasses.go (the class table is identical from Go 1.19 to 1.27).

use crate::types::Arch;
use crate::version::GoVersion;

/// `class_to_size` without the zero class: the object sizes of the 67 small size classes.
pub const SIZE_CLASSES: [u64; 67] = [
    8, 16, 24, 32, 48, 64, 80, 96, 112, 128, 144, 160, 176, 192, 208, 224, 240, 256, 288, 320, 352,
    384, 416, 448, 480, 512, 576, 640, 704, 768, 896, 1024, 1152, 1280, 1408, 1536, 1792, 2048,
    2304, 2688, 3072, 3200, 3456, 4096, 4864, 5376, 6144, 6528, 6784, 6912, 8192, 9472, 9728,
    10240, 10880, 12288, 13568, 14336, 16384, 18432, 19072, 20480, 21760, 24576, 27264, 28672,
    32768,
];

/// `_PageSize`: large objects take whole 8 KiB pages.
pub const PAGE_SIZE: u64 = 8192;
/// `maxSmallSize`.
pub const MAX_SMALL_SIZE: u64 = 32768;
/// `mallocHeaderSize` (8 on every architecture).
pub const MALLOC_HEADER_SIZE: u64 = 8;

/// The smallest size class holding `size` bytes, if `size` is small.
pub fn size_class(size: u64) -> Option<u64> {
    let i = SIZE_CLASSES.partition_point(|&c| c < size);
    SIZE_CLASSES.get(i).copied()
}

/// Rounds allocations the way one Go release on one architecture does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Allocator {
    /// Whether pointer-holding objects above [`Allocator::header_threshold`] carry an 8-byte header
    /// (Go 1.22+).
    pub malloc_header: bool,
    pub arch: Arch,
}

impl Allocator {
    /// The allocator of `go` on `arch`.
    pub fn new(go: GoVersion, arch: Arch) -> Self {
        Self {
            malloc_header: go.has_malloc_header(),
            arch,
        }
    }

    /// `minSizeForMallocHeader = PtrSize * ptrBits`: 512 on 64-bit, 128 on 32-bit targets.
    pub fn header_threshold(self) -> u64 {
        self.arch.ptr_size() * self.arch.ptr_size() * 8
    }

    /// Whether an object of `size` bytes is a small object (size-class allocated).
    fn is_small(self, size: u64) -> bool {
        if self.malloc_header {
            size <= MAX_SMALL_SIZE - MALLOC_HEADER_SIZE
        } else {
            size <= MAX_SMALL_SIZE
        }
    }

    fn header(self, size: u64, noscan: bool) -> u64 {
        if self.malloc_header && !noscan && size > self.header_threshold() && self.is_small(size) {
            MALLOC_HEADER_SIZE
        } else {
            0
        }
    }

    /// Bytes an allocation of `size` really occupies: its size class (header included) or its
    /// whole pages. This is what heap profiles record per object (`span.elemsize`, malloc.go) and
    /// what `HeapAlloc` counts. Zero-size allocations take no memory.
    pub fn consumed(self, size: u64, noscan: bool) -> u64 {
        if size == 0 {
            return 0;
        }
        if self.is_small(size) {
            let req = size + self.header(size, noscan);
            size_class(req).unwrap_or(MAX_SMALL_SIZE)
        } else {
            size.div_ceil(PAGE_SIZE).saturating_mul(PAGE_SIZE)
        }
    }

    /// `roundupsize(size, noscan)`: the usable bytes of that allocation (consumed minus header).
    pub fn roundupsize(self, size: u64, noscan: bool) -> u64 {
        if size == 0 {
            return 0;
        }
        self.consumed(size, noscan) - self.header(size, noscan)
    }

    /// The capacity `append` gives a slice of `elem_size`-byte elements growing from `old_cap` to
    /// hold `new_len` (runtime/slice.go `nextslicecap` then `roundupsize`).
    pub fn append_cap(self, old_cap: u64, new_len: u64, elem_size: u64, noscan: bool) -> u64 {
        let double = old_cap * 2;
        let cap = if new_len > double {
            new_len
        } else if old_cap < 256 {
            double
        } else {
            let mut c = old_cap;
            while c < new_len {
                c += (c + 3 * 256) >> 2;
            }
            c
        };
        self.roundupsize(cap * elem_size, noscan)
            .checked_div(elem_size)
            .unwrap_or(cap)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GO126: Allocator = Allocator {
        malloc_header: true,
        arch: Arch::Amd64,
    };

    #[test]
    fn small_objects_round_to_classes_and_large_to_pages() {
        assert_eq!(GO126.consumed(136, true), 144);
        assert_eq!(GO126.consumed(512, false), 512);
        assert_eq!(GO126.consumed(513, true), 576);
        // 16,384 pointer bytes + 8-byte header → the 18,432 class (a 2048-entry Swiss directory).
        assert_eq!(GO126.consumed(16384, false), 18432);
        assert_eq!(GO126.roundupsize(16384, false), 18424);
        assert_eq!(GO126.consumed(32761, false), 32768);
        assert_eq!(GO126.consumed(32769, true), 40960);
        assert_eq!(GO126.consumed(278_528 * 144, true), 40_108_032);
        let go121 = Allocator::new(GoVersion::new(21), Arch::Amd64);
        assert_eq!(go121.consumed(16384, false), 16384);
    }

    #[test]
    fn header_threshold_is_128_on_32_bit() {
        let a = Allocator::new(GoVersion::new(26), Arch::I386);
        assert_eq!(a.consumed(129, false), 144);
        assert_eq!(a.consumed(128, false), 128);
    }

    #[test]
    fn append_growth_matches_the_runtime() {
        // A []*bmap growing one element at a time reaches 6144 slots at 4284 elements
        // (research §8: the classic 1e6 map's overflow-pointer slice is 49,152 bytes).
        let mut cap = 0;
        for len in 1..=4284 {
            if len > cap {
                cap = GO126.append_cap(cap, len, 8, false);
            }
        }
        assert_eq!(cap, 6144);
    }
}
