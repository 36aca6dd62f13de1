// SPDX-License-Identifier: GPL-2.0
/*
 * tc_classifier: a TC ingress/egress classifier (cls_bpf in direct-action mode,
 * or a tcx link) that admits IPv4 TCP and UDP by destination port.
 *
 * `allowed_ports` maps a destination port (network order, widened to 32 bits)
 * to a verdict; a port it does not hold is dropped. Everything that is not
 * IPv4 TCP/UDP goes on (TC_ACT_OK). `seen` counts verdicts per CPU.
 *
 * The same object serves both hooks: a tcx link takes any SCHED_CLS program.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/pkt_cls.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u32);
} allowed_ports SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} seen SEC(".maps");

static __always_inline int count(int verdict)
{
	__u32 slot = verdict == TC_ACT_OK ? 0 : 1;
	__u64 *n = bpf_map_lookup_elem(&seen, &slot);

	if (n)
		*n += 1;
	return verdict;
}

SEC("tc")
int tc_classifier(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip;
	__u32 port;

	if ((void *)(eth + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP))
		return count(TC_ACT_OK);
	ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > end || ip->ihl != 5)
		return count(TC_ACT_OK);
	if (ip->protocol == IPPROTO_TCP) {
		struct tcphdr *tcp = (void *)(ip + 1);

		if ((void *)(tcp + 1) > end)
			return count(TC_ACT_SHOT);
		port = tcp->dest;
	} else if (ip->protocol == IPPROTO_UDP) {
		struct udphdr *udp = (void *)(ip + 1);

		if ((void *)(udp + 1) > end)
			return count(TC_ACT_SHOT);
		port = udp->dest;
	} else {
		return count(TC_ACT_OK);
	}

	__u32 *verdict = bpf_map_lookup_elem(&allowed_ports, &port);
	return count(verdict ? (int)*verdict : TC_ACT_SHOT);
}

char LICENSE[] SEC("license") = "GPL";
