// No lookup worth profiling: the profiled copy counts both ways of every conditional branch, numbered by block in
// function order, one counter slot lookup at the entry of each function; the program's own code records nothing.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
char LICENSE[] SEC("license") = "GPL";

SEC("xdp")
int branch_counters(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	if ((void *)(eth + 1) > end)
		return XDP_DROP;
	if (eth->h_proto == bpf_htons(ETH_P_IP))
		return bpf_redirect(4, 0);
	if (eth->h_dest[0] & 1)
		return bpf_redirect(5, 0);
	return XDP_PASS;
}
