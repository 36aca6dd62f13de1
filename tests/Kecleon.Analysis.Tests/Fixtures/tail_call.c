// Tail calls through a PROG_ARRAY: two programs in two sections, and a dispatcher.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
char LICENSE[] SEC("license") = "GPL";

struct { __uint(type, BPF_MAP_TYPE_PROG_ARRAY); __uint(max_entries, 4); __type(key, __u32); __type(value, __u32); } jump SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 1); __type(key, __u32); __type(value, __u32); } mode SEC(".maps");

SEC("xdp")
int stage_drop(struct xdp_md *ctx)
{
	return XDP_DROP;
}

SEC("xdp")
int dispatch(struct xdp_md *ctx)
{
	__u32 zero = 0;
	__u32 *m = bpf_map_lookup_elem(&mode, &zero);
	if (m)
		bpf_tail_call(ctx, &jump, *m);
	return XDP_PASS;
}
