// A host table, else a route table the data plane counts hits in, merged by a phi: the routes cannot be inlined (they
// are written), so neither is the host lookup merged with them, and each site says why.
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

struct hop {
	__u32 port;
	__u32 hits;
};

struct { __uint(type, BPF_MAP_TYPE_HASH); __uint(max_entries, 16); __type(key, __u32); __type(value, struct hop); } hosts SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_LPM_TRIE); __uint(max_entries, 16); __uint(map_flags, BPF_F_NO_PREALLOC);
	 __type(key, struct lpm_key); __type(value, struct hop); } counted_routes SEC(".maps");

SEC("xdp")
int phi_member_refused(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	__u32 daddr = ip->daddr;
	struct hop *hop = bpf_map_lookup_elem(&hosts, &daddr);
	if (!hop) {
		struct lpm_key key = { .prefixlen = 32, .addr = daddr };
		struct hop *route = bpf_map_lookup_elem(&counted_routes, &key);
		if (!route)
			return XDP_DROP;
		__sync_fetch_and_add(&route->hits, 1);
		hop = route;
	}
	return bpf_redirect(hop->port, 0);
}
