// SPDX-License-Identifier: GPL-2.0
/*
 * xdp_dispatcher: a multi-program dispatcher in the shape libxdp uses. The XDP
 * entry calls a global function per slot; a loader replaces a slot's function
 * with an extension program (freplace) and attaches the entry to an interface.
 * A slot nobody replaced passes the packet on.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

__attribute__((noinline)) int prog0(struct xdp_md *ctx)
{
	volatile int verdict = XDP_PASS;

	if (!ctx)
		return XDP_ABORTED;
	return verdict;
}

SEC("xdp")
int xdp_dispatcher(struct xdp_md *ctx)
{
	int verdict = prog0(ctx);

	return verdict == XDP_PASS ? XDP_PASS : verdict;
}

char LICENSE[] SEC("license") = "GPL";
