/* Linked into every specialized program. Compiled from C (not built in IR by hand) so that the maps carry the BTF
 * libbpf needs for SEC(".maps"). KECLEON_GUARD_SLOTS and KECLEON_FALLBACK_SLOTS come from the compiler's command line
 * and must match the guard table the runtime shares with the program. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

/* Version per specialized map, bumped by the kernel hook whenever any process writes that map. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, KECLEON_GUARD_SLOTS);
	__type(key, __u32);
	__type(value, __u64);
} kecleon_guards SEC(".maps");

/* The original programs, one slot per program entry: where a packet goes when a guard no longer holds. */
struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, KECLEON_FALLBACK_SLOTS);
	__type(key, __u32);
	__type(value, __u32);
} kecleon_fallback SEC(".maps");

__attribute__((always_inline)) int kecleon_guard_holds(__u32 slot, __u64 expected)
{
	__u64 *version = bpf_map_lookup_elem(&kecleon_guards, &slot);
	return version && *version == expected;
}

__attribute__((always_inline)) void kecleon_fall_back(void *ctx, __u32 index)
{
	bpf_tail_call(ctx, &kecleon_fallback, index);
}

/* A data-plane write to a map the program was specialized on (a rarely written one): the version moves first, so this
 * packet's later lookups and every later packet see the specialization as stale, as after a control-plane write. */
__attribute__((always_inline)) void kecleon_guard_bump(__u32 slot)
{
	__u64 *version = bpf_map_lookup_elem(&kecleon_guards, &slot);
	if (version)
		__sync_fetch_and_add(version, 1);
}
