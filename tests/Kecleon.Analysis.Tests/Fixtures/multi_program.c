// Several programs and sections sharing maps: XDP learns, TC reads; 'policy' is written by another loaded program.
// kecleon: written-elsewhere=policy
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
char LICENSE[] SEC("license") = "GPL";

#include <linux/pkt_cls.h>
struct { __uint(type, BPF_MAP_TYPE_HASH); __uint(max_entries, 64); __type(key, __u32); __type(value, __u32); } learned SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 1); __type(key, __u32); __type(value, __u32); } policy SEC(".maps");

SEC("xdp")
int learn(struct xdp_md *ctx)
{
	__u32 key = ctx->ingress_ifindex, value = ctx->rx_queue_index;
	bpf_map_update_elem(&learned, &key, &value, BPF_ANY);
	return XDP_PASS;
}

SEC("tc")
int enforce(struct __sk_buff *skb)
{
	__u32 key = skb->ifindex, zero = 0;
	__u32 *seen = bpf_map_lookup_elem(&learned, &key);
	__u32 *p = bpf_map_lookup_elem(&policy, &zero);
	return seen && p && *p ? TC_ACT_OK : TC_ACT_SHOT;
}
