// A lookup into a hash map too large to inline whole records its key: in the program's own code when the packet's keys
// are sampled, and in the profiled copy. The lookup with a constant key (a statistics slot) records nothing.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
char LICENSE[] SEC("license") = "GPL";

struct { __uint(type, BPF_MAP_TYPE_HASH); __uint(max_entries, 65536); __type(key, __u32); __type(value, __u32); } hosts SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 4); __type(key, __u32); __type(value, __u64); } stats SEC(".maps");

SEC("xdp")
int key_profile(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	__u32 zero = 0;
	__u64 *packets = bpf_map_lookup_elem(&stats, &zero);
	if (packets)
		__sync_fetch_and_add(packets, 1);
	__u32 key = ip->saddr;
	__u32 *verdict = bpf_map_lookup_elem(&hosts, &key);
	return verdict ? *verdict : XDP_PASS;
}
