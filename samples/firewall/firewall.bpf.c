// SPDX-License-Identifier: GPL-2.0
/* firewall: the classifier of firewall.h as a program of its own. */
#include "firewall.h"

SEC("xdp")
int firewall(struct xdp_md *ctx)
{
	return firewall_process(ctx);
}

char LICENSE[] SEC("license") = "GPL";
