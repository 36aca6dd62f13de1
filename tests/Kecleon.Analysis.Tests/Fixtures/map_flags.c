// Map flags: BPF_F_RDONLY_PROG (read-only by construction), BPF_F_MMAPABLE, per-CPU.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
char LICENSE[] SEC("license") = "GPL";

struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 4); __uint(map_flags, BPF_F_RDONLY_PROG); __type(key, __u32); __type(value, __u32); } frozen SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 4); __uint(map_flags, BPF_F_MMAPABLE); __type(key, __u32); __type(value, __u32); } shared SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_PERCPU_HASH); __uint(max_entries, 4); __type(key, __u32); __type(value, __u32); } per_cpu SEC(".maps");

SEC("xdp")
int flags(struct xdp_md *ctx)
{
	__u32 key = 1;
	__u32 *f = bpf_map_lookup_elem(&frozen, &key);
	__u32 *s = bpf_map_lookup_elem(&shared, &key);
	__u32 *p = bpf_map_lookup_elem(&per_cpu, &key);
	return (f ? *f : 0) + (s ? *s : 0) + (p ? *p : 0) > 3 ? XDP_DROP : XDP_PASS;
}
