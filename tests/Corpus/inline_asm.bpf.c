// SPDX-License-Identifier: GPL-2.0
/* Inline BPF assembly, as real programs use it: a compiler barrier on a value (so the compiler cannot fold it) and a
 * load the compiler must not reorder or widen, written in BPF assembly. Counts packets per protocol byte. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>

/* Keeps the compiler from knowing anything about var (the pattern of libbpf's barrier_var). */
#define opaque(var) asm volatile("" : "+r"(var))

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} asm_counts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} asm_config SEC(".maps");

SEC("xdp")
int inline_asm(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u32 zero = 0, ingress;
	__u64 *count;
	__u32 *mode;

	/* A 32-bit load of the context written by hand: r = *(u32 *)(ctx + 12) is ingress_ifindex. */
	asm volatile("%0 = *(u32 *)(%1 + 12)" : "=r"(ingress) : "r"(ctx));
	if (data + ETH_HLEN > data_end)
		return XDP_ABORTED;
	mode = bpf_map_lookup_elem(&asm_config, &zero);
	if (!mode)
		return XDP_ABORTED;
	__u32 key = ((unsigned char *)data)[ETH_HLEN - 1] & 3;
	opaque(key);
	if (key > 3)
		return XDP_ABORTED;
	count = bpf_map_lookup_elem(&asm_counts, &key);
	if (count)
		__sync_fetch_and_add(count, 1);
	if (*mode == 1 && ingress == 0)
		return XDP_DROP;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
