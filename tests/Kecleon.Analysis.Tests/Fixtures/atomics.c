// Atomic add and compare-and-swap through lookup results.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
char LICENSE[] SEC("license") = "GPL";

struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 4); __type(key, __u32); __type(value, __u64); } bytes SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 1); __type(key, __u32); __type(value, __u64); } owner SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 1); __type(key, __u32); __type(value, __u64); } config SEC(".maps");

SEC("xdp")
int account(struct xdp_md *ctx)
{
	__u32 zero = 0;
	__u64 *total = bpf_map_lookup_elem(&bytes, &zero);
	if (total)
		__sync_fetch_and_add(total, ctx->data_end - ctx->data);
	__u64 *who = bpf_map_lookup_elem(&owner, &zero);
	if (who)
		__sync_val_compare_and_swap(who, 0, ctx->rx_queue_index);
	__u64 *limit = bpf_map_lookup_elem(&config, &zero);
	if (limit && *limit > 1500)
		return XDP_DROP;
	return XDP_PASS;
}
