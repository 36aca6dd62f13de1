// SPDX-License-Identifier: GPL-2.0
/* Linked by TraceProfile into a copy of a program that counts every lookup key (per site) and every conditional
 * branch's direction over a whole trace: exact counts, for benchmarks and tests. Compiled to bitcode with the assembly.
 * TraceProfile reads kecleon_keys' keys as struct kecleon_key and kecleon_branches by counter number
 * (TraceProfile.MaxKey and MaxBranches are the two sizes below; ProfileContractTests check them against the BTF). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

/* Keys longer than this are not recorded. */
#define KECLEON_TRACE_KEY_BYTES 64
/* Branches counted at most: two counters each. */
#define KECLEON_TRACE_BRANCHES 4096

struct kecleon_key {
	__u32 site;
	__u8 bytes[KECLEON_TRACE_KEY_BYTES];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, struct kecleon_key);
	__type(value, __u64);
} kecleon_keys SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, KECLEON_TRACE_BRANCHES * 2);
	__type(key, __u32);
	__type(value, __u64);
} kecleon_branches SEC(".maps");

/* Inlined: the verifier refuses an untyped pointer argument to a subprogram. The back end's stack colouring gives
 * every inlined copy's key the same stack slot. */
__attribute__((always_inline)) int kecleon_record_key(__u32 site, const void *key, __u32 size)
{
	struct kecleon_key k;
	__u64 one = 1, *count;

	__builtin_memset(&k, 0, sizeof(k));
	k.site = site;
	if (size > KECLEON_TRACE_KEY_BYTES)
		return 0;
	bpf_probe_read_kernel(k.bytes, size, key);
	count = bpf_map_lookup_elem(&kecleon_keys, &k);
	if (count)
		__sync_fetch_and_add(count, 1);
	else
		bpf_map_update_elem(&kecleon_keys, &k, &one, BPF_NOEXIST);
	return 0;
}

__attribute__((always_inline)) int kecleon_record_branch(__u32 branch, __u32 taken)
{
	__u32 slot = branch * 2 + (taken ? 0 : 1);
	__u64 *count = bpf_map_lookup_elem(&kecleon_branches, &slot);

	if (count)
		__sync_fetch_and_add(count, 1);
	return 0;
}
