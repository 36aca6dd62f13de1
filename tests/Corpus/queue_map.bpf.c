// SPDX-License-Identifier: GPL-2.0
/* Samples the EtherType of frames into a queue a collector pops, and drops the EtherTypes q_block holds. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

struct {
	__uint(type, BPF_MAP_TYPE_QUEUE);
	__uint(max_entries, 64);
	__type(value, __u32);
} q_samples SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u32);
} q_block SEC(".maps");

SEC("xdp")
int queue_sampler(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	__u32 type;

	if ((void *)(eth + 1) > end)
		return XDP_DROP;
	type = bpf_ntohs(eth->h_proto);
	bpf_map_push_elem(&q_samples, &type, BPF_EXIST);
	if (bpf_map_lookup_elem(&q_block, &type))
		return XDP_DROP;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
