// The live data plane's options: one kernel tick in 2^3 sampled, the profiled copy called out of line (noinline) from
// the new entry block, the program's own code left with nothing but that test.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
char LICENSE[] SEC("license") = "GPL";

struct { __uint(type, BPF_MAP_TYPE_LPM_TRIE); __uint(max_entries, 1024); __uint(map_flags, BPF_F_NO_PREALLOC);
	 __type(key, __u64); __type(value, __u32); } routes SEC(".maps");

SEC("xdp")
int sampling_gate(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	__u64 key = 32 | (__u64)ip->daddr << 32;
	__u32 *hop = bpf_map_lookup_elem(&routes, &key);
	return hop ? XDP_TX : XDP_DROP;
}
