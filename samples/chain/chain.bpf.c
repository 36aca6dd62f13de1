// SPDX-License-Identifier: GPL-2.0
/*
 * chain: DDoS mitigation, the firewall and the router as a service chain,
 * one program per stage linked by tail calls through the PROG_ARRAY
 * `chain_slots`, as a chaining framework (Polycube) loads them: the entry
 * stage on the hook, each other stage in its slot.
 *
 *   chain_ddos (entry) --slot 1--> chain_firewall --slot 2--> chain_router
 *
 * A stage lets a packet through with KN_NEXT, which here tail-calls the next
 * stage's slot; an empty slot hands the packet to the stack (XDP_PASS), as the
 * stage alone would. Each stage keeps the maps of its sample under the same
 * names, but for the per-stage counters, which the firewall and the router
 * call `stats`: here they are `firewall_stats` and `router_stats` (the ddos
 * stage's maps are all `ddos_*`).
 */
#define KN_NEXT(ctx) chain_next(ctx, CHAIN_NEXT_SLOT)

#include "kecleon_net.h"

#define CHAIN_SLOT_FIREWALL 1
#define CHAIN_SLOT_ROUTER   2
#define CHAIN_SLOTS         4

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, CHAIN_SLOTS);
	__type(key, __u32);
	__type(value, __u32);
} chain_slots SEC(".maps");

static __always_inline int chain_next(struct xdp_md *ctx, __u32 slot)
{
	bpf_tail_call(ctx, &chain_slots, slot);
	return XDP_PASS; /* the slot is empty */
}

#define CHAIN_NEXT_SLOT CHAIN_SLOT_FIREWALL
#include "../ddos/ddos.h"
#undef CHAIN_NEXT_SLOT

#define CHAIN_NEXT_SLOT CHAIN_SLOT_ROUTER
#define stats firewall_stats
#include "../firewall/firewall.h"
#undef stats
#undef CHAIN_NEXT_SLOT

#define stats router_stats
#include "../router/router.h"
#undef stats

SEC("xdp")
int chain_ddos(struct xdp_md *ctx)
{
	return ddos_process(ctx);
}

SEC("xdp")
int chain_firewall(struct xdp_md *ctx)
{
	return firewall_process(ctx);
}

SEC("xdp")
int chain_router(struct xdp_md *ctx)
{
	return router_process(ctx);
}

char LICENSE[] SEC("license") = "GPL";
