/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Packet parsing shared by the Kecleon sample network functions.
 *
 * Every accessor checks bounds against data_end before it reads, so the
 * programs stay verifiable and never trust a length field they have not
 * checked. Addresses and ports stay in network byte order throughout, which is
 * also the byte order of every map key the control plane writes.
 */
#pragma once

#include <linux/bpf.h>
#include <linux/in.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

/*
 * How a stage lets a packet through. A program alone hands it to the stack; a
 * chain (samples/chain) defines KN_NEXT before this header to tail-call the
 * next stage instead.
 */
#ifndef KN_NEXT
#define KN_NEXT(ctx) XDP_PASS
#endif

#define KN_ETH_P_8021Q  0x8100
#define KN_ETH_P_8021AD 0x88A8
#define KN_VLAN_VID_MASK 0x0fff

/* frag_off bits: MF plus the 13-bit offset; DF is not a fragment. */
#define KN_IP_MF          0x2000
#define KN_IP_OFFSET_MASK 0x1fff

struct kn_vlan_hdr {
	__be16 tci;
	__be16 encap_proto;
};

/* Result of Ethernet parsing. One 802.1Q/802.1ad tag is understood; an inner
 * (QinQ) tag is left as the reported proto, which callers treat as non-IPv4. */
struct kn_l2 {
	__u16 proto;     /* host order, the ethertype after the tag if any */
	__u16 vlan_id;   /* 0 when untagged */
	__u16 l3_off;    /* offset of the network header */
	__u8 tagged;
	__u8 pad;
};

/*
 * The 5-tuple used as a key by the balancer and the firewall. 16 bytes, no
 * implicit padding: the C# control plane builds these bytes by hand.
 */
struct kn_flow {
	__be32 saddr;
	__be32 daddr;
	__be16 sport;
	__be16 dport;
	__u8 proto;
	__u8 pad[3];
};

enum kn_l4_status {
	KN_L4_PORTS = 0,     /* TCP/UDP header present, ports filled in */
	KN_L4_NO_PORTS = 1,  /* other protocol, or a non-first fragment */
	KN_L4_MALFORMED = -1 /* TCP/UDP header cut short */
};

static __always_inline int kn_parse_eth(void *data, void *data_end, struct kn_l2 *l2)
{
	struct ethhdr *eth = data;
	__u16 proto;

	if ((void *)(eth + 1) > data_end)
		return -1;

	proto = bpf_ntohs(eth->h_proto);
	l2->l3_off = sizeof(*eth);
	l2->vlan_id = 0;
	l2->tagged = 0;
	l2->pad = 0;

	if (proto == KN_ETH_P_8021Q || proto == KN_ETH_P_8021AD) {
		struct kn_vlan_hdr *vh = (void *)(eth + 1);

		if ((void *)(vh + 1) > data_end)
			return -1;
		l2->vlan_id = bpf_ntohs(vh->tci) & KN_VLAN_VID_MASK;
		l2->tagged = 1;
		l2->l3_off += sizeof(*vh);
		proto = bpf_ntohs(vh->encap_proto);
	}
	l2->proto = proto;
	return 0;
}

/*
 * Validates an IPv4 header at data + l3_off: version, ihl >= 5, the whole
 * header (options included) inside the frame, and tot_len neither shorter than
 * the header nor longer than what was received (a truncated packet).
 * Ethernet padding after tot_len is allowed.
 */
static __always_inline struct iphdr *kn_parse_ipv4(void *data, void *data_end, __u32 l3_off)
{
	struct iphdr *iph;
	__u32 hdr_len;
	__u32 tot_len;

	/* l3_off is 14 or 18; the mask tells the verifier so. */
	iph = data + (l3_off & 0x1f);
	if ((void *)(iph + 1) > data_end)
		return 0;
	if (iph->version != 4)
		return 0;
	hdr_len = (iph->ihl & 0xf) << 2;
	if (hdr_len < sizeof(*iph))
		return 0;
	if ((void *)iph + hdr_len > data_end)
		return 0;
	tot_len = bpf_ntohs(iph->tot_len);
	if (tot_len < hdr_len)
		return 0;
	if ((void *)iph + tot_len > data_end)
		return 0;
	return iph;
}

static __always_inline int kn_ipv4_is_fragment(const struct iphdr *iph)
{
	return (iph->frag_off & bpf_htons(KN_IP_MF | KN_IP_OFFSET_MASK)) != 0;
}

/*
 * Fills flow from a validated IPv4 header. Ports are zero unless a TCP or UDP
 * header is present: later fragments carry none, matching how iptables treats
 * them. A first fragment too short for its L4 header counts as malformed.
 * iph must come from kn_parse_ipv4, which guarantees tot_len >= the header.
 */
static __always_inline int kn_parse_l4(void *data_end, struct iphdr *iph, struct kn_flow *flow)
{
	__u32 hdr_len = (iph->ihl & 0xf) << 2;
	/* Bytes tot_len gives the L4 header; Ethernet padding is not one. */
	__u32 l4_len = bpf_ntohs(iph->tot_len) - hdr_len;
	void *l4 = (void *)iph + hdr_len;

	flow->saddr = iph->saddr;
	flow->daddr = iph->daddr;
	flow->sport = 0;
	flow->dport = 0;
	flow->proto = iph->protocol;
	flow->pad[0] = 0;
	flow->pad[1] = 0;
	flow->pad[2] = 0;

	if (iph->frag_off & bpf_htons(KN_IP_OFFSET_MASK))
		return KN_L4_NO_PORTS;

	if (iph->protocol == IPPROTO_TCP) {
		struct tcphdr *tcp = l4;

		if ((void *)(tcp + 1) > data_end || l4_len < sizeof(*tcp))
			return KN_L4_MALFORMED;
		flow->sport = tcp->source;
		flow->dport = tcp->dest;
		return KN_L4_PORTS;
	}
	if (iph->protocol == IPPROTO_UDP) {
		struct udphdr *udp = l4;

		if ((void *)(udp + 1) > data_end || l4_len < sizeof(*udp))
			return KN_L4_MALFORMED;
		flow->sport = udp->source;
		flow->dport = udp->dest;
		return KN_L4_PORTS;
	}
	return KN_L4_NO_PORTS;
}

static __always_inline __u16 kn_csum_fold(__u32 sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (__u16)~sum;
}

/* RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m'), all in one's complement. */
static __always_inline __u16 kn_csum_replace16(__u16 check, __u16 old_word, __u16 new_word)
{
	__u32 sum = (__u16)~check;

	sum += (__u16)~old_word;
	sum += new_word;
	return kn_csum_fold(sum);
}

/* Checksum of an option-less IPv4 header the program built itself. */
static __always_inline __u16 kn_ipv4_header_csum(struct iphdr *iph)
{
	__u16 *word = (__u16 *)iph;
	__u32 sum = 0;

	iph->check = 0;
#pragma unroll
	for (int i = 0; i < (int)(sizeof(*iph) / 2); i++)
		sum += word[i];
	return kn_csum_fold(sum);
}

static __always_inline void kn_copy_mac(__u8 *dst, const __u8 *src)
{
	__builtin_memcpy(dst, src, ETH_ALEN);
}

static __always_inline void kn_count(void *stats_map, __u32 counter)
{
	__u64 *value = bpf_map_lookup_elem(stats_map, &counter);

	if (value)
		*value += 1;
}
