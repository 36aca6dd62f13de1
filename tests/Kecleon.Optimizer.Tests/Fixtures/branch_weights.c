// No map to inline: the profile's branch counts alone become branch weights (and a block the profile names that does
// not end in a conditional branch is reported); nothing is specialized, so no guard.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
char LICENSE[] SEC("license") = "GPL";

SEC("xdp")
int branch_weights(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	if ((void *)(eth + 1) > end)
		return XDP_DROP;
	if (eth->h_proto == bpf_htons(ETH_P_IP))
		return bpf_redirect(4, 0);
	if (eth->h_proto == bpf_htons(ETH_P_ARP))
		return bpf_redirect(5, 0);
	return XDP_PASS;
}
