// Configuration and a counter in the same maps: slot 0 of values is a setting, slot 1 a counter the program increments;
// conf's one struct holds a mode beside a hit counter. The setting's lookup folds at its key, the mode's load folds from
// the snapshot's bytes, and the counters stay live.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
char LICENSE[] SEC("license") = "GPL";

struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 2); __type(key, __u32); __type(value, __u32); } values SEC(".maps");
struct conf { __u32 mode; __u32 reserved; __u64 hits; };
struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 1); __type(key, __u32); __type(value, struct conf); } conf SEC(".maps");

SEC("xdp")
int per_key(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	__u32 zero = 0, one = 1, conf_key = 0;
	if ((void *)(eth + 1) > end)
		return XDP_ABORTED;
	__u32 *counter = bpf_map_lookup_elem(&values, &one);
	if (counter)
		__sync_fetch_and_add(counter, 1);
	struct conf *c = bpf_map_lookup_elem(&conf, &conf_key);
	if (!c)
		return XDP_ABORTED;
	__sync_fetch_and_add(&c->hits, 1);
	__u32 *setting = bpf_map_lookup_elem(&values, &zero);
	if (!setting)
		return XDP_ABORTED;
	if (*setting == 1 && eth->h_proto == bpf_htons(ETH_P_IPV6))
		return XDP_DROP;
	return c->mode == 2 && eth->h_proto == bpf_htons(ETH_P_ARP) ? XDP_DROP : XDP_PASS;
}
