// SPDX-License-Identifier: GPL-2.0
/* A filter whose maps are pinned by name, as loader tools share them between runs: pin_rules holds a verdict per
 * EtherType (written by the loader), pin_hits counts the frames each verdict was given. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 32);
	__type(key, __u32);
	__type(value, __u32);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} pin_rules SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u64);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} pin_hits SEC(".maps");

SEC("xdp")
int pinned_filter(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	__u32 type, verdict = XDP_PASS, *rule;
	__u64 *hits;

	if ((void *)(eth + 1) > end)
		return XDP_DROP;
	type = bpf_ntohs(eth->h_proto);
	rule = bpf_map_lookup_elem(&pin_rules, &type);
	if (rule && *rule <= XDP_TX)
		verdict = *rule;
	hits = bpf_map_lookup_elem(&pin_hits, &verdict);
	if (hits)
		__sync_fetch_and_add(hits, 1);
	return verdict;
}

char LICENSE[] SEC("license") = "GPL";
