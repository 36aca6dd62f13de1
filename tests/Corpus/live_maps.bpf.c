// SPDX-License-Identifier: GPL-2.0
/* A filter whose verdicts live in its maps, as a data plane's control plane writes them: lm_rules holds a verdict per
 * EtherType (a hash map, pinned by name), lm_default the verdict for the rest (a global in .bss the loader may set),
 * lm_hits counts the frames per verdict on each CPU. On empty maps every frame passes; on the live ones it does not:
 * the pattern the commands that run a program must copy (--maps-from, --maps). */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u32);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} lm_rules SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} lm_hits SEC(".maps");

volatile __u32 lm_default;

SEC("xdp")
int live_filter(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	__u32 type, verdict, *rule;
	__u64 *hits;

	if ((void *)(eth + 1) > end)
		return XDP_DROP;
	type = bpf_ntohs(eth->h_proto);
	verdict = lm_default <= XDP_TX ? lm_default : XDP_PASS;
	if (!verdict)
		verdict = XDP_PASS;
	rule = bpf_map_lookup_elem(&lm_rules, &type);
	if (rule && *rule <= XDP_TX)
		verdict = *rule;
	hits = bpf_map_lookup_elem(&lm_hits, &verdict);
	if (hits)
		*hits += 1;
	return verdict;
}

char LICENSE[] SEC("license") = "GPL";
