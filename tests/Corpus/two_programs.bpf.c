// SPDX-License-Identifier: GPL-2.0
/* Two XDP programs in one object. ether_gate reads gate_verdicts; ether_count counts frames per EtherType in
 * ether_counts, a map ether_gate never references. A loader attaches one of them. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u32);
} gate_verdicts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u64);
} ether_counts SEC(".maps");

static __always_inline int ether_type(struct xdp_md *ctx, __u32 *type)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;

	if ((void *)(eth + 1) > end)
		return -1;
	*type = bpf_ntohs(eth->h_proto);
	return 0;
}

SEC("xdp")
int ether_gate(struct xdp_md *ctx)
{
	__u32 type, *verdict;

	if (ether_type(ctx, &type))
		return XDP_DROP;
	verdict = bpf_map_lookup_elem(&gate_verdicts, &type);
	return verdict ? *verdict : XDP_PASS;
}

SEC("xdp")
int ether_count(struct xdp_md *ctx)
{
	__u32 type;
	__u64 one = 1, *count;

	if (ether_type(ctx, &type))
		return XDP_PASS;
	count = bpf_map_lookup_elem(&ether_counts, &type);
	if (count)
		*count += 1;
	else
		bpf_map_update_elem(&ether_counts, &type, &one, BPF_NOEXIST);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
