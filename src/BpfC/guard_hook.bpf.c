// SPDX-License-Identifier: GPL-2.0
/*
 * Kecleon guard hook (loaded by GuardTable): on every bpf() call that writes a map registered in kecleon_guard_slots,
 * add one to that map's version (slot `slot` of kecleon_guards' one element) on syscall entry and again on syscall
 * exit. Specialized programs compare their slots' versions with the version they were built against and fall back to
 * the original on a mismatch. A program loaded later that uses a registered map may write it from the data plane: its
 * successful BPF_PROG_LOAD bumps that map's version too (unless Kecleon itself loaded it). Each bump on exit also
 * writes a record (the slot, or every slot, and the time) to the kecleon_guard_events ring buffer and wakes its reader:
 * the daemon waits on it instead of polling the versions.
 *
 * Compiled with the assembly. It needs no vmlinux.h: the few kernel structures it reads are declared below with
 * preserve_access_index, and libbpf relocates those field offsets against the running kernel's BTF
 * (/sys/kernel/btf/vmlinux) at load.
 */
#include "kecleon_guard.h"
#include <bpf/bpf_core_read.h>

#ifndef __TARGET_ARCH_x86
#error "the hooks read the syscall's arguments from x86 pt_regs"
#endif

char LICENSE[] SEC("license") = "GPL";

#define MAX_USED_MAPS 64        /* the kernel's limit of maps per program */
#define USER_HZ_NS 10000000ULL  /* /proc/<pid>/stat counts a start time in 1/100 s */
#define TS_COMPAT 0x0002        /* thread_info.status: the task is in a 32-bit system call */
#define IA32_NR_BPF 357         /* bpf() in the i386 system call table */

// CO-RE views of the kernel structures read below. Only the named fields exist here; libbpf finds their real
// offsets in the running kernel's BTF.
struct bpf_map { enum bpf_map_type map_type; __u32 id; } __attribute__((preserve_access_index));
struct bpf_prog_aux { __u32 used_map_cnt; struct bpf_map **used_maps; } __attribute__((preserve_access_index));
struct bpf_prog { enum bpf_prog_type type; struct bpf_prog_aux *aux; } __attribute__((preserve_access_index));
struct file { void *private_data; } __attribute__((preserve_access_index));
struct fdtable { unsigned int max_fds; struct file **fd; } __attribute__((preserve_access_index));
struct files_struct { struct fdtable *fdt; } __attribute__((preserve_access_index));
struct thread_info { __u32 status; } __attribute__((preserve_access_index));
struct task_struct {
	struct thread_info thread_info;
	struct files_struct *files;
	struct task_struct *group_leader;
	__u64 start_boottime;
} __attribute__((preserve_access_index));
struct pt_regs { unsigned long bx, cx, dx, si, di, orig_ax; } __attribute__((preserve_access_index));

// kecleon_guards, the versions, comes from kecleon_guard.h: specialized programs reuse it.

// Kernel map id -> slot, for the maps that specialized programs depend on. Written only by Kecleon.
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, KECLEON_GUARD_SLOTS);
	__type(key, __u32);
	__type(value, __u32);
} kecleon_guard_slots SEC(".maps");

// Kecleon's own processes (tgid -> start time in 1/100 s since boot, as /proc/<tgid>/stat says): the programs
// they load (specialized, instrumented, the check's copies of the original) share the guarded maps by design.
// The start time makes an entry left by a process that died mean nothing to a later process with its pid.
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u64);
} kecleon_guard_loaders SEC(".maps");

// One record per bump on syscall exit (struct kecleon_guard_event, kecleon_guard.h): a record lost to a full ring (the
// reader is behind by 512 records) loses nothing but that record.
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, KECLEON_GUARD_EVENTS_BYTES);
} kecleon_guard_events SEC(".maps");

// Tells the reader at once (each record wakes it: writes are rare, and the daemon waits for nothing else).
static __always_inline void notify(__u32 slot)
{
	struct kecleon_guard_event event = { .slot = slot, .ns = bpf_ktime_get_ns() };
	bpf_ringbuf_output(&kecleon_guard_events, &event, sizeof(event), BPF_RB_FORCE_WAKEUP);
}

// /sys/kernel/tracing/events/syscalls/sys_{enter,exit}_bpf/format: 8 bytes of common fields, then 8 bytes a field.
struct sys_enter_bpf_args { __u64 common; __u64 nr; __u64 cmd; union bpf_attr *uattr; __u64 size; };
struct sys_exit_bpf_args { __u64 common; __u64 nr; __s64 ret; };

// The object behind one of the calling task's fds (a struct bpf_map for a map fd), as the syscall will resolve it.
// Fields of BTF-typed pointers are plain loads (the verifier makes them fault-safe); the fd array holds pointers to
// pointers, which the verifier does not type, so those go through bpf_probe_read_kernel.
static __always_inline void *fd_object(__u32 fd)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct fdtable *fdt = task->files->fdt;
	if (fd >= fdt->max_fds)
		return 0;
	struct file *file = 0;
	bpf_probe_read_kernel(&file, sizeof(file), &fdt->fd[fd]);
	return file ? BPF_CORE_READ(file, private_data) : 0;
}

// A u32 of the caller's bpf_attr as the kernel reads it: the kernel copies `size` bytes and zero-fills the rest.
static __always_inline __u32 attr_u32(union bpf_attr *uattr, __u64 size, __u32 offset)
{
	__u32 value = 0;
	if (size >= offset + sizeof(value))
		bpf_probe_read_user(&value, sizeof(value), (char *)uattr + offset);
	return value;
}

// `exit`: the bump on syscall exit, which the reader is told of (the write is done by then).
static __always_inline void bump_slot(__u32 slot, int exit)
{
	__u32 zero = 0;
	struct kecleon_guard_versions *versions = bpf_map_lookup_elem(&kecleon_guards, &zero);
	if (versions && slot < KECLEON_GUARD_SLOTS) {
		__sync_fetch_and_add(&versions->version[slot], 1);
		if (exit)
			notify(slot);
	}
}

static __always_inline void bump_all(int exit)
{
	for (__u32 slot = 0; slot < KECLEON_GUARD_SLOTS; slot++)
		bump_slot(slot, 0);
	if (exit)
		notify(KECLEON_GUARD_ALL_SLOTS);
}

static __always_inline int is_map_of_maps(enum bpf_map_type type)
{
	return type == BPF_MAP_TYPE_ARRAY_OF_MAPS || type == BPF_MAP_TYPE_HASH_OF_MAPS;
}

static __always_inline void bump_map(struct bpf_map *map, int exit)
{
	__u32 id = BPF_CORE_READ(map, id);
	__u32 *slot = bpf_map_lookup_elem(&kecleon_guard_slots, &id);
	if (slot)
		bump_slot(*slot, exit);
}

// Whether the calling process is one of Kecleon's, registered in kecleon_guard_loaders.
static __always_inline int kecleon_loader(void)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	__u64 *started = bpf_map_lookup_elem(&kecleon_guard_loaders, &tgid);
	if (!started)
		return 0;
	struct task_struct *task = bpf_get_current_task_btf();
	return *started == task->group_leader->start_boottime / USER_HZ_NS;
}

// A program just loaded can write every map it uses (and every map inside a map of maps it uses) as soon as it
// runs: the versions of the guarded ones move before its fd reaches the loader.
static __always_inline void on_prog_loaded(__s64 fd)
{
	if (fd < 0 || kecleon_loader())
		return;
	struct bpf_prog *prog = fd_object(fd);
	if (!prog)
		return;
	struct bpf_prog_aux *aux = BPF_CORE_READ(prog, aux);
	__u32 count = BPF_CORE_READ(aux, used_map_cnt);
	struct bpf_map **used = BPF_CORE_READ(aux, used_maps);
	int outer = 0;
	for (__u32 i = 0; i < MAX_USED_MAPS; i++) {
		if (i >= count)
			break;
		struct bpf_map *map = 0;
		bpf_probe_read_kernel(&map, sizeof(map), &used[i]);
		if (!map)
			continue;
		if (is_map_of_maps(BPF_CORE_READ(map, map_type)))
			outer = 1;
		else
			bump_map(map, 1);
	}
	if (outer)
		bump_all(1);
}

// `ret` is the call's result on exit; `exit` says which of entry and exit this is.
static __always_inline void on_bpf(__u64 cmd, union bpf_attr *uattr, __u64 size, __s64 ret, int exit)
{
	__u32 offset;
	switch (cmd) {
	case BPF_MAP_UPDATE_ELEM:
	case BPF_MAP_DELETE_ELEM:
	case BPF_MAP_LOOKUP_AND_DELETE_ELEM:
		offset = __builtin_offsetof(union bpf_attr, map_fd);
		break;
	case BPF_MAP_UPDATE_BATCH:
	case BPF_MAP_DELETE_BATCH:
	case BPF_MAP_LOOKUP_AND_DELETE_BATCH:
		offset = __builtin_offsetof(union bpf_attr, batch.map_fd);
		break;
	case BPF_PROG_TEST_RUN: {
		// A BPF_PROG_TYPE_SYSCALL program can write any map (directly, or through bpf_sys_bpf without a
		// syscall of its own): its runs invalidate every slot, so the data plane checks one version only.
		struct bpf_prog *prog = fd_object(attr_u32(uattr, size, __builtin_offsetof(union bpf_attr, test.prog_fd)));
		if (prog && BPF_CORE_READ(prog, type) == BPF_PROG_TYPE_SYSCALL)
			bump_all(exit);
		return;
	}
	case BPF_PROG_LOAD:
		if (exit)
			on_prog_loaded(ret);
		return;
	default:
		return;
	}
	struct bpf_map *map = fd_object(attr_u32(uattr, size, offset));
	if (!map)
		return;
	if (is_map_of_maps(BPF_CORE_READ(map, map_type))) {
		// Putting a map into a map of maps makes it reachable by every program using the outer map. Which inner
		// map a write names is not worth resolving here: writes to maps of maps are rare.
		bump_all(exit);
		return;
	}
	bump_map(map, exit);
}

// Entry: from here on every packet takes the original program, so no packet sees a half-done batch through
// specialized code.
SEC("tracepoint/syscalls/sys_enter_bpf")
int kecleon_guard_enter(struct sys_enter_bpf_args *ctx)
{
	on_bpf(ctx->cmd, ctx->uattr, ctx->size, -1, 0);
	return 0;
}

// Exit, after the write and before the caller sees the result. This bump is what makes a snapshot safe: a
// version read before the map's contents is stale once any write that was in flight during the read completes,
// even one that entered before the hook was attached or the map registered. The exit tracepoint carries no
// arguments, so they are read again from the task's saved registers (rdi, rsi, rdx are not changed by bpf()).
SEC("tracepoint/syscalls/sys_exit_bpf")
int kecleon_guard_exit(struct sys_exit_bpf_args *ctx)
{
	struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(bpf_get_current_task_btf());
	on_bpf(regs->di, (union bpf_attr *)regs->si, regs->dx, ctx->ret, 1);
	return 0;
}

// The syscalls:* tracepoints do not fire for 32-bit system calls (int $0x80 or sysenter, from a 32-bit process
// or a 64-bit one). raw_syscalls:sys_enter/sys_exit fire for every system call: these two return at once unless
// the call is the i386 bpf(), whose arguments are in ebx, ecx, edx. The number is checked first, from the
// tracepoint's arguments, so that every other system call costs a load and a compare (and one read on exit).
static __always_inline int in_compat_syscall(void)
{
	struct task_struct *task = bpf_get_current_task_btf();
	return (task->thread_info.status & TS_COMPAT) != 0;
}

static __always_inline void on_compat_bpf(__s64 ret, int exit)
{
	struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(bpf_get_current_task_btf());
	on_bpf((__u32)regs->bx, (union bpf_attr *)(unsigned long)(__u32)regs->cx, (__u32)regs->dx, ret, exit);
}

// sys_enter(struct pt_regs *regs, long id)
SEC("raw_tracepoint/sys_enter")
int kecleon_guard_compat_enter(struct bpf_raw_tracepoint_args *ctx)
{
	if (ctx->args[1] == IA32_NR_BPF && in_compat_syscall())
		on_compat_bpf(-1, 0);
	return 0;
}

// sys_exit(struct pt_regs *regs, long ret)
SEC("raw_tracepoint/sys_exit")
int kecleon_guard_compat_exit(struct bpf_raw_tracepoint_args *ctx)
{
	unsigned long nr = 0;
	BPF_CORE_READ_INTO(&nr, (struct pt_regs *)ctx->args[0], orig_ax);
	if (nr == IA32_NR_BPF && in_compat_syscall())
		on_compat_bpf((__s64)ctx->args[1], 1);
	return 0;
}
