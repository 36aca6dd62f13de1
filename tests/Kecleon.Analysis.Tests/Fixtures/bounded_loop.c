// A bounded loop the compiler keeps (unrolling disabled), with a lookup inside.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
char LICENSE[] SEC("license") = "GPL";

struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 8); __type(key, __u32); __type(value, __u32); } weights SEC(".maps");

SEC("xdp")
int sum_weights(struct xdp_md *ctx)
{
	__u32 sum = 0;
#pragma clang loop unroll(disable)
	for (__u32 i = 0; i < 8; i++) {
		__u32 *w = bpf_map_lookup_elem(&weights, &i);
		if (w)
			sum += *w;
	}
	return sum > ctx->rx_queue_index ? XDP_PASS : XDP_DROP;
}
