using System.Runtime.InteropServices;

namespace Kecleon.Interop;

/// <summary>Raw imports from libbpf 1.1 and the few libc calls that go with them. libbpf 1.x returns <c>-errno</c>
/// from functions returning int and NULL (with errno set) from open functions.</summary>
internal static unsafe partial class LibbpfApi
{
    private const string Lib = NativeLibraries.Bpf;

    // struct bpf_object_open_opts (libbpf 1.1): 80 bytes, a placeholder u32 at offset 32.
    [StructLayout(LayoutKind.Explicit, Size = 80)]
    public struct ObjectOpenOptions
    {
        [FieldOffset(0)] public nuint Size;
        [FieldOffset(8)] public byte* ObjectName;
        [FieldOffset(16)] public byte RelaxedMaps;
        [FieldOffset(24)] public byte* PinRootPath;
        [FieldOffset(40)] public byte* Kconfig;
        [FieldOffset(48)] public byte* BtfCustomPath;
        [FieldOffset(56)] public byte* KernelLogBuffer;
        [FieldOffset(64)] public nuint KernelLogSize;
        [FieldOffset(72)] public uint KernelLogLevel;
    }

    // struct bpf_test_run_opts (libbpf 1.1): 80 bytes.
    [StructLayout(LayoutKind.Explicit, Size = 80)]
    public struct TestRunOptions
    {
        [FieldOffset(0)] public nuint Size;
        [FieldOffset(8)] public void* DataIn;
        [FieldOffset(16)] public void* DataOut;
        [FieldOffset(24)] public uint DataSizeIn;
        [FieldOffset(28)] public uint DataSizeOut;
        [FieldOffset(32)] public void* ContextIn;
        [FieldOffset(40)] public void* ContextOut;
        [FieldOffset(48)] public uint ContextSizeIn;
        [FieldOffset(52)] public uint ContextSizeOut;
        [FieldOffset(56)] public uint ReturnValue;
        [FieldOffset(60)] public int Repeat;
        [FieldOffset(64)] public uint Duration;
        [FieldOffset(68)] public uint Flags;
        [FieldOffset(72)] public uint Cpu;
        [FieldOffset(76)] public uint BatchSize;
    }

    // struct bpf_xdp_attach_opts (libbpf 1.1): 16 bytes.
    [StructLayout(LayoutKind.Explicit, Size = 16)]
    public struct XdpAttachOptions
    {
        [FieldOffset(0)] public nuint Size;
        [FieldOffset(8)] public int OldProgramFd;
    }

    // struct bpf_map_batch_opts: { size_t sz; __u64 elem_flags; __u64 flags; } = 24 bytes.
    [StructLayout(LayoutKind.Explicit, Size = 24)]
    public struct MapBatchOptions
    {
        [FieldOffset(0)] public nuint Size;
        [FieldOffset(8)] public ulong ElementFlags;
        [FieldOffset(16)] public ulong Flags;
    }

    // struct bpf_link_update_opts: { size_t sz; __u32 flags; __u32 old_prog_fd; __u32 old_map_fd; } = 24 bytes.
    [StructLayout(LayoutKind.Explicit, Size = 24)]
    public struct LinkUpdateOptions
    {
        [FieldOffset(0)] public nuint Size;
        [FieldOffset(8)] public uint Flags;
        [FieldOffset(12)] public uint OldProgramFd;
        [FieldOffset(16)] public uint OldMapFd;
    }

    // struct bpf_xdp_query_opts (libbpf 1.1): { size_t sz; __u32 prog_id, drv_prog_id, hw_prog_id, skb_prog_id; __u8 attach_mode; } = 32 bytes.
    [StructLayout(LayoutKind.Explicit, Size = 32)]
    public struct XdpQueryOptions
    {
        [FieldOffset(0)] public nuint Size;
        [FieldOffset(8)] public uint ProgramId;
        [FieldOffset(12)] public uint DriverProgramId;
        [FieldOffset(16)] public uint HardwareProgramId;
        [FieldOffset(20)] public uint SkbProgramId;
        [FieldOffset(24)] public byte AttachMode;
    }

    // Objects
    [LibraryImport(Lib, SetLastError = true)] public static partial nint bpf_object__open_mem(void* buffer, nuint size, ObjectOpenOptions* options);
    [LibraryImport(Lib, SetLastError = true)] public static partial nint bpf_object__open_file(byte* path, ObjectOpenOptions* options);
    [LibraryImport(Lib)] public static partial int bpf_object__load(nint obj);
    [LibraryImport(Lib)] public static partial void bpf_object__close(nint obj);
    [LibraryImport(Lib)] public static partial nint bpf_object__name(nint obj);
    [LibraryImport(Lib)] public static partial nint bpf_object__next_program(nint obj, nint previous);
    [LibraryImport(Lib)] public static partial nint bpf_object__next_map(nint obj, nint previous);

    // Programs
    [LibraryImport(Lib)] public static partial nint bpf_program__name(nint program);
    [LibraryImport(Lib)] public static partial nint bpf_program__section_name(nint program);
    [LibraryImport(Lib)] public static partial int bpf_program__type(nint program);
    [LibraryImport(Lib)] public static partial int bpf_program__fd(nint program);
    [LibraryImport(Lib)] public static partial int bpf_program__set_autoload(nint program, [MarshalAs(UnmanagedType.U1)] bool autoload);
    [LibraryImport(Lib)] public static partial int bpf_program__set_log_buf(nint program, byte* buffer, nuint size);
    [LibraryImport(Lib)] public static partial int bpf_program__set_log_level(nint program, uint level);
    [LibraryImport(Lib)] public static partial nuint bpf_program__insn_cnt(nint program);
    [LibraryImport(Lib)] public static partial int bpf_program__set_type(nint program, int type);
    [LibraryImport(Lib, SetLastError = true)] public static partial nint bpf_program__attach_xdp(nint program, int ifindex);
    [LibraryImport(Lib, SetLastError = true)] public static partial nint bpf_program__attach_tracepoint(nint program, byte* category, byte* name);
    [LibraryImport(Lib, SetLastError = true)] public static partial nint bpf_program__attach_raw_tracepoint(nint program, byte* name);

    // Maps (libbpf's view)
    [LibraryImport(Lib)] public static partial nint bpf_map__name(nint map);
    [LibraryImport(Lib)] public static partial int bpf_map__type(nint map);
    [LibraryImport(Lib)] public static partial uint bpf_map__key_size(nint map);
    [LibraryImport(Lib)] public static partial uint bpf_map__value_size(nint map);
    [LibraryImport(Lib)] public static partial uint bpf_map__max_entries(nint map);
    [LibraryImport(Lib)] public static partial uint bpf_map__map_flags(nint map);
    [LibraryImport(Lib)] public static partial int bpf_map__fd(nint map);
    [LibraryImport(Lib)] public static partial int bpf_map__reuse_fd(nint map, int fd);
    [LibraryImport(Lib)] public static partial int bpf_map__set_pin_path(nint map, byte* path);
    [LibraryImport(Lib)] public static partial int bpf_map__pin(nint map, byte* path);
    [LibraryImport(Lib)] public static partial int bpf_map__unpin(nint map, byte* path);
    [LibraryImport(Lib)] public static partial int bpf_map__is_internal(nint map);
    [LibraryImport(Lib)] public static partial nint bpf_map__initial_value(nint map, out nuint size);
    [LibraryImport(Lib)] public static partial nint bpf_map__inner_map(nint map);
    [LibraryImport(Lib)] public static partial int bpf_map__set_max_entries(nint map, uint maxEntries);
    [LibraryImport(Lib)] public static partial int bpf_map__set_map_flags(nint map, uint flags);
    [LibraryImport(Lib)] public static partial int bpf_map__set_inner_map_fd(nint map, int fd);

    // Low-level syscall wrappers
    [LibraryImport(Lib)] public static partial int bpf_map_lookup_elem(int fd, void* key, void* value);
    [LibraryImport(Lib)] public static partial int bpf_map_update_elem(int fd, void* key, void* value, ulong flags);
    [LibraryImport(Lib)] public static partial int bpf_map_delete_elem(int fd, void* key);
    [LibraryImport(Lib)] public static partial int bpf_map_get_next_key(int fd, void* key, void* nextKey);
    [LibraryImport(Lib)] public static partial int bpf_map_lookup_batch(int fd, void* inBatch, void* outBatch, void* keys, void* values, uint* count, MapBatchOptions* options);
    [LibraryImport(Lib)] public static partial int bpf_map_update_batch(int fd, void* keys, void* values, uint* count, MapBatchOptions* options);
    [LibraryImport(Lib)] public static partial int bpf_map_freeze(int fd);
    // Span/ref forms, so that callers without unsafe code (the guard tests) can issue every map-writing command and run
    // a BPF_PROG_TYPE_SYSCALL program (whose test runs take no packet and no repeat count).
    [LibraryImport(Lib)] public static partial int bpf_map_lookup_and_delete_elem(int fd, ReadOnlySpan<byte> key, Span<byte> value);
    [LibraryImport(Lib)] public static partial int bpf_map_delete_batch(int fd, ReadOnlySpan<byte> keys, ref uint count, in MapBatchOptions options);
    [LibraryImport(Lib)] public static partial int bpf_map_lookup_and_delete_batch(int fd, Span<byte> inBatch, Span<byte> outBatch, Span<byte> keys, Span<byte> values, ref uint count, in MapBatchOptions options);
    [LibraryImport(Lib)] public static partial int bpf_prog_test_run_opts(int fd, ref TestRunOptions options);

    [LibraryImport(Lib)] public static partial int bpf_map_get_fd_by_id(uint id);
    [LibraryImport(Lib)] public static partial int bpf_map_create(int type, byte* name, uint keySize, uint valueSize, uint maxEntries, void* options);
    [LibraryImport(Lib)] public static partial int bpf_prog_get_fd_by_id(uint id);
    [LibraryImport(Lib)] public static partial int bpf_prog_get_next_id(uint start, uint* next);
    [LibraryImport(Lib)] public static partial int bpf_obj_get_info_by_fd(int fd, void* info, uint* length);
    [LibraryImport(Lib)] public static partial int bpf_obj_pin(int fd, byte* path);
    [LibraryImport(Lib)] public static partial int bpf_obj_get(byte* path);
    [LibraryImport(Lib)] public static partial int bpf_prog_test_run_opts(int fd, TestRunOptions* options);
    [LibraryImport(Lib)] public static partial int bpf_xdp_attach(int ifindex, int programFd, uint flags, XdpAttachOptions* options);
    [LibraryImport(Lib)] public static partial int bpf_xdp_detach(int ifindex, uint flags, XdpAttachOptions* options);
    [LibraryImport(Lib)] public static partial int bpf_link_update(int linkFd, int newProgramFd, LinkUpdateOptions* options);
    [LibraryImport(Lib)] public static partial int bpf_xdp_query(int ifindex, int flags, XdpQueryOptions* options);
    [LibraryImport(Lib)] public static partial int bpf_link_create(int programFd, int targetFd, int attachType, void* options);
    [LibraryImport(Lib)] public static partial int bpf_link_get_next_id(uint start, uint* next);
    [LibraryImport(Lib)] public static partial int bpf_link_get_fd_by_id(uint id);
    [LibraryImport(Lib)] public static partial int bpf_link__fd(nint link);
    [LibraryImport(Lib)] public static partial int bpf_link__pin(nint link, byte* path);
    [LibraryImport(Lib)] public static partial int bpf_link__update_program(nint link, nint program);
    [LibraryImport(Lib)] public static partial int bpf_link__destroy(nint link);
    [LibraryImport(Lib)] public static partial int libbpf_num_possible_cpus();
    [LibraryImport(Lib)] public static partial nint libbpf_set_print(nint callback);
    [LibraryImport(Lib)] public static partial int libbpf_probe_bpf_prog_type(int type, void* options);

    // libc
    [LibraryImport(NativeLibraries.C)] public static partial int close(int fd);
    [LibraryImport(NativeLibraries.C)] public static partial int vsnprintf(byte* buffer, nuint size, byte* format, nint arguments);
    [LibraryImport(NativeLibraries.C)] public static partial uint geteuid();
    /// <summary>A system call that does nothing worth measuring: the baseline for hook overhead (glibc does not cache it).</summary>
    [LibraryImport(NativeLibraries.C)] public static partial int getppid();
    [LibraryImport(NativeLibraries.C, StringMarshalling = StringMarshalling.Utf8)] public static partial uint if_nametoindex(string name);
    [LibraryImport(NativeLibraries.C)] public static partial nint if_indextoname(uint index, byte* name);

    public static string? ReadString(nint text) => text == 0 ? null : Marshal.PtrToStringUTF8(text);
}
