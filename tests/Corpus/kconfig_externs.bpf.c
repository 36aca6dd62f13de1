// SPDX-License-Identifier: GPL-2.0
/* .kconfig externs that libbpf fills in at load time (the running kernel's version and configuration), used in
 * branches, and a __ksym variable extern whose address libbpf resolves from kallsyms. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>

extern unsigned int LINUX_KERNEL_VERSION __kconfig;
extern unsigned int CONFIG_HZ __kconfig __weak;
extern _Bool CONFIG_KECLEON_NOT_A_REAL_OPTION __kconfig __weak;
extern const void bpf_prog_active __ksym __weak;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} kconfig_counts SEC(".maps");

/* Verdicts by EtherType, written by the control plane only: what Kecleon specializes on. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u16);
	__type(value, __u32);
} kconfig_verdicts SEC(".maps");

SEC("xdp")
int kconfig_externs(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u32 key = 0;
	__u64 *count;

	if (data + ETH_HLEN > data_end)
		return XDP_ABORTED;
	{
		struct ethhdr *eth = data;
		__u16 proto = eth->h_proto;
		__u32 *verdict = bpf_map_lookup_elem(&kconfig_verdicts, &proto);

		if (verdict)
			return *verdict <= XDP_REDIRECT ? *verdict : XDP_ABORTED;
	}
	if (LINUX_KERNEL_VERSION >= (6 << 16))
		key = 1;
	if (CONFIG_HZ >= 250)
		key |= 2;
	if (CONFIG_KECLEON_NOT_A_REAL_OPTION || !&bpf_prog_active)
		return XDP_DROP;
	count = bpf_map_lookup_elem(&kconfig_counts, &key);
	if (count)
		__sync_fetch_and_add(count, 1);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
