// SPDX-License-Identifier: GPL-2.0
/* Maps declared with one entry: the loader sizes them for its configuration before load (bpf_map__set_max_entries). */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} sized_rules SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_PERCPU_HASH);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} sized_seen SEC(".maps");

SEC("xdp")
int sized_filter(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	__u32 type, *rule;
	__u64 one = 1, *seen;

	if ((void *)(eth + 1) > end)
		return XDP_DROP;
	type = bpf_ntohs(eth->h_proto);
	seen = bpf_map_lookup_elem(&sized_seen, &type);
	if (seen)
		*seen += 1;
	else
		bpf_map_update_elem(&sized_seen, &type, &one, BPF_ANY);
	rule = bpf_map_lookup_elem(&sized_rules, &type);
	return rule ? *rule : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
