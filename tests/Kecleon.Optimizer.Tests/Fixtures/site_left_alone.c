// Sites the inliner must leave to the kernel, each reported with why: a map the data plane writes (a counter), a map
// with no snapshot (the runtime did not read it), a map whose value's address escapes as an integer (so the analysis
// cannot say it is read-only), and a read-only map whose value is read at an offset known only at run time.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
char LICENSE[] SEC("license") = "GPL";

struct { __uint(type, BPF_MAP_TYPE_HASH); __uint(max_entries, 16); __type(key, __u32); __type(value, __u64); } counters SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_HASH); __uint(max_entries, 16); __type(key, __u32); __type(value, __u32); } unread SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_HASH); __uint(max_entries, 16); __type(key, __u32); __type(value, __u32); } aligned SEC(".maps");

struct weights { __u32 w[4]; };
struct { __uint(type, BPF_MAP_TYPE_HASH); __uint(max_entries, 16); __type(key, __u32); __type(value, struct weights); } weighted SEC(".maps");

SEC("xdp")
int site_left_alone(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	if ((void *)(eth + 1) > end)
		return XDP_DROP;
	__u32 key = bpf_ntohs(eth->h_proto);
	__u64 *count = bpf_map_lookup_elem(&counters, &key);
	if (count)
		__sync_fetch_and_add(count, 1);
	__u32 *a = bpf_map_lookup_elem(&unread, &key);
	if (a && *a)
		return XDP_DROP;
	__u32 *b = bpf_map_lookup_elem(&aligned, &key);
	if (b && ((__u64)b & 4))
		return XDP_TX;
	struct weights *w = bpf_map_lookup_elem(&weighted, &key);
	if (w)
		return w->w[eth->h_dest[0] & 3];
	return XDP_PASS;
}
