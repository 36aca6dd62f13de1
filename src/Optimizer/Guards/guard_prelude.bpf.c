/* Linked into every specialized program. Compiled from C (not built in IR by hand) so that the maps carry the BTF
 * libbpf needs for SEC(".maps"). KECLEON_GUARD_SLOTS and KECLEON_FALLBACK_SLOTS come from the compiler's command line
 * and must match the guard table the runtime shares with the program. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

/* Version per specialized map, bumped by the kernel hook whenever any process writes that map: all in one element, so
 * that a program looks it up once and compares each of its slots with a load. */
struct kecleon_guard_versions {
	__u64 version[KECLEON_GUARD_SLOTS];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct kecleon_guard_versions);
} kecleon_guards SEC(".maps");

/* The original programs, one slot per program entry: where a packet goes when a guard no longer holds. */
struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, KECLEON_FALLBACK_SLOTS);
	__type(key, __u32);
	__type(value, __u32);
} kecleon_fallback SEC(".maps");

/* The versions, or null (never, for an array of one element). */
__attribute__((always_inline)) __u64 *kecleon_guard_table(void)
{
	__u32 zero = 0;
	struct kecleon_guard_versions *versions = bpf_map_lookup_elem(&kecleon_guards, &zero);
	return versions ? versions->version : 0;
}

/* slot is a constant after inlining: a load at a constant offset the verifier checks against the element. */
__attribute__((always_inline)) int kecleon_guard_holds_in(__u64 *table, __u32 slot, __u64 expected)
{
	return table[slot] == expected;
}

__attribute__((always_inline)) int kecleon_guard_holds(__u32 slot, __u64 expected)
{
	__u64 *table = kecleon_guard_table();
	return table && kecleon_guard_holds_in(table, slot, expected);
}

__attribute__((always_inline)) void kecleon_fall_back(void *ctx, __u32 index)
{
	bpf_tail_call(ctx, &kecleon_fallback, index);
}

/* A data-plane write to a map the program was specialized on (a rarely written one): the version moves first, so this
 * packet's later lookups and every later packet see the specialization as stale, as after a control-plane write. */
__attribute__((always_inline)) void kecleon_guard_bump(__u32 slot)
{
	__u64 *table = kecleon_guard_table();
	if (table)
		__sync_fetch_and_add(&table[slot], 1);
}
