// SPDX-License-Identifier: GPL-2.0
/* A kfunc call: an extern __ksym function the kernel exports to XDP (bpf_dynptr_from_xdp), resolved by libbpf against
 * the kernel's BTF; the packet is then read through the dynptr with a helper. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>

extern int bpf_dynptr_from_xdp(struct xdp_md *xdp, __u64 flags, struct bpf_dynptr *ptr) __ksym;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} kfunc_stamped SEC(".maps");

/* Verdicts by EtherType, written by the control plane only: what Kecleon specializes on. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u16);
	__type(value, __u32);
} kfunc_verdicts SEC(".maps");

SEC("xdp")
int kfunc_call(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct bpf_dynptr packet;
	__u8 first = 0;
	__u32 key;
	__u64 *count;

	if (data + ETH_HLEN > data_end)
		return XDP_ABORTED;
	{
		struct ethhdr *eth = data;
		__u16 proto = eth->h_proto;
		__u32 *verdict = bpf_map_lookup_elem(&kfunc_verdicts, &proto);

		if (verdict)
			return *verdict <= XDP_REDIRECT ? *verdict : XDP_ABORTED;
	}
	if (bpf_dynptr_from_xdp(ctx, 0, &packet))
		return XDP_ABORTED;
	if (bpf_dynptr_read(&first, sizeof(first), &packet, 0, 0))
		return XDP_ABORTED;
	key = first & 1;
	count = bpf_map_lookup_elem(&kfunc_stamped, &key);
	if (count)
		__sync_fetch_and_add(count, 1);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
