// SPDX-License-Identifier: GPL-2.0
/* Settings and counters in global data: gd_verdict in .data (the loader may change it at run time), gd_frames in .bss
 * (counted by the program), gd_min_len in .rodata (set before load). */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>

volatile const __u32 gd_min_len = ETH_HLEN;
__u32 gd_verdict = XDP_PASS;
__u64 gd_frames;

SEC("xdp")
int gd_filter(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;

	__sync_fetch_and_add(&gd_frames, 1);
	if (data + gd_min_len > end)
		return XDP_DROP;
	return gd_verdict;
}

char LICENSE[] SEC("license") = "GPL";
