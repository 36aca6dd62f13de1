// SPDX-License-Identifier: GPL-2.0
/* A service chain of our own, as a chaining framework loads it: fusion_entry on the hook, the other stages in the
 * slots of fusion_slots. The entry passes what is not IPv4 and hands the rest to slot 1 (fusion_filter), which drops
 * destinations in fusion_blocked and hands the rest to slot 2 (fusion_forward), whose verdict is fusion_verdict[0].
 * fusion_drop is the stage an operator puts in slot 2 by hand: it drops everything. An empty slot passes. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u32);
} fusion_slots SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u32);
} fusion_blocked SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} fusion_verdict SEC(".maps");

#define FUSION_NEXT(ctx, slot) ({ bpf_tail_call(ctx, &fusion_slots, slot); XDP_PASS; })

SEC("xdp")
int fusion_entry(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	if ((void *)(eth + 1) > end)
		return XDP_DROP;
	if (eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	return FUSION_NEXT(ctx, 1);
}

SEC("xdp")
int fusion_filter(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct iphdr *ip = data + sizeof(struct ethhdr);
	if ((void *)(ip + 1) > end)
		return XDP_DROP;
	__u32 daddr = ip->daddr;
	if (bpf_map_lookup_elem(&fusion_blocked, &daddr))
		return XDP_DROP;
	return FUSION_NEXT(ctx, 2);
}

SEC("xdp")
int fusion_forward(struct xdp_md *ctx)
{
	__u32 zero = 0;
	__u32 *verdict = bpf_map_lookup_elem(&fusion_verdict, &zero);
	return verdict ? *verdict : XDP_TX;
}

SEC("xdp")
int fusion_drop(struct xdp_md *ctx)
{
	return XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
