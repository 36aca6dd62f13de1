// A service chain: an entry stage on the hook hands packets on through a PROG_ARRAY whose slots the map's definition
// fills (libbpf loads them there); each stage tail-calls the next by a constant slot, and passes when the slot is empty.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
char LICENSE[] SEC("license") = "GPL";

struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 1); __type(key, __u32); __type(value, __u32); } blocked_proto SEC(".maps");

SEC("xdp") int stage_filter(struct xdp_md *ctx);
SEC("xdp") int stage_last(struct xdp_md *ctx);

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__array(values, int (struct xdp_md *));
} stages SEC(".maps") = {
	.values = {
		[1] = (void *)&stage_filter,
		[2] = (void *)&stage_last,
	},
};

static __always_inline int next(struct xdp_md *ctx, __u32 slot)
{
	bpf_tail_call(ctx, &stages, slot);
	return XDP_PASS;
}

SEC("xdp")
int stage_entry(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;

	if (data + sizeof(struct ethhdr) > end)
		return XDP_DROP;
	return next(ctx, 1);
}

SEC("xdp")
int stage_filter(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	__u32 zero = 0, *proto;

	if ((void *)(eth + 1) > end)
		return XDP_DROP;
	proto = bpf_map_lookup_elem(&blocked_proto, &zero);
	if (proto && *proto == bpf_ntohs(eth->h_proto))
		return XDP_DROP;
	return next(ctx, 2);
}

SEC("xdp")
int stage_last(struct xdp_md *ctx)
{
	return XDP_TX;
}
