// Two maps inlined into one program with a stack key: the entry gets one guard block that checks both snapshots'
// versions and tail-calls the original from its own fallback slot when either moved; the allocas stay in the entry.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
char LICENSE[] SEC("license") = "GPL";

struct { __uint(type, BPF_MAP_TYPE_HASH); __uint(max_entries, 16); __type(key, __u32); __type(value, __u32); } allowed SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_HASH); __uint(max_entries, 16); __type(key, __u32); __type(value, __u32); } actions SEC(".maps");

SEC("xdp")
int guard_wrapping(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	if ((void *)(eth + 1) > end)
		return XDP_DROP;
	__u32 key = bpf_ntohs(eth->h_proto);
	__u32 *ok = bpf_map_lookup_elem(&allowed, &key);
	if (!ok || !*ok)
		return XDP_DROP;
	__u32 *action = bpf_map_lookup_elem(&actions, &key);
	return action ? *action : XDP_PASS;
}
