/* SPDX-License-Identifier: GPL-2.0 */
/*
 * firewall: a bpf-iptables-style IPv4 classifier with connection tracking.
 *
 * Each match field is one lookup returning the bit vector of rules that field
 * allows: source and destination prefix (LPM; an entry's vector already
 * includes every rule whose prefix covers it, and wildcard rules sit in the /0
 * entry), source and destination port (hash; the {port 0, wildcard 1} entry is
 * the vector for ports no rule names, and later fragments use it too, as
 * iptables does not match their ports), and protocol (array). The vectors are
 * intersected word by word; the lowest set bit is the first matching rule and
 * `actions` gives its verdict. No match falls to the default DROP policy.
 *
 * Established connections take a fast path: `conntrack` is checked before
 * classification. The data plane writes it when a TCP/UDP packet (not a
 * fragment) is accepted by a rule, once for each direction, so replies are
 * established too.
 *
 * Verdicts (NEXT is KN_NEXT: XDP_PASS alone, the next stage in a chain):
 *   non-IPv4 (IPv6, ARP, ...)           -> NEXT (this is an IPv4 filter; ip6tables is elsewhere)
 *   runt frame, malformed/truncated
 *     IPv4, cut TCP/UDP header           -> XDP_DROP (cannot be classified: default policy)
 *   conntrack hit                        -> NEXT
 *   first matching rule ACCEPT / DROP    -> NEXT / XDP_DROP
 *   no matching rule                     -> XDP_DROP (default policy)
 */
#pragma once

#include "kecleon_net.h"

#define MAX_RULES     512
#define RULE_WORDS    (MAX_RULES / 64)
#define MAX_PREFIXES  4096
#define MAX_PORTS     4096
#define MAX_CONNS     65536

#define FW_ACTION_DROP   0 /* also what an unset actions slot means */
#define FW_ACTION_ACCEPT 1

struct lpm_v4_key {
	__u32 prefixlen;
	__be32 addr;
};

/* Network byte order port; wildcard = 1 (with port 0) is the "any other port" entry. */
struct port_key {
	__be16 port;
	__u16 wildcard;
};

/* Bit r of word r/64 set: rule r allows this field value. */
struct rule_set {
	__u64 bits[RULE_WORDS];
};

/* 16 bytes. created_ns: when the data plane accepted the flow. */
struct ct_entry {
	__u32 rule;
	__u32 reply; /* 1 for the entry made for the reverse direction */
	__u64 created_ns;
};

enum firewall_stat {
	FW_STAT_RX = 0,
	FW_STAT_NOT_IPV4,
	FW_STAT_MALFORMED,
	FW_STAT_ESTABLISHED,
	FW_STAT_RULE_ACCEPT,
	FW_STAT_RULE_DROP,
	FW_STAT_DEFAULT_DROP,
	FW_STAT_CT_NEW,
	FW_STAT_MAX
};

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, MAX_PREFIXES);
	__type(key, struct lpm_v4_key);
	__type(value, struct rule_set);
} src_lpm SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, MAX_PREFIXES);
	__type(key, struct lpm_v4_key);
	__type(value, struct rule_set);
} dst_lpm SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, MAX_PORTS);
	__type(key, struct port_key);
	__type(value, struct rule_set);
} sport_map SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, MAX_PORTS);
	__type(key, struct port_key);
	__type(value, struct rule_set);
} dport_map SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, struct rule_set);
} proto_map SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, MAX_RULES);
	__type(key, __u32);
	__type(value, __u32);
} actions SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, MAX_CONNS);
	__type(key, struct kn_flow);
	__type(value, struct ct_entry);
} conntrack SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, FW_STAT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} stats SEC(".maps");

static __always_inline struct rule_set *lookup_port(void *map, __be16 port)
{
	struct port_key key = { .port = port, .wildcard = 0 };
	struct rule_set *set = bpf_map_lookup_elem(map, &key);

	if (set)
		return set;
	key.port = 0;
	key.wildcard = 1;
	return bpf_map_lookup_elem(map, &key);
}

/* Index of the lowest set bit of a non-zero word (no ctz instruction in BPF). */
static __always_inline __u32 lowest_set_bit(__u64 word)
{
	__u32 n = 0;

	if (!(word & 0xffffffffULL)) { n += 32; word >>= 32; }
	if (!(word & 0xffffULL))     { n += 16; word >>= 16; }
	if (!(word & 0xffULL))       { n += 8;  word >>= 8; }
	if (!(word & 0xfULL))        { n += 4;  word >>= 4; }
	if (!(word & 0x3ULL))        { n += 2;  word >>= 2; }
	if (!(word & 0x1ULL))        { n += 1; }
	return n;
}

static __always_inline void track(struct kn_flow *flow, __u32 rule)
{
	struct ct_entry entry = { .rule = rule, .reply = 0, .created_ns = bpf_ktime_get_ns() };
	struct kn_flow reverse = {
		.saddr = flow->daddr,
		.daddr = flow->saddr,
		.sport = flow->dport,
		.dport = flow->sport,
		.proto = flow->proto,
	};

	bpf_map_update_elem(&conntrack, flow, &entry, BPF_ANY);
	entry.reply = 1;
	bpf_map_update_elem(&conntrack, &reverse, &entry, BPF_ANY);
	kn_count(&stats, FW_STAT_CT_NEW);
}

static __always_inline int firewall_process(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct rule_set *src, *dst, *sport, *dport, *proto;
	struct lpm_v4_key lpm_key;
	struct kn_flow flow;
	struct iphdr *iph;
	struct kn_l2 l2;
	__u32 proto_index;
	__u32 rule = MAX_RULES;
	__u32 *action;
	int trackable;
	int l4;

	kn_count(&stats, FW_STAT_RX);

	if (kn_parse_eth(data, data_end, &l2) < 0) {
		kn_count(&stats, FW_STAT_MALFORMED);
		return XDP_DROP;
	}
	if (l2.proto != ETH_P_IP) {
		kn_count(&stats, FW_STAT_NOT_IPV4);
		return KN_NEXT(ctx);
	}
	iph = kn_parse_ipv4(data, data_end, l2.l3_off);
	if (!iph) {
		kn_count(&stats, FW_STAT_MALFORMED);
		return XDP_DROP;
	}
	l4 = kn_parse_l4(data_end, iph, &flow);
	if (l4 == KN_L4_MALFORMED) {
		kn_count(&stats, FW_STAT_MALFORMED);
		return XDP_DROP;
	}
	trackable = l4 == KN_L4_PORTS && !kn_ipv4_is_fragment(iph);

	if (trackable && bpf_map_lookup_elem(&conntrack, &flow)) {
		kn_count(&stats, FW_STAT_ESTABLISHED);
		return KN_NEXT(ctx);
	}

	lpm_key.prefixlen = 32;
	lpm_key.addr = flow.saddr;
	src = bpf_map_lookup_elem(&src_lpm, &lpm_key);
	lpm_key.addr = flow.daddr;
	dst = bpf_map_lookup_elem(&dst_lpm, &lpm_key);
	sport = lookup_port(&sport_map, flow.sport);
	dport = lookup_port(&dport_map, flow.dport);
	proto_index = flow.proto;
	proto = bpf_map_lookup_elem(&proto_map, &proto_index);

	if (src && dst && sport && dport && proto) {
		for (__u32 i = 0; i < RULE_WORDS; i++) {
			__u64 word = src->bits[i] & dst->bits[i] & sport->bits[i] &
				     dport->bits[i] & proto->bits[i];

			if (word) {
				rule = i * 64 + lowest_set_bit(word);
				break;
			}
		}
	}
	if (rule >= MAX_RULES) {
		kn_count(&stats, FW_STAT_DEFAULT_DROP);
		return XDP_DROP;
	}

	action = bpf_map_lookup_elem(&actions, &rule);
	if (!action || *action != FW_ACTION_ACCEPT) {
		kn_count(&stats, FW_STAT_RULE_DROP);
		return XDP_DROP;
	}
	kn_count(&stats, FW_STAT_RULE_ACCEPT);
	if (trackable)
		track(&flow, rule);
	return KN_NEXT(ctx);
}
