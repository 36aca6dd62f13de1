// SPDX-License-Identifier: GPL-2.0
/* Linked into every specialized program. Compiled from C (not built in IR by hand) so that the maps carry the BTF
 * libbpf needs for SEC(".maps"); compiled to bitcode with the assembly (the guard ABI is fixed by kecleon_guard.h) and
 * linked at IR level, where its functions inline into the program's checks. */
#include "kecleon_guard.h"

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
