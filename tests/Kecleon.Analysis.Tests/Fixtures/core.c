// CO-RE: fields read through preserve_access_index structs (as vmlinux.h declares them).
#include <linux/types.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
char LICENSE[] SEC("license") = "GPL";

struct task_struct { int pid; int tgid; } __attribute__((preserve_access_index));

struct { __uint(type, 1 /* BPF_MAP_TYPE_HASH */); __uint(max_entries, 1024); __type(key, int); __type(value, __u64); } starts SEC(".maps");

SEC("kprobe/wake_up_new_task")
int on_new_task(struct task_struct *task)
{
	int pid = BPF_CORE_READ(task, pid);
	__u64 now = bpf_ktime_get_ns();
	bpf_map_update_elem(&starts, &pid, &now, 0);
	return 0;
}
