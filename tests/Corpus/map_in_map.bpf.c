// SPDX-License-Identifier: GPL-2.0
/* Verdict tables chosen per VLAN-less EtherType class: mim_tables holds one inner array per class, set by the loader. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

struct mim_inner {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u32);
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 2);
	__type(key, __u32);
	__array(values, struct mim_inner);
} mim_tables SEC(".maps");

/* EtherTypes the control plane sends to another table than their class's: read-only for the program. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8);
	__type(key, __u16);
	__type(value, __u32);
} mim_overrides SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} mim_misses SEC(".maps");

SEC("xdp")
int mim_filter(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	__u32 table, slot, zero = 0, *verdict;
	__u64 *misses;
	void *inner;

	if ((void *)(eth + 1) > end)
		return XDP_DROP;
	table = eth->h_proto == bpf_htons(ETH_P_IP) ? 0 : 1;
	{
		__u16 proto = eth->h_proto;
		__u32 *override = bpf_map_lookup_elem(&mim_overrides, &proto);

		if (override)
			table = *override & 1;
	}
	inner = bpf_map_lookup_elem(&mim_tables, &table);
	if (!inner)
		goto miss;
	slot = eth->h_dest[5] & 3;
	verdict = bpf_map_lookup_elem(inner, &slot);
	if (verdict && *verdict <= XDP_TX)
		return *verdict;
miss:
	misses = bpf_map_lookup_elem(&mim_misses, &zero);
	if (misses)
		*misses += 1;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
