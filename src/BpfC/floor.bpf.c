// SPDX-License-Identifier: GPL-2.0
/* The cheapest XDP program there is (FloorProgram): timed like any variant, it is the floor that BPF_PROG_TEST_RUN's own
 * cost puts under every measurement. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

/* The program keeps the name "floor" (-fno-builtin: not libm's). */
SEC("xdp")
int floor(struct xdp_md *ctx)
{
	return XDP_PASS;
}
