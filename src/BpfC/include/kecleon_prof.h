/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The profile ring's ABI: the records profile_prelude.bpf.c writes into the instrumented program's per-CPU maps and
 * the runtime's Profiler reads. The C# view is ProfileRecordLayout (src/Instrumentation/Profiling); ProfileContractTests
 * check its offsets against the BTF of an instrumented object.
 *
 * The compiler's command line (InstrumentationPass) defines the program's sampling rates and sizes:
 * KECLEON_PERIOD_SHIFT (only one kernel tick in 2^shift is sampled), KECLEON_SAMPLE_SHIFT (one packet in 2^shift of a
 * sampled tick records its keys), KECLEON_BRANCH_SHIFT (one packet in 2^shift, a multiple of those, runs the profiled
 * copy and counts its branches too), KECLEON_KEEP_SHIFT (one of those in 2^shift is kept whole), KECLEON_RING (samples
 * kept per CPU, a power of two), KECLEON_KEY_BYTES (bytes of a key recorded, a multiple of 8), KECLEON_SLOT_COUNTERS
 * (branch counters per element of kecleon_prof_branches), KECLEON_COUNTER_SLOTS (its elements: two counters per
 * conditional branch, in order) and KECLEON_WINDOWED (1: nothing is sampled unless user space opened a window in
 * kecleon_prof_window).
 */
#ifndef KECLEON_PROF_H
#define KECLEON_PROF_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#if !defined(KECLEON_KEY_BYTES) || !defined(KECLEON_SLOT_COUNTERS)
#error "KECLEON_KEY_BYTES and KECLEON_SLOT_COUNTERS come from the command line (InstrumentationPass)"
#endif

/* kecleon_prof_state, one per CPU. */
struct kecleon_prof_cpu {
	__u64 packets; /* packets seen on this CPU in sampled ticks */
	__u64 head;    /* samples written to the ring on this CPU; the next goes to head % KECLEON_RING */
};

/* A slot of kecleon_prof_ring: one profiled lookup's key. */
struct kecleon_prof_sample {
	__u64 seq;  /* head + 1 when written: 0 is an empty slot */
	__u32 site; /* HelperCallSite.Index */
	__u32 length;
	__u8 key[KECLEON_KEY_BYTES];
};

/* All of a CPU's branch counters in one element of kecleon_prof_branches (or a few): counter 2i + way of branch i is
 * count[(2i + way) % KECLEON_SLOT_COUNTERS] of element (2i + way) / KECLEON_SLOT_COUNTERS (the pass keeps a branch's two
 * counters in one element). */
struct kecleon_prof_counters {
	__u64 count[KECLEON_SLOT_COUNTERS];
};

/* The first bytes of recently sampled packets (XDP programs only): live traffic for the differential check. */
#define KECLEON_PACKET_BYTES 256
#define KECLEON_PACKET_SLOTS 32

/* An element of kecleon_prof_packets. */
struct kecleon_prof_packet {
	__u64 seq;    /* the packet's number on its CPU (kecleon_prof_cpu.packets): 0 is an empty slot */
	__u32 length; /* the packet's length (packets longer than KECLEON_PACKET_BYTES - 1 are not kept) */
	__u32 full;   /* the same, as the program saw it */
	__u8 bytes[KECLEON_PACKET_BYTES];
};

/* Packets shorter than an Ethernet header are not kept. */
#define KECLEON_PACKET_MIN_BYTES 14

#endif /* KECLEON_PROF_H */
