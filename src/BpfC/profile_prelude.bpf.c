// SPDX-License-Identifier: GPL-2.0
/* Linked into an instrumented program by InstrumentationPass. Compiled from C so the maps carry BTF. Compiled when a
 * program is instrumented, not with the assembly: the ring's and the counters' sizes and the sampling rates are the
 * program's (kecleon_prof.h lists the command line's definitions), and they size the maps' values.
 *
 * kecleon_prof_enter runs on every packet and decides whether it is sampled. A packet whose branches are sampled runs the
 * profiled copy of the program, which counts the way of every branch it takes and copies each profiled lookup's key into
 * a per-CPU ring; a packet whose keys alone are sampled runs the program's own code, which copies the keys
 * (kecleon_prof_key) and nothing else. Each profiled function looks its per-CPU state and counters up once, at its entry
 * (kecleon_prof_this_cpu, kecleon_prof_counter_slot); a branch is then a load, an add and a store at a constant offset, a key
 * an inline copy. The ring never freezes: it wraps, and user space reads what is new since its last read by sequence
 * number. */
#include "kecleon_prof.h"

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct kecleon_prof_cpu);
} kecleon_prof_state SEC(".maps");

/* A CPU's ring is one element: consecutive samples go to consecutive memory, behind one pointer (a ring of one element
 * per slot cost a cold per-CPU allocation, and its pointer, per sample). */
struct kecleon_prof_samples {
	struct kecleon_prof_sample slot[KECLEON_RING];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct kecleon_prof_samples);
} kecleon_prof_ring SEC(".maps");

/* Recently sampled packets. A slot is taken by the sampled packet's number on its CPU, so the ring wraps and always
 * holds the latest. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, KECLEON_PACKET_SLOTS);
	__type(key, __u32);
	__type(value, struct kecleon_prof_packet);
} kecleon_prof_packets SEC(".maps");

/* A CPU's branch counters (struct kecleon_prof_counters) in one element, or a few for a program with more branches than
 * one per-CPU value holds. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, KECLEON_COUNTER_SLOTS);
	__type(key, __u32);
	__type(value, struct kecleon_prof_counters);
} kecleon_prof_branches SEC(".maps");

#if KECLEON_WINDOWED
/* A program that profiles itself only while user space has a window open (KECLEON_WINDOWED: the daemon's specialized
 * program): until is the CLOCK_MONOTONIC time (bpf_ktime_get_ns) the window ends at, 0 when none is open. The window
 * ends by itself at that time, so one left open by a process that died costs nothing once its time is up. */
struct kecleon_prof_window {
	__u64 until;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct kecleon_prof_window);
} kecleon_prof_window SEC(".maps");
#endif

/* Outside a window: one load of its end (the verifier inlines an array lookup) and a test. Outside a sampled tick: one
 * load of jiffies (bpf_jiffies64 is inlined by the verifier), a line the kernel keeps hot, where a count of our own would
 * be a line each packet finds cold. */
__attribute__((always_inline)) static int kecleon_prof_off(void)
{
#if KECLEON_WINDOWED
	__u32 zero = 0;
	struct kecleon_prof_window *window = bpf_map_lookup_elem(&kecleon_prof_window, &zero);
	if (!window || __builtin_expect(window->until == 0, 1))
		return 1;
#endif
#if KECLEON_PERIOD_SHIFT > 0
	return (bpf_jiffies64() & ((1ULL << KECLEON_PERIOD_SHIFT) - 1)) != 0;
#else
	return 0;
#endif
}

/* A packet that would be sampled: past the window's end, the window closes itself (unless user space opened a new one
 * meanwhile) and the packet is not sampled. Only sampled packets read the clock. */
__attribute__((always_inline)) static int kecleon_prof_ended(void)
{
#if KECLEON_WINDOWED
	__u32 zero = 0;
	struct kecleon_prof_window *window = bpf_map_lookup_elem(&kecleon_prof_window, &zero);
	if (!window)
		return 1;
	__u64 until = window->until;
	if (bpf_ktime_get_ns() <= until)
		return 0;
	__sync_val_compare_and_swap(&window->until, until, 0);
	return 1;
#else
	return 0;
#endif
}

/* At the program's entry: counts the packet; 2 when it runs the profiled copy, 1 when it records its keys only, else 0. */
__attribute__((always_inline)) int kecleon_prof_enter(void)
{
	if (kecleon_prof_off())
		return 0;
	__u32 zero = 0;
	struct kecleon_prof_cpu *cpu = bpf_map_lookup_elem(&kecleon_prof_state, &zero);
	if (!cpu)
		return 0;
	__u64 packet = ++cpu->packets;
	int sampled = (packet & ((1ULL << KECLEON_BRANCH_SHIFT) - 1)) == 0 ? 2 : (packet & ((1ULL << KECLEON_SAMPLE_SHIFT) - 1)) == 0;
	if (sampled && kecleon_prof_ended())
		return 0;
	return sampled;
}

/* At the entry of a function of the program's own code that has profiled lookups and is not a program entry (which has
 * kecleon_prof_enter's answer): non-zero when this packet records its keys. */
__attribute__((always_inline)) int kecleon_prof_keys_sampled(void)
{
	if (kecleon_prof_off())
		return 0;
	__u32 zero = 0;
	struct kecleon_prof_cpu *cpu = bpf_map_lookup_elem(&kecleon_prof_state, &zero);
	return cpu && (cpu->packets & ((1ULL << KECLEON_SAMPLE_SHIFT) - 1)) == 0 && !kecleon_prof_ended();
}

/* At a profiled function's entry: this CPU's state, for kecleon_prof_lookup. */
__attribute__((always_inline)) struct kecleon_prof_cpu *kecleon_prof_this_cpu(void)
{
	__u32 zero = 0;
	return bpf_map_lookup_elem(&kecleon_prof_state, &zero);
}

/* At a profiled function's entry: this CPU's counters of one element, for kecleon_prof_branch. */
__attribute__((always_inline)) __u64 *kecleon_prof_counter_slot(__u32 slot)
{
	struct kecleon_prof_counters *counters = bpf_map_lookup_elem(&kecleon_prof_branches, &slot);
	return counters ? counters->count : 0;
}

/* Before a conditional branch of the profiled copy: counter 2i (of its element) when it goes to its first successor,
 * 2i + 1 otherwise. counter is a constant after inlining, so this is a load, an add and a store.
 * The way goes through a volatile stack slot: LLVM would otherwise compute the index from the branch condition's own
 * bits (a sign test becomes a shift of the sign bit, an arithmetic shift gives -1 or 0), and the verifier refuses a map
 * value pointer plus a register whose minimum it cannot bound. Compared with zero after the reload, the index is one of
 * two constants, picked by a jump: the counter loads wherever the program does. */
__attribute__((always_inline)) void kecleon_prof_branch(__u64 *counters, __u32 counter, int first)
{
	volatile int way = first;

	if (counters)
		counters[way ? counter : counter + 1] += 1;
}

/* Before a profiled lookup of the profiled copy (and, through kecleon_prof_key, of the program's own code on a packet
 * whose keys are sampled): the key's first bytes (length is a constant after inlining, and LLVM
 * copies them inline with the widest loads the key's alignment allows: the verifier checked the lookup's key_size
 * bytes at the same pointer). */
__attribute__((always_inline)) void kecleon_prof_lookup(struct kecleon_prof_cpu *cpu, __u32 site, const void *key, __u32 length)
{
	if (!cpu)
		return;
	__u32 zero = 0;
	struct kecleon_prof_samples *ring = bpf_map_lookup_elem(&kecleon_prof_ring, &zero);
	if (!ring)
		return;
	__u64 seq = cpu->head++;
	struct kecleon_prof_sample *sample = &ring->slot[seq & (KECLEON_RING - 1)];
	if (length > KECLEON_KEY_BYTES)
		length = KECLEON_KEY_BYTES;
	sample->site = site;
	sample->length = length;
	__builtin_memcpy(__builtin_assume_aligned(sample->key, 8), key, length);
	sample->seq = seq + 1;
}

/* Before the profiled copy of an XDP program runs: keeps one such packet in 2^KECLEON_KEEP_SHIFT. */
__attribute__((always_inline)) void kecleon_prof_packet(void *context)
{
	struct xdp_md *ctx = context;
	__u32 zero = 0;
	struct kecleon_prof_cpu *cpu = bpf_map_lookup_elem(&kecleon_prof_state, &zero);
	if (!cpu)
		return;
	/* One packet in 256 is kept (at the default rates): a ring of 32 fills within a few thousand packets, and the copy
	 * stays off the cost of the other sampled packets. */
	__u64 sampled = cpu->packets >> KECLEON_BRANCH_SHIFT;
	if (sampled & ((1ULL << KECLEON_KEEP_SHIFT) - 1))
		return;
	__u32 slot = (sampled >> KECLEON_KEEP_SHIFT) & (KECLEON_PACKET_SLOTS - 1);
	struct kecleon_prof_packet *packet = bpf_map_lookup_elem(&kecleon_prof_packets, &slot);
	if (!packet)
		return;
	__u32 full = ctx->data_end - ctx->data;
	if (full >= KECLEON_PACKET_BYTES)
		return;
	/* The verifier needs the length bounded where it is passed; the empty asm keeps clang from dropping the mask that
	 * the check above makes redundant to it. */
	__u32 length = full;
	asm volatile("" : "+r"(length));
	length &= KECLEON_PACKET_BYTES - 1;
	if (length < KECLEON_PACKET_MIN_BYTES)
		return;
	if (bpf_xdp_load_bytes(ctx, 0, packet->bytes, length) < 0)
		return;
	packet->length = length;
	packet->full = full;
	packet->seq = cpu->packets;
}

/* Before a profiled lookup of the program's own code: records the key when this packet's keys are sampled (and only its
 * keys: a packet whose branches are sampled runs the profiled copy instead). Out of the way of every other packet: the
 * state is looked up only then. */
__attribute__((always_inline)) void kecleon_prof_key(int sampled, __u32 site, const void *key, __u32 length)
{
	if (__builtin_expect(sampled, 0))
		kecleon_prof_lookup(kecleon_prof_this_cpu(), site, key, length);
}
