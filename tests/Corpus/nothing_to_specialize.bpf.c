// SPDX-License-Identifier: GPL-2.0
/*
 * A program with nothing to specialize: its one map is a per-CPU counter
 * the data plane writes on every packet. Kecleon must leave it on its hook
 * as it is, and say why.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} nts_packets SEC(".maps");

SEC("xdp")
int nothing_to_spec(struct xdp_md *ctx)
{
	__u32 key = ctx->rx_queue_index & 3;
	__u64 *count = bpf_map_lookup_elem(&nts_packets, &key);

	if (count)
		*count += 1;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
