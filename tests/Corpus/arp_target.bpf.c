// SPDX-License-Identifier: GPL-2.0
/*
 * An ARP responder's decision: an ARP request (untagged or behind one 802.1Q
 * tag) whose target protocol address is one of ours is answered (XDP_TX here;
 * a real responder rewrites the frame first), everything else passes. The
 * addresses the control plane owns are a hash map keyed by that target
 * address, which Kecleon inlines.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

struct arp_vlan {
	__be16 tci;
	__be16 proto;
};

#define ARP_OP_REQUEST 1

/* ARP for IPv4 over Ethernet: the fixed header and the four addresses. */
struct arp_ipv4 {
	__be16 htype;
	__be16 ptype;
	__u8 hlen;
	__u8 plen;
	__be16 oper;
	unsigned char sha[ETH_ALEN];
	__be32 sip;
	unsigned char tha[ETH_ALEN];
	__be32 tip;
} __attribute__((packed));

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 256);
	__type(key, __be32);  /* an address we answer for */
	__type(value, __u32); /* the VLAN it lives on, 0 for any */
} arp_owned SEC(".maps");

SEC("xdp")
int arp_target(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct arp_ipv4 *arp;
	__be16 proto;
	__be32 tip;
	__u32 *vlan;
	void *l3;

	if ((void *)(eth + 1) > data_end)
		return XDP_PASS;
	proto = eth->h_proto;
	l3 = eth + 1;
	if (proto == bpf_htons(ETH_P_8021Q)) {
		struct arp_vlan *tag = l3;

		if ((void *)(tag + 1) > data_end)
			return XDP_PASS;
		proto = tag->proto;
		l3 = tag + 1;
	}
	if (proto != bpf_htons(ETH_P_ARP))
		return XDP_PASS;
	arp = l3;
	if ((void *)(arp + 1) > data_end || arp->oper != bpf_htons(ARP_OP_REQUEST))
		return XDP_PASS;
	tip = arp->tip;
	vlan = bpf_map_lookup_elem(&arp_owned, &tip);
	return vlan ? XDP_TX : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
