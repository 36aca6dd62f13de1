// .kconfig and __ksym externs (filled in by libbpf at load) and a kfunc call: the externs are read-only global data,
// the kfunc a note.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

extern unsigned int LINUX_KERNEL_VERSION __kconfig;
extern unsigned int CONFIG_HZ __kconfig __weak;
extern const void bpf_prog_active __ksym __weak;
extern int bpf_dynptr_from_xdp(struct xdp_md *xdp, __u64 flags, struct bpf_dynptr *ptr) __ksym;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");

SEC("xdp")
int externs(struct xdp_md *ctx)
{
	struct bpf_dynptr packet;
	__u32 key = LINUX_KERNEL_VERSION >= (6 << 16) ? 1 : 0;
	__u64 *count;

	if (CONFIG_HZ >= 250 && &bpf_prog_active)
		key |= 2;
	if (bpf_dynptr_from_xdp(ctx, 0, &packet))
		return XDP_ABORTED;
	count = bpf_map_lookup_elem(&counts, &key);
	if (count)
		__sync_fetch_and_add(count, 1);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
