// Queue helpers: push and pop write, peek reads.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
char LICENSE[] SEC("license") = "GPL";

struct { __uint(type, BPF_MAP_TYPE_QUEUE); __uint(max_entries, 16); __type(value, __u32); } jobs SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_STACK); __uint(max_entries, 16); __type(value, __u32); } free_slots SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_QUEUE); __uint(max_entries, 16); __type(value, __u32); } pending SEC(".maps");

SEC("xdp")
int queues(struct xdp_md *ctx)
{
	__u32 job = ctx->rx_queue_index, slot, next;
	bpf_map_push_elem(&jobs, &job, BPF_ANY);
	if (bpf_map_pop_elem(&free_slots, &slot))
		return XDP_DROP;
	if (bpf_map_peek_elem(&pending, &next) == 0 && next == slot)
		return XDP_DROP;
	return XDP_PASS;
}
