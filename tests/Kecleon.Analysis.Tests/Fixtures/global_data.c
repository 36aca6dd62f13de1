// Global data: .rodata (read-only by construction), .data read, .bss written.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
char LICENSE[] SEC("license") = "GPL";

const volatile __u32 drop_port = 22;
__u32 verdict_when_match = XDP_DROP;
__u64 seen;

SEC("xdp")
int globals(struct xdp_md *ctx)
{
	seen++;
	if (ctx->rx_queue_index == drop_port)
		return verdict_when_match;
	return XDP_PASS;
}
