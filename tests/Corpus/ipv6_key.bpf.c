// SPDX-License-Identifier: GPL-2.0
/*
 * An IPv6 destination filter: packets to an address in the block list are
 * dropped, everything else passes. The list is a hash map keyed by the full
 * 16-byte destination address, read-only for the data plane.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in6.h>
#include <linux/ipv6.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, struct in6_addr);
	__type(value, __u32);
} v6_blocked SEC(".maps");

SEC("xdp")
int ipv6_key(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct ipv6hdr *ip6;
	struct in6_addr daddr;

	if ((void *)(eth + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IPV6))
		return XDP_PASS;
	ip6 = (void *)(eth + 1);
	if ((void *)(ip6 + 1) > data_end)
		return XDP_PASS;
	__builtin_memcpy(&daddr, &ip6->daddr, sizeof(daddr));
	return bpf_map_lookup_elem(&v6_blocked, &daddr) ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
