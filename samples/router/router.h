/* SPDX-License-Identifier: GPL-2.0 */
/*
 * router: IPv4 forwarding in XDP.
 *
 * Longest-prefix match of the destination in `routes` gives a next-hop index;
 * `nexthops` holds the MACs and egress interface for it. On a hit the TTL is
 * decremented with an incremental checksum update and the frame leaves on the
 * next hop's interface: XDP_TX when that is the ingress interface, otherwise
 * bpf_redirect(ifindex, 0) (a devmap would need real devices under
 * BPF_PROG_TEST_RUN).
 *
 * Verdicts:
 *   non-IPv4 (IPv6, ARP, ...), VLAN-tagged    -> XDP_PASS (VLAN subinterfaces are the stack's)
 *   malformed or truncated IPv4               -> XDP_PASS (the stack drops and counts it)
 *   TTL <= 1                                  -> XDP_PASS (the stack sends ICMP time exceeded)
 *   no route                                  -> XDP_DROP (the table is default-free, like a backbone)
 *   next hop slot not marked valid            -> XDP_DROP
 *   route hit                                 -> XDP_TX or XDP_REDIRECT
 * Fragments and IP options are forwarded like any other packet; only the
 * TTL/protocol word of the header changes.
 */
#pragma once

#include "kecleon_net.h"

#define MAX_ROUTES   16384
#define MAX_NEXTHOPS 256

struct route_key {
	__u32 prefixlen;
	__be32 addr;
};

#define NEXTHOP_F_VALID 0x1

/* 20 bytes, no implicit padding. */
struct nexthop {
	__u8 dst_mac[ETH_ALEN];
	__u8 src_mac[ETH_ALEN];
	__u32 ifindex;
	__u32 flags;
};

enum router_stat {
	ROUTER_STAT_RX = 0,
	ROUTER_STAT_NOT_HANDLED,	/* non-IPv4 or VLAN-tagged */
	ROUTER_STAT_MALFORMED,
	ROUTER_STAT_TTL_EXCEEDED,
	ROUTER_STAT_NO_ROUTE,
	ROUTER_STAT_BAD_NEXTHOP,
	ROUTER_STAT_TX,
	ROUTER_STAT_REDIRECT,
	ROUTER_STAT_MAX
};

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, MAX_ROUTES);
	__type(key, struct route_key);
	__type(value, __u32);
} routes SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, MAX_NEXTHOPS);
	__type(key, __u32);
	__type(value, struct nexthop);
} nexthops SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, ROUTER_STAT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} stats SEC(".maps");

static __always_inline int router_process(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct route_key key;
	struct nexthop *nh;
	struct iphdr *iph;
	struct kn_l2 l2;
	__u32 *nh_index;
	__u16 old_word;

	kn_count(&stats, ROUTER_STAT_RX);

	if (kn_parse_eth(data, data_end, &l2) < 0) {
		kn_count(&stats, ROUTER_STAT_MALFORMED);
		return XDP_PASS;
	}
	if (l2.proto != ETH_P_IP || l2.tagged) {
		kn_count(&stats, ROUTER_STAT_NOT_HANDLED);
		return XDP_PASS;
	}
	iph = kn_parse_ipv4(data, data_end, l2.l3_off);
	if (!iph) {
		kn_count(&stats, ROUTER_STAT_MALFORMED);
		return XDP_PASS;
	}
	if (iph->ttl <= 1) {
		kn_count(&stats, ROUTER_STAT_TTL_EXCEEDED);
		return XDP_PASS;
	}

	key.prefixlen = 32;
	key.addr = iph->daddr;
	nh_index = bpf_map_lookup_elem(&routes, &key);
	if (!nh_index) {
		kn_count(&stats, ROUTER_STAT_NO_ROUTE);
		return XDP_DROP;
	}
	nh = bpf_map_lookup_elem(&nexthops, nh_index);
	if (!nh || !(nh->flags & NEXTHOP_F_VALID)) {
		kn_count(&stats, ROUTER_STAT_BAD_NEXTHOP);
		return XDP_DROP;
	}

	/* TTL shares a 16-bit checksum word with the protocol byte. */
	old_word = *(__u16 *)&iph->ttl;
	iph->ttl--;
	iph->check = kn_csum_replace16(iph->check, old_word, *(__u16 *)&iph->ttl);

	kn_copy_mac(eth->h_dest, nh->dst_mac);
	kn_copy_mac(eth->h_source, nh->src_mac);

	if (nh->ifindex == ctx->ingress_ifindex) {
		kn_count(&stats, ROUTER_STAT_TX);
		return XDP_TX;
	}
	kn_count(&stats, ROUTER_STAT_REDIRECT);
	return bpf_redirect(nh->ifindex, 0);
}
