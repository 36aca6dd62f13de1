// An LPM trie with a few prefixes: a tree of compares over their disjoint address ranges, next hops as constants.
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

struct { __uint(type, BPF_MAP_TYPE_LPM_TRIE); __uint(max_entries, 1024); __uint(map_flags, BPF_F_NO_PREALLOC);
	 __type(key, struct lpm_key); __type(value, __u32); } routes SEC(".maps");

SEC("xdp")
int lpm_compare_tree(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	struct lpm_key key = { .prefixlen = 32, .addr = ip->daddr };
	__u32 *hop = bpf_map_lookup_elem(&routes, &key);
	if (!hop)
		return XDP_DROP;
	return *hop == 0 ? XDP_PASS : XDP_TX;
}
