// Key origins: a constant, header fields stored on the stack, the packet itself, another lookup's value.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
char LICENSE[] SEC("license") = "GPL";

struct { __uint(type, BPF_MAP_TYPE_HASH); __uint(max_entries, 64); __type(key, __u16); __type(value, __u32); } by_proto SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_HASH); __uint(max_entries, 64); __type(key, __u32); __type(value, __u32); } by_saddr SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_HASH); __uint(max_entries, 64); __type(key, __u32); __type(value, __u32); } by_value SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 4); __type(key, __u32); __type(value, __u32); } by_constant SEC(".maps");
struct pair { __u32 daddr; __u32 saddr; };
struct { __uint(type, BPF_MAP_TYPE_HASH); __uint(max_entries, 64); __type(key, struct pair); __type(value, __u32); } by_pair SEC(".maps");

SEC("xdp")
int keys(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *iph = data + sizeof(*eth);
	if ((void *)(iph + 1) > end)
		return XDP_PASS;
	__u32 two = 2;
	if (!bpf_map_lookup_elem(&by_constant, &two))
		return XDP_DROP;
	__u16 proto = eth->h_proto;
	if (bpf_map_lookup_elem(&by_proto, &proto))
		return XDP_DROP;
	__u32 *v = bpf_map_lookup_elem(&by_saddr, &iph->saddr);
	if (v && bpf_map_lookup_elem(&by_value, v))
		return XDP_DROP;
	struct pair p = { .daddr = iph->daddr, .saddr = iph->saddr };
	if (bpf_map_lookup_elem(&by_pair, &p))
		return XDP_DROP;
	return XDP_PASS;
}
