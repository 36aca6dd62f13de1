// SPDX-License-Identifier: GPL-2.0
/* Forwards frames by the last byte of their destination MAC: dh_ports (a DEVMAP_HASH) maps it to an egress
 * interface; frames with no port pass, and ports the control plane lists in dh_blocked are dropped. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, struct bpf_devmap_val);
} dh_ports SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u8);
} dh_blocked SEC(".maps");

SEC("xdp")
int dh_forward(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	__u32 port;

	if ((void *)(eth + 1) > end)
		return XDP_DROP;
	port = eth->h_dest[5];
	if (bpf_map_lookup_elem(&dh_blocked, &port))
		return XDP_DROP;
	return bpf_redirect_map(&dh_ports, port, XDP_PASS);
}

char LICENSE[] SEC("license") = "GPL";
