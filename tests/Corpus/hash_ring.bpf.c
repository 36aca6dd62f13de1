// SPDX-License-Identifier: GPL-2.0
/* A consistent-hash ring: a flow's hash picks one of a million slots (hash % size), the slot holds a backend's index,
 * copied to the stack as the backend lookup's key, and the backend's address replaces the destination. The ring is far
 * too big to inline or to copy; its hot slots, answered as constants, make the backend lookup's key constant too. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define HR_RING_SLOTS (1 << 20)

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, HR_RING_SLOTS);
	__type(key, __u32);
	__type(value, __u32);
} hr_ring SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u32);
} hr_backends SEC(".maps");

static __always_inline __u32 hr_flow_hash(const struct iphdr *ip)
{
	__u32 h = ip->saddr * 0x9e3779b1u;

	h ^= ip->daddr + 0x7f4a7c15u + (h << 6) + (h >> 2);
	h ^= ip->protocol * 0x85ebca6bu;
	return h ^ (h >> 16);
}

SEC("xdp")
int hr_balance(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	__u32 slot, id, *backend, *address;

	if ((void *)(ip + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	slot = hr_flow_hash(ip) % HR_RING_SLOTS;
	backend = bpf_map_lookup_elem(&hr_ring, &slot);
	if (!backend)
		return XDP_ABORTED;
	id = *backend;
	address = bpf_map_lookup_elem(&hr_backends, &id);
	if (!address)
		return XDP_DROP;
	ip->daddr = *address;
	return XDP_TX;
}

char LICENSE[] SEC("license") = "GPL";
