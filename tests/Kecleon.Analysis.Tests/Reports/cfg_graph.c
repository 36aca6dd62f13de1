// SPDX-License-Identifier: GPL-2.0
// The graph fixture of DotGraphTests: a read-only lookup, a written map, a tail call, a redirect and constant verdicts
// joined in one return block (XDP), and a TC program with its own verdicts.
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
char LICENSE[] SEC("license") = "GPL";

struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 1); __type(key, __u32); __type(value, __u32); } config SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 1); __type(key, __u32); __type(value, __u64); } seen SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_PROG_ARRAY); __uint(max_entries, 2); __type(key, __u32); __type(value, __u32); } next SEC(".maps");

SEC("xdp")
int graph_xdp(struct xdp_md *ctx)
{
	__u32 zero = 0;
	__u32 *mode = bpf_map_lookup_elem(&config, &zero);
	if (!mode)
		return XDP_ABORTED;
	if (*mode == 1)
		return XDP_DROP;
	if (*mode == 2)
		bpf_tail_call(ctx, &next, 0);
	if (*mode == 3)
		return bpf_redirect(*mode, 0);
	__u64 one = 1;
	bpf_map_update_elem(&seen, &zero, &one, BPF_ANY);
	return XDP_PASS;
}

SEC("tc")
int graph_tc(struct __sk_buff *skb)
{
	if (skb->len < 64)
		return TC_ACT_SHOT;
	return TC_ACT_OK;
}
