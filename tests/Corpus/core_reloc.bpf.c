// SPDX-License-Identifier: GPL-2.0
/* CO-RE: the context is read through a local copy of the kernel's struct xdp_md marked preserve_access_index, so each
 * field's offset is relocated by libbpf against the running kernel's BTF; a field and a type are tested for existence. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

struct xdp_md___local {
	__u32 data;
	__u32 data_end;
	__u32 data_meta;
	__u32 ingress_ifindex;
	__u32 rx_queue_index;
	__u32 egress_ifindex;
} __attribute__((preserve_access_index));

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u64);
} core_queues SEC(".maps");

/* Verdicts by EtherType, written by the control plane only: what Kecleon specializes on. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u16);
	__type(value, __u32);
} core_verdicts SEC(".maps");

SEC("xdp")
int core_reloc(struct xdp_md *raw)
{
	struct xdp_md___local *ctx = (void *)raw;
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u32 key = 0;
	__u64 *count;

	if (data + ETH_HLEN > data_end)
		return XDP_ABORTED;
	{
		struct ethhdr *eth = data;
		__u16 proto = eth->h_proto;
		__u32 *verdict = bpf_map_lookup_elem(&core_verdicts, &proto);

		if (verdict)
			return *verdict <= XDP_REDIRECT ? *verdict : XDP_ABORTED;
	}
	if (bpf_core_field_exists(ctx->rx_queue_index))
		key = ctx->rx_queue_index & 7;
	if (!bpf_core_type_exists(struct xdp_md))
		return XDP_DROP;
	count = bpf_map_lookup_elem(&core_queues, &key);
	if (count)
		__sync_fetch_and_add(count, 1);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
