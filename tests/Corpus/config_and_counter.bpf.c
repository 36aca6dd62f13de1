// SPDX-License-Identifier: GPL-2.0
/*
 * Configuration and counters in the same maps, as SYN proxies and NAT
 * gateways keep them. cc_values is an array whose slot 0 holds a setting the
 * control plane writes (1: drop IPv6) and whose slot 1 is a packet counter the
 * data plane increments atomically. cc_conf holds one struct: a mode the
 * control plane sets (2: drop ARP) beside a hit counter the data plane
 * increments. The setting and the mode are read-only for the data plane; the
 * counters are not.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#define CC_SETTING 0
#define CC_COUNTER 1

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u32);
} cc_values SEC(".maps");

struct cc_config {
	__u32 mode;     /* written by the control plane */
	__u32 reserved;
	__u64 hits;     /* incremented by the data plane */
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct cc_config);
} cc_conf SEC(".maps");

SEC("xdp")
int cc_filter(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	__u32 setting_key = CC_SETTING, counter_key = CC_COUNTER, conf_key = 0;
	struct cc_config *conf;
	__u32 *setting, *counter;

	if ((void *)(eth + 1) > data_end)
		return XDP_DROP;
	counter = bpf_map_lookup_elem(&cc_values, &counter_key);
	if (counter)
		__sync_fetch_and_add(counter, 1);
	conf = bpf_map_lookup_elem(&cc_conf, &conf_key);
	if (!conf)
		return XDP_ABORTED;
	__sync_fetch_and_add(&conf->hits, 1);
	setting = bpf_map_lookup_elem(&cc_values, &setting_key);
	if (!setting)
		return XDP_ABORTED;
	if (*setting == 1 && eth->h_proto == bpf_htons(ETH_P_IPV6))
		return XDP_DROP;
	if (conf->mode == 2 && eth->h_proto == bpf_htons(ETH_P_ARP))
		return XDP_DROP;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
