//! The fixed layout facts of one `map[K]V`: slot, bucket and group sizes, what is stored out of
//! line, and the runtime structs around them.

use crate::types::layout::{align_up, struct_layout};
use crate::types::{Arch, GoType, Layout, SizeError, TypeResolver, layout};

/// Keys and values larger than this are stored out of line: the slot holds a pointer and each
/// entry allocates its own object (abi.MapMaxKeyBytes / MapMaxElemBytes, both versions).
pub const MAX_INLINE_BYTES: u64 = 128;
/// Entries per classic bucket and per Swiss group (`abi.MapBucketCount`, `abi.MapGroupSlots`).
pub const SLOTS: u64 = 8;

/// Layout of the buckets (classic) and groups (Swiss) of one map type on one architecture.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct MapShape {
    pub arch: Arch,
    /// The key type as declared.
    pub key: Layout,
    /// The value type as declared.
    pub value: Layout,
    /// Key over 128 bytes: stored as a pointer to a separate object per entry.
    pub key_indirect: bool,
    /// Value over 128 bytes: stored as a pointer to a separate object per entry.
    pub value_indirect: bool,
    /// Classic `bmap`: `{ tophash [8]uint8; keys [8]K'; elems [8]V'; overflow *bmap }`
    /// (cmd/compile/internal/reflectdata `MapBucketType`). `has_pointers` is false when neither K'
    /// nor V' holds pointers (the overflow word is then typed `uintptr`).
    pub bucket: Layout,
    /// Swiss slot `struct { key K'; elem V' }`, with the trailing zero-size-field byte.
    pub slot: Layout,
    /// Swiss group `{ ctrl uint64; slots [8]slot }` (reflectdata `MapGroupType`).
    pub group: Layout,
}

impl MapShape {
    /// The shape of a map with keys and values of these layouts.
    pub fn new(key: Layout, value: Layout, arch: Arch) -> Self {
        let ptr = Layout {
            size: arch.ptr_size(),
            align: arch.ptr_size(),
            has_pointers: true,
        };
        let key_indirect = key.size > MAX_INLINE_BYTES;
        let value_indirect = value.size > MAX_INLINE_BYTES;
        let k = if key_indirect { ptr } else { key };
        let v = if value_indirect { ptr } else { value };
        let pointers = k.has_pointers || v.has_pointers;
        let bucket = Layout {
            // 8 tophash bytes, 8 keys, 8 values, one overflow word; the compiler asserts the
            // overflow word ends the struct with no padding.
            size: SLOTS + SLOTS * k.size + SLOTS * v.size + arch.ptr_size(),
            align: k.align.max(v.align).max(arch.ptr_size()),
            has_pointers: pointers,
        };
        let slot = struct_layout(&[k, v]).unwrap_or(k);
        let ctrl = Layout::scalar(8, arch.reg_size());
        let slots = Layout {
            size: SLOTS * slot.size,
            align: slot.align,
            has_pointers: slot.has_pointers,
        };
        let group = struct_layout(&[ctrl, slots]).unwrap_or(ctrl);
        Self {
            arch,
            key,
            value,
            key_indirect,
            value_indirect,
            bucket,
            slot,
            group,
        }
    }

    /// The shape of `map[key]value`, sizing named types through `resolver`.
    pub fn for_types(
        key: &GoType,
        value: &GoType,
        arch: Arch,
        resolver: &dyn TypeResolver,
    ) -> Result<Self, SizeError> {
        Ok(Self::new(
            layout(key, arch, resolver)?,
            layout(value, arch, resolver)?,
            arch,
        ))
    }

    /// The same map with the value replaced by a pointer to it (`map[K]*V`).
    pub fn with_pointer_value(&self) -> Self {
        let ptr = Layout {
            size: self.arch.ptr_size(),
            align: self.arch.ptr_size(),
            has_pointers: true,
        };
        Self::new(self.key, ptr, self.arch)
    }

    /// Bytes of a bucket or group that hold no pointers are allocated "noscan".
    pub fn bucket_noscan(&self) -> bool {
        !self.bucket.has_pointers
    }

    /// Whether Swiss groups are noscan.
    pub fn group_noscan(&self) -> bool {
        !self.group.has_pointers
    }
}

/// Sizes of the runtime's own map structs on one architecture.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RuntimeStructs {
    /// Classic `hmap` (Go ≤ 1.23: 48 B on 64-bit; 1.24/1.25 noswiss adds `clearSeq`: 56 B).
    pub(crate) hmap: u64,
    /// Classic `mapextra`: three pointers.
    pub(crate) mapextra: u64,
    /// Swiss `maps.Map`: 48 B on 64-bit.
    pub(crate) swiss_map: u64,
    /// Swiss `maps.table`: 32 B on 64-bit.
    pub(crate) table: u64,
}

impl RuntimeStructs {
    pub(crate) fn new(arch: Arch, classic_clear_seq: bool) -> Self {
        let w = arch.ptr_size();
        let reg = arch.reg_size();
        let word = Layout::scalar(w, w);
        let u64_ = Layout::scalar(8, reg);
        let u32_ = Layout::scalar(4, 4);
        let u16_ = Layout::scalar(2, 2);
        let u8_ = Layout::scalar(1, 1);
        let size = |fields: &[Layout]| struct_layout(fields).map_or(0, |l| l.size);
        // count int; flags, B uint8; noverflow uint16; hash0 uint32; buckets, oldbuckets
        // unsafe.Pointer; nevacuate uintptr; extra *mapextra [; clearSeq uint64]
        let mut hmap = vec![word, u8_, u8_, u16_, u32_, word, word, word, word];
        if classic_clear_seq {
            hmap.push(u64_);
        }
        // used uint64; seed uintptr; dirPtr unsafe.Pointer; dirLen int; globalDepth, globalShift,
        // writing uint8; tombstonePossible bool (1.25+, fits in padding); clearSeq uint64
        let swiss_map = [u64_, word, word, word, u8_, u8_, u8_, u8_, u64_];
        // used, capacity, growthLeft uint16; localDepth uint8; index int;
        // groups { data unsafe.Pointer; lengthMask uint64 }
        let table = [u16_, u16_, u16_, u8_, word, word, u64_];
        Self {
            hmap: size(&hmap),
            mapextra: align_up(3 * w, w).unwrap_or(3 * w),
            swiss_map: size(&swiss_map),
            table: size(&table),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::{NoTypes, parse_type};

    fn shape(k: &str, v: &str, arch: Arch) -> MapShape {
        MapShape::for_types(
            &parse_type(k).unwrap(),
            &parse_type(v).unwrap(),
            arch,
            &NoTypes,
        )
        .unwrap()
    }

    #[test]
    fn bucket_and_group_sizes_match_the_compiler() {
        // research §1.1 / §2.2 examples.
        let s = shape("int64", "int64", Arch::Amd64);
        assert_eq!((s.bucket.size, s.slot.size, s.group.size), (144, 16, 136));
        assert!(s.bucket_noscan());
        let s = shape("string", "int", Arch::Amd64);
        assert_eq!((s.bucket.size, s.slot.size, s.group.size), (208, 24, 200));
        let s = shape("int32", "int8", Arch::Amd64);
        assert_eq!((s.bucket.size, s.slot.size, s.group.size), (56, 8, 72));
        let s = shape("int64", "struct{}", Arch::Amd64);
        assert_eq!((s.bucket.size, s.slot.size, s.group.size), (80, 16, 136));
        let s = shape("struct{}", "struct{}", Arch::Amd64);
        assert_eq!((s.slot.size, s.group.size), (0, 16));
        let s = shape("int64", "[200]byte", Arch::Amd64);
        assert!(s.value_indirect && !s.key_indirect);
        assert_eq!((s.bucket.size, s.group.size), (144, 136));
        assert!(!s.bucket_noscan());
    }

    #[test]
    fn runtime_structs_on_64_and_32_bit() {
        let r = RuntimeStructs::new(Arch::Amd64, false);
        assert_eq!((r.hmap, r.mapextra, r.swiss_map, r.table), (48, 24, 48, 32));
        assert_eq!(RuntimeStructs::new(Arch::Amd64, true).hmap, 56);
        let r = RuntimeStructs::new(Arch::I386, false);
        // 8 + 5*PtrSize and 2*8 + 4*PtrSize, the compiler's own assertions.
        assert_eq!((r.hmap, r.mapextra, r.swiss_map, r.table), (28, 12, 32, 24));
        assert_eq!(RuntimeStructs::new(Arch::Arm, true).hmap, 36);
    }
}
