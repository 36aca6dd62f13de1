/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ddos: an XDP DDoS-mitigation stage, the first thing a packet meets.
 *
 * It drops what is known to be bad as early and as cheaply as it can, in this
 * order, and hands everything else on:
 *   1. ddos_deny_hosts: single source addresses (an exact-match hash), the
 *      attackers the detection side has named;
 *   2. ddos_deny_nets: the source blocklist, ~100k prefixes from public feeds
 *      (an LPM trie); its value says which feed listed the prefix;
 *   3. ddos_port_rules: protocol/port drop rules the control plane sets, keyed
 *      by {protocol, direction, port}: a source port (reflection: SSDP,
 *      memcached, chargen, CLDAP), a destination port (telnet scans), or a whole
 *      protocol (destination port 0, which is what a portless protocol and a
 *      later fragment carry);
 *   4. ddos_rate: a per-source token bucket in an LRU hash the data plane
 *      writes. It is refilled to ddos_config's tokens once per epoch of 2^30 ns
 *      (about a second), and each packet takes one token: a source that has
 *      none left is dropped until the next epoch. A packet dropped here takes
 *      no token and writes nothing.
 * Every verdict is counted in ddos_stats (per-CPU).
 *
 * Verdicts:
 *   non-IPv4 (IPv6, ARP, ...)             -> KN_NEXT (not this stage's business)
 *   runt frame, malformed/truncated IPv4,
 *     cut TCP/UDP header                   -> XDP_DROP
 *   blocked host, blocked prefix           -> XDP_DROP
 *   port/protocol drop rule                -> XDP_DROP
 *   source out of tokens                   -> XDP_DROP
 *   anything else                          -> KN_NEXT
 *
 * KN_NEXT(ctx) hands the packet on: XDP_PASS in the single program, a tail call
 * to the next stage in a chain (which defines it before including this file).
 */
#pragma once

#include "kecleon_net.h"

#ifndef KN_NEXT
#define KN_NEXT(ctx) XDP_PASS
#endif

#define DDOS_MAX_NETS       131072
#define DDOS_MAX_HOSTS      65536
#define DDOS_MAX_PORT_RULES 1024
#define DDOS_MAX_SOURCES    131072

/* ~1.07 s: long enough that two runs of one packet practically never straddle an epoch. */
#define DDOS_EPOCH_SHIFT 30

#define DDOS_DIR_DST 0
#define DDOS_DIR_SRC 1

#define DDOS_RULE_DROP 1

struct ddos_lpm_key {
	__u32 prefixlen;
	__be32 addr;
};

/* Which public feed listed a prefix or host (1 DROP list, 2 botnet, 3 scanners, 4 bogons). */
struct ddos_listing {
	__u32 list;
	__u32 pad;
};

/* 4 bytes; port 0 with DDOS_DIR_DST is the whole protocol. */
struct ddos_port_key {
	__u8 proto;
	__u8 dir;
	__be16 port;
};

struct ddos_bucket {
	__u64 epoch;
	__u32 tokens;
	__u32 pad;
};

struct ddos_limits {
	__u32 tokens; /* per source per epoch */
	__u32 pad;
};

enum ddos_stat {
	DDOS_STAT_RX = 0,
	DDOS_STAT_NOT_IPV4,
	DDOS_STAT_MALFORMED,
	DDOS_STAT_BLOCKED_HOST,
	DDOS_STAT_BLOCKED_NET,
	DDOS_STAT_PORT_RULE,
	DDOS_STAT_RATE_LIMITED,
	DDOS_STAT_PASSED,
	DDOS_STAT_MAX
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, DDOS_MAX_HOSTS);
	__type(key, __be32);
	__type(value, struct ddos_listing);
} ddos_deny_hosts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, DDOS_MAX_NETS);
	__type(key, struct ddos_lpm_key);
	__type(value, struct ddos_listing);
} ddos_deny_nets SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, DDOS_MAX_PORT_RULES);
	__type(key, struct ddos_port_key);
	__type(value, __u32);
} ddos_port_rules SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, DDOS_MAX_SOURCES);
	__type(key, __be32);
	__type(value, struct ddos_bucket);
} ddos_rate SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct ddos_limits);
} ddos_config SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, DDOS_STAT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} ddos_stats SEC(".maps");

static __always_inline int ddos_port_rule(__u8 proto, __u8 dir, __be16 port)
{
	struct ddos_port_key key = { .proto = proto, .dir = dir, .port = port };
	__u32 *action = bpf_map_lookup_elem(&ddos_port_rules, &key);

	return action && *action == DDOS_RULE_DROP;
}

/* Takes a token from the source's bucket; 0 when it has none left this epoch. */
static __always_inline int ddos_take_token(__be32 saddr)
{
	__u64 epoch = bpf_ktime_get_ns() >> DDOS_EPOCH_SHIFT;
	struct ddos_bucket *bucket = bpf_map_lookup_elem(&ddos_rate, &saddr);
	__u32 zero = 0;
	struct ddos_limits *limits = bpf_map_lookup_elem(&ddos_config, &zero);
	__u32 tokens = limits ? limits->tokens : 0;

	if (!bucket) {
		struct ddos_bucket fresh = { .epoch = epoch, .tokens = tokens ? tokens - 1 : 0, .pad = 0 };

		if (!tokens)
			return 0;
		bpf_map_update_elem(&ddos_rate, &saddr, &fresh, BPF_ANY);
		return 1;
	}
	if (bucket->epoch != epoch) {
		if (!tokens)
			return 0;
		bucket->epoch = epoch;
		bucket->tokens = tokens - 1;
		return 1;
	}
	if (!bucket->tokens)
		return 0;
	bucket->tokens--;
	return 1;
}

static __always_inline int ddos_process(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ddos_lpm_key lpm_key;
	struct kn_flow flow;
	struct iphdr *iph;
	struct kn_l2 l2;
	int l4;

	kn_count(&ddos_stats, DDOS_STAT_RX);

	if (kn_parse_eth(data, data_end, &l2) < 0) {
		kn_count(&ddos_stats, DDOS_STAT_MALFORMED);
		return XDP_DROP;
	}
	if (l2.proto != ETH_P_IP) {
		kn_count(&ddos_stats, DDOS_STAT_NOT_IPV4);
		return KN_NEXT(ctx);
	}
	iph = kn_parse_ipv4(data, data_end, l2.l3_off);
	if (!iph) {
		kn_count(&ddos_stats, DDOS_STAT_MALFORMED);
		return XDP_DROP;
	}
	l4 = kn_parse_l4(data_end, iph, &flow);
	if (l4 == KN_L4_MALFORMED) {
		kn_count(&ddos_stats, DDOS_STAT_MALFORMED);
		return XDP_DROP;
	}

	if (bpf_map_lookup_elem(&ddos_deny_hosts, &flow.saddr)) {
		kn_count(&ddos_stats, DDOS_STAT_BLOCKED_HOST);
		return XDP_DROP;
	}
	lpm_key.prefixlen = 32;
	lpm_key.addr = flow.saddr;
	if (bpf_map_lookup_elem(&ddos_deny_nets, &lpm_key)) {
		kn_count(&ddos_stats, DDOS_STAT_BLOCKED_NET);
		return XDP_DROP;
	}
	if ((l4 == KN_L4_PORTS && ddos_port_rule(flow.proto, DDOS_DIR_SRC, flow.sport)) ||
	    ddos_port_rule(flow.proto, DDOS_DIR_DST, flow.dport)) {
		kn_count(&ddos_stats, DDOS_STAT_PORT_RULE);
		return XDP_DROP;
	}
	if (!ddos_take_token(flow.saddr)) {
		kn_count(&ddos_stats, DDOS_STAT_RATE_LIMITED);
		return XDP_DROP;
	}
	kn_count(&ddos_stats, DDOS_STAT_PASSED);
	return KN_NEXT(ctx);
}
