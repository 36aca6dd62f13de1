// A hash map with a 4-byte key, read-only in the data plane: inlined as a switch on the key, the verdicts folded in.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
char LICENSE[] SEC("license") = "GPL";

struct { __uint(type, BPF_MAP_TYPE_HASH); __uint(max_entries, 64); __type(key, __u32); __type(value, __u32); } verdicts SEC(".maps");

SEC("xdp")
int hash_switch(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	if ((void *)(eth + 1) > end)
		return XDP_DROP;
	__u32 key = bpf_ntohs(eth->h_proto);
	__u32 *verdict = bpf_map_lookup_elem(&verdicts, &key);
	if (!verdict)
		return XDP_PASS;
	return *verdict;
}
