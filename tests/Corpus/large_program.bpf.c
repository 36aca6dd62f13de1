// SPDX-License-Identifier: GPL-2.0
/* A large program with small maps: a bounded loop folds the addresses into a flow hash, and the verifier walks every
 * round of it (about 90,000 instructions processed); after it, three small maps decide the verdict. The loop comes
 * before the lookups, so their inlined answers add little to the verifier's work: the maps must be inlined even though
 * the program alone costs close to a tenth of the verifier's limit. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define LP_ROUNDS 5300

/* A service's value: its action in the low byte, flags above it. */
#define LP_F_COUNT 0x100

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u32);
} lp_services SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u32);
} lp_ethertypes SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} lp_mode SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} lp_hashes SEC(".maps");

static __always_inline __u32 lp_mix(__u32 h, __u32 round)
{
	h ^= h << 13;
	h ^= h >> 17;
	h ^= h << 5;
	return h + round;
}

SEC("xdp")
int lp_parse(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	__u32 type, proto, zero = 0, *verdict, *mode, *service, h, i;
	__u64 *hashes;

	if ((void *)(eth + 1) > end)
		return XDP_DROP;
	type = bpf_ntohs(eth->h_proto);
	verdict = bpf_map_lookup_elem(&lp_ethertypes, &type);
	if (!verdict)
		return XDP_PASS;
	if (type != ETH_P_IP || (void *)(ip + 1) > end)
		return *verdict;
	h = ip->saddr ^ ip->daddr;
	for (i = 0; i < LP_ROUNDS; i++)
		h = lp_mix(h, i);
	hashes = bpf_map_lookup_elem(&lp_hashes, &zero);
	if (hashes)
		*hashes += h;
	mode = bpf_map_lookup_elem(&lp_mode, &zero);
	if (!mode || *mode == 0)
		return *verdict;
	proto = ip->protocol;
	service = bpf_map_lookup_elem(&lp_services, &proto);
	if (!service)
		return *verdict;
	if (*service & LP_F_COUNT && hashes)
		*hashes += 1;
	return *service & 0xff;
}

char LICENSE[] SEC("license") = "GPL";
