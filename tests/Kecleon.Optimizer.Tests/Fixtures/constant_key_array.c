// An array of many distinct values read at a constant key: whatever the other slots hold, the lookup has one answer.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
char LICENSE[] SEC("license") = "GPL";

struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 8); __type(key, __u32); __type(value, __u32); } limits SEC(".maps");

SEC("xdp")
int constant_key_array(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	__u32 key = 3;
	__u32 *limit = bpf_map_lookup_elem(&limits, &key);
	if (!limit)
		return XDP_ABORTED;
	return data + *limit > end ? XDP_DROP : XDP_PASS;
}
