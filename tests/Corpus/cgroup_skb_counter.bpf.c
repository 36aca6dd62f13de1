// SPDX-License-Identifier: GPL-2.0
/*
 * cgroup_skb_counter: a cgroup_skb program (a hook Kecleon does not swap) that
 * counts the packets of its cgroup and lets them all through.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} packets SEC(".maps");

SEC("cgroup_skb/ingress")
int cgroup_skb_counter(struct __sk_buff *skb)
{
	__u32 zero = 0;
	__u64 *n = bpf_map_lookup_elem(&packets, &zero);

	if (n)
		__sync_fetch_and_add(n, 1);
	return 1;
}

char LICENSE[] SEC("license") = "GPL";
