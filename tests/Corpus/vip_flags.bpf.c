// SPDX-License-Identifier: GPL-2.0
/* A balancer's front half: a VIP table of (address, port, protocol) keys, 20 bytes wide for IPv6 addresses, whose
 * values carry flags and a MAC slot. A VIP flagged any-port is looked up again with port 0 (the two lookups merge
 * through a phi); flags drop the VIP's traffic, hand it to the stack, or send it back out with the destination MAC
 * taken from a small control array of MACs. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>

#define VF_ANY_PORT 0x1
#define VF_DROP 0x2
#define VF_LOCAL 0x4
#define VF_SET_MAC 0x8

struct vf_vip {
	__u32 addr[4];
	__u16 port;
	__u8 proto;
	__u8 family;
};

struct vf_meta {
	__u32 flags;
	__u32 mac_slot;
};

struct vf_mac {
	__u8 addr[6];
	__u16 unused;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, struct vf_vip);
	__type(value, struct vf_meta);
} vf_vips SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, struct vf_mac);
} vf_macs SEC(".maps");

SEC("xdp")
int vf_balance(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	struct udphdr *l4 = (void *)(ip + 1);
	struct vf_vip vip = {};
	struct vf_meta *meta;
	struct vf_mac *mac;
	__u32 flags, slot;

	if ((void *)(l4 + 1) > end || eth->h_proto != __builtin_bswap16(ETH_P_IP) || ip->ihl != 5)
		return XDP_PASS;
	if (ip->protocol != IPPROTO_UDP && ip->protocol != IPPROTO_TCP)
		return XDP_PASS;
	vip.addr[0] = ip->daddr;
	vip.port = l4->dest;
	vip.proto = ip->protocol;
	vip.family = 4;
	meta = bpf_map_lookup_elem(&vf_vips, &vip);
	if (!meta) {
		vip.port = 0;
		meta = bpf_map_lookup_elem(&vf_vips, &vip);
		if (!meta || !(meta->flags & VF_ANY_PORT))
			return XDP_PASS;
	}
	flags = meta->flags;
	if (flags & VF_DROP)
		return XDP_DROP;
	if (flags & VF_LOCAL)
		return XDP_PASS;
	if (!(flags & VF_SET_MAC))
		return XDP_TX;
	slot = meta->mac_slot;
	mac = bpf_map_lookup_elem(&vf_macs, &slot);
	if (!mac)
		return XDP_ABORTED;
	__builtin_memcpy(eth->h_source, eth->h_dest, ETH_ALEN);
	__builtin_memcpy(eth->h_dest, mac->addr, ETH_ALEN);
	return XDP_TX;
}

char LICENSE[] SEC("license") = "GPL";
