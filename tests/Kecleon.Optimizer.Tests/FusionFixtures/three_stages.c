// A chain of three XDP stages in one object, linked by tail calls through one PROG_ARRAY as a chaining framework links
// them: the entry classifies, slot 1 filters, slot 2 forwards. The filter also tail-calls a computed slot (never
// resolvable) and slot 3, whose stage tail-calls slot 3 again (a cycle).
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
char LICENSE[] SEC("license") = "GPL";

struct { __uint(type, BPF_MAP_TYPE_PROG_ARRAY); __uint(max_entries, 4); __type(key, __u32); __type(value, __u32); } slots SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_HASH); __uint(max_entries, 16); __type(key, __u32); __type(value, __u32); } blocked SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 1); __type(key, __u32); __type(value, __u32); } verdict SEC(".maps");

SEC("xdp")
int stage_entry(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	if ((void *)(eth + 1) > end)
		return XDP_DROP;
	if (eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	bpf_tail_call(ctx, &slots, 1);
	return XDP_PASS;
}

SEC("xdp")
int stage_filter(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > end)
		return XDP_DROP;
	__u32 daddr = ip->daddr;
	if (bpf_map_lookup_elem(&blocked, &daddr))
		return XDP_DROP;
	if (ip->protocol == 17 /* UDP */)
		bpf_tail_call(ctx, &slots, ip->tos & 3);
	if (ip->ttl == 1)
		bpf_tail_call(ctx, &slots, 3);
	bpf_tail_call(ctx, &slots, 2);
	return XDP_PASS;
}

SEC("xdp")
int stage_forward(struct xdp_md *ctx)
{
	__u32 zero = 0;
	__u32 *action = bpf_map_lookup_elem(&verdict, &zero);
	return action ? *action : XDP_TX;
}

SEC("xdp")
int stage_loop(struct xdp_md *ctx)
{
	bpf_tail_call(ctx, &slots, 3);
	return XDP_ABORTED;
}
