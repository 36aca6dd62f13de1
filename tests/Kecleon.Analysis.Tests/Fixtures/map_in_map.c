// Map-in-map: an array of hash maps; the inner map found at run time is written.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
char LICENSE[] SEC("license") = "GPL";

struct inner { __uint(type, BPF_MAP_TYPE_HASH); __uint(max_entries, 16); __type(key, __u32); __type(value, __u32); } inner_a SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 2);
	__type(key, __u32);
	__array(values, struct inner);
} tables SEC(".maps") = { .values = { [0] = &inner_a } };

SEC("xdp")
int per_queue(struct xdp_md *ctx)
{
	__u32 queue = ctx->rx_queue_index & 1;
	void *table = bpf_map_lookup_elem(&tables, &queue);
	if (!table)
		return XDP_PASS;
	__u32 one = 1;
	bpf_map_update_elem(table, &queue, &one, BPF_ANY);
	return XDP_PASS;
}
