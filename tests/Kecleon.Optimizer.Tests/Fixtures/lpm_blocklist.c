// A source blocklist as feeds list it: runs of adjacent /24s with one value. Adjacent ranges with the same value are one
// range, so 96 prefixes are a tree of a few compares rather than a table search over a hundred ranges.
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
	 __type(key, struct lpm_key); __type(value, __u32); } blocklist SEC(".maps");

SEC("xdp")
int lpm_blocklist(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	struct lpm_key key = { .prefixlen = 32, .addr = ip->saddr };
	__u32 *feed = bpf_map_lookup_elem(&blocklist, &key);
	if (!feed)
		return XDP_PASS;
	return *feed == 2 ? XDP_TX : XDP_DROP;
}
