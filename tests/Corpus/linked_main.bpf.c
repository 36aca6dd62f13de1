// SPDX-License-Identifier: GPL-2.0
/* One half of an object linked by `bpftool gen object linked.o linked_main.o linked_helper.o`: the XDP entry, which
 * calls a classifier defined in the other object and counts into a map both objects declare (__weak here and there). */
#include "linked.h"

LINKED_STATS_MAP;

extern int linked_classify(struct xdp_md *ctx);

SEC("xdp")
int linked_main(struct xdp_md *ctx)
{
	int verdict = linked_classify(ctx);
	__u32 key = verdict == XDP_PASS ? 0 : 1;
	__u64 *count = bpf_map_lookup_elem(&linked_stats, &key);

	if (count)
		__sync_fetch_and_add(count, 1);
	return verdict;
}

char LICENSE[] SEC("license") = "GPL";
