// SPDX-License-Identifier: GPL-2.0
/*
 * switch: an L2 learning bridge with 802.1Q VLANs, in the spirit of Polycube's
 * pcn-bridge (spanning tree off).
 *
 * The ingress port is ingress_ifindex % MAX_PORTS; `ports` holds each port's
 * read-only configuration. Access ports carry one VLAN untagged; trunk ports
 * carry the VLANs in their bitmap tagged, and their native VLAN (pvid, if any)
 * untagged. The data plane learns source MACs into `fdb`, writing only when an
 * address is new or has moved to another port, so steady traffic does not
 * write the map.
 *
 * Verdicts:
 *   runt frame (< 14 bytes, or a cut VLAN tag)     -> XDP_DROP
 *   ingress port not configured                    -> XDP_DROP
 *   VLAN not allowed on the ingress port, a tagged
 *     frame on an access port, an untagged frame on
 *     a trunk without a native VLAN                -> XDP_DROP
 *   multicast source MAC                           -> XDP_DROP
 *   broadcast/multicast or unknown unicast dst     -> XDP_PASS: flooding is left to the
 *                                                     kernel's slow path (the stack floods)
 *   known dst on the ingress port                  -> XDP_DROP (filtered, as 802.1D bridges do)
 *   known dst whose port does not carry the VLAN   -> XDP_DROP
 *   known dst on another port                      -> XDP_REDIRECT to that port's ifindex, the
 *                                                     VLAN tag pushed or popped for the egress port
 * Under BPF_PROG_TEST_RUN ingress_ifindex is 1 (lo) unless ctx_in says otherwise,
 * so test traffic enters on port 1.
 */
#include "kecleon_net.h"

#define MAX_PORTS      16 /* power of two: the port index is masked */
#define MAX_FDB        4096
#define VLAN_BITMAP_WORDS 64 /* 4096 VLAN ids */

#define PORT_MODE_DISABLED 0
#define PORT_MODE_ACCESS   1
#define PORT_MODE_TRUNK    2

/* 520 bytes, no implicit padding. */
struct port_config {
	__u32 ifindex;      /* egress interface of this port */
	__u8 mode;          /* PORT_MODE_* */
	__u8 pad;
	__u16 pvid;         /* access VLAN, or the trunk's native VLAN (0: none) */
	__u64 allowed_vlans[VLAN_BITMAP_WORDS]; /* trunk: bit v%64 of word v/64 */
};

/* 8 bytes; vlan in host byte order. */
struct fdb_key {
	__u8 mac[ETH_ALEN];
	__u16 vlan;
};

/* 16 bytes. learned_ns is when the entry was last (re)learned, for aging by
 * the control plane; it is not refreshed per packet so hits do not write. */
struct fdb_entry {
	__u32 port;
	__u32 pad;
	__u64 learned_ns;
};

enum switch_stat {
	SWITCH_STAT_RX = 0,
	SWITCH_STAT_RUNT,
	SWITCH_STAT_PORT_DISABLED,
	SWITCH_STAT_VLAN_DROP,
	SWITCH_STAT_BAD_SOURCE,
	SWITCH_STAT_LEARNED,
	SWITCH_STAT_FLOOD,
	SWITCH_STAT_FILTERED,
	SWITCH_STAT_FORWARDED,
	SWITCH_STAT_MAX
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, MAX_PORTS);
	__type(key, __u32);
	__type(value, struct port_config);
} ports SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, MAX_FDB);
	__type(key, struct fdb_key);
	__type(value, struct fdb_entry);
} fdb SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, SWITCH_STAT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} stats SEC(".maps");

static __always_inline int vlan_allowed(const struct port_config *cfg, __u16 vlan)
{
	if (cfg->mode == PORT_MODE_ACCESS)
		return vlan == cfg->pvid;
	if (cfg->mode == PORT_MODE_TRUNK)
		return (cfg->allowed_vlans[(vlan >> 6) & (VLAN_BITMAP_WORDS - 1)] >> (vlan & 63)) & 1;
	return 0;
}

/* Drops the 802.1Q tag: the MACs move 4 bytes towards the payload. */
static __always_inline int pop_vlan(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u8 macs[2 * ETH_ALEN];

	if (data + sizeof(struct ethhdr) + sizeof(struct kn_vlan_hdr) > data_end)
		return -1;
	__builtin_memcpy(macs, data, sizeof(macs));
	if (bpf_xdp_adjust_head(ctx, (int)sizeof(struct kn_vlan_hdr)))
		return -1;
	data = (void *)(long)ctx->data;
	data_end = (void *)(long)ctx->data_end;
	if (data + sizeof(struct ethhdr) > data_end)
		return -1;
	__builtin_memcpy(data, macs, sizeof(macs));
	return 0;
}

/* Inserts an 802.1Q tag after the MACs; the old ethertype becomes the encapsulated one. */
static __always_inline int push_vlan(struct xdp_md *ctx, __u16 vlan)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u8 macs[2 * ETH_ALEN];
	struct ethhdr *eth;
	struct kn_vlan_hdr *vh;

	if (data + sizeof(struct ethhdr) > data_end)
		return -1;
	__builtin_memcpy(macs, data, sizeof(macs));
	if (bpf_xdp_adjust_head(ctx, -(int)sizeof(struct kn_vlan_hdr)))
		return -1;
	data = (void *)(long)ctx->data;
	data_end = (void *)(long)ctx->data_end;
	eth = data;
	vh = (void *)(eth + 1);
	if ((void *)(vh + 1) > data_end)
		return -1;
	__builtin_memcpy(data, macs, sizeof(macs));
	eth->h_proto = bpf_htons(KN_ETH_P_8021Q);
	vh->tci = bpf_htons(vlan & KN_VLAN_VID_MASK);
	return 0;
}

SEC("xdp")
int bridge(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct port_config *in_cfg, *out_cfg;
	struct fdb_entry *src_entry, *dst_entry;
	struct fdb_key key;
	struct kn_l2 l2;
	__u32 in_port, out_port;
	__u16 vlan;
	int want_tag;

	kn_count(&stats, SWITCH_STAT_RX);

	if (kn_parse_eth(data, data_end, &l2) < 0) {
		kn_count(&stats, SWITCH_STAT_RUNT);
		return XDP_DROP;
	}

	in_port = ctx->ingress_ifindex & (MAX_PORTS - 1);
	in_cfg = bpf_map_lookup_elem(&ports, &in_port);
	if (!in_cfg || in_cfg->mode == PORT_MODE_DISABLED) {
		kn_count(&stats, SWITCH_STAT_PORT_DISABLED);
		return XDP_DROP;
	}

	/* Classify the frame into a VLAN; VID 0 is a priority tag, i.e. untagged. */
	if (l2.tagged && l2.vlan_id != 0) {
		if (in_cfg->mode != PORT_MODE_TRUNK) {
			kn_count(&stats, SWITCH_STAT_VLAN_DROP);
			return XDP_DROP;
		}
		vlan = l2.vlan_id;
	} else {
		vlan = in_cfg->pvid;
	}
	if (vlan == 0 || !vlan_allowed(in_cfg, vlan)) {
		kn_count(&stats, SWITCH_STAT_VLAN_DROP);
		return XDP_DROP;
	}

	if (eth->h_source[0] & 1) {
		kn_count(&stats, SWITCH_STAT_BAD_SOURCE);
		return XDP_DROP;
	}

	/* Learn: write only for a new address or a station that moved. */
	__builtin_memset(&key, 0, sizeof(key));
	kn_copy_mac(key.mac, eth->h_source);
	key.vlan = vlan;
	src_entry = bpf_map_lookup_elem(&fdb, &key);
	if (!src_entry || src_entry->port != in_port) {
		struct fdb_entry learned = {
			.port = in_port,
			.pad = 0,
			.learned_ns = bpf_ktime_get_ns(),
		};

		bpf_map_update_elem(&fdb, &key, &learned, BPF_ANY);
		kn_count(&stats, SWITCH_STAT_LEARNED);
	}

	if (eth->h_dest[0] & 1) {
		kn_count(&stats, SWITCH_STAT_FLOOD);
		return XDP_PASS;
	}
	kn_copy_mac(key.mac, eth->h_dest);
	dst_entry = bpf_map_lookup_elem(&fdb, &key);
	if (!dst_entry) {
		kn_count(&stats, SWITCH_STAT_FLOOD);
		return XDP_PASS;
	}

	out_port = dst_entry->port & (MAX_PORTS - 1);
	if (out_port == in_port) {
		kn_count(&stats, SWITCH_STAT_FILTERED);
		return XDP_DROP;
	}
	out_cfg = bpf_map_lookup_elem(&ports, &out_port);
	if (!out_cfg || !vlan_allowed(out_cfg, vlan)) {
		kn_count(&stats, SWITCH_STAT_VLAN_DROP);
		return XDP_DROP;
	}

	want_tag = out_cfg->mode == PORT_MODE_TRUNK && vlan != out_cfg->pvid;
	if (l2.tagged && !want_tag) {
		if (pop_vlan(ctx) < 0)
			return XDP_ABORTED;
	} else if (!l2.tagged && want_tag) {
		if (push_vlan(ctx, vlan) < 0)
			return XDP_ABORTED;
	} else if (l2.tagged) {
		/* Re-tag: a priority-tagged frame leaves with its VLAN id; PCP is kept. */
		struct kn_vlan_hdr *vh = (void *)(eth + 1);

		if ((void *)(vh + 1) > data_end)
			return XDP_ABORTED;
		vh->tci = (vh->tci & bpf_htons(~KN_VLAN_VID_MASK)) | bpf_htons(vlan);
	}

	kn_count(&stats, SWITCH_STAT_FORWARDED);
	return bpf_redirect(out_cfg->ifindex, 0);
}

char LICENSE[] SEC("license") = "GPL";
