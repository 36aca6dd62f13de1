// SPDX-License-Identifier: GPL-2.0
/* CO-RE on a header read from the packet: the IPv6 header is a local copy of the kernel's struct marked
 * preserve_access_index, and the source address (a named struct inside it) is copied out by address. The field's
 * address goes through llvm.bpf.passthrough overloaded on that struct's type. Flows whose source address is in the
 * control plane's table get its verdict. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

struct in6_addr___local {
	__u32 words[4];
};

struct ipv6hdr___local {
	__u32 ver_tc_flow;
	__u16 payload_len;
	__u8 nexthdr;
	__u8 hop_limit;
	struct in6_addr___local saddr;
	struct in6_addr___local daddr;
} __attribute__((preserve_access_index));

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u32);
} cfc_verdicts SEC(".maps");

SEC("xdp")
int core_field_copy(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct ipv6hdr___local *ip6 = data + sizeof(*eth);
	__u32 source[4], *verdict;

	if ((void *)(ip6 + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IPV6))
		return XDP_PASS;
	__builtin_memcpy(source, &ip6->saddr, sizeof(source));
	verdict = bpf_map_lookup_elem(&cfc_verdicts, &source[3]);
	if (verdict)
		return *verdict <= XDP_REDIRECT ? *verdict : XDP_ABORTED;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
