using Kecleon.FrontEnd;

namespace Kecleon.Runtime.Guards;

/// <summary>
/// The kernel side of the <see cref="GuardTable"/>: two tracepoint programs that bump a guarded map's version when a
/// <c>bpf()</c> call writes it. The C source lives here (not in a .c file beside it) so that the running product carries
/// it without the repository or a build step; it is compiled once per process with clang, which Kecleon needs anyway.
/// It needs no vmlinux.h: the few kernel structures it reads are declared with <c>preserve_access_index</c>, and libbpf
/// relocates those field offsets against the running kernel's BTF (<c>/sys/kernel/btf/vmlinux</c>) at load.
/// </summary>
internal static class GuardHookProgram
{
    public const string EnterProgram = "kecleon_guard_enter";
    public const string ExitProgram = "kecleon_guard_exit";
    public const string TracepointCategory = "syscalls";
    public const string EnterTracepoint = "sys_enter_bpf";
    public const string ExitTracepoint = "sys_exit_bpf";

    public const string Source = """
        // Kecleon guard hook: on every bpf() call that writes a map registered in kecleon_guard_slots, add one to that
        // map's version (slot `slot` of kecleon_guards' one element) on syscall entry and again on syscall exit. Specialized
        // programs compare their slots' versions with the version they were built against and fall back to the original on a mismatch.
        #include <linux/bpf.h>
        #include <bpf/bpf_helpers.h>
        #include <bpf/bpf_core_read.h>

        #ifndef __TARGET_ARCH_x86
        #error "the exit hook reads the syscall's arguments from x86-64 pt_regs"
        #endif

        char LICENSE[] SEC("license") = "GPL";

        #define GUARD_SLOTS 256

        // CO-RE views of the kernel structures read below. Only the named fields exist here; libbpf finds their real
        // offsets in the running kernel's BTF.
        struct bpf_map { __u32 id; } __attribute__((preserve_access_index));
        struct bpf_prog { enum bpf_prog_type type; } __attribute__((preserve_access_index));
        struct file { void *private_data; } __attribute__((preserve_access_index));
        struct fdtable { unsigned int max_fds; struct file **fd; } __attribute__((preserve_access_index));
        struct files_struct { struct fdtable *fdt; } __attribute__((preserve_access_index));
        struct task_struct { struct files_struct *files; } __attribute__((preserve_access_index));
        struct pt_regs { unsigned long di, si, dx; } __attribute__((preserve_access_index));

        // The versions, all in one element: a specialized program (same definition, reused) looks it up once at entry
        // and compares each of its slots with a load.
        struct kecleon_guard_versions { __u64 version[GUARD_SLOTS]; };
        struct {
            __uint(type, BPF_MAP_TYPE_ARRAY);
            __uint(max_entries, 1);
            __type(key, __u32);
            __type(value, struct kecleon_guard_versions);
        } kecleon_guards SEC(".maps");

        // Kernel map id -> slot, for the maps that specialized programs depend on. Written only by Kecleon.
        struct {
            __uint(type, BPF_MAP_TYPE_HASH);
            __uint(max_entries, GUARD_SLOTS);
            __type(key, __u32);
            __type(value, __u32);
        } kecleon_guard_slots SEC(".maps");

        // /sys/kernel/tracing/events/syscalls/sys_enter_bpf/format: 8 bytes of common fields, then each field in 8 bytes.
        struct sys_enter_bpf_args { __u64 common; __u64 nr; __u64 cmd; union bpf_attr *uattr; __u64 size; };

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

        static __always_inline void bump_slot(__u32 slot)
        {
            __u32 zero = 0;
            struct kecleon_guard_versions *versions = bpf_map_lookup_elem(&kecleon_guards, &zero);
            if (versions && slot < GUARD_SLOTS)
                __sync_fetch_and_add(&versions->version[slot], 1);
        }

        static __always_inline void on_bpf(__u64 cmd, union bpf_attr *uattr, __u64 size)
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
                    for (__u32 slot = 0; slot < GUARD_SLOTS; slot++)
                        bump_slot(slot);
                return;
            }
            default:
                return;
            }
            struct bpf_map *map = fd_object(attr_u32(uattr, size, offset));
            if (!map)
                return;
            __u32 id = BPF_CORE_READ(map, id);
            __u32 *slot = bpf_map_lookup_elem(&kecleon_guard_slots, &id);
            if (slot)
                bump_slot(*slot);
        }

        // Entry: from here on every packet takes the original program, so no packet sees a half-done batch through
        // specialized code.
        SEC("tracepoint/syscalls/sys_enter_bpf")
        int kecleon_guard_enter(struct sys_enter_bpf_args *ctx)
        {
            on_bpf(ctx->cmd, ctx->uattr, ctx->size);
            return 0;
        }

        // Exit, after the write and before the caller sees the result. This bump is what makes a snapshot safe: a
        // version read before the map's contents is stale once any write that was in flight during the read completes,
        // even one that entered before the hook was attached or the map registered. The exit tracepoint carries no
        // arguments, so they are read again from the task's saved registers (rdi, rsi, rdx are not changed by bpf()).
        SEC("tracepoint/syscalls/sys_exit_bpf")
        int kecleon_guard_exit(void *ctx)
        {
            struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(bpf_get_current_task_btf());
            on_bpf(regs->di, (union bpf_attr *)regs->si, regs->dx);
            return 0;
        }
        """;

    private static readonly Lazy<byte[]> Compiled = new(Compile, LazyThreadSafetyMode.PublicationOnly);

    /// <summary>The BPF ELF object, compiled on first use.</summary>
    public static byte[] Object => Compiled.Value;

    private static byte[] Compile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"kecleon-guard-hook-{Guid.NewGuid():N}.bpf.c");
        File.WriteAllText(path, Source);
        try
        {
            return Clang.CompileToObject(path, ["-D__TARGET_ARCH_x86"]);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
