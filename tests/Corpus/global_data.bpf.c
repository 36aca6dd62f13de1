// SPDX-License-Identifier: GPL-2.0
/* Settings and counters in global data: gd_verdict in .data (the loader may change it at run time), gd_frames in .bss
 * (counted by the program), gd_min_len in .rodata (set before load); EtherTypes the control plane lists in
 * gd_dropped are dropped. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>

volatile const __u32 gd_min_len = ETH_HLEN;
__u32 gd_verdict = XDP_PASS;
__u64 gd_frames;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8);
	__type(key, __u16);
	__type(value, __u8);
} gd_dropped SEC(".maps");

SEC("xdp")
int gd_filter(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;

	__sync_fetch_and_add(&gd_frames, 1);
	if (data + gd_min_len > end)
		return XDP_DROP;
	if (data + sizeof(struct ethhdr) <= end && bpf_map_lookup_elem(&gd_dropped, &((struct ethhdr *)data)->h_proto))
		return XDP_DROP;
	return gd_verdict;
}

char LICENSE[] SEC("license") = "GPL";
