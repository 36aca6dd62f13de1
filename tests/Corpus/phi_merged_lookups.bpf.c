// SPDX-License-Identifier: GPL-2.0
/* A router that asks a host table first, then a prefix table, then a one-slot default, and forwards by whichever
 * answered: the three next-hop pointers merge through phis (a phi of phis), the merged next hop keys a neighbour
 * table, and the neighbour's MAC and port rewrite and redirect the frame (a port of 0 sends it back out). */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>

struct pm_prefix {
	__u32 prefixlen;
	__u32 addr;
};

struct pm_neighbour {
	__u8 mac[6];
	__u16 vlan;
	__u32 port;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 32);
	__type(key, __u32);
	__type(value, __u32);
} pm_hosts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 64);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct pm_prefix);
	__type(value, __u32);
} pm_prefixes SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} pm_default SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, struct pm_neighbour);
} pm_neighbours SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u32);
} pm_ports SEC(".maps");

SEC("xdp")
int pm_route(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	struct pm_neighbour *neighbour;
	__u32 *hop, daddr, zero = 0;

	if ((void *)(ip + 1) > end || eth->h_proto != __builtin_bswap16(ETH_P_IP))
		return XDP_PASS;
	daddr = ip->daddr;
	hop = bpf_map_lookup_elem(&pm_hosts, &daddr);
	if (!hop) {
		struct pm_prefix prefix = { .prefixlen = 32, .addr = daddr };

		hop = bpf_map_lookup_elem(&pm_prefixes, &prefix);
		if (!hop)
			hop = bpf_map_lookup_elem(&pm_default, &zero);
		if (!hop)
			return XDP_ABORTED;
	}
	if (*hop == 0)
		return XDP_PASS;
	neighbour = bpf_map_lookup_elem(&pm_neighbours, hop);
	if (!neighbour)
		return XDP_DROP;
	__builtin_memcpy(eth->h_source, eth->h_dest, ETH_ALEN);
	__builtin_memcpy(eth->h_dest, neighbour->mac, ETH_ALEN);
	if (!neighbour->port)
		return XDP_TX;
	return bpf_redirect_map(&pm_ports, neighbour->port, XDP_DROP);
}

char LICENSE[] SEC("license") = "GPL";
