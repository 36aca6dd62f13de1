// SPDX-License-Identifier: GPL-2.0
/* The other half of the linked object (linked_main.bpf.c): a global, not inlined classifier that reads its own map of
 * EtherTypes and counts what it cannot parse into the shared map. */
#include <linux/if_ether.h>
#include <bpf/bpf_endian.h>
#include "linked.h"

LINKED_STATS_MAP;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u16);
	__type(value, __u32);
} linked_protocols SEC(".maps");

__noinline int linked_classify(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	__u32 key = 2;
	__u16 proto;
	__u32 *verdict;

	if ((void *)(eth + 1) > data_end) {
		__u64 *count = bpf_map_lookup_elem(&linked_stats, &key);
		if (count)
			__sync_fetch_and_add(count, 1);
		return XDP_ABORTED;
	}
	proto = bpf_ntohs(eth->h_proto);
	verdict = bpf_map_lookup_elem(&linked_protocols, &proto);
	if (!verdict)
		return XDP_PASS;
	return *verdict == XDP_DROP ? XDP_DROP : XDP_PASS;
}
