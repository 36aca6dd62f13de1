/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guard ABI: what the guard hook (guard_hook.bpf.c), the guard prelude linked into every specialized program
 * (guard_prelude.bpf.c) and the runtime's GuardTable share. A specialized program reuses the hook's kecleon_guards map
 * (libbpf's reuse checks type, sizes and flags), so both must be built from this one definition.
 *
 * The C# view is GuardLayout (src/Optimizer/Specialization/GuardLayout.cs); GuardContractTests check its constants
 * against the BTF of the built objects. GuardTable.GuardsMapDeclaration is this file's text, for programs of one's own
 * that read the versions.
 */
#ifndef KECLEON_GUARD_H
#define KECLEON_GUARD_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

/* Maps whose versions the table keeps: slots of kecleon_guards and entries of kecleon_guard_slots. */
#define KECLEON_GUARD_SLOTS 256
/* Program entries of one specialized object: slots of its kecleon_fallback PROG_ARRAY. */
#define KECLEON_FALLBACK_SLOTS 8

/* Version per guarded map, bumped by the hook whenever any process writes that map: all in one element, so that a
 * program looks it up once and compares each of its slots with a load. */
struct kecleon_guard_versions {
	__u64 version[KECLEON_GUARD_SLOTS];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct kecleon_guard_versions);
} kecleon_guards SEC(".maps");

/* The wake-ups: one record per write the daemon should hear of, which slot (KECLEON_GUARD_ALL_SLOTS for every slot) and
 * when (bpf_ktime_get_ns: CLOCK_MONOTONIC), in the kecleon_guard_events ring buffer of KECLEON_GUARD_EVENTS_BYTES. The
 * hook writes one on each write's syscall exit, a specialized program after each of its own writes to a map it was
 * specialized on (reusing the hook's ring as it does kecleon_guards). Only a wake-up: the versions stay the truth, so a
 * record lost to a full ring loses nothing but that record. The source says who wrote: a system call (the hook's
 * records) or the data plane (a specialized program's). */
#define KECLEON_GUARD_ALL_SLOTS 0xffffffffu
#define KECLEON_GUARD_EVENTS_BYTES 16384
#define KECLEON_GUARD_SOURCE_SYSCALL 0
#define KECLEON_GUARD_SOURCE_DATA_PLANE 1
struct kecleon_guard_event {
	__u32 slot;
	__u32 source;
	__u64 ns;
};

#endif /* KECLEON_GUARD_H */
