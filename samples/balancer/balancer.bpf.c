// SPDX-License-Identifier: GPL-2.0
/*
 * balancer: a Katran-style L4 load balancer.
 *
 * A packet to a VIP (`vip_map`, keyed by address, port and protocol; a VIP
 * with port 0 takes every port) goes to a real server: an established flow
 * keeps the real recorded in `lru_conns`; a new flow hashes its 5-tuple onto
 * the VIP's Maglev ring in `ch_rings` and the data plane records the choice in
 * `lru_conns`. The packet is then encapsulated IP-in-IP towards the real and
 * sent back out of the same interface to the next hop in `ctl_array`.
 *
 * Verdicts:
 *   non-IPv4, VLAN-tagged, malformed/truncated IPv4   -> XDP_PASS
 *   IPv4 fragments, protocols other than TCP/UDP     -> XDP_PASS (the stack reassembles / answers)
 *   not addressed to a VIP                           -> XDP_PASS
 *   TCP/UDP header cut short: to an any-port VIP     -> XDP_DROP
 *                             otherwise              -> XDP_PASS (ports unknown, so not a VIP packet)
 *   ring slot or real missing (real index 0 is the
 *     reserved "no real"), no next hop in ctl_array  -> XDP_DROP
 *   VIP packet                                       -> XDP_TX, IP-in-IP encapsulated
 */
#include "kecleon_net.h"

#define MAX_VIPS   16
#define RING_SIZE  65537 /* prime, as Maglev requires */
#define MAX_REALS  4096
#define MAX_CONNS  10000
#define CTL_SIZE   16
#define CTL_NEXTHOP 0    /* ctl_array slot with the next-hop MAC and encap source */

/* vip_meta.flags */
#define VIP_F_HASH_NO_SRC_PORT 0x1 /* hash without the source port (Katran's F_HASH_NO_SRC_PORT) */
#define VIP_F_LRU_BYPASS       0x2 /* never consult or fill lru_conns */

/* 8 bytes; addr and port in network byte order, port 0 = any port. */
struct vip_key {
	__be32 addr;
	__be16 port;
	__u8 proto;
	__u8 pad;
};

struct vip_meta {
	__u32 flags;
	__u32 vip_num; /* selects the ring: slots [vip_num * RING_SIZE, +RING_SIZE) */
};

/* addr in network byte order; addr 0 marks an unused slot. */
struct real_definition {
	__be32 addr;
	__u32 flags;
};

/* 16 bytes. atime: when the data plane created the entry. */
struct real_pos_lru {
	__u32 real_index;
	__u32 pad;
	__u64 atime;
};

/* 12 bytes. encap_src's low 16 bits are replaced per flow, as Katran does, so
 * the outer headers of different flows spread over the reals' RSS queues. */
struct ctl_value {
	__u8 nexthop_mac[ETH_ALEN];
	__u8 pad[2];
	__be32 encap_src;
};

enum balancer_stat {
	LB_STAT_RX = 0,
	LB_STAT_NOT_HANDLED,
	LB_STAT_NOT_VIP,
	LB_STAT_MALFORMED,
	LB_STAT_LRU_HIT,
	LB_STAT_LRU_MISS,
	LB_STAT_NO_REAL,
	LB_STAT_ENCAP_FAIL,
	LB_STAT_TX,
	LB_STAT_MAX
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 512);
	__type(key, struct vip_key);
	__type(value, struct vip_meta);
} vip_map SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, MAX_VIPS * RING_SIZE);
	__type(key, __u32);
	__type(value, __u32);
} ch_rings SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, MAX_REALS);
	__type(key, __u32);
	__type(value, struct real_definition);
} reals SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, MAX_CONNS);
	__type(key, struct kn_flow);
	__type(value, struct real_pos_lru);
} lru_conns SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, CTL_SIZE);
	__type(key, __u32);
	__type(value, struct ctl_value);
} ctl_array SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, LB_STAT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} stats SEC(".maps");

/* Bob Jenkins' lookup3 final mix, as in the kernel's jhash.h (Katran uses it too). */
#define JHASH_INITVAL 0xdeadbeef

static __always_inline __u32 rol32(__u32 word, unsigned int shift)
{
	return (word << shift) | (word >> ((-shift) & 31));
}

static __always_inline __u32 jhash_3words(__u32 a, __u32 b, __u32 c, __u32 initval)
{
	a += JHASH_INITVAL + (3 << 2) + initval;
	b += JHASH_INITVAL + (3 << 2) + initval;
	c += JHASH_INITVAL + (3 << 2) + initval;
	c ^= b; c -= rol32(b, 14);
	a ^= c; a -= rol32(c, 11);
	b ^= a; b -= rol32(a, 25);
	c ^= b; c -= rol32(b, 16);
	a ^= c; a -= rol32(c, 4);
	b ^= a; b -= rol32(a, 14);
	c ^= b; c -= rol32(b, 24);
	return c;
}

/* The 5-tuple's hash; destination and protocol fold into the first word. */
static __always_inline __u32 flow_hash(const struct kn_flow *flow, __u32 vip_flags)
{
	__u32 ports = ((__u32)flow->sport << 16) | flow->dport;

	if (vip_flags & VIP_F_HASH_NO_SRC_PORT)
		ports = flow->dport;
	return jhash_3words(flow->saddr, flow->daddr ^ flow->proto, ports, RING_SIZE);
}

SEC("xdp")
int balancer(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth, *inner_eth;
	struct iphdr *iph, *outer;
	struct real_definition *real;
	struct real_pos_lru *conn;
	struct ctl_value *ctl;
	struct vip_meta *vip;
	struct vip_key vkey;
	struct kn_flow flow;
	struct kn_l2 l2;
	__u32 real_index = 0;
	__u32 ctl_slot = CTL_NEXTHOP;
	__u16 inner_len;
	__u8 inner_tos;
	int l4;

	kn_count(&stats, LB_STAT_RX);

	if (kn_parse_eth(data, data_end, &l2) < 0 || l2.proto != ETH_P_IP || l2.tagged) {
		kn_count(&stats, LB_STAT_NOT_HANDLED);
		return XDP_PASS;
	}
	iph = kn_parse_ipv4(data, data_end, l2.l3_off);
	if (!iph) {
		kn_count(&stats, LB_STAT_MALFORMED);
		return XDP_PASS;
	}
	if (kn_ipv4_is_fragment(iph) ||
	    (iph->protocol != IPPROTO_TCP && iph->protocol != IPPROTO_UDP)) {
		kn_count(&stats, LB_STAT_NOT_HANDLED);
		return XDP_PASS;
	}

	/* A cut L4 header leaves the ports zero: only an any-port VIP can claim
	 * such a packet (and drops it); for anything else it is not ours. */
	l4 = kn_parse_l4(data_end, iph, &flow);

	vkey.addr = iph->daddr;
	vkey.port = flow.dport;
	vkey.proto = iph->protocol;
	vkey.pad = 0;
	vip = bpf_map_lookup_elem(&vip_map, &vkey);
	if (!vip) {
		vkey.port = 0;
		vip = bpf_map_lookup_elem(&vip_map, &vkey);
	}
	if (!vip) {
		kn_count(&stats, LB_STAT_NOT_VIP);
		return XDP_PASS;
	}
	if (l4 != KN_L4_PORTS) {
		kn_count(&stats, LB_STAT_MALFORMED);
		return XDP_DROP;
	}

	if (!(vip->flags & VIP_F_LRU_BYPASS)) {
		conn = bpf_map_lookup_elem(&lru_conns, &flow);
		if (conn) {
			real_index = conn->real_index;
			kn_count(&stats, LB_STAT_LRU_HIT);
		}
	}
	if (!real_index) {
		__u32 slot = vip->vip_num * RING_SIZE + flow_hash(&flow, vip->flags) % RING_SIZE;
		__u32 *ring_real = bpf_map_lookup_elem(&ch_rings, &slot);

		if (!ring_real || !*ring_real) {
			kn_count(&stats, LB_STAT_NO_REAL);
			return XDP_DROP;
		}
		real_index = *ring_real;
		kn_count(&stats, LB_STAT_LRU_MISS);
		if (!(vip->flags & VIP_F_LRU_BYPASS)) {
			struct real_pos_lru fresh = {
				.real_index = real_index,
				.pad = 0,
				.atime = bpf_ktime_get_ns(),
			};

			bpf_map_update_elem(&lru_conns, &flow, &fresh, BPF_ANY);
		}
	}
	real = bpf_map_lookup_elem(&reals, &real_index);
	if (!real || !real->addr) {
		kn_count(&stats, LB_STAT_NO_REAL);
		return XDP_DROP;
	}
	ctl = bpf_map_lookup_elem(&ctl_array, &ctl_slot);
	if (!ctl || !(ctl->nexthop_mac[0] | ctl->nexthop_mac[1] | ctl->nexthop_mac[2] |
		      ctl->nexthop_mac[3] | ctl->nexthop_mac[4] | ctl->nexthop_mac[5])) {
		kn_count(&stats, LB_STAT_NO_REAL);
		return XDP_DROP;
	}

	inner_len = bpf_ntohs(iph->tot_len);
	inner_tos = iph->tos;

	if (bpf_xdp_adjust_head(ctx, -(int)sizeof(struct iphdr))) {
		kn_count(&stats, LB_STAT_ENCAP_FAIL);
		return XDP_DROP;
	}
	data = (void *)(long)ctx->data;
	data_end = (void *)(long)ctx->data_end;
	eth = data;
	inner_eth = data + sizeof(struct iphdr);
	outer = (void *)(eth + 1);
	if ((void *)(outer + 1) > data_end || (void *)(inner_eth + 1) > data_end) {
		kn_count(&stats, LB_STAT_ENCAP_FAIL);
		return XDP_DROP;
	}

	/* The old Ethernet header now overlaps the outer IP header; read it first. */
	kn_copy_mac(eth->h_source, inner_eth->h_dest);
	kn_copy_mac(eth->h_dest, ctl->nexthop_mac);
	eth->h_proto = bpf_htons(ETH_P_IP);

	outer->version = 4;
	outer->ihl = sizeof(*outer) >> 2;
	outer->tos = inner_tos;
	outer->tot_len = bpf_htons(inner_len + sizeof(*outer));
	outer->id = 0;
	outer->frag_off = 0;
	outer->ttl = 64;
	outer->protocol = IPPROTO_IPIP;
	outer->saddr = (ctl->encap_src & bpf_htonl(0xffff0000)) |
		       bpf_htonl((bpf_ntohs(flow.sport) ^ bpf_ntohl(flow.saddr)) & 0xffff);
	outer->daddr = real->addr;
	outer->check = kn_ipv4_header_csum(outer);

	kn_count(&stats, LB_STAT_TX);
	return XDP_TX;
}

char LICENSE[] SEC("license") = "GPL";
