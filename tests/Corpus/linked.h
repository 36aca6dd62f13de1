/* SPDX-License-Identifier: GPL-2.0 */
/* What the two halves of the linked object share (linked_main.bpf.c, linked_helper.bpf.c). */
#pragma once
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

/* Declared __weak in both objects: the linker keeps one map. */
#define LINKED_STATS_MAP                              \
	struct {                                      \
		__uint(type, BPF_MAP_TYPE_ARRAY);     \
		__uint(max_entries, 3);               \
		__type(key, __u32);                   \
		__type(value, __u64);                 \
	} linked_stats SEC(".maps") __weak
