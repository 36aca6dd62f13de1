// SPDX-License-Identifier: GPL-2.0
/*
 * xdp_netns: an XDP program that runs on an interface inside a network
 * namespace of its own. It drops IPv4 frames whose source address
 * `blocked_sources` holds and passes everything else.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 256);
	__type(key, __be32);
	__type(value, __u32);
} blocked_sources SEC(".maps");

SEC("xdp")
int xdp_netns(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);

	if ((void *)(ip + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	if (bpf_map_lookup_elem(&blocked_sources, &ip->saddr))
		return XDP_DROP;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
