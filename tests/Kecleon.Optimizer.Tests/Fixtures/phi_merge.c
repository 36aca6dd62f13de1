// A router that asks an exact table, then an LPM table, then a default array, and uses whichever answered: the three
// lookups merge through phis into one next-hop pointer, whose index keys a neighbour table; the neighbour's port feeds
// bpf_redirect_map as a constant.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
char LICENSE[] SEC("license") = "GPL";

struct lpm_key {
	__u32 prefixlen;
	__u32 addr;
};

struct neighbour {
	__u8 mac[6];
	__u16 flags;
	__u32 port;
};

struct { __uint(type, BPF_MAP_TYPE_HASH); __uint(max_entries, 64); __type(key, __u32); __type(value, __u32); } hosts SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_LPM_TRIE); __uint(max_entries, 64); __uint(map_flags, BPF_F_NO_PREALLOC);
	 __type(key, struct lpm_key); __type(value, __u32); } prefixes SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 1); __type(key, __u32); __type(value, __u32); } fallback_hop SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_HASH); __uint(max_entries, 16); __type(key, __u32); __type(value, struct neighbour); } neighbours SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_DEVMAP); __uint(max_entries, 8); __type(key, __u32); __type(value, __u32); } ports SEC(".maps");

SEC("xdp")
int phi_merge(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	__u32 daddr = ip->daddr;
	__u32 *hop = bpf_map_lookup_elem(&hosts, &daddr);
	if (!hop) {
		struct lpm_key key = { .prefixlen = 32, .addr = daddr };
		hop = bpf_map_lookup_elem(&prefixes, &key);
		if (!hop) {
			__u32 zero = 0;
			hop = bpf_map_lookup_elem(&fallback_hop, &zero);
			if (!hop)
				return XDP_ABORTED;
		}
	}
	struct neighbour *n = bpf_map_lookup_elem(&neighbours, hop);
	if (!n)
		return XDP_DROP;
	__builtin_memcpy(eth->h_dest, n->mac, 6);
	return bpf_redirect_map(&ports, n->port, 0);
}
