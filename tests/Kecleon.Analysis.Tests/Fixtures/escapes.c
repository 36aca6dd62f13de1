// What the analysis cannot follow: a value pointer into inline assembly, a map value's address as an integer, a map
// given to a callback helper. All may-write.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
char LICENSE[] SEC("license") = "GPL";

struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 1); __type(key, __u32); __type(value, __u64); } asm_target SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 1); __type(key, __u32); __type(value, __u64); } address_taken SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_HASH); __uint(max_entries, 8); __type(key, __u32); __type(value, __u64); } walked SEC(".maps");

static long visit(void *map, __u32 *key, __u64 *value, void *ctx)
{
	*value = 0;
	return 0;
}

SEC("xdp")
int opaque(struct xdp_md *ctx)
{
	__u32 zero = 0;
	__u64 *a = bpf_map_lookup_elem(&asm_target, &zero);
	if (a)
		asm volatile("" : : "r"(a) : "memory");
	__u64 *b = bpf_map_lookup_elem(&address_taken, &zero);
	if (b && ((__u64)b & 7))
		return XDP_DROP;
	bpf_for_each_map_elem(&walked, visit, 0, 0);
	return XDP_PASS;
}
