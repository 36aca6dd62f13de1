// Two lookups at constant keys of one array under a budget of one combination: each has one answer, so both fold.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
char LICENSE[] SEC("license") = "GPL";

struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 4); __type(key, __u32); __type(value, __u32); } knobs SEC(".maps");

SEC("xdp")
int constant_key_budget(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	__u32 key = 0;
	__u32 *min = bpf_map_lookup_elem(&knobs, &key);
	if (!min)
		return XDP_ABORTED;
	key = 1;
	__u32 *max = bpf_map_lookup_elem(&knobs, &key);
	if (!max)
		return XDP_ABORTED;
	__u64 len = end - data;
	return len < *min || len > *max ? XDP_DROP : XDP_PASS;
}
