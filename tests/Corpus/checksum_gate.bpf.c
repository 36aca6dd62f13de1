// SPDX-License-Identifier: GPL-2.0
/*
 * A gate that trusts only packets whose IPv4 header and TCP checksums are
 * right, as a SYN proxy does before it keeps any state: a frame of random
 * bytes never gets past it. Behind the gate, the destination port is looked up
 * in a table the control plane fills (read-only for the data plane, so Kecleon
 * inlines it), and a per-CPU counter says how many packets got that far.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/tcp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#define GATE_MAX_WORDS 760 /* a 1,500-byte IPv4 packet's 16-bit words, and some */

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __be16);  /* TCP destination port */
	__type(value, __u32); /* 1: bounce the SYN back (XDP_TX), 2: drop */
} gate_ports SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} gate_reached SEC(".maps");

/* The one's-complement sum of the 16-bit words from p to end (an odd last
 * byte padded with zero), on top of sum. */
static __always_inline __u32 gate_sum(const __u8 *p, const void *end, void *data_end, __u32 sum)
{
	for (int i = 0; i < GATE_MAX_WORDS; i++) {
		if ((void *)(p + 2) > end || (void *)(p + 2) > data_end)
			break;
		sum += ((__u32)p[0] << 8) | p[1];
		p += 2;
	}
	if ((void *)(p + 1) <= end && (void *)(p + 1) <= data_end)
		sum += (__u32)p[0] << 8;
	return sum;
}

static __always_inline __u16 gate_fold(__u32 sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (__u16)sum;
}

SEC("xdp")
int checksum_gate(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip;
	struct tcphdr *tcp;
	__u32 zero = 0, sum, *action;
	__u64 *reached;
	__u16 total;

	if ((void *)(eth + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > data_end || ip->ihl != 5 || ip->protocol != IPPROTO_TCP)
		return XDP_PASS;
	/* The IPv4 header checksum: ten words, in bounds (ip + 1 <= data_end). */
	sum = 0;
#pragma unroll
	for (int i = 0; i < 10; i++)
		sum += bpf_ntohs(((__be16 *)ip)[i]);
	if (gate_fold(sum) != 0xffff)
		return XDP_DROP;
	total = bpf_ntohs(ip->tot_len);
	if (total < sizeof(*ip) + sizeof(*tcp) || (void *)ip + total > data_end)
		return XDP_DROP;
	tcp = (void *)(ip + 1);
	if ((void *)(tcp + 1) > data_end)
		return XDP_DROP;
	/* The pseudo-header, then the segment. */
	sum = (bpf_ntohl(ip->saddr) >> 16) + (bpf_ntohl(ip->saddr) & 0xffff) +
	      (bpf_ntohl(ip->daddr) >> 16) + (bpf_ntohl(ip->daddr) & 0xffff) +
	      IPPROTO_TCP + (__u32)(total - sizeof(*ip));
	if (gate_fold(gate_sum((const __u8 *)tcp, (void *)ip + total, data_end, sum)) != 0xffff)
		return XDP_DROP; /* TCP checksum */

	reached = bpf_map_lookup_elem(&gate_reached, &zero);
	if (reached)
		*reached += 1;
	action = bpf_map_lookup_elem(&gate_ports, &tcp->dest);
	if (!action)
		return XDP_PASS;
	return *action == 1 && tcp->syn ? XDP_TX : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
