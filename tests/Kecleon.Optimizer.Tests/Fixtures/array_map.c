// An array map with two distinct values: the kernel inlines the lookup itself, Kecleon folds the values as constants.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
char LICENSE[] SEC("license") = "GPL";

struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 8); __type(key, __u32); __type(value, __u32); } config SEC(".maps");

SEC("xdp")
int array_map(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	if (data + 1 > end)
		return XDP_ABORTED;
	__u32 key = *(__u8 *)data & 7;
	__u32 *mode = bpf_map_lookup_elem(&config, &key);
	if (!mode)
		return XDP_ABORTED;
	return *mode == 1 ? XDP_DROP : XDP_PASS;
}
