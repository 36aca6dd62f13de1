// BPF-to-BPF calls: a subprogram that takes the map and the key, and one that writes through the value it gets.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
char LICENSE[] SEC("license") = "GPL";

struct { __uint(type, BPF_MAP_TYPE_HASH); __uint(max_entries, 64); __type(key, __u32); __type(value, __u32); } allow SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_HASH); __uint(max_entries, 64); __type(key, __u32); __type(value, __u64); } hits SEC(".maps");

static __noinline __u32 *find(void *map, __u32 key)
{
	return bpf_map_lookup_elem(map, &key);
}

static __noinline void bump(__u64 *counter)
{
	if (counter)
		*counter += 1;
}

SEC("xdp")
int calls(struct xdp_md *ctx)
{
	__u32 queue = ctx->rx_queue_index;
	__u32 *ok = find(&allow, queue);
	bump((__u64 *)find(&hits, queue));
	return ok && *ok ? XDP_PASS : XDP_DROP;
}
