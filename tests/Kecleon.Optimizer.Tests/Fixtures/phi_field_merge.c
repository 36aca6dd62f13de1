// Pointers to fields of values merged by phis: the source MAC is the host entry's own field (8 bytes in) or the route's
// (at its start), the destination MAC the host entry's peer field (16 bytes in) or a neighbour looked up by the
// destination, else by the route's gateway (a phi of phis). Each answer is shifted to where its pointer points.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
char LICENSE[] SEC("license") = "GPL";

struct lpm_key {
	__u32 prefixlen;
	__u32 addr;
};

struct host {
	__u32 ifindex;
	__u32 addr;
	__u64 mac;
	__u64 peer_mac;
};

struct route {
	__u64 mac;
	__u32 ifindex;
	__u32 gateway;
};

struct { __uint(type, BPF_MAP_TYPE_HASH); __uint(max_entries, 16); __type(key, __u32); __type(value, struct host); } hosts SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_LPM_TRIE); __uint(max_entries, 16); __uint(map_flags, BPF_F_NO_PREALLOC);
	 __type(key, struct lpm_key); __type(value, struct route); } routes SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_HASH); __uint(max_entries, 16); __type(key, __u32); __type(value, __u64); } neighbours SEC(".maps");

SEC("xdp")
int phi_field_merge(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	__u32 daddr = ip->daddr, out;
	__u64 *src, *dst;
	struct host *host = bpf_map_lookup_elem(&hosts, &daddr);
	if (host && host->addr == daddr) {
		out = host->ifindex;
		src = &host->mac;
		dst = &host->peer_mac;
	} else {
		struct lpm_key key = { .prefixlen = 32, .addr = daddr };
		struct route *route = bpf_map_lookup_elem(&routes, &key);
		if (!route)
			return XDP_DROP;
		out = route->ifindex;
		src = &route->mac;
		dst = bpf_map_lookup_elem(&neighbours, &daddr);
		if (!dst) {
			if (!route->gateway)
				return XDP_PASS;
			__u32 gateway = route->gateway;
			dst = bpf_map_lookup_elem(&neighbours, &gateway);
		}
	}
	if (!src || !dst)
		return XDP_ABORTED;
	__u16 *p = (void *)eth, *s = (void *)src, *d = (void *)dst;
	p[0] = d[0];
	p[1] = d[1];
	p[2] = d[2];
	p[3] = s[0];
	p[4] = s[1];
	p[5] = s[2];
	return bpf_redirect(out, 0);
}
