// SPDX-License-Identifier: GPL-2.0
/* ddos: the DDoS-mitigation stage as a single XDP program (ddos.h holds its logic and maps). */
#include "ddos.h"

SEC("xdp")
int ddos(struct xdp_md *ctx)
{
	return ddos_process(ctx);
}

char LICENSE[] SEC("license") = "GPL";
