// A hash map keyed by a 12-byte flow (addresses and ports): wider than a word, so a tree of full-key compares.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
char LICENSE[] SEC("license") = "GPL";

struct flow {
	__u32 saddr;
	__u32 daddr;
	__u16 sport;
	__u16 dport;
	__u32 pad;
};

struct { __uint(type, BPF_MAP_TYPE_HASH); __uint(max_entries, 64); __type(key, struct flow); __type(value, __u32); } flows SEC(".maps");

SEC("xdp")
int compare_tree(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	if ((void *)(ip + 1) + 4 > end || eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	__u16 *ports = (void *)(ip + 1);
	struct flow key = { .saddr = ip->saddr, .daddr = ip->daddr, .sport = ports[0], .dport = ports[1] };
	__u32 *action = bpf_map_lookup_elem(&flows, &key);
	return action ? *action : XDP_PASS;
}
