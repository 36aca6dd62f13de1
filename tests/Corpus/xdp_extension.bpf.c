// SPDX-License-Identifier: GPL-2.0
/*
 * xdp_extension: the program a dispatcher slot runs (an freplace extension of
 * xdp_dispatcher's prog0): drops IPv4 frames to the ports `dropped_ports` holds.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u16);
	__type(value, __u32);
} dropped_ports SEC(".maps");

SEC("freplace/prog0")
int xdp_extension(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	struct udphdr *udp = (void *)(ip + 1);

	if ((void *)(udp + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP) || ip->protocol != IPPROTO_UDP)
		return XDP_PASS;
	return bpf_map_lookup_elem(&dropped_ports, &udp->dest) ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
