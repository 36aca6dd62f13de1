/* Linked into an instrumented program by InstrumentationPass. Compiled from C so the maps carry BTF. The command line
 * defines KECLEON_SAMPLE_SHIFT (one packet in 2^shift is sampled), KECLEON_RING (samples kept per CPU, a power of two),
 * KECLEON_KEY_BYTES (bytes of a key recorded) and KECLEON_COUNTERS (two per conditional branch).
 *
 * kecleon_prof_enter runs on every packet and decides whether it is sampled; only a sampled packet runs the profiled
 * copy of the program, which counts the way of every branch it takes and copies each profiled lookup's key into a
 * per-CPU ring. The ring never freezes: it wraps, and user space reads what is new since its last read by sequence
 * number. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct kecleon_prof_cpu {
	__u64 packets; /* packets seen on this CPU */
	__u64 head;    /* samples written to the ring on this CPU; the next goes to head % KECLEON_RING */
};

struct kecleon_prof_sample {
	__u64 seq;  /* head + 1 when written: 0 is an empty slot */
	__u32 site; /* HelperCallSite.Index */
	__u32 length;
	__u8 key[KECLEON_KEY_BYTES];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct kecleon_prof_cpu);
} kecleon_prof_state SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, KECLEON_RING);
	__type(key, __u32);
	__type(value, struct kecleon_prof_sample);
} kecleon_prof_ring SEC(".maps");

/* The first bytes of recently sampled packets (XDP programs only): live traffic for the differential check. A slot is
 * taken by the sampled packet's number on its CPU, so the ring wraps and always holds the latest. */
#define KECLEON_PACKET_BYTES 256
#define KECLEON_PACKET_SLOTS 32

struct kecleon_prof_packet {
	__u64 seq;    /* the packet's number on its CPU (kecleon_prof_cpu.packets): 0 is an empty slot */
	__u32 length; /* the packet's length (packets longer than KECLEON_PACKET_BYTES - 1 are not kept) */
	__u32 full;   /* the same, as the program saw it */
	__u8 bytes[KECLEON_PACKET_BYTES];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, KECLEON_PACKET_SLOTS);
	__type(key, __u32);
	__type(value, struct kecleon_prof_packet);
} kecleon_prof_packets SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, KECLEON_COUNTERS);
	__type(key, __u32);
	__type(value, __u64);
} kecleon_prof_branches SEC(".maps");

/* At the program's entry: counts the packet; non-zero when it is sampled. */
__attribute__((always_inline)) int kecleon_prof_enter(void)
{
	__u32 zero = 0;
	struct kecleon_prof_cpu *cpu = bpf_map_lookup_elem(&kecleon_prof_state, &zero);
	if (!cpu)
		return 0;
	return (++cpu->packets & ((1ULL << KECLEON_SAMPLE_SHIFT) - 1)) == 0;
}

/* Before a conditional branch of the profiled copy: counter 2i when it goes to its first successor, 2i + 1 otherwise. */
__attribute__((always_inline)) void kecleon_prof_branch(__u32 counter, int first)
{
	__u32 index = counter + (first ? 0 : 1);
	__u64 *count = bpf_map_lookup_elem(&kecleon_prof_branches, &index);
	if (count)
		*count += 1;
}

/* Before a profiled lookup of the profiled copy: the key's first bytes (length is a constant after inlining). */
__attribute__((always_inline)) void kecleon_prof_lookup(__u32 site, const void *key, __u32 length)
{
	__u32 zero = 0;
	struct kecleon_prof_cpu *cpu = bpf_map_lookup_elem(&kecleon_prof_state, &zero);
	if (!cpu)
		return;
	__u64 seq = cpu->head++;
	__u32 slot = seq & (KECLEON_RING - 1);
	struct kecleon_prof_sample *sample = bpf_map_lookup_elem(&kecleon_prof_ring, &slot);
	if (!sample)
		return;
	if (length > KECLEON_KEY_BYTES)
		length = KECLEON_KEY_BYTES;
	sample->site = site;
	sample->length = length;
	bpf_probe_read_kernel(sample->key, length, key);
	sample->seq = seq + 1;
}

/* On one sampled packet in 16 of an XDP program, before its profiled copy runs: keeps the packet. */
__attribute__((always_inline)) void kecleon_prof_packet(void *context)
{
	struct xdp_md *ctx = context;
	__u32 zero = 0;
	struct kecleon_prof_cpu *cpu = bpf_map_lookup_elem(&kecleon_prof_state, &zero);
	if (!cpu)
		return;
	/* One sampled packet in 16 is kept: a ring of 32 fills within a few thousand packets, and the copy stays off the
	 * cost of the other sampled packets. */
	__u64 sampled = cpu->packets >> KECLEON_SAMPLE_SHIFT;
	if (sampled & 15)
		return;
	__u32 slot = (sampled >> 4) & (KECLEON_PACKET_SLOTS - 1);
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
	if (length < 14)
		return;
	if (bpf_xdp_load_bytes(ctx, 0, packet->bytes, length) < 0)
		return;
	packet->length = length;
	packet->full = full;
	packet->seq = cpu->packets;
}
