// A program that stores to a .kconfig extern: libbpf makes the .kconfig map read-only for programs, so the verifier
// will refuse it, and the analysis must say the map is written rather than read-only.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

extern unsigned int LINUX_KERNEL_VERSION __kconfig;

SEC("xdp")
int kconfig_written(struct xdp_md *ctx)
{
	if (ctx->data_end - ctx->data > 100)
		*(volatile unsigned int *)&LINUX_KERNEL_VERSION = 5;
	return LINUX_KERNEL_VERSION > 5 ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
