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

#endif /* KECLEON_GUARD_H */
