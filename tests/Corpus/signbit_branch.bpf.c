// SPDX-License-Identifier: GPL-2.0
/*
 * Branches on the sign of signed packet fields, as a metering or scoring
 * program does (a negative credit, a negative delta): each test compiles to a
 * shift of the sign bit, and a profiling counter indexed by that test must
 * still be one the verifier can bound. A per-class table (read-only for the
 * data plane) is looked up behind them.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);   /* class: 0..3 from the signs of two fields */
	__type(value, __u32); /* the verdict for that class */
} sign_class SEC(".maps");

SEC("xdp")
int signbit_branch(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__s32 credit, delta;
	__s64 wide;
	__u32 class = 0, *verdict;

	if (data + 14 + 17 > data_end)
		return XDP_PASS;
	credit = (__s32)bpf_ntohl(*(__u32 *)(data + 14));
	delta = (__s32)bpf_ntohl(*(__u32 *)(data + 18));
	wide = (__s64)bpf_be64_to_cpu(*(__u64 *)(data + 22));
	/* Real branches (a helper call on one side keeps each from becoming a select). */
	if (credit < 0) {
		class |= 1;
		if (bpf_ktime_get_ns() & 1)
			class |= 4;
	}
	if (delta < 0) {
		class |= 2;
		if (bpf_get_prandom_u32() & 1)
			class |= 8;
	}
	if ((__s8)((__u8 *)data)[30] < 0)
		class ^= (__u32)bpf_get_smp_processor_id() & 3;
	if (wide < 0 && credit >= 0)
		class ^= 3;
	class &= 15;
	verdict = bpf_map_lookup_elem(&sign_class, &class);
	if (!verdict)
		return XDP_PASS;
	return *verdict;
}

char LICENSE[] SEC("license") = "GPL";
