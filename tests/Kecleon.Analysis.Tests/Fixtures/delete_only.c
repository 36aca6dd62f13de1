// A map the program only deletes from: deletes are writes.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
char LICENSE[] SEC("license") = "GPL";

struct { __uint(type, BPF_MAP_TYPE_HASH); __uint(max_entries, 16); __type(key, __u32); __type(value, __u32); } blocked SEC(".maps");

SEC("xdp")
int forget(struct xdp_md *ctx)
{
	__u32 key = ctx->rx_queue_index;
	bpf_map_delete_elem(&blocked, &key);
	return XDP_PASS;
}
