// SPDX-License-Identifier: GPL-2.0
/* An entry that is only a stub: the section holds a call to the real handler, a subprogram in .text. Its size is the
 * stub's plus the handler's. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u16);
	__type(value, __u32);
} stub_verdicts SEC(".maps");

static __noinline int handle(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	__u16 proto;
	__u32 *verdict;

	if ((void *)(eth + 1) > data_end)
		return XDP_ABORTED;
	proto = bpf_ntohs(eth->h_proto);
	verdict = bpf_map_lookup_elem(&stub_verdicts, &proto);
	if (!verdict)
		return XDP_PASS;
	return *verdict <= XDP_REDIRECT ? *verdict : XDP_ABORTED;
}

SEC("xdp")
int stub_entry(struct xdp_md *ctx)
{
	return handle(ctx);
}

char LICENSE[] SEC("license") = "GPL";
