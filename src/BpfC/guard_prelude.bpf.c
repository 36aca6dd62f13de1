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

/* The hook's ring of wake-ups (kecleon_guard.h), reused at load as kecleon_guards is. */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, KECLEON_GUARD_EVENTS_BYTES);
} kecleon_guard_events SEC(".maps");

/* After such a write: the version moves again (what read it in between read the map without the write), and the daemon
 * hears of the write at once, as the hook tells it of a control-plane write on its syscall's exit. The record is written
 * in place in the ring (reserve, submit): nothing on the stack. */
__attribute__((always_inline)) void kecleon_guard_written(__u32 slot)
{
	kecleon_guard_bump(slot);
	struct kecleon_guard_event *event = bpf_ringbuf_reserve(&kecleon_guard_events, sizeof(*event), 0);
	if (!event)
		return;
	event->slot = slot;
	event->source = KECLEON_GUARD_SOURCE_DATA_PLANE;
	event->ns = bpf_ktime_get_ns();
	bpf_ringbuf_submit(event, BPF_RB_FORCE_WAKEUP);
}
