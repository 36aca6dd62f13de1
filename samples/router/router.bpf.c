// SPDX-License-Identifier: GPL-2.0
/* router: the forwarding of router.h as a program of its own. */
#include "router.h"

SEC("xdp")
int router(struct xdp_md *ctx)
{
	return router_process(ctx);
}

char LICENSE[] SEC("license") = "GPL";
